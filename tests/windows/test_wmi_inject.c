/* test_wmi_inject.c - S-1 through smsprov.dll under Wine: a boot image put
 * with ImagePath imports a real WinPE WIM (made by mkwinpe on the Linux
 * side) and injects the OSD binaries osdinjection.xml names, with the
 * scratch space set in the image's SYSTEM hive, all through the same
 * servicing code as on Linux and the real wimlib (the test-only
 * libwim-15.dll bridge).  The DLL's result is checked here as WMI shows
 * it, then copied out for check_inject.py, which reads it on the Linux side
 * with wimlib-imagex, hivexget and osdinjection.xml. */
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
#define CONTEXT "{5E1D2C3B-0000-4000-8000-0000000000A1}"

static void copy_file(const char *from, const char *to)
{
    wchar_t *wide_from = harness_wide(from), *wide_to = harness_wide(to);
    if (!CopyFileW(wide_from, wide_to, FALSE))
        fail_msg("Copying %s to %s failed (error %lu).", from, to, GetLastError());
    free(wide_from);
    free(wide_to);
}

/* The mkwinpe image named name, as a Windows path. */
static char *winpe_image(const char *name)
{
    char *dir = harness_windows_path(harness_required_env("SMSPROV_WINDOWS_WINPE_DIR"));
    char *path = cim_xasprintf("%s\\images\\%s", dir, name);
    free(dir);
    return path;
}

/* Where check_inject.py reads the results: SMSPROV_WINDOWS_INJECT_OUT. */
static char *out_path(const char *name)
{
    char *dir = harness_windows_path(harness_required_env("SMSPROV_WINDOWS_INJECT_OUT"));
    wchar_t *wide = harness_wide(dir);
    CreateDirectoryW(wide, NULL);
    free(wide);
    char *path = cim_xasprintf("%s\\%s", dir, name);
    free(dir);
    return path;
}

static IWbemClassObject *injection_status(harness_world *w)
{
    IWbemClassObject *in = harness_spawn_in_params(w->ns, BOOT, "QueryOSDBinaryInjectionStatus");
    harness_put_string(in, "ContextID", CONTEXT);
    fake_sink *s = harness_exec(w->svc, BOOT, "QueryOSDBinaryInjectionStatus", 0, in, NULL);
    IWbemClassObject_Release(in);
    harness_assert_ok(s);
    IWbemClassObject *status = harness_only_object(s);
    IWbemClassObject_AddRef(status);
    fake_sink_release(s);
    return status;
}

static void test_s1_import_injects_the_osd_binaries(void **state)
{
    harness_world *w = harness_world_of(state);
    char *source = winpe_image("boot_x64.wim");
    char *shared = cim_xasprintf("%s\\boot_x64.wim", w->site.share_dir);
    copy_file(source, shared);
    const char *props[] = {"Name=Boot image (x64) S-1",
                           "Description=imported by smsprov.dll",
                           "ImagePath=\\\\lab\\share\\boot_x64.wim",
                           "ImageIndex=1",
                           "ScratchSpace=256",
                           "ContextID=" CONTEXT,
                           NULL};
    char *path = harness_create(w->svc, w->ns, BOOT, props);
    IWbemClassObject *obj = harness_fetch(w->svc, path);

    /* The package values come from the WIM the DLL wrote. */
    char *package_id = harness_string(obj, "PackageID");
    char *arch = harness_string(obj, "Architecture");
    char *version = harness_string(obj, "ImageOSVersion");
    char *language = harness_string(obj, "Language");
    char *source_path = harness_string(obj, "PkgSourcePath");
    char *properties = harness_string(obj, "ImageProperty");
    assert_non_null(package_id);
    assert_string_equal(arch, "x64");
    assert_string_equal(version, "10.0.22621.1");
    assert_string_equal(language, "en-US");
    assert_non_null(source_path);
    char *wim_name = cim_xasprintf("boot.%s.wim", package_id);
    assert_non_null(strstr(source_path, wim_name));
    assert_non_null(strstr(properties, "<Property Name=\"Architecture\">9</Property>"));
    assert_int_equal(harness_i4(obj, "PackageType"), 258);
    assert_int_equal(harness_i4(obj, "ScratchSpace"), 256);

    /* S-9 step 2: the import's status queue says it finished. */
    IWbemClassObject *status = injection_status(w);
    assert_int_equal(harness_i4(status, "Status"), 0);
    assert_int_equal(harness_i4(status, "ErrorCode"), 0);
    assert_int_equal(harness_i4(status, "Progress"), harness_i4(status, "MaxProgress"));
    IWbemClassObject_Release(status);

    /* The published WIM and the source as the share holds it now, for the
     * Linux-side readers. */
    char *content = cim_xasprintf("%s\\content\\%s", w->site.scratch, wim_name);
    char *result = out_path("result.wim"), *source_after = out_path("source-after.wim");
    copy_file(content, result);
    copy_file(shared, source_after);

    free(result);
    free(source_after);
    free(content);
    free(wim_name);
    free(package_id);
    free(arch);
    free(version);
    free(language);
    free(source_path);
    free(properties);
    IWbemClassObject_Release(obj);
    free(path);
    free(shared);
    free(source);
}

/* Optional components at import: cabinets read with cabinet.dll's FDI, their
 * payload added and each package registered in the image's SOFTWARE hive
 * (check_inject.py reads result-ocs.wim). */
