/* multipart.c - MS-WSMV 2.2.9.1 framing of encrypted messages: parsed by
 * structure (boundary, part headers, length field, exactly the announced
 * bytes, closing boundary), never by searching the ciphertext. */
#include "http/multipart.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define BOUNDARY "--Encrypted Boundary"
#define MAX_SIGNATURE 1024u /* NTLM: 16 bytes, Kerberos AES: 60 */

static bool starts_with_nocase(const char *s, size_t len, const char *prefix)
{
    size_t n = strlen(prefix);
    return len >= n && strncasecmp(s, prefix, n) == 0;
}

http_encryption http_multipart_protocol(const char *content_type)
{
    if (!content_type)
        return HTTP_ENCRYPTION_NONE;
    while (*content_type == ' ')
        content_type++;
    if (!starts_with_nocase(content_type, strlen(content_type), "multipart/encrypted"))
        return HTTP_ENCRYPTION_NONE;
    const char *p = content_type;
    while (*p && strncasecmp(p, "protocol", 8) != 0)
        p++;
    if (!*p)
        return HTTP_ENCRYPTION_NONE;
    p += 8;
    while (*p == ' ' || *p == '=' || *p == '"')
        p++;
    size_t n = strlen(p);
    if (starts_with_nocase(p, n, HTTP_SPNEGO_ENCRYPTED))
        return HTTP_ENCRYPTION_SPNEGO;
    if (starts_with_nocase(p, n, HTTP_KERBEROS_ENCRYPTED))
        return HTTP_ENCRYPTION_KERBEROS;
    return HTTP_ENCRYPTION_NONE;
}

const char *http_multipart_content_type(http_encryption protocol)
{
    return protocol == HTTP_ENCRYPTION_KERBEROS
               ? "multipart/encrypted;protocol=\"" HTTP_KERBEROS_ENCRYPTED
                 "\";boundary=\"Encrypted Boundary\""
               : "multipart/encrypted;protocol=\"" HTTP_SPNEGO_ENCRYPTED
                 "\";boundary=\"Encrypted Boundary\"";
}

/* A text line of the part headers. */
typedef struct line {
    const char *text; /* leading tabs and spaces skipped */
    size_t len;       /* without the CRLF */
} line;

/* The next CRLF-ended line from *p; false when none ends before end. */
static bool next_line(const char **p, const char *end, line *out)
{
    const char *s = *p;
    while (s < end && (*s == '\t' || *s == ' '))
        s++;
    const char *crlf = NULL;
    for (const char *q = s; q + 1 < end; q++)
        if (q[0] == '\r' && q[1] == '\n') {
            crlf = q;
            break;
        }
    if (!crlf)
        return false;
    out->text = s;
    out->len = (size_t)(crlf - s);
    *p = crlf + 2;
    return true;
}

static bool line_is(const line *l, const char *text)
{
    return l->len == strlen(text) && strncasecmp(l->text, text, l->len) == 0;
}

/* The value after "Name:" with leading spaces skipped, or NULL. */
static const char *header_value(const line *l, const char *name, size_t *len)
{
    size_t n = strlen(name);
    if (l->len <= n || strncasecmp(l->text, name, n) != 0 || l->text[n] != ':')
        return NULL;
    const char *v = l->text + n + 1;
    while (v < l->text + l->len && *v == ' ')
        v++;
    *len = (size_t)(l->text + l->len - v);
    return v;
}

/* `type=application/soap+xml;charset=UTF-8;Length=123` */
static bool parse_original_content(const char *v, size_t len, http_encrypted_part *out)
{
    bool have_length = false;
    const char *end = v + len;
    while (v < end) {
        const char *semi = memchr(v, ';', (size_t)(end - v));
        const char *stop = semi ? semi : end;
        while (v < stop && *v == ' ')
            v++;
        size_t n = (size_t)(stop - v);
        if (starts_with_nocase(v, n, "charset=")) {
            size_t c = n - 8 < sizeof out->charset - 1 ? n - 8 : sizeof out->charset - 1;
            memcpy(out->charset, v + 8, c);
            out->charset[c] = '\0';
        } else if (starts_with_nocase(v, n, "length=")) {
            size_t value = 0;
            const char *d = v + 7;
            if (d == stop)
                return false;
            for (; d < stop; d++) {
                if (*d < '0' || *d > '9' || value > SIZE_MAX / 10 - 10)
                    return false;
                value = value * 10 + (size_t)(*d - '0');
            }
            out->original_length = value;
            have_length = true;
        }
        v = semi ? semi + 1 : end;
    }
    return have_length;
}

