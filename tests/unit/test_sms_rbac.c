/* test_sms_rbac.c - role-based administration through the provider API on a
 * real SQLite file: the built-in roles and scopes, the first Full
 * Administrator, administration through SMS_Admin / SMS_SecuredCategory,
 * scope memberships (S-15), and the matrix of three administrative users
 * (plus someone who is none) x every kind of call x an object in and out of
 * their scope.  Every refused call is checked to change nothing: the whole
 * database is read before and after. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sms/rbac.h"
#include "smsprov/provider.h"

#define BOOT "SMS_BootImagePackage"
#define MEMBERSHIP "SMS_SecuredCategoryMembership"

typedef struct fixture {
    smsprov_site *site;
    char *scope_a;   /* CategoryID of SC_A */
    char *in_scope;  /* boot image in SC_A only */
    char *out_scope; /* boot image in Default only */
    char *in_key, *out_key;
} fixture;

static smsprov_call as(const char *user)
{
    return (smsprov_call){.user = user};
}

static cim_instance *spawn(smsprov_site *site, const char *cls_name)
{
    const cim_class *cls = NULL;
    assert_int_equal(smsprov_get_class(site, NULL, cls_name, &cls, NULL), SMSPROV_OK);
    return cim_instance_spawn(cls);
}

static smsprov_code put_as(smsprov_site *site, const char *user, cim_instance *inst, char **path,
                           smsprov_error *err)
{
    smsprov_call call = as(user);
    smsprov_code rc = smsprov_put(site, user ? &call : NULL, inst, SMSPROV_PUT_CREATE_OR_UPDATE,
                                  NULL, path, err);
    cim_instance_free(inst);
    return rc;
}

static char *must_put(smsprov_site *site, const char *user, cim_instance *inst)
{
    char *path = NULL;
    smsprov_error err = {0};
    smsprov_code rc = put_as(site, user, inst, &path, &err);
    if (rc != SMSPROV_OK)
        fail_msg("put as %s: %s", user ? user : "site", err.description);
    smsprov_error_clear(&err);
    return path;
}

static cim_instance *boot_image(smsprov_site *site, const char *name)
{
    cim_instance *inst = spawn(site, BOOT);
    cim_instance_set_string(inst, "Name", name, NULL);
    return inst;
}

static cim_instance *get_as(smsprov_site *site, const char *user, const char *path,
                            smsprov_code *rc)
{
    smsprov_call call = as(user);
    cim_instance *inst = NULL;
    *rc = smsprov_get(site, user ? &call : NULL, path, &inst, NULL);
    return inst;
}

static char *key_of(const char *path)
{
    const char *q = strchr(path, '"');
    return strndup(q + 1, strlen(q + 1) - 1);
}

static cim_instance *permission(smsprov_site *site, const char *role, const char *scope)
{
    cim_instance *p = spawn(site, "SMS_APermission");
    cim_instance_set_string(p, "RoleID", role, NULL);
    cim_instance_set_string(p, "CategoryID", scope, NULL);
    cim_instance_set_uint(p, "CategoryTypeID", 29, NULL);
    return p;
}

static cim_instance *admin(smsprov_site *site, const char *logon, const char *role,
                           const char *scope)
{
    cim_instance *a = spawn(site, "SMS_Admin");
    cim_instance_set_string(a, "LogonName", logon, NULL);
    cim_value perms = cim_value_array(CIM_TYPE_OBJECT);
    if (role) {
        cim_value v = cim_value_object(permission(site, role, scope));
        cim_value_array_append_take(&perms, &v);
    }
    cim_instance_set(a, "Permissions", &perms, NULL);
    cim_value_clear(&perms);
    return a;
}

static cim_instance *membership(smsprov_site *site, const char *scope, const char *key,
                                uint32_t type)
{
    cim_instance *m = spawn(site, MEMBERSHIP);
    cim_instance_set_string(m, "CategoryID", scope, NULL);
    cim_instance_set_string(m, "ObjectKey", key, NULL);
    cim_instance_set_uint(m, "ObjectTypeID", type, NULL);
    return m;
}

static char *membership_path(const char *scope, const char *key, uint32_t type)
{
    return cim_xasprintf(MEMBERSHIP ".CategoryID=\"%s\",ObjectKey=\"%s\",ObjectTypeID=%u", scope,
                         key, type);
}

/* Every row of every table of the site, as MOF text: what "changes
 * nothing" is checked against. */
static char *snapshot(smsprov_site *site)
{
    size_t count = 0;
    const cim_class **classes =
        cim_schema_list_classes(site->schema, site->site_namespace, NULL, true, &count);
    cim_buf b = {0};
    store_txn *txn = NULL;
    assert_int_equal(store_begin(site->store, false, &txn, NULL), SMSPROV_OK);
    for (size_t i = 0; i < count; i++) {
        if (!store_class_is_storable(classes[i]))
            continue;
        smsprov_instance_list rows = {0};
        store_query all = {.limit = -1};
        assert_int_equal(store_select(txn, classes[i], &all, &rows, NULL), SMSPROV_OK);
        for (size_t r = 0; r < rows.count; r++) {
            char *mof = cim_instance_to_mof(rows.items[r]);
            cim_buf_append(&b, mof);
            free(mof);
        }
        smsprov_instance_list_clear(&rows);
    }
    store_rollback(txn);
    free(classes);
    return cim_buf_take(&b);
}

