/*
 * test_wql_parse.c - the parts below execution: parsing and its errors,
 * binding, the LIKE matcher, value comparison and wql_matches on instances
 * built in memory.
 */
#include <math.h>

#include "test_wql_fixture.h"
#include "wql/wql_internal.h"

static cim_schema *test_schema;

static int setup(void **state)
{
    (void)state;
    smsprov_error err = {0};
    test_schema = cim_schema_new();
    wql_check(mof_compile_string(test_schema, wql_test_classes, "wql_test.mof", WQL_TEST_NS, &err),
              &err, "compiling the test classes");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    cim_schema_free(test_schema);
    return 0;
}

static const cim_class *test_class(const char *name)
{
    const cim_class *cls = cim_schema_find_class(test_schema, WQL_TEST_NS, name);
    if (!cls)
        fail_msg("no class %s", name);
    return cls;
}

static void expect_parse_error(const char *text, const char *needle)
{
    wql_query *q = (wql_query *)1;
    smsprov_error err = {0};
    smsprov_code rc = wql_parse(text, &q, &err);
    if (rc != SMSPROV_E_INVALID_QUERY)
        fail_msg("%s: expected WBEM_E_INVALID_QUERY, got %s", text, smsprov_code_name(rc));
    assert_null(q);
    if (!err.description || !strstr(err.description, needle))
        fail_msg("%s: error \"%s\" lacks \"%s\"", text, err.description, needle);
    smsprov_error_clear(&err);
}

/* ------------------------------------------------------------------------ */
/* Parsing                                                                  */
/* ------------------------------------------------------------------------ */

static void test_parse_builds_the_tree(void **state)
{
    (void)state;
    wql_query *q = NULL;
    smsprov_error err = {0};
    wql_check(wql_parse("select distinct Name, Priority from Tst_BootImage where Priority >= 2 "
                        "and (Name like 'a%' or not Small in (1, 2)) order by Name desc, Priority",
                        &q, &err),
              &err, "parse");
    assert_string_equal(wql_query_class_name(q), "Tst_BootImage");
    assert_true(q->distinct);
    assert_false(q->select_all);
    assert_int_equal(q->item_count, 2);
    assert_string_equal(q->items[1].name, "Priority");
    assert_int_equal(q->where->kind, WQL_EXPR_AND);
    assert_int_equal(q->where->child_count, 2);
    assert_int_equal(q->where->children[0]->kind, WQL_EXPR_COMPARE);
    assert_int_equal(q->where->children[0]->op, WQL_CMP_GE);
    const wql_expr *or = q->where->children[1];
    assert_int_equal(or->kind, WQL_EXPR_OR);
    assert_int_equal(or->children[0]->kind, WQL_EXPR_LIKE);
    assert_int_equal(or->children[1]->kind, WQL_EXPR_NOT);
    assert_int_equal(or->children[1]->children[0]->kind, WQL_EXPR_IN);
    assert_int_equal(or->children[1]->children[0]->item_count, 2);
    assert_int_equal(q->order_count, 2);
    assert_true(q->order[0].descending);
    assert_false(q->order[1].descending);
    wql_query_free(q);
}

static void test_parse_literals(void **state)
{
    (void)state;
    wql_query *q = NULL;
    smsprov_error err = {0};
    wql_check(wql_parse("SELECT * FROM X WHERE A IN (-9223372036854775808, 18446744073709551615, "
                        "0x10, 1.5e3, 'it''s', \"q\\\"\", TRUE, -0x1)",
                        &q, &err),
              &err, "parse");
    wql_operand **items = q->where->items;
    assert_int_equal(q->where->item_count, 8);
    assert_int_equal(items[0]->literal.type, CIM_TYPE_SINT64);
    assert_true(items[0]->literal.u.sint == INT64_MIN);
    assert_int_equal(items[1]->literal.type, CIM_TYPE_UINT64);
    assert_true(items[1]->literal.u.uint == UINT64_MAX);
    assert_int_equal(items[2]->literal.u.sint, 16);
    assert_true(items[3]->literal.u.real == 1500.0);
    assert_string_equal(items[4]->literal.u.string, "it's");
    assert_string_equal(items[5]->literal.u.string, "q\"");
    assert_true(items[6]->literal.u.boolean);
    assert_int_equal(items[7]->literal.u.sint, -1);
    wql_query_free(q);
}

