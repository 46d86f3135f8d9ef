/*
 * config/log.h - the server's log: stderr for a person at a terminal, and a
 * file in the format CMTrace reads, because ConfigMgr administrators read
 * SMSProv.log with CMTrace:
 *
 *   <![LOG[message]LOG]!><time="14:03:07.123+000" date="01-31-2024"
 *     component="SMS Provider" context="" type="1" thread="4242" file="get.c:57">
 *
 * type is 1 (information), 2 (warning) or 3 (error); time carries the bias
 * in minutes (UTC = local + bias), as Windows writes it.  Past max_bytes the
 * file rolls over to <name>.lo_, as ConfigMgr's logs do.
 *
 * Every function accepts a NULL log and then does nothing, so libraries log
 * through an optional pointer.  Writing is thread-safe.
 */
#ifndef SMSPROV_CONFIG_LOG_H
#define SMSPROV_CONFIG_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "smsprov/error.h"

typedef enum smsprov_log_level {
    SMSPROV_LOG_VERBOSE = 0,
    SMSPROV_LOG_INFO = 1,
    SMSPROV_LOG_WARNING = 2,
    SMSPROV_LOG_ERROR = 3,
} smsprov_log_level;

/* "error", "warning", "info", "verbose" (any case); false for others. */
bool smsprov_log_level_parse(const char *name, smsprov_log_level *out);
const char *smsprov_log_level_name(smsprov_log_level level);

typedef struct smsprov_log smsprov_log;

typedef struct smsprov_log_options {
    const char *file;         /* NULL: no file */
    bool to_stderr;
    smsprov_log_level level;  /* lines below it are dropped */
    size_t max_bytes;         /* 0: never roll over */
    const char *component;    /* NULL: "SMS Provider" */
} smsprov_log_options;

/* Opens (appending to) the log file.  SMSPROV_E_ACCESS_DENIED with a
 * sentence naming the file when it cannot be opened. */
smsprov_code smsprov_log_open(const smsprov_log_options *options, smsprov_log **out,
                              smsprov_error *err);
void smsprov_log_close(smsprov_log *log);

/* Puts new options in force (the configuration reload): opens options->file
 * (which may be the file already open, reopened after a rotation) before
 * closing the old one, then takes the level, size bound and stderr flag.
 * The component stays.  Lines being written go wholly to the old file or
 * wholly to the new.  SMSPROV_E_ACCESS_DENIED naming the file when it cannot
 * be opened; the log is then unchanged. */
smsprov_code smsprov_log_reconfigure(smsprov_log *log, const smsprov_log_options *options,
                                     smsprov_error *err);

bool smsprov_log_enabled(const smsprov_log *log, smsprov_log_level level);
void smsprov_log_write(smsprov_log *log, smsprov_log_level level, const char *file, int line,
                       const char *fmt, ...)
    SMSPROV_PRINTF(5, 6)
    ;

#define SMSPROV_LOG(log, level, ...) \
    smsprov_log_write((log), (level), __FILE__, __LINE__, __VA_ARGS__)

/* An smsprov_log_fn (smsprov/provider.h) writing to the smsprov_log data:
 * severity 1, 2 and 3 are SMSPROV_LOG_INFO, _WARNING and _ERROR. */
void smsprov_log_report(void *data, int severity, const char *file, int line,
                        const char *message);

/* text with every control character escaped: CR, LF and tab as \r \n \t,
 * the others (and DEL) as \xNN.  smsprov_log_write applies it to every
 * message, so text a client controls can never start a line of its own.
 * Caller frees. */
char *smsprov_log_escape(const char *text);

/* The CMTrace line for one message (with its trailing "\r\n"); exposed for
 * tests.  local is the local time, bias_minutes UTC minus local time.
 * Caller frees. */
char *smsprov_log_cmtrace_line(const char *message, const struct tm *local, int millis,
                               long bias_minutes, const char *component,
                               smsprov_log_level level, long thread, const char *file,
                               int line);

#endif
