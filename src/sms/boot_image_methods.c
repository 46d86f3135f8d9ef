/* boot_image_methods.c - SMS_BootImagePackage methods that rebuild the
 * boot image or report on it:
 *   RefreshPkgSource([ContextID])  re-inject from ImagePath; SourceVersion + 1
 *   UpdateImage(), UpdateDefaultImage()   the same (the docs' RC-to-RTM upgrade)
 *   QueryOSDBinaryInjectionStatus(ContextID, out ...)   the latest queue entry
 *   DeleteContextID(ContextID)     drops a status queue
 * The rebuilding methods wait for their job; a failed job fails the call
 * with WBEM_E_FAILED and its sentence, as the real provider fails with
 * "Failed to insert OSD binaries into the WIM file". */
#include <stdlib.h>

#include "sms/boot_image.h"

static const char *context_of(const sms_method_call *mc)
{
    const char *given = sms_string_of(mc->in, "ContextID");
    if (given && *given)
        return given;
    return sms_string_of(mc->target, "ContextID");
}

static smsprov_code rebuild(sms_method_call *mc, const char *context_id, smsprov_error *err)
{
    if (!mc->target)
        return smsprov_error_set(err, SMSPROV_E_INVALID_OPERATION,
                                 "%s needs a boot image package to work on.", mc->method->name);
    return sms_boot_image_inject(mc->site, mc->call, mc->target, SMS_INJECT_REFRESH,
                                 mc->method->name, context_id, err);
}

smsprov_code sms_boot_image_refresh(sms_method_call *mc, smsprov_error *err)
{
    return rebuild(mc, context_of(mc), err);
}

smsprov_code sms_boot_image_update(sms_method_call *mc, smsprov_error *err)
{
    return rebuild(mc, mc->target ? sms_string_of(mc->target, "ContextID") : NULL, err);
}

smsprov_code sms_boot_image_query_status(sms_method_call *mc, smsprov_error *err)
{
    jobs_status status;
    smsprov_code rc = jobs_query_status(mc->site->store, sms_string_of(mc->in, "ContextID"),
                                        &status, err);
    if (rc != SMSPROV_OK)
        return rc;
    cim_instance_set_uint(mc->out, "Status", status.status, NULL);
    cim_instance_set_uint(mc->out, "Progress", status.progress, NULL);
    cim_instance_set_uint(mc->out, "MaxProgress", status.max_progress, NULL);
    cim_instance_set_string(mc->out, "ProgressText", status.progress_text, NULL);
    cim_instance_set_sint(mc->out, "ErrorCode", status.error_code, NULL);
    cim_instance_set_string(mc->out, "ExtendedErrorInfo", status.extended_error_info, NULL);
    jobs_status_clear(&status);
    return SMSPROV_OK;
}

smsprov_code sms_boot_image_delete_context(sms_method_call *mc, smsprov_error *err)
{
    return jobs_delete_context(mc->site->jobs, sms_string_of(mc->in, "ContextID"), NULL, err);
}
