/* test_wmi_servicing.c - boot image servicing through the real DLL, with
 * WMI's calling pattern and the real wimlib (the test-only bridge): S-1
 * (import), S-2/S-3 (add a driver, refresh; remove it, refresh), optional
 * components, scratch space and a prestart command, S-9 (export, poll,
 * DeleteContextID), status queries while a job runs, a damaged source that
 * is never published, a client that cancels a long import: the call
 * comes back, the job finishes, and the DLL refuses to unload until then;
 * and a second host process (this program run again) killed while its
 * import writes: nothing is published, and the next Initialize marks the
 * job failed and removes its temporary file.
 *
 * The inputs come from servicing_inputs.py (mkwinpe on the Linux side).
 * What the DLL wrote is checked here through the provider, then on the
 * Linux side by check_servicing.py with tools sharing no code with it
 * (wimlib-imagex verify, 7z, hivexget, osdinjection.xml): each test copies
 * the WIMs to check into SMSPROV_SERVICING_OUT under a fixed name. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "harness.h"

#define BOOT "SMS_BootImagePackage"
#define PKG1 "SMS_BootImagePackage.PackageID=\"SRV00001\""
#define SOURCES "\\\\lab\\sources"
#define EXPORT_UNC "\\\\lab\\export\\boot.wim"

static char *inputs;  /* Windows path of the inputs folder */
static char *out_dir; /* Windows path of the folder check_servicing.py reads */

/* ---- the site ------------------------------------------------------------------ */

static char *joined(const char *a, const char *b)
{
    return cim_xasprintf("%s\\%s", a, b);
}

/* Shares as REG_MULTI_SZ: "\\server\share=folder" strings, then "". */
static void set_shares(const harness_site *site, const char *const *entries, size_t n)
{
    cim_buf b = {0};
    for (size_t i = 0; i < n; i++) {
        cim_buf_append(&b, entries[i]);
        cim_buf_append_n(&b, "\n", 1);
    }
    char *text = cim_buf_take(&b);
    wchar_t *w = harness_wide(text);
    size_t len = wcslen(w);
    for (size_t i = 0; i < len; i++)
        if (w[i] == L'\n')
            w[i] = L'\0';
    wchar_t key[256];
    swprintf(key, 256, L"SOFTWARE\\smsprov\\Sites\\%hs", site->site_code);
    assert_int_equal(RegSetKeyValueW(HKEY_LOCAL_MACHINE, key, L"Shares", REG_MULTI_SZ, w,
                                     (DWORD)((len + 1) * sizeof *w)),
                     ERROR_SUCCESS);
    free(w);
    free(text);
}

static void set_text(const harness_site *site, const wchar_t *name, const char *value)
{
    wchar_t *w = harness_wide(value);
    harness_site_set_value(site, name, w);
    free(w);
}

static char *content_wim(harness_world *w, const char *package_id)
{
    return cim_xasprintf("%s\\content\\boot.%s.wim", w->site.scratch, package_id);
}

static char *export_dir(harness_world *w)
{
    return joined(w->site.scratch, "export");
}

static void reopen(harness_world *w)
{
    harness_provider_close(&w->provider);
    assert_int_equal(harness_provider_open(&w->provider, &w->dll, w->site.namespace_path),
                     WBEM_S_INITIALIZED);
    w->svc = w->provider.services;
    w->ns = w->provider.ns;
}

/* The harness's site, pointed at the inputs: ADK and ConfigMgr trees,
 * \\lab\sources, and \\lab\export for S-9.  Settings are read when the
 * site opens, so the provider is opened again. */
