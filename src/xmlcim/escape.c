/* escape.c - XML text escaping. */
#include "xmlcim/xmlcim.h"

#include <string.h>

/* Length of the valid UTF-8 sequence at s (at most n bytes), 0 if invalid:
 * a message cut with %.100s may end in half a character. */
static size_t utf8_length(const unsigned char *s, size_t n)
{
    size_t len = s[0] >= 0xF0 ? 4 : s[0] >= 0xE0 ? 3 : s[0] >= 0xC2 ? 2 : 0;
    if (len == 0 || s[0] > 0xF4 || len > n)
        return 0;
    for (size_t i = 1; i < len; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    if ((s[0] == 0xE0 && s[1] < 0xA0) || (s[0] == 0xED && s[1] >= 0xA0) ||
        (s[0] == 0xF0 && s[1] < 0x90) || (s[0] == 0xF4 && s[1] >= 0x90))
        return 0; /* overlong, surrogate, or past U+10FFFF */
    return len;
}

void xmlcim_escape_n(cim_buf *b, const char *text, size_t len)
{
    size_t start = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)text[i];
        const char *rep = NULL;
        if (c >= 0x80) {
            size_t n = utf8_length((const unsigned char *)text + i, len - i);
            if (n) {
                i += n - 1;
                continue;
            }
            rep = "\xEF\xBF\xBD"; /* U+FFFD for a byte that is not UTF-8 */
        }
        switch (c) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        case '\'': rep = "&apos;"; break;
        case '\t': case '\n': break;
        case '\r': rep = "&#13;"; break; /* a bare CR would be normalised away */
        default:
            if (c < 0x20)
                rep = " ";
        }
        if (!rep)
            continue;
        cim_buf_append_n(b, text + start, i - start);
        cim_buf_append(b, rep);
        start = i + 1;
    }
    cim_buf_append_n(b, text + start, len - start);
}

void xmlcim_escape(cim_buf *b, const char *text)
{
    if (text)
        xmlcim_escape_n(b, text, strlen(text));
}
