/* backoff.c - failure counts and refusal windows per client address and per
 * user name, in bounded tables so that a flood of new names or addresses
 * costs a fixed amount of memory (the oldest entry makes room). */
#include "http/backoff.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "smsprov/cim.h"

#define TABLE_SLOTS 1024
#define TRUSTED_SLOTS 256
#define KEY_BYTES 128                          /* longer names share a slot */
#define FORGET_MS (15 * 60 * 1000)             /* counts reset after this */
#define TRUST_MS ((int64_t)24 * 3600 * 1000)   /* a good login trusts its address this long */

typedef struct entry {
    char key[KEY_BYTES];
    unsigned failures;
    int64_t last_ms;     /* last failure; 0: empty slot */
    int64_t refused_ms;  /* window end of the last logged refusal */
} entry;

typedef struct trusted {
    char user[KEY_BYTES];
    char address[64];
    int64_t until_ms;
} trusted;

/* Every request looks its caller up here, under one lock: with no failures
 * recorded (the usual case) a lookup must cost nothing, so each table
 * counts its entries in use and an empty one is not scanned. */
typedef struct table {
    entry slots[TABLE_SLOTS];
    unsigned used;
} table;

struct http_backoff {
    pthread_mutex_t lock;
    unsigned address_max_s, user_max_s;
    table addresses;
    table users;
    trusted good[TRUSTED_SLOTS];
    size_t last_good; /* the slot of the latest login: keep-alive clients repeat it */
};

http_backoff *http_backoff_new(void)
{
    http_backoff *b = cim_xcalloc(1, sizeof *b);
    pthread_mutex_init(&b->lock, NULL);
    b->address_max_s = 16;
    b->user_max_s = 4;
    return b;
}

void http_backoff_free(http_backoff *b)
{
    if (!b)
        return;
    pthread_mutex_destroy(&b->lock);
    free(b);
}

void http_backoff_configure(http_backoff *b, unsigned address_max_s, unsigned user_max_s)
{
    pthread_mutex_lock(&b->lock);
    b->address_max_s = address_max_s;
    b->user_max_s = user_max_s;
    pthread_mutex_unlock(&b->lock);
}

/* One second after the free failures, doubling up to the cap. */
static int64_t window_ms(unsigned failures, unsigned cap_s)
{
    if (failures <= HTTP_BACKOFF_FREE_FAILURES || cap_s == 0)
        return 0;
    unsigned doublings = failures - HTTP_BACKOFF_FREE_FAILURES - 1;
    int64_t ms = doublings >= 20 ? INT64_MAX : (int64_t)1000 << doublings;
    int64_t cap = (int64_t)cap_s * 1000;
    return ms < cap ? ms : cap;
}

static void forget(table *t, entry *e)
{
    if (e->last_ms)
        t->used--;
    memset(e, 0, sizeof *e);
}

static entry *find(table *t, const char *key, int64_t now_ms, bool create)
{
    if (t->used == 0 && !create)
        return NULL;
    entry *oldest = &t->slots[0];
    for (size_t i = 0; i < TABLE_SLOTS; i++) {
        entry *e = &t->slots[i];
        if (e->last_ms && now_ms - e->last_ms > FORGET_MS)
            forget(t, e);
        if (e->last_ms && strncmp(e->key, key, KEY_BYTES - 1) == 0)
            return e;
        if (e->last_ms < oldest->last_ms)
            oldest = e;
    }
    if (!create)
        return NULL;
    forget(t, oldest);
    snprintf(oldest->key, sizeof oldest->key, "%s", key);
    return oldest;
}

/* A new entry counts once it has a failure time. */
static void record_failure(table *t, entry *e, int64_t now_ms)
{
    if (!e->last_ms)
        t->used++;
    e->failures++;
    e->last_ms = now_ms;
}

