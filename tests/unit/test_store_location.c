/* test_store_location.c - naming a store by location: "sqlite:<path>", a
 * plain path, Windows drive paths, and the refusals for what no backend
 * opens. */
#include <sys/stat.h>

#include "test_store_util.h"

static bool exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

static void location_file(void **state)
{
    (void)state;
    assert_string_equal(store_location_file("/var/lib/site.db"), "/var/lib/site.db");
    assert_string_equal(store_location_file("site.db"), "site.db");
    assert_string_equal(store_location_file("sqlite:/var/lib/site.db"), "/var/lib/site.db");
    assert_string_equal(store_location_file("SQLite:rel/site.db"), "rel/site.db");
    /* One letter before the colon is a drive, not a scheme. */
    assert_string_equal(store_location_file("C:\\sites\\lab.db"), "C:\\sites\\lab.db");
    assert_string_equal(store_location_file("c:/sites/lab.db"), "c:/sites/lab.db");
    assert_string_equal(store_location_file("\\\\server\\share\\lab.db"),
                        "\\\\server\\share\\lab.db");
    /* A colon after something that is not a scheme leaves a path. */
    assert_string_equal(store_location_file("./a:b.db"), "./a:b.db");
    assert_string_equal(store_location_file("my site:1.db"), "my site:1.db");
    assert_null(store_location_file("postgresql://db.example/site"));
    assert_null(store_location_file("sqlite:"));
    assert_null(store_location_file(""));
    assert_null(store_location_file(NULL));
}

static void open_by_scheme(void **state)
{
    (void)state;
    cim_schema *schema = test_schema_from(test_store_mof);
    char *path = test_db_path("location");
    char *location = cim_xasprintf("sqlite:%s", path);
    store *st = test_open(location, schema);
    assert_true(exists(path)); /* the file, not a file named "sqlite:..." */

    const cim_class *multi = test_class(schema, "Test_Multi");
    cim_instance *inst = cim_instance_new(multi);
    smsprov_error err = {0};
    test_ok(cim_instance_set_string(inst, "Site", "LAB", &err), &err);
    test_ok(cim_instance_set_sint(inst, "Number", 7, &err), &err);
    store_txn *txn = test_begin(st, true);
    test_ok(store_insert(txn, inst, &err), &err);
    test_commit(txn);
    store_close(st);

    /* The same file opened by its plain path sees the row. */
    st = test_open(path, schema);
    txn = test_begin(st, false);
    uint64_t n = 0;
    test_ok(store_count(txn, multi, NULL, &n, &err), &err);
    assert_int_equal(n, 1);
    store_rollback(txn);
    store_close(st);

    cim_instance_free(inst);
    free(location);
    test_db_remove(path);
    cim_schema_free(schema);
}

static void refusals(void **state)
{
    (void)state;
    cim_schema *schema = test_schema_from(test_store_mof);
    store *st = NULL;
    smsprov_error err = {0};
    test_fails(store_open("postgresql://db.example/site", schema, &st, &err),
               SMSPROV_E_INVALID_PARAMETER, &err, "'postgresql'");
    test_fails(store_open("nosuch:x.db", schema, &st, &err), SMSPROV_E_INVALID_PARAMETER, &err,
               "sqlite:");
    test_fails(store_open("sqlite:", schema, &st, &err), SMSPROV_E_INVALID_PARAMETER, &err,
               "sqlite:/path/to/site.db");
    test_fails(store_open("", schema, &st, &err), SMSPROV_E_INVALID_PARAMETER, &err,
               "sqlite:");
    assert_null(st);
    cim_schema_free(schema);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(location_file),
        cmocka_unit_test(open_by_scheme),
        cmocka_unit_test(refusals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
