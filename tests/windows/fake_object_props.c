/* fake_object_props.c - the values behind the fake IWbemClassObject: Get
 * and Put with WMI's rules, and the system properties (__CLASS, __RELPATH,
 * __PATH, ...) computed from the class and the key values. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "fake_object_internal.h"

static const wchar_t *const system_names[] = {
    L"__GENUS", L"__CLASS", L"__SUPERCLASS", L"__DYNASTY", L"__RELPATH",
    L"__PROPERTY_COUNT", L"__DERIVATION", L"__SERVER", L"__NAMESPACE", L"__PATH",
};

size_t fake_system_property_count(void)
{
    return sizeof system_names / sizeof system_names[0];
}

const wchar_t *fake_system_property_name(size_t i)
{
    return system_names[i];
}

CIMTYPE fake_property_cimtype(const cim_property *p)
{
    return (CIMTYPE)p->type | (p->is_array ? CIM_FLAG_ARRAY : 0);
}

LONG fake_property_flavor(const fake_object *o, size_t i)
{
    const char *origin = o->cls->properties[i].origin_class;
    bool inherited = origin && cim_strcasecmp(origin, o->cls->name) != 0;
    return inherited ? WBEM_FLAVOR_ORIGIN_PROPAGATED : WBEM_FLAVOR_ORIGIN_LOCAL;
}

/* ---- small VARIANT builders --------------------------------------------- */

static void set_text(VARIANT *out, const char *utf8)
{
    VariantInit(out);
    if (!utf8) {
        V_VT(out) = VT_NULL;
        return;
    }
    wchar_t *w = harness_wide(utf8);
    V_VT(out) = VT_BSTR;
    V_BSTR(out) = SysAllocString(w);
    free(w);
}

static void set_i4(VARIANT *out, LONG n)
{
    VariantInit(out);
    V_VT(out) = VT_I4;
    V_I4(out) = n;
}

static void set_derivation(VARIANT *out, const cim_class *cls)
{
    size_t n = 0;
    for (const cim_class *c = cls->superclass; c; c = c->superclass)
        n++;
    SAFEARRAY *sa = SafeArrayCreateVector(VT_BSTR, 0, (ULONG)n);
    LONG i = 0;
    for (const cim_class *c = cls->superclass; c; c = c->superclass, i++) {
        wchar_t *w = harness_wide(c->name);
        BSTR b = SysAllocString(w);
        SafeArrayPutElement(sa, &i, b);
        SysFreeString(b);
        free(w);
    }
    VariantInit(out);
    V_VT(out) = VT_ARRAY | VT_BSTR;
    V_ARRAY(out) = sa;
}

static char *server_name(void)
{
    wchar_t name[MAX_COMPUTERNAME_LENGTH + 1];
    DWORD size = MAX_COMPUTERNAME_LENGTH + 1;
    if (!GetComputerNameW(name, &size))
        return cim_xstrdup("HARNESS");
    return harness_utf8(name);
}

/* ---- __RELPATH ----------------------------------------------------------- */

static void append_key_value(cim_buf *b, const cim_property *p, const VARIANT *v)
{
    switch (V_VT(v)) {
    case VT_BSTR: {
        char *text = harness_utf8(V_BSTR(v));
        if (p->type == CIM_TYPE_SINT64 || p->type == CIM_TYPE_UINT64) {
            cim_buf_append(b, text);
        } else {
            cim_buf_append(b, "\"");
            for (const char *c = text; *c; c++) {
                if (*c == '"' || *c == '\\')
                    cim_buf_append_n(b, "\\", 1);
                cim_buf_append_n(b, c, 1);
            }
            cim_buf_append(b, "\"");
        }
        free(text);
        break;
    }
    case VT_BOOL:
        cim_buf_append(b, V_BOOL(v) ? "TRUE" : "FALSE");
        break;
    case VT_UI1:
        cim_buf_printf(b, "%u", (unsigned)V_UI1(v));
        break;
    case VT_I2:
        cim_buf_printf(b, "%d", (int)V_I2(v));
        break;
    default:
        if (p->type == CIM_TYPE_UINT32)
            cim_buf_printf(b, "%lu", (unsigned long)(ULONG)V_I4(v));
        else
            cim_buf_printf(b, "%ld", (long)V_I4(v));
        break;
    }
}