static int setup(void **state)
{
    static int counter;
    char *db = cim_xasprintf("%s/sms_rbac_%d_%d.db", SMSPROV_TEST_SCRATCH, (int)getpid(),
                             counter++);
    unlink(db);
    smsprov_site_config config = {.database_path = db, .mof_dir = SMSPROV_SOURCE_MOF_DIR,
                                  .first_admin = "root"};
    fixture *f = cim_xcalloc(1, sizeof *f);
    smsprov_error err = {0};
    if (smsprov_site_open(&config, &f->site, &err) != SMSPROV_OK)
        fail_msg("open: %s", err.description);
    free(db);
    smsprov_site *site = f->site;
    /* The Full Administrator makes a scope, two boot images and two admins. */
    cim_instance *scope = spawn(site, "SMS_SecuredCategory");
    cim_instance_set_string(scope, "CategoryName", "SC_A", NULL);
    cim_instance_set_string(scope, "CategoryDescription", "x", NULL);
    char *scope_path = must_put(site, "root", scope);
    f->scope_a = key_of(scope_path);
    free(scope_path);
    f->out_scope = must_put(site, "root", boot_image(site, "Default only"));
    f->in_scope = must_put(site, "root", boot_image(site, "In SC_A"));
    f->in_key = key_of(f->in_scope);
    f->out_key = key_of(f->out_scope);
    free(must_put(site, "root", membership(site, f->scope_a, f->in_key, 19)));
    char *def = membership_path("SMS00UNA", f->in_key, 19);
    smsprov_call root = as("root");
    if (smsprov_delete(site, &root, def, &err) != SMSPROV_OK)
        fail_msg("delete: %s", err.description);
    free(def);
    free(must_put(site, "root", admin(site, "analyst", "SMS0002R", "SMS00ALL")));
    free(must_put(site, "root", admin(site, "osd", "SMS000AR", f->scope_a)));
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    smsprov_site_close(f->site);
    free(f->scope_a);
    free(f->in_scope);
    free(f->out_scope);
    free(f->in_key);
    free(f->out_key);
    free(f);
    return 0;
}

static size_t count_query(smsprov_site *site, const char *user, const char *wql);
static size_t count_enum(smsprov_site *site, const char *user, const char *cls);

static bool has_string(const cim_value *v, const char *s)
{
    for (size_t i = 0; v && !v->is_null && i < v->u.array.count; i++)
        if (strcmp(v->u.array.items[i].u.string, s) == 0)
            return true;
    return false;
}

static size_t array_count(const cim_value *v)
{
    return v && !v->is_null ? v->u.array.count : 0;
}

/* ---- built-ins and bootstrap ------------------------------------------- */

static void test_builtins_and_first_admin(void **state)
{
    fixture *f = *state;
    smsprov_call root = as("root");
    smsprov_instance_list roles = {0}, scopes = {0}, admins = {0};
    assert_int_equal(smsprov_enumerate(f->site, &root, "SMS_Role", 0, &roles, NULL), SMSPROV_OK);
    assert_int_equal(roles.count, 15);
    assert_int_equal(smsprov_enumerate(f->site, &root, "SMS_SecuredCategory", 0, &scopes, NULL),
                     SMSPROV_OK);
    assert_int_equal(scopes.count, 3); /* All, Default, SC_A */
    assert_int_equal(smsprov_enumerate(f->site, &root, "SMS_Admin", 0, &admins, NULL), SMSPROV_OK);
    assert_int_equal(admins.count, 3);
    /* T01: lazy Roles / Permissions absent from the enumeration... */
    const cim_instance *first = admins.items[0];
    assert_string_equal(cim_instance_get(first, "LogonName")->u.string, "root");
    assert_true(cim_instance_get(first, "Permissions")->is_null);
    assert_true(has_string(cim_instance_get(first, "RoleNames"), "Full Administrator"));
    /* ...and there on GetObject, with the installer's three rows. */
    char *path = cim_instance_relpath(first);
    smsprov_code rc;
    cim_instance *got = get_as(f->site, "root", path, &rc);
    assert_int_equal(rc, SMSPROV_OK);
    assert_int_equal(array_count(cim_instance_get(got, "Permissions")), 3);
    assert_true(has_string(cim_instance_get(got, "Roles"), "SMS0001R"));
    cim_instance_free(got);
    free(path);
    smsprov_instance_list_clear(&roles);
    smsprov_instance_list_clear(&scopes);
    smsprov_instance_list_clear(&admins);
    /* T03 / T20: built-ins stay. */
    char *before = snapshot(f->site);
    smsprov_error err = {0};
    assert_int_equal(smsprov_delete(f->site, &root, "SMS_SecuredCategory.CategoryID=\"SMS00UNA\"",
                                    &err),
                     SMSPROV_E_ACCESS_DENIED);
    assert_non_null(strstr(err.description, "built in"));
    smsprov_error_clear(&err);
    assert_int_equal(smsprov_delete(f->site, &root, "SMS_Role.RoleID=\"SMS000AR\"", NULL),
                     SMSPROV_E_ACCESS_DENIED);
    cim_instance *role = spawn(f->site, "SMS_Role");
    cim_instance_set_string(role, "RoleID", "SMS0002R", NULL);
    cim_instance_set_string(role, "RoleName", "Renamed", NULL);
    assert_int_equal(put_as(f->site, "root", role, NULL, NULL), SMSPROV_E_ACCESS_DENIED);
    char *after = snapshot(f->site);
    assert_string_equal(before, after);
    free(before);
    free(after);
}

