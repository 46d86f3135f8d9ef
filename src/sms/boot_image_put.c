/* boot_image_put.c - what a put means for boot image and image packages:
 *   - a created boot image with an ImagePath is imported: after the create
 *     commits, a job injects the OSD binaries into boot.<PackageID>.wim
 *     and fills in the values that describe it; if the import fails the
 *     package is removed again, so a failed create leaves nothing behind;
 *   - RefreshPkgSourceFlag = TRUE on a boot image re-injects (as
 *     RefreshPkgSource does) after the put commits;
 *   - ImageProperty and ImageOSVersion describe the WIM, so an update keeps
 *     the values the server derived (a client's copy is ignored like a
 *     read-only value; ReloadImageProperties refreshes them).
 * ImagePath must lie under a share of the site (paths.h). */
#include <stdlib.h>
#include <string.h>

#include "sms/behaviour.h"
#include "sms/boot_image.h"
#include "sms/driver.h"
#include "sms/paths.h"

static bool wants_refresh(const cim_instance *client)
{
    return sms_bool_of(client, "RefreshPkgSourceFlag");
}

smsprov_code sms_boot_image_on_create(sms_put_context *ctx, cim_instance *inst,
                                      smsprov_error *err)
{
    (void)ctx;
    (void)err;
    const char *image_path = sms_string_of(inst, "ImagePath");
    const cim_value *index = cim_instance_get(inst, "ImageIndex");
    /* The SDK sample always sets it; 1 is the image a one-image WIM has. */
    if (image_path && *image_path && index && index->is_null)
        cim_instance_take_value(inst, "ImageIndex", cim_value_uint(CIM_TYPE_UINT32, 1));
    return SMSPROV_OK;
}

static void keep_stored(const sms_put_context *ctx, cim_instance *inst, const char *name)
{
    const cim_value *stored = cim_instance_get(ctx->stored, name);
    if (!stored)
        return;
    cim_value copy;
    cim_value_copy(&copy, stored);
    cim_instance_take_value(inst, name, copy);
}

smsprov_code sms_image_package_on_update(sms_put_context *ctx, cim_instance *inst,
                                         smsprov_error *err)
{
    (void)err;
    keep_stored(ctx, inst, "ImageProperty");
    if (cim_class_find_property(inst->cls, "ImageOSVersion"))
        keep_stored(ctx, inst, "ImageOSVersion");
    return SMSPROV_OK;
}

static smsprov_code invalid(smsprov_error *err, const char *property, char *sentence)
{
    smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER, "%s", sentence);
    smsprov_error_set_parameter(err, property);
    free(sentence);
    return SMSPROV_E_INVALID_PARAMETER;
}

smsprov_code sms_boot_image_validate(sms_put_context *ctx, cim_instance *inst,
                                     smsprov_error *err)
{
    const char *image_path = sms_string_of(inst, "ImagePath");
    bool has_image = image_path && *image_path;
    const cim_value *index = cim_instance_get(inst, "ImageIndex");
    if (index && !index->is_null && index->u.uint == 0)
        return invalid(err, "ImageIndex",
                       cim_xstrdup("ImageIndex 0 does not exist: the images of a WIM are "
                                   "numbered from 1."));
    if (ctx->stored && wants_refresh(ctx->client) && !has_image)
        return invalid(err, "ImagePath",
                       cim_xstrdup("RefreshPkgSourceFlag rebuilds the boot image from its "
                                   "ImagePath, and this package has none; set ImagePath to the "
                                   "WIM to build from."));
    const char *stored_path = ctx->stored ? sms_string_of(ctx->stored, "ImagePath") : NULL;
    bool changed = !stored_path || !image_path || strcmp(stored_path, image_path) != 0;
    if (!has_image || !changed)
        return SMSPROV_OK;
    char *local = NULL;
    smsprov_code rc = sms_path_to_local(ctx->site, image_path, "ImagePath", &local, err);
    free(local);
    return rc;
}

/* A failed import takes the package back out. */
static void remove_package(const sms_after_put *ap)
{
    store_txn *txn = NULL;
    if (store_begin(ap->site->store, true, &txn, NULL) != SMSPROV_OK)
        return;
    /* Its SMS_BootImagePackage_DriverRef rows go too. */
    if (store_delete(txn, ap->stored->cls, ap->stored, NULL) == SMSPROV_OK &&
        sms_driver_refs_remove(ap->site, txn, sms_string_of(ap->stored, "PackageID"), NULL) ==
            SMSPROV_OK)
        store_commit(txn, NULL);
    else
        store_rollback(txn);
}

smsprov_code sms_boot_image_after_put(const sms_after_put *ap, smsprov_error *err)
{
    const char *image_path = sms_string_of(ap->stored, "ImagePath");
    const char *context_id = sms_string_of(ap->stored, "ContextID");
    if (ap->created) {
        if (!image_path || !*image_path)
            return SMSPROV_OK;
        smsprov_code rc = sms_boot_image_inject(ap->site, ap->call, ap->stored, SMS_INJECT_IMPORT,
                                                "Import", context_id, err);
        /* A caller that stopped waiting (its client went away) leaves the
         * import running: the job fills the package in, or its status
         * queue says why it could not. */
        if (rc != SMSPROV_OK && rc != SMSPROV_E_CALL_CANCELLED)
            remove_package(ap);
        return rc;
    }
    if (!wants_refresh(ap->client))
        return SMSPROV_OK;
    return sms_boot_image_inject(ap->site, ap->call, ap->stored, SMS_INJECT_REFRESH,
                                 "RefreshPkgSource", context_id, err);
}
