/*
 * store_internal.h - what the files of the SQLite backend share: the layout
 * derived from the schema (tables, key families, class entries), the
 * connection pool, statement caches, the value codec, and the entry points
 * its backend table (backend.c) lists.  Nothing here is public.
 */
#ifndef SMSPROV_STORE_INTERNAL_H
#define SMSPROV_STORE_INTERNAL_H

#include <pthread.h>
#include <sqlite3.h>

#include "store/backend.h"

/* The largest number of connections the pool opens. */
#define STORE_MAX_CONNECTIONS 8
/* How long a statement waits for another writer before failing. */
#define STORE_BUSY_TIMEOUT_MS 10000
/* Version of the store's own layout (meta tables, encoding). */
#define STORE_FORMAT_VERSION 1
/* Ad-hoc (select/count) statements kept per connection. */
#define STORE_ADHOC_CACHE_SIZE 32

/* The statements every table has, prepared once per connection. */
typedef enum store_stmt_kind {
    STORE_STMT_INSERT,
    STORE_STMT_UPDATE,
    STORE_STMT_DELETE,
    STORE_STMT_GET,
    STORE_STMT_EXISTS,
    STORE_STMT_KIND_COUNT
} store_stmt_kind;

/* One table: a storable class. */
typedef struct store_table {
    const cim_class *cls;
    char *name;                         /* "root_sms_site_LAB.SMS_Package" */
    char *quoted;                       /* the name as an SQL identifier */
    size_t *key_props;                  /* property indexes of the keys */
    size_t key_count;
    size_t *family;                     /* tables sharing the key space, this one included */
    size_t family_count;
    char *sql[STORE_STMT_KIND_COUNT];
} store_table;

/* The column layout of a select over several tables: the union of their
 * properties, the queried class's first. */
typedef struct store_union {
    char **columns;      /* property names as declared */
    size_t column_count;
    size_t **column_of;  /* per subtree table: property index -> column */
    ptrdiff_t **property_at; /* per subtree table: column -> property index, or -1 */
} store_union;

/* Every class of the schema (abstract ones too): its own table, if any, and
 * the tables of it and every class deriving from it. */
typedef struct store_class_entry {
    const cim_class *cls;
    ptrdiff_t table;     /* -1 when the class is not storable */
    size_t *subtree;     /* own table first, then descendants in schema order */
    size_t subtree_count;
    store_union *layout; /* only when subtree_count > 1 */
} store_class_entry;

/* A cached prepared statement; in_use guards against a nested call reusing
 * a statement that is still being stepped. */
typedef struct store_cached_stmt {
    char *sql;
    uint64_t hash;
    sqlite3_stmt *stmt;
    uint64_t last_used;
    bool in_use;
} store_cached_stmt;

typedef struct store_conn {
    sqlite3 *db;
    sqlite3_stmt **table_stmts; /* table_count * STORE_STMT_KIND_COUNT, lazy */
    store_cached_stmt adhoc[STORE_ADHOC_CACHE_SIZE];
    uint64_t use_clock;
    struct store_conn *next_idle;
} store_conn;

typedef struct store_health store_health;

/* The store object: its first member is its backend table, as every
 * backend's must be (store/backend.h).  The SQLite backend's keeps the tag
 * of the public handle; another backend names its own struct and casts. */
struct store {
    const store_backend *backend;
    char *path;
    const cim_schema *schema;
    store_table *tables;
    size_t table_count;
    store_class_entry *classes;
    size_t class_count;
    size_t *class_index;    /* open-addressing hash: class pointer -> entry + 1 */
    size_t class_index_size;

    pthread_mutex_t lock;
    pthread_cond_t idle_changed;
    store_conn *idle;       /* connections not in a transaction */
    size_t open_count;      /* connections opened (idle or in use) */
    store_health *health;   /* health.c */
};

/* A transaction: its store first, as the generic layer expects. */
struct store_txn {
    store *st;
    store_conn *conn;
    bool write;
};

/* The entry points of the backend table, in the files named. */
/* open.c */
smsprov_code store_sqlite_open(const char *path, const cim_schema *schema, store **out,
                               smsprov_error *err);
void store_sqlite_close(store *st);
/* pool.c */
smsprov_code store_sqlite_begin(store *st, bool write, store_txn **out, smsprov_error *err);
smsprov_code store_sqlite_commit(store_txn *txn, smsprov_error *err);
void store_sqlite_rollback(store_txn *txn);
/* crud.c */
smsprov_code store_sqlite_insert(store_txn *txn, const cim_instance *inst, smsprov_error *err);
smsprov_code store_sqlite_update(store_txn *txn, const cim_instance *inst, smsprov_error *err);
smsprov_code store_sqlite_delete(store_txn *txn, const cim_class *cls, const cim_instance *keys,
                                 smsprov_error *err);
smsprov_code store_sqlite_get(store_txn *txn, const cim_class *cls, const cim_instance *keys,
                              cim_instance **out, smsprov_error *err);
