/* ops_method.c - extrinsic method calls (METHODCALL), static on a class
 * path or on an instance path, answered with RETURNVALUE and the out
 * parameters. */
#include <stdlib.h>

#include "cimxml/ops.h"
#include "xmlcim/xmlcim.h"

static bool not_of_type(cimxml_op *op, const cim_property *p, const char *sent)
{
    cimxml_fault_set_cim(op->fault, CIM_ERR_TYPE_MISMATCH, "Parameter %s of %s is %s%s, not %s.",
                         p->name, op->req->method, xmlcim_type_name(p->type),
                         p->is_array ? "[]" : "", sent);
    return false;
}

/* A reference parameter may be sent as an INSTANCENAME or CLASSNAME too. */
static bool reference_from_name(cimxml_op *op, const cimxml_arg *a, const cim_property *p,
                                cim_value *out)
{
    if (p->type != CIM_TYPE_REFERENCE || p->is_array)
        return not_of_type(op, p, a->element);
    char *text =
        a->kind == CIMXML_ARG_CLASSNAME ? cim_xstrdup(a->class_name) : cimxml_path_text(&a->path);
    *out = cim_value_reference(text);
    free(text);
    return true;
}

static bool embedded_from_instance(cimxml_op *op, const cimxml_arg *a, const cim_property *p,
                                   cim_value *out)
{
    if (p->type != CIM_TYPE_OBJECT || p->is_array)
        return not_of_type(op, p, "an INSTANCE");
    cim_instance *inst = NULL;
    if (!cimxml_convert_instance(op, &a->instance, &inst, NULL))
        return false;
    if (p->ref_class && !cim_class_is_a(inst->cls, p->ref_class)) {
        cim_instance_free(inst);
        return not_of_type(op, p, a->instance.class_name);
    }
    *out = cim_value_object(inst);
    return true;
}

static bool read_param(cimxml_op *op, const cimxml_arg *a, const cim_method *m, cim_instance *in)
{
    ptrdiff_t index = cim_class_property_index(m->in_class, a->name);
    if (index < 0) {
        cimxml_fault_set_cim(op->fault, CIM_ERR_INVALID_PARAMETER,
                             "%s is not an input parameter of %s.", a->name, m->name);
        return false;
    }
    const cim_property *p = &m->in_class->properties[index];
    const char *expected = p->type == CIM_TYPE_REFERENCE ? "reference" : xmlcim_type_name(p->type);
    if (a->paramtype && cim_strcasecmp(a->paramtype, expected) != 0)
        return not_of_type(op, p, a->paramtype);
    cim_value v;
    bool ok;
    if (a->kind == CIMXML_ARG_DATA) {
        char *what = cim_xasprintf("Parameter %s of %s", p->name, m->name);
        ok = cimxml_convert_data(op, &a->data, what, p->type, p->is_array, p->ref_class, &v);
        free(what);
    } else if (a->kind == CIMXML_ARG_INSTANCENAME || a->kind == CIMXML_ARG_CLASSNAME) {
        ok = reference_from_name(op, a, p, &v);
    } else if (a->kind == CIMXML_ARG_INSTANCE) {
        ok = embedded_from_instance(op, a, p, &v);
    } else {
        ok = not_of_type(op, p, a->element);
    }
    if (ok)
        cim_value_move(&in->values[index], &v);
    return ok;
}

static void write_typed_value(cim_buf *b, const cim_property *p, const cim_value *v)
{
    cim_buf_printf(b, " PARAMTYPE=\"%s\"",
                   p->type == CIM_TYPE_REFERENCE ? "reference" : xmlcim_type_name(p->type));
    if (p->type == CIM_TYPE_OBJECT)
        cim_buf_append(b, " EmbeddedObject=\"instance\"");
    cim_buf_append(b, ">");
    xmlcim_write_value(b, v);
}

/* RETURNVALUE first, then a PARAMVALUE per out parameter that has a value
 * (wbemcli cannot read an empty PARAMVALUE; DSP0201 lets us leave it out). */
static void write_out_params(cim_buf *b, const cim_instance *out)
{
    for (size_t i = 0; i < out->cls->property_count; i++) {
        const cim_property *p = &out->cls->properties[i];
        if (cim_strcasecmp(p->name, "ReturnValue") == 0) {
            cim_buf_append(b, "<RETURNVALUE");
            write_typed_value(b, p, &out->values[i]);
            cim_buf_append(b, "</RETURNVALUE>");
            continue;
        }
        if (out->values[i].is_null)
            continue;
        cim_buf_append(b, "<PARAMVALUE NAME=\"");
        xmlcim_escape(b, p->name);
        cim_buf_append(b, "\"");
        write_typed_value(b, p, &out->values[i]);
        cim_buf_append(b, "</PARAMVALUE>");
    }
}

bool cimxml_op_invoke_method(cimxml_op *op)
{
    const cimxml_request *req = op->req;
    const cim_class *cls = NULL;
    smsprov_error err = {0};
    if (smsprov_get_class(op->site, &op->call, req->target.class_name, &cls, &err) != SMSPROV_OK)
        return cimxml_op_fail(op, &err);
    const cim_method *m = cim_class_find_method(cls, req->method);
    if (!m) {
        cimxml_fault_set_cim(op->fault, CIM_ERR_METHOD_NOT_FOUND, "%s has no method %s.", cls->name,
                             req->method);
        return false;
    }
    cim_instance *in = cim_instance_new(m->in_class);
    bool ok = true;
    for (size_t i = 0; ok && i < req->arg_count; i++)
        ok = read_param(op, &req->args[i], m, in);
    cim_instance *out = NULL;
    if (ok) {
        char *target = cim_object_path_format(&req->target, false);
        ok = smsprov_invoke(op->site, &op->call, target, m->name, in, &out, &err) == SMSPROV_OK ||
             cimxml_op_fail(op, &err);
        free(target);
    }
    if (ok)
        write_out_params(op->out, out);
    cim_instance_free(out);
    cim_instance_free(in);
    return ok;
}
