/*
 * osd/inject.c - OSD binary injection, step by step:
 *
 *   read the source image        0-2 %   then its verification starts beside
 *                                         the rest (skipped when on record)
 *   plan the files               2-5 %    osdinjection.xml, shell files, customize
 *   export and update            5-10 %   hive edits, then the update commands
 *   write the temporary WIM      10-70 %
 *   verify it                    70-80 %
 *   wait for the source's check  80-90 %
 *   rename it over the target    97-100 %
 */
#include "osd/inject.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "osd/fs.h"
#include "osd/inject_internal.h"
#include "osd/wim.h"
#include "platform/platform.h"
#include "smsprov/cim.h"

/* ---- progress ------------------------------------------------------------ */

static void report(osd_inject_run *run, uint32_t percent)
{
    if (percent < run->percent)
        percent = run->percent;
    if (percent > 100)
        percent = 100;
    run->percent = percent;
    if (run->opt->progress)
        run->opt->progress(run->opt->progress_data, percent, run->phase ? run->phase : "");
}

void osd_run_phase(osd_inject_run *run, uint32_t start, uint32_t end, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char text_buf[512];
    vsnprintf(text_buf, sizeof text_buf, fmt, ap);
    va_end(ap);
    char *text = cim_xstrdup(text_buf);
    free(run->phase);
    run->phase = text;
    run->phase_start = start;
    run->phase_end = end;
    report(run, start);
}

void osd_run_progress(osd_inject_run *run, uint64_t done, uint64_t total)
{
    if (total == 0)
        return;
    if (done > total)
        done = total;
    uint64_t span = run->phase_end - run->phase_start;
    uint32_t percent = run->phase_start + (uint32_t)(span * done / total);
    if (percent != run->percent)
        report(run, percent);
}

/* ---- checks -------------------------------------------------------------- */

static smsprov_code bad_option(osd_inject_failure *failure, smsprov_error *err,
                               const char *sentence)
{
    osd_inject_failure_set(failure, OSD_ERROR_INVALID_PARAMETER, sentence);
    return smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER, "%s", sentence);
}

static bool same_file(const char *a, const char *b)
{
    platform_file_info sa, sb;
    return platform_file_info_get(a, &sa) == 0 && platform_file_info_get(b, &sb) == 0 &&
           sa.device == sb.device && sa.inode == sb.inode;
}

static smsprov_code check_options(const osd_inject_options *opt, osd_inject_failure *failure,
                                  smsprov_error *err)
{
    if (!opt->source_wim || !*opt->source_wim)
        return bad_option(failure, err, "No source WIM was given to inject into.");
    if (!opt->target_wim || !*opt->target_wim)
        return bad_option(failure, err, "No target WIM was given for the boot image.");
    if (opt->image_index == 0)
        return bad_option(failure, err,
                          "Image index 0 does not exist; image indexes start at 1.");
    if (same_file(opt->source_wim, opt->target_wim))
        return bad_option(failure, err,
                          "The source WIM is the boot image's own content WIM; the source is "
                          "never changed, so import from another file.");
    return SMSPROV_OK;
}

/* Opens the source read-only and reads the chosen image's facts. */
static smsprov_code read_source(osd_inject_run *run, WIMStruct **wim, osd_image_info *info,
                                osd_arch *arch, osd_inject_failure *failure, smsprov_error *err)
{
    const osd_inject_options *opt = run->opt;
    osd_run_phase(run, 0, 2, "Reading image %u of %s", opt->image_index, opt->source_wim);
    smsprov_code rc = osd_wim_open(opt->source_wim, wim, err);
    if (rc == SMSPROV_OK) {
        rc = osd_wim_check_index(*wim, opt->source_wim, opt->image_index, err);
        if (rc != SMSPROV_OK) {
            /* The WIM is fine; the caller asked for an index it lacks. */
            osd_inject_failure_set(failure, OSD_ERROR_INVALID_PARAMETER, opt->source_wim);
            return rc;
        }
    }
    if (rc == SMSPROV_OK)
        rc = osd_image_info_from_wim(*wim, opt->source_wim, opt->image_index, info, err);
    if (rc != SMSPROV_OK) {
        int32_t code = rc == SMSPROV_E_NOT_FOUND       ? OSD_ERROR_FILE_NOT_FOUND
                       : rc == SMSPROV_E_ACCESS_DENIED ? OSD_ERROR_ACCESS_DENIED
                                                       : OSD_ERROR_INVALID_DATA;
        osd_inject_failure_set(failure, code, opt->source_wim);
        return rc;
    }
    if (!info->architecture || !osd_arch_parse(info->architecture, arch)) {
        osd_inject_failure_set(failure, OSD_ERROR_NOT_SUPPORTED, opt->source_wim);
        return smsprov_error_set(err, SMSPROV_E_NOT_SUPPORTED,
                                 "Image %u of %s records no processor architecture that boot "
                                 "images support (x86, x64, arm64); it is not a WinPE image.",
                                 opt->image_index, opt->source_wim);
    }
    return SMSPROV_OK;
}

