/* nal.c - packing and unpacking NAL paths (nal.h). */
#include "sms/nal.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "smsprov/cim.h"

static smsprov_code bad(smsprov_error *err, const char *param, char *sentence)
{
    smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER, "%s", sentence);
    smsprov_error_set_parameter(err, param);
    free(sentence);
    return SMSPROV_E_INVALID_PARAMETER;
}

static smsprov_code check_qualifiers(char *const *items, size_t count, const char *param,
                                     smsprov_error *err)
{
    for (size_t i = 0; i < count; i++) {
        if (!items[i] || !*items[i])
            return bad(err, param, cim_xasprintf("%s[%zu] is empty; give a qualifier "
                                                 "such as SMS_SITE=LAB, or leave it out.",
                                                 param, i));
        if (strchr(items[i], '"'))
            return bad(err, param, cim_xasprintf("%s[%zu] holds a double quote, which a NAL "
                                                 "path cannot carry inside a qualifier.",
                                                 param, i));
    }
    return SMSPROV_OK;
}

static void write_qualifiers(cim_buf *b, char *const *items, size_t count)
{
    if (count == 0)
        return;
    cim_buf_append(b, "[");
    for (size_t i = 0; i < count; i++)
        cim_buf_printf(b, "%s\"%s\"", i ? "," : "", items[i]);
    cim_buf_append(b, "]");
}

static bool is_known_type(const char *type)
{
    return type && (cim_strcasecmp(type, "MSWNET") == 0 || cim_strcasecmp(type, "GENERIC") == 0);
}

smsprov_code sms_nal_pack(const sms_nal *nal, char **out, smsprov_error *err)
{
    *out = NULL;
    smsprov_code rc = check_qualifiers(nal->display, nal->display_count, "DisplayQualifiers",
                                       err);
    if (rc == SMSPROV_OK)
        rc = check_qualifiers(nal->connection, nal->connection_count,
                              "NetworkConnectionQualifiers", err);
    if (rc != SMSPROV_OK)
        return rc;
    if (!is_known_type(nal->type))
        return bad(err, "NALType", cim_xasprintf("NALType \"%s\" is not GENERIC or MSWNET.",
                                                 nal->type ? nal->type : ""));
    const char *path = nal->os_path ? nal->os_path : "";
    if (!*path || path[0] == '[' || path[0] == '"')
        return bad(err, "NetworkOSPath",
                   cim_xasprintf("NetworkOSPath \"%s\" is not a network path; give the "
                                 "system's UNC path, such as \\\\SERVER\\.",
                                 path));
    bool mswnet = cim_strcasecmp(nal->type, "MSWNET") == 0;
    if (mswnet && strncmp(path, "\\\\", 2) != 0)
        return bad(err, "NetworkOSPath",
                   cim_xasprintf("NetworkOSPath \"%s\" of an MSWNET path must be a UNC path "
                                 "starting with \\\\, such as \\\\SERVER\\.",
                                 path));
    cim_buf b = {0};
    write_qualifiers(&b, nal->display, nal->display_count);
    cim_buf_printf(&b, "%s:", mswnet ? "MSWNET" : "GENERIC");
    write_qualifiers(&b, nal->connection, nal->connection_count);
    cim_buf_printf(&b, "%s", path);
    *out = b.data ? b.data : cim_xstrdup("");
    return SMSPROV_OK;
}

/* ---- unpacking ---------------------------------------------------------- */

typedef struct reader {
    const char *start;
    const char *p;
    smsprov_error *err;
} reader;

static smsprov_code expected(reader *r, const char *what)
{
    return bad(r->err, "NALPath",
               cim_xasprintf("The NAL path \"%s\" is not valid: at character %zu, %s was "
                             "expected. A NAL path reads [\"Display=\\\\SERVER\\\"]MSWNET:"
                             "[\"SMS_SITE=LAB\"]\\\\SERVER\\.",
                             r->start, (size_t)(r->p - r->start) + 1, what));
}

static void push(char ***items, size_t *count, const char *text, size_t n)
{
    *items = cim_xrealloc(*items, (*count + 1) * sizeof **items);
    (*items)[(*count)++] = cim_xasprintf("%.*s", (int)n, text);
}

/* An optional "[" "q" ("," "q")* "]" group. */
static smsprov_code read_group(reader *r, char ***items, size_t *count)
{
    if (*r->p != '[')
        return SMSPROV_OK;
    r->p++;
    if (*r->p == ']') {
        r->p++;
        return SMSPROV_OK;
    }
    for (;;) {
        if (*r->p != '"')
            return expected(r, "a double quote opening a qualifier");
        const char *close = strchr(r->p + 1, '"');
        if (!close)
            return expected(r, "a double quote closing the qualifier");
        push(items, count, r->p + 1, (size_t)(close - r->p - 1));
        r->p = close + 1;
        if (*r->p == ']') {
            r->p++;
            return SMSPROV_OK;
        }
        if (*r->p != ',')
            return expected(r, "',' or ']' after a qualifier");
        r->p++;
    }
}

smsprov_code sms_nal_unpack(const char *text, sms_nal *out, smsprov_error *err)
{
    memset(out, 0, sizeof *out);
    reader r = {.start = text ? text : "", .p = text ? text : "", .err = err};
    smsprov_code rc = read_group(&r, &out->display, &out->display_count);
    if (rc == SMSPROV_OK) {
        const char *colon = strchr(r.p, ':');
        size_t n = colon ? (size_t)(colon - r.p) : 0;
        char *type = cim_xasprintf("%.*s", (int)n, r.p);
        if (!colon || !is_known_type(type)) {
            free(type);
            rc = expected(&r, "the NAL type GENERIC or MSWNET followed by ':'");
        } else {
            out->type = type;
            r.p = colon + 1;
        }
    }
    if (rc == SMSPROV_OK)
        rc = read_group(&r, &out->connection, &out->connection_count);
    if (rc == SMSPROV_OK && !*r.p)
        rc = expected(&r, "the network path");
    if (rc == SMSPROV_OK)
        out->os_path = cim_xstrdup(r.p);
    if (rc != SMSPROV_OK)
        sms_nal_clear(out);
    return rc;
}

static void free_items(char **items, size_t count)
{
    for (size_t i = 0; i < count; i++)
        free(items[i]);
    free(items);
}

void sms_nal_clear(sms_nal *nal)
{
    free_items(nal->display, nal->display_count);
    free_items(nal->connection, nal->connection_count);
    free(nal->type);
    free(nal->os_path);
    memset(nal, 0, sizeof *nal);
}

char *sms_nal_for_server(const char *server, const char *site_code)
{
    return cim_xasprintf("[\"Display=\\\\%s\\\"]MSWNET:[\"SMS_SITE=%s\"]\\\\%s\\", server,
                         site_code, server);
}

char *sms_nal_site(const char *nal)
{
    static const char key[] = "SMS_SITE=";
    for (const char *p = nal; *p; p++) {
        if (strncasecmp(p, key, sizeof key - 1) != 0)
            continue;
        const char *v = p + sizeof key - 1;
        size_t n = 0;
        while (v[n] && v[n] != '"' && v[n] != ']' && v[n] != ' ')
            n++;
        return cim_xasprintf("%.*s", (int)n, v);
    }
    return NULL;
}
