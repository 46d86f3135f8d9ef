/* class.c - building classes (new, inherit, add members), freeing them and
 * looking members up.  Deriving flags and parameter classes is in
 * class_finish.c; printing as MOF is in class_mof.c. */
#include <stdlib.h>
#include <string.h>

#include "cim/class_internal.h"
#include "smsprov/cim.h"

cim_class *cim_class_new(const char *name, const char *superclass_name, const char *namespace_path)
{
    cim_class *cls = cim_xcalloc(1, sizeof *cls);
    cls->name = cim_xstrdup(name);
    cls->superclass_name = superclass_name && *superclass_name ? cim_xstrdup(superclass_name) : NULL;
    cls->namespace_path = cim_xstrdup(namespace_path);
    return cls;
}

/* A qualifier reaches a subclass unless it is Restricted; Abstract never
 * does, whatever its flavor, because WMI does not propagate it. */
bool cim_qualifier_propagates(const cim_qualifier *q)
{
    if (q->flavor & CIM_FLAVOR_RESTRICTED)
        return false;
    return cim_strcasecmp(q->name, "Abstract") != 0;
}

static void copy_inherited_qualifiers(cim_qualifier_list *dst, const cim_qualifier_list *src)
{
    for (size_t i = 0; i < src->count; i++)
        if (cim_qualifier_propagates(&src->items[i]))
            cim_qualifier_list_set(dst, src->items[i].name, &src->items[i].value,
                                   src->items[i].flavor);
}

static void property_clear(cim_property *p)
{
    free(p->name);
    free(p->ref_class);
    free(p->origin_class);
    cim_value_clear(&p->default_value);
    cim_qualifier_list_clear(&p->qualifiers);
    memset(p, 0, sizeof *p);
}

static void parameter_clear(cim_parameter *p)
{
    free(p->name);
    free(p->ref_class);
    cim_qualifier_list_clear(&p->qualifiers);
    memset(p, 0, sizeof *p);
}

static void method_clear_params(cim_method *m)
{
    for (size_t i = 0; i < m->param_count; i++)
        parameter_clear(&m->params[i]);
    free(m->params);
    m->params = NULL;
    m->param_count = 0;
}

static void method_clear(cim_method *m)
{
    free(m->name);
    free(m->origin_class);
    method_clear_params(m);
    cim_qualifier_list_clear(&m->qualifiers);
    cim_class_free(m->in_class);
    cim_class_free(m->out_class);
    memset(m, 0, sizeof *m);
}

static void copy_inherited_property(cim_property *dst, const cim_property *src)
{
    memset(dst, 0, sizeof *dst);
    dst->name = cim_xstrdup(src->name);
    dst->type = src->type;
    dst->is_array = src->is_array;
    dst->array_size = src->array_size;
    dst->ref_class = cim_xstrdup(src->ref_class);
    cim_value_copy(&dst->default_value, &src->default_value);
    copy_inherited_qualifiers(&dst->qualifiers, &src->qualifiers);
    dst->origin_class = cim_xstrdup(src->origin_class);
}

static void copy_parameter(cim_parameter *dst, const cim_parameter *src)
{
    memset(dst, 0, sizeof *dst);
    dst->name = cim_xstrdup(src->name);
    dst->type = src->type;
    dst->is_array = src->is_array;
    dst->array_size = src->array_size;
    dst->ref_class = cim_xstrdup(src->ref_class);
    cim_qualifier_list_copy(&dst->qualifiers, &src->qualifiers);
    dst->in = src->in;
    dst->out = src->out;
    dst->optional = src->optional;
}

/* Parameter classes are not copied: cim_class_finish() rebuilds them. */
static void copy_inherited_method(cim_method *dst, const cim_method *src)
{
    memset(dst, 0, sizeof *dst);
    dst->name = cim_xstrdup(src->name);
    dst->return_type = src->return_type;
    dst->origin_class = cim_xstrdup(src->origin_class);
    copy_inherited_qualifiers(&dst->qualifiers, &src->qualifiers);
    dst->is_static = src->is_static;
    if (src->param_count) {
        dst->params = cim_xcalloc(src->param_count, sizeof *dst->params);
        for (size_t i = 0; i < src->param_count; i++)
            copy_parameter(&dst->params[i], &src->params[i]);
        dst->param_count = src->param_count;
    }
}

void cim_class_inherit(cim_class *cls, const cim_class *superclass)
{
    cls->superclass = superclass;
    if (!cls->superclass_name)
        cls->superclass_name = cim_xstrdup(superclass->name);
    copy_inherited_qualifiers(&cls->qualifiers, &superclass->qualifiers);
    for (size_t i = 0; i < superclass->property_count; i++) {
        cls->properties = cim_xrealloc(cls->properties,
                                       (cls->property_count + 1) * sizeof *cls->properties);
        copy_inherited_property(&cls->properties[cls->property_count++],
                                &superclass->properties[i]);
    }
    for (size_t i = 0; i < superclass->method_count; i++) {
        cls->methods = cim_xrealloc(cls->methods, (cls->method_count + 1) * sizeof *cls->methods);
        copy_inherited_method(&cls->methods[cls->method_count++], &superclass->methods[i]);
    }
}

