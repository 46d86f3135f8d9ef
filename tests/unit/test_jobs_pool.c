/* test_jobs_pool.c - the worker pool and the context-ID status queues:
 * jobs run and report; the waiter gets the ReturnValue and the error; the
 * queue's latest entry is readable from another connection, never goes
 * back, and ends Complete or Error; an unknown context is Status 3;
 * DeleteContextID; the pool's size bounds concurrency; a job whose caller
 * walks away still finishes; closing drains the queue; and at start-up,
 * jobs of dead processes are marked failed while live ones are kept. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "jobs/jobs.h"
#include "store/sqlite/store_internal.h" /* the SQLite connection, to look */

#define SCRATCH SMSPROV_TEST_SCRATCH "/jobs_pool"

typedef struct fixture {
    cim_schema *schema;
    store *st;
    char db[256];
    char locks[300];
    jobs_pool *pool;
} fixture;

static int counter;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    mkdir(SCRATCH, 0755);
    snprintf(f->db, sizeof f->db, SCRATCH "/jobs-%d.db", ++counter);
    snprintf(f->locks, sizeof f->locks, "%s-runners", f->db);
    unlink(f->db);
    f->schema = cim_schema_new();
    smsprov_error err = {0};
    if (store_open(f->db, f->schema, &f->st, &err) != SMSPROV_OK)
        fail_msg("store_open: %s", err.description);
    if (jobs_pool_open(f->st, f->locks, 2, &f->pool, &err) != SMSPROV_OK)
        fail_msg("jobs_pool_open: %s", err.description);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    jobs_pool_close(f->pool);
    store_close(f->st);
    cim_schema_free(f->schema);
    free(f);
    return 0;
}

/* ---- jobs used by the tests ---------------------------------------------- */

typedef struct steps_job {
    const uint32_t *steps;
    size_t count;
    int32_t result;
    const char *info;
} steps_job;

static int32_t run_steps(jobs_job *job, void *data, smsprov_error *err)
{
    steps_job *s = data;
    for (size_t i = 0; i < s->count; i++) {
        char text[32];
        snprintf(text, sizeof text, "step %zu", i);
        jobs_progress(job, s->steps[i], text);
        usleep(1000);
    }
    if (s->result != 0) {
        jobs_set_error_info(job, s->info);
        smsprov_error_set(err, SMSPROV_E_FAILED, "The job failed on purpose (%s).", s->info);
    }
    return s->result;
}

/* A gate that holds jobs until the test opens it, counting how many wait
 * at once. */
typedef struct gate {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool open;
    int inside, most_inside, entered;
} gate;

static gate *gate_new(void)
{
    gate *g = calloc(1, sizeof *g);
    pthread_mutex_init(&g->mu, NULL);
    pthread_cond_init(&g->cv, NULL);
    return g;
}

static void gate_free(gate *g)
{
    pthread_cond_destroy(&g->cv);
    pthread_mutex_destroy(&g->mu);
    free(g);
}

static int32_t run_at_gate(jobs_job *job, void *data, smsprov_error *err)
{
    (void)err;
    gate *g = data;
    jobs_progress(job, 10, "at the gate");
    pthread_mutex_lock(&g->mu);
    g->entered++;
    g->inside++;
    if (g->inside > g->most_inside)
        g->most_inside = g->inside;
    pthread_cond_broadcast(&g->cv);
    while (!g->open)
        pthread_cond_wait(&g->cv, &g->mu);
    g->inside--;
    pthread_mutex_unlock(&g->mu);
    jobs_progress(job, 90, "through the gate");
    return 0;
}

/* Waits (up to 10 s) until n jobs have entered the gate. */
static bool gate_wait_entered(gate *g, int n)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += 10;
    pthread_mutex_lock(&g->mu);
    while (g->entered < n)
        if (pthread_cond_timedwait(&g->cv, &g->mu, &until) != 0)
            break;
    bool ok = g->entered >= n;
    pthread_mutex_unlock(&g->mu);
    return ok;
}

