/*
 * osd/hive.h - editing offline registry hives with hivex.
 *
 * Key paths are relative to the hive's root and use backslashes, as in
 * "ControlSet001\\Control\\Windows"; missing keys are created.  Names
 * match case-insensitively, as in Windows.
 */
#ifndef SMSPROV_OSD_HIVE_H
#define SMSPROV_OSD_HIVE_H

#include <stdint.h>

#include "smsprov/error.h"

typedef struct osd_hive osd_hive;

/* Opens the hive file at path for editing.  Nothing reaches the file until
 * osd_hive_commit(). */
smsprov_code osd_hive_open(const char *path, osd_hive **out, smsprov_error *err);

/* Makes sure key_path exists. */
smsprov_code osd_hive_add_key(osd_hive *hive, const char *key_path, smsprov_error *err);
/* Adds or replaces one value, keeping the key's other values.  value is
 * UTF-8; the hive stores REG_SZ as UTF-16LE with a terminating NUL. */
smsprov_code osd_hive_set_string(osd_hive *hive, const char *key_path, const char *name,
                                 const char *value, smsprov_error *err);
smsprov_code osd_hive_set_dword(osd_hive *hive, const char *key_path, const char *name,
                                uint32_t value, smsprov_error *err);

/* Writes the edited hive back to its file (through a temporary file and a
 * rename, so a failure leaves the old hive whole). */
smsprov_code osd_hive_commit(osd_hive *hive, smsprov_error *err);

/* Closes the hive, dropping uncommitted edits.  NULL is allowed. */
void osd_hive_close(osd_hive *hive);

#endif
