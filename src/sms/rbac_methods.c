/* rbac_methods.c - SMS_SecuredCategoryMembership.AddMemberships and
 * RemoveMemberships: parallel arrays, element i of each naming one
 * membership, all applied in one transaction or none. */
#include <stdlib.h>

#include "sms/methods.h"
#include "sms/rbac.h"

static smsprov_code run(sms_method_call *mc, bool add, smsprov_error *err)
{
    const cim_value *ids = cim_instance_get(mc->in, "ObjectIDs");
    const cim_value *types = cim_instance_get(mc->in, "ObjectTypeIDs");
    const cim_value *cats = cim_instance_get(mc->in, "CategoryIDs");
    size_t n = ids->u.array.count;
    if (types->u.array.count != n || cats->u.array.count != n) {
        smsprov_error_set_parameter(err, "ObjectTypeIDs");
        return smsprov_error_set(err, SMSPROV_E_INVALID_METHOD_PARAMETERS,
                                 "ObjectIDs, ObjectTypeIDs and CategoryIDs must have the same "
                                 "number of elements (%zu, %zu and %zu were given).",
                                 n, types->u.array.count, cats->u.array.count);
    }
    store_txn *txn = NULL;
    sms_caller caller = {0};
    smsprov_code rc = store_begin(mc->site->store, true, &txn, err);
    if (rc != SMSPROV_OK)
        return rc;
    rc = sms_caller_load(mc->site, mc->call, txn, &caller, err);
    for (size_t i = 0; rc == SMSPROV_OK && i < n; i++) {
        const char *cat = cats->u.array.items[i].u.string;
        const char *key = ids->u.array.items[i].u.string;
        uint32_t type = (uint32_t)types->u.array.items[i].u.uint;
        rc = add ? sms_rbac_add_membership(mc->site, &caller, txn, cat, key, type, err)
                 : sms_rbac_remove_membership(mc->site, &caller, txn, cat, key, type, err);
    }
    sms_caller_clear(&caller);
    if (rc == SMSPROV_OK)
        return store_commit(txn, err);
    store_rollback(txn);
    return rc;
}

smsprov_code sms_membership_add(sms_method_call *mc, smsprov_error *err)
{
    return run(mc, true, err);
}

smsprov_code sms_membership_remove(sms_method_call *mc, smsprov_error *err)
{
    return run(mc, false, err);
}