static void gate_open(gate *g)
{
    pthread_mutex_lock(&g->mu);
    g->open = true;
    pthread_cond_broadcast(&g->cv);
    pthread_mutex_unlock(&g->mu);
}

static jobs_job *submit(fixture *f, const char *context, jobs_run_fn run, void *data)
{
    jobs_spec spec = {.kind = "Test", .target = "target", .context_id = context, .run = run,
                      .data = data};
    jobs_job *job = NULL;
    smsprov_error err = {0};
    if (jobs_submit(f->pool, &spec, &job, &err) != SMSPROV_OK)
        fail_msg("jobs_submit: %s", err.description);
    return job;
}

static jobs_status query(fixture *f, const char *context)
{
    jobs_status s;
    smsprov_error err = {0};
    if (jobs_query_status(f->st, context, &s, &err) != SMSPROV_OK)
        fail_msg("jobs_query_status: %s", err.description);
    return s;
}

/* Every entry of a queue in order, as (status, progress) pairs. */
static size_t queue_entries(fixture *f, const char *context, uint32_t (*out)[2], size_t max)
{
    store_txn *txn = NULL;
    assert_int_equal(store_begin(f->st, false, &txn, NULL), SMSPROV_OK);
    sqlite3_stmt *stmt = NULL;
    assert_int_equal(sqlite3_prepare_v2(store_txn_db(txn),
                                        "SELECT Status, Progress FROM smsprov_job_status WHERE "
                                        "ContextID = ? ORDER BY Seq",
                                        -1, &stmt, NULL),
                     SQLITE_OK);
    sqlite3_bind_text(stmt, 1, context, -1, SQLITE_STATIC);
    size_t n = 0;
    while (sqlite3_step(stmt) == SQLITE_ROW && n < max) {
        out[n][0] = (uint32_t)sqlite3_column_int(stmt, 0);
        out[n][1] = (uint32_t)sqlite3_column_int(stmt, 1);
        n++;
    }
    sqlite3_finalize(stmt);
    store_rollback(txn);
    return n;
}

static const char *job_state(fixture *f, int64_t id, int *return_value)
{
    static char state[16];
    store_txn *txn = NULL;
    assert_int_equal(store_begin(f->st, false, &txn, NULL), SMSPROV_OK);
    sqlite3_stmt *stmt = NULL;
    sqlite3_prepare_v2(store_txn_db(txn),
                       "SELECT State, ifnull(ReturnValue, -1) FROM smsprov_jobs WHERE JobID = ?",
                       -1, &stmt, NULL);
    sqlite3_bind_int64(stmt, 1, id);
    state[0] = '\0';
    if (sqlite3_step(stmt) == SQLITE_ROW) {
        snprintf(state, sizeof state, "%s", sqlite3_column_text(stmt, 0));
        if (return_value)
            *return_value = sqlite3_column_int(stmt, 1);
    }
    sqlite3_finalize(stmt);
    store_rollback(txn);
    return state;
}

/* ---- watching from the waiting thread ------------------------------------ */

typedef struct watch_log {
    uint32_t last, max;
    int calls;
    bool went_back;
} watch_log;

static bool watch(void *data, uint32_t progress, uint32_t max, const char *text)
{
    watch_log *log = data;
    assert_non_null(text);
    if (progress < log->last)
        log->went_back = true;
    log->last = progress;
    log->max = max;
    log->calls++;
    return true;
}

/* A waiter whose client has gone: it stops at the first step it sees. */
static bool watch_then_leave(void *data, uint32_t progress, uint32_t max, const char *text)
{
    (void)progress;
    (void)max;
    (void)text;
    (*(int *)data)++;
    return false;
}

/* ---- tests --------------------------------------------------------------- */

