/* test_adminservice_filter.c - OData $filter to WQL: each operator and
 * function, literals with quotes and LIKE wildcards, and the syntax errors
 * the door answers with 400. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "adminservice/adminservice.h"

static void expect_wql(const char *filter, const char *wql)
{
    char *why = NULL;
    char *got = adminservice_filter_to_wql(filter, &why);
    if (!got)
        fail_msg("%s: %s", filter, why);
    assert_string_equal(got, wql);
    free(got);
}

static void expect_error(const char *filter, const char *words)
{
    char *why = NULL;
    char *got = adminservice_filter_to_wql(filter, &why);
    if (got)
        fail_msg("%s was taken as %s", filter, got);
    assert_non_null(why);
    if (!strstr(why, words))
        fail_msg("%s: '%s' does not say '%s'", filter, why, words);
    free(why);
}

static void test_comparisons(void **state)
{
    (void)state;
    expect_wql("Name eq 'x'", "Name = \"x\"");
    expect_wql("A ne 1 and B gt 2 or C ge -3", "A <> 1 AND B > 2 OR C >= -3");
    expect_wql("A lt 1.5 and B le 2", "A < 1.5 AND B <= 2");
    expect_wql("IsBuiltIn eq false ", "IsBuiltIn = FALSE");
    expect_wql("not (A eq true)", "NOT (A = TRUE)");
    expect_wql("Description eq null", "Description IS NULL");
    expect_wql("Description ne null", "Description IS NOT NULL");
}

static void test_literals_and_functions(void **state)
{
    (void)state;
    expect_wql("Name eq 'it''s \"a\" \\ b'", "Name = \"it's \\\"a\\\" \\\\ b\"");
    expect_wql("contains(Name,'Drivers')", "Name LIKE \"%Drivers%\"");
    expect_wql("startswith(Name, 'Boot')", "Name LIKE \"Boot%\"");
    expect_wql("endswith(Name,'100%_x[')", "Name LIKE \"%100[%][_]x[[]\"");
}

static void test_syntax_errors(void **state)
{
    (void)state;
    expect_error("", "empty");
    expect_error("   ", "empty");
    expect_error("Name eq", "expected");
    expect_error("Name eq 'open", "not closed");
    expect_error("(Name eq 'x'", "expected ')'");
    expect_error("Name eq 'x')", "unbalanced");
    expect_error("Name like 'x'", "unsupported operator");
    expect_error("substringof('x',Name)", "unknown function");
    expect_error("contains('x',Name)", "must be a property");
    expect_error("contains(Name,3)", "must be a string");
    expect_error("Name eq 'x' ; DROP", "unexpected character");
    expect_error("Name eq - 1", "expected a number");
    char deep[200] = "";
    for (int i = 0; i < 40; i++)
        strcat(deep, "(");
    strcat(deep, "A eq 1");
    expect_error(deep, "nested");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_comparisons),
        cmocka_unit_test(test_literals_and_functions),
        cmocka_unit_test(test_syntax_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
