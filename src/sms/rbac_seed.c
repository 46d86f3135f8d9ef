/* rbac_seed.c - the built-in roles and scopes every site has, the first
 * Full Administrator, and the Default scope for objects from before
 * role-based administration.  Runs at every open; writes only what is
 * missing. */
#include <stdlib.h>
#include <string.h>

#include "sms/rbac.h"

/* What the built-in roles grant: Microsoft does not publish their per-type
 * masks, so these follow the roles' descriptions (README). */
#define OBJECT_ALL                                                                            \
    (SMS_OP_READ | SMS_OP_MODIFY | SMS_OP_DELETE | SMS_OP_COPY_TO_DP | SMS_OP_SET_SCOPE |   \
     SMS_OP_CREATE | SMS_OP_MOVE | SMS_OP_MODIFY_FOLDER | SMS_OP_RUN_REPORT)
#define SECURITY_ALL (SMS_OP_READ | SMS_OP_MODIFY | SMS_OP_DELETE | SMS_OP_CREATE)

typedef struct builtin_role {
    const char *id;
    const char *name;
    uint32_t objects;  /* on every scoped type */
    uint32_t security; /* on type 29 */
} builtin_role;

static const builtin_role roles[] = {
    {"SMS0001R", "Full Administrator", OBJECT_ALL, SECURITY_ALL},
    {"SMS0002R", "Read-only Analyst", SMS_OP_READ, SMS_OP_READ},
    {"SMS0003R", "Remote Tools Operator", 0, SMS_OP_READ},
    {"SMS0004R", "Asset Manager", 0, SMS_OP_READ},
    {"SMS0006R", "Compliance Settings Manager", 0, SMS_OP_READ},
    {"SMS0007R", "Application Deployment Manager", 0, SMS_OP_READ},
    {"SMS0008R", "Application Author", 0, SMS_OP_READ},
    {"SMS0009R", "Application Administrator", 0, SMS_OP_READ},
    {"SMS000AR", "Operating System Deployment Manager", OBJECT_ALL, SMS_OP_READ},
    {"SMS000BR", "Infrastructure Manager", 0, SMS_OP_READ},
    {"SMS000CR", "Software Update Manager", 0, SMS_OP_READ},
    {"SMS000ER", "Operations Administrator", OBJECT_ALL, SMS_OP_READ},
    {"SMS000FR", "Security Administrator", SMS_OP_READ | SMS_OP_SET_SCOPE, SECURITY_ALL},
    {"SMS000GR", "EndPoint Protection Manager", 0, SMS_OP_READ},
    {"SMS000HR", "Company Resource Access Manager", 0, SMS_OP_READ},
};

static const uint32_t scoped_types[] = {14, 18, 19, 25};

static void stamp(smsprov_site *site, cim_instance *inst)
{
    cim_instance_take_value(inst, "CreatedBy", cim_value_string("SMS Provider"));
    cim_instance_take_value(inst, "CreatedDate", sms_datetime_now());
    cim_instance_take_value(inst, "LastModifiedBy", cim_value_string("SMS Provider"));
    cim_instance_take_value(inst, "LastModifiedDate", sms_datetime_now());
    cim_instance_take_value(inst, "SourceSite", cim_value_string(site->site_code));
}

static cim_instance *operation(smsprov_site *site, uint32_t type, uint32_t ops)
{
    cim_instance *op = cim_instance_new(sms_site_class(site, "SMS_ARoleOperation"));
    cim_instance_set_uint(op, "ObjectTypeID", type, NULL);
    cim_instance_set_uint(op, "GrantedOperations", ops, NULL);
    return op;
}

static cim_instance *role_instance(smsprov_site *site, const builtin_role *r)
{
    cim_instance *inst = cim_instance_spawn(sms_site_class(site, "SMS_Role"));
    cim_instance_set_string(inst, "RoleID", r->id, NULL);
    cim_instance_set_string(inst, "RoleName", r->name, NULL);
    cim_instance_set_string(inst, "RoleDescription", "Built-in security role.", NULL);
    cim_instance_take_value(inst, "IsBuiltIn", cim_value_bool(true));
    cim_instance_take_value(inst, "IsSecAdminRole", cim_value_bool(r->security & SMS_OP_CREATE));
    cim_value ops = cim_value_array(CIM_TYPE_OBJECT);
    for (size_t i = 0; r->objects && i < sizeof scoped_types / sizeof scoped_types[0]; i++) {
        cim_value v = cim_value_object(operation(site, scoped_types[i], r->objects));
        cim_value_array_append_take(&ops, &v);
    }
    cim_value v = cim_value_object(operation(site, SMS_TYPE_SECURITY, r->security));
    cim_value_array_append_take(&ops, &v);
    cim_instance_take_value(inst, "Operations", ops);
    stamp(site, inst);
    return inst;
}

