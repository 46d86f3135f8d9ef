/* backend.c - the SQLite backend's table: what the generic store calls. */
#include "store/sqlite/store_internal.h"

const store_backend store_sqlite_backend = {
    .scheme = "sqlite",
    .location_is_file = true,
    .open = store_sqlite_open,
    .close = store_sqlite_close,
    .begin = store_sqlite_begin,
    .commit = store_sqlite_commit,
    .rollback = store_sqlite_rollback,
    .insert = store_sqlite_insert,
    .update = store_sqlite_update,
    .remove = store_sqlite_delete,
    .get = store_sqlite_get,
    .select_each = store_sqlite_select_each,
    .count = store_sqlite_count,
    .next_counter = store_sqlite_next_counter,
    .jobs_prepare = store_sqlite_jobs_prepare,
    .job_insert = store_sqlite_job_insert,
    .job_set_state = store_sqlite_job_set_state,
    .job_abort = store_sqlite_job_abort,
    .jobs_each_unfinished = store_sqlite_jobs_each_unfinished,
    .status_append = store_sqlite_status_append,
    .status_latest = store_sqlite_status_latest,
    .status_drop = store_sqlite_status_drop,
};
