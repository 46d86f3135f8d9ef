/*
 * store.h - SQLite persistence derived from the schema.
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

#include <sqlite3.h>

#include "smsprov/cim.h"
#include "smsprov/provider.h"
#include "store/plan.h"

typedef struct store store;
typedef struct store_txn store_txn;

/* Opens or creates the database at path, creating and upgrading the tables of
 * every storable class in schema.  The schema must outlive the store. */
smsprov_code store_open(const char *path, const cim_schema *schema, store **out,
                        smsprov_error *err);
void store_close(store *st);

/* True for classes that get a table. */
bool store_class_is_storable(const cim_class *cls);

/* Begins a transaction on a pooled connection (waits for a free one).  A
 * write transaction takes SQLite's write lock at once (BEGIN IMMEDIATE). */
smsprov_code store_begin(store *st, bool write, store_txn **out, smsprov_error *err);
/* Commits and releases the transaction (also on failure). */
smsprov_code store_commit(store_txn *txn, smsprov_error *err);
/* Rolls back and releases the transaction. NULL is allowed. */
void store_rollback(store_txn *txn);
/* The connection, for modules that keep tables of their own (jobs). */
sqlite3 *store_txn_db(store_txn *txn);

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

#endif
