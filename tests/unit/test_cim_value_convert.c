/* test_cim_value_convert.c - cim_value_convert: every accepted conversion
 * and every refusal, with the sentence a person sees. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "smsprov/cim.h"

/* Converts a string and compares the result's text (or the error text). */
typedef struct string_case {
    const char *input;
    cim_type type;
    const char *expect; /* cim_value_to_text of the result, or NULL for an error */
    const char *why;    /* a fragment of the error sentence */
} string_case;

static const string_case string_cases[] = {
    {"42", CIM_TYPE_UINT32, "42", NULL},
    {"0x2A", CIM_TYPE_UINT32, "42", NULL},
    {"0X2a", CIM_TYPE_UINT8, "42", NULL},
    {"-1", CIM_TYPE_SINT32, "-1", NULL},
    {"+7", CIM_TYPE_SINT8, "7", NULL},
    {"  12  ", CIM_TYPE_UINT16, "12", NULL},
    {"255", CIM_TYPE_UINT8, "255", NULL},
    {"256", CIM_TYPE_UINT8, NULL, "256 is out of range for uint8"},
    {"300", CIM_TYPE_UINT8, NULL, "300 is out of range for uint8, which holds 0 to 255"},
    {"-1", CIM_TYPE_UINT32, NULL, "-1 is out of range for uint32"},
    {"-128", CIM_TYPE_SINT8, "-128", NULL},
    {"-129", CIM_TYPE_SINT8, NULL, "-129 is out of range for sint8"},
    {"127", CIM_TYPE_SINT8, "127", NULL},
    {"128", CIM_TYPE_SINT8, NULL, "out of range for sint8"},
    {"65535", CIM_TYPE_UINT16, "65535", NULL},
    {"65536", CIM_TYPE_UINT16, NULL, "out of range for uint16"},
    {"-32768", CIM_TYPE_SINT16, "-32768", NULL},
    {"4294967295", CIM_TYPE_UINT32, "4294967295", NULL},
    {"4294967296", CIM_TYPE_UINT32, NULL, "out of range for uint32"},
    {"-2147483648", CIM_TYPE_SINT32, "-2147483648", NULL},
    {"2147483648", CIM_TYPE_SINT32, NULL, "out of range for sint32"},
    {"18446744073709551615", CIM_TYPE_UINT64, "18446744073709551615", NULL},
    {"0xFFFFFFFFFFFFFFFF", CIM_TYPE_UINT64, "18446744073709551615", NULL},
    {"18446744073709551616", CIM_TYPE_UINT64, NULL, "out of range for uint64"},
    {"-9223372036854775808", CIM_TYPE_SINT64, "-9223372036854775808", NULL},
    {"-9223372036854775809", CIM_TYPE_SINT64, NULL, "out of range for sint64"},
    {"9223372036854775807", CIM_TYPE_SINT64, "9223372036854775807", NULL},
    {"9223372036854775808", CIM_TYPE_SINT64, NULL, "out of range for sint64"},
    {"-0x10", CIM_TYPE_SINT32, "-16", NULL},
    {"42abc", CIM_TYPE_UINT32, NULL, "\"42abc\" is not a valid uint32"},
    {"abc", CIM_TYPE_UINT32, NULL, "not a valid uint32"},
    {"", CIM_TYPE_UINT32, NULL, "not a valid uint32"},
    {"   ", CIM_TYPE_SINT32, NULL, "not a valid sint32"},
    {"0x", CIM_TYPE_UINT32, NULL, "not a valid uint32"},
    {"0xG1", CIM_TYPE_UINT32, NULL, "not a valid uint32"},
    {"--1", CIM_TYPE_SINT32, NULL, "not a valid sint32"},
    {"1 2", CIM_TYPE_UINT32, NULL, "not a valid uint32"},
    {"1.5", CIM_TYPE_UINT32, NULL, "\"1.5\" is not a whole number"},
    {"1e3", CIM_TYPE_UINT32, NULL, "is not a whole number"},
    {"1.5", CIM_TYPE_REAL64, "1.5", NULL},
    {"-2e3", CIM_TYPE_REAL64, "-2000", NULL},
    {"42", CIM_TYPE_REAL32, "42", NULL},
    {"0.1", CIM_TYPE_REAL32, "0.1", NULL},
    {"1e39", CIM_TYPE_REAL32, NULL, "out of range for real32"},
    {"1e39", CIM_TYPE_REAL64, "1e+39", NULL},
    {"NaN", CIM_TYPE_REAL64, "NaN", NULL},
    {"1e999", CIM_TYPE_REAL64, NULL, "1e999 is out of range for real64"},
    {"1e-999", CIM_TYPE_REAL64, "0", NULL},
    {"4.9e-324", CIM_TYPE_REAL64, "5e-324", NULL},
    {"-Infinity", CIM_TYPE_REAL64, "-Infinity", NULL},
    {"1.5x", CIM_TYPE_REAL64, NULL, "\"1.5x\" is not a valid real64"},
    {"", CIM_TYPE_REAL64, NULL, "not a valid real64"},
    {"true", CIM_TYPE_BOOLEAN, "TRUE", NULL},
    {"TRUE", CIM_TYPE_BOOLEAN, "TRUE", NULL},
    {"False", CIM_TYPE_BOOLEAN, "FALSE", NULL},
    {"1", CIM_TYPE_BOOLEAN, "TRUE", NULL},
    {"0", CIM_TYPE_BOOLEAN, "FALSE", NULL},
    {" true ", CIM_TYPE_BOOLEAN, "TRUE", NULL},
    {"yes", CIM_TYPE_BOOLEAN, NULL, "\"yes\" is not a boolean"},
    {"2", CIM_TYPE_BOOLEAN, NULL, "not a boolean"},
    {"truex", CIM_TYPE_BOOLEAN, NULL, "not a boolean"},
    {"", CIM_TYPE_BOOLEAN, NULL, "not a boolean"},
    {"19700201000000.000000+***", CIM_TYPE_DATETIME, "19700201000000.000000+***", NULL},
    {"00000001020304.000005:000", CIM_TYPE_DATETIME, "00000001020304.000005:000", NULL},
    {"19981118175900000000+***", CIM_TYPE_DATETIME, NULL, "is not a valid datetime"},
    {"20241301000000.000000+000", CIM_TYPE_DATETIME, NULL, "month"},
    {"yesterday", CIM_TYPE_DATETIME, NULL, "25 characters"},
    {"SMS_Package.PackageID=\"LAB00001\"", CIM_TYPE_REFERENCE, "SMS_Package.PackageID=\"LAB00001\"",
     NULL},
    {"SMS_Package.PackageID=", CIM_TYPE_REFERENCE, NULL, "is not a valid object reference"},
    {"A", CIM_TYPE_CHAR16, "A", NULL},
    {"\xc3\xa9", CIM_TYPE_CHAR16, "\xc3\xa9", NULL},
    {"AB", CIM_TYPE_CHAR16, NULL, "not a single character"},
    {"", CIM_TYPE_CHAR16, NULL, "not a single character"},
    {"\xf0\x9f\x98\x80", CIM_TYPE_CHAR16, NULL, "Basic Multilingual Plane"},
    {"\xff", CIM_TYPE_CHAR16, NULL, "not a single character"},
    {"anything at all", CIM_TYPE_STRING, "anything at all", NULL},
    {"x", CIM_TYPE_OBJECT, NULL, "cannot be converted to object"},
};

