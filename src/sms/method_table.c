/* method_table.c - which code answers which method.  Entries for a base
 * class serve every subclass unless a more specific entry comes first. */
#include "sms/methods.h"

static const sms_method_entry method_table[] = {
    {"SMS_OperatingSystemInstallPackage", "RefreshPkgSource", sms_package_refresh_source},
    {"SMS_PackageBaseclass", "SetSourceSite", sms_package_set_source_site},
    {"SMS_PackageBaseclass", "Unlock", sms_package_unlock},
};

sms_method_fn sms_method_handler(const cim_class *cls, const char *method_name)
{
    for (size_t i = 0; i < sizeof method_table / sizeof method_table[0]; i++)
        if (cim_strcasecmp(method_table[i].method_name, method_name) == 0 &&
            cim_class_is_a(cls, method_table[i].class_name))
            return method_table[i].handler;
    return NULL;
}
