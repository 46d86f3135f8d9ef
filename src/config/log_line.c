/* log_line.c - one CMTrace record: the message escaped and the fields
 * CMTrace reads.  Apart from the log file (log.c) because smsprov.dll,
 * which has no server settings, writes its SMSProv.log with these same
 * lines (src/wmi/job_log.c). */
#include <string.h>

#include "config/log.h"
#include "smsprov/cim.h"

static const char *base_name(const char *path)
{
    const char *slash = path ? strrchr(path, '/') : NULL;
    return slash ? slash + 1 : (path ? path : "");
}

/* Messages carry text a client chose (user names, URLs, header values):
 * a CR or LF in it would start a forged line, and other control characters
 * can drive a terminal.  Escaping here, where every line passes, keeps each
 * call site from having to remember it. */
char *smsprov_log_escape(const char *text)
{
    cim_buf b = {0};
    cim_buf_append(&b, "");
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        if (*p == '\r')
            cim_buf_append(&b, "\\r");
        else if (*p == '\n')
            cim_buf_append(&b, "\\n");
        else if (*p == '\t')
            cim_buf_append(&b, "\\t");
        else if (*p < 0x20 || *p == 0x7F)
            cim_buf_printf(&b, "\\x%02X", *p);
        else
            cim_buf_append_n(&b, (const char *)p, 1);
    }
    return cim_buf_take(&b);
}

/* "]LOG]!>" inside a message would end the CMTrace record early. */
static void append_message(cim_buf *b, const char *message)
{
    for (const char *p = message; *p; p++) {
        if (strncmp(p, "]LOG]", 5) == 0) {
            cim_buf_append(b, "]LOG)");
            p += 4;
        } else {
            cim_buf_append_n(b, p, 1);
        }
    }
}

char *smsprov_log_cmtrace_line(const char *message, const struct tm *local, int millis,
                               long bias_minutes, const char *component,
                               smsprov_log_level level, long thread, const char *file,
                               int line)
{
    int type = level >= SMSPROV_LOG_ERROR ? 3 : level == SMSPROV_LOG_WARNING ? 2 : 1;
    cim_buf b = {0};
    cim_buf_append(&b, "<![LOG[");
    append_message(&b, message);
    cim_buf_printf(&b,
                   "]LOG]!><time=\"%02d:%02d:%02d.%03d%+04ld\" date=\"%02d-%02d-%04d\" "
                   "component=\"%s\" context=\"\" type=\"%d\" thread=\"%ld\" file=\"%s:%d\">\r\n",
                   local->tm_hour, local->tm_min, local->tm_sec, millis, bias_minutes,
                   local->tm_mon + 1, local->tm_mday, local->tm_year + 1900, component, type,
                   thread, base_name(file), line);
    return cim_buf_take(&b);
}