/* The first admin is made once; opening again keeps what is there. */
static void test_reopen_keeps_admins(void **state)
{
    fixture *f = *state;
    char *before = snapshot(f->site);
    assert_int_equal(sms_rbac_seed(f->site, "root", NULL), SMSPROV_OK);
    char *after = snapshot(f->site);
    assert_string_equal(before, after);
    free(before);
    free(after);
}

/* A database from before role-based administration: objects without any
 * membership go into Default when the site opens, and are then seen by a
 * user holding Default. */
static void test_backfill_on_open(void **state)
{
    fixture *f = *state;
    const cim_class *cls = NULL;
    smsprov_get_class(f->site, NULL, BOOT, &cls, NULL);
    cim_instance *old = cim_instance_spawn(cls);
    cim_instance_set_string(old, "PackageID", "LAB0FFFF", NULL);
    cim_instance_set_string(old, "Name", "from an older site", NULL);
    store_txn *txn = NULL;
    assert_int_equal(store_begin(f->site->store, true, &txn, NULL), SMSPROV_OK);
    assert_int_equal(store_insert(txn, old, NULL), SMSPROV_OK);
    assert_int_equal(store_commit(txn, NULL), SMSPROV_OK);
    cim_instance_free(old);
    free(must_put(f->site, "root", admin(f->site, "defaultonly", "SMS000AR", "SMS00UNA")));
    assert_int_equal(count_query(f->site, "defaultonly",
                                 "SELECT * FROM SMS_BootImagePackage WHERE PackageID = 'LAB0FFFF'"),
                     0);
    assert_int_equal(sms_rbac_seed(f->site, NULL, NULL), SMSPROV_OK);
    assert_int_equal(count_query(f->site, "defaultonly",
                                 "SELECT * FROM SMS_BootImagePackage WHERE PackageID = 'LAB0FFFF'"),
                     1);
    smsprov_code rc;
    cim_instance *got = get_as(f->site, "root", BOOT ".PackageID=\"LAB0FFFF\"", &rc);
    assert_int_equal(rc, SMSPROV_OK);
    assert_true(has_string(cim_instance_get(got, "SecuredScopeNames"), "Default"));
    cim_instance_free(got);
}

/* ---- administration through the classes -------------------------------- */

static void test_admin_rules(void **state)
{
    fixture *f = *state;
    char *before = snapshot(f->site);
    smsprov_error err = {0};
    /* T19: a scope is required. */
    assert_int_equal(put_as(f->site, "root", admin(f->site, "noscope", NULL, NULL), NULL, &err),
                     SMSPROV_E_INVALID_PARAMETER);
    smsprov_error_clear(&err);
    /* Unknown role or scope. */
    assert_int_equal(put_as(f->site, "root", admin(f->site, "x", "SMS9999R", "SMS00UNA"), NULL,
                            NULL),
                     SMSPROV_E_INVALID_PARAMETER);
    /* Who may grant what: the OSD manager has no right on admins at all;
     * the analyst neither. */
    assert_int_equal(put_as(f->site, "osd", admin(f->site, "x", "SMS000AR", f->scope_a), NULL,
                            &err),
                     SMSPROV_E_ACCESS_DENIED);
    assert_non_null(strstr(err.description, "osd"));
    smsprov_error_clear(&err);
    assert_int_equal(put_as(f->site, "analyst", admin(f->site, "x", "SMS0002R", "SMS00ALL"), NULL,
                            NULL),
                     SMSPROV_E_ACCESS_DENIED);
    char *after = snapshot(f->site);
    assert_string_equal(before, after);
    free(before);
    free(after);
    /* A Security Administrator limited to SC_A grants only what it holds. */
    free(must_put(f->site, "root", admin(f->site, "secadm", "SMS000FR", f->scope_a)));
    assert_int_equal(put_as(f->site, "secadm", admin(f->site, "x", "SMS0001R", "SMS00ALL"), NULL,
                            &err),
                     SMSPROV_E_ACCESS_DENIED);
    smsprov_error_clear(&err);
    char *path = must_put(f->site, "secadm", admin(f->site, "sec2", "SMS000FR", f->scope_a));
    smsprov_code rc;
    cim_instance *got = get_as(f->site, "root", path, &rc);
    assert_int_equal(rc, SMSPROV_OK);
    assert_true(has_string(cim_instance_get(got, "CategoryNames"), "SC_A"));
    assert_true(has_string(cim_instance_get(got, "RoleNames"), "Security Administrator"));
    assert_string_equal(cim_instance_get(got, "CreatedBy")->u.string, "secadm");
    cim_instance_free(got);
    /* Removing an admin takes its rights away. */
    smsprov_call root = as("root");
    assert_int_equal(smsprov_delete(f->site, &root, path, NULL), SMSPROV_OK);
    free(path);
}

