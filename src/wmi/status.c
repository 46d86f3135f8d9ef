/* status.c - the error object of a failed call.  ConfigMgr clients look for
 * SMS_ExtendedStatus (a subclass of __ExtendedStatus) in SWbemLastError or
 * the sink's status object; its ErrorCode and Description are what scripts
 * branch on and print. */
#include <stdlib.h>

#include "wmi/wmi.h"

static void put_string(IWbemClassObject *obj, const wchar_t *name, const char *value)
{
    if (!value)
        return;
    VARIANT v;
    VariantInit(&v);
    v.vt = VT_BSTR;
    v.bstrVal = wmi_bstr(value);
    IWbemClassObject_Put(obj, name, 0, &v, 0);
    VariantClear(&v);
}

static void put_uint32(IWbemClassObject *obj, const wchar_t *name, uint32_t value)
{
    VARIANT v;
    VariantInit(&v);
    v.vt = VT_I4; /* WMI's form of uint32 */
    v.lVal = (LONG)value;
    IWbemClassObject_Put(obj, name, 0, &v, 0);
}

static IWbemClassObject *spawn(wmi_provider *p, IWbemContext *ctx, const char *class_name)
{
    IWbemClassObject *klass = NULL, *inst = NULL;
    if (FAILED(wmi_class_object(p, class_name, ctx, &klass)))
        return NULL;
    if (FAILED(IWbemClassObject_SpawnInstance(klass, 0, &inst)))
        inst = NULL;
    IWbemClassObject_Release(klass);
    return inst;
}

IWbemClassObject *wmi_extended_status(wmi_provider *p, IWbemContext *ctx, smsprov_code rc,
                                      const smsprov_error *err, const char *operation)
{
    bool sms = true;
    IWbemClassObject *status = spawn(p, ctx, "SMS_ExtendedStatus");
    if (!status) {
        sms = false;
        status = spawn(p, ctx, "__ExtendedStatus");
    }
    if (!status)
        return NULL;
    const char *description = err && err->description ? err->description
                                                       : smsprov_code_name(rc);
    put_string(status, L"Description", description);
    put_string(status, L"Operation",
               err && err->operation ? err->operation : operation);
    put_string(status, L"ParameterInfo", err ? err->parameter_info : NULL);
    put_string(status, L"ProviderName", "SMS Provider"); /* as the other doors say */
    put_uint32(status, L"StatusCode",
               err && err->status_code ? err->status_code : (uint32_t)rc);
    if (sms) {
        put_uint32(status, L"ErrorCode", err ? err->error_code : 0);
        put_string(status, L"ObjectInfo", err ? err->object_info : NULL);
        put_string(status, L"File", err ? err->file : NULL);
        put_uint32(status, L"Line", err ? err->line : 0);
    }
    return status;
}
