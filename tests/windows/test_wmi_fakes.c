/* test_wmi_fakes.c - the harness's fake WMI behaves as WMI does, so the
 * DLL's tests hold it to WMI's rules: class objects from the MOF, Put's
 * coercions and refusals, __RELPATH/__PATH, property enumeration, method
 * signatures, Clone, the sinks, and the record of unexpected calls.  Runs
 * without the DLL. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "harness.h"

#define SITE_NS "root\\sms\\site_FAK"
#define BOOT "SMS_BootImagePackage"

/* Objects a failed test leaked are not blamed on the next one. */
static long live_before;

static int setup(void **state)
{
    live_before = fake_object_live_count();
    char *mof = harness_windows_path(harness_required_env("SMSPROV_SOURCE_MOF_DIR"));
    harness_schema_load(mof, SITE_NS);
    free(mof);
    harness_unexpected_reset();
    *state = fake_namespace_new(SITE_NS);
    return 0;
}

static int teardown(void **state)
{
    IWbemServices_Release((IWbemServices *)*state);
    harness_schema_unload();
    harness_unexpected_reset();
    return fake_object_live_count() == live_before ? 0 : -1;
}

static IWbemClassObject *class_object(IWbemServices *ns, const wchar_t *name, HRESULT *hr)
{
    IWbemClassObject *obj = NULL;
    BSTR b = SysAllocString(name);
    *hr = IWbemServices_GetObject(ns, b, 0, NULL, &obj, NULL);
    SysFreeString(b);
    return obj;
}

static void test_namespace_serves_class_definitions(void **state)
{
    IWbemServices *ns = *state;
    HRESULT hr;
    IWbemClassObject *cls = class_object(ns, L"SMS_BootImagePackage", &hr);
    assert_hr_equal(hr, S_OK);
    char *name = harness_class_name(cls), *super = harness_string(cls, "__SUPERCLASS");
    assert_string_equal(name, BOOT);
    assert_string_equal(super, "SMS_PackageBaseclass");
    assert_int_equal(harness_i4(cls, "__GENUS"), WBEM_GENUS_CLASS);
    char *rel = harness_relpath(cls);
    assert_string_equal(rel, BOOT);
    free(rel);
    free(name);
    free(super);
    IWbemClassObject_Release(cls);

    assert_null(class_object(ns, L"SMS_NoSuchClass", &hr));
    assert_hr_equal(hr, WBEM_E_NOT_FOUND);
    assert_int_equal(harness_unexpected_count(), 0);
    /* An instance path is not a class definition. */
    assert_null(class_object(ns, L"SMS_BootImagePackage.PackageID=\"X\"", &hr));
    assert_int_equal(harness_unexpected_count(), 1);
    assert_int_equal(fake_namespace_get_object_calls(ns), 3);
}

static void test_system_classes_are_in_every_namespace(void **state)
{
    (void)state;
    IWbemServices *root = fake_namespace_new("root\\sms");
    HRESULT hr;
    IWbemClassObject *status = class_object(root, L"__ExtendedStatus", &hr);
    assert_hr_equal(hr, S_OK);
    IWbemClassObject_Release(status);
    IWbemClassObject *location = class_object(root, L"SMS_ProviderLocation", &hr);
    assert_hr_equal(hr, S_OK);
    IWbemClassObject_Release(location);
    assert_null(class_object(root, L"SMS_BootImagePackage", &hr));
    assert_hr_equal(hr, WBEM_E_NOT_FOUND);
    IWbemServices_Release(root);
}

static void test_spawned_instance_has_defaults_and_relpath(void **state)
{
    IWbemClassObject *inst = harness_spawn(*state, BOOT);
    assert_int_equal(harness_i4(inst, "__GENUS"), WBEM_GENUS_INSTANCE);
    assert_int_equal(harness_i4(inst, "PackageType"), 258);
    assert_int_equal(harness_i4(inst, "ForcedDisconnectDelay"), 5);
    assert_true(harness_is_null(inst, "__RELPATH"));
    assert_true(harness_is_null(inst, "__PATH"));
    assert_hr_equal(harness_put_string(inst, "PackageID", "FAK\"1\\"), S_OK);
    char *rel = harness_relpath(inst);
    assert_string_equal(rel, "SMS_BootImagePackage.PackageID=\"FAK\\\"1\\\\\"");
    free(rel);
    char *path = harness_string(inst, "__PATH");
    assert_true(strncmp(path, "\\\\", 2) == 0);
    assert_non_null(strstr(path, "\\root\\sms\\site_FAK:SMS_BootImagePackage.PackageID="));
    free(path);
    IWbemClassObject_Release(inst);
}

