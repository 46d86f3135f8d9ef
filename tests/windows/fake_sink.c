/* fake_sink.c - the sinks WMI gives a provider: IWbemObjectSink records
 * every Indicated object, progress report and the final status;
 * IWbemProviderInitSink records Initialize's status.  The DLL may call them
 * from a worker thread, so refcounts are Interlocked and the records are
 * kept under a lock. */
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static const IWbemObjectSinkVtbl sink_vtbl;
static const IWbemProviderInitSinkVtbl init_sink_vtbl;

static fake_sink *sink_of(IWbemObjectSink *iface)
{
    return (fake_sink *)iface;
}

fake_sink *fake_sink_new(void)
{
    fake_sink *s = cim_xcalloc(1, sizeof *s);
    s->iface.lpVtbl = &sink_vtbl;
    s->refs = 1;
    InitializeCriticalSection(&s->lock);
    s->completed = CreateEventW(NULL, TRUE, FALSE, NULL);
    s->status = E_PENDING;
    return s;
}

static void sink_free(fake_sink *s)
{
    for (size_t i = 0; i < s->object_count; i++)
        IWbemClassObject_Release(s->objects[i]);
    free(s->objects);
    for (size_t i = 0; i < s->progress_count; i++)
        free(s->progress[i].text);
    free(s->progress);
    free(s->status_param);
    if (s->status_object)
        IWbemClassObject_Release(s->status_object);
    CloseHandle(s->completed);
    DeleteCriticalSection(&s->lock);
    free(s);
}

void fake_sink_release(fake_sink *s)
{
    if (s)
        IWbemObjectSink_Release(&s->iface);
}

bool fake_sink_wait(fake_sink *s, DWORD timeout_ms)
{
    return WaitForSingleObject(s->completed, timeout_ms) == WAIT_OBJECT_0;
}

static HRESULT STDMETHODCALLTYPE sink_query_interface(IWbemObjectSink *iface, REFIID riid,
                                                      void **out)
{
    if (!out)
        return E_POINTER;
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IWbemObjectSink)) {
        *out = iface;
        IWbemObjectSink_AddRef(iface);
        return S_OK;
    }
    *out = NULL;
    return E_NOINTERFACE;
}

static ULONG STDMETHODCALLTYPE sink_add_ref(IWbemObjectSink *iface)
{
    return (ULONG)InterlockedIncrement(&sink_of(iface)->refs);
}

static ULONG STDMETHODCALLTYPE sink_release(IWbemObjectSink *iface)
{
    fake_sink *s = sink_of(iface);
    LONG left = InterlockedDecrement(&s->refs);
    if (left == 0)
        sink_free(s);
    return (ULONG)left;
}

static HRESULT STDMETHODCALLTYPE sink_indicate(IWbemObjectSink *iface, LONG count,
                                               IWbemClassObject **objects)
{
    fake_sink *s = sink_of(iface);
    EnterCriticalSection(&s->lock);
    if (s->complete_calls)
        s->calls_after_complete++;
    if (count < 0 || (count > 0 && !objects)) {
        s->bad_calls++;
    } else {
        s->objects = cim_xrealloc(s->objects,
                                  (s->object_count + (size_t)count + 1) * sizeof *s->objects);
        for (LONG i = 0; i < count; i++) {
            if (!objects[i]) {
                s->bad_calls++;
                continue;
            }
            IWbemClassObject_AddRef(objects[i]);
            s->objects[s->object_count++] = objects[i];
        }
    }
    LeaveCriticalSection(&s->lock);
    return WBEM_S_NO_ERROR;
}

static void record_progress(fake_sink *s, HRESULT hr, BSTR text)
{
    s->progress = cim_xrealloc(s->progress, (s->progress_count + 1) * sizeof *s->progress);
    fake_progress *p = &s->progress[s->progress_count++];
    p->done = LOWORD((DWORD)hr);
    p->total = HIWORD((DWORD)hr);
    p->text = harness_utf8(text);
}

static HRESULT STDMETHODCALLTYPE sink_set_status(IWbemObjectSink *iface, LONG flags, HRESULT hr,
                                                 BSTR param, IWbemClassObject *status_object)
{
    fake_sink *s = sink_of(iface);
    EnterCriticalSection(&s->lock);
    if (s->complete_calls)
        s->calls_after_complete++;
    if (flags == WBEM_STATUS_PROGRESS) {
        record_progress(s, hr, param);
        if (status_object)
            s->bad_calls++;
        size_t index = s->progress_count - 1;
        HRESULT answer = s->progress_answer;
        LeaveCriticalSection(&s->lock);
        if (s->on_progress)
            s->on_progress(s, index, s->on_progress_data);
        return answer;
    } else if (flags == WBEM_STATUS_COMPLETE) {
        if (!s->complete_calls++) {
            s->status = hr;
            s->status_param = harness_utf8(param);
            s->status_object = status_object;
            if (status_object)
                IWbemClassObject_AddRef(status_object);
        }
    } else {
        s->bad_calls++;
    }
    LeaveCriticalSection(&s->lock);
    if (flags == WBEM_STATUS_COMPLETE)
        SetEvent(s->completed);
    return WBEM_S_NO_ERROR;
}

static const IWbemObjectSinkVtbl sink_vtbl = {
    .QueryInterface = sink_query_interface,
    .AddRef = sink_add_ref,
    .Release = sink_release,
    .Indicate = sink_indicate,
    .SetStatus = sink_set_status,
};

/* ---- IWbemProviderInitSink ----------------------------------------------- */

static fake_init_sink *init_sink_of(IWbemProviderInitSink *iface)
{
    return (fake_init_sink *)iface;
}

fake_init_sink *fake_init_sink_new(void)
{
    fake_init_sink *s = cim_xcalloc(1, sizeof *s);
    s->iface.lpVtbl = &init_sink_vtbl;
    s->refs = 1;
    s->status = E_PENDING;
    return s;
}

void fake_init_sink_release(fake_init_sink *s)
{
    if (s)
        IWbemProviderInitSink_Release(&s->iface);
}

static HRESULT STDMETHODCALLTYPE init_sink_query_interface(IWbemProviderInitSink *iface,
                                                           REFIID riid, void **out)
{
    if (!out)
        return E_POINTER;
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IWbemProviderInitSink)) {
        *out = iface;
        IWbemProviderInitSink_AddRef(iface);
        return S_OK;
    }
    *out = NULL;
    return E_NOINTERFACE;
}

static ULONG STDMETHODCALLTYPE init_sink_add_ref(IWbemProviderInitSink *iface)
{
    return (ULONG)InterlockedIncrement(&init_sink_of(iface)->refs);
}

static ULONG STDMETHODCALLTYPE init_sink_release(IWbemProviderInitSink *iface)
{
    fake_init_sink *s = init_sink_of(iface);
    LONG left = InterlockedDecrement(&s->refs);
    if (left == 0)
        free(s);
    return (ULONG)left;
}

static HRESULT STDMETHODCALLTYPE init_sink_set_status(IWbemProviderInitSink *iface, LONG status,
                                                      LONG flags)
{
    fake_init_sink *s = init_sink_of(iface);
    if (flags != 0)
        harness_unexpected("IWbemProviderInitSink::SetStatus with flags");
    InterlockedIncrement(&s->calls);
    InterlockedExchange(&s->status, status);
    return WBEM_S_NO_ERROR;
}

static const IWbemProviderInitSinkVtbl init_sink_vtbl = {
    .QueryInterface = init_sink_query_interface,
    .AddRef = init_sink_add_ref,
    .Release = init_sink_release,
    .SetStatus = init_sink_set_status,
};