static void test_job_runs_and_its_queue_ends_complete(void **state)
{
    fixture *f = *state;
    static const uint32_t steps[] = {5, 20, 15, 60, 40, 90, 250};
    steps_job s = {steps, sizeof steps / sizeof *steps, 0, NULL};
    jobs_job *job = submit(f, "ctx-ok", run_steps, &s);
    assert_true(jobs_job_id(job) > 0);
    watch_log log = {0};
    int32_t rv = -1;
    smsprov_error err = {0};
    assert_int_equal(jobs_wait(job, watch, &log, &rv, &err), SMSPROV_OK);
    assert_int_equal(rv, 0);
    assert_null(err.description);
    assert_false(log.went_back);
    assert_true(log.calls >= 2);
    assert_int_equal(log.max, 100);
    int stored_rv = -1;
    assert_string_equal(job_state(f, jobs_job_id(job), &stored_rv), "done");
    assert_int_equal(stored_rv, 0);
    jobs_release(job);

    jobs_status st = query(f, "ctx-ok");
    assert_int_equal(st.status, JOBS_STATUS_COMPLETE);
    assert_int_equal(st.progress, 100);
    assert_int_equal(st.max_progress, 100);
    assert_int_equal(st.error_code, 0);
    assert_string_equal(st.extended_error_info, "");
    assert_int_equal(strlen(st.time), CIM_DATETIME_LEN);
    jobs_status_clear(&st);
    /* Context IDs compare ignoring case, like the rest of WMI. */
    st = query(f, "CTX-OK");
    assert_int_equal(st.status, JOBS_STATUS_COMPLETE);
    jobs_status_clear(&st);

    uint32_t entries[64][2];
    size_t n = queue_entries(f, "ctx-ok", entries, 64);
    assert_true(n >= 3);
    for (size_t i = 1; i < n; i++)
        assert_true(entries[i][1] >= entries[i - 1][1]);
    for (size_t i = 0; i + 1 < n; i++)
        assert_int_equal(entries[i][0], JOBS_STATUS_IN_PROGRESS);
    assert_int_equal(entries[n - 1][0], JOBS_STATUS_COMPLETE);
}

static void test_failed_job_reports_error_code_and_info(void **state)
{
    fixture *f = *state;
    static const uint32_t steps[] = {30, 45};
    steps_job s = {steps, 2, 2, "C:\\sms\\bin\\x64\\TsManager.exe"};
    jobs_job *job = submit(f, "ctx-fail", run_steps, &s);
    int32_t rv = 0;
    smsprov_error err = {0};
    assert_int_equal(jobs_wait(job, NULL, NULL, &rv, &err), SMSPROV_E_FAILED);
    assert_int_equal(rv, 2);
    assert_non_null(strstr(err.description, "on purpose"));
    int stored_rv = 0;
    assert_string_equal(job_state(f, jobs_job_id(job), &stored_rv), "failed");
    assert_int_equal(stored_rv, 2);
    jobs_release(job);
    smsprov_error_clear(&err);

    jobs_status st = query(f, "ctx-fail");
    assert_int_equal(st.status, JOBS_STATUS_ERROR);
    assert_int_equal(st.error_code, 2);
    assert_int_equal(st.progress, 45); /* where it stopped, not back to 0 */
    assert_string_equal(st.extended_error_info, "C:\\sms\\bin\\x64\\TsManager.exe");
    assert_non_null(strstr(st.progress_text, "on purpose"));
    jobs_status_clear(&st);
}

static int32_t fail_silently(jobs_job *job, void *data, smsprov_error *err)
{
    (void)job;
    (void)data;
    (void)err;
    return 87;
}

static void test_failure_without_a_sentence_still_says_something(void **state)
{
    fixture *f = *state;
    jobs_job *job = submit(f, "ctx-quiet", fail_silently, NULL);
    int32_t rv = 0;
    smsprov_error err = {0};
    assert_int_equal(jobs_wait(job, NULL, NULL, &rv, &err), SMSPROV_E_FAILED);
    assert_int_equal(rv, 87);
    assert_non_null(strstr(err.description, "87"));
    smsprov_error_clear(&err);
    jobs_release(job);
}

