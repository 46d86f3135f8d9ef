/* gss.c - connection-bound GSSAPI contexts for Negotiate, Kerberos and NTLM,
 * and MS-WSMV message encryption with the session's keys.  MIT Kerberos
 * picks the mechanism from the first token; gss-ntlmssp does NTLM. */
#include "http/gss.h"

#include <errno.h>
#include <pthread.h>
#include <gnutls/gnutls.h>
#include <gssapi/gssapi.h>
#include <gssapi/gssapi_ext.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

static gss_OID_desc spnego_oid = {6, (void *)"\x2b\x06\x01\x05\x05\x02"};
static gss_OID_desc krb5_oid = {9, (void *)"\x2a\x86\x48\x86\xf7\x12\x01\x02\x02"};
static gss_OID_desc ntlm_oid = {10, (void *)"\x2b\x06\x01\x04\x01\x82\x37\x02\x02\x0a"};

/* The acceptor credentials of one listener, one per scheme, acquired on
 * first use and shared by its connections: gss-ntlmssp 1.2.0 leaks a little
 * on every acquisition, and accepting only reads a credential (the keytab
 * and the NTLM user file are read at accept time, so changes to them still
 * count). */
struct http_gss_acceptor {
    unsigned mechanisms; /* HTTP_AUTH_KERBEROS | HTTP_AUTH_NTLM */
    pthread_mutex_t lock;
    gss_cred_id_t creds[4]; /* by http_gss_scheme */
};

struct http_gss_conn {
    http_gss_acceptor *acceptor;
    gss_ctx_id_t ctx;
    gss_cred_id_t cred; /* the acceptor's, borrowed */
    http_gss_scheme scheme;
    bool established;
    bool kerberos; /* the established mechanism: Kerberos (else NTLM) */
    OM_uint32 flags;
    char *user;
};

const char *http_gss_scheme_name(http_gss_scheme scheme)
{
    switch (scheme) {
    case HTTP_GSS_KERBEROS:
        return "Kerberos";
    case HTTP_GSS_NTLM:
        return "NTLM";
    default:
        return "Negotiate";
    }
}

http_gss_scheme http_gss_scheme_of(const char *authorization, const char **token)
{
    static const struct {
        const char *name;
        http_gss_scheme scheme;
    } schemes[] = {{"Negotiate", HTTP_GSS_NEGOTIATE},
                   {"Kerberos", HTTP_GSS_KERBEROS},
                   {"NTLM", HTTP_GSS_NTLM}};
    *token = NULL;
    if (!authorization)
        return HTTP_GSS_NONE;
    while (*authorization == ' ')
        authorization++;
    for (size_t i = 0; i < sizeof schemes / sizeof schemes[0]; i++) {
        size_t n = strlen(schemes[i].name);
        if (strncasecmp(authorization, schemes[i].name, n) != 0 ||
            (authorization[n] != ' ' && authorization[n] != '\0'))
            continue;
        const char *t = authorization + n;
        while (*t == ' ')
            t++;
        *token = *t ? t : NULL;
        return schemes[i].scheme;
    }
    return HTTP_GSS_NONE;
}

http_gss_acceptor *http_gss_acceptor_new(unsigned mechanisms)
{
    http_gss_acceptor *a = cim_xcalloc(1, sizeof *a);
    a->mechanisms = mechanisms;
    pthread_mutex_init(&a->lock, NULL);
    for (size_t i = 0; i < sizeof a->creds / sizeof a->creds[0]; i++)
        a->creds[i] = GSS_C_NO_CREDENTIAL;
    return a;
}

void http_gss_acceptor_free(http_gss_acceptor *a)
{
    if (!a)
        return;
    OM_uint32 minor;
    for (size_t i = 0; i < sizeof a->creds / sizeof a->creds[0]; i++)
        if (a->creds[i] != GSS_C_NO_CREDENTIAL)
            gss_release_cred(&minor, &a->creds[i]);
    pthread_mutex_destroy(&a->lock);
    free(a);
}