static int servicing_setup(void **state)
{
    if (harness_world_setup(state) != 0)
        return -1;
    harness_world *w = harness_world_of(state);
    char *adk = joined(inputs, "adk"), *configmgr = joined(inputs, "configmgr");
    set_text(&w->site, L"AdkRoot", adk);
    set_text(&w->site, L"ConfigMgrRoot", configmgr);
    char *exports = export_dir(w);
    CreateDirectoryA(exports, NULL);
    char *sources = cim_xasprintf(SOURCES "=%s\\sources", inputs);
    char *export_share = cim_xasprintf("\\\\lab\\export=%s", exports);
    char *share = cim_xasprintf("\\\\lab\\share=%s", w->site.share_dir);
    const char *entries[] = {sources, export_share, share};
    set_shares(&w->site, entries, 3);
    reopen(w);
    free(share);
    free(export_share);
    free(sources);
    free(exports);
    free(configmgr);
    free(adk);
    return 0;
}

/* Copies a WIM the DLL wrote to where check_servicing.py reads it. */
static void keep_for_linux(const char *wim, const char *name)
{
    char *to = joined(out_dir, name);
    if (!CopyFileA(wim, to, FALSE))
        fail_msg("Cannot copy %s to %s (error %lu).", wim, to, (unsigned long)GetLastError());
    free(to);
}

/* ---- calls ------------------------------------------------------------------------ */

static char *import(harness_world *w, const char *name, const char *wim)
{
    char *n = cim_xasprintf("Name=%s", name);
    char *image = cim_xasprintf("ImagePath=" SOURCES "\\%s", wim);
    const char *props[] = {n, image, "ImageIndex=1", "Description=Wine servicing", NULL};
    char *path = harness_create(w->svc, w->ns, BOOT, props);
    free(image);
    free(n);
    return path;
}

static IWbemClassObject *call_ok(harness_world *w, const char *path, const char *method,
                                 IWbemClassObject *in)
{
    fake_sink *s = harness_exec(w->svc, path, method, 0, in, NULL);
    harness_assert_ok(s);
    IWbemClassObject *out = harness_only_object(s);
    IWbemClassObject_AddRef(out);
    fake_sink_release(s);
    assert_int_equal(harness_i4(out, "ReturnValue"), 0);
    return out;
}

/* call_ok outside the COM macros, which would evaluate it twice. */
static void call_ok_and_forget(harness_world *w, const char *path, const char *method,
                               IWbemClassObject *in)
{
    IWbemClassObject *out = call_ok(w, path, method, in);
    IWbemClassObject_Release(out);
}

static void refresh(harness_world *w, const char *path)
{
    call_ok_and_forget(w, path, "RefreshPkgSource", NULL);
}

typedef struct queue_state {
    LONG status, progress, max_progress, error_code;
    char *text, *info;
} queue_state;

static queue_state query_status(harness_world *w, const char *context)
{
    IWbemClassObject *in = harness_spawn_in_params(w->ns, BOOT, "QueryOSDBinaryInjectionStatus");
    harness_put_string(in, "ContextID", context);
    IWbemClassObject *out = call_ok(w, BOOT, "QueryOSDBinaryInjectionStatus", in);
    queue_state q = {harness_i4(out, "Status"),    harness_i4(out, "Progress"),
                     harness_i4(out, "MaxProgress"), harness_i4(out, "ErrorCode"),
                     harness_string(out, "ProgressText"),
                     harness_string(out, "ExtendedErrorInfo")};
    IWbemClassObject_Release(out);
    IWbemClassObject_Release(in);
    return q;
}

static void queue_state_clear(queue_state *q)
{
    free(q->text);
    free(q->info);
}

static LONG package_i4(harness_world *w, const char *path, const char *name)
{
    IWbemClassObject *obj = harness_fetch(w->svc, path);
    LONG v = harness_i4(obj, name);
    IWbemClassObject_Release(obj);
    return v;
}

static bool exists(const char *path)
{
    return GetFileAttributesA(path) != INVALID_FILE_ATTRIBUTES;
}

/* Files in the site's content folder (published WIMs and temporary ones). */
static int content_files(harness_world *w)
{
    char *pattern = cim_xasprintf("%s\\content\\*", w->site.scratch);
    WIN32_FIND_DATAA found;
    HANDLE h = FindFirstFileA(pattern, &found);
    int files = 0;
    if (h != INVALID_HANDLE_VALUE) {
        do {
            if (!(found.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY))
                files++;
        } while (FindNextFileA(h, &found));
        FindClose(h);
    }
    free(pattern);
    return files;
}

