/* pool.c - the connection pool and transactions.  Each transaction holds one
 * connection for its lifetime; at most STORE_MAX_CONNECTIONS are opened and
 * a thread that finds them all busy waits for one to come back. */
#include <stdlib.h>
#include <time.h>
#include <string.h>

#include "store/sqlite/store_internal.h"

smsprov_code store_exec(store *st, sqlite3 *db, const char *sql, const char *doing,
                        smsprov_error *err)
{
    int rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        return store_sqlite_error(st, db, rc, doing, err);
    return SMSPROV_OK;
}

/* Switching a new database to WAL needs an exclusive lock, and SQLite does
 * not call the busy handler for that escalation: when several processes
 * open a brand-new site at once, the losers get SQLITE_BUSY at once.  Retry
 * for as long as the busy timeout would have waited. */
static int step_switching_to_wal(sqlite3_stmt *stmt)
{
    int rc = sqlite3_step(stmt);
    for (unsigned waited = 0;
         (rc & 0xFF) == SQLITE_BUSY || (rc & 0xFF) == SQLITE_LOCKED; waited += 10) {
        if (waited >= STORE_BUSY_TIMEOUT_MS)
            break;
        sqlite3_reset(stmt);
        struct timespec pause = {.tv_sec = 0, .tv_nsec = 10 * 1000 * 1000};
        nanosleep(&pause, NULL);
        rc = sqlite3_step(stmt);
    }
    return rc;
}

/* WAL lets readers run beside the writer; synchronous=FULL makes every
 * commit durable; the busy timeout makes concurrent writers queue. */
static smsprov_code configure(store *st, sqlite3 *db, smsprov_error *err)
{
    sqlite3_extended_result_codes(db, 1);
    sqlite3_busy_timeout(db, STORE_BUSY_TIMEOUT_MS);

    sqlite3_stmt *stmt = NULL;
    int rc = sqlite3_prepare_v2(db, "PRAGMA journal_mode=WAL", -1, &stmt, NULL);
    if (rc == SQLITE_OK)
        rc = step_switching_to_wal(stmt);
    if (rc != SQLITE_ROW) {
        smsprov_code code = store_sqlite_error(st, db, rc, "switch to WAL journal mode", err);
        sqlite3_finalize(stmt);
        return code;
    }
    const char *mode = (const char *)sqlite3_column_text(stmt, 0);
    bool wal = mode && cim_strcasecmp(mode, "wal") == 0;
    char *mode_copy = cim_xstrdup(mode ? mode : "unknown");
    sqlite3_finalize(stmt);
    if (!wal) {
        smsprov_code code = smsprov_error_set(
            err, SMSPROV_E_FAILED,
            "The database file %s could not be switched to WAL journal mode (it stayed in %s "
            "mode); put it on a local file system that supports shared memory.",
            st->path, mode_copy);
        free(mode_copy);
        return code;
    }
    free(mode_copy);
    smsprov_code code = store_exec(st, db, "PRAGMA synchronous=FULL", "set synchronous=FULL", err);
    return code ? code : store_dialect_register(st, db, err);
}

smsprov_code store_conn_open(store *st, store_conn **out, smsprov_error *err)
{
    sqlite3 *db = NULL;
    /* Only the first connection may create the file: a later one finding
     * it gone must fail rather than start an empty database (health.c). */
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX |
                (store_health_may_create(st) ? SQLITE_OPEN_CREATE : 0);
    int rc = sqlite3_open_v2(st->path, &db, flags, NULL);
    smsprov_code code = SMSPROV_OK;
    if (rc != SQLITE_OK)
        code = store_sqlite_error(st, db, rc, "open the database", err);
    else
        code = configure(st, db, err);
    if (code) {
        sqlite3_close(db);
        return code;
    }
    store_conn *conn = cim_xcalloc(1, sizeof *conn);
    conn->db = db;
    conn->table_stmts =
        cim_xcalloc(st->table_count * STORE_STMT_KIND_COUNT, sizeof *conn->table_stmts);
    *out = conn;
    return SMSPROV_OK;
}

