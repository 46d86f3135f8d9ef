/* fake_namespace.c - the IWbemServices WMI hands a provider in Initialize.
 * A provider may only ask it for class definitions (GetObject with a class
 * name); everything else records an unexpected call. */
#include <stdlib.h>
#include <string.h>

#include "harness.h"

typedef struct fake_namespace {
    IWbemServices iface;
    LONG refs;
    char *namespace_path;
    volatile LONG get_object_calls;
} fake_namespace;

static const IWbemServicesVtbl namespace_vtbl;

static fake_namespace *namespace_of(IWbemServices *iface)
{
    return (fake_namespace *)iface;
}

IWbemServices *fake_namespace_new(const char *namespace_path)
{
    fake_namespace *ns = cim_xcalloc(1, sizeof *ns);
    ns->iface.lpVtbl = &namespace_vtbl;
    ns->refs = 1;
    ns->namespace_path = cim_xstrdup(namespace_path);
    return &ns->iface;
}

long fake_namespace_get_object_calls(IWbemServices *iface)
{
    return InterlockedCompareExchange(&namespace_of(iface)->get_object_calls, 0, 0);
}

ULONG fake_namespace_refs(IWbemServices *iface)
{
    return (ULONG)InterlockedCompareExchange(&namespace_of(iface)->refs, 0, 0);
}

static HRESULT STDMETHODCALLTYPE ns_query_interface(IWbemServices *iface, REFIID riid, void **out)
{
    if (!out)
        return E_POINTER;
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IWbemServices)) {
        *out = iface;
        IWbemServices_AddRef(iface);
        return S_OK;
    }
    *out = NULL;
    return E_NOINTERFACE;
}

static ULONG STDMETHODCALLTYPE ns_add_ref(IWbemServices *iface)
{
    return (ULONG)InterlockedIncrement(&namespace_of(iface)->refs);
}

static ULONG STDMETHODCALLTYPE ns_release(IWbemServices *iface)
{
    fake_namespace *ns = namespace_of(iface);
    LONG left = InterlockedDecrement(&ns->refs);
    if (left == 0) {
        free(ns->namespace_path);
        free(ns);
    }
    return (ULONG)left;
}

/* Class definitions only: an instance path would make WMI call a provider,
 * which a provider asking its own namespace must not rely on. */
static HRESULT STDMETHODCALLTYPE ns_get_object(IWbemServices *iface, const BSTR path, LONG flags,
                                               IWbemContext *ctx, IWbemClassObject **out,
                                               IWbemCallResult **result)
{
    (void)ctx;
    fake_namespace *ns = namespace_of(iface);
    InterlockedIncrement(&ns->get_object_calls);
    if (!out || !path)
        return WBEM_E_INVALID_PARAMETER;
    *out = NULL;
    if (result) {
        harness_unexpected("IWbemServices::GetObject with a call result");
        *result = NULL;
    }
    if (flags != 0)
        harness_unexpected("IWbemServices::GetObject with flags");
    char *name = harness_utf8(path);
    if (strpbrk(name, ".=:\\")) {
        harness_unexpected("IWbemServices::GetObject of an instance path");
        free(name);
        return WBEM_E_INVALID_PARAMETER;
    }
    const cim_class *cls = harness_find_class(ns->namespace_path, name);
    free(name);
    if (!cls)
        return WBEM_E_NOT_FOUND;
    *out = fake_class_object_new(cls, ns->namespace_path);
    return S_OK;
}

/* ---- slots outside the contract ------------------------------------------ */

#define NOT_IN_CONTRACT(slot)                            \
    do {                                                 \
        (void)iface;                                     \
        harness_unexpected("IWbemServices::" slot);      \
        return WBEM_E_NOT_SUPPORTED;                     \
    } while (0)

static HRESULT STDMETHODCALLTYPE ns_open_namespace(IWbemServices *iface, const BSTR ns, LONG flags,
                                                   IWbemContext *ctx, IWbemServices **out,
                                                   IWbemCallResult **result)
{
    (void)ns, (void)flags, (void)ctx, (void)out, (void)result;
    NOT_IN_CONTRACT("OpenNamespace");
}

static HRESULT STDMETHODCALLTYPE ns_cancel_async_call(IWbemServices *iface, IWbemObjectSink *sink)
{
    (void)sink;
    NOT_IN_CONTRACT("CancelAsyncCall");
}

