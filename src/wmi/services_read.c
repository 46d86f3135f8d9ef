/* services_read.c - GetObjectAsync, CreateInstanceEnumAsync and
 * ExecQueryAsync.  Results are delivered before the call returns; the
 * provider API already applies lazy-property and select-list rules.
 * Enumerations and queries are read from the provider's cursor a batch at
 * a time and each batch is indicated before the next is read, so the
 * provider never holds the whole result. */
#include <stdlib.h>

#include "wmi/services.h"

#define INDICATE_BATCH 64 /* objects per Indicate: fewer cross-process hops */
#define READ_BATCH 256    /* instances read from the cursor at a time */

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

/* Indicates everything a cursor gives, READ_BATCH instances at a time. */
static smsprov_code indicate_cursor(wmi_call *c, smsprov_cursor *cursor)
{
    bool end = false;
    smsprov_code rc = SMSPROV_OK;
    while (rc == SMSPROV_OK && !end) {
        smsprov_instance_list batch = {0};
        rc = smsprov_cursor_read(cursor, READ_BATCH, &batch, &end, &c->err);
        if (rc == SMSPROV_OK && batch.count)
            rc = indicate_instances(c, &batch);
        smsprov_instance_list_clear(&batch);
    }
    return rc;
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
        smsprov_cursor *cursor = NULL;
        rc = smsprov_enumerate_open(c.provider->site, &c.call, name, mode, &cursor, &c.err);
        free(name);
        if (rc == SMSPROV_OK)
            rc = indicate_cursor(&c, cursor);
        smsprov_cursor_close(cursor);
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
        smsprov_cursor *cursor = NULL;
        rc = smsprov_query_open(c.provider->site, &c.call, lang, text, &cursor, &c.err);
        free(lang);
        free(text);
        if (rc == SMSPROV_OK)
            rc = indicate_cursor(&c, cursor);
        smsprov_cursor_close(cursor);
    }
    return wmi_call_finish(&c, rc, NULL);
}
