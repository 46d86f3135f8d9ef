/* test_cim_json.c - JSON: exact writing, strict reading, exact round trips
 * of every type (fixed and random values) and embedded objects. */
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
#include "test_cim_fixture.h"

static int setup(void **state)
{
    *state = fixture_schema();
    return 0;
}

static int teardown(void **state)
{
    cim_schema_free(*state);
    return 0;
}

/* Writes v, checks the text when expect is given, reads it back as v's
 * type and checks the value is identical. */
static void round_trip(const cim_schema *schema, const cim_value *v, const char *ref_class,
                       const char *expect)
{
    char *json = cim_value_to_json(v);
    if (expect && strcmp(json, expect) != 0)
        fail_msg("wrote %s, expected %s", json, expect);
    cim_value back;
    smsprov_error err = {0};
    if (cim_value_from_json(json, v->type, v->is_array, ref_class, schema, TEST_NS, &back, &err))
        fail_msg("reading %s back: %s", json, err.description);
    if (!cim_value_equal(v, &back))
        fail_msg("%s did not read back to the same %s value", json, cim_type_name(v->type));
    if (cim_type_is_real(v->type) && !v->is_null && !v->is_array && !isnan(v->u.real))
        assert_memory_equal(&v->u.real, &back.u.real, sizeof(double)); /* -0.0 too */
    cim_value_clear(&back);
    free(json);
}

