/*
 * osd/inject_path.c - case-insensitive resolution of Windows paths.
 */
#include "osd/inject_path.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "platform/platform.h"
#include "smsprov/cim.h"

static bool is_separator(char c)
{
    return c == '\\' || c == '/';
}

const char *osd_path_next_component(const char **cursor, size_t *len)
{
    const char *p = *cursor;
    while (is_separator(*p))
        p++;
    size_t n = 0;
    while (p[n] && !is_separator(p[n]))
        n++;
    *cursor = p + n;
    *len = n;
    return n ? p : NULL;
}

/* The entry of dir named like name ignoring ASCII case; when several do,
 * the smallest by byte order, so the choice does not depend on readdir. */
static char *find_entry_ignoring_case(const char *dir, const char *name)
{
    char **names;
    if (platform_list_dir(dir, &names) != 0)
        return NULL;
    char *best = NULL;
    for (size_t i = 0; names[i]; i++) {
        if (cim_strcasecmp(names[i], name) != 0)
            continue;
        if (!best || strcmp(names[i], best) < 0) {
            free(best);
            best = cim_xstrdup(names[i]);
        }
    }
    platform_list_free(names);
    return best;
}

/* Appends one component to *path, matching its case on disk when needed;
 * false when no entry matches. */
static bool step(char **path, const char *component)
{
    char *exact = cim_xasprintf("%s/%s", *path, component);
    if (platform_exists_nofollow(exact)) {
        free(*path);
        *path = exact;
        return true;
    }
    char *found = find_entry_ignoring_case(*path, component);
    if (!found) {
        free(*path);
        *path = exact;
        return false;
    }
    free(exact);
    char *next = cim_xasprintf("%s/%s", *path, found);
    free(found);
    free(*path);
    *path = next;
    return true;
}

/* base with each component of relative appended as given, as the walk
 * below builds it; NULL when relative has a "." or ".." component, which
 * the walk handles. */
static char *joined_as_given(const char *base, const char *relative)
{
    cim_buf b = {0};
    cim_buf_append(&b, base);
    while (b.len > 1 && b.data[b.len - 1] == '/')
        b.data[--b.len] = '\0';
    const char *p = relative ? relative : "";
    const char *name;
    size_t n;
    while ((name = osd_path_next_component(&p, &n)) != NULL) {
        if ((n == 1 && name[0] == '.') || (n == 2 && name[0] == '.' && name[1] == '.')) {
            free(cim_buf_take(&b));
            return NULL;
        }
        cim_buf_append(&b, "/");
        cim_buf_append_n(&b, name, n);
    }
    return cim_buf_take(&b);
}

smsprov_code osd_path_resolve(const char *base, const char *relative, char **out,
                              bool *missing_is_folder, smsprov_error *err)
{
    if (out)
        *out = NULL;
    if (missing_is_folder)
        *missing_is_folder = false;
    /* Most paths exist as written: one look-up instead of one per
     * component (each is a round trip to the file system, and costly
     * under Wine).  When it exists as written, the walk would take the
     * exact entry at every step and build this same path. */
    char *as_given = joined_as_given(base, relative);
    if (as_given && platform_exists_nofollow(as_given)) {
        if (out)
            *out = as_given;
        else
            free(as_given);
        return SMSPROV_OK;
    }
    free(as_given);
    char *path = cim_xstrdup(base);
    size_t len = strlen(path);
    while (len > 1 && path[len - 1] == '/')
        path[--len] = '\0';
    const char *p = relative ? relative : "";
    smsprov_code rc = SMSPROV_OK;
    const char *name;
    size_t n;
    while ((name = osd_path_next_component(&p, &n)) != NULL) {
        char *component = cim_xasprintf("%.*s", (int)n, name);
        if (strcmp(component, ".") == 0) {
            free(component);
            continue;
        }
        if (strcmp(component, "..") == 0) {
            free(component);
            rc = smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER,
                                   "The path %s climbs out of %s with \"..\"; name the file "
                                   "without \"..\".",
                                   relative, base);
            break;
        }
        bool found = step(&path, component);
        free(component);
        if (!found) {
            const char *rest = p;
            size_t rest_len;
            if (missing_is_folder)
                *missing_is_folder = osd_path_next_component(&rest, &rest_len) != NULL;
            rc = smsprov_error_set(err, SMSPROV_E_NOT_FOUND, "%s does not exist.", path);
            break;
        }
    }
    if (out && (rc == SMSPROV_OK || rc == SMSPROV_E_NOT_FOUND)) {
        *out = path;
        path = NULL;
    }
    free(path);
    return rc;
}

char *osd_path_in_image(const char *windows_path)
{
    cim_buf b = {0};
    const char *p = windows_path ? windows_path : "";
    const char *name;
    size_t n;
    while ((name = osd_path_next_component(&p, &n)) != NULL) {
        cim_buf_append(&b, "/");
        cim_buf_append_n(&b, name, n);
    }
    if (b.len == 0)
        cim_buf_append(&b, "/");
    return cim_buf_take(&b);
}
