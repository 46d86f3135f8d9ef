/* test_store_health.c - the database files pulled away under an open
 * store: a deleted or replaced database refuses writes (reads go on), a
 * truncated -shm refuses everything instead of SIGBUS, the fault handler
 * hears each once, nothing refused changes the file, no later connection
 * creates a new database; and the verified-sources record. */
#include <sys/stat.h>

#include "store/marks.h"
#include "test_store_util.h"

typedef struct faults {
    unsigned count;
    char last[1024];
} faults;

static void on_fault(void *data, const char *sentence)
{
    faults *f = data;
    f->count++;
    snprintf(f->last, sizeof f->last, "%s", sentence);
}

static void insert(store *st, const cim_class *cls, const char *id, smsprov_code expected,
                   const char *needle)
{
    smsprov_error err = {0};
    store_txn *txn = NULL;
    smsprov_code rc = store_begin(st, true, &txn, &err);
    if (rc == SMSPROV_OK) {
        cim_instance *inst = test_package(cls, id, "n", 1);
        rc = store_insert(txn, inst, &err);
        cim_instance_free(inst);
        if (rc == SMSPROV_OK)
            rc = store_commit(txn, &err);
        else
            store_rollback(txn);
    }
    if (expected == SMSPROV_OK)
        test_ok(rc, &err);
    else
        test_fails(rc, expected, &err, needle);
}

static void test_deleted_database_refuses_writes(void **state)
{
    (void)state;
    char *path = test_db_path("health_deleted");
    cim_schema *schema = test_schema_from(test_store_mof);
    const cim_class *boot = test_class(schema, "Test_BootImage");
    store *st = test_open(path, schema);
    faults f = {0};
    store_set_fault_handler(st, on_fault, &f);
    insert(st, boot, "P1", SMSPROV_OK, NULL);
    assert_null(store_fault(st));

    char *wal = cim_xasprintf("%s-wal", path);
    assert_int_equal(unlink(path), 0);
    assert_int_equal(unlink(wal), 0);
    insert(st, boot, "P2", SMSPROV_E_FAILED, "was deleted while the server ran");
    insert(st, boot, "P3", SMSPROV_E_FAILED, "every change is refused");
    assert_int_equal(f.count, 1);
    assert_non_null(strstr(f.last, path));
    assert_non_null(store_fault(st));
    struct stat sb;
    assert_int_not_equal(stat(path, &sb), 0); /* nothing created a new file */

    /* What was acknowledged is still read from the open file. */
    store_txn *txn = test_begin(st, false);
    cim_instance *keys = test_package(boot, "P1", NULL, 0), *got = NULL;
    smsprov_error err = {0};
    test_ok(store_get(txn, boot, keys, &got, &err), &err);
    assert_non_null(got);
    cim_instance_free(got);
    cim_instance_free(keys);
    store_rollback(txn);
    store_close(st);
    free(wal);
    cim_schema_free(schema);
    test_db_remove(path);
}

static void test_replaced_database_refuses_writes(void **state)
{
    (void)state;
    char *path = test_db_path("health_replaced");
    cim_schema *schema = test_schema_from(test_store_mof);
    const cim_class *boot = test_class(schema, "Test_BootImage");
    store *st = test_open(path, schema);
    insert(st, boot, "P1", SMSPROV_OK, NULL);
    char *other = cim_xasprintf("%s.other", path);
    FILE *f = fopen(other, "w");
    assert_non_null(f);
    fclose(f);
    assert_int_equal(rename(other, path), 0);
    insert(st, boot, "P2", SMSPROV_E_FAILED, "was replaced by another file");
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_size, 0); /* the refused write did not reach it */
    store_close(st);
    free(other);
    cim_schema_free(schema);
    test_db_remove(path);
}