static void test_scalars_exact(void **state)
{
    const cim_schema *schema = *state;
    static const struct {
        cim_value value;
        const char *json;
    } cases[] = {
        {{CIM_TYPE_SINT64, false, false, {.sint = INT64_MIN}}, "-9223372036854775808"},
        {{CIM_TYPE_SINT64, false, false, {.sint = INT64_MAX}}, "9223372036854775807"},
        {{CIM_TYPE_UINT64, false, false, {.uint = UINT64_MAX}}, "18446744073709551615"},
        {{CIM_TYPE_UINT64, false, false, {.uint = 0}}, "0"},
        {{CIM_TYPE_SINT8, false, false, {.sint = -128}}, "-128"},
        {{CIM_TYPE_UINT8, false, false, {.uint = 255}}, "255"},
        {{CIM_TYPE_SINT16, false, false, {.sint = -32768}}, "-32768"},
        {{CIM_TYPE_UINT16, false, false, {.uint = 65535}}, "65535"},
        {{CIM_TYPE_SINT32, false, false, {.sint = INT32_MIN}}, "-2147483648"},
        {{CIM_TYPE_UINT32, false, false, {.uint = UINT32_MAX}}, "4294967295"},
        {{CIM_TYPE_REAL64, false, false, {.real = 0.1}}, "0.1"},
        {{CIM_TYPE_REAL64, false, false, {.real = -0.0}}, "-0"},
        {{CIM_TYPE_REAL64, false, false, {.real = 1e300}}, "1e+300"},
        {{CIM_TYPE_REAL64, false, false, {.real = 5e-324}}, "5e-324"},
        {{CIM_TYPE_REAL64, false, false, {.real = 1.7976931348623157e308}},
         "1.7976931348623157e+308"},
        {{CIM_TYPE_REAL64, false, false, {.real = 123456789.0}}, "123456789"},
        {{CIM_TYPE_REAL64, false, false, {.real = NAN}}, "\"NaN\""},
        {{CIM_TYPE_REAL64, false, false, {.real = INFINITY}}, "\"Infinity\""},
        {{CIM_TYPE_REAL64, false, false, {.real = -INFINITY}}, "\"-Infinity\""},
        {{CIM_TYPE_REAL32, false, false, {.real = (double)0.1f}}, "0.10000000149011612"},
        {{CIM_TYPE_REAL32, false, false, {.real = (double)3.4028235e38f}},
         "3.4028234663852886e+38"},
        {{CIM_TYPE_REAL32, false, false, {.real = NAN}}, "\"NaN\""},
        {{CIM_TYPE_BOOLEAN, false, false, {.boolean = true}}, "true"},
        {{CIM_TYPE_BOOLEAN, false, false, {.boolean = false}}, "false"},
        {{CIM_TYPE_CHAR16, false, false, {.uint = 'A'}}, "65"},
        {{CIM_TYPE_CHAR16, false, false, {.uint = 0xD800}}, "55296"}, /* a lone surrogate */
        {{CIM_TYPE_STRING, false, false, {.string = ""}}, "\"\""},
        {{CIM_TYPE_STRING, false, false, {.string = "a\"b\\c/d"}}, "\"a\\\"b\\\\c/d\""},
        {{CIM_TYPE_STRING, false, false, {.string = "\b\f\n\r\t\x01\x1f\x7f"}},
         "\"\\b\\f\\n\\r\\t\\u0001\\u001f\x7f\""},
        {{CIM_TYPE_STRING, false, false, {.string = "caf\xc3\xa9 \xf0\x9f\x98\x80"}},
         "\"caf\xc3\xa9 \xf0\x9f\x98\x80\""},
        {{CIM_TYPE_DATETIME, false, false, {.string = "19980416******.000000+***"}},
         "\"19980416******.000000+***\""},
        {{CIM_TYPE_REFERENCE, false, false, {.string = "Pkg.PackageID=\"LAB00001\""}},
         "\"Pkg.PackageID=\\\"LAB00001\\\"\""},
        {{CIM_TYPE_STRING, false, true, {.string = NULL}}, "null"},
        {{CIM_TYPE_UINT32, true, true, {.string = NULL}}, "null"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        round_trip(schema, &cases[i].value, NULL, cases[i].json);
}

static cim_value uint_array(cim_type type, const uint64_t *items, size_t n)
{
    cim_value arr = cim_value_array(type);
    for (size_t i = 0; i < n; i++) {
        cim_value item = cim_value_uint(type, items[i]);
        cim_value_array_append(&arr, &item);
    }
    return arr;
}

static void test_arrays(void **state)
{
    const cim_schema *schema = *state;
    static const uint64_t langs[] = {1033, 1031, 0, 4294967295u};
    cim_value arr = uint_array(CIM_TYPE_UINT32, langs, 4);
    round_trip(schema, &arr, NULL, "[1033,1031,0,4294967295]");
    cim_value_clear(&arr);

    arr = cim_value_array(CIM_TYPE_STRING);
    round_trip(schema, &arr, NULL, "[]");
    cim_value s1 = cim_value_string("a"), s2 = cim_value_string("b,\"c\"");
    cim_value_array_append_take(&arr, &s1);
    cim_value_array_append_take(&arr, &s2);
    round_trip(schema, &arr, NULL, "[\"a\",\"b,\\\"c\\\"\"]");
    cim_value_clear(&arr);

    static const uint64_t bytes[] = {0, 1, 127, 128, 255};
    arr = uint_array(CIM_TYPE_UINT8, bytes, 5);
    round_trip(schema, &arr, NULL, "[0,1,127,128,255]");
    cim_value_clear(&arr);

    arr = cim_value_array(CIM_TYPE_REAL64);
    cim_value r = cim_value_real(CIM_TYPE_REAL64, NAN);
    cim_value_array_append(&arr, &r);
    r = cim_value_real(CIM_TYPE_REAL64, 2.5);
    cim_value_array_append(&arr, &r);
    round_trip(schema, &arr, NULL, "[\"NaN\",2.5]");
    cim_value_clear(&arr);
}

static cim_instance *recur_interval(const cim_schema *schema, uint64_t day_span)
{
    cim_instance *recur = cim_instance_spawn(fixture_find(schema, "SMS_ST_RecurInterval"));
    cim_instance_set_uint(recur, "DaySpan", day_span, NULL);
    return recur;
}

static void test_embedded_objects(void **state)
{
    const cim_schema *schema = *state;
    cim_value one = cim_value_object(recur_interval(schema, 7));
    round_trip(schema, &one, "SMS_ScheduleToken",
               "{\"__CLASS\":\"SMS_ST_RecurInterval\",\"IsGMT\":false,"
               "\"StartTime\":\"19700201000000.000000+***\",\"DaySpan\":7}");

    cim_value arr = cim_value_array(CIM_TYPE_OBJECT);
    cim_value_array_append(&arr, &one);
    cim_value null_item = cim_value_object(NULL);
    cim_value_array_append(&arr, &null_item);
    cim_value other =
        cim_value_object(cim_instance_new(fixture_find(schema, "SMS_ST_NonRecurring")));
    cim_value_array_append_take(&arr, &other);
    round_trip(schema, &arr, "SMS_ScheduleToken",
               "[{\"__CLASS\":\"SMS_ST_RecurInterval\",\"IsGMT\":false,"
               "\"StartTime\":\"19700201000000.000000+***\",\"DaySpan\":7},null,"
               "{\"__CLASS\":\"SMS_ST_NonRecurring\"}]");

    /* An instance with every kind of property, objects nested two deep. */
    cim_instance *pkg = cim_instance_new(fixture_find(schema, "Pkg"));
    cim_instance_set_string(pkg, "PackageID", "LAB00001", NULL);
    cim_instance_set_string(pkg, "Name", "Boot image (x64)", NULL);
    cim_instance_set_sint(pkg, "Delta", INT64_MIN, NULL);
    cim_instance_set_uint(pkg, "Size", UINT64_MAX, NULL);
    cim_instance_set_string(pkg, "Ratio", "0.3", NULL);
    cim_instance_set_string(pkg, "Scale", "0.3", NULL);
    cim_instance_set_string(pkg, "Letter", "\xc3\xa9", NULL);
    cim_instance_set_string(pkg, "Created", "20240101120000.000000+000", NULL);
    cim_instance_set_string(pkg, "Parent", "Pkg.PackageID=\"LAB00000\"", NULL);
    cim_instance_set(pkg, "OneSchedule", &one, NULL);
    cim_instance_set(pkg, "RefreshSchedule", &arr, NULL);
    cim_instance *inner = cim_instance_new(fixture_find(schema, "Pkg"));
    cim_instance_set(inner, "RefreshSchedule", &arr, NULL);
    cim_value inner_value = cim_value_object(inner);
    cim_instance_set(pkg, "AnyObject", &inner_value, NULL);
    cim_value_clear(&inner_value);
    cim_value whole = cim_value_object(pkg);
    round_trip(schema, &whole, "Pkg", NULL);
    round_trip(schema, &whole, NULL, NULL);

    char *json = cim_instance_to_json(pkg);
    const char *start = "{\"__CLASS\":\"Pkg\",\"PackageID\":\"LAB00001\",";
    assert_int_equal(strncmp(json, start, strlen(start)), 0);
    assert_non_null(strstr(json, "\"Delta\":-9223372036854775808,"));
    assert_non_null(strstr(json, "\"Letter\":233,"));
    assert_null(strstr(json, "\"Flags\"")); /* null properties are left out */
    free(json);

    cim_value_clear(&whole);
    cim_value_clear(&arr);
    cim_value_clear(&one);
}

static uint64_t random_u64(void)
{
    uint64_t v = 0;
    for (int i = 0; i < 4; i++)
        v = (v << 16) ^ (uint64_t)(rand() & 0xFFFF);
    return v;
}

static void test_random_round_trips(void **state)
{
    const cim_schema *schema = *state;
    srand(12345);
    static const cim_type int_types[] = {CIM_TYPE_SINT8,  CIM_TYPE_UINT8,  CIM_TYPE_SINT16,
                                         CIM_TYPE_UINT16, CIM_TYPE_SINT32, CIM_TYPE_UINT32,
                                         CIM_TYPE_SINT64, CIM_TYPE_UINT64};
    for (int round = 0; round < 20000; round++) {
        cim_type type = int_types[round % 8];
        int64_t min;
        uint64_t max;
        cim_type_integer_range(type, &min, &max);
        uint64_t bits = random_u64();
        cim_value v;
        if (cim_type_is_signed(type)) {
            int64_t n = (int64_t)bits;
            if (max < INT64_MAX) /* fold into range */
                n = min + (int64_t)(bits % (uint64_t)(max - (uint64_t)min + 1));
            v = cim_value_sint(type, n);
        } else {
            v = cim_value_uint(type, max == UINT64_MAX ? bits : bits % (max + 1));
        }
        round_trip(schema, &v, NULL, NULL);

        /* any double bit pattern, NaNs included */
        double d;
        bits = random_u64();
        memcpy(&d, &bits, sizeof d);
        cim_value r = cim_value_real(CIM_TYPE_REAL64, d);
        round_trip(schema, &r, NULL, NULL);
        float f;
        uint32_t fbits = (uint32_t)random_u64();
        memcpy(&f, &fbits, sizeof f);
        cim_value r32 = cim_value_real(CIM_TYPE_REAL32, (double)f);
        round_trip(schema, &r32, NULL, NULL);

        /* strings of any bytes but NUL: control characters, quotes, UTF-8 */
        char text[24];
        size_t n = (size_t)(rand() % 23);
        for (size_t i = 0; i < n; i++)
            text[i] = (char)(1 + rand() % 255);
        text[n] = '\0';
        cim_value s = cim_value_string(text);
        round_trip(schema, &s, NULL, NULL);
        cim_value_clear(&s);

        cim_value c = cim_value_uint(CIM_TYPE_CHAR16, bits & 0xFFFF);
        round_trip(schema, &c, NULL, NULL);
    }
}

/* A boot-image-sized byte blob goes through writer, reader and conversion. */
static void test_large_array(void **state)
{
    const cim_schema *schema = *state;
    size_t n = 300000;
    cim_value blob = cim_value_array(CIM_TYPE_UINT8);
    blob.u.array.items = calloc(n, sizeof(cim_value));
    for (size_t i = 0; i < n; i++)
        blob.u.array.items[i] = cim_value_uint(CIM_TYPE_UINT8, (i * 7) & 0xFF);
    blob.u.array.count = n;
    round_trip(schema, &blob, NULL, NULL);
    cim_value widened;
    assert_int_equal(cim_value_convert(&blob, CIM_TYPE_UINT32, true, &widened, NULL), 0);
    assert_int_equal(widened.u.array.count, n);
    assert_int_equal(widened.u.array.items[n - 1].u.uint, ((n - 1) * 7) & 0xFF);
    cim_value_clear(&widened);
    cim_value_clear(&blob);
}

typedef struct bad_json {
    const char *json;
    cim_type type;
    bool is_array;
    const char *why;
} bad_json;

static const bad_json bad[] = {
    {"", CIM_TYPE_UINT32, false, "ends where a value was expected"},
    {"42 x", CIM_TYPE_UINT32, false, "Unexpected text after the JSON value at offset 3"},
    {"42,", CIM_TYPE_UINT32, false, "Unexpected text"},
    {"[1,2]]", CIM_TYPE_UINT32, true, "Unexpected text"},
    {"[1,2", CIM_TYPE_UINT32, true, "Expected ',' or ']' in an array at offset 4"},
    {"[1,", CIM_TYPE_UINT32, true, "ends where a value was expected"},
    {"[1 2]", CIM_TYPE_UINT32, true, "Expected ',' or ']'"},
    {"[1,]", CIM_TYPE_UINT32, true, "Expected a JSON value"},
    {"01", CIM_TYPE_UINT32, false, "leading zero"},
    {"-", CIM_TYPE_SINT32, false, "Expected a digit"},
    {"1.", CIM_TYPE_REAL64, false, "after the decimal point"},
    {"1e", CIM_TYPE_REAL64, false, "in the exponent"},
    {"+1", CIM_TYPE_SINT32, false, "Expected a JSON value"},
    {"0x10", CIM_TYPE_UINT32, false, "Unexpected text"},
    {"NaN", CIM_TYPE_REAL64, false, "Expected a JSON value"},
    {"tru", CIM_TYPE_BOOLEAN, false, "Expected a JSON value"},
    {"\"abc", CIM_TYPE_STRING, false, "no closing quote"},
    {"\"a\\x\"", CIM_TYPE_STRING, false, "\\x is not a JSON escape"},
    {"\"a\\", CIM_TYPE_STRING, false, "is not a JSON escape"},
    {"\"\\u12G4\"", CIM_TYPE_STRING, false, "four hexadecimal digits"},
    {"\"\\ud800\"", CIM_TYPE_STRING, false, "not followed by a low one"},
    {"\"\\ud800\\u0041\"", CIM_TYPE_STRING, false, "not followed by a low one"},
    {"\"\\udc00\"", CIM_TYPE_STRING, false, "low surrogate"},
    {"\"\\u0000\"", CIM_TYPE_STRING, false, "\\u0000"},
    {"\"tab\there\"", CIM_TYPE_STRING, false, "control character"},
    {"{\"a\" 1}", CIM_TYPE_OBJECT, false, "Expected ':'"},
    {"{a:1}", CIM_TYPE_OBJECT, false, "member name in quotes"},
    {"{\"a\":1,}", CIM_TYPE_OBJECT, false, "member name in quotes"},
    {"{\"a\":1 \"b\":2}", CIM_TYPE_OBJECT, false, "Expected ',' or '}'"},
    {"// comment\n1", CIM_TYPE_UINT32, false, "Expected a JSON value"},
    /* valid JSON of the wrong shape */
    {"\"42\"", CIM_TYPE_UINT32, false,
     "Expected a JSON number for a uint32 value at offset 0, "
     "found a string"},
    {"42", CIM_TYPE_STRING, false, "Expected a JSON string for a string value"},
    {"1", CIM_TYPE_BOOLEAN, false, "Expected a JSON true or false"},
    {"\"nan\"", CIM_TYPE_REAL64, false, "Expected a JSON number (or \"NaN\""},
    {"256", CIM_TYPE_UINT8, false, "256 is out of range for uint8"},
    {"-1", CIM_TYPE_UINT64, false, "out of range for uint64"},
    {"18446744073709551616", CIM_TYPE_UINT64, false, "out of range for uint64"},
    {"1.5", CIM_TYPE_SINT32, false, "not a whole number"},
    {"1e400", CIM_TYPE_REAL32, false, "out of range for real32"},
    {"-1e400", CIM_TYPE_REAL64, false, "-1e400 is out of range for real64"},
    {"65536", CIM_TYPE_CHAR16, false, "out of range for uint16"},
    {"\"A\"", CIM_TYPE_CHAR16, false, "Expected a JSON number"},
    {"\"2024\"", CIM_TYPE_DATETIME, false, "is not a valid datetime"},
    {"\"Pkg.PackageID=\"", CIM_TYPE_REFERENCE, false, "is not a valid object reference"},
    {"[1]", CIM_TYPE_UINT32, false, "Expected a single uint32 value at offset 0, found an array"},
    {"1", CIM_TYPE_UINT32, true, "Expected a JSON array for a uint32 array"},
    {"[1,null]", CIM_TYPE_UINT32, true, "Item 1 of the uint32 array at offset 3 is null"},
    {"[1,\"2\"]", CIM_TYPE_UINT32, true, "at offset 3, found a string"},
    {"[[1]]", CIM_TYPE_UINT32, true, "found a array"},
};

static void test_bad_json(void **state)
{
    const cim_schema *schema = *state;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        cim_value out = cim_value_uint(CIM_TYPE_UINT32, 777);
        smsprov_error err = {0};
        smsprov_code code = cim_value_from_json(bad[i].json, bad[i].type, bad[i].is_array, NULL,
                                                schema, TEST_NS, &out, &err);
        if (code != SMSPROV_E_TYPE_MISMATCH)
            fail_msg("%s should be refused with TYPE_MISMATCH, got %d", bad[i].json, code);
        if (!strstr(err.description, bad[i].why))
            fail_msg("%s: \"%s\" lacks \"%s\"", bad[i].json, err.description, bad[i].why);
        assert_int_equal(out.u.uint, 777); /* untouched */
        smsprov_error_clear(&err);
    }
}

static void test_depth_limit(void **state)
{
    const cim_schema *schema = *state;
    char json[200];
    cim_value out;
    smsprov_error err = {0};
    /* 64 levels parse (the value is then refused for its shape), 65 do not */
    for (int depth = 64; depth <= 65; depth++) {
        memset(json, '[', (size_t)depth);
        memset(json + depth, ']', (size_t)depth);
        json[2 * depth] = '\0';
        assert_int_equal(
            cim_value_from_json(json, CIM_TYPE_UINT32, true, NULL, schema, TEST_NS, &out, &err),
            SMSPROV_E_TYPE_MISMATCH);
        if (depth == 64)
            assert_null(strstr(err.description, "deeper"));
        else
            assert_non_null(strstr(err.description, "nest deeper than 64 levels"));
        smsprov_error_clear(&err);
    }
    /* a very deep document fails cleanly instead of exhausting the stack */
    size_t n = 100000;
    char *deep = malloc(2 * n + 1);
    memset(deep, '[', n);
    memset(deep + n, ']', n);
    deep[2 * n] = '\0';
    assert_int_equal(
        cim_value_from_json(deep, CIM_TYPE_UINT32, true, NULL, schema, TEST_NS, &out, &err),
        SMSPROV_E_TYPE_MISMATCH);
    free(deep);
    smsprov_error_clear(&err);
}

static void test_whitespace_and_escapes_accepted(void **state)
{
    const cim_schema *schema = *state;
    cim_value out;
    smsprov_error err = {0};
    assert_int_equal(cim_value_from_json(" \t\r\n[ 1 , 2 ]\n", CIM_TYPE_UINT32, true, NULL, schema,
                                         TEST_NS, &out, &err),
                     0);
    assert_int_equal(out.u.array.count, 2);
    cim_value_clear(&out);
    assert_int_equal(cim_value_from_json("\"\\u00e9\\ud83d\\ude00\\/\\\"\"", CIM_TYPE_STRING, false,
                                         NULL, schema, TEST_NS, &out, &err),
                     0);
    assert_string_equal(out.u.string, "\xc3\xa9\xf0\x9f\x98\x80/\"");
    cim_value_clear(&out);
    assert_int_equal(
        cim_value_from_json("-1.5E+2", CIM_TYPE_REAL64, false, NULL, schema, TEST_NS, &out, &err),
        0);
    assert_true(out.u.real == -150.0);
    /* integers may be read as reals */
    assert_int_equal(
        cim_value_from_json("7", CIM_TYPE_REAL32, false, NULL, schema, TEST_NS, &out, &err), 0);
    assert_true(out.u.real == 7.0);
    /* invalid UTF-8 passes through */
    assert_int_equal(cim_value_from_json("\"\xff\xfe\"", CIM_TYPE_STRING, false, NULL, schema,
                                         TEST_NS, &out, &err),
                     0);
    assert_string_equal(out.u.string, "\xff\xfe");
    cim_value_clear(&out);
    assert_int_equal(
        cim_value_from_json("null", CIM_TYPE_OBJECT, true, NULL, schema, TEST_NS, &out, &err), 0);
    assert_true(out.is_null);
    assert_true(out.is_array);
    smsprov_error_clear(&err);
}

static void test_embedded_object_errors(void **state)
{
    const cim_schema *schema = *state;
    static const struct {
        const char *json;
        const char *ref_class;
        smsprov_code code;
        const char *why;
    } cases[] = {
        {"{\"__CLASS\":\"NoSuchClass\"}", NULL, SMSPROV_E_INVALID_CLASS,
         "The JSON names class NoSuchClass, which does not exist in namespace "
         "root\\sms\\site_LAB."},
        {"{\"__CLASS\":\"Unrelated\",\"X\":1}", "SMS_ScheduleToken", SMSPROV_E_TYPE_MISMATCH,
         "The JSON holds an instance of Unrelated where a SMS_ScheduleToken instance (or one "
         "derived from it) is expected."},
        {"{\"DaySpan\":1}", "SMS_ScheduleToken", SMSPROV_E_TYPE_MISMATCH,
         "has no \"__CLASS\" string"},
        {"{\"__CLASS\":7}", NULL, SMSPROV_E_TYPE_MISMATCH, "has no \"__CLASS\" string"},
        {"{\"__CLASS\":\"SMS_ST_RecurInterval\",\"Bogus\":1}", NULL, SMSPROV_E_TYPE_MISMATCH,
         "The JSON gives property Bogus, which class SMS_ST_RecurInterval does not have."},
        {"{\"__CLASS\":\"SMS_ST_RecurInterval\",\"DaySpan\":1,\"dayspan\":2}", NULL,
         SMSPROV_E_TYPE_MISMATCH, "gives property dayspan of class SMS_ST_RecurInterval twice"},
        {"{\"__CLASS\":\"SMS_ST_RecurInterval\",\"DaySpan\":-1}", NULL, SMSPROV_E_TYPE_MISMATCH,
         "Property DaySpan of SMS_ST_RecurInterval: -1 is out of range for uint32"},
        {"{\"__CLASS\":\"Pkg\",\"RefreshSchedule\":[{\"__CLASS\":\"Pkg\"}]}", NULL,
         SMSPROV_E_TYPE_MISMATCH,
         "Property RefreshSchedule of Pkg: The JSON holds an instance of Pkg where a "
         "SMS_ScheduleToken instance"},
        {"{\"__CLASS\":\"Pkg\",\"AnyObject\":{\"__CLASS\":\"Pkg\",\"OneSchedule\":"
         "{\"__CLASS\":\"SMS_ST_RecurInterval\",\"StartTime\":\"bad\"}}}",
         NULL, SMSPROV_E_TYPE_MISMATCH,
         "Property AnyObject of Pkg: Property OneSchedule of Pkg: Property StartTime of "
         "SMS_ST_RecurInterval: \"bad\" is not a valid datetime"},
        {"{\"__CLASS\":\"Pkg\",\"Languages\":1033}", NULL, SMSPROV_E_TYPE_MISMATCH,
         "Expected a JSON array for a uint32 array"},
        {"[{\"__CLASS\":\"SMS_ST_RecurInterval\"},{}]", "SMS_ScheduleToken",
         SMSPROV_E_TYPE_MISMATCH, "has no \"__CLASS\""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        cim_value out = cim_value_uint(CIM_TYPE_UINT32, 777);
        smsprov_error err = {0};
        bool is_array = cases[i].json[0] == '[';
        smsprov_code code = cim_value_from_json(cases[i].json, CIM_TYPE_OBJECT, is_array,
                                                cases[i].ref_class, schema, TEST_NS, &out, &err);
        if (code != cases[i].code)
            fail_msg("%s: code %d, expected %d (%s)", cases[i].json, code, cases[i].code,
                     err.description);
        if (!strstr(err.description, cases[i].why))
            fail_msg("%s: \"%s\" lacks \"%s\"", cases[i].json, err.description, cases[i].why);
        assert_int_equal(out.u.uint, 777);
        smsprov_error_clear(&err);
    }
    /* without a schema no class can be found */
    cim_value out;
    smsprov_error err = {0};
    assert_int_equal(cim_value_from_json("{\"__CLASS\":\"Pkg\"}", CIM_TYPE_OBJECT, false, NULL,
                                         NULL, NULL, &out, &err),
                     SMSPROV_E_INVALID_CLASS);
    smsprov_error_clear(&err);
    /* nor in another namespace */
    assert_int_equal(cim_value_from_json("{\"__CLASS\":\"Pkg\"}", CIM_TYPE_OBJECT, false, NULL,
                                         schema, "root\\other", &out, NULL),
                     SMSPROV_E_INVALID_CLASS);
    /* the class name is looked up case-insensitively */
    assert_int_equal(cim_value_from_json("{\"__CLASS\":\"sms_st_recurinterval\",\"DAYSPAN\":3}",
                                         CIM_TYPE_OBJECT, false, "sms_scheduletoken", schema,
                                         TEST_NS, &out, &err),
                     0);
    assert_string_equal(out.u.object->cls->name, "SMS_ST_RecurInterval");
    assert_int_equal(cim_instance_get(out.u.object, "DaySpan")->u.uint, 3);
    /* properties the JSON leaves out are null, not defaulted */
    assert_true(cim_instance_get(out.u.object, "IsGMT")->is_null);
    cim_value_clear(&out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scalars_exact),
        cmocka_unit_test(test_arrays),
        cmocka_unit_test(test_embedded_objects),
        cmocka_unit_test(test_random_round_trips),
        cmocka_unit_test(test_large_array),
        cmocka_unit_test(test_bad_json),
        cmocka_unit_test(test_depth_limit),
        cmocka_unit_test(test_whitespace_and_escapes_accepted),
        cmocka_unit_test(test_embedded_object_errors),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
