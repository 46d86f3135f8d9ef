/* path.c - parsing WMI object paths:
 *   [\\host\ | //host/][namespace:]Class[.Key=value,... | =value | =@]
 * Errors give the 1-based position and what was expected there. */
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cim/value_internal.h"

typedef struct path_parser {
    const char *text;
    size_t pos;
    smsprov_error *err;
} path_parser;

static smsprov_code path_error(path_parser *p, const char *fmt, ...)
    SMSPROV_PRINTF(2, 3)
    ;

static smsprov_code path_error(path_parser *p, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    smsprov_error_setv(p->err, SMSPROV_E_INVALID_OBJECT_PATH, fmt, ap);
    va_end(ap);
    return SMSPROV_E_INVALID_OBJECT_PATH;
}

static char peek(const path_parser *p)
{
    return p->text[p->pos];
}

static size_t position(const path_parser *p)
{
    return p->pos + 1;
}

static bool is_name_start(char c)
{
    return isalpha((unsigned char)c) || c == '_' || (unsigned char)c >= 0x80;
}

static bool is_name_char(char c)
{
    return is_name_start(c) || isdigit((unsigned char)c);
}

static bool is_separator(char c)
{
    return c == '\\' || c == '/';
}

static void skip_blanks(path_parser *p)
{
    while (peek(p) == ' ' || peek(p) == '\t')
        p->pos++;
}

/* Reads an identifier; NULL (position unchanged) when there is none. */
static char *read_name(path_parser *p)
{
    if (!is_name_start(peek(p)))
        return NULL;
    size_t start = p->pos;
    while (is_name_char(peek(p)))
        p->pos++;
    char *name = cim_xmalloc(p->pos - start + 1);
    memcpy(name, p->text + start, p->pos - start);
    name[p->pos - start] = '\0';
    return name;
}

/* ---- host and namespace -------------------------------------------------- */

/* True when the text starts with namespace segments and a ':' (and so is
 * not a bare class path). */
static bool has_namespace_prefix(const char *text)
{
    const char *s = text;
    while (is_name_char(*s) || is_separator(*s))
        s++;
    return *s == ':' && s > text;
}

static smsprov_code parse_host(path_parser *p, cim_object_path *path)
{
    p->pos = 2;
    size_t start = p->pos;
    while (peek(p) && !is_separator(peek(p)) && peek(p) != ':')
        p->pos++;
    if (p->pos == start)
        return path_error(p, "Expected a server name after the leading %.2s at position %zu.",
                          p->text, position(p));
    if (!is_separator(peek(p)))
        return path_error(p, "Expected '\\' and a namespace after the server name at position %zu.",
                          position(p));
    path->host = cim_xmalloc(p->pos - start + 1);
    memcpy(path->host, p->text + start, p->pos - start);
    path->host[p->pos - start] = '\0';
    p->pos++;
    return SMSPROV_OK;
}

/* Segments separated by '\' or '/', kept with '\' separators, up to ':'. */
static smsprov_code parse_namespace(path_parser *p, cim_object_path *path)
{
    cim_buf ns = {0};
    for (;;) {
        char *segment = read_name(p);
        if (!segment) {
            cim_buf_clear(&ns);
            return path_error(p, "Expected a namespace name at position %zu.", position(p));
        }
        if (ns.len)
            cim_buf_append(&ns, "\\");
        cim_buf_append(&ns, segment);
        free(segment);
        if (peek(p) == ':')
            break;
        if (!is_separator(peek(p))) {
            cim_buf_clear(&ns);
            return path_error(p, "Expected '\\' or ':' after the namespace name at position %zu.",
                              position(p));
        }
        p->pos++;
    }
    p->pos++; /* the ':' */
    path->namespace_path = cim_buf_take(&ns);
    return SMSPROV_OK;
}

static smsprov_code parse_location(path_parser *p, cim_object_path *path)
{
    const char *t = p->text;
    bool has_host = (t[0] == '\\' && t[1] == '\\') || (t[0] == '/' && t[1] == '/');
    if (has_host) {
        smsprov_code code = parse_host(p, path);
        if (code)
            return code;
        return parse_namespace(p, path);
    }
    if (has_namespace_prefix(t))
        return parse_namespace(p, path);
    return SMSPROV_OK;
}

