/* writer.c - the answer envelope and message IDs. */
#include "wsman/writer.h"

#include <gnutls/crypto.h>
#include <stdlib.h>

#include "wsman/wsman_ns.h"
#include "xmlcim/xmlcim.h"

char *wsman_new_uuid(void)
{
    unsigned char r[16];
    gnutls_rnd(GNUTLS_RND_NONCE, r, sizeof r);
    r[6] = (unsigned char)((r[6] & 0x0F) | 0x40); /* version 4 */
    r[8] = (unsigned char)((r[8] & 0x3F) | 0x80); /* RFC 4122 variant */
    return cim_xasprintf("uuid:%02X%02X%02X%02X-%02X%02X-%02X%02X-%02X%02X-%02X%02X%02X%02X%02X%02X",
                         r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10], r[11],
                         r[12], r[13], r[14], r[15]);
}

void wsman_envelope_begin(cim_buf *b, const char *action, const char *relates_to)
{
    char *id = wsman_new_uuid();
    cim_buf_append(b, "<s:Envelope " WSMAN_ENVELOPE_NAMESPACES "><s:Header><a:To>"
                      ADDRESS_ANONYMOUS "</a:To>");
    if (action) {
        cim_buf_append(b, "<a:Action>");
        xmlcim_escape(b, action);
        cim_buf_append(b, "</a:Action>");
    }
    cim_buf_printf(b, "<a:MessageID>%s</a:MessageID>", id);
    if (relates_to) {
        cim_buf_append(b, "<a:RelatesTo>");
        xmlcim_escape(b, relates_to);
        cim_buf_append(b, "</a:RelatesTo>");
    }
    cim_buf_append(b, "</s:Header><s:Body>");
    free(id);
}

void wsman_envelope_end(cim_buf *b)
{
    cim_buf_append(b, "</s:Body></s:Envelope>");
}
