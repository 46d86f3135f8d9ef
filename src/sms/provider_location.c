/* provider_location.c - the one SMS_ProviderLocation instance a server has. */
#include "sms/provider_location.h"

#include <stdlib.h>

static cim_instance *build_location(const smsprov_site *site, const cim_class *cls)
{
    cim_instance *inst = cim_instance_new(cls);
    char *ns_path = cim_xasprintf("\\\\%s\\%s", site->server_name, site->site_namespace);
    cim_instance_set_string(inst, "Machine", site->server_name, NULL);
    cim_instance_set_string(inst, "NamespacePath", ns_path, NULL);
    cim_instance_set_bool(inst, "ProviderForLocalSite", true, NULL);
    cim_instance_set_string(inst, "SiteCode", site->site_code, NULL);
    free(ns_path);
    return inst;
}

/* Drops rows for other site codes: this server speaks for one site only. */
static smsprov_code drop_stale(store_txn *txn, const cim_class *cls, const char *site_code,
                               smsprov_error *err)
{
    smsprov_instance_list rows = {0};
    store_query all = {.limit = -1};
    smsprov_code rc = store_select(txn, cls, &all, &rows, err);
    for (size_t i = 0; rc == SMSPROV_OK && i < rows.count; i++) {
        const cim_value *code = cim_instance_get(rows.items[i], "SiteCode");
        if (code && !code->is_null && cim_strcasecmp(code->u.string, site_code) != 0)
            rc = store_delete(txn, cls, rows.items[i], err);
    }
    smsprov_instance_list_clear(&rows);
    return rc;
}

smsprov_code sms_write_provider_location(smsprov_site *site, smsprov_error *err)
{
    const cim_class *cls =
        cim_schema_find_class(site->schema, SMS_PROVIDER_NAMESPACE, "SMS_ProviderLocation");
    if (!cls)
        return smsprov_error_set(err, SMSPROV_E_CRITICAL_ERROR,
                                 "The MOF schema does not declare root\\sms:SMS_ProviderLocation.");
    store_txn *txn = NULL;
    smsprov_code rc = store_begin(site->store, true, &txn, err);
    if (rc != SMSPROV_OK)
        return rc;
    cim_instance *inst = build_location(site, cls);
    rc = drop_stale(txn, cls, site->site_code, err);
    if (rc == SMSPROV_OK) {
        rc = store_update(txn, inst, err);
        if (rc == SMSPROV_E_NOT_FOUND) {
            smsprov_error_clear(err);
            rc = store_insert(txn, inst, err);
        }
    }
    cim_instance_free(inst);
    if (rc != SMSPROV_OK) {
        store_rollback(txn);
        return rc;
    }
    return store_commit(txn, err);
}
