/* image_methods.c - package methods about images and distribution, shared
 * by SMS_BootImagePackage, SMS_OperatingSystemInstallPackage and
 * SMS_ImagePackage:
 *   GetImageProperties(SourceImagePath, out ImageProperty)   static: every
 *       image of a WIM as ImageProperty XML
 *   ReloadImageProperties()   re-reads the metadata of the package's WIM
 *       (a boot image: ImagePath/ImageIndex; an OS install or OS image
 *       package: the WIM at PkgSourcePath) and stores it
 *   AddDistributionPoints(SiteCode[], NALPath[])   SMS_DistributionPoint rows
 *   AddChangeNotification()   tells the package's distribution points that
 *       it changed
 * The semantics the docs leave open are written down in SERVICING.md. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "osd/image_info.h"
#include "osd/inject.h"
#include "osd/inject_path.h"
#include "platform/platform.h"
#include "sms/behaviour.h"
#include "sms/boot_image.h"
#include "sms/nal.h"
#include "sms/paths.h"

#define DP_CLASS "SMS_DistributionPoint"

/* ---- finding the WIM ----------------------------------------------------- */

static bool is_directory(const char *path)
{
    platform_file_info st;
    return platform_file_info_get(path, &st) == 0 && st.is_dir;
}

/* OS install packages usually point at the install media folder; its image
 * is sources\install.wim (or install.esd), mapped like the folder so that
 * a link there cannot lead out of the share. */
smsprov_code sms_image_local_wim(const smsprov_site *site, const char *windows_path,
                                 const char *property, char **out, smsprov_error *err)
{
    char *local = NULL;
    smsprov_code rc = sms_path_to_local(site, windows_path, property, &local, err);
    if (rc != SMSPROV_OK || !is_directory(local)) {
        *out = local; /* osd names a missing file; a folder is "is a directory" */
        return rc;
    }
    static const char *const media_images[] = {"sources\\install.wim", "sources\\install.esd"};
    for (size_t i = 0; i < sizeof media_images / sizeof *media_images; i++) {
        char *found = NULL;
        if (osd_path_resolve(local, media_images[i], &found, NULL, NULL) != SMSPROV_OK) {
            free(found);
            continue;
        }
        free(found);
        char *image = cim_xasprintf("%s\\%s", windows_path, media_images[i]);
        rc = sms_path_to_local(site, image, property, &found, err);
        free(image);
        free(local);
        *out = found;
        return rc;
    }
    *out = local;
    return SMSPROV_OK;
}

smsprov_code sms_image_get_properties(sms_method_call *mc, smsprov_error *err)
{
    char *path = NULL, *xml = NULL;
    smsprov_code rc = sms_image_local_wim(mc->site, sms_string_of(mc->in, "SourceImagePath"),
                                "SourceImagePath", &path, err);
    if (rc == SMSPROV_OK)
        rc = osd_read_image_properties(path, &xml, err);
    if (rc == SMSPROV_OK)
        cim_instance_set_string(mc->out, "ImageProperty", xml, NULL);
    free(path);
    free(xml);
    return rc;
}

/* ---- what an OS image package keeps of its WIM ----------------------------- */

static smsprov_code read_os_image(WIMStruct *wim, const char *path, sms_os_image_metadata *out,
                                  smsprov_error *err)
{
    uint32_t count = osd_wim_image_count(wim);
    if (count == 0)
        return smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER,
                                 "The WIM file %s holds no image.", path);
    smsprov_code rc = SMSPROV_OK;
    for (uint32_t i = 1; rc == SMSPROV_OK && i <= count; i++)
        rc = osd_wim_check_image_metadata(wim, path, i, err);
    if (rc == SMSPROV_OK)
        rc = osd_image_properties_xml(wim, path, &out->image_property, err);
    if (rc == SMSPROV_OK)
        rc = osd_image_disk_layouts_xml(wim, path, &out->disk_layout, err);
    platform_file_info st;
    if (rc == SMSPROV_OK && platform_file_info_get(path, &st) == 0)
        out->size_kb = (st.size + 1023) / 1024;
    return rc;
}

