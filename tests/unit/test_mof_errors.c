/* test_mof_errors.c - malformed MOF is reported at the exact line and
 * column with the right code, and leaves the schema as it was before the
 * faulty declaration. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mof/mof.h"

#define SITE "root\\sms\\site_LAB"

/* Declared first in every case, so errors can refer to real classes. */
static const char prelude[] =
    "[Abstract] class Base { [key] string ID; };\n"
    "[Embedded] class Token { uint32 Days; };\n"
    "class Kid : Base { uint8 Small; string Text; Token Tokens[]; boolean Flag;\n"
    "  datetime When; uint32 List[]; Base ref Link; };\n";

typedef struct error_case {
    const char *mof;      /* compiled after the prelude, as "case.mof" */
    smsprov_code code;
    const char *position; /* "line:column" */
    const char *needle;   /* part of the sentence */
} error_case;

static const error_case cases[] = {
    /* Syntax */
    {"class A\n{\n  uint32 X\n};\n", SMSPROV_E_INVALID_SYNTAX, "4:1",
     "expected ';' after the property declaration, found '}'"},
    {"class A { uint32 X; }\n", SMSPROV_E_INVALID_SYNTAX, "2:1",
     "expected ';' after the class declaration"},
    {"class A { uint32 X;\n", SMSPROV_E_INVALID_SYNTAX, "2:1", "expected '}' to close the class"},
    {"class { };", SMSPROV_E_INVALID_SYNTAX, "1:7", "expected the class name, found '{'"},
    {"[key class A {};", SMSPROV_E_INVALID_SYNTAX, "1:6",
     "expected ']' to close the qualifier list"},
    {"[Description(\"x\" : Bogus] class A {};", SMSPROV_E_INVALID_SYNTAX, "1:18",
     "expected ')' to close the qualifier value"},
    {"[Description(\"x\") : Bogus] class A {};", SMSPROV_E_INVALID_SYNTAX, "1:21",
     "unknown flavor 'Bogus'"},
    {"[key, key] class A {};", SMSPROV_E_INVALID_SYNTAX, "1:7", "qualifier key appears twice"},
    {"class A { string S = \"open;\n};", SMSPROV_E_INVALID_SYNTAX, "1:22",
     "unterminated string literal"},
    {"class A {}; /* never closed\n", SMSPROV_E_INVALID_SYNTAX, "1:13", "unterminated comment"},
    {"class A { string S = \"bad \\q\"; };", SMSPROV_E_INVALID_SYNTAX, "1:27", "unknown escape"},
    {"class A { string S = \"\\xD800\"; };", SMSPROV_E_INVALID_SYNTAX, "1:28", "lone UTF-16"},
    {"class A { uint32 X = 99999999999999999999; };", SMSPROV_E_INVALID_SYNTAX, "1:22",
     "does not fit in 64 bits"},
    {"class A { uint32 X = 12ab; };", SMSPROV_E_INVALID_SYNTAX, "1:22", "malformed number"},
    {"class A { uint32 X = 102b; };", SMSPROV_E_INVALID_SYNTAX, "1:22", "not a digit"},
    {"class A { char16 C = 'ab'; };", SMSPROV_E_INVALID_SYNTAX, "1:22", "exactly one character"},
    {"class A {\n  uint32 X = @;\n};", SMSPROV_E_INVALID_SYNTAX, "2:14", "unexpected character '@'"},
    {"#pragma namespace \"root\"\n", SMSPROV_E_INVALID_SYNTAX, "1:19",
     "expected '(' after the pragma name"},
    {"#pragma namespace(\"\")\n", SMSPROV_E_INVALID_SYNTAX, "1:9", "non-empty namespace"},
    {"#pragma autorecover\n# include", SMSPROV_E_INVALID_SYNTAX, "2:3", "expected 'pragma'"},
    {"class A { void V; };", SMSPROV_E_INVALID_SYNTAX, "1:11", "void is only a method return"},
    {"class A { uint32 Go([in] string A, ); };", SMSPROV_E_INVALID_SYNTAX, "1:36",
     "expected a type"},
    {"class A { uint32 Go([in] string A; };", SMSPROV_E_INVALID_SYNTAX, "1:34",
     "expected ')' or ',' after the parameter"},
    {"class A { uint8 X[0]; };", SMSPROV_E_INVALID_SYNTAX, "1:19", "fixed array size"},
    {"instance Kid { ID = \"a\"; };", SMSPROV_E_INVALID_SYNTAX, "1:10", "expected 'of'"},
    {"instance of Kid { ID = \"a\"; ID = \"b\"; };", SMSPROV_E_INVALID_SYNTAX, "1:29",
     "set twice"},
    {"instance of Kid { Link = $nobody; ID = \"a\"; };", SMSPROV_E_INVALID_SYNTAX, "1:26",
     "unknown alias $nobody"},
    {"uint32 X;", SMSPROV_E_INVALID_SYNTAX, "1:1",
     "expected 'class', 'instance of', 'qualifier' or '#pragma'"},
    {"qualifier Q : uint99 = 1;", SMSPROV_E_INVALID_SYNTAX, "1:22", "unknown qualifier type"},
    {"[Q($a)] class A {};", SMSPROV_E_INVALID_SYNTAX, "1:4", "must be a literal"},

    /* Classes */
    {"class B : Nope { };", SMSPROV_E_INVALID_CLASS, "1:11", "unknown superclass 'Nope'"},
    {"class A {\n  Missing P;\n};", SMSPROV_E_INVALID_CLASS, "2:3",
     "unknown type or class 'Missing' for property P"},
    {"class A { [EmbeddedInstance(\"Nope\")] string P; };", SMSPROV_E_INVALID_CLASS, "1:38",
     "unknown class 'Nope' for property P"},
    {"class A { Nope ref P; };", SMSPROV_E_INVALID_CLASS, "1:11", "unknown class 'Nope'"},
    {"class A { sint32 Go([in] Nope N); };", SMSPROV_E_INVALID_CLASS, "1:26",
     "parameter N of method Go"},
    {"class Kid { };", SMSPROV_E_ALREADY_EXISTS, "1:7", "already defined"},
    {"class A { uint32 X; string x; };", SMSPROV_E_INVALID_CLASS, "1:28", "declares x twice"},
    {"class A : Kid { string Small; };", SMSPROV_E_INVALID_CLASS, "1:24",
     "inherited from Kid as uint8"},
    {"class A {\n  [Range(\"9-1\")] uint32 Days;\n};", SMSPROV_E_INVALID_CLASS, "2:25",
     "Range qualifier of property Days"},
    {"class A { [max(\"lots\")] uint32 L[]; };", SMSPROV_E_INVALID_CLASS, "1:32", "max qualifier"},
    {"class A { [key] string K[]; };", SMSPROV_E_INVALID_CLASS, "1:24", "cannot be a key"},
    {"class A {\n  sint32 Go(string Where);\n};", SMSPROV_E_INVALID_CLASS, "2:10",
     "neither an [in] nor an [out]"},
    {"class A { sint32 Go([in] string W, [out] uint32 w); };", SMSPROV_E_INVALID_CLASS, "1:49",
     "declares parameter w twice"},
    {"class A { Token Go(); };", SMSPROV_E_INVALID_SYNTAX, "1:11", "must return a CIM type"},
    {"class 9A { };", SMSPROV_E_INVALID_SYNTAX, "1:7", "malformed number"},

    /* Instances */
    {"instance of Nope { };", SMSPROV_E_INVALID_CLASS, "1:13", "unknown class 'Nope'"},
    {"instance of Kid {\n  ID = \"a\";\n  Bogus = 1;\n};", SMSPROV_E_INVALID_CLASS, "3:3",
     "class Kid has no property 'Bogus'"},
    {"instance of Base { ID = \"a\"; };", SMSPROV_E_INVALID_CLASS, "1:13", "abstract"},
    {"instance of Token { Days = 1; };", SMSPROV_E_INVALID_CLASS, "1:1", "Embedded"},
    {"instance of Kid { Small = 1; };", SMSPROV_E_ILLEGAL_NULL, "1:1", "key property ID unset"},
    {"instance of Kid { ID = \"a\"; Tokens = {instance of Kid { ID = \"b\"; }}; };",
     SMSPROV_E_TYPE_MISMATCH, "1:51", "where the property expects Token"},

    /* Values that do not match the declared type */
    {"class A { uint8 X = 300; };", SMSPROV_E_TYPE_MISMATCH, "1:21",
     "the default of property X must be of type uint8 (from 0 to 255), not the number 300"},
    {"class A { uint8 X = -1; };", SMSPROV_E_TYPE_MISMATCH, "1:21", "from 0 to 255"},
    {"class A { sint8 X = -129; };", SMSPROV_E_TYPE_MISMATCH, "1:21", "from -128 to 127"},
    {"class A {\n  string S = 5;\n};", SMSPROV_E_TYPE_MISMATCH, "2:14",
     "must be of type string, not the number 5"},
    {"class A { boolean B = 1; };", SMSPROV_E_TYPE_MISMATCH, "1:23", "of type boolean"},
    {"class A { uint32 N = \"5\"; };", SMSPROV_E_TYPE_MISMATCH, "1:22", "not the string \"5\""},
    {"class A { uint32 N = 1.5; };", SMSPROV_E_TYPE_MISMATCH, "1:22", "not the real number"},
    {"class A { real32 R = 1e300; };", SMSPROV_E_TYPE_MISMATCH, "1:22", "range of real32"},
    {"class A { datetime D = \"yesterday\"; };", SMSPROV_E_TYPE_MISMATCH, "1:24",
     "of type datetime"},
    {"class A { uint32 L[] = 5; };", SMSPROV_E_INVALID_SYNTAX, "1:24", "expected '{' to open"},
    {"class A { uint32 S = {1}; };", SMSPROV_E_TYPE_MISMATCH, "1:22", "is not an array"},
    {"class A { uint32 L[] = {1, NULL}; };", SMSPROV_E_TYPE_MISMATCH, "1:28", "NULL items"},
    {"class A { uint8 F[2] = {1, 2, 3}; };", SMSPROV_E_TYPE_MISMATCH, "1:33", "fixed size 2"},
    {"class A { char16 C = \"c\"; };", SMSPROV_E_TYPE_MISMATCH, "1:22", "of type char16"},
    {"instance of Kid { ID = \"a\"; Small = 256; };", SMSPROV_E_TYPE_MISMATCH, "1:37",
     "property Small of Kid"},
    {"instance of Kid { ID = \"a\"; Flag = \"yes\"; };", SMSPROV_E_TYPE_MISMATCH, "1:36",
     "of type boolean"},
    {"instance of Kid { ID = \"a\"; Link = 7; };", SMSPROV_E_TYPE_MISMATCH, "1:36",
     "of type ref"},
};

