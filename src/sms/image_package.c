/* image_package.c - SMS_ImagePackage, a captured OS image (an install.wim
 * of one or more images) deployed to clients:
 *   - a put that creates the package with a PkgSourcePath, changes its
 *     PkgSourcePath or sets RefreshPkgSourceFlag reads the WIM (every
 *     image) into ImageProperty and ImageDiskLayout; a path that is not a
 *     readable WIM fails the put, so nothing is created or changed;
 *   - RefreshPkgSource() reads the WIM again and stamps the refresh
 *     (SourceVersion + 1, SourceDate and LastRefreshTime now);
 *   - RunOfflineServicingManager(...) checks its request and says why there
 *     is nothing to run (SERVICING.md).
 * The WIM is only read: OS images get no OSD binaries. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sms/behaviour.h"
#include "sms/boot_image.h"
#include "osd/inject.h"
#include "osd/wim_read.h"
#include "sms/paths.h"

static smsprov_code invalid_parameter(smsprov_error *err, const char *property, char *sentence)
{
    smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER, "%s", sentence);
    smsprov_error_set_parameter(err, property);
    free(sentence);
    return SMSPROV_E_INVALID_PARAMETER;
}

/* A put answers in put terms: the WIM is a bad value of PkgSourcePath,
 * whatever osd called it (a missing file is not a missing object). */
static smsprov_code bad_source(const smsprov_site *site, const char *windows_path,
                               smsprov_error *err)
{
    sms_path_scrub_error(site, err);
    char *sentence = cim_xasprintf("PkgSourcePath %s is not an OS image the package can use: "
                                   "%s Give the UNC path of a WIM file (install.wim) or of "
                                   "install media holding sources\\install.wim.",
                                   windows_path, err->description ? err->description : "");
    smsprov_error_clear(err);
    return invalid_parameter(err, "PkgSourcePath", sentence);
}

/* What the package keeps of its WIM; PackageSize in KB, as boot images
 * and the console count package sizes. */
static void store_metadata(cim_instance *inst, const sms_os_image_metadata *m)
{
    cim_instance_take_value(inst, "ImageProperty", cim_value_string(m->image_property));
    cim_instance_take_value(inst, "ImageDiskLayout", cim_value_string(m->disk_layout));
    cim_instance_take_value(inst, "PackageSize", cim_value_uint(CIM_TYPE_UINT32, m->size_kb));
}

static bool source_changed(const sms_put_context *ctx, const char *path)
{
    const char *before = ctx->stored ? sms_string_of(ctx->stored, "PkgSourcePath") : NULL;
    return !ctx->stored || !before || strcmp(before, path) != 0;
}

smsprov_code sms_os_image_validate(sms_put_context *ctx, cim_instance *inst, smsprov_error *err)
{
    const char *path = sms_string_of(inst, "PkgSourcePath");
    bool has_source = path && *path;
    bool refresh = ctx->stored && sms_bool_of(ctx->client, "RefreshPkgSourceFlag");
    if (refresh && !has_source)
        return invalid_parameter(err, "PkgSourcePath",
                                 cim_xstrdup("RefreshPkgSourceFlag reads the OS image at "
                                             "PkgSourcePath again, and this package has none; "
                                             "set PkgSourcePath to the WIM first."));
    if (!has_source || (!refresh && !source_changed(ctx, path)))
        return SMSPROV_OK;
    sms_os_image_metadata m;
    /* Inside the transaction: the cheap reads; sms_os_image_before_put
     * verified the data. */
    if (sms_os_image_read(ctx->site, path, "PkgSourcePath", false, &m, err) != SMSPROV_OK)
        return bad_source(ctx->site, path, err);
    store_metadata(inst, &m);
    sms_os_image_clear(&m);
    return SMSPROV_OK;
}

/* A path that does not resolve, or a file that is no WIM, is left to the
 * validate hook, which names it in put terms after the generic checks;
 * here only the data of a WIM that opens is verified. */
