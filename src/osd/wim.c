/*
 * osd/wim.c - opening and reading WIMs (wim_read.h) and wimlib's errors,
 * over the WIM backend (wim_backend.h), the same on every platform.
 */
#include "osd/wim.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "platform/platform.h"
#include "smsprov/cim.h"

smsprov_code osd_wim_fail(smsprov_error *err, smsprov_code code, int wimlib_code,
                          const char *action, const char *path)
{
    return smsprov_error_set(err, code, "%s %s failed: %s (wimlib error %d).", action, path,
                             osd_wimlib_error(wimlib_code), wimlib_code);
}

/* Tells a missing or unreadable file apart from a bad one before wimlib
 * hides the reason behind WIMLIB_ERR_OPEN. */
static smsprov_code check_readable_file(const char *path, smsprov_error *err)
{
    bool is_dir = false;
    if (platform_probe_readable(path, &is_dir) != 0) {
        int e = errno;
        smsprov_code code = (e == EACCES || e == EPERM) ? SMSPROV_E_ACCESS_DENIED
                                                        : SMSPROV_E_NOT_FOUND;
        return smsprov_error_set(err, code, "The WIM file %s cannot be opened: %s.", path,
                                 strerror(e));
    }
    if (is_dir)
        return smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER,
                                 "%s is a directory; give the path of a .wim file.", path);
    return SMSPROV_OK;
}

smsprov_code osd_wim_open(const char *path, WIMStruct **out, smsprov_error *err)
{
    *out = NULL;
    if (!path || !*path)
        return smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER,
                                 "No WIM file path was given.");
    smsprov_code rc = osd_wimlib_require(err);
    if (rc == SMSPROV_OK)
        rc = check_readable_file(path, err);
    if (rc != SMSPROV_OK)
        return rc;
    int wrc = osd_wimlib_open(path, 0, out, NULL, NULL);
    if (wrc != 0) {
        *out = NULL;
        return osd_wim_fail(err, SMSPROV_E_INVALID_PARAMETER, wrc, "Reading the WIM file",
                            path);
    }
    return SMSPROV_OK;
}

static int note_root(const osd_wim_dentry *dentry, void *data)
{
    (void)dentry;
    (void)data;
    return 0;
}

smsprov_code osd_wim_check_image_metadata(WIMStruct *wim, const char *path, uint32_t index,
                                          smsprov_error *err)
{
    /* Without ITERATE flags only the root is visited, but the image's whole
     * metadata resource is read and its hash checked to get there. */
    int wrc = osd_wimlib_iterate_tree(wim, (int)index, "", 0, note_root, NULL);
    if (wrc == 0)
        return SMSPROV_OK;
    char *what = cim_xasprintf("Reading the directory tree of image %u of", index);
    smsprov_code rc = osd_wim_fail(err, SMSPROV_E_INVALID_PARAMETER, wrc, what, path);
    free(what);
    return rc;
}

void osd_wim_close(WIMStruct *wim)
{
    osd_wimlib_free(wim);
}

uint32_t osd_wim_image_count(WIMStruct *wim)
{
    struct wimlib_wim_info info;
    osd_wimlib_info(wim, &info);
    return info.image_count;
}

uint32_t osd_wim_boot_index(WIMStruct *wim)
{
    struct wimlib_wim_info info;
    osd_wimlib_info(wim, &info);
    return info.boot_index;
}

char *osd_wim_property_dup(WIMStruct *wim, uint32_t index, const char *name)
{
    return osd_wimlib_property_dup(wim, (int)index, name);
}
