/* value.c - constructing, copying, freeing and comparing cim_value. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "smsprov/cim.h"

cim_value cim_value_null(cim_type type, bool is_array)
{
    cim_value v;
    memset(&v, 0, sizeof v);
    v.type = type;
    v.is_array = is_array;
    v.is_null = true;
    return v;
}

cim_value cim_value_sint(cim_type type, int64_t n)
{
    cim_value v = cim_value_null(type, false);
    v.is_null = false;
    v.u.sint = n;
    return v;
}

cim_value cim_value_uint(cim_type type, uint64_t n)
{
    cim_value v = cim_value_null(type, false);
    v.is_null = false;
    v.u.uint = n;
    return v;
}

cim_value cim_value_real(cim_type type, double d)
{
    cim_value v = cim_value_null(type, false);
    v.is_null = false;
    v.u.real = d;
    return v;
}

cim_value cim_value_bool(bool b)
{
    cim_value v = cim_value_null(CIM_TYPE_BOOLEAN, false);
    v.is_null = false;
    v.u.boolean = b;
    return v;
}

static cim_value textual(cim_type type, const char *s)
{
    cim_value v = cim_value_null(type, false);
    if (s) {
        v.is_null = false;
        v.u.string = cim_xstrdup(s);
    }
    return v;
}

cim_value cim_value_string(const char *s)
{
    return textual(CIM_TYPE_STRING, s);
}

cim_value cim_value_datetime(const char *s)
{
    return textual(CIM_TYPE_DATETIME, s);
}

cim_value cim_value_reference(const char *path)
{
    return textual(CIM_TYPE_REFERENCE, path);
}

cim_value cim_value_object(cim_instance *take)
{
    cim_value v = cim_value_null(CIM_TYPE_OBJECT, false);
    if (take) {
        v.is_null = false;
        v.u.object = take;
    }
    return v;
}

cim_value cim_value_array(cim_type type)
{
    cim_value v = cim_value_null(type, true);
    v.is_null = false;
    return v;
}

/* Makes room for one more item.  Arrays carry no capacity, so growth is
 * left to realloc, which extends in place cheaply in the common case. */
static cim_value *array_push_slot(cim_value *array)
{
    array->is_array = true;
    array->is_null = false;
    array->u.array.items =
        cim_xrealloc(array->u.array.items, (array->u.array.count + 1) * sizeof(cim_value));
    return &array->u.array.items[array->u.array.count++];
}

void cim_value_array_append(cim_value *array, const cim_value *item)
{
    cim_value copy;
    cim_value_copy(&copy, item);
    cim_value_array_append_take(array, &copy);
}

void cim_value_array_append_take(cim_value *array, cim_value *item)
{
    cim_value *slot = array_push_slot(array);
    *slot = *item;
    slot->type = array->type;
    slot->is_array = false;
    *item = cim_value_null(item->type, false);
}

void cim_value_copy(cim_value *dst, const cim_value *src)
{
    *dst = *src;
    if (src->is_null)
        return;
    if (src->is_array) {
        size_t n = src->u.array.count;
        dst->u.array.items = n ? cim_xmalloc(n * sizeof(cim_value)) : NULL;
        for (size_t i = 0; i < n; i++)
            cim_value_copy(&dst->u.array.items[i], &src->u.array.items[i]);
    } else if (cim_type_is_textual(src->type)) {
        dst->u.string = cim_xstrdup(src->u.string);
    } else if (src->type == CIM_TYPE_OBJECT) {
        dst->u.object = src->u.object ? cim_instance_clone(src->u.object) : NULL;
    }
}

void cim_value_clear(cim_value *v)
{
    if (!v->is_null) {
        if (v->is_array) {
            for (size_t i = 0; i < v->u.array.count; i++)
                cim_value_clear(&v->u.array.items[i]);
            free(v->u.array.items);
        } else if (cim_type_is_textual(v->type)) {
            free(v->u.string);
        } else if (v->type == CIM_TYPE_OBJECT) {
            cim_instance_free(v->u.object);
        }
    }
    *v = cim_value_null(v->type, v->is_array);
}

void cim_value_move(cim_value *dst, cim_value *src)
{
    if (dst == src)
        return;
    cim_value_clear(dst);
    *dst = *src;
    *src = cim_value_null(src->type, src->is_array);
}

static bool scalar_equal(const cim_value *a, const cim_value *b)
{
    if (a->is_null || b->is_null)
        return a->is_null == b->is_null;
    if (cim_type_is_signed(a->type))
        return a->u.sint == b->u.sint;
    if (cim_type_is_unsigned(a->type) || a->type == CIM_TYPE_CHAR16)
        return a->u.uint == b->u.uint;
    if (cim_type_is_real(a->type))
        return a->u.real == b->u.real || (isnan(a->u.real) && isnan(b->u.real));
    if (a->type == CIM_TYPE_BOOLEAN)
        return a->u.boolean == b->u.boolean;
    if (cim_type_is_textual(a->type))
        return strcmp(a->u.string ? a->u.string : "", b->u.string ? b->u.string : "") == 0;
    if (a->type == CIM_TYPE_OBJECT)
        return cim_instance_equal(a->u.object, b->u.object);
    return true;
}

bool cim_value_equal(const cim_value *a, const cim_value *b)
{
    if (a->type != b->type || a->is_array != b->is_array || a->is_null != b->is_null)
        return false;
    if (a->is_null || !a->is_array)
        return scalar_equal(a, b);
    if (a->u.array.count != b->u.array.count)
        return false;
    for (size_t i = 0; i < a->u.array.count; i++)
        if (!scalar_equal(&a->u.array.items[i], &b->u.array.items[i]))
            return false;
    return true;
}
