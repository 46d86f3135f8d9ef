/* test_store_crud.c - insert, get, update, delete; key families; case-
 * insensitive keys; classes the store refuses; table naming. */
#include "test_store_util.h"

typedef struct fixture {
    char *path;
    cim_schema *schema;
    store *st;
    const cim_class *base, *boot, *os;
} fixture;

static int setup(void **state)
{
    fixture *f = cim_xcalloc(1, sizeof *f);
    f->path = test_db_path("crud");
    f->schema = test_schema_from(test_store_mof);
    f->st = test_open(f->path, f->schema);
    f->base = test_class(f->schema, "Test_PackageBase");
    f->boot = test_class(f->schema, "Test_BootImage");
    f->os = test_class(f->schema, "Test_OSImage");
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    store_close(f->st);
    cim_schema_free(f->schema);
    test_db_remove(f->path);
    free(f);
    return 0;
}

static cim_instance *keys_for(const cim_class *cls, const char *id)
{
    cim_instance *keys = cim_instance_new(cls);
    smsprov_error err = {0};
    test_ok(cim_instance_set_string(keys, "PackageID", id, &err), &err);
    return keys;
}

static uint64_t count_of(store *st, const cim_class *cls)
{
    store_txn *txn = test_begin(st, false);
    store_query q = {.deep = true, .limit = -1};
    uint64_t n = 0;
    smsprov_error err = {0};
    test_ok(store_count(txn, cls, &q, &n, &err), &err);
    store_rollback(txn);
    return n;
}

static void test_storable_classes(void **state)
{
    fixture *f = *state;
    assert_false(store_class_is_storable(f->base));
    assert_true(store_class_is_storable(f->boot));
    assert_false(store_class_is_storable(test_class(f->schema, "Test_Token")));
    assert_true(store_class_is_storable(test_class(f->schema, "Test_Singleton")));
    assert_false(store_class_is_storable(NULL));
}

static void test_insert_get_update_delete(void **state)
{
    fixture *f = *state;
    smsprov_error err = {0};
    cim_instance *inst = test_package(f->boot, "LAB00001", "Boot image (x64)", 3);
    test_ok(cim_instance_set_string(inst, "Architecture", "x64", &err), &err);

    store_txn *txn = test_begin(f->st, true);
    test_insert(txn, inst);
    test_commit(txn);

    /* Get by the concrete class and by the abstract base. */
    txn = test_begin(f->st, false);
    cim_instance *keys = keys_for(f->boot, "LAB00001");
    cim_instance *got = NULL;
    test_ok(store_get(txn, f->boot, keys, &got, &err), &err);
    assert_true(cim_instance_equal(inst, got));
    cim_instance_free(got);
    cim_instance *base_keys = keys_for(f->base, "LAB00001");
    test_ok(store_get(txn, f->base, base_keys, &got, &err), &err);
    assert_ptr_equal(got->cls, f->boot);
    assert_string_equal(test_string(got, "Architecture"), "x64");
    assert_string_equal(test_string(got, "Notes"), "lazy notes"); /* get reads lazy values */
    cim_instance_free(got);
    /* It is not an OS image. */
    cim_instance *os_keys = keys_for(f->os, "LAB00001");
    test_fails(store_get(txn, f->os, os_keys, &got, &err), SMSPROV_E_NOT_FOUND, &err,
               "LAB00001");
    store_rollback(txn);

    /* Update replaces every column. */
    test_ok(cim_instance_set_string(inst, "Name", "Renamed", &err), &err);
    test_ok(cim_instance_set_string(inst, "Architecture", NULL, &err), &err);
    txn = test_begin(f->st, true);
    test_ok(store_update(txn, inst, &err), &err);
    test_commit(txn);
    txn = test_begin(f->st, false);
    test_ok(store_get(txn, f->boot, keys, &got, &err), &err);
    assert_string_equal(test_string(got, "Name"), "Renamed");
    assert_null(test_string(got, "Architecture"));
    assert_true(cim_instance_equal(inst, got));
    cim_instance_free(got);
    store_rollback(txn);

    /* Delete through the abstract base. */
    txn = test_begin(f->st, true);
    test_ok(store_delete(txn, f->base, base_keys, &err), &err);
    test_fails(store_delete(txn, f->base, base_keys, &err), SMSPROV_E_NOT_FOUND, &err,
               "LAB00001");
    test_fails(store_get(txn, f->boot, keys, &got, &err), SMSPROV_E_NOT_FOUND, &err, "does not exist");
    test_fails(store_update(txn, inst, &err), SMSPROV_E_NOT_FOUND, &err, "updated");
    test_commit(txn);
    assert_int_equal(count_of(f->st, f->base), 0);

    cim_instance_free(os_keys);
    cim_instance_free(base_keys);
    cim_instance_free(keys);
    cim_instance_free(inst);
}

