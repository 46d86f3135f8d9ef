/* test_osd_manifest.c - osdinjection.xml read from memory (what the fuzz
 * target drives): the same plan and the same refusals as from the file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "osd/fs.h"
#include "osd/inject_internal.h"
#include "osd/synthetic.h"

#define SCRATCH SMSPROV_TEST_SCRATCH "/osd_manifest"
#define ADK SCRATCH "/adk"
#define CM SCRATCH "/configmgr"
#define STAGING SCRATCH "/staging"

static int build_trees(void **state)
{
    (void)state;
    smsprov_error err = {0};
    osd_fs_remove_tree(SCRATCH, NULL);
    if (osd_fs_make_dirs(STAGING, &err) != SMSPROV_OK ||
        osd_synthetic_adk_write(ADK, OSD_ARCH_SET_ADK, &err) != SMSPROV_OK ||
        osd_synthetic_configmgr_write(CM, OSD_ARCH_SET_ADK, &err) != SMSPROV_OK)
        fail_msg("%s", err.description);
    return 0;
}

static int remove_trees(void **state)
{
    (void)state;
    osd_fs_remove_tree(SCRATCH, NULL);
    return 0;
}

static smsprov_code plan(const char *xml, osd_arch arch, osd_inject_plan *p,
                         osd_inject_failure *failure, smsprov_error *err)
{
    char *languages[] = {"en-US"};
    osd_image_info image = {.index = 1, .languages = languages, .language_count = 1};
    osd_inject_options opt = {.adk_root = ADK, .configmgr_root = CM};
    osd_plan_init(p, STAGING);
    return osd_plan_osd_binaries_xml(&opt, xml, strlen(xml), "inline.xml", &image, arch, p,
                                     failure, err);
}

static void test_plans_from_memory(void **state)
{
    (void)state;
    const char *xml = "<InjectionFiles><Architecture imgArch=\"x64\"><FileList source=\"SCCM\">"
                      "<File name=\"TsBootShell.exe\"><Source>bin\\x64</Source>"
                      "<Destination>sms\\bin\\x64</Destination></File>"
                      "<File name=\"TsRes.dll\"><LocaleNeeded>true</LocaleNeeded>"
                      "<Source>bin\\x64</Source><Destination>sms\\bin\\x64</Destination></File>"
                      "</FileList></Architecture></InjectionFiles>";
    osd_inject_plan p;
    osd_inject_failure failure = {0};
    smsprov_error err = {0};
    if (plan(xml, OSD_ARCH_X64, &p, &failure, &err) != SMSPROV_OK)
        fail_msg("%s", err.description);
    assert_int_equal(p.files_added, 2);
    osd_plan_clear(&p);
    /* No x86 list: not supported, naming the architecture. */
    assert_int_equal(plan(xml, OSD_ARCH_X86, &p, &failure, &err), SMSPROV_E_NOT_SUPPORTED);
    assert_int_equal(failure.error_code, OSD_ERROR_NOT_SUPPORTED);
    assert_non_null(strstr(err.description, "imgArch=\"i386\""));
    osd_plan_clear(&p);
    osd_inject_failure_clear(&failure);
    smsprov_error_clear(&err);
}

static void test_refuses_what_is_not_an_injection_list(void **state)
{
    (void)state;
    const char *bad[] = {"", "<InjectionFiles>", "<Other/>", "not xml at all"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        osd_inject_plan p;
        osd_inject_failure failure = {0};
        smsprov_error err = {0};
        assert_int_equal(plan(bad[i], OSD_ARCH_X64, &p, &failure, &err),
                         SMSPROV_E_INVALID_PARAMETER);
        assert_int_equal(failure.error_code, OSD_ERROR_INVALID_DATA);
        assert_string_equal(failure.detail, "inline.xml");
        assert_non_null(strstr(err.description, "inline.xml is not an injection list"));
        osd_plan_clear(&p);
        osd_inject_failure_clear(&failure);
        smsprov_error_clear(&err);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plans_from_memory),
        cmocka_unit_test(test_refuses_what_is_not_an_injection_list),
    };
    return cmocka_run_group_tests(tests, build_trees, remove_trees);
}
