/* convert.c - CIM-XML values typed as the schema declares them.
 *
 * The client's TYPE attributes are checked but the schema decides: a value
 * is the text of a VALUE converted with cim_value_convert to the declared
 * type, so "true", "TRUE", " 42 " and "0x2A" read as they do everywhere
 * else in smsprov. */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cimxml/ops.h"
#include "xmlcim/xmlcim.h"

#define MAX_EMBEDDING 8 /* embedded objects inside embedded objects */

static bool convert_instance_at(cimxml_op *op, const cimxml_instance *src, const cim_class *cls,
                                int depth, cim_instance **out, const char ***given);

static bool mismatch(cimxml_op *op, const char *fmt, ...)
    SMSPROV_PRINTF(2, 3)
    ;

static bool mismatch(cimxml_op *op, const char *fmt, ...)
{
    char text[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    cimxml_fault_set_cim(op->fault, CIM_ERR_TYPE_MISMATCH, "%s", text);
    return false;
}

/* Numbers, booleans and datetimes may be written with blanks around them;
 * strings keep theirs. */
static char *value_text(const char *text, cim_type type)
{
    if (type == CIM_TYPE_STRING || type == CIM_TYPE_CHAR16)
        return cim_xstrdup(text);
    while (isspace((unsigned char)*text))
        text++;
    size_t n = strlen(text);
    while (n && isspace((unsigned char)text[n - 1]))
        n--;
    char *copy = cim_xmalloc(n + 1);
    memcpy(copy, text, n);
    copy[n] = '\0';
    return copy;
}

static bool convert_embedded(cimxml_op *op, const char *text, const char *what,
                             const char *ref_class, int depth, cim_value *out)
{
    if (depth >= MAX_EMBEDDING) {
        cimxml_fault_set_cim(op->fault, CIM_ERR_INVALID_PARAMETER,
                             "%s nests embedded objects more than %d deep.", what, MAX_EMBEDDING);
        return false;
    }
    cimxml_instance parsed;
    cimxml_fault parse_fault = {0};
    if (!cimxml_instance_parse(text, &parsed, &parse_fault)) {
        cimxml_fault_set_cim(op->fault, CIM_ERR_INVALID_PARAMETER,
                             "%s holds an embedded object that is not a readable INSTANCE: %s",
                             what, parse_fault.description);
        cimxml_fault_clear(&parse_fault);
        return false;
    }
    const cim_class *cls = NULL;
    smsprov_error err = {0};
    bool ok = smsprov_get_class(op->site, &op->call, parsed.class_name, &cls, &err) == SMSPROV_OK;
    if (!ok)
        cimxml_op_fail(op, &err);
    if (ok && ref_class && !cim_class_is_a(cls, ref_class))
        ok = mismatch(op, "%s takes an embedded %s, not a %s.", what, ref_class, cls->name);
    cim_instance *inst = NULL;
    if (ok)
        ok = convert_instance_at(op, &parsed, cls, depth + 1, &inst, NULL);
    if (ok)
        *out = cim_value_object(inst);
    cimxml_instance_clear(&parsed);
    return ok;
}

static bool convert_text(cimxml_op *op, const char *text, const char *what, cim_type type,
                         const char *ref_class, int depth, cim_value *out)
{
    if (type == CIM_TYPE_OBJECT)
        return convert_embedded(op, text, what, ref_class, depth, out);
    char *clean = value_text(text, type);
    cim_value src = cim_value_string(clean);
    smsprov_error err = {0};
    bool ok = cim_value_convert(&src, type, false, out, &err) == SMSPROV_OK;
    if (!ok)
        mismatch(op, "%s: %s", what,
                 err.description ? err.description : "the value does not convert.");
    smsprov_error_clear(&err);
    cim_value_clear(&src);
    free(clean);
    return ok;
}

static bool convert_data_at(cimxml_op *op, const cimxml_data *data, const char *what, cim_type type,
                            bool is_array, const char *ref_class, int depth, cim_value *out)
{
    if (data->is_null) {
        *out = cim_value_null(type, is_array);
        return true;
    }
    const char *type_name = cim_type_name(type);
    if (data->is_array != is_array)
        return is_array
                   ? mismatch(op, "%s is an array (%s[]); send a VALUE.ARRAY.", what, type_name)
                   : mismatch(op, "%s is a single %s, not an array.", what, type_name);
    if (data->is_reference && type != CIM_TYPE_REFERENCE)
        return mismatch(op, "%s is a %s, not a reference.", what, type_name);
    if (!is_array)
        return convert_text(op, data->text, what, type, ref_class, depth, out);

    cim_value array = cim_value_array(type);
    for (size_t i = 0; i < data->count; i++) {
        cim_value item = cim_value_null(type, false);
        if (!data->items[i] && type != CIM_TYPE_OBJECT) {
            cim_value_clear(&array);
            return mismatch(op,
                            "Item %zu of %s is null; only arrays of embedded objects may "
                            "hold nulls.",
                            i + 1, what);
        }
        if (data->items[i] &&
            !convert_text(op, data->items[i], what, type, ref_class, depth, &item)) {
            cim_value_clear(&array);
            return false;
        }
        cim_value_array_append_take(&array, &item);
    }
    *out = array;
    return true;
}

bool cimxml_convert_data(cimxml_op *op, const cimxml_data *data, const char *what, cim_type type,
                         bool is_array, const char *ref_class, cim_value *out)
{
    return convert_data_at(op, data, what, type, is_array, ref_class, 0, out);
}

static bool convert_property(cimxml_op *op, const cimxml_property *p, cim_instance *inst,
                             size_t index, int depth)
{
    const cim_property *decl = &inst->cls->properties[index];
    if (p->type && cim_strcasecmp(p->type, xmlcim_type_name(decl->type)) != 0)
        return mismatch(op, "Property %s of %s is %s, not %s.", decl->name, inst->cls->name,
                        xmlcim_type_name(decl->type), p->type);
    char *what = cim_xasprintf("Property %s of %s", decl->name, inst->cls->name);
    cim_value v;
    bool ok = convert_data_at(op, &p->value, what, decl->type, decl->is_array, decl->ref_class,
                              depth, &v);
    free(what);
    if (ok)
        cim_value_move(&inst->values[index], &v);
    return ok;
}

static bool convert_instance_at(cimxml_op *op, const cimxml_instance *src, const cim_class *cls,
                                int depth, cim_instance **out, const char ***given)
{
    cim_instance *inst = cim_instance_new(cls);
    const char **names = cim_xcalloc(src->count + 1, sizeof *names);
    bool ok = true;
    for (size_t i = 0; ok && i < src->count; i++) {
        const cimxml_property *p = &src->props[i];
        ptrdiff_t index = cim_class_property_index(cls, p->name);
        if (index < 0) {
            cimxml_fault_set_cim(op->fault, CIM_ERR_NO_SUCH_PROPERTY, "%s has no property %s.",
                                 cls->name, p->name);
            ok = false;
            break;
        }
        for (size_t j = 0; j < i; j++)
            if (cim_strcasecmp(src->props[j].name, p->name) == 0) {
                cimxml_fault_set_cim(op->fault, CIM_ERR_INVALID_PARAMETER,
                                     "Property %s of %s is given twice.", p->name, cls->name);
                ok = false;
            }
        if (ok)
            ok = convert_property(op, p, inst, (size_t)index, depth);
        names[i] = cls->properties[index].name;
    }
    if (!ok) {
        cim_instance_free(inst);
        free(names);
        return false;
    }
    *out = inst;
    if (given)
        *given = names;
    else
        free(names);
    return true;
}

bool cimxml_convert_instance(cimxml_op *op, const cimxml_instance *src, cim_instance **out,
                             const char ***given)
{
    const cim_class *cls = NULL;
    smsprov_error err = {0};
    if (smsprov_get_class(op->site, &op->call, src->class_name, &cls, &err) != SMSPROV_OK)
        return cimxml_op_fail(op, &err);
    return convert_instance_at(op, src, cls, 0, out, given);
}
