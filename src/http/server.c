/* server.c - the libmicrohttpd daemon: one thread per connection, the caller
 * decided from the headers before any body is read, bodies read in full up
 * to a bound, routing. */
#include "http/http.h"

#include <errno.h>
#include <microhttpd.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "http/gss.h"
#include "http/guard.h"
#include "http/mhd_log.h"
#include "http/tcp_ack.h"
#include "http/tls.h"
#include "smsprov/cim.h"

#define DEFAULT_MAX_REQUEST (4u * 1024 * 1024)
#define DEFAULT_ANONYMOUS_MAX 4096u
#define DEFAULT_HEADER_TIMEOUT 20u
#define DEFAULT_IDLE_TIMEOUT 120u
/* Kerberos tickets with large PACs make Authorization headers of several
 * KiB; libmicrohttpd's default pool of 32 KiB per connection is too tight. */
#define GSS_CONNECTION_MEMORY (128u * 1024)

/* A daemon that handed its listening socket to a successor (a certificate
 * reload) and serves only the connections it had; freed once they end. */
typedef struct retired_daemon {
    struct MHD_Daemon *daemon;
    char *cert_pem, *key_pem;
} retired_daemon;

struct http_server {
    struct MHD_Daemon *daemon;
    retired_daemon *retired;
    size_t retired_count;
    int family; /* of the bound address */
    unsigned max_connections, per_address_limit, idle_timeout_s;
    http_users *users;
    http_route *routes;
    size_t route_count;
    size_t max_request_bytes;
    bool secure;
    bool allow_unencrypted;
    unsigned port;
    char *cert_pem, *key_pem, *priorities; /* kept alive while the daemon runs */
    smsprov_log *log;
    http_guard *guard;
    http_mhd_log *mhd_log;
    atomic_int active; /* requests being handled */
    unsigned schemes;    /* HTTP_AUTH_* offered */
    unsigned mechanisms; /* HTTP_AUTH_KERBEROS, HTTP_AUTH_NTLM */
    http_gss_acceptor *acceptor; /* the credentials every connection accepts with */
    char **principals;   /* NULL: every authenticated name */
    size_t principal_count;
    atomic_uint handshakes; /* half-finished Negotiate handshakes */
};

/* What lives as long as one TCP connection. */
typedef struct connection {
    http_guarded *guarded;
    http_gss_conn *gss; /* the Negotiate/Kerberos context bound to it, once one starts */
    bool handshaking;   /* counted in http_server.handshakes */
} connection;

/* Who sent a request, for decisions and the log. */
typedef struct client_info {
    char address[64]; /* "127.0.0.1" */
    char text[96];    /* "127.0.0.1:50312" */
} client_info;

/* What one request accumulates between the access handler's calls. */
typedef struct request_state {
    const http_route *route;
    char *user;       /* NULL: anonymous */
    size_t limit;     /* the body may not exceed this */
    bool too_large;
    bool anonymous;
    client_info client;
    cim_buf body;
    size_t received;     /* body bytes, kept or not */
    http_gss_conn *gss;  /* the connection's context, when it authenticated the request */
    http_encryption encrypted; /* the protocol the body is encrypted in */
    char *token;         /* a GSSAPI token for WWW-Authenticate on the answer */
    http_gss_scheme token_scheme;
    bool auth_leg;       /* the handshake completed on this request */
    bool discard;        /* a handshake leg's body: dropped, then 401 with token */
} request_state;

/* The authentication headers of an answer. */
typedef struct reply_auth {
    bool challenge;      /* 401: offer the schemes */
    bool basic;          /* ... Basic among them */
    bool close;          /* Connection: close */
    http_gss_scheme token_scheme;
    const char *token;   /* WWW-Authenticate: <scheme> <token> */
} reply_auth;

const char *http_request_header(const http_request *req, const char *name)
{
    return MHD_lookup_connection_value((struct MHD_Connection *)req->connection,
                                       MHD_HEADER_KIND, name);
}

/* Each scheme on its own header line, Negotiate first (python clients
 * look for it anywhere in the joined value); NTLM is accepted but never
 * offered, as Windows does. */
static void add_auth_headers(const http_server *s, struct MHD_Response *resp,
                             const reply_auth *auth)
{
    if (!auth)
        return;
    if (auth->token) {
        char *value = cim_xasprintf("%s %s", http_gss_scheme_name(auth->token_scheme),
                                    auth->token);
        MHD_add_response_header(resp, MHD_HTTP_HEADER_WWW_AUTHENTICATE, value);
        free(value);
    }
    if (auth->challenge) {
        if (s->schemes & HTTP_AUTH_NEGOTIATE)
            MHD_add_response_header(resp, MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Negotiate");
        if (s->schemes & HTTP_AUTH_KERBEROS)
            MHD_add_response_header(resp, MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Kerberos");
        if (auth->basic && (s->schemes & HTTP_AUTH_BASIC))
            MHD_add_response_header(resp, MHD_HTTP_HEADER_WWW_AUTHENTICATE,
                                    "Basic realm=\"WSMAN\"");
    }
    if (auth->close)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONNECTION, "close");
}

static enum MHD_Result send_response(const http_server *s, struct MHD_Connection *conn,
                                     unsigned status, const char *content_type, char *body,
                                     size_t len, const reply_auth *auth,
                                     const http_header *extra)
{
    struct MHD_Response *resp =
        body ? MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE)
             : MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
    if (!resp) {
        free(body);
        return MHD_NO;
    }
    if (content_type)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, content_type);
    for (size_t i = 0; extra && i < HTTP_MAX_EXTRA_HEADERS && extra[i].name; i++)
        MHD_add_response_header(resp, extra[i].name, extra[i].value);
    add_auth_headers(s, resp, auth);
    if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, "POST");
    enum MHD_Result ok = MHD_queue_response(conn, status, resp);
    MHD_destroy_response(resp);
    return ok;
}

static const reply_auth CHALLENGE = {.challenge = true, .basic = true};
static const reply_auth CHALLENGE_AND_CLOSE = {.challenge = true, .basic = true, .close = true};
static const reply_auth CLOSE = {.close = true};

static enum MHD_Result send_status(const http_server *s, struct MHD_Connection *conn,
                                   unsigned status, const reply_auth *auth)
{
    return send_response(s, conn, status, NULL, NULL, 0, auth, NULL);
}

