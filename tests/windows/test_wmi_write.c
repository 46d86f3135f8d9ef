/* test_wmi_write.c - PutInstanceAsync (WBEM_FLAG_CREATE_ONLY,
 * WBEM_FLAG_UPDATE_ONLY, WBEM_FLAG_CREATE_OR_UPDATE and a combination it
 * cannot do) and DeleteInstanceAsync through the real DLL.  Every refused
 * put ends in one SetStatus with the HRESULT and an SMS_ExtendedStatus
 * naming the property or object, and leaves the stored data as it was. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "harness.h"

#define BOOT "SMS_BootImagePackage"
#define FIRST "SMS_BootImagePackage.PackageID=\"WRT00001\""

static char *create_boot(harness_world *w, const char *name)
{
    char *assignment = cim_xasprintf("Name=%s", name);
    const char *props[] = {assignment, NULL};
    char *path = harness_create(w->svc, w->ns, BOOT, props);
    free(assignment);
    return path;
}

static size_t boot_count(harness_world *w)
{
    fake_sink *s = harness_enum(w->svc, BOOT, 0, NULL);
    harness_assert_ok(s);
    size_t n = s->object_count;
    fake_sink_release(s);
    return n;
}

static char *prop(harness_world *w, const char *path, const char *name)
{
    IWbemClassObject *obj = harness_fetch(w->svc, path);
    char *value = harness_string(obj, name);
    IWbemClassObject_Release(obj);
    return value;
}

/* Fetches path, changes one property with Put, and puts it back. */
static fake_sink *put_changed(harness_world *w, const char *path, const char *name,
                              const char *value, LONG flags)
{
    IWbemClassObject *obj = harness_fetch(w->svc, path);
    assert_hr_equal(harness_put_string(obj, name, value), S_OK);
    fake_sink *s = harness_put(w->svc, obj, flags, NULL);
    IWbemClassObject_Release(obj);
    return s;
}

/* ---- the put modes -------------------------------------------------------- */

static void test_create_only_assigns_package_ids(void **state)
{
    harness_world *w = harness_world_of(state);
    char *first = create_boot(w, "one"), *second = create_boot(w, "two");
    assert_string_equal(first, FIRST);
    assert_string_equal(second, "SMS_BootImagePackage.PackageID=\"WRT00002\"");
    IWbemClassObject *obj = harness_fetch(w->svc, first);
    assert_int_equal(harness_i4(obj, "PackageType"), 258);
    char *site = harness_string(obj, "SourceSite");
    assert_string_equal(site, "WRT");
    free(site);
    IWbemClassObject_Release(obj);
    free(first);
    free(second);
}

static void test_create_only_refuses_an_existing_instance(void **state)
{
    harness_world *w = harness_world_of(state);
    free(create_boot(w, "one"));
    fake_sink *s = put_changed(w, FIRST, "Description", "replaced", WBEM_FLAG_CREATE_ONLY);
    harness_assert_failed(s, WBEM_E_ALREADY_EXISTS, "PutInstance", "already exists");
    fake_sink_release(s);
    assert_null(prop(w, FIRST, "Description")); /* never set */
    assert_int_equal(boot_count(w), 1);
}

static void test_update_only_changes_an_existing_instance(void **state)
{
    harness_world *w = harness_world_of(state);
    free(create_boot(w, "one"));
    fake_sink *s = put_changed(w, FIRST, "Description", "changed",
                               WBEM_FLAG_UPDATE_ONLY | WBEM_FLAG_SEND_STATUS);
    harness_assert_ok(s);
    assert_string_equal(s->status_param, FIRST);
    fake_sink_release(s);
    char *d = prop(w, FIRST, "Description");
    assert_string_equal(d, "changed");
    free(d);

    /* A new object (PackageID left empty) is not an update. */
    IWbemClassObject *fresh = harness_spawn(w->ns, BOOT);
    harness_put_string(fresh, "Name", "new");
    s = harness_put(w->svc, fresh, WBEM_FLAG_UPDATE_ONLY, NULL);
    harness_assert_failed(s, WBEM_E_NOT_FOUND, "PutInstance", "update-only");
    fake_sink_release(s);
    /* Nor is one naming a package the site never assigned. */
    harness_put_string(fresh, "PackageID", "WRT00009");
    s = harness_put(w->svc, fresh, WBEM_FLAG_UPDATE_ONLY, NULL);
    harness_assert_failed(s, WBEM_E_NOT_FOUND, "PutInstance", "WRT00009");
    fake_sink_release(s);
    IWbemClassObject_Release(fresh);
    assert_int_equal(boot_count(w), 1);
}

