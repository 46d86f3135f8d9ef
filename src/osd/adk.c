/*
 * osd/adk.c - finding the Windows ADK's WinPE folder for an architecture.
 * Kept apart from the servicing steps because the site also reads the ADK
 * (the optional component catalogue) where it cannot service images.
 */
#include <stdlib.h>

#include "osd/customize.h"
#include "osd/inject_path.h"
#include "smsprov/cim.h"

#define ADK_FOLDER "Assessment and Deployment Kit"

smsprov_code osd_adk_winpe_folder(const char *adk_root, osd_arch arch, char **out,
                                  osd_inject_failure *failure, smsprov_error *err)
{
    *out = NULL;
    if (!adk_root || !*adk_root) {
        osd_inject_failure_set(failure, OSD_ERROR_PATH_NOT_FOUND, "Windows ADK folder");
        return smsprov_error_set(err, SMSPROV_E_NOT_FOUND,
                                 "No Windows ADK folder is configured, but WinPE comes from "
                                 "it; give the site the ADK folder (smsprov --adk DIR).");
    }
    if (!osd_arch_adk_folder(arch)) {
        osd_inject_failure_set(failure, OSD_ERROR_NOT_SUPPORTED, osd_arch_name(arch));
        return smsprov_error_set(err, SMSPROV_E_NOT_SUPPORTED,
                                 "The Windows ADK has no %s WinPE; use x86, x64 or arm64.",
                                 osd_arch_name(arch));
    }
    char *kit = NULL;
    if (osd_path_resolve(adk_root, ADK_FOLDER, &kit, NULL, NULL) != SMSPROV_OK) {
        free(kit);
        kit = cim_xstrdup(adk_root); /* the kit folder itself was given */
    }
    char *relative = cim_xasprintf("Windows Preinstallation Environment\\%s",
                                   osd_arch_adk_folder(arch));
    smsprov_code rc = osd_path_resolve(kit, relative, out, NULL, NULL);
    if (rc != SMSPROV_OK) {
        osd_inject_failure_set(failure, OSD_ERROR_PATH_NOT_FOUND, *out ? *out : relative);
        rc = smsprov_error_set(err, SMSPROV_E_NOT_FOUND,
                               "The Windows ADK has no WinPE for %s: %s does not exist. Install "
                               "the Windows PE add-on of the ADK.",
                               osd_arch_name(arch), *out ? *out : relative);
        free(*out);
        *out = NULL;
    }
    free(relative);
    free(kit);
    return rc;
}
