/* contexts.h - open enumeration contexts of the DSP0200 pull operations: a
 * cursor and how to write what it reads, until its end, CloseEnumeration or
 * an idle timeout.  A context holds the cursor's position, never instances.
 * A Pull takes its context out while it runs, so two requests never use one
 * context at once.  Capped per user and in total, as WS-Man's are. */
#ifndef SMSPROV_CIMXML_CONTEXTS_H
#define SMSPROV_CIMXML_CONTEXTS_H

#include <stdint.h>

#include "cimxml/ops.h"

/* What an Open asked for, which its Pulls must match. */
typedef enum cimxml_pull_kind {
    CIMXML_PULL_INSTANCES_WITH_PATH, /* OpenEnumerateInstances */
    CIMXML_PULL_PATHS,               /* OpenEnumerateInstancePaths */
    CIMXML_PULL_INSTANCES,           /* OpenQueryInstances */
} cimxml_pull_kind;

typedef struct cimxml_context {
    char *id;
    char *user;
    cimxml_pull_kind kind;
    cimxml_rows rows;
    int64_t idle_us;
    int64_t expires_us;
} cimxml_context;

void cimxml_context_free(cimxml_context *c);

typedef struct cimxml_contexts cimxml_contexts;

/* max_open (0: 1024), max_per_user (0: 128), idle_s (0: 300). */
cimxml_contexts *cimxml_contexts_new(unsigned max_open, unsigned max_per_user, unsigned idle_s);
void cimxml_contexts_free(cimxml_contexts *s);
/* The idle lifetime a context gets unless the client asks for less. */
int64_t cimxml_contexts_idle_us(const cimxml_contexts *s);

typedef enum cimxml_context_put {
    CIMXML_CONTEXT_STORED = 0,
    CIMXML_CONTEXT_TOO_MANY,
    CIMXML_CONTEXT_TOO_MANY_FOR_USER,
} cimxml_context_put;

/* Stores c with a fresh deadline (the store owns it then); otherwise c
 * stays the caller's.  Expired contexts are freed first. */
cimxml_context_put cimxml_contexts_put(cimxml_contexts *s, cimxml_context *c);
/* Takes a context out; NULL when unknown, expired or another user's. */
cimxml_context *cimxml_contexts_take(cimxml_contexts *s, const char *id, const char *user);
/* Frees expired contexts; returns how many stay open. */
size_t cimxml_contexts_sweep(cimxml_contexts *s);
unsigned cimxml_contexts_max_open(const cimxml_contexts *s);
unsigned cimxml_contexts_max_per_user(const cimxml_contexts *s);

#endif
