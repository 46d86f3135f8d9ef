/*
 * wql.h - WQL and the part of ConfigMgr's extended WQL that queries one
 * class, evaluated over the store.
 *
 * The WHERE clause and ORDER BY are handed to the store as a plan
 * (store/plan.h, push-down); what the store cannot answer is evaluated in
 * memory.  Both paths
 * give identical results, which the differential test checks.
 */
#ifndef SMSPROV_WQL_H
#define SMSPROV_WQL_H

#include "smsprov/cim.h"
#include "smsprov/provider.h"
#include "store/store.h"

typedef struct wql_query wql_query;

/* Parses a query.  SMSPROV_E_INVALID_QUERY with the position (1-based
 * character offset) and what was expected in the description. */
smsprov_code wql_parse(const char *text, wql_query **out, smsprov_error *err);
void wql_query_free(wql_query *q);
/* The FROM class as written. */
const char *wql_query_class_name(const wql_query *q);

/* Resolves property names against cls (case-insensitive) and checks types:
 * unknown property -> SMSPROV_E_INVALID_QUERY naming it; array or embedded
 * property in WHERE/ORDER BY -> SMSPROV_E_INVALID_QUERY. */
smsprov_code wql_bind(wql_query *q, const cim_class *cls, smsprov_error *err);

typedef enum wql_mode {
    WQL_PUSHDOWN = 0, /* hand what it can to the store (the normal mode) */
    WQL_IN_MEMORY = 1 /* read every row and evaluate in memory (for testing) */
} wql_mode;

/* Parses, binds and runs a query over the store.  The class is looked up in
 * namespace_path of schema (unknown -> SMSPROV_E_INVALID_CLASS).  Results
 * follow the SMS rules: lazy properties are null, properties outside the
 * select list are null, ORDER BY / DISTINCT / COUNT(*) applied. */
smsprov_code wql_execute(store *st, const cim_schema *schema, const char *namespace_path,
                         const char *text, wql_mode mode, smsprov_instance_list *out,
                         smsprov_error *err);

/* A query read in batches.  Streaming queries (no COUNT, no DISTINCT, push-
 * down mode) keep only the store's cursor position between fetches, with
 * ORDER BY done by the store; COUNT, DISTINCT and WQL_IN_MEMORY read their
 * whole (small, or test-only) answer at the first fetch and hand it out from
 * memory.  See store/plan.h for what a reader sees when rows change between
 * fetches. */
typedef struct wql_cursor wql_cursor;

/* Parses, binds and plans a query (the errors of wql_execute); reads no
 * row. */
smsprov_code wql_cursor_open(store *st, const cim_schema *schema, const char *namespace_path,
                             const char *text, wql_mode mode, wql_cursor **out,
                             smsprov_error *err);
/* A condition every row must meet besides the query's own: role-based
 * administration's scope filter.  cond is called once, at open, for the
 * class whose tables the store will read (the FROM class, or the class a
 * `__CLASS =` / `ISA` test narrows it to) and whether its subclasses are
 * read too; it returns a condition over that class (the cursor takes it),
 * or NULL for none, and sets *none when no row may be seen.  The condition
 * goes to the store with the rest of the plan, so COUNT, DISTINCT, ORDER BY
 * and every class test see only the rows it lets through. */
typedef struct wql_guard {
    store_cond *(*cond)(void *data, const cim_class *target, bool deep, bool *none);
    void *data;
} wql_guard;

/* wql_cursor_open with a guard (NULL: none). */
smsprov_code wql_cursor_open_guarded(store *st, const cim_schema *schema,
                                     const char *namespace_path, const char *text,
                                     wql_mode mode, const wql_guard *guard, wql_cursor **out,
                                     smsprov_error *err);
/* Hands the next results to fn, as store_cursor_fetch does (a fresh read
 * transaction per fetch; hint is how many results the caller expects to
 * take).  Results are shaped as wql_execute's. */
smsprov_code wql_cursor_fetch(wql_cursor *c, size_t hint, store_take_fn fn, void *data,
                              bool *end, smsprov_error *err);
/* True once a fetch handed out the last result. */
bool wql_cursor_at_end(const wql_cursor *c);
void wql_cursor_free(wql_cursor *c);

/* How many rows wql_execute reads per statement. */
#define WQL_EXECUTE_BATCH 512

/* Evaluates a bound query's WHERE clause on one instance (true when there is
 * no WHERE).  Exposed for the differential test and for doors that filter. */
bool wql_matches(const wql_query *q, const cim_instance *inst);

#endif
