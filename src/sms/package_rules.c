/* package_rules.c - what every SMS_PackageBaseclass child shares: the
 * server-made values of a create, the stamps of an update, and the
 * documented value rules (configmgr-classes.md §2-§5). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sms/behaviour.h"
#include "sms/optional_components.h"
#include "sms/paths.h"

#define PACKAGE_ID_LIMIT 0xFFFFFu /* 5 hex digits after the site code */
#define MAX_SCHEDULE_TOKENS 15

static smsprov_code invalid(smsprov_error *err, const char *property, const char *fmt, ...)
    SMSPROV_PRINTF(3, 4)
    ;

static smsprov_code invalid(smsprov_error *err, const char *property, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    smsprov_error_setv(err, SMSPROV_E_INVALID_PARAMETER, fmt, ap);
    va_end(ap);
    smsprov_error_set_parameter(err, property);
    return SMSPROV_E_INVALID_PARAMETER;
}

static bool value_present(const cim_instance *inst, const char *name)
{
    const cim_value *v = cim_instance_get(inst, name);
    return v && !v->is_null;
}

static uint64_t uint_of(const cim_instance *inst, const char *name)
{
    const cim_value *v = cim_instance_get(inst, name);
    return v && !v->is_null ? v->u.uint : 0;
}

static const char *string_of(const cim_instance *inst, const char *name)
{
    const cim_value *v = cim_instance_get(inst, name);
    return v && !v->is_null ? v->u.string : NULL;
}

static void stamp_new_version(cim_instance *inst)
{
    char *guid = sms_new_guid();
    cim_instance_take_value(inst, "SedoObjectVersion", cim_value_string(guid));
    free(guid);
}

void sms_package_stamp_refresh(cim_instance *inst)
{
    cim_instance_take_value(inst, "SourceVersion", cim_value_uint(CIM_TYPE_UINT32, uint_of(inst, "SourceVersion") + 1));
    /* One instant: the source changed and reached its distribution points
     * together. */
    cim_value now = sms_datetime_now();
    cim_value copy;
    cim_value_copy(&copy, &now);
    cim_instance_take_value(inst, "SourceDate", now);
    cim_instance_take_value(inst, "LastRefreshTime", copy);
    stamp_new_version(inst);
}

/* PackageType is fixed per class: its MOF default (258, 259, ...). */
static void force_package_type(cim_instance *inst)
{
    const cim_property *prop = cim_class_find_property(inst->cls, "PackageType");
    if (prop && !prop->default_value.is_null) {
        cim_value v;
        cim_value_copy(&v, &prop->default_value);
        cim_instance_take_value(inst, "PackageType", v);
    }
}

static smsprov_code assign_package_id(sms_put_context *ctx, cim_instance *inst, smsprov_error *err)
{
    char *counter = cim_xasprintf("PackageID.%s", ctx->site->site_code);
    uint64_t n = 0;
    smsprov_code rc = store_next_counter(ctx->txn, counter, &n, err);
    free(counter);
    if (rc != SMSPROV_OK)
        return rc;
    if (n > PACKAGE_ID_LIMIT)
        return smsprov_error_set(err, SMSPROV_E_FAILED,
                                 "Site %s has used all %u package IDs; no new package can be "
                                 "created.",
                                 ctx->site->site_code, PACKAGE_ID_LIMIT);
    char id[16];
    snprintf(id, sizeof id, "%s%05X", ctx->site->site_code, (unsigned)n);
    cim_instance_take_value(inst, "PackageID", cim_value_string(id));
    return SMSPROV_OK;
}