static void test_relpath_sorts_keys_and_writes_numbers_bare(void **state)
{
    IWbemClassObject *dp = harness_spawn(*state, "SMS_DistributionPoint");
    assert_hr_equal(harness_put_string(dp, "SiteCode", "FAK"), S_OK);
    assert_hr_equal(harness_put_string(dp, "ServerNALPath", "[\"Display=\\\\dp\\\"]"), S_OK);
    assert_hr_equal(harness_put_string(dp, "PackageID", "FAK00001"), S_OK);
    char *rel = harness_relpath(dp);
    assert_string_equal(rel, "SMS_DistributionPoint.PackageID=\"FAK00001\","
                             "ServerNALPath=\"[\\\"Display=\\\\\\\\dp\\\\\\\"]\",SiteCode=\"FAK\"");
    free(rel);
    IWbemClassObject_Release(dp);
    IWbemClassObject *driver = harness_spawn(*state, "SMS_Driver");
    assert_hr_equal(harness_put_i4(driver, "CI_ID", 42), S_OK);
    rel = harness_relpath(driver);
    assert_string_equal(rel, "SMS_Driver.CI_ID=42");
    free(rel);
    IWbemClassObject_Release(driver);
}

static void test_put_coerces_like_wmi(void **state)
{
    IWbemClassObject *inst = harness_spawn(*state, BOOT);
    assert_hr_equal(harness_put_string(inst, "ImageIndex", "42"), S_OK);
    assert_int_equal(harness_i4(inst, "ImageIndex"), 42);
    assert_hr_equal(harness_put_i4(inst, "Name", 7), S_OK);
    char *name = harness_string(inst, "Name");
    assert_string_equal(name, "7");
    free(name);
    assert_hr_equal(harness_put_string(inst, "EnableLabShell", "true"), S_OK);
    assert_true(harness_bool(inst, "EnableLabShell"));
    /* uint32 travels as VT_I4 holding its bit pattern. */
    assert_hr_equal(harness_put_i4(inst, "ImageIndex", -1), S_OK);
    assert_int_equal((ULONG)harness_i4(inst, "ImageIndex"), 0xFFFFFFFFu);
    const char *ids[] = {"27", "28"};
    assert_hr_equal(harness_put_strings(inst, "OptionalComponents", ids, 2), S_OK);
    VARIANT v = harness_value(inst, "OptionalComponents");
    assert_int_equal(V_VT(&v), VT_ARRAY | VT_I4);
    VariantClear(&v);
    assert_hr_equal(harness_put_string(inst, "SourceDate", "20240101120000.000000+000"), S_OK);
    assert_hr_equal(harness_put_variant(inst, "Description", NULL), S_OK);
    assert_true(harness_is_null(inst, "Description"));
    IWbemClassObject_Release(inst);
}

static void test_put_refuses_like_wmi(void **state)
{
    IWbemClassObject *inst = harness_spawn(*state, BOOT);
    assert_hr_equal(harness_put_string(inst, "ScratchSpace", "lots"), WBEM_E_TYPE_MISMATCH);
    assert_hr_equal(harness_put_string(inst, "NoSuchProperty", "x"), WBEM_E_NOT_FOUND);
    assert_hr_equal(harness_put_string(inst, "__CLASS", "Other"), WBEM_E_READ_ONLY);
    assert_hr_equal(harness_put_string(inst, "SourceDate", "yesterday"), WBEM_E_TYPE_MISMATCH);
    assert_hr_equal(harness_put_string(inst, "OptionalComponents", "27"), WBEM_E_TYPE_MISMATCH);
    const char *names[] = {"a"};
    assert_hr_equal(harness_put_strings(inst, "Name", names, 1), WBEM_E_TYPE_MISMATCH);
    VARIANT big;
    VariantInit(&big);
    V_VT(&big) = VT_I8;
    V_I8(&big) = 0x100000000LL;
    assert_hr_equal(harness_put_variant(inst, "ScratchSpace", &big), WBEM_E_TYPE_MISMATCH);
    VARIANT text;
    VariantInit(&text);
    V_VT(&text) = VT_BSTR;
    V_BSTR(&text) = SysAllocString(L"x");
    assert_hr_equal(IWbemClassObject_Put(inst, L"Name", 0, &text, CIM_UINT32),
                    WBEM_E_TYPE_MISMATCH);
    VariantClear(&text);
    /* Nothing refused changed the instance. */
    assert_true(harness_is_null(inst, "ScratchSpace"));
    char *name = harness_string(inst, "Name");
    assert_string_equal(name, ""); /* the MOF default */
    free(name);
    IWbemClassObject_Release(inst);
}

