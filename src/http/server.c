/* server.c - the libmicrohttpd daemon: one thread per connection, bodies
 * read in full up to a bound, Basic authentication, routing. */
#include "http/http.h"

#include <errno.h>
#include <microhttpd.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "http/tcp_ack.h"
#include "smsprov/cim.h"

#define DEFAULT_MAX_REQUEST (4u * 1024 * 1024)

struct http_server {
    struct MHD_Daemon *daemon;
    http_users *users;
    http_route *routes;
    size_t route_count;
    size_t max_request_bytes;
    bool secure;
    unsigned port;
    char *cert_pem, *key_pem; /* kept alive while the daemon runs */
    smsprov_log *log;
    atomic_int active; /* requests being handled */
};

/* What one request accumulates between the access handler's calls. */
typedef struct request_state {
    cim_buf body;
    bool too_large;
} request_state;

const char *http_request_header(const http_request *req, const char *name)
{
    return MHD_lookup_connection_value((struct MHD_Connection *)req->connection,
                                       MHD_HEADER_KIND, name);
}

static enum MHD_Result send_response(struct MHD_Connection *conn, unsigned status,
                                     const char *content_type, char *body, size_t len,
                                     bool challenge, const http_header *extra)
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
        MHD_add_response_header(resp, extra[i].name, extra[i].value); /* CIM-XML, issue 7 */
    if (challenge)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Basic realm=\"WSMAN\"");
    if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, "POST");
    enum MHD_Result ok = MHD_queue_response(conn, status, resp);
    MHD_destroy_response(resp);
    return ok;
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
static enum MHD_Result send_stream(struct MHD_Connection *conn, unsigned status,
                                   const http_response *r)
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
    enum MHD_Result ok = MHD_queue_response(conn, status, resp);
    MHD_destroy_response(resp);
    return ok;
}

static const http_route *find_route(const http_server *s, const char *url)
{
    size_t n = strlen(url);
    if (n > 1 && url[n - 1] == '/')
        n--; /* omicli posts to /wsman/ */
    for (size_t i = 0; i < s->route_count; i++)
        if (strlen(s->routes[i].path) == n && strncmp(s->routes[i].path, url, n) == 0)
            return &s->routes[i];
    return NULL;
}

static void client_text(struct MHD_Connection *conn, char *out, size_t size)
{
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    char host[64] = "?", port[16] = "?";
    if (info && info->client_addr) {
        socklen_t len = info->client_addr->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6)
                                                                 : sizeof(struct sockaddr_in);
        getnameinfo(info->client_addr, len, host, sizeof host, port, sizeof port,
                    NI_NUMERICHOST | NI_NUMERICSERV);
    }
    snprintf(out, size, "%s:%s", host, port);
}

typedef enum auth_result { AUTH_ANONYMOUS, AUTH_OK, AUTH_FAILED } auth_result;

/* Only Basic is offered; any other scheme (Negotiate, Kerberos) gets the
 * Basic challenge, so the client can fall back or report it. */
static auth_result authenticate(http_server *s, struct MHD_Connection *conn, char **user,
                                const char *client)
{
    *user = NULL;
    if (!MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION))
        return AUTH_ANONYMOUS;
    char *password = NULL;
    char *name = MHD_basic_auth_get_username_password(conn, &password);
    bool ok = name && password && http_users_check(s->users, name, password);
    if (!ok)
        SMSPROV_LOG(s->log, SMSPROV_LOG_WARNING,
                    "Authentication failed for user \"%s\" from %s.", name ? name : "(none)",
                    client);
    if (ok)
        *user = cim_xstrdup(name);
    if (password) {
        memset(password, 0, strlen(password));
        MHD_free(password);
    }
    if (name)
        MHD_free(name);
    return ok ? AUTH_OK : AUTH_FAILED;
}

static double elapsed_ms(const struct timespec *start)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - start->tv_sec) * 1e3 +
           (double)(now.tv_nsec - start->tv_nsec) / 1e6;
}

