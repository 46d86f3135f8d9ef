/*
 * osd/inject_plan.h - what one injection changes in an image: a list of
 * wimlib update commands (files and folders to add, paths to delete) and a
 * list of registry hive edits, applied together in one update of the
 * exported image and one write.
 *
 * The OSD binaries, the shell files and later customisations (drivers,
 * optional components, scratch space, ...) all add to the same plan.
 * Paths inside the image are Windows paths relative to its root
 * ("sms\\bin\\x64\\TsBootShell.exe"), matched case-insensitively.
 */
#ifndef SMSPROV_OSD_INJECT_PLAN_H
#define SMSPROV_OSD_INJECT_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <wimlib.h>

#include "osd/wim_backend.h"

#include "smsprov/error.h"

/* Why a step failed, as QueryOSDBinaryInjectionStatus reports it. */
typedef struct osd_inject_failure {
    int32_t error_code; /* Win32 code: 2 file not found, 3 path not found, ... */
    char *detail;       /* ExtendedErrorInfo: the file or step that failed */
} osd_inject_failure;

/* Records a failure (replacing an earlier one). */
void osd_inject_failure_set(osd_inject_failure *failure, int32_t error_code, const char *detail);
void osd_inject_failure_clear(osd_inject_failure *failure);

/* One value to set in a hive of the image. */
typedef struct osd_hive_edit {
    char *hive;     /* image path of the hive, "Windows\\System32\\config\\SYSTEM" */
    char *key;      /* key path inside the hive, "ControlSet001\\Services\\FBWF" */
    char *name;     /* value name */
    bool is_string; /* REG_SZ string, else REG_DWORD dword */
    char *string;
    uint32_t dword;
} osd_hive_edit;

typedef struct osd_inject_plan {
    char *staging_dir;                 /* a private folder for generated files */
    osd_wim_command *commands;
    size_t command_count, command_cap;
    osd_hive_edit *edits;
    size_t edit_count;
    uint32_t files_added;              /* files (not folders) the adds bring in */
    unsigned staged;                   /* generated files so far, for unique names */
} osd_inject_plan;

/* An empty plan staging its generated files in staging_dir (which must
 * exist). */
void osd_plan_init(osd_inject_plan *plan, const char *staging_dir);
void osd_plan_clear(osd_inject_plan *plan);

/* Adds the local file local_path as image_path (replacing what is there). */
void osd_plan_add_file(osd_inject_plan *plan, const char *local_path, const char *image_path);
/* Adds the local folder local_dir, merged into the image folder image_dir;
 * file_count is how many files it holds. */
void osd_plan_add_folder(osd_inject_plan *plan, const char *local_dir, const char *image_dir,
                         uint32_t file_count);
/* Adds a file holding text as image_path, writing it to the staging folder. */
smsprov_code osd_plan_add_text(osd_inject_plan *plan, const char *image_path, const char *text,
                               smsprov_error *err);
/* Deletes image_path (a file, or a folder with everything in it) if present. */
void osd_plan_delete(osd_inject_plan *plan, const char *image_path);
/* Sets a value in a hive of the image. */
void osd_plan_set_dword(osd_inject_plan *plan, const char *hive, const char *key,
                        const char *name, uint32_t value);
void osd_plan_set_string(osd_inject_plan *plan, const char *hive, const char *key,
                         const char *name, const char *value);

/* Extracts every hive the edits touch from image 1 of wim into the staging
 * folder, applies the edits with hivex, and adds commands putting the
 * edited hives back and deleting their stale .LOG1/.LOG2 transaction logs.
 * image_name only names the image in messages. */
smsprov_code osd_plan_apply_hive_edits(osd_inject_plan *plan, WIMStruct *wim,
                                       const char *image_name, osd_inject_failure *failure,
                                       smsprov_error *err);

#endif
