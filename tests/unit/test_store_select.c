/* test_store_select.c - select, select_each and count: deep selects over
 * two child tables with a condition, an order and a limit; shallow
 * selects; lazy columns; default key order; bad queries. */
#include "test_store_util.h"

typedef struct fixture {
    char *path;
    cim_schema *schema;
    store *st;
    const cim_class *base, *boot, *os;
} fixture;

/* Ten boot images (PKG00, PKG02, ... even numbers) and ten OS images (odd
 * numbers), named "Image NN" with Version = NN. */
static int setup(void **state)
{
    fixture *f = cim_xcalloc(1, sizeof *f);
    f->path = test_db_path("select");
    f->schema = test_schema_from(test_store_mof);
    f->st = test_open(f->path, f->schema);
    f->base = test_class(f->schema, "Test_PackageBase");
    f->boot = test_class(f->schema, "Test_BootImage");
    f->os = test_class(f->schema, "Test_OSImage");
    store_txn *txn = test_begin(f->st, true);
    smsprov_error err = {0};
    for (uint32_t i = 0; i < 20; i++) {
        char id[16], name[32];
        snprintf(id, sizeof id, "PKG%02u", i);
        snprintf(name, sizeof name, "Image %02u", i);
        cim_instance *inst = test_package(i % 2 ? f->os : f->boot, id, name, i);
        if (i % 2)
            test_ok(cim_instance_set_string(inst, "ImageOSVersion", "10.0", &err), &err);
        else
            test_ok(cim_instance_set_uint(inst, "ScratchSpace", 512, &err), &err);
        test_insert(txn, inst);
        cim_instance_free(inst);
    }
    test_commit(txn);
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

static smsprov_code run(fixture *f, const cim_class *cls, const store_query *q,
                        smsprov_instance_list *out, smsprov_error *err)
{
    store_txn *txn = test_begin(f->st, false);
    smsprov_code rc = store_select(txn, cls, q, out, err);
    store_rollback(txn);
    return rc;
}

static void test_deep_select_with_where_order_limit(void **state)
{
    fixture *f = *state;
    smsprov_error err = {0};
    cim_value params[] = {cim_value_uint(CIM_TYPE_UINT32, 5),
                          cim_value_uint(CIM_TYPE_UINT32, 15)};
    store_query q = {.where_sql = "\"Version\" >= ? AND \"Version\" < ?",
                     .params = params,
                     .param_count = 2,
                     .order_sql = "\"Name\" DESC",
                     .deep = true,
                     .limit = 4};
    smsprov_instance_list rows = {0};
    test_ok(run(f, f->base, &q, &rows, &err), &err);
    assert_int_equal(rows.count, 4);
    const char *expected[] = {"Image 14", "Image 13", "Image 12", "Image 11"};
    for (size_t i = 0; i < 4; i++) {
        assert_string_equal(test_string(rows.items[i], "Name"), expected[i]);
        /* Each row is an instance of the class that holds it, children's
         * own properties included. */
        if (i % 2 == 0) {
            assert_ptr_equal(rows.items[i]->cls, f->boot);
            assert_int_equal(cim_instance_get(rows.items[i], "ScratchSpace")->u.uint, 512);
        } else {
            assert_ptr_equal(rows.items[i]->cls, f->os);
            assert_string_equal(test_string(rows.items[i], "ImageOSVersion"), "10.0");
        }
    }
    test_list_free(&rows);

    /* Without a limit: ten rows, counted the same way. */
    q.limit = -1;
    test_ok(run(f, f->base, &q, &rows, &err), &err);
    assert_int_equal(rows.count, 10);
    store_txn *txn = test_begin(f->st, false);
    uint64_t n = 0;
    test_ok(store_count(txn, f->base, &q, &n, &err), &err);
    assert_int_equal(n, 10);
    q.limit = 3;
    test_ok(store_count(txn, f->base, &q, &n, &err), &err);
    assert_int_equal(n, 3);
    store_rollback(txn);
    test_list_free(&rows);
}

static void test_shallow_and_default_order(void **state)
{
    fixture *f = *state;
    smsprov_error err = {0};
    store_query q = {.limit = -1};
    smsprov_instance_list rows = {0};

    /* Shallow over the abstract base: nothing is stored in it. */
    test_ok(run(f, f->base, &q, &rows, &err), &err);
    assert_int_equal(rows.count, 0);

    /* Shallow over a child: its rows only, in key order. */
    test_ok(run(f, f->os, &q, &rows, &err), &err);
    assert_int_equal(rows.count, 10);
    for (size_t i = 0; i < rows.count; i++) {
        char id[16];
        snprintf(id, sizeof id, "PKG%02zu", 2 * i + 1);
        assert_string_equal(test_string(rows.items[i], "PackageID"), id);
    }
    test_list_free(&rows);

    /* Deep: key order across both tables, ignoring case. */
    store_txn *txn = test_begin(f->st, true);
    cim_instance *lower = test_package(f->os, "pkg05a", "lower case key", 1);
    test_insert(txn, lower);
    test_commit(txn);
    cim_instance_free(lower);
    q.deep = true;
    test_ok(run(f, f->base, &q, &rows, &err), &err);
    assert_int_equal(rows.count, 21);
    assert_string_equal(test_string(rows.items[5], "PackageID"), "PKG05");
    assert_string_equal(test_string(rows.items[6], "PackageID"), "pkg05a");
    assert_string_equal(test_string(rows.items[7], "PackageID"), "PKG06");

    /* Results are appended to what the list already holds. */
    q.deep = false;
    test_ok(run(f, f->boot, &q, &rows, &err), &err);
    assert_int_equal(rows.count, 31);
    test_list_free(&rows);
}

static void test_case_insensitive_key_condition(void **state)
{
    fixture *f = *state;
    smsprov_error err = {0};
    cim_value id = cim_value_string("pkg07");
    store_query q = {.where_sql = "\"PackageID\" = ?", .params = &id, .param_count = 1,
                     .deep = true, .limit = -1};
    smsprov_instance_list rows = {0};
    test_ok(run(f, f->base, &q, &rows, &err), &err);
    assert_int_equal(rows.count, 1);
    assert_string_equal(test_string(rows.items[0], "PackageID"), "PKG07");
    test_list_free(&rows);
    cim_value_clear(&id);
}

static void test_skip_lazy(void **state)
{
    fixture *f = *state;
    smsprov_error err = {0};
    smsprov_instance_list rows = {0};

    store_query q = {.deep = true, .skip_lazy = true, .limit = -1};
    test_ok(run(f, f->base, &q, &rows, &err), &err);
    assert_int_equal(rows.count, 20);
    for (size_t i = 0; i < rows.count; i++) {
        assert_true(cim_instance_get(rows.items[i], "Notes")->is_null);
        assert_non_null(test_string(rows.items[i], "Name"));
        if (rows.items[i]->cls == f->boot)
            assert_true(cim_instance_get(rows.items[i], "ScratchSpace")->is_null);
    }
    test_list_free(&rows);

    /* Single table too; and without skip_lazy the values are there. */
    test_ok(run(f, f->boot, &q, &rows, &err), &err);
    assert_true(cim_instance_get(rows.items[0], "ScratchSpace")->is_null);
    test_list_free(&rows);
    q.skip_lazy = false;
    test_ok(run(f, f->boot, &q, &rows, &err), &err);
    assert_int_equal(cim_instance_get(rows.items[0], "ScratchSpace")->u.uint, 512);
    assert_string_equal(test_string(rows.items[0], "Notes"), "lazy notes");
    test_list_free(&rows);

    /* A condition and an order on a lazy column still see its value, even
     * though the rows come back without it. */
    cim_value notes = cim_value_string("lazy notes");
    store_query lazy_where = {.where_sql = "\"Notes\" = ?", .params = &notes, .param_count = 1,
                              .order_sql = "\"Notes\", \"PackageID\" DESC", .deep = true,
                              .skip_lazy = true, .limit = -1};
    test_ok(run(f, f->base, &lazy_where, &rows, &err), &err);
    assert_int_equal(rows.count, 20);
    assert_string_equal(test_string(rows.items[0], "PackageID"), "PKG19");
    assert_true(cim_instance_get(rows.items[0], "Notes")->is_null);
    test_list_free(&rows);
    lazy_where.deep = false;
    test_ok(run(f, f->boot, &lazy_where, &rows, &err), &err);
    assert_int_equal(rows.count, 10);
    assert_string_equal(test_string(rows.items[0], "PackageID"), "PKG18");
    assert_true(cim_instance_get(rows.items[0], "Notes")->is_null);
    test_list_free(&rows);
    cim_value_clear(&notes);
}

typedef struct stop_after {
    size_t seen, stop_at;
    store_txn *txn;
    const cim_class *cls;
    size_t nested_rows;
} stop_after;

static bool take_some(void *data, cim_instance *take)
{
    stop_after *s = data;
    s->seen++;
    if (s->txn) {
        /* The same query, run from inside the callback, gets its own
         * statement. */
        store_query q = {.deep = true, .limit = 2};
        smsprov_instance_list rows = {0};
        smsprov_error err = {0};
        test_ok(store_select(s->txn, s->cls, &q, &rows, &err), &err);
        s->nested_rows += rows.count;
        test_list_free(&rows);
    }
    cim_instance_free(take);
    return s->seen < s->stop_at;
}

static void test_select_each_stops_early(void **state)
{
    fixture *f = *state;
    smsprov_error err = {0};
    store_txn *txn = test_begin(f->st, false);
    store_query q = {.deep = true, .limit = 2};
    stop_after first = {.stop_at = 1000, .txn = txn, .cls = f->base};
    test_ok(store_select_each(txn, f->base, &q, take_some, &first, &err), &err);
    assert_int_equal(first.seen, 2);
    assert_int_equal(first.nested_rows, 4);

    q.limit = -1;
    stop_after s = {.stop_at = 3};
    test_ok(store_select_each(txn, f->base, &q, take_some, &s, &err), &err);
    assert_int_equal(s.seen, 3);
    /* The statement was reset: the same query runs again in full. */
    uint64_t n = 0;
    test_ok(store_count(txn, f->base, &q, &n, &err), &err);
    assert_int_equal(n, 20);
    s = (stop_after){.stop_at = 100};
    test_ok(store_select_each(txn, f->base, &q, take_some, &s, &err), &err);
    assert_int_equal(s.seen, 20);
    store_rollback(txn);
}

static void test_bad_queries(void **state)
{
    fixture *f = *state;
    smsprov_error err = {0};
    smsprov_instance_list rows = {0};
    cim_instance *sentinel = cim_instance_new(f->boot);
    rows.items = cim_xmalloc(sizeof *rows.items);
    rows.items[0] = sentinel;
    rows.count = 1;

    store_query unknown = {.where_sql = "\"Nope\" = 1", .deep = true, .limit = -1};
    test_fails(run(f, f->base, &unknown, &rows, &err), SMSPROV_E_INVALID_QUERY, &err, "Nope");
    store_query child_only = {.where_sql = "\"Architecture\" = 'x64'", .deep = true,
                              .limit = -1};
    test_fails(run(f, f->base, &child_only, &rows, &err), SMSPROV_E_INVALID_QUERY, &err,
               "Test_PackageBase");
    store_query bad_order = {.order_sql = "\"Missing\" DESC", .limit = -1};
    test_fails(run(f, f->boot, &bad_order, &rows, &err), SMSPROV_E_INVALID_QUERY, &err,
               "Missing");
    store_query syntax = {.where_sql = "\"Name\" = = 'x'", .deep = true, .limit = -1};
    test_fails(run(f, f->base, &syntax, &rows, &err), SMSPROV_E_INVALID_QUERY, &err,
               "could not be compiled");
    /* A quoted name inside a string literal is text, not a column. */
    store_query literal = {.where_sql = "\"Name\" = '\"Nope\" isn''t a column'", .limit = -1};
    test_ok(run(f, f->boot, &literal, &rows, &err), &err);
    assert_int_equal(rows.count, 1);

    cim_value one = cim_value_uint(CIM_TYPE_UINT32, 1);
    store_query too_few = {.where_sql = "\"Version\" > ? AND \"Version\" < ?", .params = &one,
                           .param_count = 1, .deep = true, .limit = -1};
    test_fails(run(f, f->base, &too_few, &rows, &err), SMSPROV_E_INVALID_PARAMETER, &err,
               "2 placeholders");
    store_query missing = {.where_sql = "\"Version\" > ?", .param_count = 1, .limit = -1};
    test_fails(run(f, f->boot, &missing, &rows, &err), SMSPROV_E_INVALID_PARAMETER, &err,
               "parameters");
    cim_value array = cim_value_array(CIM_TYPE_UINT32);
    cim_value_array_append(&array, &one);
    store_query array_param = {.where_sql = "\"Version\" = ?", .params = &array,
                               .param_count = 1, .limit = -1};
    test_fails(run(f, f->boot, &array_param, &rows, &err), SMSPROV_E_INVALID_PARAMETER, &err,
               "parameter 1");

    /* Nothing was added to the list by any failed query. */
    assert_int_equal(rows.count, 1);
    assert_ptr_equal(rows.items[0], sentinel);
    test_list_free(&rows);
    cim_value_clear(&array);
    cim_value_clear(&one);

    store_txn *txn = test_begin(f->st, false);
    uint64_t n = 99;
    test_fails(store_count(txn, f->base, &unknown, &n, &err), SMSPROV_E_INVALID_QUERY, &err,
               "Nope");
    assert_int_equal(n, 99);
    store_rollback(txn);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_deep_select_with_where_order_limit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_shallow_and_default_order, setup, teardown),
        cmocka_unit_test_setup_teardown(test_case_insensitive_key_condition, setup, teardown),
        cmocka_unit_test_setup_teardown(test_skip_lazy, setup, teardown),
        cmocka_unit_test_setup_teardown(test_select_each_stops_early, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_queries, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
