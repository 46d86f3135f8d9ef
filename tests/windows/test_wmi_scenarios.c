/* test_wmi_scenarios.c - the spec's end-to-end scenarios (configmgr-classes.md
 * §10) as a WMI client runs them against smsprov.dll: S-1 (without the WIM
 * work, which the Windows build refuses cleanly), S-4, S-12 and S-13.  The
 * assertions match what the CLI and WS-Management doors assert for the
 * same scenarios (tests/e2e/test_cli_scenarios.py, test_wsman_scenarios.py). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "harness.h"

#define BOOT "SMS_BootImagePackage"
#define OSIP "SMS_OperatingSystemInstallPackage"

static const char *const lazy_boot[] = {
    "AlternateContentProviders", "BackgroundBitmapPath", "ContextID", "EnableLabShell",
    "ExtendedData", "ExtendedDataSize", "IconSize", "ImageDiskLayout", "ImageIndex",
    "ImageProperty", "ISVData", "ISVDataSize", "OptionalComponents", "PreExecCommandLine",
    "ReferencedDrivers", "RefreshPkgSourceFlag", "RefreshSchedule", "ScratchSpace",
};
#define LAZY_COUNT (sizeof lazy_boot / sizeof lazy_boot[0])

static void assert_string_prop(IWbemClassObject *obj, const char *name, const char *want)
{
    char *got = harness_string(obj, name);
    if (!got || strcmp(got, want) != 0)
        fail_msg("%s is \"%s\", expected \"%s\".", name, got ? got : "(null)", want);
    free(got);
}

/* text matches pattern, where '9' stands for any digit and 'X' for an
 * upper-case hex digit; other characters match themselves. */
static bool shaped(const char *text, const char *pattern)
{
    for (; *pattern; pattern++, text++) {
        if (*pattern == '9' ? !(*text >= '0' && *text <= '9')
            : *pattern == 'X'
                ? !((*text >= '0' && *text <= '9') || (*text >= 'A' && *text <= 'F'))
                : *text != *pattern)
            return false;
    }
    return *text == '\0';
}

static void assert_lazy_null(IWbemClassObject *obj)
{
    for (size_t i = 0; i < LAZY_COUNT; i++)
        if (!harness_is_null(obj, lazy_boot[i]))
            fail_msg("The lazy property %s is not null in an enumeration or query result.",
                     lazy_boot[i]);
}

/* ---- S-1: add a boot image ------------------------------------------------ */

static void test_s1_create_assigns_id_type_version_and_scope(void **state)
{
    harness_world *w = harness_world_of(state);
    /* Step 2: the class WMI holds has what the SDK sample sets. */
    IWbemClassObject *inst = harness_spawn(w->ns, BOOT);
    assert_true(harness_is_null(inst, "ImagePath"));
    assert_int_equal(harness_i4(inst, "PackageType"), 258);
    /* Steps 3-4 (the WIM import itself is S-1 with ImagePath, below). */
    harness_put_string(inst, "Name", "Boot x64");
    harness_put_string(inst, "Description", "Lab boot image");
    harness_put_i4(inst, "ImageIndex", 1);
    fake_sink *s = harness_put(w->svc, inst, 0, NULL);
    IWbemClassObject_Release(inst);
    harness_assert_ok(s);
    assert_string_equal(s->status_param, "SMS_BootImagePackage.PackageID=\"LAB00001\"");
    fake_sink_release(s);
    const char *second[] = {"Name=Boot x86", NULL};
    char *p2 = harness_create(w->svc, w->ns, BOOT, second);
    assert_string_equal(p2, "SMS_BootImagePackage.PackageID=\"LAB00002\"");
    free(p2);

    IWbemClassObject *obj = harness_fetch(w->svc, "SMS_BootImagePackage.PackageID=\"LAB00001\"");
    assert_string_prop(obj, "__CLASS", BOOT);
    assert_string_prop(obj, "PackageID", "LAB00001");
    assert_int_equal(harness_i4(obj, "PackageType"), 258);
    assert_int_equal(harness_i4(obj, "SourceVersion"), 1);
    assert_string_prop(obj, "SourceSite", "LAB");
    assert_int_equal(harness_i4(obj, "ActionInProgress"), 0);
    VARIANT scopes = harness_value(obj, "SecuredScopeNames");
    assert_int_equal(V_VT(&scopes), VT_ARRAY | VT_BSTR);
    LONG high = -1, i = 0;
    SafeArrayGetUBound(V_ARRAY(&scopes), 1, &high);
    assert_int_equal(high, 0);
    BSTR scope = NULL;
    SafeArrayGetElement(V_ARRAY(&scopes), &i, &scope);
    assert_true(wcscmp(scope, L"Default") == 0);
    SysFreeString(scope);
    VariantClear(&scopes);
    char *sedo = harness_string(obj, "SedoObjectVersion"), *date = harness_string(obj, "SourceDate");
    if (!shaped(sedo, "XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX"))
        fail_msg("SedoObjectVersion %s is not a GUID.", sedo);
    if (!shaped(date, "99999999999999.999999+000"))
        fail_msg("SourceDate %s is not a UTC DATETIME.", date);
    free(sedo);
    free(date);
    assert_int_equal(harness_i4(obj, "ImageIndex"), 1);
    assert_int_equal(harness_i4(obj, "ForcedDisconnectDelay"), 5); /* MOF default */
    assert_int_equal(harness_i4(obj, "PkgSourceFlag"), 1);
    assert_false(harness_bool(obj, "RefreshPkgSourceFlag"));
    assert_string_prop(obj, "Description", "Lab boot image");
    IWbemClassObject_Release(obj);
}

