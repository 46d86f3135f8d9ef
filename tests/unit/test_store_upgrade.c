/* test_store_upgrade.c - reopening a database with a changed MOF adds what
 * is missing and keeps every row; the meta tables; databases that cannot be
 * used are refused with a sentence naming the file. */
#include "test_store_util.h"

static const char mof_v1[] =
    "class Up_Package { [key] string PackageID; string Name; };\n";
/* v2 adds a property and a class. */
static const char mof_v2[] =
    "class Up_Package { [key] string PackageID; string Name; uint32 Size; "
    "string Tags[]; };\n"
    "class Up_New { [key] uint32 Id; };\n";
/* v3 changes the key: the store must refuse it. */
static const char mof_v3[] =
    "class Up_Package { [key] string PackageID; [key] string Name; };\n";

static cim_instance *package(const cim_schema *schema, const char *id, const char *name)
{
    cim_instance *inst = cim_instance_new(test_class(schema, "Up_Package"));
    smsprov_error err = {0};
    test_ok(cim_instance_set_string(inst, "PackageID", id, &err), &err);
    test_ok(cim_instance_set_string(inst, "Name", name, &err), &err);
    return inst;
}

static int64_t schema_version(store *st)
{
    store_txn *txn = test_begin(st, false);
    int64_t v = test_sql_int(txn, "SELECT value FROM smsprov_meta WHERE name = 'schema_version'");
    store_rollback(txn);
    return v;
}

static void test_added_property_and_class(void **state)
{
    (void)state;
    char *path = test_db_path("upgrade");
    smsprov_error err = {0};

    cim_schema *v1 = test_schema_from(mof_v1);
    store *st = test_open(path, v1);
    store_txn *txn = test_begin(st, true);
    cim_instance *old = package(v1, "OLD00001", "Before the upgrade");
    test_insert(txn, old);
    test_commit(txn);
    assert_int_equal(schema_version(st), 1);
    store_close(st);
    cim_instance_free(old);

    /* Reopening with the same MOF changes nothing. */
    st = test_open(path, v1);
    assert_int_equal(schema_version(st), 1);
    store_close(st);

    cim_schema *v2 = test_schema_from(mof_v2);
    st = test_open(path, v2);
    assert_int_equal(schema_version(st), 2);
    const cim_class *pkg = test_class(v2, "Up_Package");
    txn = test_begin(st, true);
    cim_instance *keys = package(v2, "old00001", NULL);
    cim_instance *got = NULL;
    test_ok(store_get(txn, pkg, keys, &got, &err), &err);
    assert_string_equal(test_string(got, "Name"), "Before the upgrade");
    assert_true(cim_instance_get(got, "Size")->is_null);
    assert_true(cim_instance_get(got, "Tags")->is_null);
    cim_instance_free(got);

    cim_instance *fresh = package(v2, "NEW00001", "After the upgrade");
    test_ok(cim_instance_set_uint(fresh, "Size", 42, &err), &err);
    test_insert(txn, fresh);
    cim_instance *added = cim_instance_new(test_class(v2, "Up_New"));
    test_ok(cim_instance_set_uint(added, "Id", 1, &err), &err);
    test_insert(txn, added);
    char *record = test_sql_text(txn, "SELECT properties || '|' || key_properties || '|' || "
                                      "schema_version FROM smsprov_classes WHERE "
                                      "class_name = 'Up_Package'");
    assert_string_equal(record, "PackageID,Name,Size,Tags|PackageID|2");
    free(record);
    test_commit(txn);
    store_close(st);

    /* Back to v1: the extra column stays, with its data, unread. */
    st = test_open(path, v1);
    txn = test_begin(st, false);
    store_query all = {.limit = -1};
    smsprov_instance_list rows = {0};
    test_ok(store_select(txn, test_class(v1, "Up_Package"), &all, &rows, &err), &err);
    assert_int_equal(rows.count, 2);
    assert_int_equal(test_sql_int(txn, "SELECT \"Size\" FROM \"root_test.Up_Package\" "
                                       "WHERE \"PackageID\" = 'NEW00001'"),
                     42);
    test_list_free(&rows);
    store_rollback(txn);
    store_close(st);

    cim_instance_free(added);
    cim_instance_free(fresh);
    cim_instance_free(keys);
    cim_schema_free(v2);
    cim_schema_free(v1);
    test_db_remove(path);
}