/* ---- S-1 ------------------------------------------------------------------------- */

static void test_s1_import_builds_the_content_wim(void **state)
{
    harness_world *w = harness_world_of(state);
    char *path = import(w, "s1", "boot_x64.wim");
    assert_string_equal(path, PKG1);
    IWbemClassObject *pkg = harness_fetch(w->svc, PKG1);
    assert_int_equal(harness_i4(pkg, "PackageType"), 258);
    assert_int_equal(harness_i4(pkg, "SourceVersion"), 1);
    assert_int_equal(harness_i4(pkg, "PkgSourceFlag"), 2);
    char *arch = harness_string(pkg, "Architecture");
    assert_string_equal(arch, "x64");
    char *property = harness_string(pkg, "ImageProperty");
    assert_non_null(strstr(property, "<WIM>"));
    char *source = harness_string(pkg, "PkgSourcePath");
    assert_non_null(strstr(source, "boot.SRV00001.wim"));
    free(source);
    free(property);
    free(arch);
    IWbemClassObject_Release(pkg);
    char *wim = content_wim(w, "SRV00001");
    assert_true(exists(wim));
    keep_for_linux(wim, "s1.wim");
    free(wim);
    free(path);
}

/* ---- S-2, S-3 --------------------------------------------------------------------- */

static IWbemClassObject *driver_details(harness_world *w, LONG id, const char *source)
{
    IWbemClassObject *d = harness_spawn(w->ns, "SMS_Driver_Details");
    assert_hr_equal(harness_put_i4(d, "ID", id), S_OK);
    assert_hr_equal(harness_put_string(d, "SourcePath", source), S_OK);
    return d;
}

/* Puts the package back (WBEM_FLAG_UPDATE_ONLY) with these drivers. */
static void put_drivers(harness_world *w, IWbemClassObject *const *drivers, size_t n)
{
    IWbemClassObject *pkg = harness_fetch(w->svc, PKG1);
    assert_hr_equal(harness_put_objects(pkg, "ReferencedDrivers", drivers, n), S_OK);
    fake_sink *s = harness_put(w->svc, pkg, WBEM_FLAG_UPDATE_ONLY, NULL);
    harness_assert_ok(s);
    fake_sink_release(s);
    IWbemClassObject_Release(pkg);
}

static void test_s2_add_and_s3_remove_a_driver(void **state)
{
    harness_world *w = harness_world_of(state);
    free(import(w, "drivers", "boot_x64.wim"));
    const char *props[] = {"LocalizedDisplayName=Contoso Gigabit",
                           "ContentSourcePath=" SOURCES "\\drivers\\e1000",
                           "DriverINFFile=e1000.inf", NULL};
    char *driver = harness_create(w->svc, w->ns, "SMS_Driver", props);
    IWbemClassObject *d = harness_fetch(w->svc, driver);
    LONG id = harness_i4(d, "CI_ID");
    char *cls = harness_string(d, "DriverClass");
    assert_string_equal(cls, "Net");
    free(cls);
    char *content = harness_string(d, "ContentSourcePath");
    IWbemClassObject_Release(d);

    /* S-2: the array with the new element, put, then RefreshPkgSource. */
    IWbemClassObject *details = driver_details(w, id, content);
    put_drivers(w, &details, 1);
    IWbemClassObject_Release(details);
    assert_int_equal(package_i4(w, PKG1, "SourceVersion"), 1); /* not yet injected */
    char *wim = content_wim(w, "SRV00001");
    keep_for_linux(wim, "s2-before-refresh.wim");
    refresh(w, PKG1);
    assert_int_equal(package_i4(w, PKG1, "SourceVersion"), 2);
    IWbemClassObject *pkg = harness_fetch(w->svc, PKG1);
    VARIANT refs = harness_value(pkg, "ReferencedDrivers");
    assert_int_equal(V_VT(&refs), VT_ARRAY | VT_UNKNOWN);
    assert_int_equal(V_ARRAY(&refs)->rgsabound[0].cElements, 1);
    VariantClear(&refs);
    IWbemClassObject_Release(pkg);
    keep_for_linux(wim, "s2.wim");

    /* S-3: the array without it, put, refresh. */
    put_drivers(w, NULL, 0);
    refresh(w, PKG1);
    assert_int_equal(package_i4(w, PKG1, "SourceVersion"), 3);
    keep_for_linux(wim, "s3.wim");
    free(wim);
    free(content);
    free(driver);
}

