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

/* What the provider does with a path a client names. */
typedef enum sms_path_use {
    SMS_PATH_READ,  /* reads it (a file, or a folder and what is below it) */
    SMS_PATH_WRITE, /* writes the file (making missing folders) */
} sms_path_use;

/* Maps windows_path to the local path under the share whose prefix it
 * starts with (the longest, compared ignoring case; '\\' and '/' both
 * separate).  Each component is matched ignoring case against what
 * exists; the part that does not exist yet is kept as written.
 * property names the property or parameter in messages ("ImagePath").
 *
 * Symbolic links are followed only while they stay in the share: every
 * component that exists and is a link (at any depth, the last one too)
 * must resolve to a place inside the share's folder.  For SMS_PATH_WRITE
 * a last component that is a link leading inside gives its target as
 * *out, so the write replaces the file the link names, not the link.
 *
 * *share_root (may be NULL) receives the share's local folder: whatever is
 * read below a folder path must stay under it (osd/confine.h).
 *
 * Errors, all SMSPROV_E_INVALID_PARAMETER with a sentence naming the path
 * as the client wrote it (never the local one): an empty path, a path
 * outside every share, a ".." component, a component with a control
 * character or ':' (alternate data streams), a path that goes through a
 * symbolic link leading out of its share or to nothing that exists.
 *
 * What remains: the check is made when the path is resolved; a local user
 * who can write into the share and swaps a folder for a link between the
 * check and the use is not stopped (callers recheck where they write). */
smsprov_code sms_path_resolve(const smsprov_site *site, const char *windows_path,
                              const char *property, sms_path_use use, char **out,
                              char **share_root, smsprov_error *err);

/* sms_path_resolve for reading, without the share root. */
smsprov_code sms_path_to_local(const smsprov_site *site, const char *windows_path,
                               const char *property, char **out, smsprov_error *err);

/* How clients see a local path: its Windows form under the share that
 * holds it (the longest local folder), else the local path unchanged.
 * Caller frees. */
char *sms_path_for_client(const smsprov_site *site, const char *local_path);

/* text with every local path under a share (its folder as configured or
 * as resolved) turned into its client form, so that sentences and status
 * texts the file-system steps write never show this server's folders.
 * A path ends at a quote, a bracket, a comma, semicolon or colon before a
 * space, a full stop before a space or the end, or a space when the next
 * word holds no '/'.  NULL gives NULL.  Caller frees. */
char *sms_path_scrub(const smsprov_site *site, const char *text);

/* Scrubs a job's progress texts: the same text comes with every progress
 * step, and scrubbing resolves every share folder (a file open on
 * Windows, about a millisecond under Wine), so the last answer is kept.
 * Start with {.site = site}; end with sms_path_scrubber_clear. */
typedef struct sms_path_scrubber {
    const smsprov_site *site;
    char *text, *clean; /* the last text and its scrubbed form */
} sms_path_scrubber;

/* sms_path_scrub(s->site, text), taken from the last call when text is
 * the same.  NULL gives NULL.  The answer belongs to s: valid until the
 * next call or sms_path_scrubber_clear. */
const char *sms_path_scrub_again(sms_path_scrubber *s, const char *text);
void sms_path_scrubber_clear(sms_path_scrubber *s);

/* Scrubs err's description in place (sms_path_scrub). */
void sms_path_scrub_error(const smsprov_site *site, smsprov_error *err);

#endif
