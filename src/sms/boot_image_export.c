/* boot_image_export.c - SMS_BootImagePackage.ExportDefaultBootImage
 * (Architecture, ImageIndex, ExportImagePath), static: builds the default
 * boot image a fresh site makes at install time - image ImageIndex of the
 * ADK's winpe.wim for the architecture, with the OSD binaries and the
 * required optional components - and writes it to ExportImagePath (mapped
 * through the site's shares) through a temporary file, verified and
 * renamed, as every boot image is.
 *
 * It runs as a job on the worker pool; the method waits for it.  The
 * status queue is named by ExportImagePath exactly as the caller wrote it
 * (the method has no ContextID parameter), so the documented sequence -
 * call, poll QueryOSDBinaryInjectionStatus, DeleteContextID - works with
 * what the caller already knows.
 *
 * ExportImagePath is a path to write: it must stay inside its share
 * through every symbolic link (paths.h), checked again once the missing
 * folders are made and the write goes to the folder as resolved then.  An
 * export never replaces a file it did not write (export_record.h): a file
 * at the path is replaced only when it is this site's earlier export,
 * unchanged; anything else is refused and left alone. */
#include <stdlib.h>
#include <string.h>

#include "osd/fs.h"
#include "osd/inject_path.h"
#include "platform/platform.h"
#include "sms/boot_image.h"
#include "sms/export_record.h"
#include "sms/paths.h"

#define WINPE_WIM "en-us\\winpe.wim"
#define ERROR_FILE_EXISTS 80

typedef struct export_job {
    smsprov_site *site;
    osd_arch arch;
    uint32_t index;
    char *target; /* local */
    char *shown;  /* ExportImagePath as the caller wrote it */
} export_job;

static void export_job_free(void *data)
{
    export_job *ej = data;
    free(ej->target);
    free(ej->shown);
    free(ej);
}

typedef struct export_progress {
    jobs_job *job;
    sms_path_scrubber scrub;
} export_progress;

static void forward_progress(void *data, uint32_t percent, const char *text)
{
    export_progress *p = data;
    jobs_progress(p->job, percent > 99 ? 99 : percent, sms_path_scrub_again(&p->scrub, text));
}

static int32_t failed(jobs_job *job, export_job *ej, const osd_inject_failure *failure,
                      smsprov_error *err)
{
    int32_t code = failure->error_code ? failure->error_code : OSD_ERROR_INTERNAL;
    /* The client sees its share paths, never this server's folders. */
    char *detail = sms_path_scrub(ej->site, failure->detail ? failure->detail : "");
    jobs_set_error_info(job, detail);
    free(detail);
    char *why = sms_path_scrub(ej->site, err && err->description ? err->description : "");
    smsprov_error_set(err, SMSPROV_E_FAILED,
                      "Failed to export the default %s boot image to %s (error %d): %s",
                      osd_arch_name(ej->arch), ej->shown, (int)code, why);
    free(why);
    return code;
}

/* The ADK's winpe.wim for the architecture (its path even when missing,
 * so that the injection names what it looked for). */
static smsprov_code find_source(const export_job *ej, char **source,
                                osd_inject_failure *failure, smsprov_error *err)
{
    char *winpe = NULL;
    smsprov_code rc = osd_adk_winpe_folder(ej->site->adk_root, ej->arch, &winpe, failure, err);
    /* A missing winpe.wim is reported by the injection, which names the
     * path it looked for. */
    if (rc == SMSPROV_OK && osd_path_resolve(winpe, WINPE_WIM, source, NULL, NULL) !=
                                SMSPROV_OK && !*source)
        *source = osd_path_join(winpe, WINPE_WIM);
    free(winpe);
    return rc;
}

static char *parent_folder(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash && slash != path ? cim_xasprintf("%.*s", (int)(slash - path), path)
                                  : cim_xstrdup("/");
}