/* ---- key values ----------------------------------------------------------- */

static smsprov_code parse_quoted(path_parser *p, cim_value *out)
{
    char quote = peek(p);
    size_t start = position(p);
    cim_buf text = {0};
    p->pos++;
    for (;;) {
        char c = peek(p);
        if (!c) {
            cim_buf_clear(&text);
            return path_error(p, "The quoted value that starts at position %zu has no closing %c.",
                              start, quote);
        }
        p->pos++;
        if (c == quote)
            break;
        char next = peek(p);
        if (c == '\\' && (next == '"' || next == '\'' || next == '\\')) {
            c = next; /* an escaped quote or backslash */
            p->pos++;
        }
        cim_buf_append_n(&text, &c, 1);
    }
    *out = cim_value_null(CIM_TYPE_STRING, false);
    out->is_null = false;
    out->u.string = cim_buf_take(&text);
    return SMSPROV_OK;
}

static bool is_value_end(char c)
{
    return c == '\0' || c == ',' || c == ' ' || c == '\t';
}

static bool same_word(const char *s, size_t len, const char *word)
{
    if (strlen(word) != len)
        return false;
    for (size_t i = 0; i < len; i++)
        if (toupper((unsigned char)s[i]) != word[i])
            return false;
    return true;
}

static bool parse_real(const char *s, size_t len, double *out)
{
    char *copy = cim_xmalloc(len + 1);
    memcpy(copy, s, len);
    copy[len] = '\0';
    char *end;
    *out = strtod(copy, &end);
    bool ok =
        len > 0 && *end == '\0' && (isdigit((unsigned char)copy[len - 1]) || copy[len - 1] == '.');
    free(copy);
    return ok;
}

/* TRUE, FALSE, an integer (decimal or 0x hex, signed) or a real. */
static smsprov_code parse_bare(path_parser *p, cim_value *out)
{
    size_t start = p->pos;
    while (!is_value_end(peek(p)))
        p->pos++;
    const char *s = p->text + start;
    size_t len = p->pos - start;
    if (same_word(s, len, "TRUE") || same_word(s, len, "FALSE")) {
        *out = cim_value_bool(toupper((unsigned char)s[0]) == 'T');
        return SMSPROV_OK;
    }
    bool negative;
    uint64_t magnitude;
    cim_int_parse parsed = cim_parse_integer(s, len, &negative, &magnitude);
    if (parsed == CIM_INT_OK && !negative) {
        *out = cim_value_uint(CIM_TYPE_UINT64, magnitude);
        return SMSPROV_OK;
    }
    if (parsed == CIM_INT_OK && magnitude <= (uint64_t)INT64_MAX + 1) {
        *out = cim_value_sint(CIM_TYPE_SINT64, (int64_t)(0 - magnitude));
        return SMSPROV_OK;
    }
    if (parsed != CIM_INT_SYNTAX) {
        p->pos = start;
        return path_error(p, "The number %.*s at position %zu does not fit in 64 bits.", (int)len,
                          s, position(p));
    }
    double d;
    if (parse_real(s, len, &d) && isfinite(d)) {
        *out = cim_value_real(CIM_TYPE_REAL64, d);
        return SMSPROV_OK;
    }
    p->pos = start;
    if (parse_real(s, len, &d)) /* 1e999: no real64 holds it, and no path could name it back */
        return path_error(p, "The number %.*s at position %zu is too large for a real64.",
                          (int)len, s, position(p));
    return path_error(p,
                      "Expected a key value (a quoted string, a number, TRUE or FALSE) at position "
                      "%zu, not %.*s.",
                      position(p), (int)len, s);
}

