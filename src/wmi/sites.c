/* sites.c - the sites open in this process.  WMI may create many provider
 * objects for one namespace (and one for root\sms); they share one open
 * site, because a site owns its job pool and its database connections.
 *
 * The last provider to let go closes it, at once when no job of the site
 * is queued or running.  Otherwise jobs outlived their calls (a client
 * cancelled and its call stopped waiting), and a boot image is being
 * written: the site stays open, "draining", and a thread of its own closes
 * it once the jobs have ended.  That thread holds a reference on the DLL
 * (GetModuleHandleEx), so a host's FreeLibrary cannot unmap code the
 * workers still run, and DllCanUnloadNow answers S_FALSE while any site is
 * open.  A provider created for the site meanwhile takes it back. */
#include <stdlib.h>
#include <string.h>

#include "wmi/wmi.h"

typedef struct open_site {
    char *code;
    smsprov_site *site;
    wmi_job_log *log; /* its SMSProv.log, closed after the site */
    unsigned users;
    bool draining;  /* a drain thread watches it */
} open_site;

static SRWLOCK sites_lock = SRWLOCK_INIT;
static open_site *sites;
static size_t site_count;

/* "root\\sms\\site_LAB" -> "LAB"; "root\\sms" -> the configured default. */
static smsprov_code site_code_of(const char *ns, char **code, bool *is_root_sms,
                                 smsprov_error *err)
{
    const char *p = ns;
    if (p[0] == '\\' && p[1] == '\\') { /* \\server\root\... */
        p = strchr(p + 2, '\\');
        p = p ? p + 1 : ns;
    }
    *is_root_sms = cim_namespace_equal(p, "root\\sms");
    if (*is_root_sms) {
        *code = wmi_settings_default_site();
        if (*code)
            return SMSPROV_OK;
        return smsprov_error_set(err, SMSPROV_E_INVALID_NAMESPACE,
                                 "No site is configured for smsprov on this computer (no key "
                                 "under HKLM\\%ls); run install.ps1 -SiteCode <code>.",
                                 WMI_SETTINGS_KEY);
    }
    const char *last = strrchr(p, '\\');
    last = last ? last + 1 : p;
    if (_strnicmp(last, "site_", 5) != 0 || !last[5] || strlen(p) - strlen(last) != 9 ||
        _strnicmp(p, "root\\sms\\", 9) != 0)
        return smsprov_error_set(err, SMSPROV_E_INVALID_NAMESPACE,
                                 "smsprov serves root\\sms and root\\sms\\site_<code>, not %s.",
                                 ns);
    *code = cim_xstrdup(last + 5);
    for (char *c = *code; *c; c++)
        if (*c >= 'a' && *c <= 'z')
            *c = (char)(*c - 'a' + 'A');
    return SMSPROV_OK;
}

static open_site *find_site(const char *code)
{
    for (size_t i = 0; i < site_count; i++)
        if (strcmp(sites[i].code, code) == 0)
            return &sites[i];
    return NULL;
}

static open_site *find_open(const smsprov_site *site)
{
    for (size_t i = 0; i < site_count; i++)
        if (sites[i].site == site)
            return &sites[i];
    return NULL;
}

/* Under sites_lock: forgets the entry (its site is closed by the caller). */
static void forget(open_site *entry)
{
    free(entry->code);
    *entry = sites[--site_count];
}

/* The log opens first: opening the site reports the jobs it finds
 * orphaned by a host process that died. */
static smsprov_code open_new_site(const char *code, smsprov_site **out, wmi_job_log **log,
                                  smsprov_error *err)
{
    wmi_settings settings;
    smsprov_code rc = wmi_settings_load(code, &settings, err);
    if (rc != SMSPROV_OK)
        return rc;
    rc = wmi_job_log_open(settings.log_file, settings.log_max_bytes, log, err);
    if (rc == SMSPROV_OK) {
        settings.config.log = wmi_job_log_report;
        settings.config.log_data = *log;
        rc = smsprov_site_open(&settings.config, out, err);
    }
    if (rc == SMSPROV_OK) {
        char *line = cim_xasprintf("smsprov.dll opened the site %s: database %s", code,
                                   settings.database_path);
        wmi_job_log_report(*log, 1, __FILE__, __LINE__, line);
        free(line);
    } else {
        wmi_job_log_close(*log);
        *log = NULL;
    }
    wmi_settings_clear(&settings);
    return rc;
}

