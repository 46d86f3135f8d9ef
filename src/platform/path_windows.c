/*
 * platform/path_windows.c - Windows paths: '\\' and '/' both separate, and
 * a root is a drive ("C:\"), a share ("\\server\share\") or a lone "\".
 */
#include "platform/platform.h"

bool platform_is_separator(char c)
{
    return c == '/' || c == '\\';
}

const char *platform_last_separator(const char *path)
{
    const char *last = NULL;
    for (const char *p = path; *p; p++)
        if (platform_is_separator(*p))
            last = p;
    return last;
}

static bool is_drive(const char *path)
{
    char c = path[0];
    return ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')) && path[1] == ':';
}

/* "\\server\share\": past the separator ending the share name. */
static size_t unc_root_length(const char *path)
{
    size_t i = 2;
    for (int part = 0; part < 2; part++) {
        while (path[i] && !platform_is_separator(path[i]))
            i++;
        if (path[i])
            i++;
    }
    return i;
}

size_t platform_root_length(const char *path)
{
    if (is_drive(path))
        return platform_is_separator(path[2]) ? 3 : 2;
    if (platform_is_separator(path[0]) && platform_is_separator(path[1]))
        return unc_root_length(path);
    return platform_is_separator(path[0]) ? 1 : 0;
}

bool platform_is_absolute(const char *path)
{
    if (is_drive(path))
        return platform_is_separator(path[2]);
    /* "\x" is rooted on the current drive: never relative to the current
     * folder, which is what callers ask. */
    return platform_is_separator(path[0]);
}