static cim_instance *scope_instance(smsprov_site *site, const char *id, const char *name,
                                    const char *description)
{
    cim_instance *inst = cim_instance_spawn(sms_site_class(site, "SMS_SecuredCategory"));
    cim_instance_set_string(inst, "CategoryID", id, NULL);
    cim_instance_set_string(inst, "CategoryName", name, NULL);
    cim_instance_set_string(inst, "CategoryDescription", description, NULL);
    cim_instance_take_value(inst, "IsBuiltIn", cim_value_bool(true));
    stamp(site, inst);
    return inst;
}

/* Inserts inst unless an instance with its keys exists; takes inst. */
static smsprov_code insert_missing(store_txn *txn, cim_instance *inst, smsprov_error *err)
{
    cim_instance *had = NULL;
    smsprov_code rc = SMSPROV_OK;
    if (store_get(txn, inst->cls, inst, &had, NULL) != SMSPROV_OK)
        rc = store_insert(txn, inst, err);
    cim_instance_free(had);
    cim_instance_free(inst);
    return rc;
}

static cim_instance *permission(smsprov_site *site, const char *role, const char *role_name,
                                const char *cat, const char *cat_name, uint32_t type)
{
    cim_instance *p = cim_instance_new(sms_site_class(site, "SMS_APermission"));
    cim_instance_set_string(p, "RoleID", role, NULL);
    cim_instance_set_string(p, "RoleName", role_name, NULL);
    cim_instance_set_string(p, "CategoryID", cat, NULL);
    cim_instance_set_string(p, "CategoryName", cat_name, NULL);
    cim_instance_set_uint(p, "CategoryTypeID", type, NULL);
    return p;
}

static cim_value strings(const char *const *items, size_t n)
{
    cim_value a = cim_value_array(CIM_TYPE_STRING);
    for (size_t i = 0; i < n; i++) {
        cim_value v = cim_value_string(items[i]);
        cim_value_array_append_take(&a, &v);
    }
    return a;
}

/* The installer's three rows: Full Administrator with All, All Systems and
 * All Users and User Groups. */
static smsprov_code add_first_admin(smsprov_site *site, store_txn *txn, const char *name,
                                    smsprov_error *err)
{
    const cim_class *cls = sms_site_class(site, "SMS_Admin");
    store_cond *cond = store_cond_equals(cls, "LogonName", cim_value_string(name));
    store_query q = {.where_cond = cond, .limit = -1};
    uint64_t found = 0;
    smsprov_code rc = store_count(txn, cls, &q, &found, err);
    store_cond_free(cond);
    if (rc != SMSPROV_OK || found > 0)
        return rc;
    uint64_t n = 0;
    rc = store_next_counter(txn, "AdminID", &n, err);
    if (rc != SMSPROV_OK)
        return rc;
    cim_instance *inst = cim_instance_spawn(cls);
    cim_instance_take_value(inst, "AdminID", cim_value_uint(CIM_TYPE_UINT32, 16777216 + n));
    cim_instance_set_string(inst, "LogonName", name, NULL);
    cim_instance_set_string(inst, "AdminSid", name, NULL);
    cim_instance_set_string(inst, "DisplayName", name, NULL);
    cim_value perms = cim_value_array(CIM_TYPE_OBJECT);
    static const char *const cats[][2] = {{SMS_SCOPE_ALL, "All"},
                                          {"SMS00001", "All Systems"},
                                          {"SMS00004", "All Users and User Groups"}};
    for (size_t i = 0; i < 3; i++) {
        cim_value v = cim_value_object(permission(site, SMS_ROLE_FULL_ADMIN, "Full Administrator",
                                                  cats[i][0], cats[i][1], i ? 1 : 29));
        cim_value_array_append_take(&perms, &v);
    }
    cim_instance_take_value(inst, "Permissions", perms);
    static const char *const role_ids[] = {SMS_ROLE_FULL_ADMIN};
    static const char *const role_names[] = {"Full Administrator"};
    static const char *const cat_ids[] = {SMS_SCOPE_ALL};
    static const char *const cat_names[] = {"All"};
    static const char *const coll_names[] = {"All Systems", "All Users and User Groups"};
    cim_instance_take_value(inst, "Roles", strings(role_ids, 1));
    cim_instance_take_value(inst, "RoleNames", strings(role_names, 1));
    cim_instance_take_value(inst, "Categories", strings(cat_ids, 1));
    cim_instance_take_value(inst, "CategoryNames", strings(cat_names, 1));
    cim_instance_take_value(inst, "CollectionNames", strings(coll_names, 2));
    stamp(site, inst);
    rc = store_insert(txn, inst, err);
    cim_instance_free(inst);
    return rc;
}

