/*
 * osd/wim.h - wimlib set-up and errors people can act on, for the osd files
 * that call wimlib (through wim_backend.h, on every platform).
 */
#ifndef SMSPROV_OSD_WIM_H
#define SMSPROV_OSD_WIM_H

#include <wimlib.h>

#include "osd/wim_backend.h"
#include "osd/wim_read.h"
#include "smsprov/error.h"

/* Initialises wimlib once per process (thread-safe): paths inside images are
 * matched case-insensitively, as Windows does; on Windows it first loads
 * libwim-15.dll (a missing DLL is reported by osd_wimlib_require, which
 * every osd entry point calls).  Callers of wimlib outside osd call this
 * too.
 * Never call wimlib_global_cleanup(): in wimlib 1.13 it also tears down
 * libxml2, which the rest of smsprov keeps using. */
void osd_wimlib_init(void);

/* Records a failed wimlib call as "<action> <path> failed: <wimlib reason>
 * (wimlib error N)." and returns code. */
smsprov_code osd_wim_fail(smsprov_error *err, smsprov_code code, int wimlib_code,
                          const char *action, const char *path);

#endif
