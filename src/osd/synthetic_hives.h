/*
 * osd/synthetic_hives.h - the registry hives of a synthetic WinPE image.
 */
#ifndef SMSPROV_OSD_SYNTHETIC_HIVES_H
#define SMSPROV_OSD_SYNTHETIC_HIVES_H

#include <stdint.h>

#include "osd/arch.h"
#include "smsprov/error.h"

/* The facts the hives record; wimlib reads them back into the WIM XML. */
typedef struct osd_winpe_facts {
    osd_arch arch;
    uint32_t major, minor, build, spbuild; /* 10.0.22621.1 */
    const char *language;                  /* "en-US" */
    uint16_t lcid;                         /* 0x0409 */
} osd_winpe_facts;

/* Writes SYSTEM, SOFTWARE, DEFAULT, SAM, SECURITY and DRIVERS into
 * config_dir (Windows\System32\config of the tree). */
smsprov_code osd_synthetic_hives_write(const char *config_dir, const osd_winpe_facts *facts,
                                       smsprov_error *err);

#endif
