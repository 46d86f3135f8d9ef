/* enum_store.c - open enumerations behind one mutex, capped in total and
 * per user. */
#include "wsman/enum_store.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct wsman_enum_store {
    pthread_mutex_t lock;
    wsman_enumeration **items;
    size_t count;
    unsigned max_open;
    unsigned max_per_user;
};

int64_t wsman_now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

void wsman_enumeration_free(wsman_enumeration *e)
{
    if (!e)
        return;
    free(e->id);
    free(e->user);
    smsprov_cursor_close(e->cursor);
    for (size_t i = 0; i < e->selector_count; i++) {
        free(e->selectors[i].name);
        free(e->selectors[i].value);
    }
    free(e->selectors);
    free(e->uri_prefix);
    free(e->namespace_path);
    free(e);
}

wsman_enum_store *wsman_enum_store_new(unsigned max_open, unsigned max_per_user)
{
    wsman_enum_store *s = cim_xcalloc(1, sizeof *s);
    pthread_mutex_init(&s->lock, NULL);
    s->max_open = max_open ? max_open : 1024;
    s->max_per_user = max_per_user ? max_per_user : 128;
    if (s->max_per_user > s->max_open)
        s->max_per_user = s->max_open;
    s->items = cim_xcalloc(s->max_open, sizeof *s->items);
    return s;
}

void wsman_enum_store_free(wsman_enum_store *store)
{
    if (!store)
        return;
    for (size_t i = 0; i < store->count; i++)
        wsman_enumeration_free(store->items[i]);
    free(store->items);
    pthread_mutex_destroy(&store->lock);
    free(store);
}

static void remove_at(wsman_enum_store *s, size_t i)
{
    s->items[i] = s->items[--s->count];
}

static void sweep_locked(wsman_enum_store *s, int64_t now)
{
    for (size_t i = 0; i < s->count;) {
        if (s->items[i]->expires_us <= now) {
            wsman_enumeration_free(s->items[i]);
            remove_at(s, i);
        } else {
            i++;
        }
    }
}

static size_t open_for(const wsman_enum_store *s, const char *user)
{
    size_t n = 0;
    for (size_t i = 0; i < s->count; i++)
        if (strcmp(s->items[i]->user, user) == 0)
            n++;
    return n;
}

wsman_enum_put wsman_enum_store_put(wsman_enum_store *store, wsman_enumeration *e)
{
    int64_t now = wsman_now_us();
    pthread_mutex_lock(&store->lock);
    sweep_locked(store, now);
    wsman_enum_put result = WSMAN_ENUM_STORED;
    if (store->count >= store->max_open)
        result = WSMAN_ENUM_TOO_MANY;
    else if (open_for(store, e->user) >= store->max_per_user)
        result = WSMAN_ENUM_TOO_MANY_FOR_USER;
    if (result == WSMAN_ENUM_STORED) {
        e->expires_us = now + e->idle_us;
        store->items[store->count++] = e;
    }
    pthread_mutex_unlock(&store->lock);
    return result;
}

wsman_enumeration *wsman_enum_store_take(wsman_enum_store *store, const char *id,
                                         const char *user)
{
    wsman_enumeration *found = NULL;
    pthread_mutex_lock(&store->lock);
    sweep_locked(store, wsman_now_us());
    for (size_t i = 0; i < store->count && !found; i++) {
        wsman_enumeration *e = store->items[i];
        if (strcmp(e->id, id) == 0 && strcmp(e->user, user ? user : "") == 0) {
            found = e;
            remove_at(store, i);
        }
    }
    pthread_mutex_unlock(&store->lock);
    return found;
}

size_t wsman_enum_store_sweep(wsman_enum_store *store)
{
    pthread_mutex_lock(&store->lock);
    sweep_locked(store, wsman_now_us());
    size_t n = store->count;
    pthread_mutex_unlock(&store->lock);
    return n;
}

unsigned wsman_enum_store_max_open(const wsman_enum_store *store)
{
    return store->max_open;
}

unsigned wsman_enum_store_max_per_user(const wsman_enum_store *store)
{
    return store->max_per_user;
}