static void test_s1_import_with_optional_components(void **state)
{
    harness_world *w = harness_world_of(state);
    char *source = winpe_image("boot_x64.wim");
    char *shared = cim_xasprintf("%s\\boot_x64.wim", w->site.share_dir);
    copy_file(source, shared);
    IWbemClassObject *inst = harness_spawn(w->ns, BOOT);
    harness_put_string(inst, "Name", "Boot image with HTA and PowerShell");
    harness_put_string(inst, "ImagePath", "\\\\lab\\share\\boot_x64.wim");
    harness_put_i4(inst, "ImageIndex", 1);
    /* 36 and 41 (HTA, PowerShell): their prerequisites come with them. */
    SAFEARRAY *ids = SafeArrayCreateVector(VT_I4, 0, 2);
    LONG values[] = {36, 41};
    for (LONG i = 0; i < 2; i++)
        assert_int_equal(SafeArrayPutElement(ids, &i, &values[i]), S_OK);
    VARIANT v;
    VariantInit(&v);
    V_VT(&v) = VT_ARRAY | VT_I4;
    V_ARRAY(&v) = ids;
    assert_int_equal(harness_put_variant(inst, "OptionalComponents", &v), S_OK);
    VariantClear(&v);
    fake_sink *s = harness_put(w->svc, inst, WBEM_FLAG_CREATE_ONLY, NULL);
    IWbemClassObject_Release(inst);
    harness_assert_ok(s);
    assert_non_null(s->status_param);
    IWbemClassObject *obj = harness_fetch(w->svc, s->status_param);
    fake_sink_release(s);
    char *package_id = harness_string(obj, "PackageID");
    assert_non_null(package_id);
    char *content = cim_xasprintf("%s\\content\\boot.%s.wim", w->site.scratch, package_id);
    char *result = out_path("result-ocs.wim");
    copy_file(content, result);
    free(result);
    free(content);
    free(package_id);
    IWbemClassObject_Release(obj);
    free(shared);
    free(source);
}

/* A source whose data is damaged fails the put with wimlib's reason, its
 * status queue says so, and nothing is published or kept. */
static void test_s1_damaged_source_is_never_published(void **state)
{
    harness_world *w = harness_world_of(state);
    char *source = winpe_image("boot_x64.wim");
    char *shared = cim_xasprintf("%s\\damaged.wim", w->site.share_dir);
    copy_file(source, shared);
    /* Everything between the 208-byte header and the blob table (the
     * header's lookup-table resource header at 48; its offset at 56). */
    FILE *f = fopen(shared, "r+b");
    assert_non_null(f);
    unsigned char offset[8];
    assert_int_equal(fseek(f, 56, SEEK_SET), 0);
    assert_int_equal(fread(offset, 1, sizeof offset, f), sizeof offset);
    uint64_t table = 0;
    for (int i = 7; i >= 0; i--)
        table = table << 8 | offset[i];
    assert_true(table > 208);
    assert_int_equal(fseek(f, 208, SEEK_SET), 0);
    for (uint64_t i = 208; i < table; i++)
        fputc(0x5a, f);
    fclose(f);

    IWbemClassObject *inst = harness_spawn(w->ns, BOOT);
    harness_put_string(inst, "Name", "Boot image from a damaged WIM");
    harness_put_string(inst, "ImagePath", "\\\\lab\\share\\damaged.wim");
    harness_put_i4(inst, "ImageIndex", 1);
    harness_put_string(inst, "ContextID", CONTEXT);
    fake_sink *s = harness_put(w->svc, inst, 0, NULL);
    IWbemClassObject_Release(inst);
    harness_assert_failed(s, WBEM_E_FAILED, "PutInstance", "damaged.wim");
    char *why = harness_status_description(s);
    assert_non_null(strstr(why, "wimlib error"));
    fake_sink_release(s);

    IWbemClassObject *status = injection_status(w);
    assert_int_equal(harness_i4(status, "Status"), 2);
    assert_int_not_equal(harness_i4(status, "ErrorCode"), 0);
    IWbemClassObject_Release(status);
    free(why);

    s = harness_enum(w->svc, "SMS_PackageBaseclass", 0, NULL);
    harness_assert_ok(s);
    assert_int_equal(s->object_count, 0);
    fake_sink_release(s);
    /* No boot.*.wim, and no temporary file, left in the content folder. */
    char *pattern = cim_xasprintf("%s\\content\\*.wim*", w->site.scratch);
    wchar_t *wide = harness_wide(pattern);
    WIN32_FIND_DATAW found;
    HANDLE h = FindFirstFileW(wide, &found);
    if (h != INVALID_HANDLE_VALUE) {
        FindClose(h);
        fail_msg("%ls was left in the content folder.", found.cFileName);
    }
    free(wide);
    free(pattern);
    free(shared);
    free(source);
}

int main(void)
{
    harness_use_site_code("INJ");
#define T(f) cmocka_unit_test_setup_teardown(f, harness_world_setup, harness_world_teardown)
    const struct CMUnitTest tests[] = {
        T(test_s1_import_injects_the_osd_binaries),
        T(test_s1_import_with_optional_components),
        T(test_s1_damaged_source_is_never_published),
    };
    return cmocka_run_group_tests_name("windows.test_wmi_inject", tests, harness_group_setup,
                                       harness_group_teardown);
}