smsprov_code sms_os_image_read(smsprov_site *site, const char *windows_path,
                               const char *property, bool verify, sms_os_image_metadata *out,
                               smsprov_error *err)
{
    memset(out, 0, sizeof *out);
    char *path = NULL;
    WIMStruct *wim = NULL;
    smsprov_code rc = sms_image_local_wim(site, windows_path, property, &path, err);
    if (rc == SMSPROV_OK)
        rc = osd_wim_open(path, &wim, err);
    if (rc == SMSPROV_OK)
        rc = read_os_image(wim, path, out, err);
    /* Deployed as it is, so its data must be sound; a source verified
     * before and unchanged since is not read again. */
    osd_verified_sources record = sms_verified_sources(site);
    if (rc == SMSPROV_OK && verify)
        rc = osd_wim_verify_whole(path, &record, err);
    osd_wim_close(wim);
    free(path);
    if (rc != SMSPROV_OK)
        sms_os_image_clear(out);
    return rc;
}

void sms_os_image_clear(sms_os_image_metadata *m)
{
    free(m->image_property);
    free(m->disk_layout);
    memset(m, 0, sizeof *m);
}

/* ---- ReloadImageProperties ----------------------------------------------- */

/* What the WIM says, read before any transaction starts. */
typedef struct image_metadata {
    char *image_property;
    char *disk_layout;     /* boot images only */
    osd_image_info info;   /* boot images only */
    uint64_t size_kb;      /* OS image packages only: PackageSize */
    bool boot_image;
} image_metadata;

static void metadata_clear(image_metadata *m)
{
    free(m->image_property);
    free(m->disk_layout);
    osd_image_info_clear(&m->info);
}

static smsprov_code read_metadata(sms_method_call *mc, image_metadata *m, smsprov_error *err)
{
    const cim_instance *pkg = mc->target;
    m->boot_image = cim_class_find_property(pkg->cls, "ImagePath") != NULL;
    const char *property = m->boot_image ? "ImagePath" : "PkgSourcePath";
    const char *windows_path = sms_string_of(pkg, property);
    if (!windows_path || !*windows_path) {
        char *path = cim_instance_relpath(pkg);
        smsprov_error_set(err, SMSPROV_E_INVALID_OPERATION,
                          "%s has no %s, so there is no WIM to read image properties from; set "
                          "%s first.",
                          path, property, property);
        smsprov_error_set_parameter(err, property);
        free(path);
        return SMSPROV_E_INVALID_OPERATION;
    }
    if (!m->boot_image && cim_class_find_property(pkg->cls, "ImageDiskLayout")) {
        /* An OS image package: every image, checked as its put checks it. */
        sms_os_image_metadata os = {0};
        smsprov_code rc = sms_os_image_read(mc->site, windows_path, property, true, &os, err);
        m->image_property = os.image_property;
        m->disk_layout = os.disk_layout;
        m->size_kb = os.size_kb;
        return rc;
    }
    char *wim = NULL;
    smsprov_code rc = sms_image_local_wim(mc->site, windows_path, property, &wim, err);
    if (rc == SMSPROV_OK)
        rc = osd_read_image_properties(wim, &m->image_property, err);
    if (rc == SMSPROV_OK && m->boot_image) {
        uint64_t index = sms_uint_of(pkg, "ImageIndex");
        uint32_t i = index ? (uint32_t)index : 1;
        rc = osd_read_image_info(wim, i, &m->info, err);
        if (rc == SMSPROV_OK)
            rc = osd_read_image_disk_layout(wim, i, &m->disk_layout, err);
    }
    free(wim);
    return rc;
}

/* The metadata is a mirror of the WIM, not an edit: SedoObjectVersion stays,
 * so the documented sequence (get, ReloadImageProperties, put the object
 * you got) is not refused as stale. */
static void apply_metadata(cim_instance *inst, const image_metadata *m)
{
    cim_instance_take_value(inst, "ImageProperty", cim_value_string(m->image_property));
    if (m->disk_layout)
        cim_instance_take_value(inst, "ImageDiskLayout", cim_value_string(m->disk_layout));
    if (m->size_kb)
        cim_instance_take_value(inst, "PackageSize", cim_value_uint(CIM_TYPE_UINT32, m->size_kb));
    if (!m->boot_image)
        return;
    if (m->info.architecture)
        cim_instance_take_value(inst, "Architecture", cim_value_string(m->info.architecture));
    if (m->info.os_version)
        cim_instance_take_value(inst, "ImageOSVersion", cim_value_string(m->info.os_version));
}

