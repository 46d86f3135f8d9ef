/* datetime_order.c - how queries compare and order DATETIME text: the WQL
 * evaluator and the store's SQL functions both use these, so a condition
 * or an ORDER BY gives the same answer in memory and in the database. */
#include "smsprov/cim.h"

#define US_PER_SECOND INT64_C(1000000)

int cim_datetime_text_compare(const char *a, const char *b, bool *comparable)
{
    cim_datetime da, db;
    if (!cim_datetime_parse(a, &da, NULL) || !cim_datetime_parse(b, &db, NULL)) {
        *comparable = false;
        return 0;
    }
    return cim_datetime_compare(&da, &db, comparable);
}

cim_datetime_rank cim_datetime_text_rank(const char *text)
{
    cim_datetime dt;
    int64_t us;
    if (!cim_datetime_parse(text, &dt, NULL))
        return (cim_datetime_rank){2, 0};
    if (!dt.is_interval)
        return cim_datetime_to_unix_us(&dt, &us) ? (cim_datetime_rank){0, us}
                                                  : (cim_datetime_rank){2, 0};
    if (dt.hour < 0 || dt.minute < 0 || dt.second < 0 || dt.microseconds < 0 ||
        dt.microsecond_stars > 0 || dt.days < 0)
        return (cim_datetime_rank){2, 0};
    int64_t seconds = dt.days * 86400 + dt.hour * 3600 + dt.minute * 60 + dt.second;
    return (cim_datetime_rank){1, seconds * US_PER_SECOND + dt.microseconds};
}

int cim_datetime_text_order(const char *a, const char *b)
{
    cim_datetime_rank ra = cim_datetime_text_rank(a), rb = cim_datetime_text_rank(b);
    if (ra.group != rb.group)
        return ra.group < rb.group ? -1 : 1;
    if (ra.group == 2) {
        int c = cim_nocase_compare(a, b);
        return c < 0 ? -1 : c > 0;
    }
    return ra.key < rb.key ? -1 : ra.key > rb.key;
}