static bool is_trusted(http_backoff *b, const char *address, const char *user, int64_t now_ms)
{
    for (size_t i = 0; i < TRUSTED_SLOTS; i++) {
        const trusted *t = &b->good[i];
        if (t->until_ms > now_ms && strcmp(t->address, address) == 0 &&
            strncmp(t->user, user, KEY_BYTES - 1) == 0)
            return true;
    }
    return false;
}

/* The remaining window of e, logging state in info. */
static int64_t remaining(entry *e, unsigned cap_s, int64_t now_ms)
{
    if (!e)
        return 0;
    int64_t end = e->last_ms + window_ms(e->failures, cap_s);
    return end > now_ms ? end - now_ms : 0;
}

static void note_refusal(entry *e, int64_t left_ms, int64_t now_ms, http_login_info *info)
{
    int64_t end = now_ms + left_ms;
    info->first_refusal = e->refused_ms != end;
    e->refused_ms = end;
    info->wait_s = (unsigned)((left_ms + 999) / 1000);
}

bool http_backoff_refuses(http_backoff *b, const char *address, const char *user, int64_t now_ms,
                          http_login_info *info)
{
    http_login_info scratch;
    info = info ? info : &scratch;
    memset(info, 0, sizeof *info);
    pthread_mutex_lock(&b->lock);
    entry *a = find(&b->addresses, address, now_ms, false);
    entry *u = find(&b->users, user, now_ms, false);
    info->address_failures = a ? a->failures : 0;
    info->user_failures = u ? u->failures : 0;
    int64_t left = remaining(a, b->address_max_s, now_ms);
    bool refused = false;
    if (left > 0) {
        note_refusal(a, left, now_ms, info);
        refused = true;
    } else if ((left = remaining(u, b->user_max_s, now_ms)) > 0 &&
               !is_trusted(b, address, user, now_ms)) {
        note_refusal(u, left, now_ms, info);
        info->by_user = true;
        refused = true;
    }
    pthread_mutex_unlock(&b->lock);
    return refused;
}

void http_backoff_failed(http_backoff *b, const char *address, const char *user, int64_t now_ms,
                         http_login_info *info)
{
    pthread_mutex_lock(&b->lock);
    entry *a = find(&b->addresses, address, now_ms, true);
    entry *u = find(&b->users, user, now_ms, true);
    record_failure(&b->addresses, a, now_ms);
    record_failure(&b->users, u, now_ms);
    if (info) {
        memset(info, 0, sizeof *info);
        info->address_failures = a->failures;
        info->user_failures = u->failures;
        int64_t wa = window_ms(a->failures, b->address_max_s);
        int64_t wu = window_ms(u->failures, b->user_max_s);
        int64_t w = wa > wu ? wa : wu;
        info->wait_s = (unsigned)((w + 999) / 1000);
        info->by_user = wu > wa;
    }
    pthread_mutex_unlock(&b->lock);
}

void http_backoff_succeeded(http_backoff *b, const char *address, const char *user,
                            int64_t now_ms)
{
    pthread_mutex_lock(&b->lock);
    entry *a = find(&b->addresses, address, now_ms, false);
    entry *u = find(&b->users, user, now_ms, false);
    if (a)
        forget(&b->addresses, a);
    if (u)
        forget(&b->users, u);
    trusted *slot = &b->good[b->last_good];
    bool same = strcmp(slot->address, address) == 0 &&
                strncmp(slot->user, user, KEY_BYTES - 1) == 0;
    for (size_t i = 0; !same && i < TRUSTED_SLOTS; i++) {
        trusted *t = &b->good[i];
        if (strcmp(t->address, address) == 0 && strncmp(t->user, user, KEY_BYTES - 1) == 0) {
            slot = t;
            break;
        }
        if (t->until_ms < slot->until_ms)
            slot = t;
    }
    snprintf(slot->user, sizeof slot->user, "%s", user);
    snprintf(slot->address, sizeof slot->address, "%s", address);
    slot->until_ms = now_ms + TRUST_MS;
    b->last_good = (size_t)(slot - b->good);
    pthread_mutex_unlock(&b->lock);
}
