/* test_osd_ocs.c - the WinPE optional component table: the dependency
 * closure in install order, the required
 * components always added, the documented and modern names, and unknown
 * names refused with a sentence naming them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "osd/oc.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Every component of the ID table plus
 * the two later ones the dependency table names. */
static const char *const every_component[] = {
    "WinPE-DismCmdlets",       "WinPE-Dot3Svc",           "WinPE-EnhancedStorage",
    "WinPE-FMAPI",             "WinPE-FontSupport-JA-JP", "WinPE-FontSupport-KO-KR",
    "WinPE-FontSupport-ZH-CN", "WinPE-FontSupport-ZH-HK", "WinPE-FontSupport-ZH-TW",
    "WinPE-HTA",               "WinPE-StorageWMI",        "WinPE-LegacySetup",
    "WinPE-MDAC",              "WinPE-NetFx4",            "WinPE-PowerShell3",
    "WinPE-PPPoE",             "WinPE-RNDIS",             "WinPE-Scripting",
    "WinPE-SecureStartup",     "WinPE-Setup",             "WinPE-Setup-Client",
    "WinPE-Setup-Server",      "WinPE-WDS-Tools",         "WinPE-WinReCfg",
    "WinPE-WMI",               "WinPE-SecureBootCmdlets", "WinPE-PlatformId",
};

static void assert_closure(const char *const *selected, size_t count,
                           const char *const *expected, size_t expected_count)
{
    const char **names = NULL;
    size_t n = 0;
    smsprov_error err = {0};
    assert_int_equal(osd_oc_closure(selected, count, &names, &n, &err), SMSPROV_OK);
    if (n != expected_count) {
        for (size_t i = 0; i < n; i++)
            print_message("  got %s\n", names[i]);
        fail_msg("closure has %zu components, expected %zu", n, expected_count);
    }
    for (size_t i = 0; i < n; i++)
        assert_string_equal(names[i], expected[i]);
    free(names);
}

static void test_nothing_selected_gives_the_required_four_in_order(void **state)
{
    (void)state;
    static const char *const expected[] = {"WinPE-WMI", "WinPE-Scripting", "WinPE-SecureStartup",
                                           "WinPE-WDS-Tools"};
    assert_closure(NULL, 0, expected, COUNT(expected));
    for (size_t i = 0; i < COUNT(expected); i++)
        assert_true(osd_oc_is_required(expected[i]));
    assert_false(osd_oc_is_required("WinPE-HTA"));
    assert_false(osd_oc_is_required("WinPE-Nothing"));
}

static void test_powershell_brings_wmi_netfx_scripting_first(void **state)
{
    (void)state;
    static const char *const pick[] = {"WinPE-PowerShell3"};
    static const char *const expected[] = {"WinPE-WMI", "WinPE-NetFx4", "WinPE-Scripting",
                                           "WinPE-PowerShell3", "WinPE-SecureStartup",
                                           "WinPE-WDS-Tools"};
    assert_closure(pick, 1, expected, COUNT(expected));
}

static void test_cmdlets_need_the_whole_powershell_chain(void **state)
{
    (void)state;
    static const char *const pick[] = {"WinPE-StorageWMI", "WinPE-DismCmdlets"};
    static const char *const expected[] = {"WinPE-WMI", "WinPE-NetFx4", "WinPE-Scripting",
                                           "WinPE-PowerShell3", "WinPE-DismCmdlets",
                                           "WinPE-StorageWMI", "WinPE-SecureStartup",
                                           "WinPE-WDS-Tools"};
    assert_closure(pick, COUNT(pick), expected, COUNT(expected));
}

static void test_hta_mdac_and_platform_id(void **state)
{
    (void)state;
    static const char *const pick[] = {"WinPE-PlatformId", "WinPE-MDAC", "WinPE-HTA"};
    static const char *const expected[] = {"WinPE-WMI", "WinPE-Scripting", "WinPE-HTA",
                                           "WinPE-MDAC", "WinPE-SecureStartup",
                                           "WinPE-PlatformId", "WinPE-WDS-Tools"};
    assert_closure(pick, COUNT(pick), expected, COUNT(expected));
}

static void test_components_without_prerequisites_and_duplicates(void **state)
{
    (void)state;
    static const char *const pick[] = {"WinPE-RNDIS", "winpe-rndis", "WinPE-WMI",
                                       "WinPE-FontSupport-JA-JP"};
    static const char *const expected[] = {"WinPE-WMI", "WinPE-Scripting", "WinPE-SecureStartup",
                                           "WinPE-FontSupport-JA-JP", "WinPE-RNDIS",
                                           "WinPE-WDS-Tools"};
    assert_closure(pick, COUNT(pick), expected, COUNT(expected));
}

