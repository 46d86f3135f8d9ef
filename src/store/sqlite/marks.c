/*
 * marks.c - file marks in SQLite (store/marks.h):
 *
 *   smsprov_file_marks (Kind TEXT, Path TEXT, Identity TEXT NOT NULL,
 *                       MarkedAt TEXT NOT NULL, PRIMARY KEY (Kind, Path))
 *
 * The table is made by the first mark, so a site that never verified or
 * exported anything has none, and reading it then finds nothing.
 */
#include <stdlib.h>

#include "store/sqlite/store_internal.h"

static const char create_sql[] = "CREATE TABLE IF NOT EXISTS smsprov_file_marks (Kind TEXT, "
                                 "Path TEXT, Identity TEXT NOT NULL, MarkedAt TEXT NOT NULL, "
                                 "PRIMARY KEY (Kind, Path))";

static bool table_exists(sqlite3 *db)
{
    sqlite3_stmt *stmt = NULL;
    bool found = sqlite3_prepare_v2(db,
                                    "SELECT 1 FROM sqlite_master WHERE type = 'table' AND "
                                    "name = 'smsprov_file_marks'",
                                    -1, &stmt, NULL) == SQLITE_OK &&
                 sqlite3_step(stmt) == SQLITE_ROW;
    sqlite3_finalize(stmt);
    return found;
}

smsprov_code store_sqlite_mark_get(store_txn *txn, const char *kind, const char *path,
                                   char **identity, smsprov_error *err)
{
    *identity = NULL;
    sqlite3 *db = txn->conn->db;
    if (!table_exists(db))
        return SMSPROV_OK;
    sqlite3_stmt *stmt = NULL;
    int src = sqlite3_prepare_v2(db,
                                 "SELECT Identity FROM smsprov_file_marks WHERE Kind = ?1 AND "
                                 "Path = ?2",
                                 -1, &stmt, NULL);
    if (src == SQLITE_OK) {
        sqlite3_bind_text(stmt, 1, kind, -1, SQLITE_STATIC);
        sqlite3_bind_text(stmt, 2, path, -1, SQLITE_STATIC);
        src = sqlite3_step(stmt);
        if (src == SQLITE_ROW)
            *identity = cim_xstrdup((const char *)sqlite3_column_text(stmt, 0));
    }
    sqlite3_finalize(stmt);
    if (src != SQLITE_ROW && src != SQLITE_DONE)
        return store_sqlite_error(txn->st, db, src, "read a file mark", err);
    return SMSPROV_OK;
}

smsprov_code store_sqlite_mark_set(store_txn *txn, const char *kind, const char *path,
                                   const char *identity, const char *at, smsprov_error *err)
{
    smsprov_code rc = store_require_write(txn, "Marking a file", err);
    if (rc != SMSPROV_OK)
        return rc;
    sqlite3 *db = txn->conn->db;
    rc = store_exec(txn->st, db, create_sql, "create the file marks table", err);
    if (rc != SMSPROV_OK)
        return rc;
    sqlite3_stmt *stmt = NULL;
    int src = sqlite3_prepare_v2(
        db,
        "INSERT INTO smsprov_file_marks (Kind, Path, Identity, MarkedAt) VALUES (?1, ?2, ?3, ?4) "
        "ON CONFLICT (Kind, Path) DO UPDATE SET Identity = excluded.Identity, "
        "MarkedAt = excluded.MarkedAt",
        -1, &stmt, NULL);
    if (src == SQLITE_OK) {
        sqlite3_bind_text(stmt, 1, kind, -1, SQLITE_STATIC);
        sqlite3_bind_text(stmt, 2, path, -1, SQLITE_STATIC);
        sqlite3_bind_text(stmt, 3, identity, -1, SQLITE_STATIC);
        sqlite3_bind_text(stmt, 4, at, -1, SQLITE_STATIC);
        src = sqlite3_step(stmt);
    }
    sqlite3_finalize(stmt);
    if (src != SQLITE_DONE)
        return store_sqlite_error(txn->st, db, src, "record a file mark", err);
    return SMSPROV_OK;
}
