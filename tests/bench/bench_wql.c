/* bench_wql.c - WQL over N SMS_BootImagePackage rows (default 100000),
 * inserted with store_insert in one transaction into a store built from
 * the real mof/ schema.  Prints the time per query for a key lookup (which
 * must use the key index: well under a millisecond), the same lookup on
 * the abstract base class, a LIKE scan, an ORDER BY, a COUNT, and the
 * in-memory path for comparison.
 * Usage: bench_wql [N] [DB] (default 100000, bench_wql.db). */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "mof/mof.h"
#include "store/store.h"
#include "wql/wql.h"

#define SITE_NS "root\\sms\\site_LAB"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void check(smsprov_code rc, const char *what, const smsprov_error *err)
{
    if (rc == SMSPROV_OK)
        return;
    fprintf(stderr, "bench_wql: %s failed: %s\n", what,
            err->description ? err->description : smsprov_code_name(rc));
    exit(1);
}

static void free_list(smsprov_instance_list *list)
{
    for (size_t i = 0; i < list->count; i++)
        cim_instance_free(list->items[i]);
    free(list->items);
    list->items = NULL;
    list->count = 0;
}

static void fill(store *st, const cim_schema *schema, long n)
{
    const cim_class *cls = cim_schema_find_class(schema, SITE_NS, "SMS_BootImagePackage");
    static const char *const arch[] = {"x64", "x86", "arm64"};
    smsprov_error err = {0};
    store_txn *txn = NULL;
    check(store_begin(st, true, &txn, &err), "store_begin", &err);
    double t0 = now_s();
    for (long i = 0; i < n; i++) {
        cim_instance *inst = cim_instance_spawn(cls);
        char id[32], name[64];
        snprintf(id, sizeof id, "LAB%05lX", i);
        snprintf(name, sizeof name, "Boot image %ld (%s)", i, arch[i % 3]);
        cim_instance_set_string(inst, "PackageID", id, NULL);
        cim_instance_set_string(inst, "Name", name, NULL);
        cim_instance_set_string(inst, "Architecture", arch[i % 3], NULL);
        cim_instance_set_uint(inst, "PackageType", 258, NULL);
        cim_instance_set_uint(inst, "Priority", (uint64_t)(1 + i % 3), NULL);
        cim_instance_set_string(inst, "ImageProperty", "<WIM><IMAGE INDEX=\"1\"/></WIM>", NULL);
        check(store_insert(txn, inst, &err), "store_insert", &err);
        cim_instance_free(inst);
    }
    check(store_commit(txn, &err), "store_commit", &err);
    double t1 = now_s();
    printf("insert %ld rows in one transaction: %.2f s (%.1f us/row)\n", n, t1 - t0,
           (t1 - t0) * 1e6 / (double)n);
}

/* Runs text `runs` times and prints the time per run and the row count. */
static void bench(store *st, const cim_schema *schema, const char *label, const char *text,
                  wql_mode mode, int runs)
{
    smsprov_error err = {0};
    size_t rows = 0;
    double t0 = now_s();
    for (int i = 0; i < runs; i++) {
        smsprov_instance_list list = {0};
        check(wql_execute(st, schema, SITE_NS, text, mode, &list, &err), text, &err);
        rows = list.count;
        free_list(&list);
    }
    double per = (now_s() - t0) / runs;
    if (per < 1e-3)
        printf("%-34s %9.1f us/query  %7zu rows  %s\n", label, per * 1e6, rows, text);
    else
        printf("%-34s %9.2f ms/query  %7zu rows  %s\n", label, per * 1e3, rows, text);
}

/* Key lookups of different keys, so no cache of one row flatters them. */
static void bench_key_lookups(store *st, const cim_schema *schema, const char *class_name,
                              long n, int runs)
{
    smsprov_error err = {0};
    srand(1234);
    double t0 = now_s();
    for (int i = 0; i < runs; i++) {
        char text[160];
        snprintf(text, sizeof text, "SELECT * FROM %s WHERE PackageID = 'LAB%05lX'", class_name,
                 (long)rand() % n);
        smsprov_instance_list list = {0};
        check(wql_execute(st, schema, SITE_NS, text, WQL_PUSHDOWN, &list, &err), text, &err);
        if (list.count != 1) {
            fprintf(stderr, "bench_wql: %s found %zu rows\n", text, list.count);
            exit(1);
        }
        free_list(&list);
    }
    double per = (now_s() - t0) / runs;
    printf("%-34s %9.1f us/query  (%d random keys)\n",
           class_name[4] == 'B' ? "key lookup, SMS_BootImagePackage" : "key lookup, base class",
           per * 1e6, runs);
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 100000;
    const char *db = argc > 2 ? argv[2] : "bench_wql.db";
    char wal[512], shm[512];
    snprintf(wal, sizeof wal, "%s-wal", db);
    snprintf(shm, sizeof shm, "%s-shm", db);
    unlink(db);
    unlink(wal);
    unlink(shm);

    smsprov_error err = {0};
    cim_schema *schema = cim_schema_new();
    check(mof_compile_dir(schema, SMSPROV_SOURCE_MOF_DIR "/system", SITE_NS, &err), "mof/system",
          &err);
    check(mof_compile_dir(schema, SMSPROV_SOURCE_MOF_DIR, SITE_NS, &err), "mof/", &err);
    store *st = NULL;
    check(store_open(db, schema, &st, &err), "store_open", &err);
    fill(st, schema, n);

    bench_key_lookups(st, schema, "SMS_BootImagePackage", n, 5000);
    bench_key_lookups(st, schema, "SMS_PackageBaseclass", n, 5000);
    bench(st, schema, "key lookup, fixed key",
          "SELECT * FROM SMS_BootImagePackage WHERE PackageID = 'LAB01234'", WQL_PUSHDOWN, 5000);
    bench(st, schema, "LIKE scan",
          "SELECT * FROM SMS_BootImagePackage WHERE Name LIKE '%x64%'", WQL_PUSHDOWN, 5);
    bench(st, schema, "LIKE scan, names only",
          "SELECT PackageID, Name FROM SMS_BootImagePackage WHERE Name LIKE '%x64%'",
          WQL_PUSHDOWN, 5);
    bench(st, schema, "every row (no WHERE)", "SELECT * FROM SMS_BootImagePackage",
          WQL_PUSHDOWN, 3);
    bench(st, schema, "ORDER BY", "SELECT * FROM SMS_BootImagePackage ORDER BY Name DESC",
          WQL_PUSHDOWN, 3);
    bench(st, schema, "COUNT(*) with WHERE",
          "SELECT COUNT(*) FROM SMS_BootImagePackage WHERE Priority = 2", WQL_PUSHDOWN, 20);
    bench(st, schema, "key lookup, in memory (for scale)",
          "SELECT * FROM SMS_BootImagePackage WHERE PackageID = 'LAB01234'", WQL_IN_MEMORY, 3);

    store_close(st);
    cim_schema_free(schema);
    unlink(db);
    unlink(wal);
    unlink(shm);
    return 0;
}
