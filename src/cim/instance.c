/* instance.c - instances: one value per class property, in class order. */
#include <stdlib.h>
#include <string.h>

#include "cim/value_internal.h"

cim_instance *cim_instance_new(const cim_class *cls)
{
    cim_instance *inst = cim_xmalloc(sizeof *inst);
    inst->cls = cls;
    inst->values = cim_xcalloc(cls->property_count, sizeof(cim_value));
    for (size_t i = 0; i < cls->property_count; i++)
        inst->values[i] = cim_value_null(cls->properties[i].type, cls->properties[i].is_array);
    return inst;
}

cim_instance *cim_instance_spawn(const cim_class *cls)
{
    cim_instance *inst = cim_instance_new(cls);
    for (size_t i = 0; i < cls->property_count; i++)
        if (!cls->properties[i].default_value.is_null)
            cim_value_copy(&inst->values[i], &cls->properties[i].default_value);
    return inst;
}

cim_instance *cim_instance_clone(const cim_instance *inst)
{
    cim_instance *copy = cim_xmalloc(sizeof *copy);
    copy->cls = inst->cls;
    copy->values = cim_xcalloc(inst->cls->property_count, sizeof(cim_value));
    for (size_t i = 0; i < inst->cls->property_count; i++)
        cim_value_copy(&copy->values[i], &inst->values[i]);
    return copy;
}

void cim_instance_free(cim_instance *inst)
{
    if (!inst)
        return;
    for (size_t i = 0; i < inst->cls->property_count; i++)
        cim_value_clear(&inst->values[i]);
    free(inst->values);
    free(inst);
}

bool cim_instance_equal(const cim_instance *a, const cim_instance *b)
{
    if (!a || !b)
        return a == b;
    if (a->cls != b->cls && (cim_strcasecmp(a->cls->name, b->cls->name) != 0 ||
                             a->cls->property_count != b->cls->property_count))
        return false;
    for (size_t i = 0; i < a->cls->property_count; i++)
        if (!cim_value_equal(&a->values[i], &b->values[i]))
            return false;
    return true;
}

const cim_value *cim_instance_get(const cim_instance *inst, const char *name)
{
    ptrdiff_t at = cim_class_property_index(inst->cls, name);
    return at < 0 ? NULL : &inst->values[at];
}

cim_value *cim_instance_get_mut(cim_instance *inst, const char *name)
{
    ptrdiff_t at = cim_class_property_index(inst->cls, name);
    return at < 0 ? NULL : &inst->values[at];
}

/* The class an embedded object property accepts is ref_class or one
 * derived from it. */
static smsprov_code check_embedded_class(const cim_instance *inst, const cim_property *prop,
                                         const cim_value *v, smsprov_error *err)
{
    if (prop->type != CIM_TYPE_OBJECT || !prop->ref_class || v->is_null)
        return SMSPROV_OK;
    size_t count = v->is_array ? v->u.array.count : 1;
    for (size_t i = 0; i < count; i++) {
        const cim_value *item = v->is_array ? &v->u.array.items[i] : v;
        if (item->is_null || cim_class_is_a(item->u.object->cls, prop->ref_class))
            continue;
        smsprov_error_set(err, SMSPROV_E_TYPE_MISMATCH,
                          "Property %s of class %s holds %s instances; an instance of %s is not "
                          "one and does not derive from it.",
                          prop->name, inst->cls->name, prop->ref_class, item->u.object->cls->name);
        smsprov_error_set_parameter(err, prop->name);
        return SMSPROV_E_TYPE_MISMATCH;
    }
    return SMSPROV_OK;
}

void cim_instance_take_value(cim_instance *inst, const char *name, cim_value v)
{
    cim_value *slot = cim_instance_get_mut(inst, name);
    if (slot)
        cim_value_move(slot, &v);
    else
        cim_value_clear(&v);
}

smsprov_code cim_instance_set(cim_instance *inst, const char *name, const cim_value *v,
                              smsprov_error *err)
{
    ptrdiff_t at = cim_class_property_index(inst->cls, name);
    if (at < 0) {
        smsprov_error_set(err, SMSPROV_E_NOT_FOUND, "Class %s has no property named %s.",
                          inst->cls->name, name ? name : "(none)");
        smsprov_error_set_parameter(err, name);
        return SMSPROV_E_NOT_FOUND;
    }
    const cim_property *prop = &inst->cls->properties[at];
    cim_value converted;
    smsprov_error why = {0};
    smsprov_code code = cim_value_convert(v, prop->type, prop->is_array, &converted, &why);
    if (code) {
        smsprov_error_set(err, code, "Property %s of class %s cannot take this value: %s",
                          prop->name, inst->cls->name, why.description);
        smsprov_error_set_parameter(err, prop->name);
        smsprov_error_clear(&why);
        return code;
    }
    code = check_embedded_class(inst, prop, &converted, err);
    if (code) {
        cim_value_clear(&converted);
        return code;
    }
    cim_value_move(&inst->values[at], &converted);
    return SMSPROV_OK;
}

smsprov_code cim_instance_set_string(cim_instance *inst, const char *name, const char *s,
                                     smsprov_error *err)
{
    cim_value v = cim_value_string(s);
    smsprov_code code = cim_instance_set(inst, name, &v, err);
    cim_value_clear(&v);
    return code;
}

smsprov_code cim_instance_set_uint(cim_instance *inst, const char *name, uint64_t n,
                                   smsprov_error *err)
{
    cim_value v = cim_value_uint(CIM_TYPE_UINT64, n);
    return cim_instance_set(inst, name, &v, err);
}

smsprov_code cim_instance_set_sint(cim_instance *inst, const char *name, int64_t n,
                                   smsprov_error *err)
{
    cim_value v = cim_value_sint(CIM_TYPE_SINT64, n);
    return cim_instance_set(inst, name, &v, err);
}

smsprov_code cim_instance_set_bool(cim_instance *inst, const char *name, bool b, smsprov_error *err)
{
    cim_value v = cim_value_bool(b);
    return cim_instance_set(inst, name, &v, err);
}

char *cim_instance_relpath(const cim_instance *inst)
{
    const cim_class *cls = inst->cls;
    cim_object_path path;
    memset(&path, 0, sizeof path);
    path.class_name = cls->name;
    path.keys = cim_xcalloc(cls->property_count, sizeof *path.keys);
    /* The path borrows names and values from the class and instance. */
    for (size_t i = 0; i < cls->property_count; i++) {
        if (!(cls->properties[i].flags & CIM_PROP_KEY))
            continue;
        path.keys[path.key_count].name = cls->properties[i].name;
        path.keys[path.key_count].value = inst->values[i];
        path.key_count++;
    }
    path.singleton = path.key_count == 0;
    char *text = cim_object_path_format(&path, false);
    free(path.keys);
    return text;
}
