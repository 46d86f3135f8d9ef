/* test_cim_datetime.c - the CIM DATETIME: parsing both forms, asterisks,
 * validation, writing, ordering and Unix time. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "smsprov/cim.h"

/* Every valid form must parse and write back unchanged. */
static const char *const valid[] = {
    "19700201000000.000000+***", /* ScheduleToken.StartTime default */
    "19900101000000.000000+***", /* DP LastRefreshTime default */
    "19980416******.000000+***", /* the W2 example: unknown time of day */
    "20240101120000.000000+000", "19990929195959.000000-420",
    "20240229235959.999999+060", /* leap day */
    "20000229000000.000000+000", /* 2000 is a leap year */
    "00010101000000.000000+000", "99991231235959.999999+999",
    "****0229000000.000000+000", /* unknown year: 29 February is possible */
    "2024**31000000.000000+000", /* unknown month: day 31 is possible */
    "**************.******+***", "20240101120000.123***+000",
    "20240101120000.1*****-060", "20240101120000.12345*+000",
    "00000001020304.000005:000", /* interval */
    "99999999235959.999999:000", "********235959.999999:000",
    "00000000000000.******:000", "00000001******.000000:000",
};

static void test_valid_forms_round_trip(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof valid / sizeof valid[0]; i++) {
        cim_datetime dt;
        const char *why = NULL;
        if (!cim_datetime_parse(valid[i], &dt, &why))
            fail_msg("%s should parse: %s", valid[i], why);
        char buf[CIM_DATETIME_LEN + 1];
        cim_datetime_format(&dt, buf);
        assert_string_equal(buf, valid[i]);
    }
}

typedef struct invalid_case {
    const char *text;
    const char *why; /* fragment of the reason */
} invalid_case;

static const invalid_case invalid[] = {
    {"19981118175900000000+***", "'.' before the microseconds is missing"}, /* doc erratum */
    {"", "empty"},
    {"2024", "exactly 25 characters"},
    {"20240101120000.000000+0000", "exactly 25 characters"},
    {"20240101120000-000000+000", "Character 15"},
    {"20240101120000.000000*000", "Character 22"},
    {"20241301000000.000000+000", "month"},
    {"20240001000000.000000+000", "month"},
    {"20240100000000.000000+000", "day"},
    {"20240132000000.000000+000", "day"},
    {"20230229000000.000000+000", "day"}, /* 2023 is not a leap year */
    {"19000229000000.000000+000", "day"}, /* nor is 1900 */
    {"20240431000000.000000+000", "day"},
    {"20240101240000.000000+000", "hour"},
    {"20240101236000.000000+000", "minute"},
    {"20240101235960.000000+000", "second"}, /* no leap seconds */
    {"2024010112000a.000000+000", "second"},
    {"20*40101120000.000000+000", "year"},
    {"2024 101120000.000000+000", "month"},
    {"20240101120000.12*456+000", "microseconds"},
    {"20240101120000.*23456+000", "microseconds"},
    {"20240101120000.00000a+000", "microseconds"},
    {"20240101120000.000000+0a0", "UTC offset"},
    {"20240101120000.000000-***", "UTC offset"},
    {"20240101120000.000000+**0", "UTC offset"},
    {"00000001020304.000005:001", "end with :000"},
    {"00000001240000.000000:000", "hour"},
    {"0000000a020304.000005:000", "days"},
    {"-0000001020304.000005:000", "days"},
};

static void test_invalid_forms(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof invalid / sizeof invalid[0]; i++) {
        cim_datetime dt;
        memset(&dt, 0x5A, sizeof dt);
        cim_datetime before = dt;
        const char *why = NULL;
        if (cim_datetime_parse(invalid[i].text, &dt, &why))
            fail_msg("%s should be refused", invalid[i].text);
        assert_non_null(why);
        if (!strstr(why, invalid[i].why))
            fail_msg("%s: reason \"%s\" lacks \"%s\"", invalid[i].text, why, invalid[i].why);
        assert_memory_equal(&dt, &before, sizeof dt); /* untouched */
    }
    assert_false(cim_datetime_parse(NULL, NULL, NULL));
}