smsprov_code sms_package_on_create(sms_put_context *ctx, cim_instance *inst, smsprov_error *err)
{
    smsprov_code rc = assign_package_id(ctx, inst, err);
    if (rc != SMSPROV_OK)
        return rc;
    force_package_type(inst);
    cim_instance_take_value(inst, "SourceVersion", cim_value_uint(CIM_TYPE_UINT32, 1));
    cim_instance_take_value(inst, "SourceSite", cim_value_string(ctx->site->site_code));
    cim_instance_take_value(inst, "SourceDate", sms_datetime_now());
    cim_instance_take_value(inst, "LastRefreshTime", sms_datetime_now());
    cim_instance_take_value(inst, "ActionInProgress", cim_value_uint(CIM_TYPE_UINT32, 0));
    cim_instance_take_value(inst, "PackageSize", cim_value_uint(CIM_TYPE_UINT32, 0));
    cim_instance_take_value(inst, "RefreshPkgSourceFlag", cim_value_bool(false));
    cim_value scopes = cim_value_array(CIM_TYPE_STRING);
    cim_value def = cim_value_string("Default");
    cim_value_array_append_take(&scopes, &def);
    cim_instance_take_value(inst, "SecuredScopeNames", scopes);
    cim_instance_take_value(inst, "LocalizedCategoryInstanceNames", cim_value_array(CIM_TYPE_STRING));
    stamp_new_version(inst);
    return SMSPROV_OK;
}

/* Writing RefreshPkgSourceFlag = TRUE is the documented equivalent of
 * calling RefreshPkgSource; the flag itself always reads back FALSE. */
smsprov_code sms_package_on_update(sms_put_context *ctx, cim_instance *inst, smsprov_error *err)
{
    (void)err;
    force_package_type(inst);
    const cim_value *refresh = cim_instance_get(ctx->client, "RefreshPkgSourceFlag");
    bool wants_refresh = refresh && !refresh->is_null && refresh->u.boolean;
    cim_instance_take_value(inst, "RefreshPkgSourceFlag", cim_value_bool(false));
    /* Boot images refresh through a job after the put (boot_image_put.c),
     * which stamps the refresh only when the new content is in place. */
    if (wants_refresh && !sms_behaviour_refresh_builds_content(inst->cls))
        sms_package_stamp_refresh(inst);
    else
        stamp_new_version(inst);
    return SMSPROV_OK;
}

static smsprov_code check_package_type(sms_put_context *ctx, const cim_instance *inst,
                                       smsprov_error *err)
{
    const cim_value *sent = cim_instance_get(ctx->client, "PackageType");
    const cim_value *fixed = cim_instance_get(inst, "PackageType");
    if (sent && !sent->is_null && fixed && !fixed->is_null && sent->u.uint != fixed->u.uint)
        return invalid(err, "PackageType",
                       "PackageType of %s is always %llu; %llu cannot be set.", inst->cls->name,
                       (unsigned long long)fixed->u.uint, (unsigned long long)sent->u.uint);
    return SMSPROV_OK;
}

static smsprov_code check_value_sets(const cim_instance *inst, smsprov_error *err)
{
    if (value_present(inst, "PkgSourceFlag") && uint_of(inst, "PkgSourceFlag") > 4)
        return invalid(err, "PkgSourceFlag",
                       "PkgSourceFlag %llu is not valid: use 0 (STORAGE_NEEDS_SPECIFYING), 1 "
                       "(STORAGE_NO_SOURCE), 2 (STORAGE_DIRECT), 3 (STORAGE_COMPRESS) or 4 "
                       "(STORAGE_LOCAL).",
                       (unsigned long long)uint_of(inst, "PkgSourceFlag"));
    if (value_present(inst, "ShareType")) {
        uint64_t type = uint_of(inst, "ShareType");
        if (type != 1 && type != 2)
            return invalid(err, "ShareType",
                           "ShareType %llu is not valid: use 1 (SHARE_COMMON) or 2 "
                           "(SHARE_SPECIFIC).",
                           (unsigned long long)type);
        const char *share = string_of(inst, "ShareName");
        if (type == 2 && (!share || !*share))
            return invalid(err, "ShareName",
                           "ShareType 2 (SHARE_SPECIFIC) needs a ShareName: name the "
                           "distribution point share to use.");
    }
    if (value_present(inst, "Priority")) {
        uint64_t priority = uint_of(inst, "Priority");
        if (priority < 1 || priority > 3)
            return invalid(err, "Priority",
                           "Priority %llu is not valid: use 1 (HIGH), 2 (NORMAL) or 3 (LOW).",
                           (unsigned long long)priority);
    }
    return SMSPROV_OK;
}

