/*
 * osd/inject_temp.c - the temporary files of an injection, and removing
 * those a crashed process left behind.
 *
 * Beside target "boot.LAB00001.wim" an injection writes
 *   .boot.LAB00001.wim.<tag>.<n>.partial   the new WIM until it is renamed
 *   .boot.LAB00001.wim.<tag>.<n>.staging   generated files (ini, hives)
 * The leading dot keeps them out of "boot.*.wim"; the tag says which
 * process owns them; n tells apart two injections of one process.
 */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "osd/fs.h"
#include "osd/inject_internal.h"
#include "platform/platform.h"
#include "smsprov/cim.h"

static const char *const temp_suffixes[] = {".partial", ".staging"};

/* Valid tags are file-name safe and hold no dot, so the name parses back. */
static bool tag_valid(const char *tag)
{
    if (!tag || !*tag || strlen(tag) > 64)
        return false;
    for (const char *p = tag; *p; p++)
        if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
              *p == '-' || *p == '_'))
            return false;
    return true;
}

void osd_inject_temp_paths(const char *target, const char *tag, char **wim, char **staging)
{
    static atomic_uint counter;
    unsigned n = atomic_fetch_add(&counter, 1);
    const char *slash = strrchr(target, '/');
    int dir_len = slash ? (int)(slash - target + 1) : 0;
    const char *base = slash ? slash + 1 : target;
    const char *owner = tag_valid(tag) ? tag : "tmp";
    *wim = cim_xasprintf("%.*s.%s.%s.%u.partial", dir_len, target, base, owner, n);
    *staging = cim_xasprintf("%.*s.%s.%s.%u.staging", dir_len, target, base, owner, n);
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

char *osd_inject_temp_owner(const char *name)
{
    if (!name || name[0] != '.')
        return NULL;
    size_t len = strlen(name);
    for (size_t i = 0; i < sizeof temp_suffixes / sizeof *temp_suffixes; i++) {
        if (!ends_with(name, temp_suffixes[i]))
            continue;
        /* ".<base>.<tag>.<n>" + suffix: walk back over n, then the tag. */
        size_t end = len - strlen(temp_suffixes[i]);
        size_t dot_n = end;
        while (dot_n > 1 && name[dot_n - 1] != '.')
            dot_n--;
        if (dot_n <= 1 || dot_n == end)
            return NULL;
        size_t dot_tag = dot_n - 1;
        while (dot_tag > 1 && name[dot_tag - 1] != '.')
            dot_tag--;
        if (dot_tag <= 1 || dot_tag == dot_n - 1)
            return NULL;
        return cim_xasprintf("%.*s", (int)(dot_n - 1 - dot_tag), name + dot_tag);
    }
    return NULL;
}

unsigned osd_inject_remove_stale(const char *dir, osd_owner_gone_fn owner_is_gone, void *data)
{
    char **names;
    if (platform_list_dir(dir, &names) != 0)
        return 0;
    unsigned removed = 0;
    for (size_t i = 0; names[i]; i++) {
        char *owner = osd_inject_temp_owner(names[i]);
        if (owner && owner_is_gone(data, owner)) {
            char *path = cim_xasprintf("%s/%s", dir, names[i]);
            if (osd_fs_remove_tree(path, NULL) == SMSPROV_OK)
                removed++;
            free(path);
        }
        free(owner);
    }
    platform_list_free(names);
    return removed;
}