/* A streamed body: MHD's reader callback over the handler's stream. */
typedef struct body_stream {
    long (*read)(void *data, char *buf, size_t max);
    void (*free)(void *data);
    void *data;
} body_stream;

static ssize_t read_stream(void *cls, uint64_t pos, char *buf, size_t max)
{
    (void)pos;
    body_stream *bs = cls;
    long n = bs->read(bs->data, buf, max);
    if (n > 0)
        return (ssize_t)n;
    return n == 0 ? MHD_CONTENT_READER_END_OF_STREAM : MHD_CONTENT_READER_END_WITH_ERROR;
}

static void free_stream(void *cls)
{
    body_stream *bs = cls;
    bs->free(bs->data);
    free(bs);
}

/* Sends a handler's streamed answer with chunked transfer encoding. */
static enum MHD_Result send_stream(const http_server *s, struct MHD_Connection *conn,
                                   unsigned status, const http_response *r,
                                   const reply_auth *auth)
{
    body_stream *bs = cim_xmalloc(sizeof *bs);
    *bs = (body_stream){r->stream, r->stream_free, r->stream_data};
    struct MHD_Response *resp =
        MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 64 * 1024, read_stream, bs,
                                          free_stream);
    if (!resp) {
        free_stream(bs);
        return MHD_NO;
    }
    if (r->content_type)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, r->content_type);
    for (size_t i = 0; i < HTTP_MAX_EXTRA_HEADERS && r->headers[i].name; i++)
        MHD_add_response_header(resp, r->headers[i].name, r->headers[i].value);
    add_auth_headers(s, resp, auth);
    enum MHD_Result ok = MHD_queue_response(conn, status, resp);
    MHD_destroy_response(resp);
    return ok;
}

/* A prefix route owns its path and everything under it (a REST door
 * addresses resources by path); the others match exactly. */
static bool route_matches(const http_route *r, const char *url, size_t n)
{
    size_t len = strlen(r->path);
    if (r->prefix)
        return n >= len && strncasecmp(r->path, url, len) == 0 &&
               (n == len || url[len] == '/');
    return len == n && strncmp(r->path, url, n) == 0;
}

static const http_route *find_route(const http_server *s, const char *url)
{
    size_t n = strlen(url);
    if (n > 1 && url[n - 1] == '/')
        n--; /* omicli posts to /wsman/ */
    for (size_t i = 0; i < s->route_count; i++)
        if (route_matches(&s->routes[i], url, n))
            return &s->routes[i];
    return NULL;
}

typedef struct arg_walk {
    http_arg_fn fn;
    void *data;
} arg_walk;

static enum MHD_Result each_arg(void *cls, enum MHD_ValueKind kind, const char *key,
                                const char *value)
{
    (void)kind;
    arg_walk *w = cls;
    return w->fn(w->data, key, value ? value : "") ? MHD_YES : MHD_NO;
}

void http_request_args(const http_request *req, http_arg_fn fn, void *data)
{
    arg_walk w = {fn, data};
    MHD_get_connection_values((struct MHD_Connection *)req->connection, MHD_GET_ARGUMENT_KIND,
                              each_arg, &w);
}

static void client_of(struct MHD_Connection *conn, client_info *out)
{
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    char port[16] = "?";
    snprintf(out->address, sizeof out->address, "?");
    if (info && info->client_addr) {
        socklen_t len = info->client_addr->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6)
                                                                 : sizeof(struct sockaddr_in);
        getnameinfo(info->client_addr, len, out->address, sizeof out->address, port,
                    sizeof port, NI_NUMERICHOST | NI_NUMERICSERV);
    }
    snprintf(out->text, sizeof out->text, "%s:%s", out->address, port);
}

static connection *connection_of(struct MHD_Connection *conn)
{
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    return info ? (connection *)info->socket_context : NULL;
}

static http_guarded *guarded_of(struct MHD_Connection *conn)
{
    connection *c = connection_of(conn);
    return c ? c->guarded : NULL;
}

/* ---- HTTP conformance, checked on the headers ---------------------------- */

typedef struct header_count {
    const char *name;
    unsigned count;
    const char *first;
    bool differ;
} header_count;

static enum MHD_Result count_header(void *cls, enum MHD_ValueKind kind, const char *key,
                                    const char *value)
{
    (void)kind;
    header_count *h = cls;
    if (!key || cim_strcasecmp(key, h->name) != 0)
        return MHD_YES;
    if (h->count++ == 0)
        h->first = value;
    else if (strcmp(h->first ? h->first : "", value ? value : "") != 0)
        h->differ = true;
    return MHD_YES;
}

static header_count count_headers(struct MHD_Connection *conn, const char *name)
{
    header_count h = {.name = name};
    MHD_get_connection_values(conn, MHD_HEADER_KIND, count_header, &h);
    return h;
}

/* Requests libmicrohttpd passes on but HTTP/1.1 (RFC 9112) does not allow
 * a server to guess at: 0 when the request may go on, else the status. */
static unsigned check_framing(http_server *s, struct MHD_Connection *conn, const char *version,
                              const client_info *client)
{
    const char *why = NULL;
    unsigned status = 0;
    header_count host = count_headers(conn, MHD_HTTP_HEADER_HOST);
    header_count length = count_headers(conn, MHD_HTTP_HEADER_CONTENT_LENGTH);
    const char *te = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
                                                 MHD_HTTP_HEADER_TRANSFER_ENCODING);
    if (te && cim_strcasecmp(te, "chunked") != 0) {
        why = "a Transfer-Encoding other than chunked";
        status = MHD_HTTP_NOT_IMPLEMENTED;
    } else if (length.differ) {
        why = "two different Content-Length values";
        status = MHD_HTTP_BAD_REQUEST;
    } else if (version && strcmp(version, MHD_HTTP_VERSION_1_1) == 0 && host.count != 1) {
        why = host.count ? "more than one Host header" : "no Host header (HTTP/1.1 requires one)";
        status = MHD_HTTP_BAD_REQUEST;
    }
    if (why)
        SMSPROV_LOG(s->log, SMSPROV_LOG_WARNING, "Refused a request from %s with %s: %u.",
                    client->text, why, status);
    return status;
}

/* ---- authentication, from the headers ----------------------------------- */

