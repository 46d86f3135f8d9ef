/* rbac_checks.c - what put, delete and method calls need, and the rules of
 * the administration classes (SMS_Admin, SMS_Role, SMS_SecuredCategory). */
#include <stdlib.h>
#include <string.h>

#include "sms/rbac.h"

static bool flag(const cim_instance *inst, const char *name)
{
    const cim_value *v = inst ? cim_instance_get(inst, name) : NULL;
    return v && !v->is_null && v->u.boolean;
}

static const char *text(const cim_instance *inst, const char *name)
{
    const cim_value *v = inst ? cim_instance_get(inst, name) : NULL;
    return v && !v->is_null && v->type == CIM_TYPE_STRING ? v->u.string : NULL;
}

static smsprov_code deny_instance(const sms_caller *c, uint32_t op, const cim_instance *inst,
                                  smsprov_error *err)
{
    char *path = cim_instance_relpath(inst);
    smsprov_code rc = sms_rbac_deny(c, op, path, err);
    free(path);
    return rc;
}

static smsprov_code deny_class(const sms_caller *c, uint32_t op, const cim_class *cls,
                               smsprov_error *err)
{
    char *what = cim_xasprintf("class %s", cls->name);
    smsprov_code rc = sms_rbac_deny(c, op, what, err);
    free(what);
    return rc;
}

/* Stamps every administration object carries. */
static void stamp(smsprov_site *site, const sms_caller *c, cim_instance *inst, bool created)
{
    if (created) {
        cim_instance_take_value(inst, "CreatedBy", cim_value_string(c->user));
        cim_instance_take_value(inst, "CreatedDate", sms_datetime_now());
        cim_instance_take_value(inst, "SourceSite", cim_value_string(site->site_code));
    }
    cim_instance_take_value(inst, "LastModifiedBy", cim_value_string(c->user));
    cim_instance_take_value(inst, "LastModifiedDate", sms_datetime_now());
}

/* "<site code>" + 5 hex digits from a counter of the site. */
static smsprov_code new_id(smsprov_site *site, store_txn *txn, const char *counter, char **out,
                           smsprov_error *err)
{
    uint64_t n = 0;
    smsprov_code rc = store_next_counter(txn, counter, &n, err);
    if (rc == SMSPROV_OK)
        *out = cim_xasprintf("%s%05llX", site->site_code, (unsigned long long)(n & 0xFFFFF));
    return rc;
}

/* ---- SMS_Admin ---------------------------------------------------------- */

static smsprov_code load_by_key(smsprov_site *site, store_txn *txn, const char *cls_name,
                                const char *key, const char *value, cim_instance **out)
{
    const cim_class *cls = sms_site_class(site, cls_name);
    cim_instance *keys = cim_instance_new(cls);
    cim_instance_set_string(keys, key, value, NULL);
    smsprov_code rc = store_get(txn, cls, keys, out, NULL);
    cim_instance_free(keys);
    return rc;
}

static bool caller_has_scope(const sms_caller *c, const char *scope)
{
    if (c->site)
        return true;
    for (size_t i = 0; i < c->grant_count; i++)
        if (cim_strcasecmp(c->grants[i].scope, SMS_SCOPE_ALL) == 0 ||
            cim_strcasecmp(c->grants[i].scope, scope) == 0)
            return true;
    return false;
}

static void append_text(cim_value *array, const char *s)
{
    for (size_t i = 0; i < array->u.array.count; i++)
        if (cim_strcasecmp(array->u.array.items[i].u.string, s) == 0)
            return;
    cim_value v = cim_value_string(s);
    cim_value_array_append_take(array, &v);
}

/* One permission: its role and scope exist, the caller may grant them
 * (it holds the role and the scope, or is a Full Administrator with All),
 * and the read-only names are filled. */
