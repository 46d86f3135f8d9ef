/* test_osd_regf_edit.c - the hivex-free hive editor: keys, REG_SZ,
 * REG_DWORD and REG_MULTI_SZ values added to an empty hive and to one
 * hivex wrote, read back with hivex; replaced values and lists leave free
 * cells behind; the base block's sequence numbers and checksum are right;
 * a damaged hive is refused and left as it was. */
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
#include "osd/regf_edit.h"
#include "smsprov/cim.h"
#include "test_fixture.h"

#define SCRATCH SMSPROV_TEST_SCRATCH "/osd_regf_edit"

FIXTURE_SCRATCH_GROUP(SCRATCH)

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* The base block as Windows checks it, and the free cells' total size. */
static size_t check_file(const char *path)
{
    size_t size;
    uint8_t *d = (uint8_t *)fixture_slurp(path, &size);
    assert_memory_equal(d, "regf", 4);
    assert_int_equal(le32(d + 4), le32(d + 8));
    uint32_t x = 0;
    for (size_t i = 0; i < 0x1FC; i += 4)
        x ^= le32(d + i);
    assert_int_equal(le32(d + 0x1FC), x);
    assert_int_equal(0x1000 + le32(d + 40), size);
    size_t free_bytes = 0;
    for (size_t bin = 0x1000; bin < size; bin += le32(d + bin + 8)) {
        assert_memory_equal(d + bin, "hbin", 4);
        size_t end = bin + le32(d + bin + 8);
        for (size_t at = bin + 0x20; at < end;) {
            int32_t cell = (int32_t)le32(d + at);
            size_t len = cell < 0 ? (size_t)-(int64_t)cell : (size_t)cell;
            assert_true(len >= 8 && len % 8 == 0 && at + len <= end);
            if (cell > 0)
                free_bytes += len;
            at += len;
        }
    }
    free(d);
    return free_bytes;
}

/* What reglookup and regfinfo (other regf readers than hivex) make of the
 * hive: the CSV lines of reglookup -H, or NULL when either tool failed or
 * printed an error or warning. */
static char *read_with_other_tools(const char *path)
{
    char *out = cim_xasprintf("%s.txt", path);
    char *cmd = cim_xasprintf("reglookup -H '%s' > '%s' 2>&1 && regfinfo '%s' > /dev/null 2>&1",
                              path, out, path);
    int rc = system(cmd);
    size_t size = 0;
    char *text = rc == 0 ? fixture_slurp(out, &size) : NULL;
    if (text) {
        text = cim_xrealloc(text, size + 1);
        text[size] = '\0';
        if (strstr(text, "ERROR") || strstr(text, "WARN")) {
            fprintf(stderr, "%s", text);
            free(text);
            text = NULL;
        }
    }
    remove(out);
    free(cmd);
    free(out);
    return text;
}

static hive_node_h node_at(hive_h *h, const char *path)
{
    hive_node_h node = hivex_root(h);
    char *copy = cim_xstrdup(path), *save = NULL;
    for (char *part = strtok_r(copy, "\\", &save); part && node;
         part = strtok_r(NULL, "\\", &save))
        node = hivex_node_get_child(h, node, part);
    free(copy);
    assert_true(node != 0);
    return node;
}

static char *string_at(hive_h *h, const char *path, const char *name)
{
    hive_value_h v = hivex_node_get_value(h, node_at(h, path), name);
    assert_true(v != 0);
    return hivex_value_string(h, v);
}

static uint32_t dword_at(hive_h *h, const char *path, const char *name)
{
    hive_value_h v = hivex_node_get_value(h, node_at(h, path), name);
    assert_true(v != 0);
    return (uint32_t)hivex_value_dword(h, v);
}

