/* test_wmi_methods.c - ExecMethodAsync through the real DLL: instance
 * methods (RefreshPkgSource, SetSourceSite, Unlock, AddDistributionPoints,
 * UpdateOptionalComponents, AddChangeNotification), static methods
 * (QueryOSDBinaryInjectionStatus, DeleteContextID) on a class path, the
 * out-parameters object, method errors, progress only when
 * WBEM_FLAG_SEND_STATUS asks for it, and the WIM work the Windows build
 * cannot do, which must fail with a clear sentence. */
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
#define BOOT1 "SMS_BootImagePackage.PackageID=\"MTH00001\""

static char *create(harness_world *w, const char *cls, const char *name)
{
    char *assignment = cim_xasprintf("Name=%s", name);
    const char *props[] = {assignment, NULL};
    char *path = harness_create(w->svc, w->ns, cls, props);
    free(assignment);
    return path;
}

/* Runs a method that must succeed and returns its out-parameters object
 * (caller releases), checking it is WMI's __PARAMETERS with ReturnValue. */
static IWbemClassObject *call_ok(harness_world *w, const char *path, const char *method,
                                 IWbemClassObject *in, LONG flags)
{
    fake_sink *s = harness_exec(w->svc, path, method, flags, in, NULL);
    harness_assert_ok(s);
    IWbemClassObject *out = harness_only_object(s);
    IWbemClassObject_AddRef(out);
    fake_sink_release(s);
    char *cls = harness_class_name(out);
    assert_string_equal(cls, "__PARAMETERS");
    free(cls);
    assert_int_equal(harness_i4(out, "ReturnValue"), 0);
    return out;
}

static void call_ok_and_forget(harness_world *w, const char *path, const char *method,
                               IWbemClassObject *in)
{
    /* Not inside the COM macro: it would evaluate the call twice. */
    IWbemClassObject *out = call_ok(w, path, method, in, 0);
    IWbemClassObject_Release(out);
}

static LONG source_version(harness_world *w, const char *path)
{
    IWbemClassObject *obj = harness_fetch(w->svc, path);
    LONG v = harness_i4(obj, "SourceVersion");
    IWbemClassObject_Release(obj);
    return v;
}

static char *string_of(harness_world *w, const char *path, const char *name)
{
    IWbemClassObject *obj = harness_fetch(w->svc, path);
    char *v = harness_string(obj, name);
    IWbemClassObject_Release(obj);
    return v;
}

/* ---- instance methods ------------------------------------------------------ */

static void test_refresh_pkg_source_increments_source_version(void **state)
{
    harness_world *w = harness_world_of(state);
    free(create(w, BOOT, "boot"));
    char *osip = create(w, OSIP, "refresh");
    LONG before = source_version(w, osip);
    /* No parameters: the in-parameters object is NULL, as WMI passes it. */
    call_ok_and_forget(w, osip, "RefreshPkgSource", NULL);
    assert_int_equal(source_version(w, osip), before + 1);
    free(osip);
}

static void test_set_source_site_and_unlock(void **state)
{
    harness_world *w = harness_world_of(state);
    free(create(w, BOOT, "site"));
    IWbemClassObject *in = harness_spawn_in_params(w->ns, BOOT, "SetSourceSite");
    assert_hr_equal(harness_put_string(in, "SourceSite", "CEN"), S_OK);
    call_ok_and_forget(w, BOOT1, "SetSourceSite", in);
    char *site = string_of(w, BOOT1, "SourceSite");
    assert_string_equal(site, "CEN");
    free(site);
    assert_null(harness_spawn_in_params(w->ns, BOOT, "Unlock"));
    call_ok_and_forget(w, BOOT1, "Unlock", NULL);
    site = string_of(w, BOOT1, "SourceSite");
    assert_string_equal(site, "MTH");
    free(site);

    harness_put_string(in, "SourceSite", "toolong");
    fake_sink *s = harness_exec(w->svc, BOOT1, "SetSourceSite", 0, in, NULL);
    harness_assert_failed(s, WBEM_E_INVALID_METHOD_PARAMETERS, "ExecMethod", "toolong");
    char *param = harness_string(s->status_object, "ParameterInfo");
    assert_string_equal(param, "SourceSite");
    free(param);
    fake_sink_release(s);
    IWbemClassObject_Release(in);
}

