/* stmt_cache.c - prepared statements kept per connection: the fixed
 * statements of every table (prepared on first use), and a small
 * least-recently-used cache of select and count statements keyed by their
 * text.  Preparing costs more than running a key lookup, so both matter. */
#include <stdlib.h>
#include <string.h>

#include "store/sqlite/store_internal.h"

smsprov_code store_table_stmt(store_txn *txn, const store_table *table, store_stmt_kind kind,
                              sqlite3_stmt **out, smsprov_error *err)
{
    store *st = txn->st;
    size_t slot = (size_t)(table - st->tables) * STORE_STMT_KIND_COUNT + (size_t)kind;
    sqlite3_stmt **cached = &txn->conn->table_stmts[slot];
    if (!*cached) {
        int rc = sqlite3_prepare_v3(txn->conn->db, table->sql[kind], -1,
                                    SQLITE_PREPARE_PERSISTENT, cached, NULL);
        if (rc != SQLITE_OK) {
            char *doing = cim_xasprintf("prepare a statement on table %s", table->name);
            smsprov_code code = store_sqlite_error(st, txn->conn->db, rc, doing, err);
            free(doing);
            sqlite3_finalize(*cached);
            *cached = NULL;
            return code;
        }
    }
    *out = *cached;
    return SMSPROV_OK;
}

void store_stmt_done(sqlite3_stmt *stmt)
{
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
}

static uint64_t text_hash(const char *s)
{
    uint64_t h = 0xcbf29ce484222325ULL; /* FNV-1a */
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 0x100000001b3ULL;
    }
    return h;
}

/* An empty slot, else the least recently used one not being stepped. */
static store_cached_stmt *victim_slot(store_conn *conn)
{
    store_cached_stmt *best = NULL;
    for (size_t i = 0; i < STORE_ADHOC_CACHE_SIZE; i++) {
        store_cached_stmt *e = &conn->adhoc[i];
        if (!e->stmt)
            return e;
        if (!e->in_use && (!best || e->last_used < best->last_used))
            best = e;
    }
    return best;
}

int store_adhoc_acquire(store_txn *txn, const char *sql, sqlite3_stmt **out)
{
    store_conn *conn = txn->conn;
    uint64_t hash = text_hash(sql);
    for (size_t i = 0; i < STORE_ADHOC_CACHE_SIZE; i++) {
        store_cached_stmt *e = &conn->adhoc[i];
        if (e->stmt && !e->in_use && e->hash == hash && strcmp(e->sql, sql) == 0) {
            e->in_use = true;
            e->last_used = ++conn->use_clock;
            *out = e->stmt;
            return SQLITE_OK;
        }
    }
    sqlite3_stmt *stmt = NULL;
    int rc = sqlite3_prepare_v3(conn->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
    if (rc != SQLITE_OK) {
        sqlite3_finalize(stmt);
        return rc;
    }
    store_cached_stmt *e = victim_slot(conn);
    if (e) {
        sqlite3_finalize(e->stmt);
        free(e->sql);
        e->sql = cim_xstrdup(sql);
        e->hash = hash;
        e->stmt = stmt;
        e->in_use = true;
        e->last_used = ++conn->use_clock;
    }
    *out = stmt;
    return SQLITE_OK;
}

void store_adhoc_release(store_txn *txn, sqlite3_stmt *stmt)
{
    if (!stmt)
        return;
    store_conn *conn = txn->conn;
    for (size_t i = 0; i < STORE_ADHOC_CACHE_SIZE; i++) {
        store_cached_stmt *e = &conn->adhoc[i];
        if (e->stmt == stmt) {
            store_stmt_done(stmt);
            e->in_use = false;
            return;
        }
    }
    sqlite3_finalize(stmt); /* prepared while every slot was busy */
}

void store_conn_finalize_all(store_conn *conn, size_t table_count)
{
    for (size_t i = 0; i < table_count * STORE_STMT_KIND_COUNT; i++) {
        sqlite3_finalize(conn->table_stmts[i]);
        conn->table_stmts[i] = NULL;
    }
    for (size_t i = 0; i < STORE_ADHOC_CACHE_SIZE; i++) {
        store_cached_stmt *e = &conn->adhoc[i];
        sqlite3_finalize(e->stmt);
        free(e->sql);
        memset(e, 0, sizeof *e);
    }
}
