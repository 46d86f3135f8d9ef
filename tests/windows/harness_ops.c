/* harness_ops.c - one helper per IWbemServices async entry point: a fresh
 * sink, the call, and the wait for its final SetStatus. */
#include <stdlib.h>

#include "harness.h"

/* A call that returned a failure may have reported nothing; one that
 * returned success must finish through the sink. */
#define COMPLETION_TIMEOUT_MS 120000

static BSTR bstr(const char *utf8)
{
    if (!utf8)
        return NULL;
    wchar_t *w = harness_wide(utf8);
    BSTR b = SysAllocString(w);
    free(w);
    return b;
}

static fake_sink *finish(fake_sink *sink, HRESULT hr, HRESULT *returned)
{
    if (returned)
        *returned = hr;
    fake_sink_wait(sink, FAILED(hr) ? 0 : COMPLETION_TIMEOUT_MS);
    return sink;
}

fake_sink *harness_enum(IWbemServices *svc, const char *class_name, LONG flags,
                        HRESULT *returned)
{
    fake_sink *sink = fake_sink_new();
    BSTR name = bstr(class_name);
    HRESULT hr = IWbemServices_CreateInstanceEnumAsync(svc, name, flags, NULL, &sink->iface);
    SysFreeString(name);
    return finish(sink, hr, returned);
}

fake_sink *harness_get(IWbemServices *svc, const char *path, LONG flags, HRESULT *returned)
{
    fake_sink *sink = fake_sink_new();
    BSTR p = bstr(path);
    HRESULT hr = IWbemServices_GetObjectAsync(svc, p, flags, NULL, &sink->iface);
    SysFreeString(p);
    return finish(sink, hr, returned);
}

fake_sink *harness_query(IWbemServices *svc, const char *language, const char *query,
                         LONG flags, HRESULT *returned)
{
    fake_sink *sink = fake_sink_new();
    BSTR lang = bstr(language), text = bstr(query);
    HRESULT hr = IWbemServices_ExecQueryAsync(svc, lang, text, flags, NULL, &sink->iface);
    SysFreeString(lang);
    SysFreeString(text);
    return finish(sink, hr, returned);
}

fake_sink *harness_put(IWbemServices *svc, IWbemClassObject *inst, LONG flags,
                       HRESULT *returned)
{
    fake_sink *sink = fake_sink_new();
    HRESULT hr = IWbemServices_PutInstanceAsync(svc, inst, flags, NULL, &sink->iface);
    return finish(sink, hr, returned);
}

fake_sink *harness_delete(IWbemServices *svc, const char *path, LONG flags, HRESULT *returned)
{
    fake_sink *sink = fake_sink_new();
    BSTR p = bstr(path);
    HRESULT hr = IWbemServices_DeleteInstanceAsync(svc, p, flags, NULL, &sink->iface);
    SysFreeString(p);
    return finish(sink, hr, returned);
}

fake_sink *harness_exec(IWbemServices *svc, const char *path, const char *method, LONG flags,
                        IWbemClassObject *in_params, HRESULT *returned)
{
    return harness_exec_into(svc, path, method, flags, in_params, fake_sink_new(), returned);
}

fake_sink *harness_exec_into(IWbemServices *svc, const char *path, const char *method,
                             LONG flags, IWbemClassObject *in_params, fake_sink *sink,
                             HRESULT *returned)
{
    BSTR p = bstr(path), m = bstr(method);
    HRESULT hr = IWbemServices_ExecMethodAsync(svc, p, m, flags, NULL, in_params, &sink->iface);
    SysFreeString(p);
    SysFreeString(m);
    return finish(sink, hr, returned);
}
