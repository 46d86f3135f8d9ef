/* class_factory.c - IClassFactory for the provider object.  Each factory is
 * a small heap object so its refcount keeps the DLL loaded. */
#include <stdlib.h>

#include "wmi/class_factory.h"

typedef struct class_factory {
    IClassFactory iface;
    LONG refs;
} class_factory;

static class_factory *factory_of(IClassFactory *iface)
{
    return (class_factory *)iface;
}

static HRESULT STDMETHODCALLTYPE factory_query_interface(IClassFactory *iface, REFIID riid,
                                                         void **out)
{
    if (!out)
        return E_POINTER;
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IClassFactory)) {
        *out = iface;
        IClassFactory_AddRef(iface);
        return S_OK;
    }
    *out = NULL;
    return E_NOINTERFACE;
}

static ULONG STDMETHODCALLTYPE factory_add_ref(IClassFactory *iface)
{
    return (ULONG)InterlockedIncrement(&factory_of(iface)->refs);
}

static ULONG STDMETHODCALLTYPE factory_release(IClassFactory *iface)
{
    class_factory *f = factory_of(iface);
    LONG left = InterlockedDecrement(&f->refs);
    if (left == 0) {
        free(f);
        wmi_object_destroyed();
    }
    return (ULONG)left;
}

static HRESULT STDMETHODCALLTYPE factory_create_instance(IClassFactory *iface, IUnknown *outer,
                                                         REFIID riid, void **out)
{
    (void)iface;
    if (!out)
        return E_POINTER;
    *out = NULL;
    if (outer)
        return CLASS_E_NOAGGREGATION;
    return wmi_provider_create(riid, out);
}

static HRESULT STDMETHODCALLTYPE factory_lock_server(IClassFactory *iface, BOOL lock)
{
    (void)iface;
    wmi_module_lock(lock != FALSE);
    return S_OK;
}

static const IClassFactoryVtbl factory_vtbl = {
    .QueryInterface = factory_query_interface,
    .AddRef = factory_add_ref,
    .Release = factory_release,
    .CreateInstance = factory_create_instance,
    .LockServer = factory_lock_server,
};

HRESULT wmi_class_factory_create(REFIID riid, void **out)
{
    class_factory *f = calloc(1, sizeof *f);
    if (!f)
        return E_OUTOFMEMORY;
    f->iface.lpVtbl = &factory_vtbl;
    f->refs = 1;
    wmi_object_created();
    HRESULT hr = IClassFactory_QueryInterface(&f->iface, riid, out);
    IClassFactory_Release(&f->iface);
    return hr;
}