static HRESULT STDMETHODCALLTYPE ns_query_object_sink(IWbemServices *iface, LONG flags,
                                                      IWbemObjectSink **out)
{
    (void)flags, (void)out;
    NOT_IN_CONTRACT("QueryObjectSink");
}

static HRESULT STDMETHODCALLTYPE ns_get_object_async(IWbemServices *iface, const BSTR path,
                                                     LONG flags, IWbemContext *ctx,
                                                     IWbemObjectSink *sink)
{
    (void)path, (void)flags, (void)ctx, (void)sink;
    NOT_IN_CONTRACT("GetObjectAsync");
}

static HRESULT STDMETHODCALLTYPE ns_put_class(IWbemServices *iface, IWbemClassObject *obj,
                                              LONG flags, IWbemContext *ctx,
                                              IWbemCallResult **result)
{
    (void)obj, (void)flags, (void)ctx, (void)result;
    NOT_IN_CONTRACT("PutClass");
}

static HRESULT STDMETHODCALLTYPE ns_put_class_async(IWbemServices *iface, IWbemClassObject *obj,
                                                    LONG flags, IWbemContext *ctx,
                                                    IWbemObjectSink *sink)
{
    (void)obj, (void)flags, (void)ctx, (void)sink;
    NOT_IN_CONTRACT("PutClassAsync");
}

static HRESULT STDMETHODCALLTYPE ns_delete_class(IWbemServices *iface, const BSTR cls, LONG flags,
                                                 IWbemContext *ctx, IWbemCallResult **result)
{
    (void)cls, (void)flags, (void)ctx, (void)result;
    NOT_IN_CONTRACT("DeleteClass");
}

static HRESULT STDMETHODCALLTYPE ns_delete_class_async(IWbemServices *iface, const BSTR cls,
                                                       LONG flags, IWbemContext *ctx,
                                                       IWbemObjectSink *sink)
{
    (void)cls, (void)flags, (void)ctx, (void)sink;
    NOT_IN_CONTRACT("DeleteClassAsync");
}

static HRESULT STDMETHODCALLTYPE ns_create_class_enum(IWbemServices *iface, const BSTR super,
                                                      LONG flags, IWbemContext *ctx,
                                                      IEnumWbemClassObject **out)
{
    (void)super, (void)flags, (void)ctx, (void)out;
    NOT_IN_CONTRACT("CreateClassEnum");
}

static HRESULT STDMETHODCALLTYPE ns_create_class_enum_async(IWbemServices *iface,
                                                            const BSTR super, LONG flags,
                                                            IWbemContext *ctx,
                                                            IWbemObjectSink *sink)
{
    (void)super, (void)flags, (void)ctx, (void)sink;
    NOT_IN_CONTRACT("CreateClassEnumAsync");
}

static HRESULT STDMETHODCALLTYPE ns_put_instance(IWbemServices *iface, IWbemClassObject *inst,
                                                 LONG flags, IWbemContext *ctx,
                                                 IWbemCallResult **result)
{
    (void)inst, (void)flags, (void)ctx, (void)result;
    NOT_IN_CONTRACT("PutInstance");
}

static HRESULT STDMETHODCALLTYPE ns_put_instance_async(IWbemServices *iface,
                                                       IWbemClassObject *inst, LONG flags,
                                                       IWbemContext *ctx, IWbemObjectSink *sink)
{
    (void)inst, (void)flags, (void)ctx, (void)sink;
    NOT_IN_CONTRACT("PutInstanceAsync");
}

static HRESULT STDMETHODCALLTYPE ns_delete_instance(IWbemServices *iface, const BSTR path,
                                                    LONG flags, IWbemContext *ctx,
                                                    IWbemCallResult **result)
{
    (void)path, (void)flags, (void)ctx, (void)result;
    NOT_IN_CONTRACT("DeleteInstance");
}

static HRESULT STDMETHODCALLTYPE ns_delete_instance_async(IWbemServices *iface, const BSTR path,
                                                          LONG flags, IWbemContext *ctx,
                                                          IWbemObjectSink *sink)
{
    (void)path, (void)flags, (void)ctx, (void)sink;
    NOT_IN_CONTRACT("DeleteInstanceAsync");
}

static HRESULT STDMETHODCALLTYPE ns_create_instance_enum(IWbemServices *iface, const BSTR filter,
                                                         LONG flags, IWbemContext *ctx,
                                                         IEnumWbemClassObject **out)
{
    (void)filter, (void)flags, (void)ctx, (void)out;
    NOT_IN_CONTRACT("CreateInstanceEnum");
}

