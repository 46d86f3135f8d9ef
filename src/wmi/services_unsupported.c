/* services_unsupported.c - the IWbemServices vtable.  WMI calls an instance
 * and method provider only through the async entry points its registration
 * promises; the synchronous forms, class operations and event queries are
 * WMI's own business and answer WBEM_E_NOT_SUPPORTED. */
#include "wmi/services.h"

HRESULT STDMETHODCALLTYPE wmi_services_query_interface(IWbemServices *iface, REFIID riid,
                                                       void **out);
ULONG STDMETHODCALLTYPE wmi_services_add_ref(IWbemServices *iface);
ULONG STDMETHODCALLTYPE wmi_services_release(IWbemServices *iface);

static HRESULT STDMETHODCALLTYPE open_namespace(IWbemServices *iface, const BSTR ns, LONG flags,
                                                IWbemContext *ctx, IWbemServices **working,
                                                IWbemCallResult **result)
{
    (void)iface, (void)ns, (void)flags, (void)ctx, (void)working, (void)result;
    return WBEM_E_NOT_SUPPORTED;
}

static HRESULT STDMETHODCALLTYPE cancel_async_call(IWbemServices *iface, IWbemObjectSink *sink)
{
    /* Every call has finished with its sink before it returns. */
    (void)iface, (void)sink;
    return WBEM_E_NOT_SUPPORTED;
}

static HRESULT STDMETHODCALLTYPE query_object_sink(IWbemServices *iface, LONG flags,
                                                   IWbemObjectSink **handler)
{
    (void)iface, (void)flags, (void)handler;
    return WBEM_E_NOT_SUPPORTED;
}

static HRESULT STDMETHODCALLTYPE get_object(IWbemServices *iface, const BSTR path, LONG flags,
                                            IWbemContext *ctx, IWbemClassObject **obj,
                                            IWbemCallResult **result)
{
    (void)iface, (void)path, (void)flags, (void)ctx, (void)obj, (void)result;
    return WBEM_E_NOT_SUPPORTED;
}

static HRESULT STDMETHODCALLTYPE put_class(IWbemServices *iface, IWbemClassObject *obj,
                                           LONG flags, IWbemContext *ctx,
                                           IWbemCallResult **result)
{
    (void)iface, (void)obj, (void)flags, (void)ctx, (void)result;
    return WBEM_E_NOT_SUPPORTED;
}

static HRESULT STDMETHODCALLTYPE put_class_async(IWbemServices *iface, IWbemClassObject *obj,
                                                 LONG flags, IWbemContext *ctx,
                                                 IWbemObjectSink *sink)
{
    (void)iface, (void)obj, (void)flags, (void)ctx, (void)sink;
    return WBEM_E_NOT_SUPPORTED;
}

static HRESULT STDMETHODCALLTYPE delete_class(IWbemServices *iface, const BSTR cls, LONG flags,
                                              IWbemContext *ctx, IWbemCallResult **result)
{
    (void)iface, (void)cls, (void)flags, (void)ctx, (void)result;
    return WBEM_E_NOT_SUPPORTED;
}

static HRESULT STDMETHODCALLTYPE delete_class_async(IWbemServices *iface, const BSTR cls,
                                                    LONG flags, IWbemContext *ctx,
                                                    IWbemObjectSink *sink)
{
    (void)iface, (void)cls, (void)flags, (void)ctx, (void)sink;
    return WBEM_E_NOT_SUPPORTED;
}

static HRESULT STDMETHODCALLTYPE create_class_enum(IWbemServices *iface, const BSTR super,
                                                   LONG flags, IWbemContext *ctx,
                                                   IEnumWbemClassObject **out)
{
    (void)iface, (void)super, (void)flags, (void)ctx, (void)out;
    return WBEM_E_NOT_SUPPORTED;
}

static HRESULT STDMETHODCALLTYPE create_class_enum_async(IWbemServices *iface, const BSTR super,
                                                         LONG flags, IWbemContext *ctx,
                                                         IWbemObjectSink *sink)
{
    (void)iface, (void)super, (void)flags, (void)ctx, (void)sink;
    return WBEM_E_NOT_SUPPORTED;
}

