/* sql.c - translates WHERE conditions into SQL for the store.
 *
 * A condition is translated only when SQLite gives exactly the answer
 * eval.c gives, including UNKNOWN for NULL (SQLite's AND, OR, NOT and
 * comparisons follow the same three-valued logic).  User values never enter
 * the SQL text: they are bound as ? parameters.  The rules:
 *   text       "Col" op ? COLLATE NOCASE  (NOCASE is compare.c's folding)
 *   numbers    "Col" op ?, except ordering a uint64 property, whose values
 *              above INT64_MAX are stored as negative int64 bit patterns:
 *              that becomes a test on the sign and the pattern
 *   DATETIME   smsprov_wql_dtcmp("Col", ?) op 0 (compare.c's chronology)
 *   LIKE       smsprov_wql_like("Col", ?) (like.c's matcher)
 *   IN         "Col" [COLLATE NOCASE] IN (?, ...), DATETIMEs as ORs
 * What is not translated (__CLASS, ISA, comparisons between properties of
 * mixed numeric kinds or with uint64 ordering) is evaluated in memory. */
#include <stdlib.h>
#include <string.h>

#include "wql/wql_internal.h"

/* SQLite refuses expressions nested more than 1000 deep and, by default,
 * more than 32766 parameters; stay well inside both. */
#define MAX_SQL_DEPTH 400
#define MAX_SQL_PARAMS 10000

static void add_param(wql_sql *sql, cim_value v)
{
    sql->params = wql_grow(sql->params, sql->param_count, sizeof *sql->params);
    sql->params[sql->param_count++] = v;
}

/* A constant as the parameter SQLite compares with the stored column. */
static void add_constant(wql_sql *sql, const cim_value *v)
{
    cim_buf_append(&sql->text, "?");
    if (v->type == CIM_TYPE_BOOLEAN)
        add_param(sql, cim_value_sint(CIM_TYPE_SINT64, v->u.boolean ? 1 : 0));
    else if (cim_type_is_signed(v->type))
        add_param(sql, cim_value_sint(CIM_TYPE_SINT64, v->u.sint));
    else if (cim_type_is_unsigned(v->type) || v->type == CIM_TYPE_CHAR16)
        add_param(sql, cim_value_sint(CIM_TYPE_SINT64, (int64_t)v->u.uint)); /* bit pattern */
    else if (cim_type_is_real(v->type))
        add_param(sql, cim_value_real(CIM_TYPE_REAL64, v->u.real));
    else
        add_param(sql, cim_value_string(v->u.string));
}

