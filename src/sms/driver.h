/*
 * driver.h - drivers for boot images: the SMS_Driver catalogue
 * entries, a boot image's ReferencedDrivers and their mirror rows in
 * SMS_BootImagePackage_DriverRef.  SERVICING.md
 * ("WinPE customisation") describes the rules.
 */
#ifndef SMSPROV_SMS_DRIVER_H
#define SMSPROV_SMS_DRIVER_H

#include "sms/behaviour.h"

#define SMS_DRIVER_CLASS "SMS_Driver"
#define SMS_DRIVER_REF_CLASS "SMS_BootImagePackage_DriverRef"

/* SMS_Driver put hooks (driver.c): the site assigns CI_ID; the put reads
 * the INF at ContentSourcePath\DriverINFFile, refuses one that is not a
 * driver INF, and fills DriverClass, DriverProvider, DriverVersion and
 * DriverDate. */
smsprov_code sms_driver_on_create(sms_put_context *ctx, cim_instance *inst, smsprov_error *err);
smsprov_code sms_driver_validate(sms_put_context *ctx, cim_instance *inst, smsprov_error *err);

/* Boot image put hook (driver_refs.c): checks ReferencedDrivers (no empty
 * element, no ID twice) and rewrites the package's
 * SMS_BootImagePackage_DriverRef rows to match, inside the put's
 * transaction.  That each ID names an SMS_Driver and each SourcePath lies
 * under a share is checked when the content is built. */
smsprov_code sms_driver_refs_on_put(sms_put_context *ctx, cim_instance *inst, smsprov_error *err);

/* Removes the SMS_BootImagePackage_DriverRef rows of package_id. */
smsprov_code sms_driver_refs_remove(const smsprov_site *site, store_txn *txn,
                                    const char *package_id, smsprov_error *err);
/* Delete hook: the rows of a deleted package go with it. */
smsprov_code sms_driver_refs_on_delete(smsprov_site *site, store_txn *txn,
                                       const cim_instance *keys, smsprov_error *err);

/* The SMS_Driver with this CI_ID, read in txn; SMSPROV_E_NOT_FOUND when
 * there is none (no sentence set). */
smsprov_code sms_driver_find(const smsprov_site *site, store_txn *txn, uint64_t ci_id,
                             cim_instance **out, smsprov_error *err);

#endif
