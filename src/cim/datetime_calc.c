/* datetime_calc.c - ordering DATETIMEs and converting them to and from Unix
 * time.  Calendar arithmetic is proleptic Gregorian, years 0000-9999. */
#include <time.h>

#include "smsprov/cim.h"

#define US_PER_SECOND INT64_C(1000000)
#define SECONDS_PER_DAY INT64_C(86400)

/* Days since 1970-01-01 of a civil date, by counting 400-year eras of
 * 146097 days in a calendar that starts each year on 1 March (so the leap
 * day falls at the end). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t year_of_era = y - era * 400;
    int64_t day_of_year = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    return era * 146097 + day_of_era - 719468;
}

static void civil_from_days(int64_t days, int *year, int *month, int *day)
{
    days += 719468;
    int64_t era = (days >= 0 ? days : days - 146096) / 146097;
    int64_t day_of_era = days - era * 146097;
    int64_t year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
    int64_t day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    int64_t shifted_month = (5 * day_of_year + 2) / 153;
    *day = (int)(day_of_year - (153 * shifted_month + 2) / 5 + 1);
    *month = (int)(shifted_month < 10 ? shifted_month + 3 : shifted_month - 9);
    *year = (int)(year_of_era + era * 400 + (*month <= 2));
}

static bool has_unknown_date_or_time(const cim_datetime *dt)
{
    return dt->year < 0 || dt->month < 0 || dt->day < 0 || dt->hour < 0 || dt->minute < 0 ||
           dt->second < 0;
}

/* Seconds since the epoch of the local fields (offset not applied). */
static int64_t local_seconds(const cim_datetime *dt)
{
    return days_from_civil(dt->year, dt->month, dt->day) * SECONDS_PER_DAY + dt->hour * 3600 +
           dt->minute * 60 + dt->second;
}

/* The fields to compare, most significant first; -1 marks an unknown one
 * (in UTC there is one key, the seconds since the epoch, always known). */
static size_t ordering_keys(const cim_datetime *dt, bool in_utc, int64_t keys[6])
{
    if (dt->is_interval) {
        keys[0] = dt->days, keys[1] = dt->hour, keys[2] = dt->minute, keys[3] = dt->second;
        return 4;
    }
    if (in_utc) {
        keys[0] = local_seconds(dt) - (int64_t)dt->utc_offset * 60;
        return 1;
    }
    keys[0] = dt->year, keys[1] = dt->month, keys[2] = dt->day;
    keys[3] = dt->hour, keys[4] = dt->minute, keys[5] = dt->second;
    return 6;
}

static int significant_micro_digits(const cim_datetime *dt)
{
    return dt->microseconds < 0 ? 0 : 6 - dt->microsecond_stars;
}

static int compare_microseconds(const cim_datetime *a, const cim_datetime *b, bool *comparable)
{
    int da = significant_micro_digits(a), db = significant_micro_digits(b);
    int common = da < db ? da : db;
    int divisor = 1;
    for (int i = common; i < 6; i++)
        divisor *= 10;
    if (common > 0) {
        int pa = a->microseconds / divisor, pb = b->microseconds / divisor;
        if (pa != pb)
            return pa < pb ? -1 : 1;
    }
    if (da == 6 && db == 6)
        return 0;
    *comparable = false;
    return 0;
}

int cim_datetime_compare(const cim_datetime *a, const cim_datetime *b, bool *comparable)
{
    bool ignored;
    if (!comparable)
        comparable = &ignored;
    *comparable = true;
    if (a->is_interval != b->is_interval) {
        *comparable = false;
        return 0;
    }
    bool in_utc = !a->is_interval && !a->utc_offset_unknown && !b->utc_offset_unknown &&
                  !has_unknown_date_or_time(a) && !has_unknown_date_or_time(b);
    if (!a->is_interval && !in_utc && !a->utc_offset_unknown && !b->utc_offset_unknown &&
        a->utc_offset != b->utc_offset) {
        /* Unknown fields stop the move to UTC, and without it fields in
         * different offsets do not line up. */
        *comparable = false;
        return 0;
    }
    int64_t ka[6], kb[6];
    size_t n = ordering_keys(a, in_utc, ka);
    ordering_keys(b, in_utc, kb);
    for (size_t i = 0; i < n; i++) {
        if (!in_utc && (ka[i] < 0 || kb[i] < 0)) { /* UTC seconds may be negative */
            *comparable = false;
            return 0;
        }
        if (ka[i] != kb[i])
            return ka[i] < kb[i] ? -1 : 1;
    }
    return compare_microseconds(a, b, comparable);
}

void cim_datetime_now(cim_datetime *out)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    cim_datetime_from_unix_us((int64_t)ts.tv_sec * US_PER_SECOND + ts.tv_nsec / 1000, out);
}

bool cim_datetime_to_unix_us(const cim_datetime *dt, int64_t *out)
{
    if (dt->is_interval || has_unknown_date_or_time(dt) || dt->microseconds < 0 ||
        dt->microsecond_stars > 0)
        return false;
    int64_t seconds = local_seconds(dt) - (int64_t)dt->utc_offset * 60;
    *out = seconds * US_PER_SECOND + dt->microseconds;
    return true;
}

void cim_datetime_from_unix_us(int64_t us, cim_datetime *out)
{
    /* Clamp to what four year digits can hold. */
    const int64_t first = days_from_civil(0, 1, 1) * SECONDS_PER_DAY * US_PER_SECOND;
    const int64_t last = (days_from_civil(9999, 12, 31) + 1) * SECONDS_PER_DAY * US_PER_SECOND - 1;
    if (us < first)
        us = first;
    if (us > last)
        us = last;
    int64_t seconds = us / US_PER_SECOND, micro = us % US_PER_SECOND;
    if (micro < 0) {
        micro += US_PER_SECOND;
        seconds--;
    }
    int64_t days = seconds / SECONDS_PER_DAY, in_day = seconds % SECONDS_PER_DAY;
    if (in_day < 0) {
        in_day += SECONDS_PER_DAY;
        days--;
    }
    cim_datetime dt = {0};
    civil_from_days(days, &dt.year, &dt.month, &dt.day);
    dt.hour = (int)(in_day / 3600);
    dt.minute = (int)(in_day / 60 % 60);
    dt.second = (int)(in_day % 60);
    dt.microseconds = (int)micro;
    *out = dt;
}