static smsprov_code store_metadata(void *data, cim_instance *inst, smsprov_error *err)
{
    (void)err;
    apply_metadata(inst, data);
    return SMSPROV_OK;
}

smsprov_code sms_image_reload_properties(sms_method_call *mc, smsprov_error *err)
{
    image_metadata m = {0};
    smsprov_code rc = read_metadata(mc, &m, err);
    if (rc == SMSPROV_OK)
        rc = sms_modify_instance(mc->site, mc->target, store_metadata, &m, err);
    metadata_clear(&m);
    return rc;
}

/* ---- distribution points ------------------------------------------------- */


static smsprov_code bad_dp_params(smsprov_error *err, const char *param, char *sentence)
{
    smsprov_error_set(err, SMSPROV_E_INVALID_METHOD_PARAMETERS, "%s", sentence);
    smsprov_error_set_parameter(err, param);
    free(sentence);
    return SMSPROV_E_INVALID_METHOD_PARAMETERS;
}

static smsprov_code check_dp_params(const cim_value *sites, const cim_value *nals,
                                    smsprov_error *err)
{
    size_t n = sites->u.array.count;
    if (n == 0)
        return bad_dp_params(err, "SiteCode",
                             cim_xstrdup("SiteCode and NALPath name no distribution point; give "
                                         "one site code and one NAL path per distribution "
                                         "point."));
    if (nals->u.array.count != n)
        return bad_dp_params(err, "NALPath",
                             cim_xasprintf("SiteCode has %zu entries and NALPath %zu; they "
                                           "pair up, SiteCode[i] with NALPath[i], so give as "
                                           "many of each.",
                                           n, nals->u.array.count));
    for (size_t i = 0; i < n; i++) {
        const cim_value *site = &sites->u.array.items[i], *nal = &nals->u.array.items[i];
        if (site->is_null || !sms_is_site_code(site->u.string))
            return bad_dp_params(err, "SiteCode",
                                 cim_xasprintf("SiteCode[%zu] \"%s\" is not a site code: use "
                                               "three upper-case letters or digits.",
                                               i, site->is_null ? "" : site->u.string));
        if (nal->is_null || !*nal->u.string)
            return bad_dp_params(err, "NALPath",
                                 cim_xasprintf("NALPath[%zu] is empty; give the distribution "
                                               "point's NAL path, e.g. "
                                               "[\"Display=\\\\\\\\DP1\\\\\"]MSWNET:[\"SMS_SITE="
                                               "%s\"]\\\\\\\\DP1\\\\.",
                                               i, site->u.string));
        char *named = sms_nal_site(nal->u.string);
        bool mismatch = named && strcasecmp(named, site->u.string) != 0;
        char *sentence = mismatch ? cim_xasprintf("NALPath[%zu] names site %s but SiteCode[%zu] "
                                                  "is %s; a distribution point's site code must "
                                                  "match its NAL path.",
                                                  i, named, i, site->u.string)
                                  : NULL;
        free(named);
        if (mismatch)
            return bad_dp_params(err, "NALPath", sentence);
    }
    return SMSPROV_OK;
}

static cim_instance *new_dp_row(sms_method_call *mc, const cim_class *dp_cls,
                                const cim_instance *pkg, const char *site_code, const char *nal)
{
    cim_instance *dp = cim_instance_spawn(dp_cls);
    cim_instance_take_value(dp, "PackageID", cim_value_string(sms_string_of(pkg, "PackageID")));
    cim_instance_take_value(dp, "ServerNALPath", cim_value_string(nal));
    cim_instance_take_value(dp, "SiteCode", cim_value_string(site_code));
    sms_dp_fill_new(mc->site, dp, pkg); /* as a put of the same row would */
    return dp;
}

