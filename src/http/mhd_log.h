/*
 * http/mhd_log.h - libmicrohttpd's own messages into the server log,
 * throttled (internal to src/http).  Under attack libmicrohttpd reports
 * every refused or cut connection; one line per message text per ten
 * seconds, with a count of the repeats, keeps the log readable and small.
 */
#ifndef SMSPROV_HTTP_MHD_LOG_H
#define SMSPROV_HTTP_MHD_LOG_H

#include <stdarg.h>

#include "config/log.h"

typedef struct http_mhd_log http_mhd_log;

http_mhd_log *http_mhd_log_new(smsprov_log *log);
/* Flushes the repeat counts still pending, then frees. */
void http_mhd_log_free(http_mhd_log *l);
/* The MHD_OPTION_EXTERNAL_LOGGER callback (cls is the http_mhd_log). */
void http_mhd_log_message(void *cls, const char *fmt, va_list ap);

#endif
