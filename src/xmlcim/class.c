/* class.c - a class as a CIM-XML CLASS element (DSP0201), in the shape the
 * MI client and wbemcli read: TYPE on every property and parameter,
 * PROPAGATED on inherited members, embedded instances as strings with an
 * EmbeddedInstance qualifier. */
#include <stdlib.h>
#include <string.h>

#include "xmlcim/xmlcim_internal.h"

void xmlcim_write_qualifier(cim_buf *b, const cim_qualifier *q)
{
    cim_buf_append(b, "<QUALIFIER NAME=\"");
    xmlcim_escape(b, q->name);
    cim_buf_printf(b, "\" TYPE=\"%s\"", xmlcim_type_name(q->value.type));
    if (q->flavor & CIM_FLAVOR_DISABLEOVERRIDE)
        cim_buf_append(b, " OVERRIDABLE=\"false\"");
    if (q->flavor & CIM_FLAVOR_RESTRICTED)
        cim_buf_append(b, " TOSUBCLASS=\"false\"");
    if (q->flavor & CIM_FLAVOR_TOINSTANCE)
        cim_buf_append(b, " TOINSTANCE=\"true\"");
    if (q->flavor & CIM_FLAVOR_TRANSLATABLE)
        cim_buf_append(b, " TRANSLATABLE=\"true\"");
    cim_buf_append(b, ">");
    xmlcim_write_value(b, &q->value);
    cim_buf_append(b, "</QUALIFIER>");
}

static void write_bool_qualifier(cim_buf *b, const char *name)
{
    cim_buf_printf(b, "<QUALIFIER NAME=\"%s\" TYPE=\"boolean\"><VALUE>true</VALUE></QUALIFIER>",
                   name);
}

/* Qualifiers a client cannot type the member without, even when the caller
 * asked for no qualifiers. */
