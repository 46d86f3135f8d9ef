/* smsprovd.h - the parts of the server program. */
#ifndef SMSPROVD_H
#define SMSPROVD_H

#include "config/config.h"

#define SMSPROVD_VERSION "0.1.0"
#define EXIT_USAGE 2

/* `smsprovd adduser FILE NAME`: reads the password from stdin and adds or
 * replaces NAME's line in the users file (created with mode 0600). */
int smsprovd_adduser(const char *path, const char *name);

/* `smsprovd ntlm-adduser FILE DOMAIN\\NAME`: the same for the NTLM user
 * file ([auth] ntlm_user_file), in smbpasswd form with the NT hash. */
int smsprovd_ntlm_adduser(const char *path, const char *name);

/* Runs the server until SIGTERM or SIGINT; port_file, when not NULL, gets
 * "http=PORT\nhttps=PORT\ncimxml=PORT\ncimxml_https=PORT\n" once the
 * listeners are up (0 for one that is off).  Returns the exit
 * status. */
int smsprovd_serve(const smsprov_config *cfg, const char *port_file);

#endif
