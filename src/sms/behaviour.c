/* behaviour.c - the class behaviour table. */
#include "sms/behaviour.h"
#include "sms/driver.h"

static const sms_class_behaviour behaviours[] = {
    {
        .class_name = "SMS_PackageBaseclass",
        .server_assigned_key = "PackageID",
        .on_create = sms_package_on_create,
        .on_update = sms_package_on_update,
        .validate = sms_package_validate,
    },
    /* Boot image servicing: an ImagePath is imported (OSD binaries
     * injected) after the create commits; a refresh re-injects. */
    {
        .class_name = "SMS_BootImagePackage",
        .on_create = sms_boot_image_on_create,
        .on_update = sms_image_package_on_update,
        .validate = sms_boot_image_validate,
        .after_put = sms_boot_image_after_put,
        .refresh_builds_content = true,
    },
    /* WinPE customisation: the settings that land in the WIM are
     * checked, and ReferencedDrivers is mirrored into
     * SMS_BootImagePackage_DriverRef, inside the put's transaction. */
    {
        .class_name = "SMS_BootImagePackage",
        .validate = sms_boot_image_customization_validate,
    },
    {
        .class_name = "SMS_BootImagePackage",
        .validate = sms_driver_refs_on_put,
    },
    /* A delete may name the abstract base class, so the driver rows of a
     * deleted package are dropped from here. */
    {
        .class_name = "SMS_PackageBaseclass",
        .on_delete = sms_driver_refs_on_delete,
    },
    /* The driver catalogue: the site assigns CI_ID, the put reads the INF. */
    {
        .class_name = "SMS_Driver",
        .server_assigned_key = "CI_ID",
        .on_create = sms_driver_on_create,
        .validate = sms_driver_validate,
    },
    /* ImageProperty describes the WIM at PkgSourcePath. */
    {
        .class_name = "SMS_OperatingSystemInstallPackage",
        .on_update = sms_image_package_on_update,
    },
    /* Role-based administration: the site assigns the IDs (rbac_checks.c). */
    {.class_name = "SMS_Admin", .server_assigned_key = "AdminID"},
    {.class_name = "SMS_Role", .server_assigned_key = "RoleID"},
    {.class_name = "SMS_SecuredCategory", .server_assigned_key = "CategoryID"},
    /* An OS image package mirrors every image of the WIM at PkgSourcePath;
     * the WIM is read, never written. */
    {
        .class_name = "SMS_ImagePackage",
        .on_update = sms_image_package_on_update,
        .validate = sms_os_image_validate,
        .before_put = sms_os_image_before_put,
    },
    {
        .class_name = "SMS_DistributionPoint",
        .on_create = sms_dp_on_create,
        .on_update = sms_dp_on_update,
    },
    {
        .class_name = "SMS_ProviderLocation",
        .maintained_by_server = "it describes this server and is written from its configuration",
    },
};

smsprov_code sms_behaviour_each(const cim_class *cls, sms_behaviour_visit fn, void *data,
                                smsprov_error *err)
{
    for (size_t i = 0; i < sizeof behaviours / sizeof behaviours[0]; i++) {
        if (!cim_class_is_a(cls, behaviours[i].class_name))
            continue;
        smsprov_code rc = fn(&behaviours[i], data, err);
        if (rc != SMSPROV_OK)
            return rc;
    }
    return SMSPROV_OK;
}

const char *sms_behaviour_server_maintained(const cim_class *cls)
{
    for (size_t i = 0; i < sizeof behaviours / sizeof behaviours[0]; i++)
        if (behaviours[i].maintained_by_server && cim_class_is_a(cls, behaviours[i].class_name))
            return behaviours[i].maintained_by_server;
    return NULL;
}

const char *sms_behaviour_server_assigned_key(const cim_class *cls)
{
    for (size_t i = 0; i < sizeof behaviours / sizeof behaviours[0]; i++)
        if (behaviours[i].server_assigned_key && cim_class_is_a(cls, behaviours[i].class_name))
            return behaviours[i].server_assigned_key;
    return NULL;
}

bool sms_behaviour_refresh_builds_content(const cim_class *cls)
{
    for (size_t i = 0; i < sizeof behaviours / sizeof behaviours[0]; i++)
        if (behaviours[i].refresh_builds_content && cim_class_is_a(cls, behaviours[i].class_name))
            return true;
    return false;
}