static void test_add_distribution_points_creates_dp_rows(void **state)
{
    harness_world *w = harness_world_of(state);
    free(create(w, BOOT, "dp"));
    IWbemClassObject *in = harness_spawn_in_params(w->ns, BOOT, "AddDistributionPoints");
    const char *sites[] = {"MTH"};
    const char *nal[] = {"[\"Display=\\\\DP1\\\"]MSWNET:[\"SMS_SITE=MTH\"]\\\\DP1\\"};
    assert_hr_equal(harness_put_strings(in, "SiteCode", sites, 1), S_OK);
    assert_hr_equal(harness_put_strings(in, "NALPath", nal, 1), S_OK);
    call_ok_and_forget(w, BOOT1, "AddDistributionPoints", in);
    fake_sink *s = harness_enum(w->svc, "SMS_DistributionPoint", 0, NULL);
    harness_assert_ok(s);
    IWbemClassObject *dp = harness_only_object(s);
    char *pid = harness_string(dp, "PackageID"), *path = harness_string(dp, "ServerNALPath");
    assert_string_equal(pid, "MTH00001");
    assert_string_equal(path, nal[0]);
    free(pid);
    free(path);
    fake_sink_release(s);

    const char *two[] = {"MTH", "MTH"};
    harness_put_strings(in, "SiteCode", two, 2);
    s = harness_exec(w->svc, BOOT1, "AddDistributionPoints", 0, in, NULL);
    harness_assert_failed(s, WBEM_E_INVALID_METHOD_PARAMETERS, "ExecMethod", "SiteCode");
    fake_sink_release(s);
    IWbemClassObject_Release(in);
}

static void test_update_optional_components_without_image(void **state)
{
    harness_world *w = harness_world_of(state);
    free(create(w, BOOT, "oc"));
    IWbemClassObject *in = harness_spawn_in_params(w->ns, BOOT, "UpdateOptionalComponents");
    const char *ids[] = {"27"};
    harness_put_strings(in, "ComponentIds", ids, 1);
    /* Without an ImagePath there is no content to rebuild: the IDs are stored. */
    call_ok_and_forget(w, BOOT1, "UpdateOptionalComponents", in);
    IWbemClassObject *obj = harness_fetch(w->svc, BOOT1);
    VARIANT v = harness_value(obj, "OptionalComponents");
    assert_int_equal(V_VT(&v), VT_ARRAY | VT_I4);
    LONG i = 0, id = 0;
    SafeArrayGetElement(V_ARRAY(&v), &i, &id);
    assert_int_equal(id, 27);
    VariantClear(&v);
    IWbemClassObject_Release(obj);
    const char *bad[] = {"99"};
    harness_put_strings(in, "ComponentIds", bad, 1);
    fake_sink *s = harness_exec(w->svc, BOOT1, "UpdateOptionalComponents", 0, in, NULL);
    harness_assert_failed(s, WBEM_E_INVALID_METHOD_PARAMETERS, "ExecMethod", "99");
    fake_sink_release(s);
    IWbemClassObject_Release(in);
    call_ok_and_forget(w, BOOT1, "AddChangeNotification", NULL);
}

/* ---- static methods -------------------------------------------------------- */

