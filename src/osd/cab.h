/*
 * osd/cab.h - Microsoft cabinet (.cab) files: writing them (libgcab, Linux
 * only, for the synthetic inputs) and extracting them (libgcab on Linux,
 * cab.c; the Windows FDI API in cabinet.dll on Windows, cab_windows.c).
 */
#ifndef SMSPROV_OSD_CAB_H
#define SMSPROV_OSD_CAB_H

#include <stdbool.h>
#include <stddef.h>

#include "smsprov/error.h"

/* One file to store in a cabinet. */
typedef struct osd_cab_entry {
    const char *name; /* name inside the cabinet */
    const void *data;
    size_t size;
} osd_cab_entry;

/* Writes a cabinet holding entries (one MSZIP folder) to path, atomically
 * and creating missing parent directories. */
smsprov_code osd_cab_write(const char *path, const osd_cab_entry *entries, size_t count,
                           smsprov_error *err);

/* Extracts every file of the cabinet at path into the existing folder dest,
 * making the subfolders the names inside it ask for.  A name that is empty,
 * absolute, holds "..", or (on Windows) a drive colon is refused and the
 * extraction fails, so nothing lands outside dest.  Returns true, or false
 * with *why set to a phrase a person can act on (caller frees): "reading it
 * failed (...)", "it is not a valid cabinet (...)", or "it names files
 * outside its own folder".  Files already written stay; the caller owns dest
 * and removes it on failure. */
bool osd_cab_extract(const char *path, const char *dest, char **why);

#endif
