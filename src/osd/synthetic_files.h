/*
 * osd/synthetic_files.h - the fake files synthetic trees are made of.
 */
#ifndef SMSPROV_OSD_SYNTHETIC_FILES_H
#define SMSPROV_OSD_SYNTHETIC_FILES_H

#include <stdbool.h>
#include <stdint.h>

#include "osd/arch.h"
#include "smsprov/error.h"

#define OSD_FAKE_PE_SIZE 1024

/* A 1 KiB PE image that only looks like one: "MZ", e_lfanew 0x80, "PE\0\0"
 * and a COFF header with machine, then file_name so that fakes of
 * different files differ.  Enough for wimlib and file(1) to read the
 * architecture. */
void osd_fake_pe_build(uint8_t out[OSD_FAKE_PE_SIZE], uint16_t machine, const char *file_name);

/* Writes a fake for the file at path, chosen by its extension: a fake PE of
 * arch for .exe/.dll/.efi/.sys/.mui, a short tagged placeholder otherwise.
 * With keep_existing an existing file is left alone. */
smsprov_code osd_synthetic_put_file(const char *path, osd_arch arch, bool keep_existing,
                                    smsprov_error *err);
/* Writes text to path (with keep_existing, only when path is missing). */
smsprov_code osd_synthetic_put_text(const char *path, const char *text, bool keep_existing,
                                    smsprov_error *err);

#endif
