/* serve.c - the server's life: open the site, listen, wait for a signal,
 * then stop gracefully within the configured bound. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "adminservice/adminservice.h"
#include "cimxml/cimxml.h"
#include "http/http.h"
#include "smsprovd.h"
#include "wsman/wsman.h"

#define DOOR_COUNT SMSPROV_LISTENER_COUNT

typedef struct server {
    const smsprov_config *cfg; /* as started: what a reload compares with */
    const smsprovd_source *source;
    smsprov_log *log;
    smsprov_site *site;
    http_users *users;
    wsman_door *door;
    adminservice_door *adminservice;
    void *listeners[DOOR_COUNT]; /* DOORS[i]'s listener; NULL: not serving */
    char **principals; /* [auth] principals, split; NULL: any */
    size_t principal_count;
} server;

static smsprov_code open_log(server *s, smsprov_error *err)
{
    smsprov_log_options o = {
        .file = s->cfg->log_file,
        .to_stderr = s->cfg->log_stderr,
        .level = s->cfg->log_level,
        .max_bytes = s->cfg->log_max_bytes,
    };
    return smsprov_log_open(&o, &s->log, err);
}

static http_server_limits server_limits(const smsprov_config *c)
{
    return (http_server_limits){
        .max_connections_per_address = c->max_connections_per_address,
        .header_timeout_s = c->header_timeout_s,
        .allow_unencrypted = c->allow_unencrypted,
        .tls_priorities = c->tls_priorities,
    };
}

/* WS-Management's schemes (CIM-XML keeps Basic: wbemcli speaks nothing
 * else). */
static unsigned wsman_schemes(const smsprov_config *c)
{
    unsigned bits = 0;
    if (c->auth_schemes & SMSPROV_AUTH_BASIC)
        bits |= HTTP_AUTH_BASIC;
    if (c->auth_schemes & SMSPROV_AUTH_NEGOTIATE)
        bits |= HTTP_AUTH_NEGOTIATE;
    if (c->auth_schemes & SMSPROV_AUTH_KERBEROS)
        bits |= HTTP_AUTH_KERBEROS;
    return bits;
}

static unsigned wsman_mechanisms(const smsprov_config *c)
{
    return (c->keytab ? HTTP_AUTH_KERBEROS : 0u) | (c->ntlm_user_file ? HTTP_AUTH_NTLM : 0u);
}

static void split_principals(server *s)
{
    const char *p = s->cfg->principals;
    if (!p)
        return;
    s->principals = cim_xcalloc(1, sizeof *s->principals);
    while (*p) {
        while (*p == ' ' || *p == ',')
            p++;
        size_t n = strcspn(p, ",");
        while (n && p[n - 1] == ' ')
            n--;
        if (!n)
            break;
        s->principals = cim_xrealloc(s->principals, (s->principal_count + 1) * sizeof(char *));
        s->principals[s->principal_count++] = cim_xasprintf("%.*s", (int)n, p);
        p += n;
    }
}

/* An HTTP listener of plan, with the WS-Management route and/or the
 * AdminService's (which rides on the WS-Man listener of its scheme unless
 * it has an address and port of its own). */
static smsprov_code start_listener(server *s, const smsprov_listener_plan *l, bool wsman,
                                   bool rest, http_server **out, smsprov_error *err)
{
    http_route routes[2];
    size_t n = 0;
    if (wsman)
        routes[n++] = (http_route){.path = "/wsman", .allow_anonymous = true,
                                   .handler = wsman_door_handle, .data = s->door,
                                   .anonymous_filter = wsman_door_accepts_anonymous};
    if (rest)
        routes[n++] = (http_route){.path = ADMINSERVICE_ROOT, .prefix = true,
                                   .any_method = true, .handler = adminservice_door_handle,
                                   .data = s->adminservice};
    bool tls = l->tls;
    http_server_options o = {
        .address = l->address,
        .port = l->port,
        .certificate_file = tls ? s->cfg->https.certificate_file : NULL,
        .key_file = tls ? s->cfg->https.key_file : NULL,
        .users = s->users,
        .routes = routes,
        .route_count = n,
        .max_request_bytes = s->cfg->max_request_bytes,
        .max_connections = s->cfg->max_connections,
        .connection_timeout_s = s->cfg->connection_timeout_s,
        .log = s->log,
        .limits = server_limits(s->cfg),
        .schemes = wsman_schemes(s->cfg),
        .mechanisms = wsman_mechanisms(s->cfg),
        .principals = (const char *const *)s->principals,
        .principal_count = s->principal_count,
    };
    smsprov_code rc = http_server_start(&o, out, err);
    if (rc == SMSPROV_OK && wsman)
        SMSPROV_LOG(s->log, SMSPROV_LOG_INFO, "Listening for WS-Management on %s://%s:%u/wsman",
                    tls ? "https" : "http", l->address, http_server_port(*out));
    if (rc == SMSPROV_OK && rest)
        SMSPROV_LOG(s->log, SMSPROV_LOG_INFO,
                    "Listening for the AdminService on %s://%s:%u" ADMINSERVICE_ROOT "/wmi/",
                    tls ? "https" : "http", l->address, http_server_port(*out));
    return rc;
}