static void test_edits_an_empty_hive(void **state)
{
    (void)state;
    const char *path = SCRATCH "/SYSTEM";
    smsprov_error err = {0};
    assert_int_equal(osd_regf_write_empty(path, "SYSTEM", &err), SMSPROV_OK);
    osd_regf *r = NULL;
    assert_int_equal(osd_regf_open(path, &r, &err), SMSPROV_OK);
    assert_int_equal(osd_regf_add_key(r, "ControlSet001\\Control\\Windows", &err), SMSPROV_OK);
    assert_int_equal(osd_regf_set_string(r, "ControlSet001\\Control", "SystemStartOptions",
                                         " MININT caf\xc3\xa9", &err),
                     SMSPROV_OK);
    assert_int_equal(osd_regf_set_dword(r, "Setup", "SetupType", 2, &err), SMSPROV_OK);
    const char *lines[] = {"wpeinit", "X:\\sms\\bin\\x64\\TsBootShell.exe"};
    assert_int_equal(osd_regf_set_multi_string(r, "Setup", "CmdLines", lines, 2, &err),
                     SMSPROV_OK);
    /* Thirty keys in reverse order: the list must come out sorted. */
    for (int i = 30; i > 0; i--) {
        char *key = cim_xasprintf("Many\\key%02d", i);
        assert_int_equal(osd_regf_add_key(r, key, &err), SMSPROV_OK);
        free(key);
    }
    /* Adding an existing key, in another case, changes nothing. */
    assert_int_equal(osd_regf_add_key(r, "controlset001\\CONTROL", &err), SMSPROV_OK);
    assert_int_equal(osd_regf_commit(r, &err), SMSPROV_OK);
    osd_regf_close(r);
    check_file(path);

    hive_h *h = hivex_open(path, 0);
    assert_non_null(h);
    char *s = string_at(h, "ControlSet001\\Control", "SystemStartOptions");
    assert_string_equal(s, " MININT caf\xc3\xa9");
    free(s);
    assert_int_equal(dword_at(h, "Setup", "SetupType"), 2);
    hive_value_h v = hivex_node_get_value(h, node_at(h, "Setup"), "CmdLines");
    char **multi = hivex_value_multiple_strings(h, v);
    assert_non_null(multi);
    assert_string_equal(multi[0], "wpeinit");
    assert_string_equal(multi[1], "X:\\sms\\bin\\x64\\TsBootShell.exe");
    /* Each string with its NUL, then the empty string ending the list
     * (which this hivex returns as a last, empty element). */
    for (int i = 0; multi[i]; i++)
        free(multi[i]);
    free(multi);
    hive_type type;
    size_t len;
    char *raw = hivex_value_value(h, v, &type, &len);
    assert_non_null(raw);
    assert_int_equal(type, hive_t_REG_MULTI_SZ);
    assert_int_equal(len, 2 * (strlen(lines[0]) + 1 + strlen(lines[1]) + 1 + 1));
    assert_int_equal(raw[len - 4] | raw[len - 3] | raw[len - 2] | raw[len - 1], 0);
    assert_int_equal(raw[0], 'w');
    assert_int_equal(raw[1], 0);
    free(raw);
    hive_node_h *kids = hivex_node_children(h, node_at(h, "Many"));
    size_t n = 0;
    for (; kids[n]; n++) {
        char *name = hivex_node_name(h, kids[n]);
        char *want = cim_xasprintf("key%02zu", n + 1);
        assert_string_equal(name, want);
        free(want);
        free(name);
    }
    assert_int_equal(n, 30);
    free(kids);
    assert_int_equal(hivex_node_nr_children(h, node_at(h, "ControlSet001")), 1);
    hivex_close(h);
}

static void test_replacing_values_frees_their_cells(void **state)
{
    (void)state;
    const char *path = SCRATCH "/SOFTWARE";
    smsprov_error err = {0};
    assert_int_equal(osd_regf_write_empty(path, "SOFTWARE", &err), SMSPROV_OK);
    osd_regf *r = NULL;
    assert_int_equal(osd_regf_open(path, &r, &err), SMSPROV_OK);
    assert_int_equal(osd_regf_set_string(r, "Microsoft\\SMS", "Path", "first value, long enough",
                                         &err),
                     SMSPROV_OK);
    assert_int_equal(osd_regf_commit(r, &err), SMSPROV_OK);
    osd_regf_close(r);
    size_t free_before = check_file(path);
    assert_int_equal(osd_regf_open(path, &r, &err), SMSPROV_OK);
    assert_int_equal(osd_regf_set_string(r, "Microsoft\\SMS", "path", "second", &err),
                     SMSPROV_OK);
    assert_int_equal(osd_regf_commit(r, &err), SMSPROV_OK);
    osd_regf_close(r);
    /* The old value and its longer data were given back and the shorter
     * new ones fit in the space freed: more of the hive is free. */
    size_t free_after = check_file(path);
    assert_true(free_after > free_before);
    assert_int_equal(osd_regf_open(path, &r, &err), SMSPROV_OK);
    assert_int_equal(osd_regf_set_dword(r, "Microsoft\\SMS", "Count", 7, &err), SMSPROV_OK);
    assert_int_equal(osd_regf_commit(r, &err), SMSPROV_OK);
    osd_regf_close(r);
    check_file(path);
    hive_h *h = hivex_open(path, 0);
    assert_non_null(h);
    char *s = string_at(h, "Microsoft\\SMS", "Path");
    assert_string_equal(s, "second");
    free(s);
    assert_int_equal(dword_at(h, "Microsoft\\SMS", "Count"), 7);
    char *text = read_with_other_tools(path);
    assert_non_null(text);
    /* The value keeps the name it was created with. */
    assert_non_null(strstr(text, "/Microsoft/SMS/Path,SZ,second,"));
    assert_non_null(strstr(text, "/Microsoft/SMS/Count,DWORD,0x00000007,"));
    free(text);
    hive_value_h *values = hivex_node_values(h, node_at(h, "Microsoft\\SMS"));
    size_t n = 0;
    while (values[n])
        n++;
    assert_int_equal(n, 2); /* replaced, not added */
    free(values);
    hivex_close(h);
}