typedef enum auth_result { AUTH_ANONYMOUS, AUTH_OK, AUTH_FAILED, AUTH_UNENCRYPTED } auth_result;

static void log_login(http_server *s, http_login_result r, const char *name,
                      const client_info *client, const http_login_info *info)
{
    if (r == HTTP_LOGIN_BACKING_OFF) {
        if (info->first_refusal)
            SMSPROV_LOG(s->log, SMSPROV_LOG_WARNING,
                        "Refused a login as \"%s\" from %s unchecked: after %u failure(s) %s, "
                        "logins are refused for %u more second(s).",
                        name, client->text,
                        info->by_user ? info->user_failures : info->address_failures,
                        info->by_user ? "for this user" : "from this address", info->wait_s);
        return;
    }
    if (info->wait_s)
        SMSPROV_LOG(s->log, SMSPROV_LOG_WARNING,
                    "Authentication failed for user \"%s\" from %s (failure %u from this address, "
                    "%u for this user); backing off: further logins %s are refused for %u s.",
                    name, client->text, info->address_failures, info->user_failures,
                    info->by_user ? "as this user" : "from this address", info->wait_s);
    else
        SMSPROV_LOG(s->log, SMSPROV_LOG_WARNING,
                    "Authentication failed for user \"%s\" from %s.", name, client->text);
}

/* Basic, or a scheme nobody offers (which then gets the challenges, so the
 * client can fall back or report it).  Negotiate, Kerberos and NTLM are
 * on_gss_leg's. */
static auth_result authenticate(http_server *s, struct MHD_Connection *conn, char **user,
                                const client_info *client)
{
    *user = NULL;
    if (!MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION))
        return AUTH_ANONYMOUS;
    if (!(s->schemes & HTTP_AUTH_BASIC)) {
        SMSPROV_LOG(s->log, SMSPROV_LOG_WARNING,
                    "Refused Basic (or unknown) credentials from %s: this listener takes "
                    "Negotiate%s only (schemes in [auth]).",
                    client->text, s->schemes & HTTP_AUTH_KERBEROS ? " and Kerberos" : "");
        return AUTH_FAILED;
    }
    if (!http_basic_allowed(client->address, s->secure, s->allow_unencrypted)) {
        SMSPROV_LOG(s->log, SMSPROV_LOG_WARNING,
                    "Refused credentials sent by %s over unencrypted HTTP; use HTTPS (or set "
                    "allow_unencrypted = true in [auth]).",
                    client->text);
        return AUTH_UNENCRYPTED;
    }
    char *password = NULL;
    char *name = MHD_basic_auth_get_username_password(conn, &password);
    http_login_result r = HTTP_LOGIN_FAILED;
    http_login_info info = {0};
    if (name && password)
        r = http_users_login(s->users, name, password, client->address, &info);
    if (r != HTTP_LOGIN_OK)
        log_login(s, r, name ? name : "(none)", client, &info);
    else
        *user = cim_xstrdup(name);
    if (password) {
        memset(password, 0, strlen(password));
        MHD_free(password);
    }
    if (name)
        MHD_free(name);
    return r == HTTP_LOGIN_OK ? AUTH_OK : AUTH_FAILED;
}

static double elapsed_ms(const struct timespec *start)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - start->tv_sec) * 1e3 +
           (double)(now.tv_nsec - start->tv_nsec) / 1e6;
}

/* Whether the route reads this anonymous request at all, and how much of
 * it. */
static bool anonymous_accepted(http_server *s, struct MHD_Connection *conn, const char *url,
                               const char *method, request_state *rs, unsigned long long length)
{
    const http_route *route = rs->route;
    if (!route->allow_anonymous)
        return false;
    http_request probe = {.method = method, .path = url, .address = rs->client.address,
                          .client = rs->client.text, .secure = s->secure, .connection = conn};
    if (route->anonymous_filter && !route->anonymous_filter(route->data, &probe))
        return false;
    rs->limit = route->anonymous_max_bytes ? route->anonymous_max_bytes : DEFAULT_ANONYMOUS_MAX;
    if (rs->limit > s->max_request_bytes)
        rs->limit = s->max_request_bytes;
    if (length > rs->limit) {
        SMSPROV_LOG(s->log, SMSPROV_LOG_WARNING,
                    "Refused an anonymous request of %llu bytes from %s: anonymous requests may "
                    "carry %zu bytes at most.",
                    length, rs->client.text, rs->limit);
        return false;
    }
    return true;
}

/* ---- Negotiate, Kerberos and NTLM, bound to the connection --------------- */

/* What the headers say about the body. */
typedef struct body_size {
    unsigned long long length; /* Content-Length, 0 when absent */
    bool chunked;
} body_size;

static bool has_body(body_size size)
{
    return size.length > 0 || size.chunked;
}

static enum MHD_Result check_length(http_server *s, struct MHD_Connection *conn,
                                    request_state *rs, unsigned long long length)
{
    if (length <= rs->limit)
        return MHD_YES;
    SMSPROV_LOG(s->log, SMSPROV_LOG_WARNING,
                "Refused a request from %s: the body is larger than %zu bytes.",
                rs->client.text, rs->limit);
    return send_status(s, conn, MHD_HTTP_CONTENT_TOO_LARGE, NULL);
}

static bool principal_allowed(const http_server *s, const char *name)
{
    if (!s->principals)
        return true;
    for (size_t i = 0; i < s->principal_count; i++)
        if (cim_strcasecmp(s->principals[i], name) == 0)
            return true;
    return false;
}

static void handshake_over(http_server *s, connection *cn)
{
    if (cn->handshaking) {
        atomic_fetch_sub(&s->handshakes, 1);
        cn->handshaking = false;
    }
}

/* The request rides on the connection's established context: over plain
 * HTTP its body must be encrypted (MS-WSMV), which the Content-Type says
 * before a byte of the body is read. */
