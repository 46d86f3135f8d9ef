/* test_wmi_scenarios.c - the spec's end-to-end scenarios (configmgr-classes.md
 * §10) as a WMI client runs them against smsprov.dll: S-1 and S-5 (without
 * wimlib: this program sees a host with no libwim-15.dll, and the WIM work
 * itself runs in test_wmi_inject), S-4, S-10 (with the
 * distribution point's RefreshNow of S-14), S-12 and S-13.  The
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
#define IMAGE "SMS_ImagePackage"

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

static void test_s1_import_without_wimlib_fails_clearly_and_leaves_nothing(void **state)
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
    /* This program loads the DLL from its build folder, with no
     * libwim-15.dll beside it (test_wmi_inject runs the import itself). */
    harness_assert_failed(s, WBEM_E_FAILED, "PutInstance", "libwim-15.dll");
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

/* ---- S-5: add an OS image package (no WIM) --------------------------------------- */

static void test_s5_add_os_image_package(void **state)
{
    harness_world *w = harness_world_of(state);
    IWbemClassObject *inst = harness_spawn(w->ns, IMAGE);
    harness_put_string(inst, "Name", "Windows 11");
    harness_put_string(inst, "Description", "OS image");
    harness_put_i4(inst, "PkgSourceFlag", 2);
    fake_sink *s = harness_put(w->svc, inst, WBEM_FLAG_CREATE_ONLY, NULL);
    IWbemClassObject_Release(inst);
    harness_assert_ok(s);
    assert_string_equal(s->status_param, "SMS_ImagePackage.PackageID=\"LAB00001\"");
    IWbemClassObject *obj = harness_fetch(w->svc, s->status_param);
    fake_sink_release(s);
    assert_string_prop(obj, "__CLASS", IMAGE);
    assert_int_equal(harness_i4(obj, "PackageType"), 257);
    assert_int_equal(harness_i4(obj, "SourceVersion"), 1);
    assert_string_prop(obj, "ImageProperty", "");
    assert_string_prop(obj, "ImageDiskLayout", "");
    VARIANT scopes = harness_value(obj, "SecuredScopeNames");
    assert_int_equal(V_VT(&scopes), VT_ARRAY | VT_BSTR);
    VariantClear(&scopes);
    IWbemClassObject_Release(obj);
    /* A source outside every share: refused, nothing created. */
    inst = harness_spawn(w->ns, IMAGE);
    harness_put_string(inst, "Name", "bad");
    harness_put_string(inst, "PkgSourcePath", "\\\\elsewhere\\x\\install.wim");
    s = harness_put(w->svc, inst, WBEM_FLAG_CREATE_ONLY, NULL);
    IWbemClassObject_Release(inst);
    harness_assert_failed(s, WBEM_E_INVALID_PARAMETER, "PutInstance", "outside every share");
    fake_sink_release(s);
    s = harness_enum(w->svc, IMAGE, 0, NULL);
    harness_assert_ok(s);
    assert_int_equal(s->object_count, 1);
    fake_sink_release(s);
}

/* ---- S-10: a distribution point from SMS_SystemResourceList ---------------------- */

