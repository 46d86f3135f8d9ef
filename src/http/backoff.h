/*
 * http/backoff.h - failed-login bookkeeping per client address and per user
 * name (internal to src/http; the policy is described at
 * http_users_set_backoff in http.h).  Times are milliseconds on any
 * monotonic clock, passed in so tests can drive them.
 */
#ifndef SMSPROV_HTTP_BACKOFF_H
#define SMSPROV_HTTP_BACKOFF_H

#include <stdbool.h>
#include <stdint.h>

#include "http/http.h"

typedef struct http_backoff http_backoff;

http_backoff *http_backoff_new(void);
void http_backoff_free(http_backoff *b);
/* Caps of the refusal windows in seconds; 0 turns that side off. */
void http_backoff_configure(http_backoff *b, unsigned address_max_s, unsigned user_max_s);

/* True when a login as user from address must be refused unchecked; info
 * says which window and how long it still runs. */
bool http_backoff_refuses(http_backoff *b, const char *address, const char *user, int64_t now_ms,
                          http_login_info *info);
/* Records a failed check and fills info with the counts and the window the
 * failure opened. */
void http_backoff_failed(http_backoff *b, const char *address, const char *user, int64_t now_ms,
                         http_login_info *info);
/* Clears both counts and remembers address as one user logs in from. */
void http_backoff_succeeded(http_backoff *b, const char *address, const char *user,
                            int64_t now_ms);

#endif