static smsprov_code verify_source(smsprov_site *site, const char *path, smsprov_error *err)
{
    char *local = NULL;
    smsprov_error quiet = {0};
    smsprov_code rc = sms_image_local_wim(site, path, "PkgSourcePath", &local, &quiet);
    WIMStruct *wim = NULL;
    if (rc == SMSPROV_OK)
        rc = osd_wim_open(local, &wim, &quiet);
    osd_wim_close(wim);
    smsprov_error_clear(&quiet);
    if (rc != SMSPROV_OK) {
        free(local);
        return SMSPROV_OK;
    }
    osd_verified_sources record = sms_verified_sources(site);
    rc = osd_wim_verify_whole(local, &record, err);
    free(local);
    return rc == SMSPROV_OK ? SMSPROV_OK : bad_source(site, path, err);
}

/* A put that only sets RefreshPkgSourceFlag (a property list without
 * PkgSourcePath) refreshes from the stored path. */
static char *stored_source(smsprov_site *site, const cim_instance *client)
{
    const char *id = sms_string_of(client, "PackageID");
    if (!id || !*id || !sms_bool_of(client, "RefreshPkgSourceFlag"))
        return NULL;
    store_txn *txn = NULL;
    cim_instance *stored = NULL;
    if (store_begin(site->store, false, &txn, NULL) != SMSPROV_OK)
        return NULL;
    (void)store_get(txn, client->cls, client, &stored, NULL);
    store_rollback(txn);
    const char *path = stored ? sms_string_of(stored, "PkgSourcePath") : NULL;
    char *copy = path && *path ? cim_xstrdup(path) : NULL;
    cim_instance_free(stored);
    return copy;
}

smsprov_code sms_os_image_before_put(smsprov_site *site, const cim_instance *client,
                                     smsprov_error *err)
{
    const char *sent = sms_string_of(client, "PkgSourcePath");
    char *from_store = sent ? NULL : stored_source(site, client);
    const char *path = sent ? sent : from_store;
    if (!path || !*path) {
        free(from_store);
        return SMSPROV_OK;
    }
    smsprov_code rc = verify_source(site, path, err);
    free(from_store);
    return rc;
}

/* ---- RefreshPkgSource ---------------------------------------------------- */

static smsprov_code apply_refresh(void *data, cim_instance *inst, smsprov_error *err)
{
    (void)err;
    store_metadata(inst, data);
    sms_package_stamp_refresh(inst);
    return SMSPROV_OK;
}

smsprov_code sms_os_image_refresh(sms_method_call *mc, smsprov_error *err)
{
    if (!mc->target)
        return smsprov_error_set(err, SMSPROV_E_INVALID_OPERATION,
                                 "RefreshPkgSource needs an instance to work on.");
    const char *path = sms_string_of(mc->target, "PkgSourcePath");
    if (!path || !*path) {
        char *relpath = cim_instance_relpath(mc->target);
        smsprov_error_set(err, SMSPROV_E_INVALID_OPERATION,
                          "%s has no PkgSourcePath, so there is no OS image to refresh; set "
                          "PkgSourcePath first.",
                          relpath);
        smsprov_error_set_parameter(err, "PkgSourcePath");
        free(relpath);
        return SMSPROV_E_INVALID_OPERATION;
    }
    /* Read before the write transaction, which then only stores. */
    sms_os_image_metadata m;
    smsprov_code rc = sms_os_image_read(mc->site, path, "PkgSourcePath", true, &m, err);
    if (rc != SMSPROV_OK)
        return rc; /* as ReloadImageProperties answers; invoke scrubs the paths */
    rc = sms_modify_instance(mc->site, mc->target, apply_refresh, &m, err);
    sms_os_image_clear(&m);
    return rc;
}

/* ---- RunOfflineServicingManager ------------------------------------------ */

