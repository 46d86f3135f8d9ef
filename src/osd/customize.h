/*
 * osd/customize.h - WinPE customisation: the boot image settings that land
 * inside the WIM, added to the injection's update
 * plan through osd_inject_options.customize:
 *
 *   optional components  WinPE_OCs cabinets (oc.h), the required ones always
 *   drivers              Windows\System32\DriverStore\FileRepository\
 *                        <inf>_<platform>_<hash>\ and Windows\INF\oem<N>.inf
 *   scratch space        SYSTEM ControlSet001\Services\FBWF\WinPECacheThreshold
 *   prestart command     \TSConfig.ini [CustomHook] and \sms\PKG\SMS10000\
 *   background           Windows\System32\winpe.bmp (and winpe.jpg when the
 *                        image has one)
 * (EnableLabShell is TsBootShell.ini's EnableDebugShell, written by the
 * injection itself.)
 */
#ifndef SMSPROV_OSD_CUSTOMIZE_H
#define SMSPROV_OSD_CUSTOMIZE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "osd/arch.h"
#include "osd/inject.h"

/* The folder a prestart command's files go to, and its package name. */
#define OSD_PRESTART_PACKAGE "SMS10000"

/* One driver package to add. */
typedef struct osd_driver_ref {
    const char *folder; /* local folder holding the package */
    const char *inf;    /* its INF file name; NULL: every *.inf in folder */
    const char *shown;  /* the folder as the client named it, for messages */
    const char *root;   /* the share holding it: nothing is read from outside
                         * (osd/confine.h); NULL: the folder itself */
} osd_driver_ref;

typedef struct osd_customization {
    /* Optional components: the selection (names, see oc.h) plus the
     * required ones and every prerequisite.  With add_components false no
     * component is applied, not even the required ones. */
    bool add_components;
    const char *const *components;
    size_t component_count;
    const char *components_arch; /* "x86"/"x64": the selection is for that
                                  * architecture (NULL: any) */
    const osd_driver_ref *drivers;
    size_t driver_count;
    uint32_t scratch_space_mb;   /* 0: the image's own setting stays */
    const char *prestart_command; /* NULL or "": no prestart command */
    const char *prestart_folder;  /* local folder of its files; NULL: none */
    const char *prestart_shown;   /* the folder as the client named it */
    const char *prestart_root;    /* the share holding it (osd/confine.h);
                                   * NULL: the folder itself */
    const char *background;       /* local image file; NULL: the image's own */
    const char *background_shown;
    const char *background_root;  /* the share holding it; NULL: its folder */

    /* Filled in by osd_customize_attach. */
    const char *source_wim;
    uint32_t image_index;
    const char *adk_root;
} osd_customization;

/* Makes osd_inject(opt, ...) apply c.  c must outlive the call; it reads
 * opt's source, image index and ADK folder. */
void osd_customize_attach(osd_inject_options *opt, osd_customization *c);

/* The steps, one file each (customize_*.c).  Each records a failure as
 * Win32 code and detail, and an actionable sentence in *err. */
smsprov_code osd_customize_components(const osd_customization *c, const osd_image_info *image,
                                      osd_arch arch, osd_inject_plan *plan,
                                      osd_inject_failure *failure, smsprov_error *err);
/* first_oem: the first free oem<N>.inf number in the image. */
smsprov_code osd_customize_drivers(const osd_customization *c, osd_arch arch,
                                   unsigned first_oem, osd_inject_plan *plan,
                                   osd_inject_failure *failure, smsprov_error *err);
smsprov_code osd_customize_prestart(const osd_customization *c, osd_inject_plan *plan,
                                    osd_inject_failure *failure, smsprov_error *err);
/* has_jpg: the image has Windows\System32\winpe.jpg. */
smsprov_code osd_customize_background(const osd_customization *c, bool has_jpg,
                                      osd_inject_plan *plan, osd_inject_failure *failure,
                                      smsprov_error *err);

/* The ADK's WinPE folder for arch: <ADK>\Windows Preinstallation
 * Environment\<x86|amd64|arm64>, resolved ignoring case; adk_root is the
 * folder holding "Assessment and Deployment Kit", or that folder.  No ADK
 * or no such folder: Win32 3 (path not found); ia64: 50. */
smsprov_code osd_adk_winpe_folder(const char *adk_root, osd_arch arch, char **out,
                                  osd_inject_failure *failure, smsprov_error *err);

/* How many files (not folders) are under dir, recursively: what adding
 * the folder to a plan brings in. */
uint32_t osd_count_files(const char *dir);

#endif
