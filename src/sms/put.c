/* put.c - create and update with SMS Provider semantics.
 *
 * Create: the instance starts from the class defaults, takes what the client
 * set (never read-only properties, never a server-assigned key), then the
 * server-made values.  Update: the stored instance takes the client's
 * writable properties; a stale SedoObjectVersion is refused.  Both run the
 * generic and the class checks inside one write transaction, so a refused
 * put changes nothing. */
#include <stdlib.h>
#include <string.h>

#include "sms/behaviour.h"
#include "sms/paths.h"
#include "sms/rbac.h"

/* cim_value_copy overwrites; the old value must be freed first. */
static void replace_value(cim_value *dst, const cim_value *src)
{
    cim_value_clear(dst);
    cim_value_copy(dst, src);
}

static bool property_listed(const char *const *list, const char *name)
{
    if (!list)
        return true;
    for (; *list; list++)
        if (cim_strcasecmp(*list, name) == 0)
            return true;
    return false;
}

static smsprov_code check_property_list(const cim_class *cls, const char *const *list,
                                        smsprov_error *err)
{
    for (; list && *list; list++)
        if (!cim_class_find_property(cls, *list)) {
            smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER,
                              "The property list names \"%s\", which is not a property of %s.",
                              *list, cls->name);
            smsprov_error_set_parameter(err, *list);
            return SMSPROV_E_INVALID_PARAMETER;
        }
    return SMSPROV_OK;
}

/* The client's instance typed as the schema's class: the door may have
 * built it from another class object or with loosely typed values. */
static smsprov_code map_to_schema_class(const cim_instance *sent, const cim_class *cls,
                                        cim_instance **out, smsprov_error *err)
{
    cim_instance *mapped = cim_instance_new(cls);
    for (size_t i = 0; i < sent->cls->property_count; i++) {
        const char *name = sent->cls->properties[i].name;
        const cim_value *v = &sent->values[i];
        if (v->is_null)
            continue;
        smsprov_code rc = cim_instance_set(mapped, name, v, err);
        if (rc == SMSPROV_E_NOT_FOUND)
            rc = smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER,
                                   "\"%s\" is not a property of %s.", name, cls->name);
        if (rc != SMSPROV_OK) {
            smsprov_error_set_parameter(err, name);
            cim_instance_free(mapped);
            return rc;
        }
    }
    *out = mapped;
    return SMSPROV_OK;
}

static smsprov_code check_class_accepts_puts(const cim_class *cls, smsprov_error *err)
{
    smsprov_code rc = sms_check_instance_class(cls, "created or changed", err);
    if (rc != SMSPROV_OK)
        return rc;
    if (cls->flags & CIM_CLASS_ABSTRACT)
        return smsprov_error_set(err, SMSPROV_E_INVALID_OPERATION,
                                 "%s is abstract and cannot have instances of its own; create an "
                                 "instance of one of its subclasses, such as "
                                 "SMS_BootImagePackage.",
                                 cls->name);
    if (cls->flags & CIM_CLASS_READ_ONLY)
        return smsprov_error_set(err, SMSPROV_E_ACCESS_DENIED,
                                 "%s is read-only: its instances cannot be created or changed.",
                                 cls->name);
    const char *why = sms_behaviour_server_maintained(cls);
    if (why)
        return smsprov_error_set(err, SMSPROV_E_ACCESS_DENIED,
                                 "%s cannot be created or changed by clients: %s.", cls->name,
                                 why);
    return SMSPROV_OK;
}

typedef struct put_run {
    sms_put_context ctx;
    sms_caller caller;    /* who puts, read in the put's transaction */
    cim_instance *inst;   /* the instance being built */
    bool created;         /* for the after-put hooks */
} put_run;

static smsprov_code run_create_hook(const sms_class_behaviour *b, void *data, smsprov_error *err)
{
    put_run *run = data;
    return b->on_create ? b->on_create(&run->ctx, run->inst, err) : SMSPROV_OK;
}

