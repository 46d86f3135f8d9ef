/* platform/system_windows.c - processor count and host name. */
#include <windows.h>

#include "platform/platform.h"
#include "platform/win32.h"

unsigned platform_cpu_count(void)
{
    DWORD n = GetActiveProcessorCount(ALL_PROCESSOR_GROUPS);
    return n > 0 ? (unsigned)n : 1;
}

char *platform_host_name(void)
{
    wchar_t name[256];
    DWORD size = sizeof name / sizeof *name;
    if (!GetComputerNameExW(ComputerNameDnsHostname, name, &size) || size == 0)
        return NULL;
    return platform_utf8(name);
}
