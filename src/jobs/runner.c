/*
 * jobs/runner.c - which processes are alive.
 *
 * Each pool holds <lock_dir>/<runner>.lock for as long as it is open, with
 * a lock the system drops when the process dies, even by kill -9 (an
 * exclusive flock on POSIX, an unshared handle on Windows: see
 * runner_lock_*.c).  So "can I take that lock?" tells whether a runner is
 * gone.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "jobs/jobs_internal.h"
#include "platform/platform.h"
#include "smsprov/cim.h"

static char *new_runner_id(void)
{
    unsigned char b[8];
    platform_random_bytes(b, sizeof b);
    return cim_xasprintf("%02x%02x%02x%02x%02x%02x%02x%02x", b[0], b[1], b[2], b[3], b[4], b[5],
                         b[6], b[7]);
}

static char *lock_path(const jobs_pool *pool, const char *runner)
{
    return cim_xasprintf("%s/%s.lock", pool->lock_dir, runner);
}

static smsprov_code make_dir(const char *dir, smsprov_error *err)
{
    char *copy = cim_xstrdup(dir);
    size_t root = platform_root_length(copy);
    for (char *p = copy + (root > 1 ? root : 1); *p; p++) {
        if (!platform_is_separator(*p))
            continue;
        char separator = *p;
        *p = '\0';
        platform_mkdir(copy, 0755);
        *p = separator;
    }
    free(copy);
    if (platform_mkdir(dir, 0755) == 0 || errno == EEXIST)
        return SMSPROV_OK;
    return smsprov_error_set(err, SMSPROV_E_FAILED,
                             "The job lock folder %s cannot be created: %s.", dir, strerror(errno));
}

smsprov_code jobs_runner_start(jobs_pool *pool, smsprov_error *err)
{
    smsprov_code rc = make_dir(pool->lock_dir, err);
    if (rc != SMSPROV_OK)
        return rc;
    pool->runner = new_runner_id();
    char *path = lock_path(pool, pool->runner);
    rc = jobs_lock_take(pool->lock_dir, pool->runner, path, &pool->lock, err);
    free(path);
    return rc;
}

void jobs_runner_stop(jobs_pool *pool)
{
    if (pool->lock == JOBS_NO_LOCK)
        return;
    char *path = lock_path(pool, pool->runner);
    jobs_lock_release(pool->lock, path);
    free(path);
    pool->lock = JOBS_NO_LOCK;
}

static bool safe_runner_name(const char *runner)
{
    if (!runner || !*runner)
        return false;
    for (const char *p = runner; *p; p++)
        if (platform_is_separator(*p) || *p == '.')
            return false;
    return true;
}

bool jobs_runner_gone(const jobs_pool *pool, const char *runner)
{
    if (!safe_runner_name(runner))
        return true;
    if (pool->runner && strcmp(runner, pool->runner) == 0)
        return false;
    char *path = lock_path(pool, runner);
    bool gone = jobs_lock_is_free(path);
    free(path);
    return gone;
}

void jobs_runner_forget(const jobs_pool *pool, const char *runner)
{
    if (!safe_runner_name(runner) || !jobs_runner_gone(pool, runner))
        return;
    char *path = lock_path(pool, runner);
    unlink(path);
    free(path);
}

const char *jobs_pool_runner(const jobs_pool *pool)
{
    return pool->runner;
}
