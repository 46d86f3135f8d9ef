/* json.c - values and instances as JSON, the store's encoding of arrays and
 * embedded objects and the client's --json output. */
#include <math.h>
#include <stdlib.h>

#include "cim/value_internal.h"

static void append_json_string(cim_buf *b, const char *s)
{
    cim_buf_append(b, "\"");
    const char *run = s; /* bytes copied as they are, UTF-8 included */
    for (const char *p = s; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        cim_buf_append_n(b, run, (size_t)(p - run));
        run = p + 1;
        switch (c) {
        case '"':
            cim_buf_append(b, "\\\"");
            break;
        case '\\':
            cim_buf_append(b, "\\\\");
            break;
        case '\b':
            cim_buf_append(b, "\\b");
            break;
        case '\f':
            cim_buf_append(b, "\\f");
            break;
        case '\n':
            cim_buf_append(b, "\\n");
            break;
        case '\r':
            cim_buf_append(b, "\\r");
            break;
        case '\t':
            cim_buf_append(b, "\\t");
            break;
        default:
            cim_buf_printf(b, "\\u%04x", c);
            break;
        }
    }
    cim_buf_append(b, run);
    cim_buf_append(b, "\"");
}

static void append_json_instance(cim_buf *b, const cim_instance *inst);

static void append_json_scalar(cim_buf *b, const cim_value *v)
{
    if (v->is_null) {
        cim_buf_append(b, "null");
    } else if (cim_type_is_signed(v->type)) {
        cim_buf_printf(b, "%lld", (long long)v->u.sint);
    } else if (cim_type_is_unsigned(v->type) || v->type == CIM_TYPE_CHAR16) {
        cim_buf_printf(b, "%llu", (unsigned long long)v->u.uint);
    } else if (cim_type_is_real(v->type)) {
        /* JSON has no NaN or infinities, so those travel as strings. */
        bool as_string = !isfinite(v->u.real);
        if (as_string)
            cim_buf_append(b, "\"");
        cim_append_real(b, v->u.real, CIM_TYPE_REAL64);
        if (as_string)
            cim_buf_append(b, "\"");
    } else if (v->type == CIM_TYPE_BOOLEAN) {
        cim_buf_append(b, v->u.boolean ? "true" : "false");
    } else if (cim_type_is_textual(v->type)) {
        append_json_string(b, v->u.string ? v->u.string : "");
    } else if (v->type == CIM_TYPE_OBJECT) {
        append_json_instance(b, v->u.object);
    } else {
        cim_buf_append(b, "null");
    }
}

static void append_json_value(cim_buf *b, const cim_value *v)
{
    if (v->is_null || !v->is_array) {
        append_json_scalar(b, v);
        return;
    }
    cim_buf_append(b, "[");
    for (size_t i = 0; i < v->u.array.count; i++) {
        if (i > 0)
            cim_buf_append(b, ",");
        append_json_scalar(b, &v->u.array.items[i]);
    }
    cim_buf_append(b, "]");
}

static void append_json_instance(cim_buf *b, const cim_instance *inst)
{
    if (!inst) {
        cim_buf_append(b, "null");
        return;
    }
    cim_buf_append(b, "{\"__CLASS\":");
    append_json_string(b, inst->cls->name);
    for (size_t i = 0; i < inst->cls->property_count; i++) {
        if (inst->values[i].is_null)
            continue;
        cim_buf_append(b, ",");
        append_json_string(b, inst->cls->properties[i].name);
        cim_buf_append(b, ":");
        append_json_value(b, &inst->values[i]);
    }
    cim_buf_append(b, "}");
}

char *cim_value_to_json(const cim_value *v)
{
    cim_buf b = {0};
    append_json_value(&b, v);
    return cim_buf_take(&b);
}

char *cim_instance_to_json(const cim_instance *inst)
{
    cim_buf b = {0};
    append_json_instance(&b, inst);
    return cim_buf_take(&b);
}