http_gss_conn *http_gss_conn_new(http_gss_acceptor *acceptor)
{
    http_gss_conn *c = cim_xcalloc(1, sizeof *c);
    c->acceptor = acceptor;
    c->ctx = GSS_C_NO_CONTEXT;
    c->cred = GSS_C_NO_CREDENTIAL;
    return c;
}

void http_gss_conn_reset(http_gss_conn *c)
{
    OM_uint32 minor;
    if (c->ctx != GSS_C_NO_CONTEXT)
        gss_delete_sec_context(&minor, &c->ctx, GSS_C_NO_BUFFER);
    c->ctx = GSS_C_NO_CONTEXT;
    c->established = false;
    c->kerberos = false;
    c->flags = 0;
    c->scheme = HTTP_GSS_NONE;
    free(c->user);
    c->user = NULL;
}

void http_gss_conn_free(http_gss_conn *c)
{
    if (!c)
        return;
    http_gss_conn_reset(c);
    free(c);
}

/* GSSAPI's own words for a status: "major text (minor text)". */
static char *status_text(OM_uint32 major, OM_uint32 minor, gss_OID mech)
{
    cim_buf b = {0};
    OM_uint32 m, ctx = 0;
    gss_buffer_desc text;
    do {
        if (GSS_ERROR(gss_display_status(&m, major, GSS_C_GSS_CODE, GSS_C_NO_OID, &ctx, &text)))
            break;
        cim_buf_printf(&b, "%s%.*s", b.len ? "; " : "", (int)text.length, (char *)text.value);
        gss_release_buffer(&m, &text);
    } while (ctx);
    if (minor) {
        ctx = 0;
        cim_buf_append(&b, " (");
        size_t start = b.len;
        do {
            if (GSS_ERROR(gss_display_status(&m, minor, GSS_C_MECH_CODE, mech, &ctx, &text)))
                break;
            cim_buf_printf(&b, "%s%.*s", b.len > start ? "; " : "", (int)text.length,
                           (char *)text.value);
            gss_release_buffer(&m, &text);
        } while (ctx);
        if (b.len == start)
            cim_buf_printf(&b, "code %u", (unsigned)minor);
        cim_buf_append(&b, ")");
    }
    return cim_buf_take(&b);
}

/* The acceptor credential: every enabled mechanism for Negotiate and NTLM
 * (the mechglue hands each token to the mechanism it belongs to), Kerberos
 * alone for the Kerberos scheme. */
static bool acquire_locked(http_gss_acceptor *a, http_gss_scheme scheme, char **why)
{
    gss_OID_desc set_elements[3];
    size_t n = 0;
    if (scheme == HTTP_GSS_KERBEROS) {
        set_elements[n++] = krb5_oid;
    } else {
        if (scheme == HTTP_GSS_NEGOTIATE)
            set_elements[n++] = spnego_oid;
        if (a->mechanisms & HTTP_AUTH_KERBEROS)
            set_elements[n++] = krb5_oid;
        if (a->mechanisms & HTTP_AUTH_NTLM)
            set_elements[n++] = ntlm_oid;
    }
    gss_OID_set_desc mechs = {n, set_elements};
    OM_uint32 minor;
    OM_uint32 major = gss_acquire_cred(&minor, GSS_C_NO_NAME, GSS_C_INDEFINITE, &mechs,
                                       GSS_C_ACCEPT, &a->creds[scheme], NULL, NULL);
    if (GSS_ERROR(major)) {
        char *text = status_text(major, minor, GSS_C_NO_OID);
        *why = cim_xasprintf("no acceptor credential: %s", text);
        free(text);
        a->creds[scheme] = GSS_C_NO_CREDENTIAL;
        return false;
    }
    return true;
}

static bool acquire(http_gss_conn *c, http_gss_scheme scheme, char **why)
{
    http_gss_acceptor *a = c->acceptor;
    pthread_mutex_lock(&a->lock);
    bool ok = a->creds[scheme] != GSS_C_NO_CREDENTIAL || acquire_locked(a, scheme, why);
    c->cred = a->creds[scheme];
    pthread_mutex_unlock(&a->lock);
    return ok;
}

