/*
 * wql.h - WQL and the part of ConfigMgr's extended WQL that queries one
 * class, evaluated over the store.
 *
 * The WHERE clause is translated into parameterised SQL for the store
 * (push-down); what cannot be translated is evaluated in memory.  Both paths
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
    WQL_PUSHDOWN = 0, /* translate what it can into SQL (the normal mode) */
    WQL_IN_MEMORY = 1 /* read every row and evaluate in memory (for testing) */
} wql_mode;

/* Parses, binds and runs a query over the store.  The class is looked up in
 * namespace_path of schema (unknown -> SMSPROV_E_INVALID_CLASS).  Results
 * follow the SMS rules: lazy properties are null, properties outside the
 * select list are null, ORDER BY / DISTINCT / COUNT(*) applied. */
smsprov_code wql_execute(store *st, const cim_schema *schema, const char *namespace_path,
                         const char *text, wql_mode mode, smsprov_instance_list *out,
                         smsprov_error *err);

/* Evaluates a bound query's WHERE clause on one instance (true when there is
 * no WHERE).  Exposed for the differential test and for doors that filter. */
bool wql_matches(const wql_query *q, const cim_instance *inst);

#endif
