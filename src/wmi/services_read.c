/* services_read.c - GetObjectAsync, CreateInstanceEnumAsync and
 * ExecQueryAsync.  Results are delivered before the call returns; the
 * provider API already applies lazy-property and select-list rules. */
#include <stdlib.h>

#include "wmi/services.h"

#define INDICATE_BATCH 64 /* objects per Indicate: fewer cross-process hops */

static void flush(wmi_call *c, IWbemClassObject **batch, LONG *filled)
{
    wmi_call_indicate(c, batch, *filled);
    for (LONG k = 0; k < *filled; k++)
        IWbemClassObject_Release(batch[k]);
    *filled = 0;
}

static smsprov_code indicate_instances(wmi_call *c, const smsprov_instance_list *list)
{
    IWbemClassObject *batch[INDICATE_BATCH];
    LONG filled = 0;
    smsprov_code rc = SMSPROV_OK;
    for (size_t i = 0; i < list->count && rc == SMSPROV_OK; i++) {
        rc = wmi_object_from_instance(c->provider, c->ctx, list->items[i], &batch[filled],
                                      &c->err);
        if (rc == SMSPROV_OK && ++filled == INDICATE_BATCH)
            flush(c, batch, &filled);
    }
    flush(c, batch, &filled);
    return rc;
}

HRESULT STDMETHODCALLTYPE wmi_get_object_async(IWbemServices *iface, const BSTR path, LONG flags,
                                               IWbemContext *ctx, IWbemObjectSink *sink)
{
    if (!sink || !path)
        return WBEM_E_INVALID_PARAMETER;
    wmi_call c;
    wmi_call_begin(&c, wmi_provider_of(iface), "GetObject", flags, ctx, sink);
    smsprov_code rc = wmi_call_ready(&c);
    if (rc == SMSPROV_OK) {
        char *text = wmi_utf8(path);
        cim_instance *inst = NULL;
        rc = smsprov_get(c.provider->site, &c.call, text, &inst, &c.err);
        free(text);
        if (rc == SMSPROV_OK) {
            smsprov_instance_list one = {.items = &inst, .count = 1};
            rc = indicate_instances(&c, &one);
            cim_instance_free(inst);
        }
    }
    return wmi_call_finish(&c, rc, NULL);
}

HRESULT STDMETHODCALLTYPE wmi_create_instance_enum_async(IWbemServices *iface, const BSTR cls,
                                                         LONG flags, IWbemContext *ctx,
                                                         IWbemObjectSink *sink)
{
    if (!sink || !cls)
        return WBEM_E_INVALID_PARAMETER;
    wmi_call c;
    wmi_call_begin(&c, wmi_provider_of(iface), "CreateInstanceEnum", flags, ctx, sink);
    smsprov_code rc = wmi_call_ready(&c);
    if (rc == SMSPROV_OK) {
        char *name = wmi_utf8(cls);
        smsprov_enum_flags mode = (flags & WBEM_FLAG_SHALLOW) ? SMSPROV_ENUM_SHALLOW
                                                               : SMSPROV_ENUM_DEEP;
        smsprov_instance_list list = {0};
        rc = smsprov_enumerate(c.provider->site, &c.call, name, mode, &list, &c.err);
        free(name);
        if (rc == SMSPROV_OK)
            rc = indicate_instances(&c, &list);
        smsprov_instance_list_clear(&list);
    }
    return wmi_call_finish(&c, rc, NULL);
}

HRESULT STDMETHODCALLTYPE wmi_exec_query_async(IWbemServices *iface, const BSTR language,
                                               const BSTR query, LONG flags, IWbemContext *ctx,
                                               IWbemObjectSink *sink)
{
    if (!sink || !language || !query)
        return WBEM_E_INVALID_PARAMETER;
    wmi_call c;
    wmi_call_begin(&c, wmi_provider_of(iface), "ExecQuery", flags, ctx, sink);
    smsprov_code rc = wmi_call_ready(&c);
    if (rc == SMSPROV_OK) {
        char *lang = wmi_utf8(language), *text = wmi_utf8(query);
        smsprov_instance_list list = {0};
        rc = smsprov_query(c.provider->site, &c.call, lang, text, &list, &c.err);
        free(lang);
        free(text);
        if (rc == SMSPROV_OK)
            rc = indicate_instances(&c, &list);
        smsprov_instance_list_clear(&list);
    }
    return wmi_call_finish(&c, rc, NULL);
}
