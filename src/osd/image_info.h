/*
 * osd/image_info.h - what a WIM says about its images: the ImageProperty
 * XML, the ImageDiskLayout XML, and the values SMS_BootImagePackage derives
 * for its chosen image (Architecture, ImageOSVersion, Language).
 *
 * Everything comes from the WIM's own XML through wimlib; no image content
 * is read.  The XML formats are described in src/osd/README.md.
 */
#ifndef SMSPROV_OSD_IMAGE_INFO_H
#define SMSPROV_OSD_IMAGE_INFO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "osd/wim_read.h"

#include "smsprov/cim.h"
#include "smsprov/error.h"

/* One image of a WIM.  Strings are UTF-8, owned, NULL when the WIM does not
 * record them; the two dates are "" when absent. */
typedef struct osd_image_info {
    uint32_t index;              /* 1-based */
    char *name;                  /* NAME */
    char *description;           /* DESCRIPTION */
    char *architecture;          /* "x86", "x64", "arm64", "ia64" from WINDOWS/ARCH */
    /* WINDOWS/ARCH exactly as the WIM records it ("9" for x64, "0" x86, "12"
     * arm64, "5" arm): what ConfigMgr copies into ImageProperty. */
    char *wim_architecture;
    char **languages;            /* WINDOWS/LANGUAGES/LANGUAGE[n] in order */
    size_t language_count;
    char *default_language;      /* WINDOWS/LANGUAGES/DEFAULT */
    char *os_version;            /* "10.0.22621.1" = MAJOR.MINOR.BUILD.SPBUILD */
    char *hal;                   /* WINDOWS/HAL */
    char *product_type;          /* WINDOWS/PRODUCTTYPE, e.g. "WinNT" */
    char *product_name;          /* WINDOWS/PRODUCTNAME */
    char *edition_id;            /* WINDOWS/EDITIONID, e.g. "WindowsPE" */
    char *installation_type;     /* WINDOWS/INSTALLATIONTYPE */
    char *system_root;           /* WINDOWS/SYSTEMROOT, e.g. "WINDOWS" */
    char *flags;                 /* FLAGS, e.g. "9" */
    uint64_t total_bytes;        /* TOTALBYTES: size of the image's files */
    uint64_t hard_link_bytes;    /* HARDLINKBYTES */
    uint64_t dir_count;          /* DIRCOUNT */
    uint64_t file_count;         /* FILECOUNT */
    char creation_time[CIM_DATETIME_LEN + 1];     /* CIM DATETIME, UTC */
    char modification_time[CIM_DATETIME_LEN + 1]; /* LASTMODIFICATIONTIME */
    bool bootable;               /* this image is the WIM's boot index */
} osd_image_info;

/* Reads image index (1-based) of the WIM at path.  Errors: missing file
 * SMSPROV_E_NOT_FOUND; not a WIM or no such index SMSPROV_E_INVALID_PARAMETER.
 * On error *out is left zeroed.  Free with osd_image_info_clear(). */
smsprov_code osd_read_image_info(const char *path, uint32_t index, osd_image_info *out,
                                 smsprov_error *err);
/* The same for an open WIM; path only names it in messages. */
smsprov_code osd_image_info_from_wim(WIMStruct *wim, const char *path, uint32_t index,
                                     osd_image_info *out, smsprov_error *err);
void osd_image_info_clear(osd_image_info *info);

/* The languages joined with "," ("en-US,de-DE"), or NULL when the image
 * records none: the boot image package's Language.  Caller frees. */
char *osd_image_language_list(const osd_image_info *info);

/* The ImageProperty XML of every image in the WIM at path (what
 * GetImageProperties returns).  *xml_out is the caller's to free(). */
smsprov_code osd_read_image_properties(const char *path, char **xml_out, smsprov_error *err);
smsprov_code osd_image_properties_xml(WIMStruct *wim, const char *path, char **xml_out,
                                      smsprov_error *err);

/* The ImageDiskLayout XML of image index of the WIM at path. */
smsprov_code osd_read_image_disk_layout(const char *path, uint32_t index, char **xml_out,
                                        smsprov_error *err);
smsprov_code osd_image_disk_layout_xml(WIMStruct *wim, const char *path, uint32_t index,
                                       char **xml_out, smsprov_error *err);
/* The ImageDiskLayout XML of every image of an open WIM (an OS image
 * package deploys any of them): one IMAGE per image, as above. */
smsprov_code osd_image_disk_layouts_xml(WIMStruct *wim, const char *path, char **xml_out,
                                        smsprov_error *err);

/* Converts a Windows FILETIME (100 ns since 1601-01-01 UTC) to a CIM
 * DATETIME in UTC ("20240131120000.000000+000").  Returns false, writing
 * "", for 0 and for times outside years 1601-9999. */
bool osd_filetime_to_datetime(uint64_t filetime, char out[CIM_DATETIME_LEN + 1]);

#endif
