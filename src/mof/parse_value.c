/* parse_value.c - value literals: qualifier values, which take their type
 * from the literal, and property values, which must match the declared type
 * (no silent conversions: a string property does not take 5). */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mof/mof_internal.h"

typedef enum literal_kind {
    LIT_INTEGER,
    LIT_REAL,
    LIT_STRING,
    LIT_CHAR,
    LIT_BOOLEAN,
    LIT_NULL,
    LIT_ALIAS,
    LIT_INSTANCE,
} literal_kind;

typedef struct literal {
    literal_kind kind;
    bool negative;
    uint64_t magnitude;
    double real;
    char *text;          /* string contents or alias name */
    uint32_t ch;
    bool boolean;
    cim_instance *object;
    int line, column;
} literal;

static void literal_clear(literal *lit)
{
    free(lit->text);
    cim_instance_free(lit->object);
    memset(lit, 0, sizeof *lit);
}

static char *literal_describe(const literal *lit)
{
    switch (lit->kind) {
    case LIT_INTEGER:
        return cim_xasprintf("the number %s%llu", lit->negative ? "-" : "",
                             (unsigned long long)lit->magnitude);
    case LIT_REAL: return cim_xasprintf("the real number %g", lit->real);
    case LIT_STRING: return cim_xasprintf("the string \"%.60s\"", lit->text);
    case LIT_CHAR: return cim_xstrdup("a char16 literal");
    case LIT_BOOLEAN: return cim_xstrdup(lit->boolean ? "TRUE" : "FALSE");
    case LIT_NULL: return cim_xstrdup("NULL");
    case LIT_ALIAS: return cim_xasprintf("the alias $%s", lit->text);
    case LIT_INSTANCE: return cim_xstrdup("an embedded instance");
    }
    return cim_xstrdup("a value");
}

/* Reads one scalar literal; adjacent strings are joined.  ref_class is the
 * class an embedded `instance of` must be (NULL: any, or none allowed when
 * allow_instance is false). */
static smsprov_code read_literal(mof_parser *p, bool allow_instance, const char *ref_class,
                                 literal *lit)
{
    memset(lit, 0, sizeof *lit);
    lit->line = p->tok.line;
    lit->column = p->tok.column;
    const mof_token *t = &p->tok;
    switch (t->kind) {
    case MOF_TOK_INTEGER:
        lit->kind = LIT_INTEGER;
        lit->negative = t->negative && t->magnitude != 0;
        lit->magnitude = t->magnitude;
        return mof_advance(p);
    case MOF_TOK_REAL:
        lit->kind = LIT_REAL;
        lit->real = t->real;
        return mof_advance(p);
    case MOF_TOK_CHAR:
        lit->kind = LIT_CHAR;
        lit->ch = t->ch;
        return mof_advance(p);
    case MOF_TOK_ALIAS:
        lit->kind = LIT_ALIAS;
        lit->text = cim_xstrdup(t->text);
        return mof_advance(p);
    case MOF_TOK_STRING: {
        cim_buf b = {0};
        smsprov_code rc = SMSPROV_OK;
        while (rc == SMSPROV_OK && p->tok.kind == MOF_TOK_STRING) {
            cim_buf_append(&b, p->tok.text);
            rc = mof_advance(p);
        }
        lit->kind = LIT_STRING;
        lit->text = cim_buf_take(&b);
        return rc;
    }
    case MOF_TOK_IDENT:
        if (cim_strcasecmp(t->text, "TRUE") == 0 || cim_strcasecmp(t->text, "FALSE") == 0) {
            lit->kind = LIT_BOOLEAN;
            lit->boolean = cim_strcasecmp(t->text, "TRUE") == 0;
            return mof_advance(p);
        }
        if (cim_strcasecmp(t->text, "NULL") == 0) {
            lit->kind = LIT_NULL;
            return mof_advance(p);
        }
        if (allow_instance && cim_strcasecmp(t->text, "instance") == 0) {
            lit->kind = LIT_INSTANCE;
            return mof_parse_embedded_instance(p, ref_class, &lit->object);
        }
        break;
    default:
        break;
    }
    return mof_fail_expected(p, "a value (a number, string, TRUE, FALSE or NULL)");
}

/* ---- Qualifier values ---------------------------------------------------- */