/* The CIM-XML door: its own ports, the same users. */
static smsprov_code start_cimxml(server *s, const smsprov_listener_plan *l,
                                 cimxml_listener **out, smsprov_error *err)
{
    const smsprov_config *c = s->cfg;
    bool tls = l->tls;
    cimxml_listener_options o = {
        .site = s->site,
        .users = s->users,
        .log = s->log,
        .address = l->address,
        .port = l->port,
        .certificate_file = tls ? c->https.certificate_file : NULL,
        .key_file = tls ? c->https.key_file : NULL,
        .max_request_bytes = c->max_request_bytes,
        .max_connections = c->max_connections,
        .connection_timeout_s = c->connection_timeout_s,
        .limits = server_limits(c),
        .enumeration_timeout_s = c->enumeration_timeout_s,
        .max_enumerations = c->max_enumerations,
        .max_enumerations_per_user = c->max_enumerations_per_user,
    };
    return cimxml_listener_start(&o, out, err);
}

/* ---- the door table ------------------------------------------------------
 * Every listener the server runs, each behind the same small interface, so
 * starting, the port file, the sweep and the graceful stop treat them all
 * alike; each is configured by a section of its own with the same keys
 * (smsprov_config_listener).  An AdminService listener with no address or
 * port of its own is a route of the WS-Man listener of its scheme (the
 * default: one port for both), so it starts nothing itself. */
typedef struct door_kind {
    const char *name; /* its line in the port file */
    smsprov_listener_id id;
    smsprov_code (*start)(server *s, const smsprov_listener_plan *l, void **out,
                          smsprov_error *err);
    unsigned (*port)(const void *listener);
    void (*quiesce)(void *listener); /* stop accepting; running requests go on */
    bool (*drain)(void *listener, unsigned timeout_ms);
    void (*stop)(void *listener);
    size_t (*sweep)(server *s, void *listener); /* idle enumerations */
    smsprov_code (*reload_tls)(void *listener, const char *cert, const char *key,
                               smsprov_error *err);
} door_kind;

/* Whether the AdminService rides on the WS-Man listener of this scheme. */
static bool rest_rides(const server *s, bool tls)
{
    smsprov_listener_plan rest;
    smsprov_config_listener(s->cfg, tls ? SMSPROV_REST_HTTPS : SMSPROV_REST_HTTP, &rest);
    return s->adminservice && rest.serve && rest.shared;
}

static smsprov_code wsman_start(server *s, const smsprov_listener_plan *l, void **out,
                                smsprov_error *err)
{
    return start_listener(s, l, true, rest_rides(s, l->tls), (http_server **)out, err);
}

static smsprov_code rest_start(server *s, const smsprov_listener_plan *l, void **out,
                               smsprov_error *err)
{
    if (l->shared || !s->adminservice)
        return SMSPROV_OK; /* a route of the WS-Man listener */
    return start_listener(s, l, false, true, (http_server **)out, err);
}

static smsprov_code cimxml_start(server *s, const smsprov_listener_plan *l, void **out,
                                 smsprov_error *err)
{
    return start_cimxml(s, l, (cimxml_listener **)out, err);
}

static unsigned wsman_port(const void *l) { return http_server_port(l); }
static void wsman_quiesce(void *l) { http_server_quiesce(l); }
static bool wsman_drain(void *l, unsigned ms) { return http_server_drain(l, ms); }
static void wsman_stop(void *l) { http_server_stop(l); }
/* One enumeration store serves both WS-Man listeners. */
static size_t wsman_sweep(server *s, void *l)
{
    (void)l;
    return wsman_door_sweep(s->door);
}

