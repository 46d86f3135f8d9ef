/* tls.c - PEM files for HTTPS, a private key only its owner may read, and
 * GnuTLS priority strings checked before libmicrohttpd sees them. */
#include "http/tls.h"

#include <errno.h>
#include <gnutls/gnutls.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "smsprov/cim.h"

/* Anyone who can read the key can impersonate the server and read every
 * password sent to it, so an open key is an error, not a warning. */
static smsprov_code check_key_mode(FILE *f, const char *path, smsprov_error *err)
{
    struct stat st;
    if (fstat(fileno(f), &st) != 0 || !(st.st_mode & (S_IRGRP | S_IROTH)))
        return SMSPROV_OK;
    return smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER,
                             "The TLS key file %s can be read by %s (mode %04o); only its owner "
                             "may read a private key.  Run `chmod 600 %s` and start again.",
                             path, (st.st_mode & S_IROTH) ? "every user" : "its group",
                             (unsigned)(st.st_mode & 07777), path);
}

char *http_tls_read_pem(const char *path, const char *what, smsprov_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER, "The TLS %s file %s cannot be read (%s).",
                          what, path, strerror(errno));
        return NULL;
    }
    if (strcmp(what, "key") == 0 && check_key_mode(f, path, err) != SMSPROV_OK) {
        fclose(f);
        return NULL;
    }
    cim_buf b = {0};
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0 && b.len < 1024 * 1024)
        cim_buf_append_n(&b, chunk, n);
    fclose(f);
    if (!b.data || !strstr(b.data, "-----BEGIN")) {
        cim_buf_clear(&b);
        smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER,
                          "The TLS %s file %s is not PEM (no -----BEGIN line).", what, path);
        return NULL;
    }
    return cim_buf_take(&b);
}

smsprov_code http_tls_check_priorities(const char *priorities, smsprov_error *err)
{
    gnutls_priority_t cache = NULL;
    const char *where = NULL;
    int rc = gnutls_priority_init(&cache, priorities, &where);
    if (rc == GNUTLS_E_SUCCESS) {
        gnutls_priority_deinit(cache);
        return SMSPROV_OK;
    }
    return smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER,
                             "The TLS priority string \"%s\" (tls_priorities in [https]) is not "
                             "valid from \"%s\" on (%s).",
                             priorities, where ? where : priorities, gnutls_strerror(rc));
}