/* ---- optional components, scratch space, prestart ---------------------------- */

static void put_uint32s(IWbemClassObject *obj, const char *name, const LONG *items, size_t n)
{
    SAFEARRAY *sa = SafeArrayCreateVector(VT_I4, 0, (ULONG)n);
    for (LONG i = 0; i < (LONG)n; i++)
        SafeArrayPutElement(sa, &i, (void *)&items[i]);
    VARIANT v;
    VariantInit(&v);
    V_VT(&v) = VT_ARRAY | VT_I4;
    V_ARRAY(&v) = sa;
    assert_hr_equal(harness_put_variant(obj, name, &v), S_OK);
    VariantClear(&v);
}

static void test_components_scratch_space_and_prestart(void **state)
{
    harness_world *w = harness_world_of(state);
    IWbemClassObject *pkg = harness_spawn(w->ns, BOOT);
    harness_put_string(pkg, "Name", "settings");
    harness_put_string(pkg, "ImagePath", SOURCES "\\boot_x64.wim");
    harness_put_i4(pkg, "ImageIndex", 1);
    harness_put_string(pkg, "ContextID", "settings");
    static const LONG components[] = {36, 41}; /* HTA and PowerShell */
    put_uint32s(pkg, "OptionalComponents", components, 2);
    harness_put_i4(pkg, "ScratchSpace", 256);
    harness_put_string(pkg, "PreExecCommandLine",
                       "mshta.exe X:\\sms\\PKG\\SMS10000\\FrontEnd.hta");
    harness_put_string(pkg, "PreExecSourceDirectory", SOURCES "\\prestart");
    fake_sink *s = harness_put(w->svc, pkg, WBEM_FLAG_CREATE_ONLY, NULL);
    harness_assert_ok(s);
    assert_string_equal(s->status_param, PKG1);
    fake_sink_release(s);
    IWbemClassObject_Release(pkg);
    queue_state q = query_status(w, "settings");
    assert_int_equal(q.status, 0);
    assert_int_equal(q.progress, q.max_progress);
    queue_state_clear(&q);
    assert_int_equal(package_i4(w, PKG1, "ScratchSpace"), 256);
    char *wim = content_wim(w, "SRV00001");
    keep_for_linux(wim, "settings.wim");
    free(wim);
}

/* ---- S-9, and queries while a job runs ------------------------------------------ */

typedef struct watcher {
    harness_world *w;
    const char *context;
    int queried, running_seen, went_back;
    LONG last_progress;
} watcher;

/* At each progress report of a job, another call reads the job's queue:
 * In progress, never going back, or Complete once it has ended. */
static void query_while_running(fake_sink *s, size_t index, void *data)
{
    watcher *watch = data;
    if (s->progress[index].done >= s->progress[index].total)
        return;
    queue_state q = query_status(watch->w, watch->context);
    watch->queried++;
    assert_true(q.status == 1 || q.status == 0);
    assert_int_equal(q.max_progress, 100);
    if (q.status == 1) {
        watch->running_seen++;
        assert_true(q.progress < 100);
        assert_true(q.text && *q.text);
    }
    if (q.progress < watch->last_progress)
        watch->went_back++;
    watch->last_progress = q.progress;
    queue_state_clear(&q);
}

