/* ops_class.c - GetClass, EnumerateClasses, EnumerateClassNames. */
#include <stdlib.h>

#include "cimxml/ops.h"
#include "xmlcim/names.h"
#include "xmlcim/xmlcim.h"

typedef struct class_request {
    xmlcim_class_options options;
    const char **property_list;
} class_request;

/* LocalOnly (default TRUE), IncludeQualifiers (TRUE), IncludeClassOrigin
 * (FALSE), PropertyList: the DSP0200 defaults. */
static bool read_class_options(cimxml_op *op, bool with_property_list, class_request *cr)
{
    *cr = (class_request){0};
    return cimxml_arg_bool(op, "LocalOnly", true, &cr->options.local_only) &&
           cimxml_arg_bool(op, "IncludeQualifiers", true, &cr->options.include_qualifiers) &&
           cimxml_arg_bool(op, "IncludeClassOrigin", false, &cr->options.include_class_origin) &&
           (!with_property_list || cimxml_arg_property_list(op, &cr->property_list));
}

static bool listed(const char *const *list, const char *name)
{
    for (; *list; list++)
        if (cim_strcasecmp(*list, name) == 0)
            return true;
    return false;
}

/* With a PropertyList, the class is written through a view that holds only
 * the listed properties (its methods stay, as DSP0200 asks). */
static void write_class(cim_buf *b, const cim_class *cls, const class_request *cr)
{
    if (!cr->property_list) {
        xmlcim_write_class(b, cls, &cr->options);
        return;
    }
    cim_property *kept = cim_xcalloc(cls->property_count + 1, sizeof *kept);
    size_t n = 0;
    for (size_t i = 0; i < cls->property_count; i++)
        if (listed(cr->property_list, cls->properties[i].name))
            kept[n++] = cls->properties[i]; /* borrowed, never freed through the view */
    cim_class view = *cls;
    view.properties = kept;
    view.property_count = n;
    xmlcim_write_class(b, &view, &cr->options);
    free(kept);
}

bool cimxml_op_get_class(cimxml_op *op)
{
    const char *name = NULL;
    class_request cr;
    if (!cimxml_arg_classname(op, "ClassName", true, &name) || !read_class_options(op, true, &cr))
        return false;
    const cim_class *cls = NULL;
    smsprov_error err = {0};
    if (smsprov_get_class(op->site, &op->call, name, &cls, &err) != SMSPROV_OK) {
        free(cr.property_list);
        return cimxml_op_fail(op, &err);
    }
    op->returns_value = true;
    write_class(op->out, cls, &cr);
    free(cr.property_list);
    return true;
}

/* The classes under ClassName (or the namespace's roots), all generations
 * with DeepInheritance. */
static bool list_classes(cimxml_op *op, const cim_class ***classes, size_t *count)
{
    const char *name = NULL;
    bool deep = false;
    if (!cimxml_arg_classname(op, "ClassName", false, &name) ||
        !cimxml_arg_bool(op, "DeepInheritance", false, &deep))
        return false;
    smsprov_error err = {0};
    if (smsprov_enum_classes(op->site, &op->call, name, deep, classes, count, &err) != SMSPROV_OK)
        return cimxml_op_fail(op, &err);
    return true;
}

bool cimxml_op_enumerate_classes(cimxml_op *op)
{
    class_request cr;
    const cim_class **classes = NULL;
    size_t count = 0;
    if (!read_class_options(op, false, &cr) || !list_classes(op, &classes, &count))
        return false;
    op->returns_value = true;
    for (size_t i = 0; i < count; i++)
        write_class(op->out, classes[i], &cr);
    free(classes);
    return true;
}

bool cimxml_op_enumerate_class_names(cimxml_op *op)
{
    const cim_class **classes = NULL;
    size_t count = 0;
    if (!list_classes(op, &classes, &count))
        return false;
    op->returns_value = true;
    for (size_t i = 0; i < count; i++)
        xmlcim_write_classname(op->out, classes[i]->name);
    free(classes);
    return true;
}
