/* query.c - ExecQuery: WQL over the store (src/wql does the work). */
#include "sms/site.h"
#include "wql/wql.h"

smsprov_code sms_query_namespace(const smsprov_site *site, const smsprov_call *call,
                                 const char *language, const char *query, const char **ns,
                                 smsprov_error *err)
{
    smsprov_code rc = sms_resolve_namespace(site, call, ns, err);
    if (rc == SMSPROV_OK && (!language || cim_strcasecmp(language, "WQL") != 0))
        rc = smsprov_error_set(err, SMSPROV_E_INVALID_QUERY_TYPE,
                               "The query language \"%s\" is not supported; use WQL.",
                               language ? language : "");
    if (rc == SMSPROV_OK && (!query || !*query))
        rc = smsprov_error_set(err, SMSPROV_E_INVALID_QUERY, "The query is empty.");
    return rc;
}

smsprov_code smsprov_query(smsprov_site *site, const smsprov_call *call, const char *language,
                           const char *query, smsprov_instance_list *out, smsprov_error *err)
{
    out->items = NULL;
    out->count = 0;
    const char *ns = NULL;
    smsprov_code rc = sms_query_namespace(site, call, language, query, &ns, err);
    if (rc == SMSPROV_OK)
        rc = wql_execute(site->store, site->schema, ns, query, WQL_PUSHDOWN, out, err);
    if (rc != SMSPROV_OK)
        smsprov_error_set_operation(err, "ExecQuery");
    return rc;
}
