/* names.c - naming and locating elements around INSTANCE (names.h). */
#include "xmlcim/names.h"

#include "xmlcim/xmlcim_internal.h"

void xmlcim_write_classname(cim_buf *b, const char *class_name)
{
    cim_buf_append(b, "<CLASSNAME NAME=\"");
    xmlcim_escape(b, class_name);
    cim_buf_append(b, "\"/>");
}

void xmlcim_write_localnamespacepath(cim_buf *b, const char *namespace_path)
{
    xmlcim_write_namespace(b, namespace_path);
}

void xmlcim_write_instancename_of_path(cim_buf *b, const char *path_text)
{
    xmlcim_write_reference_path(b, path_text);
}

bool xmlcim_instance_has_keys(const cim_instance *inst)
{
    for (size_t i = 0; i < inst->cls->property_count; i++)
        if ((inst->cls->properties[i].flags & CIM_PROP_KEY) && inst->values[i].is_null)
            return false;
    return true;
}

void xmlcim_write_named_instance(cim_buf *b, const cim_instance *inst,
                                 const xmlcim_instance_options *opts)
{
    cim_buf_append(b, "<VALUE.NAMEDINSTANCE>");
    xmlcim_write_instancename(b, inst);
    xmlcim_write_instance(b, inst, opts);
    cim_buf_append(b, "</VALUE.NAMEDINSTANCE>");
}

void xmlcim_write_instancepath(cim_buf *b, const char *host, const char *namespace_path,
                               const cim_instance *inst)
{
    cim_buf_append(b, "<INSTANCEPATH><NAMESPACEPATH><HOST>");
    xmlcim_escape(b, host);
    cim_buf_append(b, "</HOST>");
    xmlcim_write_namespace(b, namespace_path);
    cim_buf_append(b, "</NAMESPACEPATH>");
    xmlcim_write_instancename(b, inst);
    cim_buf_append(b, "</INSTANCEPATH>");
}

void xmlcim_write_object_with_path(cim_buf *b, const char *host, const char *namespace_path,
                                   const cim_instance *inst, const xmlcim_instance_options *opts)
{
    if (!xmlcim_instance_has_keys(inst)) {
        cim_buf_append(b, "<VALUE.OBJECT>");
        xmlcim_write_instance(b, inst, opts);
        cim_buf_append(b, "</VALUE.OBJECT>");
        return;
    }
    cim_buf_append(b, "<VALUE.OBJECTWITHPATH>");
    xmlcim_write_instancepath(b, host, namespace_path, inst);
    xmlcim_write_instance(b, inst, opts);
    cim_buf_append(b, "</VALUE.OBJECTWITHPATH>");
}
