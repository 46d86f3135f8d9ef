/*
 * osd/fs.c - directories, atomic file writes, scratch-tree removal, with
 * the system calls behind platform/platform.h.
 */
#include "osd/fs.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "platform/platform.h"
#include "smsprov/cim.h"

char *osd_path_join(const char *base, const char *relative)
{
    char *path = cim_xasprintf("%s/%s", base, relative);
    for (char *p = path + strlen(base); *p; p++) {
        if (*p == '\\')
            *p = '/';
    }
    return path;
}

char *osd_parent_dir(const char *path)
{
    const char *slash = platform_last_separator(path);
    if (!slash)
        return cim_xstrdup(".");
    size_t root = platform_root_length(path);
    size_t n = (size_t)(slash - path);
    return cim_xasprintf("%.*s", (int)(n < root ? root : n ? n : 1), path);
}

bool osd_fs_exists(const char *path)
{
    return platform_exists_nofollow(path);
}

smsprov_code osd_fs_make_dirs(const char *path, smsprov_error *err)
{
    if (!path || !*path)
        return smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER,
                                 "No directory path was given.");
    char *copy = cim_xstrdup(path);
    smsprov_code rc = SMSPROV_OK;
    /* Walk the separators so each ancestor exists before its child; the
     * root ("/", or "C:\" on Windows) always exists. */
    size_t root = platform_root_length(copy);
    for (char *p = copy + (root > 1 ? root : 1);; p++) {
        bool at_end = *p == '\0';
        if (platform_is_separator(*p) || at_end) {
            char separator = *p;
            *p = '\0';
            if (platform_mkdir(copy, 0755) != 0 && errno != EEXIST) {
                rc = smsprov_error_set(err, SMSPROV_E_FAILED,
                                       "The directory %s cannot be created: %s.", copy,
                                       strerror(errno));
                break;
            }
            if (at_end)
                break;
            *p = separator;
        }
    }
    free(copy);
    return rc;
}

static smsprov_code make_parent_dirs(const char *path, smsprov_error *err)
{
    char *parent = cim_xstrdup(path);
    char *slash = (char *)platform_last_separator(parent);
    smsprov_code rc = SMSPROV_OK;
    if (slash && slash != parent) {
        *slash = '\0';
        rc = osd_fs_make_dirs(parent, err);
    }
    free(parent);
    return rc;
}

static bool write_all(int fd, const void *data, size_t size)
{
    const char *p = data;
    while (size > 0) {
        ssize_t n = write(fd, p, size);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        p += n;
        size -= (size_t)n;
    }
    return true;
}

smsprov_code osd_fs_write_file(const char *path, const void *data, size_t size,
                               smsprov_error *err)
{
    smsprov_code rc = make_parent_dirs(path, err);
    if (rc != SMSPROV_OK)
        return rc;
    char *partial = cim_xasprintf("%s.partial", path);
    int fd = platform_create_file(partial);
    if (fd < 0) {
        rc = smsprov_error_set(err, SMSPROV_E_FAILED, "The file %s cannot be created: %s.",
                               partial, strerror(errno));
        free(partial);
        return rc;
    }
    bool written = write_all(fd, data, size);
    int saved_errno = errno;
    if (close(fd) != 0 && written) {
        written = false;
        saved_errno = errno;
    }
    if (!written || platform_replace_file(partial, path) != 0) {
        if (written)
            saved_errno = errno;
        platform_unlink(partial);
        rc = smsprov_error_set(err, SMSPROV_E_FAILED, "The file %s cannot be written: %s.", path,
                               strerror(saved_errno));
    }
    free(partial);
    return rc;
}

smsprov_code osd_fs_make_temp_dir(const char *prefix, char **out, smsprov_error *err)
{
    char *templ = cim_xasprintf("%sXXXXXX", prefix);
    if (!platform_make_temp_dir(templ)) {
        smsprov_code rc = smsprov_error_set(err, SMSPROV_E_FAILED,
                                            "A scratch directory %s cannot be created: %s.",
                                            templ, strerror(errno));
        free(templ);
        *out = NULL;
        return rc;
    }
    *out = templ;
    return SMSPROV_OK;
}

smsprov_code osd_fs_remove_tree(const char *path, smsprov_error *err)
{
    if (!osd_fs_exists(path))
        return SMSPROV_OK;
    if (platform_remove_tree(path) != 0)
        return smsprov_error_set(err, SMSPROV_E_FAILED, "The directory %s cannot be removed: %s.",
                                 path, strerror(errno));
    return SMSPROV_OK;
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

char **osd_fs_list_sorted(const char *dir, bool (*keep)(const char *dir, const char *name),
                          size_t *count)
{
    char **names = NULL, **all = NULL;
    *count = 0;
    if (platform_list_dir(dir, &all) != 0)
        return NULL;
    for (size_t i = 0; all[i]; i++) {
        if (keep && !keep(dir, all[i]))
            continue;
        names = cim_xrealloc(names, (*count + 1) * sizeof *names);
        names[(*count)++] = cim_xstrdup(all[i]);
    }
    platform_list_free(all);
    if (*count > 1)
        qsort(names, *count, sizeof *names, compare_names);
    return names;
}
