/* read_ops.c - enumerate and get, with the lazy-property rule: lazy
 * properties are null in enumerations and filled on get. */
#include <stdlib.h>

#include "sms/rbac.h"

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

/* How many instances the whole-result enumeration reads per batch. */
#define ENUMERATE_BATCH 1024

smsprov_code smsprov_enumerate(smsprov_site *site, const smsprov_call *call,
                               const char *class_name, smsprov_enum_flags flags,
                               smsprov_instance_list *out, smsprov_error *err)
{
    out->items = NULL;
    out->count = 0;
    smsprov_cursor *c = NULL;
    smsprov_code rc = smsprov_enumerate_open(site, call, class_name, flags, &c, err);
    bool end = rc != SMSPROV_OK;
    while (!end && rc == SMSPROV_OK)
        rc = smsprov_cursor_read(c, ENUMERATE_BATCH, out, &end, err);
    smsprov_cursor_close(c);
    if (rc != SMSPROV_OK)
        smsprov_instance_list_clear(out);
    return rc;
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

/* An object outside the caller's scopes reads as not found, so its
 * existence is not disclosed. */
static smsprov_code check_visible(smsprov_site *site, const smsprov_call *call, const char *ns,
                                  const char *object_path, cim_instance **out,
                                  smsprov_error *err)
{
    bool none = false;
    sms_caller caller = {0};
    smsprov_code rc = sms_caller_read(site, call, &caller, err);
    if (rc != SMSPROV_OK)
        return rc;
    store_cond *filter = sms_rbac_read_filter(site, &caller, ns, (*out)->cls, false, &none);
    bool ok = !none;
    if (filter) {
        store_txn *txn = NULL;
        rc = store_begin(site->store, false, &txn, err);
        if (rc == SMSPROV_OK)
            rc = sms_caller_may(site, &caller, txn, *out, SMS_OP_READ, &ok, err);
        store_rollback(txn);
    }
    store_cond_free(filter);
    sms_caller_clear(&caller);
    if (rc == SMSPROV_OK && !ok) {
        cim_instance_free(*out);
        *out = NULL;
        rc = smsprov_error_set(err, SMSPROV_E_NOT_FOUND, "%s was not found.", object_path);
    }
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
    if (rc == SMSPROV_OK)
        rc = check_visible(site, call, ns, object_path, out, err);
    if (rc != SMSPROV_OK) {
        smsprov_error_set_operation(err, "GetObject");
        smsprov_error_set_object(err, object_path);
    }
    return rc;
}