static smsprov_code already_exists(const char *shown, smsprov_error *err)
{
    smsprov_error_set(err, SMSPROV_E_ALREADY_EXISTS,
                      "ExportImagePath %s already exists and is not a boot image this site "
                      "exported there; ExportDefaultBootImage never replaces a file it did not "
                      "write, so delete the file or choose another path.",
                      shown);
    smsprov_error_set_parameter(err, "ExportImagePath");
    return SMSPROV_E_ALREADY_EXISTS;
}

/* Once the missing folders exist: the path resolved again (a folder
 * swapped for a link meanwhile is refused) and the file to write, in the
 * folder as resolved now, so the write does not follow a link made later
 * on the way to it. */
static smsprov_code final_target(export_job *ej, char **out, osd_inject_failure *failure,
                                 smsprov_error *err)
{
    *out = NULL;
    char *again = NULL;
    smsprov_code rc = sms_path_resolve(ej->site, ej->shown, "ExportImagePath", SMS_PATH_WRITE,
                                       &again, NULL, err);
    char *folder = again ? parent_folder(again) : NULL;
    char *real_folder = folder ? platform_real_path(folder) : NULL;
    if (rc == SMSPROV_OK && !real_folder)
        rc = smsprov_error_set(err, SMSPROV_E_FAILED,
                               "The folder of ExportImagePath %s cannot be opened.", ej->shown);
    if (rc == SMSPROV_OK) {
        const char *slash = strrchr(again, '/');
        *out = cim_xasprintf("%s/%s", real_folder, slash ? slash + 1 : again);
        if (platform_exists_nofollow(*out) && !sms_export_is_ours(ej->site, *out)) {
            rc = already_exists(ej->shown, err);
            osd_inject_failure_set(failure, ERROR_FILE_EXISTS, ej->shown);
        }
    } else if (!failure->error_code) {
        osd_inject_failure_set(failure, OSD_ERROR_PATH_NOT_FOUND, ej->shown);
    }
    if (rc != SMSPROV_OK) {
        free(*out);
        *out = NULL;
    }
    free(real_folder);
    free(folder);
    free(again);
    return rc;
}

static int32_t run_export(jobs_job *job, void *data, smsprov_error *err)
{
    export_job *ej = data;
    osd_inject_result res;
    memset(&res, 0, sizeof res);
    char *source = NULL, *target = NULL;
    smsprov_code rc = find_source(ej, &source, &res.failure, err);
    char *folder = parent_folder(ej->target);
    if (rc == SMSPROV_OK) {
        /* The folders to make are checked now, not when the call came. */
        char *checked = NULL;
        rc = sms_path_resolve(ej->site, ej->shown, "ExportImagePath", SMS_PATH_WRITE, &checked,
                              NULL, err);
        free(checked);
        if (rc == SMSPROV_OK)
            rc = osd_fs_make_dirs(folder, err);
        if (rc != SMSPROV_OK)
            osd_inject_failure_set(&res.failure, OSD_ERROR_PATH_NOT_FOUND, ej->shown);
    }
    if (rc == SMSPROV_OK)
        rc = final_target(ej, &target, &res.failure, err);
    export_progress progress = {job, {.site = ej->site}};
    if (rc == SMSPROV_OK) {
        osd_verified_sources verified = sms_verified_sources(ej->site);
        osd_inject_options opt = {
            .source_wim = source,
            .image_index = ej->index,
            .target_wim = target,
            .temp_tag = jobs_pool_runner(ej->site->jobs),
            .adk_root = ej->site->adk_root,
            .configmgr_root = ej->site->configmgr_root,
            .org_name = ej->site->site_name,
            .progress = forward_progress,
            .progress_data = &progress,
            .verified_sources = &verified,
        };
        osd_customization defaults = {.add_components = true}; /* the required ones */
        osd_customize_attach(&opt, &defaults);
        rc = osd_inject(&opt, &res, err);
    }
    sms_path_scrubber_clear(&progress.scrub);
    if (rc == SMSPROV_OK)
        rc = sms_export_remember(ej->site, target, err);
    int32_t code = 0;
    if (rc != SMSPROV_OK) {
        code = failed(job, ej, &res.failure, err);
    } else {
        char *done = cim_xasprintf("The default %s boot image was exported to %s.",
                                   osd_arch_name(ej->arch), ej->shown);
        jobs_progress(job, 100, done);
        free(done);
    }
    osd_inject_result_clear(&res);
    free(target);
    free(folder);
    free(source);
    return code;
}

