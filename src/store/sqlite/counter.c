/* counter.c - persistent counters (PackageID numbers and the like).  The
 * increment runs in the caller's write transaction, so a rolled-back create
 * gives its number back and a committed one is never handed out again. */
#include "store/sqlite/store_internal.h"

static const char next_counter_sql[] =
    "INSERT INTO smsprov_counters (name, value) VALUES (?, 1) "
    "ON CONFLICT (name) DO UPDATE SET value = value + 1 RETURNING value";

smsprov_code store_sqlite_next_counter(store_txn *txn, const char *name, uint64_t *out,
                                       smsprov_error *err)
{
    smsprov_code code = store_require_write(txn, "Taking the next counter value", err);
    if (code)
        return code;
    sqlite3_stmt *stmt = NULL;
    uint64_t value = 0;
    int rc = store_adhoc_acquire(txn, next_counter_sql, &stmt);
    if (rc == SQLITE_OK) {
        sqlite3_bind_text(stmt, 1, name, -1, SQLITE_TRANSIENT);
        rc = sqlite3_step(stmt);
        if (rc == SQLITE_ROW) {
            value = (uint64_t)sqlite3_column_int64(stmt, 0);
            rc = sqlite3_step(stmt); /* finishes the statement */
        }
    }
    if (rc != SQLITE_DONE)
        code = store_sqlite_error(txn->st, txn->conn->db, rc, "advance a counter", err);
    store_adhoc_release(txn, stmt);
    if (!code)
        *out = value;
    return code;
}