static void test_modern_adk_names_are_the_same_components(void **state)
{
    (void)state;
    assert_string_equal(osd_oc_canonical("WinPE-NetFx"), "WinPE-NetFx4");
    assert_string_equal(osd_oc_canonical("winpe-powershell"), "WinPE-PowerShell3");
    assert_string_equal(osd_oc_canonical("WINPE-WMI"), "WinPE-WMI");
    assert_string_equal(osd_oc_modern_name("WinPE-NetFx4"), "WinPE-NetFx");
    assert_string_equal(osd_oc_modern_name("WinPE-PowerShell"), "WinPE-PowerShell");
    assert_null(osd_oc_modern_name("WinPE-WMI"));
    assert_null(osd_oc_canonical("WinPE-NetFx3"));
    static const char *const pick[] = {"WinPE-PowerShell", "WinPE-NetFx"};
    static const char *const expected[] = {"WinPE-WMI", "WinPE-NetFx4", "WinPE-Scripting",
                                           "WinPE-PowerShell3", "WinPE-SecureStartup",
                                           "WinPE-WDS-Tools"};
    assert_closure(pick, COUNT(pick), expected, COUNT(expected));
}

static size_t position(const char **names, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(names[i], name) == 0)
            return i;
    fail_msg("%s is missing from the closure", name);
    return n;
}

/* For every component alone and for all of them together: each comes after
 * every prerequisite, and the prerequisites are themselves in order. */
static void test_every_component_comes_after_its_prerequisites(void **state)
{
    (void)state;
    const char **all = NULL;
    size_t all_n = 0;
    assert_int_equal(osd_oc_closure(every_component, COUNT(every_component), &all, &all_n, NULL),
                     SMSPROV_OK);
    assert_int_equal(all_n, COUNT(every_component));
    for (size_t i = 0; i < COUNT(every_component); i++) {
        const char *name = every_component[i];
        const char *needs[8];
        size_t k = osd_oc_prerequisites(name, needs, 8);
        assert_true(k <= 4);
        const char **alone = NULL;
        size_t n = 0;
        assert_int_equal(osd_oc_closure(&name, 1, &alone, &n, NULL), SMSPROV_OK);
        for (size_t j = 0; j < k; j++) {
            assert_true(position(alone, n, needs[j]) < position(alone, n, name));
            assert_true(position(all, all_n, needs[j]) < position(all, all_n, name));
            if (j > 0)
                assert_true(position(all, all_n, needs[j - 1]) < position(all, all_n, needs[j]));
        }
        free(alone);
    }
    free(all);
    const char *needs[2];
    assert_int_equal(osd_oc_prerequisites("WinPE-DismCmdlets", needs, 2), 4);
    assert_string_equal(needs[0], "WinPE-WMI");
    assert_string_equal(needs[1], "WinPE-NetFx4");
    assert_int_equal(osd_oc_prerequisites("WinPE-WMI", needs, 2), 0);
    assert_int_equal(osd_oc_prerequisites("nonsense", needs, 2), 0);
}

static void test_unknown_component_is_refused_by_name(void **state)
{
    (void)state;
    static const char *const pick[] = {"WinPE-WMI", "WinPE-Chess"};
    const char **names = (const char **)pick; /* must be reset */
    size_t n = 99;
    smsprov_error err = {0};
    assert_int_equal(osd_oc_closure(pick, COUNT(pick), &names, &n, &err),
                     SMSPROV_E_INVALID_PARAMETER);
    assert_null(names);
    assert_int_equal(n, 0);
    assert_non_null(strstr(err.description, "\"WinPE-Chess\""));
    smsprov_error_clear(&err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nothing_selected_gives_the_required_four_in_order),
        cmocka_unit_test(test_powershell_brings_wmi_netfx_scripting_first),
        cmocka_unit_test(test_cmdlets_need_the_whole_powershell_chain),
        cmocka_unit_test(test_hta_mdac_and_platform_id),
        cmocka_unit_test(test_components_without_prerequisites_and_duplicates),
        cmocka_unit_test(test_modern_adk_names_are_the_same_components),
        cmocka_unit_test(test_every_component_comes_after_its_prerequisites),
        cmocka_unit_test(test_unknown_component_is_refused_by_name),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
