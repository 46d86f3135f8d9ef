/*
 * store/jobs.h - the job table and the context-ID status queues, as the
 * store keeps them for src/jobs.
 *
 * Two records live beside the class tables (their SQLite layout is in
 * src/jobs/README.md):
 *   jobs           one per job: what it does, on what, for which context,
 *                  in which process ("runner"), and how far it got
 *                  (queued, running, done, failed) with its ReturnValue;
 *   status queues  per context ID, the entries a job wrote at each step,
 *                  in the order written; the latest is what
 *                  QueryOSDBinaryInjectionStatus reports.
 *
 * Every operation but store_jobs_prepare works inside the caller's
 * transaction, so a job row and its queue entry commit together or not at
 * all; the caller decides the transactions, and durability is the store's
 * (store.h).  Times are recorded by the store, as CIM DATETIME in UTC.
 *
 * Failures of the database are SMSPROV_E_FAILED with a sentence "The site
 * database failed while <doing>: <reason>."; a change inside a read
 * transaction is SMSPROV_E_INVALID_OPERATION.
 */
#ifndef SMSPROV_STORE_JOBS_H
#define SMSPROV_STORE_JOBS_H

#include <stdbool.h>
#include <stdint.h>

#include "smsprov/error.h"

typedef struct store store;
typedef struct store_txn store_txn;

/* Where a job is in its life.  Only queued and running are unfinished. */
typedef enum store_job_state {
    STORE_JOB_QUEUED,
    STORE_JOB_RUNNING,
    STORE_JOB_DONE,
    STORE_JOB_FAILED,
} store_job_state;

/* A job row as inserted and as listed.  Strings are borrowed. */
typedef struct store_job {
    int64_t id;             /* set by the store; ignored by store_job_insert */
    const char *kind;       /* e.g. "RefreshPkgSource" */
    const char *target;     /* e.g. an object path */
    const char *context_id; /* NULL: the job has no status queue */
    const char *runner;     /* the process that runs it (jobs_pool_runner) */
} store_job;

/* One entry of a status queue.  Strings are owned when read from the store
 * ("" when empty) and borrowed when appended (NULL is written as ""). */
typedef struct store_status_entry {
    uint32_t status;           /* QueryOSDBinaryInjectionStatus Status */
    uint32_t progress, max_progress;
    char *progress_text;
    int32_t error_code;        /* Win32 code, 0 unless Status is Error */
    char *extended_error_info;
    char *time;                /* CIM DATETIME (UTC) the entry was written;
                                  ignored when appending */
} store_status_entry;

/* Frees the strings of an entry read from the store and zeroes it. */
void store_status_entry_clear(store_status_entry *entry);

/* Creates the job table and the status queue table when missing: one read
 * transaction to look, and a write transaction only when something is
 * missing.  Safe to call from several processes at once.  Errors: those of
 * store_begin and store_commit, SMSPROV_E_FAILED when creating fails. */
smsprov_code store_jobs_prepare(store *st, smsprov_error *err);

/* Records a new job, queued now, and gives its ID (> 0, never reused).
 * job->kind, target and runner must not be NULL.  Errors:
 * SMSPROV_E_INVALID_PARAMETER for a missing field,
 * SMSPROV_E_INVALID_OPERATION in a read transaction, SMSPROV_E_FAILED. */
smsprov_code store_job_insert(store_txn *txn, const store_job *job, int64_t *id,
                              smsprov_error *err);

/* Moves a job to state, stamped now: RUNNING records when it started;
 * DONE and FAILED record when it finished and return_value (ignored
 * otherwise).  Moving to QUEUED is refused (SMSPROV_E_INVALID_PARAMETER):
 * a job is queued only by store_job_insert.  An unknown job_id changes
 * nothing and is no error.  Errors: SMSPROV_E_INVALID_OPERATION in a read
 * transaction, SMSPROV_E_FAILED. */
smsprov_code store_job_set_state(store_txn *txn, int64_t job_id, store_job_state state,
                                 int32_t return_value, smsprov_error *err);

/* Marks a job failed with return_value, stamped now, but only if it is
 * still queued or running: *aborted tells whether it was (false when it
 * had finished, is unknown, or another process marked it first).  Errors:
 * SMSPROV_E_INVALID_OPERATION in a read transaction, SMSPROV_E_FAILED. */
smsprov_code store_job_abort(store_txn *txn, int64_t job_id, int32_t return_value,
                             bool *aborted, smsprov_error *err);

/* Called with each unfinished job (fields borrowed for the call); returns
 * false to stop early. */
typedef bool (*store_job_fn)(void *data, const store_job *job);

/* Visits every queued or running job in ID order (of context_id only,
 * compared ignoring case, when it is not NULL).  fn must not use txn.
 * Errors: SMSPROV_E_FAILED. */
smsprov_code store_jobs_each_unfinished(store_txn *txn, const char *context_id,
                                        store_job_fn fn, void *data, smsprov_error *err);

/* Appends an entry, stamped now, to the status queue of context_id for
 * job_id (<= 0: no job).  NULL or "" context_id: there is no queue, and
 * nothing is written.  Errors: SMSPROV_E_INVALID_OPERATION in a read
 * transaction, SMSPROV_E_FAILED. */
smsprov_code store_status_append(store_txn *txn, const char *context_id, int64_t job_id,
                                 const store_status_entry *entry, smsprov_error *err);

/* The latest entry of the queue of context_id (compared ignoring case) into
 * *out (zeroed first; clear it with store_status_entry_clear); *found is
 * false, and *out all zeros, when the queue is empty or unknown.  Errors:
 * SMSPROV_E_INVALID_PARAMETER for a NULL or "" context_id, SMSPROV_E_FAILED. */
smsprov_code store_status_latest(store_txn *txn, const char *context_id,
                                 store_status_entry *out, bool *found, smsprov_error *err);

/* Drops every entry of the queue of context_id (compared ignoring case);
 * *dropped (may be NULL) gets how many.  An unknown context drops nothing
 * and is no error.  Errors: SMSPROV_E_INVALID_PARAMETER for a NULL or ""
 * context_id, SMSPROV_E_INVALID_OPERATION in a read transaction,
 * SMSPROV_E_FAILED. */
smsprov_code store_status_drop(store_txn *txn, const char *context_id, uint64_t *dropped,
                               smsprov_error *err);

#endif
