/*
 * osd/inject_path.h - Windows paths on a Linux file system.
 *
 * Windows compares names without regard to case; the ADK, ConfigMgr and
 * share folders smsprov reads live on case-sensitive Linux file systems.
 * So a Windows path is resolved one component at a time: an exact match
 * wins, otherwise the entry whose name matches ignoring ASCII case.
 */
#ifndef SMSPROV_OSD_INJECT_PATH_H
#define SMSPROV_OSD_INJECT_PATH_H

#include <stdbool.h>
#include <stddef.h>

#include "smsprov/error.h"

/* The next component of the Windows path at *cursor ('\\' and '/' both
 * separate; empty components are skipped): returns its start and sets *len,
 * moving *cursor past it; NULL at the end of the path. */
const char *osd_path_next_component(const char **cursor, size_t *len);

/* Resolves relative (components separated by '\\' or '/'; empty and "."
 * components are skipped) under the existing folder base and sets *out
 * to the local path (caller frees).
 *
 * Errors: a ".." component SMSPROV_E_INVALID_PARAMETER (a path may not
 * climb out of its base); a component that does not exist
 * SMSPROV_E_NOT_FOUND, with *out set to the local path that was looked for
 * (resolved as far as it exists) and *missing_is_folder telling whether a
 * folder on the way was missing rather than the last component.  Both
 * out-parameters may be NULL. */
smsprov_code osd_path_resolve(const char *base, const char *relative, char **out,
                              bool *missing_is_folder, smsprov_error *err);

/* The path inside a WIM image for a Windows path relative to the image
 * root: "sms\\bin\\x64" gives "/sms/bin/x64".  Caller frees. */
char *osd_path_in_image(const char *windows_path);

#endif
