/* variant.c - CIM values as WMI's VARIANTs and back.
 *
 * Out (what WMI itself hands clients, per CIMTYPE):
 *   string, datetime, reference, sint64, uint64  VT_BSTR (64-bit as decimal text)
 *   boolean VT_BOOL;  sint8, sint16, char16 VT_I2;  uint8 VT_UI1
 *   uint16, sint32, uint32 VT_I4 (uint32 as its bit pattern)
 *   real32 VT_R4;  real64 VT_R8;  object VT_UNKNOWN (IWbemClassObject)
 *   arrays VT_ARRAY | the element type;  null VT_NULL
 * In: any VARIANT that converts by cim_value_convert's rules, so a script's
 * VT_I4 for a uint8 or VT_BSTR "5" for a uint32 works as in WMI. */
#include <stdio.h>
#include <stdlib.h>

#include "wmi/wmi.h"

static VARTYPE element_vt(cim_type type)
{
    switch (type) {
    case CIM_TYPE_BOOLEAN: return VT_BOOL;
    case CIM_TYPE_SINT8:
    case CIM_TYPE_SINT16:
    case CIM_TYPE_CHAR16: return VT_I2;
    case CIM_TYPE_UINT8: return VT_UI1;
    case CIM_TYPE_UINT16:
    case CIM_TYPE_SINT32:
    case CIM_TYPE_UINT32: return VT_I4;
    case CIM_TYPE_REAL32: return VT_R4;
    case CIM_TYPE_REAL64: return VT_R8;
    case CIM_TYPE_OBJECT: return VT_UNKNOWN;
    default: return VT_BSTR; /* strings, datetimes, references, 64-bit integers */
    }
}

static smsprov_code scalar_to_variant(wmi_provider *p, IWbemContext *ctx, const cim_value *v,
                                      VARIANT *out, smsprov_error *err)
{
    VariantInit(out);
    if (v->is_null) {
        out->vt = VT_NULL;
        return SMSPROV_OK;
    }
    out->vt = element_vt(v->type);
    char digits[32];
    switch (v->type) {
    case CIM_TYPE_BOOLEAN: out->boolVal = v->u.boolean ? VARIANT_TRUE : VARIANT_FALSE; break;
    case CIM_TYPE_SINT8:
    case CIM_TYPE_SINT16: out->iVal = (SHORT)v->u.sint; break;
    case CIM_TYPE_CHAR16: out->iVal = (SHORT)(USHORT)v->u.uint; break;
    case CIM_TYPE_UINT8: out->bVal = (BYTE)v->u.uint; break;
    case CIM_TYPE_UINT16: out->lVal = (LONG)v->u.uint; break;
    case CIM_TYPE_SINT32: out->lVal = (LONG)v->u.sint; break;
    case CIM_TYPE_UINT32: out->lVal = (LONG)(ULONG)v->u.uint; break;
    case CIM_TYPE_REAL32: out->fltVal = (FLOAT)v->u.real; break;
    case CIM_TYPE_REAL64: out->dblVal = v->u.real; break;
    case CIM_TYPE_SINT64:
        snprintf(digits, sizeof digits, "%lld", (long long)v->u.sint);
        out->bstrVal = wmi_bstr(digits);
        break;
    case CIM_TYPE_UINT64:
        snprintf(digits, sizeof digits, "%llu", (unsigned long long)v->u.uint);
        out->bstrVal = wmi_bstr(digits);
        break;
    case CIM_TYPE_OBJECT: {
        IWbemClassObject *obj = NULL;
        smsprov_code rc = wmi_object_from_instance(p, ctx, v->u.object, &obj, err);
        if (rc != SMSPROV_OK) {
            out->vt = VT_EMPTY;
            return rc;
        }
        out->punkVal = (IUnknown *)obj;
        break;
    }
    default: out->bstrVal = wmi_bstr(v->u.string); break;
    }
    return SMSPROV_OK;
}

/* SafeArrayPutElement takes BSTRs and interface pointers themselves, and a
 * pointer to the data for everything else. */
static void *element_pointer(VARIANT *item)
{
    if (item->vt == VT_BSTR)
        return item->bstrVal;
    if (item->vt == VT_UNKNOWN || item->vt == VT_NULL)
        return item->vt == VT_NULL ? NULL : item->punkVal;
    return &item->llVal; /* every member of the union starts here */
}