static HRESULT STDMETHODCALLTYPE put_instance(IWbemServices *iface, IWbemClassObject *obj,
                                              LONG flags, IWbemContext *ctx,
                                              IWbemCallResult **result)
{
    (void)iface, (void)obj, (void)flags, (void)ctx, (void)result;
    return WBEM_E_NOT_SUPPORTED;
}

static HRESULT STDMETHODCALLTYPE delete_instance(IWbemServices *iface, const BSTR path,
                                                 LONG flags, IWbemContext *ctx,
                                                 IWbemCallResult **result)
{
    (void)iface, (void)path, (void)flags, (void)ctx, (void)result;
    return WBEM_E_NOT_SUPPORTED;
}

static HRESULT STDMETHODCALLTYPE create_instance_enum(IWbemServices *iface, const BSTR cls,
                                                      LONG flags, IWbemContext *ctx,
                                                      IEnumWbemClassObject **out)
{
    (void)iface, (void)cls, (void)flags, (void)ctx, (void)out;
    return WBEM_E_NOT_SUPPORTED;
}

static HRESULT STDMETHODCALLTYPE exec_query(IWbemServices *iface, const BSTR language,
                                            const BSTR query, LONG flags, IWbemContext *ctx,
                                            IEnumWbemClassObject **out)
{
    (void)iface, (void)language, (void)query, (void)flags, (void)ctx, (void)out;
    return WBEM_E_NOT_SUPPORTED;
}

static HRESULT STDMETHODCALLTYPE exec_notification_query(IWbemServices *iface,
                                                         const BSTR language, const BSTR query,
                                                         LONG flags, IWbemContext *ctx,
                                                         IEnumWbemClassObject **out)
{
    (void)iface, (void)language, (void)query, (void)flags, (void)ctx, (void)out;
    return WBEM_E_NOT_SUPPORTED;
}

static HRESULT STDMETHODCALLTYPE exec_notification_query_async(IWbemServices *iface,
                                                               const BSTR language,
                                                               const BSTR query, LONG flags,
                                                               IWbemContext *ctx,
                                                               IWbemObjectSink *sink)
{
    (void)iface, (void)language, (void)query, (void)flags, (void)ctx, (void)sink;
    return WBEM_E_NOT_SUPPORTED;
}

static HRESULT STDMETHODCALLTYPE exec_method(IWbemServices *iface, const BSTR path,
                                             const BSTR method, LONG flags, IWbemContext *ctx,
                                             IWbemClassObject *in, IWbemClassObject **out,
                                             IWbemCallResult **result)
{
    (void)iface, (void)path, (void)method, (void)flags, (void)ctx, (void)in, (void)out,
        (void)result;
    return WBEM_E_NOT_SUPPORTED;
}

const IWbemServicesVtbl wmi_services_vtbl = {
    .QueryInterface = wmi_services_query_interface,
    .AddRef = wmi_services_add_ref,
    .Release = wmi_services_release,
    .OpenNamespace = open_namespace,
    .CancelAsyncCall = cancel_async_call,
    .QueryObjectSink = query_object_sink,
    .GetObject = get_object,
    .GetObjectAsync = wmi_get_object_async,
    .PutClass = put_class,
    .PutClassAsync = put_class_async,
    .DeleteClass = delete_class,
    .DeleteClassAsync = delete_class_async,
    .CreateClassEnum = create_class_enum,
    .CreateClassEnumAsync = create_class_enum_async,
    .PutInstance = put_instance,
    .PutInstanceAsync = wmi_put_instance_async,
    .DeleteInstance = delete_instance,
    .DeleteInstanceAsync = wmi_delete_instance_async,
    .CreateInstanceEnum = create_instance_enum,
    .CreateInstanceEnumAsync = wmi_create_instance_enum_async,
    .ExecQuery = exec_query,
    .ExecQueryAsync = wmi_exec_query_async,
    .ExecNotificationQuery = exec_notification_query,
    .ExecNotificationQueryAsync = exec_notification_query_async,
    .ExecMethod = exec_method,
    .ExecMethodAsync = wmi_exec_method_async,
};
