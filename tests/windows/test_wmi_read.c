/* test_wmi_read.c - the reading entry points through the real DLL:
 * CreateInstanceEnumAsync (deep and WBEM_FLAG_SHALLOW), GetObjectAsync
 * (path forms, lazy properties, embedded objects) and ExecQueryAsync, with
 * their error paths: each failure ends in one SetStatus carrying the
 * HRESULT and an SMS_ExtendedStatus that says what went wrong. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "harness.h"

#define BOOT "SMS_BootImagePackage"
#define OSIP "SMS_OperatingSystemInstallPackage"

static void assert_string_prop(IWbemClassObject *obj, const char *name, const char *want)
{
    char *got = harness_string(obj, name);
    if (!got || strcmp(got, want) != 0)
        fail_msg("%s is \"%s\", expected \"%s\".", name, got ? got : "(null)", want);
    free(got);
}

/* Two boot images and an OS install package. */
static void add_packages(harness_world *w)
{
    const char *boot1[] = {"Name=Boot x64", "ImageIndex=2", "ScratchSpace=128", NULL};
    const char *boot2[] = {"Name=Boot x86", NULL};
    const char *osip[] = {"Name=Windows 11", "PkgSourceFlag=2",
                          "PkgSourcePath=\\\\lab\\share\\os", NULL};
    free(harness_create(w->svc, w->ns, BOOT, boot1));
    free(harness_create(w->svc, w->ns, BOOT, boot2));
    free(harness_create(w->svc, w->ns, OSIP, osip));
}

static size_t enum_count(harness_world *w, const char *cls, LONG flags)
{
    fake_sink *s = harness_enum(w->svc, cls, flags, NULL);
    harness_assert_ok(s);
    size_t n = s->object_count;
    fake_sink_release(s);
    return n;
}

/* ---- CreateInstanceEnumAsync ---------------------------------------------- */

static void test_enum_delivers_instances_of_the_class(void **state)
{
    harness_world *w = harness_world_of(state);
    add_packages(w);
    fake_sink *s = harness_enum(w->svc, BOOT, 0, NULL);
    harness_assert_ok(s);
    assert_int_equal(s->object_count, 2);
    for (size_t i = 0; i < 2; i++) {
        char *cls = harness_class_name(s->objects[i]), *rel = harness_relpath(s->objects[i]);
        char *want = cim_xasprintf("SMS_BootImagePackage.PackageID=\"RDX%05u\"", (unsigned)i + 1);
        assert_string_equal(cls, BOOT);
        assert_string_equal(rel, want);
        free(want);
        free(rel);
        free(cls);
        assert_int_equal(harness_i4(s->objects[i], "PackageType"), 258);
    }
    fake_sink_release(s);
}

static void test_enum_deep_and_shallow(void **state)
{
    harness_world *w = harness_world_of(state);
    add_packages(w);
    assert_int_equal(enum_count(w, "SMS_PackageBaseclass", 0), 3);
    assert_int_equal(enum_count(w, "SMS_PackageBaseclass", WBEM_FLAG_SHALLOW), 0);
    assert_int_equal(enum_count(w, BOOT, WBEM_FLAG_SHALLOW), 2);
    assert_int_equal(enum_count(w, OSIP, 0), 1);
    assert_int_equal(enum_count(w, "SMS_DistributionPoint", 0), 0);
    /* Status wanted: same result, and progress (if any) only before the end. */
    fake_sink *s = harness_enum(w->svc, "SMS_PackageBaseclass", WBEM_FLAG_SEND_STATUS, NULL);
    harness_assert_ok(s);
    assert_int_equal(s->object_count, 3);
    fake_sink_release(s);
}

static void test_enum_errors(void **state)
{
    harness_world *w = harness_world_of(state);
    fake_sink *s = harness_enum(w->svc, "SMS_NoSuchClass", 0, NULL);
    harness_assert_failed(s, WBEM_E_INVALID_CLASS, "CreateInstanceEnum", "SMS_NoSuchClass");
    fake_sink_release(s);
    s = harness_enum(w->svc, "SMS_Driver_Details", 0, NULL);
    harness_assert_failed(s, WBEM_E_INVALID_OPERATION, "CreateInstanceEnum", "embedded");
    fake_sink_release(s);
    HRESULT returned;
    s = harness_enum(w->svc, NULL, 0, &returned);
    assert_hr_equal(returned, WBEM_E_INVALID_PARAMETER);
    assert_int_equal(s->complete_calls, 0);
    fake_sink_release(s);
}

