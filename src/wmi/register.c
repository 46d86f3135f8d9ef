/* register.c - DllRegisterServer / DllUnregisterServer: the COM half of
 * installing the provider (regsvr32).  WMI's half is the registration MOF
 * (mof/windows/smsprov_register.mof), compiled with mofcomp.
 *
 * HKLM\Software\Classes\CLSID\{clsid}            (default) = provider name
 * HKLM\Software\Classes\CLSID\{clsid}\InprocServer32
 *                                                 (default) = DLL path
 *                                                 ThreadingModel = Both
 * "Both" because WMI runs instance and method providers in the MTA. */
#include <olectl.h>
#include <string.h>

#include "wmi/wmi.h"
#include "wmi/clsid.h"

#define CLSID_KEY L"Software\\Classes\\CLSID\\" SMSPROV_WMI_CLSID_TEXT

static LSTATUS set_string(const wchar_t *subkey, const wchar_t *name, const wchar_t *value)
{
    DWORD bytes = (DWORD)((wcslen(value) + 1) * sizeof(wchar_t));
    return RegSetKeyValueW(HKEY_LOCAL_MACHINE, subkey, name, REG_SZ, value, bytes);
}

STDAPI DllRegisterServer(void)
{
    if (set_string(CLSID_KEY, NULL, L"smsprov SMS Provider for OS deployment") != ERROR_SUCCESS ||
        set_string(CLSID_KEY L"\\InprocServer32", NULL, wmi_module_path()) != ERROR_SUCCESS ||
        set_string(CLSID_KEY L"\\InprocServer32", L"ThreadingModel", L"Both") != ERROR_SUCCESS)
        return SELFREG_E_CLASS;
    return S_OK;
}

STDAPI DllUnregisterServer(void)
{
    LSTATUS rc = RegDeleteTreeW(HKEY_LOCAL_MACHINE, CLSID_KEY);
    return (rc == ERROR_SUCCESS || rc == ERROR_FILE_NOT_FOUND) ? S_OK : SELFREG_E_CLASS;
}