/* select.c */
smsprov_code store_sqlite_select_each(store_txn *txn, const cim_class *cls,
                                      const store_query *query, store_row_fn fn, void *data,
                                      smsprov_error *err);
smsprov_code store_sqlite_count(store_txn *txn, const cim_class *cls, const store_query *query,
                                uint64_t *out, smsprov_error *err);
/* counter.c */
smsprov_code store_sqlite_next_counter(store_txn *txn, const char *name, uint64_t *out,
                                       smsprov_error *err);
/* jobs.c */
smsprov_code store_sqlite_jobs_prepare(store *st, smsprov_error *err);
smsprov_code store_sqlite_job_insert(store_txn *txn, const store_job *job, const char *at,
                                     int64_t *id, smsprov_error *err);
smsprov_code store_sqlite_job_set_state(store_txn *txn, int64_t job_id, store_job_state state,
                                        int32_t return_value, const char *at,
                                        smsprov_error *err);
smsprov_code store_sqlite_job_abort(store_txn *txn, int64_t job_id, int32_t return_value,
                                    const char *at, bool *aborted, smsprov_error *err);
smsprov_code store_sqlite_jobs_each_unfinished(store_txn *txn, const char *context_id,
                                               store_job_fn fn, void *data, smsprov_error *err);
smsprov_code store_sqlite_status_append(store_txn *txn, const char *context_id, int64_t job_id,
                                        const store_status_entry *entry, const char *at,
                                        smsprov_error *err);
smsprov_code store_sqlite_status_latest(store_txn *txn, const char *context_id,
                                        store_status_entry *out, bool *found,
                                        smsprov_error *err);
smsprov_code store_sqlite_status_drop(store_txn *txn, const char *context_id, uint64_t *dropped,
                                      smsprov_error *err);

/* layout.c */
smsprov_code store_layout_build(store *st, smsprov_error *err);
void store_layout_free(store *st);
/* The entry for a class of the schema (found by pointer, else by namespace
 * and name); NULL when the schema does not know it. */
const store_class_entry *store_find_class(const store *st, const cim_class *cls);
/* The table of a concrete class, with a sentence when it has none. */
smsprov_code store_table_for(const store *st, const cim_class *cls, const store_table **out,
                             smsprov_error *err);
char *store_quote_identifier(const char *name);

/* upgrade.c */
smsprov_code store_upgrade_schema(store *st, sqlite3 *db, smsprov_error *err);

/* pool.c */
smsprov_code store_conn_open(store *st, store_conn **out, smsprov_error *err);
void store_conn_close(store *st, store_conn *conn);
/* Puts a connection opened by store_conn_open into the pool (store_open's
 * first connection). */
void store_pool_add(store *st, store_conn *conn);
smsprov_code store_exec(store *st, sqlite3 *db, const char *sql, const char *doing,
                        smsprov_error *err);

/* stmt_cache.c */
/* The cached statement of a table (prepared on first use). */
smsprov_code store_table_stmt(store_txn *txn, const store_table *table, store_stmt_kind kind,
                              sqlite3_stmt **out, smsprov_error *err);
/* Resets a statement and clears its bindings, ready for the next use. */
void store_stmt_done(sqlite3_stmt *stmt);
/* A prepared statement for arbitrary SQL, cached by text; give it back with
 * store_adhoc_release.  A statement already in use is prepared afresh.
 * Returns the SQLite result code of the prepare, so the caller can say
 * what was wrong with the SQL it built. */
int store_adhoc_acquire(store_txn *txn, const char *sql, sqlite3_stmt **out);
void store_adhoc_release(store_txn *txn, sqlite3_stmt *stmt);
void store_conn_finalize_all(store_conn *conn, size_t table_count);

/* health.c: the database files as the store opened them (README,
 * "Database health"). */
void store_sqlite_set_fault_handler(store *st, store_fault_fn fn, void *data);
const char *store_sqlite_fault(store *st);
void store_health_init(store *st);
void store_health_free(store *st);
/* Remembers the files as they are now (after the first connection opened
 * them) and, the first time, marks the store open: later connections never
 * create the database file again. */
void store_health_rebase(store *st);
bool store_health_may_create(const store *st);
/* Refuses (SMSPROV_E_FAILED, the fault sentence) a transaction the files'
 * state does not allow: any write once the database or -wal file was
 * deleted or replaced, anything once the -shm file was. */
smsprov_code store_health_check(store *st, bool write, smsprov_error *err);

/* cursor.c: reading a select in batches by keyset (store/plan.h). */
smsprov_code store_sqlite_cursor_open(store *st, const store_cursor_spec *spec,
                                      store_cursor **out, smsprov_error *err);
void store_sqlite_cursor_free(store_cursor *c);
smsprov_code store_sqlite_cursor_fetch(store_cursor *c, size_t hint, store_take_fn fn,
                                       void *data, bool *end, smsprov_error *err);
bool store_sqlite_cursor_at_end(const store_cursor *c);

/* The SQLite connection of a transaction of this backend, NULL for
 * another backend's: for the backend's own white-box tests. */