/* ---- GetObjectAsync --------------------------------------------------------- */

static void test_get_accepts_every_path_form(void **state)
{
    harness_world *w = harness_world_of(state);
    add_packages(w);
    const char *paths[] = {
        "SMS_BootImagePackage.PackageID=\"RDX00001\"",
        "SMS_BootImagePackage.PackageID='RDX00001'",
        "sms_bootimagepackage.packageid=\"rdx00001\"",
        "\\\\HARNESS\\root\\sms\\site_RDX:SMS_BootImagePackage.PackageID=\"RDX00001\"",
        "SMS_PackageBaseclass.PackageID=\"RDX00001\"",
    };
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        fake_sink *s = harness_get(w->svc, paths[i], 0, NULL);
        harness_assert_ok(s);
        IWbemClassObject *obj = harness_only_object(s);
        assert_string_prop(obj, "__CLASS", BOOT);
        assert_string_prop(obj, "__RELPATH", "SMS_BootImagePackage.PackageID=\"RDX00001\"");
        assert_string_prop(obj, "Name", "Boot x64");
        fake_sink_release(s);
    }
}

static void test_get_fills_lazy_properties_enum_leaves_them_null(void **state)
{
    harness_world *w = harness_world_of(state);
    add_packages(w);
    IWbemClassObject *full = harness_fetch(w->svc, "SMS_BootImagePackage.PackageID=\"RDX00001\"");
    assert_int_equal(harness_i4(full, "ImageIndex"), 2);
    assert_int_equal(harness_i4(full, "ScratchSpace"), 128);
    IWbemClassObject_Release(full);
    fake_sink *s = harness_enum(w->svc, BOOT, 0, NULL);
    harness_assert_ok(s);
    assert_true(harness_is_null(s->objects[0], "ImageIndex"));
    assert_true(harness_is_null(s->objects[0], "ScratchSpace"));
    assert_false(harness_is_null(s->objects[0], "Name"));
    fake_sink_release(s);
}

static void test_get_returns_embedded_objects(void **state)
{
    harness_world *w = harness_world_of(state);
    IWbemClassObject *inst = harness_spawn(w->ns, BOOT);
    harness_put_string(inst, "Name", "drivers");
    IWbemClassObject *drivers[2];
    for (int i = 0; i < 2; i++) {
        drivers[i] = harness_spawn(w->ns, "SMS_Driver_Details");
        harness_put_i4(drivers[i], "ID", 10 + i);
        harness_put_string(drivers[i], "SourcePath", i ? "\\\\lab\\drivers\\b" : "\\\\lab\\drivers\\a");
    }
    assert_hr_equal(harness_put_objects(inst, "ReferencedDrivers", drivers, 2), S_OK);
    fake_sink *s = harness_put(w->svc, inst, WBEM_FLAG_CREATE_ONLY, NULL);
    harness_assert_ok(s);
    IWbemClassObject *got = harness_fetch(w->svc, s->status_param);
    fake_sink_release(s);
    VARIANT v = harness_value(got, "ReferencedDrivers");
    assert_int_equal(V_VT(&v), VT_ARRAY | VT_UNKNOWN);
    LONG high = -1;
    SafeArrayGetUBound(V_ARRAY(&v), 1, &high);
    assert_int_equal(high, 1);
    for (LONG i = 0; i <= high; i++) {
        IUnknown *unk = NULL;
        assert_hr_equal(SafeArrayGetElement(V_ARRAY(&v), &i, &unk), S_OK);
        IWbemClassObject *d = NULL;
        assert_hr_equal(IUnknown_QueryInterface(unk, &IID_IWbemClassObject, (void **)&d), S_OK);
        assert_string_prop(d, "__CLASS", "SMS_Driver_Details");
        assert_int_equal(harness_i4(d, "ID"), 10 + i);
        assert_string_prop(d, "SourcePath", i ? "\\\\lab\\drivers\\b" : "\\\\lab\\drivers\\a");
        IWbemClassObject_Release(d);
        IUnknown_Release(unk);
    }
    VariantClear(&v);
    IWbemClassObject_Release(got);
    for (int i = 0; i < 2; i++)
        IWbemClassObject_Release(drivers[i]);
    IWbemClassObject_Release(inst);
}