static enum MHD_Result on_session(http_server *s, struct MHD_Connection *conn, connection *cn,
                                  request_state *rs, body_size size)
{
    rs->gss = cn->gss;
    rs->user = cim_xstrdup(http_gss_user(cn->gss));
    rs->encrypted = http_multipart_protocol(
        MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE));
    if (rs->encrypted == HTTP_ENCRYPTION_NONE && has_body(size) && !s->secure &&
        !s->allow_unencrypted) {
        SMSPROV_LOG(s->log, SMSPROV_LOG_WARNING,
                    "Refused an unencrypted request from %s (%s) on plain HTTP: after %s "
                    "authentication every message must be encrypted (or set allow_unencrypted "
                    "= true in [auth]).",
                    rs->client.text, rs->user, http_gss_scheme_name(http_gss_conn_scheme(cn->gss)));
        return send_status(s, conn, MHD_HTTP_BAD_REQUEST, &CLOSE);
    }
    rs->limit = s->max_request_bytes;
    http_guard_release(s->guard, guarded_of(conn));
    return check_length(s, conn, rs, size.length);
}

/* The login back-off's name for a Negotiate login from rs's address: the
 * client's name is only known once it has authenticated, so failures count
 * against the address (under both of its windows). */
static void gss_backoff_key(const request_state *rs, char *key, size_t size)
{
    snprintf(key, size, "negotiate@%s", rs->client.address);
}

static enum MHD_Result gss_close(http_server *s, struct MHD_Connection *conn, connection *cn)
{
    if (cn) {
        handshake_over(s, cn);
        if (cn->gss)
            http_gss_conn_reset(cn->gss);
    }
    return send_status(s, conn, MHD_HTTP_UNAUTHORIZED, &CHALLENGE_AND_CLOSE);
}

/* A failed login: logged, counted by the back-off, 401 and close. */
static enum MHD_Result gss_refuse(http_server *s, struct MHD_Connection *conn, connection *cn,
                                  request_state *rs, http_gss_scheme scheme, const char *why)
{
    char key[128];
    gss_backoff_key(rs, key, sizeof key);
    http_login_info info = {0};
    http_users_backoff_record(s->users, rs->client.address, key, false, &info);
    if (info.wait_s)
        SMSPROV_LOG(s->log, SMSPROV_LOG_WARNING,
                    "%s authentication from %s failed: %s (failure %u from this address); "
                    "backing off: further logins from it are refused for %u s.",
                    http_gss_scheme_name(scheme), rs->client.text, why, info.address_failures,
                    info.wait_s);
    else
        SMSPROV_LOG(s->log, SMSPROV_LOG_WARNING, "%s authentication from %s failed: %s.",
                    http_gss_scheme_name(scheme), rs->client.text, why);
    return gss_close(s, conn, cn);
}

/* A leg refused for another reason than credentials (not counted). */
static enum MHD_Result gss_decline(http_server *s, struct MHD_Connection *conn, connection *cn,
                                   request_state *rs, http_gss_scheme scheme, const char *why)
{
    SMSPROV_LOG(s->log, SMSPROV_LOG_WARNING, "Refused %s authentication from %s: %s.",
                http_gss_scheme_name(scheme), rs->client.text, why);
    return gss_close(s, conn, cn);
}

/* A leg that needs another: the token goes back in a 401 on the same
 * connection.  A leg's body (requests_ntlm resends the request's) is read
 * and dropped, never parsed, up to the anonymous cap. */
static enum MHD_Result gss_continue(http_server *s, struct MHD_Connection *conn,
                                    connection *cn, request_state *rs, http_gss_scheme scheme,
                                    const char *reply, body_size size)
{
    if (!cn->handshaking) {
        if (atomic_fetch_add(&s->handshakes, 1) >= HTTP_MAX_HANDSHAKES) {
            atomic_fetch_sub(&s->handshakes, 1);
            return gss_decline(s, conn, cn, rs, scheme,
                               "too many handshakes are half-finished on this listener");
        }
        cn->handshaking = true;
    }
    reply_auth auth = {.token_scheme = scheme, .token = reply ? reply : ""};
    rs->limit = rs->route->anonymous_max_bytes ? rs->route->anonymous_max_bytes
                                               : DEFAULT_ANONYMOUS_MAX;
    if (size.length > rs->limit) /* libmicrohttpd then closes: the handshake ends here */
        return send_status(s, conn, MHD_HTTP_UNAUTHORIZED, &auth);
    /* Answered once the request is complete, even an empty one: a response
     * queued with the headers makes libmicrohttpd close the connection,
     * and with it the context. */
    rs->discard = true;
    rs->anonymous = true; /* under the headers' deadline, cut past the cap */
    rs->token = cim_xstrdup(auth.token);
    rs->token_scheme = scheme;
    return MHD_YES;
}

static enum MHD_Result gss_complete(http_server *s, struct MHD_Connection *conn,
                                    connection *cn, request_state *rs, http_gss_scheme scheme,
                                    const char *reply, body_size size)
{
    handshake_over(s, cn);
    const char *user = http_gss_user(cn->gss);
    if (!principal_allowed(s, user)) {
        char *why = cim_xasprintf("%s is not among the principals in [auth]", user);
        enum MHD_Result r = gss_refuse(s, conn, cn, rs, scheme, why);
        free(why);
        return r;
    }
    if (!s->secure && !s->allow_unencrypted && !http_gss_can_encrypt(cn->gss))
        return gss_refuse(s, conn, cn, rs, scheme,
                          "the context cannot encrypt, and plain HTTP requires it");
    char key[128];
    gss_backoff_key(rs, key, sizeof key);
    http_users_backoff_record(s->users, rs->client.address, key, true, NULL);
    SMSPROV_LOG(s->log, SMSPROV_LOG_INFO, "%s from %s authenticated as %s (%s).",
                http_gss_scheme_name(scheme), rs->client.text, user,
                http_gss_mechanism(cn->gss));
    rs->token = reply ? cim_xstrdup(reply) : NULL;
    rs->token_scheme = scheme;
    rs->auth_leg = true;
    return on_session(s, conn, cn, rs, size);
}

/* An Authorization header with a Negotiate, Kerberos or NTLM token: one leg
 * of the handshake on this connection (a new header on an authenticated
 * connection starts over).  The body is read only once it completes. */
