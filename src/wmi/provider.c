/* provider.c - the provider object: IWbemProviderInit (WMI's first call,
 * which opens the site) and IWbemServices on one refcounted object, plus
 * the per-provider cache of WMI's class objects. */
#include <stdlib.h>
#include <string.h>

#include "wmi/services.h"

static wmi_provider *provider_of_init(IWbemProviderInit *iface)
{
    return (wmi_provider *)((char *)iface - offsetof(wmi_provider, init_iface));
}

wmi_provider *wmi_provider_of(IWbemServices *iface)
{
    return (wmi_provider *)((char *)iface - offsetof(wmi_provider, services_iface));
}

static HRESULT query_interface(wmi_provider *p, REFIID riid, void **out)
{
    if (!out)
        return E_POINTER;
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IWbemProviderInit))
        *out = &p->init_iface;
    else if (IsEqualIID(riid, &IID_IWbemServices))
        *out = &p->services_iface;
    else {
        *out = NULL;
        return E_NOINTERFACE;
    }
    InterlockedIncrement(&p->refs);
    return S_OK;
}

static void clear_class_cache(wmi_class_cache *cache)
{
    for (size_t i = 0; i < cache->count; i++) {
        free(cache->names[i]);
        IWbemClassObject_Release(cache->classes[i]);
    }
    free(cache->names);
    free(cache->classes);
    memset(cache, 0, sizeof *cache);
}

static ULONG release(wmi_provider *p)
{
    LONG left = InterlockedDecrement(&p->refs);
    if (left != 0)
        return (ULONG)left;
    clear_class_cache(&p->classes);
    if (p->wmi_namespace)
        IWbemServices_Release(p->wmi_namespace);
    wmi_site_release(p->site);
    free(p->namespace_path);
    DeleteCriticalSection(&p->lock);
    free(p);
    wmi_object_destroyed();
    return 0;
}

/* ---- IUnknown, through either interface ------------------------------- */

static HRESULT STDMETHODCALLTYPE init_query_interface(IWbemProviderInit *iface, REFIID riid,
                                                      void **out)
{
    return query_interface(provider_of_init(iface), riid, out);
}

static ULONG STDMETHODCALLTYPE init_add_ref(IWbemProviderInit *iface)
{
    return (ULONG)InterlockedIncrement(&provider_of_init(iface)->refs);
}

static ULONG STDMETHODCALLTYPE init_release(IWbemProviderInit *iface)
{
    return release(provider_of_init(iface));
}

HRESULT STDMETHODCALLTYPE wmi_services_query_interface(IWbemServices *iface, REFIID riid,
                                                       void **out);
HRESULT STDMETHODCALLTYPE wmi_services_query_interface(IWbemServices *iface, REFIID riid,
                                                       void **out)
{
    return query_interface(wmi_provider_of(iface), riid, out);
}

ULONG STDMETHODCALLTYPE wmi_services_add_ref(IWbemServices *iface);
ULONG STDMETHODCALLTYPE wmi_services_add_ref(IWbemServices *iface)
{
    return (ULONG)InterlockedIncrement(&wmi_provider_of(iface)->refs);
}

ULONG STDMETHODCALLTYPE wmi_services_release(IWbemServices *iface);
ULONG STDMETHODCALLTYPE wmi_services_release(IWbemServices *iface)
{
    return release(wmi_provider_of(iface));
}

/* ---- IWbemProviderInit -------------------------------------------------- */

