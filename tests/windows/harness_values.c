/* harness_values.c - building objects the way a WMI client does (class
 * object, SpawnInstance, Put) and reading what the provider sent back,
 * checking on the way that each value has WMI's canonical VARIANT type. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "harness.h"

static IWbemClassObject *class_object(IWbemServices *ns, const char *class_name)
{
    wchar_t *w = harness_wide(class_name);
    BSTR name = SysAllocString(w);
    free(w);
    IWbemClassObject *cls = NULL;
    HRESULT hr = IWbemServices_GetObject(ns, name, 0, NULL, &cls, NULL);
    SysFreeString(name);
    if (FAILED(hr))
        fail_msg("The fake namespace has no class %s (0x%08lx).", class_name, (unsigned long)hr);
    return cls;
}

IWbemClassObject *harness_spawn(IWbemServices *ns, const char *class_name)
{
    IWbemClassObject *cls = class_object(ns, class_name), *inst = NULL;
    HRESULT hr = IWbemClassObject_SpawnInstance(cls, 0, &inst);
    IWbemClassObject_Release(cls);
    if (FAILED(hr))
        fail_msg("SpawnInstance of %s failed (0x%08lx).", class_name, (unsigned long)hr);
    return inst;
}

IWbemClassObject *harness_spawn_in_params(IWbemServices *ns, const char *class_name,
                                          const char *method)
{
    IWbemClassObject *cls = class_object(ns, class_name), *in = NULL, *params = NULL;
    wchar_t *w = harness_wide(method);
    HRESULT hr = IWbemClassObject_GetMethod(cls, w, 0, &in, NULL);
    free(w);
    IWbemClassObject_Release(cls);
    if (FAILED(hr))
        fail_msg("%s has no method %s (0x%08lx).", class_name, method, (unsigned long)hr);
    if (!in)
        return NULL;
    hr = IWbemClassObject_SpawnInstance(in, 0, &params);
    IWbemClassObject_Release(in);
    assert_true(SUCCEEDED(hr));
    return params;
}

/* ---- Put ----------------------------------------------------------------- */

HRESULT harness_put_variant(IWbemClassObject *obj, const char *name, VARIANT *value)
{
    wchar_t *w = harness_wide(name);
    HRESULT hr = IWbemClassObject_Put(obj, w, 0, value, 0);
    free(w);
    return hr;
}

HRESULT harness_put_string(IWbemClassObject *obj, const char *name, const char *value)
{
    VARIANT v;
    VariantInit(&v);
    wchar_t *w = harness_wide(value);
    V_VT(&v) = VT_BSTR;
    V_BSTR(&v) = SysAllocString(w);
    free(w);
    HRESULT hr = harness_put_variant(obj, name, &v);
    VariantClear(&v);
    return hr;
}

HRESULT harness_put_i4(IWbemClassObject *obj, const char *name, LONG value)
{
    VARIANT v;
    VariantInit(&v);
    V_VT(&v) = VT_I4;
    V_I4(&v) = value;
    return harness_put_variant(obj, name, &v);
}

HRESULT harness_put_bool(IWbemClassObject *obj, const char *name, bool value)
{
    VARIANT v;
    VariantInit(&v);
    V_VT(&v) = VT_BOOL;
    V_BOOL(&v) = value ? VARIANT_TRUE : VARIANT_FALSE;
    return harness_put_variant(obj, name, &v);
}

HRESULT harness_put_strings(IWbemClassObject *obj, const char *name, const char *const *items,
                            size_t count)
{
    SAFEARRAY *sa = SafeArrayCreateVector(VT_BSTR, 0, (ULONG)count);
    for (LONG i = 0; i < (LONG)count; i++) {
        wchar_t *w = harness_wide(items[i]);
        BSTR b = SysAllocString(w);
        SafeArrayPutElement(sa, &i, b);
        SysFreeString(b);
        free(w);
    }
    VARIANT v;
    VariantInit(&v);
    V_VT(&v) = VT_ARRAY | VT_BSTR;
    V_ARRAY(&v) = sa;
    HRESULT hr = harness_put_variant(obj, name, &v);
    VariantClear(&v);
    return hr;
}

HRESULT harness_put_objects(IWbemClassObject *obj, const char *name,
                            IWbemClassObject *const *items, size_t count)
{
    SAFEARRAY *sa = SafeArrayCreateVector(VT_UNKNOWN, 0, (ULONG)count);
    for (LONG i = 0; i < (LONG)count; i++)
        SafeArrayPutElement(sa, &i, (IUnknown *)items[i]);
    VARIANT v;
    VariantInit(&v);
    V_VT(&v) = VT_ARRAY | VT_UNKNOWN;
    V_ARRAY(&v) = sa;
    HRESULT hr = harness_put_variant(obj, name, &v);
    VariantClear(&v);
    return hr;
}