static void test_static_methods_on_the_class_path(void **state)
{
    harness_world *w = harness_world_of(state);
    IWbemClassObject *in = harness_spawn_in_params(w->ns, BOOT, "QueryOSDBinaryInjectionStatus");
    harness_put_string(in, "ContextID", "{00000000-0000-0000-0000-000000000001}");
    IWbemClassObject *out = call_ok(w, BOOT, "QueryOSDBinaryInjectionStatus", in, 0);
    assert_int_equal(harness_i4(out, "Status"), 3); /* no status for that context */
    assert_int_equal(harness_i4(out, "Progress"), 0);
    char *text = harness_string(out, "ProgressText");
    assert_non_null(text);
    free(text);
    IWbemClassObject_Release(out);
    IWbemClassObject_Release(in);

    in = harness_spawn_in_params(w->ns, BOOT, "DeleteContextID");
    harness_put_string(in, "ContextID", "{00000000-0000-0000-0000-000000000001}");
    call_ok_and_forget(w, BOOT, "DeleteContextID", in);
    IWbemClassObject_Release(in);
}

/* ---- errors ------------------------------------------------------------------ */

static void test_method_errors(void **state)
{
    harness_world *w = harness_world_of(state);
    free(create(w, BOOT, "errors"));
    fake_sink *s = harness_exec(w->svc, BOOT1, "Explode", 0, NULL, NULL);
    harness_assert_failed(s, WBEM_E_INVALID_METHOD, "ExecMethod", "Explode");
    fake_sink_release(s);
    s = harness_exec(w->svc, BOOT, "Unlock", 0, NULL, NULL);
    harness_assert_failed(s, WBEM_E_INVALID_OPERATION, "ExecMethod", "instance method");
    fake_sink_release(s);
    s = harness_exec(w->svc, "SMS_BootImagePackage.PackageID=\"MTH00009\"", "Unlock", 0, NULL,
                     NULL);
    harness_assert_failed(s, WBEM_E_NOT_FOUND, "ExecMethod", "MTH00009");
    fake_sink_release(s);
    s = harness_exec(w->svc, BOOT1, "SetSourceSite", 0, NULL, NULL);
    harness_assert_failed(s, WBEM_E_INVALID_METHOD_PARAMETERS, "ExecMethod", "SourceSite");
    fake_sink_release(s);
    /* A boot image rebuild needs a WIM to start from. */
    s = harness_exec(w->svc, BOOT1, "RefreshPkgSource", 0, NULL, NULL);
    harness_assert_failed(s, WBEM_E_INVALID_OPERATION, "ExecMethod", "ImagePath");
    fake_sink_release(s);
    HRESULT returned;
    s = harness_exec(w->svc, BOOT1, NULL, 0, NULL, &returned);
    assert_true(FAILED(returned) || (s->complete_calls == 1 && FAILED(s->status)));
    fake_sink_release(s);
}

/* ---- what the Windows build cannot do ---------------------------------------- */