static bool is_essential(const char *name)
{
    static const char *const names[] = {"key", "in", "out", "static", "EmbeddedInstance",
                                        "EmbeddedObject"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (cim_strcasecmp(name, names[i]) == 0)
            return true;
    return false;
}

static void write_qualifiers(cim_buf *b, const cim_qualifier_list *list, bool all)
{
    for (size_t i = 0; i < list->count; i++)
        if (all || is_essential(list->items[i].name))
            xmlcim_write_qualifier(b, &list->items[i]);
}

/* An embedded object travels as a string; say which class it holds. */
static void write_embedding(cim_buf *b, cim_type type, const char *ref_class,
                            const cim_qualifier_list *declared)
{
    if (type != CIM_TYPE_OBJECT || cim_qualifier_find(declared, "EmbeddedInstance") ||
        cim_qualifier_find(declared, "EmbeddedObject"))
        return;
    if (!ref_class) {
        write_bool_qualifier(b, "EmbeddedObject");
        return;
    }
    cim_buf_append(b, "<QUALIFIER NAME=\"EmbeddedInstance\" TYPE=\"string\"><VALUE>");
    xmlcim_escape(b, ref_class);
    cim_buf_append(b, "</VALUE></QUALIFIER>");
}

static void write_member_origin(cim_buf *b, const cim_class *cls, const char *origin,
                                const xmlcim_class_options *opts)
{
    if (opts->include_class_origin && origin) {
        cim_buf_append(b, " CLASSORIGIN=\"");
        xmlcim_escape(b, origin);
        cim_buf_append(b, "\"");
    }
    if (origin && cim_strcasecmp(origin, cls->name) != 0)
        cim_buf_append(b, " PROPAGATED=\"true\"");
}

static bool is_local(const cim_class *cls, const char *origin)
{
    return !origin || cim_strcasecmp(origin, cls->name) == 0;
}

static void write_property(cim_buf *b, const cim_class *cls, const cim_property *p,
                           const xmlcim_class_options *opts)
{
    const char *tag;
    if (p->type == CIM_TYPE_REFERENCE) {
        tag = p->is_array ? "PROPERTY.REFARRAY" : "PROPERTY.REFERENCE";
        cim_buf_printf(b, "<%s NAME=\"", tag);
        xmlcim_escape(b, p->name);
        cim_buf_append(b, "\"");
        if (p->ref_class) {
            cim_buf_append(b, " REFERENCECLASS=\"");
            xmlcim_escape(b, p->ref_class);
            cim_buf_append(b, "\"");
        }
    } else {
        tag = p->is_array ? "PROPERTY.ARRAY" : "PROPERTY";
        cim_buf_printf(b, "<%s NAME=\"", tag);
        xmlcim_escape(b, p->name);
        cim_buf_printf(b, "\" TYPE=\"%s\"", xmlcim_type_name(p->type));
        if (p->is_array && p->array_size)
            cim_buf_printf(b, " ARRAYSIZE=\"%zu\"", p->array_size);
    }
    write_member_origin(b, cls, p->origin_class, opts);
    cim_buf_append(b, ">");
    write_qualifiers(b, &p->qualifiers, opts->include_qualifiers);
    write_embedding(b, p->type, p->ref_class, &p->qualifiers);
    xmlcim_write_value(b, &p->default_value);
    cim_buf_printf(b, "</%s>", tag);
}

static void write_parameter(cim_buf *b, const cim_parameter *p, bool all_qualifiers)
{
    const char *tag;
    if (p->type == CIM_TYPE_REFERENCE) {
        tag = p->is_array ? "PARAMETER.REFARRAY" : "PARAMETER.REFERENCE";
        cim_buf_printf(b, "<%s NAME=\"", tag);
        xmlcim_escape(b, p->name);
        cim_buf_append(b, "\"");
        if (p->ref_class) {
            cim_buf_append(b, " REFERENCECLASS=\"");
            xmlcim_escape(b, p->ref_class);
            cim_buf_append(b, "\"");
        }
    } else {
        tag = p->is_array ? "PARAMETER.ARRAY" : "PARAMETER";
        cim_buf_printf(b, "<%s NAME=\"", tag);
        xmlcim_escape(b, p->name);
        cim_buf_printf(b, "\" TYPE=\"%s\"", xmlcim_type_name(p->type));
        if (p->is_array && p->array_size)
            cim_buf_printf(b, " ARRAYSIZE=\"%zu\"", p->array_size);
    }
    cim_buf_append(b, ">");
    write_qualifiers(b, &p->qualifiers, all_qualifiers);
    if (p->in && !cim_qualifier_find(&p->qualifiers, "in"))
        write_bool_qualifier(b, "in");
    if (p->out && !cim_qualifier_find(&p->qualifiers, "out"))
        write_bool_qualifier(b, "out");
    write_embedding(b, p->type, p->ref_class, &p->qualifiers);
    cim_buf_printf(b, "</%s>", tag);
}

static void write_method(cim_buf *b, const cim_class *cls, const cim_method *m,
                         const xmlcim_class_options *opts)
{
    cim_buf_append(b, "<METHOD NAME=\"");
    xmlcim_escape(b, m->name);
    cim_buf_append(b, "\"");
    if (m->return_type != CIM_TYPE_INVALID)
        cim_buf_printf(b, " TYPE=\"%s\"", xmlcim_type_name(m->return_type));
    write_member_origin(b, cls, m->origin_class, opts);
    cim_buf_append(b, ">");
    write_qualifiers(b, &m->qualifiers, opts->include_qualifiers);
    if (m->is_static && !cim_qualifier_find(&m->qualifiers, "static"))
        write_bool_qualifier(b, "static");
    for (size_t i = 0; i < m->param_count; i++)
        write_parameter(b, &m->params[i], opts->include_qualifiers);
    cim_buf_append(b, "</METHOD>");
}

void xmlcim_write_class(cim_buf *b, const cim_class *cls, const xmlcim_class_options *opts)
{
    static const xmlcim_class_options defaults = {.include_qualifiers = true};
    if (!opts)
        opts = &defaults;
    cim_buf_append(b, "<CLASS NAME=\"");
    xmlcim_escape(b, cls->name);
    cim_buf_append(b, "\"");
    if (cls->superclass_name) {
        cim_buf_append(b, " SUPERCLASS=\"");
        xmlcim_escape(b, cls->superclass_name);
        cim_buf_append(b, "\"");
    }
    if (opts->include_derivation) {
        cim_buf_append(b, " DERIVATION=\"");
        for (const cim_class *s = cls->superclass; s; s = s->superclass) {
            xmlcim_escape(b, s->name);
            if (s->superclass)
                cim_buf_append(b, ",");
        }
        cim_buf_append(b, "\"");
    }
    cim_buf_append(b, ">");
    if (opts->include_qualifiers)
        write_qualifiers(b, &cls->qualifiers, true);
    for (size_t i = 0; i < cls->property_count; i++) {
        const cim_property *p = &cls->properties[i];
        if (!opts->local_only || is_local(cls, p->origin_class))
            write_property(b, cls, p, opts);
    }
    for (size_t i = 0; i < cls->method_count; i++) {
        const cim_method *m = &cls->methods[i];
        if (!opts->local_only || is_local(cls, m->origin_class))
            write_method(b, cls, m, opts);
    }
    cim_buf_append(b, "</CLASS>");
}
