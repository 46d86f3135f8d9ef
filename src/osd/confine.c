/*
 * osd/confine.c - client files copied into an image as file content, from
 * inside their share only (confine.h says what remains open).
 */
#include "osd/confine.h"
#include "osd/fs.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "osd/inject.h"
#include "platform/platform.h"
#include "smsprov/cim.h"

#define MAX_DEPTH 64

static bool inside(const char *path, const char *dir)
{
    size_t n = strlen(dir);
    return strncmp(path, dir, n) == 0 &&
           (path[n] == '\0' || platform_is_separator(path[n]) ||
            (n > 0 && platform_is_separator(dir[n - 1])));
}

static smsprov_code refuse(osd_inject_failure *failure, smsprov_error *err, smsprov_code code,
                           int32_t win32, const char *shown, char *sentence)
{
    osd_inject_failure_set(failure, win32, shown);
    smsprov_error_set(err, code, "%s", sentence);
    free(sentence);
    return code;
}

static smsprov_code refuse_link(osd_inject_failure *failure, smsprov_error *err,
                                const char *shown, bool dangling)
{
    return refuse(failure, err, SMSPROV_E_ACCESS_DENIED, OSD_ERROR_ACCESS_DENIED, shown,
                  dangling ? cim_xasprintf("%s is a symbolic link to nothing that exists; only "
                                           "files go into the image, so fix or remove the "
                                           "link.",
                                           shown)
                           : cim_xasprintf("%s is a symbolic link leading out of its share; "
                                           "only files inside the share go into the image, so "
                                           "copy the file into the share instead.",
                                           shown));
}

/* The resolved form of root, so that resolved paths compare with it. */
static char *real_root(const char *root, const char *path)
{
    if (root)
        return platform_real_path(root);
    char *folder = osd_parent_dir(path);
    char *real = platform_real_path(folder);
    free(folder);
    return real;
}

/* path resolved and checked against the resolved root; st says what it is
 * (platform_file_kind: no device or inode). */
static smsprov_code resolve_inside(const char *real_dir, const char *path, const char *shown,
                                   char **real, platform_file_info *st, osd_inject_failure *failure,
                                   smsprov_error *err)
{
    *real = NULL;
    char *resolved = platform_real_path(path);
    /* Only a path that does not resolve needs the link question. */
    if (!resolved && !platform_is_link(path))
        return refuse(failure, err, SMSPROV_E_NOT_FOUND, OSD_ERROR_FILE_NOT_FOUND, shown,
                      cim_xasprintf("%s does not exist.", shown));
    if (!resolved || !real_dir || !inside(resolved, real_dir) || platform_file_kind(resolved, st) != 0) {
        free(resolved);
        return refuse_link(failure, err, shown, !resolved);
    }
    *real = resolved;
    return SMSPROV_OK;
}

smsprov_code osd_confine_file(const char *root, const char *path, const char *shown, char **real,
                              osd_inject_failure *failure, smsprov_error *err)
{
    char *real_dir = real_root(root, path);
    platform_file_info st;
    smsprov_code rc = resolve_inside(real_dir, path, shown, real, &st, failure, err);
    free(real_dir);
    if (rc == SMSPROV_OK && !st.is_regular) {
        free(*real);
        *real = NULL;
        rc = refuse(failure, err, SMSPROV_E_INVALID_PARAMETER, OSD_ERROR_INVALID_DATA, shown,
                    cim_xasprintf("%s is not a file.", shown));
    }
    return rc;
}

/* ---- folders ------------------------------------------------------------- */

typedef struct walk {
    osd_inject_plan *plan;
    char *real_root;
    uint64_t devs[MAX_DEPTH + 1]; /* the folders being walked, to catch loops */
    uint64_t inos[MAX_DEPTH + 1];
    size_t depth;
    osd_inject_failure *failure;
    smsprov_error *err;
} walk;

static smsprov_code add_entry(walk *w, const char *path, const char *image_path,
                              const char *shown);

/* dir is resolved (no links) and inside the root.  Only folders need
 * their device and inode (to catch loops), so files never pay for them. */
static smsprov_code add_dir(walk *w, const char *dir, const char *image_dir, const char *shown)
{
    platform_file_info st;
    if (platform_file_info_get(dir, &st) != 0)
        return refuse_link(w->failure, w->err, shown, false);
    for (size_t i = 0; i < w->depth; i++)
        if (w->devs[i] == st.device && w->inos[i] == st.inode)
            return refuse(w->failure, w->err, SMSPROV_E_INVALID_PARAMETER,
                          OSD_ERROR_INVALID_DATA, shown,
                          cim_xasprintf("%s leads back to a folder above it through a symbolic "
                                        "link; the folder would never end.",
                                        shown));
    if (w->depth == MAX_DEPTH)
        return refuse(w->failure, w->err, SMSPROV_E_INVALID_PARAMETER, OSD_ERROR_INVALID_DATA,
                      shown,
                      cim_xasprintf("%s lies more than %d folders deep.", shown, MAX_DEPTH));
    w->devs[w->depth] = st.device;
    w->inos[w->depth] = st.inode;
    w->depth++;
    size_t count = 0;
    char **names = osd_fs_list_sorted(dir, NULL, &count);
    smsprov_code rc = SMSPROV_OK;
    if (count == 0)
        osd_plan_add_folder(w->plan, dir, image_dir, 0); /* kept, empty */
    for (size_t i = 0; i < count; i++) {
        if (rc == SMSPROV_OK) {
            char *path = cim_xasprintf("%s/%s", dir, names[i]);
            char *image_path = cim_xasprintf("%s\\%s", image_dir, names[i]);
            char *entry_shown = cim_xasprintf("%s\\%s", shown, names[i]);
            rc = add_entry(w, path, image_path, entry_shown);
            free(entry_shown);
            free(image_path);
            free(path);
        }
        free(names[i]);
    }
    free(names);
    w->depth--;
    return rc;
}

static smsprov_code add_entry(walk *w, const char *path, const char *image_path,
                              const char *shown)
{
    char *real = NULL;
    platform_file_info st;
    smsprov_code rc = resolve_inside(w->real_root, path, shown, &real, &st, w->failure, w->err);
    if (rc != SMSPROV_OK)
        return rc;
    if (st.is_dir)
        rc = add_dir(w, real, image_path, shown);
    else if (st.is_regular)
        osd_plan_add_file(w->plan, real, image_path);
    else
        rc = refuse(w->failure, w->err, SMSPROV_E_INVALID_PARAMETER, OSD_ERROR_INVALID_DATA,
                    shown,
                    cim_xasprintf("%s is neither a file nor a folder, so it cannot go into the "
                                  "image.",
                                  shown));
    free(real);
    return rc;
}

smsprov_code osd_confine_add_folder(osd_inject_plan *plan, const char *root, const char *dir,
                                    const char *image_dir, const char *shown,
                                    osd_inject_failure *failure, smsprov_error *err)
{
    walk w = {.plan = plan, .failure = failure, .err = err};
    w.real_root = platform_real_path(root ? root : dir);
    char *real = NULL;
    platform_file_info st;
    smsprov_code rc = resolve_inside(w.real_root, dir, shown, &real, &st, failure, err);
    if (rc == SMSPROV_OK && !st.is_dir)
        rc = refuse(failure, err, SMSPROV_E_NOT_FOUND, OSD_ERROR_PATH_NOT_FOUND, shown,
                    cim_xasprintf("%s is not a folder.", shown));
    if (rc == SMSPROV_OK)
        rc = add_dir(&w, real, image_dir, shown);
    free(real);
    free(w.real_root);
    return rc;
}
