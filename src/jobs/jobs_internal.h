/*
 * jobs/jobs_internal.h - what the files of src/jobs share.
 */
#ifndef SMSPROV_JOBS_INTERNAL_H
#define SMSPROV_JOBS_INTERNAL_H

#include <pthread.h>
#include <stdint.h>

#include "jobs/jobs.h"

struct jobs_pool {
    store *st;
    char *runner;          /* this process's runner ID */
    char *lock_dir;
    intptr_t lock;         /* holds <lock_dir>/<runner>.lock (runner_lock_*.c) */
    unsigned recovered;
    unsigned worker_count;
    pthread_t *workers;
    unsigned started;      /* workers running (they start with the first job) */
    pthread_mutex_t mu;    /* guards the queue, started and stopping */
    pthread_cond_t wake;
    jobs_job *head, *tail; /* jobs waiting for a worker */
    bool stopping;
    unsigned unfinished;   /* jobs queued or running (guarded by mu) */
    pthread_cond_t idle;   /* signalled when unfinished drops to 0 */
    /* Held while a job's row or status queue is written, and while a
     * stopping server marks the unfinished jobs failed: a row or entry
     * written after that scan would read "In progress" until the next start,
     * which would then blame a restart instead of the stop. */
    pthread_mutex_t record_mu;
    bool abandoned;        /* the unfinished jobs were marked failed */
    jobs_log_fn log;       /* NULL: no reports */
    void *log_data;
};

struct jobs_job {
    jobs_pool *pool;
    int64_t id;
    char *kind, *target, *context_id, *caller;
    int64_t started_us;    /* when a worker took it (monotonic) */
    uint32_t max_progress;
    jobs_run_fn run;
    void *data;
    void (*free_data)(void *data);
    jobs_job *next;        /* in the pool's queue */

    pthread_mutex_t mu;    /* guards everything below */
    pthread_cond_t changed;
    int refs;
    bool done;
    uint64_t steps;        /* bumps at every change, for waiters */
    uint32_t progress;
    char *text;
    int32_t return_value;
    smsprov_error error;
    char *error_info;
    /* What the queue last received, to decide when to append again. */
    int64_t queued_at_us;
    char *queued_text;
};

/* ---- runner.c: runner identity and liveness ----------------------------- */

smsprov_code jobs_runner_start(jobs_pool *pool, smsprov_error *err);
void jobs_runner_stop(jobs_pool *pool);
/* Removes the lock file of a runner found gone. */
void jobs_runner_forget(const jobs_pool *pool, const char *runner);

/* ---- runner_lock_<system>.c: a lock file held while its process lives --- */

/* What jobs_pool.lock holds when no lock is taken. */
#define JOBS_NO_LOCK ((intptr_t)-1)

/* Creates the lock file path for runner (lock_dir is its folder) and holds
 * it until jobs_lock_release() or the end of the process, however it ends.
 * The file is held from the moment anyone can see it.  *out is the held
 * lock, JOBS_NO_LOCK on failure. */
smsprov_code jobs_lock_take(const char *lock_dir, const char *runner, const char *path,
                            intptr_t *out, smsprov_error *err);
/* Removes the lock file and lets it go (in the order that never shows an
 * unheld lock file). */
void jobs_lock_release(intptr_t lock, const char *path);
/* Whether no living process holds the lock file path (missing: true). */
bool jobs_lock_is_free(const char *path);

/* Now on the monotonic clock, in microseconds. */
int64_t jobs_now_us(void);

/* ---- job_log.c: the job reports (jobs_log_fn) ------------------------------- */

/* "Job 12 started: RefreshPkgSource of <target>, context ID <id>, for
 * <caller>." */
void jobs_log_started(const jobs_job *job);
/* Done: with the time it ran.  Failed: with the ErrorCode in hex and the
 * sentence. */
void jobs_log_finished(const jobs_job *job, int32_t return_value, const char *sentence);
/* A job marked failed by a pool for a runner that is gone (why:
 * "restarted") or stopping ("stopped"). */
void jobs_log_marked(const jobs_pool *pool, int64_t id, const char *kind, const char *target,
                     const char *context_id, const char *runner, const char *sentence);

/* ---- recover.c ------------------------------------------------------------ */

/* Marks failed every queued or running job whose runner is gone. */
smsprov_code jobs_recover(jobs_pool *pool, smsprov_error *err);

#endif