static void close_site(smsprov_site *site, wmi_job_log *log)
{
    smsprov_site_close(site); /* waits for its jobs, which report to the log */
    wmi_job_log_close(log);
}

smsprov_code wmi_site_acquire(const wchar_t *namespace_path, smsprov_site **site,
                              char **normalized, smsprov_error *err)
{
    *site = NULL;
    *normalized = NULL;
    if (!namespace_path)
        return smsprov_error_set(err, SMSPROV_E_INVALID_NAMESPACE,
                                 "WMI gave the provider no namespace.");
    char *ns = wmi_utf8(namespace_path);
    char *code = NULL;
    bool is_root_sms = false;
    smsprov_code rc = site_code_of(ns, &code, &is_root_sms, err);
    free(ns);
    if (rc != SMSPROV_OK)
        return rc;
    AcquireSRWLockExclusive(&sites_lock);
    open_site *known = find_site(code);
    if (known) {
        known->users++; /* also takes back a draining site */
        *site = known->site;
    } else {
        wmi_job_log *log = NULL;
        rc = open_new_site(code, site, &log, err);
        if (rc == SMSPROV_OK) {
            sites = cim_xrealloc(sites, (site_count + 1) * sizeof *sites);
            sites[site_count++] =
                (open_site){.code = code, .site = *site, .log = log, .users = 1};
            code = NULL;
        }
    }
    ReleaseSRWLockExclusive(&sites_lock);
    free(code);
    if (rc == SMSPROV_OK)
        *normalized = cim_xstrdup(is_root_sms ? "root\\sms" : smsprov_site_namespace(*site));
    return rc;
}

/* How often a drain thread looks whether a provider took its site back. */
#define DRAIN_SLICE_MS 1000

/* Closes a site whose last provider left while its jobs ran, once they
 * have ended, unless a provider took it back meanwhile. */
static DWORD WINAPI drain(void *arg)
{
    smsprov_site *site = arg;
    for (;;) {
        bool idle = smsprov_site_wait_jobs(site, DRAIN_SLICE_MS);
        AcquireSRWLockExclusive(&sites_lock);
        open_site *entry = find_open(site);
        bool taken_back = !entry || entry->users > 0; /* never gone: only we forget it */
        bool close_now = !taken_back && idle && smsprov_site_unfinished_jobs(site) == 0;
        wmi_job_log *log = entry ? entry->log : NULL;
        if (entry && taken_back)
            entry->draining = false;
        else if (close_now)
            forget(entry);
        ReleaseSRWLockExclusive(&sites_lock);
        if (close_now)
            close_site(site, log);
        if (taken_back || close_now)
            break;
    }
    FreeLibraryAndExitThread(wmi_module_handle(), 0);
    return 0;
}

/* Under sites_lock: hands the entry to a drain thread, which holds a
 * reference on the DLL.  False when no thread could be started. */
static bool start_drain(open_site *entry)
{
    HMODULE self = NULL;
    if (!GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS, (LPCWSTR)(void *)drain,
                            &self))
        return false;
    HANDLE thread = CreateThread(NULL, 0, drain, entry->site, 0, NULL);
    if (!thread) {
        FreeLibrary(self);
        return false;
    }
    CloseHandle(thread);
    entry->draining = true;
    return true;
}

void wmi_site_release(smsprov_site *site)
{
    if (!site)
        return;
    smsprov_site *to_close = NULL;
    wmi_job_log *log = NULL;
    AcquireSRWLockExclusive(&sites_lock);
    open_site *entry = find_open(site);
    if (entry && --entry->users == 0 && !entry->draining) {
        /* With no job left the site closes here; if a drain thread cannot
         * start, closing here waits for the jobs, as the last resort. */
        if (smsprov_site_unfinished_jobs(site) == 0 || !start_drain(entry)) {
            to_close = site;
            log = entry->log;
            forget(entry);
        }
    }
    ReleaseSRWLockExclusive(&sites_lock);
    if (to_close)
        close_site(to_close, log); /* waits for its jobs: not under the lock */
}

size_t wmi_sites_open(void)
{
    AcquireSRWLockShared(&sites_lock);
    size_t n = site_count;
    ReleaseSRWLockShared(&sites_lock);
    return n;
}
