/* health.c - noticing database files deleted, replaced or truncated under
 * a running process (src/store/README.md, "Database health").
 *
 * Only stat() is used: opening and closing any descriptor of the database
 * or its -shm file would drop the POSIX locks SQLite holds on it (locks
 * belong to the process, and close() releases all of them), which would
 * let another process truncate the -shm file under our mapping. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "store/sqlite/store_internal.h"

typedef struct file_id {
    bool known;
    dev_t dev;
    ino_t ino;
    off_t max_size;
} file_id;

enum { DB_FILE, WAL_FILE, SHM_FILE, FILE_COUNT };

struct store_health {
    pthread_mutex_t lock;
    char *paths[FILE_COUNT];
    file_id ids[FILE_COUNT];
    bool opened;       /* store_open is done: no connection creates the file again */
    char *fault;       /* NULL while healthy */
    bool reads_ok;     /* the open files still hold every acknowledged change */
    store_fault_fn fn;
    void *fn_data;
};

void store_health_init(store *st)
{
    store_health *h = cim_xcalloc(1, sizeof *h);
    pthread_mutex_init(&h->lock, NULL);
    h->paths[DB_FILE] = cim_xstrdup(st->path);
    h->paths[WAL_FILE] = cim_xasprintf("%s-wal", st->path);
    h->paths[SHM_FILE] = cim_xasprintf("%s-shm", st->path);
    st->health = h;
}

void store_health_free(store *st)
{
    store_health *h = st->health;
    if (!h)
        return;
    for (int i = 0; i < FILE_COUNT; i++)
        free(h->paths[i]);
    free(h->fault);
    pthread_mutex_destroy(&h->lock);
    free(h);
    st->health = NULL;
}

void store_sqlite_set_fault_handler(store *st, store_fault_fn fn, void *data)
{
    pthread_mutex_lock(&st->health->lock);
    st->health->fn = fn;
    st->health->fn_data = data;
    pthread_mutex_unlock(&st->health->lock);
}

const char *store_sqlite_fault(store *st)
{
    pthread_mutex_lock(&st->health->lock);
    const char *fault = st->health->fault;
    pthread_mutex_unlock(&st->health->lock);
    return fault;
}

bool store_health_may_create(const store *st)
{
    return !st->health->opened;
}

static void remember(file_id *id, const char *path)
{
    struct stat sb;
    id->known = stat(path, &sb) == 0;
    if (id->known) {
        id->dev = sb.st_dev;
        id->ino = sb.st_ino;
        id->max_size = sb.st_size;
    }
}

void store_health_rebase(store *st)
{
    store_health *h = st->health;
    pthread_mutex_lock(&h->lock);
    if (!h->fault)
        for (int i = 0; i < FILE_COUNT; i++)
            remember(&h->ids[i], h->paths[i]);
    h->opened = true;
    pthread_mutex_unlock(&h->lock);
}

/* What happened to file i, as a phrase; NULL when it is as it was.  A file
 * first seen now (the -wal of a database that had none) is remembered. */
static const char *changed(store_health *h, int i)
{
    file_id *id = &h->ids[i];
    struct stat sb;
    if (stat(h->paths[i], &sb) != 0) {
        if (!id->known)
            return NULL;
        return errno == ENOENT ? "was deleted" : "can no longer be examined";
    }
    if (!id->known) {
        remember(id, h->paths[i]);
        return NULL;
    }
    if (sb.st_dev != id->dev || sb.st_ino != id->ino)
        return "was replaced by another file";
    /* SQLite never shrinks the -shm file while it is mapped; the -wal file
     * is cut back at checkpoints, so only the shared memory counts. */
    if (i == SHM_FILE && sb.st_size < id->max_size)
        return "was truncated";
    if (sb.st_size > id->max_size)
        id->max_size = sb.st_size;
    return NULL;
}

static void record_fault(store_health *h, int i, const char *what)
{
    if (i == SHM_FILE)
        h->fault = cim_xasprintf(
            "The database's shared-memory file %s %s by another program while the server "
            "ran; using it would crash the server, so every request that reads or writes "
            "the database is refused until the server is restarted.",
            h->paths[i], what);
    else
        h->fault = cim_xasprintf(
            "The database file %s %s while the server ran; changes written now would be "
            "lost, so every change is refused until the file is restored and the server is "
            "restarted.",
            h->paths[i], what);
    h->reads_ok = i != SHM_FILE;
}

smsprov_code store_health_check(store *st, bool write, smsprov_error *err)
{
    store_health *h = st->health;
    pthread_mutex_lock(&h->lock);
    bool newly = false;
    for (int i = 0; !h->fault && i < FILE_COUNT; i++) {
        const char *what = changed(h, i);
        if (what) {
            record_fault(h, i, what);
            newly = true;
        }
    }
    bool refused = h->fault && (write || !h->reads_ok);
    if (newly && h->fn)
        h->fn(h->fn_data, h->fault);
    smsprov_code rc = refused ? smsprov_error_set(err, SMSPROV_E_FAILED, "%s", h->fault)
                              : SMSPROV_OK;
    pthread_mutex_unlock(&h->lock);
    return rc;
}
