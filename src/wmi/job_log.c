/* job_log.c - the site's SMSProv.log as smsprov.dll writes it: the job
 * reports of src/jobs (every job's start, end and failure, and the jobs
 * marked failed because their host process died), in the CMTrace lines
 * smsprovd writes (config/log_line.c), so an administrator reads the same
 * log whichever host ran a job.
 *
 * WMI gives the provider no settings of its own, so the file is the site
 * key's LogFile, else SMSProv.log in the folder of the site database; past
 * LogMaxSizeKB it rolls over to SMSProv.lo_, as ConfigMgr's logs do.  The
 * file is opened for appending with every sharing mode, so CMTrace (or a
 * second host process on the same site) can read and write it meanwhile. */
#include <stdlib.h>
#include <string.h>

#include "config/log.h"
#include "wmi/wmi.h"

struct wmi_job_log {
    SRWLOCK lock;        /* reports come from worker threads */
    HANDLE file;         /* INVALID_HANDLE_VALUE after a failed roll-over */
    wchar_t *path;
    unsigned long long size, max_bytes;
};

static HANDLE open_append(const wchar_t *path, unsigned long long *size)
{
    HANDLE h = CreateFileW(path, FILE_APPEND_DATA,
                           FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL,
                           OPEN_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
    LARGE_INTEGER n = {0};
    if (h != INVALID_HANDLE_VALUE && GetFileSizeEx(h, &n))
        *size = (unsigned long long)n.QuadPart;
    return h;
}

smsprov_code wmi_job_log_open(const char *path, unsigned long long max_bytes,
                              wmi_job_log **out, smsprov_error *err)
{
    *out = NULL;
    wmi_job_log *log = cim_xcalloc(1, sizeof *log);
    InitializeSRWLock(&log->lock);
    log->path = wmi_wide(path);
    log->max_bytes = max_bytes;
    log->file = open_append(log->path, &log->size);
    if (log->file == INVALID_HANDLE_VALUE) {
        DWORD why = GetLastError();
        wmi_job_log_close(log);
        return smsprov_error_set(err, SMSPROV_E_ACCESS_DENIED,
                                 "The site's log %s cannot be opened for appending (Windows "
                                 "error %lu); set LogFile in the site's registry key to a file "
                                 "the WMI host's account may write.",
                                 path, (unsigned long)why);
    }
    *out = log;
    return SMSPROV_OK;
}

void wmi_job_log_close(wmi_job_log *log)
{
    if (!log)
        return;
    if (log->file != INVALID_HANDLE_VALUE && log->file)
        CloseHandle(log->file);
    free(log->path);
    free(log);
}

/* SMSProv.log -> SMSProv.lo_, replacing the previous one. */
static void roll_over(wmi_job_log *log)
{
    CloseHandle(log->file);
    size_t n = wcslen(log->path);
    wchar_t *old = cim_xcalloc(n + 2, sizeof(wchar_t));
    wcscpy(old, log->path);
    if (n > 4 && _wcsicmp(old + n - 4, L".log") == 0)
        old[n - 1] = L'_';
    else
        wcscat(old, L"_");
    MoveFileExW(log->path, old, MOVEFILE_REPLACE_EXISTING);
    free(old);
    log->size = 0;
    log->file = open_append(log->path, &log->size);
}

/* Minutes to add to local time to get UTC, daylight saving included. */
static long utc_bias(void)
{
    TIME_ZONE_INFORMATION tz;
    DWORD which = GetTimeZoneInformation(&tz);
    long bias = tz.Bias;
    if (which == TIME_ZONE_ID_DAYLIGHT)
        bias += tz.DaylightBias;
    else if (which == TIME_ZONE_ID_STANDARD)
        bias += tz.StandardBias;
    return bias;
}

void wmi_job_log_report(void *data, int severity, const char *file, int line,
                        const char *message)
{
    wmi_job_log *log = data;
    if (!log)
        return;
    smsprov_log_level level = severity >= 3   ? SMSPROV_LOG_ERROR
                              : severity == 2 ? SMSPROV_LOG_WARNING
                                              : SMSPROV_LOG_INFO;
    SYSTEMTIME now;
    GetLocalTime(&now);
    struct tm local = {.tm_year = now.wYear - 1900, .tm_mon = now.wMonth - 1,
                       .tm_mday = now.wDay, .tm_hour = now.wHour, .tm_min = now.wMinute,
                       .tm_sec = now.wSecond};
    char *safe = smsprov_log_escape(message ? message : "");
    char *text = smsprov_log_cmtrace_line(safe, &local, now.wMilliseconds, utc_bias(),
                                          "SMS Provider", level, (long)GetCurrentThreadId(),
                                          file, line);
    free(safe);
    DWORD n = (DWORD)strlen(text);
    AcquireSRWLockExclusive(&log->lock);
    if (log->max_bytes && log->size > 0 && log->size + n > log->max_bytes)
        roll_over(log);
    DWORD written = 0;
    if (log->file != INVALID_HANDLE_VALUE && WriteFile(log->file, text, n, &written, NULL))
        log->size += written;
    ReleaseSRWLockExclusive(&log->lock);
    free(text);
}