/* A custom role (T20's copy of a built-in, narrowed): read boot images
 * only; given with SC_A it shows the image in SC_A and allows no change. */
static void test_custom_role(void **state)
{
    fixture *f = *state;
    cim_instance *role = spawn(f->site, "SMS_Role");
    cim_instance_set_string(role, "RoleName", "Boot image reader", NULL);
    cim_instance_set_string(role, "CopiedFromID", "SMS000AR", NULL);
    cim_instance *op = spawn(f->site, "SMS_ARoleOperation");
    cim_instance_set_uint(op, "ObjectTypeID", 19, NULL);
    cim_instance_set_uint(op, "GrantedOperations", 0x1, NULL);
    cim_value ops = cim_value_array(CIM_TYPE_OBJECT);
    cim_value v = cim_value_object(op);
    cim_value_array_append_take(&ops, &v);
    cim_instance_set(role, "Operations", &ops, NULL);
    cim_value_clear(&ops);
    char *path = must_put(f->site, "root", role);
    char *role_id = key_of(path);
    assert_int_equal(strncmp(role_id, "LAB", 3), 0);
    smsprov_code rc;
    cim_instance *got = get_as(f->site, "root", path, &rc);
    assert_false(cim_instance_get(got, "IsBuiltIn")->u.boolean);
    assert_string_equal(cim_instance_get(got, "CopiedFromID")->u.string, "SMS000AR");
    cim_instance_free(got);
    free(must_put(f->site, "root", admin(f->site, "reader", role_id, f->scope_a)));
    assert_int_equal(count_enum(f->site, "reader", BOOT), 1);
    assert_int_equal(count_enum(f->site, "reader", "SMS_OperatingSystemInstallPackage"), 0);
    cim_instance *in = get_as(f->site, "reader", f->in_scope, &rc);
    assert_int_equal(rc, SMSPROV_OK);
    cim_instance_free(in);
    cim_instance *change = spawn(f->site, BOOT);
    cim_instance_set_string(change, "PackageID", f->in_key, NULL);
    cim_instance_set_string(change, "Description", "x", NULL);
    assert_int_equal(put_as(f->site, "reader", change, NULL, NULL), SMSPROV_E_ACCESS_DENIED);
    /* a role someone holds stays; once nobody does it can go */
    smsprov_call root = as("root");
    smsprov_error err = {0};
    assert_int_equal(smsprov_delete(f->site, &root, path, &err), SMSPROV_E_INVALID_OPERATION);
    assert_non_null(strstr(err.description, "reader"));
    smsprov_error_clear(&err);
    smsprov_instance_list admins = {0};
    assert_int_equal(smsprov_query(f->site, &root, "WQL",
                                   "SELECT * FROM SMS_Admin WHERE LogonName = 'reader'", &admins,
                                   NULL),
                     SMSPROV_OK);
    char *reader = cim_instance_relpath(admins.items[0]);
    smsprov_instance_list_clear(&admins);
    assert_int_equal(smsprov_delete(f->site, &root, reader, NULL), SMSPROV_OK);
    assert_int_equal(count_enum(f->site, "reader", BOOT), 0);
    assert_int_equal(smsprov_delete(f->site, &root, path, NULL), SMSPROV_OK);
    free(reader);
    free(role_id);
    free(path);
}

/* ---- S-15 and the membership rules -------------------------------------- */

