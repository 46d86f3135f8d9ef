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
    free(status->progress_text);
    free(status->extended_error_info);
    free(status->time);
    memset(status, 0, sizeof *status);
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
    rc = jobs_queue_latest(txn, context_id, out, &found, err);
    store_rollback(txn);
    if (rc == SMSPROV_OK && !found) {
        out->status = JOBS_STATUS_NO_STATUS;
        out->progress_text = cim_xstrdup("");
        out->extended_error_info = cim_xstrdup("");
        out->time = cim_xstrdup("");
    }
    return rc;
}

/* True when a job of the context is queued or running in a live process. */
static smsprov_code context_busy(jobs_pool *pool, sqlite3 *db, const char *context_id,
                                 bool *busy, smsprov_error *err)
{
    *busy = false;
    sqlite3_stmt *stmt = NULL;
    int src = sqlite3_prepare_v2(db,
                                 "SELECT Runner FROM smsprov_jobs WHERE ContextID = ? AND State "
                                 "IN ('queued', 'running')",
                                 -1, &stmt, NULL);
    if (src == SQLITE_OK)
        sqlite3_bind_text(stmt, 1, context_id, -1, SQLITE_TRANSIENT);
    while (src == SQLITE_OK && !*busy && (src = sqlite3_step(stmt)) == SQLITE_ROW) {
        const unsigned char *runner = sqlite3_column_text(stmt, 0);
        *busy = !jobs_runner_gone(pool, runner ? (const char *)runner : "");
        src = SQLITE_OK;
    }
    smsprov_code rc = (src == SQLITE_DONE || src == SQLITE_OK)
                          ? SMSPROV_OK
                          : jobs_sql_error(db, "looking for the jobs of a context", err);
    sqlite3_finalize(stmt);
    return rc;
}

static smsprov_code drop(sqlite3 *db, const char *context_id, uint64_t *dropped,
                         smsprov_error *err)
{
    sqlite3_stmt *stmt = NULL;
    int src = sqlite3_prepare_v2(db, "DELETE FROM smsprov_job_status WHERE ContextID = ?", -1,
                                 &stmt, NULL);
    if (src == SQLITE_OK) {
        sqlite3_bind_text(stmt, 1, context_id, -1, SQLITE_TRANSIENT);
        src = sqlite3_step(stmt);
    }
    sqlite3_finalize(stmt);
    if (src != SQLITE_DONE)
        return jobs_sql_error(db, "dropping a status queue", err);
    *dropped = (uint64_t)sqlite3_changes(db);
    return SMSPROV_OK;
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
    sqlite3 *db = store_txn_db(txn);
    bool busy = false;
    rc = context_busy(pool, db, context_id, &busy, err);
    if (rc == SMSPROV_OK && busy) {
        rc = smsprov_error_set(err, SMSPROV_E_INVALID_OPERATION,
                               "A job of context %s is still running; wait until "
                               "QueryOSDBinaryInjectionStatus reports Status 0 (Complete) or 2 "
                               "(Error), then delete the context.",
                               context_id);
        smsprov_error_set_parameter(err, "ContextID");
    }
    if (rc == SMSPROV_OK)
        rc = drop(db, context_id, &count, err);
    if (rc == SMSPROV_OK)
        rc = store_commit(txn, err);
    else
        store_rollback(txn);
    if (dropped)
        *dropped = rc == SMSPROV_OK ? count : 0;
    return rc;
}
