/*
 * store/marks.h - what the site remembers about files it handled.
 *
 * A mark says "this file, as it was then, had been <kind>": a source WIM
 * that passed a full verification ("verified-source"), a boot image an
 * export wrote ("export").  It is the file's path and an identity string
 * the caller builds from whatever tells the file apart (size, times,
 * inode, a hash); one mark per kind and path, replaced by the next.  Marks
 * live in the site's store, so every process of the site sees them and
 * they hold across restarts.
 */
#ifndef SMSPROV_STORE_MARKS_H
#define SMSPROV_STORE_MARKS_H

#include <stdbool.h>

#include "store/store.h"

#define STORE_MARK_VERIFIED_SOURCE "verified-source"
#define STORE_MARK_EXPORT "export"

/* True when path carries a mark of kind with exactly identity.  Any
 * failure (a store that cannot be read) answers false: callers then do
 * the slower or more careful thing. */
bool store_mark_matches(store *st, const char *kind, const char *path, const char *identity);

/* Marks path with kind and identity now, in a write transaction of its
 * own, replacing an earlier mark of the same kind and path.  Errors:
 * SMSPROV_E_INVALID_PARAMETER for an empty kind, path or identity; those
 * of store_begin and store_commit; SMSPROV_E_FAILED when the store fails. */
smsprov_code store_mark_set(store *st, const char *kind, const char *path, const char *identity,
                            smsprov_error *err);

#endif
