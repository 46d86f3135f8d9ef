/* rbac_scopes.c - memberships of objects in security scopes, and the
 * SecuredScopeNames that mirror them. */
#include <stdlib.h>
#include <string.h>

#include "sms/rbac.h"

char *sms_rbac_object_key(const sms_secured_type *t, const cim_instance *inst)
{
    const cim_value *v = cim_instance_get(inst, t->key_property);
    if (!v || v->is_null)
        return cim_xstrdup("");
    if (v->type == CIM_TYPE_STRING)
        return cim_xstrdup(v->u.string);
    return cim_xasprintf("%llu", (unsigned long long)v->u.uint);
}

const char **sms_rbac_new_object_scopes(const sms_caller *c, uint32_t object_type,
                                        size_t *count)
{
    *count = 0;
    const char **out = cim_xcalloc(c->grant_count + 2, sizeof *out);
    if (c->site) {
        out[(*count)++] = SMS_SCOPE_DEFAULT;
        return out;
    }
    size_t n1 = 0, n2 = 0;
    bool all1 = false, all2 = false;
    const char **create = sms_caller_scopes(c, object_type, SMS_OP_CREATE, &n1, &all1);
    const char **set = sms_caller_scopes(c, object_type, SMS_OP_SET_SCOPE, &n2, &all2);
    for (size_t i = 0; i < n1 + n2; i++) {
        const char *s = i < n1 ? create[i] : set[i - n1];
        if (cim_strcasecmp(s, SMS_SCOPE_ALL) == 0)
            s = SMS_SCOPE_DEFAULT;
        bool seen = false;
        for (size_t k = 0; k < *count; k++)
            seen = seen || cim_strcasecmp(out[k], s) == 0;
        if (!seen)
            out[(*count)++] = s;
    }
    free(create);
    free(set);
    return out;
}

static cim_instance *membership(smsprov_site *site, const char *category, const char *key,
                                uint32_t type)
{
    cim_instance *m = cim_instance_new(sms_site_class(site, "SMS_SecuredCategoryMembership"));
    cim_instance_set_string(m, "CategoryID", category, NULL);
    cim_instance_set_string(m, "ObjectKey", key, NULL);
    cim_instance_set_uint(m, "ObjectTypeID", type, NULL);
    return m;
}

/* The memberships of one object. */
static smsprov_code object_memberships(smsprov_site *site, store_txn *txn, uint32_t type,
                                       const char *key, smsprov_instance_list *out,
                                       smsprov_error *err)
{
    const cim_class *m = sms_site_class(site, "SMS_SecuredCategoryMembership");
    store_cond *and = store_cond_new(STORE_COND_AND);
    store_cond_add_child(and, store_cond_equals(m, "ObjectKey", cim_value_string(key)));
    store_cond_add_child(and, store_cond_equals(m, "ObjectTypeID",
                                                cim_value_uint(CIM_TYPE_UINT32, type)));
    store_query q = {.where_cond = and, .limit = -1};
    smsprov_code rc = store_select(txn, m, &q, out, err);
    store_cond_free(and);
    return rc;
}

static smsprov_code load_object(smsprov_site *site, store_txn *txn, const sms_secured_type *t,
                                const char *key, cim_instance **out, smsprov_error *err)
{
    const cim_class *cls = sms_site_class(site, t->class_name);
    if (!cls)
        return SMSPROV_E_NOT_FOUND;
    cim_instance *keys = cim_instance_new(cls);
    smsprov_code rc = cim_instance_set(keys, t->key_property, &(cim_value){.type = CIM_TYPE_STRING,
                                                                           .u.string = (char *)key},
                                       NULL);
    if (rc == SMSPROV_OK)
        rc = store_get(txn, cls, keys, out, NULL);
    cim_instance_free(keys);
    (void)err;
    return rc == SMSPROV_OK ? SMSPROV_OK : SMSPROV_E_NOT_FOUND;
}

static char *scope_name(smsprov_site *site, store_txn *txn, const char *category)
{
    const cim_class *cls = sms_site_class(site, "SMS_SecuredCategory");
    cim_instance *keys = cim_instance_new(cls);
    cim_instance_set_string(keys, "CategoryID", category, NULL);
    cim_instance *scope = NULL;
    char *name = NULL;
    if (store_get(txn, cls, keys, &scope, NULL) == SMSPROV_OK) {
        const cim_value *v = cim_instance_get(scope, "CategoryName");
        name = cim_xstrdup(v && !v->is_null ? v->u.string : category);
    }
    cim_instance_free(scope);
    cim_instance_free(keys);
    return name ? name : cim_xstrdup(category);
}