/* A file where a WIM would be, so the calls get as far as reading it. */
static void place_wim(harness_world *w, const char *name)
{
    char *path = cim_xasprintf("%s\\%s", w->site.share_dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs("MSWIM\0\0\0", f);
    fclose(f);
    free(path);
}

static void test_wim_methods_name_what_is_missing(void **state)
{
    harness_world *w = harness_world_of(state);
    place_wim(w, "boot.wim");
    IWbemClassObject *in = harness_spawn_in_params(w->ns, BOOT, "GetImageProperties");
    harness_put_string(in, "SourceImagePath", "\\\\lab\\share\\boot.wim");
    fake_sink *s = harness_exec(w->svc, BOOT, "GetImageProperties", 0, in, NULL);
    harness_assert_failed(s, WBEM_E_NOT_AVAILABLE, "ExecMethod", "libwim-15.dll");
    fake_sink_release(s);
    IWbemClassObject_Release(in);
}

/* An ADK with a WinPE folder, so an export gets as far as servicing. */
static void place_adk(harness_world *w)
{
    const char *parts[] = {"adk\\Windows Preinstallation Environment",
                           "adk\\Windows Preinstallation Environment\\amd64"};
    for (size_t i = 0; i < 2; i++) {
        char *dir = cim_xasprintf("%s\\%s", w->site.scratch, parts[i]);
        wchar_t *wide = harness_wide(dir);
        CreateDirectoryW(wide, NULL);
        free(wide);
        free(dir);
    }
}

static IWbemClassObject *export_params(harness_world *w)
{
    IWbemClassObject *in = harness_spawn_in_params(w->ns, BOOT, "ExportDefaultBootImage");
    harness_put_string(in, "Architecture", "x64");
    harness_put_i4(in, "ImageIndex", 1);
    harness_put_string(in, "ExportImagePath", "\\\\lab\\share\\export.wim");
    return in;
}

static void test_export_default_boot_image_fails_clearly(void **state)
{
    harness_world *w = harness_world_of(state);
    place_adk(w);
    IWbemClassObject *in = export_params(w);
    fake_sink *s = harness_exec(w->svc, BOOT, "ExportDefaultBootImage", 0, in, NULL);
    /* This program sees a host without libwim-15.dll: the export fails
     * with the sentence saying where to put it. */
    harness_assert_failed(s, WBEM_E_FAILED, "ExecMethod", "libwim-15.dll");
    char *why = harness_status_description(s);
    fake_sink_release(s);
    IWbemClassObject_Release(in);
    char *wim = cim_xasprintf("%s\\export.wim", w->site.share_dir);
    assert_int_equal(GetFileAttributesA(wim), INVALID_FILE_ATTRIBUTES);
    free(wim);
    /* S-9 step 2: the export's status queue (named by ExportImagePath)
     * reports the error with the same sentence. */
    in = harness_spawn_in_params(w->ns, BOOT, "QueryOSDBinaryInjectionStatus");
    harness_put_string(in, "ContextID", "\\\\lab\\share\\export.wim");
    IWbemClassObject *out = call_ok(w, BOOT, "QueryOSDBinaryInjectionStatus", in, 0);
    assert_int_equal(harness_i4(out, "Status"), 2);
    assert_int_not_equal(harness_i4(out, "ErrorCode"), 0);
    char *text = harness_string(out, "ProgressText");
    assert_string_equal(text, why);
    free(text);
    free(why);
    IWbemClassObject_Release(out);
    IWbemClassObject_Release(in);
}

/* ---- progress ---------------------------------------------------------------- */

/* Progress travels as MAKELONG(done, total), before the final status, and
 * only when the caller asked for it. */
static void test_progress_only_with_send_status(void **state)
{
    harness_world *w = harness_world_of(state);
    place_adk(w);
    IWbemClassObject *in = export_params(w);
    fake_sink *quiet = harness_exec(w->svc, BOOT, "ExportDefaultBootImage", 0, in, NULL);
    assert_int_equal(quiet->complete_calls, 1);
    assert_int_equal(quiet->progress_count, 0);
    fake_sink_release(quiet);
    fake_sink *told =
        harness_exec(w->svc, BOOT, "ExportDefaultBootImage", WBEM_FLAG_SEND_STATUS, in, NULL);
    assert_int_equal(told->complete_calls, 1);
    assert_int_equal(told->calls_after_complete, 0);
    assert_true(told->progress_count >= 1);
    for (size_t i = 0; i < told->progress_count; i++) {
        assert_int_equal(told->progress[i].total, 100);
        assert_true(told->progress[i].done <= told->progress[i].total);
        assert_non_null(strstr(told->progress[i].text, "ExportDefaultBootImage"));
    }
    fake_sink_release(told);
    IWbemClassObject_Release(in);
}

int main(void)
{
    harness_use_site_code("MTH");
#define T(f) cmocka_unit_test_setup_teardown(f, harness_world_setup, harness_world_teardown)
    const struct CMUnitTest tests[] = {
        T(test_refresh_pkg_source_increments_source_version),
        T(test_set_source_site_and_unlock),
        T(test_add_distribution_points_creates_dp_rows),
        T(test_update_optional_components_without_image),
        T(test_static_methods_on_the_class_path),
        T(test_method_errors),
        T(test_wim_methods_name_what_is_missing),
        T(test_export_default_boot_image_fails_clearly),
        T(test_progress_only_with_send_status),
    };
    return cmocka_run_group_tests_name("windows.test_wmi_methods", tests, harness_group_setup,
                                       harness_group_teardown);
}
