/* test_cim_value.c - types, value construction, copying, equality and the
 * MOF and plain-text forms of scalars and arrays. */
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

static void test_type_names_round_trip(void **state)
{
    (void)state;
    static const cim_type all[] = {
        CIM_TYPE_SINT8,  CIM_TYPE_UINT8,  CIM_TYPE_SINT16,   CIM_TYPE_UINT16,
        CIM_TYPE_SINT32, CIM_TYPE_UINT32, CIM_TYPE_SINT64,   CIM_TYPE_UINT64,
        CIM_TYPE_REAL32, CIM_TYPE_REAL64, CIM_TYPE_STRING,   CIM_TYPE_BOOLEAN,
        CIM_TYPE_OBJECT, CIM_TYPE_CHAR16, CIM_TYPE_DATETIME, CIM_TYPE_REFERENCE,
    };
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        cim_type back = CIM_TYPE_INVALID;
        assert_true(cim_type_from_name(cim_type_name(all[i]), &back));
        assert_int_equal(back, all[i]);
    }
    assert_string_equal(cim_type_name(CIM_TYPE_UINT32), "uint32");
    assert_string_equal(cim_type_name(CIM_TYPE_REFERENCE), "ref");
    assert_string_equal(cim_type_name(CIM_TYPE_OBJECT), "object");
    assert_string_equal(cim_type_name(CIM_TYPE_INVALID), "invalid");
}

static void test_type_from_name_cases(void **state)
{
    (void)state;
    cim_type t = CIM_TYPE_INVALID;
    assert_true(cim_type_from_name("UInt32", &t));
    assert_int_equal(t, CIM_TYPE_UINT32);
    assert_true(cim_type_from_name("DATETIME", &t));
    assert_int_equal(t, CIM_TYPE_DATETIME);
    t = CIM_TYPE_STRING;
    assert_false(cim_type_from_name("int", &t));
    assert_false(cim_type_from_name("", &t));
    assert_false(cim_type_from_name("uint32 ", &t));
    assert_false(cim_type_from_name(NULL, &t));
    assert_int_equal(t, CIM_TYPE_STRING); /* untouched on failure */
}

static void test_type_classification(void **state)
{
    (void)state;
    assert_true(cim_type_is_signed(CIM_TYPE_SINT8));
    assert_true(cim_type_is_signed(CIM_TYPE_SINT64));
    assert_false(cim_type_is_signed(CIM_TYPE_UINT8));
    assert_true(cim_type_is_unsigned(CIM_TYPE_UINT64));
    assert_false(cim_type_is_unsigned(CIM_TYPE_CHAR16));
    assert_true(cim_type_is_integer(CIM_TYPE_UINT16));
    assert_false(cim_type_is_integer(CIM_TYPE_REAL32));
    assert_false(cim_type_is_integer(CIM_TYPE_BOOLEAN));
    assert_true(cim_type_is_real(CIM_TYPE_REAL32));
    assert_true(cim_type_is_real(CIM_TYPE_REAL64));
    assert_false(cim_type_is_real(CIM_TYPE_SINT32));
    assert_true(cim_type_is_textual(CIM_TYPE_STRING));
    assert_true(cim_type_is_textual(CIM_TYPE_DATETIME));
    assert_true(cim_type_is_textual(CIM_TYPE_REFERENCE));
    assert_false(cim_type_is_textual(CIM_TYPE_CHAR16));
    assert_false(cim_type_is_textual(CIM_TYPE_OBJECT));
}

static void test_integer_ranges(void **state)
{
    (void)state;
    static const struct {
        cim_type type;
        int64_t min;
        uint64_t max;
    } cases[] = {
        {CIM_TYPE_SINT8, -128, 127},
        {CIM_TYPE_UINT8, 0, 255},
        {CIM_TYPE_SINT16, -32768, 32767},
        {CIM_TYPE_UINT16, 0, 65535},
        {CIM_TYPE_SINT32, INT32_MIN, INT32_MAX},
        {CIM_TYPE_UINT32, 0, UINT32_MAX},
        {CIM_TYPE_SINT64, INT64_MIN, INT64_MAX},
        {CIM_TYPE_UINT64, 0, UINT64_MAX},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int64_t min = 1;
        uint64_t max = 1;
        assert_true(cim_type_integer_range(cases[i].type, &min, &max));
        assert_int_equal(min, cases[i].min);
        assert_int_equal(max, cases[i].max);
    }
    assert_false(cim_type_integer_range(CIM_TYPE_REAL64, NULL, NULL));
    assert_false(cim_type_integer_range(CIM_TYPE_CHAR16, NULL, NULL));
}

