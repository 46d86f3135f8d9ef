/* test_store_concurrency.c - four writer threads each inserting 500 rows
 * (keys from a shared counter, into two tables of one key family) while a
 * reader counts; all rows present afterwards and integrity_check ok.  Also:
 * a ninth transaction waits for one of the eight pooled connections. */
#include <pthread.h>
#include <stdatomic.h>
#include <time.h>

#include "test_store_util.h"

enum { WRITERS = 4, ROWS_PER_WRITER = 500 };

typedef struct shared {
    store *st;
    const cim_class *base, *boot, *os;
    atomic_bool writers_done;
    atomic_int failures;
} shared;

typedef struct writer {
    shared *sh;
    int index;
} writer;

/* One transaction per row: take the next number, insert under it. */
static void *write_rows(void *arg)
{
    writer *w = arg;
    shared *sh = w->sh;
    for (int i = 0; i < ROWS_PER_WRITER; i++) {
        smsprov_error err = {0};
        store_txn *txn = NULL;
        uint64_t n = 0;
        smsprov_code rc = store_begin(sh->st, true, &txn, &err);
        if (!rc)
            rc = store_next_counter(txn, "PackageID", &n, &err);
        if (!rc) {
            char id[32], name[32];
            snprintf(id, sizeof id, "CON%05llu", (unsigned long long)n);
            snprintf(name, sizeof name, "writer %d row %d", w->index, i);
            cim_instance *inst = test_package(w->index % 2 ? sh->os : sh->boot, id, name, 1);
            rc = store_insert(txn, inst, &err);
            cim_instance_free(inst);
        }
        if (!rc)
            rc = store_commit(txn, &err);
        else
            store_rollback(txn);
        if (rc) {
            fprintf(stderr, "writer %d row %d: %s\n", w->index, i, err.description);
            atomic_fetch_add(&sh->failures, 1);
        }
        smsprov_error_clear(&err);
    }
    return NULL;
}

/* Counts keep growing while the writers work; a read never fails. */
static void *read_counts(void *arg)
{
    shared *sh = arg;
    uint64_t last = 0;
    store_query q = {.deep = true, .limit = -1};
    while (!atomic_load(&sh->writers_done)) {
        smsprov_error err = {0};
        store_txn *txn = NULL;
        uint64_t n = 0;
        smsprov_code rc = store_begin(sh->st, false, &txn, &err);
        if (!rc) {
            rc = store_count(txn, sh->base, &q, &n, &err);
            store_rollback(txn);
        }
        if (rc || n < last) {
            fprintf(stderr, "reader: %s (count %llu after %llu)\n",
                    err.description ? err.description : "count went down",
                    (unsigned long long)n, (unsigned long long)last);
            atomic_fetch_add(&sh->failures, 1);
        }
        last = n;
        smsprov_error_clear(&err);
    }
    return NULL;
}

static void test_concurrent_writers(void **state)
{
    (void)state;
    char *path = test_db_path("concurrency");
    cim_schema *schema = test_schema_from(test_store_mof);
    shared sh = {.st = test_open(path, schema)};
    sh.base = test_class(schema, "Test_PackageBase");
    sh.boot = test_class(schema, "Test_BootImage");
    sh.os = test_class(schema, "Test_OSImage");
    atomic_init(&sh.writers_done, false);
    atomic_init(&sh.failures, 0);

    pthread_t reader, threads[WRITERS];
    writer writers[WRITERS];
    assert_int_equal(pthread_create(&reader, NULL, read_counts, &sh), 0);
    for (int i = 0; i < WRITERS; i++) {
        writers[i] = (writer){.sh = &sh, .index = i};
        assert_int_equal(pthread_create(&threads[i], NULL, write_rows, &writers[i]), 0);
    }
    for (int i = 0; i < WRITERS; i++)
        pthread_join(threads[i], NULL);
    atomic_store(&sh.writers_done, true);
    pthread_join(reader, NULL);
    assert_int_equal(atomic_load(&sh.failures), 0);

    /* Every number from 1 to 2000 was used exactly once, split over the
     * two tables. */
    store_txn *txn = test_begin(sh.st, false);
    smsprov_error err = {0};
    store_query deep = {.deep = true, .limit = -1};
    smsprov_instance_list rows = {0};
    test_ok(store_select(txn, sh.base, &deep, &rows, &err), &err);
    assert_int_equal(rows.count, WRITERS * ROWS_PER_WRITER);
    size_t boot = 0;
    for (size_t i = 0; i < rows.count; i++) {
        char id[32];
        snprintf(id, sizeof id, "CON%05zu", i + 1);
        assert_string_equal(test_string(rows.items[i], "PackageID"), id);
        boot += rows.items[i]->cls == sh.boot;
    }
    assert_int_equal(boot, WRITERS / 2 * ROWS_PER_WRITER);
    test_list_free(&rows);
    char *check = test_sql_text(txn, "PRAGMA integrity_check");
    assert_string_equal(check, "ok");
    free(check);
    store_rollback(txn);

    store_close(sh.st);
    cim_schema_free(schema);
    test_db_remove(path);
}

typedef struct waiter {
    store *st;
    atomic_bool began;
} waiter;

static void *begin_one_more(void *arg)
{
    waiter *w = arg;
    store_txn *txn = test_begin(w->st, false);
    atomic_store(&w->began, true);
    store_rollback(txn);
    return NULL;
}

static void test_ninth_transaction_waits(void **state)
{
    (void)state;
    char *path = test_db_path("pool");
    cim_schema *schema = test_schema_from(test_store_mof);
    store *st = test_open(path, schema);
    store_txn *held[8];
    for (int i = 0; i < 8; i++)
        held[i] = test_begin(st, false);

    waiter w = {.st = st};
    atomic_init(&w.began, false);
    pthread_t thread;
    assert_int_equal(pthread_create(&thread, NULL, begin_one_more, &w), 0);
    struct timespec pause = {.tv_sec = 0, .tv_nsec = 200 * 1000 * 1000};
    nanosleep(&pause, NULL);
    assert_false(atomic_load(&w.began));
    store_rollback(held[0]);
    pthread_join(thread, NULL);
    assert_true(atomic_load(&w.began));
    for (int i = 1; i < 8; i++)
        store_rollback(held[i]);
    store_close(st);
    cim_schema_free(schema);
    test_db_remove(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_concurrent_writers),
        cmocka_unit_test(test_ninth_transaction_waits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
