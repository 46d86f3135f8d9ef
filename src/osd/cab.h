/*
 * osd/cab.h - writing Microsoft cabinet (.cab) files with libgcab.
 */
#ifndef SMSPROV_OSD_CAB_H
#define SMSPROV_OSD_CAB_H

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

#endif
