/* options.c - the OData system query options of a request ($filter,
 * $select, $orderby, $top, $skip, $count, $format), names in any case and
 * values form-decoded by the HTTP layer; any other $ option is refused. */
#include "adminservice/request.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>


static bool parse_count(const char *value, uint64_t *out)
{
    if (!*value || !isdigit((unsigned char)*value))
        return false;
    errno = 0;
    char *end;
    unsigned long long v = strtoull(value, &end, 10);
    if (errno || *end)
        return false;
    *out = v;
    return true;
}

static void set_text(as_options *o, char **slot, const char *name, const char *value)
{
    if (*slot && !o->error)
        o->error = cim_xasprintf("The query option %s is given twice.", name);
    free(*slot);
    *slot = cim_xstrdup(value);
}

static bool take_arg(void *data, const char *name, const char *value)
{
    as_options *o = data;
    o->names = cim_xrealloc(o->names, (o->arg_count + 1) * sizeof *o->names);
    o->values = cim_xrealloc(o->values, (o->arg_count + 1) * sizeof *o->values);
    o->names[o->arg_count] = cim_xstrdup(name);
    o->values[o->arg_count++] = cim_xstrdup(value);
    if (name[0] != '$')
        return true; /* custom options are the client's business */
    if (!cim_strcasecmp(name, "$filter"))
        set_text(o, &o->filter, name, value);
    else if (!cim_strcasecmp(name, "$select"))
        set_text(o, &o->select, name, value);
    else if (!cim_strcasecmp(name, "$orderby"))
        set_text(o, &o->orderby, name, value);
    else if (!cim_strcasecmp(name, "$top") || !cim_strcasecmp(name, "$skip")) {
        uint64_t *slot = !cim_strcasecmp(name, "$top") ? &o->top : &o->skip;
        if (!parse_count(value, slot) && !o->error)
            o->error = cim_xasprintf("The value of %s must be a whole number of at least 0, "
                                     "not '%.40s'.",
                                     name, value);
    } else if (!cim_strcasecmp(name, "$count")) {
        if (cim_strcasecmp(value, "true") && cim_strcasecmp(value, "false") && !o->error)
            o->error = cim_xasprintf("$count must be true or false, not '%.40s'.", value);
        o->count = !cim_strcasecmp(value, "true");
    } else if (!cim_strcasecmp(name, "$format")) {
        if (cim_strcasecmp(value, "json") && strncmp(value, "application/json", 16) &&
            !o->error)
            o->error = cim_xasprintf("Only $format=json is supported.");
    } else if (!o->error) {
        o->error = cim_xasprintf("The query option %.40s is not supported.", name);
    }
    return true;
}

void as_options_clear(as_options *o)
{
    free(o->filter);
    free(o->select);
    free(o->orderby);
    free(o->error);
    for (size_t i = 0; i < o->arg_count; i++) {
        free(o->names[i]);
        free(o->values[i]);
    }
    free(o->names);
    free(o->values);
}

char **as_select_list(const char *select)
{
    if (!select)
        return NULL;
    char **list = cim_xcalloc(1, sizeof *list);
    size_t n = 0;
    const char *p = select;
    while (*p) {
        while (isspace((unsigned char)*p) || *p == ',')
            p++;
        size_t len = strcspn(p, ",");
        size_t trimmed = len;
        while (trimmed && isspace((unsigned char)p[trimmed - 1]))
            trimmed--;
        if (trimmed) {
            list = cim_xrealloc(list, (n + 2) * sizeof *list);
            list[n++] = cim_xasprintf("%.*s", (int)trimmed, p);
            list[n] = NULL;
        }
        p += len;
    }
    return list;
}

void as_free_list(char **list)
{
    for (size_t i = 0; list && list[i]; i++)
        free(list[i]);
    free(list);
}

void as_options_read(const http_request *req, as_options *o)
{
    o->top = AS_NO_LIMIT;
    http_request_args(req, take_arg, o);
}
