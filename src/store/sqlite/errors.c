/* errors.c - SQLite failures as smsprov errors. */
#include "store/sqlite/store_internal.h"

smsprov_code store_sqlite_error(const store *st, sqlite3 *db, int rc, const char *doing,
                                smsprov_error *err)
{
    const char *why = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    int primary = rc & 0xff;
    if (primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB)
        return smsprov_error_set(err, SMSPROV_E_CRITICAL_ERROR,
                                 "The database file %s is damaged or is not an smsprov "
                                 "database (%s while trying to %s); restore it from a backup "
                                 "or move it aside so a new one is created.",
                                 st->path, why, doing);
    if (primary == SQLITE_CANTOPEN)
        return smsprov_error_set(err, SMSPROV_E_FAILED,
                                 "Could not open the database file %s (%s); check that its "
                                 "folder exists and is writable.",
                                 st->path, why);
    if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED)
        return smsprov_error_set(err, SMSPROV_E_FAILED,
                                 "Could not %s in %s: the database stayed locked by another "
                                 "writer for more than %d seconds (%s).",
                                 doing, st->path, STORE_BUSY_TIMEOUT_MS / 1000, why);
    return smsprov_error_set(err, SMSPROV_E_FAILED, "Could not %s in %s: %s.", doing, st->path,
                             why);
}

smsprov_code store_require_write(const store_txn *txn, const char *operation,
                                 smsprov_error *err)
{
    if (txn->write)
        return SMSPROV_OK;
    return smsprov_error_set(err, SMSPROV_E_INVALID_OPERATION,
                             "%s needs a write transaction, but the transaction was begun for "
                             "reading; begin it with write set.",
                             operation);
}