static smsprov_code wsman_reload_tls(void *l, const char *cert, const char *key,
                                     smsprov_error *err)
{
    return http_server_reload_tls(l, cert, key, err);
}

static smsprov_code cimxml_reload_tls(void *l, const char *cert, const char *key,
                                      smsprov_error *err)
{
    return cimxml_listener_reload_tls(l, cert, key, err);
}

static unsigned cimxml_port(const void *l) { return cimxml_listener_port(l); }
static void cimxml_quiesce(void *l) { cimxml_listener_quiesce(l, 0); }
static bool cimxml_drain(void *l, unsigned ms) { return cimxml_listener_drain(l, ms); }
static void cimxml_stop(void *l) { cimxml_listener_stop(l); }
static size_t cimxml_sweep(server *s, void *l)
{
    (void)s;
    return cimxml_listener_sweep(l);
}

/* The AdminService keeps no enumerations: its sets stream from cursors. */
static size_t rest_sweep(server *s, void *l)
{
    (void)s;
    (void)l;
    return 0;
}

static const door_kind DOORS[DOOR_COUNT] = {
    {"http", SMSPROV_WSMAN_HTTP, wsman_start, wsman_port, wsman_quiesce, wsman_drain,
     wsman_stop, wsman_sweep, wsman_reload_tls},
    {"https", SMSPROV_WSMAN_HTTPS, wsman_start, wsman_port, wsman_quiesce, wsman_drain,
     wsman_stop, wsman_sweep, wsman_reload_tls},
    {"cimxml", SMSPROV_CIMXML_HTTP, cimxml_start, cimxml_port, cimxml_quiesce, cimxml_drain,
     cimxml_stop, cimxml_sweep, cimxml_reload_tls},
    {"cimxml_https", SMSPROV_CIMXML_HTTPS, cimxml_start, cimxml_port, cimxml_quiesce,
     cimxml_drain, cimxml_stop, cimxml_sweep, cimxml_reload_tls},
    {"adminservice", SMSPROV_REST_HTTP, rest_start, wsman_port, wsman_quiesce, wsman_drain,
     wsman_stop, rest_sweep, wsman_reload_tls},
    {"adminservice_https", SMSPROV_REST_HTTPS, rest_start, wsman_port, wsman_quiesce,
     wsman_drain, wsman_stop, rest_sweep, wsman_reload_tls},
};

static void log_database_fault(void *data, const char *sentence)
{
    server *s = data;
    SMSPROV_LOG(s->log, SMSPROV_LOG_ERROR, "%s", sentence);
}

static void warn_readable_users_file(server *s, const char *path)
{
    if (http_file_readable_by_others(path))
        SMSPROV_LOG(s->log, SMSPROV_LOG_WARNING,
                    "The users file %s can be read by every user of this machine, who could "
                    "then try to crack its password hashes; run `chmod 600 %s`.",
                    path, path);
}