static bool fits_sint32(const literal *lit)
{
    return lit->negative ? lit->magnitude <= (uint64_t)INT32_MAX + 1 : lit->magnitude <= INT32_MAX;
}

static smsprov_code integer_value(const literal *lit, cim_type type, cim_value *out)
{
    if (cim_type_is_unsigned(type) || type == CIM_TYPE_CHAR16)
        *out = cim_value_uint(type, lit->magnitude);
    else
        *out = cim_value_sint(type, lit->negative ? (int64_t)(0 - lit->magnitude)
                                                  : (int64_t)lit->magnitude);
    return SMSPROV_OK;
}

/* The type a qualifier literal gives its value. */
static cim_type qualifier_type(const literal *lit)
{
    switch (lit->kind) {
    case LIT_INTEGER:
        if (fits_sint32(lit))
            return CIM_TYPE_SINT32;
        if (lit->negative || lit->magnitude <= INT64_MAX)
            return CIM_TYPE_SINT64;
        return CIM_TYPE_UINT64;
    case LIT_REAL: return CIM_TYPE_REAL64;
    case LIT_CHAR: return CIM_TYPE_CHAR16;
    case LIT_BOOLEAN: return CIM_TYPE_BOOLEAN;
    default: return CIM_TYPE_STRING;
    }
}

static smsprov_code qualifier_scalar(mof_parser *p, const literal *lit, cim_type type,
                                     cim_value *out)
{
    if (lit->kind == LIT_ALIAS || lit->kind == LIT_INSTANCE)
        return mof_error_at(p->err, p->file, lit->line, lit->column, SMSPROV_E_INVALID_SYNTAX,
                            "a qualifier value must be a literal, not an alias or instance");
    if (lit->kind == LIT_NULL) {
        *out = cim_value_null(type, false);
        return SMSPROV_OK;
    }
    bool same_kind = qualifier_type(lit) == type ||
                     (lit->kind == LIT_INTEGER && cim_type_is_integer(type));
    if (!same_kind) {
        char *found = literal_describe(lit);
        smsprov_code rc = mof_error_at(p->err, p->file, lit->line, lit->column,
                                       SMSPROV_E_TYPE_MISMATCH,
                                       "qualifier array items must all be of one type (%s), "
                                       "not %s", cim_type_name(type), found);
        free(found);
        return rc;
    }
    switch (lit->kind) {
    case LIT_INTEGER: return integer_value(lit, type, out);
    case LIT_REAL: *out = cim_value_real(CIM_TYPE_REAL64, lit->real); break;
    case LIT_CHAR: *out = cim_value_uint(CIM_TYPE_CHAR16, lit->ch); break;
    case LIT_BOOLEAN: *out = cim_value_bool(lit->boolean); break;
    default: *out = cim_value_string(lit->text); break;
    }
    return SMSPROV_OK;
}

static smsprov_code read_literal_list(mof_parser *p, bool allow_instance, const char *ref_class,
                                      literal **items, size_t *count)
{
    *items = NULL;
    *count = 0;
    smsprov_code rc = mof_advance(p); /* '{' */
    if (rc != SMSPROV_OK || mof_at_punct(p, '}'))
        return rc == SMSPROV_OK ? mof_advance(p) : rc;
    for (;;) {
        *items = cim_xrealloc(*items, (*count + 1) * sizeof **items);
        rc = read_literal(p, allow_instance, ref_class, &(*items)[*count]);
        if (rc != SMSPROV_OK)
            return rc;
        (*count)++;
        if (!mof_at_punct(p, ','))
            break;
        rc = mof_advance(p);
        if (rc != SMSPROV_OK)
            return rc;
    }
    return mof_expect_punct(p, '}', "or ',' in the array value");
}

static void free_literals(literal *items, size_t count)
{
    for (size_t i = 0; i < count; i++)
        literal_clear(&items[i]);
    free(items);
}

/* The first non-null item types the array; integers take the widest type
 * any item needs. */
