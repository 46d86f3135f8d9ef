/*
 * jobs/table.c - the job table and the status queue table (layout in
 * src/jobs/README.md).
 */
#include <stdlib.h>
#include <string.h>

#include "jobs/jobs_internal.h"
#include "smsprov/cim.h"

static const char *const schema_sql =
    "CREATE TABLE IF NOT EXISTS smsprov_jobs ("
    " JobID INTEGER PRIMARY KEY AUTOINCREMENT,"
    " Kind TEXT NOT NULL,"
    " Target TEXT NOT NULL,"
    " ContextID TEXT COLLATE NOCASE,"
    " State TEXT NOT NULL CHECK (State IN ('queued', 'running', 'done', 'failed')),"
    " Runner TEXT NOT NULL,"
    " ReturnValue INTEGER,"
    " QueuedAt TEXT NOT NULL,"
    " StartedAt TEXT,"
    " FinishedAt TEXT);"
    "CREATE INDEX IF NOT EXISTS smsprov_jobs_state ON smsprov_jobs (State);"
    "CREATE TABLE IF NOT EXISTS smsprov_job_status ("
    " Seq INTEGER PRIMARY KEY AUTOINCREMENT,"
    " ContextID TEXT NOT NULL COLLATE NOCASE,"
    " JobID INTEGER,"
    " At TEXT NOT NULL,"
    " Status INTEGER NOT NULL,"
    " Progress INTEGER NOT NULL,"
    " MaxProgress INTEGER NOT NULL,"
    " ProgressText TEXT NOT NULL,"
    " ErrorCode INTEGER NOT NULL,"
    " ExtendedErrorInfo TEXT NOT NULL);"
    "CREATE INDEX IF NOT EXISTS smsprov_job_status_context"
    " ON smsprov_job_status (ContextID, Seq);";

smsprov_code jobs_sql_error(sqlite3 *db, const char *doing, smsprov_error *err)
{
    return smsprov_error_set(err, SMSPROV_E_FAILED, "The site database failed while %s: %s.",
                             doing, sqlite3_errmsg(db));
}

void jobs_now(char out[32])
{
    cim_datetime now;
    cim_datetime_now(&now);
    cim_datetime_format(&now, out);
}

static bool tables_exist(sqlite3 *db)
{
    sqlite3_stmt *stmt = NULL;
    int found = 0;
    if (sqlite3_prepare_v2(db,
                           "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN "
                           "('smsprov_jobs', 'smsprov_job_status')",
                           -1, &stmt, NULL) == SQLITE_OK &&
        sqlite3_step(stmt) == SQLITE_ROW)
        found = sqlite3_column_int(stmt, 0);
    sqlite3_finalize(stmt);
    return found == 2;
}

smsprov_code jobs_tables_ensure(store *st, smsprov_error *err)
{
    store_txn *txn = NULL;
    smsprov_code rc = store_begin(st, false, &txn, err);
    if (rc != SMSPROV_OK)
        return rc;
    bool exist = tables_exist(store_txn_db(txn));
    store_rollback(txn);
    if (exist)
        return SMSPROV_OK;
    rc = store_begin(st, true, &txn, err);
    if (rc != SMSPROV_OK)
        return rc;
    sqlite3 *db = store_txn_db(txn);
    if (sqlite3_exec(db, schema_sql, NULL, NULL, NULL) != SQLITE_OK) {
        rc = jobs_sql_error(db, "creating the job tables", err);
        store_rollback(txn);
        return rc;
    }
    return store_commit(txn, err);
}

static void bind_text(sqlite3_stmt *stmt, int i, const char *s)
{
    sqlite3_bind_text(stmt, i, s ? s : "", -1, SQLITE_TRANSIENT);
}

/* Prepares, lets bind() fill the parameters, steps once to the end. */
static smsprov_code run_statement(sqlite3 *db, const char *sql, const char *doing,
                                  void (*bind)(sqlite3_stmt *stmt, const void *data),
                                  const void *data, smsprov_error *err)
{
    sqlite3_stmt *stmt = NULL;
    int src = sqlite3_prepare_v2(db, sql, -1, &stmt, NULL);
    if (src == SQLITE_OK) {
        bind(stmt, data);
        src = sqlite3_step(stmt);
    }
    smsprov_code rc = src == SQLITE_DONE ? SMSPROV_OK : jobs_sql_error(db, doing, err);
    sqlite3_finalize(stmt);
    return rc;
}

typedef struct append_args {
    const char *context_id;
    int64_t job_id;
    const jobs_status *entry;
    const char *at;
} append_args;

static void bind_append(sqlite3_stmt *stmt, const void *data)
{
    const append_args *a = data;
    bind_text(stmt, 1, a->context_id);
    if (a->job_id > 0)
        sqlite3_bind_int64(stmt, 2, a->job_id);
    bind_text(stmt, 3, a->at);
    sqlite3_bind_int64(stmt, 4, a->entry->status);
    sqlite3_bind_int64(stmt, 5, a->entry->progress);
    sqlite3_bind_int64(stmt, 6, a->entry->max_progress);
    bind_text(stmt, 7, a->entry->progress_text);
    sqlite3_bind_int64(stmt, 8, a->entry->error_code);
    bind_text(stmt, 9, a->entry->extended_error_info);
}

