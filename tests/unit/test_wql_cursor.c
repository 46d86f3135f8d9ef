/*
 * test_wql_cursor.c - queries and enumerations read in batches: every
 * batch size gives the whole answer, ORDER BY and the base class across
 * its children page by keyset, and rows inserted, changed or deleted
 * between batches are seen as the cursor's contract says (no row twice,
 * no row missed that existed throughout).
 */
#include "test_wql_fixture.h"

#define ALL_QUERY "SELECT * FROM TST_PackageBase"

static int setup(void **state)
{
    wql_fixture *f = cim_xcalloc(1, sizeof *f);
    char *mof = wql_test_mof();
    wql_fixture_open(f, "cursor", mof);
    free(mof);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    wql_fixture_close(*state);
    free(*state);
    return 0;
}

typedef struct reader {
    smsprov_instance_list *out;
    size_t left;
} reader;

static store_take take_some(void *data, cim_instance *take)
{
    reader *r = data;
    r->out->items = cim_xrealloc(r->out->items, (r->out->count + 1) * sizeof *r->out->items);
    r->out->items[r->out->count++] = take;
    return --r->left > 0 ? STORE_TAKE_NEXT : STORE_TAKE_STOP;
}

static wql_cursor *open_query(const wql_fixture *f, const char *text)
{
    wql_cursor *c = NULL;
    smsprov_error err = {0};
    wql_check(wql_cursor_open(f->st, f->schema, WQL_TEST_NS, text, WQL_PUSHDOWN, &c, &err), &err,
              text);
    return c;
}

/* The next batch of at most n results, appended to out. */
static bool next_batch(wql_cursor *c, size_t n, smsprov_instance_list *out)
{
    reader r = {out, n};
    bool end = false;
    smsprov_error err = {0};
    wql_check(wql_cursor_fetch(c, n, take_some, &r, &end, &err), &err, "fetching a batch");
    return end;
}

static void read_in_batches(const wql_fixture *f, const char *text, size_t n,
                            smsprov_instance_list *out)
{
    wql_cursor *c = open_query(f, text);
    size_t rounds = 0;
    while (!next_batch(c, n, out))
        assert_true(++rounds < 100);
    assert_true(wql_cursor_at_end(c));
    wql_cursor_free(c);
}

static void assert_same_instances(const smsprov_instance_list *a, const smsprov_instance_list *b,
                                  const char *what)
{
    char *ia = wql_ids(a), *ib = wql_ids(b);
    if (strcmp(ia, ib) != 0)
        fail_msg("%s\n  batches: %s\n  whole:   %s", what, ia, ib);
    free(ia);
    free(ib);
    for (size_t i = 0; i < a->count; i++)
        assert_true(cim_instance_equal(a->items[i], b->items[i]));
}

/* Every batch size from 1 past the row count gives the whole answer, in the
 * whole answer's order, for key order, ORDER BY of every kind of column
 * (text, uint64, reals with NaN-free ties, DATETIMEs with offsets and
 * asterisks, NULLs both ways, __CLASS) and narrowed or filtered queries. */