static void test_scope_membership(void **state)
{
    fixture *f = *state;
    smsprov_code rc;
    /* T04: a new object is in Default. */
    char *path = must_put(f->site, "root", boot_image(f->site, "T04"));
    char *key = key_of(path);
    cim_instance *got = get_as(f->site, "root", path, &rc);
    assert_int_equal(array_count(cim_instance_get(got, "SecuredScopeNames")), 1);
    assert_true(has_string(cim_instance_get(got, "SecuredScopeNames"), "Default"));
    cim_instance_free(got);
    /* S-15 / T05: Put a membership; the scope shows in SecuredScopeNames. */
    free(must_put(f->site, "root", membership(f->site, f->scope_a, key, 19)));
    got = get_as(f->site, "root", path, &rc);
    assert_true(has_string(cim_instance_get(got, "SecuredScopeNames"), "SC_A"));
    assert_true(has_string(cim_instance_get(got, "SecuredScopeNames"), "Default"));
    cim_instance_free(got);
    /* T06: AddMemberships of one it has, twice: ReturnValue 0, one row. */
    smsprov_call root = as("root");
    for (int i = 0; i < 2; i++) {
        const cim_class *cls = NULL;
        smsprov_get_class(f->site, NULL, MEMBERSHIP, &cls, NULL);
        const cim_method *m = cim_class_find_method(cls, "AddMemberships");
        cim_instance *in = cim_instance_new(m->in_class);
        cim_value ids = cim_value_array(CIM_TYPE_STRING), types = cim_value_array(CIM_TYPE_UINT32),
                  cats = cim_value_array(CIM_TYPE_STRING);
        cim_value v = cim_value_string(key);
        cim_value_array_append_take(&ids, &v);
        v = cim_value_uint(CIM_TYPE_UINT32, 19);
        cim_value_array_append_take(&types, &v);
        v = cim_value_string(f->scope_a);
        cim_value_array_append_take(&cats, &v);
        cim_instance_set(in, "ObjectIDs", &ids, NULL);
        cim_instance_set(in, "ObjectTypeIDs", &types, NULL);
        cim_instance_set(in, "CategoryIDs", &cats, NULL);
        cim_value_clear(&ids);
        cim_value_clear(&types);
        cim_value_clear(&cats);
        cim_instance *out = NULL;
        assert_int_equal(smsprov_invoke(f->site, &root, MEMBERSHIP, "AddMemberships", in, &out,
                                        NULL),
                         SMSPROV_OK);
        assert_int_equal(cim_instance_get(out, "ReturnValue")->u.sint, 0);
        cim_instance_free(out);
        cim_instance_free(in);
    }
    char *q = cim_xasprintf("SELECT * FROM " MEMBERSHIP " WHERE ObjectKey = '%s'", key);
    smsprov_instance_list rows = {0};
    assert_int_equal(smsprov_query(f->site, &root, "WQL", q, &rows, NULL), SMSPROV_OK);
    assert_int_equal(rows.count, 2);
    smsprov_instance_list_clear(&rows);
    free(q);
    /* T08: remove Default. */
    char *def = membership_path("SMS00UNA", key, 19);
    assert_int_equal(smsprov_delete(f->site, &root, def, NULL), SMSPROV_OK);
    got = get_as(f->site, "root", path, &rc);
    assert_int_equal(array_count(cim_instance_get(got, "SecuredScopeNames")), 1);
    assert_true(has_string(cim_instance_get(got, "SecuredScopeNames"), "SC_A"));
    cim_instance_free(got);
    /* T09 (S-15): the last scope stays; T10: never All. */
    char *before = snapshot(f->site);
    char *last = membership_path(f->scope_a, key, 19);
    smsprov_error err = {0};
    assert_int_equal(smsprov_delete(f->site, &root, last, &err), SMSPROV_E_INVALID_OPERATION);
    assert_non_null(strstr(err.description, "last security scope"));
    smsprov_error_clear(&err);
    assert_int_equal(put_as(f->site, "root", membership(f->site, "SMS00ALL", key, 19), NULL, NULL),
                     SMSPROV_E_INVALID_PARAMETER);
    /* Deleting a scope still holding objects is refused. */
    char *scope = cim_xasprintf("SMS_SecuredCategory.CategoryID=\"%s\"", f->scope_a);
    assert_int_equal(smsprov_delete(f->site, &root, scope, NULL), SMSPROV_E_INVALID_OPERATION);
    char *after = snapshot(f->site);
    assert_string_equal(before, after);
    /* Deleting the object drops its memberships. */
    assert_int_equal(smsprov_delete(f->site, &root, path, NULL), SMSPROV_OK);
    cim_instance *gone = get_as(f->site, "root", last, &rc);
    assert_int_equal(rc, SMSPROV_E_NOT_FOUND);
    cim_instance_free(gone);
    free(scope);
    free(before);
    free(after);
    free(last);
    free(def);
    free(key);
    free(path);
}

/* ---- the matrix --------------------------------------------------------- */

static size_t count_query(smsprov_site *site, const char *user, const char *wql)
{
    smsprov_call call = as(user);
    smsprov_instance_list rows = {0};
    assert_int_equal(smsprov_query(site, &call, "WQL", wql, &rows, NULL), SMSPROV_OK);
    size_t n = rows.count;
    if (n == 1 && strstr(wql, "COUNT(*)"))
        n = cim_instance_get(rows.items[0], "Count")->u.uint;
    smsprov_instance_list_clear(&rows);
    return n;
}

static size_t count_enum(smsprov_site *site, const char *user, const char *cls)
{
    smsprov_call call = as(user);
    smsprov_instance_list rows = {0};
    assert_int_equal(smsprov_enumerate(site, &call, cls, 0, &rows, NULL), SMSPROV_OK);
    size_t n = rows.count;
    smsprov_instance_list_clear(&rows);
    return n;
}

/* Reads: Full Administrator and Read-only Analyst see both images, the OSD
 * manager only the one in SC_A, someone who is no admin nothing; no form
 * of WQL sees around that. */
