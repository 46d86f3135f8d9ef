/* harness_provider.c - what an administrator and WMI do before a provider
 * serves a call: the site's settings in the registry, the DLL loaded, a
 * provider object from its class factory, Initialize with the fake
 * namespace. */
#include <initguid.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "harness.h"
#include "wmi/clsid.h"

#define SITES_KEY L"SOFTWARE\\smsprov\\Sites"

/* ---- the DLL ------------------------------------------------------------- */

static FARPROC required_export(HMODULE module, const char *name)
{
    FARPROC f = GetProcAddress(module, name);
    if (!f) {
        fprintf(stderr, "smsprov.dll does not export %s.\n", name);
        exit(2);
    }
    return f;
}

void harness_dll_load(harness_dll *dll)
{
    memset(dll, 0, sizeof *dll);
    char *path = harness_windows_path(harness_required_env("SMSPROV_WMI_DLL"));
    wchar_t *wide = harness_wide(path);
    dll->module = LoadLibraryW(wide);
    if (!dll->module) {
        fprintf(stderr, "LoadLibrary(%s) failed with error %lu; run with WINEDEBUG=err+module "
                        "to see which DLL is missing.\n",
                path, (unsigned long)GetLastError());
        exit(2);
    }
    free(wide);
    free(path);
    /* The exports' types are fixed by COM; the casts only name them. */
    dll->get_class_object = (HRESULT(WINAPI *)(REFCLSID, REFIID, void **))(void (*)(void))
        required_export(dll->module, "DllGetClassObject");
    dll->can_unload_now = (HRESULT(WINAPI *)(void))(void (*)(void))
        required_export(dll->module, "DllCanUnloadNow");
    dll->register_server = (HRESULT(WINAPI *)(void))(void (*)(void))
        required_export(dll->module, "DllRegisterServer");
    dll->unregister_server = (HRESULT(WINAPI *)(void))(void (*)(void))
        required_export(dll->module, "DllUnregisterServer");
}

void harness_dll_unload(harness_dll *dll)
{
    if (dll->module)
        FreeLibrary(dll->module);
    memset(dll, 0, sizeof *dll);
}

/* ---- the site's folder and settings ------------------------------------- */

static void remove_tree(const wchar_t *dir)
{
    wchar_t *pattern = cim_xmalloc((wcslen(dir) + 3) * sizeof *pattern);
    swprintf(pattern, wcslen(dir) + 3, L"%ls\\*", dir);
    WIN32_FIND_DATAW found;
    HANDLE h = FindFirstFileW(pattern, &found);
    free(pattern);
    if (h != INVALID_HANDLE_VALUE) {
        do {
            if (!wcscmp(found.cFileName, L".") || !wcscmp(found.cFileName, L".."))
                continue;
            size_t n = wcslen(dir) + wcslen(found.cFileName) + 2;
            wchar_t *child = cim_xmalloc(n * sizeof *child);
            swprintf(child, n, L"%ls\\%ls", dir, found.cFileName);
            if (found.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY)
                remove_tree(child);
            else
                DeleteFileW(child);
            free(child);
        } while (FindNextFileW(h, &found));
        FindClose(h);
    }
    RemoveDirectoryW(dir);
}

static char *make_dir(const char *parent, const char *name)
{
    char *path = cim_xasprintf("%s\\%s", parent, name);
    wchar_t *w = harness_wide(path);
    CreateDirectoryW(w, NULL);
    free(w);
    return path;
}

static void set_reg(HKEY key, const wchar_t *name, DWORD type, const void *data, DWORD bytes)
{
    LSTATUS rc = RegSetValueExW(key, name, 0, type, data, bytes);
    if (rc != ERROR_SUCCESS) {
        fprintf(stderr, "Could not write the registry value %ls of the site key (error %ld).\n",
                name, (long)rc);
        exit(2);
    }
}

static void set_reg_text(HKEY key, const wchar_t *name, const char *utf8)
{
    wchar_t *w = harness_wide(utf8);
    set_reg(key, name, REG_SZ, w, (DWORD)((wcslen(w) + 1) * sizeof *w));
    free(w);
}