static void test_s10_assign_package_to_distribution_point(void **state)
{
    harness_world *w = harness_world_of(state);
    const char *props[] = {"Name=for the DP", NULL};
    char *pkg = harness_create(w->svc, w->ns, IMAGE, props);
    /* No distribution points configured: the site server is the one. */
    fake_sink *s = harness_query(w->svc, "WQL",
                                 "SELECT * FROM SMS_SystemResourceList WHERE RoleName='SMS "
                                 "Distribution Point' AND SiteCode='LAB'",
                                 0, NULL);
    harness_assert_ok(s);
    IWbemClassObject *row = harness_only_object(s);
    char *nal = harness_string(row, "NALPath");
    char *site_code = harness_string(row, "SiteCode");
    fake_sink_release(s);
    assert_non_null(strstr(nal, "]MSWNET:[\"SMS_SITE=LAB\"]\\\\"));

    /* UnPackNALPath takes it apart; PackNALPath puts it back together. */
    IWbemClassObject *in = harness_spawn_in_params(w->ns, "SMS_NAL_Methods", "UnPackNALPath");
    harness_put_string(in, "NALPath", nal);
    s = harness_exec(w->svc, "SMS_NAL_Methods", "UnPackNALPath", 0, in, NULL);
    IWbemClassObject_Release(in);
    harness_assert_ok(s);
    IWbemClassObject *parts = harness_only_object(s);
    assert_string_prop(parts, "NALType", "MSWNET");
    in = harness_spawn_in_params(w->ns, "SMS_NAL_Methods", "PackNALPath");
    static const char *const names[] = {"DisplayQualifiers", "NALType", "NetworkOSPath",
                                        "NetworkConnectionQualifiers"};
    for (size_t i = 0; i < 4; i++) {
        VARIANT v = harness_value(parts, names[i]);
        assert_int_equal(harness_put_variant(in, names[i], &v), S_OK);
        VariantClear(&v);
    }
    fake_sink_release(s);
    s = harness_exec(w->svc, "SMS_NAL_Methods", "PackNALPath", 0, in, NULL);
    IWbemClassObject_Release(in);
    harness_assert_ok(s);
    assert_string_prop(harness_only_object(s), "NALPath", nal);
    fake_sink_release(s);

    IWbemClassObject *dp = harness_spawn(w->ns, "SMS_DistributionPoint");
    harness_put_string(dp, "PackageID", "LAB00001");
    harness_put_string(dp, "ServerNALPath", nal);
    harness_put_string(dp, "SiteCode", site_code);
    s = harness_put(w->svc, dp, WBEM_FLAG_CREATE_ONLY, NULL);
    IWbemClassObject_Release(dp);
    harness_assert_ok(s);
    char *dp_path = cim_xstrdup(s->status_param);
    fake_sink_release(s);
    IWbemClassObject *got = harness_fetch(w->svc, dp_path);
    assert_int_equal(harness_i4(got, "ObjectTypeID"), 18);
    assert_int_equal(harness_i4(got, "PackageType"), 257);
    assert_int_equal(harness_i4(got, "Status"), 2);
    char *stamp = harness_string(got, "LastRefreshTime");
    assert_string_not_equal(stamp, "19900101000000.000000+***");

    /* S-14: RefreshNow re-stamps this row only and reads back FALSE. */
    harness_put_bool(got, "RefreshNow", true);
    s = harness_put(w->svc, got, WBEM_FLAG_UPDATE_ONLY, NULL);
    IWbemClassObject_Release(got);
    harness_assert_ok(s);
    fake_sink_release(s);
    got = harness_fetch(w->svc, dp_path);
    assert_false(harness_bool(got, "RefreshNow"));
    assert_int_equal(harness_i4(got, "Status"), 1);
    char *again = harness_string(got, "LastRefreshTime");
    assert_true(strcmp(again, stamp) > 0);
    IWbemClassObject_Release(got);
    IWbemClassObject *package = harness_fetch(w->svc, pkg);
    assert_int_equal(harness_i4(package, "SourceVersion"), 1);
    IWbemClassObject_Release(package);
    free(again);
    free(stamp);
    free(dp_path);
    free(nal);
    free(site_code);
    free(pkg);
}

/* The registry's DistributionPoints value lists them; the site rewrites
 * SMS_SystemResourceList when it opens. */
static void test_s10_configured_distribution_points(void **state)
{
    harness_world *w = harness_world_of(state);
    harness_provider_close(&w->provider);
    harness_site_set_value(&w->site, L"DistributionPoints", L"DP07=dp07.lab.example");
    LONG status = harness_provider_open(&w->provider, &w->dll, w->site.namespace_path);
    assert_int_equal(status, WBEM_S_INITIALIZED);
    w->svc = w->provider.services;
    w->ns = w->provider.ns;
    fake_sink *s = harness_query(w->svc, "WQL",
                                 "SELECT * FROM SMS_SystemResourceList WHERE RoleName='SMS "
                                 "Distribution Point'",
                                 0, NULL);
    harness_assert_ok(s);
    IWbemClassObject *row = harness_only_object(s);
    assert_string_prop(row, "ServerName", "DP07");
    assert_string_prop(row, "ServerRemoteName", "dp07.lab.example");
    assert_string_prop(row, "NALPath",
                       "[\"Display=\\\\DP07\\\"]MSWNET:[\"SMS_SITE=LAB\"]\\\\DP07\\");
    fake_sink_release(s);
    s = harness_query(w->svc, "WQL",
                      "SELECT * FROM SMS_SystemResourceList WHERE ServerName='HARNESS'", 0, NULL);
    harness_assert_ok(s);
    assert_int_equal(s->object_count, 2); /* site server and provider */
    fake_sink_release(s);
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
        T(test_s1_import_without_wimlib_fails_clearly_and_leaves_nothing),
        T(test_s4_add_os_install_package),
        T(test_s5_add_os_image_package),
        T(test_s10_assign_package_to_distribution_point),
        T(test_s10_configured_distribution_points),
        T(test_s12_lazy_properties),
        T(test_s13_error_path),
    };
    return cmocka_run_group_tests_name("windows.test_wmi_scenarios", tests, harness_group_setup,
                                       harness_group_teardown);
}
