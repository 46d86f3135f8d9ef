/* nal_methods.c - SMS_NAL_Methods, both static:
 *   PackNALPath(DisplayQualifiers[], NALType, NetworkOSPath,
 *               NetworkConnectionQualifiers[], out NALPath)
 *   UnPackNALPath(NALPath, out DisplayQualifiers[], out NALType,
 *                 out NetworkOSPath, out NetworkConnectionQualifiers[])
 * on the strings SMS_SystemResourceList holds (nal.h). */
#include <stdlib.h>

#include "sms/boot_image.h"
#include "sms/nal.h"

/* Borrows the strings of a string[] in-parameter (null: none). */
static char **borrow_strings(const cim_instance *in, const char *name, size_t *count)
{
    const cim_value *v = cim_instance_get(in, name);
    *count = v && !v->is_null ? v->u.array.count : 0;
    char **items = cim_xcalloc(*count ? *count : 1, sizeof *items);
    for (size_t i = 0; i < *count; i++)
        items[i] = v->u.array.items[i].is_null ? NULL : v->u.array.items[i].u.string;
    return items;
}

/* The method's own error: its parameters are what is wrong. */
static smsprov_code as_method_error(smsprov_code rc, smsprov_error *err)
{
    if (rc == SMSPROV_E_INVALID_PARAMETER && err)
        err->code = SMSPROV_E_INVALID_METHOD_PARAMETERS;
    return rc == SMSPROV_E_INVALID_PARAMETER ? SMSPROV_E_INVALID_METHOD_PARAMETERS : rc;
}

smsprov_code sms_nal_pack_method(sms_method_call *mc, smsprov_error *err)
{
    sms_nal nal = {0};
    nal.display = borrow_strings(mc->in, "DisplayQualifiers", &nal.display_count);
    nal.connection =
        borrow_strings(mc->in, "NetworkConnectionQualifiers", &nal.connection_count);
    nal.type = (char *)sms_string_of(mc->in, "NALType");
    nal.os_path = (char *)sms_string_of(mc->in, "NetworkOSPath");
    char *packed = NULL;
    smsprov_code rc = sms_nal_pack(&nal, &packed, err);
    if (rc == SMSPROV_OK)
        cim_instance_set_string(mc->out, "NALPath", packed, NULL);
    free(packed);
    free(nal.display);
    free(nal.connection);
    return as_method_error(rc, err);
}

static cim_value string_array(char *const *items, size_t count)
{
    cim_value array = cim_value_array(CIM_TYPE_STRING);
    for (size_t i = 0; i < count; i++) {
        cim_value item = cim_value_string(items[i]);
        cim_value_array_append_take(&array, &item);
    }
    return array;
}

smsprov_code sms_nal_unpack_method(sms_method_call *mc, smsprov_error *err)
{
    sms_nal nal;
    smsprov_code rc = sms_nal_unpack(sms_string_of(mc->in, "NALPath"), &nal, err);
    if (rc != SMSPROV_OK)
        return as_method_error(rc, err);
    cim_instance_take_value(mc->out, "DisplayQualifiers", string_array(nal.display, nal.display_count));
    cim_instance_take_value(mc->out, "NALType", cim_value_string(nal.type));
    cim_instance_take_value(mc->out, "NetworkOSPath", cim_value_string(nal.os_path));
    cim_instance_take_value(mc->out, "NetworkConnectionQualifiers",
                  string_array(nal.connection, nal.connection_count));
    sms_nal_clear(&nal);
    return SMSPROV_OK;
}