static void write_settings(const harness_site *site)
{
    RegDeleteTreeW(HKEY_LOCAL_MACHINE, SITES_KEY); /* only this site is configured */
    wchar_t *key_name = cim_xmalloc(256 * sizeof *key_name);
    swprintf(key_name, 256, L"%ls\\%hs", SITES_KEY, site->site_code);
    HKEY key;
    LSTATUS rc = RegCreateKeyExW(HKEY_LOCAL_MACHINE, key_name, 0, NULL, 0, KEY_ALL_ACCESS, NULL,
                                 &key, NULL);
    if (rc != ERROR_SUCCESS) {
        fprintf(stderr, "Could not create HKLM\\%ls (error %ld).\n", key_name, (long)rc);
        exit(2);
    }
    free(key_name);
    char *content = make_dir(site->scratch, "content");
    /* Servicing tests point the site at ADK and ConfigMgr trees mkwinpe
     * made on the Linux side; the others get empty folders. */
    const char *adk_tree = getenv("SMSPROV_WINDOWS_ADK_ROOT");
    const char *configmgr_tree = getenv("SMSPROV_WINDOWS_CONFIGMGR_ROOT");
    char *adk = adk_tree && *adk_tree ? harness_windows_path(adk_tree)
                                      : make_dir(site->scratch, "adk");
    char *configmgr = configmgr_tree && *configmgr_tree ? harness_windows_path(configmgr_tree)
                                                        : make_dir(site->scratch, "configmgr");
    set_reg_text(key, L"DatabasePath", site->database_path);
    set_reg_text(key, L"MofDirectory", site->mof_dir);
    set_reg_text(key, L"SiteName", "Harness Lab");
    set_reg_text(key, L"ServerName", "HARNESS");
    set_reg_text(key, L"ContentRoot", content);
    set_reg_text(key, L"AdkRoot", adk);
    set_reg_text(key, L"ConfigMgrRoot", configmgr);
    /* REG_MULTI_SZ: one "\\server\share=folder" string, then an empty one. */
    char *share = cim_xasprintf("\\\\lab\\share=%s", site->share_dir);
    wchar_t *w = harness_wide(share);
    size_t len = wcslen(w);
    wchar_t *multi = cim_xcalloc(len + 2, sizeof *multi);
    memcpy(multi, w, len * sizeof *w);
    set_reg(key, L"Shares", REG_MULTI_SZ, multi, (DWORD)((len + 2) * sizeof *multi));
    DWORD workers = 2;
    set_reg(key, L"WorkerCount", REG_DWORD, &workers, sizeof workers);
    free(multi);
    free(w);
    free(share);
    free(content);
    free(adk);
    free(configmgr);
    RegCloseKey(key);
}

void harness_site_create(harness_site *site, const char *site_code, const char *tag)
{
    memset(site, 0, sizeof *site);
    snprintf(site->site_code, sizeof site->site_code, "%s", site_code);
    site->namespace_path = cim_xasprintf("root\\sms\\site_%s", site_code);
    char *root = harness_windows_path(harness_required_env("SMSPROV_WINDOWS_SCRATCH"));
    wchar_t *wroot = harness_wide(root);
    CreateDirectoryW(wroot, NULL);
    free(wroot);
    site->scratch = cim_xasprintf("%s\\%s", root, tag);
    free(root);
    wchar_t *w = harness_wide(site->scratch);
    remove_tree(w);
    CreateDirectoryW(w, NULL);
    free(w);
    site->database_path = cim_xasprintf("%s\\site.db", site->scratch);
    site->share_dir = make_dir(site->scratch, "share");
    site->mof_dir = harness_windows_path(harness_required_env("SMSPROV_SOURCE_MOF_DIR"));
    write_settings(site);
    harness_schema_load(site->mof_dir, site->namespace_path);
}

void harness_site_set_value(const harness_site *site, const wchar_t *name, const wchar_t *value)
{
    wchar_t key_name[256];
    swprintf(key_name, 256, L"%ls\\%hs", SITES_KEY, site->site_code);
    DWORD bytes = (DWORD)((wcslen(value) + 1) * sizeof *value);
    LSTATUS rc = RegSetKeyValueW(HKEY_LOCAL_MACHINE, key_name, name, REG_SZ, value, bytes);
    if (rc != ERROR_SUCCESS) {
        fprintf(stderr, "Could not write %ls under HKLM\\%ls (error %ld).\n", name, key_name,
                (long)rc);
        exit(2);
    }
}