static void test_string_conversions(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof string_cases / sizeof string_cases[0]; i++) {
        const string_case *c = &string_cases[i];
        cim_value src = cim_value_string(c->input);
        cim_value out = cim_value_uint(CIM_TYPE_UINT32, 12345); /* sentinel */
        smsprov_error err = {0};
        smsprov_code code = cim_value_convert(&src, c->type, false, &out, &err);
        if (c->expect) {
            if (code != SMSPROV_OK)
                fail_msg("case %zu \"%s\" -> %s failed: %s", i, c->input, cim_type_name(c->type),
                         err.description);
            assert_int_equal(out.type, c->type);
            assert_false(out.is_array);
            char *text = cim_value_to_text(&out);
            if (strcmp(text, c->expect) != 0)
                fail_msg("case %zu \"%s\" -> %s gave %s, expected %s", i, c->input,
                         cim_type_name(c->type), text, c->expect);
            free(text);
            cim_value_clear(&out);
        } else {
            if (code != SMSPROV_E_TYPE_MISMATCH)
                fail_msg("case %zu \"%s\" -> %s should fail", i, c->input, cim_type_name(c->type));
            assert_non_null(err.description);
            if (!strstr(err.description, c->why))
                fail_msg("case %zu: \"%s\" does not contain \"%s\"", i, err.description, c->why);
            /* out is left alone on failure */
            assert_int_equal(out.type, CIM_TYPE_UINT32);
            assert_int_equal(out.u.uint, 12345);
        }
        smsprov_error_clear(&err);
        cim_value_clear(&src);
    }
}