static enum MHD_Result on_gss_leg(http_server *s, struct MHD_Connection *conn, connection *cn,
                                  request_state *rs, http_gss_scheme scheme, const char *token,
                                  body_size size)
{
    bool enabled = scheme == HTTP_GSS_KERBEROS ? (s->schemes & HTTP_AUTH_KERBEROS) != 0
                                               : (s->schemes & HTTP_AUTH_NEGOTIATE) != 0;
    if (!enabled || !cn)
        return gss_decline(s, conn, cn, rs, scheme, "the scheme is not enabled on this listener");
    if (!token)
        return gss_decline(s, conn, cn, rs, scheme, "the Authorization header has no token");
    char key[128];
    gss_backoff_key(rs, key, sizeof key);
    http_login_info info = {0};
    if (http_users_backoff_refuses(s->users, rs->client.address, key, &info)) {
        if (info.first_refusal)
            SMSPROV_LOG(s->log, SMSPROV_LOG_WARNING,
                        "Refused %s authentication from %s unchecked: after %u failure(s) from "
                        "this address, logins are refused for %u more second(s).",
                        http_gss_scheme_name(scheme), rs->client.text,
                        info.by_user ? info.user_failures : info.address_failures, info.wait_s);
        return gss_close(s, conn, cn);
    }
    if (!cn->gss)
        cn->gss = http_gss_conn_new(s->acceptor);
    char *reply = NULL, *why = NULL;
    enum MHD_Result r;
    switch (http_gss_accept(cn->gss, scheme, token, &reply, &why)) {
    case HTTP_GSS_CONTINUE:
        r = gss_continue(s, conn, cn, rs, scheme, reply, size);
        break;
    case HTTP_GSS_COMPLETE:
        r = gss_complete(s, conn, cn, rs, scheme, reply, size);
        break;
    default:
        r = gss_refuse(s, conn, cn, rs, scheme, why ? why : "unknown");
        break;
    }
    free(reply);
    free(why);
    return r;
}

/* The first call, with the headers only: answer now whatever can be
 * answered without the body, which libmicrohttpd then never reads. */
static enum MHD_Result on_headers(http_server *s, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, request_state *rs)
{
    client_of(conn, &rs->client);
    unsigned status = check_framing(s, conn, version, &rs->client);
    if (status)
        return send_status(s, conn, status, NULL);
    if (strcmp(method, "M-POST") == 0) /* DSP0200: the client falls back to POST */
        return send_status(s, conn, MHD_HTTP_NOT_IMPLEMENTED, NULL);
    rs->route = find_route(s, url);
    if (!rs->route)
        return send_status(s, conn, MHD_HTTP_NOT_FOUND, NULL);
    if (strcmp(method, MHD_HTTP_METHOD_POST) != 0 && !rs->route->any_method)
        return send_status(s, conn, MHD_HTTP_METHOD_NOT_ALLOWED, NULL);

    const char *length_text =
        MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
    body_size size = {length_text ? strtoull(length_text, NULL, 10) : 0,
                      MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
                                                  MHD_HTTP_HEADER_TRANSFER_ENCODING) != NULL};
    const char *token;
    http_gss_scheme scheme = http_gss_scheme_of(
        MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION),
        &token);
    connection *cn = connection_of(conn);
    if (scheme != HTTP_GSS_NONE)
        return on_gss_leg(s, conn, cn, rs, scheme, token, size);
    if (cn && http_gss_established(cn->gss) &&
        !MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION))
        return on_session(s, conn, cn, rs, size);
    auth_result auth = authenticate(s, conn, &rs->user, &rs->client);
    if (auth == AUTH_UNENCRYPTED) {
        reply_auth others = {.challenge = true}; /* every scheme but Basic */
        return send_status(s, conn, MHD_HTTP_UNAUTHORIZED, &others);
    }
    if (auth == AUTH_FAILED)
        return send_status(s, conn, MHD_HTTP_UNAUTHORIZED, &CHALLENGE);
    if (auth == AUTH_ANONYMOUS) {
        if (!anonymous_accepted(s, conn, url, method, rs, size.length))
            return send_status(s, conn, MHD_HTTP_UNAUTHORIZED, &CHALLENGE);
        rs->anonymous = true; /* its body stays under the headers' deadline */
        return check_length(s, conn, rs, size.length);
    }
    rs->limit = s->max_request_bytes;
    http_guard_release(s->guard, guarded_of(conn));
    return check_length(s, conn, rs, size.length);
}

static enum MHD_Result on_body(http_server *s, request_state *rs, const char *data, size_t size)
{
    rs->received += size;
    if (!rs->too_large && rs->received > rs->limit) {
        if (rs->anonymous) {
            /* A chunked anonymous body past its cap: no response can be
             * queued in the middle of an upload, so close. */
            SMSPROV_LOG(s->log, SMSPROV_LOG_WARNING,
                        "Closed the connection of %s: its anonymous request grew past %zu "
                        "bytes.",
                        rs->client.text, rs->limit);
            return MHD_NO;
        }
        rs->too_large = true;
        cim_buf_clear(&rs->body);
    }
    if (!rs->too_large && !rs->discard)
        cim_buf_append_n(&rs->body, data, size);
    return MHD_YES;
}

/* An encrypted request's plaintext into plain; false (logged, the context
 * dropped: its sequence state is spent) when it does not decrypt. */
static bool decrypt_request(http_server *s, request_state *rs, cim_buf *plain)
{
    http_encrypted_part part;
    const char *frame_why = NULL;
    char *why = NULL;
    if (!http_multipart_parse(rs->body.data, rs->body.len, &part, &frame_why))
        why = cim_xstrdup(frame_why);
    else if (http_gss_unwrap(rs->gss, &part, plain, &why))
        return true;
    SMSPROV_LOG(s->log, SMSPROV_LOG_WARNING,
                "Refused an encrypted request from %s (%s): %s; the connection is closed.",
                rs->client.text, rs->user, why);
    free(why);
    http_gss_conn_reset(rs->gss);
    return false;
}

/* A streamed answer, read whole: it is encrypted as one message. */
static void drain_stream(http_response *r)
{
    cim_buf b = {0};
    char chunk[65536];
    long n;
    cim_buf_append_n(&b, r->body ? r->body : "", r->body ? r->body_len : 0);
    while ((n = r->stream(r->stream_data, chunk, sizeof chunk)) > 0)
        cim_buf_append_n(&b, chunk, (size_t)n);
    r->stream_free(r->stream_data);
    r->stream = NULL;
    free(r->body);
    r->body_len = b.len;
    r->body = b.len ? cim_buf_take(&b) : NULL;
    cim_buf_clear(&b);
}

