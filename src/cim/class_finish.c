/* class_finish.c - cim_class_finish(): turns the qualifiers a class was
 * declared with into the flags the rest of smsprov reads, and builds each
 * method's __PARAMETERS classes. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cim/class_internal.h"
#include "smsprov/cim.h"

/* Parses "lo-hi" (either bound may be negative, spaces allowed around the
 * dash) as the Range qualifier writes it. */
static bool parse_range(const char *text, int64_t *low, int64_t *high)
{
    char *end;
    errno = 0;
    long long lo = strtoll(text, &end, 10);
    if (end == text || errno)
        return false;
    while (isspace((unsigned char)*end))
        end++;
    if (*end != '-')
        return false;
    const char *rest = end + 1;
    long long hi = strtoll(rest, &end, 10);
    if (end == rest || errno)
        return false;
    while (isspace((unsigned char)*end))
        end++;
    if (*end || lo > hi)
        return false;
    *low = lo;
    *high = hi;
    return true;
}

static bool qualifier_count(const cim_value *v, size_t *out)
{
    if (v->is_null || v->is_array)
        return false;
    if (cim_type_is_unsigned(v->type)) {
        *out = (size_t)v->u.uint;
        return true;
    }
    if (cim_type_is_signed(v->type)) {
        if (v->u.sint < 0)
            return false;
        *out = (size_t)v->u.sint;
        return true;
    }
    if (v->type == CIM_TYPE_STRING && v->u.string && isdigit((unsigned char)v->u.string[0])) {
        char *end;
        errno = 0;
        unsigned long long n = strtoull(v->u.string, &end, 10);
        if (*end || errno)
            return false;
        *out = (size_t)n;
        return true;
    }
    return false;
}

static smsprov_code derive_range(const cim_class *cls, cim_property *p, smsprov_error *err)
{
    const cim_qualifier *q = cim_qualifier_find(&p->qualifiers, "Range");
    if (!q)
        return SMSPROV_OK;
    if (q->value.type != CIM_TYPE_STRING || q->value.is_array || q->value.is_null ||
        !parse_range(q->value.u.string, &p->range_low, &p->range_high))
        return smsprov_error_set(err, SMSPROV_E_INVALID_CLASS,
                                 "The Range qualifier of property %s in class %s must be a "
                                 "string \"low-high\" such as \"0-31\", with low not above high.",
                                 p->name, cls->name);
    p->flags |= CIM_PROP_RANGE;
    return SMSPROV_OK;
}

static smsprov_code derive_max(const cim_class *cls, cim_property *p, smsprov_error *err)
{
    const cim_qualifier *q = cim_qualifier_find(&p->qualifiers, "max");
    if (!q)
        return SMSPROV_OK;
    if (!qualifier_count(&q->value, &p->max_count))
        return smsprov_error_set(err, SMSPROV_E_INVALID_CLASS,
                                 "The max qualifier of property %s in class %s must be a "
                                 "non-negative whole number such as max(15).",
                                 p->name, cls->name);
    if (!p->is_array)
        return smsprov_error_set(err, SMSPROV_E_INVALID_CLASS,
                                 "Property %s in class %s has a max qualifier but is not an "
                                 "array; declare it as an array (%s[]) or drop max.",
                                 p->name, cls->name, p->name);
    p->flags |= CIM_PROP_MAX;
    return SMSPROV_OK;
}

/* SizeLimit("n"), the SMS Provider's bound on a string's length. */
static smsprov_code derive_size_limit(const cim_class *cls, cim_property *p, smsprov_error *err)
{
    const cim_qualifier *q = cim_qualifier_find(&p->qualifiers, "SizeLimit");
    if (!q)
        return SMSPROV_OK;
    if (!qualifier_count(&q->value, &p->size_limit))
        return smsprov_error_set(err, SMSPROV_E_INVALID_CLASS,
                                 "The SizeLimit qualifier of property %s in class %s must be a "
                                 "non-negative whole number such as SizeLimit(\"3\").",
                                 p->name, cls->name);
    if (p->type != CIM_TYPE_STRING)
        return smsprov_error_set(err, SMSPROV_E_INVALID_CLASS,
                                 "Property %s in class %s has a SizeLimit qualifier but is not a "
                                 "string.",
                                 p->name, cls->name);
    p->flags |= CIM_PROP_SIZE_LIMIT;
    return SMSPROV_OK;
}

smsprov_code cim_property_finish(const cim_class *cls, cim_property *p, smsprov_error *err)
{
    const cim_qualifier_list *q = &p->qualifiers;
    p->flags = 0;
    p->range_low = p->range_high = 0;
    p->max_count = 0;
    p->size_limit = 0;
    if (cim_qualifier_is_true(q, "key"))
        p->flags |= CIM_PROP_KEY;
    /* WMI convention: `read` alone means the client may not set it. */
    if (cim_qualifier_is_true(q, "read") && !cim_qualifier_is_true(q, "write"))
        p->flags |= CIM_PROP_READ_ONLY;
    if (cim_qualifier_is_true(q, "lazy"))
        p->flags |= CIM_PROP_LAZY;
    if (cim_qualifier_is_true(q, "large"))
        p->flags |= CIM_PROP_LARGE;
    if (cim_qualifier_is_true(q, "not_null"))
        p->flags |= CIM_PROP_NOT_NULL;
    if (cim_qualifier_is_true(q, "bits"))
        p->flags |= CIM_PROP_BITS;
    if ((p->flags & CIM_PROP_KEY) && (p->is_array || p->type == CIM_TYPE_OBJECT))
        return smsprov_error_set(err, SMSPROV_E_INVALID_CLASS,
                                 "Property %s in class %s cannot be a key: keys must be "
                                 "scalar values, not arrays or embedded objects.",
                                 p->name, cls->name);
    if (p->type == CIM_TYPE_OBJECT && !p->ref_class) {
        const cim_qualifier *embedded = cim_qualifier_find(q, "EmbeddedInstance");
        if (embedded && embedded->value.type == CIM_TYPE_STRING && !embedded->value.is_array &&
            !embedded->value.is_null)
            p->ref_class = cim_xstrdup(embedded->value.u.string);
    }
    smsprov_code rc = derive_range(cls, p, err);
    if (rc == SMSPROV_OK)
        rc = derive_max(cls, p, err);
    if (rc == SMSPROV_OK)
        rc = derive_size_limit(cls, p, err);
    return rc;
}

