/* harness_variant.c - WMI's VARIANT forms of CIM values.
 *
 * WMI keeps every property in one canonical VARTYPE per CIM type
 * (uint32 -> VT_I4, uint64 -> VT_BSTR decimal text, ...).  Put with CIM
 * type 0 coerces what the client sent to that form as VariantChangeType
 * would and refuses what does not fit with WBEM_E_TYPE_MISMATCH; the
 * harness does the same so the DLL meets WMI's rules, not looser ones. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

VARTYPE harness_canonical_vt(cim_type type)
{
    switch (type) {
    case CIM_TYPE_STRING:
    case CIM_TYPE_DATETIME:
    case CIM_TYPE_REFERENCE:
    case CIM_TYPE_SINT64:
    case CIM_TYPE_UINT64:
        return VT_BSTR;
    case CIM_TYPE_BOOLEAN:
        return VT_BOOL;
    case CIM_TYPE_SINT8:
    case CIM_TYPE_SINT16:
    case CIM_TYPE_CHAR16:
        return VT_I2;
    case CIM_TYPE_UINT8:
        return VT_UI1;
    case CIM_TYPE_UINT16:
    case CIM_TYPE_SINT32:
    case CIM_TYPE_UINT32:
        return VT_I4;
    case CIM_TYPE_REAL32:
        return VT_R4;
    case CIM_TYPE_REAL64:
        return VT_R8;
    case CIM_TYPE_OBJECT:
        return VT_UNKNOWN;
    default:
        return VT_EMPTY;
    }
}

/* ---- scalars ------------------------------------------------------------- */

static HRESULT change_type(VARIANT *out, const VARIANT *in, VARTYPE vt)
{
    VariantInit(out);
    HRESULT hr = VariantChangeTypeEx(out, (VARIANT *)in, LOCALE_INVARIANT, 0, vt);
    return SUCCEEDED(hr) ? S_OK : WBEM_E_TYPE_MISMATCH;
}

/* The value as a 64-bit integer, for the range checks WMI makes. */
static HRESULT as_int64(const VARIANT *in, LONGLONG *out)
{
    if (V_VT(in) == VT_UI4) {
        *out = V_UI4(in);
        return S_OK;
    }
    VARIANT wide;
    HRESULT hr = change_type(&wide, in, VT_I8);
    if (FAILED(hr))
        return hr;
    *out = V_I8(&wide);
    return S_OK;
}

static HRESULT integer_in_range(const VARIANT *in, LONGLONG low, LONGLONG high, VARTYPE vt,
                                VARIANT *out)
{
    LONGLONG n;
    HRESULT hr = as_int64(in, &n);
    if (FAILED(hr) || n < low || n > high)
        return WBEM_E_TYPE_MISMATCH;
    VariantInit(out);
    V_VT(out) = vt;
    if (vt == VT_I2)
        V_I2(out) = (SHORT)n;
    else if (vt == VT_UI1)
        V_UI1(out) = (BYTE)n;
    else
        V_I4(out) = (LONG)(ULONG)n; /* uint32 keeps its bits in a VT_I4 */
    return S_OK;
}

/* sint64/uint64: decimal text, whatever numeric or text form came in. */
static HRESULT wide_integer(const VARIANT *in, bool is_signed, VARIANT *out)
{
    char text[32];
    if (V_VT(in) == VT_BSTR) {
        char *s = harness_utf8(V_BSTR(in));
        char *end = NULL;
        errno = 0;
        bool ok;
        if (is_signed) {
            long long v = strtoll(s, &end, 10);
            ok = errno == 0 && end != s && *end == '\0';
            snprintf(text, sizeof text, "%lld", v);
        } else {
            unsigned long long v = strtoull(s, &end, 10);
            ok = errno == 0 && end != s && *end == '\0' && s[0] != '-';
            snprintf(text, sizeof text, "%llu", v);
        }
        free(s);
        if (!ok)
            return WBEM_E_TYPE_MISMATCH;
    } else {
        LONGLONG n;
        if (FAILED(as_int64(in, &n)) || (!is_signed && n < 0))
            return WBEM_E_TYPE_MISMATCH;
        snprintf(text, sizeof text, "%lld", (long long)n);
    }
    wchar_t *w = harness_wide(text);
    VariantInit(out);
    V_VT(out) = VT_BSTR;
    V_BSTR(out) = SysAllocString(w);
    free(w);
    return S_OK;
}

