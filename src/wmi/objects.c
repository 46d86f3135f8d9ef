/* objects.c - instances as WMI objects and back.  WMI owns the class
 * definitions (compiled from the same MOF by mofcomp), so an outgoing
 * instance is spawned from WMI's class object and filled property by
 * property; an incoming object is read property by property against
 * smsprov's own class. */
#include <stdlib.h>

#include "wmi/wmi.h"

static smsprov_code put_properties(wmi_provider *p, IWbemContext *ctx, IWbemClassObject *obj,
                                   const cim_instance *inst, smsprov_error *err)
{
    const cim_class *cls = inst->cls;
    for (size_t i = 0; i < cls->property_count; i++) {
        VARIANT v;
        smsprov_code rc = wmi_variant_from_value(p, ctx, &inst->values[i], &v, err);
        if (rc != SMSPROV_OK)
            return rc;
        wchar_t *name = wmi_wide(cls->properties[i].name);
        HRESULT hr = IWbemClassObject_Put(obj, name, 0, &v, 0);
        free(name);
        VariantClear(&v);
        if (FAILED(hr))
            return smsprov_error_set(err, SMSPROV_E_PROVIDER_FAILURE,
                                     "WMI refused the value of %s.%s (HRESULT 0x%08lX): the "
                                     "class WMI holds differs from smsprov's MOF; compile the "
                                     "MOF files of this smsprov version with mofcomp again.",
                                     cls->name, cls->properties[i].name, (unsigned long)hr);
    }
    return SMSPROV_OK;
}

static smsprov_code unknown_class(smsprov_error *err, const char *class_name, HRESULT hr)
{
    return smsprov_error_set(err, SMSPROV_E_PROVIDER_FAILURE,
                             "WMI has no class %s in this namespace (HRESULT 0x%08lX); compile "
                             "smsprov's MOF files with mofcomp (install.ps1 does).",
                             class_name, (unsigned long)hr);
}

smsprov_code wmi_object_from_instance(wmi_provider *p, IWbemContext *ctx,
                                      const cim_instance *inst, IWbemClassObject **out,
                                      smsprov_error *err)
{
    *out = NULL;
    IWbemClassObject *klass = NULL, *obj = NULL;
    HRESULT hr = wmi_class_object(p, inst->cls->name, ctx, &klass);
    if (FAILED(hr))
        return unknown_class(err, inst->cls->name, hr);
    hr = IWbemClassObject_SpawnInstance(klass, 0, &obj);
    IWbemClassObject_Release(klass);
    if (FAILED(hr))
        return unknown_class(err, inst->cls->name, hr);
    smsprov_code rc = put_properties(p, ctx, obj, inst, err);
    if (rc != SMSPROV_OK) {
        IWbemClassObject_Release(obj);
        return rc;
    }
    *out = obj;
    return SMSPROV_OK;
}

smsprov_code wmi_object_from_out_params(wmi_provider *p, IWbemContext *ctx,
                                        const char *class_name, const char *method_name,
                                        const cim_instance *out_params, IWbemClassObject **out,
                                        smsprov_error *err)
{
    *out = NULL;
    IWbemClassObject *klass = NULL, *signature = NULL, *obj = NULL;
    HRESULT hr = wmi_class_object(p, class_name, ctx, &klass);
    if (FAILED(hr))
        return unknown_class(err, class_name, hr);
    wchar_t *name = wmi_wide(method_name);
    hr = IWbemClassObject_GetMethod(klass, name, 0, NULL, &signature);
    free(name);
    IWbemClassObject_Release(klass);
    if (SUCCEEDED(hr) && signature) {
        hr = IWbemClassObject_SpawnInstance(signature, 0, &obj);
        IWbemClassObject_Release(signature);
    }
    if (FAILED(hr) || !obj)
        return smsprov_error_set(err, SMSPROV_E_PROVIDER_FAILURE,
                                 "WMI's class %s has no out parameters for %s (HRESULT "
                                 "0x%08lX); compile smsprov's MOF files with mofcomp again.",
                                 class_name, method_name, (unsigned long)hr);
    smsprov_code rc = put_properties(p, ctx, obj, out_params, err);
    if (rc != SMSPROV_OK) {
        IWbemClassObject_Release(obj);
        return rc;
    }
    *out = obj;
    return SMSPROV_OK;
}

static smsprov_code class_of_object(wmi_provider *p, IWbemClassObject *obj,
                                    const cim_class **cls, smsprov_error *err)
{
    VARIANT v;
    VariantInit(&v);
    if (FAILED(IWbemClassObject_Get(obj, L"__CLASS", 0, &v, NULL, NULL)) || v.vt != VT_BSTR) {
        VariantClear(&v);
        return smsprov_error_set(err, SMSPROV_E_INVALID_OBJECT,
                                 "The object has no __CLASS; send an instance spawned from a "
                                 "class of this namespace.");
    }
    char *name = wmi_utf8(v.bstrVal);
    VariantClear(&v);
    smsprov_call call = {.namespace_path = p->namespace_path};
    smsprov_code rc = smsprov_get_class(p->site, &call, name, cls, err);
    free(name);
    return rc;
}

static smsprov_code read_property(wmi_provider *p, IWbemClassObject *obj,
                                  const cim_property *prop, cim_value *slot, smsprov_error *err)
{
    wchar_t *name = wmi_wide(prop->name);
    VARIANT v;
    VariantInit(&v);
    HRESULT hr = IWbemClassObject_Get(obj, name, 0, &v, NULL, NULL);
    free(name);
    if (hr == (HRESULT)WBEM_E_NOT_FOUND)
        return SMSPROV_OK; /* WMI's class predates the property: it stays null */
    if (FAILED(hr))
        return smsprov_error_set(err, SMSPROV_E_INVALID_OBJECT,
                                 "The property %s cannot be read (HRESULT 0x%08lX).", prop->name,
                                 (unsigned long)hr);
    cim_value value;
    smsprov_error why = {0};
    smsprov_code rc = wmi_value_from_variant(p, &v, prop->type, prop->is_array, prop->ref_class,
                                             &value, &why);
    VariantClear(&v);
    if (rc != SMSPROV_OK) {
        smsprov_error_set(err, rc, "The value of %s is not valid: %s", prop->name,
                          why.description ? why.description : smsprov_code_name(rc));
        smsprov_error_set_parameter(err, prop->name);
        smsprov_error_clear(&why);
        return rc;
    }
    cim_value_move(slot, &value);
    return SMSPROV_OK;
}

smsprov_code wmi_instance_from_object(wmi_provider *p, IWbemClassObject *obj,
                                      const cim_class *cls, cim_instance **out,
                                      smsprov_error *err)
{
    *out = NULL;
    smsprov_code rc = cls ? SMSPROV_OK : class_of_object(p, obj, &cls, err);
    if (rc != SMSPROV_OK)
        return rc;
    cim_instance *inst = cim_instance_new(cls);
    for (size_t i = 0; i < cls->property_count && rc == SMSPROV_OK; i++)
        rc = read_property(p, obj, &cls->properties[i], &inst->values[i], err);
    if (rc != SMSPROV_OK) {
        cim_instance_free(inst);
        return rc;
    }
    *out = inst;
    return SMSPROV_OK;
}
