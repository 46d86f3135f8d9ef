/*
 * osd/inject.h - OSD binary injection: building a ConfigMgr boot image
 * (boot.<PackageID>.wim) from a WinPE image.
 *
 * From image image_index of source_wim, osd_inject writes target_wim
 * holding only that image, with its boot index set, plus (spec
 * wim-winpe.md §2):
 *   - every file osdinjection.xml (<ConfigMgr>\bin\x64) lists for the
 *     image's architecture: SCCM files from the ConfigMgr tree, WPE and WDT
 *     files from the ADK tree, LocaleNeeded files from the LCID folders of
 *     English and of each image language, name="*" folders whole (the DISM
 *     files into Windows\Pkgmgr);
 *   - Windows\System32\winpeshl.ini from <ConfigMgr>\OSD\bin\<arch>, which
 *     launches TsBootShell.exe;
 *   - Windows\System32\TsBootShell.ini with EnableDebugShell.
 * A caller may add steps of its own to the same update (see customize).
 *
 * How it is written: the source is opened read-only and never changed, and
 * verified in full (every blob decompressed, its SHA-1 checked) unless
 * verified_sources says this very file was verified before; a damaged
 * source fails with OSD_ERROR_FILE_CORRUPT.  The new WIM goes to a hidden
 * temporary file beside the target, flushed to disk, and is checked before
 * it is renamed over the target (inject_verify.c: each blob copied from the
 * source compared with it byte for byte, each other blob decompressed), so
 * the target is always the old image or the new one and never fails
 * verification.  A solid or LZMS source (an ESD) is recompressed to LZX,
 * which boot loaders read.  A failure leaves the target untouched and
 * removes the temporary files.
 */
#ifndef SMSPROV_OSD_INJECT_H
#define SMSPROV_OSD_INJECT_H

#include <stdbool.h>
#include <stdint.h>

#include "osd/image_info.h"
#include "osd/inject_plan.h"
#include "smsprov/error.h"

/* Win32 error codes a failed injection reports (the ErrorCode of
 * QueryOSDBinaryInjectionStatus). */
enum {
    OSD_ERROR_FILE_NOT_FOUND = 2,
    OSD_ERROR_PATH_NOT_FOUND = 3,
    OSD_ERROR_ACCESS_DENIED = 5,
    OSD_ERROR_INVALID_DATA = 13,
    OSD_ERROR_CRC = 23,
    OSD_ERROR_WRITE_FAULT = 29,
    OSD_ERROR_NOT_SUPPORTED = 50,
    OSD_ERROR_INVALID_PARAMETER = 87,
    OSD_ERROR_DISK_FULL = 112,
    OSD_ERROR_INTERNAL = 1359,
    OSD_ERROR_FILE_CORRUPT = 1392,
};

/* Remembers which source WIMs were verified in full, so a refresh from an
 * unchanged source skips that step.  The identity is a printable string
 * made of the file's size, modification and change times, device and
 * inode, the WIM's GUID and a SHA-256 of its blob table: if any of them
 * changes the file is verified again.  known() answers whether identity
 * was recorded as verified for path; remember() records it (replacing an
 * older identity of path).  A record that cannot be read or written only
 * costs a verification, so neither reports errors. */
typedef struct osd_verified_sources {
    bool (*known)(void *data, const char *path, const char *identity);
    void (*remember)(void *data, const char *path, const char *identity);
    void *data;
} osd_verified_sources;

/* Verifies the whole WIM at path (every image; every blob decompressed and
 * its SHA-1 checked, as `wimlib-imagex verify`) unless record (may be NULL)
 * knows it verified and unchanged since (size, times, inode, WIM GUID);
 * records it once it passes.  For an OS image package, which ConfigMgr
 * deploys as it is.  Errors: SMSPROV_E_INVALID_PARAMETER "The WIM file
 * <path> is damaged ..." naming wimlib's reason.  On Windows (the DLL
 * loads only wimlib's read side) it checks nothing and returns SMSPROV_OK. */
smsprov_code osd_wim_verify_whole(const char *path, const osd_verified_sources *record,
                                  smsprov_error *err);

/* Progress: percent (0-100, never going back) and what is being done. */
typedef void (*osd_progress_fn)(void *data, uint32_t percent, const char *text);

/* Extra steps for the same update (drivers, optional components, ...):
 * called after the OSD binaries are planned, with the image's facts. */
typedef smsprov_code (*osd_customize_fn)(void *data, const osd_image_info *image,
                                         osd_inject_plan *plan, osd_inject_failure *failure,
                                         smsprov_error *err);

typedef struct osd_inject_options {
    const char *source_wim;      /* local path; opened read-only */
    uint32_t image_index;        /* 1-based */
    const char *target_wim;      /* local path of boot.<PackageID>.wim */
    const char *temp_tag;        /* marks the temporary files as this process's (see
                                  * osd_inject_temp_owner); NULL: "tmp" */
    const char *adk_root;        /* folder holding "Assessment and Deployment Kit", or
                                  * that folder itself */
    const char *configmgr_root;  /* the ConfigMgr install folder */
    bool enable_debug_shell;     /* EnableLabShell: F8 opens a command prompt */
    const char *org_name;        /* OrgName in TsBootShell.ini; NULL: none */
    osd_customize_fn customize;  /* optional */
    void *customize_data;
    osd_progress_fn progress;    /* optional */
    void *progress_data;
    const osd_verified_sources *verified_sources; /* optional; NULL: verify every time */
} osd_inject_options;

typedef struct osd_inject_result {
    osd_image_info image;   /* the injected image as target_wim records it */
    bool source_verified;   /* the source was verified in full by this call */
    bool recompressed;      /* the source's data was recompressed to LZX (solid/LZMS) */
    uint64_t wim_bytes;     /* size of target_wim */
    uint32_t files_added;   /* files the update added */
    osd_inject_failure failure; /* on failure: Win32 code and what failed */
} osd_inject_result;

/* Builds target_wim as described above.  On failure *err holds a sentence,
 * out->failure the Win32 code and the file or step that failed (e.g. code
 * 2 and the path of a missing OSD binary), and target_wim is unchanged.
 * Free out with osd_inject_result_clear() either way. */
smsprov_code osd_inject(const osd_inject_options *opt, osd_inject_result *out,
                        smsprov_error *err);
void osd_inject_result_clear(osd_inject_result *result);

/* Temporary files: osd_inject writes "." + <target name> + "." + tag +
 * ".partial" (the WIM) and ".staging" (a folder) beside the target.  When
 * name is such a file, returns its tag (caller frees); else NULL. */
char *osd_inject_temp_owner(const char *name);

/* Removes the temporary files in dir whose tag owner_is_gone() says
 * belongs to no running process (left by a crash).  Returns how many
 * entries were removed. */
typedef bool (*osd_owner_gone_fn)(void *data, const char *tag);
unsigned osd_inject_remove_stale(const char *dir, osd_owner_gone_fn owner_is_gone, void *data);

#endif
