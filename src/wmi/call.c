/* call.c - what every IWbemServices call does around the provider API:
 * hold the provider for the call's length, impersonate the client (when
 * WMI gave a call context), forward progress when asked, and end with
 * exactly one SetStatus. */
#include <stdlib.h>
#include <string.h>

#include "wmi/wmi.h"

/* Long methods report progress as (done, total); SetStatus carries both in
 * one LONG: LOWORD done, HIWORD total.  A sink that refuses a report
 * (WBEM_E_CALL_CANCELLED when the client cancelled, an RPC error when it
 * went away) gets no more of them, and the call stops waiting for its job:
 * WMI's thread is given back while the job runs on (client_gone). */
static void forward_progress(void *data, uint32_t done, uint32_t total, const char *text)
{
    wmi_call *c = data;
    if (c->client_gone)
        return;
    if (done > total)
        done = total;
    while (total > 0xFFFF) {
        total >>= 1;
        done >>= 1;
    }
    BSTR message = wmi_bstr(text);
    HRESULT hr = IWbemObjectSink_SetStatus(c->sink, WBEM_STATUS_PROGRESS,
                                           MAKELONG(done, total), message, NULL);
    SysFreeString(message);
    if (FAILED(hr))
        c->client_gone = true;
}

static bool client_gone(void *data)
{
    return ((wmi_call *)data)->client_gone;
}

/* Under wmiprvse a call context exists and the client is impersonated, as
 * the SDK samples do; a host without one (a test harness) runs as itself. */
static void impersonate(wmi_call *c)
{
    c->impersonating = SUCCEEDED(CoImpersonateClient());
    if (!c->impersonating)
        return;
    wchar_t name[256];
    DWORD len = sizeof name / sizeof name[0];
    if (GetUserNameW(name, &len))
        c->user = wmi_utf8(name);
}

void wmi_call_begin(wmi_call *c, wmi_provider *p, const char *operation, LONG flags,
                    IWbemContext *ctx, IWbemObjectSink *sink)
{
    memset(c, 0, sizeof *c);
    /* WMI may drop its last reference from another thread while the call
     * still runs (a host shutting down): the call holds its own. */
    IWbemServices_AddRef(&p->services_iface);
    c->provider = p;
    c->ctx = ctx;
    c->sink = sink;
    c->operation = operation;
    c->send_status = (flags & WBEM_FLAG_SEND_STATUS) != 0;
    impersonate(c);
    c->call.namespace_path = p->namespace_path;
    c->call.user = c->user;
    if (c->send_status) {
        c->call.progress = forward_progress;
        c->call.progress_data = c;
        c->call.client_gone = client_gone;
    }
}

smsprov_code wmi_call_ready(wmi_call *c)
{
    if (c->provider->site)
        return SMSPROV_OK;
    return smsprov_error_set(&c->err, SMSPROV_E_CRITICAL_ERROR,
                             "The provider was called before IWbemProviderInit::Initialize "
                             "opened its site.");
}

HRESULT wmi_call_indicate(wmi_call *c, IWbemClassObject **objects, LONG count)
{
    if (count == 0)
        return WBEM_S_NO_ERROR;
    return IWbemObjectSink_Indicate(c->sink, count, objects);
}

HRESULT wmi_call_finish(wmi_call *c, smsprov_code rc, const char *str_param)
{
    if (rc == SMSPROV_OK) {
        BSTR param = wmi_bstr(str_param);
        IWbemObjectSink_SetStatus(c->sink, WBEM_STATUS_COMPLETE, WBEM_S_NO_ERROR, param, NULL);
        SysFreeString(param);
    } else {
        IWbemClassObject *status =
            wmi_extended_status(c->provider, c->ctx, rc, &c->err, c->operation);
        IWbemObjectSink_SetStatus(c->sink, WBEM_STATUS_COMPLETE, (HRESULT)rc, NULL, status);
        if (status)
            IWbemClassObject_Release(status);
    }
    if (c->impersonating)
        CoRevertToSelf();
    free(c->user);
    smsprov_error_clear(&c->err);
    wmi_provider *p = c->provider;
    memset(c, 0, sizeof *c);
    IWbemServices_Release(&p->services_iface); /* may close the site: last */
    return WBEM_S_NO_ERROR;
}
