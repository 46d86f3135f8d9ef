/* cond.c - building and freeing condition trees (plan.h). */
#include <stdlib.h>

#include "store/plan.h"

store_operand *store_operand_property(size_t index)
{
    store_operand *op = cim_xcalloc(1, sizeof *op);
    op->kind = STORE_OPERAND_PROPERTY;
    op->property = index;
    return op;
}

store_operand *store_operand_value(cim_value take)
{
    store_operand *op = cim_xcalloc(1, sizeof *op);
    op->kind = STORE_OPERAND_VALUE;
    op->value = take;
    return op;
}

store_operand *store_operand_case(bool upper, store_operand *arg)
{
    store_operand *op = cim_xcalloc(1, sizeof *op);
    op->kind = upper ? STORE_OPERAND_UPPER : STORE_OPERAND_LOWER;
    op->arg = arg;
    return op;
}

void store_operand_free(store_operand *op)
{
    if (!op)
        return;
    cim_value_clear(&op->value);
    store_operand_free(op->arg);
    free(op);
}

store_cond *store_cond_new(store_cond_kind kind)
{
    store_cond *c = cim_xcalloc(1, sizeof *c);
    c->kind = kind;
    return c;
}

void store_cond_add_child(store_cond *parent, store_cond *child)
{
    parent->children =
        cim_xrealloc(parent->children, (parent->child_count + 1) * sizeof *parent->children);
    parent->children[parent->child_count++] = child;
}

void store_cond_free(store_cond *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->child_count; i++)
        store_cond_free(c->children[i]);
    free(c->children);
    store_operand_free(c->left);
    store_operand_free(c->right);
    for (size_t i = 0; i < c->item_count; i++)
        store_operand_free(c->items[i]);
    free(c->items);
    store_cond_free(c->sub_where);
    free(c);
}

store_cond *store_cond_equals(const cim_class *cls, const char *property, cim_value take)
{
    ptrdiff_t index = cim_class_property_index(cls, property);
    if (index < 0) {
        cim_value_clear(&take);
        return NULL;
    }
    store_cond *c = store_cond_new(STORE_COND_COMPARE);
    c->op = STORE_CMP_EQ;
    c->left = store_operand_property((size_t)index);
    c->right = store_operand_value(take);
    return c;
}
