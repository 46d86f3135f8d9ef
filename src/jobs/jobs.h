/*
 * jobs/jobs.h - long work on a fixed pool of worker threads, with its state
 * in the site database so that any connection, any process and a restarted
 * server can read it.
 *
 * The store keeps two records for it (store/jobs.h, src/jobs/README.md):
 *   jobs           one per job: queued, running, done or failed;
 *   status queues  per context ID, an entry with a timestamp at each step
 *                  of a job that has a context ID;
 *                  QueryOSDBinaryInjectionStatus reads the latest.
 *
 * A caller submits a job and may wait for it; waiting is optional, so a
 * client that goes away never cancels its job.  Progress never goes back.
 * Every process that opens a pool is a "runner" holding a lock file; a job
 * whose runner is gone (the process died) is marked failed by the next
 * pool that opens.
 */
#ifndef SMSPROV_JOBS_H
#define SMSPROV_JOBS_H

#include <stdbool.h>
#include <stdint.h>

#include "smsprov/error.h"
#include "store/jobs.h"
#include "store/store.h"

/* QueryOSDBinaryInjectionStatus Status values. */
enum {
    JOBS_STATUS_COMPLETE = 0,
    JOBS_STATUS_IN_PROGRESS = 1,
    JOBS_STATUS_ERROR = 2,
    JOBS_STATUS_NO_STATUS = 3,
};

/* ReturnValue and ErrorCode of a job its server did not see finish
 * (ERROR_OPERATION_ABORTED). */
#define JOBS_ERROR_ABORTED 995

/* One entry of a status queue (status is JOBS_STATUS_*).  Strings are
 * owned ("" when empty). */
typedef store_status_entry jobs_status;
void jobs_status_clear(jobs_status *status);

typedef struct jobs_pool jobs_pool;
typedef struct jobs_job jobs_job;

/* The work of a job, run on a worker thread.  Returns the job's
 * ReturnValue: 0 for success, else a Win32 error code, with *err holding
 * a sentence saying what failed. */
typedef int32_t (*jobs_run_fn)(jobs_job *job, void *data, smsprov_error *err);

typedef struct jobs_spec {
    const char *kind;        /* what it does, e.g. "RefreshPkgSource" */
    const char *target;      /* what it works on, e.g. an object path */
    const char *context_id;  /* the status queue to append to; NULL or "": none */
    const char *caller;      /* who asked, for the log; NULL: "local" */
    uint32_t max_progress;   /* MaxProgress of its entries; 0: 100 */
    jobs_run_fn run;
    void *data;
    void (*free_data)(void *data); /* optional; called when the job is gone */
} jobs_spec;

/* Where a pool reports each job's start, end and failure, and the jobs it
 * marks failed for a dead or stopping runner: one sentence per call (not
 * escaped: the receiver escapes), severity as CMTrace's type (1
 * information, 3 error), file and line of the report in this folder.
 * Called on the thread the event happens on (a worker, or the opening or
 * stopping thread); it must not call back into the pool. */
typedef void (*jobs_log_fn)(void *data, int severity, const char *file, int line,
                            const char *message);
#define JOBS_LOG_INFO 1
#define JOBS_LOG_ERROR 3

/* Opens a pool on st: creates the job tables if missing, takes a runner
 * lock file in lock_dir (created if missing), and marks failed every job
 * whose runner is gone, appending "the server restarted" to its queue.
 * Worker threads (workers, 0: the number of cores) start with the first
 * job.  log (may be NULL) receives the job reports, including those of
 * the jobs marked failed here. */
smsprov_code jobs_pool_open_logged(store *st, const char *lock_dir, unsigned workers,
                                   jobs_log_fn log, void *log_data, jobs_pool **out,
                                   smsprov_error *err);
/* jobs_pool_open_logged without a log. */
smsprov_code jobs_pool_open(store *st, const char *lock_dir, unsigned workers, jobs_pool **out,
                            smsprov_error *err);
