/* ops_transfer.c - WS-Transfer: Get, Put (Set-CimInstance), Create
 * (New-CimInstance), Delete (Remove-CimInstance). */
#include <stdlib.h>
#include <string.h>

#include "wsman/ops.h"
#include "wsman/wsman_ns.h"
#include "wsman/xml_util.h"

#define MODIFIED_LIST_OPTION "__MIInstanceModifiedPropertiesList"

bool wsman_op_get(wsman_op *op)
{
    op->summary = "Get";
    const cim_class *cls = NULL;
    char *path = NULL;
    if (!wsman_op_class(op, op->res.class_name, &cls) || !wsman_op_object_path(op, cls, &path))
        return false;
    cim_instance *inst = NULL;
    smsprov_error err = {0};
    bool ok = smsprov_get(op->door->site, &op->call, path, &inst, &err) == SMSPROV_OK;
    free(path);
    if (!ok)
        return wsman_op_provider_fault(op, &err);
    if (wsman_op_check_deadline(op, "Get")) {
        wsman_write_options o = wsman_op_write_options(op);
        wsman_write_instance(&op->body, inst, &o);
        op->action = cim_xstrdup(ACTION_GET "Response");
    } else {
        ok = false;
    }
    cim_instance_free(inst);
    return ok;
}

/* The body of Put and Create: one element named after the class. */
static bool read_body_instance(wsman_op *op, const cim_class *cls, cim_instance **out,
                               bool *present)
{
    const xmlNode *node = op->env->payload;
    if (!node) {
        wsman_fault_set(&op->fault, WSMAN_FAULT_INVALID_REPRESENTATION, NULL,
                        "The body is empty; send the %s instance as <p:%s>.", cls->name,
                        cls->name);
        return false;
    }
    if (cim_strcasecmp(wx_local(node), cls->name) != 0) {
        wsman_fault_set(&op->fault, WSMAN_FAULT_INVALID_REPRESENTATION, NULL,
                        "The body holds %.100s, but the resource URI names %s.", wx_local(node),
                        cls->name);
        return false;
    }
    cim_instance *inst = cim_instance_new(cls);
    wsman_read_context ctx = {.schema = op->door->schema, .namespace_path = op->namespace_path,
                              .fault = &op->fault};
    if (!wsman_read_properties(&ctx, node, inst, present)) {
        cim_instance_free(inst);
        return false;
    }
    *out = inst;
    return true;
}

/* The selectors name the instance; the body's keys, when sent, must agree. */
static bool apply_selector_keys(wsman_op *op, const char *path_text, cim_instance *inst)
{
    cim_object_path path = {0};
    if (cim_object_path_parse(path_text, &path, NULL) != SMSPROV_OK)
        return false;
    bool ok = true;
    for (size_t i = 0; ok && i < path.key_count; i++) {
        const cim_keybinding *k = &path.keys[i];
        const cim_value *sent = cim_instance_get(inst, k->name);
        cim_value typed = {0};
        if (sent && !sent->is_null &&
            cim_value_convert(&k->value, sent->type, false, &typed, NULL) == SMSPROV_OK) {
            bool same = cim_value_equal(&typed, sent);
            cim_value_clear(&typed);
            if (!same) {
                wsman_fault_set(&op->fault, WSMAN_FAULT_INVALID_REPRESENTATION, NULL,
                                "The body's %s differs from the selector's; a Put cannot "
                                "change a key.",
                                k->name);
                ok = false;
                break;
            }
        }
        cim_instance_set(inst, k->name, &k->value, NULL);
    }
    cim_object_path_clear(&path);
    return ok;
}

/* Set-CimInstance names the properties it changed in repeated
 * wmiarray:__MIInstanceModifiedPropertiesList options; other clients send
 * the properties to write. */