static cim_type qualifier_array_type(const literal *items, size_t count)
{
    cim_type type = CIM_TYPE_INVALID;
    for (size_t i = 0; i < count; i++) {
        if (items[i].kind == LIT_NULL)
            continue;
        cim_type t = qualifier_type(&items[i]);
        if (type == CIM_TYPE_INVALID)
            type = t;
        else if (items[i].kind == LIT_INTEGER && cim_type_is_integer(type) &&
                 (t == CIM_TYPE_UINT64 || (t == CIM_TYPE_SINT64 && type == CIM_TYPE_SINT32)))
            type = t;
    }
    return type == CIM_TYPE_INVALID ? CIM_TYPE_STRING : type;
}

smsprov_code mof_parse_qualifier_value(mof_parser *p, bool array, cim_value *out)
{
    if (!array) {
        literal lit;
        smsprov_code rc = read_literal(p, false, NULL, &lit);
        if (rc == SMSPROV_OK)
            rc = qualifier_scalar(p, &lit, qualifier_type(&lit), out);
        literal_clear(&lit);
        return rc;
    }
    if (!mof_at_punct(p, '{'))
        return mof_fail_expected(p, "'{' to open the array value");
    literal *items;
    size_t count;
    smsprov_code rc = read_literal_list(p, false, NULL, &items, &count);
    cim_type type = rc == SMSPROV_OK ? qualifier_array_type(items, count) : CIM_TYPE_STRING;
    if (rc == SMSPROV_OK)
        *out = cim_value_array(type);
    for (size_t i = 0; rc == SMSPROV_OK && i < count; i++) {
        cim_value item;
        rc = qualifier_scalar(p, &items[i], type, &item);
        if (rc == SMSPROV_OK)
            cim_value_array_append_take(out, &item);
    }
    free_literals(items, count);
    if (rc != SMSPROV_OK)
        cim_value_clear(out);
    return rc;
}

/* ---- Typed values -------------------------------------------------------- */

static smsprov_code mismatch(mof_parser *p, const literal *lit, const char *what, cim_type type,
                             const char *detail)
{
    char *found = literal_describe(lit);
    smsprov_code rc = mof_error_at(p->err, p->file, lit->line, lit->column,
                                   SMSPROV_E_TYPE_MISMATCH, "%s must be of type %s%s, not %s",
                                   what, cim_type_name(type), detail, found);
    free(found);
    return rc;
}

static smsprov_code typed_integer(mof_parser *p, const literal *lit, const char *what,
                                  cim_type type, cim_value *out)
{
    if (cim_type_is_real(type)) {
        double d = (double)lit->magnitude;
        *out = cim_value_real(type, lit->negative ? -d : d);
        return SMSPROV_OK;
    }
    if (!cim_type_is_integer(type))
        return mismatch(p, lit, what, type, "");
    int64_t min;
    uint64_t max;
    cim_type_integer_range(type, &min, &max);
    uint64_t negative_limit = min < 0 ? (uint64_t)(-(min + 1)) + 1 : 0;
    if (lit->negative ? lit->magnitude > negative_limit : lit->magnitude > max) {
        char detail[80];
        snprintf(detail, sizeof detail, " (from %lld to %llu)", (long long)min,
                 (unsigned long long)max);
        return mismatch(p, lit, what, type, detail);
    }
    return integer_value(lit, type, out);
}

static smsprov_code typed_string(mof_parser *p, const literal *lit, const char *what,
                                 cim_type type, cim_value *out)
{
    if (type == CIM_TYPE_STRING) {
        *out = cim_value_string(lit->text);
        return SMSPROV_OK;
    }
    if (type == CIM_TYPE_DATETIME) {
        cim_datetime dt;
        const char *why = NULL;
        if (!cim_datetime_parse(lit->text, &dt, &why)) {
            char detail[200];
            snprintf(detail, sizeof detail, " (yyyymmddHHMMSS.mmmmmmsUUU; %s)",
                     why ? why : "malformed");
            return mismatch(p, lit, what, type, detail);
        }
        *out = cim_value_datetime(lit->text);
        return SMSPROV_OK;
    }
    if (type == CIM_TYPE_REFERENCE) {
        cim_object_path path;
        memset(&path, 0, sizeof path);
        if (cim_object_path_parse(lit->text, &path, NULL) != SMSPROV_OK)
            return mismatch(p, lit, what, type, " (an object path such as Class.Key=\"v\")");
        cim_object_path_clear(&path);
        *out = cim_value_reference(lit->text);
        return SMSPROV_OK;
    }
    return mismatch(p, lit, what, type, "");
}