static HRESULT datetime_text(const VARIANT *in, VARIANT *out)
{
    HRESULT hr = change_type(out, in, VT_BSTR);
    if (FAILED(hr))
        return hr;
    char *s = harness_utf8(V_BSTR(out));
    cim_datetime dt;
    const char *why = NULL;
    bool ok = cim_datetime_parse(s, &dt, &why);
    free(s);
    if (!ok) {
        VariantClear(out);
        return WBEM_E_TYPE_MISMATCH;
    }
    return S_OK;
}

static HRESULT embedded_object(const VARIANT *in, const char *ref_class, VARIANT *out)
{
    if (V_VT(in) != VT_UNKNOWN && V_VT(in) != VT_DISPATCH)
        return WBEM_E_TYPE_MISMATCH;
    IUnknown *unk = V_VT(in) == VT_UNKNOWN ? V_UNKNOWN(in) : (IUnknown *)V_DISPATCH(in);
    IWbemClassObject *obj = NULL;
    if (!unk || FAILED(IUnknown_QueryInterface(unk, &IID_IWbemClassObject, (void **)&obj)))
        return WBEM_E_TYPE_MISMATCH;
    /* A strongly typed embedded property takes instances of its class or a
     * subclass, as WMI checks against the property's CIMTYPE qualifier. */
    if (fake_object_is_ours(obj) &&
        (!fake_object_is_instance(obj) ||
         (ref_class && !cim_class_is_a(fake_object_class(obj), ref_class)))) {
        IWbemClassObject_Release(obj);
        return WBEM_E_TYPE_MISMATCH;
    }
    VariantInit(out);
    V_VT(out) = VT_UNKNOWN;
    V_UNKNOWN(out) = (IUnknown *)obj;
    return S_OK;
}

static HRESULT coerce_scalar(const VARIANT *in, cim_type type, const char *ref_class,
                             VARIANT *out)
{
    switch (type) {
    case CIM_TYPE_STRING:
    case CIM_TYPE_REFERENCE:
        return change_type(out, in, VT_BSTR);
    case CIM_TYPE_DATETIME:
        return datetime_text(in, out);
    case CIM_TYPE_BOOLEAN:
        return change_type(out, in, VT_BOOL);
    case CIM_TYPE_SINT8:
        return integer_in_range(in, -128, 127, VT_I2, out);
    case CIM_TYPE_SINT16:
        return integer_in_range(in, -32768, 32767, VT_I2, out);
    case CIM_TYPE_CHAR16:
        return integer_in_range(in, 0, 65535, VT_I2, out);
    case CIM_TYPE_UINT8:
        return integer_in_range(in, 0, 255, VT_UI1, out);
    case CIM_TYPE_UINT16:
        return integer_in_range(in, 0, 65535, VT_I4, out);
    case CIM_TYPE_SINT32:
        return integer_in_range(in, INT32_MIN, INT32_MAX, VT_I4, out);
    case CIM_TYPE_UINT32:
        /* A VT_I4 is how WMI itself hands out uint32, so every bit pattern
         * of one is accepted; other forms must be 0..4294967295. */
        if (V_VT(in) == VT_I4) {
            VariantInit(out);
            V_VT(out) = VT_I4;
            V_I4(out) = V_I4(in);
            return S_OK;
        }
        return integer_in_range(in, 0, UINT32_MAX, VT_I4, out);
    case CIM_TYPE_SINT64:
        return wide_integer(in, true, out);
    case CIM_TYPE_UINT64:
        return wide_integer(in, false, out);
    case CIM_TYPE_REAL32:
        return change_type(out, in, VT_R4);
    case CIM_TYPE_REAL64:
        return change_type(out, in, VT_R8);
    case CIM_TYPE_OBJECT:
        return embedded_object(in, ref_class, out);
    default:
        return WBEM_E_TYPE_MISMATCH;
    }
}

