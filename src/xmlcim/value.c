/* value.c - CIM types and values as CIM-XML: TYPE names, VALUE,
 * VALUE.ARRAY and VALUE.REFERENCE. */
#include "xmlcim/xmlcim.h"

#include <stdlib.h>
#include <string.h>

#include "xmlcim/xmlcim_internal.h"

const char *xmlcim_type_name(cim_type type)
{
    if (type == CIM_TYPE_OBJECT)
        return "string";
    if (type == CIM_TYPE_REFERENCE)
        return "reference";
    return cim_type_name(type);
}

char *xmlcim_scalar_text(const cim_value *v)
{
    if (v->is_null || v->is_array || v->type == CIM_TYPE_OBJECT)
        return NULL;
    if (v->type == CIM_TYPE_BOOLEAN)
        return cim_xstrdup(v->u.boolean ? "true" : "false");
    char *text = cim_value_to_text(v);
    if (cim_type_is_real(v->type) && strstr(text, "Infinity")) {
        /* xs:double spells infinity INF */
        char *inf = cim_xstrdup(text[0] == '-' ? "-INF" : "INF");
        free(text);
        return inf;
    }
    return text;
}

/* <INSTANCENAME> or <LOCALINSTANCEPATH> for a reference's object path; an
 * unparsable path is written as the text it is. */
void xmlcim_write_reference_path(cim_buf *b, const char *path_text)
{
    cim_object_path path = {0};
    if (cim_object_path_parse(path_text ? path_text : "", &path, NULL) != SMSPROV_OK) {
        cim_buf_append(b, "<VALUE>");
        xmlcim_escape(b, path_text);
        cim_buf_append(b, "</VALUE>");
        return;
    }
    if (path.namespace_path) {
        cim_buf_append(b, "<LOCALINSTANCEPATH>");
        xmlcim_write_namespace(b, path.namespace_path);
    }
    cim_buf_append(b, "<INSTANCENAME CLASSNAME=\"");
    xmlcim_escape(b, path.class_name);
    cim_buf_append(b, "\">");
    for (size_t i = 0; i < path.key_count; i++) {
        const cim_keybinding *k = &path.keys[i];
        cim_buf_append(b, "<KEYBINDING NAME=\"");
        xmlcim_escape(b, k->name ? k->name : "");
        cim_buf_append(b, "\">");
        xmlcim_write_keyvalue(b, &k->value);
        cim_buf_append(b, "</KEYBINDING>");
    }
    cim_buf_append(b, "</INSTANCENAME>");
    if (path.namespace_path)
        cim_buf_append(b, "</LOCALINSTANCEPATH>");
    cim_object_path_clear(&path);
}

void xmlcim_write_namespace(cim_buf *b, const char *namespace_path)
{
    cim_buf_append(b, "<LOCALNAMESPACEPATH>");
    char *ns = cim_namespace_normalize(namespace_path);
    char *save = NULL;
    for (char *part = strtok_r(ns, "\\", &save); part; part = strtok_r(NULL, "\\", &save)) {
        cim_buf_append(b, "<NAMESPACE NAME=\"");
        xmlcim_escape(b, part);
        cim_buf_append(b, "\"/>");
    }
    free(ns);
    cim_buf_append(b, "</LOCALNAMESPACEPATH>");
}

void xmlcim_write_keyvalue(cim_buf *b, const cim_value *v)
{
    const char *kind = v->type == CIM_TYPE_BOOLEAN                                  ? "boolean"
                       : cim_type_is_integer(v->type) || cim_type_is_real(v->type) ? "numeric"
                                                                                     : "string";
    char *text = xmlcim_scalar_text(v);
    cim_buf_printf(b, "<KEYVALUE VALUETYPE=\"%s\">", kind);
    xmlcim_escape(b, text);
    cim_buf_append(b, "</KEYVALUE>");
    free(text);
}

static void write_scalar(cim_buf *b, const cim_value *v)
{
    if (v->type == CIM_TYPE_REFERENCE) {
        cim_buf_append(b, "<VALUE.REFERENCE>");
        xmlcim_write_reference_path(b, v->u.string);
        cim_buf_append(b, "</VALUE.REFERENCE>");
        return;
    }
    if (v->is_null) {
        cim_buf_append(b, "<VALUE.NULL/>");
        return;
    }
    cim_buf_append(b, "<VALUE>");
    if (v->type == CIM_TYPE_OBJECT) {
        /* DSP0201: an embedded instance is an escaped INSTANCE inside VALUE */
        cim_buf inner = {0};
        xmlcim_instance_options opts = {0};
        xmlcim_write_instance(&inner, v->u.object, &opts);
        xmlcim_escape_n(b, inner.data, inner.len);
        cim_buf_clear(&inner);
    } else {
        char *text = xmlcim_scalar_text(v);
        xmlcim_escape(b, text);
        free(text);
    }
    cim_buf_append(b, "</VALUE>");
}

void xmlcim_write_value(cim_buf *b, const cim_value *v)
{
    if (v->is_null)
        return;
    if (!v->is_array) {
        write_scalar(b, v);
        return;
    }
    const char *tag = v->type == CIM_TYPE_REFERENCE ? "VALUE.REFARRAY" : "VALUE.ARRAY";
    cim_buf_printf(b, "<%s>", tag);
    for (size_t i = 0; i < v->u.array.count; i++)
        write_scalar(b, &v->u.array.items[i]);
    cim_buf_printf(b, "</%s>", tag);
}
