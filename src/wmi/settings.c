/* settings.c - a site's settings, from HKLM\SOFTWARE\smsprov\Sites\<code>.
 *
 * The install script (mof/windows/install.ps1) writes the key; WMI gives a
 * provider nothing but its namespace, so the registry is where an
 * administrator says where the database and the content live.  String
 * values may hold %VARIABLES%, expanded as REG_EXPAND_SZ values are. */
#include <shlobj.h>
#include <stdlib.h>
#include <string.h>

#include "wmi/wmi.h"

static wchar_t *site_key(const char *site_code)
{
    wchar_t *code = wmi_wide(site_code);
    size_t n = wcslen(WMI_SETTINGS_KEY) + 1 + wcslen(code) + 1;
    wchar_t *key = cim_xcalloc(n, sizeof(wchar_t));
    wcscpy(key, WMI_SETTINGS_KEY);
    wcscat(key, L"\\");
    wcscat(key, code);
    free(code);
    return key;
}

/* A REG_SZ / REG_EXPAND_SZ value as UTF-8; NULL when absent or empty. */
static char *read_string(const wchar_t *key, const wchar_t *name)
{
    DWORD bytes = 0;
    DWORD flags = RRF_RT_REG_SZ; /* REG_EXPAND_SZ values come back expanded */
    if (RegGetValueW(HKEY_LOCAL_MACHINE, key, name, flags, NULL, NULL, &bytes) != ERROR_SUCCESS ||
        bytes <= sizeof(wchar_t))
        return NULL;
    wchar_t *value = cim_xmalloc(bytes + sizeof(wchar_t));
    if (RegGetValueW(HKEY_LOCAL_MACHINE, key, name, flags, NULL, value, &bytes) != ERROR_SUCCESS) {
        free(value);
        return NULL;
    }
    char *out = wmi_utf8(value);
    free(value);
    return out;
}

static DWORD read_dword(const wchar_t *key, const wchar_t *name, DWORD fallback)
{
    DWORD value = 0, bytes = sizeof value;
    if (RegGetValueW(HKEY_LOCAL_MACHINE, key, name, RRF_RT_REG_DWORD, NULL, &value, &bytes) !=
        ERROR_SUCCESS)
        return fallback;
    return value;
}

/* Shares: REG_MULTI_SZ entries "\\server\share=C:\folder". */
static smsprov_code read_shares(const wchar_t *key, wmi_settings *s, smsprov_error *err)
{
    DWORD bytes = 0;
    if (RegGetValueW(HKEY_LOCAL_MACHINE, key, L"Shares", RRF_RT_REG_MULTI_SZ, NULL, NULL,
                     &bytes) != ERROR_SUCCESS)
        return SMSPROV_OK;
    wchar_t *list = cim_xcalloc(bytes / sizeof(wchar_t) + 2, sizeof(wchar_t));
    RegGetValueW(HKEY_LOCAL_MACHINE, key, L"Shares", RRF_RT_REG_MULTI_SZ, NULL, list, &bytes);
    smsprov_code rc = SMSPROV_OK;
    for (const wchar_t *entry = list; *entry && rc == SMSPROV_OK; entry += wcslen(entry) + 1) {
        char *text = wmi_utf8(entry);
        char *eq = strchr(text, '=');
        if (!eq || eq == text || !eq[1]) {
            rc = smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER,
                                   "The Shares value of HKLM\\%ls holds \"%s\"; each entry must "
                                   "read \\\\server\\share=C:\\folder.",
                                   key, text);
            free(text);
            break;
        }
        *eq = '\0';
        s->shares = cim_xrealloc(s->shares, (s->share_count + 1) * sizeof *s->shares);
        s->shares[s->share_count].unc_prefix = cim_xstrdup(text);
        s->shares[s->share_count].local_dir = cim_xstrdup(eq + 1);
        s->share_count++;
        free(text);
    }
    free(list);
    return rc;
}

/* Distribution points: REG_MULTI_SZ (or, for one, REG_SZ) entries
 * "DP01=dp01.lab.example" or "DP01".  None: the site server is the one. */
static void read_distribution_points(const wchar_t *key, wmi_settings *s)
{
    const DWORD types = RRF_RT_REG_MULTI_SZ | RRF_RT_REG_SZ;
    DWORD bytes = 0;
    if (RegGetValueW(HKEY_LOCAL_MACHINE, key, L"DistributionPoints", types, NULL, NULL,
                     &bytes) != ERROR_SUCCESS)
        return;
    wchar_t *list = cim_xcalloc(bytes / sizeof(wchar_t) + 2, sizeof(wchar_t));
    RegGetValueW(HKEY_LOCAL_MACHINE, key, L"DistributionPoints", types, NULL, list, &bytes);
    for (const wchar_t *entry = list; *entry; entry += wcslen(entry) + 1) {
        char *text = wmi_utf8(entry);
        char *eq = strchr(text, '=');
        if (eq)
            *eq = '\0';
        size_t n = s->distribution_point_count;
        s->distribution_points =
            cim_xrealloc(s->distribution_points, (n + 1) * sizeof *s->distribution_points);
        s->distribution_points[n].server_name = cim_xstrdup(text);
        s->distribution_points[n].remote_name = eq && eq[1] ? cim_xstrdup(eq + 1) : NULL;
        s->distribution_point_count++;
        free(text);
    }
    free(list);
}

