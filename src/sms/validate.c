/* validate.c - the checks every put passes, whatever the class: not_null,
 * Range, max(n), SizeLimit, fixed array sizes and the classes of embedded
 * objects, down into embedded instances; and the bound on the strings a
 * client writes.  Messages name the property by its full path, e.g.
 * RefreshSchedule[2].HourDuration. */
#include <stdlib.h>
#include <string.h>

#include "sms/behaviour.h"

static smsprov_code fail(smsprov_error *err, smsprov_code code, const char *where,
                         const char *message)
{
    smsprov_error_set(err, code, "%s %s", where, message);
    smsprov_error_set_parameter(err, where);
    return code;
}

static smsprov_code invalid(smsprov_error *err, const char *where, const char *message)
{
    return fail(err, SMSPROV_E_INVALID_PARAMETER, where, message);
}

static bool in_range(const cim_property *prop, const cim_value *v)
{
    if (cim_type_is_signed(v->type))
        return v->u.sint >= prop->range_low && v->u.sint <= prop->range_high;
    if (cim_type_is_unsigned(v->type))
        return prop->range_low <= 0 ? v->u.uint <= (uint64_t)prop->range_high
                                    : v->u.uint >= (uint64_t)prop->range_low &&
                                          v->u.uint <= (uint64_t)prop->range_high;
    return true;
}

static smsprov_code check_scalar(const cim_property *prop, const cim_value *v, const char *where,
                                 smsprov_error *err);

/* Characters (Unicode code points) of a UTF-8 string: its bytes that do not
 * continue a sequence. */