static void test_matrix_reads(void **state)
{
    fixture *f = *state;
    static const struct {
        const char *user;
        size_t seen;
    } who[] = {{"root", 2}, {"analyst", 2}, {"osd", 1}, {"nobody", 0}};
    static const char *const queries[] = {
        "SELECT * FROM SMS_BootImagePackage",
        "SELECT COUNT(*) FROM SMS_BootImagePackage",
        "SELECT COUNT(*) FROM SMS_PackageBaseclass",
        "SELECT * FROM SMS_PackageBaseclass WHERE __CLASS ISA 'SMS_BootImagePackage'",
        "SELECT * FROM SMS_PackageBaseclass WHERE __CLASS = 'SMS_BootImagePackage'",
        "SELECT Name FROM SMS_BootImagePackage ORDER BY Name DESC",
        "SELECT DISTINCT Name FROM SMS_PackageBaseclass",
        "SELECT * FROM SMS_BootImagePackage WHERE Name = 'Default only' OR Name = 'In SC_A'",
    };
    for (size_t u = 0; u < sizeof who / sizeof who[0]; u++) {
        assert_int_equal(count_enum(f->site, who[u].user, BOOT), who[u].seen);
        assert_int_equal(count_enum(f->site, who[u].user, "SMS_PackageBaseclass"), who[u].seen);
        for (size_t q = 0; q < sizeof queries / sizeof queries[0]; q++)
            if (count_query(f->site, who[u].user, queries[q]) != who[u].seen)
                fail_msg("%s: %s gave %zu, expected %zu", who[u].user, queries[q],
                         count_query(f->site, who[u].user, queries[q]), who[u].seen);
        smsprov_code rc;
        cim_instance *in = get_as(f->site, who[u].user, f->in_scope, &rc);
        assert_int_equal(rc, who[u].seen >= 1 ? SMSPROV_OK : SMSPROV_E_NOT_FOUND);
        cim_instance_free(in);
        cim_instance *out = get_as(f->site, who[u].user, f->out_scope, &rc);
        assert_int_equal(rc, who[u].seen == 2 ? SMSPROV_OK : SMSPROV_E_NOT_FOUND);
        cim_instance_free(out);
    }
    /* The OSD manager's one image is the one in SC_A. */
    smsprov_call osd = as("osd");
    smsprov_instance_list rows = {0};
    assert_int_equal(smsprov_query(f->site, &osd, "WQL", "SELECT PackageID FROM SMS_BootImagePackage",
                                   &rows, NULL),
                     SMSPROV_OK);
    assert_string_equal(cim_instance_get(rows.items[0], "PackageID")->u.string, f->in_key);
    smsprov_instance_list_clear(&rows);
    /* Someone who is no admin cannot see roles, scopes or admins either. */
    assert_int_equal(count_enum(f->site, "nobody", "SMS_Role"), 0);
    assert_int_equal(count_enum(f->site, "nobody", "SMS_Admin"), 0);
    assert_int_equal(count_enum(f->site, "analyst", "SMS_Role"), 15);
}

/* A scoped enumeration read in small batches (each batch bounds the
 * membership semi-join by the position) gives every visible object once,
 * in key order, also when objects come and go between batches. */
static void test_scoped_cursor_batches(void **state)
{
    fixture *f = *state;
    char *keys[40];
    for (int i = 0; i < 40; i++) {
        char *path = must_put(f->site, "root", boot_image(f->site, "batch"));
        keys[i] = key_of(path);
        free(path);
        if (i % 2 == 0) /* every other one into SC_A too */
            free(must_put(f->site, "root", membership(f->site, f->scope_a, keys[i], 19)));
    }
    smsprov_call osd = as("osd");
    for (int pass = 0; pass < 2; pass++) {
        smsprov_cursor *c = NULL;
        assert_int_equal(pass ? smsprov_query_open(f->site, &osd, "WQL",
                                                   "SELECT PackageID FROM SMS_PackageBaseclass",
                                                   &c, NULL)
                              : smsprov_enumerate_open(f->site, &osd, BOOT, 0, &c, NULL),
                         SMSPROV_OK);
        smsprov_instance_list got = {0};
        bool end = false;
        int batches = 0;
        while (!end) {
            assert_int_equal(smsprov_cursor_read(c, 3, &got, &end, NULL), SMSPROV_OK);
            if (batches++ == 2) { /* a change between batches, ahead of the position */
                assert_int_equal(put_as(f->site, "root",
                                        membership(f->site, f->scope_a, keys[39], 19), NULL,
                                        NULL),
                                 SMSPROV_OK);
            }
        }
        smsprov_cursor_close(c);
        /* the image in SC_A, the 20 even ones, and (pass 0 adds it) the last */
        assert_int_equal(got.count, 22);
        for (size_t i = 1; i < got.count; i++)
            assert_true(strcmp(cim_instance_get(got.items[i - 1], "PackageID")->u.string,
                               cim_instance_get(got.items[i], "PackageID")->u.string) < 0);
        smsprov_instance_list_clear(&got);
    }
    for (int i = 0; i < 40; i++)
        free(keys[i]);
}

/* The PackageIDs a scoped cursor gives, read in batches of 1 to 7 rows
 * chosen by rnd; wql NULL: enumerate the boot images. */
static size_t scoped_keys(smsprov_site *site, const char *wql, unsigned *rnd, char **out)
{
    smsprov_call osd = as("osd");
    smsprov_cursor *c = NULL;
    assert_int_equal(wql ? smsprov_query_open(site, &osd, "WQL", wql, &c, NULL)
                         : smsprov_enumerate_open(site, &osd, BOOT, 0, &c, NULL),
                     SMSPROV_OK);
    smsprov_instance_list got = {0};
    bool end = false;
    while (!end)
        assert_int_equal(smsprov_cursor_read(c, 1 + rand_r(rnd) % 7, &got, &end, NULL),
                         SMSPROV_OK);
    smsprov_cursor_close(c);
    for (size_t i = 0; i < got.count; i++)
        out[i] = cim_xstrdup(cim_instance_get(got.items[i], "PackageID")->u.string);
    size_t n = got.count;
    smsprov_instance_list_clear(&got);
    return n;
}