static cim_schema *schema_with_prelude(void)
{
    cim_schema *schema = cim_schema_new();
    assert_int_equal(mof_compile_string(schema, prelude, "prelude.mof", SITE, NULL), SMSPROV_OK);
    return schema;
}

static void test_error_cases(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const error_case *c = &cases[i];
        cim_schema *schema = schema_with_prelude();
        size_t before;
        free(cim_schema_list_classes(schema, SITE, NULL, true, &before));
        smsprov_error err = {0};
        smsprov_code rc = mof_compile_string(schema, c->mof, "case.mof", SITE, &err);
        char where[64];
        snprintf(where, sizeof where, "case.mof:%s: ", c->position);
        if (rc != c->code || !err.description || strncmp(err.description, where, strlen(where)) ||
            !strstr(err.description, c->needle))
            fail_msg("case %zu `%s`: got %s \"%s\", want %s at %s with \"%s\"", i, c->mof,
                     smsprov_code_name(rc), err.description ? err.description : "",
                     smsprov_code_name(c->code), c->position, c->needle);
        assert_int_equal(err.code, c->code);
        assert_string_equal(err.file, "case.mof");
        assert_int_equal(err.line, (uint32_t)atoi(c->position));
        size_t after;
        free(cim_schema_list_classes(schema, SITE, NULL, true, &after));
        assert_int_equal(after, before); /* the faulty class was not added */
        assert_int_equal(cim_schema_seed_count(schema), 0);
        smsprov_error_clear(&err);
        cim_schema_free(schema);
    }
}

