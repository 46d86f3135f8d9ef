/* classes.c - class definitions, straight from the compiled schema. */
#include "sms/site.h"

smsprov_code smsprov_get_class(smsprov_site *site, const smsprov_call *call,
                               const char *class_name, const cim_class **out, smsprov_error *err)
{
    *out = NULL;
    const char *ns = NULL;
    smsprov_code rc = sms_resolve_namespace(site, call, &ns, err);
    if (rc == SMSPROV_OK)
        rc = sms_find_class(site, ns, class_name, out, err);
    if (rc != SMSPROV_OK)
        smsprov_error_set_operation(err, "GetObject");
    return rc;
}

smsprov_code smsprov_enum_classes(smsprov_site *site, const smsprov_call *call,
                                  const char *superclass_name, bool deep,
                                  const cim_class ***out, size_t *count, smsprov_error *err)
{
    *out = NULL;
    *count = 0;
    const char *ns = NULL;
    smsprov_code rc = sms_resolve_namespace(site, call, &ns, err);
    const cim_class *super = NULL;
    if (rc == SMSPROV_OK && superclass_name && *superclass_name)
        rc = sms_find_class(site, ns, superclass_name, &super, err);
    if (rc != SMSPROV_OK) {
        smsprov_error_set_operation(err, "CreateClassEnum");
        return rc;
    }
    *out = cim_schema_list_classes(site->schema, ns, super ? super->name : NULL, deep, count);
    return SMSPROV_OK;
}