void store_conn_close(store *st, store_conn *conn)
{
    if (!conn)
        return;
    store_conn_finalize_all(conn, st->table_count);
    /* With the files gone or truncated, a checkpoint on close would touch
     * the -shm mapping (SIGBUS) and then delete "-wal" and "-shm" by name,
     * which may by then be a restored database's (health.c). */
    if (st->health && store_sqlite_fault(st))
        sqlite3_db_config(conn->db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, (int *)NULL);
    sqlite3_close(conn->db);
    free(conn->table_stmts);
    free(conn);
}

static smsprov_code pool_acquire(store *st, store_conn **out, smsprov_error *err)
{
    pthread_mutex_lock(&st->lock);
    while (!st->idle && st->open_count >= STORE_MAX_CONNECTIONS)
        pthread_cond_wait(&st->idle_changed, &st->lock);
    store_conn *conn = st->idle;
    if (conn) {
        st->idle = conn->next_idle;
        pthread_mutex_unlock(&st->lock);
        conn->next_idle = NULL;
        *out = conn;
        return SMSPROV_OK;
    }
    bool first = st->open_count++ == 0;
    pthread_mutex_unlock(&st->lock);

    smsprov_code rc = store_conn_open(st, out, err);
    if (rc == SMSPROV_OK && first)
        store_health_rebase(st); /* SQLite may have made new -wal/-shm files */
    if (rc) {
        pthread_mutex_lock(&st->lock);
        st->open_count--;
        pthread_cond_signal(&st->idle_changed);
        pthread_mutex_unlock(&st->lock);
    }
    return rc;
}

/* A connection still inside a transaction (a failed rollback) is closed
 * rather than handed to the next caller. */
static void pool_release(store *st, store_conn *conn)
{
    bool healthy = sqlite3_get_autocommit(conn->db) != 0;
    if (!healthy)
        store_conn_close(st, conn);
    pthread_mutex_lock(&st->lock);
    if (healthy) {
        conn->next_idle = st->idle;
        st->idle = conn;
    } else {
        st->open_count--;
    }
    pthread_cond_signal(&st->idle_changed);
    pthread_mutex_unlock(&st->lock);
}

void store_pool_add(store *st, store_conn *conn)
{
    pthread_mutex_lock(&st->lock);
    st->open_count++;
    pthread_mutex_unlock(&st->lock);
    pool_release(st, conn);
}

smsprov_code store_sqlite_begin(store *st, bool write, store_txn **out, smsprov_error *err)
{
    store_conn *conn = NULL;
    smsprov_code rc = store_health_check(st, write, err);
    if (rc == SMSPROV_OK)
        rc = pool_acquire(st, &conn, err);
    if (rc)
        return rc;
    const char *sql = write ? "BEGIN IMMEDIATE" : "BEGIN";
    rc = store_exec(st, conn->db, sql,
                    write ? "begin a write transaction" : "begin a read transaction", err);
    if (rc) {
        pool_release(st, conn);
        return rc;
    }
    store_txn *txn = cim_xcalloc(1, sizeof *txn);
    txn->st = st;
    txn->conn = conn;
    txn->write = write;
    *out = txn;
    return SMSPROV_OK;
}

static void finish(store_txn *txn)
{
    if (!sqlite3_get_autocommit(txn->conn->db))
        sqlite3_exec(txn->conn->db, "ROLLBACK", NULL, NULL, NULL);
    pool_release(txn->st, txn->conn);
    free(txn);
}

smsprov_code store_sqlite_commit(store_txn *txn, smsprov_error *err)
{
    /* The files may have gone during the transaction: acknowledge nothing
     * that would be lost. */
    smsprov_code rc = store_health_check(txn->st, txn->write, err);
    if (rc == SMSPROV_OK)
        rc = store_exec(txn->st, txn->conn->db, "COMMIT", "commit the transaction", err);
    finish(txn);
    return rc;
}

void store_sqlite_rollback(store_txn *txn)
{
    finish(txn);
}

sqlite3 *store_txn_db(store_txn *txn)
{
    return txn->st->backend == &store_sqlite_backend ? txn->conn->db : NULL;
}