/* ---- arrays -------------------------------------------------------------- */

/* Element i of a one-dimensional SAFEARRAY as a VARIANT (caller clears). */
static HRESULT array_item(SAFEARRAY *sa, VARTYPE vt, LONG i, VARIANT *item)
{
    VariantInit(item);
    if (vt == VT_VARIANT)
        return SafeArrayGetElement(sa, &i, item);
    HRESULT hr = SafeArrayGetElement(sa, &i, &V_UI1(item)); /* the union's storage */
    if (SUCCEEDED(hr))
        V_VT(item) = vt;
    return hr;
}

static HRESULT array_put(SAFEARRAY *sa, LONG i, VARIANT *item)
{
    switch (V_VT(item)) {
    case VT_BSTR:
        return SafeArrayPutElement(sa, &i, V_BSTR(item));
    case VT_UNKNOWN:
        return SafeArrayPutElement(sa, &i, V_UNKNOWN(item));
    default:
        return SafeArrayPutElement(sa, &i, &V_UI1(item));
    }
}

static HRESULT coerce_array(const VARIANT *in, cim_type type, const char *ref_class,
                            VARIANT *out)
{
    if (!(V_VT(in) & VT_ARRAY))
        return WBEM_E_TYPE_MISMATCH;
    SAFEARRAY *src = (V_VT(in) & VT_BYREF) ? *V_ARRAYREF(in) : V_ARRAY(in);
    VARTYPE item_vt = V_VT(in) & VT_TYPEMASK;
    LONG low = 0, high = -1;
    if (!src || SafeArrayGetDim(src) != 1 || FAILED(SafeArrayGetLBound(src, 1, &low)) ||
        FAILED(SafeArrayGetUBound(src, 1, &high)))
        return WBEM_E_TYPE_MISMATCH;
    SAFEARRAY *dst = SafeArrayCreateVector(harness_canonical_vt(type), 0, (ULONG)(high - low + 1));
    HRESULT hr = S_OK;
    for (LONG i = low; i <= high && SUCCEEDED(hr); i++) {
        VARIANT item, coerced;
        hr = array_item(src, item_vt, i, &item);
        if (SUCCEEDED(hr))
            hr = V_VT(&item) == VT_NULL || V_VT(&item) == VT_EMPTY
                     ? (HRESULT)WBEM_E_TYPE_MISMATCH /* WMI arrays hold no nulls */
                     : coerce_scalar(&item, type, ref_class, &coerced);
        if (SUCCEEDED(hr)) {
            hr = array_put(dst, i - low, &coerced);
            VariantClear(&coerced);
        }
        VariantClear(&item);
    }
    if (FAILED(hr)) {
        SafeArrayDestroy(dst);
        return WBEM_E_TYPE_MISMATCH;
    }
    VariantInit(out);
    V_VT(out) = VT_ARRAY | harness_canonical_vt(type);
    V_ARRAY(out) = dst;
    return S_OK;
}

HRESULT harness_coerce_variant(const VARIANT *in, cim_type type, bool is_array,
                               const char *ref_class, VARIANT *out)
{
    if (!in || V_VT(in) == VT_NULL || V_VT(in) == VT_EMPTY) {
        VariantInit(out);
        V_VT(out) = VT_NULL;
        return S_OK;
    }
    if (is_array)
        return coerce_array(in, type, ref_class, out);
    if (V_VT(in) & VT_ARRAY)
        return WBEM_E_TYPE_MISMATCH;
    return coerce_scalar(in, type, ref_class, out);
}