static size_t char_count(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

static smsprov_code check_length(const char *s, size_t limit, const char *why, const char *where,
                                 smsprov_error *err)
{
    /* strlen bounds the count from above: most strings need no counting */
    if (strlen(s) <= limit)
        return SMSPROV_OK;
    size_t chars = char_count(s);
    if (chars <= limit)
        return SMSPROV_OK;
    char *msg = cim_xasprintf("is %zu characters long; at most %zu are allowed (%s).", chars,
                              limit, why);
    smsprov_code rc = invalid(err, where, msg);
    free(msg);
    return rc;
}

static smsprov_code check_object(const cim_property *prop, const cim_value *v, const char *where,
                                 smsprov_error *err)
{
    const cim_instance *obj = v->u.object;
    if (!obj)
        return SMSPROV_OK;
    if (prop->ref_class && !cim_class_is_a(obj->cls, prop->ref_class)) {
        char *msg = cim_xasprintf("holds an instance of %s; it must be an instance of %s.",
                                  obj->cls->name, prop->ref_class);
        smsprov_code rc = fail(err, SMSPROV_E_TYPE_MISMATCH, where, msg);
        free(msg);
        return rc;
    }
    if (obj->cls->flags & CIM_CLASS_ABSTRACT) {
        char *msg = cim_xasprintf("holds an instance of the abstract class %s; use one of "
                                  "its subclasses.",
                                  obj->cls->name);
        smsprov_code rc = invalid(err, where, msg);
        free(msg);
        return rc;
    }
    return sms_validate_instance(obj, where, err);
}

static smsprov_code check_scalar(const cim_property *prop, const cim_value *v, const char *where,
                                 smsprov_error *err)
{
    if (v->is_null)
        return SMSPROV_OK;
    if (v->type == CIM_TYPE_OBJECT)
        return check_object(prop, v, where, err);
    if ((prop->flags & CIM_PROP_SIZE_LIMIT) && v->type == CIM_TYPE_STRING && v->u.string)
        return check_length(v->u.string, prop->size_limit, "its SizeLimit qualifier", where, err);
    if ((prop->flags & CIM_PROP_RANGE) && !in_range(prop, v)) {
        char *text = cim_value_to_text(v);
        char *msg = cim_xasprintf("is %s, outside its range %lld-%lld.", text,
                                  (long long)prop->range_low, (long long)prop->range_high);
        smsprov_code rc = invalid(err, where, msg);
        free(text);
        free(msg);
        return rc;
    }
    return SMSPROV_OK;
}

static smsprov_code check_array(const cim_property *prop, const cim_value *v, const char *where,
                                smsprov_error *err)
{
    size_t count = v->u.array.count;
    size_t limit = (prop->flags & CIM_PROP_MAX) ? prop->max_count : prop->array_size;
    if (limit && count > limit) {
        char *msg = cim_xasprintf("holds %zu items; at most %zu are allowed.", count, limit);
        smsprov_code rc = invalid(err, where, msg);
        free(msg);
        return rc;
    }
    for (size_t i = 0; i < count; i++) {
        char *item_where = cim_xasprintf("%s[%zu]", where, i);
        smsprov_code rc = check_scalar(prop, &v->u.array.items[i], item_where, err);
        free(item_where);
        if (rc != SMSPROV_OK)
            return rc;
    }
    return SMSPROV_OK;
}

static smsprov_code check_property(const cim_property *prop, const cim_value *v, const char *where,
                                   smsprov_error *err)
{
    if (v->is_null) {
        if (prop->flags & CIM_PROP_NOT_NULL)
            return invalid(err, where, "must have a value (it is marked not_null).");
        return SMSPROV_OK;
    }
    return v->is_array ? check_array(prop, v, where, err) : check_scalar(prop, v, where, err);
}

smsprov_code sms_validate_instance(const cim_instance *inst, const char *path_prefix,
                                   smsprov_error *err)
{
    for (size_t i = 0; i < inst->cls->property_count; i++) {
        const cim_property *prop = &inst->cls->properties[i];
        char *where = path_prefix ? cim_xasprintf("%s.%s", path_prefix, prop->name)
                                  : cim_xstrdup(prop->name);
        smsprov_code rc = check_property(prop, &inst->values[i], where, err);
        free(where);
        if (rc != SMSPROV_OK)
            return rc;
    }
    return SMSPROV_OK;
}

/* ---- strings a client writes ------------------------------------------ */

static smsprov_code check_client_item(const cim_value *v, const char *where, smsprov_error *err)
{
    if (v->is_null)
        return SMSPROV_OK;
    if (v->type == CIM_TYPE_STRING && v->u.string)
        return check_length(v->u.string, SMS_MAX_STRING_CHARS,
                            "the bound on every string a client writes", where, err);
    if (v->type == CIM_TYPE_OBJECT && v->u.object)
        return sms_check_client_strings(v->u.object, NULL, where, err);
    return SMSPROV_OK;
}

static smsprov_code check_client_value(const cim_value *v, const char *where, smsprov_error *err)
{
    if (v->is_null || !v->is_array)
        return check_client_item(v, where, err);
    for (size_t i = 0; i < v->u.array.count; i++) {
        char *item_where = cim_xasprintf("%s[%zu]", where, i);
        smsprov_code rc = check_client_item(&v->u.array.items[i], item_where, err);
        free(item_where);
        if (rc != SMSPROV_OK)
            return rc;
    }
    return SMSPROV_OK;
}

smsprov_code sms_check_client_strings(const cim_instance *inst, const cim_instance *stored,
                                      const char *path_prefix, smsprov_error *err)
{
    if (stored && stored->cls != inst->cls)
        stored = NULL;
    for (size_t i = 0; i < inst->cls->property_count; i++) {
        /* a value kept from the stored instance was the server's to write */
        if (stored && cim_value_equal(&inst->values[i], &stored->values[i]))
            continue;
        const cim_property *prop = &inst->cls->properties[i];
        char *where = path_prefix ? cim_xasprintf("%s.%s", path_prefix, prop->name)
                                  : cim_xstrdup(prop->name);
        smsprov_code rc = check_client_value(&inst->values[i], where, err);
        free(where);
        if (rc != SMSPROV_OK)
            return rc;
    }
    return SMSPROV_OK;
}
