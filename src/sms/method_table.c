/* method_table.c - which code answers which method.  Entries for a base
 * class serve every subclass unless a more specific entry comes first. */
#include "sms/boot_image.h"
#include "sms/rbac.h"

static const sms_method_entry method_table[] = {
    {"SMS_OperatingSystemInstallPackage", "RefreshPkgSource", sms_package_refresh_source},
    /* OS image packages (image_package.c). */
    {"SMS_ImagePackage", "RefreshPkgSource", sms_os_image_refresh},
    {"SMS_ImagePackage", "RunOfflineServicingManager", sms_os_image_run_offline_servicing},
    /* Boot image servicing (boot_image_methods.c, image_methods.c). */
    {"SMS_BootImagePackage", "RefreshPkgSource", sms_boot_image_refresh},
    {"SMS_BootImagePackage", "UpdateImage", sms_boot_image_update},
    {"SMS_BootImagePackage", "UpdateDefaultImage", sms_boot_image_update},
    {"SMS_BootImagePackage", "QueryOSDBinaryInjectionStatus", sms_boot_image_query_status},
    {"SMS_BootImagePackage", "DeleteContextID", sms_boot_image_delete_context},
    /* WinPE customisation (optional_component_update.c,
     * boot_image_export.c). */
    {"SMS_BootImagePackage", "UpdateOptionalComponents", sms_boot_image_update_components},
    {"SMS_BootImagePackage", "ExportDefaultBootImage", sms_boot_image_export_default},
    /* NAL paths (nal_methods.c). */
    {"SMS_NAL_Methods", "PackNALPath", sms_nal_pack_method},
    {"SMS_NAL_Methods", "UnPackNALPath", sms_nal_unpack_method},
    {"SMS_PackageBaseclass", "GetImageProperties", sms_image_get_properties},
    {"SMS_PackageBaseclass", "ReloadImageProperties", sms_image_reload_properties},
    {"SMS_PackageBaseclass", "AddDistributionPoints", sms_package_add_distribution_points},
    {"SMS_PackageBaseclass", "AddChangeNotification", sms_package_add_change_notification},
    {"SMS_PackageBaseclass", "SetSourceSite", sms_package_set_source_site},
    {"SMS_PackageBaseclass", "Unlock", sms_package_unlock},
    /* Role-based administration (rbac_methods.c). */
    {"SMS_SecuredCategoryMembership", "AddMemberships", sms_membership_add},
    {"SMS_SecuredCategoryMembership", "RemoveMemberships", sms_membership_remove},
};

sms_method_fn sms_method_handler(const cim_class *cls, const char *method_name)
{
    for (size_t i = 0; i < sizeof method_table / sizeof method_table[0]; i++)
        if (cim_strcasecmp(method_table[i].method_name, method_name) == 0 &&
            cim_class_is_a(cls, method_table[i].class_name))
            return method_table[i].handler;
    return NULL;
}
