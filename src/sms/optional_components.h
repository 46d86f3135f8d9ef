/* optional_components.h - the WinPE optional component IDs of
 * SMS_BootImagePackage.OptionalComponents and UpdateOptionalComponents
 * (configmgr-classes.md §2.9): x86 IDs 1-26, x64 IDs 27-52 in the same order;
 * 23 and 49 are documented as not used. */
#ifndef SMSPROV_SMS_OPTIONAL_COMPONENTS_H
#define SMSPROV_SMS_OPTIONAL_COMPONENTS_H

#include <stdbool.h>
#include <stdint.h>

/* The component name ("WinPE-WMI") of an ID, or NULL when the ID is unknown
 * or not used.  *arch gets "x86" or "x64". */
const char *sms_optional_component_name(uint32_t id, const char **arch);

/* True when the ID is a component of that architecture ("x86", "x64"); with
 * an empty or NULL architecture (image not read yet), any known ID. */
bool sms_optional_component_fits(uint32_t id, const char *architecture);

#endif
