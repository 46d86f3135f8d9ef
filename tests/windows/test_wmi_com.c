/* test_wmi_com.c - smsprov.dll as a COM server and a WMI provider object:
 * DllGetClassObject, the class factory, QueryInterface and identity,
 * refcounts and DllCanUnloadNow, IWbemProviderInit::Initialize (site
 * namespaces, root\sms, unknown sites), calls before Initialize, the
 * IWbemServices slots the registration does not promise, two providers
 * sharing a site and concurrent calls on one provider. */
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

#define BOOT "SMS_BootImagePackage"

/* {00000000-1111-2222-3333-444444444444}: no such provider. */
static const CLSID other_clsid = {0x00000000, 0x1111, 0x2222,
                                  {0x33, 0x33, 0x44, 0x44, 0x44, 0x44, 0x44, 0x44}};

static IClassFactory *factory(void)
{
    IClassFactory *f = NULL;
    assert_hr_equal(harness_loaded_dll()->get_class_object(&CLSID_SmsprovProvider,
                                                           &IID_IClassFactory, (void **)&f),
                    S_OK);
    return f;
}

static HRESULT can_unload(void)
{
    return harness_loaded_dll()->can_unload_now();
}

/* ---- DllGetClassObject and the class factory ----------------------------- */

static void test_class_object_only_for_our_clsid(void **state)
{
    (void)state;
    const harness_dll *dll = harness_loaded_dll();
    void *out = (void *)1;
    assert_hr_equal(dll->get_class_object(&other_clsid, &IID_IClassFactory, &out),
                    CLASS_E_CLASSNOTAVAILABLE);
    assert_null(out);
    IUnknown *unk = NULL;
    assert_hr_equal(dll->get_class_object(&CLSID_SmsprovProvider, &IID_IUnknown, (void **)&unk),
                    S_OK);
    IUnknown_Release(unk);
    out = (void *)1;
    assert_hr_equal(dll->get_class_object(&CLSID_SmsprovProvider, &IID_IWbemServices, &out),
                    E_NOINTERFACE);
    assert_null(out);
    assert_hr_equal(can_unload(), S_OK);
}

static void test_class_factory_makes_provider_objects(void **state)
{
    (void)state;
    IClassFactory *f = factory();
    IUnknown *outer = (IUnknown *)f, *obj = (IUnknown *)1;
    assert_hr_equal(IClassFactory_CreateInstance(f, outer, &IID_IUnknown, (void **)&obj),
                    CLASS_E_NOAGGREGATION);
    assert_null(obj);
    obj = (IUnknown *)1;
    assert_hr_equal(IClassFactory_CreateInstance(f, NULL, &IID_IDispatch, (void **)&obj),
                    E_NOINTERFACE);
    assert_null(obj);
    const IID *iids[] = {&IID_IUnknown, &IID_IWbemProviderInit, &IID_IWbemServices};
    for (size_t i = 0; i < 3; i++) {
        assert_hr_equal(IClassFactory_CreateInstance(f, NULL, iids[i], (void **)&obj), S_OK);
        assert_non_null(obj);
        assert_hr_equal(can_unload(), S_FALSE);
        assert_int_equal(IUnknown_Release(obj), 0);
    }
    assert_hr_equal(can_unload(), S_FALSE); /* the factory itself is alive */
    assert_int_equal(IClassFactory_Release(f), 0);
    assert_hr_equal(can_unload(), S_OK);
}

static void test_lock_server_keeps_the_dll(void **state)
{
    (void)state;
    IClassFactory *f = factory();
    assert_hr_equal(IClassFactory_LockServer(f, TRUE), S_OK);
    IClassFactory_Release(f);
    assert_hr_equal(can_unload(), S_FALSE);
    f = factory();
    assert_hr_equal(IClassFactory_LockServer(f, FALSE), S_OK);
    IClassFactory_Release(f);
    assert_hr_equal(can_unload(), S_OK);
}

/* ---- the provider object --------------------------------------------------- */