smsprov_code wmi_variant_from_value(wmi_provider *p, IWbemContext *ctx, const cim_value *v,
                                    VARIANT *out, smsprov_error *err)
{
    if (!v->is_array || v->is_null)
        return scalar_to_variant(p, ctx, v, out, err);
    VariantInit(out);
    SAFEARRAY *sa = SafeArrayCreateVector(element_vt(v->type), 0, (ULONG)v->u.array.count);
    if (!sa)
        return smsprov_error_set(err, SMSPROV_E_OUT_OF_MEMORY, "Out of memory for an array.");
    for (LONG i = 0; i < (LONG)v->u.array.count; i++) {
        VARIANT item;
        smsprov_code rc = scalar_to_variant(p, ctx, &v->u.array.items[i], &item, err);
        if (rc != SMSPROV_OK) {
            SafeArrayDestroy(sa);
            return rc;
        }
        HRESULT hr = SafeArrayPutElement(sa, &i, element_pointer(&item));
        VariantClear(&item);
        if (FAILED(hr)) {
            SafeArrayDestroy(sa);
            return smsprov_error_set(err, SMSPROV_E_FAILED,
                                     "Could not fill an array (HRESULT 0x%08lX).",
                                     (unsigned long)hr);
        }
    }
    out->vt = (VARTYPE)(VT_ARRAY | element_vt(v->type));
    out->parray = sa;
    return SMSPROV_OK;
}

/* ---- into the provider -------------------------------------------------- */

static smsprov_code object_value(wmi_provider *p, IUnknown *unknown, const char *ref_class,
                                 cim_value *out, smsprov_error *err)
{
    IWbemClassObject *obj = NULL;
    if (!unknown || FAILED(IUnknown_QueryInterface(unknown, &IID_IWbemClassObject,
                                                   (void **)&obj)))
        return smsprov_error_set(err, SMSPROV_E_TYPE_MISMATCH,
                                 "An embedded object must be a WMI object (IWbemClassObject).");
    cim_instance *inst = NULL;
    smsprov_code rc = wmi_instance_from_object(p, obj, NULL, &inst, err);
    IWbemClassObject_Release(obj);
    if (rc != SMSPROV_OK)
        return rc;
    if (ref_class && !cim_class_is_a(inst->cls, ref_class)) {
        smsprov_error_set(err, SMSPROV_E_TYPE_MISMATCH,
                          "An embedded object must be an instance of %s, not of %s.", ref_class,
                          inst->cls->name);
        cim_instance_free(inst);
        return SMSPROV_E_TYPE_MISMATCH;
    }
    *out = cim_value_object(inst);
    return SMSPROV_OK;
}

/* The VARIANT as the CIM value it naturally is.  WMI carries uint16 and
 * uint32 in signed VARIANTs, so those read as their bit pattern when the
 * target is unsigned. */
static smsprov_code natural_value(wmi_provider *p, const VARIANT *v, cim_type target,
                                  const char *ref_class, cim_value *out, smsprov_error *err)
{
    bool unsigned_target = cim_type_is_unsigned(target) || target == CIM_TYPE_CHAR16;
    switch (v->vt) {
    case VT_EMPTY:
    case VT_NULL: *out = cim_value_null(target, false); break;
    case VT_BSTR: {
        char *text = wmi_utf8(v->bstrVal ? v->bstrVal : L"");
        *out = cim_value_string(text);
        free(text);
        break;
    }
    case VT_BOOL: *out = cim_value_bool(v->boolVal != VARIANT_FALSE); break;
    case VT_I1: *out = cim_value_sint(CIM_TYPE_SINT8, v->cVal); break;
    case VT_UI1: *out = cim_value_uint(CIM_TYPE_UINT8, v->bVal); break;
    case VT_I2:
        *out = unsigned_target ? cim_value_uint(CIM_TYPE_UINT16, (USHORT)v->iVal)
                               : cim_value_sint(CIM_TYPE_SINT16, v->iVal);
        break;
    case VT_UI2: *out = cim_value_uint(CIM_TYPE_UINT16, v->uiVal); break;
    case VT_I4:
    case VT_INT:
        *out = unsigned_target && target != CIM_TYPE_UINT64 && v->lVal < 0
                   ? cim_value_uint(CIM_TYPE_UINT32, (ULONG)v->lVal)
                   : cim_value_sint(CIM_TYPE_SINT32, v->lVal);
        break;
    case VT_UI4:
    case VT_UINT: *out = cim_value_uint(CIM_TYPE_UINT32, v->ulVal); break;
    case VT_I8: *out = cim_value_sint(CIM_TYPE_SINT64, v->llVal); break;
    case VT_UI8: *out = cim_value_uint(CIM_TYPE_UINT64, v->ullVal); break;
    case VT_R4: *out = cim_value_real(CIM_TYPE_REAL32, v->fltVal); break;
    case VT_R8: *out = cim_value_real(CIM_TYPE_REAL64, v->dblVal); break;
    case VT_UNKNOWN:
    case VT_DISPATCH: return object_value(p, v->punkVal, ref_class, out, err);
    default:
        return smsprov_error_set(err, SMSPROV_E_TYPE_MISMATCH,
                                 "A VARIANT of type %u cannot hold a %s value.",
                                 (unsigned)v->vt, cim_type_name(target));
    }
    return SMSPROV_OK;
}

