/*
 * osd/wim.h - wimlib set-up and opening WIM files with errors people can
 * act on.
 */
#ifndef SMSPROV_OSD_WIM_H
#define SMSPROV_OSD_WIM_H

#include <wimlib.h>

#include "smsprov/error.h"

/* Initialises wimlib once per process (thread-safe): paths inside images are
 * matched case-insensitively, as Windows does.  Every osd function calls it;
 * callers of wimlib outside osd should too.
 * Never call wimlib_global_cleanup(): in wimlib 1.13 it also tears down
 * libxml2, which the rest of smsprov keeps using. */
void osd_wimlib_init(void);

/* Opens the WIM at path read-only.  A missing or unreadable file gives
 * SMSPROV_E_NOT_FOUND (or SMSPROV_E_ACCESS_DENIED) with the system's reason;
 * a file wimlib rejects gives SMSPROV_E_INVALID_PARAMETER with wimlib's
 * reason.  On success *out is the caller's to wimlib_free(). */
smsprov_code osd_wim_open(const char *path, WIMStruct **out, smsprov_error *err);

/* Records a failed wimlib call as "<action> <path> failed: <wimlib reason>
 * (wimlib error N)." and returns code. */
smsprov_code osd_wim_fail(smsprov_error *err, smsprov_code code, int wimlib_code,
                          const char *action, const char *path);

/* Checks that index names an image of wim (1-based); otherwise
 * SMSPROV_E_INVALID_PARAMETER "... image index 3 does not exist; the WIM
 * holds 2 images."  path is only used in the message. */
smsprov_code osd_wim_check_index(WIMStruct *wim, const char *path, uint32_t index,
                                 smsprov_error *err);

#endif
