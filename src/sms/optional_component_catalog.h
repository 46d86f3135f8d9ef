/* optional_component_catalog.h - SMS_OSDeploymentKitWinPEOptionalComponent,
 * the read-only catalogue of the WinPE optional components in the site's
 * Windows ADK. */
#ifndef SMSPROV_SMS_OPTIONAL_COMPONENT_CATALOG_H
#define SMSPROV_SMS_OPTIONAL_COMPONENT_CATALOG_H

#include "sms/site.h"

/* Rewrites the catalogue from the site's ADK tree: for the x86 and x64 ID
 * tables, one row per component whose cabinet the ADK has, per language it
 * has resources for.  Writes nothing when the rows are already what the
 * ADK says, or when no ADK is configured (the rows another process wrote
 * stay).  Fails only when the store does. */
smsprov_code sms_write_oc_catalog(smsprov_site *site, smsprov_error *err);

#endif