static void test_s1_import_from_a_wim_is_refused_and_leaves_nothing(void **state)
{
    harness_world *w = harness_world_of(state);
    char *wim = cim_xasprintf("%s\\boot_x64.wim", w->site.share_dir);
    FILE *f = fopen(wim, "wb");
    assert_non_null(f);
    fputs("MSWIM\0\0\0", f);
    fclose(f);
    free(wim);
    IWbemClassObject *inst = harness_spawn(w->ns, BOOT);
    harness_put_string(inst, "Name", "Boot image (x64) S-1");
    harness_put_string(inst, "Description", "imported over COM");
    harness_put_string(inst, "ImagePath", "\\\\lab\\share\\boot_x64.wim");
    harness_put_i4(inst, "ImageIndex", 1);
    harness_put_string(inst, "ContextID", "{5E1D2C3B-0000-4000-8000-000000000001}");
    fake_sink *s = harness_put(w->svc, inst, 0, NULL);
    IWbemClassObject_Release(inst);
    harness_assert_failed(s, WBEM_E_FAILED, "PutInstance", "Boot image servicing");
    char *why = harness_status_description(s);
    fake_sink_release(s);
    /* S-9 step 2: the import's status queue says it failed, and why. */
    IWbemClassObject *in = harness_spawn_in_params(w->ns, BOOT, "QueryOSDBinaryInjectionStatus");
    harness_put_string(in, "ContextID", "{5E1D2C3B-0000-4000-8000-000000000001}");
    s = harness_exec(w->svc, BOOT, "QueryOSDBinaryInjectionStatus", 0, in, NULL);
    IWbemClassObject_Release(in);
    harness_assert_ok(s);
    IWbemClassObject *status = harness_only_object(s);
    assert_int_equal(harness_i4(status, "Status"), 2);
    assert_int_not_equal(harness_i4(status, "ErrorCode"), 0);
    char *text = harness_string(status, "ProgressText");
    assert_string_equal(text, why);
    free(text);
    free(why);
    fake_sink_release(s);
    s = harness_enum(w->svc, "SMS_PackageBaseclass", 0, NULL);
    harness_assert_ok(s);
    assert_int_equal(s->object_count, 0);
    fake_sink_release(s);
}

/* ---- S-4: add an OS install package ------------------------------------------ */