static bool same_oid(gss_const_OID a, const gss_OID_desc *b)
{
    return a && a->length == b->length && memcmp(a->elements, b->elements, b->length) == 0;
}

static char *base64_of(const void *data, size_t len)
{
    gnutls_datum_t in = {(unsigned char *)data, (unsigned)len}, out = {NULL, 0};
    if (gnutls_base64_encode2(&in, &out) < 0)
        return NULL;
    char *s = cim_xasprintf("%.*s", (int)out.size, (char *)out.data);
    gnutls_free(out.data);
    return s;
}

/* The name the client authenticated as.  gss-ntlmssp counts the NUL in the
 * length, so the text stops at the first NUL. */
static char *display_name(gss_name_t name)
{
    OM_uint32 minor;
    gss_buffer_desc text = GSS_C_EMPTY_BUFFER;
    if (GSS_ERROR(gss_display_name(&minor, name, &text, NULL)))
        return NULL;
    char *s = cim_xasprintf("%.*s", (int)strnlen(text.value, text.length), (char *)text.value);
    gss_release_buffer(&minor, &text);
    return s;
}

static http_gss_result complete(http_gss_conn *c, http_gss_scheme scheme, gss_name_t source,
                                gss_OID mech, OM_uint32 flags, char **why)
{
    c->user = display_name(source);
    if (!c->user || !*c->user) {
        *why = cim_xstrdup("the mechanism gave no name for the client");
        http_gss_conn_reset(c);
        return HTTP_GSS_FAILED;
    }
    c->established = true;
    c->scheme = scheme;
    c->kerberos = same_oid(mech, &krb5_oid);
    c->flags = flags;
    return HTTP_GSS_COMPLETE;
}

http_gss_result http_gss_accept(http_gss_conn *c, http_gss_scheme scheme,
                                const char *token_b64, char **reply, char **why)
{
    *reply = NULL;
    *why = NULL;
    if (c->established || (c->scheme != HTTP_GSS_NONE && c->scheme != scheme))
        http_gss_conn_reset(c);
    gnutls_datum_t text = {(unsigned char *)token_b64, (unsigned)strlen(token_b64)};
    gnutls_datum_t token = {NULL, 0};
    if (gnutls_base64_decode2(&text, &token) < 0 || token.size == 0) {
        gnutls_free(token.data);
        *why = cim_xstrdup("the token is not base64");
        http_gss_conn_reset(c);
        return HTTP_GSS_FAILED;
    }
    if (!acquire(c, scheme, why)) {
        gnutls_free(token.data);
        http_gss_conn_reset(c);
        return HTTP_GSS_FAILED;
    }
    gss_buffer_desc in = {token.size, token.data}, out = GSS_C_EMPTY_BUFFER;
    gss_name_t source = GSS_C_NO_NAME;
    gss_OID mech = GSS_C_NO_OID;
    OM_uint32 minor, flags = 0;
    OM_uint32 major = gss_accept_sec_context(&minor, &c->ctx, c->cred, &in,
                                             GSS_C_NO_CHANNEL_BINDINGS, &source, &mech, &out,
                                             &flags, NULL, NULL);
    gnutls_free(token.data);
    if (out.length)
        *reply = base64_of(out.value, out.length);
    OM_uint32 ignored;
    gss_release_buffer(&ignored, &out);
    http_gss_result r;
    if (GSS_ERROR(major)) {
        *why = status_text(major, minor, mech);
        http_gss_conn_reset(c);
        r = HTTP_GSS_FAILED;
    } else if (major & GSS_S_CONTINUE_NEEDED) {
        c->scheme = scheme;
        r = HTTP_GSS_CONTINUE;
    } else {
        r = complete(c, scheme, source, mech, flags, why);
    }
    if (source != GSS_C_NO_NAME)
        gss_release_name(&ignored, &source);
    return r;
}

