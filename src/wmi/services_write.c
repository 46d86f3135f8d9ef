/* services_write.c - PutInstanceAsync and DeleteInstanceAsync. */
#include <stdlib.h>

#include "wmi/services.h"

static smsprov_code put_mode(LONG flags, smsprov_put_mode *mode, smsprov_error *err)
{
    LONG which = flags & (WBEM_FLAG_CREATE_ONLY | WBEM_FLAG_UPDATE_ONLY);
    if (which == (WBEM_FLAG_CREATE_ONLY | WBEM_FLAG_UPDATE_ONLY))
        return smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER,
                                 "WBEM_FLAG_CREATE_ONLY and WBEM_FLAG_UPDATE_ONLY cannot be "
                                 "combined; pass one of them or neither.");
    *mode = which == WBEM_FLAG_CREATE_ONLY   ? SMSPROV_PUT_CREATE_ONLY
            : which == WBEM_FLAG_UPDATE_ONLY ? SMSPROV_PUT_UPDATE_ONLY
                                             : SMSPROV_PUT_CREATE_OR_UPDATE;
    return SMSPROV_OK;
}

/* A partial update: the context value __PUT_EXT_PROPERTIES (with
 * __PUT_EXTENSIONS = TRUE) lists the properties to take.  NULL: all. */
static char **partial_put_properties(IWbemContext *ctx)
{
    if (!ctx)
        return NULL;
    VARIANT on, names;
    VariantInit(&on);
    VariantInit(&names);
    char **list = NULL;
    if (SUCCEEDED(IWbemContext_GetValue(ctx, L"__PUT_EXTENSIONS", 0, &on)) &&
        on.vt == VT_BOOL && on.boolVal != VARIANT_FALSE &&
        SUCCEEDED(IWbemContext_GetValue(ctx, L"__PUT_EXT_PROPERTIES", 0, &names)) &&
        names.vt == (VT_ARRAY | VT_BSTR) && SafeArrayGetDim(names.parray) == 1) {
        LONG low = 0, high = -1;
        SafeArrayGetLBound(names.parray, 1, &low);
        SafeArrayGetUBound(names.parray, 1, &high);
        size_t n = 0;
        list = cim_xcalloc((size_t)(high - low + 2), sizeof *list);
        for (LONG i = low; i <= high; i++) {
            BSTR name = NULL;
            if (SUCCEEDED(SafeArrayGetElement(names.parray, &i, &name)) && name)
                list[n++] = wmi_utf8(name);
            SysFreeString(name);
        }
    }
    VariantClear(&on);
    VariantClear(&names);
    return list;
}

static void free_list(char **list)
{
    for (size_t i = 0; list && list[i]; i++)
        free(list[i]);
    free(list);
}

HRESULT STDMETHODCALLTYPE wmi_put_instance_async(IWbemServices *iface, IWbemClassObject *obj,
                                                 LONG flags, IWbemContext *ctx,
                                                 IWbemObjectSink *sink)
{
    if (!sink || !obj)
        return WBEM_E_INVALID_PARAMETER;
    wmi_call c;
    wmi_call_begin(&c, wmi_provider_of(iface), "PutInstance", flags, ctx, sink);
    smsprov_put_mode mode = SMSPROV_PUT_CREATE_OR_UPDATE;
    smsprov_code rc = wmi_call_ready(&c);
    if (rc == SMSPROV_OK)
        rc = put_mode(flags, &mode, &c.err);
    cim_instance *inst = NULL;
    if (rc == SMSPROV_OK)
        rc = wmi_instance_from_object(c.provider, obj, NULL, &inst, &c.err);
    char *path = NULL;
    if (rc == SMSPROV_OK) {
        char **properties = partial_put_properties(ctx);
        rc = smsprov_put(c.provider->site, &c.call, inst, mode,
                         (const char *const *)properties, &path, &c.err);
        free_list(properties);
    }
    cim_instance_free(inst);
    HRESULT hr = wmi_call_finish(&c, rc, path);
    free(path);
    return hr;
}

HRESULT STDMETHODCALLTYPE wmi_delete_instance_async(IWbemServices *iface, const BSTR path,
                                                    LONG flags, IWbemContext *ctx,
                                                    IWbemObjectSink *sink)
{
    if (!sink || !path)
        return WBEM_E_INVALID_PARAMETER;
    wmi_call c;
    wmi_call_begin(&c, wmi_provider_of(iface), "DeleteInstance", flags, ctx, sink);
    smsprov_code rc = wmi_call_ready(&c);
    if (rc == SMSPROV_OK) {
        char *text = wmi_utf8(path);
        rc = smsprov_delete(c.provider->site, &c.call, text, &c.err);
        free(text);
    }
    return wmi_call_finish(&c, rc, NULL);
}
