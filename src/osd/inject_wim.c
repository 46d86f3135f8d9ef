/*
 * osd/inject_wim.c - the wimlib side of an injection: export the chosen
 * image as a boot image, update it, write it to a temporary file, verify,
 * rename (spec wim-winpe.md §1, "Recommended flow").
 *
 * Exporting into a new in-memory WIM and writing that once copies the
 * source's compressed data raw, so the cost is about the size of what is
 * added, plus reading the result back to verify it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "osd/fs.h"
#include "osd/inject_internal.h"
#include "osd/wim.h"
#include "smsprov/cim.h"

/* wimlib's progress messages, mapped onto the current phase. */
static enum wimlib_progress_status on_progress(enum wimlib_progress_msg msg,
                                               union wimlib_progress_info *info, void *data)
{
    osd_inject_run *run = data;
    switch (msg) {
    case WIMLIB_PROGRESS_MSG_UPDATE_END_COMMAND:
        osd_run_progress(run, info->update.completed_commands, info->update.total_commands);
        break;
    case WIMLIB_PROGRESS_MSG_WRITE_STREAMS:
        osd_run_progress(run, info->write_streams.completed_bytes,
                         info->write_streams.total_bytes);
        break;
    case WIMLIB_PROGRESS_MSG_VERIFY_STREAMS:
        osd_run_progress(run, info->verify_streams.completed_bytes,
                         info->verify_streams.total_bytes);
        break;
    default:
        break;
    }
    return WIMLIB_PROGRESS_STATUS_CONTINUE;
}

/* Failures reading data point at the input, failures writing at the disk. */
static int32_t win32_code_of(int wimlib_code)
{
    switch (wimlib_code) {
    case WIMLIB_ERR_WRITE:
    case WIMLIB_ERR_OPEN:
    case WIMLIB_ERR_RENAME:
        return OSD_ERROR_WRITE_FAULT;
    case WIMLIB_ERR_READ:
    case WIMLIB_ERR_UNEXPECTED_END_OF_FILE:
    case WIMLIB_ERR_DECOMPRESSION:
    case WIMLIB_ERR_INVALID_RESOURCE_HASH:
    case WIMLIB_ERR_INVALID_METADATA_RESOURCE:
        return OSD_ERROR_CRC;
    case WIMLIB_ERR_NOMEM:
        return 8; /* ERROR_NOT_ENOUGH_MEMORY */
    default:
        return OSD_ERROR_INTERNAL;
    }
}

static smsprov_code wim_failed(osd_inject_failure *failure, smsprov_error *err, int wrc,
                               const char *action, const char *path)
{
    char *detail = cim_xasprintf("%s %s: %s", action, path,
                                 wimlib_get_error_string((enum wimlib_error_code)wrc));
    osd_inject_failure_set(failure, win32_code_of(wrc), detail);
    free(detail);
    return osd_wim_fail(err, SMSPROV_E_FAILED, wrc, action, path);
}

smsprov_code osd_wim_export_boot_image(WIMStruct **src, uint32_t index, const char *source_path,
                                       WIMStruct **out, osd_inject_failure *failure,
                                       smsprov_error *err)
{
    struct wimlib_wim_info info;
    wimlib_get_wim_info(*src, &info);
    WIMStruct *dst = NULL;
    int wrc = wimlib_create_new_wim((enum wimlib_compression_type)info.compression_type, &dst);
    if (wrc == 0)
        wrc = wimlib_set_output_chunk_size(dst, info.chunk_size);
    if (wrc == 0)
        wrc = wimlib_export_image(*src, (int)index, dst, NULL, NULL, WIMLIB_EXPORT_FLAG_BOOT);
    if (wrc != 0) {
        wimlib_free(dst);
        return wim_failed(failure, err, wrc, "Exporting the image from", source_path);
    }
    /* An exported image cannot be updated while the source still holds a
     * reference to it; the new WIM keeps the source file open. */
    wimlib_free(*src);
    *src = NULL;
    *out = dst;
    return SMSPROV_OK;
}

smsprov_code osd_wim_apply_plan(osd_inject_run *run, WIMStruct *wim, osd_inject_plan *plan,
                                osd_inject_failure *failure, smsprov_error *err)
{
    if (plan->command_count == 0)
        return SMSPROV_OK;
    wimlib_register_progress_function(wim, on_progress, run);
    int wrc = wimlib_update_image(wim, 1, plan->commands, plan->command_count,
                                  WIMLIB_UPDATE_FLAG_SEND_PROGRESS);
    if (wrc == 0)
        return SMSPROV_OK;
    /* Sources were checked while planning, so this is a file that vanished
     * or could not be read meanwhile. */
    return wim_failed(failure, err, wrc, "Adding the OSD files to the image for",
                      run->opt->target_wim);
}

static smsprov_code fsync_directory(const char *dir, osd_inject_failure *failure,
                                    smsprov_error *err)
{
    int fd = open(dir, O_RDONLY | O_CLOEXEC | O_DIRECTORY);
    if (fd >= 0 && fsync(fd) == 0) {
        close(fd);
        return SMSPROV_OK;
    }
    int e = errno;
    if (fd >= 0)
        close(fd);
    osd_inject_failure_set(failure, OSD_ERROR_WRITE_FAULT, dir);
    return smsprov_error_set(err, SMSPROV_E_FAILED, "Flushing the folder %s to disk failed: %s.",
                             dir, strerror(e));
}

/* The written WIM must open (header, blob table and XML intact: a torn or
 * truncated file fails here) and hold one bootable image. */
