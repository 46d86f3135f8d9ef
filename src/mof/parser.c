/* parser.c - the top of the recursive-descent parser: token helpers,
 * the declaration loop, pragmas and `qualifier` declarations. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mof/mof_internal.h"

smsprov_code mof_advance(mof_parser *p)
{
    if (p->has_ahead) {
        mof_token_clear(&p->tok);
        p->tok = p->ahead;
        memset(&p->ahead, 0, sizeof p->ahead);
        p->has_ahead = false;
        return SMSPROV_OK;
    }
    return mof_lex_next(&p->lex, &p->tok);
}

const mof_token *mof_peek(mof_parser *p, smsprov_code *rc)
{
    *rc = SMSPROV_OK;
    if (!p->has_ahead) {
        *rc = mof_lex_next(&p->lex, &p->ahead);
        if (*rc != SMSPROV_OK)
            return NULL;
        p->has_ahead = true;
    }
    return &p->ahead;
}

bool mof_at_punct(const mof_parser *p, char c)
{
    return p->tok.kind == MOF_TOK_PUNCT && p->tok.punct == c;
}

bool mof_at_keyword(const mof_parser *p, const char *word)
{
    return p->tok.kind == MOF_TOK_IDENT && cim_strcasecmp(p->tok.text, word) == 0;
}

smsprov_code mof_fail(mof_parser *p, smsprov_code code, const char *fmt, ...)
{
    char text[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    return mof_error_at(p->err, p->file, p->tok.line, p->tok.column, code, "%s", text);
}

smsprov_code mof_fail_expected(mof_parser *p, const char *what)
{
    char *found = mof_token_describe(&p->tok);
    smsprov_code rc = mof_fail(p, SMSPROV_E_INVALID_SYNTAX, "expected %s, found %s", what, found);
    free(found);
    return rc;
}

smsprov_code mof_expect_punct(mof_parser *p, char c, const char *context)
{
    if (!mof_at_punct(p, c)) {
        char what[160];
        snprintf(what, sizeof what, "'%c' %s", c, context);
        return mof_fail_expected(p, what);
    }
    return mof_advance(p);
}

smsprov_code mof_take_ident(mof_parser *p, const char *what, char **out)
{
    if (p->tok.kind != MOF_TOK_IDENT)
        return mof_fail_expected(p, what);
    *out = p->tok.text;
    p->tok.text = NULL;
    smsprov_code rc = mof_advance(p);
    if (rc != SMSPROV_OK) {
        free(*out);
        *out = NULL;
    }
    return rc;
}

/* Adjacent string literals form one string: "a" "b" is "ab". */
static smsprov_code take_string(mof_parser *p, const char *what, char **out)
{
    if (p->tok.kind != MOF_TOK_STRING)
        return mof_fail_expected(p, what);
    cim_buf b = {0};
    while (p->tok.kind == MOF_TOK_STRING) {
        cim_buf_append(&b, p->tok.text);
        smsprov_code rc = mof_advance(p);
        if (rc != SMSPROV_OK) {
            cim_buf_clear(&b);
            return rc;
        }
    }
    *out = cim_buf_take(&b);
    return SMSPROV_OK;
}

static bool first_component_is_root(const char *value)
{
    size_t n = strcspn(value, "\\/");
    char first[5] = {0};
    if (n != 4)
        return false;
    memcpy(first, value, 4);
    return cim_strcasecmp(first, "root") == 0;
}

/* "\\.\root\sms" and "root\sms" are absolute; anything else is a child of
 * the current namespace, as mofcomp treats it. */
static char *resolve_namespace(const char *current, const char *value)
{
    if (value[0] == '\\' || value[0] == '/' || first_component_is_root(value))
        return cim_namespace_normalize(value);
    char *joined = cim_xasprintf("%s\\%s", current, value);
    char *resolved = cim_namespace_normalize(joined);
    free(joined);
    return resolved;
}

static smsprov_code pragma_namespace(mof_parser *p, int line, int column)
{
    char *value = NULL;
    smsprov_code rc = take_string(p, "a namespace string such as \"\\\\\\\\.\\\\root\\\\sms\"",
                                  &value);
    if (rc != SMSPROV_OK)
        return rc;
    if (!*value) {
        free(value);
        return mof_error_at(p->err, p->file, line, column, SMSPROV_E_INVALID_SYNTAX,
                            "#pragma namespace needs a non-empty namespace");
    }
    char *resolved = resolve_namespace(p->namespace_path, value);
    free(value);
    free(p->namespace_path);
    p->namespace_path = resolved;
    return SMSPROV_OK;
}

static smsprov_code pragma_include(mof_parser *p)
{
    char *path = NULL;
    smsprov_code rc = take_string(p, "a file name string", &path);
    if (rc != SMSPROV_OK)
        return rc;
    rc = mof_compile_include(p, path);
    free(path);
    return rc;
}

/* Arguments of pragmas we accept and ignore: literals and bare words. */
static smsprov_code skip_pragma_arguments(mof_parser *p)
{
    for (;;) {
        if (p->tok.kind == MOF_TOK_EOF)
            return mof_fail_expected(p, "')' to close the #pragma");
        if (mof_at_punct(p, ')'))
            return SMSPROV_OK;
        if (mof_at_punct(p, '(') || mof_at_punct(p, ';') || mof_at_punct(p, '{'))
            return mof_fail_expected(p, "a #pragma argument or ')'");
        smsprov_code rc = mof_advance(p);
        if (rc != SMSPROV_OK)
            return rc;
    }
}

