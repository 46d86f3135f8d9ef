/* query.c - ExecQuery: WQL over the store (src/wql does the work). */
#include "sms/site.h"

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

/* How many results the whole-result query reads per batch. */
#define QUERY_BATCH 1024

/* Through the cursor, so the whole-result call gets the same scope filter
 * as the doors' cursors. */
smsprov_code smsprov_query(smsprov_site *site, const smsprov_call *call, const char *language,
                           const char *query, smsprov_instance_list *out, smsprov_error *err)
{
    out->items = NULL;
    out->count = 0;
    smsprov_cursor *c = NULL;
    smsprov_code rc = smsprov_query_open(site, call, language, query, &c, err);
    bool end = rc != SMSPROV_OK;
    while (!end && rc == SMSPROV_OK)
        rc = smsprov_cursor_read(c, QUERY_BATCH, out, &end, err);
    smsprov_cursor_close(c);
    if (rc != SMSPROV_OK)
        smsprov_instance_list_clear(out);
    return rc;
}