static int compare_key_names(const void *a, const void *b)
{
    const cim_property *pa = *(const cim_property *const *)a;
    const cim_property *pb = *(const cim_property *const *)b;
    return cim_strcasecmp(pa->name, pb->name);
}

/* NULL when some key is null or the instance has no key. */
static char *instance_relpath(const fake_object *o)
{
    const cim_class *cls = o->cls;
    if (cls->key_count == 0)
        return cim_qualifier_is_true(&cls->qualifiers, "singleton")
                   ? cim_xasprintf("%s=@", cls->name)
                   : NULL;
    const cim_property **keys = cim_xcalloc(cls->key_count, sizeof *keys);
    size_t n = 0;
    for (size_t i = 0; i < cls->property_count; i++) {
        if (!(cls->properties[i].flags & CIM_PROP_KEY))
            continue;
        if (V_VT(&o->values[i]) == VT_NULL) {
            free(keys);
            return NULL;
        }
        keys[n++] = &cls->properties[i];
    }
    qsort(keys, n, sizeof *keys, compare_key_names);
    cim_buf b = {0};
    cim_buf_append(&b, cls->name);
    for (size_t k = 0; k < n; k++) {
        cim_buf_append(&b, k ? "," : ".");
        cim_buf_append(&b, keys[k]->name);
        cim_buf_append(&b, "=");
        append_key_value(&b, keys[k], &o->values[cim_class_property_index(cls, keys[k]->name)]);
    }
    free(keys);
    return cim_buf_take(&b);
}

static char *relpath_text(const fake_object *o)
{
    return o->is_instance ? instance_relpath(o) : cim_xstrdup(o->cls->name);
}

HRESULT fake_object_relpath(fake_object *o, VARIANT *out)
{
    char *text = relpath_text(o);
    set_text(out, text);
    free(text);
    return S_OK;
}

/* ---- system properties --------------------------------------------------- */

static void system_value(fake_object *o, size_t which, VARIANT *out)
{
    const cim_class *cls = o->cls;
    switch (which) {
    case 0: /* __GENUS */
        set_i4(out, o->is_instance ? WBEM_GENUS_INSTANCE : WBEM_GENUS_CLASS);
        break;
    case 1:
        set_text(out, cls->name);
        break;
    case 2:
        set_text(out, cls->superclass_name);
        break;
    case 3: { /* __DYNASTY */
        const cim_class *root = cls;
        while (root->superclass)
            root = root->superclass;
        set_text(out, root->name);
        break;
    }
    case 4:
        fake_object_relpath(o, out);
        break;
    case 5:
        set_i4(out, (LONG)cls->property_count);
        break;
    case 6:
        set_derivation(out, cls);
        break;
    case 7: {
        char *server = server_name();
        set_text(out, server);
        free(server);
        break;
    }
    case 8:
        set_text(out, o->namespace_path);
        break;
    default: { /* __PATH */
        char *rel = relpath_text(o);
        char *server = server_name();
        char *path = rel ? cim_xasprintf("\\\\%s\\%s:%s", server, o->namespace_path, rel) : NULL;
        set_text(out, path);
        free(path);
        free(server);
        free(rel);
        break;
    }
    }
}

static CIMTYPE system_cimtype(size_t which)
{
    if (which == 0 || which == 5)
        return CIM_SINT32;
    if (which == 6)
        return CIM_STRING | CIM_FLAG_ARRAY;
    return CIM_STRING;
}

HRESULT fake_object_system_property(fake_object *o, const wchar_t *name, VARIANT *out,
                                    CIMTYPE *type)
{
    for (size_t i = 0; i < fake_system_property_count(); i++) {
        if (_wcsicmp(name, system_names[i]) != 0)
            continue;
        if (out)
            system_value(o, i, out);
        if (type)
            *type = system_cimtype(i);
        return S_OK;
    }
    return WBEM_E_NOT_FOUND;
}

/* ---- Get and Put --------------------------------------------------------- */

static ptrdiff_t property_index(const fake_object *o, const wchar_t *name)
{
    char *utf8 = harness_utf8(name);
    ptrdiff_t i = cim_class_property_index(o->cls, utf8);
    free(utf8);
    return i;
}

