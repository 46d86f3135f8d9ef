/*
 * tests/windows/harness.h - a fake WMI that hosts smsprov.dll in tests.
 *
 * Wine's own WMI cannot load third-party providers (its wbemprox serves
 * only the classes built into it), so the harness plays WMI's part: a
 * namespace that hands out class definitions, IWbemClassObject (class
 * objects and instances, schema-faithful because the classes come from the
 * repo's MOF compiled by our own MOF compiler) and the sinks.  Tests load
 * the real DLL, create providers through its class factory and drive every
 * IWbemServices entry point against a real SQLite database.
 *
 * Everything the DLL calls outside the provider contract is counted as an
 * unexpected call (harness_unexpected_count), and the tests' teardown
 * fails when any happened.
 */
#ifndef SMSPROV_TESTS_WINDOWS_HARNESS_H
#define SMSPROV_TESTS_WINDOWS_HARNESS_H

#ifndef COBJMACROS
#define COBJMACROS
#endif
#ifndef CONST_VTABLE
#define CONST_VTABLE /* vtables are static const tables */
#endif
#include <windows.h>
#include <oleauto.h>
#include <wbemcli.h>
#include <wbemprov.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "smsprov/cim.h"

/* ---- harness_text.c: strings and paths --------------------------------- */

wchar_t *harness_wide(const char *utf8);     /* NULL gives NULL; caller frees */
char *harness_utf8(const wchar_t *wide);     /* NULL gives NULL; caller frees */
/* A path as Windows sees it: "/work/x" becomes "Z:\work\x" (Wine maps the
 * Unix root to drive Z:); a path that already has a drive is kept, with
 * '/' turned into '\'.  Caller frees. */
char *harness_windows_path(const char *path);
/* An environment variable the test's CMake entry sets; aborts the test
 * program with a message naming it when it is missing. */
const char *harness_required_env(const char *name);

/* ---- harness_unexpected.c: calls outside the contract ------------------ */

/* Records that the DLL used something the contract does not promise, e.g.
 * "IWbemClassObject::GetQualifierSet"; the first few are kept by name. */
void harness_unexpected(const char *what);
long harness_unexpected_count(void);
/* The names recorded so far, joined by ", " ("" when none).  Caller frees. */
char *harness_unexpected_names(void);
void harness_unexpected_reset(void);

/* ---- harness_schema.c: the class definitions WMI would hold ------------ */

/* Compiles mof_dir (mof/system first) with site_namespace as the default
 * namespace, the way smsprov loads its schema.  Aborts with the compiler's
 * sentence on failure.  The schema lives until harness_schema_unload. */
void harness_schema_load(const char *mof_dir, const char *site_namespace);
void harness_schema_unload(void);
const cim_schema *harness_schema(void);
/* The class a namespace holds: its own classes, plus the WMI system
 * classes ("__..."), which every WMI namespace has.  NULL when absent. */
const cim_class *harness_find_class(const char *namespace_path, const char *class_name);

/* ---- harness_variant.c: CIM types and VARIANTs ------------------------- */

/* The VARTYPE WMI uses for a property of this CIM type (scalar), e.g.
 * uint32 -> VT_I4, uint64 -> VT_BSTR, object -> VT_UNKNOWN. */
VARTYPE harness_canonical_vt(cim_type type);
/* Coerces a client's VARIANT to the canonical form of (type, is_array),
 * as IWbemClassObject::Put with CIM type 0 does.  Returns S_OK with *out
 * filled (caller clears), or WBEM_E_TYPE_MISMATCH. */
HRESULT harness_coerce_variant(const VARIANT *in, cim_type type, bool is_array,
                               const char *ref_class, VARIANT *out);
/* A cim_value (a MOF default) as WMI's VARIANT; embedded objects become
 * fake instances. */
HRESULT harness_variant_from_value(const cim_value *v, VARIANT *out);

/* ---- fake_class_object.c: IWbemClassObject ----------------------------- */

