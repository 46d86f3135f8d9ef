/* fake_class_object.c - the harness's IWbemClassObject: class objects (what
 * the namespace's GetObject returns) and instances (SpawnInstance, Clone).
 *
 * Only what the provider contract lists is real: Get, Put, SpawnInstance,
 * GetMethod, BeginEnumeration/Next/EndEnumeration and Clone.  Every other
 * slot records an unexpected call and answers WBEM_E_NOT_SUPPORTED. */
#include <stdlib.h>
#include <string.h>

#include "fake_object_internal.h"

static volatile LONG live_objects;
static const IWbemClassObjectVtbl object_vtbl;
static SRWLOCK live_lock = SRWLOCK_INIT;
static fake_object *newest_live;

static void track(fake_object *o)
{
    AcquireSRWLockExclusive(&live_lock);
    o->next_live = newest_live;
    if (newest_live)
        newest_live->prev_live = o;
    newest_live = o;
    ReleaseSRWLockExclusive(&live_lock);
    InterlockedIncrement(&live_objects);
}

static void untrack(fake_object *o)
{
    AcquireSRWLockExclusive(&live_lock);
    if (o->prev_live)
        o->prev_live->next_live = o->next_live;
    else
        newest_live = o->next_live;
    if (o->next_live)
        o->next_live->prev_live = o->prev_live;
    ReleaseSRWLockExclusive(&live_lock);
    InterlockedDecrement(&live_objects);
}

char *fake_object_live_names(size_t newest)
{
    cim_buf b = {0};
    AcquireSRWLockShared(&live_lock);
    size_t n = 0;
    for (fake_object *o = newest_live; o && n < newest; o = o->next_live, n++)
        cim_buf_printf(&b, "%s%s %s", n ? ", " : "", o->cls->name,
                       o->is_instance ? "instance" : "class");
    ReleaseSRWLockShared(&live_lock);
    return cim_buf_take(&b);
}

fake_object *fake_object_of(IWbemClassObject *iface)
{
    return (fake_object *)iface;
}

static fake_object *object_new(const cim_class *cls, const char *namespace_path, bool instance)
{
    fake_object *o = cim_xcalloc(1, sizeof *o);
    o->iface.lpVtbl = &object_vtbl;
    o->refs = 1;
    o->cls = cls;
    o->namespace_path = cim_xstrdup(namespace_path ? namespace_path : "");
    o->is_instance = instance;
    o->values = cim_xcalloc(cls->property_count ? cls->property_count : 1, sizeof *o->values);
    for (size_t i = 0; i < cls->property_count; i++) {
        if (FAILED(harness_variant_from_value(&cls->properties[i].default_value, &o->values[i]))) {
            VariantInit(&o->values[i]);
            V_VT(&o->values[i]) = VT_NULL;
        }
    }
    track(o);
    return o;
}

IWbemClassObject *fake_class_object_new(const cim_class *cls, const char *namespace_path)
{
    return &object_new(cls, namespace_path, false)->iface;
}

IWbemClassObject *fake_instance_new(const cim_class *cls, const char *namespace_path)
{
    return &object_new(cls, namespace_path, true)->iface;
}

bool fake_object_is_ours(IWbemClassObject *obj)
{
    return obj && obj->lpVtbl == &object_vtbl;
}

const cim_class *fake_object_class(IWbemClassObject *obj)
{
    return fake_object_of(obj)->cls;
}

bool fake_object_is_instance(IWbemClassObject *obj)
{
    return fake_object_of(obj)->is_instance;
}

long fake_object_live_count(void)
{
    return InterlockedCompareExchange(&live_objects, 0, 0);
}

/* ---- IUnknown ------------------------------------------------------------ */

static HRESULT STDMETHODCALLTYPE object_query_interface(IWbemClassObject *iface, REFIID riid,
                                                        void **out)
{
    if (!out)
        return E_POINTER;
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IWbemClassObject)) {
        *out = iface;
        IWbemClassObject_AddRef(iface);
        return S_OK;
    }
    *out = NULL;
    return E_NOINTERFACE;
}

static ULONG STDMETHODCALLTYPE object_add_ref(IWbemClassObject *iface)
{
    return (ULONG)InterlockedIncrement(&fake_object_of(iface)->refs);
}

