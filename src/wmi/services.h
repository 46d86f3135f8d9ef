/* wmi/services.h - the IWbemServices entry points the registration MOF
 * promises (instance provider: get, put, delete, enumerate, WQL queries;
 * method provider), each in the file of its concern. */
#ifndef SMSPROV_WMI_SERVICES_H
#define SMSPROV_WMI_SERVICES_H

#include "wmi/wmi.h"

/* services_read.c */
HRESULT STDMETHODCALLTYPE wmi_get_object_async(IWbemServices *iface, const BSTR path, LONG flags,
                                               IWbemContext *ctx, IWbemObjectSink *sink);
HRESULT STDMETHODCALLTYPE wmi_create_instance_enum_async(IWbemServices *iface, const BSTR cls,
                                                         LONG flags, IWbemContext *ctx,
                                                         IWbemObjectSink *sink);
HRESULT STDMETHODCALLTYPE wmi_exec_query_async(IWbemServices *iface, const BSTR language,
                                               const BSTR query, LONG flags, IWbemContext *ctx,
                                               IWbemObjectSink *sink);
/* services_write.c */
HRESULT STDMETHODCALLTYPE wmi_put_instance_async(IWbemServices *iface, IWbemClassObject *inst,
                                                 LONG flags, IWbemContext *ctx,
                                                 IWbemObjectSink *sink);
HRESULT STDMETHODCALLTYPE wmi_delete_instance_async(IWbemServices *iface, const BSTR path,
                                                    LONG flags, IWbemContext *ctx,
                                                    IWbemObjectSink *sink);
/* services_method.c */
HRESULT STDMETHODCALLTYPE wmi_exec_method_async(IWbemServices *iface, const BSTR path,
                                                const BSTR method, LONG flags,
                                                IWbemContext *ctx, IWbemClassObject *in_params,
                                                IWbemObjectSink *sink);
/* services_unsupported.c: the slots WMI never calls on an instance and
 * method provider (the synchronous forms, classes, events). */
extern const IWbemServicesVtbl wmi_services_vtbl;

#endif