/* ---- Get ----------------------------------------------------------------- */

VARIANT harness_value(IWbemClassObject *obj, const char *name)
{
    VARIANT v;
    VariantInit(&v);
    CIMTYPE type = 0;
    wchar_t *w = harness_wide(name);
    HRESULT hr = IWbemClassObject_Get(obj, w, 0, &v, &type, NULL);
    free(w);
    if (FAILED(hr))
        fail_msg("Get(%s) failed with 0x%08lx.", name, (unsigned long)hr);
    if (V_VT(&v) != VT_NULL && name[0] != '_') {
        VARTYPE want = harness_canonical_vt((cim_type)(type & ~CIM_FLAG_ARRAY));
        if (type & CIM_FLAG_ARRAY)
            want |= VT_ARRAY;
        if (V_VT(&v) != want)
            fail_msg("%s holds VARTYPE 0x%x where WMI's form for CIM type %ld is 0x%x.", name,
                     (unsigned)V_VT(&v), (long)type, (unsigned)want);
    }
    return v;
}

bool harness_is_null(IWbemClassObject *obj, const char *name)
{
    VARIANT v = harness_value(obj, name);
    bool null = V_VT(&v) == VT_NULL;
    VariantClear(&v);
    return null;
}

char *harness_string(IWbemClassObject *obj, const char *name)
{
    VARIANT v = harness_value(obj, name);
    char *text = NULL;
    if (V_VT(&v) == VT_BSTR)
        text = harness_utf8(V_BSTR(&v));
    else if (V_VT(&v) != VT_NULL)
        fail_msg("%s is not a string (VARTYPE 0x%x).", name, (unsigned)V_VT(&v));
    VariantClear(&v);
    return text;
}

LONG harness_i4(IWbemClassObject *obj, const char *name)
{
    VARIANT v = harness_value(obj, name);
    LONG n = 0;
    switch (V_VT(&v)) {
    case VT_I4:
        n = V_I4(&v);
        break;
    case VT_I2:
        n = V_I2(&v);
        break;
    case VT_UI1:
        n = V_UI1(&v);
        break;
    default:
        fail_msg("%s is not an integer (VARTYPE 0x%x).", name, (unsigned)V_VT(&v));
    }
    VariantClear(&v);
    return n;
}

bool harness_bool(IWbemClassObject *obj, const char *name)
{
    VARIANT v = harness_value(obj, name);
    if (V_VT(&v) != VT_BOOL)
        fail_msg("%s is not a boolean (VARTYPE 0x%x).", name, (unsigned)V_VT(&v));
    bool b = V_BOOL(&v) != VARIANT_FALSE;
    VariantClear(&v);
    return b;
}

char *harness_class_name(IWbemClassObject *obj)
{
    return harness_string(obj, "__CLASS");
}

char *harness_relpath(IWbemClassObject *obj)
{
    return harness_string(obj, "__RELPATH");
}

/* ---- whole calls --------------------------------------------------------- */

char *harness_create(IWbemServices *svc, IWbemServices *ns, const char *class_name,
                     const char *const *assignments)
{
    IWbemClassObject *inst = harness_spawn(ns, class_name);
    for (const char *const *a = assignments; a && *a; a++) {
        const char *eq = strchr(*a, '=');
        assert_non_null(eq);
        char *name = cim_xstrdup(*a);
        name[eq - *a] = '\0';
        HRESULT hr = harness_put_string(inst, name, eq + 1);
        if (FAILED(hr))
            fail_msg("Put(%s) failed with 0x%08lx.", *a, (unsigned long)hr);
        free(name);
    }
    fake_sink *s = harness_put(svc, inst, WBEM_FLAG_CREATE_ONLY, NULL);
    IWbemClassObject_Release(inst);
    harness_assert_ok(s);
    assert_non_null(s->status_param);
    char *path = cim_xstrdup(s->status_param);
    fake_sink_release(s);
    return path;
}

IWbemClassObject *harness_fetch(IWbemServices *svc, const char *path)
{
    fake_sink *s = harness_get(svc, path, 0, NULL);
    harness_assert_ok(s);
    IWbemClassObject *obj = harness_only_object(s);
    IWbemClassObject_AddRef(obj);
    fake_sink_release(s);
    return obj;
}
