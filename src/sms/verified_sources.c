/* verified_sources.c - the site database keeps the record of source WIMs
 * verified in full (store/verified_sources.h), so a refresh from an
 * unchanged source skips that step.  In the database rather than a file
 * beside the source: shares may be read-only, every process of the site
 * shares the record, and it goes with the site's backups. */
#include "sms/boot_image.h"
#include "store/verified_sources.h"

static bool known(void *data, const char *path, const char *identity)
{
    const smsprov_site *site = data;
    return store_verified_source_known(site->store, path, identity);
}

static void remember(void *data, const char *path, const char *identity)
{
    const smsprov_site *site = data;
    smsprov_error err = {0};
    /* Not recorded costs only a verification next time. */
    (void)store_verified_source_remember(site->store, path, identity, &err);
    smsprov_error_clear(&err);
}

osd_verified_sources sms_verified_sources(smsprov_site *site)
{
    return (osd_verified_sources){known, remember, site};
}
