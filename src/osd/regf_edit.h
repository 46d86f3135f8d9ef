/*
 * osd/regf_edit.h - editing an existing registry hive file without hivex,
 * from the documented regf layout: the hive backend for platforms where
 * hivex does not exist (Windows).
 *
 * The whole file is read into memory; new cells go into free space at the
 * end of the last hbin or into hbins appended for them, cells an edit
 * replaces (subkey and value lists, old values and their data) are marked
 * free, and commit writes the sequence numbers, the hbins' total size and
 * the base block checksum before replacing the file atomically.  Key paths
 * are relative to the root, with backslashes; names match ignoring ASCII
 * case; new key and value names must be printable ASCII (stored as such).
 */
#ifndef SMSPROV_OSD_REGF_EDIT_H
#define SMSPROV_OSD_REGF_EDIT_H

#include <stddef.h>
#include <stdint.h>

#include "smsprov/error.h"

typedef struct osd_regf osd_regf;

/* Reads the hive at path.  SMSPROV_E_NOT_FOUND when it cannot be read,
 * SMSPROV_E_INVALID_PARAMETER when it is no regf hive (signature, checksum,
 * an hbin or the root key out of place). */
smsprov_code osd_regf_open(const char *path, osd_regf **out, smsprov_error *err);

/* Makes sure key_path exists (SMSPROV_E_INVALID_PARAMETER for a bad name or
 * a damaged key on the way). */
smsprov_code osd_regf_add_key(osd_regf *hive, const char *key_path, smsprov_error *err);

/* Adds or replaces one value of key_path (created when missing).  Strings
 * are UTF-8 and stored as UTF-16LE with a terminating NUL; a REG_MULTI_SZ
 * takes count strings and ends with an empty one. */
smsprov_code osd_regf_set_string(osd_regf *hive, const char *key_path, const char *name,
                                 const char *value, smsprov_error *err);
smsprov_code osd_regf_set_dword(osd_regf *hive, const char *key_path, const char *name,
                                uint32_t value, smsprov_error *err);
smsprov_code osd_regf_set_multi_string(osd_regf *hive, const char *key_path, const char *name,
                                       const char *const *values, size_t count,
                                       smsprov_error *err);

/* Writes the edited hive back to its file (temporary file and rename). */
smsprov_code osd_regf_commit(osd_regf *hive, smsprov_error *err);

/* Drops uncommitted edits and frees the hive.  NULL is allowed. */
void osd_regf_close(osd_regf *hive);

#endif
