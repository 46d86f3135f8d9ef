/*
 * http/http.h - the HTTP server the WS-Management and CIM-XML doors share,
 * on libmicrohttpd: HTTP/1.1 with keep-alive, bounded request bodies, TLS
 * 1.2 and 1.3 from PEM files, Basic authentication against a users file of
 * salted crypt(3) hashes, and (where a listener enables them) Negotiate,
 * Kerberos and NTLM through GSSAPI, bound to the connection, with MS-WSMV
 * message encryption over plain HTTP.
 *
 * A route maps a path to a handler.  The server decides who the caller is
 * from the request headers, before it reads a byte of the body: missing or
 * wrong credentials get 401 (`WWW-Authenticate: Basic realm="WSMAN"`) at
 * once and the rest of the request is never read.  Only a route that opts
 * in takes anonymous requests, and their bodies are capped at a few KiB.
 * Then the server reads the whole body (up to max_request_bytes, else 413)
 * and calls the handler on the connection's own thread, so handlers may
 * block and must be thread-safe.  src/http/README.md describes the limits,
 * the authentication back-off and the TLS settings.
 */
#ifndef SMSPROV_HTTP_H
#define SMSPROV_HTTP_H

#include <stdbool.h>
#include <stddef.h>

#include "config/log.h"
#include "smsprov/error.h"

/* ---- users ------------------------------------------------------------ */

/* The users file: one `name:hash` line per user, where hash is a crypt(3)
 * hash (yescrypt "$y$" or SHA-512 "$6$"; `smsprovd adduser` writes them).
 * Blank lines and lines starting with '#' are ignored. */
typedef struct http_users http_users;

/* SMSPROV_E_NOT_FOUND when the file cannot be read; SMSPROV_E_INVALID_PARAMETER
 * naming the line of a malformed entry or a weak/unknown hash method. */
smsprov_code http_users_load(const char *path, http_users **out, smsprov_error *err);
void http_users_free(http_users *users);
size_t http_users_count(http_users *users);

/* Puts the entries of fresh (a newly loaded file) in force in users and
 * frees fresh.  The login back-off and the listeners holding users carry
 * on; every remembered login is forgotten, so a password the new file
 * dropped stops working at once.  A check already running finishes against
 * the entries it started with.  Thread-safe. */
void http_users_replace(http_users *users, http_users *fresh);

/* True when the name and password match an entry.  A successful check is
 * remembered for a few minutes (by an HMAC of the credentials under a random
 * key), so keep-alive clients do not pay for the slow hash on every request;
 * failures are never remembered.  An unknown name costs what a known name
 * with a wrong password costs: the password is checked against a dummy hash
 * made with the first user's method and cost, so timing does not tell names
 * apart.  Thread-safe. */
bool http_users_check(http_users *users, const char *name, const char *password);

/* The back-off after failed logins, per client address and per user name
 * (known or not): the first HTTP_BACKOFF_FREE_FAILURES failures in a row
 * cost nothing, each further one doubles a refusal window starting at one
 * second, up to address_max_s for the address and user_max_s for the name.
 * The user's window does not apply to an address that logged in as that
 * user within the last day, so an attacker elsewhere cannot lock the
 * administrator out of the machine they work from.  A success clears both
 * counts; counts are forgotten 15 minutes after the last failure.  0
 * turns one side off.  The defaults are 16 s and 4 s. */
#define HTTP_BACKOFF_FREE_FAILURES 3
void http_users_set_backoff(http_users *users, unsigned address_max_s, unsigned user_max_s);

typedef enum http_login_result {
    HTTP_LOGIN_OK,
    HTTP_LOGIN_FAILED,      /* wrong name or password (checked) */
    HTTP_LOGIN_BACKING_OFF, /* refused unchecked: the address or name is backing off */
} http_login_result;

typedef struct http_login_info {
    unsigned address_failures; /* failures in a row from this address */
    unsigned user_failures;    /* failures in a row for this name */
    unsigned wait_s;           /* seconds until the next check is allowed (0: none) */
    bool by_user;              /* BACKING_OFF: the name's window, not the address's */
    bool first_refusal;        /* BACKING_OFF: the first refusal of this window */
} http_login_info;

/* http_users_check under the back-off: address is the client's numeric
 * address (no port).  info may be NULL.  Thread-safe. */
http_login_result http_users_login(http_users *users, const char *name, const char *password,
                                   const char *address, http_login_info *info);

/* The same back-off for logins checked elsewhere (Negotiate, Kerberos,
 * NTLM): whether a login as name from address must be refused unchecked,
 * and the outcome of one that was checked.  Thread-safe. */
bool http_users_backoff_refuses(http_users *users, const char *address, const char *name,
                                http_login_info *info);
void http_users_backoff_record(http_users *users, const char *address, const char *name,
                               bool success, http_login_info *info);

/* A yescrypt hash of password with a fresh random salt.  Caller frees. */
smsprov_code http_password_hash(const char *password, char **out, smsprov_error *err);