/* SecuredScopeNames of inst from its memberships. */
static smsprov_code set_scope_names(smsprov_site *site, store_txn *txn, cim_instance *inst,
                                    uint32_t type, const char *key, smsprov_error *err)
{
    smsprov_instance_list rows = {0};
    smsprov_code rc = object_memberships(site, txn, type, key, &rows, err);
    cim_value names = cim_value_array(CIM_TYPE_STRING);
    for (size_t i = 0; rc == SMSPROV_OK && i < rows.count; i++) {
        const cim_value *cat = cim_instance_get(rows.items[i], "CategoryID");
        char *name = scope_name(site, txn, cat->u.string);
        cim_value v = cim_value_string(name);
        cim_value_array_append_take(&names, &v);
        free(name);
    }
    smsprov_instance_list_clear(&rows);
    cim_value *slot = cim_instance_get_mut(inst, "SecuredScopeNames");
    if (slot)
        cim_value_move(slot, &names);
    cim_value_clear(&names);
    return rc;
}

smsprov_code sms_rbac_sync_scope_names(smsprov_site *site, store_txn *txn, uint32_t object_type,
                                       const char *key, smsprov_error *err)
{
    const sms_secured_type *t = sms_secured_type_by_id(object_type);
    cim_instance *obj = NULL;
    if (!t || load_object(site, txn, t, key, &obj, err) != SMSPROV_OK)
        return SMSPROV_OK;
    smsprov_code rc = set_scope_names(site, txn, obj, object_type, key, err);
    if (rc == SMSPROV_OK)
        rc = store_update(txn, obj, err);
    cim_instance_free(obj);
    return rc;
}

smsprov_code sms_rbac_place_new_object(smsprov_site *site, store_txn *txn, cim_instance *inst,
                                       const char *const *scopes, size_t count,
                                       smsprov_error *err)
{
    const sms_secured_type *t = sms_secured_type_of(inst->cls);
    if (!t || !t->scoped)
        return SMSPROV_OK;
    char *key = sms_rbac_object_key(t, inst);
    smsprov_code rc = SMSPROV_OK;
    for (size_t i = 0; rc == SMSPROV_OK && i < count; i++) {
        cim_instance *m = membership(site, scopes[i], key, t->object_type);
        rc = store_insert(txn, m, err);
        cim_instance_free(m);
    }
    if (rc == SMSPROV_OK)
        rc = set_scope_names(site, txn, inst, t->object_type, key, err);
    if (rc == SMSPROV_OK)
        rc = store_update(txn, inst, err);
    free(key);
    return rc;
}

smsprov_code sms_rbac_drop_memberships(smsprov_site *site, store_txn *txn, uint32_t object_type,
                                       const char *key, smsprov_error *err)
{
    smsprov_instance_list rows = {0};
    smsprov_code rc = object_memberships(site, txn, object_type, key, &rows, err);
    for (size_t i = 0; rc == SMSPROV_OK && i < rows.count; i++)
        rc = store_delete(txn, rows.items[i]->cls, rows.items[i], err);
    smsprov_instance_list_clear(&rows);
    return rc;
}

/* ------------------------------------------------------------------------ */
/* One membership, with every rule                                          */
/* ------------------------------------------------------------------------ */

