/* driver_refs.c - a boot image's ReferencedDrivers (embedded
 * SMS_Driver_Details: ID + SourcePath) and the read-only
 * SMS_BootImagePackage_DriverRef rows that mirror them: one row per
 * element, rewritten in the put's transaction, removed with the package.
 * The drivers reach the WIM only when the content is rebuilt
 * (RefreshPkgSource), as the SDK says. */
#include <stdlib.h>
#include <string.h>

#include "sms/boot_image.h"
#include "sms/driver.h"

static smsprov_code refuse(smsprov_error *err, char *sentence)
{
    smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER, "%s", sentence);
    smsprov_error_set_parameter(err, "ReferencedDrivers");
    free(sentence);
    return SMSPROV_E_INVALID_PARAMETER;
}

static const cim_instance *element(const cim_value *refs, size_t i)
{
    const cim_value *item = &refs->u.array.items[i];
    return item->is_null ? NULL : item->u.object;
}

/* The put only checks the shape: the SDK adds drivers to the WIM when the
 * content is rebuilt, so whether each driver exists and its SourcePath
 * lies under a share is checked then (boot_image_customize.c), and a put
 * of a boot image that names a driver not yet in the catalogue succeeds. */
static smsprov_code check_element(const cim_value *refs, size_t i, smsprov_error *err)
{
    const cim_instance *d = element(refs, i);
    if (!d)
        return refuse(err, cim_xasprintf("ReferencedDrivers[%zu] is empty; give an "
                                         "SMS_Driver_Details with ID and SourcePath.",
                                         i));
    uint64_t id = sms_uint_of(d, "ID");
    for (size_t j = 0; j < i; j++) {
        const cim_instance *earlier = element(refs, j);
        if (earlier && sms_uint_of(earlier, "ID") == id)
            return refuse(err, cim_xasprintf("ReferencedDrivers[%zu] and [%zu] both name "
                                             "driver %llu; list each driver once.",
                                             j, i, (unsigned long long)id));
    }
    return SMSPROV_OK;
}

smsprov_code sms_driver_refs_remove(const smsprov_site *site, store_txn *txn,
                                    const char *package_id, smsprov_error *err)
{
    const cim_class *cls = cim_schema_find_class(site->schema, site->site_namespace,
                                                 SMS_DRIVER_REF_CLASS);
    if (!cls || !package_id)
        return SMSPROV_OK; /* a schema without the class keeps no rows */
    store_cond *same_package = store_cond_equals(cls, "PkgID", cim_value_string(package_id));
    if (!same_package)
        return SMSPROV_OK;
    store_query query = {.where_cond = same_package, .limit = -1};
    smsprov_instance_list rows = {0};
    smsprov_code rc = store_select(txn, cls, &query, &rows, err);
    store_cond_free(same_package);
    for (size_t i = 0; rc == SMSPROV_OK && i < rows.count; i++)
        rc = store_delete(txn, cls, rows.items[i], err);
    smsprov_instance_list_clear(&rows);
    return rc;
}

static smsprov_code write_rows(sms_put_context *ctx, const cim_instance *inst,
                               const cim_value *refs, smsprov_error *err)
{
    const char *package_id = sms_string_of(inst, "PackageID");
    smsprov_code rc = sms_driver_refs_remove(ctx->site, ctx->txn, package_id, err);
    const cim_class *cls = cim_schema_find_class(ctx->site->schema, ctx->site->site_namespace,
                                                 SMS_DRIVER_REF_CLASS);
    for (size_t i = 0; cls && rc == SMSPROV_OK && refs && i < refs->u.array.count; i++) {
        const cim_instance *d = element(refs, i);
        cim_instance *row = cim_instance_spawn(cls);
        cim_instance_take_value(row, "CI_ID", cim_value_sint(CIM_TYPE_SINT32,
                                                   (int32_t)(uint32_t)sms_uint_of(d, "ID")));
        cim_instance_take_value(row, "PkgID", cim_value_string(package_id));
        cim_instance_take_value(row, "SourcePath", cim_value_string(sms_string_of(d, "SourcePath")));
        rc = store_insert(ctx->txn, row, err);
        cim_instance_free(row);
    }
    return rc;
}

smsprov_code sms_driver_refs_on_put(sms_put_context *ctx, cim_instance *inst, smsprov_error *err)
{
    const cim_value *refs = cim_instance_get(inst, "ReferencedDrivers");
    if (refs && refs->is_null)
        refs = NULL;
    smsprov_code rc = SMSPROV_OK;
    for (size_t i = 0; rc == SMSPROV_OK && refs && i < refs->u.array.count; i++)
        rc = check_element(refs, i, err);
    if (rc == SMSPROV_OK)
        rc = write_rows(ctx, inst, refs, err);
    return rc;
}

smsprov_code sms_driver_refs_on_delete(smsprov_site *site, store_txn *txn,
                                       const cim_instance *keys, smsprov_error *err)
{
    return sms_driver_refs_remove(site, txn, sms_string_of(keys, "PackageID"), err);
}