static void test_embedded_objects_must_be_instances_of_the_class(void **state)
{
    IWbemClassObject *inst = harness_spawn(*state, BOOT);
    IWbemClassObject *driver = harness_spawn(*state, "SMS_Driver_Details");
    assert_hr_equal(harness_put_i4(driver, "ID", 5), S_OK);
    assert_hr_equal(harness_put_objects(inst, "ReferencedDrivers", &driver, 1), S_OK);
    IWbemClassObject *other = harness_spawn(*state, "SMS_ExtendedStatus");
    assert_hr_equal(harness_put_objects(inst, "ReferencedDrivers", &other, 1),
                    WBEM_E_TYPE_MISMATCH);
    VARIANT v = harness_value(inst, "ReferencedDrivers");
    assert_int_equal(V_VT(&v), VT_ARRAY | VT_UNKNOWN);
    VariantClear(&v);

    /* Clone copies embedded objects too. */
    IWbemClassObject *copy = NULL;
    assert_hr_equal(IWbemClassObject_Clone(inst, &copy), S_OK);
    assert_hr_equal(harness_put_i4(driver, "ID", 6), S_OK);
    v = harness_value(copy, "ReferencedDrivers");
    LONG i = 0;
    IUnknown *item = NULL;
    assert_hr_equal(SafeArrayGetElement(V_ARRAY(&v), &i, &item), S_OK);
    assert_ptr_not_equal(item, (IUnknown *)driver);
    assert_int_equal(harness_i4((IWbemClassObject *)item, "ID"), 5);
    IUnknown_Release(item);
    VariantClear(&v);
    IWbemClassObject_Release(copy);
    IWbemClassObject_Release(other);
    IWbemClassObject_Release(driver);
    IWbemClassObject_Release(inst);
}

static void test_enumeration_walks_the_class_properties(void **state)
{
    IWbemClassObject *inst = harness_spawn(*state, BOOT);
    const cim_class *cls = fake_object_class(inst);
    assert_hr_equal(IWbemClassObject_BeginEnumeration(inst, WBEM_FLAG_NONSYSTEM_ONLY), S_OK);
    size_t n = 0;
    BSTR name = NULL;
    VARIANT v;
    while (IWbemClassObject_Next(inst, 0, &name, &v, NULL, NULL) == S_OK) {
        char *utf8 = harness_utf8(name);
        assert_string_equal(utf8, cls->properties[n].name);
        free(utf8);
        SysFreeString(name);
        VariantClear(&v);
        n++;
    }
    assert_int_equal(n, cls->property_count);
    assert_int_equal(n, 58);
    assert_hr_equal(IWbemClassObject_Next(inst, 0, NULL, NULL, NULL, NULL), WBEM_S_NO_MORE_DATA);
    IWbemClassObject_EndEnumeration(inst);

    assert_hr_equal(IWbemClassObject_BeginEnumeration(inst, WBEM_FLAG_KEYS_ONLY), S_OK);
    assert_hr_equal(IWbemClassObject_Next(inst, 0, &name, NULL, NULL, NULL), S_OK);
    assert_true(wcscmp(name, L"PackageID") == 0);
    SysFreeString(name);
    assert_hr_equal(IWbemClassObject_Next(inst, 0, NULL, NULL, NULL, NULL), WBEM_S_NO_MORE_DATA);
    IWbemClassObject_EndEnumeration(inst);

    assert_hr_equal(IWbemClassObject_BeginEnumeration(inst, 0), S_OK);
    assert_hr_equal(IWbemClassObject_Next(inst, 0, &name, NULL, NULL, NULL), S_OK);
    assert_true(wcscmp(name, L"__GENUS") == 0);
    SysFreeString(name);
    IWbemClassObject_EndEnumeration(inst);
    IWbemClassObject_Release(inst);
}

