/* test_store_jobs.c - the job and status queue records of store/jobs.h on a
 * real SQLite file: every operation, its refusals, the caller's
 * transactions, and what a reopened file still holds. */
#include "test_store_util.h"

#include "store/jobs.h"

typedef struct fixture {
    char *path;
    cim_schema *schema;
    store *st;
} fixture;

static int setup(void **state)
{
    fixture *f = cim_xcalloc(1, sizeof *f);
    f->path = test_db_path("jobs");
    f->schema = test_schema_from(test_store_mof);
    f->st = test_open(f->path, f->schema);
    smsprov_error err = {0};
    test_ok(store_jobs_prepare(f->st, &err), &err);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    store_close(f->st);
    cim_schema_free(f->schema);
    test_db_remove(f->path);
    free(f);
    return 0;
}

static int64_t insert_job(store *st, const char *kind, const char *context, const char *runner)
{
    store_txn *txn = test_begin(st, true);
    smsprov_error err = {0};
    store_job job = {.kind = kind, .target = "Target.Name=\"x\"", .context_id = context,
                     .runner = runner};
    int64_t id = 0;
    test_ok(store_job_insert(txn, &job, &id, &err), &err);
    test_commit(txn);
    return id;
}

/* What store_jobs_each_unfinished reports, collected. */
typedef struct seen {
    int64_t ids[16];
    char *runner[16], *context[16], *kind[16];
    size_t count;
    size_t stop_after; /* 0: never stop */
} seen;

static bool see(void *data, const store_job *job)
{
    seen *s = data;
    assert_true(s->count < 16);
    s->ids[s->count] = job->id;
    s->runner[s->count] = cim_xstrdup(job->runner);
    s->context[s->count] = cim_xstrdup(job->context_id);
    s->kind[s->count] = cim_xstrdup(job->kind);
    s->count++;
    return s->stop_after == 0 || s->count < s->stop_after;
}

static void seen_clear(seen *s)
{
    for (size_t i = 0; i < s->count; i++) {
        free(s->runner[i]);
        free(s->context[i]);
        free(s->kind[i]);
    }
    memset(s, 0, sizeof *s);
}

static seen unfinished(store *st, const char *context, size_t stop_after)
{
    seen s = {.stop_after = stop_after};
    store_txn *txn = test_begin(st, false);
    smsprov_error err = {0};
    test_ok(store_jobs_each_unfinished(txn, context, see, &s, &err), &err);
    store_rollback(txn);
    return s;
}

static void prepare_is_idempotent_and_keeps_rows(void **state)
{
    fixture *f = *state;
    int64_t id = insert_job(f->st, "Refresh", "ctx", "r1");
    smsprov_error err = {0};
    test_ok(store_jobs_prepare(f->st, &err), &err);
    seen s = unfinished(f->st, NULL, 0);
    assert_int_equal(s.count, 1);
    assert_int_equal(s.ids[0], id);
    seen_clear(&s);
}

static void insert_lists_jobs_in_id_order(void **state)
{
    fixture *f = *state;
    int64_t a = insert_job(f->st, "Import", "Ctx-A", "r1");
    int64_t b = insert_job(f->st, "Refresh", NULL, "r2");
    int64_t c = insert_job(f->st, "Refresh", "ctx-a", "r3");
    assert_true(a > 0 && b > a && c > b);

    seen s = unfinished(f->st, NULL, 0);
    assert_int_equal(s.count, 3);
    assert_int_equal(s.ids[0], a);
    assert_int_equal(s.ids[1], b);
    assert_int_equal(s.ids[2], c);
    assert_string_equal(s.kind[0], "Import");
    assert_string_equal(s.runner[1], "r2");
    assert_null(s.context[1]); /* no context: no queue */
    assert_string_equal(s.context[2], "ctx-a");
    seen_clear(&s);

    /* One context, compared ignoring case. */
    s = unfinished(f->st, "CTX-a", 0);
    assert_int_equal(s.count, 2);
    assert_int_equal(s.ids[0], a);
    assert_int_equal(s.ids[1], c);
    seen_clear(&s);

    /* The callback stops the walk. */
    s = unfinished(f->st, NULL, 1);
    assert_int_equal(s.count, 1);
    seen_clear(&s);
}

