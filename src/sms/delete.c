/* delete.c - deleting an instance by path.  The real provider marks a
 * package ActionInProgress = 3 while distribution points clean up; with no
 * distribution points to wait for, the delete here is immediate. */
#include <stdlib.h>

#include "sms/behaviour.h"
#include "sms/rbac.h"

static smsprov_code check_deletable(const cim_class *cls, smsprov_error *err)
{
    smsprov_code rc = sms_check_instance_class(cls, "deleted", err);
    if (rc != SMSPROV_OK)
        return rc;
    if (cls->flags & CIM_CLASS_READ_ONLY)
        return smsprov_error_set(err, SMSPROV_E_ACCESS_DENIED,
                                 "%s is read-only: its instances cannot be deleted.", cls->name);
    const char *why = sms_behaviour_server_maintained(cls);
    if (why)
        return smsprov_error_set(err, SMSPROV_E_ACCESS_DENIED,
                                 "%s cannot be deleted by clients: %s.", cls->name, why);
    return SMSPROV_OK;
}

/* Rows the server keeps for the instance go with it. */
typedef struct delete_run {
    smsprov_site *site;
    store_txn *txn;
    const cim_instance *keys;
} delete_run;

static smsprov_code run_delete_hook(const sms_class_behaviour *b, void *data, smsprov_error *err)
{
    delete_run *run = data;
    return b->on_delete ? b->on_delete(run->site, run->txn, run->keys, err) : SMSPROV_OK;
}

/* A membership goes through the scope rules (never an object's last
 * scope); anything else needs the caller's Delete right on it, and a
 * secured object takes its memberships with it. */
static smsprov_code delete_checked(smsprov_site *site, const smsprov_call *call, store_txn *txn,
                                   const cim_class *cls, const cim_instance *keys,
                                   smsprov_error *err)
{
    sms_caller caller = {0};
    smsprov_code rc = sms_caller_load(site, call, txn, &caller, err);
    cim_instance *stored = NULL;
    if (rc == SMSPROV_OK && cim_strcasecmp(cls->name, "SMS_SecuredCategoryMembership") == 0) {
        const cim_value *cat = cim_instance_get(keys, "CategoryID");
        const cim_value *key = cim_instance_get(keys, "ObjectKey");
        const cim_value *type = cim_instance_get(keys, "ObjectTypeID");
        rc = sms_rbac_remove_membership(site, &caller, txn, cat->u.string, key->u.string,
                                        (uint32_t)type->u.uint, err);
        sms_caller_clear(&caller);
        return rc;
    }
    if (rc == SMSPROV_OK)
        rc = store_get(txn, cls, keys, &stored, err);
    if (rc == SMSPROV_OK)
        rc = sms_rbac_check_delete(site, &caller, txn, stored, err);
    if (rc == SMSPROV_OK)
        rc = store_delete(txn, cls, keys, err);
    if (rc == SMSPROV_OK)
        rc = sms_rbac_after_delete(site, &caller, txn, stored, err);
    cim_instance_free(stored);
    sms_caller_clear(&caller);
    return rc;
}

smsprov_code smsprov_delete(smsprov_site *site, const smsprov_call *call, const char *object_path,
                            smsprov_error *err)
{
    const char *ns = NULL;
    const cim_class *cls = NULL;
    cim_instance *keys = NULL;
    smsprov_code rc = sms_resolve_namespace(site, call, &ns, err);
    if (rc == SMSPROV_OK)
        rc = sms_path_to_keys(site, ns, object_path, &cls, &keys, err);
    if (rc == SMSPROV_OK)
        rc = check_deletable(cls, err);
    store_txn *txn = NULL;
    if (rc == SMSPROV_OK)
        rc = store_begin(site->store, true, &txn, err);
    if (rc == SMSPROV_OK) {
        rc = delete_checked(site, call, txn, cls, keys, err);
        delete_run run = {.site = site, .txn = txn, .keys = keys};
        if (rc == SMSPROV_OK)
            rc = sms_behaviour_each(cls, run_delete_hook, &run, err);
        if (rc == SMSPROV_OK)
            rc = store_commit(txn, err);
        else
            store_rollback(txn);
        sms_rbac_changed(site, cls);
        if (rc == SMSPROV_E_NOT_FOUND)
            smsprov_error_set(err, SMSPROV_E_NOT_FOUND, "%s was not found.", object_path);
    }
    cim_instance_free(keys);
    if (rc != SMSPROV_OK) {
        smsprov_error_set_operation(err, "DeleteInstance");
        smsprov_error_set_object(err, object_path);
    }
    return rc;
}
