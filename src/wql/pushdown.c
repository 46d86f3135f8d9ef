/* pushdown.c - turns WHERE conditions into store conditions (store/plan.h),
 * which the store answers in its own dialect.
 *
 * A condition is handed over only when the store gives exactly the answer
 * eval.c gives, including UNKNOWN for NULL; plan.h states the store's
 * meaning of each condition.  What is not handed over (__CLASS, ISA,
 * comparisons between properties of mixed numeric kinds or with uint64
 * ordering, trees beyond the store's limits) is evaluated in memory. */
#include <stdlib.h>

#include "wql/wql_internal.h"

typedef struct budget {
    size_t values;
} budget;

static store_operand *operand(const wql_operand *op, budget *b)
{
    if (op->constant) {
        b->values++;
        cim_value copy;
        cim_value_copy(&copy, &op->value);
        return store_operand_value(copy);
    }
    switch (op->kind) {
    case WQL_OPERAND_PROPERTY: return store_operand_property(op->index);
    case WQL_OPERAND_UPPER:
    case WQL_OPERAND_LOWER: {
        store_operand *arg = operand(op->arg, b);
        return arg ? store_operand_case(op->kind == WQL_OPERAND_UPPER, arg) : NULL;
    }
    default: return NULL; /* __CLASS and __this have no column */
    }
}

static bool is_number_type(cim_type t)
{
    return cim_type_is_integer(t) || cim_type_is_real(t) || t == CIM_TYPE_CHAR16;
}

static bool is_ordering(wql_cmp op)
{
    return op != WQL_CMP_EQ && op != WQL_CMP_NE;
}

static bool translatable_numbers(const wql_expr *e)
{
    cim_type a = e->left->type, b = e->right->type;
    if (e->right->constant)
        return true; /* converted to the property's own type */
    bool a_real = cim_type_is_real(a), b_real = cim_type_is_real(b);
    if (a_real || b_real)
        return a_real && b_real;
    if (a == CIM_TYPE_UINT64 || b == CIM_TYPE_UINT64)
        return a == b && !is_ordering(e->op);
    return true;
}

static store_cmp cmp_of(wql_cmp op)
{
    switch (op) {
    case WQL_CMP_EQ: return STORE_CMP_EQ;
    case WQL_CMP_NE: return STORE_CMP_NE;
    case WQL_CMP_LT: return STORE_CMP_LT;
    case WQL_CMP_GT: return STORE_CMP_GT;
    case WQL_CMP_LE: return STORE_CMP_LE;
    case WQL_CMP_GE: return STORE_CMP_GE;
    }
    return STORE_CMP_EQ;
}

/* A leaf: left (op right | LIKE right | IN items | IS NULL); NULL when an
 * operand has no column. */
static store_cond *leaf(const wql_expr *e, store_cond_kind kind, budget *b)
{
    store_cond *c = store_cond_new(kind);
    c->negated = e->negated;
    c->op = cmp_of(e->op);
    c->left = operand(e->left, b);
    bool ok = c->left != NULL;
    if (ok && e->right) {
        c->right = operand(e->right, b);
        ok = c->right != NULL;
    }
    if (ok && e->item_count) {
        c->items = cim_xcalloc(e->item_count, sizeof *c->items);
        for (size_t i = 0; ok && i < e->item_count; i++, c->item_count++) {
            c->items[i] = operand(e->items[i], b);
            ok = c->items[i] != NULL;
        }
    }
    if (!ok) {
        store_cond_free(c);
        return NULL;
    }
    return c;
}

/* depth approximates how deep the store's SQL nests, as SQLite counts it. */
static store_cond *translate(const wql_expr *e, budget *b, int *depth)
{
    switch (e->kind) {
    case WQL_EXPR_AND:
    case WQL_EXPR_OR: {
        store_cond *c = store_cond_new(e->kind == WQL_EXPR_AND ? STORE_COND_AND : STORE_COND_OR);
        int deepest = 0;
        for (size_t i = 0; i < e->child_count; i++) {
            int child_depth = 0;
            store_cond *child = translate(e->children[i], b, &child_depth);
            if (!child) {
                store_cond_free(c);
                return NULL;
            }
            store_cond_add_child(c, child);
            if (child_depth > deepest)
                deepest = child_depth;
        }
        *depth = deepest + (int)e->child_count;
        return c;
    }
    case WQL_EXPR_NOT: {
        store_cond *child = translate(e->children[0], b, depth);
        if (!child)
            return NULL;
        store_cond *c = store_cond_new(STORE_COND_NOT);
        store_cond_add_child(c, child);
        *depth += 1;
        return c;
    }
    case WQL_EXPR_COMPARE:
        *depth = 4;
        if (is_number_type(e->left->type) && !translatable_numbers(e))
            return NULL;
        return leaf(e, STORE_COND_COMPARE, b);
    case WQL_EXPR_LIKE: *depth = 4; return leaf(e, STORE_COND_LIKE, b);
    case WQL_EXPR_IN:
        *depth = 4 + (e->left->type == CIM_TYPE_DATETIME ? (int)e->item_count : 0);
        return leaf(e, STORE_COND_IN, b);
    case WQL_EXPR_IS_NULL: *depth = 2; return leaf(e, STORE_COND_IS_NULL, b);
    case WQL_EXPR_ISA: return NULL;
    }
    return NULL;
}

store_cond *wql_pushdown(const wql_expr *e, size_t *value_count)
{
    budget b = {0};
    int depth = 0;
    store_cond *c = translate(e, &b, &depth);
    if (c && (depth > STORE_COND_MAX_DEPTH || *value_count + b.values > STORE_COND_MAX_VALUES)) {
        store_cond_free(c);
        return NULL;
    }
    if (c)
        *value_count += b.values;
    return c;
}
