/* enum_store.h - open enumerations: the instances an Enumerate found and
 * how far the client has pulled, until EndOfSequence, Release, or an idle
 * timeout.  A Pull takes its enumeration out of the store while it runs, so
 * two requests never use one enumeration at once. */
#ifndef SMSPROV_WSMAN_ENUM_STORE_H
#define SMSPROV_WSMAN_ENUM_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "smsprov/provider.h"

typedef enum wsman_enum_mode {
    WSMAN_ENUM_OBJECTS = 0,
    WSMAN_ENUM_EPRS,             /* EnumerateEPR */
    WSMAN_ENUM_OBJECTS_AND_EPRS, /* EnumerateObjectAndEPR */
} wsman_enum_mode;

typedef struct wsman_enumeration {
    char *id;                    /* "uuid:..." */
    char *user;                  /* only its creator may pull it */
    smsprov_instance_list items;
    size_t next;                 /* first item not yet sent */
    wsman_enum_mode mode;
    char *uri_prefix;
    char *namespace_path;
    const cim_class *as_class;   /* ExcludeSubClassProperties; NULL otherwise */
    bool precise_arrays;
    int64_t idle_us;             /* lifetime after each use */
    int64_t expires_us;          /* monotonic deadline */
} wsman_enumeration;

void wsman_enumeration_free(wsman_enumeration *e);

/* Microseconds on the monotonic clock. */
int64_t wsman_now_us(void);

typedef struct wsman_enum_store wsman_enum_store;

wsman_enum_store *wsman_enum_store_new(unsigned max_open);
void wsman_enum_store_free(wsman_enum_store *store);
/* Stores e (the store owns it from then on) with a fresh deadline; false,
 * leaving e to the caller, when max_open enumerations are already open. */
bool wsman_enum_store_put(wsman_enum_store *store, wsman_enumeration *e);
/* Takes an enumeration out of the store; NULL when the id is unknown,
 * expired, or belongs to another user. */
wsman_enumeration *wsman_enum_store_take(wsman_enum_store *store, const char *id,
                                         const char *user);
/* Frees expired enumerations and returns how many remain open. */
size_t wsman_enum_store_sweep(wsman_enum_store *store);

#endif