static void test_schema_keeps_complete_declarations(void **state)
{
    (void)state;
    cim_schema *schema = cim_schema_new();
    smsprov_error err = {0};
    const char *mof = "class A { uint32 X; };\n"
                      "class B { [key] string K; };\n"
                      "instance of B { K = \"one\"; };\n"
                      "class C { uint32 Y = \"no\"; };\n"
                      "class D { };\n";
    assert_int_equal(mof_compile_string(schema, mof, "partial.mof", SITE, &err),
                     SMSPROV_E_TYPE_MISMATCH);
    assert_non_null(strstr(err.description, "partial.mof:4:22:"));
    assert_non_null(cim_schema_find_class(schema, SITE, "A"));
    assert_non_null(cim_schema_find_class(schema, SITE, "B"));
    assert_null(cim_schema_find_class(schema, SITE, "C"));
    assert_null(cim_schema_find_class(schema, SITE, "D"));
    assert_int_equal(cim_schema_seed_count(schema), 1);
    smsprov_error_clear(&err);
    cim_schema_free(schema);
}

static void test_missing_files(void **state)
{
    (void)state;
    cim_schema *schema = cim_schema_new();
    smsprov_error err = {0};
    assert_int_equal(mof_compile_file(schema, SMSPROV_TEST_SCRATCH "/no/such.mof", SITE, &err),
                     SMSPROV_E_NOT_FOUND);
    assert_non_null(strstr(err.description, "no/such.mof"));
    assert_int_equal(mof_compile_dir(schema, SMSPROV_TEST_SCRATCH "/no/such/dir", SITE, &err),
                     SMSPROV_E_NOT_FOUND);
    assert_non_null(strstr(err.description, "no/such/dir"));
    assert_int_equal(mof_compile_string(schema, NULL, "x.mof", SITE, &err),
                     SMSPROV_E_INVALID_PARAMETER);
    assert_int_equal(cim_schema_namespace_count(schema), 0);
    smsprov_error_clear(&err);
    cim_schema_free(schema);
}