static void test_keys_ignore_case(void **state)
{
    fixture *f = *state;
    smsprov_error err = {0};
    cim_instance *inst = test_package(f->boot, "LAB0000A", "Mixed case", 1);
    store_txn *txn = test_begin(f->st, true);
    test_insert(txn, inst);

    cim_instance *lower = keys_for(f->boot, "lab0000a");
    cim_instance *got = NULL;
    test_ok(store_get(txn, f->boot, lower, &got, &err), &err);
    assert_string_equal(test_string(got, "PackageID"), "LAB0000A"); /* spelling kept */
    cim_instance_free(got);

    cim_instance *dup = test_package(f->boot, "Lab0000a", "Duplicate", 2);
    test_fails(store_insert(txn, dup, &err), SMSPROV_E_ALREADY_EXISTS, &err, "already exists");

    /* An update under another spelling finds the row and keeps its key. */
    test_ok(store_update(txn, dup, &err), &err);
    test_ok(store_get(txn, f->boot, lower, &got, &err), &err);
    assert_string_equal(test_string(got, "Name"), "Duplicate");
    assert_string_equal(test_string(got, "PackageID"), "LAB0000A");
    cim_instance_free(got);
    test_commit(txn);
    assert_int_equal(count_of(f->st, f->boot), 1);

    cim_instance_free(dup);
    cim_instance_free(lower);
    cim_instance_free(inst);
}

static void test_key_family_shares_one_key_space(void **state)
{
    fixture *f = *state;
    smsprov_error err = {0};
    cim_instance *boot = test_package(f->boot, "LAB00010", "Boot", 1);
    cim_instance *os = test_package(f->os, "lab00010", "OS image with a taken key", 1);
    store_txn *txn = test_begin(f->st, true);
    test_insert(txn, boot);
    test_fails(store_insert(txn, os, &err), SMSPROV_E_ALREADY_EXISTS, &err, "Test_BootImage");
    test_commit(txn);
    assert_int_equal(count_of(f->st, f->os), 0);
    assert_int_equal(count_of(f->st, f->base), 1);

    /* Once the boot image is gone the key is free for the OS image. */
    txn = test_begin(f->st, true);
    cim_instance *keys = keys_for(f->base, "LAB00010");
    test_ok(store_delete(txn, f->base, keys, &err), &err);
    test_insert(txn, os);
    test_commit(txn);
    txn = test_begin(f->st, false);
    cim_instance *got = NULL;
    test_ok(store_get(txn, f->base, keys, &got, &err), &err);
    assert_ptr_equal(got->cls, f->os);
    cim_instance_free(got);
    store_rollback(txn);

    cim_instance_free(keys);
    cim_instance_free(boot);
    cim_instance_free(os);
}