static void insert_refusals(void **state)
{
    fixture *f = *state;
    smsprov_error err = {0};
    int64_t id = 0;
    store_job job = {.kind = "Refresh", .target = "t", .runner = "r1"};

    store_txn *txn = test_begin(f->st, false);
    test_fails(store_job_insert(txn, &job, &id, &err), SMSPROV_E_INVALID_OPERATION, &err,
               "write transaction");
    store_rollback(txn);

    txn = test_begin(f->st, true);
    store_job no_runner = {.kind = "Refresh", .target = "t"};
    test_fails(store_job_insert(txn, &no_runner, &id, &err), SMSPROV_E_INVALID_PARAMETER, &err,
               "runner");
    test_fails(store_job_set_state(txn, 1, STORE_JOB_QUEUED, 0, &err),
               SMSPROV_E_INVALID_PARAMETER, &err, "queued");
    store_rollback(txn);

    seen s = unfinished(f->st, NULL, 0);
    assert_int_equal(s.count, 0);
    seen_clear(&s);
}

static void states_and_abort(void **state)
{
    fixture *f = *state;
    int64_t run = insert_job(f->st, "Refresh", "c1", "r1");
    int64_t done = insert_job(f->st, "Refresh", "c2", "r1");
    int64_t queued = insert_job(f->st, "Refresh", "c3", "r1");
    smsprov_error err = {0};

    store_txn *txn = test_begin(f->st, true);
    test_ok(store_job_set_state(txn, run, STORE_JOB_RUNNING, 0, &err), &err);
    test_ok(store_job_set_state(txn, done, STORE_JOB_RUNNING, 0, &err), &err);
    test_ok(store_job_set_state(txn, done, STORE_JOB_DONE, 0, &err), &err);
    test_ok(store_job_set_state(txn, 999999, STORE_JOB_FAILED, 5, &err), &err); /* unknown */
    test_commit(txn);

    seen s = unfinished(f->st, NULL, 0);
    assert_int_equal(s.count, 2); /* running and queued are unfinished; done is not */
    assert_int_equal(s.ids[0], run);
    assert_int_equal(s.ids[1], queued);
    seen_clear(&s);

    txn = test_begin(f->st, true);
    bool aborted = false;
    test_ok(store_job_abort(txn, run, 995, &aborted, &err), &err);
    assert_true(aborted);
    test_ok(store_job_abort(txn, run, 995, &aborted, &err), &err);
    assert_false(aborted); /* already failed */
    test_ok(store_job_abort(txn, done, 995, &aborted, &err), &err);
    assert_false(aborted); /* finished jobs keep their result */
    test_ok(store_job_abort(txn, 424242, 995, &aborted, &err), &err);
    assert_false(aborted);
    test_ok(store_job_abort(txn, queued, 995, &aborted, &err), &err);
    assert_true(aborted);
    test_commit(txn);

    s = unfinished(f->st, NULL, 0);
    assert_int_equal(s.count, 0);
    seen_clear(&s);

    txn = test_begin(f->st, false);
    test_fails(store_job_abort(txn, run, 995, &aborted, &err), SMSPROV_E_INVALID_OPERATION, &err,
               NULL);
    assert_false(aborted);
    test_fails(store_job_set_state(txn, run, STORE_JOB_DONE, 0, &err),
               SMSPROV_E_INVALID_OPERATION, &err, NULL);
    store_rollback(txn);
}

static void append(store *st, const char *context, int64_t job, uint32_t status,
                   uint32_t progress, const char *text)
{
    store_txn *txn = test_begin(st, true);
    smsprov_error err = {0};
    store_status_entry e = {.status = status,
                            .progress = progress,
                            .max_progress = 100,
                            .progress_text = (char *)text,
                            .error_code = status == 2 ? 995 : 0,
                            .extended_error_info = status == 2 ? "why" : NULL};
    test_ok(store_status_append(txn, context, job, &e, &err), &err);
    test_commit(txn);
}

static bool latest(store *st, const char *context, store_status_entry *out)
{
    store_txn *txn = test_begin(st, false);
    smsprov_error err = {0};
    bool found = true;
    test_ok(store_status_latest(txn, context, out, &found, &err), &err);
    store_rollback(txn);
    return found;
}

