/* value_text.c - values and instances as MOF literals and as plain text,
 * the forms the command-line client prints. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cim/value_internal.h"

static void append_indent(cim_buf *b, int indent)
{
    for (int i = 0; i < indent; i++)
        cim_buf_append(b, " ");
}

/* One character of a MOF string or char16 literal, escaped as MOF needs. */
static void append_escaped_char(cim_buf *b, unsigned char c, char quote)
{
    static const char plain[] = "\b\t\n\f\r";
    static const char named[] = "btnfr";
    const char *special = c ? strchr(plain, c) : NULL;
    if (special)
        cim_buf_printf(b, "\\%c", named[special - plain]);
    else if (c == (unsigned char)quote || c == '\\')
        cim_buf_printf(b, "\\%c", c);
    else if (c < 0x20 || c == 0x7F)
        cim_buf_printf(b, "\\x%02X", c);
    else
        cim_buf_append_n(b, (const char *)&c, 1);
}

static void append_mof_string(cim_buf *b, const char *s)
{
    cim_buf_append(b, "\"");
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++)
        append_escaped_char(b, *p, '"');
    cim_buf_append(b, "\"");
}

static void append_mof_char16(cim_buf *b, uint64_t unit)
{
    cim_buf_append(b, "'");
    if (unit < 0x80) {
        append_escaped_char(b, (unsigned char)unit, '\'');
    } else if (unit >= 0xD800 && unit <= 0xDFFF) {
        cim_buf_printf(b, "\\x%04X", (unsigned)unit); /* a lone surrogate has no UTF-8 form */
    } else {
        char utf8[4];
        cim_buf_append_n(b, utf8, cim_utf8_encode((uint32_t)unit, utf8));
    }
    cim_buf_append(b, "'");
}

/* A char16 as UTF-8 text; a lone surrogate shows as U+FFFD. */
static void append_char16_text(cim_buf *b, uint64_t unit)
{
    char utf8[4];
    uint32_t cp = unit >= 0xD800 && unit <= 0xDFFF ? 0xFFFD : (uint32_t)unit;
    if (cp)
        cim_buf_append_n(b, utf8, cim_utf8_encode(cp, utf8));
}

static void append_number_or_bool(cim_buf *b, const cim_value *v)
{
    if (cim_type_is_signed(v->type))
        cim_buf_printf(b, "%lld", (long long)v->u.sint);
    else if (cim_type_is_unsigned(v->type))
        cim_buf_printf(b, "%llu", (unsigned long long)v->u.uint);
    else if (cim_type_is_real(v->type))
        cim_append_real(b, v->u.real, v->type);
    else if (v->type == CIM_TYPE_BOOLEAN)
        cim_buf_append(b, v->u.boolean ? "TRUE" : "FALSE");
}

static void append_instance_mof(cim_buf *b, const cim_instance *inst, int indent);

static void append_scalar_mof(cim_buf *b, const cim_value *v, int indent)
{
    if (v->is_null)
        cim_buf_append(b, "NULL");
    else if (cim_type_is_textual(v->type))
        append_mof_string(b, v->u.string);
    else if (v->type == CIM_TYPE_CHAR16)
        append_mof_char16(b, v->u.uint);
    else if (v->type == CIM_TYPE_OBJECT)
        append_instance_mof(b, v->u.object, indent);
    else
        append_number_or_bool(b, v);
}

/* Arrays of scalars stay on one line; arrays of instances put each
 * instance on its own lines, one level deeper. */
static void append_value_mof(cim_buf *b, const cim_value *v, int indent)
{
    if (v->is_null || !v->is_array) {
        append_scalar_mof(b, v, indent);
        return;
    }
    bool nested = v->type == CIM_TYPE_OBJECT && v->u.array.count > 0;
    cim_buf_append(b, nested ? "{\n" : "{");
    for (size_t i = 0; i < v->u.array.count; i++) {
        if (nested)
            append_indent(b, indent + 4);
        append_scalar_mof(b, &v->u.array.items[i], indent + 4);
        if (i + 1 < v->u.array.count)
            cim_buf_append(b, nested ? ",\n" : ", ");
    }
    if (nested) {
        cim_buf_append(b, "\n");
        append_indent(b, indent);
    }
    cim_buf_append(b, "}");
}

static void append_instance_mof(cim_buf *b, const cim_instance *inst, int indent)
{
    if (!inst) {
        cim_buf_append(b, "NULL");
        return;
    }
    cim_buf_printf(b, "instance of %s\n", inst->cls->name);
    append_indent(b, indent);
    cim_buf_append(b, "{\n");
    for (size_t i = 0; i < inst->cls->property_count; i++) {
        if (inst->values[i].is_null)
            continue;
        append_indent(b, indent + 4);
        cim_buf_printf(b, "%s = ", inst->cls->properties[i].name);
        append_value_mof(b, &inst->values[i], indent + 4);
        cim_buf_append(b, ";\n");
    }
    append_indent(b, indent);
    cim_buf_append(b, "}");
}

char *cim_value_to_mof(const cim_value *v)
{
    cim_buf b = {0};
    append_value_mof(&b, v, 0);
    return cim_buf_take(&b);
}

char *cim_instance_to_mof(const cim_instance *inst)
{
    cim_buf b = {0};
    append_instance_mof(&b, inst, 0);
    cim_buf_append(&b, ";");
    return cim_buf_take(&b);
}

static void append_scalar_text(cim_buf *b, const cim_value *v)
{
    if (v->is_null)
        cim_buf_append(b, "NULL");
    else if (cim_type_is_textual(v->type))
        cim_buf_append(b, v->u.string ? v->u.string : "");
    else if (v->type == CIM_TYPE_CHAR16)
        append_char16_text(b, v->u.uint);
    else if (v->type == CIM_TYPE_OBJECT)
        append_instance_mof(b, v->u.object, 0);
    else
        append_number_or_bool(b, v);
}

char *cim_value_to_text(const cim_value *v)
{
    if (v->is_null)
        return NULL;
    cim_buf b = {0};
    if (!v->is_array) {
        append_scalar_text(&b, v);
        return cim_buf_take(&b);
    }
    for (size_t i = 0; i < v->u.array.count; i++) {
        if (i > 0)
            cim_buf_append(&b, ", ");
        append_scalar_text(&b, &v->u.array.items[i]);
    }
    return cim_buf_take(&b);
}