static void test_parsed_fields(void **state)
{
    (void)state;
    cim_datetime dt;
    assert_true(cim_datetime_parse("19990929195959.123456-420", &dt, NULL));
    assert_false(dt.is_interval);
    assert_int_equal(dt.year, 1999);
    assert_int_equal(dt.month, 9);
    assert_int_equal(dt.day, 29);
    assert_int_equal(dt.hour, 19);
    assert_int_equal(dt.minute, 59);
    assert_int_equal(dt.second, 59);
    assert_int_equal(dt.microseconds, 123456);
    assert_int_equal(dt.microsecond_stars, 0);
    assert_int_equal(dt.utc_offset, -420);
    assert_false(dt.utc_offset_unknown);

    assert_true(cim_datetime_parse("19980416******.123***+***", &dt, NULL));
    assert_int_equal(dt.hour, -1);
    assert_int_equal(dt.minute, -1);
    assert_int_equal(dt.second, -1);
    assert_int_equal(dt.microseconds, 123000);
    assert_int_equal(dt.microsecond_stars, 3);
    assert_true(dt.utc_offset_unknown);

    assert_true(cim_datetime_parse("**************.******+***", &dt, NULL));
    assert_int_equal(dt.year, -1);
    assert_int_equal(dt.microseconds, -1);

    assert_true(cim_datetime_parse("12345678010203.000004:000", &dt, NULL));
    assert_true(dt.is_interval);
    assert_int_equal(dt.days, 12345678);
    assert_int_equal(dt.hour, 1);
    assert_int_equal(dt.minute, 2);
    assert_int_equal(dt.second, 3);
    assert_int_equal(dt.microseconds, 4);
}

static void test_format_from_fields(void **state)
{
    (void)state;
    cim_datetime dt = {0};
    dt.year = 2024, dt.month = 3, dt.day = 5, dt.hour = 6, dt.minute = 7, dt.second = 8;
    dt.microseconds = 9, dt.utc_offset = -60;
    char buf[CIM_DATETIME_LEN + 1];
    cim_datetime_format(&dt, buf);
    assert_string_equal(buf, "20240305060708.000009-060");
    dt.utc_offset_unknown = true;
    cim_datetime_format(&dt, buf);
    assert_string_equal(buf, "20240305060708.000009+***");
    cim_datetime iv = {0};
    iv.is_interval = true;
    iv.days = 3, iv.hour = 4, iv.minute = 5, iv.second = 6, iv.microseconds = -1;
    cim_datetime_format(&iv, buf);
    assert_string_equal(buf, "00000003040506.******:000");
}

static int compare(const char *a, const char *b, bool *comparable)
{
    cim_datetime da, db;
    assert_true(cim_datetime_parse(a, &da, NULL));
    assert_true(cim_datetime_parse(b, &db, NULL));
    return cim_datetime_compare(&da, &db, comparable);
}

typedef struct compare_case {
    const char *a, *b;
    int expect; /* sign */
    bool comparable;
} compare_case;