bool http_gss_established(const http_gss_conn *c)
{
    return c && c->established;
}

http_gss_scheme http_gss_conn_scheme(const http_gss_conn *c)
{
    return c->scheme;
}

const char *http_gss_user(const http_gss_conn *c)
{
    return c->established ? c->user : NULL;
}

const char *http_gss_mechanism(const http_gss_conn *c)
{
    return c->kerberos ? "Kerberos" : "NTLM";
}

bool http_gss_can_encrypt(const http_gss_conn *c)
{
    return (c->flags & (GSS_C_CONF_FLAG | GSS_C_INTEG_FLAG)) ==
           (GSS_C_CONF_FLAG | GSS_C_INTEG_FLAG);
}

bool http_gss_unwrap(http_gss_conn *c, const http_encrypted_part *part, cim_buf *plain,
                     char **why)
{
    /* Both mechanisms take signature || ciphertext as one token; MIT
     * undoes Windows' rotated Kerberos trailer (RRC) itself. */
    size_t len = part->signature_length + part->original_length;
    unsigned char *joined = cim_xmalloc(len ? len : 1);
    memcpy(joined, part->signature, part->signature_length);
    memcpy(joined + part->signature_length, part->data, part->original_length);
    gss_buffer_desc in = {len, joined}, out = GSS_C_EMPTY_BUFFER;
    int conf = 0;
    OM_uint32 minor;
    OM_uint32 major = gss_unwrap(&minor, c->ctx, &in, &out, &conf, NULL);
    free(joined);
    bool ok = false;
    if (GSS_ERROR(major))
        *why = status_text(major, minor, GSS_C_NO_OID);
    else if (!conf)
        *why = cim_xstrdup("the message was signed but not sealed");
    else if (out.length != part->original_length)
        *why = cim_xasprintf("the message decrypts to %zu bytes, not the %zu announced",
                             (size_t)out.length, part->original_length);
    else {
        cim_buf_append_n(plain, out.value, out.length);
        ok = true;
    }
    gss_release_buffer(&minor, &out);
    return ok;
}

/* Kerberos: the IOV form, so the trailer travels in the header with
 * RRC = its length, the layout Windows writes and expects. */
static bool wrap_kerberos(http_gss_conn *c, http_encryption protocol, const char *plain,
                          size_t len, cim_buf *out, char **why)
{
    char *data = cim_xmalloc(len ? len : 1);
    memcpy(data, plain, len);
    gss_iov_buffer_desc iov[3] = {
        {GSS_IOV_BUFFER_TYPE_HEADER | GSS_IOV_BUFFER_FLAG_ALLOCATE, GSS_C_EMPTY_BUFFER},
        {GSS_IOV_BUFFER_TYPE_DATA, {len, data}},
        {GSS_IOV_BUFFER_TYPE_PADDING | GSS_IOV_BUFFER_FLAG_ALLOCATE, GSS_C_EMPTY_BUFFER},
    };
    int conf = 0;
    OM_uint32 minor;
    OM_uint32 major = gss_wrap_iov(&minor, c->ctx, 1, GSS_C_QOP_DEFAULT, &conf, iov, 3);
    bool ok = !GSS_ERROR(major) && conf;
    if (ok) {
        cim_buf cipher = {0};
        cim_buf_append_n(&cipher, data, len);
        if (iov[2].buffer.length) /* AES has no padding */
            cim_buf_append_n(&cipher, iov[2].buffer.value, iov[2].buffer.length);
        http_multipart_build(out, protocol, len, iov[0].buffer.value, iov[0].buffer.length,
                             cipher.data, cipher.len);
        cim_buf_clear(&cipher);
    } else {
        *why = GSS_ERROR(major) ? status_text(major, minor, GSS_C_NO_OID)
                                : cim_xstrdup("the context cannot seal");
    }
    gss_release_iov_buffer(&minor, iov, 3);
    free(data);
    return ok;
}

/* NTLM: gss-ntlmssp's wrap token is the 16-byte signature followed by the
 * sealed data (it has no IOV form). */
