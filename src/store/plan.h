/*
 * plan.h - what a query asks of the store, without any SQL: conditions,
 * order and a cursor that reads the answer in batches.
 *
 * The query layer (src/wql) builds a condition tree over the properties of
 * the queried class; the store turns it into its own dialect (for SQLite:
 * parameterised SQL, NOCASE collation, and functions it registers on every
 * connection).  A condition means exactly what the WQL evaluator would
 * answer for it, including UNKNOWN for NULL, so the query layer may send any
 * part it can express here and evaluate the rest itself.
 *
 * Comparisons take their meaning from the left operand's type (a property's
 * type; string for UPPER/LOWER): text compares as cim_nocase_compare,
 * numbers and booleans by value (uint64 too, though stored as int64 bit
 * patterns), DATETIMEs as cim_datetime_text_compare (UNKNOWN when they
 * cannot be ordered).  LIKE is cim_like_match.  Values are converted by the
 * caller to the type of the property they are compared with.
 */
#ifndef SMSPROV_STORE_PLAN_H
#define SMSPROV_STORE_PLAN_H

#include "smsprov/cim.h"
#include "smsprov/provider.h"

/* The deepest condition tree and the most values one condition may hold;
 * a caller keeps what is beyond them to evaluate itself. */
#define STORE_COND_MAX_DEPTH 400
#define STORE_COND_MAX_VALUES 10000

typedef enum store_operand_kind {
    STORE_OPERAND_PROPERTY, /* a property of the queried class, by index */
    STORE_OPERAND_VALUE,    /* a scalar value */
    STORE_OPERAND_UPPER,    /* upper(arg) */
    STORE_OPERAND_LOWER,    /* lower(arg) */
} store_operand_kind;

typedef struct store_operand {
    store_operand_kind kind;
    size_t property;            /* STORE_OPERAND_PROPERTY */
    cim_value value;            /* STORE_OPERAND_VALUE (owned) */
    struct store_operand *arg;  /* UPPER / LOWER (owned) */
} store_operand;

typedef enum store_cond_kind {
    STORE_COND_AND,     /* children, one or more */
    STORE_COND_OR,      /* children, one or more */
    STORE_COND_NOT,     /* one child */
    STORE_COND_COMPARE, /* left op right */
    STORE_COND_LIKE,    /* left [NOT] LIKE right (a string value) */
    STORE_COND_IN,      /* left [NOT] IN (items, values) */
    STORE_COND_IS_NULL, /* left IS [NOT] NULL */
    /* left [NOT] IN (property sub_property of the rows of sub_class's own
     * table that meet sub_where): a semi-join the store answers without
     * handing rows back, e.g. "the objects with a membership in these
     * security scopes".  A string sub_property compared with a numeric
     * left operand is read as a number. */
    STORE_COND_IN_SELECT,
} store_cond_kind;

typedef enum store_cmp {
    STORE_CMP_EQ,
    STORE_CMP_NE,
    STORE_CMP_LT,
    STORE_CMP_GT,
    STORE_CMP_LE,
    STORE_CMP_GE,
} store_cmp;

typedef struct store_cond {
    store_cond_kind kind;
    bool negated;                /* NOT LIKE, NOT IN, IS NOT NULL */
    struct store_cond **children;
    size_t child_count;
    store_cmp op;
    store_operand *left, *right;
    store_operand **items;       /* IN */
    size_t item_count;
    const cim_class *sub_class;  /* IN_SELECT: a storable class */
    size_t sub_property;         /* IN_SELECT: index in sub_class */
    struct store_cond *sub_where; /* IN_SELECT: over sub_class (owned); NULL: every row */
} store_cond;

/* Builders: each takes ownership of what it is given. */
store_operand *store_operand_property(size_t index);
store_operand *store_operand_value(cim_value take);
store_operand *store_operand_case(bool upper, store_operand *arg);
void store_operand_free(store_operand *op);
store_cond *store_cond_new(store_cond_kind kind);
void store_cond_add_child(store_cond *parent, store_cond *child);
void store_cond_free(store_cond *c);
/* `property = value` over cls (text compares ignoring case); NULL, freeing
 * value, when cls has no such property. */
store_cond *store_cond_equals(const cim_class *cls, const char *property, cim_value take);

/* One ORDER BY key: a property of the queried class, or the class name of
 * the row (class_name true).  Text orders as cim_nocase_compare, DATETIMEs
 * as cim_datetime_text_order, numbers by value (NaN first), NULL first
 * ascending and last descending. */
typedef struct store_order_key {
    size_t property;
    bool class_name;
    bool descending;
} store_order_key;

/* ------------------------------------------------------------------------ */
/* Cursors                                                                  */
/* ------------------------------------------------------------------------ */

/* A cursor reads the rows of a select in order, a batch at a time, each
 * batch in a read transaction of its own.  It holds only its position (the
 * order values and keys of the last row it handed out), never rows, so an
 * open cursor costs a few hundred bytes whatever the result size.
 *
 * Order: the order keys, then the keys of the queried class (ascending),
 * then, only when keys could repeat across the tables of a deep select, the
 * table and the row.  Each batch continues strictly after the position, so
 * when rows change between batches the reader sees no row twice and misses
 * no row that existed throughout and matched; a row inserted, changed or
 * deleted meanwhile is seen if (and as) it is when its place is read. */
typedef struct store_cursor store_cursor;

typedef struct store_cursor_spec {
    const cim_class *cls;
    bool deep;                   /* also every class deriving from cls */
    bool skip_lazy;              /* leave lazy properties null without reading them */
    const store_cond *where;     /* NULL: every row */
    const store_order_key *order;
    size_t order_count;
} store_cursor_spec;

struct store;
/* Checks the spec against the store (unknown class or property:
 * SMSPROV_E_INVALID_CLASS / SMSPROV_E_INVALID_QUERY) and makes a cursor
 * before the first row.  The spec may be freed afterwards; cls must outlive
 * the cursor. */
smsprov_code store_cursor_open(struct store *st, const store_cursor_spec *spec,
                               store_cursor **out, smsprov_error *err);
void store_cursor_free(store_cursor *c);

/* What a row callback does with the row it is given. */
typedef enum store_take {
    STORE_TAKE_NEXT,   /* took it (the callback owns it now); send the next row */
    STORE_TAKE_STOP,   /* took it (the callback owns it now); stop here */
    STORE_TAKE_REFUSE, /* did not take it (the cursor frees it); stop before it, so it
                        * comes first next time */
} store_take;
typedef store_take (*store_take_fn)(void *data, cim_instance *take);

/* Reads the rows after the position in one read transaction, calling fn with
 * each until fn stops or the rows run out; the position moves past every row
 * fn took.  hint is how many rows the caller expects to take (the store
 * reads that many at a time).  *end (may be NULL) is true when no row
 * remains after the position.  Errors: those of the store, and
 * SMSPROV_E_FAILED for a database that fails; the position stays at the last
 * row taken. */
smsprov_code store_cursor_fetch(store_cursor *c, size_t hint, store_take_fn fn, void *data,
                                bool *end, smsprov_error *err);
/* True once a fetch found no row after the position. */
bool store_cursor_at_end(const store_cursor *c);

#endif