static smsprov_code parse_value(path_parser *p, cim_value *out)
{
    char c = peek(p);
    if (c == '"' || c == '\'')
        return parse_quoted(p, out);
    if (is_value_end(c) || c == '@')
        return path_error(p,
                          "Expected a key value (a quoted string, a number, TRUE or FALSE) at "
                          "position %zu.",
                          position(p));
    return parse_bare(p, out);
}

/* ---- keys ------------------------------------------------------------------ */

static cim_keybinding *add_key(cim_object_path *path, char *name)
{
    path->keys = cim_xrealloc(path->keys, (path->key_count + 1) * sizeof *path->keys);
    cim_keybinding *key = &path->keys[path->key_count++];
    key->name = name;
    key->value = cim_value_null(CIM_TYPE_STRING, false);
    return key;
}

static smsprov_code parse_named_key(path_parser *p, cim_object_path *path)
{
    skip_blanks(p);
    size_t name_pos = position(p);
    char *name = read_name(p);
    if (!name)
        return path_error(p, "Expected a key property name at position %zu.", position(p));
    for (size_t i = 0; i < path->key_count; i++) {
        if (cim_strcasecmp(path->keys[i].name, name) == 0) {
            path_error(p, "The key %s appears twice (again at position %zu); give each key once.",
                       name, name_pos);
            free(name);
            return SMSPROV_E_INVALID_OBJECT_PATH;
        }
    }
    cim_keybinding *key = add_key(path, name);
    skip_blanks(p);
    if (peek(p) != '=')
        return path_error(p, "Expected '=' after key name '%s' at position %zu.", key->name,
                          position(p));
    p->pos++;
    skip_blanks(p);
    return parse_value(p, &key->value);
}

static smsprov_code parse_key_list(path_parser *p, cim_object_path *path)
{
    for (;;) {
        smsprov_code code = parse_named_key(p, path);
        if (code)
            return code;
        skip_blanks(p);
        if (!peek(p))
            return SMSPROV_OK;
        if (peek(p) != ',')
            return path_error(p,
                              "Expected ',' or the end of the path after the value of key '%s' at "
                              "position %zu.",
                              path->keys[path->key_count - 1].name, position(p));
        p->pos++;
    }
}

/* After "Class=": '@' for a singleton, or the value of the one key. */
static smsprov_code parse_unnamed_key(path_parser *p, cim_object_path *path)
{
    skip_blanks(p);
    if (peek(p) == '@') {
        p->pos++;
        path->singleton = true;
    } else {
        smsprov_code code = parse_value(p, &add_key(path, NULL)->value);
        if (code)
            return code;
    }
    skip_blanks(p);
    if (peek(p))
        return path_error(p, "Unexpected '%c' at position %zu: the path should end after %s.",
                          peek(p), position(p), path->singleton ? "'@'" : "the key value");
    return SMSPROV_OK;
}

static smsprov_code parse_path(path_parser *p, cim_object_path *path)
{
    smsprov_code code = parse_location(p, path);
    if (code)
        return code;
    path->class_name = read_name(p);
    if (!path->class_name)
        return path_error(p, "Expected a class name at position %zu.", position(p));
    switch (peek(p)) {
    case '\0':
        return SMSPROV_OK;
    case '.':
        p->pos++;
        return parse_key_list(p, path);
    case '=':
        p->pos++;
        return parse_unnamed_key(p, path);
    default:
        return path_error(p,
                          "Unexpected '%c' at position %zu after the class name %s; expected '.', "
                          "'=' or the end of the path.",
                          peek(p), position(p), path->class_name);
    }
}

smsprov_code cim_object_path_parse(const char *text, cim_object_path *out, smsprov_error *err)
{
    if (!text || !*text)
        return smsprov_error_set(err, SMSPROV_E_INVALID_OBJECT_PATH,
                                 "The object path is empty; give at least a class name, such as "
                                 "SMS_BootImagePackage.");
    path_parser p = {text, 0, err};
    cim_object_path path;
    memset(&path, 0, sizeof path);
    smsprov_code code = parse_path(&p, &path);
    if (code) {
        cim_object_path_clear(&path);
        return code;
    }
    *out = path;
    return SMSPROV_OK;
}