static smsprov_code scalar_from_variant(wmi_provider *p, const VARIANT *v, cim_type type,
                                        const char *ref_class, cim_value *out,
                                        smsprov_error *err)
{
    cim_value natural;
    smsprov_code rc = natural_value(p, v, type, ref_class, &natural, err);
    if (rc != SMSPROV_OK)
        return rc;
    rc = cim_value_convert(&natural, type, false, out, err);
    cim_value_clear(&natural);
    return rc;
}

static smsprov_code array_from_variant(wmi_provider *p, const VARIANT *v, cim_type type,
                                       const char *ref_class, cim_value *out,
                                       smsprov_error *err)
{
    SAFEARRAY *sa = v->parray;
    VARTYPE item_vt = VT_EMPTY;
    LONG low = 0, high = -1;
    if (!sa || SafeArrayGetDim(sa) != 1 || FAILED(SafeArrayGetVartype(sa, &item_vt)) ||
        FAILED(SafeArrayGetLBound(sa, 1, &low)) || FAILED(SafeArrayGetUBound(sa, 1, &high)))
        return smsprov_error_set(err, SMSPROV_E_TYPE_MISMATCH,
                                 "An array value must be a one-dimensional SAFEARRAY.");
    cim_value array = cim_value_array(type);
    for (LONG i = low; i <= high; i++) {
        VARIANT item;
        VariantInit(&item);
        HRESULT hr;
        if (item_vt == VT_VARIANT) {
            hr = SafeArrayGetElement(sa, &i, &item);
        } else {
            item.vt = item_vt;
            hr = SafeArrayGetElement(sa, &i, &item.llVal);
        }
        cim_value converted;
        smsprov_code rc = FAILED(hr) ? smsprov_error_set(err, SMSPROV_E_TYPE_MISMATCH,
                                                         "Array item %ld cannot be read.",
                                                         (long)(i - low))
                                     : scalar_from_variant(p, &item, type, ref_class,
                                                           &converted, err);
        VariantClear(&item);
        if (rc != SMSPROV_OK) {
            cim_value_clear(&array);
            return rc;
        }
        cim_value_array_append_take(&array, &converted);
    }
    *out = array;
    return SMSPROV_OK;
}

smsprov_code wmi_value_from_variant(wmi_provider *p, const VARIANT *v, cim_type type,
                                    bool is_array, const char *ref_class, cim_value *out,
                                    smsprov_error *err)
{
    if (v->vt == VT_NULL || v->vt == VT_EMPTY) {
        *out = cim_value_null(type, is_array);
        return SMSPROV_OK;
    }
    bool variant_is_array = (v->vt & VT_ARRAY) != 0;
    if (variant_is_array != is_array)
        return smsprov_error_set(err, SMSPROV_E_TYPE_MISMATCH,
                                 is_array ? "A %s array was expected, not a single value."
                                          : "A single %s value was expected, not an array.",
                                 cim_type_name(type));
    if (is_array)
        return array_from_variant(p, v, type, ref_class, out, err);
    return scalar_from_variant(p, v, type, ref_class, out, err);
}
