/* util.c - allocation that aborts on failure, string buffers, ASCII case
 * folding: the small helpers every module shares. */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "smsprov/cim.h"

static void out_of_memory(size_t size)
{
    fprintf(stderr, "smsprov: out of memory allocating %zu bytes\n", size);
    abort();
}

void *cim_xmalloc(size_t size)
{
    void *p = malloc(size ? size : 1);
    if (!p)
        out_of_memory(size);
    return p;
}

void *cim_xcalloc(size_t count, size_t size)
{
    void *p = calloc(count ? count : 1, size ? size : 1);
    if (!p)
        out_of_memory(count * size);
    return p;
}

void *cim_xrealloc(void *p, size_t size)
{
    void *q = realloc(p, size ? size : 1);
    if (!q)
        out_of_memory(size);
    return q;
}

char *cim_xstrdup(const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s) + 1;
    char *d = cim_xmalloc(n);
    memcpy(d, s, n);
    return d;
}

char *cim_xasprintf(const char *fmt, ...)
{
    cim_buf b = {0};
    va_list ap;
    va_start(ap, fmt);
    char small[256];
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(small, sizeof small, fmt, copy);
    va_end(copy);
    if (n < 0) {
        va_end(ap);
        return cim_xstrdup("");
    }
    b.data = cim_xmalloc((size_t)n + 1);
    if ((size_t)n < sizeof small)
        memcpy(b.data, small, (size_t)n + 1);
    else
        vsnprintf(b.data, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return b.data;
}

int cim_strcasecmp(const char *a, const char *b)
{
    for (;; a++, b++) {
        int ca = tolower((unsigned char)*a), cb = tolower((unsigned char)*b);
        if (ca != cb || !ca)
            return ca - cb;
    }
}

static void buf_reserve(cim_buf *b, size_t extra)
{
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap *= 2;
    b->data = cim_xrealloc(b->data, cap);
    b->cap = cap;
}

void cim_buf_append_n(cim_buf *b, const char *s, size_t n)
{
    buf_reserve(b, n);
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void cim_buf_append(cim_buf *b, const char *s)
{
    cim_buf_append_n(b, s, strlen(s));
}

/* Formats straight into the free room and formats again only when the
 * text did not fit: writers call this for every tag of every instance. */
void cim_buf_printf(cim_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    va_list copy;
    va_copy(copy, ap);
    size_t room = b->data ? b->cap - b->len : 0;
    int n = vsnprintf(room ? b->data + b->len : NULL, room, fmt, copy);
    va_end(copy);
    if (n > 0 && (size_t)n >= room) {
        buf_reserve(b, (size_t)n);
        vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    }
    if (n > 0)
        b->len += (size_t)n;
    else if (room)
        b->data[b->len] = '\0'; /* an empty text leaves the buffer as it was */
    va_end(ap);
}

char *cim_buf_take(cim_buf *b)
{
    char *s = b->data ? b->data : cim_xstrdup("");
    b->data = NULL;
    b->len = b->cap = 0;
    return s;
}

void cim_buf_clear(cim_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}