static void test_query_interface_and_identity(void **state)
{
    (void)state;
    IClassFactory *f = factory();
    IWbemProviderInit *init = NULL;
    assert_hr_equal(IClassFactory_CreateInstance(f, NULL, &IID_IWbemProviderInit, (void **)&init),
                    S_OK);
    IClassFactory_Release(f);
    IWbemServices *svc = NULL;
    assert_hr_equal(IWbemProviderInit_QueryInterface(init, &IID_IWbemServices, (void **)&svc),
                    S_OK);
    IUnknown *from_init = NULL, *from_svc = NULL;
    IWbemProviderInit_QueryInterface(init, &IID_IUnknown, (void **)&from_init);
    IWbemServices_QueryInterface(svc, &IID_IUnknown, (void **)&from_svc);
    assert_ptr_equal(from_init, from_svc); /* COM identity */
    IWbemProviderInit *back = NULL;
    assert_hr_equal(IWbemServices_QueryInterface(svc, &IID_IWbemProviderInit, (void **)&back),
                    S_OK);
    assert_ptr_equal(back, init);
    void *none = (void *)1;
    assert_hr_equal(IWbemServices_QueryInterface(svc, &IID_IClassFactory, &none), E_NOINTERFACE);
    assert_null(none);
    /* Refcounts: six references now, one per interface pointer handed out. */
    assert_int_equal(IWbemServices_AddRef(svc), 6);
    assert_int_equal(IWbemServices_Release(svc), 5);
    IWbemProviderInit_Release(back);
    IUnknown_Release(from_svc);
    IUnknown_Release(from_init);
    IWbemServices_Release(svc);
    assert_hr_equal(can_unload(), S_FALSE);
    assert_int_equal(IWbemProviderInit_Release(init), 0);
    assert_hr_equal(can_unload(), S_OK);
}

static void test_initialize_keeps_the_namespace_until_release(void **state)
{
    harness_world *w = harness_world_of(state);
    assert_hr_equal(w->provider.initialize_result, WBEM_S_NO_ERROR);
    assert_int_equal(w->provider.init_sink->calls, 1);
    assert_true(fake_namespace_refs(w->ns) >= 2);

    harness_provider second;
    assert_int_equal(harness_provider_open(&second, &w->dll, w->site.namespace_path),
                     WBEM_S_INITIALIZED);
    IWbemServices *ns = second.ns;
    IWbemServices_AddRef(ns);
    assert_true(fake_namespace_refs(ns) >= 3);
    harness_provider_close(&second);
    assert_int_equal(fake_namespace_refs(ns), 1);
    IWbemServices_Release(ns);
}

static void test_initialize_refuses_namespaces_without_a_site(void **state)
{
    harness_world *w = harness_world_of(state);
    const char *namespaces[] = {"root\\sms\\site_ZZZ", "root\\cimv2", "root\\sms\\site_"};
    for (size_t i = 0; i < 3; i++) {
        harness_provider p;
        LONG status = harness_provider_open(&p, &w->dll, namespaces[i]);
        if (status == WBEM_S_INITIALIZED || SUCCEEDED(status) || p.init_sink->calls != 1)
            fail_msg("Initialize(%s) reported 0x%08lx (%ld calls).", namespaces[i],
                     (unsigned long)status, (long)p.init_sink->calls);
        assert_null(p.services);
        harness_provider_close(&p);
    }
}

static void test_root_sms_serves_the_provider_location(void **state)
{
    harness_world *w = harness_world_of(state);
    harness_provider root;
    assert_int_equal(harness_provider_open(&root, &w->dll, "root\\sms"), WBEM_S_INITIALIZED);
    fake_sink *s = harness_enum(root.services, "SMS_ProviderLocation", 0, NULL);
    harness_assert_ok(s);
    IWbemClassObject *loc = harness_only_object(s);
    char *code = harness_string(loc, "SiteCode"), *path = harness_string(loc, "NamespacePath");
    char *machine = harness_string(loc, "Machine");
    assert_string_equal(code, w->site.site_code);
    assert_true(harness_bool(loc, "ProviderForLocalSite"));
    const char *tail = "\\root\\sms\\site_COM";
    assert_true(strlen(path) > strlen(tail));
    assert_string_equal(path + strlen(path) - strlen(tail), tail);
    assert_string_equal(machine, "HARNESS");
    free(code);
    free(path);
    free(machine);
    fake_sink_release(s);
    harness_provider_close(&root);
}

static void test_calls_before_initialize_fail(void **state)
{
    (void)state;
    IClassFactory *f = factory();
    IWbemServices *svc = NULL;
    assert_hr_equal(IClassFactory_CreateInstance(f, NULL, &IID_IWbemServices, (void **)&svc),
                    S_OK);
    IClassFactory_Release(f);
    HRESULT returned;
    fake_sink *s = harness_enum(svc, BOOT, 0, &returned);
    assert_true(FAILED(returned) || (s->complete_calls == 1 && FAILED(s->status)));
    assert_int_equal(s->object_count, 0);
    assert_int_equal(s->calls_after_complete, 0);
    fake_sink_release(s);
    IWbemServices_Release(svc);
}