static smsprov_code plan_files(osd_inject_run *run, const osd_image_info *info, osd_arch arch,
                               osd_inject_plan *plan, osd_inject_failure *failure,
                               smsprov_error *err)
{
    const osd_inject_options *opt = run->opt;
    osd_run_phase(run, 2, 5, "Collecting the OSD binaries for the %s image", osd_arch_name(arch));
    smsprov_code rc = osd_fs_make_dirs(run->staging_dir, err);
    if (rc != SMSPROV_OK) {
        osd_inject_failure_set(failure, OSD_ERROR_WRITE_FAULT, run->staging_dir);
        return rc;
    }
    osd_plan_init(plan, run->staging_dir);
    rc = osd_plan_osd_binaries(opt, info, arch, plan, failure, err);
    if (rc == SMSPROV_OK)
        rc = osd_plan_shell_files(opt, arch, plan, failure, err);
    if (rc == SMSPROV_OK && opt->customize)
        rc = opt->customize(opt->customize_data, info, plan, failure, err);
    return rc;
}

static smsprov_code build(osd_inject_run *run, osd_inject_result *out, smsprov_error *err)
{
    osd_inject_failure *failure = &out->failure;
    WIMStruct *src = NULL, *dst = NULL;
    osd_image_info source_info = {0};
    osd_arch arch = OSD_ARCH_X64;
    osd_inject_plan plan = {0};
    smsprov_code rc = read_source(run, &src, &source_info, &arch, failure, err);
    if (rc == SMSPROV_OK)
        rc = osd_source_start(run, src, out, err);
    if (rc == SMSPROV_OK)
        rc = plan_files(run, &source_info, arch, &plan, failure, err);
    if (rc == SMSPROV_OK) {
        osd_run_phase(run, 5, 10, "Adding %u files to the image", plan.files_added);
        rc = osd_wim_export_boot_image(run, &src, &dst, failure, err);
    }
    if (rc == SMSPROV_OK)
        rc = osd_plan_apply_hive_edits(&plan, dst, run->opt->source_wim, failure, err);
    if (rc == SMSPROV_OK)
        rc = osd_wim_apply_plan(run, dst, &plan, failure, err);
    if (rc == SMSPROV_OK)
        rc = osd_wim_write_verified(run, dst, &plan, &out->image, failure, err);
    osd_wimlib_free(dst);
    osd_wimlib_free(src);
    /* Always joined.  A failure that bad data may explain (the write of a
     * recompressed source reads it) waits for the verdict; any other stops
     * the verification. */
    bool cancel = rc != SMSPROV_OK && failure->error_code != OSD_ERROR_CRC;
    smsprov_code source_rc = osd_source_finish(run, out, rc == SMSPROV_OK, cancel, err);
    if (source_rc != SMSPROV_OK)
        rc = source_rc;
    if (rc == SMSPROV_OK)
        rc = osd_wim_publish(run, failure, err);
    if (rc == SMSPROV_OK) {
        platform_file_info st;
        out->recompressed = run->recompress;
        out->wim_bytes = platform_file_kind(run->opt->target_wim, &st) == 0 ? st.size : 0;
        out->files_added = plan.files_added;
    }
    osd_plan_clear(&plan);
    osd_image_info_clear(&source_info);
    return rc;
}

smsprov_code osd_inject(const osd_inject_options *opt, osd_inject_result *out,
                        smsprov_error *err)
{
    memset(out, 0, sizeof *out);
    smsprov_code rc = check_options(opt, &out->failure, err);
    if (rc != SMSPROV_OK)
        return rc;
    rc = osd_wimlib_require(err);
    if (rc != SMSPROV_OK) {
        osd_inject_failure_set(&out->failure, OSD_ERROR_NOT_SUPPORTED, err && err->description ? err->description : "wimlib");
        return rc;
    }
    osd_inject_run run = {.opt = opt};
    const char *slash = platform_last_separator(opt->target_wim);
    run.target_name = slash ? slash + 1 : opt->target_wim;
    osd_inject_temp_paths(opt->target_wim, opt->temp_tag, &run.temp_wim, &run.staging_dir);

    rc = build(&run, out, err);
    if (rc != SMSPROV_OK) {
        /* Any write that failed on a full disk (the WIM, the staging files,
         * the verification's extraction) says so; asked before the
         * temporary WIM goes and frees its space. */
        if (out->failure.error_code == OSD_ERROR_WRITE_FAULT &&
            osd_disk_full(0, opt->target_wim)) {
            smsprov_error_clear(err);
            osd_disk_full_failure(opt->target_wim, &out->failure, err);
        }
        platform_unlink(run.temp_wim);
        osd_image_info_clear(&out->image);
        if (out->failure.error_code == 0)
            osd_inject_failure_set(&out->failure, OSD_ERROR_INTERNAL,
                                   err && err->description ? err->description : run.phase);
    }
    osd_fs_remove_tree(run.staging_dir, NULL);
    free(run.temp_wim);
    free(run.staging_dir);
    free(run.phase);
    osd_blob_table_clear(&run.source_blobs);
    return rc;
}