static smsprov_code start(server *s, smsprov_error *err)
{
    smsprov_site_config site_cfg;
    smsprov_config_site(s->cfg, &site_cfg);
    /* Every job's start, end and failure, whichever door started it. */
    site_cfg.log = smsprov_log_report;
    site_cfg.log_data = s->log;
    SMSPROV_LOG(s->log, SMSPROV_LOG_INFO, "smsprovd %s starting: database %s",
                SMSPROVD_VERSION, s->cfg->database_path);
    /* before the site's threads start: it sets GSSAPI's environment */
    smsprov_code rc = http_gss_setup(s->cfg->keytab, s->cfg->ntlm_user_file, err);
    if (rc != SMSPROV_OK)
        return rc;
    split_principals(s);
    for (const char *p = s->cfg->deprecated; p && *p;) { /* older INI files still work */
        size_t n = strcspn(p, "\n");
        SMSPROV_LOG(s->log, SMSPROV_LOG_WARNING, "Deprecated key %.*s", (int)n, p);
        p += n + (p[n] == '\n');
    }
    if ((s->cfg->auth_schemes & (SMSPROV_AUTH_NEGOTIATE | SMSPROV_AUTH_KERBEROS)))
        SMSPROV_LOG(s->log, SMSPROV_LOG_INFO,
                    "WS-Management takes %s%s%s (Kerberos: %s; NTLM: %s); CIM-XML takes Basic.",
                    s->cfg->auth_schemes & SMSPROV_AUTH_NEGOTIATE ? "Negotiate" : "",
                    s->cfg->auth_schemes & SMSPROV_AUTH_KERBEROS ? " Kerberos" : "",
                    s->cfg->auth_schemes & SMSPROV_AUTH_BASIC ? " Basic" : "",
                    s->cfg->keytab ? s->cfg->keytab : "no keytab",
                    s->cfg->ntlm_user_file ? s->cfg->ntlm_user_file : "no user file");
    if ((s->cfg->auth_schemes & (SMSPROV_AUTH_NEGOTIATE | SMSPROV_AUTH_KERBEROS)) &&
        s->cfg->keytab && !s->principals)
        SMSPROV_LOG(s->log, SMSPROV_LOG_WARNING,
                    "Every principal the KDC vouches for may log in over Kerberos; list the "
                    "allowed ones in principals in [auth].");
    rc = smsprov_site_open(&site_cfg, &s->site, err);
    if (rc == SMSPROV_OK)
        rc = http_users_load(s->cfg->users_file, &s->users, err);
    if (rc != SMSPROV_OK)
        return rc;
    smsprov_site_on_database_fault(s->site, log_database_fault, s);
    SMSPROV_LOG(s->log, SMSPROV_LOG_INFO, "Site %s open (namespace %s), %zu user(s)",
                smsprov_site_code(s->site), smsprov_site_namespace(s->site),
                http_users_count(s->users));
    warn_readable_users_file(s, s->cfg->users_file);
    http_users_set_backoff(s->users, s->cfg->address_backoff_max_s, s->cfg->user_backoff_max_s);
    wsman_global_init();
    wsman_door_options door_opts = {
        .site = s->site,
        .log = s->log,
        .enumeration_timeout_s = s->cfg->enumeration_timeout_s,
        .max_enumerations = s->cfg->max_enumerations,
        .max_enumerations_per_user = s->cfg->max_enumerations_per_user,
        .machine = s->cfg->server_name,
    };
    s->door = wsman_door_new(&door_opts);
    if (s->cfg->adminservice_enabled)
        s->adminservice = adminservice_door_new(s->site, s->log, s->cfg->server_name);
    for (size_t i = 0; i < DOOR_COUNT && rc == SMSPROV_OK; i++) {
        smsprov_listener_plan plan;
        smsprov_config_listener(s->cfg, DOORS[i].id, &plan);
        if (plan.serve)
            rc = DOORS[i].start(s, &plan, &s->listeners[i], err);
    }
    return rc;
}

/* The port door i answers on: its listener's, or for an AdminService
 * route that of the WS-Man listener carrying it; 0: not serving. */
static unsigned door_port(const server *s, size_t i)
{
    if (s->listeners[i])
        return DOORS[i].port(s->listeners[i]);
    bool tls = DOORS[i].id == SMSPROV_REST_HTTPS;
    size_t carrier = tls ? SMSPROV_WSMAN_HTTPS : SMSPROV_WSMAN_HTTP;
    if ((DOORS[i].id == SMSPROV_REST_HTTP || tls) && rest_rides(s, tls) && s->listeners[carrier])
        return DOORS[carrier].port(s->listeners[carrier]);
    return 0;
}

static void write_port_file(const server *s, const char *path)
{
    char *tmp = cim_xasprintf("%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    if (f) {
        for (size_t i = 0; i < DOOR_COUNT; i++)
            fprintf(f, "%s=%u\n", DOORS[i].name, door_port(s, i));
        fclose(f);
        rename(tmp, path);
    }
    free(tmp);
}

/* The part that cannot fail once prepared, bar the log file and the TLS
 * hand-over, which keep the old state when they do. */
static void commit_reload(server *s, smsprovd_reload *r)
{
    const smsprov_config *c = smsprovd_reload_config(r);
    smsprov_error err = {0};
    smsprov_log_options o = {.file = c->log_file, .to_stderr = c->log_stderr,
                             .level = c->log_level, .max_bytes = c->log_max_bytes};
    if (smsprov_log_reconfigure(s->log, &o, &err) != SMSPROV_OK)
        SMSPROV_LOG(s->log, SMSPROV_LOG_ERROR, "The log settings stay: %s", err.description);
    smsprov_error_clear(&err);
    http_users *fresh = smsprovd_reload_take_users(r);
    if (fresh && !s->users) {
        http_users_free(fresh);
    } else if (fresh) {
        http_users_replace(s->users, fresh);
        warn_readable_users_file(s, c->users_file);
    }
    if (s->users)
        http_users_set_backoff(s->users, c->address_backoff_max_s, c->user_backoff_max_s);
    for (size_t i = 0; i < DOOR_COUNT; i++) {
        if (!s->listeners[i] ||
            DOORS[i].reload_tls(s->listeners[i], c->https.certificate_file, c->https.key_file,
                                &err) == SMSPROV_OK)
            continue;
        SMSPROV_LOG(s->log, SMSPROV_LOG_ERROR, "The %s listener keeps its certificate: %s",
                    DOORS[i].name, err.description);
        smsprov_error_clear(&err);
    }
}