static void test_create_or_update_does_either(void **state)
{
    harness_world *w = harness_world_of(state);
    IWbemClassObject *fresh = harness_spawn(w->ns, BOOT);
    harness_put_string(fresh, "Name", "either");
    fake_sink *s = harness_put(w->svc, fresh, WBEM_FLAG_CREATE_OR_UPDATE, NULL);
    IWbemClassObject_Release(fresh);
    harness_assert_ok(s);
    assert_string_equal(s->status_param, FIRST);
    fake_sink_release(s);
    s = put_changed(w, FIRST, "Name", "renamed", WBEM_FLAG_CREATE_OR_UPDATE);
    harness_assert_ok(s);
    assert_string_equal(s->status_param, FIRST);
    fake_sink_release(s);
    char *name = prop(w, FIRST, "Name");
    assert_string_equal(name, "renamed");
    free(name);
    assert_int_equal(boot_count(w), 1);
}

static void test_create_and_update_only_together_are_refused(void **state)
{
    harness_world *w = harness_world_of(state);
    IWbemClassObject *fresh = harness_spawn(w->ns, BOOT);
    harness_put_string(fresh, "Name", "both");
    fake_sink *s =
        harness_put(w->svc, fresh, WBEM_FLAG_CREATE_ONLY | WBEM_FLAG_UPDATE_ONLY, NULL);
    IWbemClassObject_Release(fresh);
    /* The method documentation names WBEM_E_PROVIDER_NOT_CAPABLE for flags a
     * provider cannot honour; WBEM_E_INVALID_PARAMETER is as fair. */
    HRESULT hr = s->status == (HRESULT)WBEM_E_PROVIDER_NOT_CAPABLE ? WBEM_E_PROVIDER_NOT_CAPABLE
                                                                   : WBEM_E_INVALID_PARAMETER;
    harness_assert_failed(s, hr, "PutInstance", "WBEM_FLAG_CREATE_ONLY");
    fake_sink_release(s);
    assert_int_equal(boot_count(w), 0);
}

static void test_put_without_an_instance_is_refused(void **state)
{
    harness_world *w = harness_world_of(state);
    HRESULT returned;
    fake_sink *s = harness_put(w->svc, NULL, 0, &returned);
    assert_true(FAILED(returned) || (s->complete_calls == 1 && FAILED(s->status)));
    fake_sink_release(s);
}

/* ---- the SMS Provider's rules through WMI objects ------------------------- */

static void test_rule_violation_changes_nothing(void **state)
{
    harness_world *w = harness_world_of(state);
    free(create_boot(w, "rules"));
    char *version = prop(w, FIRST, "SedoObjectVersion");
    fake_sink *s = put_changed(w, FIRST, "ScratchSpace", "100", 0);
    harness_assert_failed(s, WBEM_E_INVALID_PARAMETER, "PutInstance", "ScratchSpace");
    char *param = harness_string(s->status_object, "ParameterInfo");
    assert_string_equal(param, "ScratchSpace");
    free(param);
    fake_sink_release(s);
    char *after = prop(w, FIRST, "SedoObjectVersion");
    assert_string_equal(after, version);
    free(after);
    free(version);
    s = put_changed(w, FIRST, "ScratchSpace", "256", 0);
    harness_assert_ok(s);
    fake_sink_release(s);
}

static void test_stale_sedo_object_version_is_refused(void **state)
{
    harness_world *w = harness_world_of(state);
    free(create_boot(w, "sedo"));
    IWbemClassObject *old = harness_fetch(w->svc, FIRST);
    fake_sink *s = put_changed(w, FIRST, "Description", "first change", 0);
    harness_assert_ok(s);
    fake_sink_release(s);
    harness_put_string(old, "Description", "second change");
    s = harness_put(w->svc, old, 0, NULL);
    IWbemClassObject_Release(old);
    harness_assert_failed(s, WBEM_E_INVALID_OPERATION, "PutInstance", "changed by someone else");
    fake_sink_release(s);
    char *d = prop(w, FIRST, "Description");
    assert_string_equal(d, "first change");
    free(d);
}

static void test_read_only_values_sent_are_ignored(void **state)
{
    harness_world *w = harness_world_of(state);
    const char *props[] = {"Name=RO", "SourceVersion=99", "SourceSite=XYZ", "PackageSize=5",
                           NULL};
    char *path = harness_create(w->svc, w->ns, BOOT, props);
    IWbemClassObject *obj = harness_fetch(w->svc, path);
    assert_int_equal(harness_i4(obj, "SourceVersion"), 1);
    assert_int_equal(harness_i4(obj, "PackageSize"), 0);
    char *site = harness_string(obj, "SourceSite");
    assert_string_equal(site, "WRT");
    free(site);
    IWbemClassObject_Release(obj);
    free(path);
}

