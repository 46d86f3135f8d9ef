/* optional_components.h - the WinPE optional component IDs of
 * SMS_BootImagePackage.OptionalComponents and UpdateOptionalComponents
 * (configmgr-classes.md §2.9): x86 IDs 1-26, x64 IDs 27-52 in the same order;
 * 23 and 49 are documented as not used. */
#ifndef SMSPROV_SMS_OPTIONAL_COMPONENTS_H
#define SMSPROV_SMS_OPTIONAL_COMPONENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "smsprov/error.h"

/* The component name ("WinPE-WMI") of an ID, or NULL when the ID is unknown
 * or not used.  *arch gets "x86" or "x64". */
const char *sms_optional_component_name(uint32_t id, const char **arch);

/* True when the ID is a component of that architecture ("x86", "x64"); with
 * an empty or NULL architecture (image not read yet), any known ID. */
bool sms_optional_component_fits(uint32_t id, const char *architecture);

/* Checks the IDs of a boot image of architecture (NULL or "": not read
 * yet, any known ID passes): each a known ID, each for that architecture.
 * what names the list in the sentence ("OptionalComponents",
 * "ComponentIds"); a failure is code with a sentence naming the ID (issue
 * 5: the put and UpdateOptionalComponents say the same). */
smsprov_code sms_optional_components_check(const uint32_t *ids, size_t count,
                                           const char *architecture, const char *what,
                                           smsprov_code code, smsprov_error *err);

#endif