static void test_unknown_and_missing_context(void **state)
{
    fixture *f = *state;
    jobs_status st = query(f, "never-used");
    assert_int_equal(st.status, JOBS_STATUS_NO_STATUS);
    assert_int_equal(st.progress, 0);
    assert_int_equal(st.max_progress, 0);
    assert_string_equal(st.progress_text, "");
    jobs_status_clear(&st);
    smsprov_error err = {0};
    assert_int_equal(jobs_query_status(f->st, "", &st, &err), SMSPROV_E_INVALID_PARAMETER);
    assert_string_equal(err.parameter_info, "ContextID");
    smsprov_error_clear(&err);
    assert_int_equal(jobs_query_status(f->st, NULL, &st, &err), SMSPROV_E_INVALID_PARAMETER);
    smsprov_error_clear(&err);
    assert_int_equal(jobs_delete_context(f->pool, NULL, NULL, &err),
                     SMSPROV_E_INVALID_PARAMETER);
    smsprov_error_clear(&err);
}

static void test_delete_context_drops_the_queue_but_not_while_running(void **state)
{
    fixture *f = *state;
    gate *g = gate_new();
    jobs_job *job = submit(f, "ctx-del", run_at_gate, g);
    assert_true(gate_wait_entered(g, 1));
    smsprov_error err = {0};
    uint64_t dropped = 99;
    assert_int_equal(jobs_delete_context(f->pool, "ctx-del", &dropped, &err),
                     SMSPROV_E_INVALID_OPERATION);
    assert_int_equal(dropped, 0);
    assert_non_null(strstr(err.description, "still running"));
    smsprov_error_clear(&err);
    jobs_status st = query(f, "ctx-del");
    assert_int_equal(st.status, JOBS_STATUS_IN_PROGRESS);
    jobs_status_clear(&st);

    gate_open(g);
    int32_t rv = -1;
    assert_int_equal(jobs_wait(job, NULL, NULL, &rv, NULL), SMSPROV_OK);
    jobs_release(job);
    assert_int_equal(jobs_delete_context(f->pool, "ctx-del", &dropped, &err), SMSPROV_OK);
    assert_true(dropped >= 2);
    st = query(f, "ctx-del");
    assert_int_equal(st.status, JOBS_STATUS_NO_STATUS);
    jobs_status_clear(&st);
    /* Deleting what is not there is no error. */
    assert_int_equal(jobs_delete_context(f->pool, "ctx-del", &dropped, &err), SMSPROV_OK);
    assert_int_equal(dropped, 0);
    gate_free(g);
}

static void test_pool_size_bounds_how_many_run_at_once(void **state)
{
    fixture *f = *state;
    assert_int_equal(jobs_pool_worker_count(f->pool), 2);
    gate *g = gate_new();
    jobs_job *jobs[5];
    for (int i = 0; i < 5; i++)
        jobs[i] = submit(f, NULL, run_at_gate, g);
    assert_true(gate_wait_entered(g, 2));
    usleep(50000); /* give a third worker, if there were one, time to enter */
    pthread_mutex_lock(&g->mu);
    assert_int_equal(g->inside, 2);
    pthread_mutex_unlock(&g->mu);
    gate_open(g);
    for (int i = 0; i < 5; i++) {
        assert_int_equal(jobs_wait(jobs[i], NULL, NULL, NULL, NULL), SMSPROV_OK);
        jobs_release(jobs[i]);
    }
    assert_int_equal(g->most_inside, 2);
    assert_int_equal(g->entered, 5);
    gate_free(g);
}

