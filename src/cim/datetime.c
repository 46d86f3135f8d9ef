/* datetime.c - parsing and writing the 25-character CIM DATETIME:
 *   timestamp  yyyymmddHHMMSS.mmmmmmsUUU
 *   interval   ddddddddHHMMSS.mmmmmm:000
 * A field may be written entirely with asterisks when it is unknown; the
 * microseconds may also end in asterisks ("123***"). */
#include <stdio.h>
#include <string.h>

#include "smsprov/cim.h"

enum { FIELD_BAD = -2, FIELD_STARS = -1 };

/* Reads width digits (value), width asterisks (FIELD_STARS) or neither. */
static int64_t read_field(const char *s, int width)
{
    if (s[0] == '*') {
        for (int i = 0; i < width; i++)
            if (s[i] != '*')
                return FIELD_BAD;
        return FIELD_STARS;
    }
    int64_t v = 0;
    for (int i = 0; i < width; i++) {
        if (s[i] < '0' || s[i] > '9')
            return FIELD_BAD;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

static bool is_leap_year(int year)
{
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

/* The last day of a month; with an unknown year February may have 29 days,
 * with an unknown month any day up to 31 is possible. */
static int last_day(int year, int month)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month < 1)
        return 31;
    if (month == 2 && (year < 0 || is_leap_year(year)))
        return 29;
    return days[month - 1];
}

static bool fail(const char **why, const char *reason)
{
    if (why)
        *why = reason;
    return false;
}

static bool parse_microseconds(const char *s, cim_datetime *dt)
{
    int digits = 0, value = 0;
    while (digits < 6 && s[digits] >= '0' && s[digits] <= '9')
        value = value * 10 + (s[digits++] - '0');
    for (int i = digits; i < 6; i++) {
        if (s[i] != '*')
            return false;
        value *= 10;
    }
    dt->microseconds = digits == 0 ? -1 : value;
    dt->microsecond_stars = digits == 0 || digits == 6 ? 0 : 6 - digits;
    return true;
}

/* Hours, minutes, seconds and microseconds, common to both forms. */
static bool parse_time_of_day(const char *text, cim_datetime *dt, const char **why)
{
    int64_t hour = read_field(text + 8, 2);
    int64_t minute = read_field(text + 10, 2);
    int64_t second = read_field(text + 12, 2);
    if (hour == FIELD_BAD || hour > 23)
        return fail(why, "The hour (characters 9-10) must be 00 to 23, or **.");
    if (minute == FIELD_BAD || minute > 59)
        return fail(why, "The minute (characters 11-12) must be 00 to 59, or **.");
    if (second == FIELD_BAD || second > 59)
        return fail(why, "The second (characters 13-14) must be 00 to 59, or **.");
    if (!parse_microseconds(text + 15, dt))
        return fail(why, "The microseconds (characters 16-21) must be six digits, of which "
                         "trailing ones may be asterisks, or ******.");
    dt->hour = (int)hour;
    dt->minute = (int)minute;
    dt->second = (int)second;
    return true;
}

static bool parse_timestamp(const char *text, cim_datetime *dt, const char **why)
{
    int64_t year = read_field(text, 4);
    int64_t month = read_field(text + 4, 2);
    int64_t day = read_field(text + 6, 2);
    if (year == FIELD_BAD)
        return fail(why, "The year (characters 1-4) must be four digits, or ****.");
    if (month == FIELD_BAD || month == 0 || month > 12)
        return fail(why, "The month (characters 5-6) must be 01 to 12, or **.");
    if (day == FIELD_BAD || day == 0 || day > last_day((int)year, (int)month))
        return fail(why, "The day (characters 7-8) must be a day of the month (01 to 28, 29, 30 "
                         "or 31), or **.");
    if (!parse_time_of_day(text, dt, why))
        return false;
    dt->year = (int)year;
    dt->month = (int)month;
    dt->day = (int)day;
    int64_t offset = read_field(text + 22, 3);
    if (offset == FIELD_BAD || (offset == FIELD_STARS && text[21] != '+'))
        return fail(why, "The UTC offset (characters 22-25) must be a sign and three digits of "
                         "minutes, such as +000 or -420, or +*** when unknown.");
    dt->utc_offset_unknown = offset == FIELD_STARS;
    dt->utc_offset = offset == FIELD_STARS ? 0 : (int)(text[21] == '-' ? -offset : offset);
    return true;
}

static bool parse_interval(const char *text, cim_datetime *dt, const char **why)
{
    int64_t days = read_field(text, 8);
    if (days == FIELD_BAD)
        return fail(why, "The days of an interval (characters 1-8) must be eight digits, or "
                         "********.");
    if (!parse_time_of_day(text, dt, why))
        return false;
    if (memcmp(text + 22, "000", 3) != 0)
        return fail(why, "An interval must end with :000.");
    dt->days = days;
    return true;
}

bool cim_datetime_parse(const char *text, cim_datetime *out, const char **why)
{
    if (!text || !*text)
        return fail(why, "The value is empty; a DATETIME is written yyyymmddHHMMSS.mmmmmmsUUU.");
    size_t len = strlen(text);
    if (len == CIM_DATETIME_LEN - 1 && !strchr(text, '.'))
        return fail(why, "The '.' before the microseconds is missing: a DATETIME has 25 "
                         "characters, yyyymmddHHMMSS.mmmmmmsUUU.");
    if (len != CIM_DATETIME_LEN)
        return fail(why, "A DATETIME has exactly 25 characters: yyyymmddHHMMSS.mmmmmmsUUU for a "
                         "timestamp, ddddddddHHMMSS.mmmmmm:000 for an interval.");
    if (text[14] != '.')
        return fail(why, "Character 15 must be the '.' before the microseconds.");
    char sep = text[21];
    if (sep != '+' && sep != '-' && sep != ':')
        return fail(why, "Character 22 must be '+' or '-' (the sign of a timestamp's UTC offset) "
                         "or ':' (an interval).");
    cim_datetime dt;
    memset(&dt, 0, sizeof dt);
    dt.is_interval = sep == ':';
    bool ok = dt.is_interval ? parse_interval(text, &dt, why) : parse_timestamp(text, &dt, why);
    if (ok && out)
        *out = dt;
    return ok;
}

/* Writes value in exactly width digits, or asterisks for an unknown field. */
static void put_field(char *dst, int width, int64_t value)
{
    for (int i = width - 1; i >= 0; i--) {
        dst[i] = value < 0 ? '*' : (char)('0' + value % 10);
        if (value >= 0)
            value /= 10;
    }
}

void cim_datetime_format(const cim_datetime *dt, char *buf)
{
    if (dt->is_interval)
        put_field(buf, 8, dt->days);
    else {
        put_field(buf, 4, dt->year);
        put_field(buf + 4, 2, dt->month);
        put_field(buf + 6, 2, dt->day);
    }
    put_field(buf + 8, 2, dt->hour);
    put_field(buf + 10, 2, dt->minute);
    put_field(buf + 12, 2, dt->second);
    buf[14] = '.';
    put_field(buf + 15, 6, dt->microseconds);
    if (dt->microseconds >= 0 && dt->microsecond_stars > 0 && dt->microsecond_stars < 6)
        memset(buf + 21 - dt->microsecond_stars, '*', (size_t)dt->microsecond_stars);
    if (dt->is_interval) {
        memcpy(buf + 21, ":000", 4);
    } else if (dt->utc_offset_unknown) {
        memcpy(buf + 21, "+***", 4);
    } else {
        buf[21] = dt->utc_offset < 0 ? '-' : '+';
        put_field(buf + 22, 3, dt->utc_offset < 0 ? -(int64_t)dt->utc_offset : dt->utc_offset);
    }
    buf[CIM_DATETIME_LEN] = '\0';
}