/* ---- slots the registration does not promise ----------------------------- */

static bool refused(HRESULT hr)
{
    return hr == (HRESULT)WBEM_E_NOT_SUPPORTED || hr == (HRESULT)WBEM_E_PROVIDER_NOT_CAPABLE;
}

static void test_unregistered_slots_are_refused(void **state)
{
    harness_world *w = harness_world_of(state);
    IWbemServices *svc = w->svc;
    fake_sink *s = fake_sink_new();
    IWbemObjectSink *sink = &s->iface;
    BSTR cls = SysAllocString(L"SMS_BootImagePackage");
    BSTR path = SysAllocString(L"SMS_BootImagePackage.PackageID=\"COM00001\"");
    BSTR wql = SysAllocString(L"WQL"), query = SysAllocString(L"SELECT * FROM SMS_BootImagePackage");
    BSTR method = SysAllocString(L"Unlock");
    IWbemClassObject *inst = harness_spawn(w->ns, BOOT), *obj = NULL;
    IWbemServices *other = NULL;
    IEnumWbemClassObject *en = NULL;
    IWbemObjectSink *handler = NULL;
    IWbemCallResult *result = NULL;
    struct {
        const char *name;
        HRESULT hr;
    } calls[] = {
        {"OpenNamespace", IWbemServices_OpenNamespace(svc, cls, 0, NULL, &other, &result)},
        {"CancelAsyncCall", IWbemServices_CancelAsyncCall(svc, sink)},
        {"QueryObjectSink", IWbemServices_QueryObjectSink(svc, 0, &handler)},
        {"GetObject", IWbemServices_GetObject(svc, path, 0, NULL, &obj, &result)},
        {"PutClass", IWbemServices_PutClass(svc, inst, 0, NULL, &result)},
        {"PutClassAsync", IWbemServices_PutClassAsync(svc, inst, 0, NULL, sink)},
        {"DeleteClass", IWbemServices_DeleteClass(svc, cls, 0, NULL, &result)},
        {"DeleteClassAsync", IWbemServices_DeleteClassAsync(svc, cls, 0, NULL, sink)},
        {"CreateClassEnum", IWbemServices_CreateClassEnum(svc, cls, 0, NULL, &en)},
        {"CreateClassEnumAsync", IWbemServices_CreateClassEnumAsync(svc, cls, 0, NULL, sink)},
        {"PutInstance", IWbemServices_PutInstance(svc, inst, 0, NULL, &result)},
        {"DeleteInstance", IWbemServices_DeleteInstance(svc, path, 0, NULL, &result)},
        {"CreateInstanceEnum", IWbemServices_CreateInstanceEnum(svc, cls, 0, NULL, &en)},
        {"ExecQuery", IWbemServices_ExecQuery(svc, wql, query, 0, NULL, &en)},
        {"ExecNotificationQuery",
         IWbemServices_ExecNotificationQuery(svc, wql, query, 0, NULL, &en)},
        {"ExecNotificationQueryAsync",
         IWbemServices_ExecNotificationQueryAsync(svc, wql, query, 0, NULL, sink)},
        {"ExecMethod", IWbemServices_ExecMethod(svc, path, method, 0, NULL, NULL, &obj, &result)},
    };
    for (size_t i = 0; i < sizeof calls / sizeof calls[0]; i++)
        if (!refused(calls[i].hr))
            fail_msg("IWbemServices::%s answered 0x%08lx instead of WBEM_E_NOT_SUPPORTED or "
                     "WBEM_E_PROVIDER_NOT_CAPABLE.",
                     calls[i].name, (unsigned long)calls[i].hr);
    /* Nothing was handed out and the sink was neither called nor kept. */
    assert_null(other);
    assert_null(obj);
    assert_null(en);
    assert_null(handler);
    assert_null(result);
    assert_int_equal(s->complete_calls, 0);
    assert_int_equal(s->object_count, 0);
    assert_int_equal(s->refs, 1);
    IWbemClassObject_Release(inst);
    SysFreeString(cls);
    SysFreeString(path);
    SysFreeString(wql);
    SysFreeString(query);
    SysFreeString(method);
    fake_sink_release(s);
}

/* ---- sharing and threads ----------------------------------------------------- */

