/*
 * wmi/clsid.h - the COM class ID of smsprov.dll's WMI provider object.
 *
 * The registration MOF (mof/windows/smsprov_register.mof) names the same
 * CLSID in __Win32Provider; change both together or WMI loads nothing.
 * Include <initguid.h> first in exactly one file that needs the GUID's
 * storage; other files get an extern declaration.
 */
#ifndef SMSPROV_WMI_CLSID_H
#define SMSPROV_WMI_CLSID_H

#include <guiddef.h>

#define SMSPROV_WMI_CLSID_TEXT L"{D72A0F54-83A2-4E02-B6D4-C3D0F3CE624D}"
#define SMSPROV_WMI_PROVIDER_NAME L"smsprov"

DEFINE_GUID(CLSID_SmsprovProvider, 0xd72a0f54, 0x83a2, 0x4e02, 0xb6, 0xd4, 0xc3, 0xd0, 0xf3,
            0xce, 0x62, 0x4d);

#endif
