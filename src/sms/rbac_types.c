/* rbac_types.c - which classes are secured, their ObjectTypeID and the key
 * a membership names: one row per class. */
#include "sms/rbac.h"

static const sms_secured_type types[] = {
    {"SMS_OperatingSystemInstallPackage", 14, "PackageID", true},
    {"SMS_ImagePackage", 18, "PackageID", true},
    {"SMS_BootImagePackage", 19, "PackageID", true},
    {"SMS_Driver", 25, "CI_ID", true},
    /* Scopes, roles and administrative users are not in scopes: only the
     * role's grants on type 29 count. */
    {"SMS_SecuredCategory", SMS_TYPE_SECURITY, "CategoryID", false},
    {"SMS_Role", SMS_TYPE_SECURITY, "RoleID", false},
    {"SMS_Admin", SMS_TYPE_SECURITY, "AdminID", false},
};

const sms_secured_type *sms_secured_type_of(const cim_class *cls)
{
    for (size_t i = 0; cls && i < sizeof types / sizeof types[0]; i++)
        if (cim_strcasecmp(types[i].class_name, cls->name) == 0)
            return &types[i];
    return NULL;
}

const sms_secured_type *sms_secured_type_by_id(uint32_t object_type)
{
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
        if (types[i].scoped && types[i].object_type == object_type)
            return &types[i];
    return NULL;
}

const char *sms_op_name(uint32_t op)
{
    switch (op) {
    case SMS_OP_READ: return "Read";
    case SMS_OP_MODIFY: return "Modify";
    case SMS_OP_DELETE: return "Delete";
    case SMS_OP_COPY_TO_DP: return "Copy to Distribution Point";
    case SMS_OP_SET_SCOPE: return "Set Security Scope";
    case SMS_OP_CREATE: return "Create";
    default: return "the required";
    }
}
