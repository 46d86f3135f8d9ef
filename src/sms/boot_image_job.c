/* boot_image_job.c - the job that (re)builds a boot image package's
 * content WIM: OSD binary injection from ImagePath/ImageIndex into
 * boot.<PackageID>.wim, then the package values that describe it.
 *
 * The job runs on the site's worker pool; the caller (a put or a method)
 * waits for it, and any connection can follow it through the status queue
 * of its context ID. */
#include <stdlib.h>
#include <string.h>

#include "osd/fs.h"
#include "osd/image_info.h"
#include "osd/inject.h"
#include "sms/behaviour.h"
#include "sms/boot_image.h"
#include "sms/paths.h"

/* Injection takes 0-95 % of the job; storing the values the rest. */
#define INJECT_SHARE 95
#define ERROR_NOT_FOUND 1168 /* the package was deleted while the job ran */

typedef struct inject_job {
    smsprov_site *site;
    cim_instance *keys;  /* the package as it was when the job started */
    char *path;          /* its object path, for messages */
    sms_inject_kind kind;
    char *source;        /* local path of the source WIM */
    uint32_t index;
    bool lab_shell;
    char *target;        /* local path of boot.<PackageID>.wim */
    /* The WinPE customisation, and the OptionalComponents that
     * UpdateOptionalComponents stores when the content is in place. */
    sms_customization custom;
    cim_value *new_components;
} inject_job;

static void inject_job_free(void *data)
{
    inject_job *ij = data;
    sms_customization_clear(&ij->custom);
    if (ij->new_components) {
        cim_value_clear(ij->new_components);
        free(ij->new_components);
    }
    cim_instance_free(ij->keys);
    free(ij->path);
    free(ij->source);
    free(ij->target);
    free(ij);
}

const char *sms_string_of(const cim_instance *inst, const char *name)
{
    const cim_value *v = cim_instance_get(inst, name);
    return v && !v->is_null ? v->u.string : NULL;
}

uint64_t sms_uint_of(const cim_instance *inst, const char *name)
{
    const cim_value *v = cim_instance_get(inst, name);
    return v && !v->is_null ? v->u.uint : 0;
}

bool sms_bool_of(const cim_instance *inst, const char *name)
{
    const cim_value *v = cim_instance_get(inst, name);
    return v && !v->is_null && v->u.boolean;
}

char *sms_boot_image_content_path(const smsprov_site *site, const char *package_id)
{
    return cim_xasprintf("%s/boot.%s.wim", site->content_root, package_id);
}

/* ---- on the worker ------------------------------------------------------- */

typedef struct inject_progress {
    jobs_job *job;
    sms_path_scrubber scrub;
} inject_progress;

/* Status texts name the client's share paths, never this server's folders. */
static void forward_progress(void *data, uint32_t percent, const char *text)
{
    inject_progress *p = data;
    jobs_progress(p->job, percent * INJECT_SHARE / 100, sms_path_scrub_again(&p->scrub, text));
}

/* The values that describe the new content, and the stamps of the change. */
static void describe_content(inject_job *ij, cim_instance *inst, const osd_inject_result *res,
                             const char *image_property, const char *disk_layout)
{
    char *client_path = sms_path_for_client(ij->site, ij->target);
    cim_instance_take_value(inst, "PkgSourcePath", cim_value_string(client_path));
    free(client_path);
    cim_instance_take_value(inst, "PkgSourceFlag", cim_value_uint(CIM_TYPE_UINT32, 2)); /* STORAGE_DIRECT */
    /* PackageSize is in KB, as the console shows package sizes. */
    cim_instance_take_value(inst, "PackageSize",
                  cim_value_uint(CIM_TYPE_UINT32, (res->wim_bytes + 1023) / 1024));
    cim_instance_take_value(inst, "Architecture", cim_value_string(res->image.architecture));
    if (res->image.os_version)
        cim_instance_take_value(inst, "ImageOSVersion", cim_value_string(res->image.os_version));
    cim_instance_take_value(inst, "ImageProperty", cim_value_string(image_property));
    cim_instance_take_value(inst, "ImageDiskLayout", cim_value_string(disk_layout));
    if (ij->new_components) {
        cim_value copy;
        cim_value_copy(&copy, ij->new_components);
        cim_instance_take_value(inst, "OptionalComponents", copy);
    }
    const char *language = sms_string_of(inst, "Language");
    char *languages = osd_image_language_list(&res->image);
    if ((!language || !*language) && languages)
        cim_instance_take_value(inst, "Language", cim_value_string(languages));
    free(languages);
    if (ij->kind == SMS_INJECT_REFRESH) {
        sms_package_stamp_refresh(inst);
    } else {
        cim_instance_take_value(inst, "SourceDate", sms_datetime_now());
        cim_instance_take_value(inst, "LastRefreshTime", sms_datetime_now());
        char *guid = sms_new_guid();
        cim_instance_take_value(inst, "SedoObjectVersion", cim_value_string(guid));
        free(guid);
    }
}

