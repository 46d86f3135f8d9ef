/* enum_store.h - open enumerations: a cursor over what an Enumerate asked
 * for, until EndOfSequence, Release, or an idle timeout.  An enumeration
 * holds the cursor's position and the query, never instances, so its memory
 * does not depend on the result size.  A Pull takes its enumeration out of
 * the store while it runs, so two requests never use one enumeration at
 * once.  Open enumerations are capped per user and in total. */
#ifndef SMSPROV_WSMAN_ENUM_STORE_H
#define SMSPROV_WSMAN_ENUM_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "smsprov/provider.h"
#include "wsman/envelope.h" /* wsman_selector */

typedef enum wsman_enum_mode {
    WSMAN_ENUM_OBJECTS = 0,
    WSMAN_ENUM_EPRS,             /* EnumerateEPR */
    WSMAN_ENUM_OBJECTS_AND_EPRS, /* EnumerateObjectAndEPR */
} wsman_enum_mode;

typedef struct wsman_enumeration {
    char *id;                    /* "uuid:..." */
    char *user;                  /* only its creator may pull it */
    smsprov_cursor *cursor;      /* where the next Pull continues */
    wsman_selector *selectors;   /* a Selector filter's name = value pairs, applied to
                                  * each instance */
    size_t selector_count;
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

/* max_open: open at once in total (0: 1024); max_per_user: open at once per
 * user (0: 128; never more than max_open). */
wsman_enum_store *wsman_enum_store_new(unsigned max_open, unsigned max_per_user);
void wsman_enum_store_free(wsman_enum_store *store);

typedef enum wsman_enum_put {
    WSMAN_ENUM_STORED = 0,
    WSMAN_ENUM_TOO_MANY,          /* max_open enumerations are open */
    WSMAN_ENUM_TOO_MANY_FOR_USER, /* the user has max_per_user open */
} wsman_enum_put;

/* Stores e (the store owns it from then on) with a fresh deadline; on
 * anything but WSMAN_ENUM_STORED e stays the caller's.  Expired
 * enumerations are freed first, so they never count against a cap. */
wsman_enum_put wsman_enum_store_put(wsman_enum_store *store, wsman_enumeration *e);
/* Takes an enumeration out of the store; NULL when the id is unknown,
 * expired, or belongs to another user. */
wsman_enumeration *wsman_enum_store_take(wsman_enum_store *store, const char *id,
                                         const char *user);
/* Frees expired enumerations and returns how many remain open. */
size_t wsman_enum_store_sweep(wsman_enum_store *store);
/* The caps in force. */
unsigned wsman_enum_store_max_open(const wsman_enum_store *store);
unsigned wsman_enum_store_max_per_user(const wsman_enum_store *store);

#endif