/* SIGHUP: read the configuration again and put in force what can change
 * while serving (reload.c), all of it or, when anything is wrong, none. */
static void reload(server *s)
{
    smsprovd_notify_reloading();
    SMSPROV_LOG(s->log, SMSPROV_LOG_INFO, "SIGHUP received: reloading the configuration%s%s",
                s->source->path ? " from " : "", s->source->path ? s->source->path : "");
    smsprov_error err = {0};
    smsprovd_reload *r = smsprovd_reload_prepare(s->cfg, s->source, &err);
    smsprov_site_config site_cfg;
    if (r) {
        smsprov_config_site(smsprovd_reload_config(r), &site_cfg);
        if (smsprov_site_reconfigure(s->site, &site_cfg, &err) != SMSPROV_OK) {
            smsprovd_reload_free(r);
            r = NULL;
        }
    }
    if (!r) {
        SMSPROV_LOG(s->log, SMSPROV_LOG_ERROR,
                    "The configuration reload failed: %s The configuration in force is "
                    "unchanged.",
                    err.description ? err.description : "unknown error.");
        smsprov_error_clear(&err);
    } else {
        commit_reload(s, r);
        size_t restart = smsprovd_reload_report_restart(r, s->cfg, s->log);
        SMSPROV_LOG(s->log, SMSPROV_LOG_INFO,
                    "Configuration reloaded: %zu user(s), log level %s%s", http_users_count(s->users),
                    smsprov_log_level_name(smsprovd_reload_config(r)->log_level),
                    restart ? "; the settings named above need a restart" : "");
        smsprovd_reload_free(r);
    }
    char *status = cim_xasprintf("Serving site %s", smsprov_site_code(s->site));
    smsprovd_notify_ready(status);
    free(status);
}

/* Waits for SIGTERM or SIGINT, reloading on SIGHUP and sweeping expired
 * enumerations each second. */
static int wait_for_stop(server *s, const sigset_t *signals)
{
    for (;;) {
        struct timespec second = {.tv_sec = 1};
        int sig = sigtimedwait(signals, NULL, &second);
        if (sig == SIGTERM || sig == SIGINT)
            return sig;
        if (sig == SIGHUP)
            reload(s);
        if (sig < 0 && errno != EAGAIN && errno != EINTR)
            return SIGTERM;
        for (size_t i = 0; i < DOOR_COUNT; i++)
            if (s->listeners[i])
                DOORS[i].sweep(s, s->listeners[i]);
    }
}

typedef struct closer {
    smsprov_site *site;
    pthread_mutex_t lock;
    pthread_cond_t done_cond;
    bool done;
} closer;

static void *close_site(void *arg)
{
    closer *c = arg;
    smsprov_site_close(c->site); /* lets the jobs already submitted finish */
    pthread_mutex_lock(&c->lock);
    c->done = true;
    pthread_cond_signal(&c->done_cond);
    pthread_mutex_unlock(&c->lock);
    return NULL;
}

/* Closes the site on a helper thread, waiting at most until deadline. */
static bool close_site_within(smsprov_site *site, const struct timespec *deadline)
{
    closer c = {.site = site};
    pthread_mutex_init(&c.lock, NULL);
    pthread_cond_init(&c.done_cond, NULL);
    pthread_t thread;
    if (pthread_create(&thread, NULL, close_site, &c) != 0) {
        smsprov_site_close(site);
        return true;
    }
    pthread_mutex_lock(&c.lock);
    while (!c.done && pthread_cond_timedwait(&c.done_cond, &c.lock, deadline) == 0)
        ;
    bool done = c.done;
    pthread_mutex_unlock(&c.lock);
    if (!done)
        return false; /* the thread still uses c; the process exits without waiting */
    pthread_join(thread, NULL);
    pthread_cond_destroy(&c.done_cond);
    pthread_mutex_destroy(&c.lock);
    return true;
}

