/*
 * platform/platform.h - the few operating-system services the provider
 * core needs that POSIX and Windows spell differently.
 *
 * Each concern has one file per system (random_posix.c / random_windows.c,
 * ...); CMake builds the pair member for the target.  Paths are UTF-8; on
 * Windows both separators ('/' and '\\') are accepted.  Functions that can
 * fail report through errno, like the POSIX calls they stand for.
 */
#ifndef SMSPROV_PLATFORM_H
#define SMSPROV_PLATFORM_H

#include <stdbool.h>
#include <stddef.h>

/* ---- path_*.c ------------------------------------------------------------- */

/* Whether c separates path components: '/' (and '\\' on Windows). */
bool platform_is_separator(char c);

/* The last separator in path, or NULL. */
const char *platform_last_separator(const char *path);

/* Length of path's root: 1 for "/x" on POSIX; on Windows 3 for "C:\x",
 * 2 for "C:x", the "\\server\share\" prefix of a UNC path, 1 for "\x";
 * 0 for a relative path.  Creating a path's parents starts after it. */
size_t platform_root_length(const char *path);

/* Whether path names the same file whatever the current directory. */
bool platform_is_absolute(const char *path);

/* ---- random_*.c ----------------------------------------------------------- */

/* Fills buf with size bytes from the system's secure random source. */
void platform_random_bytes(void *buf, size_t size);

/* ---- system_*.c ----------------------------------------------------------- */

/* The number of processors online (at least 1). */
unsigned platform_cpu_count(void);

/* This computer's host name, or NULL when the system does not say.
 * Caller frees. */
char *platform_host_name(void);

/* ---- files_*.c ------------------------------------------------------------ */

/* mkdir(path, mode); Windows ignores mode (folders inherit their ACL). */
int platform_mkdir(const char *path, unsigned mode);

/* Creates or truncates the file path for writing bytes as they are (no
 * text-mode translation), not inherited by child processes.  Returns a
 * descriptor for write()/close(), or -1 with errno. */
int platform_create_file(const char *path);

/* Renames from to to, replacing an existing file to (rename).  Returns 0,
 * or -1 with errno. */
int platform_replace_file(const char *from, const char *to);

/* Whether something exists at path, without following a final symbolic
 * link (lstat). */
bool platform_exists_nofollow(const char *path);

/* Whether path itself is a symbolic link (on Windows, any reparse point:
 * a symbolic link or a junction), without following it. */
bool platform_is_link(const char *path);

/* The canonical absolute path of the existing file or folder path, with
 * every symbolic link resolved (realpath), or NULL with errno set.
 * Caller frees. */
char *platform_real_path(const char *path);

/* Creates a fresh folder from templ, whose last six characters are
 * "XXXXXX" and are replaced (mkdtemp).  Returns templ, or NULL with errno
 * set. */
char *platform_make_temp_dir(char *templ);

/* Removes path and everything below it, without following symbolic links;
 * entries that vanish meanwhile are fine.  Returns 0, or -1 with errno. */
int platform_remove_tree(const char *path);

#endif
