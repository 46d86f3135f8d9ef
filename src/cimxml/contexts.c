/* contexts.c - open pull enumeration contexts behind one mutex. */
#include "cimxml/contexts.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct cimxml_contexts {
    pthread_mutex_t lock;
    cimxml_context **items;
    size_t count;
    unsigned max_open, max_per_user;
    int64_t idle_us;
};

static int64_t now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

void cimxml_context_free(cimxml_context *c)
{
    if (!c)
        return;
    free(c->id);
    free(c->user);
    cimxml_rows_clear(&c->rows);
    free(c);
}

cimxml_contexts *cimxml_contexts_new(unsigned max_open, unsigned max_per_user, unsigned idle_s)
{
    cimxml_contexts *s = cim_xcalloc(1, sizeof *s);
    pthread_mutex_init(&s->lock, NULL);
    s->max_open = max_open ? max_open : 1024;
    s->max_per_user = max_per_user ? max_per_user : 128;
    if (s->max_per_user > s->max_open)
        s->max_per_user = s->max_open;
    s->idle_us = (int64_t)(idle_s ? idle_s : 300) * 1000000;
    s->items = cim_xcalloc(s->max_open, sizeof *s->items);
    return s;
}

void cimxml_contexts_free(cimxml_contexts *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->count; i++)
        cimxml_context_free(s->items[i]);
    free(s->items);
    pthread_mutex_destroy(&s->lock);
    free(s);
}

int64_t cimxml_contexts_idle_us(const cimxml_contexts *s)
{
    return s->idle_us;
}

static void sweep_locked(cimxml_contexts *s, int64_t now)
{
    for (size_t i = 0; i < s->count;) {
        if (s->items[i]->expires_us <= now) {
            cimxml_context_free(s->items[i]);
            s->items[i] = s->items[--s->count];
        } else {
            i++;
        }
    }
}

cimxml_context_put cimxml_contexts_put(cimxml_contexts *s, cimxml_context *c)
{
    int64_t now = now_us();
    pthread_mutex_lock(&s->lock);
    sweep_locked(s, now);
    size_t mine = 0;
    for (size_t i = 0; i < s->count; i++)
        mine += strcmp(s->items[i]->user, c->user) == 0;
    cimxml_context_put result = CIMXML_CONTEXT_STORED;
    if (s->count >= s->max_open)
        result = CIMXML_CONTEXT_TOO_MANY;
    else if (mine >= s->max_per_user)
        result = CIMXML_CONTEXT_TOO_MANY_FOR_USER;
    else {
        c->expires_us = now + c->idle_us;
        s->items[s->count++] = c;
    }
    pthread_mutex_unlock(&s->lock);
    return result;
}

cimxml_context *cimxml_contexts_take(cimxml_contexts *s, const char *id, const char *user)
{
    cimxml_context *found = NULL;
    pthread_mutex_lock(&s->lock);
    sweep_locked(s, now_us());
    for (size_t i = 0; i < s->count && !found; i++) {
        if (strcmp(s->items[i]->id, id) == 0 && strcmp(s->items[i]->user, user) == 0) {
            found = s->items[i];
            s->items[i] = s->items[--s->count];
        }
    }
    pthread_mutex_unlock(&s->lock);
    return found;
}

size_t cimxml_contexts_sweep(cimxml_contexts *s)
{
    pthread_mutex_lock(&s->lock);
    sweep_locked(s, now_us());
    size_t n = s->count;
    pthread_mutex_unlock(&s->lock);
    return n;
}

unsigned cimxml_contexts_max_open(const cimxml_contexts *s)
{
    return s->max_open;
}

unsigned cimxml_contexts_max_per_user(const cimxml_contexts *s)
{
    return s->max_per_user;
}
