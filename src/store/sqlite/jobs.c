/*
 * jobs.c - the job table and the status queue table in SQLite (layout in
 * src/jobs/README.md).  Statements are prepared for each call: jobs write a
 * few rows a second at most, so a cache would buy nothing.
 */
#include "store/sqlite/store_internal.h"

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

/* The State column's words, indexed by store_job_state. */
static const char *const state_names[] = {"queued", "running", "done", "failed"};

/* Job errors keep the sentence shape jobs have always reported. */
static smsprov_code job_error(sqlite3 *db, const char *doing, smsprov_error *err)
{
    return smsprov_error_set(err, SMSPROV_E_FAILED, "The site database failed while %s: %s.",
                             doing, sqlite3_errmsg(db));
}

static sqlite3 *db_of(store_txn *txn)
{
    return txn->conn->db;
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

/* Looks in a read transaction first, so opening a site that has its
 * tables never waits for the write lock. */
smsprov_code store_sqlite_jobs_prepare(store *st, smsprov_error *err)
{
    store_txn *txn = NULL;
    smsprov_code rc = store_sqlite_begin(st, false, &txn, err);
    if (rc != SMSPROV_OK)
        return rc;
    bool exist = tables_exist(db_of(txn));
    store_sqlite_rollback(txn);
    if (exist)
        return SMSPROV_OK;
    rc = store_sqlite_begin(st, true, &txn, err);
    if (rc != SMSPROV_OK)
        return rc;
    sqlite3 *db = db_of(txn);
    if (sqlite3_exec(db, schema_sql, NULL, NULL, NULL) != SQLITE_OK) {
        rc = job_error(db, "creating the job tables", err);
        store_sqlite_rollback(txn);
        return rc;
    }
    return store_sqlite_commit(txn, err);
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
    smsprov_code rc = src == SQLITE_DONE ? SMSPROV_OK : job_error(db, doing, err);
    sqlite3_finalize(stmt);
    return rc;
}

static char *column_text(sqlite3_stmt *stmt, int i)
{
    const unsigned char *s = sqlite3_column_text(stmt, i);
    return cim_xstrdup(s ? (const char *)s : "");
}

/* ---- job rows ----------------------------------------------------------- */

typedef struct insert_args {
    const store_job *job;
    const char *at;
} insert_args;

static void bind_insert(sqlite3_stmt *stmt, const void *data)
{
    const insert_args *a = data;
    bind_text(stmt, 1, a->job->kind);
    bind_text(stmt, 2, a->job->target);
    if (a->job->context_id)
        bind_text(stmt, 3, a->job->context_id);
    bind_text(stmt, 4, a->job->runner);
    bind_text(stmt, 5, a->at);
}

smsprov_code store_sqlite_job_insert(store_txn *txn, const store_job *job, const char *at,
                                     int64_t *id, smsprov_error *err)
{
    smsprov_code rc = store_require_write(txn, "Recording a job", err);
    if (rc != SMSPROV_OK)
        return rc;
    insert_args a = {job, at};
    sqlite3 *db = db_of(txn);
    rc = run_statement(db,
                       "INSERT INTO smsprov_jobs (Kind, Target, ContextID, State, Runner, "
                       "QueuedAt) VALUES (?, ?, ?, 'queued', ?, ?)",
                       "recording a job", bind_insert, &a, err);
    if (rc == SMSPROV_OK)
        *id = sqlite3_last_insert_rowid(db);
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

smsprov_code store_sqlite_job_set_state(store_txn *txn, int64_t job_id, store_job_state state,
                                        int32_t return_value, const char *at,
                                        smsprov_error *err)
{
    smsprov_code rc = store_require_write(txn, "Recording a job's state", err);
    if (rc != SMSPROV_OK)
        return rc;
    state_args a = {job_id, state_names[state], return_value, at};
    const char *sql = state == STORE_JOB_RUNNING
                          ? "UPDATE smsprov_jobs SET State = ?1, StartedAt = ?2 WHERE JobID = ?4"
                          : "UPDATE smsprov_jobs SET State = ?1, FinishedAt = ?2, "
                            "ReturnValue = ?3 WHERE JobID = ?4";
    return run_statement(db_of(txn), sql, "recording a job's state", bind_state, &a, err);
}

smsprov_code store_sqlite_job_abort(store_txn *txn, int64_t job_id, int32_t return_value,
                                    const char *at, bool *aborted, smsprov_error *err)
{
    *aborted = false;
    smsprov_code rc = store_require_write(txn, "Marking a job failed", err);
    if (rc != SMSPROV_OK)
        return rc;
    sqlite3 *db = db_of(txn);
    sqlite3_stmt *stmt = NULL;
    int src = sqlite3_prepare_v2(db,
                                 "UPDATE smsprov_jobs SET State = 'failed', ReturnValue = ?, "
                                 "FinishedAt = ? WHERE JobID = ? AND State IN ('queued', "
                                 "'running')",
                                 -1, &stmt, NULL);
    if (src == SQLITE_OK) {
        sqlite3_bind_int(stmt, 1, return_value);
        sqlite3_bind_text(stmt, 2, at, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(stmt, 3, job_id);
        src = sqlite3_step(stmt);
    }
    sqlite3_finalize(stmt);
    if (src != SQLITE_DONE)
        return job_error(db, "marking an interrupted job failed", err);
    *aborted = sqlite3_changes(db) == 1;
    return SMSPROV_OK;
}

static const char *text_or_null(sqlite3_stmt *stmt, int i)
{
    return (const char *)sqlite3_column_text(stmt, i);
}

smsprov_code store_sqlite_jobs_each_unfinished(store_txn *txn, const char *context_id,
                                               store_job_fn fn, void *data, smsprov_error *err)
{
    sqlite3 *db = db_of(txn);
    sqlite3_stmt *stmt = NULL;
    const char *sql = context_id ? "SELECT JobID, Runner, ContextID, Kind, Target FROM "
                                   "smsprov_jobs WHERE ContextID = ? AND State IN ('queued', "
                                   "'running') ORDER BY JobID"
                                 : "SELECT JobID, Runner, ContextID, Kind, Target FROM "
                                   "smsprov_jobs WHERE State IN ('queued', 'running') ORDER "
                                   "BY JobID";
    int src = sqlite3_prepare_v2(db, sql, -1, &stmt, NULL);
    if (src == SQLITE_OK && context_id)
        sqlite3_bind_text(stmt, 1, context_id, -1, SQLITE_TRANSIENT);
    bool more = true;
    while (src == SQLITE_OK && more && (src = sqlite3_step(stmt)) == SQLITE_ROW) {
        store_job job = {.id = sqlite3_column_int64(stmt, 0),
                         .runner = text_or_null(stmt, 1),
                         .context_id = text_or_null(stmt, 2),
                         .kind = text_or_null(stmt, 3),
                         .target = text_or_null(stmt, 4)};
        more = fn(data, &job);
        src = SQLITE_OK;
    }
    smsprov_code rc = SMSPROV_OK;
    if (src != SQLITE_DONE && src != SQLITE_OK)
        rc = job_error(db, context_id ? "looking for the jobs of a context"
                                      : "looking for unfinished jobs",
                       err);
    sqlite3_finalize(stmt);
    return rc;
}

/* ---- status queues ------------------------------------------------------- */

typedef struct append_args {
    const char *context_id;
    int64_t job_id;
    const store_status_entry *entry;
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

smsprov_code store_sqlite_status_append(store_txn *txn, const char *context_id, int64_t job_id,
                                        const store_status_entry *entry, const char *at,
                                        smsprov_error *err)
{
    smsprov_code rc = store_require_write(txn, "Appending to a status queue", err);
    if (rc != SMSPROV_OK)
        return rc;
    append_args a = {context_id, job_id, entry, at};
    return run_statement(db_of(txn),
                         "INSERT INTO smsprov_job_status (ContextID, JobID, At, Status, "
                         "Progress, MaxProgress, ProgressText, ErrorCode, ExtendedErrorInfo) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                         "appending to a status queue", bind_append, &a, err);
}

smsprov_code store_sqlite_status_latest(store_txn *txn, const char *context_id,
                                        store_status_entry *out, bool *found,
                                        smsprov_error *err)
{
    sqlite3 *db = db_of(txn);
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
        rc = job_error(db, "reading a status queue", err);
    }
    sqlite3_finalize(stmt);
    return rc;
}

smsprov_code store_sqlite_status_drop(store_txn *txn, const char *context_id, uint64_t *dropped,
                                      smsprov_error *err)
{
    smsprov_code rc = store_require_write(txn, "Dropping a status queue", err);
    if (rc != SMSPROV_OK)
        return rc;
    sqlite3 *db = db_of(txn);
    sqlite3_stmt *stmt = NULL;
    int src = sqlite3_prepare_v2(db, "DELETE FROM smsprov_job_status WHERE ContextID = ?", -1,
                                 &stmt, NULL);
    if (src == SQLITE_OK) {
        sqlite3_bind_text(stmt, 1, context_id, -1, SQLITE_TRANSIENT);
        src = sqlite3_step(stmt);
    }
    sqlite3_finalize(stmt);
    if (src != SQLITE_DONE)
        return job_error(db, "dropping a status queue", err);
    *dropped = (uint64_t)sqlite3_changes(db);
    return SMSPROV_OK;
}