static HRESULT STDMETHODCALLTYPE ns_create_instance_enum_async(IWbemServices *iface,
                                                               const BSTR filter, LONG flags,
                                                               IWbemContext *ctx,
                                                               IWbemObjectSink *sink)
{
    (void)filter, (void)flags, (void)ctx, (void)sink;
    NOT_IN_CONTRACT("CreateInstanceEnumAsync");
}

static HRESULT STDMETHODCALLTYPE ns_exec_query(IWbemServices *iface, const BSTR language,
                                               const BSTR query, LONG flags, IWbemContext *ctx,
                                               IEnumWbemClassObject **out)
{
    (void)language, (void)query, (void)flags, (void)ctx, (void)out;
    NOT_IN_CONTRACT("ExecQuery");
}

static HRESULT STDMETHODCALLTYPE ns_exec_query_async(IWbemServices *iface, const BSTR language,
                                                     const BSTR query, LONG flags,
                                                     IWbemContext *ctx, IWbemObjectSink *sink)
{
    (void)language, (void)query, (void)flags, (void)ctx, (void)sink;
    NOT_IN_CONTRACT("ExecQueryAsync");
}

static HRESULT STDMETHODCALLTYPE ns_exec_notification_query(IWbemServices *iface,
                                                            const BSTR language, const BSTR query,
                                                            LONG flags, IWbemContext *ctx,
                                                            IEnumWbemClassObject **out)
{
    (void)language, (void)query, (void)flags, (void)ctx, (void)out;
    NOT_IN_CONTRACT("ExecNotificationQuery");
}

static HRESULT STDMETHODCALLTYPE ns_exec_notification_query_async(IWbemServices *iface,
                                                                  const BSTR language,
                                                                  const BSTR query, LONG flags,
                                                                  IWbemContext *ctx,
                                                                  IWbemObjectSink *sink)
{
    (void)language, (void)query, (void)flags, (void)ctx, (void)sink;
    NOT_IN_CONTRACT("ExecNotificationQueryAsync");
}

static HRESULT STDMETHODCALLTYPE ns_exec_method(IWbemServices *iface, const BSTR path,
                                                const BSTR method, LONG flags, IWbemContext *ctx,
                                                IWbemClassObject *in, IWbemClassObject **out,
                                                IWbemCallResult **result)
{
    (void)path, (void)method, (void)flags, (void)ctx, (void)in, (void)out, (void)result;
    NOT_IN_CONTRACT("ExecMethod");
}

static HRESULT STDMETHODCALLTYPE ns_exec_method_async(IWbemServices *iface, const BSTR path,
                                                      const BSTR method, LONG flags,
                                                      IWbemContext *ctx, IWbemClassObject *in,
                                                      IWbemObjectSink *sink)
{
    (void)path, (void)method, (void)flags, (void)ctx, (void)in, (void)sink;
    NOT_IN_CONTRACT("ExecMethodAsync");
}

static const IWbemServicesVtbl namespace_vtbl = {
    .QueryInterface = ns_query_interface,
    .AddRef = ns_add_ref,
    .Release = ns_release,
    .OpenNamespace = ns_open_namespace,
    .CancelAsyncCall = ns_cancel_async_call,
    .QueryObjectSink = ns_query_object_sink,
    .GetObject = ns_get_object,
    .GetObjectAsync = ns_get_object_async,
    .PutClass = ns_put_class,
    .PutClassAsync = ns_put_class_async,
    .DeleteClass = ns_delete_class,
    .DeleteClassAsync = ns_delete_class_async,
    .CreateClassEnum = ns_create_class_enum,
    .CreateClassEnumAsync = ns_create_class_enum_async,
    .PutInstance = ns_put_instance,
    .PutInstanceAsync = ns_put_instance_async,
    .DeleteInstance = ns_delete_instance,
    .DeleteInstanceAsync = ns_delete_instance_async,
    .CreateInstanceEnum = ns_create_instance_enum,
    .CreateInstanceEnumAsync = ns_create_instance_enum_async,
    .ExecQuery = ns_exec_query,
    .ExecQueryAsync = ns_exec_query_async,
    .ExecNotificationQuery = ns_exec_notification_query,
    .ExecNotificationQueryAsync = ns_exec_notification_query_async,
    .ExecMethod = ns_exec_method,
    .ExecMethodAsync = ns_exec_method_async,
};