static void test_include_depth_and_nul_bytes(void **state)
{
    (void)state;
    const char *self = SMSPROV_TEST_SCRATCH "/mof_errors_self.mof";
    FILE *f = fopen(self, "w");
    assert_non_null(f);
    fputs("#pragma include(\"mof_errors_self.mof\")\n", f);
    fclose(f);
    cim_schema *schema = cim_schema_new();
    smsprov_error err = {0};
    assert_int_equal(mof_compile_file(schema, self, SITE, &err), SMSPROV_E_INVALID_SYNTAX);
    assert_non_null(strstr(err.description, "nests deeper than"));
    assert_non_null(strstr(err.description, "mof_errors_self.mof:1:"));

    const char *nul = SMSPROV_TEST_SCRATCH "/mof_errors_nul.mof";
    f = fopen(nul, "wb");
    assert_non_null(f);
    fwrite("class A {};\0class B {};", 1, 23, f);
    fclose(f);
    assert_int_equal(mof_compile_file(schema, nul, SITE, &err), SMSPROV_E_INVALID_SYNTAX);
    assert_non_null(strstr(err.description, "NUL bytes"));
    assert_null(cim_schema_find_class(schema, SITE, "A"));
    smsprov_error_clear(&err);
    cim_schema_free(schema);
    remove(self);
    remove(nul);
}

static void test_nesting_limit(void **state)
{
    (void)state;
    cim_buf mof = {0};
    cim_buf_append(&mof, "[Embedded] class Node { Node Next; };\nclass Root { [key] string K; "
                         "Node First; };\ninstance of Root { K = \"r\"; First = ");
    for (int i = 0; i < 40; i++)
        cim_buf_append(&mof, "instance of Node { Next = ");
    cim_buf_append(&mof, "NULL;");
    for (int i = 0; i < 40; i++)
        cim_buf_append(&mof, " };");
    cim_buf_append(&mof, " };\n");
    cim_schema *schema = cim_schema_new();
    smsprov_error err = {0};
    assert_int_equal(mof_compile_string(schema, mof.data, "deep.mof", SITE, &err),
                     SMSPROV_E_INVALID_SYNTAX);
    assert_non_null(strstr(err.description, "nest deeper than 32"));
    assert_non_null(strstr(err.description, "deep.mof:3:"));
    assert_int_equal(cim_schema_seed_count(schema), 0);
    smsprov_error_clear(&err);
    cim_buf_clear(&mof);
    cim_schema_free(schema);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_error_cases),
        cmocka_unit_test(test_schema_keeps_complete_declarations),
        cmocka_unit_test(test_missing_files),
        cmocka_unit_test(test_include_depth_and_nul_bytes),
        cmocka_unit_test(test_nesting_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