smsprov_code jobs_queue_append(store_txn *txn, const char *context_id, int64_t job_id,
                               const jobs_status *entry, smsprov_error *err)
{
    if (!context_id || !*context_id)
        return SMSPROV_OK;
    char at[32];
    jobs_now(at);
    append_args a = {context_id, job_id, entry, at};
    return run_statement(store_txn_db(txn),
                         "INSERT INTO smsprov_job_status (ContextID, JobID, At, Status, "
                         "Progress, MaxProgress, ProgressText, ErrorCode, ExtendedErrorInfo) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                         "appending to a status queue", bind_append, &a, err);
}

static char *column_text(sqlite3_stmt *stmt, int i)
{
    const unsigned char *s = sqlite3_column_text(stmt, i);
    return cim_xstrdup(s ? (const char *)s : "");
}

smsprov_code jobs_queue_latest(store_txn *txn, const char *context_id, jobs_status *out,
                               bool *found, smsprov_error *err)
{
    memset(out, 0, sizeof *out);
    *found = false;
    sqlite3 *db = store_txn_db(txn);
    sqlite3_stmt *stmt = NULL;
    int src = sqlite3_prepare_v2(db,
                                 "SELECT Status, Progress, MaxProgress, ProgressText, ErrorCode, "
                                 "ExtendedErrorInfo, At FROM smsprov_job_status WHERE "
                                 "ContextID = ? ORDER BY Seq DESC LIMIT 1",
                                 -1, &stmt, NULL);
    if (src == SQLITE_OK) {
        bind_text(stmt, 1, context_id);
        src = sqlite3_step(stmt);
    }
    smsprov_code rc = SMSPROV_OK;
    if (src == SQLITE_ROW) {
        *found = true;
        out->status = (uint32_t)sqlite3_column_int64(stmt, 0);
        out->progress = (uint32_t)sqlite3_column_int64(stmt, 1);
        out->max_progress = (uint32_t)sqlite3_column_int64(stmt, 2);
        out->progress_text = column_text(stmt, 3);
        out->error_code = (int32_t)sqlite3_column_int64(stmt, 4);
        out->extended_error_info = column_text(stmt, 5);
        out->time = column_text(stmt, 6);
    } else if (src != SQLITE_DONE) {
        rc = jobs_sql_error(db, "reading a status queue", err);
    }
    sqlite3_finalize(stmt);
    return rc;
}

typedef struct insert_args {
    const jobs_job *job;
    const char *runner;
    const char *at;
} insert_args;

static void bind_insert(sqlite3_stmt *stmt, const void *data)
{
    const insert_args *a = data;
    bind_text(stmt, 1, a->job->kind);
    bind_text(stmt, 2, a->job->target);
    if (a->job->context_id)
        bind_text(stmt, 3, a->job->context_id);
    bind_text(stmt, 4, a->runner);
    bind_text(stmt, 5, a->at);
}

smsprov_code jobs_row_insert(store_txn *txn, jobs_job *job, const char *runner,
                             smsprov_error *err)
{
    char at[32];
    jobs_now(at);
    insert_args a = {job, runner, at};
    sqlite3 *db = store_txn_db(txn);
    smsprov_code rc = run_statement(db,
                                    "INSERT INTO smsprov_jobs (Kind, Target, ContextID, State, "
                                    "Runner, QueuedAt) VALUES (?, ?, ?, 'queued', ?, ?)",
                                    "recording a job", bind_insert, &a, err);
    if (rc == SMSPROV_OK)
        job->id = sqlite3_last_insert_rowid(db);
    return rc;
}

typedef struct state_args {
    int64_t job_id;
    const char *state;
    int32_t return_value;
    const char *at;
} state_args;

static void bind_state(sqlite3_stmt *stmt, const void *data)
{
    const state_args *a = data;
    bind_text(stmt, 1, a->state);
    bind_text(stmt, 2, a->at);
    sqlite3_bind_int64(stmt, 3, a->return_value);
    sqlite3_bind_int64(stmt, 4, a->job_id);
}

smsprov_code jobs_row_set_state(store_txn *txn, int64_t job_id, const char *state,
                                int32_t return_value, smsprov_error *err)
{
    char at[32];
    jobs_now(at);
    state_args a = {job_id, state, return_value, at};
    bool running = strcmp(state, "running") == 0;
    const char *sql = running ? "UPDATE smsprov_jobs SET State = ?1, StartedAt = ?2 "
                                "WHERE JobID = ?4"
                              : "UPDATE smsprov_jobs SET State = ?1, FinishedAt = ?2, "
                                "ReturnValue = ?3 WHERE JobID = ?4";
    return run_statement(store_txn_db(txn), sql, "recording a job's state", bind_state, &a, err);
}
