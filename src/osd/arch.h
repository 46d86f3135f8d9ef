/*
 * osd/arch.h - processor architectures as WinPE, WIM, PE, the ADK and
 * ConfigMgr each spell them.
 *
 * One table holds every spelling so that a new architecture is one row:
 * the SMS_BootImagePackage string ("x64"), the WIM XML WINDOWS/ARCH number
 * (9), the PE header Machine (0x8664), the ADK folder ("amd64") and the
 * ConfigMgr folder ("x64").
 */
#ifndef SMSPROV_OSD_ARCH_H
#define SMSPROV_OSD_ARCH_H

#include <stdbool.h>
#include <stdint.h>

typedef enum osd_arch {
    OSD_ARCH_X86,
    OSD_ARCH_X64,
    OSD_ARCH_ARM64,
    OSD_ARCH_IA64,
    OSD_ARCH_COUNT
} osd_arch;

/* "x86", "x64", "arm64", "ia64": the Architecture property value. */
const char *osd_arch_name(osd_arch arch);
/* WIM XML WINDOWS/ARCH: 0, 9, 12, 6. */
unsigned osd_arch_wim_number(osd_arch arch);
/* PE/COFF Machine: 0x014C, 0x8664, 0xAA64, 0x0200. */
uint16_t osd_arch_pe_machine(osd_arch arch);
/* ADK folder under "Windows Preinstallation Environment" and "Deployment
 * Tools": "x86", "amd64", "arm64"; NULL for ia64, which no Windows 10+ ADK
 * ships. */
const char *osd_arch_adk_folder(osd_arch arch);
/* ConfigMgr folder under bin\ and OSD\bin\, and osdinjection.xml imgArch:
 * "i386", "x64", "arm64", "ia64". */
const char *osd_arch_configmgr_folder(osd_arch arch);

/* Accepts every spelling above, ASCII case-insensitive ("AMD64", "i386"). */
bool osd_arch_parse(const char *text, osd_arch *out);
/* From a WIM WINDOWS/ARCH number; false for numbers we do not serve
 * (e.g. 5, 32-bit ARM). */
bool osd_arch_from_wim_number(unsigned long number, osd_arch *out);

#endif
