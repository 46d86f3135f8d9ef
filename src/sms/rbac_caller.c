/* rbac_caller.c - the caller's (role, scope) pairs and the checks made
 * with them. */
#include <stdlib.h>
#include <string.h>

#include "sms/rbac.h"

static void add_grant(sms_caller *c, const char *role, const char *scope)
{
    c->grants = cim_xrealloc(c->grants, (c->grant_count + 1) * sizeof *c->grants);
    c->grants[c->grant_count++] = (sms_grant){cim_xstrdup(role), cim_xstrdup(scope)};
}

static void take_permissions(sms_caller *c, const cim_instance *admin)
{
    const cim_value *perms = cim_instance_get(admin, "Permissions");
    if (!perms || perms->is_null)
        return;
    for (size_t i = 0; i < perms->u.array.count; i++) {
        const cim_value *item = &perms->u.array.items[i];
        if (item->is_null)
            continue;
        const cim_value *role = cim_instance_get(item->u.object, "RoleID");
        const cim_value *cat = cim_instance_get(item->u.object, "CategoryID");
        const cim_value *kind = cim_instance_get(item->u.object, "CategoryTypeID");
        bool scope = !kind || kind->is_null || kind->u.uint == 29;
        if (scope && role && !role->is_null && cat && !cat->is_null)
            add_grant(c, role->u.string, cat->u.string);
    }
}

static smsprov_code load_admin(smsprov_site *site, sms_caller *c, store_txn *txn,
                               smsprov_error *err)
{
    const cim_class *cls = sms_site_class(site, "SMS_Admin");
    store_cond *cond = store_cond_equals(cls, "LogonName", cim_value_string(c->user));
    store_query q = {.where_cond = cond, .limit = -1};
    smsprov_instance_list rows = {0};
    smsprov_code rc = store_select(txn, cls, &q, &rows, err);
    store_cond_free(cond);
    c->admin = rows.count > 0;
    for (size_t i = 0; i < rows.count; i++)
        take_permissions(c, rows.items[i]);
    smsprov_instance_list_clear(&rows);
    return rc;
}

static bool holds_role(const sms_caller *c, const char *role)
{
    for (size_t i = 0; i < c->grant_count; i++)
        if (cim_strcasecmp(c->grants[i].role, role) == 0)
            return true;
    return false;
}

static void take_operations(sms_caller *c, const cim_instance *role)
{
    const cim_value *id = cim_instance_get(role, "RoleID");
    const cim_value *ops = cim_instance_get(role, "Operations");
    if (!id || id->is_null || !holds_role(c, id->u.string) || !ops || ops->is_null)
        return;
    for (size_t i = 0; i < ops->u.array.count; i++) {
        const cim_value *item = &ops->u.array.items[i];
        if (item->is_null)
            continue;
        const cim_value *type = cim_instance_get(item->u.object, "ObjectTypeID");
        const cim_value *bits = cim_instance_get(item->u.object, "GrantedOperations");
        if (!type || type->is_null || !bits || bits->is_null)
            continue;
        c->ops = cim_xrealloc(c->ops, (c->op_count + 1) * sizeof *c->ops);
        c->ops[c->op_count++] = (sms_role_op){cim_xstrdup(id->u.string),
                                              (uint32_t)type->u.uint, (uint32_t)bits->u.uint};
    }
}

static smsprov_code load_roles(smsprov_site *site, sms_caller *c, store_txn *txn,
                               smsprov_error *err)
{
    if (c->grant_count == 0)
        return SMSPROV_OK;
    smsprov_instance_list rows = {0};
    store_query all = {.limit = -1};
    smsprov_code rc = store_select(txn, sms_site_class(site, "SMS_Role"), &all, &rows, err);
    for (size_t i = 0; i < rows.count; i++)
        take_operations(c, rows.items[i]);
    smsprov_instance_list_clear(&rows);
    return rc;
}

smsprov_code sms_caller_load(smsprov_site *site, const smsprov_call *call, store_txn *txn,
                             sms_caller *out, smsprov_error *err)
{
    memset(out, 0, sizeof *out);
    if (!call || !call->user) {
        out->site = true;
        out->user = "the site";
        return SMSPROV_OK;
    }
    if (sms_rbac_cache_get(site->rbac_cache, call->user, out))
        return SMSPROV_OK;
    out->user = call->user;
    uint64_t generation = sms_rbac_cache_generation(site->rbac_cache);
    smsprov_code rc = load_admin(site, out, txn, err);
    if (rc == SMSPROV_OK)
        rc = load_roles(site, out, txn, err);
    if (rc == SMSPROV_OK)
        sms_rbac_cache_put(site->rbac_cache, out, generation);
    return rc;
}