static const char **property_list(const wsman_op *op, const cim_class *cls, const bool *present)
{
    const wsman_envelope *env = op->env;
    const char **list = cim_xcalloc(env->option_count + cls->property_count + 1, sizeof *list);
    size_t n = 0;
    for (size_t i = 0; i < env->option_count; i++) {
        const char *name = env->options[i].name;
        const char *colon = strchr(name, ':');
        if (cim_strcasecmp(colon ? colon + 1 : name, MODIFIED_LIST_OPTION) == 0)
            list[n++] = env->options[i].value;
    }
    if (n == 0)
        for (size_t i = 0; i < cls->property_count; i++)
            if (present[i])
                list[n++] = cls->properties[i].name;
    return list;
}

bool wsman_op_put(wsman_op *op)
{
    op->summary = "Put";
    const cim_class *cls = NULL;
    char *path = NULL;
    if (!wsman_op_class(op, op->res.class_name, &cls) || !wsman_op_object_path(op, cls, &path))
        return false;
    cim_instance *inst = NULL;
    bool *present = cim_xcalloc(cls->property_count + 1, sizeof *present);
    bool ok = read_body_instance(op, cls, &inst, present) && apply_selector_keys(op, path, inst);
    const char **list = ok ? property_list(op, cls, present) : NULL;
    smsprov_error err = {0};
    char *stored = NULL;
    if (ok && smsprov_put(op->door->site, &op->call, inst, SMSPROV_PUT_UPDATE_ONLY, list, &stored,
                          &err) != SMSPROV_OK)
        ok = wsman_op_provider_fault(op, &err);
    cim_instance *updated = NULL;
    if (ok && smsprov_get(op->door->site, &op->call, stored, &updated, &err) != SMSPROV_OK)
        ok = wsman_op_provider_fault(op, &err);
    if (ok && wsman_op_check_deadline(op, "Put")) {
        wsman_write_options o = wsman_op_write_options(op);
        wsman_write_instance(&op->body, updated, &o);
        op->action = cim_xstrdup(ACTION_PUT "Response");
    } else {
        ok = false;
    }
    cim_instance_free(updated);
    cim_instance_free(inst);
    free(list);
    free(present);
    free(stored);
    free(path);
    return ok;
}

bool wsman_op_create(wsman_op *op)
{
    op->summary = "Create";
    const cim_class *cls = NULL;
    if (!wsman_op_class(op, op->res.class_name, &cls))
        return false;
    cim_instance *inst = NULL;
    if (!read_body_instance(op, cls, &inst, NULL))
        return false;
    smsprov_error err = {0};
    char *stored = NULL;
    bool ok = smsprov_put(op->door->site, &op->call, inst, SMSPROV_PUT_CREATE_ONLY, NULL, &stored,
                          &err) == SMSPROV_OK;
    cim_instance_free(inst);
    if (!ok)
        return wsman_op_provider_fault(op, &err);
    if (wsman_op_check_deadline(op, "Create")) {
        cim_buf_append(&op->body, "<x:ResourceCreated>");
        wsman_write_epr_contents(&op->body, op->res.uri_prefix, op->namespace_path, stored);
        cim_buf_append(&op->body, "</x:ResourceCreated>");
        op->action = cim_xstrdup(ACTION_CREATE "Response");
    } else {
        ok = false;
    }
    free(stored);
    return ok;
}

bool wsman_op_delete(wsman_op *op)
{
    op->summary = "Delete";
    const cim_class *cls = NULL;
    char *path = NULL;
    if (!wsman_op_class(op, op->res.class_name, &cls) || !wsman_op_object_path(op, cls, &path))
        return false;
    smsprov_error err = {0};
    bool ok = smsprov_delete(op->door->site, &op->call, path, &err) == SMSPROV_OK;
    free(path);
    if (!ok)
        return wsman_op_provider_fault(op, &err);
    if (!wsman_op_check_deadline(op, "Delete"))
        return false;
    op->action = cim_xstrdup(ACTION_DELETE "Response");
    return true;
}
