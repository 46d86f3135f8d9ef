/* test_store_counter.c - persistent counters: increments, independence,
 * rollback gives the number back, values survive a reopen. */
#include "test_store_util.h"

static uint64_t next(store_txn *txn, const char *name)
{
    uint64_t n = 0;
    smsprov_error err = {0};
    test_ok(store_next_counter(txn, name, &n, &err), &err);
    return n;
}

static void test_counters(void **state)
{
    (void)state;
    char *path = test_db_path("counter");
    cim_schema *schema = test_schema_from(test_store_mof);
    store *st = test_open(path, schema);
    smsprov_error err = {0};

    store_txn *txn = test_begin(st, true);
    assert_int_equal(next(txn, "PackageID"), 1);
    assert_int_equal(next(txn, "PackageID"), 2);
    assert_int_equal(next(txn, "Other"), 1);
    test_commit(txn);

    /* A rolled-back create does not burn its number. */
    txn = test_begin(st, true);
    assert_int_equal(next(txn, "PackageID"), 3);
    store_rollback(txn);
    txn = test_begin(st, true);
    assert_int_equal(next(txn, "PackageID"), 3);
    test_commit(txn);

    /* Errors change nothing. */
    txn = test_begin(st, false);
    uint64_t n = 77;
    test_fails(store_next_counter(txn, "PackageID", &n, &err), SMSPROV_E_INVALID_OPERATION, &err,
               "write");
    assert_int_equal(n, 77);
    store_rollback(txn);
    txn = test_begin(st, true);
    test_fails(store_next_counter(txn, "", &n, &err), SMSPROV_E_INVALID_PARAMETER, &err, "name");
    test_fails(store_next_counter(txn, NULL, &n, &err), SMSPROV_E_INVALID_PARAMETER, &err,
               "name");
    test_commit(txn);
    store_close(st);

    /* Committed values survive a reopen. */
    st = test_open(path, schema);
    txn = test_begin(st, true);
    assert_int_equal(next(txn, "PackageID"), 4);
    assert_int_equal(next(txn, "Other"), 2);
    test_commit(txn);
    store_close(st);

    cim_schema_free(schema);
    test_db_remove(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_counters),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
