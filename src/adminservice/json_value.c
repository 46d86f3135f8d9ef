/* json_value.c - CIM values in the AdminService's JSON: integers bare (64
 * bits too: ODataLib's IEEE754Compatible=false), DATETIME as ISO 8601 UTC,
 * embedded objects as objects carrying their @odata.type. */
#include "adminservice/json.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

static void datetime_json(cim_buf *b, const char *text)
{
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
        cim_buf_printf(b, "%s\"%s\":", first ? "" : ",", p->name);
        first = false;
        adminservice_json_value(b, &inst->values[i]);
    }
    cim_buf_append(b, "}");
}

void adminservice_json_string(cim_buf *b, const char *s)
{
    char *j = cim_value_to_json(&(cim_value){.type = CIM_TYPE_STRING, .u.string = (char *)s});
    cim_buf_append(b, j);
    free(j);
}
