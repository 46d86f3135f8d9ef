/* jobs.c - the generic half of the job and status queue records: checks
 * the arguments, stamps the time, and calls the backend (store/jobs.h). */
#include <stdlib.h>
#include <string.h>

#include "store/backend.h"


/* Now as CIM DATETIME text (UTC); every backend records the same form. */
static void now_text(char out[32])
{
    cim_datetime now;
    cim_datetime_now(&now);
    cim_datetime_format(&now, out);
}

static smsprov_code need_context(const char *context_id, smsprov_error *err)
{
    if (context_id && *context_id)
        return SMSPROV_OK;
    return smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER,
                             "A status queue is named by its ContextID, and none was given.");
}

void store_status_entry_clear(store_status_entry *entry)
{
    free(entry->progress_text);
    free(entry->extended_error_info);
    free(entry->time);
    memset(entry, 0, sizeof *entry);
}

smsprov_code store_jobs_prepare(store *st, smsprov_error *err)
{
    return store_backend_of(st)->jobs_prepare(st, err);
}

smsprov_code store_job_insert(store_txn *txn, const store_job *job, int64_t *id,
                              smsprov_error *err)
{
    if (!job || !job->kind || !job->target || !job->runner)
        return smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER,
                                 "A job is recorded with its kind, its target and its runner; "
                                 "one of them is missing.");
    char at[32];
    now_text(at);
    return store_txn_backend_of(txn)->job_insert(txn, job, at, id, err);
}

smsprov_code store_job_set_state(store_txn *txn, int64_t job_id, store_job_state state,
                                 int32_t return_value, smsprov_error *err)
{
    if (state != STORE_JOB_RUNNING && state != STORE_JOB_DONE && state != STORE_JOB_FAILED)
        return smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER,
                                 "A job can only be moved to running, done or failed; it is "
                                 "queued when it is recorded.");
    char at[32];
    now_text(at);
    return store_txn_backend_of(txn)->job_set_state(txn, job_id, state, return_value, at, err);
}

smsprov_code store_job_abort(store_txn *txn, int64_t job_id, int32_t return_value,
                             bool *aborted, smsprov_error *err)
{
    char at[32];
    now_text(at);
    return store_txn_backend_of(txn)->job_abort(txn, job_id, return_value, at, aborted, err);
}

smsprov_code store_jobs_each_unfinished(store_txn *txn, const char *context_id,
                                        store_job_fn fn, void *data, smsprov_error *err)
{
    return store_txn_backend_of(txn)->jobs_each_unfinished(txn, context_id, fn, data, err);
}

smsprov_code store_status_append(store_txn *txn, const char *context_id, int64_t job_id,
                                 const store_status_entry *entry, smsprov_error *err)
{
    if (!context_id || !*context_id)
        return SMSPROV_OK;
    char at[32];
    now_text(at);
    return store_txn_backend_of(txn)->status_append(txn, context_id, job_id, entry, at, err);
}

smsprov_code store_status_latest(store_txn *txn, const char *context_id,
                                 store_status_entry *out, bool *found, smsprov_error *err)
{
    memset(out, 0, sizeof *out);
    *found = false;
    smsprov_code rc = need_context(context_id, err);
    if (rc != SMSPROV_OK)
        return rc;
    return store_txn_backend_of(txn)->status_latest(txn, context_id, out, found, err);
}

smsprov_code store_status_drop(store_txn *txn, const char *context_id, uint64_t *dropped,
                               smsprov_error *err)
{
    uint64_t count = 0;
    smsprov_code rc = need_context(context_id, err);
    if (rc == SMSPROV_OK)
        rc = store_txn_backend_of(txn)->status_drop(txn, context_id, &count, err);
    if (dropped)
        *dropped = rc == SMSPROV_OK ? count : 0;
    return rc;
}
