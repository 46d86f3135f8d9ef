/* change_target.c - read-modify-write of a method's target instance inside
 * one write transaction. */
#include "sms/behaviour.h"
#include "sms/methods.h"

smsprov_code sms_change_target(sms_method_call *mc, sms_change_fn change, smsprov_error *err)
{
    if (!mc->target)
        return smsprov_error_set(err, SMSPROV_E_INVALID_OPERATION,
                                 "%s needs an instance to work on.", mc->method->name);
    store_txn *txn = NULL;
    smsprov_code rc = store_begin(mc->site->store, true, &txn, err);
    if (rc != SMSPROV_OK)
        return rc;
    cim_instance *inst = NULL;
    rc = store_get(txn, mc->target->cls, mc->target, &inst, err);
    if (rc == SMSPROV_OK)
        rc = change(mc, inst, err);
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
