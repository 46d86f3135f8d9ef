/*
 * jobs/pool.c - the worker pool: a FIFO of jobs, a fixed number of worker
 * threads, and each job's life: queued, running, done or failed.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "jobs/jobs_internal.h"
#include "platform/platform.h"
#include "smsprov/cim.h"

smsprov_code jobs_pool_open(store *st, const char *lock_dir, unsigned workers, jobs_pool **out,
                            smsprov_error *err)
{
    return jobs_pool_open_logged(st, lock_dir, workers, NULL, NULL, out, err);
}

smsprov_code jobs_pool_open_logged(store *st, const char *lock_dir, unsigned workers,
                                   jobs_log_fn log, void *log_data, jobs_pool **out,
                                   smsprov_error *err)
{
    *out = NULL;
    if (!st || !lock_dir || !*lock_dir)
        return smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER,
                                 "A job pool needs a site store and a folder for its runner "
                                 "locks.");
    jobs_pool *pool = cim_xcalloc(1, sizeof *pool);
    pool->st = st;
    pool->lock_dir = cim_xstrdup(lock_dir);
    pool->lock = JOBS_NO_LOCK;
    pool->log = log;
    pool->log_data = log_data;
    pool->worker_count = workers ? workers : platform_cpu_count();
    pool->workers = cim_xcalloc(pool->worker_count, sizeof *pool->workers);
    pthread_mutex_init(&pool->mu, NULL);
    pthread_mutex_init(&pool->record_mu, NULL);
    pthread_cond_init(&pool->wake, NULL);
    pthread_cond_init(&pool->idle, NULL);
    smsprov_code rc = store_jobs_prepare(st, err);
    if (rc == SMSPROV_OK)
        rc = jobs_runner_start(pool, err);
    if (rc == SMSPROV_OK)
        rc = jobs_recover(pool, err);
    if (rc != SMSPROV_OK) {
        jobs_pool_close(pool);
        return rc;
    }
    *out = pool;
    return SMSPROV_OK;
}

void jobs_pool_close(jobs_pool *pool)
{
    if (!pool)
        return;
    pthread_mutex_lock(&pool->mu);
    pool->stopping = true;
    pthread_cond_broadcast(&pool->wake);
    unsigned started = pool->started;
    pthread_mutex_unlock(&pool->mu);
    for (unsigned i = 0; i < started; i++)
        pthread_join(pool->workers[i], NULL);
    jobs_runner_stop(pool);
    pthread_cond_destroy(&pool->wake);
    pthread_cond_destroy(&pool->idle);
    pthread_mutex_destroy(&pool->mu);
    pthread_mutex_destroy(&pool->record_mu);
    free(pool->workers);
    free(pool->lock_dir);
    free(pool->runner);
    free(pool);
}

unsigned jobs_pool_recovered(const jobs_pool *pool)
{
    return pool->recovered;
}

unsigned jobs_pool_unfinished(jobs_pool *pool)
{
    pthread_mutex_lock(&pool->mu);
    unsigned n = pool->unfinished;
    pthread_mutex_unlock(&pool->mu);
    return n;
}

bool jobs_pool_wait_idle(jobs_pool *pool, unsigned timeout_ms)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until); /* pthread_cond_timedwait's clock */
    until.tv_sec += timeout_ms / 1000;
    until.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&pool->mu);
    while (pool->unfinished > 0) {
        if (pthread_cond_timedwait(&pool->idle, &pool->mu, &until) != 0)
            break;
    }
    bool idle = pool->unfinished == 0;
    pthread_mutex_unlock(&pool->mu);
    return idle;
}

unsigned jobs_pool_worker_count(const jobs_pool *pool)
{
    return pool->worker_count;
}

int64_t jobs_job_id(const jobs_job *job)
{
    return job->id;
}

/* ---- references ---------------------------------------------------------- */

static void job_free(jobs_job *job)
{
    if (job->free_data)
        job->free_data(job->data);
    free(job->kind);
    free(job->target);
    free(job->context_id);
    free(job->caller);
    free(job->text);
    free(job->error_info);
    free(job->queued_text);
    smsprov_error_clear(&job->error);
    pthread_cond_destroy(&job->changed);
    pthread_mutex_destroy(&job->mu);
    free(job);
}

void jobs_release(jobs_job *job)
{
    if (!job)
        return;
    pthread_mutex_lock(&job->mu);
    bool last = --job->refs == 0;
    pthread_mutex_unlock(&job->mu);
    if (last)
        job_free(job);
}

/* ---- status entries ------------------------------------------------------ */

int64_t jobs_now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* Once a stopping server has marked its unfinished jobs failed, their rows
 * and queues say so and nothing may write over that: the process is about
 * to exit, and a later progress entry would leave the job "In progress"
 * for ever.  A writer holds record_mu while it writes. */
