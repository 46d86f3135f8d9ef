/* verified_sources.c - which source WIMs passed a full verification, and
 * with what identity (verified_sources.h). */
#include "store/verified_sources.h"

#include "store/store_internal.h"

static const char create_sql[] =
    "CREATE TABLE IF NOT EXISTS smsprov_verified_sources (Path TEXT PRIMARY KEY, "
    "Identity TEXT NOT NULL, VerifiedAt TEXT NOT NULL)";

bool store_verified_source_known(store *st, const char *path, const char *identity)
{
    store_txn *txn = NULL;
    smsprov_error err = {0};
    if (store_begin(st, false, &txn, &err) != SMSPROV_OK) {
        smsprov_error_clear(&err);
        return false;
    }
    sqlite3_stmt *stmt = NULL;
    bool known = false;
    /* Before the first record the table does not exist and this fails. */
    if (sqlite3_prepare_v2(store_txn_db(txn),
                           "SELECT 1 FROM smsprov_verified_sources WHERE Path = ?1 AND "
                           "Identity = ?2",
                           -1, &stmt, NULL) == SQLITE_OK) {
        sqlite3_bind_text(stmt, 1, path, -1, SQLITE_STATIC);
        sqlite3_bind_text(stmt, 2, identity, -1, SQLITE_STATIC);
        known = sqlite3_step(stmt) == SQLITE_ROW;
    }
    sqlite3_finalize(stmt);
    store_rollback(txn);
    return known;
}

smsprov_code store_verified_source_remember(store *st, const char *path, const char *identity,
                                            smsprov_error *err)
{
    store_txn *txn = NULL;
    smsprov_code rc = store_begin(st, true, &txn, err);
    if (rc != SMSPROV_OK)
        return rc;
    sqlite3 *db = store_txn_db(txn);
    rc = store_exec(st, db, create_sql, "create the verified sources table", err);
    sqlite3_stmt *stmt = NULL;
    if (rc == SMSPROV_OK) {
        int src = sqlite3_prepare_v2(
            db,
            "INSERT INTO smsprov_verified_sources (Path, Identity, VerifiedAt) "
            "VALUES (?1, ?2, strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) ON CONFLICT (Path) DO "
            "UPDATE SET Identity = excluded.Identity, VerifiedAt = excluded.VerifiedAt",
            -1, &stmt, NULL);
        if (src == SQLITE_OK) {
            sqlite3_bind_text(stmt, 1, path, -1, SQLITE_STATIC);
            sqlite3_bind_text(stmt, 2, identity, -1, SQLITE_STATIC);
            src = sqlite3_step(stmt);
        }
        if (src != SQLITE_DONE)
            rc = store_sqlite_error(st, db, src, "record a verified source WIM", err);
    }
    sqlite3_finalize(stmt);
    if (rc == SMSPROV_OK)
        return store_commit(txn, err);
    store_rollback(txn);
    return rc;
}
