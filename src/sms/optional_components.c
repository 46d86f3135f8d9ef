/* optional_components.c - the documented optional component ID table and
 * the check of an ID list against a boot image. */
#include "sms/optional_components.h"

#include <stddef.h>
#include <stdlib.h>

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

static smsprov_code refuse(smsprov_error *err, smsprov_code code, const char *what,
                           char *sentence)
{
    smsprov_error_set(err, code, "%s", sentence);
    smsprov_error_set_parameter(err, what);
    free(sentence);
    return code;
}

smsprov_code sms_optional_components_check(const uint32_t *ids, size_t count,
                                           const char *architecture, const char *what,
                                           smsprov_code code, smsprov_error *err)
{
    for (size_t i = 0; i < count; i++) {
        const char *id_arch = NULL;
        const char *name = sms_optional_component_name(ids[i], &id_arch);
        if (!name)
            return refuse(err, code, what,
                          cim_xasprintf("%s holds %u, which is not a WinPE optional component "
                                        "ID (x86 uses 1-26, x64 uses 27-52; 23 and 49 are "
                                        "unused).",
                                        what, ids[i]));
        if (!sms_optional_component_fits(ids[i], architecture))
            return refuse(err, code, what,
                          cim_xasprintf("%s holds %u (%s, an %s component), which does not fit "
                                        "this %s boot image.",
                                        what, ids[i], name, id_arch, architecture));
    }
    return SMSPROV_OK;
}