static void assert_keys(char **got, size_t got_count, char **want, size_t want_count,
                        unsigned seed, const char *what)
{
    if (got_count != want_count)
        fail_msg("%s (seed %u): %zu rows, expected %zu", what, seed, got_count, want_count);
    for (size_t i = 0; i < got_count; i++)
        if (strcmp(got[i], want[i]) != 0)
            fail_msg("%s (seed %u): row %zu is %s, expected %s", what, seed, i, got[i],
                     want[i]);
}

/* A randomized site: boot images in SC_A, in SC_A and a scope the OSD
 * manager does not hold, or only in that one or Default.  Whatever shape
 * the store gives the scope filter, a scoped enumeration and a scoped query
 * with a WHERE, read in batches of random size, give exactly the objects
 * with a membership in SC_A (meeting the WHERE), each once, in key order.
 * The seed is in the failure message. */
static void test_scoped_reads_random(void **state)
{
    fixture *f = *state;
    unsigned seed = (unsigned)getpid() ^ (unsigned)time(NULL), rnd = seed;
    cim_instance *other = spawn(f->site, "SMS_SecuredCategory");
    cim_instance_set_string(other, "CategoryName", "SC_B", NULL);
    char *other_path = must_put(f->site, "root", other);
    char *scope_b = key_of(other_path);
    free(other_path);
    enum { IMAGES = 60 };
    char *keys[IMAGES + 1], *want[IMAGES + 1], *want_d1[IMAGES + 1], *got[IMAGES + 1];
    size_t want_count = 0, d1_count = 0;
    bool visible[IMAGES], d1[IMAGES];
    for (int i = 0; i < IMAGES; i++) {
        cim_instance *img = boot_image(f->site, "random");
        d1[i] = rand_r(&rnd) % 3 == 0;
        cim_instance_set_string(img, "Description", d1[i] ? "d1" : "d0", NULL);
        char *path = must_put(f->site, "root", img);
        keys[i] = key_of(path);
        free(path);
        int kind = rand_r(&rnd) % 4; /* 0: SC_A, 1: SC_A and SC_B, 2: SC_B, 3: Default */
        visible[i] = kind <= 1;
        if (kind <= 1)
            free(must_put(f->site, "root", membership(f->site, f->scope_a, keys[i], 19)));
        if (kind == 1 || kind == 2)
            free(must_put(f->site, "root", membership(f->site, scope_b, keys[i], 19)));
    }
    /* Keys are made in ascending order, after the fixture's two images. */
    want[want_count++] = f->in_key;
    for (int i = 0; i < IMAGES; i++) {
        if (visible[i])
            want[want_count++] = keys[i];
        if (visible[i] && d1[i])
            want_d1[d1_count++] = keys[i];
    }
    size_t n = scoped_keys(f->site, NULL, &rnd, got);
    assert_keys(got, n, want, want_count, seed, "enumeration");
    for (size_t i = 0; i < n; i++)
        free(got[i]);
    n = scoped_keys(f->site, "SELECT PackageID FROM SMS_BootImagePackage WHERE Description = 'd1'",
                    &rnd, got);
    assert_keys(got, n, want_d1, d1_count, seed, "query with WHERE");
    for (size_t i = 0; i < n; i++)
        free(got[i]);
    for (int i = 0; i < IMAGES; i++)
        free(keys[i]);
    free(scope_b);
}

typedef enum expect { ALLOWED, DENIED } expect;

static void check(smsprov_site *site, expect e, smsprov_code rc, const smsprov_error *err,
                  const char *before, const char *what, const char *user)
{
    if (e == DENIED) {
        if (rc != SMSPROV_E_ACCESS_DENIED)
            fail_msg("%s as %s: expected ACCESS_DENIED, got 0x%08x", what, user, (unsigned)rc);
        assert_non_null(err->description);
        assert_non_null(strstr(err->description, user));
        char *after = snapshot(site);
        if (strcmp(before, after) != 0)
            fail_msg("%s as %s was refused but changed the database", what, user);
        free(after);
    } else if (rc == SMSPROV_E_ACCESS_DENIED) {
        fail_msg("%s as %s: refused: %s", what, user, err->description);
    }
}

static cim_instance *described(smsprov_site *site, const char *key, const char *text)
{
    cim_instance *inst = spawn(site, BOOT);
    cim_instance_set_string(inst, "PackageID", key, NULL);
    cim_instance_set_string(inst, "Description", text, NULL);
    return inst;
}

static smsprov_code invoke_as(smsprov_site *site, const char *user, const char *target,
                              const char *method, smsprov_error *err)
{
    smsprov_call call = as(user);
    const cim_class *cls = NULL;
    smsprov_get_class(site, NULL, BOOT, &cls, NULL);
    const cim_method *m = cim_class_find_method(cls, method);
    cim_instance *in = cim_instance_new(m->in_class);
    if (strcmp(method, "DeleteContextID") == 0)
        cim_instance_set_string(in, "ContextID", "{00000000-0000-0000-0000-000000000000}", NULL);
    cim_instance *out = NULL;
    smsprov_code rc = smsprov_invoke(site, &call, target, method, in, &out, err);
    cim_instance_free(in);
    cim_instance_free(out);
    return rc;
}