/* ---- requests and responses ------------------------------------------- */

typedef struct http_request {
    const char *method;
    const char *path;
    const char *body;         /* NUL-terminated; body_len bytes */
    size_t body_len;
    const char *user;         /* the authenticated user; NULL for an anonymous call */
    const char *address;      /* the client's numeric address, "127.0.0.1" */
    const char *client;       /* "127.0.0.1:50312" */
    bool secure;              /* came over TLS */
    void *connection;         /* for http_request_header */
} http_request;

/* A request header (case-insensitive name); NULL when absent. */
const char *http_request_header(const http_request *req, const char *name);

/* Calls fn with each query-string argument in order, percent-decoded and
 * with '+' read as a space (form encoding), until fn returns false. */
typedef bool (*http_arg_fn)(void *data, const char *name, const char *value);
void http_request_args(const http_request *req, http_arg_fn fn, void *data);

/* An extra response header (the CIM-XML door's). */
typedef struct http_header {
    const char *name;  /* static strings, like content_type */
    const char *value;
} http_header;
#define HTTP_MAX_EXTRA_HEADERS 4

typedef struct http_response {
    unsigned status;          /* 0 means 200 */
    const char *content_type; /* a static string; NULL: no Content-Type */
    char *body;               /* malloc'd; the server frees it */
    size_t body_len;
    /* Extra headers such as CIM-XML's CIMOperation and CIMError; the list
     * ends at the first entry without a name. */
    http_header headers[HTTP_MAX_EXTRA_HEADERS];
    /* A body written while it is sent (chunked), instead of body: the
     * server calls stream(stream_data, buf, max) for up to max bytes at a
     * time until it returns 0 (the end) or -1 (a failure: the connection is
     * closed, so the client sees a cut answer), then stream_free(stream_data),
     * also when the client leaves early. */
    long (*stream)(void *data, char *buf, size_t max);
    void (*stream_free)(void *data);
    void *stream_data;
} http_response;

typedef void (*http_handler_fn)(void *data, const http_request *req, http_response *resp);

/* Decides from the headers alone (req->body is NULL) whether an anonymous
 * request may be read at all. */
typedef bool (*http_anonymous_fn)(void *data, const http_request *req);

typedef struct http_route {
    const char *path;         /* "/wsman"; a request path with a trailing '/' matches too */
    bool allow_anonymous;     /* call the handler (user NULL) when no credentials are sent */
    http_handler_fn handler;
    void *data;
    http_anonymous_fn anonymous_filter; /* NULL: every anonymous request is read */
    size_t anonymous_max_bytes; /* anonymous bodies past this get 401; 0: 4 KiB */
    bool prefix;     /* also every path under path/ (case-insensitive): a REST door */
    bool any_method; /* GET, PUT, PATCH, DELETE too; otherwise POST only (405) */
} http_route;

/* ---- the server -------------------------------------------------------- */

/* What keeps hostile clients from holding the server. */
typedef struct http_server_limits {
    unsigned max_connections_per_address; /* 0: no limit (smsprovd's default is 64) */
    unsigned header_timeout_s; /* a request's line and headers must arrive within
                                * this, however slowly they trickle; 0: 20 */
    bool allow_unencrypted;    /* Basic over plain HTTP from non-loopback clients */
    const char *tls_priorities; /* GnuTLS priority string; NULL: HTTP_TLS_PRIORITIES */
} http_server_limits;

/* Authentication a listener offers (http_server_options.schemes). */
#define HTTP_AUTH_BASIC 1u     /* the users file; over HTTP only where allowed */
#define HTTP_AUTH_NEGOTIATE 2u /* SPNEGO over the mechanisms the listener has */
#define HTTP_AUTH_KERBEROS 4u  /* the Kerberos scheme; as a mechanism: a keytab */
#define HTTP_AUTH_NTLM 8u      /* a mechanism only: an NTLM user file */
/* Half-finished Negotiate handshakes a listener holds at once; past it a
 * new one is refused (401, connection closed). */
#define HTTP_MAX_HANDSHAKES 128u

/* TLS 1.3 and 1.2 only, with GnuTLS's NORMAL ciphers. */
#define HTTP_TLS_PRIORITIES "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2"

typedef struct http_server_options {
    const char *address;       /* numeric IPv4 or IPv6 address or a host name */
    unsigned port;             /* 0: a free port (see http_server_port) */
    const char *certificate_file; /* with key_file: serve HTTPS */
    const char *key_file;
    http_users *users;         /* required; borrowed */
    const http_route *routes;  /* borrowed */
    size_t route_count;
    size_t max_request_bytes;  /* 0: 4 MiB */
    unsigned max_connections;  /* 0: 256 */
    unsigned connection_timeout_s; /* idle connections close; 0: 120 */
    smsprov_log *log;          /* may be NULL */
    http_server_limits limits;
    /* HTTP_AUTH_* bits; 0: Basic only.  Negotiate and Kerberos need
     * http_gss_setup (smsprovd calls it) to have found the keytab or the
     * NTLM user file.  A context is bound to its TCP connection; over plain
     * HTTP its messages must be encrypted (MS-WSMV) unless
     * limits.allow_unencrypted. */
    unsigned schemes;
    /* What the Negotiate acceptor has: HTTP_AUTH_KERBEROS, HTTP_AUTH_NTLM. */
    unsigned mechanisms;
    /* Negotiate/Kerberos names (DOMAIN\user, user@REALM) that may log in;
     * NULL: every name the mechanism authenticates. */
    const char *const *principals;
    size_t principal_count;
} http_server_options;

