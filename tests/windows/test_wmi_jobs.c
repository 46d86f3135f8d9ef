/* test_wmi_jobs.c - jobs inside the WMI host process, through the real
 * DLL: the site's SMSProv.log (beside the database, or where LogFile
 * says, rolled over past LogMaxSizeKB) with the job reports smsprovd
 * writes; a client that cancels gets WMI's thread back while its job runs
 * on; WMI dropping the provider during a call; and the status queue of a
 * job whose host process died, recovered by the next Initialize.
 *
 * The dead host is this program run again as a child ("host" argument):
 * it opens the same site through the provider API the DLL is built on,
 * starts a job that reports progress and then waits for ever, and is
 * killed with TerminateProcess. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "harness.h"
#include "jobs/jobs.h"
#include "sms/site.h"

#define BOOT "SMS_BootImagePackage"
#define EXPORT_PATH "\\\\lab\\share\\export.wim"
#define RESTART_CONTEXT "ctx-restart"

/* ---- files ------------------------------------------------------------------ */

static char *read_text(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    cim_buf b = {0};
    cim_buf_append(&b, "");
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        cim_buf_append_n(&b, chunk, n);
    fclose(f);
    return cim_buf_take(&b);
}

static long file_size(const char *path)
{
    WIN32_FILE_ATTRIBUTE_DATA data;
    if (!GetFileAttributesExA(path, GetFileExInfoStandard, &data))
        return -1;
    return (long)data.nFileSizeLow;
}

/* Every line is a CMTrace record of the SMS Provider ending in CR LF. */
static void assert_cmtrace_lines(const char *text)
{
    assert_non_null(text);
    assert_true(strlen(text) > 0);
    for (const char *line = text; *line;) {
        const char *end = strstr(line, "\r\n");
        assert_non_null(end);
        assert_memory_equal(line, "<![LOG[", 7);
        char *one = cim_xasprintf("%.*s", (int)(end - line), line);
        assert_non_null(strstr(one, "]LOG]!><time=\""));
        assert_non_null(strstr(one, "component=\"SMS Provider\""));
        assert_null(strchr(one, '\n'));
        free(one);
        line = end + 2;
    }
}

/* The line of text holding both needles, or NULL (caller frees). */
static char *line_with(const char *text, const char *a, const char *b)
{
    for (const char *line = text; line && *line;) {
        const char *end = strstr(line, "\r\n");
        size_t n = end ? (size_t)(end - line) : strlen(line);
        char *one = cim_xasprintf("%.*s", (int)n, line);
        if (strstr(one, a) && (!b || strstr(one, b)))
            return one;
        free(one);
        line = end ? end + 2 : NULL;
    }
    return NULL;
}

/* ---- calls -------------------------------------------------------------------- */

static void place_adk(harness_world *w)
{
    const char *parts[] = {"adk\\Windows Preinstallation Environment",
                           "adk\\Windows Preinstallation Environment\\amd64"};
    for (size_t i = 0; i < 2; i++) {
        char *dir = cim_xasprintf("%s\\%s", w->site.scratch, parts[i]);
        CreateDirectoryA(dir, NULL);
        free(dir);
    }
}

static IWbemClassObject *export_params(harness_world *w)
{
    IWbemClassObject *in = harness_spawn_in_params(w->ns, BOOT, "ExportDefaultBootImage");
    harness_put_string(in, "Architecture", "x64");
    harness_put_i4(in, "ImageIndex", 1);
    harness_put_string(in, "ExportImagePath", EXPORT_PATH);
    return in;
}

/* An export the site cannot do (its ADK has no winpe.wim): a job that runs
 * and fails, so it is reported as started and as failed. */
static void failing_export(harness_world *w)
{
    place_adk(w);
    IWbemClassObject *in = export_params(w);
    fake_sink *s = harness_exec(w->svc, BOOT, "ExportDefaultBootImage", 0, in, NULL);
    harness_assert_failed(s, WBEM_E_FAILED, "ExecMethod", NULL);
    fake_sink_release(s);
    IWbemClassObject_Release(in);
}

