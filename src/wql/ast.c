/* ast.c - building and freeing the syntax tree; wql_parse and the query's
 * accessors. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "wql/wql_internal.h"

void *wql_grow(void *items, size_t count, size_t item_size)
{
    /* Capacity is 4, then the next power of two: full when count is 0 or a
     * power of two of at least 4. */
    if (count == 0)
        return cim_xrealloc(items, 4 * item_size);
    if (count >= 4 && (count & (count - 1)) == 0)
        return cim_xrealloc(items, 2 * count * item_size);
    return items;
}

wql_operand *wql_operand_new(wql_operand_kind kind, size_t pos)
{
    wql_operand *op = cim_xcalloc(1, sizeof *op);
    op->kind = kind;
    op->pos = pos;
    op->literal = cim_value_null(CIM_TYPE_INVALID, false);
    op->value = cim_value_null(CIM_TYPE_INVALID, false);
    return op;
}

void wql_operand_free(wql_operand *op)
{
    if (!op)
        return;
    free(op->name);
    cim_value_clear(&op->literal);
    cim_value_clear(&op->value);
    wql_operand_free(op->arg);
    free(op);
}

wql_expr *wql_expr_new(wql_expr_kind kind, size_t pos)
{
    wql_expr *e = cim_xcalloc(1, sizeof *e);
    e->kind = kind;
    e->pos = pos;
    return e;
}

void wql_expr_free(wql_expr *e)
{
    if (!e)
        return;
    for (size_t i = 0; i < e->child_count; i++)
        wql_expr_free(e->children[i]);
    free(e->children);
    wql_operand_free(e->left);
    wql_operand_free(e->right);
    for (size_t i = 0; i < e->item_count; i++)
        wql_operand_free(e->items[i]);
    free(e->items);
    free(e);
}

void wql_expr_add_child(wql_expr *e, wql_expr *child)
{
    e->children = wql_grow(e->children, e->child_count, sizeof *e->children);
    e->children[e->child_count++] = child;
}

const char *wql_cmp_text(wql_cmp op)
{
    static const char *const text[] = {"=", "<>", "<", ">", "<=", ">="};
    return text[op];
}

wql_cmp wql_cmp_mirror(wql_cmp op)
{
    switch (op) {
    case WQL_CMP_LT: return WQL_CMP_GT;
    case WQL_CMP_GT: return WQL_CMP_LT;
    case WQL_CMP_LE: return WQL_CMP_GE;
    case WQL_CMP_GE: return WQL_CMP_LE;
    default: return op;
    }
}

/* Association queries use braces the lexer does not know, so they are
 * recognised by their first word before lexing. */
static smsprov_code refuse_association_query(const char *text, smsprov_error *err)
{
    size_t start = strspn(text, " \t\r\n");
    static const char *const words[] = {"ASSOCIATORS", "REFERENCES"};
    for (size_t i = 0; i < 2; i++) {
        size_t n = strlen(words[i]);
        const char *p = text + start;
        size_t same = 0;
        while (same < n && toupper((unsigned char)p[same]) == words[i][same])
            same++;
        if (same == n && !isalnum((unsigned char)p[n]) && p[n] != '_')
            return wql_error_at(err, text, start, NULL,
                                "ASSOCIATORS OF and REFERENCES OF queries are not supported; "
                                "only SELECT is");
    }
    return SMSPROV_OK;
}

smsprov_code wql_parse(const char *text, wql_query **out, smsprov_error *err)
{
    *out = NULL;
    if (!text)
        return smsprov_error_set(err, SMSPROV_E_INVALID_QUERY, "The query is empty.");
    if (refuse_association_query(text, err) != SMSPROV_OK)
        return SMSPROV_E_INVALID_QUERY;
    wql_token_list tokens;
    smsprov_code rc = wql_lex(text, &tokens, err);
    if (rc != SMSPROV_OK)
        return rc;
    wql_query *q = cim_xcalloc(1, sizeof *q);
    q->text = cim_xstrdup(text);
    rc = wql_parse_tokens(q->text, &tokens, q, err);
    wql_token_list_clear(&tokens);
    if (rc != SMSPROV_OK) {
        wql_query_free(q);
        return rc;
    }
    *out = q;
    return SMSPROV_OK;
}

void wql_query_free(wql_query *q)
{
    if (!q)
        return;
    free(q->text);
    free(q->class_name);
    wql_operand_free(q->count_arg);
    for (size_t i = 0; i < q->item_count; i++)
        free(q->items[i].name);
    free(q->items);
    wql_expr_free(q->where);
    for (size_t i = 0; i < q->order_count; i++)
        wql_operand_free(q->order[i].operand);
    free(q->order);
    free(q);
}

const char *wql_query_class_name(const wql_query *q)
{
    return q->class_name;
}
