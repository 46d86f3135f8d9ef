/*
 * osd/oc.h - WinPE optional components: which ones a boot image gets, in
 * which order, and how one is applied from the Windows ADK.
 *
 * Order and dependencies: WMI first; NetFX needs
 * WMI; Scripting needs WMI; HTA and MDAC need Scripting; PowerShell needs
 * WMI > NetFX > Scripting; DismCmdlets, StorageWMI and SecureBootCmdlets
 * need WMI > NetFX > Scripting > PowerShell; SecureStartup needs WMI;
 * PlatformId needs WMI > SecureStartup.  WMI, Scripting, WDS-Tools and
 * SecureStartup are required: every boot image gets them.
 *
 * Names are the documented ones (the SMS_BootImagePackage ID table:
 * "WinPE-NetFx4", "WinPE-PowerShell3"); the modern ADK names of those two
 * ("WinPE-NetFx", "WinPE-PowerShell") are accepted as the same component,
 * and either cabinet name is found in WinPE_OCs.
 */
#ifndef SMSPROV_OSD_OC_H
#define SMSPROV_OSD_OC_H

#include <stdbool.h>
#include <stddef.h>

#include "osd/image_info.h"
#include "osd/inject_plan.h"
#include "smsprov/error.h"

/* The documented name of a component (matching either name, ignoring
 * case), or NULL when it is not a WinPE optional component. */
const char *osd_oc_canonical(const char *name);
/* The name modern ADKs give the component's cabinet, when it differs
 * ("WinPE-NetFx" for "WinPE-NetFx4"); else NULL. */
const char *osd_oc_modern_name(const char *name);
/* True for WMI, Scripting, WDS-Tools and SecureStartup. */
bool osd_oc_is_required(const char *name);

/* The components name needs first, in install order (without itself);
 * returns how many, writing at most cap names. */
size_t osd_oc_prerequisites(const char *name, const char **out, size_t cap);

/* Every component a boot image with the selected ones gets: the selection,
 * the required components and all their prerequisites, each once, in
 * install order.  *out (caller frees the array, not the names) gets
 * canonical names.  An unknown name is SMSPROV_E_INVALID_PARAMETER with a
 * sentence naming it. */
smsprov_code osd_oc_closure(const char *const *selected, size_t count, const char ***out,
                            size_t *out_count, smsprov_error *err);

/* Plans one component into the image: its cabinet from ocs_dir (the
 * ADK's WinPE_OCs folder for the image's architecture), then its language
 * cabinet WinPE_OCs\<lang>\<cab>_<lang>.cab for each image language the
 * ADK has one for.  Each cabinet is extracted with libgcab into the
 * staging folder; its update.mum becomes
 * Windows\servicing\Packages\<package>.mum (and update.cat the .cat),
 * its other files go to Windows\System32 (Windows\System32\<lang> for a
 * language cabinet), and the package is registered in the SOFTWARE hive
 * under Microsoft\Windows\CurrentVersion\Component Based
 * Servicing\Packages\<package> with CurrentState 0x70 (installed).
 * <package> is "<name>-Package~<token>~<arch>~<lang>~<version>" from the
 * manifest's assemblyIdentity.  Failures: a missing cabinet (Win32 2), a
 * cabinet that is not one or holds no manifest (13), a cabinet for
 * another architecture (50). */
smsprov_code osd_oc_plan(osd_inject_plan *plan, const char *ocs_dir, const char *name,
                         const osd_image_info *image, osd_inject_failure *failure,
                         smsprov_error *err);

#endif