smsprov_code sms_caller_read(smsprov_site *site, const smsprov_call *call, sms_caller *out,
                             smsprov_error *err)
{
    if (!call || !call->user)
        return sms_caller_load(site, call, NULL, out, err);
    if (sms_rbac_cache_get(site->rbac_cache, call->user, out))
        return SMSPROV_OK;
    store_txn *txn = NULL;
    smsprov_code rc = store_begin(site->store, false, &txn, err);
    if (rc != SMSPROV_OK) {
        memset(out, 0, sizeof *out);
        return rc;
    }
    rc = sms_caller_load(site, call, txn, out, err);
    store_rollback(txn);
    if (rc != SMSPROV_OK)
        sms_caller_clear(out);
    return rc;
}

void sms_caller_clear(sms_caller *c)
{
    for (size_t i = 0; i < c->grant_count; i++) {
        free(c->grants[i].role);
        free(c->grants[i].scope);
    }
    for (size_t i = 0; i < c->op_count; i++)
        free(c->ops[i].role);
    free(c->grants);
    free(c->ops);
    memset(c, 0, sizeof *c);
}

static uint32_t role_ops(const sms_caller *c, const char *role, uint32_t type)
{
    uint32_t bits = 0;
    for (size_t i = 0; i < c->op_count; i++)
        if (c->ops[i].object_type == type && cim_strcasecmp(c->ops[i].role, role) == 0)
            bits |= c->ops[i].ops;
    return bits;
}

const char **sms_caller_scopes(const sms_caller *c, uint32_t object_type, uint32_t op,
                               size_t *count, bool *all)
{
    *count = 0;
    *all = c->site;
    const char **out = cim_xcalloc(c->grant_count + 1, sizeof *out);
    for (size_t i = 0; i < c->grant_count; i++) {
        if ((role_ops(c, c->grants[i].role, object_type) & op) != op)
            continue;
        if (cim_strcasecmp(c->grants[i].scope, SMS_SCOPE_ALL) == 0)
            *all = true;
        bool seen = false;
        for (size_t k = 0; k < *count; k++)
            seen = seen || cim_strcasecmp(out[k], c->grants[i].scope) == 0;
        if (!seen)
            out[(*count)++] = c->grants[i].scope;
    }
    return out;
}

bool sms_caller_may_type(const sms_caller *c, uint32_t object_type, uint32_t op)
{
    if (c->site)
        return true;
    for (size_t i = 0; i < c->grant_count; i++)
        if ((role_ops(c, c->grants[i].role, object_type) & op) == op)
            return true;
    return false;
}

bool sms_caller_has_role(const sms_caller *c, const char *role)
{
    return c->site || holds_role(c, role);
}

/* (ObjectTypeID = type [AND CategoryID IN scopes]) over the membership
 * class. */
static store_cond *membership_where(const cim_class *m, uint32_t type, const char *const *scopes,
                                    size_t count)
{
    store_cond *and = store_cond_new(STORE_COND_AND);
    store_cond_add_child(and, store_cond_equals(m, "ObjectTypeID",
                                                cim_value_uint(CIM_TYPE_UINT32, type)));
    if (count > 0) {
        store_cond *in = store_cond_new(STORE_COND_IN);
        in->left = store_operand_property((size_t)cim_class_property_index(m, "CategoryID"));
        in->items = cim_xcalloc(count, sizeof *in->items);
        for (size_t i = 0; i < count; i++)
            in->items[i] = store_operand_value(cim_value_string(scopes[i]));
        in->item_count = count;
        store_cond_add_child(and, in);
    }
    return and;
}

smsprov_code sms_caller_may(smsprov_site *site, const sms_caller *c, store_txn *txn,
                            const cim_instance *inst, uint32_t op, bool *ok, smsprov_error *err)
{
    *ok = true;
    const sms_secured_type *t = sms_secured_type_of(inst->cls);
    if (c->site || !t)
        return SMSPROV_OK;
    size_t count = 0;
    bool all = false;
    const char **scopes = sms_caller_scopes(c, t->object_type, op, &count, &all);
    smsprov_code rc = SMSPROV_OK;
    if (all || (!t->scoped && count > 0)) {
        *ok = true;
    } else if (count == 0) {
        *ok = false;
    } else {
        const cim_class *m = sms_site_class(site, "SMS_SecuredCategoryMembership");
        char *key = sms_rbac_object_key(t, inst);
        store_cond *where = membership_where(m, t->object_type, scopes, count);
        store_cond_add_child(where, store_cond_equals(m, "ObjectKey", cim_value_string(key)));
        store_query q = {.where_cond = where, .limit = -1};
        uint64_t n = 0;
        rc = store_count(txn, m, &q, &n, err);
        *ok = n > 0;
        store_cond_free(where);
        free(key);
    }
    free(scopes);
    return rc;
}