static char *default_database(const char *site_code)
{
    wchar_t *program_data = NULL;
    char *base = NULL;
    if (SUCCEEDED(SHGetKnownFolderPath(&FOLDERID_ProgramData, 0, NULL, &program_data)))
        base = wmi_utf8(program_data);
    CoTaskMemFree(program_data);
    char *path = cim_xasprintf("%s\\smsprov\\%s\\site.db", base ? base : "C:\\ProgramData",
                               site_code);
    free(base);
    return path;
}

/* SMSProv.log in the folder of the site database, as smsprov's default. */
static char *default_log(const char *database_path)
{
    const char *slash = strrchr(database_path, '\\');
    const char *forward = strrchr(database_path, '/');
    if (forward && (!slash || forward > slash))
        slash = forward;
    if (!slash) /* a bare file name: the host's current folder, as for the database */
        return cim_xstrdup("SMSProv.log");
    return cim_xasprintf("%.*s\\SMSProv.log", (int)(slash - database_path), database_path);
}

/* SQLite creates the file, not its folder. */
static void make_parent_folder(const char *file_path)
{
    wchar_t *folder = wmi_wide(file_path);
    wchar_t *slash = wcsrchr(folder, L'\\');
    if (slash && slash != folder) {
        *slash = L'\0';
        SHCreateDirectoryExW(NULL, folder, NULL);
    }
    free(folder);
}

smsprov_code wmi_settings_load(const char *site_code, wmi_settings *s, smsprov_error *err)
{
    memset(s, 0, sizeof *s);
    wchar_t *key = site_key(site_code);
    HKEY handle;
    if (RegOpenKeyExW(HKEY_LOCAL_MACHINE, key, 0, KEY_READ, &handle) != ERROR_SUCCESS) {
        smsprov_error_set(err, SMSPROV_E_INVALID_NAMESPACE,
                          "The site %s is not configured for smsprov on this computer: the "
                          "registry key HKLM\\%ls is missing; run install.ps1 -SiteCode %s.",
                          site_code, key, site_code);
        free(key);
        return SMSPROV_E_INVALID_NAMESPACE;
    }
    RegCloseKey(handle);
    s->site_code = cim_xstrdup(site_code);
    s->database_path = read_string(key, L"DatabasePath");
    if (!s->database_path)
        s->database_path = default_database(site_code);
    s->mof_dir = read_string(key, L"MofDirectory");
    if (!s->mof_dir) {
        char *folder = wmi_utf8(wmi_module_folder());
        s->mof_dir = cim_xasprintf("%s\\mof", folder);
        free(folder);
    }
    s->site_name = read_string(key, L"SiteName");
    s->server_name = read_string(key, L"ServerName");
    s->content_root = read_string(key, L"ContentRoot");
    s->adk_root = read_string(key, L"AdkRoot");
    s->configmgr_root = read_string(key, L"ConfigMgrRoot");
    s->first_admin = read_string(key, L"FirstAdmin");
    s->log_file = read_string(key, L"LogFile");
    if (!s->log_file)
        s->log_file = default_log(s->database_path);
    s->log_max_bytes = (unsigned long long)read_dword(key, L"LogMaxSizeKB", 1024) * 1024;
    smsprov_code rc = read_shares(key, s, err);
    read_distribution_points(key, s); /* names are checked when the site opens */
    s->config = (smsprov_site_config){
        .database_path = s->database_path,
        .mof_dir = s->mof_dir,
        .site_code = s->site_code,
        .site_name = s->site_name,
        .server_name = s->server_name,
        .content_root = s->content_root,
        .shares = s->shares,
        .share_count = s->share_count,
        .worker_count = read_dword(key, L"WorkerCount", 0),
        .adk_root = s->adk_root,
        .configmgr_root = s->configmgr_root,
        .first_admin = s->first_admin,
        .distribution_points = s->distribution_points,
        .distribution_point_count = s->distribution_point_count,
    };
    free(key);
    if (rc != SMSPROV_OK) {
        wmi_settings_clear(s);
        return rc;
    }
    make_parent_folder(s->database_path);
    make_parent_folder(s->log_file);
    return SMSPROV_OK;
}

void wmi_settings_clear(wmi_settings *s)
{
    for (size_t i = 0; i < s->share_count; i++) {
        free((char *)s->shares[i].unc_prefix);
        free((char *)s->shares[i].local_dir);
    }
    free(s->shares);
    for (size_t i = 0; i < s->distribution_point_count; i++) {
        free((char *)s->distribution_points[i].server_name);
        free((char *)s->distribution_points[i].remote_name);
    }
    free(s->distribution_points);
    free(s->site_code);
    free(s->database_path);
    free(s->mof_dir);
    free(s->site_name);
    free(s->server_name);
    free(s->content_root);
    free(s->adk_root);
    free(s->configmgr_root);
    free(s->first_admin);
    free(s->log_file);
    memset(s, 0, sizeof *s);
}

char *wmi_settings_default_site(void)
{
    HKEY sites;
    if (RegOpenKeyExW(HKEY_LOCAL_MACHINE, WMI_SETTINGS_KEY, 0, KEY_READ, &sites) != ERROR_SUCCESS)
        return NULL;
    wchar_t name[256];
    DWORD len = sizeof name / sizeof name[0];
    char *code = NULL;
    if (RegEnumKeyExW(sites, 0, name, &len, NULL, NULL, NULL, NULL) == ERROR_SUCCESS)
        code = wmi_utf8(name);
    RegCloseKey(sites);
    return code;
}
