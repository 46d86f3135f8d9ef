/* test_wmi_regsvr32.c - smsprov.dll installed the way an administrator
 * does it: `regsvr32 smsprov.dll`, after which COM finds the provider by
 * its CLSID (CoCreateInstance, CLSCTX_INPROC_SERVER), and
 * `regsvr32 /u smsprov.dll`, after which it does not.  CTest runs the two
 * regsvr32 steps (tests/windows/regsvr32.cmake) around this program:
 *   test_wmi_regsvr32 registered     after registering
 *   test_wmi_regsvr32 unregistered   after unregistering */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "harness.h"
#include "wmi/clsid.h"

#define CLSID_KEY L"Software\\Classes\\CLSID\\" SMSPROV_WMI_CLSID_TEXT

static int com_setup(void **state)
{
    (void)state;
    return FAILED(CoInitializeEx(NULL, COINIT_MULTITHREADED)) ? -1 : 0;
}

static int com_teardown(void **state)
{
    (void)state;
    CoUninitialize();
    return 0;
}

static char *registry_text(const wchar_t *subkey, const wchar_t *name)
{
    wchar_t value[MAX_PATH * 2];
    DWORD bytes = sizeof value;
    LSTATUS rc = RegGetValueW(HKEY_LOCAL_MACHINE, subkey, name, RRF_RT_REG_SZ, NULL, value,
                              &bytes);
    return rc == ERROR_SUCCESS ? harness_utf8(value) : NULL;
}

/* ---- after regsvr32 ---------------------------------------------------------- */

static void test_registration_names_the_dll(void **state)
{
    (void)state;
    char *server = registry_text(CLSID_KEY L"\\InprocServer32", NULL);
    char *model = registry_text(CLSID_KEY L"\\InprocServer32", L"ThreadingModel");
    char *dll = harness_windows_path(harness_required_env("SMSPROV_WMI_DLL"));
    assert_non_null(server);
    if (_stricmp(server, dll) != 0)
        fail_msg("InprocServer32 names %s, not %s.", server, dll);
    assert_non_null(model);
    assert_string_equal(model, "Both"); /* WMI calls providers from the MTA */
    free(server);
    free(model);
    free(dll);
}

static void test_cocreateinstance_makes_a_working_provider(void **state)
{
    (void)state;
    IWbemProviderInit *init = NULL;
    assert_hr_equal(CoCreateInstance(&CLSID_SmsprovProvider, NULL, CLSCTX_INPROC_SERVER,
                                     &IID_IWbemProviderInit, (void **)&init),
                    S_OK);
    harness_site site;
    harness_site_create(&site, "REG", "REG-01");
    IWbemServices *ns = fake_namespace_new(site.namespace_path);
    fake_init_sink *init_sink = fake_init_sink_new();
    wchar_t *name = harness_wide(site.namespace_path);
    assert_hr_equal(IWbemProviderInit_Initialize(init, NULL, 0, name, NULL, ns, NULL,
                                                 &init_sink->iface),
                    WBEM_S_NO_ERROR);
    free(name);
    assert_int_equal(init_sink->status, WBEM_S_INITIALIZED);
    IWbemServices *svc = NULL;
    assert_hr_equal(IWbemProviderInit_QueryInterface(init, &IID_IWbemServices, (void **)&svc),
                    S_OK);
    const char *props[] = {"Name=registered", NULL};
    char *path = harness_create(svc, ns, "SMS_BootImagePackage", props);
    assert_string_equal(path, "SMS_BootImagePackage.PackageID=\"REG00001\"");
    free(path);
    IWbemServices_Release(svc);
    IWbemProviderInit_Release(init);
    IWbemServices_Release(ns);
    fake_init_sink_release(init_sink);
    harness_site_destroy(&site);
    assert_int_equal(harness_unexpected_count(), 0);
    assert_int_equal(fake_object_live_count(), 0);
}

/* ---- after regsvr32 /u ------------------------------------------------------ */

static void test_unregistered_class_is_unknown(void **state)
{
    (void)state;
    IUnknown *unk = (IUnknown *)1;
    assert_hr_equal(CoCreateInstance(&CLSID_SmsprovProvider, NULL, CLSCTX_INPROC_SERVER,
                                     &IID_IUnknown, (void **)&unk),
                    REGDB_E_CLASSNOTREG);
    assert_null(unk);
    HKEY key;
    assert_int_equal(RegOpenKeyExW(HKEY_LOCAL_MACHINE, CLSID_KEY, 0, KEY_READ, &key),
                     ERROR_FILE_NOT_FOUND);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest registered[] = {
        cmocka_unit_test(test_registration_names_the_dll),
        cmocka_unit_test(test_cocreateinstance_makes_a_working_provider),
    };
    const struct CMUnitTest unregistered[] = {
        cmocka_unit_test(test_unregistered_class_is_unknown),
    };
    if (argc == 2 && strcmp(argv[1], "registered") == 0)
        return cmocka_run_group_tests_name("windows.test_wmi_regsvr32 (registered)", registered,
                                           com_setup, com_teardown);
    if (argc == 2 && strcmp(argv[1], "unregistered") == 0)
        return cmocka_run_group_tests_name("windows.test_wmi_regsvr32 (unregistered)",
                                           unregistered, com_setup, com_teardown);
    fprintf(stderr, "usage: test_wmi_regsvr32 registered|unregistered\n");
    return 2;
}