/* Writes: create, put, delete, an instance method and a static method, on
 * the image in SC_A and the one in Default only. */
static void test_matrix_writes(void **state)
{
    fixture *f = *state;
    static const struct {
        const char *user;
        expect create, in_scope, out_scope;
    } who[] = {
        {"root", ALLOWED, ALLOWED, ALLOWED},
        {"analyst", DENIED, DENIED, DENIED},
        {"osd", ALLOWED, ALLOWED, DENIED},
        {"nobody", DENIED, DENIED, DENIED},
    };
    for (size_t u = 0; u < sizeof who / sizeof who[0]; u++) {
        const char *user = who[u].user;
        smsprov_call call = as(user);
        smsprov_error err = {0};
        char *before = snapshot(f->site);
        /* create */
        char *made = NULL;
        smsprov_code rc = put_as(f->site, user, boot_image(f->site, "made"), &made, &err);
        check(f->site, who[u].create, rc, &err, before, "create", user);
        smsprov_error_clear(&err);
        if (made) {
            /* T13: the OSD manager's new image goes to SC_A, not Default. */
            smsprov_code grc;
            cim_instance *got = get_as(f->site, "root", made, &grc);
            const char *want = strcmp(user, "osd") == 0 ? "SC_A" : "Default";
            assert_true(has_string(cim_instance_get(got, "SecuredScopeNames"), want));
            assert_int_equal(array_count(cim_instance_get(got, "SecuredScopeNames")), 1);
            cim_instance_free(got);
        }
        for (int side = 0; side < 2; side++) {
            const char *path = side ? f->out_scope : f->in_scope;
            const char *key = side ? f->out_key : f->in_key;
            expect e = side ? who[u].out_scope : who[u].in_scope;
            free(before);
            before = snapshot(f->site);
            rc = put_as(f->site, user, described(f->site, key, user), NULL, &err);
            check(f->site, e, rc, &err, before, "put", user);
            smsprov_error_clear(&err);
            free(before);
            before = snapshot(f->site);
            rc = invoke_as(f->site, user, path, "Unlock", &err);
            check(f->site, e, rc, &err, before, "Unlock", user);
            if (e == ALLOWED)
                assert_int_equal(rc, SMSPROV_OK);
            smsprov_error_clear(&err);
            /* delete: a refused one on the real image, an allowed one on a
             * copy in the same scopes (the image stays for the next user) */
            free(before);
            before = snapshot(f->site);
            if (e == DENIED) {
                rc = smsprov_delete(f->site, &call, path, &err);
                check(f->site, e, rc, &err, before, "delete", user);
                smsprov_error_clear(&err);
            } else {
                char *copy = must_put(f->site, "root", boot_image(f->site, "copy"));
                char *ckey = key_of(copy);
                if (!side) {
                    free(must_put(f->site, "root", membership(f->site, f->scope_a, ckey, 19)));
                    char *def = membership_path("SMS00UNA", ckey, 19);
                    smsprov_call root = as("root");
                    assert_int_equal(smsprov_delete(f->site, &root, def, NULL), SMSPROV_OK);
                    free(def);
                }
                assert_int_equal(smsprov_delete(f->site, &call, copy, &err), SMSPROV_OK);
                free(copy);
                free(ckey);
            }
        }
        /* a static method that changes the site's state */
        free(before);
        before = snapshot(f->site);
        rc = invoke_as(f->site, user, BOOT, "DeleteContextID", &err);
        check(f->site, who[u].create, rc, &err, before, "DeleteContextID", user);
        smsprov_error_clear(&err);
        /* membership methods: the OSD manager cannot put its image into
         * Default, which is not one of its scopes; the analyst nothing */
        free(before);
        before = snapshot(f->site);
        rc = put_as(f->site, user, membership(f->site, "SMS00UNA", f->in_key, 19), NULL, &err);
        check(f->site, strcmp(user, "root") == 0 ? ALLOWED : DENIED, rc, &err, before,
              "add membership", user);
        smsprov_error_clear(&err);
        if (rc == SMSPROV_OK) {
            char *def = membership_path("SMS00UNA", f->in_key, 19);
            assert_int_equal(smsprov_delete(f->site, &call, def, NULL), SMSPROV_OK);
            free(def);
        }
        free(before);
        free(made);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_builtins_and_first_admin, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reopen_keeps_admins, setup, teardown),
        cmocka_unit_test_setup_teardown(test_backfill_on_open, setup, teardown),
        cmocka_unit_test_setup_teardown(test_admin_rules, setup, teardown),
        cmocka_unit_test_setup_teardown(test_custom_role, setup, teardown),
        cmocka_unit_test_setup_teardown(test_scope_membership, setup, teardown),
        cmocka_unit_test_setup_teardown(test_matrix_reads, setup, teardown),
        cmocka_unit_test_setup_teardown(test_matrix_writes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_scoped_cursor_batches, setup, teardown),
        cmocka_unit_test_setup_teardown(test_scoped_reads_random, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
