/*
 * test_wql_sql.c - the translation of WHERE into SQL: the exact text for
 * each rule, values only ever as parameters, what stays in memory, and the
 * SQL functions that give LIKE and DATETIME the in-memory semantics.
 */
#include "test_wql_fixture.h"
#include "store/sqlite/store_internal.h"
#include "wql/wql_internal.h"

static cim_schema *test_schema;

#define WQL_SQL_LIKE STORE_SQL_LIKE
#define WQL_SQL_DATETIME_CMP STORE_SQL_DATETIME_CMP

/* The plan of a WHERE clause as the store writes it in SQL. */
typedef struct wql_sql {
    cim_buf text;
    cim_value *params;
    size_t param_count;
    store_params bound;
} wql_sql;

static bool wql_sql_translate(const wql_expr *e, wql_sql *out)
{
    size_t values = 0;
    store_cond *c = wql_pushdown(e, &values);
    if (!c)
        return false;
    const cim_class *cls = cim_schema_find_class(test_schema, WQL_TEST_NS, "TST_PackageBase");
    store_cond_sql(NULL, cls, c, &out->text, &out->bound);
    out->params = out->bound.items;
    out->param_count = out->bound.count;
    store_cond_free(c);
    return true;
}

static void wql_sql_clear(wql_sql *sql)
{
    cim_buf_clear(&sql->text);
    store_params_clear(&sql->bound);
    *sql = (wql_sql){0};
}

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

static wql_query *bound(const char *where)
{
    char *text = cim_xasprintf("SELECT * FROM TST_PackageBase WHERE %s", where);
    wql_query *q = NULL;
    smsprov_error err = {0};
    wql_check(wql_parse(text, &q, &err), &err, text);
    const cim_class *cls = cim_schema_find_class(test_schema, WQL_TEST_NS, "TST_PackageBase");
    wql_check(wql_bind(q, cls, &err), &err, text);
    free(text);
    return q;
}

/* Translates where; checks the SQL text and the parameter count. */
static void expect_sql(const char *where, const char *sql, size_t params)
{
    wql_query *q = bound(where);
    wql_sql out = {0};
    if (!wql_sql_translate(q->where, &out))
        fail_msg("%s was not translated", where);
    if (strcmp(out.text.data, sql) != 0)
        fail_msg("%s\n  expected: %s\n  got:      %s", where, sql, out.text.data);
    assert_int_equal(out.param_count, params);
    wql_sql_clear(&out);
    wql_query_free(q);
}

static void expect_in_memory(const char *where)
{
    wql_query *q = bound(where);
    wql_sql out = {0};
    if (wql_sql_translate(q->where, &out))
        fail_msg("%s was translated to %s", where, out.text.data);
    assert_int_equal(out.param_count, 0);
    assert_int_equal(out.text.len, 0);
    wql_sql_clear(&out);
    wql_query_free(q);
}

static void test_comparisons(void **state)
{
    (void)state;
    expect_sql("PackageID = 'LAB01234'", "(\"PackageID\" = ? COLLATE NOCASE)", 1);
    expect_sql("Name <> 'x'", "(\"Name\" <> ? COLLATE NOCASE)", 1);
    expect_sql("Name >= 'x'", "(\"Name\" >= ? COLLATE NOCASE)", 1);
    expect_sql("Priority > 5", "(\"Priority\" > ?)", 1);
    expect_sql("5 < Priority", "(\"Priority\" > ?)", 1);
    expect_sql("Enabled = TRUE", "(\"Enabled\" = ?)", 1);
    expect_sql("Ratio <= 0.5", "(\"Ratio\" <= ?)", 1);
    expect_sql("Target = 'TST_Target.Name=\"a\"'", "(\"Target\" = ? COLLATE NOCASE)", 1);
    expect_sql("UPPER(Name) = 'X'", "(upper(\"Name\") = ? COLLATE NOCASE)", 1);
    expect_sql("Name = LOWER('X')", "(\"Name\" = ? COLLATE NOCASE)", 1);
    expect_sql("Priority = Small", "(\"Priority\" = \"Small\")", 0);
    expect_sql("Name < Description", "(\"Name\" < \"Description\" COLLATE NOCASE)", 0);
    expect_sql("SourceSize = SourceSize", "(\"SourceSize\" = \"SourceSize\")", 0);
}

