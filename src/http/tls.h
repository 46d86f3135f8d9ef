/*
 * http/tls.h - the certificate, key and protocol settings of an HTTPS
 * listener (internal to src/http).
 */
#ifndef SMSPROV_HTTP_TLS_H
#define SMSPROV_HTTP_TLS_H

#include "smsprov/error.h"

/* The PEM text of a certificate ("certificate") or private key ("key").
 * SMSPROV_E_INVALID_PARAMETER when the file cannot be read or is not PEM,
 * and for a key that group or others may read, naming the chmod to run.
 * Caller frees. */
char *http_tls_read_pem(const char *path, const char *what, smsprov_error *err);

/* SMSPROV_E_INVALID_PARAMETER naming the part GnuTLS rejects. */
smsprov_code http_tls_check_priorities(const char *priorities, smsprov_error *err);

#endif
