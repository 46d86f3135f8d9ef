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
#include <stdint.h>
#include <stdio.h>

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

/* What a file's identity and size are made of: stat() on POSIX; on
 * Windows the size, last-write and change times (100 ns steps) and the
 * volume serial number and file index. */
typedef struct platform_file_info {
    uint64_t size;
    int64_t mtime_sec, ctime_sec; /* seconds since 1970 */
    long mtime_nsec, ctime_nsec;
    uint64_t device, inode;
    bool is_dir, is_regular, is_link; /* is_link: only without following */
} platform_file_info;

/* Fills out for path, following symbolic links (stat).  Returns 0, or -1
 * with errno. */
int platform_file_info_get(const char *path, platform_file_info *out);
/* The same for path itself, a symbolic link (on Windows any reparse
 * point) not followed (lstat). */
int platform_file_info_nofollow(const char *path, platform_file_info *out);
/* The cheap part of platform_file_info_get, for callers that only ask
 * what path is: size, mtime, is_dir and is_regular, following symbolic
 * links; ctime, device and inode are left 0.  stat() on POSIX; on Windows
 * one attribute query (GetFileAttributesExW), where the full facts open
 * the file and ask its volume for the serial number (milliseconds under
 * Wine).  Returns 0, or -1 with errno. */
int platform_file_kind(const char *path, platform_file_info *out);
/* The same for path itself, a symbolic link (on Windows any reparse
 * point) not followed (lstat): a link has is_link set and is neither a
 * folder nor a regular file. */
int platform_file_kind_nofollow(const char *path, platform_file_info *out);

/* Opens path for reading (never waiting on a FIFO) and closes it again:
 * 0 when it opens, with *is_dir saying whether it is a folder; -1 with
 * errno (ENOENT, EACCES, ...) otherwise. */
int platform_probe_readable(const char *path, bool *is_dir);

/* Flushes the folder dir itself to disk, so a rename or new entry in it
 * survives a power cut (fsync of the folder; on Windows the rename was
 * written through already and this only checks dir opens).  Returns 0,
 * or -1 with errno. */
int platform_sync_dir(const char *dir);

/* Bytes free to an unprivileged user on the file system holding path,
 * or -1 with errno. */
int platform_free_bytes(const char *path, uint64_t *out);

/* A folder listing: the names in dir (without "." and ".."), in the
 * order the system gives them, as a NULL-terminated array.  Returns 0,
 * or -1 with errno (ENOENT, ENOTDIR, ...).  Free with
 * platform_list_free. */
int platform_list_dir(const char *dir, char ***names);
void platform_list_free(char **names);

/* Removes the file path (unlink).  Returns 0, or -1 with errno. */
int platform_unlink(const char *path);

/* Opens path for reading bytes as they are (no text-mode translation),
 * not inherited by child processes; -1 with errno. */
int platform_open_read(const char *path);

/* Reads up to size bytes at offset of the descriptor fd without moving
 * its position (pread).  Returns the bytes read (0 at the end), or -1
 * with errno. */
long long platform_read_at(int fd, void *buf, size_t size, uint64_t offset);

/* fopen with a UTF-8 path ("rb", "wb", ...); NULL with errno. */
FILE *platform_fopen(const char *path, const char *mode);

/* ---- hash_*.c ------------------------------------------------------------- */

/* The SHA-256 of size bytes at data, as 64 lower-case hex digits and a
 * NUL in hex. */
void platform_sha256_hex(const void *data, size_t size, char hex[65]);

#endif