static void test_s4_add_os_install_package(void **state)
{
    harness_world *w = harness_world_of(state);
    const char *boot[] = {"Name=boot", NULL};
    free(harness_create(w->svc, w->ns, BOOT, boot));
    IWbemClassObject *inst = harness_spawn(w->ns, OSIP);
    harness_put_string(inst, "Name", "Windows 11");
    harness_put_string(inst, "Description", "Install");
    harness_put_i4(inst, "PkgSourceFlag", 2); /* STORAGE_DIRECT */
    harness_put_string(inst, "PkgSourcePath", "\\\\lab\\share\\os\\win11");
    fake_sink *s = harness_put(w->svc, inst, WBEM_FLAG_CREATE_ONLY, NULL);
    IWbemClassObject_Release(inst);
    harness_assert_ok(s);
    assert_string_equal(s->status_param,
                        "SMS_OperatingSystemInstallPackage.PackageID=\"LAB00002\"");
    IWbemClassObject *obj = harness_fetch(w->svc, s->status_param);
    fake_sink_release(s);
    assert_string_prop(obj, "__CLASS", OSIP);
    assert_int_equal(harness_i4(obj, "PackageType"), 259);
    assert_int_equal(harness_i4(obj, "PkgSourceFlag"), 2);
    assert_string_prop(obj, "PkgSourcePath", "\\\\lab\\share\\os\\win11");
    assert_string_prop(obj, "ImageProperty", "");
    IWbemClassObject_Release(obj);

    s = harness_enum(w->svc, "SMS_PackageBaseclass", 0, NULL);
    harness_assert_ok(s);
    assert_int_equal(s->object_count, 2);
    char *a = harness_string(s->objects[0], "PackageID"), *b = harness_string(s->objects[1], "PackageID");
    assert_true((!strcmp(a, "LAB00001") && !strcmp(b, "LAB00002")) ||
                (!strcmp(a, "LAB00002") && !strcmp(b, "LAB00001")));
    free(a);
    free(b);
    fake_sink_release(s);
    s = harness_enum(w->svc, OSIP, 0, NULL);
    harness_assert_ok(s);
    assert_int_equal(s->object_count, 1);
    fake_sink_release(s);
    obj = harness_fetch(w->svc, "SMS_PackageBaseclass.PackageID=\"LAB00001\"");
    assert_string_prop(obj, "__CLASS", BOOT);
    IWbemClassObject_Release(obj);
}

/* ---- S-12: lazy properties ---------------------------------------------------- */

static void test_s12_lazy_properties(void **state)
{
    harness_world *w = harness_world_of(state);
    const char *props[] = {"Name=Lazy", "ImageIndex=2", "ScratchSpace=128", "EnableLabShell=true",
                           NULL};
    char *path = harness_create(w->svc, w->ns, BOOT, props);
    fake_sink *s = harness_enum(w->svc, BOOT, 0, NULL);
    harness_assert_ok(s);
    assert_lazy_null(harness_only_object(s));
    fake_sink_release(s);
    s = harness_query(w->svc, "WQL",
                      "SELECT * FROM SMS_BootImagePackage WHERE PackageID = 'LAB00001'", 0, NULL);
    harness_assert_ok(s);
    IWbemClassObject *listed = harness_only_object(s);
    assert_lazy_null(listed);
    VARIANT drivers = harness_value(listed, "ReferencedDrivers");
    assert_int_equal(V_VT(&drivers), VT_NULL); /* a null array, not an empty one */
    fake_sink_release(s);

    IWbemClassObject *full = harness_fetch(w->svc, path);
    assert_int_equal(harness_i4(full, "ImageIndex"), 2);
    assert_int_equal(harness_i4(full, "ScratchSpace"), 128);
    assert_true(harness_bool(full, "EnableLabShell"));
    assert_false(harness_is_null(full, "RefreshPkgSourceFlag"));
    IWbemClassObject_Release(full);
    free(path);
}

/* ---- S-13: the error path ------------------------------------------------------ */

static void test_s13_error_path(void **state)
{
    harness_world *w = harness_world_of(state);
    const char *classes[] = {"SMS_PackageBaseclass", BOOT};
    for (size_t i = 0; i < 2; i++) {
        char *path = cim_xasprintf("%s.PackageID='UNKNOWN'", classes[i]);
        fake_sink *s = harness_get(w->svc, path, 0, NULL);
        harness_assert_failed(s, WBEM_E_NOT_FOUND, "GetObject", "UNKNOWN");
        assert_int_equal(harness_i4(s->status_object, "ErrorCode"), 0);
        assert_hr_equal(harness_i4(s->status_object, "StatusCode"), 0x80041002);
        fake_sink_release(s);
        free(path);
    }
}

int main(void)
{
    harness_use_site_code("LAB");
#define T(f) cmocka_unit_test_setup_teardown(f, harness_world_setup, harness_world_teardown)
    const struct CMUnitTest tests[] = {
        T(test_s1_create_assigns_id_type_version_and_scope),
        T(test_s1_import_from_a_wim_is_refused_and_leaves_nothing),
        T(test_s4_add_os_install_package),
        T(test_s12_lazy_properties),
        T(test_s13_error_path),
    };
    return cmocka_run_group_tests_name("windows.test_wmi_scenarios", tests, harness_group_setup,
                                       harness_group_teardown);
}
