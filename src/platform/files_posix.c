/* platform/files_posix.c - folders and trees with the POSIX calls. */
#define _XOPEN_SOURCE 700 /* nftw */

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "platform/platform.h"

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