static void test_four_jobs_run_at_once_on_four_workers(void **state)
{
    fixture *f = *state;
    jobs_pool_close(f->pool);
    smsprov_error err = {0};
    assert_int_equal(jobs_pool_open(f->st, f->locks, 4, &f->pool, &err), SMSPROV_OK);
    gate *g = gate_new();
    jobs_job *jobs[4];
    for (int i = 0; i < 4; i++)
        jobs[i] = submit(f, NULL, run_at_gate, g);
    assert_true(gate_wait_entered(g, 4));
    gate_open(g);
    for (int i = 0; i < 4; i++) {
        assert_int_equal(jobs_wait(jobs[i], NULL, NULL, NULL, NULL), SMSPROV_OK);
        jobs_release(jobs[i]);
    }
    assert_int_equal(g->most_inside, 4);
    gate_free(g);
}

static void test_caller_walking_away_does_not_cancel(void **state)
{
    fixture *f = *state;
    gate *g = gate_new();
    jobs_job *job = submit(f, "ctx-away", run_at_gate, g);
    int64_t id = jobs_job_id(job);
    jobs_release(job); /* the client disconnected */
    assert_true(gate_wait_entered(g, 1));
    gate_open(g);
    jobs_status st = {0};
    for (int i = 0; i < 1000; i++) {
        st = query(f, "ctx-away");
        if (st.status != JOBS_STATUS_IN_PROGRESS)
            break;
        jobs_status_clear(&st);
        usleep(5000);
    }
    assert_int_equal(st.status, JOBS_STATUS_COMPLETE);
    jobs_status_clear(&st);
    assert_string_equal(job_state(f, id, NULL), "done");
    gate_free(g);
}

static void test_close_runs_queued_jobs_to_the_end(void **state)
{
    fixture *f = *state;
    static const uint32_t steps[] = {50};
    steps_job s = {steps, 1, 0, NULL};
    int64_t ids[6];
    for (int i = 0; i < 6; i++) {
        jobs_job *job = submit(f, NULL, run_steps, &s);
        ids[i] = jobs_job_id(job);
        jobs_release(job);
    }
    jobs_pool_close(f->pool);
    f->pool = NULL;
    for (int i = 0; i < 6; i++)
        assert_string_equal(job_state(f, ids[i], NULL), "done");
    smsprov_error err = {0};
    assert_int_equal(jobs_pool_open(f->st, f->locks, 2, &f->pool, &err), SMSPROV_OK);
    assert_int_equal(jobs_pool_recovered(f->pool), 0);
}

static void test_submit_needs_work(void **state)
{
    fixture *f = *state;
    jobs_spec spec = {.kind = "Nothing"};
    smsprov_error err = {0};
    jobs_job *job = (jobs_job *)1;
    assert_int_equal(jobs_submit(f->pool, &spec, &job, &err), SMSPROV_E_INVALID_PARAMETER);
    assert_null(job);
    smsprov_error_clear(&err);
}

/* ---- restart ------------------------------------------------------------- */

