/*
 * jobs/recover.c - jobs a dead process left queued or running.
 *
 * When a pool opens, every job still queued or running whose runner is
 * gone can never finish: it is marked failed (ReturnValue 995,
 * ERROR_OPERATION_ABORTED) and its queue gets a last Error entry saying the
 * server restarted during it.  Jobs of runners that are alive (another
 * process working on the same database) are left alone.
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "jobs/jobs_internal.h"
#include "smsprov/cim.h"

/* A draft lock file older than this belongs to a process that died while
 * starting (the window is a few system calls long). */
#define DRAFT_MAX_AGE_S 60

typedef struct orphan {
    int64_t id;
    char *runner, *context_id, *kind, *target;
} orphan;

typedef struct orphan_list {
    orphan *items;
    size_t count;
} orphan_list;

static void orphans_clear(orphan_list *list)
{
    for (size_t i = 0; i < list->count; i++) {
        free(list->items[i].runner);
        free(list->items[i].context_id);
        free(list->items[i].kind);
        free(list->items[i].target);
    }
    free(list->items);
}

/* Which unfinished jobs to fail: those of runners that are gone, or this
 * pool's own. */
typedef enum orphan_owner { ORPHANS_OF_GONE_RUNNERS, ORPHANS_OF_THIS_RUNNER } orphan_owner;

static bool is_orphan(jobs_pool *pool, orphan_owner owner, const char *runner)
{
    if (owner == ORPHANS_OF_THIS_RUNNER)
        return runner && strcmp(runner, pool->runner) == 0;
    return jobs_runner_gone(pool, runner);
}

typedef struct orphan_search {
    jobs_pool *pool;
    orphan_owner owner;
    orphan_list *out;
} orphan_search;

static bool collect_orphan(void *data, const store_job *job)
{
    orphan_search *search = data;
    if (!is_orphan(search->pool, search->owner, job->runner))
        return true;
    orphan_list *out = search->out;
    out->items = cim_xrealloc(out->items, (out->count + 1) * sizeof *out->items);
    out->items[out->count++] =
        (orphan){job->id, cim_xstrdup(job->runner), cim_xstrdup(job->context_id),
                 cim_xstrdup(job->kind), cim_xstrdup(job->target)};
    return true;
}

static smsprov_code find_unfinished(jobs_pool *pool, orphan_owner owner, orphan_list *out,
                                    smsprov_error *err)
{
    store_txn *txn = NULL;
    smsprov_code rc = store_begin(pool->st, false, &txn, err);
    if (rc != SMSPROV_OK)
        return rc;
    orphan_search search = {pool, owner, out};
    rc = store_jobs_each_unfinished(txn, NULL, collect_orphan, &search, err);
    store_rollback(txn);
    return rc;
}

/* Fails one orphan; *marked is false when another process got there first. */
static smsprov_code mark_failed(jobs_pool *pool, const orphan *o, const char *why,
                                bool *marked, smsprov_error *err)
{
    *marked = false;
    store_txn *txn = NULL;
    smsprov_code rc = store_begin(pool->st, true, &txn, err);
    if (rc != SMSPROV_OK)
        return rc;
    rc = store_job_abort(txn, o->id, JOBS_ERROR_ABORTED, marked, err);
    char *text = cim_xasprintf("The server %s while this job was running (%s of %s), so it "
                               "did not finish; run it again.",
                               why, o->kind ? o->kind : "job", o->target ? o->target : "");

    if (*marked && o->context_id) {
        jobs_status last = {0};
        bool found = false;
        rc = store_status_latest(txn, o->context_id, &last, &found, err);
        /* Keep the progress it had reached: progress never goes back. */
        jobs_status entry = {.status = JOBS_STATUS_ERROR,
                             .progress = found ? last.progress : 0,
                             .max_progress = found && last.max_progress ? last.max_progress : 100,
                             .progress_text = text,
                             .error_code = JOBS_ERROR_ABORTED,
                             .extended_error_info = ""};
        if (rc == SMSPROV_OK)
            rc = store_status_append(txn, o->context_id, o->id, &entry, err);
        jobs_status_clear(&last);
    }
    if (rc == SMSPROV_OK)
        rc = store_commit(txn, err);
    else
        store_rollback(txn);
    if (rc != SMSPROV_OK)
        *marked = false;
    if (*marked)
        jobs_log_marked(pool, o->id, o->kind, o->target, o->context_id, o->runner, text);
    free(text);
    return rc;
}

/* Removes the lock files of runners that are gone. */
static void sweep_lock_dir(jobs_pool *pool)
{
    DIR *d = opendir(pool->lock_dir);
    if (!d)
        return;
    struct dirent *entry;
    time_t now = time(NULL);
    while ((entry = readdir(d)) != NULL) {
        const char *name = entry->d_name;
        size_t len = strlen(name);
        if (name[0] == '.' && len > 4 && strcmp(name + len - 4, ".new") == 0) {
            char *path = cim_xasprintf("%s/%s", pool->lock_dir, name);
            struct stat st;
            if (stat(path, &st) == 0 && now - st.st_mtime > DRAFT_MAX_AGE_S)
                unlink(path);
            free(path);
        } else if (name[0] != '.' && len > 5 && strcmp(name + len - 5, ".lock") == 0) {
            char *runner = cim_xasprintf("%.*s", (int)(len - 5), name);
            jobs_runner_forget(pool, runner);
            free(runner);
        }
    }
    closedir(d);
}

static smsprov_code fail_orphans(jobs_pool *pool, orphan_owner owner, const char *why,
                                 unsigned *marked_count, smsprov_error *err)
{
    orphan_list orphans = {0};
    smsprov_code rc = find_unfinished(pool, owner, &orphans, err);
    for (size_t i = 0; rc == SMSPROV_OK && i < orphans.count; i++) {
        bool marked = false;
        rc = mark_failed(pool, &orphans.items[i], why, &marked, err);
        if (marked)
            (*marked_count)++;
    }
    orphans_clear(&orphans);
    return rc;
}

smsprov_code jobs_recover(jobs_pool *pool, smsprov_error *err)
{
    smsprov_code rc = fail_orphans(pool, ORPHANS_OF_GONE_RUNNERS, "restarted", &pool->recovered,
                                   err);
    if (rc == SMSPROV_OK)
        sweep_lock_dir(pool);
    return rc;
}

smsprov_code jobs_pool_recover(jobs_pool *pool, unsigned *marked, smsprov_error *err)
{
    unsigned count = 0;
    smsprov_code rc = fail_orphans(pool, ORPHANS_OF_GONE_RUNNERS, "restarted", &count, err);
    if (marked)
        *marked = count;
    return rc;
}

smsprov_code jobs_pool_abandon(jobs_pool *pool, unsigned *marked, smsprov_error *err)
{
    unsigned count = 0;
    pthread_mutex_lock(&pool->record_mu);
    pool->abandoned = true;
    smsprov_code rc = fail_orphans(pool, ORPHANS_OF_THIS_RUNNER, "stopped", &count, err);
    pthread_mutex_unlock(&pool->record_mu);
    if (marked)
        *marked = count;
    return rc;
}