static smsprov_code run_update_hook(const sms_class_behaviour *b, void *data, smsprov_error *err)
{
    put_run *run = data;
    return b->on_update ? b->on_update(&run->ctx, run->inst, err) : SMSPROV_OK;
}

static smsprov_code run_validate_hook(const sms_class_behaviour *b, void *data, smsprov_error *err)
{
    put_run *run = data;
    return b->validate ? b->validate(&run->ctx, run->inst, err) : SMSPROV_OK;
}

static smsprov_code run_before_put_hook(const sms_class_behaviour *b, void *data,
                                        smsprov_error *err)
{
    put_run *run = data;
    return b->before_put ? b->before_put(run->ctx.site, run->ctx.client, err) : SMSPROV_OK;
}

static smsprov_code run_after_put_hook(const sms_class_behaviour *b, void *data,
                                       smsprov_error *err)
{
    const sms_after_put *ap = data;
    return b->after_put ? b->after_put(ap, err) : SMSPROV_OK;
}

static smsprov_code validate(put_run *run, smsprov_error *err)
{
    smsprov_code rc = sms_validate_instance(run->inst, NULL, err);
    if (rc == SMSPROV_OK)
        rc = sms_check_client_strings(run->inst, run->ctx.stored, NULL, err);
    if (rc == SMSPROV_OK)
        rc = sms_behaviour_each(run->inst->cls, run_validate_hook, run, err);
    return rc;
}

static bool is_blank_key(const cim_value *v)
{
    return v->is_null || (v->type == CIM_TYPE_STRING && v->u.string[0] == '\0');
}

static smsprov_code create(put_run *run, const char *server_key, smsprov_error *err)
{
    const cim_instance *client = run->ctx.client;
    run->inst = cim_instance_spawn(client->cls);
    for (size_t i = 0; i < client->cls->property_count; i++) {
        const cim_property *prop = &client->cls->properties[i];
        bool server_made = server_key && cim_strcasecmp(prop->name, server_key) == 0;
        if (client->values[i].is_null || (prop->flags & CIM_PROP_READ_ONLY) || server_made)
            continue;
        replace_value(&run->inst->values[i], &client->values[i]);
    }
    smsprov_code rc = sms_behaviour_each(run->inst->cls, run_create_hook, run, err);
    if (rc == SMSPROV_OK)
        rc = sms_rbac_check_put(run->ctx.site, &run->caller, run->ctx.txn, NULL, run->inst, err);
    if (rc == SMSPROV_OK)
        rc = validate(run, err);
    if (rc == SMSPROV_OK)
        rc = store_insert(run->ctx.txn, run->inst, err);
    if (rc == SMSPROV_OK)
        rc = sms_rbac_after_create(run->ctx.site, &run->caller, run->ctx.txn, run->inst, err);
    return rc;
}

static smsprov_code check_sedo_version(const cim_instance *stored, const cim_instance *client,
                                       smsprov_error *err)
{
    const cim_value *sent = cim_instance_get(client, "SedoObjectVersion");
    const cim_value *current = cim_instance_get(stored, "SedoObjectVersion");
    if (!sent || sent->is_null || !current || current->is_null)
        return SMSPROV_OK;
    if (cim_strcasecmp(sent->u.string, current->u.string) == 0)
        return SMSPROV_OK;
    char *path = cim_instance_relpath(stored);
    smsprov_error_set(err, SMSPROV_E_INVALID_OPERATION,
                      "%s was changed by someone else since you read it (your "
                      "SedoObjectVersion %s is stale; the current one is %s). Get the object "
                      "again, reapply your change and put it again.",
                      path, sent->u.string, current->u.string);
    smsprov_error_set_parameter(err, "SedoObjectVersion");
    smsprov_error_set_object(err, path);
    free(path);
    return SMSPROV_E_INVALID_OPERATION;
}

/* Without a property list a null lazy property means "not read", not "clear
 * it": a client that put back an object from a query would otherwise wipe
 * every lazy value (README: lazy properties). */