static void test_two_keys(void **state)
{
    fixture *f = *state;
    smsprov_error err = {0};
    const cim_class *multi = test_class(f->schema, "Test_Multi");
    store_txn *txn = test_begin(f->st, true);
    for (int i = 0; i < 3; i++) {
        cim_instance *inst = cim_instance_new(multi);
        test_ok(cim_instance_set_string(inst, "Site", "LAB", &err), &err);
        test_ok(cim_instance_set_sint(inst, "Number", -i, &err), &err);
        test_ok(cim_instance_set_string(inst, "Data", i == 1 ? "one" : "other", &err), &err);
        test_insert(txn, inst);
        cim_instance_free(inst);
    }
    cim_instance *keys = cim_instance_new(multi);
    test_ok(cim_instance_set_string(keys, "Site", "lab", &err), &err);
    test_ok(cim_instance_set_sint(keys, "Number", -1, &err), &err);
    cim_instance *got = NULL;
    test_ok(store_get(txn, multi, keys, &got, &err), &err);
    assert_string_equal(test_string(got, "Data"), "one");
    cim_instance_free(got);
    test_fails(store_insert(txn, keys, &err), SMSPROV_E_ALREADY_EXISTS, &err, "Test_Multi");

    /* A lookup needs every key. */
    test_ok(cim_instance_set_string(keys, "Site", NULL, &err), &err);
    test_fails(store_get(txn, multi, keys, &got, &err), SMSPROV_E_INVALID_PARAMETER, &err,
               "Site");
    test_commit(txn);
    cim_instance_free(keys);
}

static void test_singleton(void **state)
{
    fixture *f = *state;
    smsprov_error err = {0};
    const cim_class *single = test_class(f->schema, "Test_Singleton");
    cim_instance *inst = cim_instance_new(single);
    test_ok(cim_instance_set_uint(inst, "Value", 7, &err), &err);
    store_txn *txn = test_begin(f->st, true);
    cim_instance *got = NULL;
    test_fails(store_get(txn, single, inst, &got, &err), SMSPROV_E_NOT_FOUND, &err, NULL);
    test_fails(store_update(txn, inst, &err), SMSPROV_E_NOT_FOUND, &err, NULL);
    test_insert(txn, inst);
    test_fails(store_insert(txn, inst, &err), SMSPROV_E_ALREADY_EXISTS, &err, "Test_Singleton");
    test_ok(cim_instance_set_uint(inst, "Value", 8, &err), &err);
    test_ok(store_update(txn, inst, &err), &err);
    test_ok(store_get(txn, single, inst, &got, &err), &err);
    assert_int_equal(cim_instance_get(got, "Value")->u.uint, 8);
    cim_instance_free(got);
    test_ok(store_delete(txn, single, inst, &err), &err);
    test_fails(store_delete(txn, single, inst, &err), SMSPROV_E_NOT_FOUND, &err, NULL);
    test_commit(txn);
    cim_instance_free(inst);
}

static void test_refusals_change_nothing(void **state)
{
    fixture *f = *state;
    smsprov_error err = {0};

    /* A null key. */
    cim_instance *nokey = test_package(f->boot, NULL, "No key", 1);
    store_txn *txn = test_begin(f->st, true);
    test_fails(store_insert(txn, nokey, &err), SMSPROV_E_ILLEGAL_NULL, &err, "PackageID");
    test_fails(store_update(txn, nokey, &err), SMSPROV_E_ILLEGAL_NULL, &err, "PackageID");

    /* Abstract and embedded classes have no table. */
    cim_instance *abstract = test_package(f->base, "LAB00099", "Abstract", 1);
    test_fails(store_insert(txn, abstract, &err), SMSPROV_E_INVALID_CLASS, &err,
               "Test_PackageBase");
    cim_instance *token = cim_instance_new(test_class(f->schema, "Test_Token"));
    test_fails(store_insert(txn, token, &err), SMSPROV_E_INVALID_CLASS, &err, "Test_Token");

    /* A class the schema does not know. */
    cim_class *stranger = cim_class_new("Test_Stranger", NULL, "root\\elsewhere");
    cim_property *key = cim_class_add_property(stranger, "Id", CIM_TYPE_UINT32, false);
    cim_value yes = cim_value_bool(true);
    cim_qualifier_list_set(&key->qualifiers, "key", &yes, CIM_FLAVOR_TOSUBCLASS);
    test_ok(cim_class_finish(stranger, &err), &err);
    cim_instance *strange = cim_instance_new(stranger);
    test_ok(cim_instance_set_uint(strange, "Id", 1, &err), &err);
    test_fails(store_insert(txn, strange, &err), SMSPROV_E_INVALID_CLASS, &err, "Test_Stranger");
    cim_instance *got = NULL;
    test_fails(store_get(txn, stranger, strange, &got, &err), SMSPROV_E_INVALID_CLASS, &err,
               "Test_Stranger");
    test_fails(store_delete(txn, stranger, strange, &err), SMSPROV_E_INVALID_CLASS, &err,
               "Test_Stranger");
    test_commit(txn);

    /* Changes need a write transaction. */
    cim_instance *fine = test_package(f->boot, "LAB00098", "Fine", 1);
    txn = test_begin(f->st, false);
    test_fails(store_insert(txn, fine, &err), SMSPROV_E_INVALID_OPERATION, &err, "write");
    test_fails(store_update(txn, fine, &err), SMSPROV_E_INVALID_OPERATION, &err, "write");
    test_fails(store_delete(txn, f->boot, fine, &err), SMSPROV_E_INVALID_OPERATION, &err,
               "write");
    store_rollback(txn);
    assert_int_equal(count_of(f->st, f->base), 0);

    /* A rolled-back insert leaves nothing behind. */
    txn = test_begin(f->st, true);
    test_insert(txn, fine);
    store_rollback(txn);
    assert_int_equal(count_of(f->st, f->base), 0);
    store_rollback(NULL);

    cim_instance_free(fine);
    cim_instance_free(strange);
    cim_class_free(stranger);
    cim_instance_free(token);
    cim_instance_free(abstract);
    cim_instance_free(nokey);
}

