/* class_json.c - a class definition as JSON, for `smsprov --json class`:
 * scripts count and inspect members without parsing MOF. */
#include <stdlib.h>

#include "cli.h"

static void json_string(cim_buf *b, const char *s)
{
    cim_value v = cim_value_string(s);
    char *text = cim_value_to_json(&v);
    cim_buf_append(b, text);
    free(text);
    cim_value_clear(&v);
}

static void json_qualifiers(cim_buf *b, const cim_qualifier_list *quals)
{
    cim_buf_append(b, "{");
    for (size_t i = 0; i < quals->count; i++) {
        char *value = cim_value_to_json(&quals->items[i].value);
        if (i)
            cim_buf_append(b, ",");
        json_string(b, quals->items[i].name);
        cim_buf_printf(b, ":%s", value);
        free(value);
    }
    cim_buf_append(b, "}");
}

static void json_type(cim_buf *b, cim_type type, bool is_array, const char *ref_class)
{
    cim_buf_append(b, "\"type\":");
    json_string(b, cim_type_name(type));
    cim_buf_printf(b, ",\"array\":%s", is_array ? "true" : "false");
    if (ref_class) {
        cim_buf_append(b, ",\"class\":");
        json_string(b, ref_class);
    }
}

static void json_property(cim_buf *b, const cim_property *p)
{
    cim_buf_append(b, "{\"name\":");
    json_string(b, p->name);
    cim_buf_append(b, ",");
    json_type(b, p->type, p->is_array, p->ref_class);
    cim_buf_append(b, ",\"origin\":");
    json_string(b, p->origin_class);
    char *def = cim_value_to_json(&p->default_value);
    cim_buf_printf(b, ",\"default\":%s,\"qualifiers\":", def);
    free(def);
    json_qualifiers(b, &p->qualifiers);
    cim_buf_append(b, "}");
}

static void json_method(cim_buf *b, const cim_method *m)
{
    cim_buf_append(b, "{\"name\":");
    json_string(b, m->name);
    cim_buf_printf(b, ",\"static\":%s,\"returns\":", m->is_static ? "true" : "false");
    json_string(b, m->return_type ? cim_type_name(m->return_type) : "void");
    cim_buf_append(b, ",\"parameters\":[");
    for (size_t i = 0; i < m->param_count; i++) {
        const cim_parameter *p = &m->params[i];
        cim_buf_append(b, i ? ",{\"name\":" : "{\"name\":");
        json_string(b, p->name);
        cim_buf_append(b, ",");
        json_type(b, p->type, p->is_array, p->ref_class);
        cim_buf_printf(b, ",\"in\":%s,\"out\":%s,\"optional\":%s}", p->in ? "true" : "false",
                       p->out ? "true" : "false", p->optional ? "true" : "false");
    }
    cim_buf_append(b, "]}");
}

char *cli_class_to_json(const cim_class *cls)
{
    cim_buf b = {0};
    cim_buf_append(&b, "{\"name\":");
    json_string(&b, cls->name);
    cim_buf_append(&b, ",\"superclass\":");
    if (cls->superclass_name)
        json_string(&b, cls->superclass_name);
    else
        cim_buf_append(&b, "null");
    cim_buf_append(&b, ",\"namespace\":");
    json_string(&b, cls->namespace_path);
    cim_buf_append(&b, ",\"qualifiers\":");
    json_qualifiers(&b, &cls->qualifiers);
    cim_buf_append(&b, ",\"properties\":[");
    for (size_t i = 0; i < cls->property_count; i++) {
        if (i)
            cim_buf_append(&b, ",");
        json_property(&b, &cls->properties[i]);
    }
    cim_buf_append(&b, "],\"methods\":[");
    for (size_t i = 0; i < cls->method_count; i++) {
        if (i)
            cim_buf_append(&b, ",");
        json_method(&b, &cls->methods[i]);
    }
    cim_buf_append(&b, "]}");
    return cim_buf_take(&b);
}