/* The answer to an encrypted request, encrypted in the same protocol. */
static bool encrypt_response(http_server *s, request_state *rs, http_response *r)
{
    if (r->stream)
        drain_stream(r);
    if (!r->body_len)
        return true;
    cim_buf sealed = {0};
    char *why = NULL;
    if (!http_gss_wrap(rs->gss, rs->encrypted, r->body, r->body_len, &sealed, &why)) {
        SMSPROV_LOG(s->log, SMSPROV_LOG_ERROR, "Cannot encrypt the answer to %s (%s): %s.",
                    rs->client.text, rs->user, why);
        free(why);
        cim_buf_clear(&sealed);
        return false;
    }
    free(r->body);
    r->body_len = sealed.len;
    r->body = cim_buf_take(&sealed);
    r->content_type = http_multipart_content_type(rs->encrypted);
    return true;
}

static enum MHD_Result on_complete(http_server *s, struct MHD_Connection *conn, const char *url,
                                   const char *method, request_state *rs)
{
    reply_auth token = {.token_scheme = rs->token_scheme, .token = rs->token};
    if (rs->discard)
        return send_status(s, conn, MHD_HTTP_UNAUTHORIZED, &token);
    if (rs->too_large) {
        SMSPROV_LOG(s->log, SMSPROV_LOG_WARNING,
                    "Refused a request from %s: the body is larger than %zu bytes.",
                    rs->client.text, rs->limit);
        return send_status(s, conn, MHD_HTTP_CONTENT_TOO_LARGE, NULL);
    }
    http_guard_release(s->guard, guarded_of(conn));
    /* WinRM sends the handshake's last leg with no body, then the request
     * encrypted; a REST client (any_method route) sends its request itself
     * with the last leg, and a GET has no body: serve it. */
    if (rs->auth_leg && rs->body.len == 0 && !rs->route->any_method)
        return send_status(s, conn, MHD_HTTP_OK, &token);
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    cim_buf plain = {0};
    if (rs->encrypted && !decrypt_request(s, rs, &plain))
        return send_status(s, conn, MHD_HTTP_BAD_REQUEST, &CLOSE);
    cim_buf *body = rs->encrypted ? &plain : &rs->body;
    cim_buf_append(body, ""); /* a NUL-terminated, never NULL body */
    http_request req = {
        .method = method, .path = url, .body = body->data, .body_len = body->len,
        .user = rs->user, .address = rs->client.address, .client = rs->client.text,
        .secure = s->secure, .connection = conn,
    };
    http_response resp = {0};
    rs->route->handler(rs->route->data, &req, &resp);
    cim_buf_clear(&plain);
    unsigned status = resp.status ? resp.status : MHD_HTTP_OK;
    if (rs->encrypted && !encrypt_response(s, rs, &resp)) {
        free(resp.body);
        return send_status(s, conn, MHD_HTTP_INTERNAL_SERVER_ERROR, &CLOSE);
    }
    SMSPROV_LOG(s->log, SMSPROV_LOG_VERBOSE, "%s %s from %s (%s%s): %u, %zu bytes, %.2f ms",
                method, url, rs->client.text, rs->user ? rs->user : "anonymous",
                rs->encrypted ? ", encrypted" : "", status, resp.body_len, elapsed_ms(&start));
    if (status == MHD_HTTP_UNAUTHORIZED)
        token = CHALLENGE;
    if (resp.stream) {
        free(resp.body);
        return send_stream(s, conn, status, &resp, &token);
    }
    return send_response(s, conn, status, resp.content_type, resp.body, resp.body_len, &token,
                         resp.headers);
}

/* The socket of a connection, for tcp_ack; -1 when MHD cannot say. */
static int connection_fd(struct MHD_Connection *conn)
{
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
    return info ? info->connect_fd : -1;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_size, void **con_cls)
{
    http_server *s = cls;
    request_state *rs = *con_cls;
    tcp_ack_now(connection_fd(conn)); /* MHD calls here after each read */
    if (!rs) {
        rs = cim_xcalloc(1, sizeof *rs);
        *con_cls = rs;
        return on_headers(s, conn, url, method, version, rs);
    }
    if (*upload_size) {
        size_t size = *upload_size;
        *upload_size = 0;
        return on_body(s, rs, upload_data, size);
    }
    atomic_fetch_add(&s->active, 1);
    enum MHD_Result r = on_complete(s, conn, url, method, rs);
    atomic_fetch_sub(&s->active, 1);
    return r;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    http_server *s = cls;
    request_state *rs = *con_cls;
    if (toe != MHD_REQUEST_TERMINATED_COMPLETED_OK && toe != MHD_REQUEST_TERMINATED_DAEMON_SHUTDOWN)
        SMSPROV_LOG(s->log, SMSPROV_LOG_VERBOSE,
                    "A request ended before its answer was sent (code %d); the client left.",
                    (int)toe);
    http_guard_request_done(s->guard, guarded_of(conn));
    if (rs) {
        cim_buf_clear(&rs->body);
        free(rs->user);
        free(rs->token);
        free(rs);
    }
    *con_cls = NULL;
}

/* Connections come and go here, so the guard knows every one of them;
 * new ones also get no Nagle delay on what the server writes, and quick
 * ACKs. */
static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
                          enum MHD_ConnectionNotificationCode code)
{
    http_server *s = cls;
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        int fd = connection_fd(conn);
        client_info client;
        client_of(conn, &client);
        connection *c = cim_xcalloc(1, sizeof *c);
        c->guarded = fd >= 0 ? http_guard_add(s->guard, fd, client.address) : NULL;
        *socket_context = c;
        tcp_ack_configure(fd);
    } else if (code == MHD_CONNECTION_NOTIFY_CLOSED) {
        connection *c = *socket_context;
        if (c) {
            http_guard_remove(s->guard, c->guarded);
            handshake_over(s, c);
            http_gss_conn_free(c->gss); /* the context dies with its connection */
            free(c);
        }
        *socket_context = NULL;
    }
}

/* Called when a request line has arrived, before its headers. */
static void *on_request_line(void *cls, const char *uri, struct MHD_Connection *conn)
{
    (void)uri;
    http_server *s = cls;
    http_guard_request_started(s->guard, guarded_of(conn));
    return NULL;
}