static HRESULT STDMETHODCALLTYPE initialize(IWbemProviderInit *iface, LPWSTR user, LONG flags,
                                            LPWSTR namespace_path, LPWSTR locale,
                                            IWbemServices *wmi_namespace, IWbemContext *ctx,
                                            IWbemProviderInitSink *sink)
{
    (void)user, (void)flags, (void)locale, (void)ctx;
    wmi_provider *p = provider_of_init(iface);
    if (!sink)
        return WBEM_E_INVALID_PARAMETER;
    smsprov_error err = {0};
    smsprov_site *site = NULL;
    char *normalized = NULL;
    smsprov_code rc = SMSPROV_OK;
    if (!wmi_namespace)
        rc = smsprov_error_set(&err, SMSPROV_E_INVALID_PARAMETER,
                               "WMI gave the provider no namespace object.");
    else
        rc = wmi_site_acquire(namespace_path, &site, &normalized, &err);
    if (rc == SMSPROV_OK) {
        EnterCriticalSection(&p->lock);
        if (p->site) { /* initialized twice: keep the first */
            wmi_site_release(site);
            free(normalized);
        } else {
            p->site = site;
            p->namespace_path = normalized;
            IWbemServices_AddRef(wmi_namespace);
            p->wmi_namespace = wmi_namespace;
        }
        LeaveCriticalSection(&p->lock);
    } else {
        /* WMI logs nothing of ours on a failed init; the event log of the
         * host (wmiprvse) shows the HRESULT, so say why on the debugger. */
        wchar_t *why = wmi_wide(err.description ? err.description : "");
        OutputDebugStringW(why);
        free(why);
    }
    smsprov_error_clear(&err);
    IWbemProviderInitSink_SetStatus(sink, rc == SMSPROV_OK ? WBEM_S_INITIALIZED : WBEM_E_FAILED,
                                    0);
    return WBEM_S_NO_ERROR;
}

static const IWbemProviderInitVtbl init_vtbl = {
    .QueryInterface = init_query_interface,
    .AddRef = init_add_ref,
    .Release = init_release,
    .Initialize = initialize,
};

HRESULT wmi_provider_create(REFIID riid, void **out)
{
    wmi_provider *p = calloc(1, sizeof *p);
    if (!p)
        return E_OUTOFMEMORY;
    p->init_iface.lpVtbl = &init_vtbl;
    p->services_iface.lpVtbl = &wmi_services_vtbl;
    p->refs = 1;
    InitializeCriticalSection(&p->lock);
    wmi_object_created();
    HRESULT hr = query_interface(p, riid, out);
    release(p);
    return hr;
}

/* ---- class objects -------------------------------------------------------- */

HRESULT wmi_class_object(wmi_provider *p, const char *class_name, IWbemContext *ctx,
                         IWbemClassObject **out)
{
    *out = NULL;
    EnterCriticalSection(&p->lock);
    for (size_t i = 0; i < p->classes.count; i++) {
        if (cim_strcasecmp(p->classes.names[i], class_name) == 0) {
            *out = p->classes.classes[i];
            IWbemClassObject_AddRef(*out);
            break;
        }
    }
    IWbemServices *ns = p->wmi_namespace;
    if (ns)
        IWbemServices_AddRef(ns);
    LeaveCriticalSection(&p->lock);
    if (*out)
        return S_OK;
    if (!ns)
        return WBEM_E_CRITICAL_ERROR; /* not initialized */
    BSTR name = wmi_bstr(class_name);
    IWbemClassObject *klass = NULL;
    HRESULT hr = IWbemServices_GetObject(ns, name, 0, ctx, &klass, NULL);
    SysFreeString(name);
    IWbemServices_Release(ns);
    if (FAILED(hr) || !klass)
        return FAILED(hr) ? hr : (HRESULT)WBEM_E_NOT_FOUND;
    EnterCriticalSection(&p->lock);
    wmi_class_cache *cache = &p->classes;
    cache->names = cim_xrealloc(cache->names, (cache->count + 1) * sizeof *cache->names);
    cache->classes = cim_xrealloc(cache->classes, (cache->count + 1) * sizeof *cache->classes);
    cache->names[cache->count] = cim_xstrdup(class_name);
    cache->classes[cache->count] = klass;
    cache->count++;
    IWbemClassObject_AddRef(klass);
    LeaveCriticalSection(&p->lock);
    *out = klass;
    return S_OK;
}