static void test_edits_a_hive_hivex_wrote(void **state)
{
    (void)state;
    const char *path = SCRATCH "/DEFAULT";
    smsprov_error err = {0};
    assert_int_equal(osd_regf_write_empty(path, "DEFAULT", &err), SMSPROV_OK);
    osd_hive *hive = NULL;
    assert_int_equal(osd_hive_open(path, &hive, &err), SMSPROV_OK);
    for (int i = 0; i < 5; i++) {
        char *key = cim_xasprintf("Software\\Vendor%d", i * 2);
        assert_int_equal(osd_hive_set_string(hive, key, "Name", "from hivex", &err),
                         SMSPROV_OK);
        free(key);
    }
    assert_int_equal(osd_hive_commit(hive, &err), SMSPROV_OK);
    osd_hive_close(hive);

    osd_regf *r = NULL;
    assert_int_equal(osd_regf_open(path, &r, &err), SMSPROV_OK);
    assert_int_equal(osd_regf_set_string(r, "Software\\Vendor5", "Name", "from smsprov", &err),
                     SMSPROV_OK);
    assert_int_equal(osd_regf_set_dword(r, "Software\\Vendor2", "Extra", 42, &err), SMSPROV_OK);
    assert_int_equal(osd_regf_commit(r, &err), SMSPROV_OK);
    osd_regf_close(r);
    check_file(path);

    hive_h *h = hivex_open(path, 0);
    assert_non_null(h);
    assert_int_equal(hivex_node_nr_children(h, node_at(h, "Software")), 6);
    char *s = string_at(h, "Software\\Vendor5", "Name");
    assert_string_equal(s, "from smsprov");
    free(s);
    s = string_at(h, "Software\\Vendor8", "Name");
    assert_string_equal(s, "from hivex");
    free(s);
    assert_int_equal(dword_at(h, "Software\\Vendor2", "Extra"), 42);
    hivex_close(h);
    char *text = read_with_other_tools(path);
    assert_non_null(text);
    assert_non_null(strstr(text, "/Software/Vendor5/Name,SZ,from smsprov,"));
    assert_non_null(strstr(text, "/Software/Vendor8/Name,SZ,from hivex,"));
    assert_non_null(strstr(text, "/Software/Vendor2/Extra,DWORD,0x0000002A,"));
    free(text);
}

static void test_refuses_a_damaged_hive_and_bad_names(void **state)
{
    (void)state;
    const char *path = SCRATCH "/BAD";
    smsprov_error err = {0};
    assert_int_equal(osd_regf_write_empty(path, "BAD", &err), SMSPROV_OK);
    size_t size;
    uint8_t *d = (uint8_t *)fixture_slurp(path, &size);
    d[0x1FC] ^= 0xFF;
    assert_int_equal(osd_fs_write_file(path, d, size, &err), SMSPROV_OK);
    osd_regf *r = NULL;
    assert_int_equal(osd_regf_open(path, &r, &err), SMSPROV_E_INVALID_PARAMETER);
    assert_non_null(strstr(err.description, "checksum"));
    assert_null(r);
    smsprov_error_clear(&err);
    size_t after_size;
    uint8_t *after = (uint8_t *)fixture_slurp(path, &after_size);
    assert_int_equal(after_size, size);
    assert_memory_equal(after, d, size);
    free(after);
    free(d);

    assert_int_equal(osd_regf_open(SCRATCH "/absent", &r, &err), SMSPROV_E_NOT_FOUND);
    smsprov_error_clear(&err);

    assert_int_equal(osd_regf_write_empty(path, "BAD", &err), SMSPROV_OK);
    assert_int_equal(osd_regf_open(path, &r, &err), SMSPROV_OK);
    assert_int_equal(osd_regf_add_key(r, "A\\\\B", &err), SMSPROV_E_INVALID_PARAMETER);
    smsprov_error_clear(&err);
    assert_int_equal(osd_regf_set_string(r, "A", "caf\xc3\xa9", "x", &err),
                     SMSPROV_E_INVALID_PARAMETER);
    smsprov_error_clear(&err);
    assert_int_equal(osd_regf_set_string(r, "A", "v", "\xff", &err),
                     SMSPROV_E_INVALID_PARAMETER);
    smsprov_error_clear(&err);
    osd_regf_close(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_edits_an_empty_hive),
        cmocka_unit_test(test_replacing_values_frees_their_cells),
        cmocka_unit_test(test_edits_a_hive_hivex_wrote),
        cmocka_unit_test(test_refuses_a_damaged_hive_and_bad_names),
    };
    return cmocka_run_group_tests(tests, make_scratch, remove_scratch);
}