/* QueryOSDBinaryInjectionStatus through the DLL (caller releases). */
static IWbemClassObject *query_status(harness_world *w, const char *context)
{
    IWbemClassObject *in = harness_spawn_in_params(w->ns, BOOT, "QueryOSDBinaryInjectionStatus");
    harness_put_string(in, "ContextID", context);
    fake_sink *s = harness_exec(w->svc, BOOT, "QueryOSDBinaryInjectionStatus", 0, in, NULL);
    harness_assert_ok(s);
    IWbemClassObject *out = harness_only_object(s);
    IWbemClassObject_AddRef(out);
    fake_sink_release(s);
    IWbemClassObject_Release(in);
    return out;
}

/* The site's settings are read when its first provider opens it: closes
 * the world's provider (the site closes with it) and opens a new one. */
static void reopen(harness_world *w)
{
    harness_provider_close(&w->provider);
    assert_int_equal(harness_provider_open(&w->provider, &w->dll, w->site.namespace_path),
                     WBEM_S_INITIALIZED);
    w->svc = w->provider.services;
    w->ns = w->provider.ns;
}

/* ---- the job log -------------------------------------------------------------- */

static void test_job_reports_go_to_smsprov_log_beside_the_database(void **state)
{
    harness_world *w = harness_world_of(state);
    failing_export(w);
    char *path = cim_xasprintf("%s\\SMSProv.log", w->site.scratch);
    char *text = read_text(path);
    assert_cmtrace_lines(text);
    char *opened = line_with(text, "smsprov.dll opened the site JOB", "site.db");
    assert_non_null(opened);
    assert_non_null(strstr(opened, "type=\"1\""));
    char *started = line_with(text, "started: ExportDefaultBootImage of " EXPORT_PATH,
                              "context ID " EXPORT_PATH);
    assert_non_null(started);
    assert_non_null(strstr(started, "type=\"1\""));
    assert_non_null(strstr(started, "file=\"job_log.c:"));
    char *failed = line_with(text, "failed: ExportDefaultBootImage of " EXPORT_PATH,
                             "ErrorCode 0x");
    assert_non_null(failed);
    assert_non_null(strstr(failed, "type=\"3\""));
    free(opened);
    free(started);
    free(failed);
    free(text);
    free(path);
}

static void test_log_file_and_size_come_from_the_registry(void **state)
{
    harness_world *w = harness_world_of(state);
    char *log = cim_xasprintf("%s\\logs\\provider.log", w->site.scratch);
    wchar_t *wide = harness_wide(log);
    harness_site_set_value(&w->site, L"LogFile", wide);
    free(wide);
    harness_site_set_dword(&w->site, L"LogMaxSizeKB", 1);
    reopen(w); /* the folder is made when the site opens */
    for (int i = 0; i < 4; i++)
        failing_export(w);
    char *text = read_text(log);
    assert_cmtrace_lines(text);
    /* Rolled over past 1 KB: the older lines are in provider.lo_. */
    char *rolled = cim_xasprintf("%s\\logs\\provider.lo_", w->site.scratch);
    char *old = read_text(rolled);
    assert_cmtrace_lines(old);
    assert_true(file_size(log) < 2048); /* 1 KB, plus the line that passed it */
    char *failed = line_with(text, "failed: ExportDefaultBootImage", NULL);
    assert_non_null(failed);
    /* The default file got only what came before LogFile was read. */
    char *beside = cim_xasprintf("%s\\SMSProv.log", w->site.scratch);
    char *first = read_text(beside);
    assert_null(line_with(first, "ExportDefaultBootImage", NULL));
    free(first);
    free(beside);
    free(failed);
    free(old);
    free(rolled);
    free(text);
    free(log);
}

/* ---- a client that goes away --------------------------------------------------- */

