/* datetime.c - DMTF datetimes to and from xs:dateTime / xs:duration. */
#include "wsman/datetime.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "smsprov/cim.h"

char *wsman_datetime_to_xml(const char *dmtf, bool *is_interval)
{
    cim_datetime dt;
    if (!dmtf || !cim_datetime_parse(dmtf, &dt, NULL) || strchr(dmtf, '*'))
        return NULL;
    *is_interval = dt.is_interval;
    if (dt.is_interval)
        return cim_xasprintf("P%lldDT%dH%dM%d.%06dS", (long long)dt.days, dt.hour, dt.minute,
                             dt.second, dt.microseconds);
    char zone[32];
    if (dt.utc_offset == 0)
        strcpy(zone, "Z");
    else
        snprintf(zone, sizeof zone, "%c%02d:%02d", dt.utc_offset < 0 ? '-' : '+',
                 abs(dt.utc_offset) / 60, abs(dt.utc_offset) % 60);
    return cim_xasprintf("%04d-%02d-%02dT%02d:%02d:%02d.%06d%s", dt.year, dt.month, dt.day,
                         dt.hour, dt.minute, dt.second, dt.microseconds, zone);
}

/* Reads exactly n digits. */
static bool digits(const char **p, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)(*p)[i]))
            return false;
        v = v * 10 + ((*p)[i] - '0');
    }
    *p += n;
    *out = v;
    return true;
}

/* ".123" -> 123000 microseconds; more than six digits are cut. */
static int fraction_us(const char **p)
{
    int us = 0, scale = 100000;
    if (**p != '.')
        return 0;
    (*p)++;
    for (; isdigit((unsigned char)**p); (*p)++) {
        us += (**p - '0') * scale;
        scale /= 10;
    }
    return us;
}

static bool valid_timestamp(const cim_datetime *dt, char *out)
{
    cim_datetime_format(dt, out);
    cim_datetime check;
    return cim_datetime_parse(out, &check, NULL);
}

static bool parse_xs_datetime(const char *s, char *out)
{
    cim_datetime dt = {0};
    const char *p = s;
    if (!digits(&p, 4, &dt.year) || *p++ != '-' || !digits(&p, 2, &dt.month) || *p++ != '-' ||
        !digits(&p, 2, &dt.day) || *p++ != 'T' || !digits(&p, 2, &dt.hour) || *p++ != ':' ||
        !digits(&p, 2, &dt.minute) || *p++ != ':' || !digits(&p, 2, &dt.second))
        return false;
    dt.microseconds = fraction_us(&p);
    if (*p == 'Z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        int sign = *p++ == '-' ? -1 : 1, hh, mm;
        if (!digits(&p, 2, &hh) || *p++ != ':' || !digits(&p, 2, &mm))
            return false;
        dt.utc_offset = sign * (hh * 60 + mm);
    }
    return *p == '\0' && valid_timestamp(&dt, out);
}

/* The parts of an xs:duration; years and months are refused because their
 * length in days is not fixed. */
typedef struct duration {
    int64_t days, hours, minutes, seconds;
    int micros;
} duration;

static bool read_number(const char **p, int64_t *out)
{
    if (!isdigit((unsigned char)**p))
        return false;
    int64_t v = 0;
    for (; isdigit((unsigned char)**p); (*p)++) {
        if (v > 100000000000LL)
            return false;
        v = v * 10 + (**p - '0');
    }
    *out = v;
    return true;
}

static bool parse_duration(const char *s, duration *d)
{
    memset(d, 0, sizeof *d);
    const char *p = s;
    if (*p++ != 'P')
        return false;
    bool in_time = false, any = false;
    while (*p) {
        if (*p == 'T' && !in_time) {
            in_time = true;
            p++;
            continue;
        }
        int64_t n;
        if (!read_number(&p, &n))
            return false;
        int us = 0;
        if (*p == '.') {
            if (!in_time)
                return false;
            us = fraction_us(&p);
        }
        char unit = *p++;
        if (!in_time && unit == 'D')
            d->days = n;
        else if (in_time && unit == 'H')
            d->hours = n;
        else if (in_time && unit == 'M')
            d->minutes = n;
        else if (in_time && unit == 'S')
            d->seconds = n, d->micros = us;
        else
            return false;
        if (us && unit != 'S')
            return false;
        any = true;
    }
    return any;
}

bool wsman_duration_us(const char *text, int64_t *out)
{
    duration d;
    if (!text || !parse_duration(text, &d))
        return false;
    int64_t seconds = ((d.days * 24 + d.hours) * 60 + d.minutes) * 60 + d.seconds;
    if (seconds > 100LL * 365 * 24 * 3600)
        return false;
    *out = seconds * 1000000 + d.micros;
    return true;
}

static bool parse_interval(const char *s, char *out)
{
    duration d;
    if (!parse_duration(s, &d))
        return false;
    /* carry into days, as the DMTF interval has fixed field widths */
    int64_t total = ((d.days * 24 + d.hours) * 60 + d.minutes) * 60 + d.seconds;
    cim_datetime dt = {.is_interval = true};
    dt.days = total / 86400;
    dt.hour = (int)(total / 3600 % 24);
    dt.minute = (int)(total / 60 % 60);
    dt.second = (int)(total % 60);
    dt.microseconds = d.micros;
    if (dt.days > 99999999)
        return false;
    cim_datetime_format(&dt, out);
    return true;
}

bool wsman_datetime_from_xml(const char *text, char *out)
{
    if (!text)
        return false;
    cim_datetime dt;
    if (strlen(text) == CIM_DATETIME_LEN && cim_datetime_parse(text, &dt, NULL)) {
        memcpy(out, text, CIM_DATETIME_LEN + 1);
        return true;
    }
    if (text[0] == 'P')
        return parse_interval(text, out);
    return parse_xs_datetime(text, out);
}
