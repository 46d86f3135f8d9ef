/*
 * config/config.h - the server's settings, read from an INI file.
 *
 * smsprovd (and later the smsprov client's --config) reads one INI file:
 *
 *   [site]      code, name, server, database, mof_dir, content_root,
 *               adk_root, configmgr_root, workers, first_admin
 *   [shares]    \\server\share = /local/folder     (one line per share)
 *   [distribution_points]  SERVER = fqdn             (one line per distribution
 *               point: its NetBIOS name, and its intranet FQDN or nothing)
 *   [wsman.http] [wsman.https] [cimxml.http] [cimxml.https]
 *   [adminservice.http] [adminservice.https]
 *               enabled, address, port     (one section per listener of a door)
 *   [tls]       certificate, key, priorities (every HTTPS listener)
 *   [auth]      users_file, allow_unencrypted, address_backoff_max,
 *               user_backoff_max, schemes, keytab, ntlm_user_file, principals
 *   [log]       file, level (error|warning|info|verbose), max_size_kb, stderr
 *   [server]    max_request_kb, max_connections, max_connections_per_address,
 *               connection_timeout, header_timeout, enumeration_timeout,
 *               max_enumerations, max_enumerations_per_user, shutdown_timeout
 *
 * Deprecated, still read (the first INI files): [http] and [https] (the
 * WS-Man listeners; [https] certificate, key, tls_priorities are [tls]'s),
 * [cimxml] enabled, address, port, https, https_port and [adminservice]
 * enabled, http.
 *
 * Relative paths are taken relative to the folder of the INI file.  Unknown
 * sections and keys are errors, so a typo never silently keeps a default.
 */
#ifndef SMSPROV_CONFIG_CONFIG_H
#define SMSPROV_CONFIG_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "config/log.h"
#include "smsprov/provider.h"

typedef struct smsprov_listener_config {
    bool enabled;
    char *address;          /* bind address; "127.0.0.1" */
    unsigned port;          /* 5985 (http) or 5986 (https); 0 picks a free port */
    char *certificate_file; /* PEM; https only */
    char *key_file;         /* PEM; https only */
} smsprov_listener_config;

/* The port of an AdminService listener that follows the WS-Man one. */
#define SMSPROV_PORT_UNSET 0xFFFFFFFFu

#define SMSPROV_AUTH_BASIC 1u
#define SMSPROV_AUTH_NEGOTIATE 2u
#define SMSPROV_AUTH_KERBEROS 4u

typedef struct smsprov_config {
    char *source_dir;       /* folder of the INI file, for relative paths; NULL: cwd */

    /* [site] */
    char *site_code;        /* NULL: the provider's default (LAB) */
    char *site_name;
    char *server_name;
    char *database_path;    /* required */
    char *mof_dir;
    char *content_root;
    char *adk_root;
    char *configmgr_root;
    unsigned worker_count;  /* 0: one per core */
    /* The user name made Full Administrator (role SMS0001R, scope All)
     * when no administrative user has it; NULL: none is made. */
    char *first_admin;

    /* [shares] */
    smsprov_share *shares;  /* owned strings */
    size_t share_count;

    /* [distribution_points] (none: the site server is the one) */
    smsprov_distribution_point *distribution_points; /* owned strings */
    size_t distribution_point_count;

    /* [wsman.http] and [wsman.https] (formerly [http] and [https]); the
     * [tls] certificate and key are https's certificate_file and key_file */
    smsprov_listener_config http;
    smsprov_listener_config https;

    /* [cimxml.http] and [cimxml.https]: the CIM-XML door, off unless
     * enabled, so servers started side by side do not fight over its
     * ports (5988, 5989). */
    smsprov_listener_config cimxml;
    smsprov_listener_config cimxml_tls;
    bool cimxml_https; /* deprecated [cimxml] https: HTTPS too when [cimxml] enabled */

    /* [adminservice.http] and [adminservice.https]: the AdminService door
     * (OData at /AdminService/wmi/), on HTTPS by default.  With no address
     * and no port of its own (address NULL, port SMSPROV_PORT_UNSET) a
     * listener is a route of the WS-Man listener of its scheme, and serves
     * only when that one does; otherwise a listener of its own. */
    smsprov_listener_config rest;
    smsprov_listener_config rest_tls;
    bool adminservice_enabled; /* deprecated [adminservice] enabled: false turns both off */

    /* The deprecated keys read, one line each: "[http] port: write port in
     * [wsman.http] instead."; NULL: none. */
    char *deprecated;

    /* [tls] priorities: a GnuTLS priority string; NULL: TLS 1.3 and
     * 1.2 only (HTTP_TLS_PRIORITIES in http/http.h) */
    char *tls_priorities;

    /* [auth] */
    char *users_file;       /* required when a listener is enabled */
    bool allow_unencrypted; /* Basic over plain HTTP from other machines */
    unsigned address_backoff_max_s; /* caps of the failed-login back-off; 0: off */
    unsigned user_backoff_max_s;
    /* WS-Management's schemes: SMSPROV_AUTH_* bits, from `schemes = Basic,
     * Negotiate, Kerberos` (default Basic).  CIM-XML always takes Basic. */
    unsigned auth_schemes;
    char *keytab;           /* Kerberos keys for HTTP/<host>; needed by Kerberos */
    char *ntlm_user_file;   /* gss-ntlmssp's DOMAIN:user:password file: NTLM */
    char *principals;       /* comma-separated names that may log in with
                             * Negotiate/Kerberos; NULL: every authenticated one */

    /* [log] */
    char *log_file;         /* NULL: stderr only */
    smsprov_log_level log_level;
    size_t log_max_bytes;   /* the file rolls over to .lo_ past this size */
    bool log_stderr;

    /* [server] */
    size_t max_request_bytes;
    unsigned max_connections;
    unsigned max_connections_per_address; /* 0: no limit */
    unsigned connection_timeout_s;  /* idle keep-alive connections close after this */
    unsigned header_timeout_s;      /* a request's line and headers must arrive within this */
    unsigned enumeration_timeout_s; /* idle enumeration contexts expire after this */
    unsigned max_enumerations;      /* open enumeration contexts, server-wide */
    unsigned max_enumerations_per_user; /* open enumeration contexts per user */
    unsigned shutdown_timeout_s;    /* how long SIGTERM waits for running work */
} smsprov_config;

