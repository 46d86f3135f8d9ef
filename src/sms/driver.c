/* driver.c - SMS_Driver: the site assigns CI_ID; a put reads the driver's
 * INF (ContentSourcePath\DriverINFFile, mapped through the site's shares)
 * as ConfigMgr's CreateFromINF does, refuses what is not a driver INF,
 * and fills the read-only values the INF's [Version] section gives. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "osd/inf.h"
#include "osd/inject_path.h"
#include "sms/boot_image.h"
#include "sms/driver.h"
#include "sms/paths.h"

smsprov_code sms_driver_on_create(sms_put_context *ctx, cim_instance *inst, smsprov_error *err)
{
    uint64_t n = 0;
    smsprov_code rc = store_next_counter(ctx->txn, "SMS_Driver.CI_ID", &n, err);
    if (rc != SMSPROV_OK)
        return rc;
    if (n > UINT32_MAX)
        return smsprov_error_set(err, SMSPROV_E_FAILED,
                                 "Site %s has used every driver CI_ID; no new driver can be "
                                 "created.",
                                 ctx->site->site_code);
    cim_instance_take_value(inst, "CI_ID", cim_value_uint(CIM_TYPE_UINT32, n));
    return SMSPROV_OK;
}

smsprov_code sms_driver_find(const smsprov_site *site, store_txn *txn, uint64_t ci_id,
                             cim_instance **out, smsprov_error *err)
{
    *out = NULL;
    const cim_class *cls = cim_schema_find_class(site->schema, site->site_namespace,
                                                 SMS_DRIVER_CLASS);
    if (!cls)
        return SMSPROV_E_NOT_FOUND;
    cim_instance *keys = cim_instance_new(cls);
    cim_instance_set_uint(keys, "CI_ID", ci_id, NULL);
    smsprov_error quiet = {0};
    smsprov_code rc = store_get(txn, cls, keys, out, &quiet);
    cim_instance_free(keys);
    if (rc != SMSPROV_OK && rc != SMSPROV_E_NOT_FOUND && err)
        smsprov_error_move(err, &quiet);
    smsprov_error_clear(&quiet);
    return rc;
}

static smsprov_code refuse(smsprov_error *err, const char *property, char *sentence)
{
    smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER, "%s", sentence);
    smsprov_error_set_parameter(err, property);
    free(sentence);
    return SMSPROV_E_INVALID_PARAMETER;
}

/* DriverVer dates are mm/dd/yyyy. */
static cim_value driver_date(const char *text)
{
    unsigned month = 0, day = 0, year = 0;
    char tail = 0;
    if (!text || sscanf(text, "%u/%u/%u%c", &month, &day, &year, &tail) != 3 || month < 1 ||
        month > 12 || day < 1 || day > 31 || year < 1601 || year > 9999)
        return cim_value_null(CIM_TYPE_DATETIME, false);
    char buf[32];
    snprintf(buf, sizeof buf, "%04u%02u%02u000000.000000+000", year, month, day);
    return cim_value_datetime(buf);
}

static bool changed(const sms_put_context *ctx, const cim_instance *inst, const char *name)
{
    if (!ctx->stored)
        return true;
    const char *before = sms_string_of(ctx->stored, name), *now = sms_string_of(inst, name);
    return !before || !now || strcmp(before, now) != 0;
}

/* The INF must read as a driver for at least one platform WinPE runs on. */
static smsprov_code read_driver(const char *inf_local, const char *shown, osd_driver_info *info,
                                smsprov_error *err)
{
    static const osd_arch arches[] = {OSD_ARCH_X64, OSD_ARCH_X86, OSD_ARCH_ARM64};
    smsprov_code rc = SMSPROV_OK;
    for (size_t i = 0; i < sizeof arches / sizeof *arches; i++) {
        osd_driver_info_clear(info);
        rc = osd_driver_read(inf_local, shown, arches[i], info, err);
        if (rc != SMSPROV_E_NOT_SUPPORTED)
            break;
    }
    return rc;
}

static void describe(cim_instance *inst, const osd_driver_info *info)
{
    cim_instance_take_value(inst, "DriverClass", cim_value_string(info->class_name));
    cim_instance_take_value(inst, "DriverProvider", cim_value_string(info->provider));
    cim_instance_take_value(inst, "DriverVersion", cim_value_string(info->version));
    cim_instance_take_value(inst, "DriverDate", driver_date(info->date));
}

smsprov_code sms_driver_validate(sms_put_context *ctx, cim_instance *inst, smsprov_error *err)
{
    const char *folder = sms_string_of(inst, "ContentSourcePath");
    const char *inf = sms_string_of(inst, "DriverINFFile");
    if (!folder || !*folder)
        return refuse(err, "ContentSourcePath",
                      cim_xstrdup("ContentSourcePath is required: give the UNC folder that "
                                  "holds the driver package."));
    if (!inf || !*inf)
        return refuse(err, "DriverINFFile",
                      cim_xstrdup("DriverINFFile is required: give the name of the driver's "
                                  "INF file in ContentSourcePath."));
    if (strpbrk(inf, "\\/:") || strcmp(inf, "..") == 0 || strcmp(inf, ".") == 0)
        return refuse(err, "DriverINFFile",
                      cim_xasprintf("DriverINFFile \"%s\" must be a file name in "
                                    "ContentSourcePath, without a folder.",
                                    inf));
    if (!changed(ctx, inst, "ContentSourcePath") && !changed(ctx, inst, "DriverINFFile"))
        return SMSPROV_OK;
    char *local = NULL, *inf_local = NULL;
    smsprov_code rc = sms_path_to_local(ctx->site, folder, "ContentSourcePath", &local, err);
    if (rc != SMSPROV_OK)
        return rc;
    char *shown = cim_xasprintf("%s\\%s", folder, inf);
    /* The INF itself must not lead out of the share through a link. */
    char *checked = NULL;
    rc = sms_path_to_local(ctx->site, shown, "DriverINFFile", &checked, err);
    free(checked);
    if (rc != SMSPROV_OK) {
        /* the sentence names the link */
    } else if (osd_path_resolve(local, inf, &inf_local, NULL, NULL) != SMSPROV_OK) {
        rc = refuse(err, "DriverINFFile",
                    cim_xasprintf("The driver INF %s does not exist; check ContentSourcePath "
                                  "and DriverINFFile.",
                                  shown));
    } else {
        osd_driver_info info;
        memset(&info, 0, sizeof info);
        rc = read_driver(inf_local, shown, &info, err);
        if (rc == SMSPROV_OK) {
            describe(inst, &info);
        } else {
            /* The INF is the client's input: whatever is wrong with it is a
             * bad parameter, its sentence says what. */
            char *why = cim_xstrdup(err && err->description ? err->description : shown);
            rc = refuse(err, "DriverINFFile", why);
        }
        osd_driver_info_clear(&info);
    }
    free(shown);
    free(inf_local);
    free(local);
    return rc;
}
