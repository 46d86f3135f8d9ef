/* bind.c - resolves a parsed query against its class: property names,
 * operand types, literals converted to the type they are compared with, and
 * the rules a query must follow to make sense (a property on one side of
 * every comparison, no array or embedded property in WHERE or ORDER BY,
 * LIKE on text, ISA on a class or an embedded object). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wql/wql_internal.h"

typedef struct binder {
    wql_query *q;
    const cim_class *cls;
    smsprov_error *err;
} binder;

/* System properties WMI puts on every object; they may be selected (they
 * describe the result anyway) but only __CLASS may be tested. */
static const char *const system_properties[] = {
    "__CLASS", "__DERIVATION", "__DYNASTY", "__GENUS", "__NAMESPACE", "__PATH",
    "__PROPERTY_COUNT", "__RELPATH", "__SERVER", "__SUPERCLASS",
};

static bool is_system_property(const char *name)
{
    for (size_t i = 0; i < sizeof system_properties / sizeof system_properties[0]; i++)
        if (cim_strcasecmp(name, system_properties[i]) == 0)
            return true;
    return false;
}

static smsprov_code fail_at(binder *b, size_t pos, const char *fmt, ...)
    SMSPROV_PRINTF(3, 4)
    ;

/* "<message> at position N" as SMSPROV_E_INVALID_QUERY. */
static smsprov_code fail_at(binder *b, size_t pos, const char *fmt, ...)
{
    char message[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    return wql_error_at(b->err, b->q->text, pos, NULL, "%s", message);
}

static smsprov_code unknown_property(binder *b, const char *name, size_t pos)
{
    smsprov_error_set(b->err, SMSPROV_E_INVALID_QUERY,
                      "\"%s\" is not a property of %s (at position %zu).", name, b->cls->name,
                      wql_char_position(b->q->text, pos));
    smsprov_error_set_parameter(b->err, name);
    return SMSPROV_E_INVALID_QUERY;
}

static smsprov_code resolve(binder *b, const char *name, size_t pos, size_t *index)
{
    ptrdiff_t i = cim_class_property_index(b->cls, name);
    if (i < 0)
        return unknown_property(b, name, pos);
    *index = (size_t)i;
    return SMSPROV_OK;
}

/* Whether an operand's value is known before any row is read. */
static bool is_constant(const wql_operand *op)
{
    if (op->kind == WQL_OPERAND_LITERAL)
        return true;
    if (op->kind == WQL_OPERAND_UPPER || op->kind == WQL_OPERAND_LOWER)
        return is_constant(op->arg);
    return false;
}

static const char *type_name(cim_type type)
{
    return type == CIM_TYPE_INVALID ? "NULL" : cim_type_name(type);
}

/* ------------------------------------------------------------------------ */
/* Operands                                                                 */
/* ------------------------------------------------------------------------ */

/* A property tested in WHERE or ORDER BY (embedded objects only for ISA). */
static smsprov_code bind_property(binder *b, wql_operand *op, bool allow_object)
{
    if (strncmp(op->name, "__", 2) == 0)
        return fail_at(b, op->pos, "the system property %s cannot be tested; only __CLASS can",
                       op->name);
    smsprov_code rc = resolve(b, op->name, op->pos, &op->index);
    if (rc != SMSPROV_OK)
        return rc;
    op->prop = &b->cls->properties[op->index];
    if (op->prop->is_array) {
        rc = fail_at(b, op->pos,
                     "%s is an array property and cannot be tested; WQL has no array "
                     "predicates",
                     op->prop->name);
        smsprov_error_set_parameter(b->err, op->prop->name);
        return rc;
    }
    if (op->prop->type == CIM_TYPE_OBJECT && !allow_object) {
        rc = fail_at(b, op->pos,
                     "%s holds an embedded object, which can only be tested with ISA "
                     "(%s ISA 'Class')",
                     op->prop->name, op->prop->name);
        smsprov_error_set_parameter(b->err, op->prop->name);
        return rc;
    }
    op->type = op->prop->type;
    return SMSPROV_OK;
}

static smsprov_code bind_operand(binder *b, wql_operand *op, bool allow_object)
{
    switch (op->kind) {
    case WQL_OPERAND_PROPERTY:
        return bind_property(b, op, allow_object);
    case WQL_OPERAND_CLASS:
        op->type = CIM_TYPE_STRING;
        return SMSPROV_OK;
    case WQL_OPERAND_THIS:
        if (!allow_object)
            return fail_at(b, op->pos, "%s can only be used with ISA (%s ISA 'Class')",
                           op->name, op->name);
        op->type = CIM_TYPE_OBJECT;
        return SMSPROV_OK;
    case WQL_OPERAND_LITERAL:
        op->type = op->literal.is_null ? CIM_TYPE_INVALID : op->literal.type;
        return SMSPROV_OK;
    case WQL_OPERAND_UPPER:
    case WQL_OPERAND_LOWER: {
        smsprov_code rc = bind_operand(b, op->arg, false);
        if (rc != SMSPROV_OK)
            return rc;
        if (!cim_type_is_textual(op->arg->type))
            return fail_at(b, op->pos, "%s() needs text, but its argument is %s",
                           op->kind == WQL_OPERAND_UPPER ? "UPPER" : "LOWER",
                           type_name(op->arg->type));
        op->type = CIM_TYPE_STRING;
        return SMSPROV_OK;
    }
    }
    return SMSPROV_OK;
}

/* The value of a constant operand, as written (functions applied). */
static cim_value constant_value(const wql_operand *op)
{
    cim_value v;
    if (op->kind == WQL_OPERAND_LITERAL) {
        cim_value_copy(&v, &op->literal);
        return v;
    }
    cim_value inner = constant_value(op->arg);
    if (inner.is_null || !cim_type_is_textual(inner.type))
        return inner;
    char *mapped = op->kind == WQL_OPERAND_UPPER ? cim_ascii_upper(inner.u.string)
                                                  : cim_ascii_lower(inner.u.string);
    cim_value_clear(&inner);
    v = cim_value_string(mapped);
    free(mapped);
    return v;
}

/* What a constant is converted to when compared with an operand of type:
 * text of any kind compares as plain text (a reference is not re-parsed). */
static cim_type comparison_type(cim_type type)
{
    return type == CIM_TYPE_REFERENCE ? CIM_TYPE_STRING : type;
}

/* Converts constant c to the type of the operand it is compared with. */
static smsprov_code convert_constant(binder *b, wql_operand *c, const wql_operand *against)
{
    cim_value raw = constant_value(c);
    cim_type target = comparison_type(against->type);
    cim_value_clear(&c->value);
    smsprov_error why = {0};
    smsprov_code rc = SMSPROV_OK;
    if (target == CIM_TYPE_DATETIME && raw.type != CIM_TYPE_STRING)
        rc = smsprov_error_set(&why, SMSPROV_E_TYPE_MISMATCH,
                               "a DATETIME is written as a string such as "
                               "'20240131120000.000000+000'.");
    else
        rc = cim_value_convert(&raw, target, false, &c->value, &why);
    if (rc != SMSPROV_OK) {
        char *shown = cim_value_to_mof(&raw);
        const char *what = against->kind == WQL_OPERAND_PROPERTY ? against->prop->name
                           : against->kind == WQL_OPERAND_CLASS  ? "__CLASS"
                                                                 : "the function's result";
        smsprov_error_set(b->err, SMSPROV_E_INVALID_QUERY,
                          "The value %s at position %zu cannot be compared with %s, which is "
                          "%s: %s",
                          shown, wql_char_position(b->q->text, c->pos), what,
                          type_name(against->type), why.description ? why.description : "");
        smsprov_error_set_parameter(b->err, what);
        free(shown);
        smsprov_error_clear(&why);
        cim_value_clear(&raw);
        return SMSPROV_E_INVALID_QUERY;
    }
    cim_value_clear(&raw);
    c->type = c->value.type;
    c->constant = true;
    return SMSPROV_OK;
}

/* ------------------------------------------------------------------------ */
/* Predicates                                                               */
/* ------------------------------------------------------------------------ */

static bool is_number_type(cim_type t)
{
    return cim_type_is_integer(t) || cim_type_is_real(t) || t == CIM_TYPE_CHAR16;
}

static bool is_plain_text_type(cim_type t)
{
    return t == CIM_TYPE_STRING || t == CIM_TYPE_REFERENCE;
}

static bool types_comparable(cim_type a, cim_type b)
{
    if (is_number_type(a) && is_number_type(b))
        return true;
    if (is_plain_text_type(a) && is_plain_text_type(b))
        return true;
    return a == b && (a == CIM_TYPE_BOOLEAN || a == CIM_TYPE_DATETIME);
}

static smsprov_code needs_property(binder *b, const wql_expr *e)
{
    return fail_at(b, e->pos, "a comparison needs a property on one side");
}

static smsprov_code bind_compare(binder *b, wql_expr *e)
{
    smsprov_code rc = bind_operand(b, e->left, false);
    if (rc == SMSPROV_OK)
        rc = bind_operand(b, e->right, false);
    if (rc != SMSPROV_OK)
        return rc;
    if (is_constant(e->left) && is_constant(e->right))
        return needs_property(b, e);
    if (is_constant(e->left)) {
        wql_operand *swap = e->left;
        e->left = e->right;
        e->right = swap;
        e->op = wql_cmp_mirror(e->op);
    }
    if (is_constant(e->right))
        return convert_constant(b, e->right, e->left);
    if (!types_comparable(e->left->type, e->right->type))
        return fail_at(b, e->pos, "a %s cannot be compared with a %s",
                       type_name(e->left->type), type_name(e->right->type));
    return SMSPROV_OK;
}

static smsprov_code bind_like(binder *b, wql_expr *e)
{
    smsprov_code rc = bind_operand(b, e->left, false);
    if (rc != SMSPROV_OK)
        return rc;
    if (is_constant(e->left))
        return needs_property(b, e);
    if (!cim_type_is_textual(e->left->type))
        return fail_at(b, e->pos, "LIKE matches text, but the value tested is %s",
                       type_name(e->left->type));
    size_t bad;
    const char *why;
    if (!cim_like_pattern_valid(e->right->literal.u.string, &bad, &why))
        return fail_at(b, e->right->pos, "the LIKE pattern has %s; the pattern starts", why);
    cim_value_clear(&e->right->value);
    cim_value_copy(&e->right->value, &e->right->literal);
    e->right->type = CIM_TYPE_STRING;
    e->right->constant = true;
    return SMSPROV_OK;
}

static smsprov_code bind_in(binder *b, wql_expr *e)
{
    smsprov_code rc = bind_operand(b, e->left, false);
    if (rc != SMSPROV_OK)
        return rc;
    if (is_constant(e->left))
        return needs_property(b, e);
    for (size_t i = 0; i < e->item_count && rc == SMSPROV_OK; i++) {
        rc = bind_operand(b, e->items[i], false);
        if (rc == SMSPROV_OK)
            rc = convert_constant(b, e->items[i], e->left);
    }
    return rc;
}

static smsprov_code bind_is_null(binder *b, wql_expr *e)
{
    smsprov_code rc = bind_operand(b, e->left, false);
    if (rc == SMSPROV_OK && is_constant(e->left))
        return fail_at(b, e->pos, "IS NULL tests a property, not a value");
    return rc;
}

static smsprov_code bind_isa(binder *b, wql_expr *e)
{
    smsprov_code rc = bind_operand(b, e->left, true);
    if (rc != SMSPROV_OK)
        return rc;
    if (e->left->type != CIM_TYPE_OBJECT && e->left->kind != WQL_OPERAND_CLASS)
        return fail_at(b, e->pos,
                       "ISA tests a class: write __CLASS ISA 'Class', or use it on an "
                       "embedded-object property");
    cim_value_clear(&e->right->value);
    cim_value_copy(&e->right->value, &e->right->literal);
    e->right->type = CIM_TYPE_STRING;
    e->right->constant = true;
    return SMSPROV_OK;
}

static smsprov_code bind_expr(binder *b, wql_expr *e)
{
    switch (e->kind) {
    case WQL_EXPR_AND:
    case WQL_EXPR_OR:
    case WQL_EXPR_NOT:
        for (size_t i = 0; i < e->child_count; i++) {
            smsprov_code rc = bind_expr(b, e->children[i]);
            if (rc != SMSPROV_OK)
                return rc;
        }
        return SMSPROV_OK;
    case WQL_EXPR_COMPARE: return bind_compare(b, e);
    case WQL_EXPR_LIKE: return bind_like(b, e);
    case WQL_EXPR_IN: return bind_in(b, e);
    case WQL_EXPR_IS_NULL: return bind_is_null(b, e);
    case WQL_EXPR_ISA: return bind_isa(b, e);
    }
    return SMSPROV_OK;
}

/* ------------------------------------------------------------------------ */
/* Select list and ORDER BY                                                 */
/* ------------------------------------------------------------------------ */

static smsprov_code bind_select_list(binder *b)
{
    wql_query *q = b->q;
    for (size_t i = 0; i < q->item_count; i++) {
        wql_select_item *item = &q->items[i];
        item->system = is_system_property(item->name);
        if (item->system)
            continue;
        smsprov_code rc = resolve(b, item->name, item->pos, &item->index);
        if (rc != SMSPROV_OK)
            return rc;
    }
    return SMSPROV_OK;
}

static bool is_selected(const wql_query *q, const wql_operand *op)
{
    if (q->select_all)
        return true;
    for (size_t i = 0; i < q->item_count; i++) {
        if (op->kind == WQL_OPERAND_CLASS && cim_strcasecmp(q->items[i].name, "__CLASS") == 0)
            return true;
        if (op->kind == WQL_OPERAND_PROPERTY && !q->items[i].system &&
            q->items[i].index == op->index)
            return true;
    }
    return false;
}

static smsprov_code bind_order(binder *b)
{
    wql_query *q = b->q;
    if (q->order_count && q->count)
        return fail_at(b, q->order[0].operand->pos,
                       "ORDER BY cannot be used with COUNT(), which returns one row");
    for (size_t i = 0; i < q->order_count; i++) {
        wql_operand *op = q->order[i].operand;
        smsprov_code rc = bind_operand(b, op, false);
        if (rc != SMSPROV_OK)
            return rc;
        if (q->distinct && !is_selected(q, op))
            return fail_at(b, op->pos,
                           "with DISTINCT, ORDER BY can only use selected properties, and %s "
                           "is not selected",
                           op->name);
    }
    return SMSPROV_OK;
}

static smsprov_code bind_count(binder *b)
{
    wql_query *q = b->q;
    if (q->distinct)
        return fail_at(b, q->class_pos,
                       "COUNT() cannot be combined with DISTINCT (extended WQL does not "
                       "support it)");
    if (q->count_arg)
        return bind_operand(b, q->count_arg, false);
    return SMSPROV_OK;
}

smsprov_code wql_bind(wql_query *q, const cim_class *cls, smsprov_error *err)
{
    if (!cls)
        return smsprov_error_set(err, SMSPROV_E_INVALID_CLASS,
                                 "The class %s was not found, so the query cannot run.",
                                 q->class_name);
    binder b = {q, cls, err};
    q->cls = cls;
    smsprov_code rc = bind_select_list(&b);
    if (rc == SMSPROV_OK && q->count)
        rc = bind_count(&b);
    if (rc == SMSPROV_OK && q->where)
        rc = bind_expr(&b, q->where);
    if (rc == SMSPROV_OK)
        rc = bind_order(&b);
    if (rc != SMSPROV_OK)
        q->cls = NULL;
    return rc;
}