static ULONG STDMETHODCALLTYPE object_release(IWbemClassObject *iface)
{
    fake_object *o = fake_object_of(iface);
    LONG left = InterlockedDecrement(&o->refs);
    if (left == 0) {
        for (size_t i = 0; i < o->cls->property_count; i++)
            VariantClear(&o->values[i]);
        free(o->values);
        free(o->namespace_path);
        untrack(o);
        free(o);
    }
    return (ULONG)left;
}

/* ---- the contract's slots ------------------------------------------------ */

static HRESULT STDMETHODCALLTYPE object_get(IWbemClassObject *iface, LPCWSTR name, LONG flags,
                                            VARIANT *value, CIMTYPE *type, LONG *flavor)
{
    (void)flags;
    return fake_object_get(fake_object_of(iface), name, value, type, flavor);
}

static HRESULT STDMETHODCALLTYPE object_put(IWbemClassObject *iface, LPCWSTR name, LONG flags,
                                            VARIANT *value, CIMTYPE type)
{
    return fake_object_put(fake_object_of(iface), name, flags, value, type);
}

static HRESULT STDMETHODCALLTYPE object_spawn_instance(IWbemClassObject *iface, LONG flags,
                                                       IWbemClassObject **out)
{
    fake_object *o = fake_object_of(iface);
    if (!out)
        return WBEM_E_INVALID_PARAMETER;
    *out = NULL;
    if (flags != 0)
        return WBEM_E_INVALID_PARAMETER;
    if (o->is_instance) {
        /* WMI spawns instances from class definitions only. */
        harness_unexpected("IWbemClassObject::SpawnInstance on an instance");
        return WBEM_E_INVALID_OPERATION;
    }
    *out = fake_instance_new(o->cls, o->namespace_path);
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE object_clone(IWbemClassObject *iface, IWbemClassObject **out)
{
    fake_object *o = fake_object_of(iface);
    if (!out)
        return WBEM_E_INVALID_PARAMETER;
    fake_object *copy = object_new(o->cls, o->namespace_path, o->is_instance);
    for (size_t i = 0; i < o->cls->property_count; i++) {
        VariantClear(&copy->values[i]);
        HRESULT hr = fake_copy_value(&copy->values[i], &o->values[i]);
        if (FAILED(hr)) {
            IWbemClassObject_Release(&copy->iface);
            *out = NULL;
            return hr;
        }
    }
    *out = &copy->iface;
    return S_OK;
}

/* WMI's signatures are __PARAMETERS class objects; a method without in
 * parameters has no in signature (NULL), as in WMI. */
static IWbemClassObject *signature(const cim_class *params, const char *namespace_path)
{
    if (!params || params->property_count == 0)
        return NULL;
    return fake_class_object_new(params, namespace_path);
}

static HRESULT STDMETHODCALLTYPE object_get_method(IWbemClassObject *iface, LPCWSTR name,
                                                   LONG flags, IWbemClassObject **in,
                                                   IWbemClassObject **out)
{
    fake_object *o = fake_object_of(iface);
    if (in)
        *in = NULL;
    if (out)
        *out = NULL;
    if (!name || flags != 0)
        return WBEM_E_INVALID_PARAMETER;
    char *utf8 = harness_utf8(name);
    const cim_method *m = cim_class_find_method(o->cls, utf8);
    free(utf8);
    if (!m)
        return WBEM_E_NOT_FOUND;
    if (in)
        *in = signature(m->in_class, o->namespace_path);
    if (out)
        *out = signature(m->out_class, o->namespace_path);
    return S_OK;
}

/* ---- property enumeration ------------------------------------------------ */

#define ORIGIN_MASK (WBEM_FLAG_LOCAL_ONLY | WBEM_FLAG_PROPAGATED_ONLY | WBEM_FLAG_NONSYSTEM_ONLY)

static HRESULT STDMETHODCALLTYPE object_begin_enumeration(IWbemClassObject *iface, LONG flags)
{
    fake_object *o = fake_object_of(iface);
    LONG known = ORIGIN_MASK | WBEM_FLAG_KEYS_ONLY | WBEM_FLAG_REFS_ONLY;
    if (flags & ~known)
        return WBEM_E_INVALID_PARAMETER;
    o->enumerating = true;
    o->enum_flags = flags;
    o->enum_pos = 0;
    return S_OK;
}

static bool wanted(const fake_object *o, size_t pos)
{
    LONG origin = o->enum_flags & ORIGIN_MASK;
    size_t system = fake_system_property_count();
    if (pos < system)
        return (origin == 0 || origin == WBEM_FLAG_SYSTEM_ONLY) &&
               !(o->enum_flags & (WBEM_FLAG_KEYS_ONLY | WBEM_FLAG_REFS_ONLY));
    if (origin == WBEM_FLAG_SYSTEM_ONLY)
        return false;
    size_t i = pos - system;
    const cim_property *p = &o->cls->properties[i];
    LONG flavor = fake_property_flavor(o, i);
    if (origin == WBEM_FLAG_LOCAL_ONLY && flavor != WBEM_FLAVOR_ORIGIN_LOCAL)
        return false;
    if (origin == WBEM_FLAG_PROPAGATED_ONLY && flavor != WBEM_FLAVOR_ORIGIN_PROPAGATED)
        return false;
    if ((o->enum_flags & WBEM_FLAG_KEYS_ONLY) && !(p->flags & CIM_PROP_KEY))
        return false;
    if ((o->enum_flags & WBEM_FLAG_REFS_ONLY) && p->type != CIM_TYPE_REFERENCE)
        return false;
    return true;
}

static HRESULT STDMETHODCALLTYPE object_next(IWbemClassObject *iface, LONG flags, BSTR *name,
                                             VARIANT *value, CIMTYPE *type, LONG *flavor)
{
    fake_object *o = fake_object_of(iface);
    if (flags != 0)
        return WBEM_E_INVALID_PARAMETER;
    if (!o->enumerating)
        return WBEM_E_UNEXPECTED;
    size_t system = fake_system_property_count();
    size_t total = system + o->cls->property_count;
    while (o->enum_pos < total && !wanted(o, o->enum_pos))
        o->enum_pos++;
    if (o->enum_pos >= total)
        return WBEM_S_NO_MORE_DATA;
    size_t pos = o->enum_pos++;
    const wchar_t *system_name = pos < system ? fake_system_property_name(pos) : NULL;
    wchar_t *property_name = system_name ? NULL
                                         : harness_wide(o->cls->properties[pos - system].name);
    const wchar_t *which = system_name ? system_name : property_name;
    HRESULT hr = fake_object_get(o, which, value, type, flavor);
    if (SUCCEEDED(hr) && name)
        *name = SysAllocString(which);
    free(property_name);
    return hr;
}

static HRESULT STDMETHODCALLTYPE object_end_enumeration(IWbemClassObject *iface)
{
    fake_object_of(iface)->enumerating = false;
    return S_OK;
}

/* ---- slots outside the contract ------------------------------------------ */

#define NOT_IN_CONTRACT(slot)                                   \
    do {                                                        \
        (void)iface;                                            \
        harness_unexpected("IWbemClassObject::" slot);          \
        return WBEM_E_NOT_SUPPORTED;                            \
    } while (0)

static HRESULT STDMETHODCALLTYPE object_get_qualifier_set(IWbemClassObject *iface,
                                                          IWbemQualifierSet **out)
{
    (void)out;
    NOT_IN_CONTRACT("GetQualifierSet");
}

static HRESULT STDMETHODCALLTYPE object_delete(IWbemClassObject *iface, LPCWSTR name)
{
    (void)name;
    NOT_IN_CONTRACT("Delete");
}

static HRESULT STDMETHODCALLTYPE object_get_names(IWbemClassObject *iface, LPCWSTR qualifier,
                                                  LONG flags, VARIANT *qualifier_value,
                                                  SAFEARRAY **names)
{
    (void)qualifier, (void)flags, (void)qualifier_value, (void)names;
    NOT_IN_CONTRACT("GetNames");
}

static HRESULT STDMETHODCALLTYPE object_get_property_qualifier_set(IWbemClassObject *iface,
                                                                   LPCWSTR name,
                                                                   IWbemQualifierSet **out)
{
    (void)name, (void)out;
    NOT_IN_CONTRACT("GetPropertyQualifierSet");
}

static HRESULT STDMETHODCALLTYPE object_get_object_text(IWbemClassObject *iface, LONG flags,
                                                        BSTR *text)
{
    (void)flags, (void)text;
    NOT_IN_CONTRACT("GetObjectText");
}

static HRESULT STDMETHODCALLTYPE object_spawn_derived_class(IWbemClassObject *iface, LONG flags,
                                                            IWbemClassObject **out)
{
    (void)flags, (void)out;
    NOT_IN_CONTRACT("SpawnDerivedClass");
}

static HRESULT STDMETHODCALLTYPE object_compare_to(IWbemClassObject *iface, LONG flags,
                                                   IWbemClassObject *other)
{
    (void)flags, (void)other;
    NOT_IN_CONTRACT("CompareTo");
}

static HRESULT STDMETHODCALLTYPE object_get_property_origin(IWbemClassObject *iface,
                                                            LPCWSTR name, BSTR *class_name)
{
    (void)name, (void)class_name;
    NOT_IN_CONTRACT("GetPropertyOrigin");
}

static HRESULT STDMETHODCALLTYPE object_inherits_from(IWbemClassObject *iface, LPCWSTR ancestor)
{
    (void)ancestor;
    NOT_IN_CONTRACT("InheritsFrom");
}

static HRESULT STDMETHODCALLTYPE object_put_method(IWbemClassObject *iface, LPCWSTR name,
                                                   LONG flags, IWbemClassObject *in,
                                                   IWbemClassObject *out)
{
    (void)name, (void)flags, (void)in, (void)out;
    NOT_IN_CONTRACT("PutMethod");
}

static HRESULT STDMETHODCALLTYPE object_delete_method(IWbemClassObject *iface, LPCWSTR name)
{
    (void)name;
    NOT_IN_CONTRACT("DeleteMethod");
}

static HRESULT STDMETHODCALLTYPE object_begin_method_enumeration(IWbemClassObject *iface,
                                                                 LONG flags)
{
    (void)flags;
    NOT_IN_CONTRACT("BeginMethodEnumeration");
}

static HRESULT STDMETHODCALLTYPE object_next_method(IWbemClassObject *iface, LONG flags,
                                                    BSTR *name, IWbemClassObject **in,
                                                    IWbemClassObject **out)
{
    (void)flags, (void)name, (void)in, (void)out;
    NOT_IN_CONTRACT("NextMethod");
}

static HRESULT STDMETHODCALLTYPE object_end_method_enumeration(IWbemClassObject *iface)
{
    NOT_IN_CONTRACT("EndMethodEnumeration");
}

static HRESULT STDMETHODCALLTYPE object_get_method_qualifier_set(IWbemClassObject *iface,
                                                                 LPCWSTR name,
                                                                 IWbemQualifierSet **out)
{
    (void)name, (void)out;
    NOT_IN_CONTRACT("GetMethodQualifierSet");
}

static HRESULT STDMETHODCALLTYPE object_get_method_origin(IWbemClassObject *iface, LPCWSTR name,
                                                          BSTR *class_name)
{
    (void)name, (void)class_name;
    NOT_IN_CONTRACT("GetMethodOrigin");
}

static const IWbemClassObjectVtbl object_vtbl = {
    .QueryInterface = object_query_interface,
    .AddRef = object_add_ref,
    .Release = object_release,
    .GetQualifierSet = object_get_qualifier_set,
    .Get = object_get,
    .Put = object_put,
    .Delete = object_delete,
    .GetNames = object_get_names,
    .BeginEnumeration = object_begin_enumeration,
    .Next = object_next,
    .EndEnumeration = object_end_enumeration,
    .GetPropertyQualifierSet = object_get_property_qualifier_set,
    .Clone = object_clone,
    .GetObjectText = object_get_object_text,
    .SpawnDerivedClass = object_spawn_derived_class,
    .SpawnInstance = object_spawn_instance,
    .CompareTo = object_compare_to,
    .GetPropertyOrigin = object_get_property_origin,
    .InheritsFrom = object_inherits_from,
    .GetMethod = object_get_method,
    .PutMethod = object_put_method,
    .DeleteMethod = object_delete_method,
    .BeginMethodEnumeration = object_begin_method_enumeration,
    .NextMethod = object_next_method,
    .EndMethodEnumeration = object_end_method_enumeration,
    .GetMethodQualifierSet = object_get_method_qualifier_set,
    .GetMethodOrigin = object_get_method_origin,
};
