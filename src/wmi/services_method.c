/* services_method.c - ExecMethodAsync.  A class path calls a static method,
 * an instance path an instance method; the provider API tells them apart
 * and checks the parameters.  The out parameters go back as one instance
 * of WMI's out signature of the method. */
#include <stdlib.h>

#include "wmi/services.h"

static smsprov_code method_class(wmi_call *c, const char *target, const cim_class **cls)
{
    cim_object_path path;
    smsprov_code rc = cim_object_path_parse(target, &path, &c->err);
    if (rc != SMSPROV_OK)
        return rc;
    rc = smsprov_get_class(c->provider->site, &c->call, path.class_name, cls, &c->err);
    cim_object_path_clear(&path);
    return rc;
}

static smsprov_code read_in_params(wmi_call *c, const cim_class *cls, const char *method_name,
                                   IWbemClassObject *in_params, cim_instance **out)
{
    *out = NULL;
    const cim_method *m = cim_class_find_method(cls, method_name);
    if (!in_params || !m || !m->in_class)
        return SMSPROV_OK; /* the provider API reports an unknown method */
    return wmi_instance_from_object(c->provider, in_params, m->in_class, out, &c->err);
}

HRESULT STDMETHODCALLTYPE wmi_exec_method_async(IWbemServices *iface, const BSTR path,
                                                const BSTR method, LONG flags,
                                                IWbemContext *ctx, IWbemClassObject *in_params,
                                                IWbemObjectSink *sink)
{
    if (!sink || !path || !method)
        return WBEM_E_INVALID_PARAMETER;
    wmi_call c;
    wmi_call_begin(&c, wmi_provider_of(iface), "ExecMethod", flags, ctx, sink);
    char *target = wmi_utf8(path), *name = wmi_utf8(method);
    const cim_class *cls = NULL;
    cim_instance *in = NULL, *out = NULL;
    smsprov_code rc = wmi_call_ready(&c);
    if (rc == SMSPROV_OK)
        rc = method_class(&c, target, &cls);
    if (rc == SMSPROV_OK)
        rc = read_in_params(&c, cls, name, in_params, &in);
    if (rc == SMSPROV_OK)
        rc = smsprov_invoke(c.provider->site, &c.call, target, name, in, &out, &c.err);
    if (rc == SMSPROV_OK) {
        IWbemClassObject *result = NULL;
        rc = wmi_object_from_out_params(c.provider, ctx, cls->name, name, out, &result, &c.err);
        if (rc == SMSPROV_OK) {
            wmi_call_indicate(&c, &result, 1);
            IWbemClassObject_Release(result);
        }
    }
    cim_instance_free(in);
    cim_instance_free(out);
    free(target);
    free(name);
    return wmi_call_finish(&c, rc, NULL);
}
