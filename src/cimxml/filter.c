/* filter.c - LocalOnly, DeepInheritance and PropertyList as the list of
 * properties to write for each class of the instances answered.
 *
 * A property of an instance of class C (the requested class or a subclass)
 * is written when
 *   - DeepInheritance is true, or the requested class has it too;
 *   - LocalOnly is false, or it is not inherited into the requested class
 *     (its origin is the requested class, or a subclass added it);
 *   - PropertyList is absent, or lists it. */
#include <stdlib.h>

#include "cimxml/ops.h"

static bool listed(const char *const *list, const char *name)
{
    for (; *list; list++)
        if (cim_strcasecmp(*list, name) == 0)
            return true;
    return false;
}

static bool wanted(const cimxml_filter *f, const cim_property *p)
{
    const cim_property *in_requested = cim_class_find_property(f->requested, p->name);
    if (!f->deep && !in_requested)
        return false;
    if (f->local_only && in_requested && in_requested->origin_class &&
        cim_strcasecmp(in_requested->origin_class, f->requested->name) != 0)
        return false;
    return !f->property_list || listed(f->property_list, p->name);
}

static const char **names_for(const cimxml_filter *f, const cim_class *cls)
{
    const char **names = cim_xcalloc(cls->property_count + 1, sizeof *names);
    size_t n = 0;
    for (size_t i = 0; i < cls->property_count; i++)
        if (wanted(f, &cls->properties[i]))
            names[n++] = cls->properties[i].name;
    return names;
}

const char *const *cimxml_filter_for(cimxml_filter *f, const cim_class *cls)
{
    if (!f->local_only && f->deep && !f->property_list)
        return NULL;
    for (size_t i = 0; i < f->cache_count; i++)
        if (f->cache[i].cls == cls)
            return f->cache[i].names;
    f->cache = cim_xrealloc(f->cache, (f->cache_count + 1) * sizeof *f->cache);
    cimxml_filter_entry *e = &f->cache[f->cache_count++];
    e->cls = cls;
    e->names = names_for(f, cls);
    return e->names;
}

void cimxml_filter_clear(cimxml_filter *f)
{
    for (size_t i = 0; i < f->cache_count; i++)
        free(f->cache[i].names);
    free(f->cache);
    f->cache = NULL;
    f->cache_count = 0;
}