static void test_constructors(void **state)
{
    (void)state;
    cim_value v = cim_value_null(CIM_TYPE_UINT32, true);
    assert_true(v.is_null);
    assert_true(v.is_array);
    assert_int_equal(v.type, CIM_TYPE_UINT32);

    v = cim_value_sint(CIM_TYPE_SINT16, -5);
    assert_false(v.is_null);
    assert_false(v.is_array);
    assert_int_equal(v.u.sint, -5);

    v = cim_value_uint(CIM_TYPE_UINT64, UINT64_MAX);
    assert_true(v.u.uint == UINT64_MAX);

    v = cim_value_real(CIM_TYPE_REAL64, 2.5);
    assert_true(v.u.real == 2.5);

    v = cim_value_bool(true);
    assert_int_equal(v.type, CIM_TYPE_BOOLEAN);
    assert_true(v.u.boolean);

    char text[] = "hello";
    v = cim_value_string(text);
    text[0] = 'J'; /* the value owns a copy */
    assert_string_equal(v.u.string, "hello");
    cim_value_clear(&v);
    assert_true(v.is_null);
    assert_int_equal(v.type, CIM_TYPE_STRING);

    v = cim_value_string(NULL);
    assert_true(v.is_null);
    assert_int_equal(v.type, CIM_TYPE_STRING);

    v = cim_value_datetime("20240101120000.000000+000");
    assert_int_equal(v.type, CIM_TYPE_DATETIME);
    cim_value_clear(&v);
    v = cim_value_reference("SMS_Package.PackageID=\"LAB00001\"");
    assert_int_equal(v.type, CIM_TYPE_REFERENCE);
    cim_value_clear(&v);

    v = cim_value_object(NULL);
    assert_true(v.is_null);
    assert_int_equal(v.type, CIM_TYPE_OBJECT);

    v = cim_value_array(CIM_TYPE_STRING);
    assert_false(v.is_null);
    assert_true(v.is_array);
    assert_int_equal(v.u.array.count, 0);
    cim_value_clear(&v);
}

static void test_array_append_and_copy(void **state)
{
    (void)state;
    cim_value arr = cim_value_array(CIM_TYPE_STRING);
    for (int i = 0; i < 100; i++) {
        char text[16];
        snprintf(text, sizeof text, "item%d", i);
        cim_value item = cim_value_string(text);
        if (i % 2)
            cim_value_array_append(&arr, &item);
        else
            cim_value_array_append_take(&arr, &item);
        if (i % 2 == 0)
            assert_true(item.is_null); /* taken */
        cim_value_clear(&item);
    }
    assert_int_equal(arr.u.array.count, 100);
    assert_string_equal(arr.u.array.items[42].u.string, "item42");
    assert_false(arr.u.array.items[42].is_array);

    cim_value copy;
    cim_value_copy(&copy, &arr);
    assert_true(cim_value_equal(&copy, &arr));
    assert_ptr_not_equal(copy.u.array.items, arr.u.array.items);
    assert_ptr_not_equal(copy.u.array.items[0].u.string, arr.u.array.items[0].u.string);

    copy.u.array.items[99].u.string[0] = 'X';
    assert_false(cim_value_equal(&copy, &arr));
    cim_value_clear(&copy);
    assert_true(copy.is_null);
    assert_true(copy.is_array);
    cim_value_clear(&arr);
}

static void test_append_to_null_array(void **state)
{
    (void)state;
    cim_value arr = cim_value_null(CIM_TYPE_UINT32, true);
    cim_value item = cim_value_uint(CIM_TYPE_UINT32, 7);
    cim_value_array_append(&arr, &item);
    assert_false(arr.is_null);
    assert_int_equal(arr.u.array.count, 1);
    assert_int_equal(arr.u.array.items[0].u.uint, 7);
    cim_value_clear(&arr);
}

static void test_move(void **state)
{
    (void)state;
    cim_value dst = cim_value_string("old");
    cim_value src = cim_value_string("new");
    cim_value_move(&dst, &src);
    assert_string_equal(dst.u.string, "new");
    assert_true(src.is_null);
    assert_int_equal(src.type, CIM_TYPE_STRING);
    cim_value_move(&dst, &dst); /* moving onto itself keeps the value */
    assert_string_equal(dst.u.string, "new");
    cim_value_clear(&dst);
}

static void test_equal(void **state)
{
    (void)state;
    cim_value a = cim_value_uint(CIM_TYPE_UINT32, 5);
    cim_value b = cim_value_uint(CIM_TYPE_UINT32, 5);
    cim_value c = cim_value_uint(CIM_TYPE_UINT16, 5);
    cim_value d = cim_value_null(CIM_TYPE_UINT32, false);
    cim_value e = cim_value_null(CIM_TYPE_UINT32, false);
    assert_true(cim_value_equal(&a, &b));
    assert_false(cim_value_equal(&a, &c)); /* type differs */
    assert_false(cim_value_equal(&a, &d));
    assert_true(cim_value_equal(&d, &e));

    cim_value nan1 = cim_value_real(CIM_TYPE_REAL64, NAN);
    cim_value nan2 = cim_value_real(CIM_TYPE_REAL64, NAN);
    assert_true(cim_value_equal(&nan1, &nan2));

    cim_value s1 = cim_value_string("Abc"), s2 = cim_value_string("abc");
    assert_false(cim_value_equal(&s1, &s2)); /* values are case-sensitive */
    cim_value_clear(&s1);
    cim_value_clear(&s2);

    cim_value arr1 = cim_value_array(CIM_TYPE_UINT32), arr2 = cim_value_array(CIM_TYPE_UINT32);
    assert_true(cim_value_equal(&arr1, &arr2));
    cim_value_array_append(&arr1, &a);
    assert_false(cim_value_equal(&arr1, &arr2));
    cim_value_array_append(&arr2, &a);
    assert_true(cim_value_equal(&arr1, &arr2));
    assert_false(cim_value_equal(&arr1, &a)); /* array vs scalar */
    cim_value_clear(&arr1);
    cim_value_clear(&arr2);
}