static smsprov_code check_refresh_schedule(const cim_instance *inst, smsprov_error *err)
{
    const cim_value *schedule = cim_instance_get(inst, "RefreshSchedule");
    if (!schedule || schedule->is_null || schedule->u.array.count == 0)
        return SMSPROV_OK;
    if (schedule->u.array.count > MAX_SCHEDULE_TOKENS)
        return invalid(err, "RefreshSchedule",
                       "RefreshSchedule holds %zu schedule tokens; at most %d are allowed.",
                       schedule->u.array.count, MAX_SCHEDULE_TOKENS);
    if (uint_of(inst, "PkgSourceFlag") != 2)
        return invalid(err, "RefreshSchedule",
                       "RefreshSchedule is only allowed when PkgSourceFlag is 2 "
                       "(STORAGE_DIRECT); this package has PkgSourceFlag %llu.",
                       (unsigned long long)uint_of(inst, "PkgSourceFlag"));
    return SMSPROV_OK;
}

static const uint32_t scratch_sizes[] = {32, 64, 128, 256, 512};

static smsprov_code check_scratch_space(const cim_instance *inst, smsprov_error *err)
{
    if (!value_present(inst, "ScratchSpace"))
        return SMSPROV_OK;
    uint64_t mb = uint_of(inst, "ScratchSpace");
    for (size_t i = 0; i < sizeof scratch_sizes / sizeof scratch_sizes[0]; i++)
        if (mb == scratch_sizes[i])
            return SMSPROV_OK;
    return invalid(err, "ScratchSpace",
                   "ScratchSpace %llu MB is not valid: use 32, 64, 128, 256 or 512.",
                   (unsigned long long)mb);
}

static smsprov_code check_optional_components(const cim_instance *inst, smsprov_error *err)
{
    const cim_value *ids = cim_instance_get(inst, "OptionalComponents");
    if (!ids || ids->is_null)
        return SMSPROV_OK;
    /* The check is shared with UpdateOptionalComponents. */
    size_t n = ids->u.array.count;
    uint32_t *list = cim_xcalloc(n ? n : 1, sizeof *list);
    for (size_t i = 0; i < n; i++)
        list[i] = (uint32_t)ids->u.array.items[i].u.uint;
    smsprov_code rc = sms_optional_components_check(list, n, string_of(inst, "Architecture"),
                                                    "OptionalComponents",
                                                    SMSPROV_E_INVALID_PARAMETER, err);
    free(list);
    return rc;
}

/* PkgSourcePath is a path a client names: it must lie under a share, as
 * ImagePath does (paths.h); whether it exists is not checked, as the
 * content may be copied there later.  A value put back unchanged passes,
 * so a boot image whose content the server placed outside every share
 * can still be updated, and so can a package after the shares change. */
static smsprov_code check_source_path(sms_put_context *ctx, const cim_instance *inst,
                                      smsprov_error *err)
{
    const char *path = string_of(inst, "PkgSourcePath");
    if (!path || !*path)
        return SMSPROV_OK;
    const char *before = ctx->stored ? string_of(ctx->stored, "PkgSourcePath") : NULL;
    if (before && strcmp(before, path) == 0)
        return SMSPROV_OK;
    char *local = NULL;
    smsprov_code rc = sms_path_to_local(ctx->site, path, "PkgSourcePath", &local, err);
    free(local);
    return rc;
}

smsprov_code sms_package_validate(sms_put_context *ctx, cim_instance *inst, smsprov_error *err)
{
    smsprov_code rc = check_package_type(ctx, inst, err);
    if (rc == SMSPROV_OK)
        rc = check_value_sets(inst, err);
    if (rc == SMSPROV_OK)
        rc = check_refresh_schedule(inst, err);
    if (rc == SMSPROV_OK)
        rc = check_scratch_space(inst, err);
    if (rc == SMSPROV_OK)
        rc = check_optional_components(inst, err);
    if (rc == SMSPROV_OK)
        rc = check_source_path(ctx, inst, err);
    return rc;
}