/* A redeclared inherited property keeps its place, its origin class, its
 * inherited qualifiers and (when the type is unchanged) its default; the
 * caller then overrides what the new declaration says. */
cim_property *cim_class_add_property(cim_class *cls, const char *name, cim_type type, bool is_array)
{
    ptrdiff_t at = cim_class_property_index(cls, name);
    if (at >= 0) {
        cim_property *p = &cls->properties[at];
        if (p->type != type || p->is_array != is_array) {
            cim_value_clear(&p->default_value);
            p->default_value = cim_value_null(type, is_array);
            free(p->ref_class);
            p->ref_class = NULL;
            p->array_size = 0;
        }
        p->type = type;
        p->is_array = is_array;
        return p;
    }
    cls->properties = cim_xrealloc(cls->properties,
                                   (cls->property_count + 1) * sizeof *cls->properties);
    cim_property *p = &cls->properties[cls->property_count++];
    memset(p, 0, sizeof *p);
    p->name = cim_xstrdup(name);
    p->type = type;
    p->is_array = is_array;
    p->default_value = cim_value_null(type, is_array);
    p->origin_class = cim_xstrdup(cls->name);
    return p;
}

/* A redeclared inherited method keeps its place, origin and inherited
 * qualifiers; its parameters are replaced by the new declaration's. */
cim_method *cim_class_add_method(cim_class *cls, const char *name, cim_type return_type)
{
    for (size_t i = 0; i < cls->method_count; i++) {
        cim_method *m = &cls->methods[i];
        if (cim_strcasecmp(m->name, name) == 0) {
            method_clear_params(m);
            m->return_type = return_type;
            return m;
        }
    }
    cls->methods = cim_xrealloc(cls->methods, (cls->method_count + 1) * sizeof *cls->methods);
    cim_method *m = &cls->methods[cls->method_count++];
    memset(m, 0, sizeof *m);
    m->name = cim_xstrdup(name);
    m->return_type = return_type;
    m->origin_class = cim_xstrdup(cls->name);
    return m;
}

cim_parameter *cim_method_add_param(cim_method *m, const char *name, cim_type type, bool is_array)
{
    m->params = cim_xrealloc(m->params, (m->param_count + 1) * sizeof *m->params);
    cim_parameter *p = &m->params[m->param_count++];
    memset(p, 0, sizeof *p);
    p->name = cim_xstrdup(name);
    p->type = type;
    p->is_array = is_array;
    return p;
}

void cim_class_free(cim_class *cls)
{
    if (!cls)
        return;
    for (size_t i = 0; i < cls->property_count; i++)
        property_clear(&cls->properties[i]);
    free(cls->properties);
    for (size_t i = 0; i < cls->method_count; i++)
        method_clear(&cls->methods[i]);
    free(cls->methods);
    cim_qualifier_list_clear(&cls->qualifiers);
    free(cls->name);
    free(cls->superclass_name);
    free(cls->namespace_path);
    free(cls);
}

ptrdiff_t cim_class_property_index(const cim_class *cls, const char *name)
{
    if (!cls || !name)
        return -1;
    for (size_t i = 0; i < cls->property_count; i++)
        if (cim_strcasecmp(cls->properties[i].name, name) == 0)
            return (ptrdiff_t)i;
    return -1;
}

const cim_property *cim_class_find_property(const cim_class *cls, const char *name)
{
    ptrdiff_t at = cim_class_property_index(cls, name);
    return at < 0 ? NULL : &cls->properties[at];
}

const cim_method *cim_class_find_method(const cim_class *cls, const char *name)
{
    if (!cls || !name)
        return NULL;
    for (size_t i = 0; i < cls->method_count; i++)
        if (cim_strcasecmp(cls->methods[i].name, name) == 0)
            return &cls->methods[i];
    return NULL;
}

const cim_parameter *cim_method_find_param(const cim_method *m, const char *name)
{
    if (!m || !name)
        return NULL;
    for (size_t i = 0; i < m->param_count; i++)
        if (cim_strcasecmp(m->params[i].name, name) == 0)
            return &m->params[i];
    return NULL;
}

/* Walks resolved superclasses; a class not yet in a schema still knows its
 * superclass by name, which is the last link checked. */
bool cim_class_is_a(const cim_class *cls, const char *ancestor_name)
{
    if (!ancestor_name)
        return false;
    for (const cim_class *c = cls; c; c = c->superclass) {
        if (cim_strcasecmp(c->name, ancestor_name) == 0)
            return true;
        if (!c->superclass && c->superclass_name &&
            cim_strcasecmp(c->superclass_name, ancestor_name) == 0)
            return true;
    }
    return false;
}