static void test_s9_export_polled_and_its_queue_dropped(void **state)
{
    harness_world *w = harness_world_of(state);
    IWbemClassObject *in = harness_spawn_in_params(w->ns, BOOT, "ExportDefaultBootImage");
    harness_put_string(in, "Architecture", "x64");
    harness_put_i4(in, "ImageIndex", 1);
    harness_put_string(in, "ExportImagePath", EXPORT_UNC);
    fake_sink *s = fake_sink_new();
    watcher watch = {.w = w, .context = EXPORT_UNC};
    s->on_progress = query_while_running;
    s->on_progress_data = &watch;
    harness_exec_into(w->svc, BOOT, "ExportDefaultBootImage", WBEM_FLAG_SEND_STATUS, in, s,
                      NULL);
    harness_assert_ok(s);
    assert_true(s->progress_count >= 1);
    for (size_t i = 0; i < s->progress_count; i++)
        assert_int_equal(s->progress[i].total, 100);
    fake_sink_release(s);
    IWbemClassObject_Release(in);
    assert_int_equal(watch.went_back, 0);
    queue_state q = query_status(w, EXPORT_UNC);
    assert_int_equal(q.status, 0);
    assert_int_equal(q.progress, 100);
    queue_state_clear(&q);
    char *exported = cim_xasprintf("%s\\export\\boot.wim", w->site.scratch);
    assert_true(exists(exported));
    keep_for_linux(exported, "export.wim");
    free(exported);
    in = harness_spawn_in_params(w->ns, BOOT, "DeleteContextID");
    harness_put_string(in, "ContextID", EXPORT_UNC);
    call_ok_and_forget(w, BOOT, "DeleteContextID", in);
    IWbemClassObject_Release(in);
    q = query_status(w, EXPORT_UNC);
    assert_int_equal(q.status, 3); /* no status any more */
    queue_state_clear(&q);
}

static void test_status_queries_while_a_long_refresh_runs(void **state)
{
    harness_world *w = harness_world_of(state);
    free(import(w, "long", "big_x64.wim"));
    IWbemClassObject *in = harness_spawn_in_params(w->ns, BOOT, "RefreshPkgSource");
    harness_put_string(in, "ContextID", "long-refresh");
    fake_sink *s = fake_sink_new();
    watcher watch = {.w = w, .context = "long-refresh"};
    s->on_progress = query_while_running;
    s->on_progress_data = &watch;
    harness_exec_into(w->svc, PKG1, "RefreshPkgSource", WBEM_FLAG_SEND_STATUS, in, s, NULL);
    harness_assert_ok(s);
    /* The reports came while the job ran: each queue read saw it running. */
    assert_true(s->progress_count >= 3);
    assert_true(watch.running_seen >= 1);
    assert_int_equal(watch.went_back, 0);
    fake_sink_release(s);
    IWbemClassObject_Release(in);
    queue_state q = query_status(w, "long-refresh");
    assert_int_equal(q.status, 0);
    queue_state_clear(&q);
    assert_int_equal(package_i4(w, PKG1, "SourceVersion"), 2);
    char *wim = content_wim(w, "SRV00001");
    keep_for_linux(wim, "long.wim");
    free(wim);
}

/* ---- a damaged source ---------------------------------------------------------- */

static void test_damaged_source_is_never_published(void **state)
{
    harness_world *w = harness_world_of(state);
    IWbemClassObject *pkg = harness_spawn(w->ns, BOOT);
    harness_put_string(pkg, "Name", "damaged");
    harness_put_string(pkg, "ImagePath", SOURCES "\\damaged.wim");
    harness_put_i4(pkg, "ImageIndex", 1);
    harness_put_string(pkg, "ContextID", "damaged");
    fake_sink *s = harness_put(w->svc, pkg, WBEM_FLAG_CREATE_ONLY, NULL);
    harness_assert_failed(s, WBEM_E_FAILED, "PutInstance", "damaged");
    fake_sink_release(s);
    IWbemClassObject_Release(pkg);
    queue_state q = query_status(w, "damaged");
    assert_int_equal(q.status, 2);
    assert_int_equal(q.error_code, 1392); /* ERROR_FILE_CORRUPT */
    assert_non_null(strstr(q.info, "damaged.wim"));
    queue_state_clear(&q);
    /* Nothing in the content folder: no WIM, no temporary file. */
    assert_int_equal(content_files(w), 0);
}