typedef struct backfill {
    smsprov_site *site;
    const sms_secured_type *type;
    char **keys;
    size_t count;
} backfill;

static bool note_key(void *data, cim_instance *take)
{
    backfill *b = data;
    b->keys = cim_xrealloc(b->keys, (b->count + 1) * sizeof *b->keys);
    b->keys[b->count++] = sms_rbac_object_key(b->type, take);
    cim_instance_free(take);
    return true;
}

/* Objects with no membership (made before scopes existed) go to Default. */
static smsprov_code backfill_type(smsprov_site *site, store_txn *txn, const sms_secured_type *t,
                                  smsprov_error *err)
{
    const cim_class *cls = sms_site_class(site, t->class_name);
    if (!cls || !store_class_is_storable(cls))
        return SMSPROV_OK;
    const cim_class *m = sms_site_class(site, "SMS_SecuredCategoryMembership");
    store_cond *in = store_cond_new(STORE_COND_IN_SELECT);
    in->negated = true;
    in->left = store_operand_property((size_t)cim_class_property_index(cls, t->key_property));
    in->sub_class = m;
    in->sub_property = (size_t)cim_class_property_index(m, "ObjectKey");
    in->sub_where = store_cond_equals(m, "ObjectTypeID",
                                      cim_value_uint(CIM_TYPE_UINT32, t->object_type));
    store_query q = {.where_cond = in, .skip_lazy = true, .limit = -1};
    backfill b = {.site = site, .type = t};
    smsprov_code rc = store_select_each(txn, cls, &q, note_key, &b, err);
    store_cond_free(in);
    for (size_t i = 0; i < b.count; i++) {
        if (rc == SMSPROV_OK) {
            cim_instance *mm = cim_instance_new(m);
            cim_instance_set_string(mm, "CategoryID", SMS_SCOPE_DEFAULT, NULL);
            cim_instance_set_string(mm, "ObjectKey", b.keys[i], NULL);
            cim_instance_set_uint(mm, "ObjectTypeID", t->object_type, NULL);
            rc = store_insert(txn, mm, err);
            cim_instance_free(mm);
        }
        if (rc == SMSPROV_OK)
            rc = sms_rbac_sync_scope_names(site, txn, t->object_type, b.keys[i], err);
        free(b.keys[i]);
    }
    free(b.keys);
    return rc;
}

static smsprov_code seed(smsprov_site *site, store_txn *txn, const char *first_admin,
                         smsprov_error *err)
{
    smsprov_code rc = SMSPROV_OK;
    for (size_t i = 0; rc == SMSPROV_OK && i < sizeof roles / sizeof roles[0]; i++)
        rc = insert_missing(txn, role_instance(site, &roles[i]), err);
    if (rc == SMSPROV_OK)
        rc = insert_missing(txn,
                            scope_instance(site, SMS_SCOPE_DEFAULT, "Default",
                                           "Every object is in this scope until it is moved."),
                            err);
    if (rc == SMSPROV_OK)
        rc = insert_missing(txn,
                            scope_instance(site, SMS_SCOPE_ALL, "All",
                                           "Grants access to every scope; holds no objects."),
                            err);
    if (rc == SMSPROV_OK && first_admin && *first_admin)
        rc = add_first_admin(site, txn, first_admin, err);
    static const uint32_t types[] = {14, 18, 19, 25};
    for (size_t i = 0; rc == SMSPROV_OK && i < sizeof types / sizeof types[0]; i++) {
        const sms_secured_type *t = sms_secured_type_by_id(types[i]);
        if (t)
            rc = backfill_type(site, txn, t, err);
    }
    return rc;
}

smsprov_code sms_rbac_add_first_admin(smsprov_site *site, store_txn *txn, const char *name,
                                      smsprov_error *err)
{
    return name && *name ? add_first_admin(site, txn, name, err) : SMSPROV_OK;
}

smsprov_code sms_rbac_seed(smsprov_site *site, const char *first_admin, smsprov_error *err)
{
    if (!sms_site_class(site, "SMS_Admin") || !sms_site_class(site, "SMS_SecuredCategoryMembership"))
        return smsprov_error_set(err, SMSPROV_E_CRITICAL_ERROR,
                                 "The MOF schema does not declare the role-based administration "
                                 "classes (SMS_Admin, SMS_SecuredCategoryMembership).");
    store_txn *txn = NULL;
    smsprov_code rc = store_begin(site->store, true, &txn, err);
    if (rc != SMSPROV_OK)
        return rc;
    rc = seed(site, txn, first_admin, err);
    if (rc != SMSPROV_OK) {
        store_rollback(txn);
        return rc;
    }
    return store_commit(txn, err);
}