static smsprov_code parse_pragma(mof_parser *p)
{
    smsprov_code rc = mof_advance(p); /* '#' */
    if (rc != SMSPROV_OK)
        return rc;
    if (!mof_at_keyword(p, "pragma"))
        return mof_fail_expected(p, "'pragma' after '#'");
    rc = mof_advance(p);
    if (rc != SMSPROV_OK)
        return rc;
    int line = p->tok.line, column = p->tok.column;
    char *name = NULL;
    rc = mof_take_ident(p, "a pragma name such as namespace", &name);
    if (rc != SMSPROV_OK)
        return rc;
    bool is_namespace = cim_strcasecmp(name, "namespace") == 0;
    bool is_include = cim_strcasecmp(name, "include") == 0;
    free(name);
    if (!mof_at_punct(p, '(')) {
        if (is_namespace || is_include)
            return mof_fail_expected(p, "'(' after the pragma name");
        return SMSPROV_OK; /* e.g. #pragma autorecover */
    }
    rc = mof_advance(p);
    if (rc == SMSPROV_OK) {
        if (is_namespace)
            rc = pragma_namespace(p, line, column);
        else if (is_include)
            rc = pragma_include(p);
        else
            rc = skip_pragma_arguments(p);
    }
    if (rc == SMSPROV_OK)
        rc = mof_expect_punct(p, ')', "to close the #pragma");
    return rc;
}

/* scope(class, property) or flavor(ToSubclass): a word and a word list. */
static smsprov_code skip_qualifier_declaration_part(mof_parser *p)
{
    char *word = NULL;
    smsprov_code rc = mof_take_ident(p, "'scope' or 'flavor'", &word);
    free(word);
    if (rc == SMSPROV_OK)
        rc = mof_expect_punct(p, '(', "after scope or flavor");
    while (rc == SMSPROV_OK && !mof_at_punct(p, ')')) {
        rc = mof_take_ident(p, "a scope or flavor name", &word);
        free(word);
        if (rc == SMSPROV_OK && mof_at_punct(p, ','))
            rc = mof_advance(p);
    }
    if (rc == SMSPROV_OK)
        rc = mof_expect_punct(p, ')', "to close the list");
    return rc;
}

/* qualifier Name : type[] = value, scope(...), flavor(...);
 * Accepted and checked for syntax; smsprov records qualifiers where used. */
static smsprov_code parse_qualifier_declaration(mof_parser *p)
{
    char *name = NULL, *type_name = NULL;
    smsprov_code rc = mof_advance(p);
    if (rc == SMSPROV_OK)
        rc = mof_take_ident(p, "the qualifier name", &name);
    if (rc == SMSPROV_OK)
        rc = mof_expect_punct(p, ':', "after the qualifier name");
    if (rc == SMSPROV_OK)
        rc = mof_take_ident(p, "the qualifier type", &type_name);
    cim_type type;
    if (rc == SMSPROV_OK && !cim_type_from_name(type_name, &type))
        rc = mof_error_at(p->err, p->file, p->tok.line, p->tok.column, SMSPROV_E_INVALID_SYNTAX,
                          "unknown qualifier type '%s'", type_name);
    bool array = false;
    if (rc == SMSPROV_OK && mof_at_punct(p, '[')) {
        array = true;
        rc = mof_advance(p);
        if (rc == SMSPROV_OK)
            rc = mof_expect_punct(p, ']', "after '[' in the qualifier type");
    }
    if (rc == SMSPROV_OK && mof_at_punct(p, '=')) {
        cim_value v = {0};
        rc = mof_advance(p);
        if (rc == SMSPROV_OK)
            rc = mof_parse_qualifier_value(p, array, &v);
        cim_value_clear(&v);
    }
    while (rc == SMSPROV_OK && mof_at_punct(p, ',')) {
        rc = mof_advance(p);
        if (rc == SMSPROV_OK)
            rc = skip_qualifier_declaration_part(p);
    }
    if (rc == SMSPROV_OK)
        rc = mof_expect_punct(p, ';', "after the qualifier declaration");
    free(name);
    free(type_name);
    return rc;
}

static smsprov_code parse_declaration(mof_parser *p)
{
    if (mof_at_punct(p, '#'))
        return parse_pragma(p);
    if (mof_at_keyword(p, "qualifier"))
        return parse_qualifier_declaration(p);
    cim_qualifier_list qualifiers = {0};
    smsprov_code rc = SMSPROV_OK;
    if (mof_at_punct(p, '['))
        rc = mof_parse_qualifier_list(p, &qualifiers);
    if (rc == SMSPROV_OK) {
        if (mof_at_keyword(p, "class"))
            rc = mof_parse_class(p, &qualifiers);
        else if (mof_at_keyword(p, "instance"))
            rc = mof_parse_instance(p, &qualifiers);
        else
            rc = mof_fail_expected(p, qualifiers.count
                                          ? "'class' or 'instance of' after the qualifiers"
                                          : "'class', 'instance of', 'qualifier' or '#pragma'");
    }
    cim_qualifier_list_clear(&qualifiers);
    return rc;
}

smsprov_code mof_parse_all(mof_parser *p)
{
    smsprov_code rc = mof_advance(p);
    while (rc == SMSPROV_OK && p->tok.kind != MOF_TOK_EOF)
        rc = parse_declaration(p);
    return rc;
}
