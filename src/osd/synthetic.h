/*
 * osd/synthetic.h - synthetic inputs for tests and the demo site, made from
 * nothing: WinPE boot images, a Windows ADK tree and a ConfigMgr install
 * tree.  No Microsoft file is copied; binaries are 1 KiB fakes with a real
 * PE header, hives are real regf files, cabinets are real MS-CAB files.
 *
 * The trees use the real ADK and ConfigMgr folder and file names, so code
 * that services boot images finds what it would find on a site server.
 * mkwinpe (tools/mkwinpe) is the command-line front end.
 */
#ifndef SMSPROV_OSD_SYNTHETIC_H
#define SMSPROV_OSD_SYNTHETIC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "osd/arch.h"
#include "smsprov/error.h"

#define OSD_WINPE_DEFAULT_VERSION "10.0.22621.1"
#define OSD_WINPE_DEFAULT_LANGUAGE "en-US"

/* One architecture as a bit of an architecture set. */
#define OSD_ARCH_BIT(arch) (1u << (arch))
#define OSD_ARCH_SET_ADK \
    (OSD_ARCH_BIT(OSD_ARCH_X86) | OSD_ARCH_BIT(OSD_ARCH_X64) | OSD_ARCH_BIT(OSD_ARCH_ARM64))

/* What a synthetic WinPE boot.wim looks like.  Zero/NULL fields take the
 * defaults given. */
typedef struct osd_winpe_spec {
    osd_arch arch;
    const char *version;     /* MAJOR.MINOR.BUILD.SPBUILD; OSD_WINPE_DEFAULT_VERSION */
    const char *language;    /* OSD_WINPE_DEFAULT_LANGUAGE */
    uint16_t lcid;           /* 0: looked up from language */
    const char *name;        /* "Microsoft Windows PE (x64)" */
    const char *description; /* the name */
    unsigned payload_mb;     /* pseudo-random filler under Windows\System32 */
    bool second_image;       /* add a "Microsoft Windows Setup" image 2 and boot from it */
} osd_winpe_spec;

/* Builds the WinPE tree in a scratch directory beside out_path, captures it
 * with wimlib (LZX) so that the WIM XML derives ARCH, VERSION, LANGUAGES and
 * EDITIONID from the tree, sets NAME, DESCRIPTION, FLAGS (9; 2 for the
 * Setup image) and the boot index, and writes out_path atomically.  The
 * scratch tree is removed whatever happens.  Bad options give
 * SMSPROV_E_INVALID_PARAMETER and leave out_path untouched. */
smsprov_code osd_synthetic_winpe_write(const char *out_path, const osd_winpe_spec *spec,
                                       smsprov_error *err);

/* Writes an install.wim (an OS image, as SMS_ImagePackage imports) with one
 * image per spec, in order: each captured from a tree built as for WinPE,
 * with its own NAME, DESCRIPTION, architecture, version and language, FLAGS
 * "Synthetic" and no boot index.  Written atomically; the scratch trees
 * are removed whatever happens.  Bad specs give SMSPROV_E_INVALID_PARAMETER
 * and leave out_path untouched.  No spec may ask for second_image. */
smsprov_code osd_synthetic_install_write(const char *out_path, const osd_winpe_spec *images,
                                         size_t count, smsprov_error *err);
/* The install.wim of tests and the demo: 1 "Windows 11 Enterprise" x64 en-US
 * 10.0.22621.1, 2 "Windows 10 Pro" x86 de-DE 10.0.19045.1, 3 "Windows 11
 * Pro" arm64 fr-FR 10.0.22631.2. */
smsprov_code osd_synthetic_install_default_write(const char *out_path, smsprov_error *err);

/* Writes a Windows ADK tree under dir for each architecture in arches (a
 * set of OSD_ARCH_BIT; ia64 is refused):
 *   Assessment and Deployment Kit\Windows Preinstallation Environment\<a>\
 *       en-us\winpe.wim, Media\Boot\{boot.sdi,bootfix.bin},
 *       WinPE_OCs\<OC>.cab, WinPE_OCs\en-us\{<OC>_en-us.cab,lp.cab}
 *   Assessment and Deployment Kit\Deployment Tools\<a>\{BCDBoot,Oscdimg,DISM}\...
 * where <a> is x86, amd64 or arm64.  Files that already exist are kept, so
 * running it again only fills in what is missing. */
smsprov_code osd_synthetic_adk_write(const char *dir, unsigned arches, smsprov_error *err);

/* Writes a ConfigMgr install tree under dir for each architecture in
 * arches (ia64 is refused):
 *   bin\<cm>\<OSD binaries>, bin\<cm>\<LCID8>\TsRes.dll,
 *   OSD\bin\<cm>\winpeshl.ini, bin\x64\osdinjection.xml
 * where <cm> is i386, x64 or arm64 (arm64 images take the x64 binaries).
 * osdinjection.xml lists, in ConfigMgr's format, every file injected into
 * a boot image of each architecture; its WPE and WDT entries name files of
 * the ADK tree above.  Existing files are kept. */
smsprov_code osd_synthetic_configmgr_write(const char *dir, unsigned arches,
                                           smsprov_error *err);

/* Everything the demo site needs, under dir: adk\ and configmgr\ for x86,
 * x64 and arm64, images\boot_x86.wim, images\boot_x64.wim and
 * images\install.wim (osd_synthetic_install_default_write).
 * Idempotent: what exists is kept. */
smsprov_code osd_synthetic_demo_write(const char *dir, smsprov_error *err);

#endif