static smsprov_code check_change(smsprov_site *site, const sms_caller *c, store_txn *txn,
                                 const char *category, const char *key, uint32_t type,
                                 smsprov_error *err)
{
    const sms_secured_type *t = sms_secured_type_by_id(type);
    char *object = t ? cim_xasprintf("%s.%s='%s'", t->class_name, t->key_property, key)
                     : cim_xasprintf("object type %u", type);
    smsprov_code rc = SMSPROV_OK;
    cim_instance *obj = NULL;
    if (!t) {
        rc = smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER,
                               "ObjectTypeID %u is not a type of object that is placed in "
                               "security scopes here (14, 18, 19 and 25 are).",
                               type);
        smsprov_error_set_parameter(err, "ObjectTypeID");
    } else if (cim_strcasecmp(category, SMS_SCOPE_ALL) == 0) {
        rc = smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER,
                               "No object can be assigned to the security scope All (%s); "
                               "choose another scope.",
                               SMS_SCOPE_ALL);
        smsprov_error_set_parameter(err, "CategoryID");
    } else if (load_object(site, txn, t, key, &obj, err) != SMSPROV_OK) {
        rc = smsprov_error_set(err, SMSPROV_E_NOT_FOUND, "%s was not found.", object);
        smsprov_error_set_object(err, object);
    }
    if (rc == SMSPROV_OK) {
        const cim_class *sc = sms_site_class(site, "SMS_SecuredCategory");
        cim_instance *keys = cim_instance_new(sc), *scope = NULL;
        cim_instance_set_string(keys, "CategoryID", category, NULL);
        if (store_get(txn, sc, keys, &scope, NULL) != SMSPROV_OK) {
            rc = smsprov_error_set(err, SMSPROV_E_NOT_FOUND,
                                   "The security scope %s was not found.", category);
            smsprov_error_set_parameter(err, "CategoryID");
        }
        cim_instance_free(scope);
        cim_instance_free(keys);
    }
    bool ok = true;
    if (rc == SMSPROV_OK)
        rc = sms_caller_may(site, c, txn, obj, SMS_OP_SET_SCOPE, &ok, err);
    if (rc == SMSPROV_OK && !ok)
        rc = sms_rbac_deny(c, SMS_OP_SET_SCOPE, object, err);
    if (rc == SMSPROV_OK && !c->site) {
        size_t n = 0;
        bool all = false;
        const char **settable = sms_caller_scopes(c, type, SMS_OP_SET_SCOPE, &n, &all);
        bool found = all;
        for (size_t i = 0; i < n; i++)
            found = found || cim_strcasecmp(settable[i], category) == 0;
        free(settable);
        if (!found) {
            char *what = cim_xasprintf("the security scope %s", category);
            rc = sms_rbac_deny(c, SMS_OP_SET_SCOPE, what, err);
            free(what);
        }
    }
    cim_instance_free(obj);
    free(object);
    return rc;
}

smsprov_code sms_rbac_add_membership(smsprov_site *site, const sms_caller *c, store_txn *txn,
                                     const char *category, const char *object_key,
                                     uint32_t object_type, smsprov_error *err)
{
    smsprov_code rc = check_change(site, c, txn, category, object_key, object_type, err);
    if (rc != SMSPROV_OK)
        return rc;
    cim_instance *m = membership(site, category, object_key, object_type);
    cim_instance *had = NULL;
    if (store_get(txn, m->cls, m, &had, NULL) != SMSPROV_OK)
        rc = store_insert(txn, m, err); /* adding one it has is a no-op */
    cim_instance_free(had);
    cim_instance_free(m);
    if (rc == SMSPROV_OK)
        rc = sms_rbac_sync_scope_names(site, txn, object_type, object_key, err);
    return rc;
}

smsprov_code sms_rbac_remove_membership(smsprov_site *site, const sms_caller *c,
                                        store_txn *txn, const char *category,
                                        const char *object_key, uint32_t object_type,
                                        smsprov_error *err)
{
    smsprov_code rc = check_change(site, c, txn, category, object_key, object_type, err);
    if (rc != SMSPROV_OK)
        return rc;
    cim_instance *m = membership(site, category, object_key, object_type);
    rc = store_delete(txn, m->cls, m, err);
    if (rc == SMSPROV_E_NOT_FOUND)
        smsprov_error_set(err, SMSPROV_E_NOT_FOUND,
                          "The object %s is not in the security scope %s.", object_key, category);
    cim_instance_free(m);
    smsprov_instance_list left = {0};
    if (rc == SMSPROV_OK)
        rc = object_memberships(site, txn, object_type, object_key, &left, err);
    if (rc == SMSPROV_OK && left.count == 0)
        rc = smsprov_error_set(err, SMSPROV_E_INVALID_OPERATION,
                               "%s is the last security scope of object %s, and an object must "
                               "keep at least one: add it to another scope (such as Default, "
                               "%s) first.",
                               category, object_key, SMS_SCOPE_DEFAULT);
    smsprov_instance_list_clear(&left);
    if (rc == SMSPROV_OK)
        rc = sms_rbac_sync_scope_names(site, txn, object_type, object_key, err);
    return rc;
}
