/* value_write.c - instances, values and EPRs as WS-Management XML. */
#include <stdlib.h>
#include <string.h>

#include "wsman/datetime.h"
#include "wsman/values.h"
#include "wsman/wsman_ns.h"
#include "xmlcim/xmlcim.h"

char *wsman_namespace_text(const char *namespace_path)
{
    char *ns = cim_namespace_normalize(namespace_path);
    for (char *p = ns; *p; p++)
        if (*p == '\\')
            *p = '/';
    return ns;
}

static void write_selector(cim_buf *b, const char *name, const char *value)
{
    cim_buf_append(b, "<w:Selector Name=\"");
    xmlcim_escape(b, name);
    cim_buf_append(b, "\">");
    xmlcim_escape(b, value);
    cim_buf_append(b, "</w:Selector>");
}

void wsman_write_epr_contents(cim_buf *b, const char *uri_prefix, const char *namespace_path,
                              const char *object_path)
{
    cim_object_path path = {0};
    bool parsed = cim_object_path_parse(object_path ? object_path : "", &path, NULL) == SMSPROV_OK;
    cim_buf_append(b, "<a:Address>" ADDRESS_ANONYMOUS "</a:Address><a:ReferenceParameters>"
                      "<w:ResourceURI>");
    xmlcim_escape(b, uri_prefix);
    xmlcim_escape(b, parsed ? path.class_name : object_path);
    cim_buf_append(b, "</w:ResourceURI><w:SelectorSet>");
    char *ns = wsman_namespace_text(parsed && path.namespace_path ? path.namespace_path
                                                                  : namespace_path);
    write_selector(b, "__cimnamespace", ns);
    free(ns);
    for (size_t i = 0; parsed && i < path.key_count; i++) {
        char *text = xmlcim_scalar_text(&path.keys[i].value);
        write_selector(b, path.keys[i].name ? path.keys[i].name : "", text ? text : "");
        free(text);
    }
    cim_buf_append(b, "</w:SelectorSet></a:ReferenceParameters>");
    cim_object_path_clear(&path);
}

void wsman_write_instance_epr(cim_buf *b, const cim_instance *inst, const char *uri_prefix,
                              const char *namespace_path)
{
    char *path = cim_instance_relpath(inst);
    wsman_write_epr_contents(b, uri_prefix, namespace_path, path);
    free(path);
}

typedef struct write_state {
    const wsman_write_options *o;
    int depth; /* prefix p, p1, p2... per nesting level */
} write_state;

static void write_object(cim_buf *b, write_state *st, const char *outer_prefix,
                         const char *element, const cim_instance *inst, const cim_class *cls);

/* The instance writer is the hot loop of an enumeration: tags and numbers
 * are appended directly rather than through printf. */
static void append_tag(cim_buf *b, const char *start, const char *prefix, const char *name)
{
    cim_buf_append(b, start);
    cim_buf_append(b, prefix);
    cim_buf_append_n(b, ":", 1);
    cim_buf_append(b, name);
}

static void open_element(cim_buf *b, const char *prefix, const char *name)
{
    append_tag(b, "<", prefix, name);
}

static void append_integer(cim_buf *b, bool negative, uint64_t magnitude)
{
    char digits[24];
    size_t n = sizeof digits;
    do {
        digits[--n] = (char)('0' + magnitude % 10);
        magnitude /= 10;
    } while (magnitude);
    if (negative)
        digits[--n] = '-';
    cim_buf_append_n(b, digits + n, sizeof digits - n);
}

/* A scalar's text, escaped; the common types without a copy. */
static void write_scalar_text(cim_buf *b, const cim_value *v)
{
    if (v->type == CIM_TYPE_STRING) {
        xmlcim_escape(b, v->u.string);
    } else if (v->type == CIM_TYPE_BOOLEAN) {
        cim_buf_append(b, v->u.boolean ? "true" : "false");
    } else if (cim_type_is_signed(v->type)) {
        append_integer(b, v->u.sint < 0, v->u.sint < 0 ? 0 - (uint64_t)v->u.sint : (uint64_t)v->u.sint);
    } else if (cim_type_is_unsigned(v->type)) {
        append_integer(b, false, v->u.uint);
    } else {
        char *text = xmlcim_scalar_text(v);
        xmlcim_escape(b, text);
        free(text);
    }
}

