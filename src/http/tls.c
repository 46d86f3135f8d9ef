/* tls.c - PEM files for HTTPS, a private key only its owner may read, and
 * GnuTLS priority strings checked before libmicrohttpd sees them. */
#include "http/tls.h"
#include "http/http.h"

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
                             "The TLS priority string \"%s\" (priorities in [tls]) is not "
                             "valid from \"%s\" on (%s).",
                             priorities, where ? where : priorities, gnutls_strerror(rc));
}

/* The same reads an HTTPS listener does at start, then GnuTLS's own check
 * that the key is the certificate's. */
smsprov_code http_tls_check_files(const char *certificate_file, const char *key_file,
                                  const char *priorities, smsprov_error *err)
{
    if (http_tls_check_priorities(priorities ? priorities : HTTP_TLS_PRIORITIES, err) !=
        SMSPROV_OK)
        return SMSPROV_E_INVALID_PARAMETER;
    char *cert = http_tls_read_pem(certificate_file, "certificate", err);
    char *key = cert ? http_tls_read_pem(key_file, "key", err) : NULL;
    if (!key) {
        free(cert);
        return SMSPROV_E_INVALID_PARAMETER;
    }
    gnutls_certificate_credentials_t creds = NULL;
    int rc = gnutls_certificate_allocate_credentials(&creds);
    if (rc == GNUTLS_E_SUCCESS) {
        gnutls_datum_t c = {(unsigned char *)cert, (unsigned)strlen(cert)};
        gnutls_datum_t k = {(unsigned char *)key, (unsigned)strlen(key)};
        rc = gnutls_certificate_set_x509_key_mem(creds, &c, &k, GNUTLS_X509_FMT_PEM);
        gnutls_certificate_free_credentials(creds);
    }
    free(cert);
    free(key);
    if (rc < 0)
        return smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER,
                                 "The TLS certificate %s and key %s do not make a usable pair "
                                 "(%s).",
                                 certificate_file, key_file, gnutls_strerror(rc));
    return SMSPROV_OK;
}
