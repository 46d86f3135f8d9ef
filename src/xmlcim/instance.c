/* instance.c - instances as CIM-XML INSTANCE and INSTANCENAME elements. */
#include <stdlib.h>
#include <string.h>

#include "xmlcim/xmlcim_internal.h"

static bool listed(const char *const *list, const char *name)
{
    if (!list)
        return true;
    for (; *list; list++)
        if (cim_strcasecmp(*list, name) == 0)
            return true;
    return false;
}

static void write_property_value(cim_buf *b, const cim_instance *inst, size_t index,
                                 const xmlcim_instance_options *opts)
{
    const cim_property *p = &inst->cls->properties[index];
    const cim_value *v = &inst->values[index];
    const char *tag = p->type == CIM_TYPE_REFERENCE ? (p->is_array ? "PROPERTY.REFARRAY"
                                                                   : "PROPERTY.REFERENCE")
                      : p->is_array                 ? "PROPERTY.ARRAY"
                                                    : "PROPERTY";
    cim_buf_printf(b, "<%s NAME=\"", tag);
    xmlcim_escape(b, p->name);
    cim_buf_append(b, "\"");
    if (p->type == CIM_TYPE_REFERENCE) {
        if (p->ref_class) {
            cim_buf_append(b, " REFERENCECLASS=\"");
            xmlcim_escape(b, p->ref_class);
            cim_buf_append(b, "\"");
        }
    } else {
        cim_buf_printf(b, " TYPE=\"%s\"", xmlcim_type_name(p->type));
    }
    /* wbemcli 1.6 refuses EmbeddedObject on PROPERTY.ARRAY, so an array of
     * embedded instances says so with a qualifier (below), which DSP0201
     * accepts as well. */
    bool embeds_array = p->type == CIM_TYPE_OBJECT && p->is_array;
    if (p->type == CIM_TYPE_OBJECT && !p->is_array)
        cim_buf_append(b, " EmbeddedObject=\"instance\"");
    if (opts->include_class_origin && p->origin_class) {
        cim_buf_append(b, " CLASSORIGIN=\"");
        xmlcim_escape(b, p->origin_class);
        cim_buf_append(b, "\"");
    }
    cim_buf_append(b, ">");
    if (opts->include_qualifiers)
        for (size_t i = 0; i < p->qualifiers.count; i++)
            xmlcim_write_qualifier(b, &p->qualifiers.items[i]);
    if (embeds_array && !(opts->include_qualifiers &&
                          cim_qualifier_find(&p->qualifiers, "EmbeddedInstance"))) {
        cim_buf_append(b, "<QUALIFIER NAME=\"EmbeddedInstance\" TYPE=\"string\"><VALUE>");
        xmlcim_escape(b, p->ref_class ? p->ref_class : "");
        cim_buf_append(b, "</VALUE></QUALIFIER>");
    }
    xmlcim_write_value(b, v);
    cim_buf_printf(b, "</%s>", tag);
}

void xmlcim_write_instance(cim_buf *b, const cim_instance *inst,
                           const xmlcim_instance_options *opts)
{
    static const xmlcim_instance_options defaults = {0};
    if (!opts)
        opts = &defaults;
    cim_buf_append(b, "<INSTANCE CLASSNAME=\"");
    xmlcim_escape(b, inst->cls->name);
    cim_buf_append(b, "\">");
    for (size_t i = 0; i < inst->cls->property_count; i++)
        if (listed(opts->property_list, inst->cls->properties[i].name))
            write_property_value(b, inst, i, opts);
    cim_buf_append(b, "</INSTANCE>");
}

void xmlcim_write_instancename(cim_buf *b, const cim_instance *inst)
{
    cim_buf_append(b, "<INSTANCENAME CLASSNAME=\"");
    xmlcim_escape(b, inst->cls->name);
    cim_buf_append(b, "\">");
    for (size_t i = 0; i < inst->cls->property_count; i++) {
        const cim_property *p = &inst->cls->properties[i];
        if (!(p->flags & CIM_PROP_KEY))
            continue;
        cim_buf_append(b, "<KEYBINDING NAME=\"");
        xmlcim_escape(b, p->name);
        cim_buf_append(b, "\">");
        if (p->type == CIM_TYPE_REFERENCE) {
            cim_buf_append(b, "<VALUE.REFERENCE>");
            xmlcim_write_reference_path(b, inst->values[i].u.string);
            cim_buf_append(b, "</VALUE.REFERENCE>");
        } else {
            xmlcim_write_keyvalue(b, &inst->values[i]);
        }
        cim_buf_append(b, "</KEYBINDING>");
    }
    cim_buf_append(b, "</INSTANCENAME>");
}