static void test_null_comparisons_become_is_null(void **state)
{
    (void)state;
    wql_query *q = NULL;
    smsprov_error err = {0};
    wql_check(wql_parse("SELECT * FROM X WHERE NULL <> A", &q, &err), &err, "parse");
    assert_int_equal(q->where->kind, WQL_EXPR_IS_NULL);
    assert_true(q->where->negated);
    assert_string_equal(q->where->left->name, "A");
    wql_query_free(q);
}

static void test_parse_errors_name_position_and_expectation(void **state)
{
    (void)state;
    expect_parse_error("SELECT * FORM X", "expected FROM at position 10, but found \"FORM\"");
    expect_parse_error("SELECT * FROM X WHERE Name = 'unterminated",
                       "unterminated string starting at position 30");
    /* Positions count characters, not bytes. */
    expect_parse_error("SELECT * FROM X WHERE N = '\xC3\xA9\xC3\xA9' AND", "position 35");
    expect_parse_error("SELECT * FROM X WHERE \x01", "unexpected control character 0x01");
    expect_parse_error("SELECT * FROM X WHERE A = 1 OR OR", "expected a property name or a value");
    expect_parse_error("SELECT * FROM X WHERE A = 'x\\", "unterminated string");
    expect_parse_error("SELECT * FROM X WHERE A = 1.5.2", "malformed number");
    expect_parse_error(NULL, "empty");
}

static void test_a_long_found_token_is_shortened(void **state)
{
    (void)state;
    cim_buf b = {0};
    cim_buf_append(&b, "SELECT * FROM X Y");
    for (int i = 0; i < 200; i++)
        cim_buf_append(&b, "z");
    char *text = cim_buf_take(&b);
    wql_query *q = NULL;
    smsprov_error err = {0};
    assert_int_equal(wql_parse(text, &q, &err), SMSPROV_E_INVALID_QUERY);
    assert_non_null(strstr(err.description, "...\""));
    assert_true(strlen(err.description) < 200);
    smsprov_error_clear(&err);
    free(text);
}

static char *repeat(const char *left, int n, const char *middle, const char *right)
{
    cim_buf b = {0};
    cim_buf_append(&b, "SELECT * FROM X WHERE ");
    for (int i = 0; i < n; i++)
        cim_buf_append(&b, left);
    cim_buf_append(&b, middle);
    for (int i = 0; i < n; i++)
        cim_buf_append(&b, right);
    return cim_buf_take(&b);
}

static void test_nesting_is_limited(void **state)
{
    (void)state;
    wql_query *q = NULL;
    smsprov_error err = {0};
    char *ok = repeat("(", WQL_MAX_DEPTH, "A = 1", ")");
    wql_check(wql_parse(ok, &q, &err), &err, "parse at the limit");
    wql_query_free(q);
    free(ok);
    char *too_deep = repeat("(", WQL_MAX_DEPTH + 1, "A = 1", ")");
    expect_parse_error(too_deep, "more than 100 levels deep");
    free(too_deep);
    char *nots = repeat("NOT ", 100000, "A = 1", "");
    expect_parse_error(nots, "more than 100 levels deep");
    free(nots);
    char *functions = repeat("UPPER(", 1000, "A", ")");
    expect_parse_error(functions, "more than 100 levels deep");
    free(functions);
}

/* AND and OR chains are flat, so a long chain costs no stack. */
static void test_long_chains_evaluate(void **state)
{
    (void)state;
    cim_buf b = {0};
    cim_buf_append(&b, "SELECT * FROM TST_BootImage WHERE ");
    for (int i = 0; i < 50000; i++)
        cim_buf_printf(&b, "%sPriority = %d", i ? " OR " : "", i);
    char *text = cim_buf_take(&b);
    wql_query *q = NULL;
    smsprov_error err = {0};
    wql_check(wql_parse(text, &q, &err), &err, "parse");
    wql_check(wql_bind(q, test_class("TST_BootImage"), &err), &err, "bind");
    assert_int_equal(q->where->child_count, 50000);
    cim_instance *inst = cim_instance_new(test_class("TST_BootImage"));
    wql_check(cim_instance_set_sint(inst, "Priority", 49999, &err), &err, "set");
    assert_true(wql_matches(q, inst));
    wql_check(cim_instance_set_sint(inst, "Priority", 50000, &err), &err, "set");
    assert_false(wql_matches(q, inst));
    cim_instance_free(inst);
    wql_query_free(q);
    free(text);
}