/* ---- a client that cancels a long import ---------------------------------------- */

static void test_cancelled_import_finishes_before_the_dll_unloads(void **state)
{
    harness_world *w = harness_world_of(state);
    IWbemClassObject *pkg = harness_spawn(w->ns, BOOT);
    harness_put_string(pkg, "Name", "cancelled");
    harness_put_string(pkg, "ImagePath", SOURCES "\\big_x64.wim");
    harness_put_i4(pkg, "ImageIndex", 1);
    harness_put_string(pkg, "ContextID", "cancelled");
    fake_sink *s = fake_sink_new();
    s->progress_answer = WBEM_E_CALL_CANCELLED;
    IWbemServices_PutInstanceAsync(w->svc, pkg, WBEM_FLAG_CREATE_ONLY | WBEM_FLAG_SEND_STATUS,
                                   NULL, &s->iface);
    assert_true(fake_sink_wait(s, 120000));
    harness_assert_failed(s, WBEM_E_CALL_CANCELLED, "PutInstance", "cancelled");
    assert_int_equal(s->progress_count, 1);
    fake_sink_release(s);
    IWbemClassObject_Release(pkg);

    /* The last provider goes; the site stays open while the job runs. */
    harness_provider_close(&w->provider);
    HRESULT unload_after_close = w->dll.can_unload_now();
    /* A provider opened meanwhile takes the site back and reads the queue:
     * still running means it was running at the close too. */
    assert_int_equal(harness_provider_open(&w->provider, &w->dll, w->site.namespace_path),
                     WBEM_S_INITIALIZED);
    w->svc = w->provider.services;
    w->ns = w->provider.ns;
    queue_state q = query_status(w, "cancelled");
    if (q.status == 1)
        assert_hr_equal(unload_after_close, S_FALSE);
    queue_state_clear(&q);
    harness_provider_close(&w->provider);
    HRESULT unload = S_FALSE;
    for (int i = 0; i < 1200 && unload != S_OK; i++) { /* up to 120 s */
        unload = w->dll.can_unload_now();
        if (unload != S_OK)
            Sleep(100);
    }
    assert_hr_equal(unload, S_OK);
    /* The job ran to its end: published, Complete, and the package filled. */
    reopen(w);
    q = query_status(w, "cancelled");
    assert_int_equal(q.status, 0);
    queue_state_clear(&q);
    char *source = NULL;
    IWbemClassObject *got = harness_fetch(w->svc, PKG1);
    source = harness_string(got, "PkgSourcePath");
    IWbemClassObject_Release(got);
    assert_non_null(source);
    free(source);
    char *wim = content_wim(w, "SRV00001");
    keep_for_linux(wim, "cancelled.wim");
    free(wim);
}

/* ---- a host process killed during an import ------------------------------------ */

/* argv: host <namespace>.  Another WMI host: loads the DLL (the same
 * SMSPROV_WMI_DLL), opens a provider on the site the parent configured and
 * imports the big image; the parent kills it on the way. */