static void status_queue_append_latest_drop(void **state)
{
    fixture *f = *state;
    smsprov_error err = {0};
    append(f->st, "Ctx-Q", 7, 1, 0, "Waiting");
    append(f->st, "ctx-q", 7, 1, 40, "Copying");
    append(f->st, "other", 8, 1, 10, "Other");
    append(f->st, "CTX-Q", 7, 2, 40, "Failed");
    append(f->st, NULL, 9, 1, 1, "no queue");   /* nothing written */
    append(f->st, "", 9, 1, 1, "no queue");

    store_status_entry e = {0};
    assert_true(latest(f->st, "ctx-Q", &e));
    assert_int_equal(e.status, 2);
    assert_int_equal(e.progress, 40);
    assert_int_equal(e.max_progress, 100);
    assert_string_equal(e.progress_text, "Failed");
    assert_int_equal(e.error_code, 995);
    assert_string_equal(e.extended_error_info, "why");
    assert_int_equal(strlen(e.time), 25); /* CIM DATETIME */
    assert_string_equal(e.time + 21, "+000");
    store_status_entry_clear(&e);
    assert_null(e.progress_text);

    /* A NULL text reads back as "". */
    append(f->st, "blank", 0, 1, 0, NULL);
    assert_true(latest(f->st, "blank", &e));
    assert_string_equal(e.progress_text, "");
    assert_string_equal(e.extended_error_info, "");
    store_status_entry_clear(&e);

    assert_false(latest(f->st, "never", &e));
    assert_int_equal(e.status, 0);
    assert_null(e.progress_text);

    store_txn *txn = test_begin(f->st, false);
    bool found = true;
    test_fails(store_status_latest(txn, "", &e, &found, &err), SMSPROV_E_INVALID_PARAMETER, &err,
               "ContextID");
    assert_false(found);
    uint64_t dropped = 7;
    test_fails(store_status_drop(txn, "ctx-q", &dropped, &err), SMSPROV_E_INVALID_OPERATION,
               &err, NULL);
    assert_int_equal(dropped, 0);
    store_rollback(txn);

    txn = test_begin(f->st, true);
    test_ok(store_status_drop(txn, "CTX-q", &dropped, &err), &err);
    assert_int_equal(dropped, 3);
    test_ok(store_status_drop(txn, "never", &dropped, &err), &err);
    assert_int_equal(dropped, 0);
    test_fails(store_status_drop(txn, NULL, &dropped, &err), SMSPROV_E_INVALID_PARAMETER, &err,
               NULL);
    test_commit(txn);
    assert_false(latest(f->st, "ctx-q", &e));
    assert_true(latest(f->st, "other", &e));
    store_status_entry_clear(&e);
}

/* The caller's transaction decides: a rolled-back job leaves no row and
 * no entry, a committed one survives closing and reopening the file. */
static void caller_transactions_and_reopen(void **state)
{
    fixture *f = *state;
    smsprov_error err = {0};
    store_txn *txn = test_begin(f->st, true);
    store_job job = {.kind = "Refresh", .target = "t", .context_id = "gone", .runner = "r1"};
    int64_t id = 0;
    test_ok(store_job_insert(txn, &job, &id, &err), &err);
    store_status_entry e = {.status = 1, .max_progress = 100, .progress_text = "Waiting"};
    test_ok(store_status_append(txn, "gone", id, &e, &err), &err);
    store_rollback(txn);
    seen s = unfinished(f->st, NULL, 0);
    assert_int_equal(s.count, 0);
    seen_clear(&s);
    assert_false(latest(f->st, "gone", &e));

    int64_t kept = insert_job(f->st, "Refresh", "kept", "r9");
    append(f->st, "kept", kept, 1, 30, "Halfway");
    store_close(f->st);
    f->st = test_open(f->path, f->schema);
    test_ok(store_jobs_prepare(f->st, &err), &err);
    s = unfinished(f->st, "kept", 0);
    assert_int_equal(s.count, 1);
    assert_int_equal(s.ids[0], kept);
    assert_string_equal(s.runner[0], "r9");
    seen_clear(&s);
    assert_true(latest(f->st, "KEPT", &e));
    assert_int_equal(e.progress, 30);
    store_status_entry_clear(&e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(prepare_is_idempotent_and_keeps_rows, setup, teardown),
        cmocka_unit_test_setup_teardown(insert_lists_jobs_in_id_order, setup, teardown),
        cmocka_unit_test_setup_teardown(insert_refusals, setup, teardown),
        cmocka_unit_test_setup_teardown(states_and_abort, setup, teardown),
        cmocka_unit_test_setup_teardown(status_queue_append_latest_drop, setup, teardown),
        cmocka_unit_test_setup_teardown(caller_transactions_and_reopen, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