static void test_cancelled_client_gets_wmi_thread_back(void **state)
{
    harness_world *w = harness_world_of(state);
    place_adk(w);
    IWbemClassObject *in = export_params(w);
    fake_sink *s = fake_sink_new();
    s->progress_answer = WBEM_E_CALL_CANCELLED;
    harness_exec_into(w->svc, BOOT, "ExportDefaultBootImage", WBEM_FLAG_SEND_STATUS, in, s,
                      NULL);
    /* One report refused, then no more, and one final status. */
    assert_int_equal(s->progress_count, 1);
    harness_assert_failed(s, WBEM_E_CALL_CANCELLED, "ExecMethod", "runs on");
    char *why = harness_status_description(s);
    assert_non_null(strstr(why, EXPORT_PATH));
    free(why);
    fake_sink_release(s);
    IWbemClassObject_Release(in);
    /* The job ran to its end regardless: its queue ends in an Error. */
    LONG status = 1;
    for (int i = 0; i < 200 && status == 1; i++) {
        IWbemClassObject *out = query_status(w, EXPORT_PATH);
        status = harness_i4(out, "Status");
        IWbemClassObject_Release(out);
        if (status == 1)
            Sleep(50);
    }
    assert_int_equal(status, 2);
    /* With the provider gone and the job ended, the DLL may unload. */
    harness_provider_close(&w->provider);
    HRESULT unload = S_FALSE;
    for (int i = 0; i < 200 && unload != S_OK; i++) {
        unload = w->dll.can_unload_now();
        if (unload != S_OK)
            Sleep(50);
    }
    assert_hr_equal(unload, S_OK);
}

typedef struct drop_provider {
    harness_world *w;
    HRESULT can_unload_inside;
    bool dropped;
} drop_provider;

/* WMI letting go of the provider while the call still runs on it. */
static void drop_on_first_progress(fake_sink *s, size_t index, void *data)
{
    (void)s;
    drop_provider *d = data;
    if (index != 0 || d->dropped)
        return;
    d->dropped = true;
    IWbemServices_Release(d->w->provider.services);
    IWbemProviderInit_Release(d->w->provider.init);
    d->w->provider.services = NULL;
    d->w->provider.init = NULL;
    d->w->svc = NULL;
    d->can_unload_inside = d->w->dll.can_unload_now();
}

static void test_provider_released_during_a_call_finishes_it(void **state)
{
    harness_world *w = harness_world_of(state);
    place_adk(w);
    IWbemClassObject *in = export_params(w);
    IWbemServices *svc = w->svc;
    fake_sink *s = fake_sink_new();
    drop_provider d = {.w = w};
    s->on_progress = drop_on_first_progress;
    s->on_progress_data = &d;
    harness_exec_into(svc, BOOT, "ExportDefaultBootImage", WBEM_FLAG_SEND_STATUS, in, s, NULL);
    assert_true(d.dropped);
    assert_hr_equal(d.can_unload_inside, S_FALSE); /* the call still holds it */
    harness_assert_failed(s, WBEM_E_FAILED, "ExecMethod", NULL);
    fake_sink_release(s);
    IWbemClassObject_Release(in);
    assert_hr_equal(w->dll.can_unload_now(), S_OK); /* the call's end let go */
}

/* ---- a host process that dies during a job ------------------------------------- */

static char *event_name(DWORD pid)
{
    return cim_xasprintf("Local\\smsprov-test-wmi-jobs-%lu", (unsigned long)pid);
}

/* The child's job: a step the queue records, then it waits for ever. */
static int32_t run_until_killed(jobs_job *job, void *data, smsprov_error *err)
{
    (void)err;
    jobs_progress(job, 40, "Writing the boot image");
    SetEvent((HANDLE)data);
    Sleep(INFINITE);
    return 0;
}

/* argv: host <database> <mof folder> <site code>.  Never returns. */
static int run_host(char **argv)
{
    smsprov_site_config config = {.database_path = argv[2], .mof_dir = argv[3],
                                  .site_code = argv[4], .worker_count = 1};
    smsprov_site *site = NULL;
    smsprov_error err = {0};
    if (smsprov_site_open(&config, &site, &err) != SMSPROV_OK) {
        fprintf(stderr, "host: the site does not open: %s\n", err.description);
        return 3;
    }
    char *name = event_name(GetCurrentProcessId());
    HANDLE running = CreateEventA(NULL, TRUE, FALSE, name);
    free(name);
    jobs_spec spec = {.kind = "RefreshPkgSource",
                      .target = "SMS_BootImagePackage.PackageID=\"JOB00001\"",
                      .context_id = RESTART_CONTEXT,
                      .run = run_until_killed,
                      .data = running};
    if (jobs_submit(site->jobs, &spec, NULL, &err) != SMSPROV_OK) {
        fprintf(stderr, "host: no job: %s\n", err.description);
        return 3;
    }
    Sleep(INFINITE);
    return 0;
}

