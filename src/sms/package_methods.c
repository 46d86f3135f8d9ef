/* package_methods.c - package methods that need no WIM work:
 *   SetSourceSite(SourceSite)  sets SourceSite to a valid site code;
 *   Unlock()                   sets SourceSite to this site ("unlocks" it);
 *   RefreshPkgSource()         for OS install packages: SourceVersion + 1,
 *                              SourceDate and LastRefreshTime now.
 * Each change also gives the package a new SedoObjectVersion. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "sms/behaviour.h"
#include "sms/methods.h"

static void set_string(cim_instance *inst, const char *name, const char *value)
{
    cim_instance_set_string(inst, name, value, NULL);
}

static void new_version(cim_instance *inst)
{
    char *guid = sms_new_guid();
    set_string(inst, "SedoObjectVersion", guid);
    free(guid);
}


static smsprov_code apply_source_site(sms_method_call *mc, cim_instance *inst, smsprov_error *err)
{
    (void)err;
    const cim_value *site = cim_instance_get(mc->in, "SourceSite");
    set_string(inst, "SourceSite", site->u.string);
    new_version(inst);
    return SMSPROV_OK;
}

smsprov_code sms_package_set_source_site(sms_method_call *mc, smsprov_error *err)
{
    const cim_value *site = cim_instance_get(mc->in, "SourceSite");
    if (!sms_is_site_code(site->u.string)) {
        smsprov_error_set(err, SMSPROV_E_INVALID_METHOD_PARAMETERS,
                          "SourceSite \"%s\" is not a site code: use three upper-case letters "
                          "or digits, such as %s.",
                          site->u.string, mc->site->site_code);
        smsprov_error_set_parameter(err, "SourceSite");
        return SMSPROV_E_INVALID_METHOD_PARAMETERS;
    }
    return sms_change_target(mc, apply_source_site, err);
}

static smsprov_code apply_unlock(sms_method_call *mc, cim_instance *inst, smsprov_error *err)
{
    (void)err;
    set_string(inst, "SourceSite", mc->site->site_code);
    new_version(inst);
    return SMSPROV_OK;
}

smsprov_code sms_package_unlock(sms_method_call *mc, smsprov_error *err)
{
    return sms_change_target(mc, apply_unlock, err);
}

static smsprov_code apply_refresh(sms_method_call *mc, cim_instance *inst, smsprov_error *err)
{
    (void)mc;
    (void)err;
    sms_package_stamp_refresh(inst);
    return SMSPROV_OK;
}

smsprov_code sms_package_refresh_source(sms_method_call *mc, smsprov_error *err)
{
    return sms_change_target(mc, apply_refresh, err);
}
