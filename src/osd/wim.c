/*
 * osd/wim.c - wimlib set-up, and reading WIMs (wim_read.h) with wimlib
 * linked in.
 */
#include "osd/wim.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "smsprov/cim.h"

static pthread_once_t wimlib_once = PTHREAD_ONCE_INIT;

static void wimlib_init_once(void)
{
    /* Failure here only means wimlib keeps its case-sensitive default;
     * opening a file later reports any real problem. */
    (void)wimlib_global_init(WIMLIB_INIT_FLAG_DEFAULT_CASE_INSENSITIVE);
}

void osd_wimlib_init(void)
{
    pthread_once(&wimlib_once, wimlib_init_once);
}

smsprov_code osd_wim_fail(smsprov_error *err, smsprov_code code, int wimlib_code,
                          const char *action, const char *path)
{
    return smsprov_error_set(err, code, "%s %s failed: %s (wimlib error %d).", action, path,
                             wimlib_get_error_string((enum wimlib_error_code)wimlib_code),
                             wimlib_code);
}

/* Tells a missing or unreadable file apart from a bad one before wimlib
 * hides errno behind WIMLIB_ERR_OPEN. */
static smsprov_code check_readable_file(const char *path, smsprov_error *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK); /* never wait on a FIFO */
    if (fd < 0) {
        int e = errno;
        smsprov_code code = (e == EACCES || e == EPERM) ? SMSPROV_E_ACCESS_DENIED
                                                        : SMSPROV_E_NOT_FOUND;
        return smsprov_error_set(err, code, "The WIM file %s cannot be opened: %s.", path,
                                 strerror(e));
    }
    struct stat st;
    bool is_dir = fstat(fd, &st) == 0 && S_ISDIR(st.st_mode);
    close(fd);
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
    smsprov_code rc = check_readable_file(path, err);
    if (rc != SMSPROV_OK)
        return rc;
    osd_wimlib_init();
    int wrc = wimlib_open_wim(path, 0, out);
    if (wrc != 0) {
        *out = NULL;
        return osd_wim_fail(err, SMSPROV_E_INVALID_PARAMETER, wrc, "Reading the WIM file",
                            path);
    }
    return SMSPROV_OK;
}

static int note_root(const struct wimlib_dir_entry *dentry, void *data)
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
    int wrc = wimlib_iterate_dir_tree(wim, (int)index, WIMLIB_WIM_ROOT_PATH, 0, note_root, NULL);
    if (wrc == 0)
        return SMSPROV_OK;
    char *what = cim_xasprintf("Reading the directory tree of image %u of", index);
    smsprov_code rc = osd_wim_fail(err, SMSPROV_E_INVALID_PARAMETER, wrc, what, path);
    free(what);
    return rc;
}

void osd_wim_close(WIMStruct *wim)
{
    wimlib_free(wim);
}

uint32_t osd_wim_image_count(WIMStruct *wim)
{
    struct wimlib_wim_info info;
    wimlib_get_wim_info(wim, &info);
    return info.image_count;
}

uint32_t osd_wim_boot_index(WIMStruct *wim)
{
    struct wimlib_wim_info info;
    wimlib_get_wim_info(wim, &info);
    return info.boot_index;
}

char *osd_wim_property_dup(WIMStruct *wim, uint32_t index, const char *name)
{
    const char *value = wimlib_get_image_property(wim, (int)index, name);
    return (value && *value) ? cim_xstrdup(value) : NULL;
}
