/* extended_status.c - the SMS_ExtendedStatus instance every door attaches
 * to a provider error: WS-Man inside its fault detail, CIM-XML inside
 * <ERROR>.  One builder, so both doors report the same fields. */
#include "xmlcim/xmlcim.h"

static void set_text(cim_instance *inst, const char *name, const char *value)
{
    if (value)
        cim_instance_set_string(inst, name, value, NULL);
}

cim_instance *xmlcim_extended_status(const cim_schema *schema, const char *namespace_path,
                                     const smsprov_error *err)
{
    const cim_class *cls = schema && namespace_path
                               ? cim_schema_find_class(schema, namespace_path,
                                                       "SMS_ExtendedStatus")
                               : NULL;
    if (!cls || err->code == SMSPROV_OK)
        return NULL;
    cim_instance *st = cim_instance_new(cls);
    set_text(st, "Description", err->description);
    set_text(st, "Operation", err->operation);
    set_text(st, "ParameterInfo", err->parameter_info);
    set_text(st, "ObjectInfo", err->object_info);
    set_text(st, "ProviderName", "SMS Provider");
    set_text(st, "File", err->file);
    cim_instance_set_uint(st, "Line", err->line, NULL);
    cim_instance_set_uint(st, "ErrorCode", err->error_code, NULL);
    cim_instance_set_uint(st, "StatusCode",
                          err->status_code ? err->status_code : (uint32_t)err->code, NULL);
    return st;
}