smsprov_code sms_rbac_deny(const sms_caller *c, uint32_t op, const char *object,
                           smsprov_error *err)
{
    if (!c->admin)
        smsprov_error_set(err, SMSPROV_E_ACCESS_DENIED,
                          "User \"%s\" is not an administrative user of this site, so it has "
                          "no %s rights on %s.",
                          c->user, sms_op_name(op), object);
    else
        smsprov_error_set(err, SMSPROV_E_ACCESS_DENIED,
                          "User \"%s\" has no %s rights on %s.", c->user, sms_op_name(op),
                          object);
    smsprov_error_set_object(err, object);
    return SMSPROV_E_ACCESS_DENIED;
}

/* The rows of target's class tree whose key has a membership of type in
 * one of scopes (any scope when all: every object has one). */
static store_cond *member_of(const cim_class *m, const cim_class *target,
                             const sms_secured_type *t, const char *const *scopes, size_t count,
                             bool all)
{
    ptrdiff_t key = cim_class_property_index(target, t->key_property);
    if (key < 0)
        return NULL;
    store_cond *c = store_cond_new(STORE_COND_IN_SELECT);
    c->left = store_operand_property((size_t)key);
    c->sub_class = m;
    c->sub_property = (size_t)cim_class_property_index(m, "ObjectKey");
    c->sub_where = membership_where(m, t->object_type, scopes, all ? 0 : count);
    return c;
}

/* The secured classes a read of target covers. */
static size_t covered_types(smsprov_site *site, const char *ns, const cim_class *target, bool deep,
                            const sms_secured_type **out)
{
    size_t n = 0;
    if (sms_secured_type_of(target))
        out[n++] = sms_secured_type_of(target);
    if (!deep)
        return n;
    size_t count = 0;
    const cim_class **below = cim_schema_list_classes(site->schema, ns, target->name, true, &count);
    for (size_t i = 0; i < count && n < 16; i++) {
        const sms_secured_type *t = sms_secured_type_of(below[i]);
        bool seen = false;
        for (size_t k = 0; k < n; k++)
            seen = seen || out[k] == t;
        if (t && !seen)
            out[n++] = t;
    }
    free(below);
    return n;
}

store_cond *sms_rbac_read_filter(smsprov_site *site, const sms_caller *c,
                                 const char *namespace_path, const cim_class *target, bool deep,
                                 bool *none)
{
    *none = false;
    if (c->site)
        return NULL;
    /* Someone who is no administrative user sees nothing of the site (the
     * provider location in root\sms stays readable, to find the site). */
    if (!c->admin) {
        *none = cim_strcasecmp(namespace_path, site->site_namespace) == 0;
        return NULL;
    }
    const sms_secured_type *types[16];
    size_t n = covered_types(site, namespace_path, target, deep, types);
    const cim_class *m = sms_site_class(site, "SMS_SecuredCategoryMembership");
    store_cond *or = store_cond_new(STORE_COND_OR);
    bool every_all = true, unexpressed = false;
    for (size_t i = 0; i < n; i++) {
        size_t count = 0;
        bool all = false;
        const char **scopes = sms_caller_scopes(c, types[i]->object_type, SMS_OP_READ, &count,
                                                &all);
        if (!types[i]->scoped)
            all = count > 0;
        every_all = every_all && all;
        if (types[i]->scoped && (all || count > 0)) {
            store_cond *one = member_of(m, target, types[i], scopes, count, all);
            if (one)
                store_cond_add_child(or, one);
            else
                unexpressed = true;
        }
        free(scopes);
    }
    if (n == 0 || every_all) {
        store_cond_free(or);
        return NULL;
    }
    /* Unsecured rows mixed with secured ones in one read (a query of
     * SMS_BaseClass) cannot be told apart here: nothing is shown. */
    if (or->child_count == 0 || unexpressed || !types[0]->scoped) {
        store_cond_free(or);
        *none = true;
        return NULL;
    }
    return or;
}
