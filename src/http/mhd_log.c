/* mhd_log.c - libmicrohttpd's messages, at most one line per text per
 * window, the repeats counted. */
#include "http/mhd_log.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "smsprov/cim.h"

#define SLOTS 8
#define WINDOW_MS 10000

typedef struct slot {
    char text[256];
    int64_t window_start; /* 0: empty */
    unsigned repeats;     /* suppressed in this window */
} slot;

struct http_mhd_log {
    pthread_mutex_t lock;
    smsprov_log *log;
    slot slots[SLOTS];
};

static int64_t now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000 + 1;
}

http_mhd_log *http_mhd_log_new(smsprov_log *log)
{
    http_mhd_log *l = cim_xcalloc(1, sizeof *l);
    pthread_mutex_init(&l->lock, NULL);
    l->log = log;
    return l;
}

static void flush(http_mhd_log *l, slot *s)
{
    if (s->repeats)
        SMSPROV_LOG(l->log, SMSPROV_LOG_WARNING, "HTTP: %s (%u more time(s) within %d s)",
                    s->text, s->repeats, WINDOW_MS / 1000);
    s->repeats = 0;
}

void http_mhd_log_free(http_mhd_log *l)
{
    if (!l)
        return;
    for (int i = 0; i < SLOTS; i++)
        flush(l, &l->slots[i]);
    pthread_mutex_destroy(&l->lock);
    free(l);
}

void http_mhd_log_message(void *cls, const char *fmt, va_list ap)
{
    http_mhd_log *l = cls;
    char text[256];
    vsnprintf(text, sizeof text, fmt, ap);
    size_t n = strlen(text);
    while (n && (text[n - 1] == '\n' || text[n - 1] == '\r'))
        text[--n] = '\0';
    int64_t now = now_ms();
    pthread_mutex_lock(&l->lock);
    slot *s = NULL, *oldest = &l->slots[0];
    for (int i = 0; i < SLOTS && !s; i++) {
        if (l->slots[i].window_start && strcmp(l->slots[i].text, text) == 0)
            s = &l->slots[i];
        else if (l->slots[i].window_start < oldest->window_start)
            oldest = &l->slots[i];
    }
    if (s && now - s->window_start < WINDOW_MS) {
        s->repeats++;
    } else {
        if (!s) {
            s = oldest;
            flush(l, s);
            snprintf(s->text, sizeof s->text, "%s", text);
        } else {
            flush(l, s);
        }
        s->window_start = now;
        SMSPROV_LOG(l->log, SMSPROV_LOG_WARNING, "HTTP: %s", text);
    }
    pthread_mutex_unlock(&l->lock);
}
