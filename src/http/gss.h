/*
 * http/gss.h - Negotiate (SPNEGO: Kerberos or NTLM), Kerberos and NTLM
 * authentication of one TCP connection through GSSAPI (MIT Kerberos, with
 * the gss-ntlmssp mechanism for NTLM), and the session's message
 * encryption (internal to src/http).  No cryptography is done here: the
 * context, its tokens and wrap/unwrap all come from GSSAPI.
 *
 * A context belongs to one connection and is used by that connection's
 * thread only (HTTP/1.1 requests on a connection are sequential), so none
 * of these functions locks.
 */
#ifndef SMSPROV_HTTP_GSS_H
#define SMSPROV_HTTP_GSS_H

#include <stdbool.h>
#include <stddef.h>

#include "http/http.h"
#include "http/multipart.h"
#include "smsprov/cim.h"

/* The HTTP scheme of an Authorization header. */
typedef enum http_gss_scheme {
    HTTP_GSS_NONE,
    HTTP_GSS_NEGOTIATE, /* SPNEGO, or a raw Kerberos or NTLM token under Negotiate */
    HTTP_GSS_KERBEROS,  /* a Kerberos token (Windows' -Authentication Kerberos) */
    HTTP_GSS_NTLM,      /* a raw NTLM token, for clients that send the NTLM scheme */
} http_gss_scheme;

/* "Negotiate", "Kerberos" or "NTLM". */
const char *http_gss_scheme_name(http_gss_scheme scheme);

/* The scheme of an Authorization value and, in *token, where its token
 * starts (NULL when it has none); HTTP_GSS_NONE for Basic or anything else. */
http_gss_scheme http_gss_scheme_of(const char *authorization, const char **token);

/* A listener's acceptor credentials, shared by its connections.
 * mechanisms: HTTP_AUTH_KERBEROS for Kerberos (a keytab), HTTP_AUTH_NTLM
 * for NTLM (an NTLM user file).  Thread-safe. */
typedef struct http_gss_acceptor http_gss_acceptor;
http_gss_acceptor *http_gss_acceptor_new(unsigned mechanisms);
/* After every connection using it has ended. */
void http_gss_acceptor_free(http_gss_acceptor *acceptor);

typedef struct http_gss_conn http_gss_conn;

/* A connection's context, accepting with acceptor's credentials. */
http_gss_conn *http_gss_conn_new(http_gss_acceptor *acceptor);
/* Deletes the context. */
void http_gss_conn_free(http_gss_conn *conn);
/* Forgets the context (a failed or restarted handshake). */
void http_gss_conn_reset(http_gss_conn *conn);

typedef enum http_gss_result {
    HTTP_GSS_CONTINUE, /* send *reply in a 401; the client sends the next leg */
    HTTP_GSS_COMPLETE, /* authenticated; *reply (may be NULL) goes on the next answer */
    HTTP_GSS_FAILED,   /* *why says why; the context is reset */
} http_gss_result;

/* One leg of the handshake: token_b64 is the base64 token of the
 * Authorization header.  A new handshake (the connection was authenticated
 * before, or the scheme changed) starts over.  *reply is a base64 token to
 * send back (caller frees; NULL for none); *why a sentence for the log
 * (caller frees). */
http_gss_result http_gss_accept(http_gss_conn *conn, http_gss_scheme scheme,
                                const char *token_b64, char **reply, char **why);

bool http_gss_established(const http_gss_conn *conn);
/* The scheme the context was established with. */
http_gss_scheme http_gss_conn_scheme(const http_gss_conn *conn);
/* DOMAIN\user (NTLM) or user@REALM (Kerberos); NULL before completion. */
const char *http_gss_user(const http_gss_conn *conn);
/* "Kerberos" or "NTLM": the mechanism SPNEGO chose. */
const char *http_gss_mechanism(const http_gss_conn *conn);
/* Whether the context can seal messages (confidentiality and integrity). */
bool http_gss_can_encrypt(const http_gss_conn *conn);

/* Decrypts an encrypted message into plain.  False, with *why (caller
 * frees), when GSSAPI rejects it (tampered, sealed for another context,
 * replayed or out of order) or its length is not the announced one. */
bool http_gss_unwrap(http_gss_conn *conn, const http_encrypted_part *part, cim_buf *plain,
                     char **why);

/* Encrypts plain (len bytes) and appends the whole MS-WSMV message to out,
 * in protocol.  False, with *why, when GSSAPI cannot. */
bool http_gss_wrap(http_gss_conn *conn, http_encryption protocol, const char *plain,
                   size_t len, cim_buf *out, char **why);

/* http_gss_setup is declared in http/http.h. */

#endif