static void write_datetime(cim_buf *b, const write_state *st, const char *dmtf)
{
    bool interval = false;
    char *xml = wsman_datetime_to_xml(dmtf, &interval);
    if (!st->o->winrm_client) {
        xmlcim_escape(b, xml ? xml : dmtf);
    } else if (!xml) {
        cim_buf_append(b, "<cim:CIM_DateTime>");
        xmlcim_escape(b, dmtf);
        cim_buf_append(b, "</cim:CIM_DateTime>");
    } else {
        const char *tag = interval ? "cim:Interval" : "cim:Datetime";
        cim_buf_printf(b, "<%s>%s</%s>", tag, xml, tag);
    }
    free(xml);
}

static void write_item(cim_buf *b, write_state *st, const char *prefix, const char *name,
                       const cim_value *v)
{
    if (v->is_null) {
        open_element(b, prefix, name);
        cim_buf_append(b, " xsi:nil=\"true\"/>");
        return;
    }
    if (v->type == CIM_TYPE_OBJECT) {
        write_object(b, st, prefix, name, v->u.object, v->u.object->cls);
        return;
    }
    open_element(b, prefix, name);
    cim_buf_append(b, ">");
    if (v->type == CIM_TYPE_DATETIME) {
        write_datetime(b, st, v->u.string);
    } else if (v->type == CIM_TYPE_REFERENCE) {
        wsman_write_epr_contents(b, st->o->uri_prefix, st->o->namespace_path, v->u.string);
    } else {
        write_scalar_text(b, v);
    }
    append_tag(b, "</", prefix, name);
    cim_buf_append_n(b, ">", 1);
}

static void write_property(cim_buf *b, write_state *st, const char *prefix,
                           const cim_property *p, const cim_value *v)
{
    if (v->is_null && v->is_array) {
        open_element(b, prefix, p->name);
        cim_buf_append(b, st->o->precise_arrays ? " msftwinrm:IsNullArray=\"true\" xsi:nil=\"true\"/>"
                                                : " xsi:nil=\"true\"/>");
        return;
    }
    if (!v->is_array) {
        write_item(b, st, prefix, p->name, v);
        return;
    }
    for (size_t i = 0; i < v->u.array.count; i++)
        write_item(b, st, prefix, p->name, &v->u.array.items[i]);
}

/* An instance as an element: the top-level one is named after its class,
 * an embedded one after the property holding it. */
static void write_object(cim_buf *b, write_state *st, const char *outer_prefix,
                         const char *element, const cim_instance *inst, const cim_class *cls)
{
    char prefix[16];
    if (st->depth == 0)
        strcpy(prefix, "p");
    else
        snprintf(prefix, sizeof prefix, "p%d", st->depth);
    st->depth++;
    if (outer_prefix)
        cim_buf_printf(b, "<%s:%s xmlns:%s=\"", outer_prefix, element, prefix);
    else
        cim_buf_printf(b, "<%s:%s xmlns:%s=\"", prefix, element, prefix);
    xmlcim_escape(b, st->o->uri_prefix);
    xmlcim_escape(b, cls->name);
    cim_buf_printf(b, "\" xsi:type=\"%s:%s_Type\">", prefix, cls->name);
    for (size_t i = 0; i < cls->property_count; i++) {
        const cim_property *p = &cls->properties[i];
        ptrdiff_t at = cls == inst->cls ? (ptrdiff_t)i : cim_class_property_index(inst->cls, p->name);
        if (at >= 0)
            write_property(b, st, prefix, p, &inst->values[at]);
    }
    cim_buf_printf(b, "</%s:%s>", outer_prefix ? outer_prefix : prefix, element);
    st->depth--;
}

void wsman_write_instance(cim_buf *b, const cim_instance *inst, const wsman_write_options *o)
{
    write_state st = {.o = o};
    const cim_class *cls = o->as_class ? o->as_class : inst->cls;
    write_object(b, &st, NULL, cls->name, inst, cls);
}

void wsman_write_property(cim_buf *b, const char *prefix, const cim_property *p,
                          const cim_value *v, const wsman_write_options *o)
{
    write_state st = {.o = o, .depth = 1};
    write_property(b, &st, prefix, p, v);
}