static enum MHD_Result handle_complete_request(http_server *s, struct MHD_Connection *conn,
                                               const char *url, const char *method,
                                               request_state *rs)
{
    char client[96];
    client_text(conn, client, sizeof client);
    if (rs->too_large) {
        SMSPROV_LOG(s->log, SMSPROV_LOG_WARNING,
                    "Refused a request from %s: the body is larger than %zu bytes.", client,
                    s->max_request_bytes);
        return send_response(conn, MHD_HTTP_CONTENT_TOO_LARGE, NULL, NULL, 0, false, NULL);
    }
    const http_route *route = find_route(s, url);
    if (!route)
        return send_response(conn, MHD_HTTP_NOT_FOUND, NULL, NULL, 0, false, NULL);
    if (strcmp(method, MHD_HTTP_METHOD_POST) != 0)
        return send_response(conn, MHD_HTTP_METHOD_NOT_ALLOWED, NULL, NULL, 0, false, NULL);

    char *user = NULL;
    auth_result auth = authenticate(s, conn, &user, client);
    if (auth == AUTH_FAILED || (auth == AUTH_ANONYMOUS && !route->allow_anonymous))
        return send_response(conn, MHD_HTTP_UNAUTHORIZED, NULL, NULL, 0, true, NULL);

    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    cim_buf_append(&rs->body, ""); /* a NUL-terminated, never NULL body */
    http_request req = {
        .method = method, .path = url, .body = rs->body.data, .body_len = rs->body.len,
        .user = user, .client = client, .secure = s->secure, .connection = conn,
    };
    http_response resp = {0};
    route->handler(route->data, &req, &resp);
    unsigned status = resp.status ? resp.status : MHD_HTTP_OK;
    SMSPROV_LOG(s->log, SMSPROV_LOG_VERBOSE, "%s %s from %s (%s): %u, %zu bytes, %.2f ms",
                method, url, client, user ? user : "anonymous", status, resp.body_len,
                elapsed_ms(&start));
    free(user);
    if (resp.stream) {
        free(resp.body);
        return send_stream(conn, status, &resp);
    }
    return send_response(conn, status, resp.content_type, resp.body, resp.body_len,
                         status == MHD_HTTP_UNAUTHORIZED, resp.headers);
}

/* The socket of a connection, for tcp_ack; -1 when MHD cannot say. */
static int connection_fd(struct MHD_Connection *conn)
{
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
    return info ? info->connect_fd : -1;
}

/* New connections: no Nagle delay on what the server writes, quick ACKs. */
static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
                          enum MHD_ConnectionNotificationCode code)
{
    (void)cls;
    (void)socket_context;
    if (code == MHD_CONNECTION_NOTIFY_STARTED)
        tcp_ack_configure(connection_fd(conn));
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_size, void **con_cls)
{
    (void)version;
    http_server *s = cls;
    request_state *rs = *con_cls;
    tcp_ack_now(connection_fd(conn)); /* MHD calls here after each read */
    if (!rs) {
        rs = cim_xcalloc(1, sizeof *rs);
        *con_cls = rs;
        const char *length =
            MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
        if (length && strtoull(length, NULL, 10) > s->max_request_bytes) {
            /* Answer before reading the body; MHD then closes the connection. */
            rs->too_large = true;
            return handle_complete_request(s, conn, url, method, rs);
        }
        return MHD_YES;
    }
    if (*upload_size) {
        if (!rs->too_large && rs->body.len + *upload_size > s->max_request_bytes) {
            rs->too_large = true;
            cim_buf_clear(&rs->body);
        }
        if (!rs->too_large)
            cim_buf_append_n(&rs->body, upload_data, *upload_size);
        *upload_size = 0;
        return MHD_YES;
    }
    atomic_fetch_add(&s->active, 1);
    enum MHD_Result r = handle_complete_request(s, conn, url, method, rs);
    atomic_fetch_sub(&s->active, 1);
    return r;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)conn;
    http_server *s = cls;
    request_state *rs = *con_cls;
    if (toe != MHD_REQUEST_TERMINATED_COMPLETED_OK && toe != MHD_REQUEST_TERMINATED_DAEMON_SHUTDOWN)
        SMSPROV_LOG(s->log, SMSPROV_LOG_VERBOSE,
                    "A request ended before its answer was sent (code %d); the client left.",
                    (int)toe);
    if (rs) {
        cim_buf_clear(&rs->body);
        free(rs);
    }
    *con_cls = NULL;
}

