/* optional_components.c - the documented optional component ID table. */
#include "sms/optional_components.h"

#include <stddef.h>

#include "smsprov/cim.h"

#define X86_FIRST 1u
#define X64_FIRST 27u
#define PER_ARCH 26u

/* In ID order; "not used" slots are NULL. */
static const char *const component_names[PER_ARCH] = {
    "WinPE-DismCmdlets", "WinPE-Dot3Svc",      "WinPE-EnhancedStorage",   "WinPE-FMAPI",
    "WinPE-FontSupport-JA-JP", "WinPE-FontSupport-KO-KR", "WinPE-FontSupport-ZH-CN",
    "WinPE-FontSupport-ZH-HK", "WinPE-FontSupport-ZH-TW", "WinPE-HTA", "WinPE-StorageWMI",
    "WinPE-LegacySetup", "WinPE-MDAC",         "WinPE-NetFx4",            "WinPE-PowerShell3",
    "WinPE-PPPoE",       "WinPE-RNDIS",        "WinPE-Scripting",         "WinPE-SecureStartup",
    "WinPE-Setup",       "WinPE-Setup-Client", "WinPE-Setup-Server",      NULL,
    "WinPE-WDS-Tools",   "WinPE-WinReCfg",     "WinPE-WMI",
};

const char *sms_optional_component_name(uint32_t id, const char **arch)
{
    uint32_t first;
    if (id >= X86_FIRST && id < X86_FIRST + PER_ARCH) {
        first = X86_FIRST;
        if (arch)
            *arch = "x86";
    } else if (id >= X64_FIRST && id < X64_FIRST + PER_ARCH) {
        first = X64_FIRST;
        if (arch)
            *arch = "x64";
    } else {
        return NULL;
    }
    return component_names[id - first];
}

bool sms_optional_component_fits(uint32_t id, const char *architecture)
{
    const char *arch = NULL;
    if (!sms_optional_component_name(id, &arch))
        return false;
    if (!architecture || !*architecture)
        return true;
    return cim_strcasecmp(arch, architecture) == 0;
}
