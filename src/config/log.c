/* log.c - the server log: CMTrace lines in a rolling file, plain lines on
 * stderr. */
#include "config/log.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <unistd.h>

#include "smsprov/cim.h"

struct smsprov_log {
    pthread_mutex_t lock;
    FILE *file;
    char *path;
    size_t size;        /* bytes in the current file */
    size_t max_bytes;
    bool to_stderr;
    atomic_int level;   /* read without the lock by smsprov_log_enabled */
    char *component;
};

static const char *const level_names[] = {"verbose", "info", "warning", "error"};

bool smsprov_log_level_parse(const char *name, smsprov_log_level *out)
{
    for (int i = 0; i < 4; i++) {
        if (name && cim_strcasecmp(name, level_names[i]) == 0) {
            *out = (smsprov_log_level)i;
            return true;
        }
    }
    return false;
}

const char *smsprov_log_level_name(smsprov_log_level level)
{
    return level >= SMSPROV_LOG_VERBOSE && level <= SMSPROV_LOG_ERROR ? level_names[level]
                                                                      : "info";
}

static FILE *open_append(const char *path, size_t *size)
{
    FILE *f = fopen(path, "ab");
    if (!f)
        return NULL;
    struct stat st;
    *size = fstat(fileno(f), &st) == 0 ? (size_t)st.st_size : 0;
    return f;
}

smsprov_code smsprov_log_open(const smsprov_log_options *options, smsprov_log **out,
                              smsprov_error *err)
{
    *out = NULL;
    smsprov_log *log = cim_xcalloc(1, sizeof *log);
    pthread_mutex_init(&log->lock, NULL);
    log->to_stderr = options->to_stderr;
    atomic_init(&log->level, (int)options->level);
    log->max_bytes = options->max_bytes;
    log->component = cim_xstrdup(options->component ? options->component : "SMS Provider");
    if (options->file) {
        log->path = cim_xstrdup(options->file);
        log->file = open_append(log->path, &log->size);
        if (!log->file) {
            int e = errno;
            smsprov_log_close(log);
            return smsprov_error_set(err, SMSPROV_E_ACCESS_DENIED,
                                     "The log file %s cannot be opened for writing (%s); "
                                     "check that its folder exists and is writable.",
                                     options->file, strerror(e));
        }
    }
    *out = log;
    return SMSPROV_OK;
}

void smsprov_log_close(smsprov_log *log)
{
    if (!log)
        return;
    if (log->file)
        fclose(log->file);
    pthread_mutex_destroy(&log->lock);
    free(log->path);
    free(log->component);
    free(log);
}

bool smsprov_log_enabled(const smsprov_log *log, smsprov_log_level level)
{
    return log && (int)level >= atomic_load_explicit(&log->level, memory_order_relaxed);
}

smsprov_code smsprov_log_reconfigure(smsprov_log *log, const smsprov_log_options *options,
                                     smsprov_error *err)
{
    FILE *file = NULL;
    size_t size = 0;
    if (options->file && !(file = open_append(options->file, &size)))
        return smsprov_error_set(err, SMSPROV_E_ACCESS_DENIED,
                                 "The log file %s cannot be opened for writing (%s); "
                                 "check that its folder exists and is writable.",
                                 options->file, strerror(errno));
    pthread_mutex_lock(&log->lock);
    FILE *old = log->file;
    free(log->path);
    log->path = options->file ? cim_xstrdup(options->file) : NULL;
    log->file = file;
    log->size = size;
    log->max_bytes = options->max_bytes;
    log->to_stderr = options->to_stderr;
    atomic_store(&log->level, (int)options->level);
    pthread_mutex_unlock(&log->lock);
    if (old)
        fclose(old);
    return SMSPROV_OK;
}

void smsprov_log_report(void *data, int severity, const char *file, int line,
                        const char *message)
{
    smsprov_log_level level = severity >= 3   ? SMSPROV_LOG_ERROR
                              : severity == 2 ? SMSPROV_LOG_WARNING
                                              : SMSPROV_LOG_INFO;
    smsprov_log_write(data, level, file, line, "%s", message);
}

/* SMSProv.log rolls over to SMSProv.lo_, replacing the previous one. */
static void roll_over(smsprov_log *log)
{
    fclose(log->file);
    size_t n = strlen(log->path);
    char *old = n > 4 && strcmp(log->path + n - 4, ".log") == 0
                    ? cim_xasprintf("%.*s.lo_", (int)(n - 4), log->path)
                    : cim_xasprintf("%s_", log->path);
    rename(log->path, old);
    free(old);
    log->file = open_append(log->path, &log->size);
}

static void write_file(smsprov_log *log, const char *line_text)
{
    size_t n = strlen(line_text);
    if (log->max_bytes && log->size > 0 && log->size + n > log->max_bytes)
        roll_over(log);
    if (!log->file)
        return;
    fwrite(line_text, 1, n, log->file);
    fflush(log->file);
    log->size += n;
}

void smsprov_log_write(smsprov_log *log, smsprov_log_level level, const char *file, int line,
                       const char *fmt, ...)
{
    if (!smsprov_log_enabled(log, level))
        return;
    cim_buf msg = {0};
    va_list ap;
    va_start(ap, fmt);
    char small[512];
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n >= (int)sizeof small) {
        msg.data = cim_xmalloc((size_t)n + 1);
        va_start(ap, fmt);
        vsnprintf(msg.data, (size_t)n + 1, fmt, ap);
        va_end(ap);
    } else {
        msg.data = cim_xstrdup(n >= 0 ? small : "");
    }
    char *safe = smsprov_log_escape(msg.data);
    free(msg.data);
    msg.data = safe;

    struct timeval tv;
    gettimeofday(&tv, NULL);
    struct tm local;
    localtime_r(&tv.tv_sec, &local);
    int millis = (int)(tv.tv_usec / 1000);
    long thread = (long)syscall(SYS_gettid);
    /* Formatted whether or not a file is open: a reload may open one
     * between here and the lock. */
    char *cmtrace = smsprov_log_cmtrace_line(msg.data, &local, millis, -local.tm_gmtoff / 60,
                                             log->component, level, thread, file, line);

    pthread_mutex_lock(&log->lock);
    if (log->file)
        write_file(log, cmtrace);
    if (log->to_stderr)
        fprintf(stderr, "%04d-%02d-%02d %02d:%02d:%02d.%03d %-7s %s\n", local.tm_year + 1900,
                local.tm_mon + 1, local.tm_mday, local.tm_hour, local.tm_min, local.tm_sec,
                millis, smsprov_log_level_name(level), msg.data);
    pthread_mutex_unlock(&log->lock);
    free(cmtrace);
    free(msg.data);
}
