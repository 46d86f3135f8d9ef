/* test_osd_cab.c - osd_cab_extract on Linux (libgcab): cabinets written by
 * osd_cab_write come back byte for byte, subfolders included; a stored name
 * that climbs out of the destination is refused before anything is
 * written; a file that is no cabinet and a missing one are named.  The
 * Windows (FDI) side has the same cases in tests/windows/test_osd_cab.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "osd/cab.h"
#include "osd/fs.h"
#include "smsprov/cim.h"
#include "test_fixture.h"

#define SCRATCH SMSPROV_TEST_SCRATCH "/osd_cab"

FIXTURE_SCRATCH_GROUP(SCRATCH)

/* memmem is not C11. */
static char *find_bytes(char *data, size_t size, const char *needle, size_t n)
{
    for (size_t i = 0; i + n <= size; i++)
        if (memcmp(data + i, needle, n) == 0)
            return data + i;
    return NULL;
}

static char *fresh_dest(const char *name)
{
    char *dest = cim_xasprintf("%s/%s", SCRATCH, name);
    osd_fs_remove_tree(dest, NULL);
    assert_int_equal(osd_fs_make_dirs(dest, NULL), SMSPROV_OK);
    return dest;
}

static void write_cab(const char *path, const char *second_name)
{
    const osd_cab_entry entries[] = {
        {"a.txt", "hello cabinet\n", 14},
        {second_name, "inside a folder\n", 16},
    };
    smsprov_error err = {0};
    assert_int_equal(osd_cab_write(path, entries, 2, &err), SMSPROV_OK);
}

static void test_round_trip_with_a_subfolder(void **state)
{
    (void)state;
    write_cab(SCRATCH "/good.cab", "sub\\b.txt");
    char *dest = fresh_dest("good"), *why = NULL;
    assert_true(osd_cab_extract(SCRATCH "/good.cab", dest, &why));
    assert_null(why);
    size_t size;
    char *path = cim_xasprintf("%s/a.txt", dest);
    char *text = fixture_slurp(path, &size);
    assert_string_equal(text, "hello cabinet\n");
    free(text);
    free(path);
    path = cim_xasprintf("%s/sub/b.txt", dest);
    text = fixture_slurp(path, &size);
    assert_string_equal(text, "inside a folder\n");
    free(text);
    free(path);
    free(dest);
}

static void test_refuses_a_name_outside_the_folder(void **state)
{
    (void)state;
    /* Written with a harmless name of the same length, then patched: the
     * writer itself would not store "..". */
    write_cab(SCRATCH "/evil.cab", "zz\\evil.txt");
    size_t size;
    char *data = fixture_slurp(SCRATCH "/evil.cab", &size);
    char *at = find_bytes(data, size, "zz\\evil.txt", 11);
    assert_non_null(at);
    memcpy(at, "..", 2);
    fixture_write(SCRATCH "/evil.cab", data, size);
    free(data);
    char *dest = fresh_dest("evil"), *why = NULL;
    assert_false(osd_cab_extract(SCRATCH "/evil.cab", dest, &why));
    assert_non_null(strstr(why, "outside its own folder"));
    assert_false(osd_fs_exists(SCRATCH "/evil.txt"));
    free(why);
    free(dest);
}

static void test_not_a_cabinet_and_missing(void **state)
{
    (void)state;
    fixture_write(SCRATCH "/notcab.cab", "MSCF but not really\n", 20);
    char *dest = fresh_dest("bad"), *why = NULL;
    assert_false(osd_cab_extract(SCRATCH "/notcab.cab", dest, &why));
    assert_non_null(strstr(why, "not a valid cabinet"));
    free(why);
    why = NULL;
    assert_false(osd_cab_extract(SCRATCH "/absent.cab", dest, &why));
    assert_non_null(strstr(why, "reading it failed"));
    free(why);
    free(dest);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip_with_a_subfolder),
        cmocka_unit_test(test_refuses_a_name_outside_the_folder),
        cmocka_unit_test(test_not_a_cabinet_and_missing),
    };
    return cmocka_run_group_tests(tests, make_scratch, remove_scratch);
}