static void test_parameters_carry_converted_values(void **state)
{
    (void)state;
    wql_query *q = bound("SourceSize = 18446744073709551615 AND Enabled = TRUE AND "
                         "PackageType = '258' AND Ratio = 2 AND Name = 'a'");
    wql_sql out = {0};
    assert_true(wql_sql_translate(q->where, &out));
    assert_int_equal(out.param_count, 5);
    assert_int_equal(out.params[0].type, CIM_TYPE_SINT64);
    assert_int_equal(out.params[0].u.sint, -1); /* the stored bit pattern */
    assert_int_equal(out.params[1].u.sint, 1);
    assert_int_equal(out.params[2].u.sint, 258);
    assert_int_equal(out.params[3].type, CIM_TYPE_REAL64);
    assert_true(out.params[3].u.real == 2.0);
    assert_string_equal(out.params[4].u.string, "a");
    wql_sql_clear(&out);
    wql_query_free(q);
}

static void test_uint64_ordering_uses_the_sign(void **state)
{
    (void)state;
    expect_sql("SourceSize < 10", "(\"SourceSize\" >= 0 AND \"SourceSize\" < ?)", 1);
    expect_sql("SourceSize >= 10", "(\"SourceSize\" < 0 OR \"SourceSize\" >= ?)", 1);
    expect_sql("SourceSize <= 9223372036854775808",
               "(\"SourceSize\" >= 0 OR \"SourceSize\" <= ?)", 1);
    expect_sql("SourceSize > 9223372036854775808",
               "(\"SourceSize\" < 0 AND \"SourceSize\" > ?)", 1);
    expect_sql("SourceSize <> 9223372036854775808", "(\"SourceSize\" <> ?)", 1);
}

static void test_like_in_null_and_datetime(void **state)
{
    (void)state;
    expect_sql("Name LIKE 'a[b-c]%'", "(" WQL_SQL_LIKE "(\"Name\", ?))", 1);
    expect_sql("Name NOT LIKE 'a%'", "(NOT " WQL_SQL_LIKE "(\"Name\", ?))", 1);
    expect_sql("Name IN ('a', 'b')", "((\"Name\" COLLATE NOCASE IN (?, ?)))", 2);
    expect_sql("Priority NOT IN (1)", "(NOT (\"Priority\" IN (?)))", 1);
    expect_sql("SourceSize IN (18446744073709551615)", "((\"SourceSize\" IN (?)))", 1);
    expect_sql("Description IS NULL", "(\"Description\" IS NULL)", 0);
    expect_sql("Description <> NULL", "(\"Description\" IS NOT NULL)", 0);
    expect_sql("SourceDate > '20240101000000.000000+000'",
               "(" WQL_SQL_DATETIME_CMP "(\"SourceDate\", ?) > 0)", 1);
    expect_sql("SourceDate IN ('20240101000000.000000+000', '20240102000000.000000+000')",
               "((" WQL_SQL_DATETIME_CMP "(\"SourceDate\", ?) = 0 OR " WQL_SQL_DATETIME_CMP
               "(\"SourceDate\", ?) = 0))",
               2);
}

static void test_boolean_structure(void **state)
{
    (void)state;
    expect_sql("Priority = 1 AND (Name = 'a' OR NOT Small > 2)",
               "((\"Priority\" = ?) AND ((\"Name\" = ? COLLATE NOCASE) OR (NOT (\"Small\" > ?))))",
               3);
}

static void test_what_stays_in_memory(void **state)
{
    (void)state;
    expect_in_memory("__CLASS = 'TST_BootImage'");
    expect_in_memory("__CLASS ISA 'TST_BootImage'");
    expect_in_memory("__this ISA 'TST_BootImage'");
    expect_in_memory("Schedule ISA 'TST_Daily'");
    expect_in_memory("UPPER(__CLASS) LIKE 'TST%'");
    expect_in_memory("Signed64 < SourceSize");
    expect_in_memory("SourceSize < SourceSize");
    expect_in_memory("Ratio > Priority");
    expect_in_memory("Name = 'x' OR __CLASS = 'y'");
    expect_in_memory("NOT __CLASS = 'y'");
}