typedef struct content_values {
    inject_job *ij;
    const osd_inject_result *res;
    const char *image_property, *disk_layout;
} content_values;

static smsprov_code store_content_values(void *data, cim_instance *inst, smsprov_error *err)
{
    (void)err;
    content_values *v = data;
    describe_content(v->ij, inst, v->res, v->image_property, v->disk_layout);
    return SMSPROV_OK;
}

static smsprov_code store_content(inject_job *ij, const osd_inject_result *res,
                                  smsprov_error *err)
{
    char *image_property = NULL, *disk_layout = NULL;
    smsprov_code rc = osd_read_image_properties(ij->source, &image_property, err);
    if (rc == SMSPROV_OK)
        rc = osd_read_image_disk_layout(ij->source, ij->index, &disk_layout, err);
    content_values values = {ij, res, image_property, disk_layout};
    if (rc == SMSPROV_OK)
        rc = sms_modify_instance(ij->site, ij->keys, store_content_values, &values, err);
    free(image_property);
    free(disk_layout);
    return rc;
}

static int32_t injection_failed(jobs_job *job, inject_job *ij, osd_inject_result *res,
                                smsprov_error *err)
{
    int32_t code = res->failure.error_code ? res->failure.error_code : OSD_ERROR_INTERNAL;
    char *detail = sms_path_scrub(ij->site, res->failure.detail ? res->failure.detail : "");
    jobs_set_error_info(job, detail);
    free(detail);
    /* The real provider's words, then what exactly went wrong (in the
     * client's paths). */
    char *why = sms_path_scrub(ij->site, err && err->description ? err->description : "");
    smsprov_error_set(err, SMSPROV_E_FAILED,
                      "Failed to insert OSD binaries into the WIM file of %s (error %d): %s",
                      ij->path, (int)code, why);
    smsprov_error_set_object(err, ij->path);
    free(why);
    return code;
}

static int32_t build_content(jobs_job *job, inject_job *ij, smsprov_error *err)
{
    inject_progress progress = {job, {.site = ij->site}};
    osd_verified_sources verified = sms_verified_sources(ij->site);
    osd_inject_options opt = {
        .source_wim = ij->source,
        .image_index = ij->index,
        .target_wim = ij->target,
        .temp_tag = jobs_pool_runner(ij->site->jobs),
        .adk_root = ij->site->adk_root,
        .configmgr_root = ij->site->configmgr_root,
        .enable_debug_shell = ij->lab_shell,
        .org_name = ij->site->site_name,
        .progress = forward_progress,
        .progress_data = &progress,
        .verified_sources = &verified,
    };
    osd_customize_attach(&opt, &ij->custom.osd);
    osd_inject_result res;
    memset(&res, 0, sizeof res);
    smsprov_code rc = osd_fs_make_dirs(ij->site->content_root, err);
    if (rc == SMSPROV_OK)
        rc = osd_inject(&opt, &res, err);
    else
        osd_inject_failure_set(&res.failure, OSD_ERROR_PATH_NOT_FOUND, ij->site->content_root);
    sms_path_scrubber_clear(&progress.scrub);
    if (rc != SMSPROV_OK) {
        int32_t code = injection_failed(job, ij, &res, err);
        osd_inject_result_clear(&res);
        return code;
    }
    jobs_progress(job, INJECT_SHARE + 1, "Saving the boot image package values");
    rc = store_content(ij, &res, err);
    osd_inject_result_clear(&res);
    if (rc == SMSPROV_E_NOT_FOUND) {
        /* Deleted meanwhile: its content must not outlive it. */
        remove(ij->target);
        smsprov_error_set(err, SMSPROV_E_NOT_FOUND,
                          "%s was deleted while its boot image was being built; the new "
                          "content was discarded.",
                          ij->path);
        jobs_set_error_info(job, ij->path);
        return ERROR_NOT_FOUND;
    }
    if (rc != SMSPROV_OK) {
        jobs_set_error_info(job, ij->path);
        return OSD_ERROR_INTERNAL;
    }
    char *done = cim_xasprintf("The boot image %s was %s.", ij->path,
                               ij->kind == SMS_INJECT_IMPORT ? "imported" : "updated");
    jobs_progress(job, 100, done);
    free(done);
    return 0;
}

