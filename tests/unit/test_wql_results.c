/*
 * test_wql_results.c - what a query returns, beyond which rows: the SMS
 * rules for lazy properties, select lists and keys, DISTINCT values, the
 * __Generic COUNT instance, classes of deep results, and failures that
 * leave the output empty.  Both modes give the same shapes.
 */
#include "test_wql_fixture.h"

static int setup(void **state)
{
    wql_fixture *f = cim_xcalloc(1, sizeof *f);
    char *mof = wql_test_mof();
    wql_fixture_open(f, "results", mof);
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

static void run(const wql_fixture *f, const char *text, wql_mode mode,
                smsprov_instance_list *out)
{
    smsprov_error err = {0};
    wql_check(wql_run(f, text, mode, out, &err), &err, text);
}

static bool is_null(const cim_instance *inst, const char *name)
{
    return wql_value(inst, name)->is_null;
}

static void test_select_all_leaves_lazy_properties_null(void **state)
{
    const wql_fixture *f = *state;
    for (int mode = WQL_PUSHDOWN; mode <= WQL_IN_MEMORY; mode++) {
        smsprov_instance_list list = {0};
        run(f, "SELECT * FROM TST_BootImage WHERE PackageID = 'LAB00001'", mode, &list);
        assert_int_equal(list.count, 1);
        const cim_instance *b1 = list.items[0];
        assert_string_equal(b1->cls->name, "TST_BootImage");
        assert_string_equal(wql_value(b1, "Name")->u.string, "Boot image (x64)");
        assert_int_equal(wql_value(b1, "PackageType")->u.uint, 258);
        assert_true(is_null(b1, "Secret"));       /* lazy, stored as "s1" */
        assert_true(is_null(b1, "ScratchSpace")); /* lazy, stored as 512 */
        const cim_value *tags = wql_value(b1, "Tags");
        assert_true(tags->is_array && !tags->is_null);
        assert_int_equal(tags->u.array.count, 2);
        const cim_value *schedule = wql_value(b1, "Schedule");
        assert_false(schedule->is_null);
        assert_string_equal(schedule->u.object->cls->name, "TST_Daily");
        wql_list_free(&list);
    }
}

/* WHERE may test a lazy property; the result still leaves it null. */
static void test_where_on_lazy_property(void **state)
{
    const wql_fixture *f = *state;
    for (int mode = WQL_PUSHDOWN; mode <= WQL_IN_MEMORY; mode++) {
        smsprov_instance_list list = {0};
        run(f, "SELECT * FROM TST_BootImage WHERE ScratchSpace = 512 AND Secret LIKE 's%'", mode,
            &list);
        assert_int_equal(list.count, 1);
        assert_string_equal(wql_value(list.items[0], "PackageID")->u.string, "LAB00001");
        assert_true(is_null(list.items[0], "ScratchSpace"));
        assert_true(is_null(list.items[0], "Secret"));
        wql_list_free(&list);
    }
}

static void test_select_list_keeps_named_properties_and_keys(void **state)
{
    const wql_fixture *f = *state;
    for (int mode = WQL_PUSHDOWN; mode <= WQL_IN_MEMORY; mode++) {
        smsprov_instance_list list = {0};
        run(f, "SELECT name, Secret, Tags, __RELPATH FROM TST_PackageBase WHERE Priority = 2",
            mode, &list);
        assert_int_equal(list.count, 4);
        for (size_t i = 0; i < list.count; i++) {
            const cim_instance *r = list.items[i];
            assert_false(is_null(r, "PackageID")); /* the key keeps the path valid */
            assert_false(is_null(r, "Name"));
            assert_true(is_null(r, "Secret")); /* named, but lazy */
            assert_true(is_null(r, "Description"));
            assert_true(is_null(r, "Priority"));
            assert_true(is_null(r, "SourceDate"));
            char *path = cim_instance_relpath(r);
            assert_non_null(strstr(path, ".PackageID=\"LAB000"));
            free(path);
        }
        /* Deep results are instances of the classes that hold them. */
        assert_string_equal(list.items[0]->cls->name, "TST_BootImage");
        assert_string_equal(list.items[3]->cls->name, "TST_OSInstall");
        assert_true(is_null(list.items[0], "Architecture"));
        assert_false(is_null(list.items[0], "Tags"));
        wql_list_free(&list);
    }
}

static void test_distinct_returns_the_selected_values(void **state)
{
    const wql_fixture *f = *state;
    for (int mode = WQL_PUSHDOWN; mode <= WQL_IN_MEMORY; mode++) {
        smsprov_instance_list list = {0};
        run(f, "SELECT DISTINCT Priority FROM TST_PackageBase ORDER BY Priority DESC", mode,
            &list);
        static const int64_t expected[] = {5, 3, 2, 1, 0, -1};
        assert_int_equal(list.count, 7);
        for (size_t i = 0; i < 6; i++) {
            assert_false(is_null(list.items[i], "Priority"));
            assert_int_equal(wql_value(list.items[i], "Priority")->u.sint, expected[i]);
            assert_true(is_null(list.items[i], "PackageID")); /* DISTINCT rows are not objects */
            assert_true(is_null(list.items[i], "Name"));
        }
        assert_true(is_null(list.items[6], "Priority")); /* NULL last, descending */
        wql_list_free(&list);

        /* Names that differ only in case are one value; the first spelling stays. */
        run(f, "SELECT DISTINCT Name FROM TST_BootImage WHERE Name LIKE 'boot image (x64)'",
            mode, &list);
        assert_int_equal(list.count, 1);
        assert_string_equal(wql_value(list.items[0], "Name")->u.string, "Boot image (x64)");
        wql_list_free(&list);
    }
}

static void test_count_is_a_generic_instance(void **state)
{
    const wql_fixture *f = *state;
    for (int mode = WQL_PUSHDOWN; mode <= WQL_IN_MEMORY; mode++) {
        smsprov_instance_list list = {0};
        run(f, "SELECT COUNT(*) FROM TST_PackageBase WHERE Enabled = TRUE", mode, &list);
        assert_int_equal(list.count, 1);
        const cim_instance *c = list.items[0];
        assert_string_equal(c->cls->name, "__Generic");
        assert_int_equal(c->cls->property_count, 1);
        const cim_value *count = wql_value(c, "Count");
        assert_int_equal(count->type, CIM_TYPE_UINT32);
        assert_int_equal(count->u.uint, 5);
        wql_list_free(&list);
    }
}

static void test_order_by_sorts_across_classes(void **state)
{
    const wql_fixture *f = *state;
    smsprov_instance_list list = {0};
    run(f, "SELECT Name FROM TST_PackageBase WHERE Priority = 2 ORDER BY Name DESC", WQL_PUSHDOWN,
        &list);
    assert_int_equal(list.count, 4);
    assert_string_equal(wql_value(list.items[0], "Name")->u.string, "Windows 11 Enterprise");
    assert_string_equal(wql_value(list.items[1], "Name")->u.string, "Windows 10 Enterprise");
    assert_string_equal(wql_value(list.items[2], "Name")->u.string, "Boot image (x86)");
    assert_string_equal(wql_value(list.items[3], "Name")->u.string, "Boot image (x64)");
    wql_list_free(&list);
}

static void test_failures_leave_nothing(void **state)
{
    const wql_fixture *f = *state;
    static const struct {
        const char *ns, *text;
        smsprov_code code;
        const char *needle;
    } cases[] = {
        {WQL_TEST_NS, "SELECT * FROM TST_BootImage WHERE", SMSPROV_E_INVALID_QUERY, "position 34"},
        {WQL_TEST_NS, "SELECT * FROM Nope", SMSPROV_E_INVALID_CLASS, "Nope"},
        {"root\\nowhere", "SELECT * FROM TST_BootImage", SMSPROV_E_INVALID_NAMESPACE,
         "root\\nowhere"},
        {WQL_TEST_NS, "SELECT * FROM TST_Daily", SMSPROV_E_INVALID_OPERATION, "embedded class"},
        {WQL_TEST_NS, NULL, SMSPROV_E_INVALID_QUERY, "empty"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        for (int mode = WQL_PUSHDOWN; mode <= WQL_IN_MEMORY; mode++) {
            smsprov_instance_list list = {(cim_instance **)&list, 42};
            smsprov_error err = {0};
            smsprov_code rc =
                wql_execute(f->st, f->schema, cases[i].ns, cases[i].text, mode, &list, &err);
            assert_int_equal(rc, cases[i].code);
            assert_null(list.items);
            assert_int_equal(list.count, 0);
            if (!strstr(err.description, cases[i].needle))
                fail_msg("\"%s\" lacks \"%s\"", err.description, cases[i].needle);
            smsprov_error_clear(&err);
        }
    }
}

/* Querying changes nothing: the rows are all still there, unchanged. */
static void test_queries_do_not_change_the_store(void **state)
{
    const wql_fixture *f = *state;
    smsprov_instance_list before = {0}, after = {0};
    run(f, "SELECT * FROM TST_PackageBase", WQL_PUSHDOWN, &before);
    smsprov_instance_list scratch = {0};
    smsprov_error err = {0};
    wql_run(f, "SELECT * FROM TST_PackageBase WHERE Name = 'x'; DROP TABLE x", WQL_PUSHDOWN,
            &scratch, &err);
    smsprov_error_clear(&err);
    run(f, "SELECT * FROM TST_PackageBase WHERE Name = 'x''; DROP TABLE x; --'", WQL_PUSHDOWN,
        &scratch);
    assert_int_equal(scratch.count, 0);
    run(f, "SELECT * FROM TST_PackageBase", WQL_PUSHDOWN, &after);
    assert_int_equal(before.count, after.count);
    for (size_t i = 0; i < before.count; i++)
        assert_true(cim_instance_equal(before.items[i], after.items[i]));
    wql_list_free(&before);
    wql_list_free(&after);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_select_all_leaves_lazy_properties_null),
        cmocka_unit_test(test_where_on_lazy_property),
        cmocka_unit_test(test_select_list_keeps_named_properties_and_keys),
        cmocka_unit_test(test_distinct_returns_the_selected_values),
        cmocka_unit_test(test_count_is_a_generic_instance),
        cmocka_unit_test(test_order_by_sorts_across_classes),
        cmocka_unit_test(test_failures_leave_nothing),
        cmocka_unit_test(test_queries_do_not_change_the_store),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
