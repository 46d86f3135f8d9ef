/* text.c - UTF-8 (the provider API) <-> UTF-16 (COM) conversion. */
#include <stdlib.h>

#include "wmi/wmi.h"

char *wmi_utf8(const wchar_t *text)
{
    if (!text)
        return NULL;
    int bytes = WideCharToMultiByte(CP_UTF8, 0, text, -1, NULL, 0, NULL, NULL);
    if (bytes <= 0)
        return cim_xstrdup("");
    char *out = cim_xmalloc((size_t)bytes);
    WideCharToMultiByte(CP_UTF8, 0, text, -1, out, bytes, NULL, NULL);
    return out;
}

wchar_t *wmi_wide(const char *text)
{
    if (!text)
        return NULL;
    int units = MultiByteToWideChar(CP_UTF8, 0, text, -1, NULL, 0);
    if (units <= 0)
        units = 1;
    wchar_t *out = cim_xcalloc((size_t)units, sizeof(wchar_t));
    MultiByteToWideChar(CP_UTF8, 0, text, -1, out, units);
    return out;
}

BSTR wmi_bstr(const char *text)
{
    if (!text)
        return NULL;
    wchar_t *wide = wmi_wide(text);
    BSTR out = SysAllocString(wide);
    free(wide);
    return out;
}