static cim_property *add_parameter_property(cim_class *params, const cim_parameter *src)
{
    cim_property *p = cim_class_add_property(params, src->name, src->type, src->is_array);
    p->array_size = src->array_size;
    p->ref_class = cim_xstrdup(src->ref_class);
    cim_qualifier_list_copy(&p->qualifiers, &src->qualifiers);
    return p;
}

static cim_class *new_parameter_class(const cim_class *owner)
{
    cim_class *params = cim_class_new("__PARAMETERS", NULL, owner->namespace_path);
    params->flags = CIM_CLASS_PARAMETERS;
    return params;
}

/* in_class: the [in] parameters; out_class: ReturnValue, then the [out]
 * parameters.  An [in, out] parameter is in both. */
static smsprov_code build_parameter_classes(const cim_class *cls, cim_method *m, smsprov_error *err)
{
    cim_class_free(m->in_class);
    cim_class_free(m->out_class);
    m->in_class = new_parameter_class(cls);
    m->out_class = new_parameter_class(cls);
    if (m->return_type != CIM_TYPE_INVALID) {
        cim_property *rv = cim_class_add_property(m->out_class, "ReturnValue", m->return_type, false);
        cim_value yes = cim_value_bool(true);
        cim_qualifier_list_set(&rv->qualifiers, "out", &yes, CIM_FLAVOR_TOSUBCLASS);
    }
    for (size_t i = 0; i < m->param_count; i++) {
        const cim_parameter *p = &m->params[i];
        if (cim_class_property_index(m->in_class, p->name) >= 0 ||
            cim_class_property_index(m->out_class, p->name) >= 0)
            return smsprov_error_set(err, SMSPROV_E_INVALID_CLASS,
                                     "Method %s of class %s declares parameter %s twice (or "
                                     "names a parameter ReturnValue); rename one of them.",
                                     m->name, cls->name, p->name);
        if (p->in)
            add_parameter_property(m->in_class, p);
        if (p->out)
            add_parameter_property(m->out_class, p);
    }
    smsprov_code rc = cim_class_finish(m->in_class, err);
    if (rc == SMSPROV_OK)
        rc = cim_class_finish(m->out_class, err);
    return rc;
}

smsprov_code cim_method_finish(const cim_class *cls, cim_method *m, smsprov_error *err)
{
    if (cim_qualifier_is_true(&m->qualifiers, "static"))
        m->is_static = true;
    for (size_t i = 0; i < m->param_count; i++) {
        cim_parameter *p = &m->params[i];
        p->in = p->in || cim_qualifier_is_true(&p->qualifiers, "in");
        p->out = p->out || cim_qualifier_is_true(&p->qualifiers, "out");
        p->optional = p->optional || cim_qualifier_is_true(&p->qualifiers, "optional");
        if (!p->in && !p->out)
            return smsprov_error_set(err, SMSPROV_E_INVALID_CLASS,
                                     "Parameter %s of method %s in class %s has neither an [in] "
                                     "nor an [out] qualifier; add one or both.",
                                     p->name, m->name, cls->name);
    }
    return build_parameter_classes(cls, m, err);
}

static unsigned derive_class_flags(const cim_class *cls)
{
    unsigned flags = cls->flags & CIM_CLASS_PARAMETERS;
    if (cim_qualifier_is_true(&cls->qualifiers, "Abstract"))
        flags |= CIM_CLASS_ABSTRACT;
    if (cim_qualifier_is_true(&cls->qualifiers, "Embedded"))
        flags |= CIM_CLASS_EMBEDDED;
    if (cim_qualifier_is_true(&cls->qualifiers, "Read"))
        flags |= CIM_CLASS_READ_ONLY;
    if (cim_qualifier_is_true(&cls->qualifiers, "Secured"))
        flags |= CIM_CLASS_SECURED;
    if (cls->name && strncmp(cls->name, "__", 2) == 0)
        flags |= CIM_CLASS_SYSTEM;
    return flags;
}

smsprov_code cim_class_finish(cim_class *cls, smsprov_error *err)
{
    cls->flags = derive_class_flags(cls);
    cls->key_count = 0;
    for (size_t i = 0; i < cls->property_count; i++) {
        smsprov_code rc = cim_property_finish(cls, &cls->properties[i], err);
        if (rc != SMSPROV_OK)
            return rc;
        if (cls->properties[i].flags & CIM_PROP_KEY)
            cls->key_count++;
    }
    for (size_t i = 0; i < cls->method_count; i++) {
        smsprov_code rc = cim_method_finish(cls, &cls->methods[i], err);
        if (rc != SMSPROV_OK)
            return rc;
    }
    return SMSPROV_OK;
}