static unsigned remaining_ms(const struct timespec *deadline)
{
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    long long ms = (long long)(deadline->tv_sec - now.tv_sec) * 1000 +
                   (deadline->tv_nsec - now.tv_nsec) / 1000000;
    return ms > 0 ? (unsigned)ms : 0;
}

/* Stops the listeners and frees what serves them; the site stays open. */
static void close_doors(server *s)
{
    for (size_t i = 0; i < DOOR_COUNT; i++) {
        if (s->listeners[i])
            DOORS[i].stop(s->listeners[i]);
        s->listeners[i] = NULL;
    }
    wsman_door_free(s->door);
    s->door = NULL;
    adminservice_door_free(s->adminservice);
    s->adminservice = NULL;
    http_users_free(s->users);
    for (size_t i = 0; i < s->principal_count; i++)
        free(s->principals[i]);
    free(s->principals);
    s->principals = NULL;
    s->principal_count = 0;
}

/* Exits without waiting for the work still running after the shutdown
 * bound: its jobs are marked failed first, so none stays "In progress".
 * The database is consistent after every commit, and a half-written WIM
 * is only ever a temporary file, removed at the next start. */
static void exit_abandoning_jobs(server *s, const char *what, unsigned bound)
{
    unsigned marked = 0;
    smsprov_error err = {0};
    if (smsprov_site_abandon_jobs(s->site, &marked, &err) != SMSPROV_OK)
        SMSPROV_LOG(s->log, SMSPROV_LOG_ERROR, "Marking the unfinished jobs failed: %s",
                    err.description ? err.description : "unknown error");
    SMSPROV_LOG(s->log, SMSPROV_LOG_ERROR,
                "%s still running after %u s; stopping without them (%u job(s) marked failed)",
                what, bound, marked);
    smsprov_error_clear(&err);
    /* The log stays open: a worker still running may report on it until
     * the exit (every line is flushed as it is written). */
    _exit(EXIT_FAILURE);
}

/* Stop accepting, let running requests and jobs finish within the bound,
 * and mark failed the jobs still running then. */
static int stop(server *s, int sig)
{
    unsigned bound = s->cfg->shutdown_timeout_s;
    SMSPROV_LOG(s->log, SMSPROV_LOG_INFO,
                "%s received: no new connections; waiting up to %u s for running work",
                sig == SIGINT ? "SIGINT" : "SIGTERM", bound);
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += bound;
    for (size_t i = 0; i < DOOR_COUNT; i++)
        if (s->listeners[i])
            DOORS[i].quiesce(s->listeners[i]);
    bool drained = true;
    for (size_t i = 0; i < DOOR_COUNT && drained; i++)
        drained = !s->listeners[i] || DOORS[i].drain(s->listeners[i], remaining_ms(&deadline));
    if (!drained)
        exit_abandoning_jobs(s, "Requests were", bound);
    close_doors(s);
    if (!close_site_within(s->site, &deadline))
        exit_abandoning_jobs(s, "Jobs were", bound);
    SMSPROV_LOG(s->log, SMSPROV_LOG_INFO, "smsprovd stopped");
    smsprov_log_close(s->log);
    return EXIT_SUCCESS;
}

static void teardown(server *s)
{
    close_doors(s);
    smsprov_site_close(s->site);
    smsprov_log_close(s->log);
}

int smsprovd_serve(const smsprov_config *cfg, const smsprovd_source *source,
                   const char *port_file)
{
    /* Signals go to sigtimedwait in this thread only: block them before any
     * other thread starts. */
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &signals, NULL);
    signal(SIGPIPE, SIG_IGN);

    server s = {.cfg = cfg, .source = source};
    smsprov_error err = {0};
    smsprov_code rc = open_log(&s, &err);
    if (rc == SMSPROV_OK)
        rc = start(&s, &err);
    if (rc != SMSPROV_OK) {
        fprintf(stderr, "smsprovd: %s\n", err.description ? err.description : "failed to start");
        SMSPROV_LOG(s.log, SMSPROV_LOG_ERROR, "Cannot start: %s", err.description);
        smsprov_error_clear(&err);
        teardown(&s);
        return EXIT_FAILURE;
    }
    if (port_file)
        write_port_file(&s, port_file);
    char *status = cim_xasprintf("Serving site %s", smsprov_site_code(s.site));
    smsprovd_notify_ready(status);
    free(status);
    int sig = wait_for_stop(&s, &signals);
    smsprovd_notify_stopping();
    return stop(&s, sig);
}