static void test_truncated_shm_refuses_everything(void **state)
{
    (void)state;
    char *path = test_db_path("health_shm");
    cim_schema *schema = test_schema_from(test_store_mof);
    const cim_class *boot = test_class(schema, "Test_BootImage");
    store *st = test_open(path, schema);
    faults f = {0};
    store_set_fault_handler(st, on_fault, &f);
    insert(st, boot, "P1", SMSPROV_OK, NULL);
    char *shm = cim_xasprintf("%s-shm", path);
    assert_int_equal(truncate(shm, 0), 0);
    store_txn *txn = NULL;
    smsprov_error err = {0};
    test_fails(store_begin(st, false, &txn, &err), SMSPROV_E_FAILED, &err, "was truncated");
    insert(st, boot, "P2", SMSPROV_E_FAILED, "shared-memory file");
    assert_int_equal(f.count, 1);
    store_close(st); /* no checkpoint through the truncated mapping */

    /* Reopened, the database holds what was acknowledged and nothing else. */
    st = test_open(path, schema);
    uint64_t n = 0;
    txn = test_begin(st, false);
    test_ok(store_count(txn, boot, NULL, &n, &err), &err);
    assert_int_equal(n, 1);
    store_rollback(txn);
    insert(st, boot, "P2", SMSPROV_OK, NULL);
    store_close(st);
    free(shm);
    cim_schema_free(schema);
    test_db_remove(path);
}

static void test_file_marks(void **state)
{
    (void)state;
    char *path = test_db_path("verified");
    cim_schema *schema = test_schema_from(test_store_mof);
    store *st = test_open(path, schema);
    smsprov_error err = {0};
    assert_false(store_mark_matches(st, STORE_MARK_VERIFIED_SOURCE, "/src/boot.wim", "id-1")); /* no table yet */
    test_ok(store_mark_set(st, STORE_MARK_VERIFIED_SOURCE, "/src/boot.wim", "id-1", &err), &err);
    assert_true(store_mark_matches(st, STORE_MARK_VERIFIED_SOURCE, "/src/boot.wim", "id-1"));
    assert_false(store_mark_matches(st, STORE_MARK_VERIFIED_SOURCE, "/src/boot.wim", "id-2"));
    assert_false(store_mark_matches(st, STORE_MARK_VERIFIED_SOURCE, "/src/other.wim", "id-1"));
    test_ok(store_mark_set(st, STORE_MARK_VERIFIED_SOURCE, "/src/boot.wim", "id-2", &err), &err);
    assert_false(store_mark_matches(st, STORE_MARK_VERIFIED_SOURCE, "/src/boot.wim", "id-1"));
    assert_true(store_mark_matches(st, STORE_MARK_VERIFIED_SOURCE, "/src/boot.wim", "id-2"));
    /* Kinds are apart: an export mark of the same path is another mark. */
    assert_false(store_mark_matches(st, STORE_MARK_EXPORT, "/src/boot.wim", "id-2"));
    test_ok(store_mark_set(st, STORE_MARK_EXPORT, "/src/boot.wim", "e-1", &err), &err);
    assert_true(store_mark_matches(st, STORE_MARK_EXPORT, "/src/boot.wim", "e-1"));
    assert_true(store_mark_matches(st, STORE_MARK_VERIFIED_SOURCE, "/src/boot.wim", "id-2"));
    assert_int_equal(store_mark_set(st, STORE_MARK_EXPORT, "", "e-1", &err),
                     SMSPROV_E_INVALID_PARAMETER);
    smsprov_error_clear(&err);
    store_close(st);
    st = test_open(path, schema);
    assert_true(store_mark_matches(st, STORE_MARK_VERIFIED_SOURCE, "/src/boot.wim", "id-2"));
    assert_true(store_mark_matches(st, STORE_MARK_EXPORT, "/src/boot.wim", "e-1"));
    store_close(st);
    cim_schema_free(schema);
    test_db_remove(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_deleted_database_refuses_writes),
        cmocka_unit_test(test_replaced_database_refuses_writes),
        cmocka_unit_test(test_truncated_shm_refuses_everything),
        cmocka_unit_test(test_file_marks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