/* The first part's headers, up to the second boundary line. */
static bool parse_first_part(const char **p, const char *end, http_encrypted_part *out,
                             const char **why)
{
    line l;
    bool have_original = false;
    for (;;) {
        if (!next_line(p, end, &l)) {
            *why = "the encrypted message ends inside its first part";
            return false;
        }
        if (line_is(&l, BOUNDARY))
            break;
        size_t n;
        const char *v = header_value(&l, "Content-Type", &n);
        if (v) {
            if (n == strlen(HTTP_SPNEGO_ENCRYPTED) && !strncasecmp(v, HTTP_SPNEGO_ENCRYPTED, n))
                out->protocol = HTTP_ENCRYPTION_SPNEGO;
            else if (n == strlen(HTTP_KERBEROS_ENCRYPTED) &&
                     !strncasecmp(v, HTTP_KERBEROS_ENCRYPTED, n))
                out->protocol = HTTP_ENCRYPTION_KERBEROS;
            else {
                *why = "the first part's Content-Type is not a session-encryption protocol";
                return false;
            }
        } else if ((v = header_value(&l, "OriginalContent", &n))) {
            if (!parse_original_content(v, n, out)) {
                *why = "the OriginalContent header has no valid Length";
                return false;
            }
            have_original = true;
        }
    }
    if (out->protocol == HTTP_ENCRYPTION_NONE || !have_original) {
        *why = "the first part lacks its Content-Type or OriginalContent header";
        return false;
    }
    return true;
}

bool http_multipart_parse(const char *body, size_t len, http_encrypted_part *out,
                          const char **why)
{
    memset(out, 0, sizeof *out);
    const char *p = body, *end = body + len;
    line l;
    if (!next_line(&p, end, &l) || !line_is(&l, BOUNDARY)) {
        *why = "the body does not start with the Encrypted Boundary";
        return false;
    }
    if (!parse_first_part(&p, end, out, why))
        return false;
    size_t n;
    const char *v;
    if (!next_line(&p, end, &l) || !(v = header_value(&l, "Content-Type", &n)) ||
        n != 24 || strncasecmp(v, "application/octet-stream", 24) != 0) {
        *why = "the second part is not application/octet-stream";
        return false;
    }
    if ((size_t)(end - p) < 4) {
        *why = "the encrypted part has no signature length";
        return false;
    }
    const unsigned char *u = (const unsigned char *)p;
    uint32_t sig = (uint32_t)u[0] | (uint32_t)u[1] << 8 | (uint32_t)u[2] << 16 |
                   (uint32_t)u[3] << 24;
    p += 4;
    size_t left = (size_t)(end - p);
    if (sig == 0 || sig > MAX_SIGNATURE || sig > left || out->original_length > left - sig) {
        *why = "the signature or ciphertext length does not fit the body";
        return false;
    }
    out->signature = (const unsigned char *)p;
    out->signature_length = sig;
    out->data = (const unsigned char *)p + sig;
    p += sig + out->original_length;
    if ((size_t)(end - p) >= 2 && p[0] == '\r' && p[1] == '\n')
        p += 2; /* tolerated before the closing boundary */
    size_t closing = strlen(BOUNDARY "--");
    if ((size_t)(end - p) < closing || memcmp(p, BOUNDARY "--", closing) != 0) {
        *why = "the ciphertext is not followed by the closing Encrypted Boundary";
        return false;
    }
    p += closing;
    while (p < end && (*p == '\r' || *p == '\n'))
        p++;
    if (p != end) {
        *why = "bytes follow the closing Encrypted Boundary";
        return false;
    }
    return true;
}

void http_multipart_build(cim_buf *out, http_encryption protocol, size_t original_length,
                          const void *signature, size_t signature_length, const void *data,
                          size_t data_length)
{
    cim_buf_printf(out,
                   BOUNDARY "\r\n\tContent-Type: %s\r\n\tOriginalContent: "
                            "type=application/soap+xml;charset=UTF-8;Length=%zu\r\n" BOUNDARY
                            "\r\n\tContent-Type: application/octet-stream\r\n",
                   protocol == HTTP_ENCRYPTION_KERBEROS ? HTTP_KERBEROS_ENCRYPTED
                                                        : HTTP_SPNEGO_ENCRYPTED,
                   original_length);
    unsigned char le[4] = {(unsigned char)signature_length,
                           (unsigned char)(signature_length >> 8),
                           (unsigned char)(signature_length >> 16),
                           (unsigned char)(signature_length >> 24)};
    cim_buf_append_n(out, (const char *)le, 4);
    cim_buf_append_n(out, signature, signature_length);
    cim_buf_append_n(out, data, data_length);
    cim_buf_append(out, BOUNDARY "--\r\n");
}
