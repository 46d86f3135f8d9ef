/* fixture.c - the unit tests' shared scratch folders and whole-file reads
 * and writes (test_fixture.h). */
#define _XOPEN_SOURCE 700 /* nftw */
#include "test_fixture.h"

#include <errno.h>
#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    remove(path);
    return 0;
}

void fixture_remove_tree(const char *dir)
{
    nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* mkdir -p: every parent of path, then path itself when whole. */
static int make_dirs(const char *path, bool whole)
{
    char *copy = strdup(path);
    if (!copy)
        return -1;
    int rc = 0;
    for (char *p = copy + 1; *p && rc == 0; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(copy, 0755) != 0 && errno != EEXIST)
            rc = -1;
        *p = '/';
    }
    if (rc == 0 && whole && mkdir(copy, 0755) != 0 && errno != EEXIST)
        rc = -1;
    free(copy);
    return rc;
}

int fixture_make_scratch(const char *dir)
{
    fixture_remove_tree(dir);
    return make_dirs(dir, true);
}

char *fixture_slurp_optional(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t len = 0, cap = 4096;
    char *data = malloc(cap);
    assert_non_null(data);
    size_t n;
    while ((n = fread(data + len, 1, cap - len - 1, f)) > 0) {
        len += n;
        if (cap - len - 1 == 0) {
            cap *= 2;
            data = realloc(data, cap);
            assert_non_null(data);
        }
    }
    int failed = ferror(f);
    fclose(f);
    if (failed)
        fail_msg("reading %s failed", path);
    data[len] = '\0';
    if (size)
        *size = len;
    return data;
}

char *fixture_slurp(const char *path, size_t *size)
{
    char *data = fixture_slurp_optional(path, size);
    if (!data)
        fail_msg("%s cannot be opened: %s", path, strerror(errno));
    return data;
}

void fixture_write(const char *path, const void *data, size_t size)
{
    if (make_dirs(path, false) != 0)
        fail_msg("the folders of %s cannot be made: %s", path, strerror(errno));
    FILE *f = fopen(path, "wb");
    if (!f)
        fail_msg("%s cannot be written: %s", path, strerror(errno));
    size_t written = size ? fwrite(data, 1, size, f) : 0;
    if (fclose(f) != 0 || written != size)
        fail_msg("writing %s failed", path);
}

void fixture_write_text(const char *path, const char *text)
{
    fixture_write(path, text, strlen(text));
}
