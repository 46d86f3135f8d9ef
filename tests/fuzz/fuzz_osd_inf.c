/* fuzz_osd_inf.c - libFuzzer target for INF files.
 *
 * Every input is parsed from memory and each value expanded (%strkey%);
 * one with a [Version] Signature is then written as the INF of a small
 * driver package (a catalog and two drivers beside it, under /dev/shm) and
 * checked as a driver package for x64 and x86, as adding a driver to a
 * boot image does. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "osd/inf.h"

static char dir[256], inf_path[300];

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void write_file(const char *path, const void *data, size_t size)
{
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0) {
        perror(path);
        abort();
    }
}

static void remove_package(void)
{
    const char *files[] = {"E1000.INF", "e1000.cat", "Bin/AMD64/e1000x64.sys", "Bin/e1000.sys",
                           "Bin/AMD64", "Bin", ""};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char path[400];
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        remove(path);
    }
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    snprintf(dir, sizeof dir, "/dev/shm/fuzz_osd_inf_%ld", (long)getpid());
    char path[400];
    mkdir(dir, 0700);
    snprintf(path, sizeof path, "%s/Bin", dir);
    mkdir(path, 0700);
    snprintf(path, sizeof path, "%s/Bin/AMD64", dir);
    mkdir(path, 0700);
    snprintf(path, sizeof path, "%s/e1000.cat", dir);
    write_file(path, "catalog", 7);
    snprintf(path, sizeof path, "%s/Bin/e1000.sys", dir);
    write_file(path, "MZ driver", 9);
    snprintf(path, sizeof path, "%s/Bin/AMD64/e1000x64.sys", dir);
    write_file(path, "MZ x64 driver", 13);
    snprintf(inf_path, sizeof inf_path, "%s/E1000.INF", dir);
    atexit(remove_package);
    return 0;
}

static void expand_all(const osd_inf *inf)
{
    for (size_t s = 0; s < inf->section_count; s++) {
        const osd_inf_section *section = &inf->sections[s];
        if (osd_inf_find_section(inf, section->name) == NULL)
            abort(); /* a section it parsed must be found by name */
        for (size_t l = 0; l < section->line_count; l++) {
            const osd_inf_line *line = &section->lines[l];
            if (line->key)
                (void)osd_inf_find(inf, section->name, line->key);
            for (size_t v = 0; v < line->value_count; v++) {
                char *undefined = NULL;
                char *expanded = osd_inf_expand(inf, line->values[v], &undefined);
                if (!expanded == !undefined)
                    abort(); /* exactly one of the two */
                free(expanded);
                free(undefined);
            }
        }
    }
}

static void check_package(osd_arch arch)
{
    osd_driver_info info;
    smsprov_error err = {0};
    if (osd_driver_read(inf_path, "\\\\lab\\drivers\\fuzz\\E1000.INF", arch, &info, &err) !=
            SMSPROV_OK &&
        !err.description) {
        fprintf(stderr, "fuzz_osd_inf: a refused package without a sentence\n");
        abort();
    }
    osd_driver_info_clear(&info);
    smsprov_error_clear(&err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    osd_inf inf;
    smsprov_error err = {0};
    bool package = false;
    if (osd_inf_parse(data, size, "fuzz.inf", &inf, &err) == SMSPROV_OK) {
        expand_all(&inf);
        /* Writing the file costs more than parsing it: only an INF that
         * can get past the first check is read as a package. */
        package = osd_inf_find(&inf, "Version", "Signature") != NULL;
    } else if (!err.description) {
        abort();
    }
    osd_inf_clear(&inf);
    smsprov_error_clear(&err);
    if (package) {
        write_file(inf_path, data, size);
        check_package(OSD_ARCH_X64);
        check_package(OSD_ARCH_X86);
    }
    return 0;
}
