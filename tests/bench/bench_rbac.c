/* bench_rbac.c - what the security scope filter costs an enumeration.
 *
 * Site A: N boot image packages (default 100,000) spread round-robin over
 * 50 security scopes, one membership each; an OSD manager holds 5 of the
 * scopes, so it sees N/10 of them.  Site B: only those N/10 packages, same
 * rows, no other.  Timed, each the median of RUNS full enumerations of
 * SMS_BootImagePackage through the provider API's cursor (batches of BATCH
 * instances, as the doors read):
 *   scoped     the OSD manager on site A (the filter joins the membership
 *              table in SQL)
 *   matching   a Full Administrator on site B: the same enumeration of the
 *              matching rows, no filter
 *   where      a Full Administrator on site A with a WQL WHERE selecting
 *              the same rows by Description (for comparison)
 * and the ratio scoped / matching (the goal is at most 1.2).  Times are
 * CPU seconds of this process, the median and the best of the runs.
 *
 * The packages and memberships are written straight through the store in
 * large transactions (a put per package would take most of an hour); the
 * scopes and the administrative user go through the provider API.
 *
 * Usage: bench_rbac [N] [WORKDIR] [RUNS] [BATCH]   (defaults 100000, ., 5,
 * 512). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sms/site.h"

#define SCOPES 50
#define USER_SCOPES 5

/* Process CPU time: the machine this runs on is shared, and wall time
 * there measures the neighbours as much as the filter. */
static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what, const smsprov_error *err)
{
    fprintf(stderr, "bench_rbac: %s failed: %s\n", what,
            err && err->description ? err->description : "?");
    exit(1);
}

static smsprov_site *open_site(const char *db)
{
    unlink(db);
    smsprov_site_config config = {.database_path = db, .first_admin = "fulladmin"};
    smsprov_site *site = NULL;
    smsprov_error err = {0};
    if (smsprov_site_open(&config, &site, &err) != SMSPROV_OK)
        die("open", &err);
    return site;
}

static const cim_class *site_class(smsprov_site *site, const char *name)
{
    const cim_class *cls = NULL;
    smsprov_error err = {0};
    if (smsprov_get_class(site, NULL, name, &cls, &err) != SMSPROV_OK)
        die(name, &err);
    return cls;
}

/* The 50 scopes, through the provider; their IDs into ids. */
static void make_scopes(smsprov_site *site, char ids[SCOPES][16])
{
    for (int s = 0; s < SCOPES; s++) {
        cim_instance *inst = cim_instance_new(site_class(site, "SMS_SecuredCategory"));
        char name[32];
        snprintf(name, sizeof name, "Scope %02d", s);
        cim_instance_set_string(inst, "CategoryName", name, NULL);
        char *path = NULL;
        smsprov_error err = {0};
        if (smsprov_put(site, NULL, inst, SMSPROV_PUT_CREATE_ONLY, NULL, &path, &err))
            die("create scope", &err);
        sscanf(strchr(path, '"') + 1, "%15[^\"]", ids[s]);
        free(path);
        cim_instance_free(inst);
    }
}

/* The OSD manager: role SMS000AR in the first USER_SCOPES scopes. */
static void make_user(smsprov_site *site, char ids[SCOPES][16])
{
    cim_instance *admin = cim_instance_new(site_class(site, "SMS_Admin"));
    cim_instance_set_string(admin, "LogonName", "osd", NULL);
    cim_value perms = cim_value_array(CIM_TYPE_OBJECT);
    for (int s = 0; s < USER_SCOPES; s++) {
        cim_instance *p = cim_instance_new(site_class(site, "SMS_APermission"));
        cim_instance_set_string(p, "RoleID", "SMS000AR", NULL);
        cim_instance_set_string(p, "CategoryID", ids[s], NULL);
        cim_instance_set_uint(p, "CategoryTypeID", 29, NULL);
        cim_value v = cim_value_object(p);
        cim_value_array_append_take(&perms, &v);
    }
    cim_instance_set(admin, "Permissions", &perms, NULL);
    cim_value_clear(&perms);
    smsprov_error err = {0};
    if (smsprov_put(site, NULL, admin, SMSPROV_PUT_CREATE_ONLY, NULL, NULL, &err))
        die("create admin", &err);
    cim_instance_free(admin);
}

