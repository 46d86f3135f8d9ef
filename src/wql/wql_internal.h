/*
 * wql_internal.h - what the files of the WQL engine share: tokens, the
 * syntax tree, the bound form of a query and the helpers each stage offers
 * the next.  Nothing here is public; wql.h is the module's contract.
 *
 * Stages: lexer.c turns text into tokens, parser.c builds the tree,
 * bind.c resolves names against a class and converts literals, eval.c
 * answers WHERE for one instance, pushdown.c turns WHERE into store
 * conditions, execute.c runs a query as a cursor and result.c shapes what it
 * returns.
 */
#ifndef SMSPROV_WQL_INTERNAL_H
#define SMSPROV_WQL_INTERNAL_H

#include "wql/wql.h"

/* Deeper nesting of parentheses, NOT and functions is refused, so neither
 * the parser nor the evaluator can run out of stack. */
#define WQL_MAX_DEPTH 100

/* Makes room for one more item in an array that holds count items and grows
 * by doubling (so appending n items costs O(n)).  Returns the array. */
void *wql_grow(void *items, size_t count, size_t item_size);

/* ------------------------------------------------------------------------ */
/* Tokens (lexer.c)                                                         */
/* ------------------------------------------------------------------------ */

typedef enum wql_token_kind {
    WQL_TOK_END,
    WQL_TOK_IDENT,
    WQL_TOK_STRING,  /* text holds the unescaped value */
    WQL_TOK_INTEGER, /* text holds the digits as written ("42", "0x2A") */
    WQL_TOK_REAL,    /* text holds the number as written */
    WQL_TOK_STAR,
    WQL_TOK_COMMA,
    WQL_TOK_DOT,
    WQL_TOK_LPAREN,
    WQL_TOK_RPAREN,
    WQL_TOK_MINUS,
    WQL_TOK_PLUS,
    WQL_TOK_EQ,
    WQL_TOK_NE,
    WQL_TOK_LT,
    WQL_TOK_GT,
    WQL_TOK_LE,
    WQL_TOK_GE,
    WQL_TOK_SEMICOLON,
} wql_token_kind;

typedef struct wql_token {
    wql_token_kind kind;
    size_t pos;    /* byte offset of the token in the query text */
    size_t len;    /* bytes of query text the token spans */
    char *text;    /* identifiers, numbers and (unescaped) strings */
} wql_token;

typedef struct wql_token_list {
    wql_token *items; /* ends with a WQL_TOK_END token */
    size_t count;
} wql_token_list;

smsprov_code wql_lex(const char *text, wql_token_list *out, smsprov_error *err);
void wql_token_list_clear(wql_token_list *list);

/* ------------------------------------------------------------------------ */
/* Syntax tree (parser.c, ast.c)                                            */
/* ------------------------------------------------------------------------ */

typedef enum wql_cmp {
    WQL_CMP_EQ,
    WQL_CMP_NE,
    WQL_CMP_LT,
    WQL_CMP_GT,
    WQL_CMP_LE,
    WQL_CMP_GE,
} wql_cmp;

typedef enum wql_operand_kind {
    WQL_OPERAND_PROPERTY, /* a property of the FROM class */
    WQL_OPERAND_CLASS,    /* __CLASS: the name of the instance's class */
    WQL_OPERAND_THIS,     /* __this: the instance itself (left of ISA only) */
    WQL_OPERAND_LITERAL,
    WQL_OPERAND_UPPER,
    WQL_OPERAND_LOWER,
} wql_operand_kind;

typedef struct wql_operand {
    wql_operand_kind kind;
    size_t pos;
    char *name;              /* property: as written */
    cim_value literal;       /* literal as written: sint64, uint64 (beyond
                              * INT64_MAX), real64, boolean, string or null */
    struct wql_operand *arg; /* UPPER / LOWER */

    /* Filled by wql_bind. */
    const cim_property *prop; /* property operands */
    size_t index;             /* its index in the FROM class */
    cim_type type;            /* type of the value the operand yields */
    bool constant;            /* value holds the operand, converted to the type it is
                               * compared as (literals and functions of literals) */
    cim_value value;
} wql_operand;

typedef enum wql_expr_kind {
    WQL_EXPR_AND,     /* children, two or more */
    WQL_EXPR_OR,      /* children, two or more */
    WQL_EXPR_NOT,     /* one child */
    WQL_EXPR_COMPARE, /* left op right */
    WQL_EXPR_LIKE,    /* left [NOT] LIKE right (a string literal) */
    WQL_EXPR_IN,      /* left [NOT] IN (items) */
    WQL_EXPR_IS_NULL, /* left IS [NOT] NULL */
    WQL_EXPR_ISA,     /* left ISA right (a string literal naming a class) */
} wql_expr_kind;

typedef struct wql_expr {
    wql_expr_kind kind;
    size_t pos;
    bool negated;               /* NOT LIKE, NOT IN, IS NOT NULL */
    struct wql_expr **children;
    size_t child_count;
    wql_cmp op;
    wql_operand *left, *right;
    wql_operand **items;        /* IN list */
    size_t item_count;
} wql_expr;

typedef struct wql_select_item {
    char *name;
    size_t pos;
    bool system;  /* a system property such as __PATH: returned as always */
    size_t index; /* bound: property index in the FROM class */
} wql_select_item;