static smsprov_code check_permission(smsprov_site *site, const sms_caller *c, store_txn *txn,
                                     cim_instance *perm, cim_value *names[4], bool *scoped,
                                     smsprov_error *err)
{
    const char *role = text(perm, "RoleID"), *cat = text(perm, "CategoryID");
    const cim_value *kind = cim_instance_get(perm, "CategoryTypeID");
    uint64_t type = kind && !kind->is_null ? kind->u.uint : 29;
    if (!role || !cat || (type != 29 && type != 1)) {
        smsprov_error_set_parameter(err, "Permissions");
        return smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER,
                                 "Each permission needs a RoleID, a CategoryID and a "
                                 "CategoryTypeID of 29 (security scope) or 1 (collection).");
    }
    cim_instance *r = NULL, *s = NULL;
    smsprov_code rc = SMSPROV_OK;
    if (load_by_key(site, txn, "SMS_Role", "RoleID", role, &r) != SMSPROV_OK)
        rc = smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER, "The role %s does not exist.",
                               role);
    else if (type == 29 &&
             load_by_key(site, txn, "SMS_SecuredCategory", "CategoryID", cat, &s) != SMSPROV_OK)
        rc = smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER,
                               "The security scope %s does not exist.", cat);
    bool full = sms_caller_has_role(c, SMS_ROLE_FULL_ADMIN) && caller_has_scope(c, SMS_SCOPE_ALL);
    if (rc == SMSPROV_OK && !full && (!sms_caller_has_role(c, role) ||
                                      (type == 29 && !caller_has_scope(c, cat)))) {
        char *what = cim_xasprintf("role %s with scope %s (a caller grants only roles and "
                                   "scopes it holds itself)",
                                   role, cat);
        rc = sms_rbac_deny(c, SMS_OP_CREATE, what, err);
        free(what);
    }
    if (rc == SMSPROV_OK) {
        cim_instance_take_value(perm, "RoleName", cim_value_string(text(r, "RoleName")));
        cim_instance_take_value(perm, "CategoryName", cim_value_string(s ? text(s, "CategoryName") : cat));
        append_text(names[0], role);
        append_text(names[1], text(r, "RoleName"));
        if (type == 29) {
            append_text(names[2], cat);
            append_text(names[3], text(s, "CategoryName"));
            *scoped = true;
        }
    }
    if (rc != SMSPROV_OK)
        smsprov_error_set_parameter(err, "Permissions");
    cim_instance_free(r);
    cim_instance_free(s);
    return rc;
}

static smsprov_code check_admin(smsprov_site *site, const sms_caller *c, store_txn *txn,
                                cim_instance *inst, smsprov_error *err)
{
    cim_value *perms = cim_instance_get_mut(inst, "Permissions");
    cim_value roles = cim_value_array(CIM_TYPE_STRING), role_names = cim_value_array(CIM_TYPE_STRING);
    cim_value cats = cim_value_array(CIM_TYPE_STRING), cat_names = cim_value_array(CIM_TYPE_STRING);
    cim_value *names[4] = {&roles, &role_names, &cats, &cat_names};
    bool scoped = false;
    smsprov_code rc = SMSPROV_OK;
    for (size_t i = 0; perms && !perms->is_null && rc == SMSPROV_OK && i < perms->u.array.count; i++)
        if (!perms->u.array.items[i].is_null)
            rc = check_permission(site, c, txn, perms->u.array.items[i].u.object, names, &scoped,
                                  err);
    if (rc == SMSPROV_OK && !scoped) {
        rc = smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER,
                               "An administrative user needs at least one security role with a "
                               "security scope (a permission with CategoryTypeID 29).");
        smsprov_error_set_parameter(err, "Permissions");
    }
    if (rc == SMSPROV_OK) {
        cim_instance_take_value(inst, "Roles", roles);
        cim_instance_take_value(inst, "RoleNames", role_names);
        cim_instance_take_value(inst, "Categories", cats);
        cim_instance_take_value(inst, "CategoryNames", cat_names);
        cim_instance_take_value(inst, "CollectionNames", cim_value_array(CIM_TYPE_STRING));
        const char *logon = text(inst, "LogonName");
        if (!text(inst, "AdminSid"))
            cim_instance_take_value(inst, "AdminSid", cim_value_string(logon ? logon : ""));
    } else {
        cim_value_clear(&roles);
        cim_value_clear(&role_names);
        cim_value_clear(&cats);
        cim_value_clear(&cat_names);
    }
    return rc;
}

static smsprov_code admin_class_put(smsprov_site *site, const sms_caller *c, store_txn *txn,
                                    const cim_instance *stored, cim_instance *inst,
                                    smsprov_error *err)
{
    sms_rbac_cache_drop(site->rbac_cache);
    uint32_t op = stored ? SMS_OP_MODIFY : SMS_OP_CREATE;
    if (!sms_caller_may_type(c, SMS_TYPE_SECURITY, op))
        return stored ? deny_instance(c, op, stored, err) : deny_class(c, op, inst->cls, err);
    if (stored && flag(stored, "IsBuiltIn")) {
        char *path = cim_instance_relpath(stored);
        smsprov_error_set(err, SMSPROV_E_ACCESS_DENIED,
                          "%s is built in and cannot be changed.", path);
        smsprov_error_set_object(err, path);
        free(path);
        return SMSPROV_E_ACCESS_DENIED;
    }
    stamp(site, c, inst, !stored);
    smsprov_code rc = SMSPROV_OK;
    const char *name = inst->cls->name;
    if (!stored && cim_strcasecmp(name, "SMS_Admin") == 0) {
        uint64_t n = 0;
        rc = store_next_counter(txn, "AdminID", &n, err);
        if (rc == SMSPROV_OK)
            cim_instance_take_value(inst, "AdminID", cim_value_uint(CIM_TYPE_UINT32, 16777216 + n));
    } else if (!stored) {
        bool role = cim_strcasecmp(name, "SMS_Role") == 0;
        char *id = NULL;
        rc = new_id(site, txn, role ? "RoleID" : "CategoryID", &id, err);
        if (rc == SMSPROV_OK)
            cim_instance_take_value(inst, role ? "RoleID" : "CategoryID", cim_value_string(id));
        free(id);
        cim_instance_take_value(inst, "IsBuiltIn", cim_value_bool(false));
    }
    if (rc == SMSPROV_OK && cim_strcasecmp(name, "SMS_Admin") == 0)
        rc = check_admin(site, c, txn, inst, err);
    return rc;
}

