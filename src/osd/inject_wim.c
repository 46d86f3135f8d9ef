/*
 * osd/inject_wim.c - the wimlib side of an injection: export the chosen
 * image as a boot image, update it, write it to a temporary file, verify,
 * rename.
 *
 * Exporting into a new in-memory WIM and writing that once copies the
 * source's compressed data raw, so the cost is about the size of what is
 * added, plus reading the result back to verify it (inject_verify.c).  A
 * solid or LZMS source is recompressed to LZX instead.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "osd/fs.h"
#include "osd/inject_internal.h"
#include "osd/wim.h"
#include "platform/platform.h"
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

/* wimlib hides errno behind WIMLIB_ERR_WRITE; it is still set when the
 * call returns (nothing after the failed write touches it), and a file
 * system left with nothing free says the same when it is not. */
bool osd_disk_full(int saved_errno, const char *path)
{
    if (saved_errno == ENOSPC
#ifdef EDQUOT
        || saved_errno == EDQUOT
#endif
    )
        return true;
    char *dir = osd_parent_dir(path);
    uint64_t available = 0;
    bool full = platform_free_bytes(dir, &available) == 0 && available < 64 * 1024;
    free(dir);
    return full;
}

/* Failures reading data point at the input, failures writing at the disk. */
static int32_t win32_code_of(int wimlib_code, int saved_errno, const char *path)
{
    switch (wimlib_code) {
    case WIMLIB_ERR_WRITE:
    case WIMLIB_ERR_OPEN:
    case WIMLIB_ERR_RENAME:
    case WIMLIB_ERR_MKDIR:
        return osd_disk_full(saved_errno, path) ? OSD_ERROR_DISK_FULL : OSD_ERROR_WRITE_FAULT;
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

smsprov_code osd_disk_full_failure(const char *path, osd_inject_failure *failure,
                                   smsprov_error *err)
{
    char *sentence = cim_xasprintf("The disk is full: there is no space left to write %s. "
                                   "Free some space on it and try again; the previous boot "
                                   "image was kept.",
                                   path);
    osd_inject_failure_set(failure, OSD_ERROR_DISK_FULL, sentence);
    smsprov_error_set(err, SMSPROV_E_FAILED, "%s", sentence);
    free(sentence);
    return SMSPROV_E_FAILED;
}

static smsprov_code wim_failed_errno(osd_inject_failure *failure, smsprov_error *err, int wrc,
                                     int saved_errno, const char *action, const char *path)
{
    int32_t code = win32_code_of(wrc, saved_errno, path);
    if (code == OSD_ERROR_DISK_FULL)
        return osd_disk_full_failure(path, failure, err);
    char *detail = cim_xasprintf("%s %s: %s", action, path,
                                 osd_wimlib_error(wrc));
    osd_inject_failure_set(failure, code, detail);
    free(detail);
    return osd_wim_fail(err, SMSPROV_E_FAILED, wrc, action, path);
}

static smsprov_code wim_failed(osd_inject_failure *failure, smsprov_error *err, int wrc,
                               const char *action, const char *path)
{
    return wim_failed_errno(failure, err, wrc, 0, action, path);
}

/* Boot loaders read uncompressed, XPRESS and LZX WIMs in 32 KiB chunks,
 * not solid (ESD) or LZMS ones. */
static bool bootable_layout(const struct wimlib_wim_info *info)
{
    return info->compression_type == WIMLIB_COMPRESSION_TYPE_NONE ||
           ((info->compression_type == WIMLIB_COMPRESSION_TYPE_XPRESS ||
             info->compression_type == WIMLIB_COMPRESSION_TYPE_LZX) &&
            info->chunk_size == 32768);
}

smsprov_code osd_wim_export_boot_image(osd_inject_run *run, WIMStruct **src, WIMStruct **out,
                                       osd_inject_failure *failure, smsprov_error *err)
{
    struct wimlib_wim_info info;
    osd_wimlib_info(*src, &info);
    if (!bootable_layout(&info))
        run->recompress = true;
    WIMStruct *dst = NULL;
    int wrc = 0;
    if (run->recompress) {
        wrc = osd_wimlib_create(WIMLIB_COMPRESSION_TYPE_LZX, &dst);
        if (wrc == 0)
            wrc = osd_wimlib_set_chunk_size(dst, 32768);
    } else {
        wrc = osd_wimlib_create((enum wimlib_compression_type)info.compression_type, &dst);
        if (wrc == 0)
            wrc = osd_wimlib_set_chunk_size(dst, info.chunk_size);
    }
    if (wrc == 0)
        wrc = osd_wimlib_export(*src, (int)run->opt->image_index, dst, WIMLIB_EXPORT_FLAG_BOOT);
    if (wrc != 0) {
        osd_wimlib_free(dst);
        return wim_failed(failure, err, wrc, "Exporting the image from", run->opt->source_wim);
    }
    /* An exported image cannot be updated while the source still holds a
     * reference to it; the new WIM keeps the source file open. */
    osd_wimlib_free(*src);
    *src = NULL;
    *out = dst;
    return SMSPROV_OK;
}

smsprov_code osd_wim_apply_plan(osd_inject_run *run, WIMStruct *wim, osd_inject_plan *plan,
                                osd_inject_failure *failure, smsprov_error *err)
{
    if (plan->command_count == 0)
        return SMSPROV_OK;
    osd_wimlib_progress(wim, on_progress, run);
    int wrc = osd_wimlib_update(wim, 1, plan->commands, plan->command_count,
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
    if (platform_sync_dir(dir) == 0)
        return SMSPROV_OK;
    int e = errno;
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
    osd_wimlib_info(wim, &info);
    if (info.image_count == 1 && info.boot_index == 1)
        return SMSPROV_OK;
    osd_inject_failure_set(failure, OSD_ERROR_INTERNAL, run->temp_wim);
    return smsprov_error_set(err, SMSPROV_E_FAILED,
                             "The new boot image %s holds %u images with boot index %u; it "
                             "must hold one bootable image.",
                             run->temp_wim, info.image_count, info.boot_index);
}

static smsprov_code verify(osd_inject_run *run, osd_image_info *image,
                           osd_inject_failure *failure, smsprov_error *err)
{
    WIMStruct *wim = NULL;
    int wrc = osd_wimlib_open(run->temp_wim, WIMLIB_OPEN_FLAG_ERROR_IF_SPLIT, &wim,
                                            on_progress, run);
    if (wrc != 0)
        return wim_failed(failure, err, wrc, "Verifying the new boot image", run->temp_wim);
    smsprov_code rc = check_structure(run, wim, failure, err);
    if (rc == SMSPROV_OK)
        rc = osd_check_written(run, wim, failure, err);
    if (rc == SMSPROV_OK)
        rc = osd_image_info_from_wim(wim, run->opt->target_wim, 1, image, err);
    if (rc != SMSPROV_OK && !failure->detail)
        osd_inject_failure_set(failure, OSD_ERROR_INVALID_DATA, run->temp_wim);
    osd_wimlib_free(wim);
    return rc;
}

smsprov_code osd_wim_write_verified(osd_inject_run *run, WIMStruct *wim,
                                    const osd_inject_plan *plan, osd_image_info *image,
                                    osd_inject_failure *failure, smsprov_error *err)
{
    (void)plan;
    osd_run_phase(run, 10, 70, run->recompress ? "Writing %s, recompressing to LZX" : "Writing %s",
                  run->target_name);
    osd_wimlib_progress(wim, on_progress, run);
    errno = 0;
    int wrc = osd_wimlib_write(wim, run->temp_wim, WIMLIB_ALL_IMAGES, WIMLIB_WRITE_FLAG_FSYNC, 0);
    int saved_errno = errno;
    if (wrc != 0)
        return wim_failed_errno(failure, err, wrc, saved_errno, "Writing the new boot image",
                                run->temp_wim);
    osd_run_phase(run, 70, 80, "Verifying %s", run->target_name);
    return verify(run, image, failure, err);
}

smsprov_code osd_wim_publish(osd_inject_run *run, osd_inject_failure *failure,
                             smsprov_error *err)
{
    osd_run_phase(run, 97, 100, "Replacing %s", run->target_name);
    if (platform_replace_file(run->temp_wim, run->opt->target_wim) != 0) {
        int e = errno;
        osd_inject_failure_set(failure, OSD_ERROR_WRITE_FAULT, run->opt->target_wim);
        return smsprov_error_set(err, SMSPROV_E_FAILED, "Renaming %s to %s failed: %s.",
                                 run->temp_wim, run->opt->target_wim, strerror(e));
    }
    /* The rename itself must survive a power cut. */
    char *dir = osd_parent_dir(run->opt->target_wim);
    smsprov_code rc = fsync_directory(dir, failure, err);
    free(dir);
    if (rc == SMSPROV_OK)
        osd_run_progress(run, 1, 1);
    return rc;
}