/* A class object for cls (WMI's GetObject(className) result), or an
 * instance with the class's defaults (SpawnInstance).  namespace_path is
 * what __NAMESPACE/__PATH report. */
IWbemClassObject *fake_class_object_new(const cim_class *cls, const char *namespace_path);
IWbemClassObject *fake_instance_new(const cim_class *cls, const char *namespace_path);
/* True when obj is one of the harness's objects; then its class is known. */
bool fake_object_is_ours(IWbemClassObject *obj);
const cim_class *fake_object_class(IWbemClassObject *obj);
bool fake_object_is_instance(IWbemClassObject *obj);
/* Live fake objects in the process (leak checks in teardown), and the
 * classes of the newest of them, e.g. "__PARAMETERS instance, SMS_Foo
 * class" (caller frees). */
long fake_object_live_count(void);
char *fake_object_live_names(size_t newest);

/* ---- fake_object_props.c: property storage behind the fake ------------- */

typedef struct fake_object fake_object;
/* The system property values WMI reports (__CLASS, __RELPATH, ...), or
 * WBEM_E_NOT_FOUND when name is not a system property. */
HRESULT fake_object_system_property(fake_object *o, const wchar_t *name, VARIANT *out,
                                    CIMTYPE *type);
/* The instance's relative path in WMI's form: Class.Key="value" with keys
 * sorted by name, strings quoted and escaped; VT_NULL when a key is null
 * (and for class objects, the class name).  Caller clears. */
HRESULT fake_object_relpath(fake_object *o, VARIANT *out);

/* ---- fake_namespace.c: the IWbemServices WMI hands to Initialize ------- */

IWbemServices *fake_namespace_new(const char *namespace_path);
/* How many GetObject calls it answered, and its reference count now. */
long fake_namespace_get_object_calls(IWbemServices *ns);
ULONG fake_namespace_refs(IWbemServices *ns);

/* ---- fake_sink.c: IWbemObjectSink and IWbemProviderInitSink ------------ */

typedef struct fake_progress {
    LONG done, total; /* LOWORD and HIWORD of SetStatus's hResult */
    char *text;
} fake_progress;

typedef struct fake_sink {
    IWbemObjectSink iface;
    LONG refs;
    CRITICAL_SECTION lock;
    HANDLE completed;              /* set by the final SetStatus */
    IWbemClassObject **objects;    /* every Indicated object, AddRef'd */
    size_t object_count;
    fake_progress *progress;
    size_t progress_count;
    LONG complete_calls;           /* SetStatus(WBEM_STATUS_COMPLETE) calls */
    LONG calls_after_complete;     /* Indicate/SetStatus after the final one */
    LONG bad_calls;                /* other SetStatus flags, NULL objects, ... */
    HRESULT status;                /* from the final SetStatus */
    char *status_param;            /* its strParam, UTF-8; NULL when none */
    IWbemClassObject *status_object;
    /* What SetStatus(WBEM_STATUS_PROGRESS) answers: S_OK unless a test
     * plays a client that cancelled (WBEM_E_CALL_CANCELLED). */
    HRESULT progress_answer;
    /* Called (outside the sink's lock) after each progress report, with
     * its index; NULL: none. */
    void (*on_progress)(struct fake_sink *s, size_t index, void *data);
    void *on_progress_data;
} fake_sink;

fake_sink *fake_sink_new(void);
void fake_sink_release(fake_sink *s);
/* Waits up to timeout_ms for the final SetStatus; false on timeout. */
bool fake_sink_wait(fake_sink *s, DWORD timeout_ms);

typedef struct fake_init_sink {
    IWbemProviderInitSink iface;
    LONG refs;
    LONG calls;
    LONG status;  /* the last SetStatus's lStatus */
} fake_init_sink;

fake_init_sink *fake_init_sink_new(void);
void fake_init_sink_release(fake_init_sink *s);

/* ---- harness_provider.c: the DLL, the site's settings, providers ------- */