/* ---- the provider calls ------------------------------------------------- */

smsprov_code sms_rbac_check_put(smsprov_site *site, const sms_caller *c, store_txn *txn,
                                const cim_instance *stored, cim_instance *inst,
                                smsprov_error *err)
{
    const sms_secured_type *t = sms_secured_type_of(inst->cls);
    if (t && !t->scoped)
        return admin_class_put(site, c, txn, stored, inst, err);
    if (c->site)
        return SMSPROV_OK;
    if (!c->admin)
        return stored ? deny_instance(c, stored ? SMS_OP_MODIFY : SMS_OP_CREATE, stored, err)
                      : deny_class(c, SMS_OP_CREATE, inst->cls, err);
    if (!t)
        return SMSPROV_OK;
    if (stored) {
        bool ok = false;
        smsprov_code rc = sms_caller_may(site, c, txn, stored, SMS_OP_MODIFY, &ok, err);
        if (rc == SMSPROV_OK && !ok)
            rc = deny_instance(c, SMS_OP_MODIFY, stored, err);
        return rc;
    }
    size_t n = 0;
    const char **scopes = sms_rbac_new_object_scopes(c, t->object_type, &n);
    free(scopes);
    if (!sms_caller_may_type(c, t->object_type, SMS_OP_CREATE) || n == 0)
        return deny_class(c, SMS_OP_CREATE, inst->cls, err);
    return SMSPROV_OK;
}

smsprov_code sms_rbac_after_create(smsprov_site *site, const sms_caller *c, store_txn *txn,
                                   cim_instance *inst, smsprov_error *err)
{
    const sms_secured_type *t = sms_secured_type_of(inst->cls);
    if (!t || !t->scoped)
        return SMSPROV_OK;
    size_t n = 0;
    const char **scopes = sms_rbac_new_object_scopes(c, t->object_type, &n);
    smsprov_code rc = sms_rbac_place_new_object(site, txn, inst, scopes, n, err);
    free(scopes);
    return rc;
}

/* A scope still used by objects or administrative users stays. */
static smsprov_code check_scope_unused(smsprov_site *site, store_txn *txn,
                                       const cim_instance *scope, smsprov_error *err)
{
    const cim_class *m = sms_site_class(site, "SMS_SecuredCategoryMembership");
    store_cond *cond = store_cond_equals(m, "CategoryID",
                                         cim_value_string(text(scope, "CategoryID")));
    store_query q = {.where_cond = cond, .limit = -1};
    uint64_t n = 0;
    smsprov_code rc = store_count(txn, m, &q, &n, err);
    store_cond_free(cond);
    if (rc == SMSPROV_OK && n > 0)
        rc = smsprov_error_set(err, SMSPROV_E_INVALID_OPERATION,
                               "The security scope %s still holds %llu objects; move them to "
                               "other scopes before deleting it.",
                               text(scope, "CategoryID"), (unsigned long long)n);
    return rc;
}

/* A role an administrative user holds stays: every admin keeps a role. */
static smsprov_code check_role_unused(smsprov_site *site, store_txn *txn, const cim_instance *role,
                                      smsprov_error *err)
{
    const char *id = text(role, "RoleID");
    smsprov_instance_list admins = {0};
    store_query all = {.limit = -1};
    smsprov_code rc = store_select(txn, sms_site_class(site, "SMS_Admin"), &all, &admins, err);
    const char *holder = NULL;
    for (size_t i = 0; rc == SMSPROV_OK && !holder && i < admins.count; i++) {
        const cim_value *roles = cim_instance_get(admins.items[i], "Roles");
        for (size_t k = 0; roles && !roles->is_null && k < roles->u.array.count; k++)
            if (cim_strcasecmp(roles->u.array.items[k].u.string, id) == 0)
                holder = text(admins.items[i], "LogonName");
    }
    if (holder)
        rc = smsprov_error_set(err, SMSPROV_E_INVALID_OPERATION,
                               "The security role %s is held by the administrative user %s; "
                               "take it from every user who holds it before deleting it.",
                               id, holder);
    smsprov_instance_list_clear(&admins);
    return rc;
}