typedef struct http_server http_server;

/* Binds and starts serving on the server's own threads (one per
 * connection), and logs whether Basic is accepted over plain HTTP.
 * SMSPROV_E_ACCESS_DENIED naming the address and port when they cannot be
 * bound, SMSPROV_E_INVALID_PARAMETER for a bad address, an unreadable
 * certificate or key, a key that group or others may read (with the chmod
 * to run), or a TLS priority string GnuTLS rejects. */
smsprov_code http_server_start(const http_server_options *opts, http_server **out,
                               smsprov_error *err);
/* The port actually bound. */
unsigned http_server_port(const http_server *server);
/* Stops accepting new connections; running requests go on. */
void http_server_quiesce(http_server *server);
/* Waits until no request is being handled, up to timeout_ms; false when some
 * still run. */
bool http_server_drain(http_server *server, unsigned timeout_ms);
/* Closes every connection and frees the server. */
void http_server_stop(http_server *server);

/* Puts a new certificate and key in force on an HTTPS listener (the
 * configuration reload): after the checks http_tls_check_files makes, the
 * listening socket passes to a new libmicrohttpd daemon holding the new
 * pair, while the connections already open finish on the old one (freed at
 * a later reload or at stop, once they have closed).  Nothing happens for
 * a plain HTTP listener or an unchanged pair.  SMSPROV_E_INVALID_PARAMETER
 * naming the file (the old pair stays in force), SMSPROV_E_FAILED when the
 * daemon refused the pair (the old pair listens again). */
smsprov_code http_server_reload_tls(http_server *server, const char *certificate_file,
                                    const char *key_file, smsprov_error *err);

/* ---- transport policy --------------------------------------------------- */

/* True for 127.0.0.0/8, ::1 and ::ffff:127.0.0.0/104 (text form). */
bool http_address_is_loopback(const char *numeric_address);

/* Whether Basic credentials may be taken from this client: always over TLS
 * and from loopback; over plain HTTP from elsewhere only when
 * allow_unencrypted is set, as WinRM's AllowUnencrypted. */
bool http_basic_allowed(const char *client_address, bool secure, bool allow_unencrypted);

/* The start-up sentence saying what a listener on address:port does with
 * Basic over plain HTTP.  Caller frees. */
char *http_unencrypted_policy_text(const char *address, unsigned port, bool allow_unencrypted);

/* Checks an HTTPS listener's files without starting one: the priority
 * string (NULL: HTTP_TLS_PRIORITIES), both files readable PEM, the key
 * readable by its owner only, and the key matching the certificate.
 * SMSPROV_E_INVALID_PARAMETER with a sentence naming the file otherwise. */
smsprov_code http_tls_check_files(const char *certificate_file, const char *key_file,
                                  const char *priorities, smsprov_error *err);

/* Points GSSAPI at the keytab (Kerberos) and the NTLM user file
 * (gss-ntlmssp: DOMAIN:user:password lines) through KRB5_KTNAME and
 * NTLM_USER_FILE after checking that each is readable, not empty and
 * readable by its owner only; either may be NULL.  Call before any thread
 * starts (it calls setenv).  SMSPROV_E_INVALID_PARAMETER naming the file
 * and the fix, or saying gss-ntlmssp is not installed. */
smsprov_code http_gss_setup(const char *keytab, const char *ntlm_user_file,
                            smsprov_error *err);

/* http_gss_setup's checks of the two files alone, with no change to the
 * environment: safe while the server runs (the configuration reload).
 * gss-ntlmssp reads the NTLM user file at every NTLM login, so a file
 * edited in place is in force at the next login. */
smsprov_code http_gss_check_files(const char *keytab, const char *ntlm_user_file,
                                  smsprov_error *err);

/* A line of the NTLM user file for name (DOMAIN\\user, the domain as
 * Windows users will type it) in smbpasswd form: the NT hash
 * (MD4 of the UTF-16LE password) instead of the password, which gss-ntlmssp
 * takes as well.  Caller frees.  SMSPROV_E_INVALID_PARAMETER when the
 * password is not UTF-8. */
smsprov_code http_ntlm_user_line(const char *name, const char *password, char **out,
                                 smsprov_error *err);

/* Whether path exists and others (not only the group) may read it. */
bool http_file_readable_by_others(const char *path);

#endif