/* ---- cim_value -> VARIANT (MOF defaults) --------------------------------- */

static HRESULT instance_variant(const cim_instance *inst, VARIANT *out)
{
    IWbemClassObject *obj = fake_instance_new(inst->cls, inst->cls->namespace_path);
    for (size_t i = 0; i < inst->cls->property_count; i++) {
        if (inst->values[i].is_null)
            continue;
        VARIANT v;
        HRESULT hr = harness_variant_from_value(&inst->values[i], &v);
        wchar_t *name = harness_wide(inst->cls->properties[i].name);
        if (SUCCEEDED(hr))
            hr = IWbemClassObject_Put(obj, name, 0, &v, 0);
        free(name);
        VariantClear(&v);
        if (FAILED(hr)) {
            IWbemClassObject_Release(obj);
            return hr;
        }
    }
    VariantInit(out);
    V_VT(out) = VT_UNKNOWN;
    V_UNKNOWN(out) = (IUnknown *)obj;
    return S_OK;
}

static HRESULT scalar_variant(const cim_value *v, VARIANT *out)
{
    VariantInit(out);
    switch (v->type) {
    case CIM_TYPE_STRING:
    case CIM_TYPE_DATETIME:
    case CIM_TYPE_REFERENCE: {
        wchar_t *w = harness_wide(v->u.string);
        V_VT(out) = VT_BSTR;
        V_BSTR(out) = SysAllocString(w);
        free(w);
        return S_OK;
    }
    case CIM_TYPE_BOOLEAN:
        V_VT(out) = VT_BOOL;
        V_BOOL(out) = v->u.boolean ? VARIANT_TRUE : VARIANT_FALSE;
        return S_OK;
    case CIM_TYPE_OBJECT:
        return instance_variant(v->u.object, out);
    case CIM_TYPE_REAL32:
        V_VT(out) = VT_R4;
        V_R4(out) = (float)v->u.real;
        return S_OK;
    case CIM_TYPE_REAL64:
        V_VT(out) = VT_R8;
        V_R8(out) = v->u.real;
        return S_OK;
    default:
        break;
    }
    VARIANT wide;
    VariantInit(&wide);
    V_VT(&wide) = VT_I8;
    V_I8(&wide) = cim_type_is_signed(v->type) ? (LONGLONG)v->u.sint : (LONGLONG)v->u.uint;
    if (v->type == CIM_TYPE_UINT64) {
        char text[32];
        snprintf(text, sizeof text, "%llu", (unsigned long long)v->u.uint);
        VARIANT t;
        VariantInit(&t);
        V_VT(&t) = VT_BSTR;
        wchar_t *w = harness_wide(text);
        V_BSTR(&t) = SysAllocString(w);
        free(w);
        HRESULT hr = coerce_scalar(&t, v->type, NULL, out);
        VariantClear(&t);
        return hr;
    }
    return coerce_scalar(&wide, v->type, NULL, out);
}

HRESULT harness_variant_from_value(const cim_value *v, VARIANT *out)
{
    if (v->is_null) {
        VariantInit(out);
        V_VT(out) = VT_NULL;
        return S_OK;
    }
    if (!v->is_array)
        return scalar_variant(v, out);
    VARTYPE vt = harness_canonical_vt(v->type);
    SAFEARRAY *sa = SafeArrayCreateVector(vt, 0, (ULONG)v->u.array.count);
    for (size_t i = 0; i < v->u.array.count; i++) {
        VARIANT item;
        HRESULT hr = scalar_variant(&v->u.array.items[i], &item);
        if (SUCCEEDED(hr))
            hr = array_put(sa, (LONG)i, &item);
        VariantClear(&item);
        if (FAILED(hr)) {
            SafeArrayDestroy(sa);
            return hr;
        }
    }
    VariantInit(out);
    V_VT(out) = VT_ARRAY | vt;
    V_ARRAY(out) = sa;
    return S_OK;
}