/* ------------------------------------------------------------------------ */
/* Binding and wql_matches                                                  */
/* ------------------------------------------------------------------------ */

static wql_query *bound(const char *text, const char *class_name)
{
    wql_query *q = NULL;
    smsprov_error err = {0};
    wql_check(wql_parse(text, &q, &err), &err, text);
    wql_check(wql_bind(q, test_class(class_name), &err), &err, text);
    return q;
}

static void test_bind_errors(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        const char *needle;
    } cases[] = {
        {"SELECT * FROM TST_BootImage WHERE nme = 1", "\"nme\" is not a property of TST_BootImage"},
        {"SELECT * FROM TST_BootImage WHERE Tags = 'a'", "array property"},
        {"SELECT * FROM TST_BootImage WHERE Priority = 'two'", "\"two\" at position 46"},
        {"SELECT * FROM TST_BootImage WHERE Name LIKE '[a'", "never closed"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        wql_query *q = NULL;
        smsprov_error err = {0};
        wql_check(wql_parse(cases[i].text, &q, &err), &err, "parse");
        smsprov_code rc = wql_bind(q, test_class("TST_BootImage"), &err);
        assert_int_equal(rc, SMSPROV_E_INVALID_QUERY);
        if (!strstr(err.description, cases[i].needle))
            fail_msg("%s: \"%s\" lacks \"%s\"", cases[i].text, err.description, cases[i].needle);
        smsprov_error_clear(&err);
        /* A query that failed to bind matches nothing. */
        cim_instance *inst = cim_instance_new(test_class("TST_BootImage"));
        assert_false(wql_matches(q, inst));
        cim_instance_free(inst);
        wql_query_free(q);
    }
    wql_query *q = NULL;
    smsprov_error err = {0};
    wql_check(wql_parse("SELECT * FROM Gone", &q, &err), &err, "parse");
    assert_int_equal(wql_bind(q, NULL, &err), SMSPROV_E_INVALID_CLASS);
    smsprov_error_clear(&err);
    wql_query_free(q);
}

static void test_bind_reports_the_unknown_property(void **state)
{
    (void)state;
    wql_query *q = NULL;
    smsprov_error err = {0};
    wql_check(wql_parse("SELECT Nme FROM TST_BootImage", &q, &err), &err, "parse");
    assert_int_equal(wql_bind(q, test_class("TST_BootImage"), &err), SMSPROV_E_INVALID_QUERY);
    assert_string_equal(err.parameter_info, "Nme");
    smsprov_error_clear(&err);
    wql_query_free(q);
}