static bool client_sets(const cim_property *prop, const cim_value *v, const char *const *list)
{
    if (prop->flags & (CIM_PROP_KEY | CIM_PROP_READ_ONLY))
        return false;
    if (list)
        return property_listed(list, prop->name);
    return !(v->is_null && (prop->flags & CIM_PROP_LAZY));
}

static smsprov_code update(put_run *run, const cim_instance *stored, const char *const *list,
                           smsprov_error *err)
{
    const cim_instance *client = run->ctx.client;
    smsprov_code rc = check_sedo_version(stored, client, err);
    if (rc != SMSPROV_OK)
        return rc;
    run->inst = cim_instance_clone(stored);
    for (size_t i = 0; i < client->cls->property_count; i++)
        if (client_sets(&client->cls->properties[i], &client->values[i], list))
            replace_value(&run->inst->values[i], &client->values[i]);
    rc = sms_behaviour_each(run->inst->cls, run_update_hook, run, err);
    if (rc == SMSPROV_OK)
        rc = sms_rbac_check_put(run->ctx.site, &run->caller, run->ctx.txn, stored, run->inst, err);
    if (rc == SMSPROV_OK)
        rc = validate(run, err);
    if (rc == SMSPROV_OK)
        rc = store_update(run->ctx.txn, run->inst, err);
    return rc;
}

/* Finds the stored instance the client means, if any.  A server-assigned
 * key left empty means "create". */
static smsprov_code find_stored(put_run *run, const char *server_key, cim_instance **stored,
                                smsprov_error *err)
{
    *stored = NULL;
    const cim_instance *client = run->ctx.client;
    for (size_t i = 0; i < client->cls->property_count; i++) {
        const cim_property *prop = &client->cls->properties[i];
        if (!(prop->flags & CIM_PROP_KEY))
            continue;
        if (server_key && cim_strcasecmp(prop->name, server_key) == 0 &&
            is_blank_key(&client->values[i]))
            return SMSPROV_OK;
        if (client->values[i].is_null) {
            smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER,
                              "The key property %s of %s must have a value.", prop->name,
                              client->cls->name);
            smsprov_error_set_parameter(err, prop->name);
            return SMSPROV_E_INVALID_PARAMETER;
        }
    }
    smsprov_code rc = store_get(run->ctx.txn, client->cls, client, stored, err);
    if (rc == SMSPROV_E_NOT_FOUND && server_key) {
        char *path = cim_instance_relpath(client);
        smsprov_error_set(err, SMSPROV_E_NOT_FOUND,
                          "%s does not exist. %s is assigned by the site: leave it empty to "
                          "create a new object.",
                          path, server_key);
        smsprov_error_set_object(err, path);
        free(path);
        return SMSPROV_E_NOT_FOUND;
    }
    if (rc == SMSPROV_E_NOT_FOUND) {
        smsprov_error_clear(err);
        return SMSPROV_OK;
    }
    return rc;
}

/* A membership is put through the scope rules (rbac_scopes.c): the object
 * joins the scope, its SecuredScopeNames follow. */
static smsprov_code put_membership(put_run *run, smsprov_error *err)
{
    const cim_instance *m = run->ctx.client;
    const cim_value *cat = cim_instance_get(m, "CategoryID");
    const cim_value *key = cim_instance_get(m, "ObjectKey");
    const cim_value *type = cim_instance_get(m, "ObjectTypeID");
    if (cat->is_null || key->is_null || type->is_null) {
        smsprov_error_set_parameter(err, "CategoryID");
        return smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER,
                                 "A membership needs CategoryID, ObjectKey and ObjectTypeID.");
    }
    run->inst = cim_instance_clone(m);
    run->created = true;
    return sms_rbac_add_membership(run->ctx.site, &run->caller, run->ctx.txn, cat->u.string,
                                   key->u.string, (uint32_t)type->u.uint, err);
}

