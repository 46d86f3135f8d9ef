/*
 * platform/files_windows.c - folders and trees with the wide Win32 calls,
 * so UTF-8 names reach the file system intact.
 */
#include <windows.h>
#include <errno.h>
#include <fcntl.h>
#include <io.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <string.h>
#include <wchar.h>

#include "platform/platform.h"
#include "platform/win32.h"
#include "smsprov/cim.h"

int platform_mkdir(const char *path, unsigned mode)
{
    (void)mode;
    wchar_t *wide = platform_utf16(path);
    if (!wide)
        return -1;
    BOOL ok = CreateDirectoryW(wide, NULL);
    if (!ok)
        platform_set_errno(GetLastError());
    free(wide);
    return ok ? 0 : -1;
}

int platform_create_file(const char *path)
{
    wchar_t *wide = platform_utf16(path);
    if (!wide)
        return -1;
    int fd = _wopen(wide, _O_WRONLY | _O_CREAT | _O_TRUNC | _O_BINARY | _O_NOINHERIT,
                    _S_IREAD | _S_IWRITE);
    free(wide);
    return fd;
}

int platform_replace_file(const char *from, const char *to)
{
    wchar_t *wide_from = platform_utf16(from);
    wchar_t *wide_to = wide_from ? platform_utf16(to) : NULL;
    /* rename() of the C runtime refuses to replace an existing file. */
    BOOL ok = wide_to && MoveFileExW(wide_from, wide_to,
                                     MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH);
    if (wide_to && !ok)
        platform_set_errno(GetLastError());
    free(wide_from);
    free(wide_to);
    return ok ? 0 : -1;
}

bool platform_exists_nofollow(const char *path)
{
    wchar_t *wide = platform_utf16(path);
    /* GetFileAttributes describes a reparse point itself, not its target. */
    bool exists = wide && GetFileAttributesW(wide) != INVALID_FILE_ATTRIBUTES;
    free(wide);
    return exists;
}

bool platform_is_link(const char *path)
{
    wchar_t *wide = platform_utf16(path);
    DWORD attributes = wide ? GetFileAttributesW(wide) : INVALID_FILE_ATTRIBUTES;
    free(wide);
    return attributes != INVALID_FILE_ATTRIBUTES && (attributes & FILE_ATTRIBUTE_REPARSE_POINT);
}

/* "\\?\C:\x" -> "C:\x", "\\?\UNC\server\share" -> "\\server\share". */
static char *strip_long_prefix(const wchar_t *path)
{
    if (wcsncmp(path, L"\\\\?\\UNC\\", 8) == 0) {
        char *rest = platform_utf8(path + 8);
        char *unc = cim_xasprintf("\\\\%s", rest);
        free(rest);
        return unc;
    }
    return platform_utf8(wcsncmp(path, L"\\\\?\\", 4) == 0 ? path + 4 : path);
}

char *platform_real_path(const char *path)
{
    wchar_t *wide = platform_utf16(path);
    if (!wide)
        return NULL;
    /* Opening with no access still resolves every link on the way; backup
     * semantics lets the handle be a folder. */
    HANDLE h = CreateFileW(wide, 0, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL,
                           OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS, NULL);
    free(wide);
    if (h == INVALID_HANDLE_VALUE) {
        platform_set_errno(GetLastError());
        return NULL;
    }
    char *real = NULL;
    DWORD n = GetFinalPathNameByHandleW(h, NULL, 0, FILE_NAME_NORMALIZED | VOLUME_NAME_DOS);
    if (n > 0) {
        wchar_t *buffer = cim_xmalloc((size_t)(n + 1) * sizeof *buffer);
        DWORD written = GetFinalPathNameByHandleW(h, buffer, n + 1,
                                                  FILE_NAME_NORMALIZED | VOLUME_NAME_DOS);
        if (written > 0 && written <= n)
            real = strip_long_prefix(buffer);
        free(buffer);
    }
    if (!real)
        platform_set_errno(GetLastError());
    CloseHandle(h);
    return real;
}

char *platform_make_temp_dir(char *templ)
{
    static const char letters[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    size_t len = strlen(templ);
    if (len < 6 || strcmp(templ + len - 6, "XXXXXX") != 0) {
        errno = EINVAL;
        return NULL;
    }
    for (int attempt = 0; attempt < 100; attempt++) {
        unsigned char random[6];
        platform_random_bytes(random, sizeof random);
        for (size_t i = 0; i < 6; i++)
            templ[len - 6 + i] = letters[random[i] % (sizeof letters - 1)];
        if (platform_mkdir(templ, 0700) == 0)
            return templ;
        if (errno != EEXIST)
            return NULL;
    }
    errno = EEXIST;
    return NULL;
}

static bool vanished(DWORD code)
{
    return code == ERROR_FILE_NOT_FOUND || code == ERROR_PATH_NOT_FOUND;
}

/* Deletes one entry, clearing the read-only attribute that would stop
 * Windows (but not POSIX) from removing it. */
static bool remove_entry(const wchar_t *path, DWORD attributes)
{
    if (attributes & FILE_ATTRIBUTE_READONLY)
        SetFileAttributesW(path, attributes & ~(DWORD)FILE_ATTRIBUTE_READONLY);
    BOOL ok = (attributes & FILE_ATTRIBUTE_DIRECTORY) ? RemoveDirectoryW(path)
                                                      : DeleteFileW(path);
    if (ok || vanished(GetLastError()))
        return true;
    platform_set_errno(GetLastError());
    return false;
}

static bool is_dot_or_dotdot(const wchar_t *name)
{
    return wcscmp(name, L".") == 0 || wcscmp(name, L"..") == 0;
}

/* Removes everything inside folder, then folder; a reparse point (link,
 * junction) is removed itself, never entered. */
static bool remove_tree(const wchar_t *path, DWORD attributes)
{
    bool ok = true;
    if ((attributes & FILE_ATTRIBUTE_DIRECTORY) && !(attributes & FILE_ATTRIBUTE_REPARSE_POINT)) {
        size_t len = wcslen(path);
        wchar_t *pattern = cim_xmalloc((len + 3) * sizeof *pattern);
        swprintf(pattern, len + 3, L"%ls\\*", path);
        WIN32_FIND_DATAW found;
        HANDLE find = FindFirstFileW(pattern, &found);
        free(pattern);
        if (find == INVALID_HANDLE_VALUE && !vanished(GetLastError())) {
            platform_set_errno(GetLastError());
            return false;
        }
        while (ok && find != INVALID_HANDLE_VALUE) {
            if (!is_dot_or_dotdot(found.cFileName)) {
                size_t n = len + wcslen(found.cFileName) + 2;
                wchar_t *child = cim_xmalloc(n * sizeof *child);
                swprintf(child, n, L"%ls\\%ls", path, found.cFileName);
                ok = remove_tree(child, found.dwFileAttributes);
                free(child);
            }
            if (!FindNextFileW(find, &found))
                break;
        }
        if (find != INVALID_HANDLE_VALUE)
            FindClose(find);
    }
    return ok && remove_entry(path, attributes);
}

int platform_remove_tree(const char *path)
{
    wchar_t *wide = platform_utf16(path);
    if (!wide)
        return -1;
    DWORD attributes = GetFileAttributesW(wide);
    bool ok = attributes == INVALID_FILE_ATTRIBUTES ? vanished(GetLastError())
                                                    : remove_tree(wide, attributes);
    if (attributes == INVALID_FILE_ATTRIBUTES && !ok)
        platform_set_errno(GetLastError());
    free(wide);
    return ok ? 0 : -1;
}