static void check_text(cim_value v, const char *mof, const char *text)
{
    char *m = cim_value_to_mof(&v);
    char *t = cim_value_to_text(&v);
    assert_string_equal(m, mof);
    if (text)
        assert_string_equal(t, text);
    else
        assert_null(t);
    free(m);
    free(t);
    cim_value_clear(&v);
}

static void test_scalar_text_forms(void **state)
{
    (void)state;
    check_text(cim_value_uint(CIM_TYPE_UINT32, 42), "42", "42");
    check_text(cim_value_sint(CIM_TYPE_SINT64, INT64_MIN), "-9223372036854775808",
               "-9223372036854775808");
    check_text(cim_value_uint(CIM_TYPE_UINT64, UINT64_MAX), "18446744073709551615",
               "18446744073709551615");
    check_text(cim_value_real(CIM_TYPE_REAL64, 0.1), "0.1", "0.1");
    check_text(cim_value_real(CIM_TYPE_REAL64, 1.0 / 3), "0.3333333333333333",
               "0.3333333333333333");
    check_text(cim_value_real(CIM_TYPE_REAL32, (float)0.1), "0.1", "0.1");
    check_text(cim_value_real(CIM_TYPE_REAL64, -2.5e300), "-2.5e+300", "-2.5e+300");
    check_text(cim_value_real(CIM_TYPE_REAL64, INFINITY), "Infinity", "Infinity");
    check_text(cim_value_bool(true), "TRUE", "TRUE");
    check_text(cim_value_bool(false), "FALSE", "FALSE");
    check_text(cim_value_null(CIM_TYPE_STRING, false), "NULL", NULL);
    check_text(cim_value_null(CIM_TYPE_UINT32, true), "NULL", NULL);
    check_text(cim_value_string("plain"), "\"plain\"", "plain");
    check_text(cim_value_string("say \"hi\"\\ok\n\t\x01"), "\"say \\\"hi\\\"\\\\ok\\n\\t\\x01\"",
               "say \"hi\"\\ok\n\t\x01");
    check_text(cim_value_string("caf\xc3\xa9"), "\"caf\xc3\xa9\"", "caf\xc3\xa9");
    check_text(cim_value_datetime("19700201000000.000000+***"), "\"19700201000000.000000+***\"",
               "19700201000000.000000+***");
    check_text(cim_value_uint(CIM_TYPE_CHAR16, 'A'), "'A'", "A");
    check_text(cim_value_uint(CIM_TYPE_CHAR16, '\''), "'\\''", "'");
    check_text(cim_value_uint(CIM_TYPE_CHAR16, 0xE9), "'\xc3\xa9'", "\xc3\xa9");
    check_text(cim_value_uint(CIM_TYPE_CHAR16, 0xD800), "'\\xD800'", "\xef\xbf\xbd");
}

static void test_array_text_forms(void **state)
{
    (void)state;
    cim_value arr = cim_value_array(CIM_TYPE_UINT32);
    check_text(arr, "{}", "");
    arr = cim_value_array(CIM_TYPE_UINT32);
    for (uint64_t i = 1; i <= 3; i++) {
        cim_value item = cim_value_uint(CIM_TYPE_UINT32, i * 1000);
        cim_value_array_append(&arr, &item);
    }
    check_text(arr, "{1000, 2000, 3000}", "1000, 2000, 3000");
    arr = cim_value_array(CIM_TYPE_STRING);
    cim_value a = cim_value_string("a\"b"), b = cim_value_string("c");
    cim_value_array_append_take(&arr, &a);
    cim_value_array_append_take(&arr, &b);
    check_text(arr, "{\"a\\\"b\", \"c\"}", "a\"b, c");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_type_names_round_trip),
        cmocka_unit_test(test_type_from_name_cases),
        cmocka_unit_test(test_type_classification),
        cmocka_unit_test(test_integer_ranges),
        cmocka_unit_test(test_constructors),
        cmocka_unit_test(test_array_append_and_copy),
        cmocka_unit_test(test_append_to_null_array),
        cmocka_unit_test(test_move),
        cmocka_unit_test(test_equal),
        cmocka_unit_test(test_scalar_text_forms),
        cmocka_unit_test(test_array_text_forms),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
