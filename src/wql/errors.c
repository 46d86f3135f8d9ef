/* errors.c - query errors that say where: positions are 1-based and count
 * characters, not bytes, so they match what the user sees in the query. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "wql/wql_internal.h"

size_t wql_char_position(const char *text, size_t pos)
{
    size_t chars = 0;
    for (size_t i = 0; i < pos && text[i]; i++)
        if (((unsigned char)text[i] & 0xC0) != 0x80) /* not a UTF-8 continuation byte */
            chars++;
    return chars + 1;
}

smsprov_code wql_error_at(smsprov_error *err, const char *text, size_t pos, const char *tail,
                          const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cim_buf what = {0};
    char small[512];
    vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    cim_buf_append(&what, small);
    cim_buf_printf(&what, " at position %zu%s", wql_char_position(text, pos), tail ? tail : "");
    char *message = cim_buf_take(&what);
    smsprov_error_set(err, SMSPROV_E_INVALID_QUERY, "%s", message);
    free(message);
    return SMSPROV_E_INVALID_QUERY;
}