/* ---- on the caller's thread ---------------------------------------------- */

static smsprov_code bad_param(smsprov_error *err, const char *param, char *sentence)
{
    smsprov_error_set(err, SMSPROV_E_INVALID_METHOD_PARAMETERS, "%s", sentence);
    smsprov_error_set_parameter(err, param);
    free(sentence);
    return SMSPROV_E_INVALID_METHOD_PARAMETERS;
}

static smsprov_code prepare(sms_method_call *mc, export_job **out, smsprov_error *err)
{
    const char *architecture = sms_string_of(mc->in, "Architecture");
    const char *path = sms_string_of(mc->in, "ExportImagePath");
    uint64_t index = sms_uint_of(mc->in, "ImageIndex");
    osd_arch arch;
    if (!architecture || !osd_arch_parse(architecture, &arch))
        return bad_param(err, "Architecture",
                         cim_xasprintf("Architecture \"%s\" is not one of x86, x64 and ia64 (or "
                                       "arm64).",
                                       architecture ? architecture : ""));
    if (arch == OSD_ARCH_IA64)
        return bad_param(err, "Architecture",
                         cim_xstrdup("The Windows ADK has no ia64 WinPE, so there is no ia64 "
                                     "default boot image; use x86, x64 or arm64."));
    if (index == 0)
        return bad_param(err, "ImageIndex",
                         cim_xstrdup("ImageIndex 0 does not exist: the images of a WIM are "
                                     "numbered from 1."));
    char *target = NULL;
    smsprov_code rc = sms_path_resolve(mc->site, path, "ExportImagePath", SMS_PATH_WRITE,
                                       &target, NULL, err);
    if (rc != SMSPROV_OK)
        return rc;
    platform_file_info st;
    if (platform_file_info_get(target, &st) == 0 && st.is_dir) {
        free(target);
        return bad_param(err, "ExportImagePath",
                         cim_xasprintf("ExportImagePath %s is a folder; give the path of the "
                                       ".wim file to write.",
                                       path));
    }
    /* Refused at once; the job checks again where it writes. */
    if (platform_exists_nofollow(target) && !sms_export_is_ours(mc->site, target)) {
        free(target);
        return already_exists(path, err);
    }
    export_job *ej = cim_xcalloc(1, sizeof *ej);
    ej->site = mc->site;
    ej->arch = arch;
    ej->index = (uint32_t)index;
    ej->target = target;
    ej->shown = cim_xstrdup(path);
    *out = ej;
    return SMSPROV_OK;
}

smsprov_code sms_boot_image_export_default(sms_method_call *mc, smsprov_error *err)
{
    export_job *ej = NULL;
    smsprov_code rc = prepare(mc, &ej, err);
    if (rc != SMSPROV_OK)
        return rc;
    jobs_spec spec = {.kind = mc->method->name,
                      .target = ej->shown,
                      .context_id = ej->shown,
                      .caller = mc->call ? mc->call->user : NULL,
                      .run = run_export,
                      .data = ej,
                      .free_data = export_job_free};
    jobs_job *job = NULL;
    rc = jobs_submit(mc->site->jobs, &spec, &job, err);
    if (rc != SMSPROV_OK)
        return rc;
    bool watching = mc->call && mc->call->progress;
    int32_t return_value = 0;
    rc = jobs_wait(job, watching ? sms_watch_job : NULL, (void *)mc->call, &return_value, err);
    jobs_release(job);
    return rc;
}
