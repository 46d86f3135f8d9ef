/*
 * http/guard.h - absolute deadlines for slow clients (internal to
 * src/http).  libmicrohttpd's connection timeout is an idle timer: every
 * byte restarts it, so a client sending one byte a second holds a
 * connection forever.  The guard gives each request's line and headers a
 * deadline counted from when the connection opened (or from when the
 * request line began on a kept-alive connection), and a watchdog thread
 * shuts down the socket of a connection past its deadline.
 */
#ifndef SMSPROV_HTTP_GUARD_H
#define SMSPROV_HTTP_GUARD_H

#include "config/log.h"

typedef struct http_guard http_guard;
typedef struct http_guarded http_guarded; /* one TCP connection */

/* header_timeout_s: the deadline for a request's line and headers;
 * idle_timeout_s: the longest a kept-alive connection may wait, however it
 * trickles, for its next request line.  NULL when the watchdog thread
 * cannot start. */
http_guard *http_guard_start(unsigned header_timeout_s, unsigned idle_timeout_s,
                             smsprov_log *log);
/* Stops the watchdog; every connection must have been removed. */
void http_guard_stop(http_guard *guard);

/* A new connection on socket fd from address (for the log); its headers'
 * deadline starts now. */
http_guarded *http_guard_add(http_guard *guard, int fd, const char *address);
/* The connection closed: forget it (before its socket is closed). */
void http_guard_remove(http_guard *guard, http_guarded *conn);
/* A request line arrived: its headers are due within header_timeout_s. */
void http_guard_request_started(http_guard *guard, http_guarded *conn);
/* The request no longer runs against a deadline (headers read from an
 * authenticated client, or the request is complete). */
void http_guard_release(http_guard *guard, http_guarded *conn);
/* A request was answered: the connection may idle until the next one. */
void http_guard_request_done(http_guard *guard, http_guarded *conn);

#endif
