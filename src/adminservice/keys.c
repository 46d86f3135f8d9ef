/* keys.c - the key of an entity in the URL, in OData's forms ('text',
 * 123, Name='a',Other=2, or /text as a segment), as a WMI object path. */
#include "adminservice/request.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>


static const cim_property *only_key(const cim_class *cls)
{
    if (cls->key_count != 1)
        return NULL;
    for (size_t i = 0; i < cls->property_count; i++)
        if (cls->properties[i].flags & CIM_PROP_KEY)
            return &cls->properties[i];
    return NULL;
}

/* One key value: 'text' ('' for a quote), or a bare token (a number, or a
 * string key written without quotes as some scripts do). */
static bool key_value(const char **pp, cim_buf *value, bool *quoted)
{
    const char *p = *pp;
    *quoted = *p == '\'';
    if (*quoted) {
        for (p++;; p++) {
            if (!*p)
                return false;
            if (*p == '\'') {
                if (p[1] != '\'')
                    break;
                p++;
            }
            cim_buf_append_n(value, p, 1);
        }
        p++;
    } else {
        size_t n = strcspn(p, ",)");
        if (!n)
            return false;
        cim_buf_append_n(value, p, n);
        p += n;
    }
    *pp = p;
    return true;
}

static void path_append_key(cim_buf *path, const cim_property *key, const char *value)
{
    if (cim_type_is_integer(key->type)) {
        cim_buf_printf(path, "%s=%s", key->name, value);
        return;
    }
    cim_buf_printf(path, "%s=\"", key->name);
    for (const char *p = value; *p; p++) {
        if (*p == '"' || *p == '\\')
            cim_buf_append(path, "\\");
        cim_buf_append_n(path, p, 1);
    }
    cim_buf_append(path, "\"");
}

static bool integer_text(const char *s)
{
    if (*s == '-')
        s++;
    if (!*s)
        return false;
    for (; *s; s++)
        if (!isdigit((unsigned char)*s))
            return false;
    return true;
}

/* "('X')", "(12)", "(A='x',B=2)" or "/X" into an object path. */
bool as_parse_keys(as_request *r, const char *text, bool segment)
{
    const cim_class *cls = r->cls;
    cim_buf path = {0};
    cim_buf_printf(&path, "%s.", cls->name);
    const char *p = text;
    size_t given = 0;
    bool ok = true;
    while (ok) {
        cim_buf name = {0}, value = {0};
        const cim_property *key = NULL;
        bool quoted = false;
        size_t n = strcspn(p, "=,)'");
        if (!segment && p[n] == '=') {
            cim_buf_append_n(&name, p, n);
            key = cim_class_find_property(cls, name.data);
            p += n + 1;
            if (!key || !(key->flags & CIM_PROP_KEY))
                ok = false;
        } else {
            key = only_key(cls);
            ok = key != NULL;
        }
        if (ok && segment) {
            cim_buf_append(&value, p);
            p += strlen(p);
        } else if (ok) {
            ok = key_value(&p, &value, &quoted);
        }
        if (ok && cim_type_is_integer(key->type) && (quoted || !integer_text(value.data)))
            ok = false;
        if (ok) {
            if (given++)
                cim_buf_append(&path, ",");
            path_append_key(&path, key, value.data ? value.data : "");
        }
        cim_buf_clear(&name);
        cim_buf_clear(&value);
        if (!ok || segment || *p != ',')
            break;
        p++;
    }
    if (ok && !segment && strcmp(p, ")") != 0)
        ok = false;
    if (ok && given != cls->key_count)
        ok = false;
    if (!ok) {
        cim_buf_clear(&path);
        as_fail(r, 400, SMSPROV_E_INVALID_OBJECT_PATH,
                "The key '%.100s' does not name an instance of %s: give %s.", text, cls->name,
                cls->key_count == 1 ? "its key as ('text') or (number)"
                                    : "every key as (Name='text',Other=number)");
        return false;
    }
    r->key_path = cim_buf_take(&path);
    return true;
}

