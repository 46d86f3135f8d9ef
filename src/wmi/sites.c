/* sites.c - the sites open in this process.  WMI may create many provider
 * objects for one namespace (and one for root\sms); they share one open
 * site, because a site owns its job pool and its database connections.
 * The last provider to let go closes it. */
#include <stdlib.h>
#include <string.h>

#include "wmi/wmi.h"

typedef struct open_site {
    char *code;
    smsprov_site *site;
    unsigned users;
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

static smsprov_code open_new_site(const char *code, smsprov_site **out, smsprov_error *err)
{
    wmi_settings settings;
    smsprov_code rc = wmi_settings_load(code, &settings, err);
    if (rc != SMSPROV_OK)
        return rc;
    rc = smsprov_site_open(&settings.config, out, err);
    wmi_settings_clear(&settings);
    return rc;
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
        known->users++;
        *site = known->site;
    } else {
        rc = open_new_site(code, site, err);
        if (rc == SMSPROV_OK) {
            sites = cim_xrealloc(sites, (site_count + 1) * sizeof *sites);
            sites[site_count++] = (open_site){.code = code, .site = *site, .users = 1};
            code = NULL;
        }
    }
    ReleaseSRWLockExclusive(&sites_lock);
    free(code);
    if (rc == SMSPROV_OK)
        *normalized = cim_xstrdup(is_root_sms ? "root\\sms" : smsprov_site_namespace(*site));
    return rc;
}

void wmi_site_release(smsprov_site *site)
{
    if (!site)
        return;
    smsprov_site *to_close = NULL;
    AcquireSRWLockExclusive(&sites_lock);
    for (size_t i = 0; i < site_count; i++) {
        if (sites[i].site != site)
            continue;
        if (--sites[i].users == 0) {
            to_close = site;
            free(sites[i].code);
            sites[i] = sites[--site_count];
        }
        break;
    }
    ReleaseSRWLockExclusive(&sites_lock);
    if (to_close)
        smsprov_site_close(to_close); /* waits for its jobs: not under the lock */
}
