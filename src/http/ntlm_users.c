/* ntlm_users.c - lines of gss-ntlmssp's NTLM user file in smbpasswd form,
 * which carry the NT hash instead of the password: gss-ntlmssp then never
 * hashes a password itself (with plain DOMAIN:user:password lines, its
 * 1.2.0 release leaks about 7 KiB of OpenSSL state per login). */
#include "http/http.h"

#include <nettle/md4.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "smsprov/cim.h"

/* UTF-8 to UTF-16LE, as Windows hashes passwords; false for invalid UTF-8. */
static bool utf16le(const char *s, cim_buf *out)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        uint32_t c;
        int extra;
        if (*p < 0x80)
            c = *p, extra = 0;
        else if ((*p & 0xe0) == 0xc0)
            c = *p & 0x1f, extra = 1;
        else if ((*p & 0xf0) == 0xe0)
            c = *p & 0x0f, extra = 2;
        else if ((*p & 0xf8) == 0xf0)
            c = *p & 0x07, extra = 3;
        else
            return false;
        p++;
        for (int i = 0; i < extra; i++, p++) {
            if ((*p & 0xc0) != 0x80)
                return false;
            c = c << 6 | (*p & 0x3f);
        }
        if (c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
            return false;
        if (c >= 0x10000) {
            c -= 0x10000;
            uint16_t hi = (uint16_t)(0xd800 | (c >> 10)), lo = (uint16_t)(0xdc00 | (c & 0x3ff));
            char u[4] = {(char)(hi & 0xff), (char)(hi >> 8), (char)(lo & 0xff), (char)(lo >> 8)};
            cim_buf_append_n(out, u, 4);
        } else {
            char u[2] = {(char)(c & 0xff), (char)(c >> 8)};
            cim_buf_append_n(out, u, 2);
        }
    }
    return true;
}

smsprov_code http_ntlm_user_line(const char *name, const char *password, char **out,
                                 smsprov_error *err)
{
    *out = NULL;
    cim_buf wide = {0};
    if (!utf16le(password, &wide)) {
        cim_buf_clear(&wide);
        return smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER,
                                 "The password is not valid UTF-8.");
    }
    struct md4_ctx md4;
    uint8_t digest[MD4_DIGEST_SIZE];
    md4_init(&md4);
    md4_update(&md4, wide.len, (const uint8_t *)(wide.data ? wide.data : ""));
    md4_digest(&md4, sizeof digest, digest);
    memset(wide.data ? wide.data : (char[1]){0}, 0, wide.len);
    cim_buf_clear(&wide);
    char hex[2 * MD4_DIGEST_SIZE + 1];
    for (size_t i = 0; i < sizeof digest; i++)
        snprintf(hex + 2 * i, 3, "%02X", digest[i]);
    memset(digest, 0, sizeof digest);
    /* smbpasswd: name:uid:LM hash (none):NT hash:flags:last change */
    *out = cim_xasprintf("%s:0:XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX:%s:[U          ]:LCT-00000000:",
                         name, hex);
    return SMSPROV_OK;
}