typedef struct wql_order_key {
    wql_operand *operand; /* a property or __CLASS */
    bool descending;
} wql_order_key;

struct wql_query {
    char *text;
    char *class_name;
    size_t class_pos;
    bool distinct;
    bool select_all;          /* SELECT * */
    bool count;               /* SELECT COUNT(...) */
    wql_operand *count_arg;   /* COUNT(Prop); NULL for COUNT(*) */
    wql_select_item *items;   /* the select list when not * */
    size_t item_count;
    wql_expr *where;          /* NULL when there is no WHERE */
    wql_order_key *order;
    size_t order_count;

    const cim_class *cls;     /* set by wql_bind */
};

smsprov_code wql_parse_tokens(const char *text, const wql_token_list *tokens, wql_query *q,
                              smsprov_error *err);

wql_operand *wql_operand_new(wql_operand_kind kind, size_t pos);
void wql_operand_free(wql_operand *op);
wql_expr *wql_expr_new(wql_expr_kind kind, size_t pos);
void wql_expr_free(wql_expr *e);
/* Appends child to an AND / OR / NOT node. */
void wql_expr_add_child(wql_expr *e, wql_expr *child);

const char *wql_cmp_text(wql_cmp op);
/* The operator that gives the same answer with the operands swapped. */
wql_cmp wql_cmp_mirror(wql_cmp op);

/* ------------------------------------------------------------------------ */
/* Errors (errors.c)                                                        */
/* ------------------------------------------------------------------------ */

/* 1-based character (not byte) position of byte offset pos in text. */
size_t wql_char_position(const char *text, size_t pos);
/* SMSPROV_E_INVALID_QUERY with "<message> at position N<tail>"; fmt gives
 * the message before the position, tail what follows it (may be NULL). */
smsprov_code wql_error_at(smsprov_error *err, const char *text, size_t pos, const char *tail,
                          const char *fmt, ...)
    SMSPROV_PRINTF(5, 6)
    ;

/* ------------------------------------------------------------------------ */
/* Comparing values (compare.c)                                             */
/* ------------------------------------------------------------------------ */

/* The outcome of a predicate under SQL's three-valued logic. */
typedef enum wql_truth {
    WQL_FALSE = 0,
    WQL_TRUE = 1,
    WQL_UNKNOWN = 2,
} wql_truth;

/* Compares two non-null scalars of compatible types as WHERE does: numbers
 * by value, text case-insensitively, datetimes chronologically.  False in
 * *comparable when the two cannot be ordered (datetimes with asterisks,
 * a timestamp and an interval, text that is not a datetime). */
int wql_value_compare(const cim_value *a, const cim_value *b, bool *comparable);
/* Orders two scalars of one type for ORDER BY and DISTINCT: a total order,
 * NULL first, agreeing with wql_value_compare wherever that one orders. */
int wql_value_order(const cim_value *a, const cim_value *b);
/* ------------------------------------------------------------------------ */
/* Evaluation (eval.c)                                                      */
/* ------------------------------------------------------------------------ */

wql_truth wql_eval(const wql_expr *e, const cim_instance *inst);
/* The value in inst of prop, a property of the bound class at index (inst
 * may be of a derived class); NULL when null or absent. */
const cim_value *wql_instance_value(const cim_instance *inst, const cim_property *prop,
                                    size_t index);
/* True when e reads a lazy property (so rows must be read with them). */
bool wql_expr_uses_lazy(const wql_expr *e);
/* The value an operand yields for inst, or NULL for a null value.  Values
 * computed on the way (__CLASS, UPPER()) land in *tmp, which starts as a null
 * value and which the caller clears after use. */
const cim_value *wql_operand_value(const wql_operand *op, const cim_instance *inst,
                                   cim_value *tmp);

/* ------------------------------------------------------------------------ */
/* Push-down (pushdown.c)                                                   */
/* ------------------------------------------------------------------------ */

/* e as a store condition (store/plan.h) when the store answers it exactly
 * as eval.c does; NULL when it cannot, and then it stays in memory.
 * *value_count counts the values handed over so far, so the whole plan
 * stays inside the store's limits. */
store_cond *wql_pushdown(const wql_expr *e, size_t *value_count);

/* ------------------------------------------------------------------------ */
/* Results (result.c, generic.c)                                            */
/* ------------------------------------------------------------------------ */

/* The rows a query found, before they are shaped into results. */
typedef struct wql_rows {
    cim_instance **items;
    size_t count, cap;
} wql_rows;

void wql_rows_push(wql_rows *rows, cim_instance *take);
void wql_rows_clear(wql_rows *rows);

/* ORDER BY (stable: ties keep the order the store returned). */
void wql_rows_sort(const wql_query *q, wql_rows *rows);
/* DISTINCT over the selected properties: keeps the first of each group. */
void wql_rows_distinct(const wql_query *q, wql_rows *rows);
/* Leaves lazy properties and those outside the select list null. */
void wql_rows_project(const wql_query *q, wql_rows *rows);

/* The class of COUNT results: __Generic { uint32 Count; }.  Built once and
 * kept for the life of the process. */
const cim_class *wql_generic_count_class(void);

#endif