static smsprov_code convert(cim_value src, cim_type type, cim_value *out, char **why)
{
    smsprov_error err = {0};
    smsprov_code code = cim_value_convert(&src, type, false, out, &err);
    *why = err.description ? strdup(err.description) : NULL;
    smsprov_error_clear(&err);
    cim_value_clear(&src);
    return code;
}

static void test_number_to_number(void **state)
{
    (void)state;
    cim_value out;
    char *why;
    assert_int_equal(convert(cim_value_uint(CIM_TYPE_UINT32, 300), CIM_TYPE_UINT8, &out, &why),
                     SMSPROV_E_TYPE_MISMATCH);
    assert_string_equal(why, "300 is out of range for uint8, which holds 0 to 255.");
    free(why);

    assert_int_equal(convert(cim_value_uint(CIM_TYPE_UINT32, 200), CIM_TYPE_UINT8, &out, &why), 0);
    assert_int_equal(out.type, CIM_TYPE_UINT8);
    assert_int_equal(out.u.uint, 200);

    assert_int_equal(convert(cim_value_sint(CIM_TYPE_SINT32, -5), CIM_TYPE_UINT32, &out, &why),
                     SMSPROV_E_TYPE_MISMATCH);
    assert_non_null(strstr(why, "-5 is out of range for uint32"));
    free(why);

    assert_int_equal(convert(cim_value_sint(CIM_TYPE_SINT32, -5), CIM_TYPE_SINT64, &out, &why), 0);
    assert_int_equal(out.u.sint, -5);

    assert_int_equal(
        convert(cim_value_uint(CIM_TYPE_UINT64, UINT64_MAX), CIM_TYPE_SINT64, &out, &why),
        SMSPROV_E_TYPE_MISMATCH);
    free(why);

    assert_int_equal(
        convert(cim_value_sint(CIM_TYPE_SINT64, INT64_MIN), CIM_TYPE_SINT64, &out, &why), 0);
    assert_true(out.u.sint == INT64_MIN);

    assert_int_equal(convert(cim_value_real(CIM_TYPE_REAL64, 7.0), CIM_TYPE_UINT16, &out, &why), 0);
    assert_int_equal(out.u.uint, 7);
    assert_int_equal(convert(cim_value_real(CIM_TYPE_REAL64, -7.0), CIM_TYPE_SINT16, &out, &why),
                     0);
    assert_int_equal(out.u.sint, -7);
    assert_int_equal(convert(cim_value_real(CIM_TYPE_REAL64, 7.5), CIM_TYPE_UINT16, &out, &why),
                     SMSPROV_E_TYPE_MISMATCH);
    assert_non_null(strstr(why, "7.5 is not a whole number"));
    free(why);
    assert_int_equal(convert(cim_value_real(CIM_TYPE_REAL64, NAN), CIM_TYPE_SINT32, &out, &why),
                     SMSPROV_E_TYPE_MISMATCH);
    free(why);
    assert_int_equal(convert(cim_value_real(CIM_TYPE_REAL64, 1e30), CIM_TYPE_UINT64, &out, &why),
                     SMSPROV_E_TYPE_MISMATCH);
    assert_non_null(strstr(why, "out of range for uint64"));
    free(why);
    assert_int_equal(convert(cim_value_real(CIM_TYPE_REAL64, 70000.0), CIM_TYPE_UINT16, &out, &why),
                     SMSPROV_E_TYPE_MISMATCH);
    free(why);

    assert_int_equal(
        convert(cim_value_uint(CIM_TYPE_UINT64, UINT64_MAX), CIM_TYPE_REAL64, &out, &why), 0);
    assert_true(out.u.real == 18446744073709551616.0);
    assert_int_equal(convert(cim_value_real(CIM_TYPE_REAL64, 0.1), CIM_TYPE_REAL32, &out, &why), 0);
    assert_true(out.u.real == (double)0.1f); /* rounded to single precision */
    assert_int_equal(convert(cim_value_real(CIM_TYPE_REAL64, 1e300), CIM_TYPE_REAL32, &out, &why),
                     SMSPROV_E_TYPE_MISMATCH);
    assert_non_null(strstr(why, "out of range for real32"));
    free(why);
    assert_int_equal(
        convert(cim_value_real(CIM_TYPE_REAL64, INFINITY), CIM_TYPE_REAL32, &out, &why), 0);
    assert_true(isinf(out.u.real));
}

