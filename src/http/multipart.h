/*
 * http/multipart.h - the MS-WSMV framing of an encrypted WS-Management
 * message over HTTP (internal to src/http; src/http/README.md describes
 * it): one `multipart/encrypted` body whose first part names the protocol
 * and the plaintext's length, and whose second part holds a 4-byte
 * little-endian signature length, the signature and the ciphertext.
 * Parsing only frames; what the bytes mean is gss.c's business.
 */
#ifndef SMSPROV_HTTP_MULTIPART_H
#define SMSPROV_HTTP_MULTIPART_H

#include <stdbool.h>
#include <stddef.h>

#include "smsprov/cim.h"

#define HTTP_SPNEGO_ENCRYPTED "application/HTTP-SPNEGO-session-encrypted"
#define HTTP_KERBEROS_ENCRYPTED "application/HTTP-Kerberos-session-encrypted"

/* Which session-encryption protocol a message uses. */
typedef enum http_encryption {
    HTTP_ENCRYPTION_NONE,
    HTTP_ENCRYPTION_SPNEGO,   /* HTTP-SPNEGO-session-encrypted (Negotiate, NTLM) */
    HTTP_ENCRYPTION_KERBEROS, /* HTTP-Kerberos-session-encrypted (Kerberos) */
} http_encryption;

/* The protocol a request's Content-Type announces: NONE for anything that
 * is not `multipart/encrypted` with one of the two protocols (parameter
 * names and quotes are taken leniently). */
http_encryption http_multipart_protocol(const char *content_type);

/* The Content-Type of an encrypted answer in that protocol, byte for byte
 * as Windows and python3-winrm write it. */
const char *http_multipart_content_type(http_encryption protocol);

/* One parsed message: pointers into the body it was parsed from. */
typedef struct http_encrypted_part {
    http_encryption protocol;  /* of the part's Content-Type */
    size_t original_length;    /* OriginalContent's Length: the plaintext's bytes */
    char charset[16];          /* OriginalContent's charset ("UTF-8", "UTF-16") */
    const unsigned char *signature;
    size_t signature_length;
    const unsigned char *data; /* original_length bytes of ciphertext */
} http_encrypted_part;

/* Frames body (len bytes).  False, with *why a static sentence, when the
 * boundaries, part headers, lengths or closing boundary are not where
 * MS-WSMV puts them; the part headers may be preceded by a tab (as the
 * specification and python3-winrm write them), spaces or nothing (as
 * Windows writes them). */
bool http_multipart_parse(const char *body, size_t len, http_encrypted_part *out,
                          const char **why);

/* Appends the encrypted message to out, part headers preceded by a tab
 * (python3-winrm needs it). */
void http_multipart_build(cim_buf *out, http_encryption protocol, size_t original_length,
                          const void *signature, size_t signature_length, const void *data,
                          size_t data_length);

#endif