/* A user's text never becomes SQL text. */
static void test_values_never_enter_sql_text(void **state)
{
    (void)state;
    wql_query *q = bound("Name = 'x\" OR 1=1 --' AND Description LIKE '%''; DROP TABLE t; --'");
    wql_sql out = {0};
    assert_true(wql_sql_translate(q->where, &out));
    assert_null(strstr(out.text.data, "1=1"));
    assert_null(strstr(out.text.data, "DROP"));
    assert_int_equal(out.param_count, 2);
    assert_string_equal(out.params[0].u.string, "x\" OR 1=1 --");
    wql_sql_clear(&out);
    wql_query_free(q);
}

/* SQLite refuses very deep expressions and very many parameters; such
 * conditions are evaluated in memory instead. */
static void test_limits_fall_back_to_memory(void **state)
{
    (void)state;
    cim_buf b = {0};
    for (int i = 0; i < 600; i++)
        cim_buf_printf(&b, "%sPriority = %d", i ? " OR " : "", i);
    char *deep = cim_buf_take(&b);
    expect_in_memory(deep);
    free(deep);

    cim_buf_append(&b, "Priority IN (0");
    for (int i = 1; i < 12000; i++)
        cim_buf_printf(&b, ", %d", i);
    cim_buf_append(&b, ")");
    char *wide = cim_buf_take(&b);
    expect_in_memory(wide);
    free(wide);

    cim_buf_append(&b, "Priority IN (0");
    for (int i = 1; i < 500; i++)
        cim_buf_printf(&b, ", %d", i);
    cim_buf_append(&b, ")");
    char *fine = cim_buf_take(&b);
    wql_query *q = bound(fine);
    wql_sql out = {0};
    assert_true(wql_sql_translate(q->where, &out));
    assert_int_equal(out.param_count, 500);
    wql_sql_clear(&out);
    wql_query_free(q);
    free(fine);
}

static int64_t sql_int(sqlite3 *db, const char *sql, bool *is_null)
{
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) != SQLITE_OK)
        fail_msg("%s: %s", sql, sqlite3_errmsg(db));
    assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
    *is_null = sqlite3_column_type(stmt, 0) == SQLITE_NULL;
    int64_t v = sqlite3_column_int64(stmt, 0);
    sqlite3_finalize(stmt);
    return v;
}

static void test_sql_functions(void **state)
{
    (void)state;
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
    smsprov_error err = {0};
    wql_check(store_dialect_register(NULL, db, &err), &err, "registering");
    bool is_null;
    assert_int_equal(sql_int(db, "SELECT " WQL_SQL_LIKE "('Boot x64', 'boot%X64')", &is_null), 1);
    assert_false(is_null);
    assert_int_equal(sql_int(db, "SELECT " WQL_SQL_LIKE "('abc', '[^a]%')", &is_null), 0);
    sql_int(db, "SELECT " WQL_SQL_LIKE "(NULL, '%')", &is_null);
    assert_true(is_null);
    assert_int_equal(sql_int(db,
                             "SELECT " WQL_SQL_DATETIME_CMP "('20240115103000.000000+000', "
                             "'20240115123000.000000+120')",
                             &is_null),
                     0);
    assert_false(is_null);
    assert_int_equal(sql_int(db,
                             "SELECT " WQL_SQL_DATETIME_CMP "('20240115103000.000000+000', "
                             "'20240115103000.000000-060')",
                             &is_null),
                     -1);
    sql_int(db, "SELECT " WQL_SQL_DATETIME_CMP "('20240115103000.000000+000', 'garbage')",
            &is_null);
    assert_true(is_null);
    sql_int(db,
            "SELECT " WQL_SQL_DATETIME_CMP "('20240115103000.000000+000', "
            "'00000001000000.000000:000')",
            &is_null);
    assert_true(is_null); /* a timestamp and an interval cannot be ordered */
    sqlite3_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_comparisons),
        cmocka_unit_test(test_parameters_carry_converted_values),
        cmocka_unit_test(test_uint64_ordering_uses_the_sign),
        cmocka_unit_test(test_like_in_null_and_datetime),
        cmocka_unit_test(test_boolean_structure),
        cmocka_unit_test(test_what_stays_in_memory),
        cmocka_unit_test(test_values_never_enter_sql_text),
        cmocka_unit_test(test_limits_fall_back_to_memory),
        cmocka_unit_test(test_sql_functions),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
