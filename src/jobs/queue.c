/*
 * jobs/queue.c - reading and dropping context-ID status queues
 * (QueryOSDBinaryInjectionStatus, DeleteContextID).
 */
#include <stdlib.h>
#include <string.h>

#include "jobs/jobs_internal.h"
#include "smsprov/cim.h"

void jobs_status_clear(jobs_status *status)
{
    store_status_entry_clear(status);
}

static smsprov_code check_context(const char *context_id, smsprov_error *err)
{
    if (context_id && *context_id)
        return SMSPROV_OK;
    smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER,
                      "No ContextID was given; pass the ContextID the job was started with.");
    smsprov_error_set_parameter(err, "ContextID");
    return SMSPROV_E_INVALID_PARAMETER;
}

smsprov_code jobs_query_status(store *st, const char *context_id, jobs_status *out,
                               smsprov_error *err)
{
    memset(out, 0, sizeof *out);
    smsprov_code rc = check_context(context_id, err);
    store_txn *txn = NULL;
    if (rc == SMSPROV_OK)
        rc = store_begin(st, false, &txn, err);
    if (rc != SMSPROV_OK)
        return rc;
    bool found = false;
    rc = store_status_latest(txn, context_id, out, &found, err);
    store_rollback(txn);
    if (rc == SMSPROV_OK && !found) {
        out->status = JOBS_STATUS_NO_STATUS;
        out->progress_text = cim_xstrdup("");
        out->extended_error_info = cim_xstrdup("");
        out->time = cim_xstrdup("");
    }
    return rc;
}

typedef struct busy_search {
    jobs_pool *pool;
    bool busy;
} busy_search;

static bool runner_alive(void *data, const store_job *job)
{
    busy_search *search = data;
    search->busy = !jobs_runner_gone(search->pool, job->runner ? job->runner : "");
    return !search->busy;
}

/* True when a job of the context is queued or running in a live process. */
static smsprov_code context_busy(jobs_pool *pool, store_txn *txn, const char *context_id,
                                 bool *busy, smsprov_error *err)
{
    busy_search search = {pool, false};
    smsprov_code rc = store_jobs_each_unfinished(txn, context_id, runner_alive, &search, err);
    *busy = rc == SMSPROV_OK && search.busy;
    return rc;
}

smsprov_code jobs_delete_context(jobs_pool *pool, const char *context_id, uint64_t *dropped,
                                 smsprov_error *err)
{
    uint64_t count = 0;
    smsprov_code rc = check_context(context_id, err);
    store_txn *txn = NULL;
    if (rc == SMSPROV_OK)
        rc = store_begin(pool->st, true, &txn, err);
    if (rc != SMSPROV_OK)
        return rc;
    bool busy = false;
    rc = context_busy(pool, txn, context_id, &busy, err);
    if (rc == SMSPROV_OK && busy) {
        rc = smsprov_error_set(err, SMSPROV_E_INVALID_OPERATION,
                               "A job of context %s is still running; wait until "
                               "QueryOSDBinaryInjectionStatus reports Status 0 (Complete) or 2 "
                               "(Error), then delete the context.",
                               context_id);
        smsprov_error_set_parameter(err, "ContextID");
    }
    if (rc == SMSPROV_OK)
        rc = store_status_drop(txn, context_id, &count, err);
    if (rc == SMSPROV_OK)
        rc = store_commit(txn, err);
    else
        store_rollback(txn);
    if (dropped)
        *dropped = rc == SMSPROV_OK ? count : 0;
    return rc;
}