/* Runs every job already submitted to the end, stops the workers and
 * drops the runner lock.  NULL is allowed. */
void jobs_pool_close(jobs_pool *pool);

/* For a process about to exit without waiting for its jobs: marks every
 * job of this pool still queued or running failed (ReturnValue 995), with a
 * last Error entry in its queue saying the server stopped during it.  A
 * worker that still finishes before the exit records its real result over
 * this.  *marked (may be NULL) gets how many were marked. */
smsprov_code jobs_pool_abandon(jobs_pool *pool, unsigned *marked, smsprov_error *err);

/* What jobs_pool_open does at open, again: marks failed every queued or
 * running job whose runner is gone, appending "the server restarted" to
 * its queue.  For a process that watches another's jobs (a status follower)
 * and would otherwise wait for ever on a job whose process died.  *marked
 * (may be NULL) gets how many were marked. */
smsprov_code jobs_pool_recover(jobs_pool *pool, unsigned *marked, smsprov_error *err);

/* How many of this pool's jobs are queued or running now. */
unsigned jobs_pool_unfinished(jobs_pool *pool);
/* Waits until none of this pool's jobs is queued or running, or timeout_ms
 * has passed; true when none is. */
bool jobs_pool_wait_idle(jobs_pool *pool, unsigned timeout_ms);

/* This pool's runner ID: a short token safe in file names. */
const char *jobs_pool_runner(const jobs_pool *pool);
/* True when no running process holds the runner lock of runner. */
bool jobs_runner_gone(const jobs_pool *pool, const char *runner);
/* How many jobs jobs_pool_open found orphaned and marked failed. */
unsigned jobs_pool_recovered(const jobs_pool *pool);
unsigned jobs_pool_worker_count(const jobs_pool *pool);

/* Records the job (queued, and a first In progress entry in its queue)
 * and hands it to a worker.  *out, when not NULL, is a reference the
 * caller must give back with jobs_release(). */
smsprov_code jobs_submit(jobs_pool *pool, const jobs_spec *spec, jobs_job **out,
                         smsprov_error *err);

/* From inside the run function: the current step.  progress is clamped so
 * it never goes back and never passes max_progress.  Entries reach the
 * queue when the text changes, and otherwise at most every 200 ms. */
void jobs_progress(jobs_job *job, uint32_t progress, const char *text);
/* From inside the run function: the ExtendedErrorInfo of a failure. */
void jobs_set_error_info(jobs_job *job, const char *info);

/* Called on the waiting thread at each step of the job.  Returns true to
 * go on waiting, false when the waiter stops waiting (its client went
 * away): the job runs on regardless. */
typedef bool (*jobs_watch_fn)(void *data, uint32_t progress, uint32_t max_progress,
                              const char *text);

/* Waits until the job has finished and gives its ReturnValue.  Returns
 * SMSPROV_OK when it is 0; otherwise the job's error (moved into *err).
 * When watch returns false, returns SMSPROV_E_CALL_CANCELLED at once with
 * a sentence saying the job runs on (*return_value is then 0). */
smsprov_code jobs_wait(jobs_job *job, jobs_watch_fn watch, void *data, int32_t *return_value,
                       smsprov_error *err);
/* Gives back the caller's reference; the job runs on regardless. */
void jobs_release(jobs_job *job);
int64_t jobs_job_id(const jobs_job *job);

/* The latest entry of a status queue; an unknown context gives Status 3
 * (No status) and zeros. */
smsprov_code jobs_query_status(store *st, const char *context_id, jobs_status *out,
                               smsprov_error *err);
/* Drops a status queue.  Refused (SMSPROV_E_INVALID_OPERATION) while a job
 * of that context is queued or running; an unknown context is no error.
 * *dropped (may be NULL) gets the number of entries removed. */
smsprov_code jobs_delete_context(jobs_pool *pool, const char *context_id, uint64_t *dropped,
                                 smsprov_error *err);

#endif
