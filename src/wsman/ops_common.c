/* ops_common.c - what several operations share: the class, the key
 * selectors as an object path, provider faults, the deadline. */
#include <stdlib.h>
#include <string.h>

#include "wsman/ops.h"

bool wsman_op_provider_fault(wsman_op *op, smsprov_error *err)
{
    wsman_fault_from_error(&op->fault, err);
    return false;
}

bool wsman_op_class(wsman_op *op, const char *class_name, const cim_class **out)
{
    if (!class_name) {
        wsman_fault_set(&op->fault, WSMAN_FAULT_DESTINATION_UNREACHABLE, "InvalidResourceURI",
                        "The resource URI names no class; end it with the class name, such "
                        "as .../cim-schema/2/SMS_BootImagePackage.");
        return false;
    }
    smsprov_error err = {0};
    if (smsprov_get_class(op->door->site, &op->call, class_name, out, &err) != SMSPROV_OK)
        return wsman_op_provider_fault(op, &err);
    return true;
}

bool wsman_op_has_keys(const wsman_op *op)
{
    for (size_t i = 0; i < op->env->selector_count; i++)
        if (cim_strcasecmp(op->env->selectors[i].name, "__cimnamespace") != 0)
            return true;
    return false;
}

static void add_key(cim_object_path *path, const char *name, cim_value *value)
{
    path->keys = cim_xrealloc(path->keys, (path->key_count + 1) * sizeof *path->keys);
    path->keys[path->key_count].name = cim_xstrdup(name);
    path->keys[path->key_count].value = *value;
    path->key_count++;
}

static bool key_selector(wsman_op *op, const cim_class *cls, const wsman_selector *sel,
                         cim_object_path *path)
{
    const cim_property *p = cim_class_find_property(cls, sel->name);
    if (!p || !(p->flags & CIM_PROP_KEY)) {
        wsman_fault_set(&op->fault, WSMAN_FAULT_INVALID_SELECTORS, "UnexpectedSelectors",
                        "The selector %.100s is not a key of %s.", sel->name, cls->name);
        return false;
    }
    cim_value text = cim_value_string(sel->value);
    cim_value typed = {0};
    smsprov_error err = {0};
    bool ok = cim_value_convert(&text, p->type, false, &typed, &err) == SMSPROV_OK;
    if (ok)
        add_key(path, p->name, &typed);
    else
        wsman_fault_set(&op->fault, WSMAN_FAULT_INVALID_SELECTORS, "TypeMismatch",
                        "The selector %s does not fit the key's type: %s", p->name,
                        err.description);
    smsprov_error_clear(&err);
    cim_value_clear(&text);
    return ok;
}

bool wsman_op_object_path(wsman_op *op, const cim_class *cls, char **out)
{
    cim_object_path path = {.class_name = cim_xstrdup(cls->name)};
    bool ok = true;
    for (size_t i = 0; ok && i < op->env->selector_count; i++) {
        const wsman_selector *sel = &op->env->selectors[i];
        if (cim_strcasecmp(sel->name, "__cimnamespace") != 0)
            ok = key_selector(op, cls, sel, &path);
    }
    for (size_t i = 0; ok && i < cls->property_count; i++) {
        const cim_property *p = &cls->properties[i];
        if ((p->flags & CIM_PROP_KEY) && !cim_object_path_find_key(&path, p->name)) {
            wsman_fault_set(&op->fault, WSMAN_FAULT_INVALID_SELECTORS, "InsufficientSelectors",
                            "The key %s of %s is missing; add <w:Selector Name=\"%s\"> to the "
                            "SelectorSet.",
                            p->name, cls->name, p->name);
            ok = false;
        }
    }
    if (ok) {
        path.singleton = cls->key_count == 0;
        *out = cim_object_path_format(&path, false);
    }
    cim_object_path_clear(&path);
    return ok;
}

bool wsman_op_check_deadline(wsman_op *op, const char *what)
{
    if (op->deadline_us < 0 || wsman_now_us() <= op->deadline_us)
        return true;
    wsman_fault_set(&op->fault, WSMAN_FAULT_TIMED_OUT, NULL,
                    "The %s did not finish within the OperationTimeout of %.3f seconds; raise "
                    "the timeout or ask for less.",
                    what, (double)op->env->operation_timeout_us / 1e6);
    return false;
}

wsman_write_options wsman_op_write_options(const wsman_op *op)
{
    return (wsman_write_options){
        .uri_prefix = op->res.uri_prefix,
        .namespace_path = op->namespace_path,
        .winrm_client = op->winrm_client,
        .precise_arrays = wsman_envelope_option_true(op->env, "UsePreciseArrays", false),
    };
}