static const compare_case compare_cases[] = {
    {"20240101120000.000000+000", "20240101120000.000000+000", 0, true},
    {"20240101120000.000000+000", "20240101120000.000001+000", -1, true},
    {"20240101120001.000000+000", "20240101120000.999999+000", 1, true},
    {"20231231235959.999999+000", "20240101000000.000000+000", -1, true},
    /* 12:00 at +060 is 11:00 UTC */
    {"20240101120000.000000+060", "20240101113000.000000+000", -1, true},
    {"20240101120000.000000+060", "20240101110000.000000+000", 0, true},
    {"20240101000000.000000-300", "20240101040000.000000+000", 1, true},
    /* unknown offsets compare as written */
    {"19700201000000.000000+***", "19900101000000.000000+***", -1, true},
    {"19900101000000.000000+***", "19900101000000.000000+***", 0, true},
    /* asterisks: ordered only when an earlier field decides */
    {"19980416******.000000+***", "19990101000000.000000+***", -1, true},
    {"19980416******.000000+***", "19980416120000.000000+***", 0, false},
    {"19980416******.000000+000", "19980417000000.000000+000", -1, true},
    {"19980416******.000000+060", "19980417000000.000000+000", 0, false},
    {"20240101120000.123***+000", "20240101120000.124000+000", -1, true},
    {"20240101120000.123***+000", "20240101120000.123456+000", 0, false},
    {"20240101120000.******+000", "20240101120000.000000+000", 0, false},
    {"20240101120000.******+000", "20240101120001.000000+000", -1, true},
    /* intervals */
    {"00000001000000.000000:000", "00000000235959.999999:000", 1, true},
    {"00000001020304.000005:000", "00000001020304.000005:000", 0, true},
    {"********000000.000000:000", "00000001000000.000000:000", 0, false},
    /* a timestamp and an interval cannot be ordered */
    {"20240101120000.000000+000", "00000001000000.000000:000", 0, false},
};

static void test_compare(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof compare_cases / sizeof compare_cases[0]; i++) {
        const compare_case *c = &compare_cases[i];
        bool comparable = !c->comparable;
        int r = compare(c->a, c->b, &comparable);
        int sign = (r > 0) - (r < 0);
        if (sign != c->expect || comparable != c->comparable)
            fail_msg("%s vs %s: got %d (comparable %d), expected %d (%d)", c->a, c->b, sign,
                     comparable, c->expect, c->comparable);
        /* and the other way round */
        r = compare(c->b, c->a, &comparable);
        sign = (r > 0) - (r < 0);
        assert_int_equal(sign, -c->expect);
        assert_int_equal(comparable, c->comparable);
    }
    assert_int_equal(compare("20240101120000.000000+000", "20240101120000.000000+000", NULL), 0);
}

static void test_unix_time(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        int64_t us;
    } cases[] = {
        {"19700101000000.000000+000", 0},
        {"19700101000001.000001+000", 1000001},
        {"19700201000000.000000+***", INT64_C(2678400000000)},
        {"19691231235959.999999+000", -1},
        {"20000301000000.000000+000", INT64_C(951868800000000)},
        {"20240229120000.000000+060", INT64_C(1709204400000000)},
        {"19700101000000.000000-060", INT64_C(3600000000)},
        {"00000101000000.000000+000", INT64_C(-62167219200000000)},
        {"99991231235959.999999+000", INT64_C(253402300799999999)},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        cim_datetime dt;
        assert_true(cim_datetime_parse(cases[i].text, &dt, NULL));
        int64_t us = 0;
        assert_true(cim_datetime_to_unix_us(&dt, &us));
        if (us != cases[i].us)
            fail_msg("%s gave %lld, expected %lld", cases[i].text, (long long)us,
                     (long long)cases[i].us);
        cim_datetime back;
        cim_datetime_from_unix_us(us, &back);
        int64_t again = 0;
        assert_true(cim_datetime_to_unix_us(&back, &again));
        assert_true(again == us);
        assert_int_equal(back.utc_offset, 0);
    }
    cim_datetime dt;
    int64_t us = 7;
    assert_true(cim_datetime_parse("19980416******.000000+***", &dt, NULL));
    assert_false(cim_datetime_to_unix_us(&dt, &us));
    assert_true(cim_datetime_parse("20240101120000.12****+000", &dt, NULL));
    assert_false(cim_datetime_to_unix_us(&dt, &us));
    assert_true(cim_datetime_parse("00000001000000.000000:000", &dt, NULL));
    assert_false(cim_datetime_to_unix_us(&dt, &us));
    assert_int_equal(us, 7);

    char buf[CIM_DATETIME_LEN + 1];
    cim_datetime_from_unix_us(INT64_C(1709208000123456), &dt);
    cim_datetime_format(&dt, buf);
    assert_string_equal(buf, "20240229120000.123456+000");
    cim_datetime_from_unix_us(INT64_MAX, &dt); /* clamped to year 9999 */
    cim_datetime_format(&dt, buf);
    assert_string_equal(buf, "99991231235959.999999+000");
    cim_datetime_from_unix_us(INT64_MIN, &dt);
    cim_datetime_format(&dt, buf);
    assert_string_equal(buf, "00000101000000.000000+000");
}