HRESULT fake_object_get(fake_object *o, const wchar_t *name, VARIANT *value, CIMTYPE *type,
                        LONG *flavor)
{
    if (!name)
        return WBEM_E_INVALID_PARAMETER;
    if (name[0] == L'_' && name[1] == L'_') {
        HRESULT hr = fake_object_system_property(o, name, value, type);
        if (SUCCEEDED(hr) && flavor)
            *flavor = WBEM_FLAVOR_ORIGIN_SYSTEM;
        return hr;
    }
    ptrdiff_t i = property_index(o, name);
    if (i < 0)
        return WBEM_E_NOT_FOUND;
    if (value) {
        VariantInit(value);
        HRESULT hr = VariantCopy(value, &o->values[i]);
        if (FAILED(hr))
            return hr;
    }
    if (type)
        *type = fake_property_cimtype(&o->cls->properties[i]);
    if (flavor)
        *flavor = fake_property_flavor(o, (size_t)i);
    return S_OK;
}

HRESULT fake_object_put(fake_object *o, const wchar_t *name, LONG flags, VARIANT *value,
                        CIMTYPE type)
{
    if (!name)
        return WBEM_E_INVALID_PARAMETER;
    if (!o->is_instance) {
        harness_unexpected("IWbemClassObject::Put on a class object");
        return WBEM_E_INVALID_OPERATION;
    }
    if (flags != 0)
        harness_unexpected("IWbemClassObject::Put with flags");
    if (name[0] == L'_' && name[1] == L'_')
        return fake_object_system_property(o, name, NULL, NULL) == S_OK ? WBEM_E_READ_ONLY
                                                                        : WBEM_E_NOT_FOUND;
    ptrdiff_t i = property_index(o, name);
    if (i < 0)
        return WBEM_E_NOT_FOUND;
    const cim_property *p = &o->cls->properties[i];
    if (type != 0 && type != fake_property_cimtype(p))
        return WBEM_E_TYPE_MISMATCH;
    VARIANT coerced;
    HRESULT hr = harness_coerce_variant(value, p->type, p->is_array, p->ref_class, &coerced);
    if (FAILED(hr))
        return hr;
    VariantClear(&o->values[i]);
    o->values[i] = coerced;
    return S_OK;
}

/* ---- deep copies --------------------------------------------------------- */

static HRESULT clone_unknown(IUnknown *unk, IUnknown **out)
{
    IWbemClassObject *obj = NULL, *copy = NULL;
    *out = NULL;
    if (!unk)
        return S_OK;
    HRESULT hr = IUnknown_QueryInterface(unk, &IID_IWbemClassObject, (void **)&obj);
    if (FAILED(hr))
        return hr;
    hr = IWbemClassObject_Clone(obj, &copy);
    IWbemClassObject_Release(obj);
    *out = (IUnknown *)copy;
    return hr;
}

HRESULT fake_copy_value(VARIANT *dst, const VARIANT *src)
{
    VariantInit(dst);
    if (V_VT(src) == VT_UNKNOWN) {
        V_VT(dst) = VT_UNKNOWN;
        return clone_unknown(V_UNKNOWN(src), &V_UNKNOWN(dst));
    }
    if (V_VT(src) != (VT_ARRAY | VT_UNKNOWN))
        return VariantCopy(dst, (VARIANT *)src);
    LONG low = 0, high = -1;
    SafeArrayGetLBound(V_ARRAY(src), 1, &low);
    SafeArrayGetUBound(V_ARRAY(src), 1, &high);
    SAFEARRAY *sa = SafeArrayCreateVector(VT_UNKNOWN, 0, (ULONG)(high - low + 1));
    HRESULT hr = S_OK;
    for (LONG i = low; i <= high && SUCCEEDED(hr); i++) {
        IUnknown *item = NULL, *copy = NULL;
        hr = SafeArrayGetElement(V_ARRAY(src), &i, &item);
        if (SUCCEEDED(hr))
            hr = clone_unknown(item, &copy);
        if (SUCCEEDED(hr)) {
            LONG at = i - low;
            hr = SafeArrayPutElement(sa, &at, copy);
        }
        if (copy)
            IUnknown_Release(copy);
        if (item)
            IUnknown_Release(item);
    }
    if (FAILED(hr)) {
        SafeArrayDestroy(sa);
        return hr;
    }
    V_VT(dst) = VT_ARRAY | VT_UNKNOWN;
    V_ARRAY(dst) = sa;
    return S_OK;
}