void harness_site_set_dword(const harness_site *site, const wchar_t *name, DWORD value)
{
    wchar_t key_name[256];
    swprintf(key_name, 256, L"%ls\\%hs", SITES_KEY, site->site_code);
    LSTATUS rc = RegSetKeyValueW(HKEY_LOCAL_MACHINE, key_name, name, REG_DWORD, &value,
                                 sizeof value);
    if (rc != ERROR_SUCCESS) {
        fprintf(stderr, "Could not write %ls under HKLM\\%ls (error %ld).\n", name, key_name,
                (long)rc);
        exit(2);
    }
}

void harness_site_destroy(harness_site *site)
{
    harness_schema_unload();
    free(site->namespace_path);
    free(site->scratch);
    free(site->database_path);
    free(site->mof_dir);
    free(site->share_dir);
    memset(site, 0, sizeof *site);
}

/* ---- providers ----------------------------------------------------------- */

/* OutputDebugString raises DBG_PRINTEXCEPTION_C (after the wide variant)
 * with the text's length and address; with no debugger attached a
 * vectored handler sees it first.  Initialize reports why it failed only
 * there, so the harness keeps that text for the test's message. */
static char *captured_debug_output;

static LONG CALLBACK capture_debug_output(EXCEPTION_POINTERS *info)
{
    const EXCEPTION_RECORD *rec = info->ExceptionRecord;
    if (rec->ExceptionCode != DBG_PRINTEXCEPTION_C || rec->NumberParameters < 2)
        return EXCEPTION_CONTINUE_SEARCH;
    const char *text = (const char *)rec->ExceptionInformation[1];
    if (text && !captured_debug_output)
        captured_debug_output = cim_xstrdup(text);
    return EXCEPTION_CONTINUE_SEARCH;
}

LONG harness_provider_open(harness_provider *p, const harness_dll *dll,
                           const char *namespace_path)
{
    memset(p, 0, sizeof *p);
    IClassFactory *factory = NULL;
    HRESULT hr = dll->get_class_object(&CLSID_SmsprovProvider, &IID_IClassFactory,
                                       (void **)&factory);
    if (FAILED(hr)) {
        fprintf(stderr, "DllGetClassObject failed with 0x%08lx.\n", (unsigned long)hr);
        exit(2);
    }
    hr = IClassFactory_CreateInstance(factory, NULL, &IID_IWbemProviderInit, (void **)&p->init);
    IClassFactory_Release(factory);
    if (FAILED(hr)) {
        fprintf(stderr, "IClassFactory::CreateInstance failed with 0x%08lx.\n",
                (unsigned long)hr);
        exit(2);
    }
    p->ns = fake_namespace_new(namespace_path);
    p->init_sink = fake_init_sink_new();
    wchar_t *ns_name = harness_wide(namespace_path);
    void *handler = AddVectoredExceptionHandler(1, capture_debug_output);
    p->initialize_result = IWbemProviderInit_Initialize(
        p->init, (LPWSTR)L"HARNESS\\tester", 0, ns_name, (LPWSTR)L"MS_409", p->ns, NULL,
        &p->init_sink->iface);
    RemoveVectoredExceptionHandler(handler);
    p->debug_output = captured_debug_output;
    captured_debug_output = NULL;
    free(ns_name);
    LONG status = p->init_sink->status;
    if (status == WBEM_S_INITIALIZED)
        IWbemProviderInit_QueryInterface(p->init, &IID_IWbemServices, (void **)&p->services);
    return status;
}

void harness_provider_close(harness_provider *p)
{
    if (p->services)
        IWbemServices_Release(p->services);
    if (p->init)
        IWbemProviderInit_Release(p->init);
    if (p->ns)
        IWbemServices_Release(p->ns);
    fake_init_sink_release(p->init_sink);
    free(p->debug_output);
    memset(p, 0, sizeof *p);
}