static bool job_writes_begin(jobs_pool *pool)
{
    pthread_mutex_lock(&pool->record_mu);
    if (!pool->abandoned)
        return true;
    pthread_mutex_unlock(&pool->record_mu);
    return false;
}

static void job_writes_end(jobs_pool *pool)
{
    pthread_mutex_unlock(&pool->record_mu);
}

/* Appends one entry to the job's queue in a transaction of its own.  The
 * queue is a report: if the database is busy past its timeout the entry is
 * dropped, never the job. */
static void append_entry(jobs_job *job, const jobs_status *entry)
{
    if (!job->context_id || !job_writes_begin(job->pool))
        return;
    store_txn *txn = NULL;
    if (store_begin(job->pool->st, true, &txn, NULL) == SMSPROV_OK) {
        if (store_status_append(txn, job->context_id, job->id, entry, NULL) == SMSPROV_OK)
            store_commit(txn, NULL);
        else
            store_rollback(txn);
    }
    job_writes_end(job->pool);
}

#define QUEUE_INTERVAL_US 200000

void jobs_progress(jobs_job *job, uint32_t progress, const char *text)
{
    pthread_mutex_lock(&job->mu);
    if (progress < job->progress)
        progress = job->progress;
    if (progress > job->max_progress)
        progress = job->max_progress;
    bool text_changed = text && (!job->text || strcmp(text, job->text) != 0);
    if (text_changed) {
        free(job->text);
        job->text = cim_xstrdup(text);
    }
    bool changed = text_changed || progress != job->progress;
    job->progress = progress;
    int64_t now = jobs_now_us();
    /* At MaxProgress the job is about to end, and its final entry follows. */
    bool to_queue = changed && progress < job->max_progress &&
                    (!job->queued_text || strcmp(job->text, job->queued_text) != 0 ||
                     now - job->queued_at_us >= QUEUE_INTERVAL_US);
    jobs_status entry = {.status = JOBS_STATUS_IN_PROGRESS,
                         .progress = progress,
                         .max_progress = job->max_progress,
                         .progress_text = to_queue ? cim_xstrdup(job->text) : NULL,
                         .extended_error_info = ""};
    if (to_queue) {
        job->queued_at_us = now;
        free(job->queued_text);
        job->queued_text = cim_xstrdup(job->text);
    }
    if (changed) {
        job->steps++;
        pthread_cond_broadcast(&job->changed);
    }
    pthread_mutex_unlock(&job->mu);
    if (to_queue)
        append_entry(job, &entry);
    free(entry.progress_text);
}

void jobs_set_error_info(jobs_job *job, const char *info)
{
    pthread_mutex_lock(&job->mu);
    free(job->error_info);
    job->error_info = cim_xstrdup(info);
    pthread_mutex_unlock(&job->mu);
}

/* ---- running a job ------------------------------------------------------- */

/* record_state with record_mu held and the stop not begun. */
static void record_state_held(jobs_job *job, store_job_state state, int32_t return_value,
                              const jobs_status *entry)
{
    store_txn *txn = NULL;
    if (store_begin(job->pool->st, true, &txn, NULL) != SMSPROV_OK)
        return;
    smsprov_code rc = store_job_set_state(txn, job->id, state, return_value, NULL);
    if (rc == SMSPROV_OK && entry)
        rc = store_status_append(txn, job->context_id, job->id, entry, NULL);
    if (rc == SMSPROV_OK)
        store_commit(txn, NULL);
    else
        store_rollback(txn);
}

/* False when the stop had begun, so nothing was written. */
static bool record_state(jobs_job *job, store_job_state state, int32_t return_value,
                         const jobs_status *entry)
{
    if (!job_writes_begin(job->pool))
        return false;
    record_state_held(job, state, return_value, entry);
    job_writes_end(job->pool);
    return true;
}

/* A job the workers took has ended: one fewer unfinished.  Counted before
 * its waiters wake, so a waiter that returns and closes its site finds no
 * job left (pool->mu is taken inside job->mu, never the other way). */
static void count_ended(jobs_pool *pool)
{
    pthread_mutex_lock(&pool->mu);
    if (--pool->unfinished == 0)
        pthread_cond_broadcast(&pool->idle);
    pthread_mutex_unlock(&pool->mu);
}

