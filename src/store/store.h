/*
 * store.h - persistence derived from the schema.
 *
 * The store is the only place that speaks SQL.  It calls a backend through
 * a table of functions (backend.h); SQLite (src/store/sqlite/) is the one
 * backend today, and what follows describes what it does.
 *
 * One table per concrete class (not abstract, not embedded, not a system or
 * parameters class) in every namespace of the schema; a column per
 * property.  Scalars are stored natively (integers as INTEGER, reals as REAL,
 * booleans as 0/1, strings, datetimes and references as TEXT); arrays and
 * embedded instances as JSON text (cim_value_to_json), which round-trips
 * exactly.  The encoding is documented in src/store/README.md.
 *
 * WAL mode, synchronous=FULL, and every change inside a transaction: a crash
 * at any moment loses nothing that was committed.  When the MOF gains a
 * property, store_open adds the column to an existing database.
 *
 * Thread safety: the store keeps a pool of connections; each transaction
 * holds one connection for its lifetime.  Many threads may use the store at
 * once, each with its own transaction.
 */
#ifndef SMSPROV_STORE_H
#define SMSPROV_STORE_H


#include "smsprov/cim.h"
#include "smsprov/provider.h"
#include "store/plan.h"

typedef struct store store;
typedef struct store_txn store_txn;

/* Opens or creates the database at location, creating and upgrading the
 * tables of every storable class in schema.  The schema must outlive the
 * store.
 *
 * A location is "<scheme>:<rest>", the scheme naming the backend and the
 * rest in that backend's terms, or a plain file path, which is SQLite's:
 * "sqlite:/var/lib/smsprov/site.db", "sqlite:site.db", "/var/lib/smsprov/
 * site.db" and "C:\sites\lab.db" (one letter before the colon is a drive)
 * all name SQLite files.  A path whose first colon follows two or more
 * letters must be written with "sqlite:" in front.
 *
 * Errors: SMSPROV_E_INVALID_PARAMETER for a missing location or schema, a
 * scheme this build has no backend for, or nothing after the scheme;
 * SMSPROV_E_INVALID_CLASS when the schema cannot be stored (two classes
 * with one table name, changed keys); SMSPROV_E_CRITICAL_ERROR for a
 * damaged file or one that is not a database; SMSPROV_E_FAILED when it
 * cannot be opened or is of a newer format. */
smsprov_code store_open(const char *location, const cim_schema *schema, store **out,
                        smsprov_error *err);
/* Every transaction must have ended.  NULL is allowed. */
void store_close(store *st);

/* The local file a location names, pointing into location (no copy): the
 * path itself, or what follows "sqlite:".  NULL when the location is
 * invalid or its backend keeps no local file. */
const char *store_location_file(const char *location);

/* True for classes that get a table. */
bool store_class_is_storable(const cim_class *cls);

/* Begins a transaction on a pooled connection (waits for a free one).  A
 * write transaction takes SQLite's write lock at once (BEGIN IMMEDIATE). */
smsprov_code store_begin(store *st, bool write, store_txn **out, smsprov_error *err);
/* Commits and releases the transaction (also on failure). */
smsprov_code store_commit(store_txn *txn, smsprov_error *err);
/* Rolls back and releases the transaction. NULL is allowed. */
void store_rollback(store_txn *txn);

/* Inserts an instance of a storable class.  SMSPROV_E_ALREADY_EXISTS when an
 * instance with the same keys exists (in any table of the same key family:
 * classes sharing a storable root ancestor, e.g. all SMS_PackageBaseclass
 * children, share one key space). */
smsprov_code store_insert(store_txn *txn, const cim_instance *inst, smsprov_error *err);
/* Replaces the stored instance with the same keys (all columns).
 * SMSPROV_E_NOT_FOUND when there is none. */
smsprov_code store_update(store_txn *txn, const cim_instance *inst, smsprov_error *err);
/* Deletes by the key properties of keys (an instance of cls or of a class
 * derived from it; only key values are read).  SMSPROV_E_NOT_FOUND when
 * absent. */
smsprov_code store_delete(store_txn *txn, const cim_class *cls, const cim_instance *keys,
                          smsprov_error *err);
/* Loads the instance with the given keys.  cls may be abstract: every
 * concrete class deriving from it is searched, and the result is an instance
 * of the concrete class that holds it.  SMSPROV_E_NOT_FOUND when absent. */
smsprov_code store_get(store_txn *txn, const cim_class *cls, const cim_instance *keys,
                       cim_instance **out, smsprov_error *err);

/* A select over one class (and, when deep, every concrete class deriving
 * from it).  where_sql and order_sql name properties of cls as SQL quoted
 * identifiers ("Name"), use ? placeholders bound from params in order, and
 * must be valid SQL expressions over those columns; the store makes them
 * work across every table of a deep select (columns a table lacks read as
 * NULL) and orders across tables. */
typedef struct store_query {
    const char *where_sql;   /* NULL: every row */
    const store_cond *where_cond; /* NULL, or a condition ANDed with where_sql (plan.h) */
    const cim_value *params; /* scalars only */
    size_t param_count;
    const char *order_sql;   /* e.g. "\"Name\" ASC, \"PackageID\" DESC"; NULL: key order */
    bool deep;
    bool skip_lazy;          /* leave lazy properties null without reading them */
    int64_t limit;           /* <0: no limit */
} store_query;

/* Results are appended to *out (zero-initialise it); a failed select adds
 * nothing.  A NULL query means every row of cls's own table, in key order. */
smsprov_code store_select(store_txn *txn, const cim_class *cls, const store_query *query,
                          smsprov_instance_list *out, smsprov_error *err);

/* Streams rows instead of collecting them: fn is called with each instance
 * (which it owns) and returns false to stop early. */
typedef bool (*store_row_fn)(void *data, cim_instance *take);
smsprov_code store_select_each(store_txn *txn, const cim_class *cls, const store_query *query,
                               store_row_fn fn, void *data, smsprov_error *err);

/* Counts the rows a select would return (deep as in query). */
smsprov_code store_count(store_txn *txn, const cim_class *cls, const store_query *query,
                         uint64_t *out, smsprov_error *err);

/* Adds 1 to the named counter and returns the new value (1 for a new
 * counter).  Inside the caller's write transaction, so a rolled-back create
 * does not burn a number, and a committed one is never handed out again. */
smsprov_code store_next_counter(store_txn *txn, const char *name, uint64_t *out,
                                smsprov_error *err);

/* The SQL quoted identifier of a property's column ("Name"). Caller frees. */
char *store_column_name(const char *property_name);

/* ---- health (README, "Database health") -------------------------------- */

/* The store checks before each transaction and each commit that the files
 * (or server) it opened are still the ones it writes to.  A database
 * deleted or replaced under a running process would make it acknowledge
 * writes that are gone at the next start, so writes are then refused; a
 * state that would crash the process (SQLite's -shm file truncated)
 * refuses every transaction.  Either lasts until the store is opened
 * again, and is reported once through the fault handler. */

/* Called once, from the thread that noticed, with a sentence saying what
 * happened to which file and what is refused (e.g. to log it). */
typedef void (*store_fault_fn)(void *data, const char *sentence);
void store_set_fault_handler(store *st, store_fault_fn fn, void *data);

/* NULL while the store is healthy; else the sentence every refused
 * transaction fails with (valid until store_close). */
const char *store_fault(store *st);

#endif