static void test_every_batch_size_gives_the_whole_answer(void **state)
{
    const wql_fixture *f = *state;
    static const char *const queries[] = {
        ALL_QUERY,
        "SELECT * FROM TST_BootImage",
        "SELECT * FROM TST_PackageBase ORDER BY Name",
        "SELECT * FROM TST_PackageBase ORDER BY Name DESC",
        "SELECT * FROM TST_PackageBase ORDER BY Priority DESC, Name",
        "SELECT * FROM TST_PackageBase ORDER BY SourceSize",
        "SELECT * FROM TST_PackageBase ORDER BY SourceSize DESC",
        "SELECT * FROM TST_PackageBase ORDER BY Ratio, Ratio32 DESC",
        "SELECT * FROM TST_PackageBase ORDER BY SourceDate",
        "SELECT * FROM TST_PackageBase ORDER BY SourceDate DESC, PackageID DESC",
        "SELECT * FROM TST_PackageBase ORDER BY Description DESC, Enabled",
        "SELECT * FROM TST_PackageBase ORDER BY __CLASS DESC, Small",
        "SELECT * FROM TST_PackageBase ORDER BY Secret",
        "SELECT Name FROM TST_PackageBase WHERE Priority >= 2 ORDER BY Name",
        "SELECT * FROM TST_PackageBase WHERE __CLASS = 'TST_OSInstall' ORDER BY Ratio DESC",
        "SELECT * FROM TST_PackageBase WHERE __CLASS ISA 'TST_BootImage' AND Name LIKE '%x%'",
        "SELECT * FROM TST_PackageBase WHERE Secret IS NULL OR Letter = 'A'",
        "SELECT * FROM TST_PackageBase WHERE __this ISA 'TST_OSInstall' OR Priority < 2",
        "SELECT DISTINCT Priority FROM TST_PackageBase",
        "SELECT COUNT(*) FROM TST_PackageBase WHERE Priority = 2",
        "SELECT * FROM TST_PackageBase WHERE Name = 'nothing'",
    };
    for (size_t q = 0; q < sizeof queries / sizeof *queries; q++) {
        smsprov_instance_list whole = {0};
        smsprov_error err = {0};
        wql_check(wql_run(f, queries[q], WQL_IN_MEMORY, &whole, &err), &err, queries[q]);
        for (size_t n = 1; n <= whole.count + 1; n++) {
            smsprov_instance_list batches = {0};
            read_in_batches(f, queries[q], n, &batches);
            char *what = cim_xasprintf("%s, batches of %zu", queries[q], n);
            assert_same_instances(&batches, &whole, what);
            free(what);
            wql_list_free(&batches);
        }
        wql_list_free(&whole);
    }
}

/* ------------------------------------------------------------------------ */
/* Changes between batches                                                  */
/* ------------------------------------------------------------------------ */

static const cim_class *test_class(const wql_fixture *f, const char *name)
{
    const cim_class *cls = cim_schema_find_class(f->schema, WQL_TEST_NS, name);
    assert_non_null(cls);
    return cls;
}

static void insert(const wql_fixture *f, const char *cls, const char *id, const char *name)
{
    cim_instance *inst = cim_instance_new(test_class(f, cls));
    cim_instance_set_string(inst, "PackageID", id, NULL);
    cim_instance_set_string(inst, "Name", name, NULL);
    store_txn *txn = NULL;
    smsprov_error err = {0};
    wql_check(store_begin(f->st, true, &txn, &err), &err, "begin");
    wql_check(store_insert(txn, inst, &err), &err, "insert");
    wql_check(store_commit(txn, &err), &err, "commit");
    cim_instance_free(inst);
}

static void delete(const wql_fixture *f, const char *id)
{
    const cim_class *base = test_class(f, "TST_PackageBase");
    cim_instance *keys = cim_instance_new(test_class(f, "TST_BootImage"));
    cim_instance_set_string(keys, "PackageID", id, NULL);
    store_txn *txn = NULL;
    smsprov_error err = {0};
    wql_check(store_begin(f->st, true, &txn, &err), &err, "begin");
    cim_instance *found = NULL;
    wql_check(store_get(txn, base, keys, &found, &err), &err, "get");
    wql_check(store_delete(txn, found->cls, keys, &err), &err, "delete");
    wql_check(store_commit(txn, &err), &err, "commit");
    cim_instance_free(found);
    cim_instance_free(keys);
}

static size_t occurrences(const smsprov_instance_list *list, const char *id)
{
    size_t n = 0;
    for (size_t i = 0; i < list->count; i++)
        if (cim_strcasecmp(wql_value(list->items[i], "PackageID")->u.string, id) == 0)
            n++;
    return n;
}

/* Key order across both child tables: after LAB00003 has been read, a row
 * inserted before the position is not seen, one inserted after it is, a
 * deleted row not yet read is not, and every row that stayed is seen once. */