static void on_mhd_error(void *cls, const char *fmt, va_list ap)
{
    http_server *s = cls;
    char text[512];
    vsnprintf(text, sizeof text, fmt, ap);
    size_t n = strlen(text);
    while (n && (text[n - 1] == '\n' || text[n - 1] == '\r'))
        text[--n] = '\0';
    SMSPROV_LOG(s->log, SMSPROV_LOG_WARNING, "HTTP: %s", text);
}

static char *read_pem(const char *path, const char *what, smsprov_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER, "The TLS %s file %s cannot be read (%s).",
                          what, path, strerror(errno));
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
    for (size_t i = 0; i < s->route_count; i++)
        free((char *)s->routes[i].path);
    free(s->routes);
    free(s->cert_pem);
    free(s->key_pem);
    free(s);
}

smsprov_code http_server_start(const http_server_options *opts, http_server **out,
                               smsprov_error *err)
{
    *out = NULL;
    http_server *s = cim_xcalloc(1, sizeof *s);
    s->users = opts->users;
    s->log = opts->log;
    s->max_request_bytes = opts->max_request_bytes ? opts->max_request_bytes : DEFAULT_MAX_REQUEST;
    s->routes = cim_xcalloc(opts->route_count, sizeof *s->routes);
    s->route_count = opts->route_count;
    for (size_t i = 0; i < opts->route_count; i++) {
        s->routes[i] = opts->routes[i];
        s->routes[i].path = cim_xstrdup(opts->routes[i].path);
    }
    atomic_init(&s->active, 0);

    struct sockaddr_storage addr;
    smsprov_code rc = resolve_address(opts->address ? opts->address : "127.0.0.1", opts->port,
                                      &addr, err);
    s->secure = opts->certificate_file && opts->key_file;
    if (rc == SMSPROV_OK && s->secure) {
        s->cert_pem = read_pem(opts->certificate_file, "certificate", err);
        s->key_pem = s->cert_pem ? read_pem(opts->key_file, "key", err) : NULL;
        if (!s->key_pem)
            rc = SMSPROV_E_INVALID_PARAMETER;
    }
    if (rc != SMSPROV_OK) {
        free_server(s);
        return rc;
    }

    unsigned flags = MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD |
                     MHD_USE_POLL | MHD_USE_ITC | MHD_USE_ERROR_LOG;
    if (addr.ss_family == AF_INET6)
        flags |= MHD_USE_IPv6;
    if (s->secure)
        flags |= MHD_USE_TLS;
    struct MHD_OptionItem tls[] = {
        {MHD_OPTION_HTTPS_MEM_CERT, 0, s->cert_pem},
        {MHD_OPTION_HTTPS_MEM_KEY, 0, s->key_pem},
        {MHD_OPTION_END, 0, NULL},
    };
    s->daemon = MHD_start_daemon(
        flags, (uint16_t)opts->port, NULL, NULL, on_request, s,
        MHD_OPTION_EXTERNAL_LOGGER, on_mhd_error, s,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
        MHD_OPTION_CONNECTION_LIMIT, opts->max_connections ? opts->max_connections : 256u,
        MHD_OPTION_CONNECTION_TIMEOUT,
        opts->connection_timeout_s ? opts->connection_timeout_s : 120u,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
        MHD_OPTION_NOTIFY_CONNECTION, on_connection, s,
        MHD_OPTION_ARRAY, s->secure ? tls : &tls[2],
        MHD_OPTION_END);
    if (!s->daemon) {
        int e = errno;
        free_server(s);
        return smsprov_error_set(err, SMSPROV_E_ACCESS_DENIED,
                                 "Cannot listen on %s port %u (%s); is another server using "
                                 "it, or is the certificate or key invalid?",
                                 opts->address ? opts->address : "127.0.0.1", opts->port,
                                 strerror(e));
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
    s->port = info ? info->port : opts->port;
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

void http_server_stop(http_server *server)
{
    if (!server)
        return;
    MHD_stop_daemon(server->daemon);
    free_server(server);
}
