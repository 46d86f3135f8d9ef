/* json_value.c - CIM values in the AdminService's JSON: integers bare (64
 * bits too: ODataLib's IEEE754Compatible=false), DATETIME as ISO 8601 UTC,
 * embedded objects as objects carrying their @odata.type. */
#include "adminservice/json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static bool digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

/* The common case, a UTC timestamp with whole seconds
 * ("20240830205506.000000+000"), rewritten without parsing: an entity set
 * holds several per entity. */
static bool utc_datetime_json(cim_buf *b, const char *t)
{
    if (strlen(t) != 25 || !digits(t, 14) || t[14] != '.' || memcmp(t + 15, "000000+000", 10))
        return false;
    char out[24] = {'"', t[0], t[1], t[2], t[3], '-', t[4], t[5], '-', t[6], t[7], 'T',
                    t[8], t[9], ':', t[10], t[11], ':', t[12], t[13], 'Z', '"'};
    cim_buf_append_n(b, out, 22);
    return true;
}

static void datetime_json(cim_buf *b, const char *text)
{
    if (utc_datetime_json(b, text))
        return;
    cim_datetime dt;
    const char *why;
    int64_t us;
    if (!cim_datetime_parse(text, &dt, &why) || dt.is_interval ||
        !cim_datetime_to_unix_us(&dt, &us)) {
        char *s = cim_value_to_json(&(cim_value){.type = CIM_TYPE_STRING,
                                                  .u.string = (char *)text});
        cim_buf_append(b, s);
        free(s);
        return;
    }
    time_t t = (time_t)(us >= 0 ? us / 1000000 : (us - 999999) / 1000000);
    struct tm tm;
    gmtime_r(&t, &tm);
    char out[40];
    strftime(out, sizeof out, "%Y-%m-%dT%H:%M:%S", &tm);
    int frac = (int)(us - (int64_t)t * 1000000);
    if (frac)
        cim_buf_printf(b, "\"%s.%06dZ\"", out, frac);
    else
        cim_buf_printf(b, "\"%sZ\"", out);
}

/* n in decimal, without printf's parsing: an entity set writes several
 * numbers per entity. */
static void decimal(cim_buf *b, uint64_t n, bool negative)
{
    char out[24];
    size_t at = sizeof out;
    do {
        out[--at] = (char)('0' + n % 10);
        n /= 10;
    } while (n);
    if (negative)
        out[--at] = '-';
    cim_buf_append_n(b, out + at, sizeof out - at);
}

static void scalar_json(cim_buf *b, const cim_value *v)
{
    if (v->is_null) {
        cim_buf_append(b, "null");
        return;
    }
    if (v->type == CIM_TYPE_DATETIME) {
        datetime_json(b, v->u.string);
        return;
    }
    if (v->type == CIM_TYPE_OBJECT) {
        adminservice_json_entity(b, v->u.object, NULL, true);
        return;
    }
    if (cim_type_is_signed(v->type)) {
        int64_t n = v->u.sint;
        decimal(b, n < 0 ? (uint64_t)0 - (uint64_t)n : (uint64_t)n, n < 0);
        return;
    }
    if (cim_type_is_unsigned(v->type)) {
        decimal(b, v->u.uint, false);
        return;
    }
    if (v->type == CIM_TYPE_BOOLEAN) {
        cim_buf_append(b, v->u.boolean ? "true" : "false");
        return;
    }
    if (v->type == CIM_TYPE_STRING || v->type == CIM_TYPE_REFERENCE) {
        adminservice_json_string(b, v->u.string);
        return;
    }
    char *s = cim_value_to_json(v);
    cim_buf_append(b, s);
    free(s);
}

void adminservice_json_value(cim_buf *b, const cim_value *v)
{
    if (!v->is_array || v->is_null) {
        scalar_json(b, v);
        return;
    }
    cim_buf_append(b, "[");
    for (size_t i = 0; i < v->u.array.count; i++) {
        if (i)
            cim_buf_append(b, ",");
        scalar_json(b, &v->u.array.items[i]);
    }
    cim_buf_append(b, "]");
}

static bool selected(const char *const *select, const char *name)
{
    for (size_t i = 0; select[i]; i++)
        if (!cim_strcasecmp(select[i], name))
            return true;
    return false;
}

void adminservice_json_entity(cim_buf *b, const cim_instance *inst, const char *const *select,
                              bool embedded)
{
    const cim_class *cls = inst->cls;
    bool first = true;
    cim_buf_append(b, "{");
    if (embedded) {
        cim_buf_printf(b, "\"@odata.type\":\"#AdminService.%s\"", cls->name);
        first = false;
    }
    if (!select) {
        cim_buf_printf(b, "%s\"__CLASS\":\"%s\"", first ? "" : ",", cls->name);
        first = false;
    }
    for (size_t i = 0; i < cls->property_count; i++) {
        const cim_property *p = &cls->properties[i];
        if (select && !selected(select, p->name))
            continue;
        if (!first)
            cim_buf_append_n(b, ",", 1);
        cim_buf_append_n(b, "\"", 1);
        cim_buf_append(b, p->name);
        cim_buf_append_n(b, "\":", 2);
        first = false;
        adminservice_json_value(b, &inst->values[i]);
    }
    cim_buf_append(b, "}");
}

void adminservice_json_string(cim_buf *b, const char *s)
{
    cim_buf_append_n(b, "\"", 1);
    adminservice_json_chars(b, s);
    cim_buf_append_n(b, "\"", 1);
}

/* Runs of plain bytes are copied whole; only quotes, backslashes and
 * control characters are escaped (UTF-8 passes as it is). */
void adminservice_json_chars(cim_buf *b, const char *s)
{
    const char *run = s, *p = s;
    for (; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        cim_buf_append_n(b, run, (size_t)(p - run));
        run = p + 1;
        char esc[8];
        if (c == '"' || c == '\\')
            snprintf(esc, sizeof esc, "\\%c", c);
        else if (c == '\n')
            snprintf(esc, sizeof esc, "\\n");
        else if (c == '\r')
            snprintf(esc, sizeof esc, "\\r");
        else if (c == '\t')
            snprintf(esc, sizeof esc, "\\t");
        else
            snprintf(esc, sizeof esc, "\\u%04x", c);
        cim_buf_append(b, esc);
    }
    cim_buf_append_n(b, run, (size_t)(p - run));
}