static void test_to_string(void **state)
{
    (void)state;
    static const struct {
        cim_value value;
        const char *text;
    } cases[] = {
        {{CIM_TYPE_UINT32, false, false, {.uint = 42}}, "42"},
        {{CIM_TYPE_SINT64, false, false, {.sint = -9}}, "-9"},
        {{CIM_TYPE_REAL64, false, false, {.real = 0.5}}, "0.5"},
        {{CIM_TYPE_BOOLEAN, false, false, {.boolean = true}}, "TRUE"},
        {{CIM_TYPE_CHAR16, false, false, {.uint = 'x'}}, "x"},
        {{CIM_TYPE_DATETIME, false, false, {.string = "20240101120000.000000+000"}},
         "20240101120000.000000+000"},
        {{CIM_TYPE_REFERENCE, false, false, {.string = "A.B=1"}}, "A.B=1"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        cim_value out;
        smsprov_error err = {0};
        assert_int_equal(cim_value_convert(&cases[i].value, CIM_TYPE_STRING, false, &out, &err), 0);
        assert_int_equal(out.type, CIM_TYPE_STRING);
        assert_string_equal(out.u.string, cases[i].text);
        assert_ptr_not_equal(out.u.string, cases[i].value.u.string);
        cim_value_clear(&out);
    }
}

static void test_other_scalars(void **state)
{
    (void)state;
    cim_value out;
    char *why;
    assert_int_equal(convert(cim_value_uint(CIM_TYPE_UINT8, 1), CIM_TYPE_BOOLEAN, &out, &why), 0);
    assert_true(out.u.boolean);
    assert_int_equal(convert(cim_value_sint(CIM_TYPE_SINT8, 0), CIM_TYPE_BOOLEAN, &out, &why), 0);
    assert_false(out.u.boolean);
    assert_int_equal(convert(cim_value_sint(CIM_TYPE_SINT8, -1), CIM_TYPE_BOOLEAN, &out, &why),
                     SMSPROV_E_TYPE_MISMATCH);
    assert_non_null(strstr(why, "-1 is not a boolean"));
    free(why);
    assert_int_equal(convert(cim_value_real(CIM_TYPE_REAL64, 1), CIM_TYPE_BOOLEAN, &out, &why),
                     SMSPROV_E_TYPE_MISMATCH);
    free(why);
    assert_int_equal(convert(cim_value_bool(true), CIM_TYPE_UINT32, &out, &why),
                     SMSPROV_E_TYPE_MISMATCH);
    assert_non_null(strstr(why, "boolean value TRUE cannot be converted to uint32"));
    free(why);
    assert_int_equal(convert(cim_value_bool(true), CIM_TYPE_DATETIME, &out, &why),
                     SMSPROV_E_TYPE_MISMATCH);
    free(why);
    assert_int_equal(convert(cim_value_uint(CIM_TYPE_UINT32, 5), CIM_TYPE_REFERENCE, &out, &why),
                     SMSPROV_E_TYPE_MISMATCH);
    free(why);
    assert_int_equal(convert(cim_value_uint(CIM_TYPE_UINT32, 65), CIM_TYPE_CHAR16, &out, &why), 0);
    assert_int_equal(out.type, CIM_TYPE_CHAR16);
    assert_int_equal(out.u.uint, 65);
    assert_int_equal(convert(cim_value_uint(CIM_TYPE_UINT32, 70000), CIM_TYPE_CHAR16, &out, &why),
                     SMSPROV_E_TYPE_MISMATCH);
    assert_non_null(strstr(why, "out of range for char16"));
    free(why);
    assert_int_equal(convert(cim_value_uint(CIM_TYPE_CHAR16, 66), CIM_TYPE_UINT8, &out, &why), 0);
    assert_int_equal(out.u.uint, 66);
    /* A datetime value is re-validated on the way in. */
    assert_int_equal(convert(cim_value_datetime("2024"), CIM_TYPE_DATETIME, &out, &why),
                     SMSPROV_E_TYPE_MISMATCH);
    free(why);
    assert_int_equal(
        convert(cim_value_datetime("20240229000000.000000+060"), CIM_TYPE_DATETIME, &out, &why), 0);
    cim_value_clear(&out);
    assert_int_equal(convert(cim_value_reference("X=@"), CIM_TYPE_REFERENCE, &out, &why), 0);
    assert_string_equal(out.u.string, "X=@");
    cim_value_clear(&out);
    assert_int_equal(convert(cim_value_reference("X=@"), CIM_TYPE_INVALID, &out, &why),
                     SMSPROV_E_TYPE_MISMATCH);
    free(why);
}

static void test_null_converts_to_null(void **state)
{
    (void)state;
    cim_value src = cim_value_null(CIM_TYPE_STRING, false);
    cim_value out;
    assert_int_equal(cim_value_convert(&src, CIM_TYPE_UINT32, true, &out, NULL), 0);
    assert_true(out.is_null);
    assert_true(out.is_array);
    assert_int_equal(out.type, CIM_TYPE_UINT32);
}

static cim_value string_array(const char *const *items, size_t n)
{
    cim_value arr = cim_value_array(CIM_TYPE_STRING);
    for (size_t i = 0; i < n; i++) {
        cim_value item = cim_value_string(items[i]);
        cim_value_array_append_take(&arr, &item);
    }
    return arr;
}

static void test_arrays(void **state)
{
    (void)state;
    static const char *const good[] = {"1033", "0x407", "1031"};
    cim_value src = string_array(good, 3);
    cim_value out;
    smsprov_error err = {0};
    assert_int_equal(cim_value_convert(&src, CIM_TYPE_UINT32, true, &out, &err), 0);
    assert_true(out.is_array);
    assert_int_equal(out.type, CIM_TYPE_UINT32);
    assert_int_equal(out.u.array.count, 3);
    assert_int_equal(out.u.array.items[1].u.uint, 1031);
    assert_int_equal(out.u.array.items[1].type, CIM_TYPE_UINT32);
    cim_value_clear(&out);

    /* array to scalar and scalar to array are refused */
    assert_int_equal(cim_value_convert(&src, CIM_TYPE_UINT32, false, &out, &err),
                     SMSPROV_E_TYPE_MISMATCH);
    assert_non_null(strstr(err.description, "string array cannot be stored in a single uint32"));
    cim_value one = cim_value_string("5");
    assert_int_equal(cim_value_convert(&one, CIM_TYPE_UINT32, true, &out, &err),
                     SMSPROV_E_TYPE_MISMATCH);
    assert_non_null(strstr(err.description, "cannot be stored in a uint32 array"));
    cim_value_clear(&one);
    cim_value_clear(&src);

    static const char *const bad[] = {"1", "2", "999"};
    src = string_array(bad, 3);
    out = cim_value_null(CIM_TYPE_UINT8, true);
    assert_int_equal(cim_value_convert(&src, CIM_TYPE_UINT8, true, &out, &err),
                     SMSPROV_E_TYPE_MISMATCH);
    assert_string_equal(err.description,
                        "Array item 2: 999 is out of range for uint8, which holds 0 to 255.");
    assert_true(out.is_null);
    cim_value_clear(&src);

    /* Null items are only for embedded objects. */
    src = cim_value_array(CIM_TYPE_STRING);
    cim_value null_item = cim_value_null(CIM_TYPE_STRING, false);
    cim_value_array_append(&src, &null_item);
    assert_int_equal(cim_value_convert(&src, CIM_TYPE_STRING, true, &out, &err),
                     SMSPROV_E_TYPE_MISMATCH);
    assert_non_null(strstr(err.description, "Array item 0"));
    cim_value_clear(&src);

    src = cim_value_array(CIM_TYPE_OBJECT);
    cim_value null_object = cim_value_object(NULL);
    cim_value_array_append(&src, &null_object);
    assert_int_equal(cim_value_convert(&src, CIM_TYPE_OBJECT, true, &out, &err), 0);
    assert_int_equal(out.u.array.count, 1);
    assert_true(out.u.array.items[0].is_null);
    cim_value_clear(&out);
    cim_value_clear(&src);

    src = cim_value_array(CIM_TYPE_SINT32);
    assert_int_equal(cim_value_convert(&src, CIM_TYPE_REAL64, true, &out, &err), 0);
    assert_false(out.is_null);
    assert_int_equal(out.u.array.count, 0);
    cim_value_clear(&src);
    smsprov_error_clear(&err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_string_conversions),
        cmocka_unit_test(test_number_to_number),
        cmocka_unit_test(test_to_string),
        cmocka_unit_test(test_other_scalars),
        cmocka_unit_test(test_null_converts_to_null),
        cmocka_unit_test(test_arrays),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
