/* marks.c - the generic half of file marks (store/marks.h): transactions,
 * checks and the time stamp; the backend keeps the rows. */
#include <stdlib.h>
#include <string.h>

#include "store/backend.h"
#include "store/marks.h"

static bool given(const char *s)
{
    return s && *s;
}

bool store_mark_matches(store *st, const char *kind, const char *path, const char *identity)
{
    if (!given(kind) || !given(path) || !identity)
        return false;
    store_txn *txn = NULL;
    smsprov_error err = {0};
    char *recorded = NULL;
    smsprov_code rc = store_begin(st, false, &txn, &err);
    if (rc == SMSPROV_OK) {
        rc = store_txn_backend_of(txn)->mark_get(txn, kind, path, &recorded, &err);
        store_rollback(txn);
    }
    bool same = rc == SMSPROV_OK && recorded && strcmp(recorded, identity) == 0;
    free(recorded);
    smsprov_error_clear(&err);
    return same;
}

smsprov_code store_mark_set(store *st, const char *kind, const char *path, const char *identity,
                            smsprov_error *err)
{
    if (!given(kind) || !given(path) || !given(identity))
        return smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER,
                                 "A file mark needs a kind, a path and an identity.");
    cim_datetime now;
    char at[32];
    cim_datetime_now(&now);
    cim_datetime_format(&now, at);
    store_txn *txn = NULL;
    smsprov_code rc = store_begin(st, true, &txn, err);
    if (rc != SMSPROV_OK)
        return rc;
    rc = store_txn_backend_of(txn)->mark_set(txn, kind, path, identity, at, err);
    if (rc == SMSPROV_OK)
        return store_commit(txn, err);
    store_rollback(txn);
    return rc;
}
