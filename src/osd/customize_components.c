/*
 * osd/customize_components.c - the optional component step: the closure
 * of the selection (oc.h), each component applied from the ADK's
 * WinPE_OCs folder for the image's architecture (found by adk.c).
 */
#include <stdlib.h>

#include "osd/customize.h"
#include "osd/inject_path.h"
#include "osd/oc.h"
#include "smsprov/cim.h"

/* <WinPE folder>\WinPE_OCs */
static smsprov_code ocs_folder(const char *adk_root, osd_arch arch, char **out,
                               osd_inject_failure *failure, smsprov_error *err)
{
    char *winpe = NULL;
    smsprov_code rc = osd_adk_winpe_folder(adk_root, arch, &winpe, failure, err);
    if (rc != SMSPROV_OK)
        return rc;
    rc = osd_path_resolve(winpe, "WinPE_OCs", out, NULL, NULL);
    if (rc != SMSPROV_OK) {
        osd_inject_failure_set(failure, OSD_ERROR_PATH_NOT_FOUND, *out);
        rc = smsprov_error_set(err, SMSPROV_E_NOT_FOUND,
                               "The Windows ADK has no optional components for %s images: %s "
                               "does not exist. Install the Windows PE add-on of the ADK.",
                               osd_arch_name(arch), *out);
        free(*out);
        *out = NULL;
    }
    free(winpe);
    return rc;
}

smsprov_code osd_customize_components(const osd_customization *c, const osd_image_info *image,
                                      osd_arch arch, osd_inject_plan *plan,
                                      osd_inject_failure *failure, smsprov_error *err)
{
    if (c->component_count > 0 && c->components_arch &&
        cim_strcasecmp(c->components_arch, osd_arch_name(arch)) != 0) {
        osd_inject_failure_set(failure, OSD_ERROR_NOT_SUPPORTED, "OptionalComponents");
        return smsprov_error_set(err, SMSPROV_E_NOT_SUPPORTED,
                                 "The optional components chosen are %s components, but the "
                                 "image is %s; choose the components of its architecture.",
                                 c->components_arch, osd_arch_name(arch));
    }
    const char **names = NULL;
    size_t count = 0;
    smsprov_code rc = osd_oc_closure(c->components, c->component_count, &names, &count, err);
    if (rc != SMSPROV_OK) {
        osd_inject_failure_set(failure, OSD_ERROR_INVALID_PARAMETER, "OptionalComponents");
        return rc;
    }
    char *ocs = NULL;
    rc = ocs_folder(c->adk_root, arch, &ocs, failure, err);
    for (size_t i = 0; rc == SMSPROV_OK && i < count; i++)
        rc = osd_oc_plan(plan, ocs, names[i], image, failure, err);
    free(ocs);
    free(names);
    return rc;
}
