/* ops_invoke.c - methods (Invoke-CimMethod): the action is
 * <resource URI>/<Method>, the body <p:M_INPUT>, the answer <p:M_OUTPUT>
 * with the out-parameters and ReturnValue.  Any method the schema declares
 * works the same way; the provider decides what it does. */
#include <stdlib.h>
#include <string.h>

#include "wsman/ops.h"
#include "wsman/xml_util.h"

/* "…/SMS_BootImagePackage/RefreshPkgSource" -> class and method names. */
static bool split_action(wsman_op *op, char **class_name, char **method)
{
    const char *action = op->env->action;
    const char *slash = strrchr(action, '/');
    if (!slash || !slash[1] || slash == action) {
        wsman_fault_set(&op->fault, WSMAN_FAULT_ACTION_NOT_SUPPORTED, NULL,
                        "The action %.300s is not supported.", action);
        return false;
    }
    const char *before = slash - 1;
    while (before > action && *before != '/')
        before--;
    *method = cim_xstrdup(slash + 1);
    *class_name = cim_xasprintf("%.*s", (int)(slash - before - 1), before + 1);
    if (op->res.class_name && cim_strcasecmp(op->res.class_name, *class_name) != 0) {
        wsman_fault_set(&op->fault, WSMAN_FAULT_ACTION_NOT_SUPPORTED, NULL,
                        "The action %.300s does not belong to the resource %s; write it as "
                        "<resource URI>/<method>.",
                        action, op->res.class_name);
        return false;
    }
    return true;
}

static bool read_in_params(wsman_op *op, const cim_method *m, cim_instance **out)
{
    const xmlNode *node = op->env->payload;
    if (!node || !m->in_class)
        return true; /* a method without parameters may send an empty body */
    char *expected = cim_xasprintf("%s_INPUT", m->name);
    bool named_right = cim_strcasecmp(wx_local(node), expected) == 0;
    free(expected);
    if (!named_right) {
        wsman_fault_set(&op->fault, WSMAN_FAULT_SCHEMA_VALIDATION, NULL,
                        "The body of a call to %s must be <p:%s_INPUT>, not <%.100s>.", m->name,
                        m->name, wx_local(node));
        return false;
    }
    cim_instance *in = cim_instance_new(m->in_class);
    wsman_read_context ctx = {.schema = op->door->schema, .namespace_path = op->namespace_path,
                              .fault = &op->fault};
    if (!wsman_read_properties(&ctx, node, in, NULL)) {
        cim_instance_free(in);
        return false;
    }
    *out = in;
    return true;
}

static void write_output(wsman_op *op, const cim_class *cls, const cim_method *m,
                         const cim_instance *out)
{
    wsman_write_options o = wsman_op_write_options(op);
    cim_buf *b = &op->body;
    cim_buf_printf(b, "<p:%s_OUTPUT xmlns:p=\"%s%s\">", m->name, op->res.uri_prefix, cls->name);
    const cim_class *oc = out->cls;
    ptrdiff_t rv = cim_class_property_index(oc, "ReturnValue");
    for (size_t i = 0; i < oc->property_count; i++)
        if ((ptrdiff_t)i != rv && !out->values[i].is_null)
            wsman_write_property(b, "p", &oc->properties[i], &out->values[i], &o);
    if (rv >= 0)
        wsman_write_property(b, "p", &oc->properties[rv], &out->values[rv], &o);
    cim_buf_printf(b, "</p:%s_OUTPUT>", m->name);
}

bool wsman_op_invoke(wsman_op *op)
{
    op->summary = "Invoke";
    char *class_name = NULL, *method_name = NULL, *target = NULL;
    const cim_class *cls = NULL;
    const cim_method *m = NULL;
    cim_instance *in = NULL, *out = NULL;
    bool ok = split_action(op, &class_name, &method_name) && wsman_op_class(op, class_name, &cls);
    if (ok && !(m = cim_class_find_method(cls, method_name))) {
        smsprov_error err = {0};
        smsprov_error_set(&err, SMSPROV_E_INVALID_METHOD, "%s has no method \"%s\".", cls->name,
                          method_name);
        ok = wsman_op_provider_fault(op, &err);
    }
    if (ok)
        ok = wsman_op_has_keys(op) ? wsman_op_object_path(op, cls, &target)
                                   : (target = cim_xstrdup(cls->name)) != NULL;
    if (ok)
        ok = read_in_params(op, m, &in);
    smsprov_error err = {0};
    if (ok && smsprov_invoke(op->door->site, &op->call, target, m->name, in, &out, &err))
        ok = wsman_op_provider_fault(op, &err);
    if (ok && wsman_op_check_deadline(op, "method call")) {
        write_output(op, cls, m, out);
        op->action = cim_xasprintf("%sResponse", op->env->action);
    } else {
        ok = false;
    }
    cim_instance_free(in);
    cim_instance_free(out);
    free(class_name);
    free(method_name);
    free(target);
    return ok;
}
