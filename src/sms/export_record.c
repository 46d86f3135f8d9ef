/* export_record.c - the files ExportDefaultBootImage wrote (export_record.h). */
#include "sms/export_record.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "smsprov/cim.h"

static const char schema_sql[] = "CREATE TABLE IF NOT EXISTS smsprov_exports ("
                                 " Path TEXT PRIMARY KEY,"
                                 " Device INTEGER NOT NULL,"
                                 " Inode INTEGER NOT NULL,"
                                 " Size INTEGER NOT NULL,"
                                 " ModifiedAt INTEGER NOT NULL)";

typedef struct identity {
    int64_t device, inode, size, modified;
} identity;

/* The identity of the file itself (a link is never an export's output). */
static bool identity_of(const char *path, identity *out)
{
    struct stat st;
#ifdef _WIN32
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
        return false;
#else
    if (lstat(path, &st) != 0 || !S_ISREG(st.st_mode))
        return false;
#endif
    out->device = (int64_t)st.st_dev;
    out->inode = (int64_t)st.st_ino;
    out->size = (int64_t)st.st_size;
    out->modified = (int64_t)st.st_mtime;
    return true;
}

static smsprov_code sql_failed(sqlite3 *db, smsprov_error *err)
{
    return smsprov_error_set(err, SMSPROV_E_FAILED,
                             "The site database failed while recording an exported boot "
                             "image: %s.",
                             sqlite3_errmsg(db));
}

bool sms_export_is_ours(smsprov_site *site, const char *local_path)
{
    identity now;
    if (!identity_of(local_path, &now))
        return false;
    store_txn *txn = NULL;
    if (store_begin(site->store, false, &txn, NULL) != SMSPROV_OK)
        return false;
    sqlite3_stmt *stmt = NULL;
    bool ours = false;
    /* A database without the table has recorded nothing. */
    if (sqlite3_prepare_v2(store_txn_db(txn),
                           "SELECT Device, Inode, Size, ModifiedAt FROM smsprov_exports "
                           "WHERE Path = ?",
                           -1, &stmt, NULL) == SQLITE_OK) {
        sqlite3_bind_text(stmt, 1, local_path, -1, SQLITE_TRANSIENT);
        ours = sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_int64(stmt, 0) == now.device &&
               sqlite3_column_int64(stmt, 1) == now.inode &&
               sqlite3_column_int64(stmt, 2) == now.size &&
               sqlite3_column_int64(stmt, 3) == now.modified;
    }
    sqlite3_finalize(stmt);
    store_rollback(txn);
    return ours;
}

smsprov_code sms_export_remember(smsprov_site *site, const char *local_path, smsprov_error *err)
{
    identity id;
    if (!identity_of(local_path, &id))
        return smsprov_error_set(err, SMSPROV_E_FAILED,
                                 "The exported boot image vanished before it was recorded.");
    store_txn *txn = NULL;
    smsprov_code rc = store_begin(site->store, true, &txn, err);
    if (rc != SMSPROV_OK)
        return rc;
    sqlite3 *db = store_txn_db(txn);
    sqlite3_stmt *stmt = NULL;
    int src = sqlite3_exec(db, schema_sql, NULL, NULL, NULL);
    if (src == SQLITE_OK)
        src = sqlite3_prepare_v2(db,
                                 "INSERT OR REPLACE INTO smsprov_exports (Path, Device, Inode, "
                                 "Size, ModifiedAt) VALUES (?, ?, ?, ?, ?)",
                                 -1, &stmt, NULL);
    if (src == SQLITE_OK) {
        sqlite3_bind_text(stmt, 1, local_path, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(stmt, 2, id.device);
        sqlite3_bind_int64(stmt, 3, id.inode);
        sqlite3_bind_int64(stmt, 4, id.size);
        sqlite3_bind_int64(stmt, 5, id.modified);
        src = sqlite3_step(stmt) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
    }
    if (src != SQLITE_OK)
        rc = sql_failed(db, err);
    sqlite3_finalize(stmt);
    if (rc == SMSPROV_OK)
        return store_commit(txn, err);
    store_rollback(txn);
    return rc;
}
