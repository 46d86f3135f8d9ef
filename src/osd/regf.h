/*
 * osd/regf.h - writes an empty Windows registry hive file from nothing.
 *
 * hivex edits hives but cannot create one, so smsprov writes the smallest
 * valid hive itself, from the documented regf layout: a 4 KiB base block,
 * one 4 KiB hbin holding the root key (nk), its security descriptor (sk)
 * and a free cell.  hivex then fills in keys and values.
 */
#ifndef SMSPROV_OSD_REGF_H
#define SMSPROV_OSD_REGF_H

#include "smsprov/error.h"

/* Size of the file osd_regf_write_empty() writes. */
#define OSD_REGF_EMPTY_SIZE 0x2000

/* Writes an empty hive to path whose root key is named root_name (printable
 * ASCII, 1-64 characters, e.g. "SYSTEM").  The root's security descriptor
 * gives SYSTEM and Administrators full control and Everyone read access,
 * inherited by the keys added later. */
smsprov_code osd_regf_write_empty(const char *path, const char *root_name, smsprov_error *err);

#endif