typedef struct harness_dll {
    HMODULE module;
    HRESULT (WINAPI *get_class_object)(REFCLSID, REFIID, void **);
    HRESULT (WINAPI *can_unload_now)(void);
    HRESULT (WINAPI *register_server)(void);
    HRESULT (WINAPI *unregister_server)(void);
} harness_dll;

/* Loads smsprov.dll from the path in SMSPROV_WMI_DLL; aborts on failure. */
void harness_dll_load(harness_dll *dll);
void harness_dll_unload(harness_dll *dll);

typedef struct harness_site {
    char site_code[8];
    char *namespace_path;  /* "root\\sms\\site_<code>" */
    char *scratch;         /* this site's scratch folder (Windows path) */
    char *database_path;
    char *mof_dir;
    char *share_dir;       /* folder behind \\lab\share */
} harness_site;

/* Makes a fresh site: a new scratch folder under SMSPROV_WINDOWS_SCRATCH,
 * HKLM\SOFTWARE\smsprov\Sites holding only this site's key (DatabasePath
 * in the folder, MofDirectory from SMSPROV_SOURCE_MOF_DIR, the share
 * \\lab\share, WorkerCount 2), and the schema loaded for its namespace.
 * tag names the folder, so each test gets its own database. */
void harness_site_create(harness_site *site, const char *site_code, const char *tag);
void harness_site_destroy(harness_site *site);
/* Writes one more REG_SZ value into the site's key. */
void harness_site_set_value(const harness_site *site, const wchar_t *name, const wchar_t *value);
/* Writes one more REG_DWORD value into the site's key. */
void harness_site_set_dword(const harness_site *site, const wchar_t *name, DWORD value);

typedef struct harness_provider {
    IWbemProviderInit *init;
    IWbemServices *services;
    IWbemServices *ns;           /* the fake namespace handed to Initialize */
    fake_init_sink *init_sink;
    HRESULT initialize_result;   /* what Initialize returned */
    char *debug_output;          /* what the DLL said on OutputDebugString
                                  * during Initialize (its reason for a
                                  * failure); NULL when nothing */
} harness_provider;

/* Creates a provider through DllGetClassObject and the class factory and
 * Initializes it for namespace_path.  Returns the init sink's status
 * (WBEM_S_INITIALIZED when it worked); the provider is filled either way
 * (services NULL when initialization failed). */
LONG harness_provider_open(harness_provider *p, const harness_dll *dll,
                           const char *namespace_path);
void harness_provider_close(harness_provider *p);

/* ---- harness_ops.c: one call per IWbemServices entry point ------------- */

/* Each runs the async call with a fresh sink, waits for its final status
 * and returns the sink (fake_sink_release it).  *returned (may be NULL)
 * gets what the async method itself returned. */
fake_sink *harness_enum(IWbemServices *svc, const char *class_name, LONG flags,
                        HRESULT *returned);
fake_sink *harness_get(IWbemServices *svc, const char *path, LONG flags, HRESULT *returned);
fake_sink *harness_query(IWbemServices *svc, const char *language, const char *query,
                         LONG flags, HRESULT *returned);
fake_sink *harness_put(IWbemServices *svc, IWbemClassObject *inst, LONG flags,
                       HRESULT *returned);
fake_sink *harness_delete(IWbemServices *svc, const char *path, LONG flags, HRESULT *returned);
fake_sink *harness_exec(IWbemServices *svc, const char *path, const char *method, LONG flags,
                        IWbemClassObject *in_params, HRESULT *returned);
/* harness_exec with a sink the test made (and still owns); returns sink. */
fake_sink *harness_exec_into(IWbemServices *svc, const char *path, const char *method,
                             LONG flags, IWbemClassObject *in_params, fake_sink *sink,
                             HRESULT *returned);

/* ---- harness_values.c: building and reading objects in tests ----------- */

/* An instance of class_name spawned from the namespace's class object. */
IWbemClassObject *harness_spawn(IWbemServices *ns, const char *class_name);
/* The in-parameters of a method, spawned from GetMethod's in signature;
 * NULL when the method takes none. */