/* Package i is in scope i % SCOPES; only_user: write just those the user
 * sees. */
static void seed(smsprov_site *site, long n, char ids[SCOPES][16], bool only_user)
{
    const cim_class *boot = site_class(site, "SMS_BootImagePackage");
    const cim_class *member = site_class(site, "SMS_SecuredCategoryMembership");
    store_txn *txn = NULL;
    smsprov_error err = {0};
    for (long i = 0; i < n; i++) {
        int s = (int)(i % SCOPES);
        if (only_user && s >= USER_SCOPES)
            continue;
        if (!txn && store_begin(site->store, true, &txn, &err))
            die("begin", &err);
        char key[32], text[64];
        snprintf(key, sizeof key, "LAB%05lX", (unsigned long)(i + 1) & 0xFFFFFul);
        cim_instance *pkg = cim_instance_spawn(boot);
        cim_instance_set_string(pkg, "PackageID", key, NULL);
        snprintf(text, sizeof text, "Boot image %ld (x64)", i);
        cim_instance_set_string(pkg, "Name", text, NULL);
        snprintf(text, sizeof text, "scope %02d", s);
        cim_instance_set_string(pkg, "Description", text, NULL);
        cim_instance_set_uint(pkg, "PackageType", 258, NULL);
        cim_instance *m = cim_instance_new(member);
        cim_instance_set_string(m, "CategoryID", ids[s], NULL);
        cim_instance_set_string(m, "ObjectKey", key, NULL);
        cim_instance_set_uint(m, "ObjectTypeID", 19, NULL);
        if (store_insert(txn, pkg, &err) || store_insert(txn, m, &err))
            die("insert", &err);
        cim_instance_free(pkg);
        cim_instance_free(m);
        if (i % 10000 == 9999) {
            if (store_commit(txn, &err))
                die("commit", &err);
            txn = NULL;
        }
    }
    if (txn && store_commit(txn, &err))
        die("commit", &err);
}

static smsprov_take drop(void *data, cim_instance *take)
{
    (*(long *)data)++;
    cim_instance_free(take);
    return SMSPROV_TAKE_NEXT;
}

/* Seconds for one full read as user (NULL query: enumerate). */
static size_t batch = 512;