/* counted: the job was queued, so it counts as unfinished until here. */
static void finish(jobs_job *job, int32_t return_value, smsprov_error *error, bool counted)
{
    pthread_mutex_lock(&job->mu);
    bool ok = return_value == 0;
    if (ok) {
        job->progress = job->max_progress;
    } else {
        if (!error->description)
            smsprov_error_set(error, SMSPROV_E_FAILED, "The %s job failed with error %d.",
                              job->kind, (int)return_value);
        if (!job->error_info)
            job->error_info = cim_xstrdup("");
    }
    jobs_status entry = {.status = ok ? JOBS_STATUS_COMPLETE : JOBS_STATUS_ERROR,
                         .progress = job->progress,
                         .max_progress = job->max_progress,
                         .progress_text = ok ? job->text : error->description,
                         .error_code = ok ? 0 : return_value,
                         .extended_error_info = ok ? "" : job->error_info};
    /* A job the stopping server already marked failed was reported then;
     * the report follows what its row and queue say.  It is written before
     * the waiters wake, so whatever they answer comes after it in time. */
    if (record_state(job, ok ? STORE_JOB_DONE : STORE_JOB_FAILED, return_value, &entry))
        jobs_log_finished(job, return_value, error->description);
    job->return_value = return_value;
    smsprov_error_move(&job->error, error);
    if (counted)
        count_ended(job->pool);
    job->done = true;
    job->steps++;
    pthread_cond_broadcast(&job->changed);
    pthread_mutex_unlock(&job->mu);
}

/* A job the stopping server already marked failed is not started: its
 * row and status queue say so, and only waiters in this process remain. */
static void skip_abandoned(jobs_job *job)
{
    pthread_mutex_lock(&job->mu);
    job->return_value = JOBS_ERROR_ABORTED;
    smsprov_error_set(&job->error, SMSPROV_E_FAILED,
                      "The server stopped before this job started.");
    count_ended(job->pool);
    job->done = true;
    job->steps++;
    pthread_cond_broadcast(&job->changed);
    pthread_mutex_unlock(&job->mu);
}

static bool record_running(jobs_job *job)
{
    if (!job_writes_begin(job->pool))
        return false;
    record_state_held(job, STORE_JOB_RUNNING, 0, NULL);
    job_writes_end(job->pool);
    job->started_us = jobs_now_us();
    jobs_log_started(job);
    return true;
}

static void execute(jobs_job *job)
{
    if (!record_running(job)) {
        skip_abandoned(job);
    } else {
        smsprov_error error = {0};
        int32_t return_value = job->run(job, job->data, &error);
        finish(job, return_value, &error, true);
        smsprov_error_clear(&error);
    }
    jobs_release(job); /* the pool's reference */
}

static void *worker_main(void *arg)
{
    jobs_pool *pool = arg;
    for (;;) {
        pthread_mutex_lock(&pool->mu);
        while (!pool->head && !pool->stopping)
            pthread_cond_wait(&pool->wake, &pool->mu);
        jobs_job *job = pool->head;
        if (job) {
            pool->head = job->next;
            if (!pool->head)
                pool->tail = NULL;
        }
        pthread_mutex_unlock(&pool->mu);
        if (!job)
            return NULL; /* stopping, and nothing left to run */
        execute(job);
    }
}

/* Starts the workers with the first job, so opening a site to read costs
 * no threads. */
static smsprov_code start_workers(jobs_pool *pool, smsprov_error *err)
{
    while (pool->started < pool->worker_count) {
        if (pthread_create(&pool->workers[pool->started], NULL, worker_main, pool) != 0) {
            if (pool->started > 0)
                return SMSPROV_OK; /* fewer workers still run every job */
            return smsprov_error_set(err, SMSPROV_E_FAILED,
                                     "No worker thread could be started for the job.");
        }
        pool->started++;
    }
    return SMSPROV_OK;
}

static jobs_job *job_new(jobs_pool *pool, const jobs_spec *spec)
{
    jobs_job *job = cim_xcalloc(1, sizeof *job);
    job->pool = pool;
    job->kind = cim_xstrdup(spec->kind ? spec->kind : "job");
    job->target = cim_xstrdup(spec->target ? spec->target : "");
    job->context_id = spec->context_id && *spec->context_id ? cim_xstrdup(spec->context_id) : NULL;
    job->caller = spec->caller && *spec->caller ? cim_xstrdup(spec->caller) : NULL;
    job->max_progress = spec->max_progress ? spec->max_progress : 100;
    job->run = spec->run;
    job->data = spec->data;
    job->free_data = spec->free_data;
    job->text = cim_xasprintf("Waiting to start %s", job->kind);
    pthread_mutex_init(&job->mu, NULL);
    pthread_cond_init(&job->changed, NULL);
    job->refs = 1; /* the pool's */
    return job;
}

