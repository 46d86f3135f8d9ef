/* filter.c - OData $filter to WQL: a token-by-token rewrite, because the
 * two grammars line up operator for operator; the WQL parser then checks
 * the result against the class, so names and types are checked once. */
#include "adminservice/adminservice.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

typedef struct rewrite {
    const char *p;
    cim_buf out;
    char *why;
    int depth;
} rewrite;

static bool fail(rewrite *r, const char *what)
{
    if (!r->why)
        r->why = cim_xasprintf("Syntax error in $filter at '%.40s': %s", r->p, what);
    return false;
}

static void skip_space(rewrite *r)
{
    while (*r->p == ' ' || *r->p == '\t')
        r->p++;
}

/* 'it''s' into a WQL string "it's" (backslash escapes). */
static bool string_literal(rewrite *r, cim_buf *text)
{
    r->p++;
    for (;;) {
        if (!*r->p)
            return fail(r, "the string is not closed");
        if (*r->p == '\'') {
            if (r->p[1] != '\'')
                break;
            r->p++;
        }
        cim_buf_append_n(text, r->p, 1);
        r->p++;
    }
    r->p++;
    return true;
}

static void append_wql_string(cim_buf *b, const char *s, size_t n, bool like)
{
    cim_buf_append(b, "\"");
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '"' || c == '\\')
            cim_buf_append(b, "\\");
        if (like && (c == '%' || c == '_' || c == '[')) {
            cim_buf_printf(b, "[%c]", c);
            continue;
        }
        cim_buf_append_n(b, &c, 1);
    }
    cim_buf_append(b, "\"");
}

static size_t word_len(const char *p)
{
    size_t n = 0;
    while (isalnum((unsigned char)p[n]) || p[n] == '_')
        n++;
    return n;
}

static bool word_is(const char *p, size_t n, const char *w)
{
    return strlen(w) == n && strncmp(p, w, n) == 0;
}

static bool expression(rewrite *r);

/* contains(Name,'x') -> Name LIKE "%x%" */
static bool like_function(rewrite *r, const char *prefix, const char *suffix)
{
    skip_space(r);
    if (*r->p != '(')
        return fail(r, "a function needs '('");
    r->p++;
    skip_space(r);
    size_t n = word_len(r->p);
    if (!n || isdigit((unsigned char)*r->p))
        return fail(r, "a function's first argument must be a property");
    cim_buf_append_n(&r->out, r->p, n);
    r->p += n;
    skip_space(r);
    if (*r->p != ',')
        return fail(r, "expected ','");
    r->p++;
    skip_space(r);
    if (*r->p != '\'')
        return fail(r, "a function's second argument must be a string");
    cim_buf text = {0};
    if (!string_literal(r, &text)) {
        cim_buf_clear(&text);
        return false;
    }
    cim_buf pattern = {0};
    cim_buf_append(&pattern, prefix);
    cim_buf_append(&r->out, " LIKE ");
    cim_buf like = {0};
    append_wql_string(&like, text.data ? text.data : "", text.len, true);
    /* the pattern's wildcards go inside the quotes */
    cim_buf_printf(&r->out, "\"%s%.*s%s\"", prefix, (int)(like.len - 2), like.data + 1, suffix);
    cim_buf_clear(&like);
    cim_buf_clear(&pattern);
    cim_buf_clear(&text);
    skip_space(r);
    if (*r->p != ')')
        return fail(r, "expected ')'");
    r->p++;
    return true;
}

static bool operand(rewrite *r)
{
    skip_space(r);
    const char *p = r->p;
    if (*p == '\'') {
        cim_buf text = {0};
        bool ok = string_literal(r, &text);
        if (ok)
            append_wql_string(&r->out, text.data ? text.data : "", text.len, false);
        cim_buf_clear(&text);
        return ok;
    }
    if (*p == '(') {
        if (++r->depth > 32)
            return fail(r, "too deeply nested");
        r->p++;
        cim_buf_append(&r->out, "(");
        if (!expression(r))
            return false;
        skip_space(r);
        if (*r->p != ')')
            return fail(r, "expected ')'");
        r->p++;
        r->depth--;
        cim_buf_append(&r->out, ")");
        return true;
    }
    if (*p == '-' || isdigit((unsigned char)*p)) {
        size_t n = 1;
        while (isdigit((unsigned char)p[n]) || p[n] == '.')
            n++;
        if (*p == '-' && n == 1)
            return fail(r, "expected a number");
        cim_buf_append_n(&r->out, p, n);
        r->p += n;
        return true;
    }
    size_t n = word_len(p);
    if (!n)
        return fail(r, "expected a property, a literal or '('");
    r->p += n;
    if (word_is(p, n, "not")) {
        cim_buf_append(&r->out, "NOT ");
        return operand(r);
    }
    if (word_is(p, n, "contains"))
        return like_function(r, "%", "%");
    if (word_is(p, n, "startswith"))
        return like_function(r, "", "%");
    if (word_is(p, n, "endswith"))
        return like_function(r, "%", "");
    if (word_is(p, n, "true") || word_is(p, n, "false") || word_is(p, n, "null")) {
        cim_buf_printf(&r->out, "%s", word_is(p, n, "null") ? "NULL"
                                      : word_is(p, n, "true") ? "TRUE" : "FALSE");
        return true;
    }
    skip_space(r);
    if (*r->p == '(')
        return fail(r, "unknown function");
    cim_buf_append_n(&r->out, p, n);
    return true;
}

static const char *comparison(const char *p, size_t n)
{
    static const char *const ops[][2] = {{"eq", "="},  {"ne", "<>"}, {"gt", ">"},
                                         {"ge", ">="}, {"lt", "<"},  {"le", "<="}};
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
        if (word_is(p, n, ops[i][0]))
            return ops[i][1];
    return NULL;
}

/* operand [cmp operand] { (and|or) operand [cmp operand] } */
static bool expression(rewrite *r)
{
    for (;;) {
        if (!operand(r))
            return false;
        skip_space(r);
        size_t n = word_len(r->p);
        const char *cmp = comparison(r->p, n);
        if (cmp) {
            /* "eq null" is IS NULL in WQL */
            const char *after = r->p + n;
            while (*after == ' ')
                after++;
            if (word_len(after) == 4 && !strncmp(after, "null", 4) && (!strcmp(cmp, "=") ||
                                                                         !strcmp(cmp, "<>"))) {
                cim_buf_append(&r->out, strcmp(cmp, "=") ? " IS NOT NULL" : " IS NULL");
                r->p = after + 4;
            } else {
                cim_buf_printf(&r->out, " %s ", cmp);
                r->p += n;
                if (!operand(r))
                    return false;
            }
            skip_space(r);
            n = word_len(r->p);
        }
        if (word_is(r->p, n, "and") || word_is(r->p, n, "or")) {
            cim_buf_printf(&r->out, " %s ", word_is(r->p, n, "and") ? "AND" : "OR");
            r->p += n;
            continue;
        }
        if (*r->p && *r->p != ')')
            return fail(r, n ? "unknown or unsupported operator" : "unexpected character");
        return true;
    }
}

char *adminservice_filter_to_wql(const char *filter, char **why)
{
    rewrite r = {.p = filter};
    skip_space(&r);
    if (!*r.p) {
        *why = cim_xstrdup("The $filter option is empty.");
        return NULL;
    }
    if (expression(&r) && *r.p == ')')
        fail(&r, "unbalanced ')'");
    if (r.why) {
        cim_buf_clear(&r.out);
        *why = r.why;
        return NULL;
    }
    return cim_buf_take(&r.out);
}
