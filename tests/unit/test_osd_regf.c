/* test_osd_regf.c - the empty hive writer and the hivex-based editor:
 * the base block and cells are laid out as documented, hivex opens and
 * edits the result, values round-trip, and bad input changes nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <hivex.h>

#include "osd/fs.h"
#include "osd/hive.h"
#include "osd/regf.h"
#include "test_fixture.h"

#define SCRATCH SMSPROV_TEST_SCRATCH "/osd_regf"

FIXTURE_SCRATCH_GROUP(SCRATCH)

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void test_empty_hive_layout(void **state)
{
    (void)state;
    const char *path = SCRATCH "/layout";
    smsprov_error err = {0};
    assert_int_equal(osd_regf_write_empty(path, "SYSTEM", &err), SMSPROV_OK);
    size_t size;
    uint8_t *data = (uint8_t *)fixture_slurp(path, &size);
    assert_int_equal(size, OSD_REGF_EMPTY_SIZE);
    assert_memory_equal(data, "regf", 4);
    assert_int_equal(le32(data + 0x04), le32(data + 0x08)); /* clean: sequences match */
    assert_int_equal(le32(data + 0x14), 1);                 /* version 1.5 */
    assert_int_equal(le32(data + 0x18), 5);
    assert_int_equal(le32(data + 0x24), 0x20);   /* root cell */
    assert_int_equal(le32(data + 0x28), 0x1000); /* hbins */
    uint32_t sum = 0;
    for (size_t i = 0; i < 0x1FC; i += 4)
        sum ^= le32(data + i);
    assert_int_equal(le32(data + 0x1FC), sum);
    assert_true(sum != 0 && sum != 0xFFFFFFFFu);

    const uint8_t *hbin = data + 0x1000;
    assert_memory_equal(hbin, "hbin", 4);
    assert_int_equal(le32(hbin + 8), 0x1000);
    /* The cells fill the hbin exactly: nk and sk in use, then one free cell. */
    size_t at = 0x20;
    int used = 0, free_cells = 0;
    while (at < 0x1000) {
        int32_t cell = (int32_t)le32(hbin + at);
        size_t length = (size_t)(cell < 0 ? -cell : cell);
        assert_int_equal(length % 8, 0);
        if (cell < 0)
            used++;
        else
            free_cells++;
        if (at == 0x20) {
            assert_memory_equal(hbin + at + 4, "nk", 2);
            assert_memory_equal(hbin + at + 4 + 0x4C, "SYSTEM", 6);
        }
        at += length;
    }
    assert_int_equal(at, 0x1000);
    assert_int_equal(used, 2);
    assert_int_equal(free_cells, 1);
    free(data);
}

static void test_hivex_reads_and_edits(void **state)
{
    (void)state;
    const char *path = SCRATCH "/SOFTWARE";
    smsprov_error err = {0};
    assert_int_equal(osd_regf_write_empty(path, "SOFTWARE", &err), SMSPROV_OK);

    osd_hive *hive;
    assert_int_equal(osd_hive_open(path, &hive, &err), SMSPROV_OK);
    const char *key = "Microsoft\\Windows NT\\CurrentVersion";
    assert_int_equal(osd_hive_set_string(hive, key, "EditionID", "WindowsPE", &err), SMSPROV_OK);
    assert_int_equal(osd_hive_set_string(hive, key, "Greeting", "Grüße 日本 𝄞", &err),
                     SMSPROV_OK);
    assert_int_equal(osd_hive_set_dword(hive, key, "UBR", 2314, &err), SMSPROV_OK);
    /* Setting one value keeps the others; replacing one keeps one copy. */
    assert_int_equal(osd_hive_set_dword(hive, key, "UBR", 2315, &err), SMSPROV_OK);
    /* Existing keys are found case-insensitively rather than duplicated. */
    assert_int_equal(osd_hive_add_key(hive, "MICROSOFT\\windows nt", &err), SMSPROV_OK);
    assert_int_equal(osd_hive_commit(hive, &err), SMSPROV_OK);
    osd_hive_close(hive);
    assert_false(osd_fs_exists(SCRATCH "/SOFTWARE.partial"));

    hive_h *h = hivex_open(path, 0);
    assert_non_null(h);
    hive_node_h root = hivex_root(h);
    char *root_name = hivex_node_name(h, root);
    assert_string_equal(root_name, "SOFTWARE");
    free(root_name);
    assert_int_equal(hivex_node_nr_children(h, root), 1);
    hive_node_h node = hivex_node_get_child(h, root, "Microsoft");
    assert_int_equal(hivex_node_nr_children(h, node), 1);
    node = hivex_node_get_child(h, hivex_node_get_child(h, node, "Windows NT"), "CurrentVersion");
    assert_true(node != 0);
    assert_int_equal(hivex_node_nr_values(h, node), 3);
    char *edition = hivex_value_string(h, hivex_node_get_value(h, node, "EditionID"));
    assert_string_equal(edition, "WindowsPE");
    free(edition);
    char *greeting = hivex_value_string(h, hivex_node_get_value(h, node, "Greeting"));
    assert_string_equal(greeting, "Grüße 日本 𝄞");
    free(greeting);
    assert_int_equal(hivex_value_dword(h, hivex_node_get_value(h, node, "UBR")), 2315);
    hivex_close(h);
}

