/* ops_instance.c - GetInstance, EnumerateInstances, EnumerateInstanceNames
 * and GetProperty. */
#include <stdlib.h>

#include "cimxml/ops.h"
#include "xmlcim/names.h"
#include "xmlcim/xmlcim.h"

/* The instance options and property filter of a read (DSP0200 defaults:
 * LocalOnly TRUE, DeepInheritance TRUE, IncludeQualifiers FALSE,
 * IncludeClassOrigin FALSE, no PropertyList). */
typedef struct read_request {
    xmlcim_instance_options options;
    cimxml_filter filter;
    const char **property_list;
    char **owned_names; /* a copy of the list's names, for a streamed answer */
} read_request;

static bool read_options(cimxml_op *op, bool has_deep, read_request *rr)
{
    *rr = (read_request){0};
    rr->filter.deep = true;
    bool ok = cimxml_arg_bool(op, "LocalOnly", true, &rr->filter.local_only) &&
              (!has_deep || cimxml_arg_bool(op, "DeepInheritance", true, &rr->filter.deep)) &&
              cimxml_arg_bool(op, "IncludeQualifiers", false, &rr->options.include_qualifiers) &&
              cimxml_arg_bool(op, "IncludeClassOrigin", false, &rr->options.include_class_origin) &&
              cimxml_arg_property_list(op, &rr->property_list);
    rr->filter.property_list = rr->property_list;
    return ok;
}

static void clear_options(read_request *rr)
{
    cimxml_filter_clear(&rr->filter);
    for (size_t i = 0; rr->owned_names && rr->owned_names[i]; i++)
        free(rr->owned_names[i]);
    free(rr->owned_names);
    free(rr->property_list);
}

/* Makes the property list independent of the request, which a streamed
 * answer outlives. */
static void own_property_list(read_request *rr)
{
    if (!rr->property_list)
        return;
    size_t n = 0;
    while (rr->property_list[n])
        n++;
    rr->owned_names = cim_xcalloc(n + 1, sizeof *rr->owned_names);
    for (size_t i = 0; i < n; i++) {
        rr->owned_names[i] = cim_xstrdup(rr->property_list[i]);
        rr->property_list[i] = rr->owned_names[i];
    }
}

static void write_filtered(cim_buf *b, read_request *rr, const cim_instance *inst, bool named)
{
    rr->options.property_list = cimxml_filter_for(&rr->filter, inst->cls);
    if (named)
        xmlcim_write_named_instance(b, inst, &rr->options);
    else
        xmlcim_write_instance(b, inst, &rr->options);
}

/* The instance an INSTANCENAME parameter names. */
static bool get_named(cimxml_op *op, cim_instance **out)
{
    const cim_object_path *path = NULL;
    if (!cimxml_arg_instancename(op, "InstanceName", &path))
        return false;
    char *text = cimxml_path_text(path);
    smsprov_error err = {0};
    smsprov_code rc = smsprov_get(op->site, &op->call, text, out, &err);
    free(text);
    return rc == SMSPROV_OK || cimxml_op_fail(op, &err);
}

bool cimxml_op_get_instance(cimxml_op *op)
{
    read_request rr;
    cim_instance *inst = NULL;
    bool ok = read_options(op, false, &rr) && get_named(op, &inst);
    if (ok) {
        rr.filter.requested = inst->cls;
        op->returns_value = true;
        write_filtered(op->out, &rr, inst, false);
    }
    cim_instance_free(inst);
    clear_options(&rr);
    return ok;
}

/* Every instance of ClassName and of its subclasses (DeepInheritance only
 * chooses the properties written, as DSP0200 defines it), as a cursor. */
static bool enumerate(cimxml_op *op, const cim_class **cls)
{
    const char *name = NULL;
    smsprov_error err = {0};
    if (!cimxml_arg_classname(op, "ClassName", true, &name))
        return false;
    if (smsprov_get_class(op->site, &op->call, name, cls, &err) != SMSPROV_OK ||
        smsprov_enumerate_open(op->site, &op->call, name, SMSPROV_ENUM_DEEP, &op->rows.cursor,
                               &err) != SMSPROV_OK)
        return cimxml_op_fail(op, &err);
    return true;
}

static void write_named(void *data, cim_buf *b, const cim_instance *inst)
{
    write_filtered(b, data, inst, true);
}

static void free_read_request(void *data)
{
    clear_options(data);
    free(data);
}

bool cimxml_op_enumerate_instances(cimxml_op *op)
{
    read_request *rr = cim_xmalloc(sizeof *rr);
    const cim_class *cls = NULL;
    bool ok = read_options(op, true, rr) && enumerate(op, &cls);
    if (!ok) {
        free_read_request(rr);
        return false;
    }
    own_property_list(rr);
    rr->filter.requested = cls;
    op->returns_value = true;
    op->rows.write = write_named;
    op->rows.free = free_read_request;
    op->rows.data = rr;
    return true;
}

static void write_name(void *data, cim_buf *b, const cim_instance *inst)
{
    (void)data;
    xmlcim_write_instancename(b, inst);
}

bool cimxml_op_enumerate_instance_names(cimxml_op *op)
{
    const cim_class *cls = NULL;
    if (!enumerate(op, &cls))
        return false;
    op->returns_value = true;
    op->rows.write = write_name;
    return true;
}

bool cimxml_op_get_property(cimxml_op *op)
{
    const char *name = NULL;
    cim_instance *inst = NULL;
    if (!cimxml_arg_text(op, "PropertyName", &name) || !get_named(op, &inst))
        return false;
    const cim_value *v = cim_instance_get(inst, name);
    bool ok = v != NULL;
    if (ok) {
        op->returns_value = true;
        xmlcim_write_value(op->out, v);
    } else {
        cimxml_fault_set_cim(op->fault, CIM_ERR_NO_SUCH_PROPERTY, "%s has no property %s.",
                             inst->cls->name, name);
    }
    cim_instance_free(inst);
    return ok;
}