static smsprov_code put_in_transaction(put_run *run, smsprov_put_mode mode,
                                       const char *const *list, smsprov_error *err)
{
    smsprov_code lrc = sms_caller_load(run->ctx.site, run->ctx.call, run->ctx.txn, &run->caller,
                                       err);
    if (lrc != SMSPROV_OK)
        return lrc;
    if (cim_strcasecmp(run->ctx.client->cls->name, "SMS_SecuredCategoryMembership") == 0)
        return put_membership(run, err);
    const char *server_key = sms_behaviour_server_assigned_key(run->ctx.client->cls);
    cim_instance *stored = NULL;
    smsprov_code rc = find_stored(run, server_key, &stored, err);
    if (rc != SMSPROV_OK)
        return rc;
    if (stored && mode == SMSPROV_PUT_CREATE_ONLY) {
        char *path = cim_instance_relpath(stored);
        rc = smsprov_error_set(err, SMSPROV_E_ALREADY_EXISTS,
                               "%s already exists; a create-only put cannot replace it.", path);
        free(path);
    } else if (!stored && mode == SMSPROV_PUT_UPDATE_ONLY) {
        rc = smsprov_error_set(err, SMSPROV_E_NOT_FOUND,
                               "An update-only put needs an existing %s; name it by its keys.",
                               run->ctx.client->cls->name);
    } else if (stored) {
        run->ctx.stored = stored;
        rc = update(run, stored, list, err);
    } else {
        run->created = true;
        rc = create(run, server_key, err);
    }
    cim_instance_free(stored);
    return rc;
}

smsprov_code smsprov_put(smsprov_site *site, const smsprov_call *call, const cim_instance *inst,
                         smsprov_put_mode mode, const char *const *property_list,
                         char **out_path, smsprov_error *err)
{
    if (out_path)
        *out_path = NULL;
    const char *ns = NULL;
    const cim_class *cls = NULL;
    smsprov_code rc = sms_resolve_namespace(site, call, &ns, err);
    if (rc == SMSPROV_OK && !inst)
        rc = smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER, "No instance was given to put.");
    if (rc == SMSPROV_OK)
        rc = sms_find_class(site, ns, inst->cls->name, &cls, err);
    if (rc == SMSPROV_OK)
        rc = check_class_accepts_puts(cls, err);
    if (rc == SMSPROV_OK)
        rc = check_property_list(cls, property_list, err);
    cim_instance *client = NULL;
    if (rc == SMSPROV_OK)
        rc = map_to_schema_class(inst, cls, &client, err);
    if (rc != SMSPROV_OK) {
        smsprov_error_set_operation(err, "PutInstance");
        return rc;
    }

    put_run run = {.ctx = {.site = site, .call = call, .namespace_path = ns, .client = client}};
    rc = sms_behaviour_each(cls, run_before_put_hook, &run, err);
    if (rc == SMSPROV_OK)
        rc = store_begin(site->store, true, &run.ctx.txn, err);
    if (rc == SMSPROV_OK) {
        rc = put_in_transaction(&run, mode, property_list, err);
        if (rc == SMSPROV_OK)
            rc = store_commit(run.ctx.txn, err);
        else
            store_rollback(run.ctx.txn);
        sms_rbac_changed(site, cls);
    }
    sms_caller_clear(&run.caller);
    /* Work that must see the committed instance (a boot image import). */
    if (rc == SMSPROV_OK) {
        sms_after_put after = {.site = site, .call = call, .namespace_path = ns,
                               .stored = run.inst, .client = client,
                               .created = run.created};
        rc = sms_behaviour_each(run.inst->cls, run_after_put_hook, &after, err);
    }
    if (rc == SMSPROV_OK && out_path)
        *out_path = cim_instance_relpath(run.inst);
    if (rc != SMSPROV_OK) {
        /* Client paths in sentences appear as the client sees them. */
        sms_path_scrub_error(site, err);
        smsprov_error_set_operation(err, "PutInstance");
    }
    cim_instance_free(run.inst);
    cim_instance_free(client);
    return rc;
}
