/* bench_cimxml_seed.c - fills a site database with N boot image packages
 * (one committed put each, through the provider API) for bench_cimxml.sh.
 * Usage: bench_cimxml_seed DB [N] [MOF_DIR]   (N defaults to 10000). */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "smsprov/provider.h"

static void die(const char *what, smsprov_error *err)
{
    fprintf(stderr, "bench_cimxml_seed: %s failed: %s\n", what,
            err->description ? err->description : "?");
    exit(1);
}

static void set_text(cim_instance *inst, const char *name, const char *value)
{
    smsprov_error err = {0};
    if (cim_instance_set_string(inst, name, value, &err) != SMSPROV_OK)
        die(name, &err);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_cimxml_seed DB [N] [MOF_DIR]\n");
        return 2;
    }
    long n = argc > 2 ? atol(argv[2]) : 10000;
    unlink(argv[1]);
    smsprov_site_config config = {.database_path = argv[1], .mof_dir = argc > 3 ? argv[3] : NULL};
    smsprov_site *site = NULL;
    smsprov_error err = {0};
    if (smsprov_site_open(&config, &site, &err) != SMSPROV_OK)
        die("open", &err);
    const cim_class *cls = NULL;
    if (smsprov_get_class(site, NULL, "SMS_BootImagePackage", &cls, &err) != SMSPROV_OK)
        die("get class", &err);
    for (long i = 0; i < n; i++) {
        cim_instance *inst = cim_instance_new(cls);
        char text[96];
        snprintf(text, sizeof text, "Boot image %ld (x64)", i);
        set_text(inst, "Name", text);
        snprintf(text, sizeof text, "WinPE 10.0.22621 for lab build %ld", i);
        set_text(inst, "Description", text);
        set_text(inst, "Language", "en-US");
        if (smsprov_put(site, NULL, inst, SMSPROV_PUT_CREATE_ONLY, NULL, NULL, &err) != SMSPROV_OK)
            die("create", &err);
        cim_instance_free(inst);
    }
    smsprov_site_close(site);
    printf("bench_cimxml_seed: %ld boot image packages in %s\n", n, argv[1]);
    return 0;
}
