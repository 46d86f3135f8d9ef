/*
 * jobs/runner.c - which processes are alive.
 *
 * Each pool holds an exclusive flock on <lock_dir>/<runner>.lock for as
 * long as it is open.  The kernel drops the lock when the process dies,
 * even by kill -9, so "can I take that lock?" tells whether a runner is
 * gone.  The file is created under a private name, locked, then renamed
 * into place, so a visible lock file is always already locked by its
 * owner while the owner lives.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "jobs/jobs_internal.h"
#include "smsprov/cim.h"

static char *new_runner_id(void)
{
    unsigned char b[8];
    size_t got = 0;
    while (got < sizeof b) {
        ssize_t n = getrandom(b + got, sizeof b - got, 0);
        if (n > 0)
            got += (size_t)n;
    }
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
    for (char *p = copy + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        mkdir(copy, 0755);
        *p = '/';
    }
    free(copy);
    if (mkdir(dir, 0755) == 0 || errno == EEXIST)
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
    char *draft = cim_xasprintf("%s/.%s.new", pool->lock_dir, pool->runner);
    int fd = open(draft, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0 || flock(fd, LOCK_EX | LOCK_NB) != 0 || rename(draft, path) != 0) {
        rc = smsprov_error_set(err, SMSPROV_E_FAILED,
                               "The job runner lock %s cannot be taken: %s.", path,
                               strerror(errno));
        if (fd >= 0)
            close(fd);
        unlink(draft);
        fd = -1;
    }
    pool->lock_fd = fd;
    free(draft);
    free(path);
    return rc;
}

void jobs_runner_stop(jobs_pool *pool)
{
    if (pool->lock_fd < 0)
        return;
    char *path = lock_path(pool, pool->runner);
    unlink(path); /* before unlocking, so nobody sees it unlocked */
    free(path);
    close(pool->lock_fd);
    pool->lock_fd = -1;
}

static bool safe_runner_name(const char *runner)
{
    if (!runner || !*runner)
        return false;
    for (const char *p = runner; *p; p++)
        if (*p == '/' || *p == '.')
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
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    free(path);
    if (fd < 0)
        return errno == ENOENT;
    bool gone = flock(fd, LOCK_EX | LOCK_NB) == 0;
    close(fd); /* also drops the lock we may have taken */
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