static void test_changed_keys_are_refused(void **state)
{
    (void)state;
    char *path = test_db_path("keys");
    smsprov_error err = {0};
    cim_schema *v1 = test_schema_from(mof_v1);
    store *st = test_open(path, v1);
    store_close(st);

    cim_schema *v3 = test_schema_from(mof_v3);
    st = NULL;
    test_fails(store_open(path, v3, &st, &err), SMSPROV_E_INVALID_CLASS, &err,
               "(PackageID) in the database file");
    assert_null(st);
    /* The refused upgrade left the database as it was. */
    st = test_open(path, v1);
    assert_int_equal(schema_version(st), 1);
    store_close(st);
    cim_schema_free(v3);
    cim_schema_free(v1);
    test_db_remove(path);
}

static void test_connection_settings(void **state)
{
    (void)state;
    char *path = test_db_path("settings");
    cim_schema *v1 = test_schema_from(mof_v1);
    store *st = test_open(path, v1);
    store_txn *txn = test_begin(st, false);
    char *mode = test_sql_text(txn, "PRAGMA journal_mode");
    assert_string_equal(mode, "wal");
    free(mode);
    assert_int_equal(test_sql_int(txn, "PRAGMA synchronous"), 2); /* FULL */
    assert_int_equal(test_sql_int(txn, "PRAGMA busy_timeout"), 10000);
    assert_int_equal(test_sql_int(txn, "SELECT value FROM smsprov_meta "
                                       "WHERE name = 'format_version'"),
                     1);
    store_rollback(txn);
    store_close(st);
    cim_schema_free(v1);
    test_db_remove(path);
}

static void test_unusable_files(void **state)
{
    (void)state;
    smsprov_error err = {0};
    cim_schema *v1 = test_schema_from(mof_v1);
    store *st = NULL;

    /* Not a database at all. */
    char *path = test_db_path("garbage");
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    for (int i = 0; i < 4096; i++)
        fputc("not a database "[i % 15], fp);
    fclose(fp);
    test_fails(store_open(path, v1, &st, &err), SMSPROV_E_CRITICAL_ERROR, &err, path);
    assert_null(st);
    test_db_remove(path);

    /* A folder that does not exist. */
    path = cim_xasprintf("%s/no-such-folder/store.db", SMSPROV_TEST_SCRATCH);
    test_fails(store_open(path, v1, &st, &err), SMSPROV_E_FAILED, &err, path);
    assert_null(st);
    free(path);

    /* Written by a newer store. */
    path = test_db_path("newer");
    st = test_open(path, v1);
    store_txn *txn = test_begin(st, true);
    assert_int_equal(sqlite3_exec(store_txn_db(txn),
                                  "UPDATE smsprov_meta SET value = '99' "
                                  "WHERE name = 'format_version'",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    test_commit(txn);
    store_close(st);
    st = NULL;
    test_fails(store_open(path, v1, &st, &err), SMSPROV_E_FAILED, &err, "newer smsprov");
    assert_null(st);
    test_db_remove(path);

    test_fails(store_open(NULL, v1, &st, &err), SMSPROV_E_INVALID_PARAMETER, &err, NULL);
    test_fails(store_open("x.db", NULL, &st, &err), SMSPROV_E_INVALID_PARAMETER, &err, "x.db");
    cim_schema_free(v1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_added_property_and_class),
        cmocka_unit_test(test_changed_keys_are_refused),
        cmocka_unit_test(test_connection_settings),
        cmocka_unit_test(test_unusable_files),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
