/* optional_component_update.c - SMS_BootImagePackage.UpdateOptionalComponents
 * (ComponentIds string[]): "updates the boot image with all specified
 * optional components".  Each item is a decimal ID of the documented table
 * (the docs type the parameter string[] while OptionalComponents is
 * uint32[]).  The IDs are checked as a put checks OptionalComponents, the
 * content is rebuilt with them (their closure and the required components)
 * like RefreshPkgSource, and only then stored: a refused or failed call
 * changes nothing.  A boot image without ImagePath has no content yet: the
 * IDs are stored (with a new SedoObjectVersion) for its first build. */
#include <errno.h>
#include <stdlib.h>

#include "sms/boot_image.h"
#include "sms/optional_components.h"

static smsprov_code bad_id(smsprov_error *err, size_t i, const char *text)
{
    smsprov_error_set(err, SMSPROV_E_INVALID_METHOD_PARAMETERS,
                      "ComponentIds[%zu] \"%s\" is not an optional component ID; give decimal "
                      "IDs such as \"27\".",
                      i, text);
    smsprov_error_set_parameter(err, "ComponentIds");
    return SMSPROV_E_INVALID_METHOD_PARAMETERS;
}

static smsprov_code parse_ids(const cim_value *items, cim_value *ids, smsprov_error *err)
{
    *ids = cim_value_array(CIM_TYPE_UINT32);
    for (size_t i = 0; items && !items->is_null && i < items->u.array.count; i++) {
        const cim_value *item = &items->u.array.items[i];
        const char *text = item->is_null ? "" : item->u.string;
        char *end = NULL;
        errno = 0;
        unsigned long long n = *text >= '0' && *text <= '9' ? strtoull(text, &end, 10) : 0;
        if (!end || *end || errno != 0 || n > UINT32_MAX) {
            cim_value_clear(ids);
            return bad_id(err, i, text);
        }
        cim_value v = cim_value_uint(CIM_TYPE_UINT32, n);
        cim_value_array_append_take(ids, &v);
    }
    return SMSPROV_OK;
}

/* Stores the IDs without a build (the package has no content yet). */
static smsprov_code store_ids(sms_method_call *mc, cim_instance *inst, smsprov_error *err)
{
    cim_value ids;
    smsprov_code rc = parse_ids(cim_instance_get(mc->in, "ComponentIds"), &ids, err);
    if (rc != SMSPROV_OK)
        return rc;
    cim_instance_take_value(inst, "OptionalComponents", ids);
    char *guid = sms_new_guid();
    cim_instance_take_value(inst, "SedoObjectVersion", cim_value_string(guid));
    free(guid);
    return SMSPROV_OK;
}

smsprov_code sms_boot_image_update_components(sms_method_call *mc, smsprov_error *err)
{
    if (!mc->target)
        return smsprov_error_set(err, SMSPROV_E_INVALID_OPERATION,
                                 "UpdateOptionalComponents needs a boot image package to work "
                                 "on.");
    cim_value ids;
    smsprov_code rc = parse_ids(cim_instance_get(mc->in, "ComponentIds"), &ids, err);
    if (rc != SMSPROV_OK)
        return rc;
    size_t n = ids.u.array.count;
    uint32_t *list = cim_xcalloc(n ? n : 1, sizeof *list);
    for (size_t i = 0; i < n; i++)
        list[i] = (uint32_t)ids.u.array.items[i].u.uint;
    rc = sms_optional_components_check(list, n, sms_string_of(mc->target, "Architecture"),
                                       "ComponentIds", SMSPROV_E_INVALID_METHOD_PARAMETERS, err);
    free(list);
    const char *image_path = sms_string_of(mc->target, "ImagePath");
    if (rc == SMSPROV_OK && (!image_path || !*image_path))
        rc = sms_change_target(mc, store_ids, err);
    else if (rc == SMSPROV_OK)
        rc = sms_boot_image_inject_components(mc->site, mc->call, mc->target, &ids,
                                              mc->method->name,
                                              sms_string_of(mc->target, "ContextID"), err);
    cim_value_clear(&ids);
    return rc;
}
