/*
 * paths.h - Windows paths from clients, local paths on this server.
 *
 * Clients send Windows paths (ImagePath, SourceImagePath, PkgSourcePath):
 * "\\\\lab\\sources\\boot.wim" or "C:\\winpe\\boot.wim".  The site's
 * shares map Windows prefixes to local folders; a path outside every share
 * is refused, so a client can only reach what the administrator shared.
 */
#ifndef SMSPROV_SMS_PATHS_H
#define SMSPROV_SMS_PATHS_H

#include "sms/site.h"

/* Maps windows_path to the local path under the share whose prefix it
 * starts with (the longest, compared ignoring case; '\\' and '/' both
 * separate).  Each component is matched ignoring case against what
 * exists; the part that does not exist yet is kept as written.
 * property names the property or parameter in messages ("ImagePath").
 * Errors, all SMSPROV_E_INVALID_PARAMETER with a sentence naming the path:
 * an empty path, a path outside every share, a ".." component, a
 * component with a control character or ':' (alternate data streams),
 * and a path that leaves its share through a symbolic link. */
smsprov_code sms_path_to_local(const smsprov_site *site, const char *windows_path,
                               const char *property, char **out, smsprov_error *err);

/* How clients see a local path: its Windows form under the share that
 * holds it (the longest local folder), else the local path unchanged.
 * Caller frees. */
char *sms_path_for_client(const smsprov_site *site, const char *local_path);

#endif
