/* change_target.c - read-modify-write of one stored instance inside one
 * write transaction. */
#include "sms/behaviour.h"
#include "sms/methods.h"

smsprov_code sms_modify_instance(smsprov_site *site, const cim_instance *keys,
                                 sms_modify_fn change, void *data, smsprov_error *err)
{
    store_txn *txn = NULL;
    smsprov_code rc = store_begin(site->store, true, &txn, err);
    if (rc != SMSPROV_OK)
        return rc;
    cim_instance *inst = NULL;
    rc = store_get(txn, keys->cls, keys, &inst, err);
    if (rc == SMSPROV_OK)
        rc = change(data, inst, err);
    if (rc == SMSPROV_OK)
        rc = sms_validate_instance(inst, NULL, err);
    if (rc == SMSPROV_OK)
        rc = store_update(txn, inst, err);
    if (rc == SMSPROV_OK)
        rc = store_commit(txn, err);
    else
        store_rollback(txn);
    cim_instance_free(inst);
    return rc;
}

typedef struct target_change {
    sms_method_call *mc;
    sms_change_fn change;
} target_change;

static smsprov_code apply_target_change(void *data, cim_instance *inst, smsprov_error *err)
{
    target_change *tc = data;
    return tc->change(tc->mc, inst, err);
}

smsprov_code sms_change_target(sms_method_call *mc, sms_change_fn change, smsprov_error *err)
{
    if (!mc->target)
        return smsprov_error_set(err, SMSPROV_E_INVALID_OPERATION,
                                 "%s needs an instance to work on.", mc->method->name);
    target_change tc = {mc, change};
    return sms_modify_instance(mc->site, mc->target, apply_target_change, &tc, err);
}
