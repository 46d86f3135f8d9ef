/* read_ops.c - enumerate and get, with the lazy-property rule: lazy
 * properties are null in enumerations and filled on get. */
#include <stdlib.h>

#include "sms/site.h"

void smsprov_instance_list_clear(smsprov_instance_list *list)
{
    if (!list)
        return;
    for (size_t i = 0; i < list->count; i++)
        cim_instance_free(list->items[i]);
    free(list->items);
    list->items = NULL;
    list->count = 0;
}

smsprov_code smsprov_enumerate(smsprov_site *site, const smsprov_call *call,
                               const char *class_name, smsprov_enum_flags flags,
                               smsprov_instance_list *out, smsprov_error *err)
{
    out->items = NULL;
    out->count = 0;
    const char *ns = NULL;
    const cim_class *cls = NULL;
    smsprov_code rc = sms_resolve_namespace(site, call, &ns, err);
    if (rc == SMSPROV_OK)
        rc = sms_find_class(site, ns, class_name, &cls, err);
    if (rc == SMSPROV_OK)
        rc = sms_check_instance_class(cls, "enumerated", err);
    store_txn *txn = NULL;
    if (rc == SMSPROV_OK)
        rc = store_begin(site->store, false, &txn, err);
    if (rc == SMSPROV_OK) {
        store_query query = {
            .deep = flags != SMSPROV_ENUM_SHALLOW,
            .skip_lazy = true,
            .limit = -1,
        };
        rc = store_select(txn, cls, &query, out, err);
        store_rollback(txn);
    }
    if (rc != SMSPROV_OK) {
        smsprov_error_set_operation(err, "CreateInstanceEnum");
        return rc;
    }
    for (size_t i = 0; i < out->count; i++)
        sms_null_lazy_properties(out->items[i]);
    return SMSPROV_OK;
}

smsprov_code sms_load_path(const smsprov_site *site, const char *namespace_path,
                           const char *object_path, cim_instance **out, smsprov_error *err)
{
    *out = NULL;
    const cim_class *cls = NULL;
    cim_instance *keys = NULL;
    smsprov_code rc = sms_path_to_keys(site, namespace_path, object_path, &cls, &keys, err);
    store_txn *txn = NULL;
    if (rc == SMSPROV_OK)
        rc = store_begin(site->store, false, &txn, err);
    if (rc == SMSPROV_OK) {
        rc = store_get(txn, cls, keys, out, err);
        store_rollback(txn);
        if (rc == SMSPROV_E_NOT_FOUND)
            smsprov_error_set(err, SMSPROV_E_NOT_FOUND, "%s was not found.", object_path);
    }
    cim_instance_free(keys);
    return rc;
}

smsprov_code smsprov_get(smsprov_site *site, const smsprov_call *call, const char *object_path,
                         cim_instance **out, smsprov_error *err)
{
    *out = NULL;
    const char *ns = NULL;
    smsprov_code rc = sms_resolve_namespace(site, call, &ns, err);
    if (rc == SMSPROV_OK)
        rc = sms_load_path(site, ns, object_path, out, err);
    if (rc != SMSPROV_OK) {
        smsprov_error_set_operation(err, "GetObject");
        smsprov_error_set_object(err, object_path);
    }
    return rc;
}