static smsprov_code resolve_address(const char *address, unsigned port,
                                    struct sockaddr_storage *out, smsprov_error *err)
{
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
                             .ai_flags = AI_PASSIVE | AI_NUMERICSERV};
    struct addrinfo *res = NULL;
    char port_text[16];
    snprintf(port_text, sizeof port_text, "%u", port);
    int rc = getaddrinfo(address, port_text, &hints, &res);
    if (rc != 0 || !res)
        return smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER,
                                 "The listen address \"%s\" cannot be resolved (%s).",
                                 address ? address : "", gai_strerror(rc));
    memcpy(out, res->ai_addr, res->ai_addrlen);
    freeaddrinfo(res);
    return SMSPROV_OK;
}

static void free_server(http_server *s)
{
    for (size_t i = 0; i < s->retired_count; i++) {
        MHD_stop_daemon(s->retired[i].daemon);
        free(s->retired[i].cert_pem);
        free(s->retired[i].key_pem);
    }
    free(s->retired);
    http_guard_stop(s->guard);
    http_mhd_log_free(s->mhd_log);
    for (size_t i = 0; i < s->route_count; i++)
        free((char *)s->routes[i].path);
    free(s->routes);
    free(s->cert_pem);
    free(s->key_pem);
    free(s->priorities);
    http_gss_acceptor_free(s->acceptor);
    for (size_t i = 0; i < s->principal_count; i++)
        free(s->principals[i]);
    free(s->principals);
    free(s);
}

static smsprov_code load_tls(http_server *s, const http_server_options *opts, smsprov_error *err)
{
    const char *priorities =
        opts->limits.tls_priorities ? opts->limits.tls_priorities : HTTP_TLS_PRIORITIES;
    if (http_tls_check_priorities(priorities, err) != SMSPROV_OK)
        return SMSPROV_E_INVALID_PARAMETER;
    s->priorities = cim_xstrdup(priorities);
    s->cert_pem = http_tls_read_pem(opts->certificate_file, "certificate", err);
    s->key_pem = s->cert_pem ? http_tls_read_pem(opts->key_file, "key", err) : NULL;
    return s->key_pem ? SMSPROV_OK : SMSPROV_E_INVALID_PARAMETER;
}

static http_server *new_server(const http_server_options *opts)
{
    http_server *s = cim_xcalloc(1, sizeof *s);
    s->users = opts->users;
    s->log = opts->log;
    s->max_request_bytes = opts->max_request_bytes ? opts->max_request_bytes : DEFAULT_MAX_REQUEST;
    s->allow_unencrypted = opts->limits.allow_unencrypted;
    s->schemes = opts->schemes ? opts->schemes : HTTP_AUTH_BASIC;
    s->mechanisms = opts->mechanisms;
    s->acceptor = http_gss_acceptor_new(opts->mechanisms);
    atomic_init(&s->handshakes, 0);
    if (opts->principals) {
        s->principals = cim_xcalloc(opts->principal_count ? opts->principal_count : 1,
                                    sizeof *s->principals);
        s->principal_count = opts->principal_count;
        for (size_t i = 0; i < opts->principal_count; i++)
            s->principals[i] = cim_xstrdup(opts->principals[i]);
    }
    s->routes = cim_xcalloc(opts->route_count ? opts->route_count : 1, sizeof *s->routes);
    s->route_count = opts->route_count;
    for (size_t i = 0; i < opts->route_count; i++) {
        s->routes[i] = opts->routes[i];
        s->routes[i].path = cim_xstrdup(opts->routes[i].path);
    }
    atomic_init(&s->active, 0);
    s->mhd_log = http_mhd_log_new(opts->log);
    s->secure = opts->certificate_file && opts->key_file;
    s->max_connections = opts->max_connections ? opts->max_connections : 256u;
    s->per_address_limit = opts->limits.max_connections_per_address;
    s->idle_timeout_s = opts->connection_timeout_s ? opts->connection_timeout_s
                                                   : DEFAULT_IDLE_TIMEOUT;
    return s;
}

/* Listens on addr, or on listen_fd (a predecessor's socket) when valid,
 * with the certificate and key given (s->secure). */
static struct MHD_Daemon *start_daemon(http_server *s, struct sockaddr_storage *addr,
                                       MHD_socket listen_fd, const char *cert_pem,
                                       const char *key_pem)
{
    unsigned flags = MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD |
                     MHD_USE_POLL | MHD_USE_ITC | MHD_USE_ERROR_LOG;
    if (s->family == AF_INET6)
        flags |= MHD_USE_IPv6;
    if (s->secure)
        flags |= MHD_USE_TLS;
    struct MHD_OptionItem socket_option =
        listen_fd != MHD_INVALID_SOCKET
            ? (struct MHD_OptionItem){MHD_OPTION_LISTEN_SOCKET, (intptr_t)listen_fd, NULL}
            : (struct MHD_OptionItem){MHD_OPTION_SOCK_ADDR, 0, addr};
    struct MHD_OptionItem tls[] = {
        socket_option,
        {MHD_OPTION_HTTPS_MEM_CERT, 0, (void *)cert_pem},
        {MHD_OPTION_HTTPS_MEM_KEY, 0, (void *)key_pem},
        {MHD_OPTION_HTTPS_PRIORITIES, 0, s->priorities},
        {MHD_OPTION_END, 0, NULL},
    };
    if (!s->secure)
        tls[1] = tls[4];
    return MHD_start_daemon(
        flags, 0, NULL, NULL, on_request, s,
        MHD_OPTION_EXTERNAL_LOGGER, http_mhd_log_message, s->mhd_log,
        MHD_OPTION_CONNECTION_LIMIT, s->max_connections,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, s->per_address_limit,
        MHD_OPTION_CONNECTION_TIMEOUT, s->idle_timeout_s,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
        MHD_OPTION_NOTIFY_CONNECTION, on_connection, s,
        MHD_OPTION_URI_LOG_CALLBACK, on_request_line, s,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT,
        (size_t)(s->schemes & (HTTP_AUTH_NEGOTIATE | HTTP_AUTH_KERBEROS) ? GSS_CONNECTION_MEMORY
                                                                          : 32u * 1024),
        MHD_OPTION_ARRAY, tls,
        MHD_OPTION_END);
}

