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
    /* Most paths fit the first buffer: one query (each costs a trip to
     * Wine's server and mount manager, 0.2 ms or more); the answer otherwise says how much
     * room the path needs, NUL included. */
    char *real = NULL;
    const DWORD flags = FILE_NAME_NORMALIZED | VOLUME_NAME_DOS;
    wchar_t first[MAX_PATH + 1];
    DWORD n = GetFinalPathNameByHandleW(h, first, MAX_PATH + 1, flags);
    if (n > 0 && n <= MAX_PATH) {
        real = strip_long_prefix(first);
    } else if (n > MAX_PATH) {
        wchar_t *buffer = cim_xmalloc((size_t)n * sizeof *buffer);
        DWORD written = GetFinalPathNameByHandleW(h, buffer, n, flags);
        if (written > 0 && written < n)
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

/* ---- file facts, listings, reads ------------------------------------------ */

/* FILETIME (100 ns since 1601) as seconds and nanoseconds since 1970. */
static void unix_time(LARGE_INTEGER t, int64_t *sec, long *nsec)
{
    int64_t since_1970 = t.QuadPart - 116444736000000000LL;
    *sec = since_1970 / 10000000;
    *nsec = (long)(since_1970 % 10000000) * 100;
    if (*nsec < 0) {
        *nsec += 1000000000L;
        (*sec)--;
    }
}

static int file_info(const char *path, DWORD flags, platform_file_info *out)
{
    wchar_t *wide = platform_utf16(path);
    if (!wide)
        return -1;
    /* Backup semantics open folders too; no access right is needed to
     * read the attributes. */
    HANDLE h = CreateFileW(wide, FILE_READ_ATTRIBUTES,
                           FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL,
                           OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS | flags, NULL);
    free(wide);
    if (h == INVALID_HANDLE_VALUE) {
        platform_set_errno(GetLastError());
        return -1;
    }
    BY_HANDLE_FILE_INFORMATION bh;
    FILE_BASIC_INFO basic;
    BOOL ok = GetFileInformationByHandle(h, &bh) &&
              GetFileInformationByHandleEx(h, FileBasicInfo, &basic, sizeof basic);
    DWORD code = GetLastError();
    CloseHandle(h);
    if (!ok) {
        platform_set_errno(code);
        return -1;
    }
    memset(out, 0, sizeof *out);
    out->size = (uint64_t)bh.nFileSizeHigh << 32 | bh.nFileSizeLow;
    unix_time(basic.LastWriteTime, &out->mtime_sec, &out->mtime_nsec);
    unix_time(basic.ChangeTime, &out->ctime_sec, &out->ctime_nsec);
    out->device = bh.dwVolumeSerialNumber;
    out->inode = (uint64_t)bh.nFileIndexHigh << 32 | bh.nFileIndexLow;
    out->is_link = (bh.dwFileAttributes & FILE_ATTRIBUTE_REPARSE_POINT) != 0;
    out->is_dir = (bh.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) != 0 && !out->is_link;
    out->is_regular = !out->is_dir && !out->is_link;
    return 0;
}

int platform_file_info_get(const char *path, platform_file_info *out)
{
    return file_info(path, 0, out);
}

/* GetFileAttributesExW describes a reparse point itself, not its target. */
static int file_kind(const char *path, bool follow, platform_file_info *out)
{
    wchar_t *wide = platform_utf16(path);
    if (!wide)
        return -1;
    WIN32_FILE_ATTRIBUTE_DATA data;
    BOOL ok = GetFileAttributesExW(wide, GetFileExInfoStandard, &data);
    DWORD code = GetLastError();
    free(wide);
    if (!ok) {
        platform_set_errno(code);
        return -1;
    }
    bool link = (data.dwFileAttributes & FILE_ATTRIBUTE_REPARSE_POINT) != 0;
    if (link && follow)
        return platform_file_info_get(path, out);
    memset(out, 0, sizeof *out);
    out->size = (uint64_t)data.nFileSizeHigh << 32 | data.nFileSizeLow;
    LARGE_INTEGER written;
    written.LowPart = data.ftLastWriteTime.dwLowDateTime;
    written.HighPart = (LONG)data.ftLastWriteTime.dwHighDateTime;
    unix_time(written, &out->mtime_sec, &out->mtime_nsec);
    out->is_link = link;
    out->is_dir = (data.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) != 0 && !link;
    out->is_regular = !out->is_dir && !link;
    return 0;
}

int platform_file_kind(const char *path, platform_file_info *out)
{
    return file_kind(path, true, out);
}

int platform_file_kind_nofollow(const char *path, platform_file_info *out)
{
    return file_kind(path, false, out);
}

int platform_file_info_nofollow(const char *path, platform_file_info *out)
{
    return file_info(path, FILE_FLAG_OPEN_REPARSE_POINT, out);
}

int platform_probe_readable(const char *path, bool *is_dir)
{
    wchar_t *wide = platform_utf16(path);
    if (!wide)
        return -1;
    HANDLE h = CreateFileW(wide, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                           NULL, OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS, NULL);
    DWORD attributes = GetFileAttributesW(wide);
    free(wide);
    if (h == INVALID_HANDLE_VALUE) {
        platform_set_errno(GetLastError());
        return -1;
    }
    CloseHandle(h);
    *is_dir = attributes != INVALID_FILE_ATTRIBUTES && (attributes & FILE_ATTRIBUTE_DIRECTORY);
    return 0;
}

int platform_sync_dir(const char *dir)
{
    /* MoveFileEx with MOVEFILE_WRITE_THROUGH (platform_replace_file) has
     * flushed the rename; a folder handle cannot be flushed on Windows. */
    wchar_t *wide = platform_utf16(dir);
    if (!wide)
        return -1;
    DWORD attributes = GetFileAttributesW(wide);
    free(wide);
    if (attributes == INVALID_FILE_ATTRIBUTES) {
        platform_set_errno(GetLastError());
        return -1;
    }
    return 0;
}

int platform_free_bytes(const char *path, uint64_t *out)
{
    wchar_t *wide = platform_utf16(path);
    if (!wide)
        return -1;
    ULARGE_INTEGER available;
    BOOL ok = GetDiskFreeSpaceExW(wide, &available, NULL, NULL);
    if (!ok)
        platform_set_errno(GetLastError());
    free(wide);
    if (ok)
        *out = available.QuadPart;
    return ok ? 0 : -1;
}

int platform_list_dir(const char *dir, char ***names)
{
    *names = NULL;
    char *pattern = cim_xasprintf("%s\\*", dir);
    wchar_t *wide = platform_utf16(pattern);
    free(pattern);
    if (!wide)
        return -1;
    WIN32_FIND_DATAW found;
    HANDLE h = FindFirstFileW(wide, &found);
    free(wide);
    if (h == INVALID_HANDLE_VALUE) {
        DWORD code = GetLastError();
        if (code != ERROR_FILE_NOT_FOUND) {
            platform_set_errno(code == ERROR_DIRECTORY ? ERROR_PATH_NOT_FOUND : code);
            return -1;
        }
        *names = cim_xcalloc(1, sizeof **names); /* an empty folder */
        return 0;
    }
    size_t count = 0, cap = 16;
    char **list = cim_xcalloc(cap, sizeof *list);
    do {
        if (is_dot_or_dotdot(found.cFileName))
            continue;
        if (count + 1 == cap) {
            cap *= 2;
            list = cim_xrealloc(list, cap * sizeof *list);
        }
        list[count++] = platform_utf8(found.cFileName);
    } while (FindNextFileW(h, &found));
    FindClose(h);
    list[count] = NULL;
    *names = list;
    return 0;
}

int platform_unlink(const char *path)
{
    wchar_t *wide = platform_utf16(path);
    if (!wide)
        return -1;
    BOOL ok = DeleteFileW(wide);
    if (!ok)
        platform_set_errno(GetLastError());
    free(wide);
    return ok ? 0 : -1;
}

int platform_open_read(const char *path)
{
    wchar_t *wide = platform_utf16(path);
    if (!wide)
        return -1;
    int fd = _wopen(wide, _O_RDONLY | _O_BINARY | _O_NOINHERIT);
    free(wide);
    return fd;
}

long long platform_read_at(int fd, void *buf, size_t size, uint64_t offset)
{
    HANDLE h = (HANDLE)_get_osfhandle(fd);
    if (h == INVALID_HANDLE_VALUE) {
        errno = EBADF;
        return -1;
    }
    OVERLAPPED at = {0};
    at.Offset = (DWORD)offset;
    at.OffsetHigh = (DWORD)(offset >> 32);
    DWORD got = 0;
    DWORD n = size > 0x40000000u ? 0x40000000u : (DWORD)size;
    if (!ReadFile(h, buf, n, &got, &at)) {
        DWORD code = GetLastError();
        if (code == ERROR_HANDLE_EOF)
            return 0;
        platform_set_errno(code);
        return -1;
    }
    return got;
}

FILE *platform_fopen(const char *path, const char *mode)
{
    wchar_t *wide = platform_utf16(path);
    wchar_t *wide_mode = wide ? platform_utf16(mode) : NULL;
    FILE *f = wide_mode ? _wfopen(wide, wide_mode) : NULL;
    free(wide);
    free(wide_mode);
    return f;
}