static smsprov_code check_structure(osd_inject_run *run, WIMStruct *wim,
                                    osd_inject_failure *failure, smsprov_error *err)
{
    struct wimlib_wim_info info;
    wimlib_get_wim_info(wim, &info);
    if (info.image_count == 1 && info.boot_index == 1)
        return SMSPROV_OK;
    osd_inject_failure_set(failure, OSD_ERROR_INTERNAL, run->temp_wim);
    return smsprov_error_set(err, SMSPROV_E_FAILED,
                             "The new boot image %s holds %u images with boot index %u; it "
                             "must hold one bootable image.",
                             run->temp_wim, info.image_count, info.boot_index);
}

/* Extracting every path the plan added reads the image's metadata and
 * decompresses each blob this injection wrote, checking its SHA-1.  The
 * data exported from the source WIM is copied as compressed chunks, byte
 * for byte, and is not decompressed again: doing so cost 4x the write on a
 * 300 MB image (README, "Benchmarks") and proves nothing the source WIM
 * did not already hold. */
static int extract_added(WIMStruct *wim, const osd_inject_plan *plan, const char *dir)
{
    size_t n = 0;
    const char **paths = cim_xcalloc(plan->command_count ? plan->command_count : 1,
                                     sizeof *paths);
    for (size_t i = 0; i < plan->command_count; i++)
        if (plan->commands[i].op == WIMLIB_UPDATE_OP_ADD)
            paths[n++] = plan->commands[i].add.wim_target_path;
    int wrc = n ? wimlib_extract_paths(wim, 1, dir, paths, n, 0) : 0;
    free(paths);
    return wrc;
}

static smsprov_code check_added_data(osd_inject_run *run, WIMStruct *wim,
                                     const osd_inject_plan *plan, osd_inject_failure *failure,
                                     smsprov_error *err)
{
    char *dir = cim_xasprintf("%s/verify", run->staging_dir);
    smsprov_code rc = osd_fs_remove_tree(dir, err);
    int wrc = 0;
    if (rc == SMSPROV_OK && mkdir(dir, 0700) != 0)
        rc = smsprov_error_set(err, SMSPROV_E_FAILED, "Cannot create the folder %s: %s.", dir,
                               strerror(errno));
    if (rc == SMSPROV_OK)
        wrc = extract_added(wim, plan, dir);
    if (rc == SMSPROV_OK && wrc != 0)
        rc = wim_failed(failure, err, wrc, "Verifying the new boot image", run->temp_wim);
    smsprov_error scratch = {0};
    osd_fs_remove_tree(dir, &scratch);
    smsprov_error_clear(&scratch);
    free(dir);
    return rc;
}

static smsprov_code verify(osd_inject_run *run, const osd_inject_plan *plan,
                           osd_image_info *image, osd_inject_failure *failure,
                           smsprov_error *err)
{
    WIMStruct *wim = NULL;
    int wrc = wimlib_open_wim_with_progress(run->temp_wim, WIMLIB_OPEN_FLAG_ERROR_IF_SPLIT, &wim,
                                            on_progress, run);
    if (wrc != 0)
        return wim_failed(failure, err, wrc, "Verifying the new boot image", run->temp_wim);
    smsprov_code rc = check_structure(run, wim, failure, err);
    if (rc == SMSPROV_OK)
        rc = check_added_data(run, wim, plan, failure, err);
    if (rc == SMSPROV_OK)
        rc = osd_image_info_from_wim(wim, run->opt->target_wim, 1, image, err);
    if (rc != SMSPROV_OK && !failure->detail)
        osd_inject_failure_set(failure, OSD_ERROR_INVALID_DATA, run->temp_wim);
    wimlib_free(wim);
    return rc;
}

smsprov_code osd_wim_write_verified(osd_inject_run *run, WIMStruct *wim,
                                    const osd_inject_plan *plan, osd_image_info *image,
                                    osd_inject_failure *failure, smsprov_error *err)
{
    osd_run_phase(run, 20, 90, "Writing %s", run->target_name);
    wimlib_register_progress_function(wim, on_progress, run);
    int wrc = wimlib_write(wim, run->temp_wim, WIMLIB_ALL_IMAGES, WIMLIB_WRITE_FLAG_FSYNC, 0);
    if (wrc != 0)
        return wim_failed(failure, err, wrc, "Writing the new boot image", run->temp_wim);
    osd_run_phase(run, 90, 97, "Verifying %s", run->target_name);
    return verify(run, plan, image, failure, err);
}

smsprov_code osd_wim_publish(osd_inject_run *run, osd_inject_failure *failure,
                             smsprov_error *err)
{
    osd_run_phase(run, 97, 100, "Replacing %s", run->target_name);
    if (rename(run->temp_wim, run->opt->target_wim) != 0) {
        int e = errno;
        osd_inject_failure_set(failure, OSD_ERROR_WRITE_FAULT, run->opt->target_wim);
        return smsprov_error_set(err, SMSPROV_E_FAILED, "Renaming %s to %s failed: %s.",
                                 run->temp_wim, run->opt->target_wim, strerror(e));
    }
    /* The rename itself must survive a power cut. */
    char *dir = cim_xstrdup(run->opt->target_wim);
    char *slash = strrchr(dir, '/');
    if (slash)
        *(slash == dir ? slash + 1 : slash) = '\0';
    smsprov_code rc = fsync_directory(slash ? dir : ".", failure, err);
    free(dir);
    if (rc == SMSPROV_OK)
        osd_run_progress(run, 1, 1);
    return rc;
}
