/*
 * jobs/runner_lock_posix.c - a runner's lock file, held with flock(2).
 *
 * The kernel drops the lock when the process dies.  The file is created
 * under a private name (".<runner>.new", which recover.c sweeps when a
 * crash leaves one), locked, then renamed into place, so a visible lock
 * file is always already locked by its owner while the owner lives.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "jobs/jobs_internal.h"
#include "smsprov/cim.h"

smsprov_code jobs_lock_take(const char *lock_dir, const char *runner, const char *path,
                            intptr_t *out, smsprov_error *err)
{
    smsprov_code rc = SMSPROV_OK;
    char *draft = cim_xasprintf("%s/.%s.new", lock_dir, runner);
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
    *out = fd < 0 ? JOBS_NO_LOCK : fd;
    free(draft);
    return rc;
}

void jobs_lock_release(intptr_t lock, const char *path)
{
    unlink(path); /* before unlocking, so nobody sees it unlocked */
    close((int)lock);
}

bool jobs_lock_is_free(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return errno == ENOENT;
    bool gone = flock(fd, LOCK_EX | LOCK_NB) == 0;
    close(fd); /* also drops the lock we may have taken */
    return gone;
}
