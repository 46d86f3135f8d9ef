/*
 * jobs/runner_lock_windows.c - a runner's lock file, held as an open
 * handle that shares nothing.
 *
 * While the handle is open nobody else can open the file; Windows closes
 * it when the process ends, however it ends, and the file goes with it
 * (delete on close).  Creating the file with share mode 0 holds it from
 * its first moment, so unlike on POSIX no private draft name is needed.
 * A probe that can open the file (share mode 0 again) proves its owner
 * gone.
 */
#include <windows.h>
#include <stdlib.h>

#include "jobs/jobs_internal.h"
#include "platform/win32.h"

smsprov_code jobs_lock_take(const char *lock_dir, const char *runner, const char *path,
                            intptr_t *out, smsprov_error *err)
{
    (void)lock_dir;
    (void)runner;
    *out = JOBS_NO_LOCK;
    wchar_t *wide = platform_utf16(path);
    HANDLE h = wide ? CreateFileW(wide, GENERIC_READ | GENERIC_WRITE | DELETE, 0, NULL,
                                  CREATE_NEW, FILE_ATTRIBUTE_NORMAL | FILE_FLAG_DELETE_ON_CLOSE,
                                  NULL)
                    : INVALID_HANDLE_VALUE;
    DWORD code = wide ? GetLastError() : ERROR_INVALID_NAME;
    free(wide);
    if (h == INVALID_HANDLE_VALUE) {
        char *reason = platform_win32_message(code);
        smsprov_code rc = smsprov_error_set(err, SMSPROV_E_FAILED,
                                            "The job runner lock %s cannot be taken: %s.", path,
                                            reason);
        free(reason);
        return rc;
    }
    *out = (intptr_t)h;
    return SMSPROV_OK;
}

void jobs_lock_release(intptr_t lock, const char *path)
{
    (void)path; /* closing the last handle deletes the file */
    CloseHandle((HANDLE)lock);
}

bool jobs_lock_is_free(const char *path)
{
    wchar_t *wide = platform_utf16(path);
    if (!wide)
        return true; /* no such file can exist */
    HANDLE h = CreateFileW(wide, GENERIC_READ, 0, NULL, OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL,
                           NULL);
    DWORD code = GetLastError();
    free(wide);
    if (h == INVALID_HANDLE_VALUE)
        return code == ERROR_FILE_NOT_FOUND || code == ERROR_PATH_NOT_FOUND;
    CloseHandle(h);
    return true;
}