static void test_matches_follows_three_valued_logic(void **state)
{
    (void)state;
    const cim_class *cls = test_class("TST_BootImage");
    cim_instance *inst = cim_instance_new(cls); /* every property NULL */
    smsprov_error err = {0};
    static const struct {
        const char *where;
        bool matches_null;
    } cases[] = {
        {"Priority = 1", false},     {"Priority <> 1", false},   {"NOT Priority = 1", false},
        {"NOT (Priority = 1 OR Priority = 2)", false},
        {"Priority IS NULL", true},  {"NOT Priority IS NOT NULL", true},
        {"Priority = 1 OR Priority IS NULL", true},
        {"NOT (Priority = 1 AND Priority IS NOT NULL)", true}, /* FALSE wins over UNKNOWN */
        {"Name LIKE '%'", false},    {"Name NOT LIKE '%'", false},
        {"Priority IN (1)", false},  {"Priority NOT IN (1)", false},
        {"__CLASS = 'TST_BootImage'", true}, {"__this ISA 'TST_PackageBase'", true},
        {"Schedule ISA 'TST_Token'", false}, {"NOT Schedule ISA 'TST_Token'", false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *text = cim_xasprintf("SELECT * FROM TST_BootImage WHERE %s", cases[i].where);
        wql_query *q = bound(text, "TST_BootImage");
        if (wql_matches(q, inst) != cases[i].matches_null)
            fail_msg("%s: expected %s on an all-NULL instance", cases[i].where,
                     cases[i].matches_null ? "a match" : "no match");
        wql_query_free(q);
        free(text);
    }
    wql_query *all = bound("SELECT * FROM TST_BootImage", "TST_BootImage");
    assert_true(wql_matches(all, inst));
    wql_query_free(all);

    wql_check(cim_instance_set_sint(inst, "Priority", 2, &err), &err, "set");
    wql_query *q = bound("SELECT * FROM TST_BootImage WHERE NOT (Priority = 1 OR Name = 'x')",
                         "TST_BootImage");
    assert_false(wql_matches(q, inst)); /* Name is NULL: NOT (FALSE OR UNKNOWN) */
    wql_query_free(q);
    cim_instance_free(inst);
}

/* A query bound to a base class matches instances of derived classes. */
static void test_matches_on_derived_instances(void **state)
{
    (void)state;
    wql_query *q = bound("SELECT * FROM TST_PackageBase WHERE Name = 'X' AND __CLASS ISA "
                         "'TST_OSInstall'",
                         "TST_PackageBase");
    smsprov_error err = {0};
    cim_instance *os = cim_instance_new(test_class("TST_OSInstall"));
    cim_instance *boot = cim_instance_new(test_class("TST_BootImage"));
    wql_check(cim_instance_set_string(os, "Name", "x", &err), &err, "set");
    wql_check(cim_instance_set_string(boot, "Name", "x", &err), &err, "set");
    assert_true(wql_matches(q, os));
    assert_false(wql_matches(q, boot));
    cim_instance_free(os);
    cim_instance_free(boot);
    wql_query_free(q);
}

/* ------------------------------------------------------------------------ */
/* LIKE and comparisons                                                     */
/* ------------------------------------------------------------------------ */

static void test_like_matcher(void **state)
{
    (void)state;
    static const struct {
        const char *value, *pattern;
        bool match;
    } cases[] = {
        {"", "", true},           {"", "%", true},            {"a", "", false},
        {"abc", "abc", true},     {"ABC", "abc", true},       {"abc", "ab", false},
        {"abc", "a%", true},      {"abc", "%c", true},        {"abc", "%b%", true},
        {"abc", "a_c", true},     {"ac", "a_c", false},       {"abc", "___", true},
        {"abc", "____", false},   {"abc", "%%%", true},       {"aXbXc", "a%b%c", true},
        {"ab", "a%b%c", false},   {"abc", "[abc]bc", true},   {"dbc", "[abc]bc", false},
        {"dbc", "[^abc]bc", true}, {"Abc", "[^a]bc", false},  {"m", "[a-z]", true},
        {"M", "[a-z]", true},     {"m", "[A-Z]", true},       {"5", "[a-z]", false},
        {"-", "[-a]", true},      {"-", "[a-]", true},        {"b", "[a-]", false},
        {"]", "[]]", true},       {"x", "[^]]", true},        {"%", "[%]", true},
        {"a", "[%]", false},      {"_", "[_]", true},         {"[", "[[]", true},
        {"\xC3\xA9", "_", true},  {"\xC3\xA9t\xC3\xA9", "_t_", true},
        {"\xC3\x89", "\xC3\xA9", false}, /* no folding outside ASCII */
        {"\xC3\xA9", "[\xC3\xA0-\xC3\xAA]", true},
        {"mississippi", "%iss%ppi", true}, {"mississippi", "%iss%pi%x", false},
        {"\xFF", "_", true},      {"\xFF", "\xFF", true},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        if (cim_like_match(cases[i].value, cases[i].pattern) != cases[i].match)
            fail_msg("'%s' LIKE '%s' should be %s", cases[i].value, cases[i].pattern,
                     cases[i].match ? "true" : "false");
    size_t bad;
    const char *why;
    assert_true(cim_like_pattern_valid("a[b]c%", &bad, &why));
    assert_false(cim_like_pattern_valid("ab[cd", &bad, &why));
    assert_int_equal(bad, 2);
    assert_false(cim_like_pattern_valid("[]", &bad, &why)); /* ] right after [ is a member */
}

/* Many % against a long value stays fast (no exponential backtracking). */
static void test_like_is_linear_enough(void **state)
{
    (void)state;
    char value[4001], pattern[202];
    memset(value, 'a', 4000);
    value[4000] = '\0';
    for (int i = 0; i < 100; i++) {
        pattern[2 * i] = '%';
        pattern[2 * i + 1] = 'a';
    }
    pattern[200] = 'b';
    pattern[201] = '\0';
    assert_false(cim_like_match(value, pattern));
}

static void test_nocase_compare_is_sqlite_nocase(void **state)
{
    (void)state;
    assert_int_equal(cim_nocase_compare("ABC", "abc"), 0);
    assert_true(cim_nocase_compare("abc", "abd") < 0);
    assert_true(cim_nocase_compare("ab", "abc") < 0);
    assert_true(cim_nocase_compare("[", "a") < 0); /* folds to lower case, as NOCASE does */
    assert_true(cim_nocase_compare("_", "A") < 0);
    assert_true(cim_nocase_compare("\xC3\xA9", "\xC3\x89") > 0);
}

static void test_value_compare(void **state)
{
    (void)state;
    bool comparable;
    cim_value big = cim_value_uint(CIM_TYPE_UINT64, UINT64_MAX);
    cim_value minus = cim_value_sint(CIM_TYPE_SINT64, -1);
    cim_value half = cim_value_real(CIM_TYPE_REAL64, 0.5);
    cim_value zero = cim_value_uint(CIM_TYPE_UINT32, 0);
    cim_value two53 = cim_value_sint(CIM_TYPE_SINT64, (INT64_C(1) << 53) + 1);
    cim_value two53r = cim_value_real(CIM_TYPE_REAL64, 9007199254740992.0);
    assert_true(wql_value_compare(&big, &minus, &comparable) > 0);
    assert_true(wql_value_compare(&minus, &half, &comparable) < 0);
    assert_true(wql_value_compare(&zero, &half, &comparable) < 0);
    assert_true(wql_value_compare(&two53, &two53r, &comparable) > 0); /* exact, not rounded */
    assert_true(comparable);
    cim_value nan = cim_value_real(CIM_TYPE_REAL64, NAN);
    wql_value_compare(&nan, &half, &comparable);
    assert_false(comparable);
    assert_true(wql_value_order(&nan, &half) < 0);
    cim_value null = cim_value_null(CIM_TYPE_UINT32, false);
    assert_true(wql_value_order(&null, &minus) < 0);
    assert_int_equal(wql_value_order(&null, &null), 0);

    cim_value a = cim_value_datetime("20240115103000.000000+000");
    cim_value b = cim_value_datetime("20240115123000.000000+120");
    cim_value interval = cim_value_datetime("00000001000000.000000:000");
    assert_int_equal(wql_value_compare(&a, &b, &comparable), 0);
    assert_true(comparable);
    wql_value_compare(&a, &interval, &comparable);
    assert_false(comparable);
    assert_int_equal(wql_value_order(&a, &b), 0);
    assert_true(wql_value_order(&a, &interval) < 0); /* timestamps before intervals */
    cim_value_clear(&a);
    cim_value_clear(&b);
    cim_value_clear(&interval);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_builds_the_tree),
        cmocka_unit_test(test_parse_literals),
        cmocka_unit_test(test_null_comparisons_become_is_null),
        cmocka_unit_test(test_parse_errors_name_position_and_expectation),
        cmocka_unit_test(test_a_long_found_token_is_shortened),
        cmocka_unit_test(test_nesting_is_limited),
        cmocka_unit_test(test_long_chains_evaluate),
        cmocka_unit_test(test_bind_errors),
        cmocka_unit_test(test_bind_reports_the_unknown_property),
        cmocka_unit_test(test_matches_follows_three_valued_logic),
        cmocka_unit_test(test_matches_on_derived_instances),
        cmocka_unit_test(test_like_matcher),
        cmocka_unit_test(test_like_is_linear_enough),
        cmocka_unit_test(test_nocase_compare_is_sqlite_nocase),
        cmocka_unit_test(test_value_compare),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
