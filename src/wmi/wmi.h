/*
 * wmi/wmi.h - internals of smsprov.dll, the classic (IWbemServices) COM WMI
 * provider.  The DLL is a thin door: it turns WMI's calls, VARIANTs and
 * sinks into provider API calls (smsprov/provider.h) and back.  No SMS
 * behaviour lives here.
 *
 * Threading: WMI hosts the provider in the MTA and may call one provider
 * object from several threads at once, so refcounts are Interlocked, the
 * shared tables hold a lock and everything per call lives on the stack.
 */
#ifndef SMSPROV_WMI_H
#define SMSPROV_WMI_H

/* Vtables are const tables of functions. */
#ifndef CONST_VTABLE
#define CONST_VTABLE
#endif
#ifndef COBJMACROS
#define COBJMACROS
#endif
#include <windows.h>
#include <wbemcli.h>
#include <wbemprov.h>
#include <stdbool.h>

#include "smsprov/provider.h"

/* ---- module.c: DLL lifetime ------------------------------------------- */

void wmi_object_created(void);
void wmi_object_destroyed(void);
void wmi_module_lock(bool lock);
/* Full path of smsprov.dll and its folder (no trailing '\'); never NULL. */
const wchar_t *wmi_module_path(void);
HMODULE wmi_module_handle(void);
const wchar_t *wmi_module_folder(void);

/* ---- text.c: UTF-8 <-> UTF-16 ----------------------------------------- */

char *wmi_utf8(const wchar_t *text);      /* NULL gives NULL; caller frees */
wchar_t *wmi_wide(const char *text);      /* NULL gives NULL; caller frees */
BSTR wmi_bstr(const char *text);          /* NULL gives NULL; SysFreeString */

/* ---- settings.c: a site's settings from the registry ------------------- */

#define WMI_SETTINGS_KEY L"SOFTWARE\\smsprov\\Sites"

typedef struct wmi_settings {
    smsprov_site_config config; /* its strings point into the fields below */
    char *site_code, *database_path, *mof_dir, *site_name, *server_name;
    char *content_root, *adk_root, *configmgr_root;
    char *first_admin; /* FirstAdmin: the user made Full Administrator */
    char *log_file;    /* LogFile, else SMSProv.log beside the database */
    unsigned long long log_max_bytes; /* LogMaxSizeKB */
    smsprov_share *shares;
    size_t share_count;
    smsprov_distribution_point *distribution_points;
    size_t distribution_point_count;
} wmi_settings;

/* Reads HKLM\SOFTWARE\smsprov\Sites\<site_code>.  A site without a key is
 * refused (SMSPROV_E_INVALID_NAMESPACE) with a sentence naming the key. */
smsprov_code wmi_settings_load(const char *site_code, wmi_settings *out, smsprov_error *err);
void wmi_settings_clear(wmi_settings *s);
/* The site code root\sms serves: the first key under Sites; NULL if none. */
char *wmi_settings_default_site(void);

/* ---- job_log.c: the site's SMSProv.log --------------------------------- */

typedef struct wmi_job_log wmi_job_log;

/* Opens path for appending (created when missing); past max_bytes (0:
 * never) it rolls over to <name>.lo_.  SMSPROV_E_ACCESS_DENIED with a
 * sentence naming the file when it cannot be opened. */
smsprov_code wmi_job_log_open(const char *path, unsigned long long max_bytes,
                              wmi_job_log **out, smsprov_error *err);
void wmi_job_log_close(wmi_job_log *log);
/* An smsprov_log_fn (data is the wmi_job_log): one CMTrace line. */
void wmi_job_log_report(void *data, int severity, const char *file, int line,
                        const char *message);

/* ---- sites.c: one open site per site code, shared by providers ---------- */

/* Opens (or shares) the site that namespace_path belongs to:
 * root\sms\site_<code> or root\sms.  *normalized gets the namespace the
 * provider serves, e.g. "root\\sms\\site_LAB" (caller frees). */
smsprov_code wmi_site_acquire(const wchar_t *namespace_path, smsprov_site **site,
                              char **normalized, smsprov_error *err);
/* Lets go of a site; the last user closes it, or hands it to a drain
 * thread when jobs of the site are still queued or running (sites.c). */
void wmi_site_release(smsprov_site *site);
/* Sites open in this process, draining ones included (DllCanUnloadNow). */
size_t wmi_sites_open(void);