static smsprov_code bad_method_parameter(smsprov_error *err, const char *param, char *sentence)
{
    smsprov_error_set(err, SMSPROV_E_INVALID_METHOD_PARAMETERS, "%s", sentence);
    smsprov_error_set_parameter(err, param);
    free(sentence);
    return SMSPROV_E_INVALID_METHOD_PARAMETERS;
}

/* The site server by its NetBIOS name or an FQDN starting with it. */
static bool names_site_server(const smsprov_site *site, const char *name)
{
    size_t n = strlen(site->server_name);
    return strncasecmp(name, site->server_name, n) == 0 &&
           (name[n] == '\0' || name[n] == '.');
}

static smsprov_code check_servicing_target(sms_method_call *mc, const cim_class **cls_out,
                                           smsprov_error *err)
{
    const char *site_code = sms_string_of(mc->in, "SiteCode");
    const char *server = sms_string_of(mc->in, "ServerName");
    uint64_t type = sms_uint_of(mc->in, "PackageType");
    if (!site_code || cim_strcasecmp(site_code, mc->site->site_code) != 0)
        return bad_method_parameter(err, "SiteCode",
                                    cim_xasprintf("SiteCode \"%s\" is not this site; this "
                                                  "provider serves site %s.",
                                                  site_code ? site_code : "",
                                                  mc->site->site_code));
    if (!server || !names_site_server(mc->site, server))
        return bad_method_parameter(err, "ServerName",
                                    cim_xasprintf("ServerName \"%s\" is not the site server "
                                                  "of %s, which is %s.",
                                                  server ? server : "", mc->site->site_code,
                                                  mc->site->server_name));
    const char *class_name = type == 257   ? "SMS_ImagePackage"
                             : type == 259 ? "SMS_OperatingSystemInstallPackage"
                                           : NULL;
    if (!class_name)
        return bad_method_parameter(err, "PackageType",
                                    cim_xasprintf("PackageType %llu cannot be serviced offline: "
                                                  "use 257 (OS image) or 259 (OS install "
                                                  "package).",
                                                  (unsigned long long)type));
    return sms_find_class(mc->site, mc->namespace_path, class_name, cls_out, err);
}

static smsprov_code find_package(sms_method_call *mc, const cim_class *cls, smsprov_error *err)
{
    const char *id = sms_string_of(mc->in, "PackageID");
    cim_instance *keys = cim_instance_spawn(cls);
    cim_instance_take_value(keys, "PackageID", cim_value_string(id ? id : ""));
    store_txn *txn = NULL;
    cim_instance *found = NULL;
    smsprov_code rc = store_begin(mc->site->store, false, &txn, err);
    if (rc == SMSPROV_OK) {
        rc = store_get(txn, cls, keys, &found, err);
        store_rollback(txn);
    }
    cim_instance_free(found);
    cim_instance_free(keys);
    if (rc == SMSPROV_E_NOT_FOUND) {
        smsprov_error_clear(err);
        return bad_method_parameter(err, "PackageID",
                                    cim_xasprintf("PackageID \"%s\" names no %s of this site.",
                                                  id ? id : "", cls->name));
    }
    return rc;
}

smsprov_code sms_os_image_run_offline_servicing(sms_method_call *mc, smsprov_error *err)
{
    const cim_class *cls = NULL;
    smsprov_code rc = check_servicing_target(mc, &cls, err);
    if (rc == SMSPROV_OK)
        rc = find_package(mc, cls, err);
    if (rc != SMSPROV_OK)
        return rc;
    /* Offline servicing applies the software updates scheduled for an
     * image.  A success here would claim work that never happens. */
    return smsprov_error_set(err, SMSPROV_E_NOT_SUPPORTED,
                             "Offline servicing applies the software updates scheduled for "
                             "an image, and this provider keeps no software update catalogue "
                             "or servicing schedule, so there is nothing to run for %s; "
                             "nothing was changed.",
                             sms_string_of(mc->in, "PackageID"));
}