/* The queued row and the first entry, in one transaction. */
static smsprov_code record_queued(jobs_job *job, smsprov_error *err)
{
    store_txn *txn = NULL;
    smsprov_code rc = store_begin(job->pool->st, true, &txn, err);
    if (rc != SMSPROV_OK)
        return rc;
    store_job row = {.kind = job->kind,
                     .target = job->target,
                     .context_id = job->context_id,
                     .runner = job->pool->runner};
    rc = store_job_insert(txn, &row, &job->id, err);
    jobs_status entry = {.status = JOBS_STATUS_IN_PROGRESS,
                         .max_progress = job->max_progress,
                         .progress_text = job->text,
                         .extended_error_info = ""};
    if (rc == SMSPROV_OK)
        rc = store_status_append(txn, job->context_id, job->id, &entry, err);
    if (rc == SMSPROV_OK)
        rc = store_commit(txn, err);
    else
        store_rollback(txn);
    if (rc != SMSPROV_OK)
        job->id = 0; /* nothing was recorded */
    return rc;
}

smsprov_code jobs_submit(jobs_pool *pool, const jobs_spec *spec, jobs_job **out,
                         smsprov_error *err)
{
    if (out)
        *out = NULL;
    if (!spec || !spec->run) {
        if (spec && spec->free_data)
            spec->free_data(spec->data);
        return smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER, "A job needs work to run.");
    }
    jobs_job *job = job_new(pool, spec);
    pthread_mutex_lock(&pool->record_mu);
    smsprov_code rc = pool->abandoned
                          ? smsprov_error_set(err, SMSPROV_E_FAILED,
                                              "The server is stopping and takes no new jobs.")
                          : record_queued(job, err);
    pthread_mutex_unlock(&pool->record_mu);
    pthread_mutex_lock(&pool->mu);
    if (rc == SMSPROV_OK && pool->stopping)
        rc = smsprov_error_set(err, SMSPROV_E_FAILED,
                               "The server is stopping and takes no new jobs.");
    if (rc == SMSPROV_OK)
        rc = start_workers(pool, err);
    if (rc == SMSPROV_OK) {
        if (out) {
            job->refs++;
            *out = job;
        }
        if (pool->tail)
            pool->tail->next = job;
        else
            pool->head = job;
        pool->tail = job;
        pool->unfinished++;
        pthread_cond_signal(&pool->wake);
    }
    pthread_mutex_unlock(&pool->mu);
    if (rc != SMSPROV_OK) {
        if (job->id > 0) {
            smsprov_error why = {0};
            smsprov_error_set(&why, rc, "%s", err && err->description ? err->description
                                                                       : "The job was refused.");
            finish(job, JOBS_ERROR_ABORTED, &why, false);
            smsprov_error_clear(&why);
        }
        job_free(job);
    }
    return rc;
}

/* ---- waiting ------------------------------------------------------------- */

/* The waiter's client went away; the job does not depend on it. */
static smsprov_code stopped_waiting(const jobs_job *job, int32_t *return_value,
                                    smsprov_error *err)
{
    if (return_value)
        *return_value = 0;
    if (job->context_id)
        return smsprov_error_set(err, SMSPROV_E_CALL_CANCELLED,
                                 "The caller stopped waiting for the %s job; it runs on, and "
                                 "QueryOSDBinaryInjectionStatus for the context ID %s tells "
                                 "how it ends.",
                                 job->kind, job->context_id);
    return smsprov_error_set(err, SMSPROV_E_CALL_CANCELLED,
                             "The caller stopped waiting for the %s job; it runs on.",
                             job->kind);
}

smsprov_code jobs_wait(jobs_job *job, jobs_watch_fn watch, void *data, int32_t *return_value,
                       smsprov_error *err)
{
    pthread_mutex_lock(&job->mu);
    uint64_t seen = 0;
    for (;;) {
        if (job->steps != seen && watch) {
            seen = job->steps;
            uint32_t progress = job->progress, max = job->max_progress;
            char *text = cim_xstrdup(job->text);
            pthread_mutex_unlock(&job->mu); /* never call out holding the lock */
            bool waiting = watch(data, progress, max, text);
            free(text);
            if (!waiting)
                return stopped_waiting(job, return_value, err);
            pthread_mutex_lock(&job->mu);
            continue;
        }
        if (job->done)
            break;
        pthread_cond_wait(&job->changed, &job->mu);
    }
    int32_t rv = job->return_value;
    smsprov_code rc = SMSPROV_OK;
    if (rv != 0) {
        rc = job->error.code != SMSPROV_OK ? job->error.code : SMSPROV_E_FAILED;
        if (err) {
            smsprov_error_set(err, rc, "%s", job->error.description ? job->error.description : "");
            smsprov_error_set_parameter(err, job->error.parameter_info);
            smsprov_error_set_object(err, job->error.object_info);
        }
    }
    pthread_mutex_unlock(&job->mu);
    if (return_value)
        *return_value = rv;
    return rc;
}