static int32_t run_injection(jobs_job *job, void *data, smsprov_error *err)
{
    inject_job *ij = data;
    int32_t code = build_content(job, ij, err);
    if (code != 0) /* reading the source's metadata names it too */
        sms_path_scrub_error(ij->site, err);
    return code;
}

/* ---- on the caller's thread ---------------------------------------------- */

bool sms_watch_job(void *data, uint32_t progress, uint32_t max, const char *text)
{
    const smsprov_call *call = data;
    call->progress(call->progress_data, progress, max, text);
    return !(call->client_gone && call->client_gone(call->progress_data));
}

static smsprov_code prepare(smsprov_site *site, const cim_instance *package,
                            sms_inject_kind kind, const cim_value *components, inject_job **out,
                            smsprov_error *err)
{
    *out = NULL;
    const char *image_path = sms_string_of(package, "ImagePath");
    const char *package_id = sms_string_of(package, "PackageID");
    char *path = cim_instance_relpath(package);
    if (!image_path || !*image_path) {
        smsprov_error_set(err, SMSPROV_E_INVALID_OPERATION,
                          "%s has no ImagePath, so there is no WIM to build its boot image "
                          "from; set ImagePath (and ImageIndex) first.",
                          path);
        smsprov_error_set_parameter(err, "ImagePath");
        free(path);
        return SMSPROV_E_INVALID_OPERATION;
    }
    char *source = NULL;
    smsprov_code rc = sms_path_to_local(site, image_path, "ImagePath", &source, err);
    if (rc != SMSPROV_OK) {
        free(path);
        return rc;
    }
    inject_job *ij = cim_xcalloc(1, sizeof *ij);
    ij->site = site;
    ij->keys = cim_instance_clone(package);
    ij->path = path;
    ij->kind = kind;
    ij->source = source;
    uint64_t index = sms_uint_of(package, "ImageIndex");
    ij->index = index ? (uint32_t)index : 1;
    ij->lab_shell = sms_bool_of(package, "EnableLabShell");
    ij->target = sms_boot_image_content_path(site, package_id ? package_id : "");
    /* The customisation reads the job's own copy of the package. */
    rc = sms_customization_load(site, ij->keys, components, &ij->custom, err);
    if (rc == SMSPROV_OK && components) {
        ij->new_components = cim_xcalloc(1, sizeof *ij->new_components);
        cim_value_copy(ij->new_components, components);
    }
    if (rc != SMSPROV_OK) {
        inject_job_free(ij);
        return rc;
    }
    *out = ij;
    return SMSPROV_OK;
}

static smsprov_code inject(smsprov_site *site, const smsprov_call *call,
                           const cim_instance *package, sms_inject_kind kind,
                           const cim_value *components, const char *method,
                           const char *context_id, smsprov_error *err)
{
    inject_job *ij = NULL;
    smsprov_code rc = prepare(site, package, kind, components, &ij, err);
    if (rc != SMSPROV_OK)
        return rc;
    jobs_spec spec = {.kind = method,
                      .target = ij->path,
                      .context_id = context_id,
                      .caller = call ? call->user : NULL,
                      .run = run_injection,
                      .data = ij,
                      .free_data = inject_job_free};
    jobs_job *job = NULL;
    rc = jobs_submit(site->jobs, &spec, &job, err);
    if (rc != SMSPROV_OK)
        return rc;
    bool watching = call && call->progress;
    int32_t return_value = 0;
    rc = jobs_wait(job, watching ? sms_watch_job : NULL, (void *)call, &return_value, err);
    jobs_release(job);
    return rc;
}

smsprov_code sms_boot_image_inject(smsprov_site *site, const smsprov_call *call,
                                   const cim_instance *package, sms_inject_kind kind,
                                   const char *method, const char *context_id,
                                   smsprov_error *err)
{
    return inject(site, call, package, kind, NULL, method, context_id, err);
}

smsprov_code sms_boot_image_inject_components(smsprov_site *site, const smsprov_call *call,
                                              const cim_instance *package,
                                              const cim_value *components, const char *method,
                                              const char *context_id, smsprov_error *err)
{
    return inject(site, call, package, SMS_INJECT_REFRESH, components, method, context_id, err);
}