static void test_abstract_and_embedded_classes_cannot_be_put(void **state)
{
    harness_world *w = harness_world_of(state);
    IWbemClassObject *base = harness_spawn(w->ns, "SMS_PackageBaseclass");
    harness_put_string(base, "Name", "abstract");
    fake_sink *s = harness_put(w->svc, base, 0, NULL);
    harness_assert_failed(s, WBEM_E_INVALID_OPERATION, "PutInstance", "abstract");
    fake_sink_release(s);
    IWbemClassObject_Release(base);
    IWbemClassObject *token = harness_spawn(w->ns, "SMS_ST_NonRecurring");
    s = harness_put(w->svc, token, 0, NULL);
    harness_assert_failed(s, WBEM_E_INVALID_OPERATION, "PutInstance", "embedded");
    fake_sink_release(s);
    IWbemClassObject_Release(token);
    assert_int_equal(boot_count(w), 0);
}

static void test_embedded_driver_details_need_a_source_path(void **state)
{
    harness_world *w = harness_world_of(state);
    IWbemClassObject *inst = harness_spawn(w->ns, BOOT);
    harness_put_string(inst, "Name", "drivers");
    IWbemClassObject *driver = harness_spawn(w->ns, "SMS_Driver_Details");
    harness_put_i4(driver, "ID", 5);
    assert_hr_equal(harness_put_objects(inst, "ReferencedDrivers", &driver, 1), S_OK);
    fake_sink *s = harness_put(w->svc, inst, WBEM_FLAG_CREATE_ONLY, NULL);
    harness_assert_failed(s, WBEM_E_INVALID_PARAMETER, "PutInstance", "SourcePath");
    fake_sink_release(s);
    IWbemClassObject_Release(driver);
    IWbemClassObject_Release(inst);
    assert_int_equal(boot_count(w), 0);
}

/* ---- DeleteInstanceAsync ----------------------------------------------------- */

static void test_delete_removes_and_ids_are_not_reused(void **state)
{
    harness_world *w = harness_world_of(state);
    free(create_boot(w, "doomed"));
    fake_sink *s = harness_delete(w->svc, FIRST, 0, NULL);
    harness_assert_ok(s);
    fake_sink_release(s);
    s = harness_get(w->svc, FIRST, 0, NULL);
    harness_assert_failed(s, WBEM_E_NOT_FOUND, "GetObject", "WRT00001");
    fake_sink_release(s);
    char *next = create_boot(w, "next");
    assert_string_equal(next, "SMS_BootImagePackage.PackageID=\"WRT00002\"");
    free(next);
}

static void test_delete_errors(void **state)
{
    harness_world *w = harness_world_of(state);
    free(create_boot(w, "kept"));
    fake_sink *s = harness_delete(w->svc, "SMS_BootImagePackage.PackageID=\"WRT00009\"", 0, NULL);
    harness_assert_failed(s, WBEM_E_NOT_FOUND, "DeleteInstance", "WRT00009");
    fake_sink_release(s);
    s = harness_delete(w->svc, "SMS_BootImagePackage.PackageID=", 0, NULL);
    harness_assert_failed(s, WBEM_E_INVALID_OBJECT_PATH, "DeleteInstance", NULL);
    fake_sink_release(s);
    s = harness_delete(w->svc, "SMS_NoSuchClass.PackageID=\"WRT00001\"", 0, NULL);
    harness_assert_failed(s, WBEM_E_INVALID_CLASS, "DeleteInstance", "SMS_NoSuchClass");
    fake_sink_release(s);
    assert_int_equal(boot_count(w), 1);
}

int main(void)
{
    harness_use_site_code("WRT");
#define T(f) cmocka_unit_test_setup_teardown(f, harness_world_setup, harness_world_teardown)
    const struct CMUnitTest tests[] = {
        T(test_create_only_assigns_package_ids),
        T(test_create_only_refuses_an_existing_instance),
        T(test_update_only_changes_an_existing_instance),
        T(test_create_or_update_does_either),
        T(test_create_and_update_only_together_are_refused),
        T(test_put_without_an_instance_is_refused),
        T(test_rule_violation_changes_nothing),
        T(test_stale_sedo_object_version_is_refused),
        T(test_read_only_values_sent_are_ignored),
        T(test_abstract_and_embedded_classes_cannot_be_put),
        T(test_embedded_driver_details_need_a_source_path),
        T(test_delete_removes_and_ids_are_not_reused),
        T(test_delete_errors),
    };
    return cmocka_run_group_tests_name("windows.test_wmi_write", tests, harness_group_setup,
                                       harness_group_teardown);
}