smsprov_code http_server_start(const http_server_options *opts, http_server **out,
                               smsprov_error *err)
{
    *out = NULL;
    http_server *s = new_server(opts);
    const char *address = opts->address ? opts->address : "127.0.0.1";
    struct sockaddr_storage addr;
    smsprov_code rc = resolve_address(address, opts->port, &addr, err);
    if (rc == SMSPROV_OK && s->secure)
        rc = load_tls(s, opts, err);
    if (rc == SMSPROV_OK) {
        s->guard = http_guard_start(
            opts->limits.header_timeout_s ? opts->limits.header_timeout_s : DEFAULT_HEADER_TIMEOUT,
            opts->connection_timeout_s ? opts->connection_timeout_s : DEFAULT_IDLE_TIMEOUT,
            opts->log);
        if (!s->guard)
            rc = smsprov_error_set(err, SMSPROV_E_FAILED,
                                   "The connection watchdog thread cannot start (%s).",
                                   strerror(errno));
    }
    if (rc != SMSPROV_OK) {
        free_server(s);
        return rc;
    }
    s->family = addr.ss_family;
    s->daemon = start_daemon(s, &addr, MHD_INVALID_SOCKET, s->cert_pem, s->key_pem);
    if (!s->daemon) {
        int e = errno;
        free_server(s);
        return smsprov_error_set(err, SMSPROV_E_ACCESS_DENIED,
                                 "Cannot listen on %s port %u (%s); is another server using "
                                 "it, or is the certificate or key invalid?",
                                 address, opts->port, strerror(e));
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
    s->port = info ? info->port : opts->port;
    if (!s->secure) {
        char *policy = http_unencrypted_policy_text(address, s->port, s->allow_unencrypted);
        SMSPROV_LOG(s->log,
                    s->allow_unencrypted && !http_address_is_loopback(address)
                        ? SMSPROV_LOG_WARNING
                        : SMSPROV_LOG_INFO,
                    "%s", policy);
        free(policy);
    }
    *out = s;
    return SMSPROV_OK;
}

unsigned http_server_port(const http_server *server)
{
    return server->port;
}

void http_server_quiesce(http_server *server)
{
    MHD_socket fd = MHD_quiesce_daemon(server->daemon);
    if (fd != MHD_INVALID_SOCKET)
        close(fd);
}

bool http_server_drain(http_server *server, unsigned timeout_ms)
{
    for (unsigned waited = 0;; waited += 10) {
        if (atomic_load(&server->active) == 0)
            return true;
        if (waited >= timeout_ms)
            return false;
        struct timespec pause = {.tv_sec = 0, .tv_nsec = 10 * 1000 * 1000};
        nanosleep(&pause, NULL);
    }
}

static unsigned connection_count(struct MHD_Daemon *d)
{
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
    return info ? info->num_connections : 1;
}

/* Frees the retired daemons whose last connection has closed: nothing can
 * reach them any more (they no longer listen). */
static void reap_retired(http_server *s)
{
    size_t kept = 0;
    for (size_t i = 0; i < s->retired_count; i++) {
        if (connection_count(s->retired[i].daemon) == 0) {
            MHD_stop_daemon(s->retired[i].daemon);
            free(s->retired[i].cert_pem);
            free(s->retired[i].key_pem);
        } else {
            s->retired[kept++] = s->retired[i];
        }
    }
    s->retired_count = kept;
}

static bool same_text(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

/* Hands the listening socket from the running daemon to one with the new
 * pair; on failure a daemon with the old pair takes it back. */
static smsprov_code hand_over(http_server *s, char *cert, char *key, smsprov_error *err)
{
    MHD_socket fd = MHD_quiesce_daemon(s->daemon);
    if (fd == MHD_INVALID_SOCKET) {
        free(cert);
        free(key);
        return smsprov_error_set(err, SMSPROV_E_FAILED,
                                 "The listener on port %u cannot hand over its socket.",
                                 s->port);
    }
    struct MHD_Daemon *fresh = start_daemon(s, NULL, fd, cert, key);
    if (!fresh) {
        free(cert);
        free(key);
        smsprov_error_set(err, SMSPROV_E_FAILED,
                          "libmicrohttpd refused the new certificate and key on port %u.",
                          s->port);
        fresh = start_daemon(s, NULL, fd, s->cert_pem, s->key_pem);
        if (!fresh) {
            close(fd);
            SMSPROV_LOG(s->log, SMSPROV_LOG_ERROR,
                        "Port %u cannot listen again; only the connections already open "
                        "are served until a restart.", s->port);
            return SMSPROV_E_FAILED;
        }
        cert = key = NULL;
    }
    s->retired = cim_xrealloc(s->retired, (s->retired_count + 1) * sizeof *s->retired);
    s->retired[s->retired_count++] = (retired_daemon){s->daemon, s->cert_pem, s->key_pem};
    if (cert) {
        s->daemon = fresh;
        s->cert_pem = cert;
        s->key_pem = key;
        return SMSPROV_OK;
    }
    /* the fallback: it uses the old pair, which the retired entry now owns */
    s->cert_pem = cim_xstrdup(s->retired[s->retired_count - 1].cert_pem);
    s->key_pem = cim_xstrdup(s->retired[s->retired_count - 1].key_pem);
    s->daemon = fresh;
    return SMSPROV_E_FAILED;
}

smsprov_code http_server_reload_tls(http_server *server, const char *certificate_file,
                                    const char *key_file, smsprov_error *err)
{
    reap_retired(server);
    if (!server->secure)
        return SMSPROV_OK;
    if (http_tls_check_files(certificate_file, key_file, server->priorities, err) != SMSPROV_OK)
        return SMSPROV_E_INVALID_PARAMETER;
    char *cert = http_tls_read_pem(certificate_file, "certificate", err);
    char *key = cert ? http_tls_read_pem(key_file, "key", err) : NULL;
    if (!key) {
        free(cert);
        return SMSPROV_E_INVALID_PARAMETER;
    }
    if (same_text(cert, server->cert_pem) && same_text(key, server->key_pem)) {
        free(cert);
        free(key);
        return SMSPROV_OK;
    }
    smsprov_code rc = hand_over(server, cert, key, err);
    if (rc == SMSPROV_OK)
        SMSPROV_LOG(server->log, SMSPROV_LOG_INFO,
                    "Port %u: new connections use the certificate %s; open ones keep theirs.",
                    server->port, certificate_file);
    return rc;
}

void http_server_stop(http_server *server)
{
    if (!server)
        return;
    MHD_stop_daemon(server->daemon);
    free_server(server);
}
