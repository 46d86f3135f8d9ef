/* export_record.c - the files ExportDefaultBootImage wrote (export_record.h),
 * kept as file marks of kind "export" in the site's store. */
#include "sms/export_record.h"

#include <inttypes.h>
#include <stdlib.h>

#include "platform/platform.h"
#include "smsprov/cim.h"
#include "store/marks.h"

/* The identity of the file itself (a link is never an export's output):
 * device, inode, size and modification time, so a file replaced or changed
 * since the export no longer matches.  Caller frees; NULL when there is no
 * regular file at path. */
static char *identity_of(const char *path)
{
    platform_file_info st;
    if (platform_file_info_nofollow(path, &st) != 0 || !st.is_regular)
        return NULL;
    return cim_xasprintf("dev=%" PRId64 " ino=%" PRId64 " size=%" PRId64 " mtime=%" PRId64,
                         (int64_t)st.device, (int64_t)st.inode, (int64_t)st.size,
                         st.mtime_sec);
}

bool sms_export_is_ours(smsprov_site *site, const char *local_path)
{
    char *now = identity_of(local_path);
    bool ours = now && store_mark_matches(site->store, STORE_MARK_EXPORT, local_path, now);
    free(now);
    return ours;
}

smsprov_code sms_export_remember(smsprov_site *site, const char *local_path, smsprov_error *err)
{
    char *id = identity_of(local_path);
    if (!id)
        return smsprov_error_set(err, SMSPROV_E_FAILED,
                                 "The exported boot image vanished before it was recorded.");
    smsprov_code rc = store_mark_set(site->store, STORE_MARK_EXPORT, local_path, id, err);
    free(id);
    return rc;
}
