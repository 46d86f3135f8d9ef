/* rbac_cache.c - the roles and scopes of recent callers, so a call does
 * not read SMS_Admin and SMS_Role again: an entry serves for at most
 * RBAC_CACHE_MS, and every change to an administration class through this
 * site drops them all.  A change made by another process on the same
 * database (the command-line client) is seen within RBAC_CACHE_MS. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sms/rbac.h"

#define RBAC_CACHE_SLOTS 64
#define RBAC_CACHE_MS 1000

typedef struct entry {
    char *user;       /* NULL: free slot */
    sms_caller caller;
    int64_t at_ms;
    uint64_t generation;
} entry;

struct sms_rbac_cache {
    pthread_mutex_t lock;
    uint64_t generation;
    entry slots[RBAC_CACHE_SLOTS];
};

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void copy_caller(sms_caller *dst, const sms_caller *src)
{
    *dst = *src;
    dst->grants = cim_xcalloc(src->grant_count + 1, sizeof *dst->grants);
    for (size_t i = 0; i < src->grant_count; i++)
        dst->grants[i] = (sms_grant){cim_xstrdup(src->grants[i].role),
                                     cim_xstrdup(src->grants[i].scope)};
    dst->ops = cim_xcalloc(src->op_count + 1, sizeof *dst->ops);
    for (size_t i = 0; i < src->op_count; i++) {
        dst->ops[i] = src->ops[i];
        dst->ops[i].role = cim_xstrdup(src->ops[i].role);
    }
}

static void clear_entry(entry *e)
{
    free(e->user);
    sms_caller_clear(&e->caller);
    memset(e, 0, sizeof *e);
}

sms_rbac_cache *sms_rbac_cache_new(void)
{
    sms_rbac_cache *c = cim_xcalloc(1, sizeof *c);
    pthread_mutex_init(&c->lock, NULL);
    return c;
}

void sms_rbac_cache_free(sms_rbac_cache *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < RBAC_CACHE_SLOTS; i++)
        clear_entry(&c->slots[i]);
    pthread_mutex_destroy(&c->lock);
    free(c);
}

bool sms_rbac_cache_get(sms_rbac_cache *c, const char *user, sms_caller *out)
{
    if (!c)
        return false;
    bool found = false;
    int64_t now = now_ms();
    pthread_mutex_lock(&c->lock);
    for (size_t i = 0; !found && i < RBAC_CACHE_SLOTS; i++) {
        entry *e = &c->slots[i];
        if (!e->user || strcmp(e->user, user) != 0)
            continue;
        if (e->generation == c->generation && now - e->at_ms < RBAC_CACHE_MS) {
            copy_caller(out, &e->caller);
            out->user = user;
            found = true;
        } else {
            clear_entry(e);
        }
    }
    pthread_mutex_unlock(&c->lock);
    return found;
}

void sms_rbac_cache_put(sms_rbac_cache *c, const sms_caller *caller, uint64_t generation)
{
    if (!c || caller->site)
        return;
    int64_t now = now_ms();
    pthread_mutex_lock(&c->lock);
    if (generation == c->generation) { /* nothing changed while it was read */
        entry *slot = &c->slots[0];
        for (size_t i = 0; i < RBAC_CACHE_SLOTS; i++) {
            entry *e = &c->slots[i];
            if (!e->user || strcmp(e->user, caller->user) == 0) {
                slot = e;
                break;
            }
            if (e->at_ms < slot->at_ms)
                slot = e; /* else the oldest goes */
        }
        clear_entry(slot);
        slot->user = cim_xstrdup(caller->user);
        copy_caller(&slot->caller, caller);
        slot->caller.user = slot->user;
        slot->at_ms = now;
        slot->generation = generation;
    }
    pthread_mutex_unlock(&c->lock);
}

uint64_t sms_rbac_cache_generation(sms_rbac_cache *c)
{
    if (!c)
        return 0;
    pthread_mutex_lock(&c->lock);
    uint64_t g = c->generation;
    pthread_mutex_unlock(&c->lock);
    return g;
}

void sms_rbac_changed(smsprov_site *site, const cim_class *cls)
{
    const sms_secured_type *t = sms_secured_type_of(cls);
    if (t && !t->scoped)
        sms_rbac_cache_drop(site->rbac_cache);
}

void sms_rbac_cache_drop(sms_rbac_cache *c)
{
    if (!c)
        return;
    pthread_mutex_lock(&c->lock);
    c->generation++;
    pthread_mutex_unlock(&c->lock);
}
