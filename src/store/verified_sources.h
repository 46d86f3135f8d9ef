/*
 * store/verified_sources.h - the record of source WIMs verified in full,
 * so an unchanged source is not decompressed again at each refresh.
 *
 *   smsprov_verified_sources (Path TEXT PRIMARY KEY, Identity TEXT NOT NULL,
 *                             VerifiedAt TEXT NOT NULL)
 *
 * One row per source path: the identity string (osd_verified_sources in
 * osd/inject.h) of the file as it was when it passed verification, and when
 * (UTC, ISO 8601).  The table is created by the first record.
 */
#ifndef SMSPROV_STORE_VERIFIED_SOURCES_H
#define SMSPROV_STORE_VERIFIED_SOURCES_H

#include <stdbool.h>

#include "store/store.h"

/* True when path was recorded with exactly identity.  Any failure (no
 * table yet, a database that cannot be read) answers false: the caller then
 * verifies again, which is only slower. */
bool store_verified_source_known(store *st, const char *path, const char *identity);

/* Records that path, with identity, passed verification now (replacing
 * the row of path).  Errors as store_begin/store_commit give them. */
smsprov_code store_verified_source_remember(store *st, const char *path, const char *identity,
                                            smsprov_error *err);

#endif