static smsprov_code typed_scalar(mof_parser *p, literal *lit, const char *what, cim_type type,
                                 cim_value *out)
{
    switch (lit->kind) {
    case LIT_NULL:
        *out = cim_value_null(type, false);
        return SMSPROV_OK;
    case LIT_INTEGER:
        return typed_integer(p, lit, what, type, out);
    case LIT_REAL:
        if (!cim_type_is_real(type))
            return mismatch(p, lit, what, type, "");
        if (type == CIM_TYPE_REAL32 && isfinite(lit->real) && fabs(lit->real) > FLT_MAX)
            return mismatch(p, lit, what, type, " (beyond the range of real32)");
        *out = cim_value_real(type, lit->real);
        return SMSPROV_OK;
    case LIT_STRING:
        return typed_string(p, lit, what, type, out);
    case LIT_CHAR:
        if (type != CIM_TYPE_CHAR16)
            return mismatch(p, lit, what, type, "");
        *out = cim_value_uint(CIM_TYPE_CHAR16, lit->ch);
        return SMSPROV_OK;
    case LIT_BOOLEAN:
        if (type != CIM_TYPE_BOOLEAN)
            return mismatch(p, lit, what, type, "");
        *out = cim_value_bool(lit->boolean);
        return SMSPROV_OK;
    case LIT_ALIAS: {
        const char *path = mof_alias_path(p, lit->text);
        if (!path)
            return mof_error_at(p->err, p->file, lit->line, lit->column,
                                SMSPROV_E_INVALID_SYNTAX,
                                "unknown alias $%s: declare `instance of ... as $%s` first",
                                lit->text, lit->text);
        if (type != CIM_TYPE_REFERENCE)
            return mismatch(p, lit, what, type, "");
        *out = cim_value_reference(path);
        return SMSPROV_OK;
    }
    case LIT_INSTANCE:
        if (type != CIM_TYPE_OBJECT)
            return mismatch(p, lit, what, type, "");
        *out = cim_value_object(lit->object);
        lit->object = NULL;
        return SMSPROV_OK;
    }
    return mismatch(p, lit, what, type, "");
}

static smsprov_code typed_array(mof_parser *p, const char *what, cim_type type,
                                const char *ref_class, cim_value *out)
{
    literal *items;
    size_t count;
    smsprov_code rc = read_literal_list(p, type == CIM_TYPE_OBJECT, ref_class, &items, &count);
    if (rc == SMSPROV_OK)
        *out = cim_value_array(type);
    for (size_t i = 0; rc == SMSPROV_OK && i < count; i++) {
        if (items[i].kind == LIT_NULL && type != CIM_TYPE_OBJECT) {
            rc = mof_error_at(p->err, p->file, items[i].line, items[i].column,
                              SMSPROV_E_TYPE_MISMATCH,
                              "%s cannot hold NULL items; leave the item out", what);
            break;
        }
        cim_value item;
        rc = typed_scalar(p, &items[i], what, type, &item);
        if (rc == SMSPROV_OK)
            cim_value_array_append_take(out, &item);
    }
    free_literals(items, count);
    if (rc != SMSPROV_OK)
        cim_value_clear(out);
    return rc;
}

smsprov_code mof_parse_typed_value(mof_parser *p, const char *what, cim_type type, bool is_array,
                                   const char *ref_class, cim_value *out)
{
    if (is_array) {
        if (mof_at_keyword(p, "NULL")) {
            *out = cim_value_null(type, true);
            return mof_advance(p);
        }
        if (!mof_at_punct(p, '{')) {
            char expected[320];
            snprintf(expected, sizeof expected, "'{' to open the array value of %s", what);
            return mof_fail_expected(p, expected);
        }
        return typed_array(p, what, type, ref_class, out);
    }
    if (mof_at_punct(p, '{'))
        return mof_fail(p, SMSPROV_E_TYPE_MISMATCH, "%s is not an array; give a single value",
                        what);
    literal lit;
    smsprov_code rc = read_literal(p, type == CIM_TYPE_OBJECT, ref_class, &lit);
    if (rc == SMSPROV_OK)
        rc = typed_scalar(p, &lit, what, type, out);
    literal_clear(&lit);
    return rc;
}