/* A job row and queue entry as a process that then died would leave them. */
static void plant_orphan(fixture *f, const char *runner, const char *state, const char *context,
                         int progress)
{
    store_txn *txn = NULL;
    assert_int_equal(store_begin(f->st, true, &txn, NULL), SMSPROV_OK);
    char sql[1024];
    snprintf(sql, sizeof sql,
             "INSERT INTO smsprov_jobs (Kind, Target, ContextID, State, Runner, QueuedAt) VALUES "
             "('RefreshPkgSource', 'SMS_BootImagePackage.PackageID=\"LAB00001\"', '%s', '%s', "
             "'%s', '20260101000000.000000+000');"
             "INSERT INTO smsprov_job_status (ContextID, JobID, At, Status, Progress, MaxProgress, "
             "ProgressText, ErrorCode, ExtendedErrorInfo) VALUES ('%s', last_insert_rowid(), "
             "'20260101000000.000000+000', 1, %d, 100, 'Writing boot.LAB00001.wim', 0, '')",
             context, state, runner, context, progress);
    assert_int_equal(sqlite3_exec(store_txn_db(txn), sql, NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(store_commit(txn, NULL), SMSPROV_OK);
}

static void test_restart_marks_dead_runners_jobs_failed(void **state)
{
    fixture *f = *state;
    plant_orphan(f, "0123456789abcdef", "running", "ctx-crash", 40);
    plant_orphan(f, "fedcba9876543210", "queued", "ctx-queued", 0);
    /* A lock file left by the dead process: nobody holds its lock. */
    char stale[512];
    snprintf(stale, sizeof stale, "%s/0123456789abcdef.lock", f->locks);
    FILE *lock = fopen(stale, "w");
    assert_non_null(lock);
    fclose(lock);

    jobs_pool *restarted = NULL;
    smsprov_error err = {0};
    assert_int_equal(jobs_pool_open(f->st, f->locks, 1, &restarted, &err), SMSPROV_OK);
    assert_int_equal(jobs_pool_recovered(restarted), 2);
    assert_false(access(stale, F_OK) == 0);

    jobs_status st = query(f, "ctx-crash");
    assert_int_equal(st.status, JOBS_STATUS_ERROR);
    assert_int_equal(st.error_code, JOBS_ERROR_ABORTED);
    assert_int_equal(st.progress, 40);
    assert_non_null(strstr(st.progress_text, "server restarted"));
    assert_non_null(strstr(st.progress_text, "RefreshPkgSource"));
    jobs_status_clear(&st);
    st = query(f, "ctx-queued");
    assert_int_equal(st.status, JOBS_STATUS_ERROR);
    jobs_status_clear(&st);

    /* Opening again finds nothing more to do. */
    jobs_pool *again = NULL;
    assert_int_equal(jobs_pool_open(f->st, f->locks, 1, &again, &err), SMSPROV_OK);
    assert_int_equal(jobs_pool_recovered(again), 0);
    jobs_pool_close(again);
    jobs_pool_close(restarted);
}

static void test_live_runners_jobs_are_left_alone(void **state)
{
    fixture *f = *state;
    /* The fixture's pool is alive: its running job must survive another
     * process opening the same database. */
    plant_orphan(f, jobs_pool_runner(f->pool), "running", "ctx-live", 10);
    jobs_pool *other = NULL;
    smsprov_error err = {0};
    assert_int_equal(jobs_pool_open(f->st, f->locks, 1, &other, &err), SMSPROV_OK);
    assert_int_equal(jobs_pool_recovered(other), 0);
    assert_false(jobs_runner_gone(other, jobs_pool_runner(f->pool)));
    assert_false(jobs_runner_gone(f->pool, jobs_pool_runner(other)));
    jobs_status st = query(f, "ctx-live");
    assert_int_equal(st.status, JOBS_STATUS_IN_PROGRESS);
    jobs_status_clear(&st);
    /* Its owner stops: the next pool to open marks the job failed. */
    char *owner = strdup(jobs_pool_runner(f->pool));
    jobs_pool_close(f->pool);
    f->pool = NULL;
    assert_true(jobs_runner_gone(other, owner));
    jobs_pool_close(other);
    assert_int_equal(jobs_pool_open(f->st, f->locks, 1, &f->pool, &err), SMSPROV_OK);
    assert_int_equal(jobs_pool_recovered(f->pool), 1);
    st = query(f, "ctx-live");
    assert_int_equal(st.status, JOBS_STATUS_ERROR);
    jobs_status_clear(&st);
    free(owner);
}

static void test_runner_names_and_bad_lock_folder(void **state)
{
    fixture *f = *state;
    assert_true(jobs_runner_gone(f->pool, ""));
    assert_true(jobs_runner_gone(f->pool, NULL));
    assert_true(jobs_runner_gone(f->pool, "../etc"));
    assert_true(jobs_runner_gone(f->pool, "never-started"));
    assert_false(jobs_runner_gone(f->pool, jobs_pool_runner(f->pool)));
    assert_int_equal(strlen(jobs_pool_runner(f->pool)), 16);

    jobs_pool *bad = NULL;
    smsprov_error err = {0};
    /* A folder cannot be made below a regular file. */
    char below_file[300];
    snprintf(below_file, sizeof below_file, "%s/runners", f->db);
    assert_int_equal(jobs_pool_open(f->st, below_file, 1, &bad, &err), SMSPROV_E_FAILED);
    assert_null(bad);
    assert_non_null(strstr(err.description, "runners"));
    smsprov_error_clear(&err);
    assert_int_equal(jobs_pool_open(f->st, "", 1, &bad, &err), SMSPROV_E_INVALID_PARAMETER);
    smsprov_error_clear(&err);
}

/* ---- the job reports ------------------------------------------------------ */

/* What a pool reported, one "severity|message" line each. */
typedef struct recorder {
    pthread_mutex_t mu;
    char text[8192];
} recorder;

static void record_report(void *data, int severity, const char *file, int line,
                          const char *message)
{
    recorder *r = data;
    assert_non_null(strstr(file, "jobs"));
    assert_true(line > 0);
    pthread_mutex_lock(&r->mu);
    size_t used = strlen(r->text);
    snprintf(r->text + used, sizeof r->text - used, "%d|%s\n", severity, message);
    pthread_mutex_unlock(&r->mu);
}

/* The line of the report holding needle, or fails. */
static const char *report_with(recorder *r, const char *needle)
{
    const char *at = strstr(r->text, needle);
    if (!at)
        fail_msg("no report says \"%s\" in:\n%s", needle, r->text);
    while (at > r->text && at[-1] != '\n')
        at--;
    return at;
}

static void run_reported(jobs_pool *pool, const char *context, const char *caller,
                         steps_job *s)
{
    jobs_spec spec = {.kind = "RefreshPkgSource", .target = "SMS_BootImagePackage.PackageID=\"LAB00001\"",
                      .context_id = context, .caller = caller, .run = run_steps, .data = s};
    jobs_job *job = NULL;
    smsprov_error err = {0};
    assert_int_equal(jobs_submit(pool, &spec, &job, &err), SMSPROV_OK);
    jobs_wait(job, NULL, NULL, NULL, &err);
    jobs_release(job);
    smsprov_error_clear(&err);
}

static void test_every_start_end_and_failure_is_reported(void **state)
{
    fixture *f = *state;
    recorder r = {.mu = PTHREAD_MUTEX_INITIALIZER};
    jobs_pool *pool = NULL;
    smsprov_error err = {0};
    assert_int_equal(jobs_pool_open_logged(f->st, f->locks, 1, record_report, &r, &pool, &err),
                     SMSPROV_OK);
    static const uint32_t steps[] = {50};
    steps_job ok = {steps, 1, 0, ""};
    steps_job bad = {steps, 1, 2, "TsManager.exe"};
    run_reported(pool, "ctx-ok", "alice", &ok);
    run_reported(pool, "ctx-bad", NULL, &bad);
    jobs_pool_close(pool);

    const char *started = report_with(&r, "started: RefreshPkgSource of "
                                          "SMS_BootImagePackage.PackageID=\"LAB00001\", "
                                          "context ID ctx-ok, for alice");
    assert_true(started[0] == '1');
    const char *finished = report_with(&r, "finished: RefreshPkgSource");
    assert_true(finished[0] == '1');
    assert_non_null(strstr(finished, "context ID ctx-ok, for alice, in "));
    report_with(&r, "context ID ctx-bad, for local (runner");
    const char *failed = report_with(&r, "failed: RefreshPkgSource");
    assert_true(failed[0] == '3');
    assert_non_null(strstr(failed, "context ID ctx-bad, for local, after "));
    assert_non_null(strstr(failed, "ErrorCode 0x00000002 (2): The job failed on purpose "
                                   "(TsManager.exe)."));
}

static void test_jobs_marked_failed_at_restart_are_reported(void **state)
{
    fixture *f = *state;
    plant_orphan(f, "0123456789abcdef", "running", "ctx-crash", 40);
    recorder r = {.mu = PTHREAD_MUTEX_INITIALIZER};
    jobs_pool *restarted = NULL;
    smsprov_error err = {0};
    assert_int_equal(jobs_pool_open_logged(f->st, f->locks, 1, record_report, &r, &restarted,
                                           &err),
                     SMSPROV_OK);
    const char *line = report_with(&r, "context ID ctx-crash, of runner 0123456789abcdef: "
                                       "ErrorCode 0x000003E3 (995): The server restarted");
    assert_true(line[0] == '3');
    jobs_pool_close(restarted);
}

/* A waiter that stops waiting gets WBEM_E_CALL_CANCELLED at once, while
 * the job runs on; the pool counts it unfinished until it ends, and
 * waiting for the pool to be idle is bounded and then sees it end. */
static void test_waiter_leaving_leaves_the_job_running(void **state)
{
    fixture *f = *state;
    gate *g = gate_new();
    assert_int_equal(jobs_pool_unfinished(f->pool), 0);
    assert_true(jobs_pool_wait_idle(f->pool, 0));
    jobs_job *job = submit(f, "ctx-leave", run_at_gate, g);
    assert_true(gate_wait_entered(g, 1));
    int watched = 0;
    int32_t rv = -1;
    smsprov_error err = {0};
    assert_int_equal(jobs_wait(job, watch_then_leave, &watched, &rv, &err),
                     SMSPROV_E_CALL_CANCELLED);
    assert_int_equal(watched, 1);
    assert_int_equal(rv, 0);
    assert_non_null(strstr(err.description, "ctx-leave"));
    assert_non_null(strstr(err.description, "runs on"));
    smsprov_error_clear(&err);
    assert_string_equal(job_state(f, jobs_job_id(job), NULL), "running");
    assert_int_equal(jobs_pool_unfinished(f->pool), 1);
    assert_false(jobs_pool_wait_idle(f->pool, 50)); /* bounded: the gate is shut */
    gate_open(g);
    assert_true(jobs_pool_wait_idle(f->pool, 10000));
    assert_int_equal(jobs_pool_unfinished(f->pool), 0);
    int stored_rv = -1;
    assert_string_equal(job_state(f, jobs_job_id(job), &stored_rv), "done");
    assert_int_equal(stored_rv, 0);
    jobs_status st = query(f, "ctx-leave");
    assert_int_equal(st.status, JOBS_STATUS_COMPLETE);
    jobs_status_clear(&st);
    jobs_release(job);
    gate_free(g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_job_runs_and_its_queue_ends_complete, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_failed_job_reports_error_code_and_info, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_failure_without_a_sentence_still_says_something,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_unknown_and_missing_context, setup, teardown),
        cmocka_unit_test_setup_teardown(test_delete_context_drops_the_queue_but_not_while_running,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_pool_size_bounds_how_many_run_at_once, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_four_jobs_run_at_once_on_four_workers, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_waiter_leaving_leaves_the_job_running, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_caller_walking_away_does_not_cancel, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_close_runs_queued_jobs_to_the_end, setup, teardown),
        cmocka_unit_test_setup_teardown(test_submit_needs_work, setup, teardown),
        cmocka_unit_test_setup_teardown(test_restart_marks_dead_runners_jobs_failed, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_live_runners_jobs_are_left_alone, setup, teardown),
        cmocka_unit_test_setup_teardown(test_runner_names_and_bad_lock_folder, setup, teardown),
        cmocka_unit_test_setup_teardown(test_every_start_end_and_failure_is_reported, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_jobs_marked_failed_at_restart_are_reported, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
