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

/* Runs the server until SIGTERM or SIGINT; port_file, when not NULL, gets
 * "http=PORT\nhttps=PORT\ncimxml=PORT\ncimxml_https=PORT\nadminservice=PORT\n
 * adminservice_https=PORT\n" once the listeners are up (0 for one that is
 * off; the AdminService's is the WS-Man port when it rides on that
 * listener).  Returns the exit
 * status. */
int smsprovd_serve(const smsprov_config *cfg, const char *port_file);

#endif