IWbemClassObject *harness_spawn_in_params(IWbemServices *ns, const char *class_name,
                                          const char *method);

HRESULT harness_put_string(IWbemClassObject *obj, const char *name, const char *value);
HRESULT harness_put_i4(IWbemClassObject *obj, const char *name, LONG value);
HRESULT harness_put_bool(IWbemClassObject *obj, const char *name, bool value);
HRESULT harness_put_variant(IWbemClassObject *obj, const char *name, VARIANT *value);
/* A string array (VT_ARRAY|VT_BSTR) of count items. */
HRESULT harness_put_strings(IWbemClassObject *obj, const char *name, const char *const *items,
                            size_t count);
/* An array of embedded objects (VT_ARRAY|VT_UNKNOWN). */
HRESULT harness_put_objects(IWbemClassObject *obj, const char *name,
                            IWbemClassObject *const *items, size_t count);

/* Property readers: the value must have the canonical VARIANT type (the
 * test fails otherwise). */
VARIANT harness_value(IWbemClassObject *obj, const char *name);   /* caller clears */
bool harness_is_null(IWbemClassObject *obj, const char *name);
char *harness_string(IWbemClassObject *obj, const char *name);    /* NULL for null */
LONG harness_i4(IWbemClassObject *obj, const char *name);
bool harness_bool(IWbemClassObject *obj, const char *name);
char *harness_class_name(IWbemClassObject *obj);                  /* __CLASS */
char *harness_relpath(IWbemClassObject *obj);                     /* __RELPATH */

/* Creates an instance through PutInstanceAsync(WBEM_FLAG_CREATE_ONLY)
 * from "Property=value" texts (NULL-terminated; each Put as a VT_BSTR, so
 * WMI's coercion applies) and returns the relative path SetStatus gave
 * (caller frees).  The test fails when any step fails. */
char *harness_create(IWbemServices *svc, IWbemServices *ns, const char *class_name,
                     const char *const *assignments);
/* GetObjectAsync that must succeed with one object (caller releases). */
IWbemClassObject *harness_fetch(IWbemServices *svc, const char *path);

/* ---- harness_world.c: cmocka fixtures and checks ------------------------ */

/* HRESULTs are signed and WBEM codes unsigned: compare them as ULONG. */
#define assert_hr_equal(actual, expected) \
    assert_int_equal((ULONG)(actual), (ULONG)(expected))

/* Everything one test needs: the DLL, a fresh site and one initialized
 * provider (svc) with its fake namespace (ns). */
typedef struct harness_world {
    harness_dll dll;
    harness_site site;
    harness_provider provider;
    IWbemServices *svc;
    IWbemServices *ns;
} harness_world;

/* Group setup/teardown: load and free the DLL once per test program. */
int harness_group_setup(void **state);
int harness_group_teardown(void **state);
/* Per test: a fresh site named by the program's site code (set with
 * harness_use_site_code before cmocka runs) and a provider for it.
 * Teardown closes the provider and fails the test when the DLL made calls
 * outside the contract, left fake objects alive or cannot unload. */
void harness_use_site_code(const char *site_code);
int harness_world_setup(void **state);
int harness_world_teardown(void **state);
harness_world *harness_world_of(void **state);
const harness_dll *harness_loaded_dll(void);

/* The sink finished exactly once, successfully, with no stray calls. */
void harness_assert_ok(const fake_sink *s);
/* The sink finished exactly once with hr, and its status object is an
 * SMS_ExtendedStatus whose Description is a sentence (containing mention
 * when it is not NULL), StatusCode is hr, ErrorCode is set and Operation
 * is operation (when not NULL). */
void harness_assert_failed(const fake_sink *s, HRESULT hr, const char *operation,
                           const char *mention);
/* The Description of the sink's status object ("" when none); caller frees. */
char *harness_status_description(const fake_sink *s);
/* The single object a call Indicated. */
IWbemClassObject *harness_only_object(const fake_sink *s);

#endif
