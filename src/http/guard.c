/* guard.c - the watchdog that enforces absolute request deadlines by
 * shutting down sockets (libmicrohttpd's connection thread then sees the
 * connection end and cleans up as for a client that left). */
#include "http/guard.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>

#include "smsprov/cim.h"

#define SWEEP_MS 250
#define LOG_EVERY_MS 10000 /* one summary line at most this often */

struct http_guarded {
    http_guarded *prev, *next;
    int fd;
    int64_t deadline_ms; /* 0: none */
    bool cut;
    char address[64];
};

struct http_guard {
    pthread_mutex_t lock;
    pthread_cond_t wake;
    pthread_t thread;
    bool stopping;
    http_guarded *head;
    int64_t header_ms, idle_ms;
    smsprov_log *log;
    unsigned cut_unlogged;     /* connections cut since the last log line */
    char last_address[64];
    int64_t logged_ms;
};

static int64_t now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static void log_cuts(http_guard *g, int64_t now, bool force)
{
    if (!g->cut_unlogged || (!force && now - g->logged_ms < LOG_EVERY_MS))
        return;
    SMSPROV_LOG(g->log, SMSPROV_LOG_WARNING,
                "Closed %u connection(s) whose request line and headers did not arrive within "
                "%lld s (the last from %s).",
                g->cut_unlogged, (long long)(g->header_ms / 1000), g->last_address);
    g->cut_unlogged = 0;
    g->logged_ms = now;
}

static void sweep(http_guard *g, int64_t now)
{
    for (http_guarded *c = g->head; c; c = c->next) {
        if (c->cut || !c->deadline_ms || now < c->deadline_ms)
            continue;
        /* Wakes the connection's thread, which then closes the connection;
         * the fd stays valid until http_guard_remove, under the lock. */
        shutdown(c->fd, SHUT_RDWR);
        c->cut = true;
        g->cut_unlogged++;
        snprintf(g->last_address, sizeof g->last_address, "%s", c->address);
    }
    log_cuts(g, now, false);
}

static void *watch(void *arg)
{
    http_guard *g = arg;
    pthread_mutex_lock(&g->lock);
    while (!g->stopping) {
        struct timespec until;
        clock_gettime(CLOCK_MONOTONIC, &until);
        until.tv_nsec += SWEEP_MS * 1000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&g->wake, &g->lock, &until);
        sweep(g, now_ms());
    }
    log_cuts(g, now_ms(), true);
    pthread_mutex_unlock(&g->lock);
    return NULL;
}

http_guard *http_guard_start(unsigned header_timeout_s, unsigned idle_timeout_s,
                             smsprov_log *log)
{
    http_guard *g = cim_xcalloc(1, sizeof *g);
    pthread_mutex_init(&g->lock, NULL);
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&g->wake, &attr);
    pthread_condattr_destroy(&attr);
    g->header_ms = (int64_t)header_timeout_s * 1000;
    g->idle_ms = (int64_t)idle_timeout_s * 1000;
    g->log = log;
    if (pthread_create(&g->thread, NULL, watch, g) != 0) {
        pthread_cond_destroy(&g->wake);
        pthread_mutex_destroy(&g->lock);
        free(g);
        return NULL;
    }
    return g;
}

void http_guard_stop(http_guard *guard)
{
    if (!guard)
        return;
    pthread_mutex_lock(&guard->lock);
    guard->stopping = true;
    pthread_cond_signal(&guard->wake);
    pthread_mutex_unlock(&guard->lock);
    pthread_join(guard->thread, NULL);
    pthread_cond_destroy(&guard->wake);
    pthread_mutex_destroy(&guard->lock);
    free(guard);
}

http_guarded *http_guard_add(http_guard *guard, int fd, const char *address)
{
    http_guarded *c = cim_xcalloc(1, sizeof *c);
    c->fd = fd;
    snprintf(c->address, sizeof c->address, "%s", address ? address : "?");
    pthread_mutex_lock(&guard->lock);
    c->deadline_ms = now_ms() + guard->header_ms;
    c->next = guard->head;
    if (guard->head)
        guard->head->prev = c;
    guard->head = c;
    pthread_mutex_unlock(&guard->lock);
    return c;
}

void http_guard_remove(http_guard *guard, http_guarded *conn)
{
    if (!conn)
        return;
    pthread_mutex_lock(&guard->lock);
    if (conn->prev)
        conn->prev->next = conn->next;
    else
        guard->head = conn->next;
    if (conn->next)
        conn->next->prev = conn->prev;
    pthread_mutex_unlock(&guard->lock);
    free(conn);
}

static void set_deadline(http_guard *guard, http_guarded *conn, int64_t deadline, bool earlier)
{
    if (!conn)
        return;
    pthread_mutex_lock(&guard->lock);
    if (!earlier || !conn->deadline_ms || deadline < conn->deadline_ms)
        conn->deadline_ms = deadline;
    pthread_mutex_unlock(&guard->lock);
}

void http_guard_request_started(http_guard *guard, http_guarded *conn)
{
    set_deadline(guard, conn, now_ms() + guard->header_ms, true);
}

void http_guard_release(http_guard *guard, http_guarded *conn)
{
    set_deadline(guard, conn, 0, false);
}

void http_guard_request_done(http_guard *guard, http_guarded *conn)
{
    set_deadline(guard, conn, now_ms() + guard->idle_ms, false);
}