/* Adds the row unless the package is already on that distribution point. */
static smsprov_code add_dp(sms_method_call *mc, store_txn *txn, const cim_class *dp_cls,
                           const cim_instance *pkg, const char *site_code, const char *nal,
                           smsprov_error *err)
{
    cim_instance *dp = new_dp_row(mc, dp_cls, pkg, site_code, nal);
    cim_instance *existing = NULL;
    smsprov_code rc = store_get(txn, dp_cls, dp, &existing, err);
    if (rc == SMSPROV_OK) {
        cim_instance_free(existing); /* already there: keep it as it is */
    } else if (rc == SMSPROV_E_NOT_FOUND) {
        smsprov_error_clear(err);
        rc = sms_validate_instance(dp, NULL, err);
        if (rc == SMSPROV_OK)
            rc = store_insert(txn, dp, err);
    }
    cim_instance_free(dp);
    return rc;
}

smsprov_code sms_package_add_distribution_points(sms_method_call *mc, smsprov_error *err)
{
    const cim_value *sites = cim_instance_get(mc->in, "SiteCode");
    const cim_value *nals = cim_instance_get(mc->in, "NALPath");
    smsprov_code rc = check_dp_params(sites, nals, err);
    const cim_class *dp_cls = NULL;
    if (rc == SMSPROV_OK)
        rc = sms_find_class(mc->site, mc->namespace_path, DP_CLASS, &dp_cls, err);
    store_txn *txn = NULL;
    if (rc == SMSPROV_OK)
        rc = store_begin(mc->site->store, true, &txn, err);
    if (rc != SMSPROV_OK)
        return rc;
    cim_instance *pkg = NULL;
    rc = store_get(txn, mc->target->cls, mc->target, &pkg, err); /* still there? */
    for (size_t i = 0; rc == SMSPROV_OK && i < sites->u.array.count; i++)
        rc = add_dp(mc, txn, dp_cls, pkg, sites->u.array.items[i].u.string,
                    nals->u.array.items[i].u.string, err);
    if (rc == SMSPROV_OK)
        rc = store_commit(txn, err);
    else
        store_rollback(txn);
    cim_instance_free(pkg);
    return rc;
}

/* Every distribution point of the package hears of the change. */
static smsprov_code notify_rows(store_txn *txn, const cim_class *dp_cls, const char *package_id,
                                smsprov_error *err)
{
    store_cond *same_package =
        store_cond_equals(dp_cls, "PackageID", cim_value_string(package_id));
    if (!same_package)
        return SMSPROV_OK; /* a class without PackageID names no package */
    store_query q = {.where_cond = same_package, .limit = -1};
    smsprov_instance_list rows = {0};
    smsprov_code rc = store_select(txn, dp_cls, &q, &rows, err);
    store_cond_free(same_package);
    for (size_t i = 0; rc == SMSPROV_OK && i < rows.count; i++) {
        cim_instance_take_value(rows.items[i], "Status",
                      cim_value_uint(CIM_TYPE_UINT32, SMS_DP_STATUS_UPDATED));
        cim_instance_take_value(rows.items[i], "LastRefreshTime", sms_datetime_now());
        rc = store_update(txn, rows.items[i], err);
    }
    smsprov_instance_list_clear(&rows);
    return rc;
}

smsprov_code sms_package_add_change_notification(sms_method_call *mc, smsprov_error *err)
{
    const cim_class *dp_cls = NULL;
    smsprov_code rc = sms_find_class(mc->site, mc->namespace_path, DP_CLASS, &dp_cls, err);
    store_txn *txn = NULL;
    if (rc == SMSPROV_OK)
        rc = store_begin(mc->site->store, true, &txn, err);
    if (rc != SMSPROV_OK)
        return rc;
    cim_instance *pkg = NULL;
    rc = store_get(txn, mc->target->cls, mc->target, &pkg, err); /* still there? */
    if (rc == SMSPROV_OK)
        rc = notify_rows(txn, dp_cls, sms_string_of(pkg, "PackageID"), err);
    if (rc == SMSPROV_OK)
        rc = store_commit(txn, err);
    else
        store_rollback(txn);
    cim_instance_free(pkg);
    return rc;
}
