/*
 * http/http.h - the HTTP server the WS-Management and CIM-XML doors share,
 * on libmicrohttpd: HTTP/1.1 with keep-alive, bounded request bodies, TLS
 * from PEM files, and Basic authentication against a users file of salted
 * crypt(3) hashes.
 *
 * A route maps a path to a handler.  The server reads the whole body (up to
 * max_request_bytes, else 413), authenticates the caller (401 with
 * `WWW-Authenticate: Basic realm="WSMAN"` when credentials are missing or
 * wrong), and calls the handler on the connection's own thread, so handlers
 * may block and must be thread-safe.
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
size_t http_users_count(const http_users *users);

/* True when the name and password match an entry.  A successful check is
 * remembered for a few minutes (by an HMAC of the credentials under a random
 * key), so keep-alive clients do not pay for the slow hash on every request;
 * failures are never remembered.  Thread-safe. */
bool http_users_check(http_users *users, const char *name, const char *password);

/* A yescrypt hash of password with a fresh random salt.  Caller frees. */
smsprov_code http_password_hash(const char *password, char **out, smsprov_error *err);

/* ---- requests and responses ------------------------------------------- */

typedef struct http_request {
    const char *method;
    const char *path;
    const char *body;         /* NUL-terminated; body_len bytes */
    size_t body_len;
    const char *user;         /* the authenticated user; NULL for an anonymous call */
    const char *client;       /* "127.0.0.1:50312" */
    bool secure;              /* came over TLS */
    void *connection;         /* for http_request_header */
} http_request;

/* A request header (case-insensitive name); NULL when absent. */
const char *http_request_header(const http_request *req, const char *name);

/* An extra response header (added for the CIM-XML door, issue 7). */
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

typedef struct http_route {
    const char *path;         /* "/wsman"; a request path with a trailing '/' matches too */
    bool allow_anonymous;     /* call the handler (user NULL) when no credentials are sent */
    http_handler_fn handler;
    void *data;
} http_route;

/* ---- the server -------------------------------------------------------- */

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
} http_server_options;

typedef struct http_server http_server;

/* Binds and starts serving on the server's own threads (one per
 * connection).  SMSPROV_E_ACCESS_DENIED naming the address and port when
 * they cannot be bound, SMSPROV_E_INVALID_PARAMETER for a bad address or
 * unreadable certificate or key. */
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

#endif