static void test_rows_change_between_batches(void **state)
{
    const wql_fixture *f = *state;
    wql_cursor *c = open_query(f, ALL_QUERY);
    smsprov_instance_list got = {0};
    assert_false(next_batch(c, 3, &got)); /* LAB00001 LAB00002 LAB00003 */
    insert(f, "TST_OSInstall", "LAB00000", "before the position");
    insert(f, "TST_BootImage", "LAB00004", "after the position");
    insert(f, "TST_OSInstall", "LAB00015", "after, in the other table");
    delete(f, "LAB0000A"); /* not read yet */
    delete(f, "LAB00002"); /* already read */
    while (!next_batch(c, 2, &got))
        ;
    wql_cursor_free(c);
    char *ids = wql_ids(&got);
    assert_string_equal(ids, "LAB00001 LAB00002 LAB00003 LAB00004 LAB0000B LAB00010 LAB00011 "
                             "LAB00012 LAB00013 LAB00014 LAB00015");
    free(ids);
    wql_list_free(&got);
}

/* ORDER BY Name: the position is (Name, PackageID).  A row whose name sorts
 * before the position is not seen; a row renamed from after the position to
 * before it is not seen either (it moved behind the reader), and the rows
 * that kept their place are each seen once. */
static void test_ordered_rows_change_between_batches(void **state)
{
    const wql_fixture *f = *state;
    static const char *const query = "SELECT * FROM TST_PackageBase ORDER BY Name";
    smsprov_instance_list before = {0};
    smsprov_error err = {0};
    wql_check(wql_run(f, query, WQL_IN_MEMORY, &before, &err), &err, query);
    wql_cursor *c = open_query(f, query);
    smsprov_instance_list got = {0};
    assert_false(next_batch(c, 4, &got));
    const char *last = wql_value(got.items[3], "Name")->u.string;
    insert(f, "TST_BootImage", "LAB00020", "!sorts first");
    insert(f, "TST_OSInstall", "LAB00021", "zzz sorts last");
    insert(f, "TST_BootImage", "LAB00022", last); /* ties on Name, larger key: after */
    while (!next_batch(c, 3, &got))
        ;
    wql_cursor_free(c);
    assert_int_equal(occurrences(&got, "LAB00020"), 0);
    assert_int_equal(occurrences(&got, "LAB00021"), 1);
    assert_int_equal(occurrences(&got, "LAB00022"), 1);
    for (size_t i = 0; i < before.count; i++)
        assert_int_equal(
            occurrences(&got, wql_value(before.items[i], "PackageID")->u.string), 1);
    assert_int_equal(got.count, before.count + 2);
    wql_list_free(&got);
    wql_list_free(&before);
}

/* A cursor opened over nothing that can match reads nothing; a cursor at
 * its end stays there; a refused row comes first in the next batch. */
static store_take refuse_second(void *data, cim_instance *take)
{
    smsprov_instance_list *out = data;
    if (out->count == 1)
        return STORE_TAKE_REFUSE;
    out->items = cim_xrealloc(out->items, (out->count + 1) * sizeof *out->items);
    out->items[out->count++] = take;
    return STORE_TAKE_NEXT;
}

static void test_refused_rows_come_back(void **state)
{
    const wql_fixture *f = *state;
    wql_cursor *c = open_query(f, "SELECT * FROM TST_PackageBase ORDER BY Name DESC");
    smsprov_instance_list first = {0}, rest = {0}, whole = {0};
    bool end = true;
    smsprov_error err = {0};
    wql_check(wql_cursor_fetch(c, 5, refuse_second, &first, &end, &err), &err, "fetch");
    assert_false(end);
    assert_int_equal(first.count, 1);
    read_in_batches(f, "SELECT * FROM TST_PackageBase ORDER BY Name DESC", 100, &whole);
    while (!next_batch(c, 4, &rest))
        ;
    assert_int_equal(rest.count + 1, whole.count);
    assert_true(cim_instance_equal(rest.items[0], whole.items[1]));
    assert_true(next_batch(c, 4, &rest)); /* still at the end */
    wql_cursor_free(c);
    wql_list_free(&first);
    wql_list_free(&rest);
    wql_list_free(&whole);

    c = open_query(f, "SELECT * FROM TST_PackageBase WHERE __CLASS = 'TST_Target'");
    smsprov_instance_list none = {0};
    assert_true(next_batch(c, 3, &none));
    assert_int_equal(none.count, 0);
    wql_cursor_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_every_batch_size_gives_the_whole_answer, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_rows_change_between_batches, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ordered_rows_change_between_batches, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_refused_rows_come_back, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