/* ---- provider.c: the provider object ----------------------------------- */

typedef struct wmi_class_cache {
    char **names;
    IWbemClassObject **classes;
    size_t count;
} wmi_class_cache;

typedef struct wmi_provider {
    IWbemProviderInit init_iface;
    IWbemServices services_iface;
    LONG refs;
    CRITICAL_SECTION lock;       /* guards the fields below after Initialize */
    IWbemServices *wmi_namespace; /* WMI's handle, for class definitions */
    smsprov_site *site;
    char *namespace_path;
    wmi_class_cache classes;
} wmi_provider;

HRESULT wmi_provider_create(REFIID riid, void **out);
wmi_provider *wmi_provider_of(IWbemServices *services);
/* The class object WMI holds for class_name (AddRef'd), cached per provider. */
HRESULT wmi_class_object(wmi_provider *p, const char *class_name, IWbemContext *ctx,
                         IWbemClassObject **out);

/* ---- call.c: one IWbemServices call ------------------------------------ */

typedef struct wmi_call {
    smsprov_call call;
    wmi_provider *provider;
    IWbemContext *ctx;
    IWbemObjectSink *sink;
    const char *operation;  /* "GetObject", ... for SMS_ExtendedStatus */
    bool send_status;       /* WBEM_FLAG_SEND_STATUS: progress wanted */
    bool client_gone;       /* the sink refused a progress report */
    bool impersonating;
    char *user;
    smsprov_error err;
} wmi_call;

/* Starts a call: holds a reference on the provider until
 * wmi_call_finish, impersonates the client when WMI gave a call context
 * and wires progress to the sink when the caller asked for status. */
void wmi_call_begin(wmi_call *c, wmi_provider *p, const char *operation, LONG flags,
                    IWbemContext *ctx, IWbemObjectSink *sink);
/* SMSPROV_OK once Initialize opened the site; otherwise records why. */
smsprov_code wmi_call_ready(wmi_call *c);
/* Hands objects to the sink (which AddRefs them). */
HRESULT wmi_call_indicate(wmi_call *c, IWbemClassObject **objects, LONG count);
/* Ends the call: exactly one final SetStatus (with an SMS_ExtendedStatus
 * object when rc failed), reverts impersonation and frees the call.
 * Returns what the async method returns to WMI. */
HRESULT wmi_call_finish(wmi_call *c, smsprov_code rc, const char *str_param);

/* ---- status.c: error objects ------------------------------------------ */

/* An SMS_ExtendedStatus (or __ExtendedStatus) instance describing err;
 * NULL when WMI has neither class. */
IWbemClassObject *wmi_extended_status(wmi_provider *p, IWbemContext *ctx, smsprov_code rc,
                                      const smsprov_error *err, const char *operation);

/* ---- variant.c: cim_value <-> VARIANT ---------------------------------- */

/* WMI's VARIANT form of a value (see README.md for the type table).
 * Embedded objects become IWbemClassObjects of their class. */
smsprov_code wmi_variant_from_value(wmi_provider *p, IWbemContext *ctx, const cim_value *v,
                                    VARIANT *out, smsprov_error *err);
/* A client's VARIANT as a value of (type, is_array); embedded objects must
 * be instances of ref_class (or a subclass) when it is set. */
smsprov_code wmi_value_from_variant(wmi_provider *p, const VARIANT *v, cim_type type,
                                    bool is_array, const char *ref_class, cim_value *out,
                                    smsprov_error *err);

/* ---- objects.c: cim_instance <-> IWbemClassObject --------------------- */

/* Spawns an instance of inst's class from WMI's class object and puts every
 * property, nulls included. */
smsprov_code wmi_object_from_instance(wmi_provider *p, IWbemContext *ctx,
                                      const cim_instance *inst, IWbemClassObject **out,
                                      smsprov_error *err);
/* The out parameters of method_name on class_name, as WMI's out signature. */
smsprov_code wmi_object_from_out_params(wmi_provider *p, IWbemContext *ctx,
                                        const char *class_name, const char *method_name,
                                        const cim_instance *out_params, IWbemClassObject **out,
                                        smsprov_error *err);
/* Reads an object a client sent into an instance of cls, or of the class
 * its __CLASS names when cls is NULL. */
smsprov_code wmi_instance_from_object(wmi_provider *p, IWbemClassObject *obj,
                                      const cim_class *cls, cim_instance **out,
                                      smsprov_error *err);

#endif
