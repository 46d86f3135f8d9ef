/* platform/path_posix.c - POSIX paths: one separator, one root. */
#include <string.h>

#include "platform/platform.h"

bool platform_is_separator(char c)
{
    return c == '/';
}

const char *platform_last_separator(const char *path)
{
    return strrchr(path, '/');
}

size_t platform_root_length(const char *path)
{
    return path[0] == '/' ? 1 : 0;
}

bool platform_is_absolute(const char *path)
{
    return path[0] == '/';
}
