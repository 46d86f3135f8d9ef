/* platform/files_posix.c - folders and trees with the POSIX calls. */
#define _XOPEN_SOURCE 700 /* nftw */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "platform/platform.h"
#include "smsprov/cim.h"

int platform_mkdir(const char *path, unsigned mode)
{
    return mkdir(path, (mode_t)mode);
}

int platform_create_file(const char *path)
{
    return open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
}

int platform_replace_file(const char *from, const char *to)
{
    return rename(from, to);
}

bool platform_exists_nofollow(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

bool platform_is_link(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0 && S_ISLNK(st.st_mode);
}

char *platform_real_path(const char *path)
{
    return realpath(path, NULL);
}

char *platform_make_temp_dir(char *templ)
{
    return mkdtemp(templ);
}

static int remove_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)st;
    (void)ftw;
    int rc = (type == FTW_DP) ? rmdir(path) : unlink(path);
    return rc == 0 || errno == ENOENT ? 0 : -1;
}

int platform_remove_tree(const char *path)
{
    return nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS) == 0 ? 0 : -1;
}

static void fill_info(const struct stat *st, platform_file_info *out)
{
    out->size = (uint64_t)st->st_size;
    out->mtime_sec = (int64_t)st->st_mtim.tv_sec;
    out->mtime_nsec = st->st_mtim.tv_nsec;
    out->ctime_sec = (int64_t)st->st_ctim.tv_sec;
    out->ctime_nsec = st->st_ctim.tv_nsec;
    out->device = (uint64_t)st->st_dev;
    out->inode = (uint64_t)st->st_ino;
    out->is_dir = S_ISDIR(st->st_mode);
    out->is_regular = S_ISREG(st->st_mode);
    out->is_link = S_ISLNK(st->st_mode);
}

int platform_file_info_get(const char *path, platform_file_info *out)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return -1;
    fill_info(&st, out);
    return 0;
}

int platform_file_kind(const char *path, platform_file_info *out)
{
    return platform_file_info_get(path, out);
}

int platform_file_kind_nofollow(const char *path, platform_file_info *out)
{
    return platform_file_info_nofollow(path, out);
}

int platform_file_info_nofollow(const char *path, platform_file_info *out)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return -1;
    fill_info(&st, out);
    return 0;
}

int platform_probe_readable(const char *path, bool *is_dir)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK); /* never wait on a FIFO */
    if (fd < 0)
        return -1;
    struct stat st;
    *is_dir = fstat(fd, &st) == 0 && S_ISDIR(st.st_mode);
    close(fd);
    return 0;
}

int platform_sync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_CLOEXEC | O_DIRECTORY);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    int e = errno;
    close(fd);
    errno = e;
    return rc;
}

int platform_free_bytes(const char *path, uint64_t *out)
{
    struct statvfs vfs;
    if (statvfs(path, &vfs) != 0)
        return -1;
    *out = (uint64_t)vfs.f_bavail * vfs.f_frsize;
    return 0;
}

int platform_list_dir(const char *dir, char ***names)
{
    *names = NULL;
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    size_t count = 0, cap = 16;
    char **list = cim_xcalloc(cap, sizeof *list);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        if (count + 1 == cap) {
            cap *= 2;
            list = cim_xrealloc(list, cap * sizeof *list);
        }
        list[count++] = cim_xstrdup(e->d_name);
    }
    list[count] = NULL;
    closedir(d);
    *names = list;
    return 0;
}

int platform_unlink(const char *path)
{
    return unlink(path);
}

int platform_open_read(const char *path)
{
    return open(path, O_RDONLY | O_CLOEXEC);
}

long long platform_read_at(int fd, void *buf, size_t size, uint64_t offset)
{
    return (long long)pread(fd, buf, size, (off_t)offset);
}

FILE *platform_fopen(const char *path, const char *mode)
{
    return fopen(path, mode);
}
