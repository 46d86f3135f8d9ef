/*
 * osd/arch.c - the architecture spelling table.
 */
#include "osd/arch.h"

#include <stddef.h>

#include "smsprov/cim.h"

typedef struct arch_row {
    const char *name;
    unsigned wim_number;
    uint16_t pe_machine;
    const char *adk_folder;
    const char *configmgr_folder;
} arch_row;

static const arch_row arch_table[OSD_ARCH_COUNT] = {
    [OSD_ARCH_X86] = {"x86", 0, 0x014C, "x86", "i386"},
    [OSD_ARCH_X64] = {"x64", 9, 0x8664, "amd64", "x64"},
    [OSD_ARCH_ARM64] = {"arm64", 12, 0xAA64, "arm64", "arm64"},
    [OSD_ARCH_IA64] = {"ia64", 6, 0x0200, NULL, "ia64"},
};

const char *osd_arch_name(osd_arch arch)
{
    return arch_table[arch].name;
}

unsigned osd_arch_wim_number(osd_arch arch)
{
    return arch_table[arch].wim_number;
}

uint16_t osd_arch_pe_machine(osd_arch arch)
{
    return arch_table[arch].pe_machine;
}

const char *osd_arch_adk_folder(osd_arch arch)
{
    return arch_table[arch].adk_folder;
}

const char *osd_arch_configmgr_folder(osd_arch arch)
{
    return arch_table[arch].configmgr_folder;
}

bool osd_arch_parse(const char *text, osd_arch *out)
{
    if (!text)
        return false;
    for (int i = 0; i < OSD_ARCH_COUNT; i++) {
        const arch_row *row = &arch_table[i];
        if (cim_strcasecmp(text, row->name) == 0 ||
            cim_strcasecmp(text, row->configmgr_folder) == 0 ||
            (row->adk_folder && cim_strcasecmp(text, row->adk_folder) == 0)) {
            *out = (osd_arch)i;
            return true;
        }
    }
    return false;
}

bool osd_arch_from_wim_number(unsigned long number, osd_arch *out)
{
    for (int i = 0; i < OSD_ARCH_COUNT; i++) {
        if (arch_table[i].wim_number == number) {
            *out = (osd_arch)i;
            return true;
        }
    }
    return false;
}