static void test_method_signatures(void **state)
{
    HRESULT hr;
    IWbemClassObject *cls = class_object(*state, L"SMS_BootImagePackage", &hr);
    IWbemClassObject *in = NULL, *out = NULL;
    assert_hr_equal(IWbemClassObject_GetMethod(cls, L"QueryOSDBinaryInjectionStatus", 0, &in,
                                               &out),
                    S_OK);
    char *in_name = harness_class_name(in);
    assert_string_equal(in_name, "__PARAMETERS");
    free(in_name);
    assert_true(harness_is_null(in, "ContextID"));
    assert_true(harness_is_null(out, "ReturnValue"));
    assert_true(harness_is_null(out, "Status"));
    IWbemClassObject *params = NULL;
    assert_hr_equal(IWbemClassObject_SpawnInstance(out, 0, &params), S_OK);
    assert_hr_equal(harness_put_i4(params, "ReturnValue", 0), S_OK);
    assert_hr_equal(harness_put_string(params, "ContextID", "x"), WBEM_E_NOT_FOUND);
    IWbemClassObject_Release(params);
    IWbemClassObject_Release(in);
    IWbemClassObject_Release(out);

    assert_hr_equal(IWbemClassObject_GetMethod(cls, L"Unlock", 0, &in, &out), S_OK);
    assert_null(in);
    assert_non_null(out);
    IWbemClassObject_Release(out);
    assert_hr_equal(IWbemClassObject_GetMethod(cls, L"Explode", 0, &in, &out), WBEM_E_NOT_FOUND);
    IWbemClassObject_Release(cls);
}

static void test_slots_outside_the_contract_are_recorded(void **state)
{
    IWbemClassObject *inst = harness_spawn(*state, BOOT);
    BSTR text = NULL;
    assert_hr_equal(IWbemClassObject_GetObjectText(inst, 0, &text), WBEM_E_NOT_SUPPORTED);
    assert_hr_equal(IWbemClassObject_InheritsFrom(inst, L"SMS_BaseClass"), WBEM_E_NOT_SUPPORTED);
    IWbemClassObject *again = NULL;
    assert_hr_equal(IWbemClassObject_SpawnInstance(inst, 0, &again), WBEM_E_INVALID_OPERATION);
    assert_int_equal(harness_unexpected_count(), 3);
    char *names = harness_unexpected_names();
    assert_non_null(strstr(names, "IWbemClassObject::GetObjectText"));
    assert_non_null(strstr(names, "IWbemClassObject::InheritsFrom"));
    free(names);
    IWbemClassObject_Release(inst);
}

static void test_sink_records_one_completion(void **state)
{
    fake_sink *s = fake_sink_new();
    IWbemClassObject *inst = harness_spawn(*state, BOOT);
    assert_hr_equal(IWbemObjectSink_Indicate(&s->iface, 1, &inst), S_OK);
    IWbemClassObject_Release(inst);
    BSTR step = SysAllocString(L"step");
    IWbemObjectSink_SetStatus(&s->iface, WBEM_STATUS_PROGRESS, MAKELONG(3, 10), step, NULL);
    SysFreeString(step);
    assert_false(fake_sink_wait(s, 0));
    BSTR path = SysAllocString(L"X.K=1");
    IWbemObjectSink_SetStatus(&s->iface, WBEM_STATUS_COMPLETE, S_OK, path, NULL);
    SysFreeString(path);
    assert_true(fake_sink_wait(s, 0));
    harness_assert_ok(s);
    assert_int_equal(s->object_count, 1);
    assert_int_equal(s->progress_count, 1);
    assert_int_equal(s->progress[0].done, 3);
    assert_int_equal(s->progress[0].total, 10);
    assert_string_equal(s->status_param, "X.K=1");
    IWbemObjectSink_SetStatus(&s->iface, WBEM_STATUS_COMPLETE, S_OK, NULL, NULL);
    assert_int_equal(s->complete_calls, 2);
    assert_int_equal(s->calls_after_complete, 1);
    fake_sink_release(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_namespace_serves_class_definitions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_system_classes_are_in_every_namespace, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_spawned_instance_has_defaults_and_relpath, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_relpath_sorts_keys_and_writes_numbers_bare, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_put_coerces_like_wmi, setup, teardown),
        cmocka_unit_test_setup_teardown(test_put_refuses_like_wmi, setup, teardown),
        cmocka_unit_test_setup_teardown(test_embedded_objects_must_be_instances_of_the_class,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_enumeration_walks_the_class_properties, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_method_signatures, setup, teardown),
        cmocka_unit_test_setup_teardown(test_slots_outside_the_contract_are_recorded, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_sink_records_one_completion, setup, teardown),
    };
    return cmocka_run_group_tests_name("windows.test_wmi_fakes", tests, NULL, NULL);
}
