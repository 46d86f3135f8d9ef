/*
 * store/backend.h - the table of functions a store backend fills in.
 *
 * The generic store (store.c, jobs.c) checks arguments, stamps times and
 * calls through this table; a backend is one folder under src/store that
 * defines one store_backend and speaks its database's dialect.  SQLite is
 * src/store/sqlite/.  The contract each entry must keep is in
 * src/store/README.md ("Backends"); in short, every entry behaves exactly
 * as the public function of the same name documents (store.h, jobs.h),
 * with the same error codes, except that the generic layer has already
 * checked what it says it checks below.
 *
 * Objects: a backend's store object begins with a `const store_backend *`
 * (the table that made it), and its transaction and cursor objects begin
 * with the `store *` they belong to.  The generic layer reads nothing else of them.
 */
#ifndef SMSPROV_STORE_BACKEND_H
#define SMSPROV_STORE_BACKEND_H

#include "store/jobs.h"
#include "store/plan.h"
#include "store/store.h"

typedef struct store_backend {
    /* The scheme of the locations it opens ("sqlite" for "sqlite:site.db"),
     * lower case. */
    const char *scheme;
    /* True when the rest of its locations is a local file path (the site
     * keeps its runner locks and content folder beside it). */
    bool location_is_file;

    /* Opens or creates the store at location (the part after "scheme:",
     * never NULL or empty) for schema (never NULL).  Sets the store's
     * first member to this table. */
    smsprov_code (*open)(const char *location, const cim_schema *schema, store **out,
                         smsprov_error *err);
    /* Every transaction has ended before close. */
    void (*close)(store *st);

    /* ---- transactions: one connection each, see store.h ---- */
    smsprov_code (*begin)(store *st, bool write, store_txn **out, smsprov_error *err);
    /* Releases the transaction also on failure. */
    smsprov_code (*commit)(store_txn *txn, smsprov_error *err);
    void (*rollback)(store_txn *txn); /* never NULL */

    /* ---- instances ---- */
    smsprov_code (*insert)(store_txn *txn, const cim_instance *inst, smsprov_error *err);
    smsprov_code (*update)(store_txn *txn, const cim_instance *inst, smsprov_error *err);
    smsprov_code (*remove)(store_txn *txn, const cim_class *cls, const cim_instance *keys,
                           smsprov_error *err);
    smsprov_code (*get)(store_txn *txn, const cim_class *cls, const cim_instance *keys,
                        cim_instance **out, smsprov_error *err);
    /* query is never NULL here (the generic layer supplies "every row"
     * semantics as store.h states them: shallow, key order, no limit). */
    smsprov_code (*select_each)(store_txn *txn, const cim_class *cls, const store_query *query,
                                store_row_fn fn, void *data, smsprov_error *err);
    smsprov_code (*count)(store_txn *txn, const cim_class *cls, const store_query *query,
                          uint64_t *out, smsprov_error *err);
    /* name is never NULL or empty. */
    smsprov_code (*next_counter)(store_txn *txn, const char *name, uint64_t *out,
                                 smsprov_error *err);

    /* ---- cursors (store/plan.h) ---- */
    smsprov_code (*cursor_open)(store *st, const store_cursor_spec *spec, store_cursor **out,
                                smsprov_error *err);
    void (*cursor_free)(store_cursor *c); /* never given NULL */
    smsprov_code (*cursor_fetch)(store_cursor *c, size_t hint, store_take_fn fn, void *data,
                                 bool *end, smsprov_error *err);
    bool (*cursor_at_end)(const store_cursor *c);

    /* ---- health (store.h) ---- */
    void (*set_fault_handler)(store *st, store_fault_fn fn, void *data);
    const char *(*fault)(store *st);

    /* ---- file marks (store/marks.h); kind and path never NULL or empty ---- */
    /* *identity is NULL (and found false) when nothing is recorded; the
     * caller frees it. */
    smsprov_code (*mark_get)(store_txn *txn, const char *kind, const char *path,
                             char **identity, smsprov_error *err);
    smsprov_code (*mark_set)(store_txn *txn, const char *kind, const char *path,
                             const char *identity, const char *at, smsprov_error *err);

    /* ---- jobs and status queues (store/jobs.h) ----
     * Strings are never NULL; `at` is the CIM DATETIME (UTC) to record. */
    smsprov_code (*jobs_prepare)(store *st, smsprov_error *err);
    smsprov_code (*job_insert)(store_txn *txn, const store_job *job, const char *at,
                               int64_t *id, smsprov_error *err);
    smsprov_code (*job_set_state)(store_txn *txn, int64_t job_id, store_job_state state,
                                  int32_t return_value, const char *at, smsprov_error *err);
    smsprov_code (*job_abort)(store_txn *txn, int64_t job_id, int32_t return_value,
                              const char *at, bool *aborted, smsprov_error *err);
    /* context_id NULL: every unfinished job. */
    smsprov_code (*jobs_each_unfinished)(store_txn *txn, const char *context_id,
                                         store_job_fn fn, void *data, smsprov_error *err);
    smsprov_code (*status_append)(store_txn *txn, const char *context_id, int64_t job_id,
                                  const store_status_entry *entry, const char *at,
                                  smsprov_error *err);
    smsprov_code (*status_latest)(store_txn *txn, const char *context_id,
                                  store_status_entry *out, bool *found, smsprov_error *err);
    smsprov_code (*status_drop)(store_txn *txn, const char *context_id, uint64_t *dropped,
                                smsprov_error *err);
} store_backend;

/* The backends this build has (each defined in its folder's backend.c). */
extern const store_backend store_sqlite_backend;

/* The table of a store and of a transaction: the first member of a
 * backend's store object, reached through the transaction's first member. */
static inline const store_backend *store_backend_of(const store *st)
{
    return *(const store_backend *const *)(const void *)st;
}

static inline const store_backend *store_txn_backend_of(const store_txn *txn)
{
    return store_backend_of(*(store *const *)(const void *)txn);
}

static inline const store_backend *store_cursor_backend_of(const store_cursor *c)
{
    return store_backend_of(*(store *const *)(const void *)c);
}

#endif
