/*
 * osd/fs.h - the few file-system steps image building needs: directories,
 * whole files written atomically, and removing a scratch tree.
 */
#ifndef SMSPROV_OSD_FS_H
#define SMSPROV_OSD_FS_H

#include <stdbool.h>
#include <stddef.h>

#include "smsprov/error.h"

/* "base/relative", turning the Windows separators of relative ("bin\\x64")
 * into '/'.  Caller frees. */
char *osd_path_join(const char *base, const char *relative);

/* The folder holding path: "." for a bare name, the root for "/x" or
 * "C:\\x".  Caller frees. */
char *osd_parent_dir(const char *path);

bool osd_fs_exists(const char *path);

/* Creates path and its missing parents (like mkdir -p). */
smsprov_code osd_fs_make_dirs(const char *path, smsprov_error *err);

/* The names in dir (without "." and ".."), those keep accepts when it is
 * not NULL, sorted by strcmp so what is built from them does not depend on
 * readdir's order.  An unreadable dir gives none.  Caller frees each name
 * and the array. */
char **osd_fs_list_sorted(const char *dir, bool (*keep)(const char *dir, const char *name),
                          size_t *count);

/* Writes size bytes to path, creating missing parent directories.  The data
 * goes to "<path>.partial" first and is renamed into place, so path holds
 * either the old content or the whole new content. */
smsprov_code osd_fs_write_file(const char *path, const void *data, size_t size,
                               smsprov_error *err);

/* Creates a fresh directory named "<prefix>XXXXXX"; *out is the caller's. */
smsprov_code osd_fs_make_temp_dir(const char *prefix, char **out, smsprov_error *err);

/* Removes path and everything below it (symbolic links are not followed).
 * A missing path is not an error. */
smsprov_code osd_fs_remove_tree(const char *path, smsprov_error *err);

#endif