sqlite3 *store_txn_db(store_txn *txn);

/* marks.c: the file marks table (store/marks.h). */
smsprov_code store_sqlite_mark_get(store_txn *txn, const char *kind, const char *path,
                                   char **identity, smsprov_error *err);
smsprov_code store_sqlite_mark_set(store_txn *txn, const char *kind, const char *path,
                                   const char *identity, const char *at, smsprov_error *err);

/* errors.c */
/* Maps an SQLite failure to an error: corruption and "not a database" are
 * SMSPROV_E_CRITICAL_ERROR, everything else SMSPROV_E_FAILED.  doing is a
 * phrase such as "insert into table X". */
smsprov_code store_sqlite_error(const store *st, sqlite3 *db, int rc, const char *doing,
                                smsprov_error *err);
/* Refuses a change inside a read transaction. */
smsprov_code store_require_write(const store_txn *txn, const char *operation,
                                 smsprov_error *err);

/* codec.c */
/* Binds v (typed as prop declares) to parameter index of stmt. */
smsprov_code store_bind_value(sqlite3_stmt *stmt, int index, const cim_property *prop,
                              const cim_value *v, smsprov_error *err);
/* Binds a scalar query parameter. */
smsprov_code store_bind_param(sqlite3_stmt *stmt, int index, const cim_value *v,
                              size_t position, smsprov_error *err);
/* Reads column col of the current row into *out (cleared first) as prop
 * declares; cls names the class for embedded objects and messages. */
smsprov_code store_read_value(const store *st, sqlite3_stmt *stmt, int col, const cim_class *cls,
                              const cim_property *prop, cim_value *out, smsprov_error *err);

/* query_sql.c */
/* The values a condition's SQL binds, in order. */
typedef struct store_params {
    cim_value *items;
    size_t count;
    bool *floor;    /* NULL, or per item: a slot for the cursor's position (cursor.c) */
} store_params;
typedef enum store_select_kind { STORE_SELECT_ROWS, STORE_SELECT_COUNT } store_select_kind;

/* What a select visits and which columns its condition and order name. */
typedef struct store_plan {
    const store_class_entry *entry;
    const size_t *tables;      /* table indexes, a slice of entry->subtree */
    size_t table_count;
    const store_union *layout; /* NULL unless several tables are visited */
    bool *referenced;          /* per property of the queried class */
    char *cond_sql;            /* the query's where_cond as SQL, or NULL */
    store_params cond_params;  /* its values, bound after the query's params */
} store_plan;

smsprov_code store_plan_make(const store *st, const cim_class *cls, const store_query *q,
                             store_plan *out, smsprov_error *err);
void store_plan_clear(store_plan *plan);
/* The SQL of a plan.  Rows: column 0 is the table index, then the
 * properties (the table's own order for one table, the union layout for
 * several), and the last parameter is the LIMIT.  Count: one column, the
 * count, and no LIMIT.  Caller frees. */
char *store_plan_sql(const store *st, const store_plan *plan, const store_query *q,
                     store_select_kind kind);

/* dialect.c */
#define STORE_SQL_LIKE "smsprov_like"
#define STORE_SQL_DATETIME_CMP "smsprov_dtcmp"
#define STORE_SQL_ORDER_KEY "smsprov_order_key"
enum { STORE_ORDER_KEY_UINT64 = 1, STORE_ORDER_KEY_REAL = 2, STORE_ORDER_KEY_DATETIME = 3 };
/* Adds the query functions to a new connection. */
smsprov_code store_dialect_register(store *st, sqlite3 *db, smsprov_error *err);

/* cond_sql.c */
void store_params_clear(store_params *p);
/* Appends the SQL of c (over the columns of cls's properties) to b and its
 * values to p. */
void store_cond_sql(const store *st, const cim_class *cls, const store_cond *c, cim_buf *b,
                    store_params *p);
/* As store_cond_sql, for a cursor reading in the key order of its one key
 * property floor_property, past a position: each IN_SELECT on that
 * property also bounds its sub-select to values at or after the position
 * (a ? whose params slot has floor set), so a batch does not read the whole
 * sub-select again. */
void store_cond_sql_floor(const store *st, const cim_class *cls, const store_cond *c,
                          size_t floor_property, cim_buf *b, store_params *p);
/* Checks that c names only properties of cls and holds only scalar values,
 * marking in referenced (one per property) those it names. */
bool store_cond_check(const store *st, const cim_class *cls, const store_cond *c, bool *referenced);

/* crud.c */
/* Binds the key values of keys (read by name) from parameter first on. */
smsprov_code store_bind_keys(sqlite3_stmt *stmt, int first, const store_table *table,
                             const cim_instance *keys, smsprov_error *err);
/* Builds an instance of table's class from the current row: property i is
 * column first + column_of[i] (or first + i when column_of is NULL). */
smsprov_code store_row_to_instance(const store *st, sqlite3_stmt *stmt, int first,
                                   const store_table *table, const size_t *column_of,
                                   bool skip_lazy, cim_instance **out, smsprov_error *err);

#endif
