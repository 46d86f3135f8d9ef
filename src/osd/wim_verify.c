/* osd/wim_verify.c - verifying a whole WIM once (inject.h,
 * osd_wim_verify_whole). */
#include <stdio.h>
#include <stdlib.h>

#include "osd/inject.h"
#include "osd/wim.h"
#include "osd/wim_read.h"
#include "platform/platform.h"
#include "smsprov/cim.h"

/* The file and WIM facts that must be unchanged for an earlier
 * verification to hold; ctime and the inode change when the file is
 * rewritten or replaced, even by a copy that keeps the mtime. */
static char *whole_identity(const char *path, WIMStruct *wim)
{
    platform_file_info st;
    if (platform_file_info_get(path, &st) != 0)
        return NULL;
    struct wimlib_wim_info info;
    osd_wimlib_info(wim, &info);
    char guid[2 * WIMLIB_GUID_LEN + 1];
    for (int i = 0; i < WIMLIB_GUID_LEN; i++)
        snprintf(guid + 2 * i, 3, "%02x", info.guid[i]);
    return cim_xasprintf("image=all size=%llu mtime=%lld.%09ld ctime=%lld.%09ld dev=%llu "
                         "ino=%llu guid=%s",
                         (unsigned long long)st.size, (long long)st.mtime_sec, st.mtime_nsec,
                         (long long)st.ctime_sec, st.ctime_nsec, (unsigned long long)st.device,
                         (unsigned long long)st.inode, guid);
}

smsprov_code osd_wim_verify_whole(const char *path, const osd_verified_sources *record,
                                  smsprov_error *err)
{
    WIMStruct *wim = NULL;
    smsprov_code rc = osd_wim_open(path, &wim, err);
    if (rc != SMSPROV_OK)
        return rc;
    char *identity = record ? whole_identity(path, wim) : NULL;
    if (identity && record->known(record->data, path, identity)) {
        free(identity);
        osd_wim_close(wim);
        return SMSPROV_OK;
    }
    int wrc = osd_wimlib_verify(wim, 0);
    if (wrc != 0)
        rc = osd_wim_fail(err, SMSPROV_E_INVALID_PARAMETER, wrc,
                          "Verifying the whole of the WIM file", path);
    else if (identity)
        record->remember(record->data, path, identity);
    free(identity);
    osd_wim_close(wim);
    return rc;
}