static HANDLE start_host(harness_world *w, HANDLE *running)
{
    char self[MAX_PATH];
    GetModuleFileNameA(NULL, self, MAX_PATH);
    char *command = cim_xasprintf("\"%s\" host \"%s\" \"%s\" %s", self, w->site.database_path,
                                  w->site.mof_dir, w->site.site_code);
    STARTUPINFOA si = {.cb = sizeof si};
    PROCESS_INFORMATION pi;
    assert_true(CreateProcessA(NULL, command, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi));
    free(command);
    CloseHandle(pi.hThread);
    char *name = event_name(pi.dwProcessId);
    *running = NULL;
    for (int i = 0; i < 1200 && !*running; i++) { /* the child makes it: up to 60 s */
        *running = OpenEventA(SYNCHRONIZE, FALSE, name);
        if (!*running) {
            if (WaitForSingleObject(pi.hProcess, 50) == WAIT_OBJECT_0)
                break;
        }
    }
    free(name);
    assert_non_null(*running);
    return pi.hProcess;
}

static void test_next_initialize_recovers_a_dead_hosts_job(void **state)
{
    harness_world *w = harness_world_of(state);
    HANDLE running = NULL;
    HANDLE host = start_host(w, &running);
    assert_int_equal(WaitForSingleObject(running, 60000), WAIT_OBJECT_0);
    CloseHandle(running);
    /* This process reads the other host's queue through the DLL. */
    IWbemClassObject *out = query_status(w, RESTART_CONTEXT);
    assert_int_equal(harness_i4(out, "Status"), 1);
    assert_int_equal(harness_i4(out, "Progress"), 40);
    IWbemClassObject_Release(out);

    assert_true(TerminateProcess(host, 1));
    assert_int_equal(WaitForSingleObject(host, 30000), WAIT_OBJECT_0);
    CloseHandle(host);
    /* Still "In progress" until a site opens and sees its runner gone. */
    reopen(w);
    out = query_status(w, RESTART_CONTEXT);
    assert_int_equal(harness_i4(out, "Status"), 2);
    assert_int_equal(harness_i4(out, "ErrorCode"), JOBS_ERROR_ABORTED);
    assert_int_equal(harness_i4(out, "Progress"), 40); /* where it stopped */
    char *text = harness_string(out, "ProgressText");
    assert_non_null(strstr(text, "restarted"));
    free(text);
    IWbemClassObject_Release(out);

    char *path = cim_xasprintf("%s\\SMSProv.log", w->site.scratch);
    char *log = read_text(path);
    assert_cmtrace_lines(log);
    char *marked = line_with(log, "context ID " RESTART_CONTEXT, "(995)");
    assert_non_null(marked);
    assert_non_null(strstr(marked, "type=\"3\""));
    free(marked);
    free(log);
    free(path);
}

int main(int argc, char **argv)
{
    if (argc == 5 && strcmp(argv[1], "host") == 0)
        return run_host(argv);
    harness_use_site_code("JOB");
#define T(f) cmocka_unit_test_setup_teardown(f, harness_world_setup, harness_world_teardown)
    const struct CMUnitTest tests[] = {
        T(test_job_reports_go_to_smsprov_log_beside_the_database),
        T(test_log_file_and_size_come_from_the_registry),
        T(test_cancelled_client_gets_wmi_thread_back),
        T(test_provider_released_during_a_call_finishes_it),
        T(test_next_initialize_recovers_a_dead_hosts_job),
    };
    return cmocka_run_group_tests_name("windows.test_wmi_jobs", tests, harness_group_setup,
                                       harness_group_teardown);
}