/* The defaults: http on 127.0.0.1:5985, https off (127.0.0.1:5986), log
 * level info to stderr, 4 MiB requests, 256 connections (64 per client
 * address), 120 s idle connections, 20 s for a request's headers, 300 s
 * idle enumerations, 1024 enumerations (128 per user), 30 s shutdown, Basic
 * over plain HTTP from loopback only, login back-off capped at 16 s per
 * address and 4 s per user. */
void smsprov_config_init(smsprov_config *cfg);
void smsprov_config_clear(smsprov_config *cfg);

/* Reads an INI file on top of what cfg holds.  On error *err names the file,
 * the line and what is wrong (SMSPROV_E_NOT_FOUND when the file cannot be
 * opened, SMSPROV_E_INVALID_PARAMETER otherwise); cfg may then hold part of
 * the file's settings and should be cleared. */
smsprov_code smsprov_config_load(smsprov_config *cfg, const char *path, smsprov_error *err);
/* The same for INI text already in memory (NUL-terminated); name names it
 * in messages, and relative paths resolve against cfg->source_dir as it
 * stands (the working directory when unset). */
smsprov_code smsprov_config_load_text(smsprov_config *cfg, const char *text, const char *name,
                                      smsprov_error *err);

/* Sets one key, as the INI line `key = value` in [section] would; used for
 * command-line overrides (`--set http.port=15985`).  Relative paths are
 * resolved against cfg->source_dir. */
smsprov_code smsprov_config_set(smsprov_config *cfg, const char *section, const char *key,
                                const char *value, smsprov_error *err);

/* Checks what the server needs before it starts: a database, a users file
 * when a listener is on, a certificate and key for https. */
smsprov_code smsprov_config_check(const smsprov_config *cfg, smsprov_error *err);

/* Calls fn once for each key whose value differs between a and b, with its
 * section and key names; for [shares] and [distribution_points], once for
 * the whole section (key NULL) when any line differs.  smsprovd's reload
 * uses it to name the settings that take a restart. */
typedef void (*smsprov_config_diff_fn)(void *data, const char *section, const char *key);
void smsprov_config_diff(const smsprov_config *a, const smsprov_config *b,
                         smsprov_config_diff_fn fn, void *data);

/* Fills a site configuration that borrows cfg's strings. */
void smsprov_config_site(const smsprov_config *cfg, smsprov_site_config *out);

/* The listeners of the doors, in the order of the port file. */
typedef enum smsprov_listener_id {
    SMSPROV_WSMAN_HTTP,
    SMSPROV_WSMAN_HTTPS,
    SMSPROV_CIMXML_HTTP,
    SMSPROV_CIMXML_HTTPS,
    SMSPROV_REST_HTTP,
    SMSPROV_REST_HTTPS,
    SMSPROV_LISTENER_COUNT
} smsprov_listener_id;

/* What one listener does under cfg, the deprecated keys resolved. */
typedef struct smsprov_listener_plan {
    const char *section; /* "wsman.https" */
    bool serve;          /* the listener serves */
    bool shared;         /* an AdminService one served as a route of the WS-Man
                          * listener of its scheme (no address or port of its own) */
    bool tls;
    const char *address;
    unsigned port;       /* 0: a free port */
} smsprov_listener_plan;

/* Resolves listener id of cfg (listeners.c). */
void smsprov_config_listener(const smsprov_config *cfg, smsprov_listener_id id,
                             smsprov_listener_plan *out);

#endif
