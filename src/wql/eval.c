/* eval.c - answers a bound WHERE clause for one instance.
 *
 * Three-valued logic, as SQL: a comparison, LIKE or IN that meets a NULL
 * value (or two DATETIMEs that cannot be ordered) is UNKNOWN; NOT UNKNOWN is
 * UNKNOWN; AND is FALSE if any part is FALSE, OR is TRUE if any part is
 * TRUE, and UNKNOWN otherwise when a part is.  A row matches only when the
 * whole clause is TRUE.  So `NOT (Size > 5)` and `Size <= 5` agree, and
 * neither returns rows where Size is NULL; IS [NOT] NULL is never UNKNOWN. */
#include <stdlib.h>

#include "wql/wql_internal.h"

/* Property indexes are those of the bound class, which derived classes keep
 * (inherited properties come first, in the same order); anything else is
 * found by name. */
const cim_value *wql_instance_value(const cim_instance *inst, const cim_property *prop,
                                    size_t index)
{
    const cim_class *cls = inst->cls;
    const cim_value *v = NULL;
    if (index < cls->property_count &&
        (&cls->properties[index] == prop ||
         cim_strcasecmp(cls->properties[index].name, prop->name) == 0)) {
        v = &inst->values[index];
    } else {
        ptrdiff_t i = cim_class_property_index(cls, prop->name);
        v = i >= 0 ? &inst->values[i] : NULL;
    }
    return v && !v->is_null ? v : NULL;
}

static const cim_value *property_value(const wql_operand *op, const cim_instance *inst)
{
    return wql_instance_value(inst, op->prop, op->index);
}

const cim_value *wql_operand_value(const wql_operand *op, const cim_instance *inst,
                                   cim_value *tmp)
{
    if (op->constant)
        return op->value.is_null ? NULL : &op->value;
    switch (op->kind) {
    case WQL_OPERAND_PROPERTY:
        return property_value(op, inst);
    case WQL_OPERAND_CLASS:
        *tmp = cim_value_string(inst->cls->name);
        return tmp;
    case WQL_OPERAND_LITERAL:
        return NULL; /* every literal is a constant once bound */
    case WQL_OPERAND_UPPER:
    case WQL_OPERAND_LOWER: {
        cim_value inner_tmp = cim_value_null(CIM_TYPE_STRING, false);
        const cim_value *inner = wql_operand_value(op->arg, inst, &inner_tmp);
        if (!inner) {
            cim_value_clear(&inner_tmp);
            return NULL;
        }
        char *mapped = op->kind == WQL_OPERAND_UPPER ? cim_ascii_upper(inner->u.string)
                                                      : cim_ascii_lower(inner->u.string);
        cim_value_clear(&inner_tmp);
        *tmp = cim_value_string(mapped);
        free(mapped);
        return tmp;
    }
    case WQL_OPERAND_THIS:
        return NULL;
    }
    return NULL;
}

static wql_truth truth(bool b)
{
    return b ? WQL_TRUE : WQL_FALSE;
}

static wql_truth negate(wql_truth t)
{
    return t == WQL_UNKNOWN ? WQL_UNKNOWN : truth(t == WQL_FALSE);
}

static bool apply(wql_cmp op, int c)
{
    switch (op) {
    case WQL_CMP_EQ: return c == 0;
    case WQL_CMP_NE: return c != 0;
    case WQL_CMP_LT: return c < 0;
    case WQL_CMP_GT: return c > 0;
    case WQL_CMP_LE: return c <= 0;
    case WQL_CMP_GE: return c >= 0;
    }
    return false;
}

static wql_truth compare_values(const cim_value *a, const cim_value *b, wql_cmp op)
{
    if (!a || !b)
        return WQL_UNKNOWN;
    bool comparable;
    int c = wql_value_compare(a, b, &comparable);
    return comparable ? truth(apply(op, c)) : WQL_UNKNOWN;
}

static wql_truth eval_compare(const wql_expr *e, const cim_instance *inst)
{
    cim_value ta = cim_value_null(CIM_TYPE_STRING, false), tb = ta;
    const cim_value *a = wql_operand_value(e->left, inst, &ta);
    const cim_value *b = wql_operand_value(e->right, inst, &tb);
    wql_truth t = compare_values(a, b, e->op);
    cim_value_clear(&ta);
    cim_value_clear(&tb);
    return t;
}

