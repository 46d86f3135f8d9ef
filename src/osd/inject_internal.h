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

/* One injection under way: its files and its progress. */
typedef struct osd_inject_run {
    const osd_inject_options *opt;
    char *temp_wim;              /* the hidden .partial file */
    char *staging_dir;           /* the hidden .staging folder */
    const char *target_name;     /* the target's file name, for messages */
    uint32_t percent;            /* last progress reported (never goes back) */
    char *phase;                 /* text of the current phase */
    uint32_t phase_start, phase_end; /* its share of 0-100 */
} osd_inject_run;

/* inject.c: starts a phase covering [start, end] percent, and reports
 * progress inside it (done of total). */
void osd_run_phase(osd_inject_run *run, uint32_t start, uint32_t end, const char *fmt, ...)
    SMSPROV_PRINTF(4, 5)
    ;
void osd_run_progress(osd_inject_run *run, uint64_t done, uint64_t total);

/* inject_wim.c: the wimlib steps.  Each records a failure as Win32 code
 * and detail. */
/* Copies image index of *src into a new in-memory WIM with the same
 * compression, as its boot image.  *src is freed (the new WIM keeps reading
 * its data from the source file). */
smsprov_code osd_wim_export_boot_image(WIMStruct **src, uint32_t index, const char *source_path,
                                       WIMStruct **out, osd_inject_failure *failure,
                                       smsprov_error *err);
/* Runs the plan's update commands on image 1 of wim. */
smsprov_code osd_wim_apply_plan(osd_inject_run *run, WIMStruct *wim, osd_inject_plan *plan,
                                osd_inject_failure *failure, smsprov_error *err);
/* Writes wim to run->temp_wim, flushed to disk, then reopens it, checks
 * its structure and the data of everything plan added, and reads its image
 * into *image. */
smsprov_code osd_wim_write_verified(osd_inject_run *run, WIMStruct *wim,
                                    const osd_inject_plan *plan, osd_image_info *image,
                                    osd_inject_failure *failure, smsprov_error *err);
/* Renames the verified temporary WIM over the target, durably. */
smsprov_code osd_wim_publish(osd_inject_run *run, osd_inject_failure *failure,
                             smsprov_error *err);

#endif
