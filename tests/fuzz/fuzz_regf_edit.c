/* fuzz_regf_edit.c - libFuzzer target for the hive editor (regf_edit.h).
 *
 * A hive comes from an image someone else built: every input is written
 * as a hive file (under /dev/shm) and opened; one that opens gets a key,
 * a REG_SZ replacing one that may exist, a REG_DWORD and a REG_MULTI_SZ,
 * and is committed.  What the editor wrote must open again: an accepted
 * hive never becomes one it refuses. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "osd/regf_edit.h"

static char path[256];

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    snprintf(path, sizeof path, "/dev/shm/fuzz_regf_edit_%ld", (long)getpid());
    return 0;
}

static void edit(osd_regf *r)
{
    smsprov_error err = {0};
    const char *lines[] = {"wpeinit", "x"};
    /* Each step may fail on a damaged key; the next still runs, as the
     * hive in memory must stay consistent after a refusal. */
    (void)osd_regf_add_key(r, "ControlSet001\\Control\\Windows", &err);
    smsprov_error_clear(&err);
    (void)osd_regf_set_string(r, "Microsoft\\SMS", "Path", "second value", &err);
    smsprov_error_clear(&err);
    (void)osd_regf_set_dword(r, "", "Count", 7, &err);
    smsprov_error_clear(&err);
    (void)osd_regf_set_multi_string(r, "Setup", "CmdLines", lines, 2, &err);
    smsprov_error_clear(&err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0) {
        perror(path);
        abort();
    }
    smsprov_error err = {0};
    osd_regf *r = NULL;
    if (osd_regf_open(path, &r, &err) == SMSPROV_OK) {
        edit(r);
        if (osd_regf_commit(r, &err) != SMSPROV_OK)
            abort();
        osd_regf_close(r);
        r = NULL;
        if (osd_regf_open(path, &r, &err) != SMSPROV_OK) {
            fprintf(stderr, "the edited hive was refused: %s\n", err.description);
            abort();
        }
        osd_regf_close(r);
    }
    smsprov_error_clear(&err);
    remove(path);
    return 0;
}