static wql_truth eval_like(const wql_expr *e, const cim_instance *inst)
{
    cim_value tmp = cim_value_null(CIM_TYPE_STRING, false);
    const cim_value *v = wql_operand_value(e->left, inst, &tmp);
    wql_truth t = v ? truth(cim_like_match(v->u.string, e->right->value.u.string)) : WQL_UNKNOWN;
    cim_value_clear(&tmp);
    return e->negated ? negate(t) : t;
}

static wql_truth eval_in(const wql_expr *e, const cim_instance *inst)
{
    cim_value tmp = cim_value_null(CIM_TYPE_STRING, false);
    const cim_value *v = wql_operand_value(e->left, inst, &tmp);
    wql_truth t = WQL_FALSE;
    for (size_t i = 0; v && i < e->item_count && t != WQL_TRUE; i++) {
        wql_truth item = compare_values(v, &e->items[i]->value, WQL_CMP_EQ);
        if (item != WQL_FALSE)
            t = item;
    }
    if (!v)
        t = WQL_UNKNOWN;
    cim_value_clear(&tmp);
    return e->negated ? negate(t) : t;
}

static wql_truth eval_is_null(const wql_expr *e, const cim_instance *inst)
{
    cim_value tmp = cim_value_null(CIM_TYPE_STRING, false);
    bool is_null = wql_operand_value(e->left, inst, &tmp) == NULL;
    cim_value_clear(&tmp);
    return truth(is_null != e->negated);
}

static wql_truth eval_isa(const wql_expr *e, const cim_instance *inst)
{
    const char *ancestor = e->right->value.u.string;
    if (e->left->kind == WQL_OPERAND_CLASS || e->left->kind == WQL_OPERAND_THIS)
        return truth(cim_class_is_a(inst->cls, ancestor));
    const cim_value *v = property_value(e->left, inst);
    if (!v || !v->u.object)
        return WQL_UNKNOWN;
    return truth(cim_class_is_a(v->u.object->cls, ancestor));
}

wql_truth wql_eval(const wql_expr *e, const cim_instance *inst)
{
    switch (e->kind) {
    case WQL_EXPR_AND: {
        wql_truth t = WQL_TRUE;
        for (size_t i = 0; i < e->child_count && t != WQL_FALSE; i++) {
            wql_truth c = wql_eval(e->children[i], inst);
            if (c != WQL_TRUE)
                t = c;
        }
        return t;
    }
    case WQL_EXPR_OR: {
        wql_truth t = WQL_FALSE;
        for (size_t i = 0; i < e->child_count && t != WQL_TRUE; i++) {
            wql_truth c = wql_eval(e->children[i], inst);
            if (c != WQL_FALSE)
                t = c;
        }
        return t;
    }
    case WQL_EXPR_NOT: return negate(wql_eval(e->children[0], inst));
    case WQL_EXPR_COMPARE: return eval_compare(e, inst);
    case WQL_EXPR_LIKE: return eval_like(e, inst);
    case WQL_EXPR_IN: return eval_in(e, inst);
    case WQL_EXPR_IS_NULL: return eval_is_null(e, inst);
    case WQL_EXPR_ISA: return eval_isa(e, inst);
    }
    return WQL_UNKNOWN;
}

bool wql_matches(const wql_query *q, const cim_instance *inst)
{
    if (!q->cls)
        return false; /* not bound */
    return !q->where || wql_eval(q->where, inst) == WQL_TRUE;
}

static bool operand_uses_lazy(const wql_operand *op)
{
    if (!op)
        return false;
    if (op->kind == WQL_OPERAND_PROPERTY && op->prop)
        return (op->prop->flags & CIM_PROP_LAZY) != 0;
    return operand_uses_lazy(op->arg);
}

bool wql_expr_uses_lazy(const wql_expr *e)
{
    if (!e)
        return false;
    for (size_t i = 0; i < e->child_count; i++)
        if (wql_expr_uses_lazy(e->children[i]))
            return true;
    return operand_uses_lazy(e->left) || operand_uses_lazy(e->right);
}