static void test_unix_time_every_day(void **state)
{
    (void)state;
    /* Walk day by day from 1600 to 2400 through leap years and back. */
    int64_t day_us = INT64_C(86400000000);
    int64_t start = INT64_C(-11676096000000000); /* 1600-01-01 */
    cim_datetime prev;
    cim_datetime_from_unix_us(start - day_us, &prev);
    for (int64_t d = 0; d < 2 * 146097; d++) { /* two 400-year eras */
        cim_datetime dt;
        int64_t us = start + d * day_us + (d % 86400) * 1000003 % day_us;
        cim_datetime_from_unix_us(us, &dt);
        char buf[CIM_DATETIME_LEN + 1];
        cim_datetime_format(&dt, buf);
        cim_datetime parsed;
        const char *why;
        if (!cim_datetime_parse(buf, &parsed, &why))
            fail_msg("%s: %s", buf, why);
        int64_t back;
        assert_true(cim_datetime_to_unix_us(&parsed, &back));
        assert_true(back == us);
        bool comparable;
        char pbuf[CIM_DATETIME_LEN + 1];
        cim_datetime_format(&prev, pbuf);
        if (cim_datetime_compare(&prev, &parsed, &comparable) >= 0 || !comparable)
            fail_msg("%s should come before %s", pbuf, buf);
        prev = parsed;
    }
    assert_int_equal(prev.year, 2399);
    assert_int_equal(prev.month, 12);
    assert_int_equal(prev.day, 31);
}

/* An independent check of the calendar arithmetic against the C library. */
static void test_unix_time_matches_timegm(void **state)
{
    (void)state;
    srand(20240101);
    for (int i = 0; i < 20000; i++) {
        struct tm tm = {0};
        tm.tm_year = 1 + rand() % 1000; /* 1901..2900 */
        tm.tm_mon = rand() % 12;
        tm.tm_mday = 1 + rand() % 28;
        tm.tm_hour = rand() % 24;
        tm.tm_min = rand() % 60;
        tm.tm_sec = rand() % 60;
        int64_t expect = (int64_t)timegm(&tm);
        char text[80];
        snprintf(text, sizeof text, "%04d%02d%02d%02d%02d%02d.000000+000", tm.tm_year + 1900,
                 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
        cim_datetime dt;
        assert_true(cim_datetime_parse(text, &dt, NULL));
        int64_t us;
        assert_true(cim_datetime_to_unix_us(&dt, &us));
        if (us != expect * 1000000)
            fail_msg("%s: %lld, timegm says %lld", text, (long long)us, (long long)expect);
    }
}

static void test_now(void **state)
{
    (void)state;
    cim_datetime now;
    cim_datetime_now(&now);
    assert_false(now.is_interval);
    assert_false(now.utc_offset_unknown);
    assert_int_equal(now.utc_offset, 0);
    int64_t us;
    assert_true(cim_datetime_to_unix_us(&now, &us));
    int64_t wall = (int64_t)time(NULL) * 1000000;
    assert_true(us > wall - 5000000 && us < wall + 5000000);
    char buf[CIM_DATETIME_LEN + 1];
    cim_datetime_format(&now, buf);
    assert_true(cim_datetime_parse(buf, NULL, NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_forms_round_trip),
        cmocka_unit_test(test_invalid_forms),
        cmocka_unit_test(test_parsed_fields),
        cmocka_unit_test(test_format_from_fields),
        cmocka_unit_test(test_compare),
        cmocka_unit_test(test_unix_time),
        cmocka_unit_test(test_unix_time_every_day),
        cmocka_unit_test(test_unix_time_matches_timegm),
        cmocka_unit_test(test_now),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