static int run_host(const char *namespace_path)
{
    CoInitializeEx(NULL, COINIT_MULTITHREADED);
    harness_dll dll;
    harness_dll_load(&dll);
    harness_schema_load(harness_windows_path(harness_required_env("SMSPROV_SOURCE_MOF_DIR")),
                        namespace_path);
    harness_provider p;
    if (harness_provider_open(&p, &dll, namespace_path) != WBEM_S_INITIALIZED) {
        fprintf(stderr, "host: Initialize failed: %s\n", p.debug_output ? p.debug_output : "");
        return 3;
    }
    IWbemClassObject *pkg = harness_spawn(p.ns, BOOT);
    harness_put_string(pkg, "Name", "killed");
    harness_put_string(pkg, "ImagePath", SOURCES "\\big_x64.wim");
    harness_put_i4(pkg, "ImageIndex", 1);
    harness_put_string(pkg, "ContextID", "killed");
    fake_sink *s = harness_put(p.services, pkg, WBEM_FLAG_CREATE_ONLY, NULL);
    fprintf(stderr, "host: the import ended (0x%08lx) before the host was killed\n",
            (unsigned long)s->status);
    return 4;
}

static HANDLE start_host(harness_world *w)
{
    char self[MAX_PATH];
    GetModuleFileNameA(NULL, self, MAX_PATH);
    char *command = cim_xasprintf("\"%s\" host %s", self, w->site.namespace_path);
    STARTUPINFOA si = {.cb = sizeof si};
    PROCESS_INFORMATION pi;
    assert_true(CreateProcessA(NULL, command, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi));
    free(command);
    CloseHandle(pi.hThread);
    return pi.hProcess;
}

static bool before_publishing(const char *text)
{
    return text && (strncmp(text, "Writing", 7) == 0 || strncmp(text, "Verifying", 9) == 0);
}

static void test_host_killed_while_writing_publishes_nothing(void **state)
{
    harness_world *w = harness_world_of(state);
    HANDLE host = start_host(w);
    /* Read the other host's queue until its job writes (up to 120 s). */
    bool writing = false;
    for (int i = 0; i < 6000 && !writing; i++) {
        queue_state q = query_status(w, "killed");
        writing = q.status == 1 && before_publishing(q.text);
        assert_true(q.status == 1 || q.status == 3);
        queue_state_clear(&q);
        if (!writing) {
            assert_int_equal(WaitForSingleObject(host, 20), WAIT_TIMEOUT);
        }
    }
    assert_true(writing);
    assert_true(TerminateProcess(host, 1));
    assert_int_equal(WaitForSingleObject(host, 30000), WAIT_OBJECT_0);
    CloseHandle(host);
    char *wim = content_wim(w, "SRV00001");
    assert_false(exists(wim)); /* killed before its last step: never published */
    /* The next Initialize: the job failed at the step it reached, its
     * temporary file gone, nothing published. */
    reopen(w);
    queue_state q = query_status(w, "killed");
    assert_int_equal(q.status, 2);
    assert_int_equal(q.error_code, 995);
    assert_true(q.progress > 0 && q.progress < 100);
    assert_non_null(strstr(q.text, "restarted"));
    queue_state_clear(&q);
    assert_int_equal(content_files(w), 0);
    free(wim);
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "host") == 0)
        return run_host(argv[2]);
    inputs = harness_windows_path(harness_required_env("SMSPROV_SERVICING_INPUTS"));
    out_dir = harness_windows_path(harness_required_env("SMSPROV_SERVICING_OUT"));
    CreateDirectoryA(out_dir, NULL);
    harness_use_site_code("SRV");
#define T(f) cmocka_unit_test_setup_teardown(f, servicing_setup, harness_world_teardown)
    const struct CMUnitTest tests[] = {
        T(test_s1_import_builds_the_content_wim),
        T(test_s2_add_and_s3_remove_a_driver),
        T(test_components_scratch_space_and_prestart),
        T(test_s9_export_polled_and_its_queue_dropped),
        T(test_status_queries_while_a_long_refresh_runs),
        T(test_damaged_source_is_never_published),
        T(test_cancelled_import_finishes_before_the_dll_unloads),
        T(test_host_killed_while_writing_publishes_nothing),
    };
    int failed = cmocka_run_group_tests_name("windows.test_wmi_servicing", tests,
                                             harness_group_setup, harness_group_teardown);
    free(inputs);
    free(out_dir);
    return failed;
}