static bool wrap_ntlm(http_gss_conn *c, http_encryption protocol, const char *plain, size_t len,
                      cim_buf *out, char **why)
{
    gss_buffer_desc in = {len, (void *)plain}, sealed = GSS_C_EMPTY_BUFFER;
    int conf = 0;
    OM_uint32 minor;
    OM_uint32 major = gss_wrap(&minor, c->ctx, 1, GSS_C_QOP_DEFAULT, &in, &conf, &sealed);
    bool ok = !GSS_ERROR(major) && conf && sealed.length > len;
    if (ok) {
        size_t sig = sealed.length - len;
        http_multipart_build(out, protocol, len, sealed.value, sig,
                             (const char *)sealed.value + sig, len);
    } else {
        *why = GSS_ERROR(major) ? status_text(major, minor, GSS_C_NO_OID)
                                : cim_xstrdup("the context cannot seal");
    }
    gss_release_buffer(&minor, &sealed);
    return ok;
}

bool http_gss_wrap(http_gss_conn *c, http_encryption protocol, const char *plain, size_t len,
                   cim_buf *out, char **why)
{
    return c->kerberos ? wrap_kerberos(c, protocol, plain, len, out, why)
                       : wrap_ntlm(c, protocol, plain, len, out, why);
}

/* ---- start-up ------------------------------------------------------------ */

static smsprov_code check_secret_file(const char *path, const char *what, smsprov_error *err)
{
    struct stat st;
    FILE *f = fopen(path, "r");
    if (!f)
        return smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER,
                                 "The %s %s cannot be read (%s).", what, path, strerror(errno));
    fclose(f);
    if (stat(path, &st) != 0 || st.st_size == 0)
        return smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER, "The %s %s is empty.", what,
                                 path);
    if (st.st_mode & (S_IRWXG | S_IRWXO))
        return smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER,
                                 "The %s %s holds secrets but its group or others may use it; "
                                 "run `chmod 600 %s`.",
                                 what, path, path);
    return SMSPROV_OK;
}

static bool ntlm_installed(void)
{
    OM_uint32 minor;
    gss_OID_set mechs = GSS_C_NO_OID_SET;
    if (GSS_ERROR(gss_indicate_mechs(&minor, &mechs)))
        return false;
    bool found = false;
    for (size_t i = 0; i < mechs->count && !found; i++)
        found = same_oid(&mechs->elements[i], &ntlm_oid);
    gss_release_oid_set(&minor, &mechs);
    return found;
}

smsprov_code http_gss_check_files(const char *keytab, const char *ntlm_user_file,
                                  smsprov_error *err)
{
    if (keytab && check_secret_file(keytab, "keytab", err) != SMSPROV_OK)
        return SMSPROV_E_INVALID_PARAMETER;
    if (ntlm_user_file && check_secret_file(ntlm_user_file, "NTLM user file", err) != SMSPROV_OK)
        return SMSPROV_E_INVALID_PARAMETER;
    return SMSPROV_OK;
}

smsprov_code http_gss_setup(const char *keytab, const char *ntlm_user_file, smsprov_error *err)
{
    if (keytab) {
        if (check_secret_file(keytab, "keytab", err) != SMSPROV_OK)
            return SMSPROV_E_INVALID_PARAMETER;
        char *name = cim_xasprintf("FILE:%s", keytab);
        setenv("KRB5_KTNAME", name, 1);
        free(name);
    }
    if (ntlm_user_file) {
        if (check_secret_file(ntlm_user_file, "NTLM user file", err) != SMSPROV_OK)
            return SMSPROV_E_INVALID_PARAMETER;
        setenv("NTLM_USER_FILE", ntlm_user_file, 1);
        if (!ntlm_installed())
            return smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER,
                                     "NTLM needs the gss-ntlmssp GSSAPI mechanism, which is not "
                                     "installed (apt-get install gss-ntlmssp).");
    }
    return SMSPROV_OK;
}
