/*
 * osd/wim_read.h - reading a WIM's image list and image properties: the
 * narrow slice of wimlib that image_info.c and image_xml.c use, so they
 * build on every platform.
 *
 * wim.c implements it over the WIM backend (wim_backend.h: libwim linked
 * on Linux, libwim-15.dll loaded at run time on Windows, UTF-16 there).
 * The handle is wimlib's WIMStruct, opaque to callers.
 */
#ifndef SMSPROV_OSD_WIM_READ_H
#define SMSPROV_OSD_WIM_READ_H

#include <stdint.h>

#include <wimlib.h>

#include "smsprov/error.h"

/* Opens the WIM at path read-only.  A missing or unreadable file gives
 * SMSPROV_E_NOT_FOUND (or SMSPROV_E_ACCESS_DENIED) with the system's reason;
 * a file wimlib rejects gives SMSPROV_E_INVALID_PARAMETER with wimlib's
 * reason; no wimlib on this system gives SMSPROV_E_NOT_AVAILABLE saying
 * how to install it.  On success *out is the caller's to osd_wim_close(). */
smsprov_code osd_wim_open(const char *path, WIMStruct **out, smsprov_error *err);
void osd_wim_close(WIMStruct *wim);

/* How many images the WIM holds, and the 1-based boot index (0: none). */
uint32_t osd_wim_image_count(WIMStruct *wim);
uint32_t osd_wim_boot_index(WIMStruct *wim);

/* A copy of property name (an XML path such as "WINDOWS/VERSION/MAJOR" or
 * "WINDOWS/LANGUAGES/LANGUAGE[2]") of image index, UTF-8; NULL when the
 * image has no such property or it is empty.  Caller frees. */
char *osd_wim_property_dup(WIMStruct *wim, uint32_t index, const char *name);

/* Checks that index names an image of wim (1-based); otherwise
 * SMSPROV_E_INVALID_PARAMETER "... image index 3 does not exist; the WIM
 * holds 2 images."  path is only used in the message. */
/* Loads the metadata resource (the directory tree) of image index, which
 * wimlib checks against its SHA-1: a WIM whose header and XML read but whose
 * image is damaged fails here.  SMSPROV_E_INVALID_PARAMETER naming path and
 * wimlib's reason. */
smsprov_code osd_wim_check_image_metadata(WIMStruct *wim, const char *path, uint32_t index,
                                          smsprov_error *err);

smsprov_code osd_wim_check_index(WIMStruct *wim, const char *path, uint32_t index,
                                 smsprov_error *err);

#endif
