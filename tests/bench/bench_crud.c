/* bench_crud.c - create N boot image packages through the provider API, one
 * committed put each, then enumerate them all and get each by key.  Prints
 * the time per operation.  Usage: bench_crud [N] [DB] (default 10000). */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "smsprov/provider.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what, const smsprov_error *err)
{
    fprintf(stderr, "bench_crud: %s failed: %s\n", what, err->description);
    exit(1);
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 10000;
    const char *db = argc > 2 ? argv[2] : "bench_crud.db";
    unlink(db);
    smsprov_site_config config = {.database_path = db};
    smsprov_site *site = NULL;
    smsprov_error err = {0};
    if (smsprov_site_open(&config, &site, &err) != SMSPROV_OK)
        die("open", &err);
    const cim_class *cls = NULL;
    smsprov_get_class(site, NULL, "SMS_BootImagePackage", &cls, NULL);

    char **paths = calloc((size_t)n, sizeof *paths);
    double t0 = now_s();
    for (long i = 0; i < n; i++) {
        cim_instance *inst = cim_instance_new(cls);
        char name[64];
        snprintf(name, sizeof name, "Boot image %ld (x64)", i);
        cim_instance_set_string(inst, "Name", name, NULL);
        cim_instance_set_string(inst, "Description", "created by bench_crud", NULL);
        cim_instance_set_uint(inst, "ImageIndex", 1, NULL);
        if (smsprov_put(site, NULL, inst, SMSPROV_PUT_CREATE_ONLY, NULL, &paths[i], &err) !=
            SMSPROV_OK)
            die("create", &err);
        cim_instance_free(inst);
    }
    double t1 = now_s();
    smsprov_instance_list list = {0};
    if (smsprov_enumerate(site, NULL, "SMS_BootImagePackage", SMSPROV_ENUM_DEEP, &list, &err) !=
        SMSPROV_OK)
        die("enumerate", &err);
    double t2 = now_s();
    srand(42);
    for (long i = 0; i < n; i++) {
        cim_instance *inst = NULL;
        if (smsprov_get(site, NULL, paths[rand() % n], &inst, &err) != SMSPROV_OK)
            die("get", &err);
        cim_instance_free(inst);
    }
    double t3 = now_s();

    printf("instances            %ld\n", n);
    printf("create (1 commit)    %8.1f us/op   %8.0f ops/s\n", (t1 - t0) / n * 1e6, n / (t1 - t0));
    printf("enumerate all        %8.1f ms total %7.2f us/instance (%zu returned)\n",
           (t2 - t1) * 1e3, (t2 - t1) / n * 1e6, list.count);
    printf("get by key           %8.1f us/op   %8.0f ops/s\n", (t3 - t2) / n * 1e6, n / (t3 - t2));
    smsprov_instance_list_clear(&list);
    for (long i = 0; i < n; i++)
        free(paths[i]);
    free(paths);
    smsprov_site_close(site);
    return 0;
}