static double read_all(smsprov_site *site, const char *user, const char *query, long *rows)
{
    smsprov_call call = {.user = user};
    smsprov_cursor *c = NULL;
    smsprov_error err = {0};
    double t0 = now_s();
    smsprov_code rc = query ? smsprov_query_open(site, &call, "WQL", query, &c, &err)
                            : smsprov_enumerate_open(site, &call, "SMS_BootImagePackage",
                                                     SMSPROV_ENUM_DEEP, &c, &err);
    if (rc)
        die("open cursor", &err);
    bool end = false;
    *rows = 0;
    while (!end)
        if (smsprov_cursor_next(c, batch, drop, rows, &end, &err))
            die("read", &err);
    smsprov_cursor_close(c);
    return now_s() - t0;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The median of runs full reads, and in *best the fastest: on a shared
 * machine the best is the steadier of the two. */
static double median(smsprov_site *site, const char *user, const char *query, int runs,
                     long *rows, double *best)
{
    double t[32];
    read_all(site, user, query, rows); /* warm the page cache */
    for (int r = 0; r < runs; r++)
        t[r] = read_all(site, user, query, rows);
    qsort(t, (size_t)runs, sizeof t[0], by_value);
    *best = t[0];
    return t[runs / 2];
}

/* CPU microseconds per get by key: what reading the caller's roles and
 * scopes adds to the cheapest call. */
static double get_us(smsprov_site *site, const char *user, int count)
{
    smsprov_call call = {.user = user};
    smsprov_error err = {0};
    double t0 = now_s();
    for (int i = 0; i < count; i++) {
        char path[64];
        snprintf(path, sizeof path, "SMS_BootImagePackage.PackageID=\"LAB%05X\"",
                 (unsigned)(i % 10 * SCOPES + 1));
        cim_instance *inst = NULL;
        if (smsprov_get(site, user ? &call : NULL, path, &inst, &err))
            die("get", &err);
        cim_instance_free(inst);
    }
    return (now_s() - t0) / count * 1e6;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 100000;
    const char *dir = argc > 2 ? argv[2] : ".";
    int runs = argc > 3 ? atoi(argv[3]) : 5;
    if (argc > 4)
        batch = (size_t)atol(argv[4]);
    if (n < SCOPES || runs < 1 || runs > 31) {
        fprintf(stderr, "usage: bench_rbac [N >= 50] [WORKDIR] [RUNS 1..31]\n");
        return 2;
    }
    char ids[SCOPES][16];
    char *db_a = cim_xasprintf("%s/bench_rbac_all.db", dir);
    char *db_b = cim_xasprintf("%s/bench_rbac_matching.db", dir);
    smsprov_site *a = open_site(db_a), *b = open_site(db_b);
    make_scopes(a, ids);
    make_user(a, ids);
    make_scopes(b, ids);
    double t0 = now_s();
    seed(a, n, ids, false);
    seed(b, n, ids, true);
    printf("bench_rbac: seeded %ld packages over %d scopes (+ %ld matching) in %.1f s\n", n,
           SCOPES, n / SCOPES * USER_SCOPES, now_s() - t0);

    cim_buf where = {0};
    cim_buf_append(&where, "SELECT * FROM SMS_BootImagePackage WHERE Description IN (");
    for (int s = 0; s < USER_SCOPES; s++)
        cim_buf_printf(&where, "%s'scope %02d'", s ? ", " : "", s);
    cim_buf_append(&where, ")");
    char *query = cim_buf_take(&where);

    long rows_scoped = 0, rows_matching = 0, rows_where = 0;
    double best_scoped = 0, best_matching = 0, best_where = 0;
    double scoped = median(a, "osd", NULL, runs, &rows_scoped, &best_scoped);
    double matching = median(b, "fulladmin", NULL, runs, &rows_matching, &best_matching);
    double with_where = median(a, "fulladmin", query, runs, &rows_where, &best_where);
    printf("scoped    (OSD manager, 5 of 50 scopes, %ld packages): %ld rows in %.3f s CPU "
           "(best %.3f)\n",
           n, rows_scoped, scoped, best_scoped);
    printf("matching  (Full Administrator, site of the matching rows only): %ld rows in %.3f s "
           "CPU (best %.3f)\n",
           rows_matching, matching, best_matching);
    printf("where     (Full Administrator, WQL WHERE Description IN (...)): %ld rows in %.3f s "
           "CPU (best %.3f)\n",
           rows_where, with_where, best_where);
    printf("ratio scoped / matching = %.2f, best %.2f (goal <= 1.2); scoped / where = %.2f\n",
           scoped / matching, best_scoped / best_matching, scoped / with_where);
    printf("get by key: %.1f us as the site, %.1f us as the Full Administrator, %.1f us as "
           "the OSD manager (CPU)\n",
           get_us(a, NULL, 5000), get_us(a, "fulladmin", 5000), get_us(a, "osd", 5000));
    free(query);
    smsprov_site_close(a);
    smsprov_site_close(b);
    free(db_a);
    free(db_b);
    return rows_scoped == rows_matching && rows_scoped == rows_where ? 0 : 1;
}
