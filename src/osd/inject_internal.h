/*
 * osd/inject_internal.h - the steps of osd_inject, one file each.
 */
#ifndef SMSPROV_OSD_INJECT_INTERNAL_H
#define SMSPROV_OSD_INJECT_INTERNAL_H

#include "osd/arch.h"
#include "osd/inject.h"

/* inject_manifest.c: plans every file osdinjection.xml lists for arch. */
smsprov_code osd_plan_osd_binaries(const osd_inject_options *opt, const osd_image_info *image,
                                   osd_arch arch, osd_inject_plan *plan,
                                   osd_inject_failure *failure, smsprov_error *err);
/* The same from an injection list already in memory (xml, len bytes);
 * shown names it in messages.  Errors as osd_plan_osd_binaries, less the
 * missing file. */
smsprov_code osd_plan_osd_binaries_xml(const osd_inject_options *opt, const char *xml, size_t len,
                                       const char *shown, const osd_image_info *image,
                                       osd_arch arch, osd_inject_plan *plan,
                                       osd_inject_failure *failure, smsprov_error *err);

/* inject_shell.c: plans winpeshl.ini (from the ConfigMgr template) and
 * TsBootShell.ini. */
smsprov_code osd_plan_shell_files(const osd_inject_options *opt, osd_arch arch,
                                  osd_inject_plan *plan, osd_inject_failure *failure,
                                  smsprov_error *err);

/* The ConfigMgr folder of the OSD binaries an image of arch runs: arm64
 * images run the x64 binaries (emulated). */
const char *osd_binary_folder(osd_arch arch);

/* inject_temp.c: the temporary WIM and staging folder of one injection
 * into target (see osd_inject_temp_owner). */
void osd_inject_temp_paths(const char *target, const char *tag, char **wim, char **staging);

/* A blob of a WIM's blob table, as inject_verify.c needs it. */
typedef struct osd_blob {
    uint8_t sha1[20];
    uint64_t offset;       /* of its resource in the file (non-solid) */
    uint64_t stored_size;  /* bytes of that resource in the file */
    uint64_t size;         /* uncompressed */
    bool compressed, solid, metadata;
} osd_blob;

typedef struct osd_blob_table {
    osd_blob *items; /* sorted by SHA-1 */
    size_t count;
} osd_blob_table;

typedef struct osd_source_check osd_source_check;

/* One injection under way: its files and its progress. */
typedef struct osd_inject_run {
    const osd_inject_options *opt;
    char *temp_wim;              /* the hidden .partial file */
    char *staging_dir;           /* the hidden .staging folder */
    const char *target_name;     /* the target's file name, for messages */
    uint32_t percent;            /* last progress reported (never goes back) */
    char *phase;                 /* text of the current phase */
    uint32_t phase_start, phase_end; /* its share of 0-100 */
    osd_blob_table source_blobs; /* the source's blob table (inject_verify.c) */
    bool recompress;             /* the source is solid or LZMS: write LZX */
    osd_source_check *source_check; /* verification under way (inject_source.c) */
} osd_inject_run;

/* inject.c: starts a phase covering [start, end] percent, and reports
 * progress inside it (done of total). */
void osd_run_phase(osd_inject_run *run, uint32_t start, uint32_t end, const char *fmt, ...)
    SMSPROV_PRINTF(4, 5)
    ;
void osd_run_progress(osd_inject_run *run, uint64_t done, uint64_t total);

/* inject_source.c: starts verifying image opt->image_index of the source
 * src on worker threads (each with its own WIMStruct), unless
 * opt->verified_sources knows its identity; keeps its blob table in run
 * and sets run->recompress for a solid source.  osd_source_finish waits
 * for the workers (reporting progress when report), records the source
 * when it verified, and fails with OSD_ERROR_FILE_CORRUPT and a sentence
 * saying the source is damaged when it did not.  Call it whatever else
 * failed: with cancel the workers stop early and nothing is recorded or
 * reported; without, a damaged source replaces the failure (it explains
 * it: writing a recompressed source fails on the bad data too). */
smsprov_code osd_source_start(osd_inject_run *run, WIMStruct *src, osd_inject_result *out,
                              smsprov_error *err);
smsprov_code osd_source_finish(osd_inject_run *run, osd_inject_result *out, bool report,
                               bool cancel, smsprov_error *err);
/* inject_verify.c: checks every blob of the written WIM (opened as wim):
 * a raw copy of a source resource is compared with it byte for byte, any
 * other blob is decompressed and its SHA-1 checked (by extracting a path
 * holding it into the staging folder, or wimlib_verify_wim when no path
 * does).  Bad data fails with OSD_ERROR_CRC. */
smsprov_code osd_check_written(osd_inject_run *run, WIMStruct *wim,
                               osd_inject_failure *failure, smsprov_error *err);
/* Reads wim's blob table, sorted by SHA-1; returns a wimlib error code. */
int osd_blob_table_read(WIMStruct *wim, osd_blob_table *out);
const osd_blob *osd_blob_find(const osd_blob_table *table, const uint8_t sha1[20]);
void osd_blob_table_clear(osd_blob_table *table);
/* A fresh private folder to extract bytes into: in memory (a folder
 * under /dev/shm) when they are few and the system has it, else
 * <staging>/<name>.  NULL with *err set when neither can be made. */
char *osd_verify_scratch_dir(osd_inject_run *run, const char *name, uint64_t bytes,
                             smsprov_error *err);
/* Reports VERIFY_STREAMS progress of a wimlib call into run's phase. */
enum wimlib_progress_status osd_on_verify_progress(enum wimlib_progress_msg msg,
                                                   union wimlib_progress_info *info,
                                                   void *run);

/* inject_wim.c: the wimlib steps.  Each records a failure as Win32 code
 * and detail. */
/* Copies image index of *src into a new in-memory WIM, as its boot image,
 * with the same compression (so the data is copied raw) unless
 * run->recompress: then LZX in 32 KiB chunks, non-solid.  *src is freed (the new WIM keeps reading
 * its data from the source file). */
smsprov_code osd_wim_export_boot_image(osd_inject_run *run, WIMStruct **src, WIMStruct **out,
                                       osd_inject_failure *failure, smsprov_error *err);
/* Runs the plan's update commands on image 1 of wim. */
smsprov_code osd_wim_apply_plan(osd_inject_run *run, WIMStruct *wim, osd_inject_plan *plan,
                                osd_inject_failure *failure, smsprov_error *err);
/* Writes wim to run->temp_wim, flushed to disk, then reopens it, checks
 * its structure and its data (osd_check_written), and reads its image
 * into *image.  A full disk fails with OSD_ERROR_DISK_FULL. */
smsprov_code osd_wim_write_verified(osd_inject_run *run, WIMStruct *wim,
                                    const osd_inject_plan *plan, osd_image_info *image,
                                    osd_inject_failure *failure, smsprov_error *err);
/* True when a write into the folder of path failed for want of space:
 * saved_errno is ENOSPC or EDQUOT, or the file system has less than 64 KiB
 * left. */
bool osd_disk_full(int saved_errno, const char *path);
/* Records ERROR_DISK_FULL with a sentence saying the disk holding path is
 * full; returns SMSPROV_E_FAILED. */
smsprov_code osd_disk_full_failure(const char *path, osd_inject_failure *failure,
                                   smsprov_error *err);
/* Renames the verified temporary WIM over the target, durably. */
smsprov_code osd_wim_publish(osd_inject_run *run, osd_inject_failure *failure,
                             smsprov_error *err);

#endif