static char *create_boot_image(IWbemServices *svc, IWbemServices *ns, const char *name)
{
    IWbemClassObject *inst = harness_spawn(ns, BOOT);
    assert_hr_equal(harness_put_string(inst, "Name", name), S_OK);
    fake_sink *s = harness_put(svc, inst, WBEM_FLAG_CREATE_ONLY, NULL);
    IWbemClassObject_Release(inst);
    harness_assert_ok(s);
    char *path = cim_xstrdup(s->status_param);
    fake_sink_release(s);
    return path;
}

static void test_two_providers_share_one_site(void **state)
{
    harness_world *w = harness_world_of(state);
    harness_provider second;
    assert_int_equal(harness_provider_open(&second, &w->dll, w->site.namespace_path),
                     WBEM_S_INITIALIZED);
    char *path = create_boot_image(second.services, second.ns, "shared");
    harness_provider_close(&second);
    /* The site stays open for the first provider after the second left. */
    fake_sink *s = harness_get(w->svc, path, 0, NULL);
    harness_assert_ok(s);
    char *name = harness_string(harness_only_object(s), "Name");
    assert_string_equal(name, "shared");
    free(name);
    fake_sink_release(s);
    free(path);
}

#define THREADS 4
#define PUTS_PER_THREAD 5

typedef struct worker {
    harness_world *w;
    int failures;
} worker;

static DWORD WINAPI put_several(void *arg)
{
    worker *wk = arg;
    CoInitializeEx(NULL, COINIT_MULTITHREADED);
    for (int i = 0; i < PUTS_PER_THREAD; i++) {
        IWbemClassObject *inst = harness_spawn(wk->w->ns, BOOT);
        harness_put_string(inst, "Name", "threaded");
        fake_sink *s = harness_put(wk->w->svc, inst, WBEM_FLAG_CREATE_ONLY, NULL);
        IWbemClassObject_Release(inst);
        if (s->complete_calls != 1 || s->status != S_OK)
            wk->failures++;
        fake_sink_release(s);
    }
    CoUninitialize();
    return 0;
}

static void test_concurrent_calls_on_one_provider(void **state)
{
    harness_world *w = harness_world_of(state);
    worker workers[THREADS];
    HANDLE threads[THREADS];
    for (int i = 0; i < THREADS; i++) {
        workers[i] = (worker){.w = w};
        threads[i] = CreateThread(NULL, 0, put_several, &workers[i], 0, NULL);
    }
    WaitForMultipleObjects(THREADS, threads, TRUE, INFINITE);
    for (int i = 0; i < THREADS; i++) {
        CloseHandle(threads[i]);
        assert_int_equal(workers[i].failures, 0);
    }
    fake_sink *s = harness_enum(w->svc, BOOT, 0, NULL);
    harness_assert_ok(s);
    assert_int_equal(s->object_count, THREADS * PUTS_PER_THREAD);
    for (size_t i = 0; i < s->object_count; i++) {
        char *a = harness_string(s->objects[i], "PackageID");
        for (size_t j = i + 1; j < s->object_count; j++) {
            char *b = harness_string(s->objects[j], "PackageID");
            assert_string_not_equal(a, b);
            free(b);
        }
        free(a);
    }
    fake_sink_release(s);
}

int main(void)
{
    harness_use_site_code("COM");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_class_object_only_for_our_clsid),
        cmocka_unit_test(test_class_factory_makes_provider_objects),
        cmocka_unit_test(test_lock_server_keeps_the_dll),
        cmocka_unit_test(test_query_interface_and_identity),
        cmocka_unit_test_setup_teardown(test_initialize_keeps_the_namespace_until_release,
                                        harness_world_setup, harness_world_teardown),
        cmocka_unit_test_setup_teardown(test_initialize_refuses_namespaces_without_a_site,
                                        harness_world_setup, harness_world_teardown),
        cmocka_unit_test_setup_teardown(test_root_sms_serves_the_provider_location,
                                        harness_world_setup, harness_world_teardown),
        cmocka_unit_test(test_calls_before_initialize_fail),
        cmocka_unit_test_setup_teardown(test_unregistered_slots_are_refused, harness_world_setup,
                                        harness_world_teardown),
        cmocka_unit_test_setup_teardown(test_two_providers_share_one_site, harness_world_setup,
                                        harness_world_teardown),
        cmocka_unit_test_setup_teardown(test_concurrent_calls_on_one_provider,
                                        harness_world_setup, harness_world_teardown),
    };
    return cmocka_run_group_tests_name("windows.test_wmi_com", tests, harness_group_setup,
                                       harness_group_teardown);
}
