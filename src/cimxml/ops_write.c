/* ops_write.c - CreateInstance, ModifyInstance, DeleteInstance and
 * SetProperty. */
#include <stdlib.h>

#include "cimxml/ops.h"
#include "xmlcim/names.h"

static const cimxml_arg *instance_arg(cimxml_op *op, const char *name, cimxml_arg_kind kind,
                                      const char *what)
{
    const cimxml_arg *a = cimxml_request_arg(op->req, name);
    if (a && a->kind == kind)
        return a;
    cimxml_fault_set_cim(op->fault, CIM_ERR_INVALID_PARAMETER,
                         "%s needs the parameter %s as %s%s%s.", op->req->method, name, what,
                         a ? ", not " : "", a ? (a->element ? a->element : "empty") : "");
    return NULL;
}

static bool put(cimxml_op *op, const cim_instance *inst, smsprov_put_mode mode,
                const char *const *list, char **path)
{
    smsprov_error err = {0};
    if (smsprov_put(op->site, &op->call, inst, mode, list, path, &err) != SMSPROV_OK)
        return cimxml_op_fail(op, &err);
    return true;
}

bool cimxml_op_create_instance(cimxml_op *op)
{
    const cimxml_arg *a = instance_arg(op, "NewInstance", CIMXML_ARG_INSTANCE, "an INSTANCE");
    cim_instance *inst = NULL;
    char *path = NULL;
    if (!a || !cimxml_convert_instance(op, &a->instance, &inst, NULL))
        return false;
    bool ok = put(op, inst, SMSPROV_PUT_CREATE_ONLY, NULL, &path);
    if (ok) {
        op->returns_value = true;
        xmlcim_write_instancename_of_path(op->out, path);
    }
    free(path);
    cim_instance_free(inst);
    return ok;
}

static const cim_property *key_property(const cim_class *cls, const char *name)
{
    if (name) {
        const cim_property *p = cim_class_find_property(cls, name);
        return p && (p->flags & CIM_PROP_KEY) ? p : NULL;
    }
    for (size_t i = 0; cls->key_count == 1 && i < cls->property_count; i++)
        if (cls->properties[i].flags & CIM_PROP_KEY)
            return &cls->properties[i]; /* Class="v": the one key */
    return NULL;
}

/* The INSTANCENAME of a VALUE.NAMEDINSTANCE says which instance changes:
 * its keys go into the instance, which may repeat them but not contradict
 * them. */
static bool apply_name(cimxml_op *op, const cim_object_path *name, cim_instance *inst)
{
    if (cim_strcasecmp(name->class_name, inst->cls->name) != 0) {
        cimxml_fault_set_cim(op->fault, CIM_ERR_INVALID_PARAMETER,
                             "The instance is a %s but its name is of class %s; they must agree.",
                             inst->cls->name, name->class_name);
        return false;
    }
    for (size_t i = 0; i < name->key_count; i++) {
        const cim_keybinding *k = &name->keys[i];
        const cim_property *p = key_property(inst->cls, k->name);
        if (!p) {
            cimxml_fault_set_cim(op->fault, CIM_ERR_INVALID_PARAMETER, "%s is not a key of %s.",
                                 k->name ? k->name : "(unnamed key)", inst->cls->name);
            return false;
        }
        cim_value v;
        smsprov_error err = {0};
        if (cim_value_convert(&k->value, p->type, false, &v, &err) != SMSPROV_OK) {
            cimxml_fault_set_cim(op->fault, CIM_ERR_TYPE_MISMATCH, "Key %s: %s", p->name,
                                 err.description);
            smsprov_error_clear(&err);
            return false;
        }
        cim_value *current = cim_instance_get_mut(inst, p->name);
        bool contradicts = !current->is_null && !cim_value_equal(current, &v);
        if (contradicts)
            cimxml_fault_set_cim(op->fault, CIM_ERR_INVALID_PARAMETER,
                                 "The instance's %s differs from the %s in its name; keys cannot "
                                 "be changed.",
                                 p->name, p->name);
        else
            cim_value_move(current, &v);
        cim_value_clear(&v);
        if (contradicts)
            return false;
    }
    return true;
}

bool cimxml_op_modify_instance(cimxml_op *op)
{
    bool include_qualifiers; /* read for validation; qualifiers are the schema's */
    const char **property_list = NULL, **given = NULL;
    cim_instance *inst = NULL;
    const cimxml_arg *a =
        instance_arg(op, "ModifiedInstance", CIMXML_ARG_NAMED_INSTANCE, "a VALUE.NAMEDINSTANCE");
    bool ok = a && cimxml_arg_bool(op, "IncludeQualifiers", true, &include_qualifiers) &&
              cimxml_arg_property_list(op, &property_list) &&
              cimxml_convert_instance(op, &a->instance, &inst, &given) &&
              apply_name(op, &a->path, inst);
    /* Without a PropertyList the properties the client sent are the ones it
     * changes; with one, a listed property it left out becomes null. */
    if (ok)
        ok = put(op, inst, SMSPROV_PUT_UPDATE_ONLY, property_list ? property_list : given, NULL);
    cim_instance_free(inst);
    free(property_list);
    free(given);
    return ok;
}

bool cimxml_op_delete_instance(cimxml_op *op)
{
    const cim_object_path *path = NULL;
    if (!cimxml_arg_instancename(op, "InstanceName", &path))
        return false;
    char *text = cimxml_path_text(path);
    smsprov_error err = {0};
    smsprov_code rc = smsprov_delete(op->site, &op->call, text, &err);
    free(text);
    return rc == SMSPROV_OK || cimxml_op_fail(op, &err);
}

bool cimxml_op_set_property(cimxml_op *op)
{
    const cim_object_path *path = NULL;
    const char *name = NULL;
    if (!cimxml_arg_instancename(op, "InstanceName", &path) ||
        !cimxml_arg_text(op, "PropertyName", &name))
        return false;
    const cimxml_arg *a = cimxml_request_arg(op->req, "NewValue");
    if (a && a->kind != CIMXML_ARG_DATA) {
        cimxml_fault_set_cim(op->fault, CIM_ERR_INVALID_PARAMETER,
                             "NewValue must be a VALUE or VALUE.ARRAY, not %s.", a->element);
        return false;
    }
    char *text = cimxml_path_text(path);
    cim_instance *inst = NULL;
    smsprov_error err = {0};
    bool ok = smsprov_get(op->site, &op->call, text, &inst, &err) == SMSPROV_OK ||
              cimxml_op_fail(op, &err);
    free(text);
    const cim_property *p = ok ? cim_class_find_property(inst->cls, name) : NULL;
    if (ok && !p) {
        cimxml_fault_set_cim(op->fault, CIM_ERR_NO_SUCH_PROPERTY, "%s has no property %s.",
                             inst->cls->name, name);
        ok = false;
    }
    cim_value v;
    static const cimxml_data null_data = {.is_null = true};
    if (ok) {
        char *what = cim_xasprintf("Property %s of %s", p->name, inst->cls->name);
        ok = cimxml_convert_data(op, a ? &a->data : &null_data, what, p->type, p->is_array,
                                 p->ref_class, &v);
        free(what);
    }
    if (ok) {
        cim_value_move(cim_instance_get_mut(inst, p->name), &v);
        const char *list[] = {p->name, NULL};
        ok = put(op, inst, SMSPROV_PUT_UPDATE_ONLY, list, NULL);
    }
    cim_instance_free(inst);
    return ok;
}
