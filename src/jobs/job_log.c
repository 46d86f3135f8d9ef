/*
 * jobs/job_log.c - the reports a pool gives its log: each job's start, end and
 * failure, and the jobs it marks failed for a runner that is gone.
 *
 * They are written here, where every job passes whichever door, process or
 * restart started it, so an administrator reading SMSProv.log sees a failed
 * injection with its ErrorCode and sentence without any caller having to
 * remember to log it.
 */
#include <inttypes.h>
#include <stdlib.h>

#include "jobs/jobs_internal.h"
#include "smsprov/cim.h"

/* "RefreshPkgSource of SMS_BootImagePackage.PackageID=\"LAB00001\",
 * context ID ctx-1": what every report of a job starts with. */
static char *describe(const char *kind, const char *target, const char *context_id)
{
    return cim_xasprintf("%s of %s, context ID %s", kind && *kind ? kind : "job",
                         target && *target ? target : "(no target)",
                         context_id && *context_id ? context_id : "(none)");
}

static void report(const jobs_pool *pool, int severity, int line, const char *message)
{
    if (pool->log)
        pool->log(pool->log_data, severity, __FILE__, line, message);
}

static const char *caller_of(const jobs_job *job)
{
    return job->caller && *job->caller ? job->caller : "local";
}

void jobs_log_started(const jobs_job *job)
{
    if (!job->pool->log)
        return;
    char *what = describe(job->kind, job->target, job->context_id);
    char *message = cim_xasprintf("Job %" PRId64 " started: %s, for %s (runner %s).", job->id,
                                  what, caller_of(job), job->pool->runner);
    report(job->pool, JOBS_LOG_INFO, __LINE__, message);
    free(message);
    free(what);
}

void jobs_log_finished(const jobs_job *job, int32_t return_value, const char *sentence)
{
    if (!job->pool->log)
        return;
    int64_t ran_us = job->started_us ? jobs_now_us() - job->started_us : 0;
    char *what = describe(job->kind, job->target, job->context_id);
    char *message;
    if (return_value == 0)
        message = cim_xasprintf("Job %" PRId64 " finished: %s, for %s, in %.3f s.", job->id,
                                what, caller_of(job), (double)ran_us / 1e6);
    else
        message = cim_xasprintf("Job %" PRId64 " failed: %s, for %s, after %.3f s: "
                                "ErrorCode 0x%08" PRIX32 " (%" PRId32 "): %s",
                                job->id, what, caller_of(job), (double)ran_us / 1e6,
                                (uint32_t)return_value, return_value,
                                sentence && *sentence ? sentence : "no sentence was given.");
    report(job->pool, return_value == 0 ? JOBS_LOG_INFO : JOBS_LOG_ERROR, __LINE__, message);
    free(message);
    free(what);
}

void jobs_log_marked(const jobs_pool *pool, int64_t id, const char *kind, const char *target,
                     const char *context_id, const char *runner, const char *sentence)
{
    if (!pool->log)
        return;
    char *what = describe(kind, target, context_id);
    char *message = cim_xasprintf("Job %" PRId64 " failed: %s, of runner %s: "
                                  "ErrorCode 0x%08" PRIX32 " (%d): %s",
                                  id, what, runner && *runner ? runner : "(unknown)",
                                  (uint32_t)JOBS_ERROR_ABORTED, JOBS_ERROR_ABORTED, sentence);
    report(pool, JOBS_LOG_ERROR, __LINE__, message);
    free(message);
    free(what);
}