static void test_bad_root_names_write_nothing(void **state)
{
    (void)state;
    /* 65 characters: one more than a root name may have. */
    static const char too_long[] = "0123456789012345678901234567890123456789"
                                   "0123456789012345678901234";
    static const char *const bad[] = {"", "A\\B", "Ünicode", too_long};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        smsprov_error err = {0};
        assert_int_equal(osd_regf_write_empty(SCRATCH "/bad", bad[i], &err),
                         SMSPROV_E_INVALID_PARAMETER);
        assert_non_null(strstr(err.description, "root key name"));
        smsprov_error_clear(&err);
        assert_false(osd_fs_exists(SCRATCH "/bad"));
    }
    smsprov_error err = {0};
    assert_int_equal(osd_regf_write_empty(SCRATCH "/bad", NULL, &err),
                     SMSPROV_E_INVALID_PARAMETER);
    smsprov_error_clear(&err);
}

static void test_unwritable_path(void **state)
{
    (void)state;
    smsprov_error err = {0};
    assert_int_equal(osd_fs_write_file(SCRATCH "/plain", "x", 1, &err), SMSPROV_OK);
    /* A regular file cannot be a parent directory. */
    assert_int_equal(osd_regf_write_empty(SCRATCH "/plain/SYSTEM", "SYSTEM", &err),
                     SMSPROV_E_FAILED);
    assert_non_null(strstr(err.description, SCRATCH "/plain"));
    smsprov_error_clear(&err);
}

static void test_hive_open_errors(void **state)
{
    (void)state;
    smsprov_error err = {0};
    osd_hive *hive = (osd_hive *)&err;
    assert_int_equal(osd_hive_open(SCRATCH "/missing", &hive, &err), SMSPROV_E_NOT_FOUND);
    assert_null(hive);
    assert_non_null(strstr(err.description, "No such file"));
    smsprov_error_clear(&err);

    char junk[0x2000];
    memset(junk, 'x', sizeof junk);
    assert_int_equal(osd_fs_write_file(SCRATCH "/junk", junk, sizeof junk, &err), SMSPROV_OK);
    assert_int_equal(osd_hive_open(SCRATCH "/junk", &hive, &err), SMSPROV_E_INVALID_PARAMETER);
    assert_non_null(strstr(err.description, SCRATCH "/junk"));
    smsprov_error_clear(&err);
    osd_hive_close(NULL);
}

static void test_invalid_utf8_changes_nothing(void **state)
{
    (void)state;
    const char *path = SCRATCH "/SYSTEM";
    smsprov_error err = {0};
    assert_int_equal(osd_regf_write_empty(path, "SYSTEM", &err), SMSPROV_OK);
    osd_hive *hive;
    assert_int_equal(osd_hive_open(path, &hive, &err), SMSPROV_OK);
    static const char *const bad[] = {"\xC3", "\xC0\xAF", "\xED\xA0\x80", "a\377b"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        assert_int_equal(osd_hive_set_string(hive, "Setup", "CmdLine", bad[i], &err),
                         SMSPROV_E_INVALID_PARAMETER);
        assert_non_null(strstr(err.description, "Setup\\CmdLine"));
        smsprov_error_clear(&err);
    }
    assert_int_equal(osd_hive_commit(hive, &err), SMSPROV_OK);
    osd_hive_close(hive);

    hive_h *h = hivex_open(path, 0);
    assert_non_null(h);
    assert_int_equal(hivex_node_nr_children(h, hivex_root(h)), 0);
    hivex_close(h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty_hive_layout),
        cmocka_unit_test(test_hivex_reads_and_edits),
        cmocka_unit_test(test_bad_root_names_write_nothing),
        cmocka_unit_test(test_unwritable_path),
        cmocka_unit_test(test_hive_open_errors),
        cmocka_unit_test(test_invalid_utf8_changes_nothing),
    };
    return cmocka_run_group_tests(tests, make_scratch, remove_scratch);
}
