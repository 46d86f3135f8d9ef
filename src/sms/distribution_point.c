/* distribution_point.c - SMS_DistributionPoint rows, made by a put (the
 * SDK's assign-a-package how-to) or by AddDistributionPoints, which fill
 * them alike:
 *   - a create must name an existing package, a site code and a NAL path
 *     of that site; the server fills SiteName, SourceSite, SecureObjectID,
 *     ObjectTypeID, PackageType, Status 2 (ADDED) and LastRefreshTime now;
 *   - RefreshNow = TRUE on a put redistributes the package to this
 *     distribution point only: LastRefreshTime now, Status 1 (UPDATED);
 *     the package's SourceVersion does not change, and RefreshNow always
 *     reads back FALSE.
 * What a refresh means without real distribution points: SERVICING.md. */
#include <stdlib.h>
#include <string.h>

#include "sms/behaviour.h"
#include "sms/boot_image.h"
#include "sms/nal.h"

#define PACKAGE_BASE "SMS_PackageBaseclass"

/* Secured object type IDs of the package classes (SMS_DistributionPoint
 * ObjectTypeID). */
static uint32_t object_type_of(const cim_class *cls)
{
    if (cim_class_is_a(cls, "SMS_BootImagePackage"))
        return 19;
    if (cim_class_is_a(cls, "SMS_OperatingSystemInstallPackage"))
        return 14;
    if (cim_class_is_a(cls, "SMS_ImagePackage"))
        return 18;
    return 2;
}

void sms_dp_fill_new(const smsprov_site *site, cim_instance *dp, const cim_instance *pkg)
{
    const char *id = sms_string_of(pkg, "PackageID");
    const char *site_code = sms_string_of(dp, "SiteCode");
    bool local = site_code && cim_strcasecmp(site_code, site->site_code) == 0;
    cim_instance_take_value(dp, "SiteName", cim_value_string(local ? site->site_name : ""));
    cim_instance_take_value(dp, "SourceSite", cim_value_string(sms_string_of(pkg, "SourceSite")));
    cim_instance_take_value(dp, "SecureObjectID", cim_value_string(id));
    cim_instance_take_value(dp, "ObjectTypeID", cim_value_uint(CIM_TYPE_UINT32, object_type_of(pkg->cls)));
    cim_instance_take_value(dp, "PackageType",
                  cim_value_uint(CIM_TYPE_UINT32, sms_uint_of(pkg, "PackageType")));
    cim_instance_take_value(dp, "Status", cim_value_uint(CIM_TYPE_UINT32, SMS_DP_STATUS_ADDED));
    cim_instance_take_value(dp, "LastRefreshTime", sms_datetime_now());
    cim_instance_take_value(dp, "RefreshNow", cim_value_bool(false));
}

static smsprov_code invalid(smsprov_error *err, const char *property, char *sentence)
{
    smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER, "%s", sentence);
    smsprov_error_set_parameter(err, property);
    free(sentence);
    return SMSPROV_E_INVALID_PARAMETER;
}

static smsprov_code load_package(sms_put_context *ctx, const char *package_id,
                                 cim_instance **pkg, smsprov_error *err)
{
    const cim_class *base = NULL;
    smsprov_code rc = sms_find_class(ctx->site, ctx->namespace_path, PACKAGE_BASE, &base, err);
    if (rc != SMSPROV_OK)
        return rc;
    cim_instance *keys = cim_instance_new(base);
    cim_instance_take_value(keys, "PackageID", cim_value_string(package_id));
    rc = store_get(ctx->txn, base, keys, pkg, err);
    cim_instance_free(keys);
    if (rc == SMSPROV_E_NOT_FOUND) {
        smsprov_error_clear(err);
        return invalid(err, "PackageID",
                       cim_xasprintf("PackageID \"%s\" names no package of this site; create "
                                     "the package first.",
                                     package_id));
    }
    return rc;
}

static smsprov_code check_server(const cim_instance *dp, smsprov_error *err)
{
    const char *site_code = sms_string_of(dp, "SiteCode");
    const char *nal = sms_string_of(dp, "ServerNALPath");
    if (!sms_is_site_code(site_code ? site_code : ""))
        return invalid(err, "SiteCode",
                       cim_xasprintf("SiteCode \"%s\" is not a site code: use three upper-case "
                                     "letters or digits.",
                                     site_code ? site_code : ""));
    sms_nal parts;
    if (sms_nal_unpack(nal ? nal : "", &parts, err) != SMSPROV_OK) {
        smsprov_error_set_parameter(err, "ServerNALPath");
        return SMSPROV_E_INVALID_PARAMETER;
    }
    sms_nal_clear(&parts);
    char *named = sms_nal_site(nal);
    bool mismatch = named && cim_strcasecmp(named, site_code) != 0;
    char *sentence = mismatch ? cim_xasprintf("ServerNALPath names site %s but SiteCode is %s; "
                                              "a distribution point's site code must match "
                                              "its NAL path (copy both from "
                                              "SMS_SystemResourceList).",
                                              named, site_code)
                              : NULL;
    free(named);
    return mismatch ? invalid(err, "ServerNALPath", sentence) : SMSPROV_OK;
}

smsprov_code sms_dp_on_create(sms_put_context *ctx, cim_instance *inst, smsprov_error *err)
{
    const char *id = sms_string_of(inst, "PackageID");
    smsprov_code rc = check_server(inst, err);
    cim_instance *pkg = NULL;
    if (rc == SMSPROV_OK)
        rc = load_package(ctx, id ? id : "", &pkg, err);
    if (rc == SMSPROV_OK)
        sms_dp_fill_new(ctx->site, inst, pkg);
    cim_instance_free(pkg);
    return rc;
}

smsprov_code sms_dp_on_update(sms_put_context *ctx, cim_instance *inst, smsprov_error *err)
{
    (void)err;
    if (sms_bool_of(ctx->client, "RefreshNow")) {
        cim_instance_take_value(inst, "LastRefreshTime", sms_datetime_now());
        cim_instance_take_value(inst, "Status", cim_value_uint(CIM_TYPE_UINT32, SMS_DP_STATUS_UPDATED));
    }
    cim_instance_take_value(inst, "RefreshNow", cim_value_bool(false));
    return SMSPROV_OK;
}
