/* verified_sources.c - the site database keeps the record of source WIMs
 * verified in full (a file mark, store/marks.h), so a refresh from an
 * unchanged source skips that step.  In the database rather than a file
 * beside the source: shares may be read-only, every process of the site
 * shares the record, and it goes with the site's backups. */
#include "sms/boot_image.h"
#include "store/marks.h"

static bool known(void *data, const char *path, const char *identity)
{
    const smsprov_site *site = data;
    return store_mark_matches(site->store, STORE_MARK_VERIFIED_SOURCE, path, identity);
}

static void remember(void *data, const char *path, const char *identity)
{
    const smsprov_site *site = data;
    smsprov_error err = {0};
    /* Not recorded costs only a verification next time. */
    (void)store_mark_set(site->store, STORE_MARK_VERIFIED_SOURCE, path, identity, &err);
    smsprov_error_clear(&err);
}

osd_verified_sources sms_verified_sources(smsprov_site *site)
{
    return (osd_verified_sources){known, remember, site};
}