smsprov_code sms_rbac_check_delete(smsprov_site *site, const sms_caller *c, store_txn *txn,
                                   const cim_instance *stored, smsprov_error *err)
{
    const sms_secured_type *t = sms_secured_type_of(stored->cls);
    if (t && !t->scoped) {
        sms_rbac_cache_drop(site->rbac_cache);
        if (!sms_caller_may_type(c, SMS_TYPE_SECURITY, SMS_OP_DELETE))
            return deny_instance(c, SMS_OP_DELETE, stored, err);
        if (flag(stored, "IsBuiltIn")) {
            char *path = cim_instance_relpath(stored);
            smsprov_error_set(err, SMSPROV_E_ACCESS_DENIED,
                              "%s is built in and cannot be deleted.", path);
            smsprov_error_set_object(err, path);
            free(path);
            return SMSPROV_E_ACCESS_DENIED;
        }
        if (cim_strcasecmp(stored->cls->name, "SMS_SecuredCategory") == 0)
            return check_scope_unused(site, txn, stored, err);
        if (cim_strcasecmp(stored->cls->name, "SMS_Role") == 0)
            return check_role_unused(site, txn, stored, err);
        return SMSPROV_OK;
    }
    if (c->site)
        return SMSPROV_OK;
    if (!c->admin)
        return deny_instance(c, SMS_OP_DELETE, stored, err);
    bool ok = true;
    smsprov_code rc = sms_caller_may(site, c, txn, stored, SMS_OP_DELETE, &ok, err);
    if (rc == SMSPROV_OK && !ok)
        rc = deny_instance(c, SMS_OP_DELETE, stored, err);
    return rc;
}

smsprov_code sms_rbac_after_delete(smsprov_site *site, const sms_caller *c, store_txn *txn,
                                   const cim_instance *stored, smsprov_error *err)
{
    (void)c;
    const sms_secured_type *t = sms_secured_type_of(stored->cls);
    if (!t || !t->scoped)
        return SMSPROV_OK;
    char *key = sms_rbac_object_key(t, stored);
    smsprov_code rc = sms_rbac_drop_memberships(site, txn, t->object_type, key, err);
    free(key);
    return rc;
}

/* Methods that only read need Read; every other one changes the object
 * (or, static, the class's objects) and needs Modify. */
static uint32_t method_op(const char *method)
{
    static const char *const reading[] = {"GetImageProperties", "QueryOSDBinaryInjectionStatus"};
    for (size_t i = 0; i < sizeof reading / sizeof reading[0]; i++)
        if (cim_strcasecmp(reading[i], method) == 0)
            return SMS_OP_READ;
    return SMS_OP_MODIFY;
}

/* The secured type a static call on cls acts on: cls's, or the first of
 * its subclasses' (a call on SMS_PackageBaseclass). */
static const sms_secured_type *static_type(smsprov_site *site, const cim_class *cls)
{
    const sms_secured_type *t = sms_secured_type_of(cls);
    if (t)
        return t;
    size_t n = 0;
    const cim_class **below = cim_schema_list_classes(site->schema, site->site_namespace,
                                                      cls->name, true, &n);
    for (size_t i = 0; !t && i < n; i++)
        t = sms_secured_type_of(below[i]);
    free(below);
    return t;
}

smsprov_code sms_rbac_check_method(smsprov_site *site, const sms_caller *c, const cim_class *cls,
                                   const char *method, const cim_instance *target,
                                   smsprov_error *err)
{
    if (c->site)
        return SMSPROV_OK;
    uint32_t op = method_op(method);
    if (!c->admin)
        return target ? deny_instance(c, op, target, err) : deny_class(c, op, cls, err);
    if (target) {
        bool ok = true;
        store_txn *txn = NULL;
        smsprov_code rc = store_begin(site->store, false, &txn, err);
        if (rc == SMSPROV_OK) {
            rc = sms_caller_may(site, c, txn, target, op, &ok, err);
            store_rollback(txn);
        }
        if (rc == SMSPROV_OK && !ok)
            rc = deny_instance(c, op, target, err);
        return rc;
    }
    const sms_secured_type *t = static_type(site, cls);
    if (t && t->scoped && !sms_caller_may_type(c, t->object_type, op))
        return deny_class(c, op, cls, err);
    return SMSPROV_OK;
}
