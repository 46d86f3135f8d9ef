/* test_osd_hive.c - hive.h on Windows (hive_windows.c over regf_edit.c):
 * the calls servicing makes on a hive, run under Wine on an empty hive
 * from regf.c, written to SMSPROV_HIVE_OUT; check_hive.sh then reads the
 * result on the Linux side with hivexget, reglookup and regfinfo.  A file
 * that is no hive is refused and left as it was. */
#include <windows.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "harness.h"
#include "osd/hive.h"
#include "osd/regf.h"

static void test_servicing_edits(void **state)
{
    (void)state;
    char *path = harness_windows_path(harness_required_env("SMSPROV_HIVE_OUT"));
    smsprov_error err = {0};
    assert_int_equal(osd_regf_write_empty(path, "SYSTEM", &err), SMSPROV_OK);
    osd_hive *hive = NULL;
    assert_int_equal(osd_hive_open(path, &hive, &err), SMSPROV_OK);
    assert_int_equal(osd_hive_add_key(hive, "ControlSet001\\Services\\smsprov", &err),
                     SMSPROV_OK);
    assert_int_equal(osd_hive_set_string(hive, "ControlSet001\\Control", "SystemStartOptions",
                                         "MININT", &err),
                     SMSPROV_OK);
    assert_int_equal(osd_hive_set_dword(hive, "Setup", "SetupType", 2, &err), SMSPROV_OK);
    assert_int_equal(osd_hive_set_string(hive, "Setup", "CmdLine", "winpeshl.exe", &err),
                     SMSPROV_OK);
    /* Replaced, not added: check_hive.sh sees the second value only. */
    assert_int_equal(osd_hive_set_string(hive, "Setup", "cmdline",
                                         "X:\\sms\\bin\\x64\\TsBootShell.exe", &err),
                     SMSPROV_OK);
    assert_int_equal(osd_hive_commit(hive, &err), SMSPROV_OK);
    osd_hive_close(hive);
    free(path);
}

static void test_refuses_what_is_no_hive(void **state)
{
    (void)state;
    char *out = harness_windows_path(harness_required_env("SMSPROV_HIVE_OUT"));
    char *path = cim_xasprintf("%s.nothive", out);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    for (int i = 0; i < 8192; i++)
        fputc('r', f);
    fclose(f);
    smsprov_error err = {0};
    osd_hive *hive = NULL;
    assert_int_equal(osd_hive_open(path, &hive, &err), SMSPROV_E_INVALID_PARAMETER);
    assert_null(hive);
    assert_non_null(strstr(err.description, "regf"));
    smsprov_error_clear(&err);
    remove(path);
    free(path);
    free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_servicing_edits),
        cmocka_unit_test(test_refuses_what_is_no_hive),
    };
    return cmocka_run_group_tests_name("windows.test_osd_hive", tests, NULL, NULL);
}