static bool add_operand(wql_sql *sql, const wql_operand *op)
{
    if (op->constant) {
        add_constant(sql, &op->value);
        return true;
    }
    switch (op->kind) {
    case WQL_OPERAND_PROPERTY: {
        char *column = store_column_name(op->prop->name);
        cim_buf_append(&sql->text, column);
        free(column);
        return true;
    }
    case WQL_OPERAND_UPPER:
    case WQL_OPERAND_LOWER:
        cim_buf_append(&sql->text, op->kind == WQL_OPERAND_UPPER ? "upper(" : "lower(");
        if (!add_operand(sql, op->arg))
            return false;
        cim_buf_append(&sql->text, ")");
        return true;
    default:
        return false; /* __CLASS and __this have no column */
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

/* uint64 `P op L` over stored bit patterns: values at or above 2^63 are
 * negative patterns, larger than every non-negative one. */
static bool add_uint64_ordering(wql_sql *sql, const wql_expr *e)
{
    bool literal_high = e->right->value.u.uint > (uint64_t)INT64_MAX;
    bool less = e->op == WQL_CMP_LT || e->op == WQL_CMP_LE;
    /* less: P is low (and L high, or P below L); greater: P high (and L low, or above). */
    const char *side = less ? " >= 0 " : " < 0 ";
    const char *join = less == literal_high ? "OR " : "AND ";
    cim_buf_append(&sql->text, "(");
    add_operand(sql, e->left);
    cim_buf_append(&sql->text, side);
    cim_buf_append(&sql->text, join);
    add_operand(sql, e->left);
    cim_buf_printf(&sql->text, " %s ", wql_cmp_text(e->op));
    add_operand(sql, e->right);
    cim_buf_append(&sql->text, ")");
    return true;
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

static bool add_compare(wql_sql *sql, const wql_expr *e, int *depth)
{
    cim_type type = e->left->type;
    *depth = 4;
    if (type == CIM_TYPE_DATETIME) {
        cim_buf_append(&sql->text, "(" WQL_SQL_DATETIME_CMP "(");
        if (!add_operand(sql, e->left))
            return false;
        cim_buf_append(&sql->text, ", ");
        if (!add_operand(sql, e->right))
            return false;
        cim_buf_printf(&sql->text, ") %s 0)", wql_cmp_text(e->op));
        return true;
    }
    if (is_number_type(type)) {
        if (!translatable_numbers(e))
            return false;
        if (type == CIM_TYPE_UINT64 && is_ordering(e->op))
            return add_uint64_ordering(sql, e);
    }
    cim_buf_append(&sql->text, "(");
    if (!add_operand(sql, e->left))
        return false;
    cim_buf_printf(&sql->text, " %s ", wql_cmp_text(e->op));
    if (!add_operand(sql, e->right))
        return false;
    if (cim_type_is_textual(type))
        cim_buf_append(&sql->text, " COLLATE NOCASE");
    cim_buf_append(&sql->text, ")");
    return true;
}

static bool add_like(wql_sql *sql, const wql_expr *e, int *depth)
{
    *depth = 4;
    cim_buf_append(&sql->text, e->negated ? "(NOT " WQL_SQL_LIKE "(" : "(" WQL_SQL_LIKE "(");
    if (!add_operand(sql, e->left))
        return false;
    cim_buf_append(&sql->text, ", ");
    add_operand(sql, e->right);
    cim_buf_append(&sql->text, "))");
    return true;
}

static bool add_in(wql_sql *sql, const wql_expr *e, int *depth)
{
    cim_type type = e->left->type;
    cim_buf_append(&sql->text, e->negated ? "(NOT (" : "((");
    if (type == CIM_TYPE_DATETIME) {
        *depth = 4 + (int)e->item_count;
        for (size_t i = 0; i < e->item_count; i++) {
            cim_buf_append(&sql->text, i ? " OR " : "");
            cim_buf_append(&sql->text, WQL_SQL_DATETIME_CMP "(");
            if (!add_operand(sql, e->left))
                return false;
            cim_buf_append(&sql->text, ", ");
            add_operand(sql, e->items[i]);
            cim_buf_append(&sql->text, ") = 0");
        }
    } else {
        *depth = 4;
        if (!add_operand(sql, e->left))
            return false;
        cim_buf_append(&sql->text, cim_type_is_textual(type) ? " COLLATE NOCASE IN (" : " IN (");
        for (size_t i = 0; i < e->item_count; i++) {
            if (i)
                cim_buf_append(&sql->text, ", ");
            add_operand(sql, e->items[i]);
        }
        cim_buf_append(&sql->text, ")");
    }
    cim_buf_append(&sql->text, "))");
    return true;
}

static bool add_is_null(wql_sql *sql, const wql_expr *e, int *depth)
{
    *depth = 2;
    cim_buf_append(&sql->text, "(");
    if (!add_operand(sql, e->left))
        return false;
    cim_buf_append(&sql->text, e->negated ? " IS NOT NULL)" : " IS NULL)");
    return true;
}

static bool add_expr(wql_sql *sql, const wql_expr *e, int *depth);

/* AND / OR: "(a OR b OR c)", which SQLite nests one level per operator. */
static bool add_chain(wql_sql *sql, const wql_expr *e, int *depth)
{
    int deepest = 0;
    cim_buf_append(&sql->text, "(");
    for (size_t i = 0; i < e->child_count; i++) {
        if (i)
            cim_buf_append(&sql->text, e->kind == WQL_EXPR_AND ? " AND " : " OR ");
        int child_depth;
        if (!add_expr(sql, e->children[i], &child_depth))
            return false;
        if (child_depth > deepest)
            deepest = child_depth;
    }
    cim_buf_append(&sql->text, ")");
    *depth = deepest + (int)e->child_count;
    return *depth <= MAX_SQL_DEPTH;
}

static bool add_expr(wql_sql *sql, const wql_expr *e, int *depth)
{
    switch (e->kind) {
    case WQL_EXPR_AND:
    case WQL_EXPR_OR:
        return add_chain(sql, e, depth);
    case WQL_EXPR_NOT: {
        cim_buf_append(&sql->text, "(NOT ");
        if (!add_expr(sql, e->children[0], depth))
            return false;
        cim_buf_append(&sql->text, ")");
        *depth += 1;
        return *depth <= MAX_SQL_DEPTH;
    }
    case WQL_EXPR_COMPARE: return add_compare(sql, e, depth);
    case WQL_EXPR_LIKE: return add_like(sql, e, depth);
    case WQL_EXPR_IN: return add_in(sql, e, depth);
    case WQL_EXPR_IS_NULL: return add_is_null(sql, e, depth);
    case WQL_EXPR_ISA: return false;
    }
    return false;
}

bool wql_sql_translate(const wql_expr *e, wql_sql *sql)
{
    wql_sql part = {0};
    int depth = 0;
    bool ok = add_expr(&part, e, &depth) && depth <= MAX_SQL_DEPTH &&
              sql->param_count + part.param_count <= MAX_SQL_PARAMS;
    if (ok) {
        if (sql->text.len)
            cim_buf_append(&sql->text, " AND ");
        cim_buf_append(&sql->text, part.text.data ? part.text.data : "");
        for (size_t i = 0; i < part.param_count; i++)
            add_param(sql, part.params[i]);
        part.param_count = 0; /* moved */
    }
    wql_sql_clear(&part);
    return ok;
}

void wql_sql_clear(wql_sql *sql)
{
    cim_buf_clear(&sql->text);
    for (size_t i = 0; i < sql->param_count; i++)
        cim_value_clear(&sql->params[i]);
    free(sql->params);
    *sql = (wql_sql){0};
}