static void test_table_names(void **state)
{
    (void)state;
    char *quoted = store_column_name("Odd\"Name");
    assert_string_equal(quoted, "\"Odd\"\"Name\"");
    free(quoted);

    /* The same class name in two namespaces gets two tables. */
    char *path = test_db_path("names");
    cim_schema *schema = test_schema_from("#pragma namespace(\"\\\\\\\\.\\\\root\\\\one\")\n"
                                          "class Dup { [key] string Id; };\n"
                                          "#pragma namespace(\"\\\\\\\\.\\\\root\\\\two\")\n"
                                          "class Dup { [key] string Id; };\n");
    store *st = test_open(path, schema);
    store_txn *txn = test_begin(st, true);
    assert_int_equal(test_sql_int(txn, "SELECT count(*) FROM sqlite_master WHERE type = 'table' "
                                       "AND name IN ('root_one.Dup', 'root_two.Dup')"),
                     2);
    smsprov_error err = {0};
    cim_instance *a = cim_instance_new(cim_schema_find_class(schema, "root\\one", "Dup"));
    cim_instance *b = cim_instance_new(cim_schema_find_class(schema, "root\\two", "Dup"));
    test_ok(cim_instance_set_string(a, "Id", "same", &err), &err);
    test_ok(cim_instance_set_string(b, "Id", "same", &err), &err);
    test_insert(txn, a);
    test_insert(txn, b); /* separate key spaces */
    test_commit(txn);
    cim_instance_free(a);
    cim_instance_free(b);
    store_close(st);
    cim_schema_free(schema);
    test_db_remove(path);

    /* Namespaces that would map to one table name are refused. */
    path = test_db_path("clash");
    schema = test_schema_from("#pragma namespace(\"\\\\\\\\.\\\\root\\\\a_b\")\n"
                              "class Clash { [key] string Id; };\n"
                              "#pragma namespace(\"\\\\\\\\.\\\\root_a\\\\b\")\n"
                              "class Clash { [key] string Id; };\n");
    st = NULL;
    test_fails(store_open(path, schema, &st, &err), SMSPROV_E_INVALID_CLASS, &err,
               "root_a_b.Clash");
    assert_null(st);
    assert_int_not_equal(access(path, F_OK), 0); /* refused before creating the file */
    cim_schema_free(schema);
    test_db_remove(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_storable_classes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_insert_get_update_delete, setup, teardown),
        cmocka_unit_test_setup_teardown(test_keys_ignore_case, setup, teardown),
        cmocka_unit_test_setup_teardown(test_key_family_shares_one_key_space, setup, teardown),
        cmocka_unit_test_setup_teardown(test_two_keys, setup, teardown),
        cmocka_unit_test_setup_teardown(test_singleton, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refusals_change_nothing, setup, teardown),
        cmocka_unit_test(test_table_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
