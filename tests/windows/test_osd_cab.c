/* test_osd_cab.c - osd_cab_extract on Windows: cabinet.dll's FDI (Wine's
 * implementation here) extracting cabinets gcab made on the Linux side
 * (make_cabs.sh, SMSPROV_TEST_CABS), refusing names that leave the
 * destination, and naming what is wrong with a file that is no cabinet. */
#include <windows.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "harness.h"
#include "osd/cab.h"
#include "osd/fs.h"

static char *cabs_dir(void)
{
    return harness_windows_path(harness_required_env("SMSPROV_TEST_CABS"));
}

/* A fresh, empty destination under the scratch folder (caller frees). */
static char *fresh_dest(const char *name)
{
    char *scratch = harness_windows_path(harness_required_env("SMSPROV_WINDOWS_SCRATCH"));
    char *dest = cim_xasprintf("%s\\cab-%s", scratch, name);
    smsprov_error err = {0};
    if (osd_fs_exists(dest))
        assert_int_equal(osd_fs_remove_tree(dest, &err), SMSPROV_OK);
    assert_int_equal(osd_fs_make_dirs(dest, &err), SMSPROV_OK);
    free(scratch);
    return dest;
}

static char *read_text(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char buf[256];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    return cim_xstrdup(buf);
}

static void assert_file(const char *dest, const char *name, const char *text)
{
    char *path = cim_xasprintf("%s\\%s", dest, name);
    char *got = read_text(path);
    assert_non_null(got);
    assert_string_equal(got, text);
    free(got);
    free(path);
}

static void test_extracts_files_and_folders(void **state)
{
    (void)state;
    char *dir = cabs_dir(), *dest = fresh_dest("good");
    char *cab = cim_xasprintf("%s\\good.cab", dir);
    char *why = NULL;
    assert_true(osd_cab_extract(cab, dest, &why));
    assert_null(why);
    assert_file(dest, "a.txt", "hello cabinet\n");
    assert_file(dest, "sub\\b.txt", "inside a folder\n");
    free(cab);
    free(dest);
    free(dir);
}

static void test_forward_slashes_in_the_path(void **state)
{
    (void)state;
    char *dir = cabs_dir(), *dest = fresh_dest("slashes");
    char *cab = cim_xasprintf("%s/good.cab", dir);
    for (char *c = cab; *c; c++)
        if (*c == '\\')
            *c = '/';
    char *why = NULL;
    assert_true(osd_cab_extract(cab, dest, &why));
    assert_file(dest, "a.txt", "hello cabinet\n");
    free(cab);
    free(dest);
    free(dir);
}

static void test_refuses_names_outside_the_folder(void **state)
{
    (void)state;
    char *dir = cabs_dir(), *dest = fresh_dest("evil");
    char *cab = cim_xasprintf("%s\\evil.cab", dir);
    char *why = NULL;
    assert_false(osd_cab_extract(cab, dest, &why));
    assert_non_null(why);
    assert_non_null(strstr(why, "outside its own folder"));
    /* Nothing was written beside the destination. */
    char *escaped = cim_xasprintf("%s\\..\\evil.txt", dest);
    assert_false(osd_fs_exists(escaped));
    free(escaped);
    free(why);
    free(cab);
    free(dest);
    free(dir);
}

static void test_not_a_cabinet(void **state)
{
    (void)state;
    char *dir = cabs_dir(), *dest = fresh_dest("notcab");
    char *cab = cim_xasprintf("%s\\notcab.cab", dir);
    char *why = NULL;
    assert_false(osd_cab_extract(cab, dest, &why));
    assert_non_null(why);
    assert_non_null(strstr(why, "not a valid cabinet"));
    free(why);
    free(cab);
    free(dest);
    free(dir);
}

static void test_missing_cabinet(void **state)
{
    (void)state;
    char *dir = cabs_dir(), *dest = fresh_dest("missing");
    char *cab = cim_xasprintf("%s\\absent.cab", dir);
    char *why = NULL;
    assert_false(osd_cab_extract(cab, dest, &why));
    assert_non_null(why);
    assert_non_null(strstr(why, "reading it failed"));
    free(why);
    free(cab);
    free(dest);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_extracts_files_and_folders),
        cmocka_unit_test(test_forward_slashes_in_the_path),
        cmocka_unit_test(test_refuses_names_outside_the_folder),
        cmocka_unit_test(test_not_a_cabinet),
        cmocka_unit_test(test_missing_cabinet),
    };
    return cmocka_run_group_tests_name("windows.test_osd_cab", tests, NULL, NULL);
}
