/* module.c - the DLL's entry points for COM: the class object and whether
 * the DLL may be unloaded (no live objects, no LockServer locks and no
 * open site, so never while a site's jobs run). */
#include <initguid.h>

#include "wmi/wmi.h"
#include "wmi/clsid.h"
#include "wmi/class_factory.h"

static volatile LONG live_objects;
static volatile LONG server_locks;
static wchar_t module_path[MAX_PATH];
static wchar_t module_folder[MAX_PATH];
static HMODULE module_handle;

void wmi_object_created(void)
{
    InterlockedIncrement(&live_objects);
}

void wmi_object_destroyed(void)
{
    InterlockedDecrement(&live_objects);
}

void wmi_module_lock(bool lock)
{
    if (lock)
        InterlockedIncrement(&server_locks);
    else
        InterlockedDecrement(&server_locks);
}

const wchar_t *wmi_module_path(void)
{
    return module_path;
}

HMODULE wmi_module_handle(void)
{
    return module_handle;
}

const wchar_t *wmi_module_folder(void)
{
    return module_folder;
}

BOOL WINAPI DllMain(HINSTANCE instance, DWORD reason, LPVOID reserved);
BOOL WINAPI DllMain(HINSTANCE instance, DWORD reason, LPVOID reserved)
{
    (void)reserved;
    if (reason == DLL_PROCESS_ATTACH) {
        DisableThreadLibraryCalls(instance);
        module_handle = instance;
        DWORD n = GetModuleFileNameW(instance, module_path, MAX_PATH);
        if (n == 0 || n >= MAX_PATH)
            return FALSE;
        wcscpy(module_folder, module_path);
        wchar_t *slash = wcsrchr(module_folder, L'\\');
        if (slash)
            *slash = L'\0';
    }
    return TRUE;
}

STDAPI DllGetClassObject(REFCLSID clsid, REFIID riid, void **out)
{
    if (!out)
        return E_POINTER;
    *out = NULL;
    if (!IsEqualCLSID(clsid, &CLSID_SmsprovProvider))
        return CLASS_E_CLASSNOTAVAILABLE;
    return wmi_class_factory_create(riid, out);
}

STDAPI DllCanUnloadNow(void)
{
    return (live_objects == 0 && server_locks == 0 && wmi_sites_open() == 0) ? S_OK : S_FALSE;
}
