/* test_wmi_wimlib.c - smsprov.dll reading real WIMs through wimlib: the
 * test-only libwim-15.dll bridge (wimlib_bridge/) forwards to Debian's
 * libwim, so the DLL's own UTF-16 calls, its directory-tree callback and
 * its error strings are exercised against a WIM that wimlib-imagex
 * captured on the Linux side (SMSPROV_BRIDGE_WIM). */
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

/* Copies the captured WIM (or, with garbage, a damaged copy of it) to name
 * on the site's share. */
static void place_bridge_wim(harness_world *w, const char *name, bool garbage)
{
    char *from = harness_windows_path(harness_required_env("SMSPROV_BRIDGE_WIM"));
    char *to = cim_xasprintf("%s\\%s", w->site.share_dir, name);
    wchar_t *wide_from = harness_wide(from), *wide_to = harness_wide(to);
    assert_true(CopyFileW(wide_from, wide_to, FALSE));
    if (garbage) {
        /* Everything past the 208-byte header: the blob table and the XML
         * that opening a WIM reads are damaged whatever the size of the
         * captured files. */
        FILE *f = fopen(to, "r+b");
        assert_non_null(f);
        assert_int_equal(fseek(f, 0, SEEK_END), 0);
        long size = ftell(f);
        assert_true(size > 208);
        assert_int_equal(fseek(f, 208, SEEK_SET), 0);
        for (long i = 208; i < size; i++)
            fputc(0x5a, f);
        fclose(f);
    }
    free(wide_from);
    free(wide_to);
    free(from);
    free(to);
}

static fake_sink *get_image_properties(harness_world *w, const char *share_path)
{
    IWbemClassObject *in = harness_spawn_in_params(w->ns, BOOT, "GetImageProperties");
    harness_put_string(in, "SourceImagePath", share_path);
    fake_sink *s = harness_exec(w->svc, BOOT, "GetImageProperties", 0, in, NULL);
    IWbemClassObject_Release(in);
    return s;
}

static void test_image_properties_through_the_bridge(void **state)
{
    harness_world *w = harness_world_of(state);
    place_bridge_wim(w, "boot.wim", false);
    fake_sink *s = get_image_properties(w, "\\\\lab\\share\\boot.wim");
    harness_assert_ok(s);
    IWbemClassObject *out = harness_only_object(s);
    assert_int_equal(harness_i4(out, "ReturnValue"), 0);
    char *xml = harness_string(out, "ImageProperty");
    assert_non_null(xml);
    /* The name and description wimlib-imagex gave the image, back through
     * wimlib_get_image_property's UTF-16 strings. */
    assert_non_null(strstr(xml, "Bridge Test Image"));
    assert_non_null(strstr(xml, "captured on Linux"));
    free(xml);
    fake_sink_release(s);
}

/* A put with PkgSourcePath walks every image's directory tree (the bridge
 * calls the DLL's ms_abi callback with UTF-16 entries) and stores what the
 * WIM says on the instance. */
static void test_os_image_put_reads_the_wim(void **state)
{
    harness_world *w = harness_world_of(state);
    place_bridge_wim(w, "install.wim", false);
    const char *props[] = {"Name=bridge", "PkgSourcePath=\\\\lab\\share\\install.wim",
                           NULL};
    char *path = harness_create(w->svc, w->ns, "SMS_ImagePackage", props);
    IWbemClassObject *obj = harness_fetch(w->svc, path);
    char *xml = harness_string(obj, "ImageProperty");
    assert_non_null(xml);
    assert_non_null(strstr(xml, "Bridge Test Image"));
    free(xml);
    IWbemClassObject_Release(obj);
    free(path);
}

static void test_damaged_wim_fails_with_wimlibs_reason(void **state)
{
    harness_world *w = harness_world_of(state);
    place_bridge_wim(w, "bad.wim", true);
    fake_sink *s = get_image_properties(w, "\\\\lab\\share\\bad.wim");
    /* wimlib's own error string crosses the bridge into the status. */
    char *status = harness_status_description(s);
    assert_non_null(status);
    assert_true(FAILED(s->status));
    assert_non_null(strstr(status, "wimlib error"));
    free(status);
    fake_sink_release(s);
}

static void test_missing_wim_is_not_found(void **state)
{
    harness_world *w = harness_world_of(state);
    fake_sink *s = get_image_properties(w, "\\\\lab\\share\\absent.wim");
    assert_true(FAILED(s->status));
    char *status = harness_status_description(s);
    assert_non_null(status);
    assert_non_null(strstr(status, "absent.wim"));
    free(status);
    fake_sink_release(s);
}

int main(void)
{
    harness_use_site_code("WIM");
#define T(f) cmocka_unit_test_setup_teardown(f, harness_world_setup, harness_world_teardown)
    const struct CMUnitTest tests[] = {
        T(test_image_properties_through_the_bridge),
        T(test_os_image_put_reads_the_wim),
        T(test_damaged_wim_fails_with_wimlibs_reason),
        T(test_missing_wim_is_not_found),
    };
    return cmocka_run_group_tests_name("windows.test_wmi_wimlib", tests, harness_group_setup,
                                       harness_group_teardown);
}
