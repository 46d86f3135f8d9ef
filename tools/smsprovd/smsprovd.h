/* smsprovd.h - the parts of the server program. */
#ifndef SMSPROVD_H
#define SMSPROVD_H

#include "config/config.h"

#define SMSPROVD_VERSION SMSPROV_VERSION /* the CMake project VERSION */
#define EXIT_USAGE 2

/* `smsprovd adduser FILE NAME`: reads the password from stdin and adds or
 * replaces NAME's line in the users file: a new file gets mode 0600, an
 * existing one keeps its owner, group and mode, less any access for others. */
int smsprovd_adduser(const char *path, const char *name);

/* Everything smsprov_config_check does, and what start-up would trip over:
 * listener addresses that are not numeric, two listeners on one address and
 * port, folders that are missing or that this user cannot read (or write:
 * the database's and the log's folders, content_root), a users file that
 * does not parse, names nobody or is readable by others, and an HTTPS
 * certificate and key that are unreadable, not PEM, not a pair, or a key
 * readable by others than its owner.  SMSPROV_E_INVALID_PARAMETER (or the
 * users file's SMSPROV_E_NOT_FOUND) with one sentence naming what to fix. */
smsprov_code smsprovd_check_config(const smsprov_config *cfg, smsprov_error *err);

/* Tells the service manager the server is ready (status: a sentence shown
 * by `systemctl status`), or stopping; nothing when smsprovd was built
 * without libsystemd or not started by systemd. */
void smsprovd_notify_ready(const char *status);
void smsprovd_notify_stopping(void);

/* `smsprovd ntlm-adduser FILE DOMAIN\\NAME`: the same for the NTLM user
 * file ([auth] ntlm_user_file), in smbpasswd form with the NT hash. */
int smsprovd_ntlm_adduser(const char *path, const char *name);

/* Loads path (when not NULL) and the overrides (`section.key=value`) on top
 * of cfg, then checks the result: deeply (smsprovd_check_config) when deep,
 * else what serving needs (smsprov_config_check).  The error names the file
 * and line or the setting to fix. */
smsprov_code smsprovd_load_config(smsprov_config *cfg, const char *path,
                                  const char *const *overrides, size_t override_count, bool deep,
                                  smsprov_error *err);

/* Where the configuration came from, so SIGHUP can read it again. */
typedef struct smsprovd_source {
    const char *path; /* NULL: defaults and overrides only */
    const char *const *overrides;
    size_t override_count;
} smsprovd_source;

/* Runs the server until SIGTERM or SIGINT, reloading the configuration
 * from source on SIGHUP (reload.c says what a reload changes); port_file,
 * when not NULL, gets "http=PORT\nhttps=PORT\ncimxml=PORT\ncimxml_https=PORT\n
 * adminservice=PORT\nadminservice_https=PORT\n" once the listeners are up (0
 * for one that is off; the AdminService's is the WS-Man port when it rides
 * on that listener).  Returns the exit
 * status. */
int smsprovd_serve(const smsprov_config *cfg, const smsprovd_source *source,
                   const char *port_file);

/* Tells the service manager a reload has begun (RELOADING=1 with
 * MONOTONIC_USEC, as systemd asks); smsprovd_notify_ready ends it. */
void smsprovd_notify_reloading(void);

/* ---- the configuration reload (reload.c) ---- */

/* What a reload puts in force, read and checked in full before any of it
 * is: the users file parsed, the NTLM user file and the TLS pair checked,
 * the log file opened.  Owned; smsprovd_reload_free releases it. */
typedef struct smsprovd_reload smsprovd_reload;

/* Reads the configuration again from source and prepares what it changes;
 * running is the configuration the server started with.  NULL with *err
 * saying what is wrong (the file and line, or the file to fix). */
smsprovd_reload *smsprovd_reload_prepare(const smsprov_config *running,
                                         const smsprovd_source *source, smsprov_error *err);
void smsprovd_reload_free(smsprovd_reload *r);
/* The new configuration (for the site's part and the TLS files). */
const smsprov_config *smsprovd_reload_config(const smsprovd_reload *r);
/* Moves the parsed users file out (the caller puts it in force). */
struct http_users *smsprovd_reload_take_users(smsprovd_reload *r);
/* Logs, as a warning, each setting that differs from running but only takes
 * effect at a restart, with "needs a restart"; returns how many. */
size_t smsprovd_reload_report_restart(const smsprovd_reload *r, const smsprov_config *running,
                                      smsprov_log *log);

#endif