static void test_get_errors(void **state)
{
    harness_world *w = harness_world_of(state);
    struct {
        const char *path;
        HRESULT hr;
        const char *mention;
    } cases[] = {
        {"SMS_BootImagePackage.PackageID=\"RDX00009\"", WBEM_E_NOT_FOUND, "RDX00009"},
        {"SMS_BootImagePackage.PackageID=\"RDX00001", WBEM_E_INVALID_OBJECT_PATH, "closing"},
        {"SMS_NoSuchClass.PackageID=\"x\"", WBEM_E_INVALID_CLASS, "SMS_NoSuchClass"},
        {"SMS_BootImagePackage", WBEM_E_INVALID_OBJECT_PATH, "class path"},
        {"SMS_Driver_Details.ID=1", WBEM_E_INVALID_OPERATION, "embedded"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        fake_sink *s = harness_get(w->svc, cases[i].path, 0, NULL);
        harness_assert_failed(s, cases[i].hr, "GetObject", cases[i].mention);
        fake_sink_release(s);
    }
}

/* ---- ExecQueryAsync ----------------------------------------------------------- */

static void test_query_filters_and_leaves_lazy_properties_null(void **state)
{
    harness_world *w = harness_world_of(state);
    add_packages(w);
    fake_sink *s = harness_query(w->svc, "WQL",
                                 "SELECT * FROM SMS_PackageBaseclass WHERE Name LIKE 'Boot%' "
                                 "ORDER BY Name",
                                 0, NULL);
    harness_assert_ok(s);
    assert_int_equal(s->object_count, 2);
    assert_string_prop(s->objects[0], "Name", "Boot x64");
    assert_string_prop(s->objects[1], "Name", "Boot x86");
    assert_true(harness_is_null(s->objects[0], "ImageIndex"));
    fake_sink_release(s);
    s = harness_query(w->svc, "wql", "select * from SMS_OperatingSystemInstallPackage "
                                     "where PkgSourceFlag = 2",
                      WBEM_FLAG_SEND_STATUS, NULL);
    harness_assert_ok(s);
    assert_int_equal(s->object_count, 1);
    assert_string_prop(s->objects[0], "__CLASS", OSIP);
    fake_sink_release(s);
}

static void test_query_errors(void **state)
{
    harness_world *w = harness_world_of(state);
    fake_sink *s = harness_query(w->svc, "SQL", "SELECT * FROM SMS_BootImagePackage", 0, NULL);
    harness_assert_failed(s, WBEM_E_INVALID_QUERY_TYPE, "ExecQuery", "SQL");
    fake_sink_release(s);
    s = harness_query(w->svc, "WQL", "SELECT * FROM SMS_BootImagePackage WHERE", 0, NULL);
    harness_assert_failed(s, WBEM_E_INVALID_QUERY, "ExecQuery", "position");
    fake_sink_release(s);
    s = harness_query(w->svc, "WQL", "SELECT * FROM SMS_NoSuchClass", 0, NULL);
    harness_assert_failed(s, WBEM_E_INVALID_CLASS, "ExecQuery", "SMS_NoSuchClass");
    fake_sink_release(s);
}

int main(void)
{
    harness_use_site_code("RDX");
#define T(f) cmocka_unit_test_setup_teardown(f, harness_world_setup, harness_world_teardown)
    const struct CMUnitTest tests[] = {
        T(test_enum_delivers_instances_of_the_class),
        T(test_enum_deep_and_shallow),
        T(test_enum_errors),
        T(test_get_accepts_every_path_form),
        T(test_get_fills_lazy_properties_enum_leaves_them_null),
        T(test_get_returns_embedded_objects),
        T(test_get_errors),
        T(test_query_filters_and_leaves_lazy_properties_null),
        T(test_query_errors),
    };
    return cmocka_run_group_tests_name("windows.test_wmi_read", tests, harness_group_setup,
                                       harness_group_teardown);
}
