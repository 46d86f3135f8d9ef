/* cond_sql.c - a condition tree (plan.h) as SQLite SQL.
 *
 * Every rule gives exactly the answer the WQL evaluator gives, including
 * UNKNOWN for NULL (SQLite's AND, OR, NOT and comparisons follow the same
 * three-valued logic).  Values never enter the SQL text; they are bound as
 * ? parameters.
 *   text       "Col" op ? COLLATE NOCASE   (cim_nocase_compare)
 *   numbers    "Col" op ?; ordering a uint64 property, whose values above
 *              INT64_MAX are stored as negative bit patterns, becomes a test
 *              on the sign and the pattern
 *   DATETIME   smsprov_dtcmp("Col", ?) op 0   (cim_datetime_text_compare)
 *   LIKE       smsprov_like("Col", ?)         (cim_like_match)
 *   IN         "Col" [COLLATE NOCASE] IN (?, ...), DATETIMEs as ORs
 * The functions are those dialect.c registers on every connection. */
#include <stdint.h>
#include <stdlib.h>

#include "store/sqlite/store_internal.h"

static void add_param(store_params *p, cim_value v)
{
    p->items = cim_xrealloc(p->items, (p->count + 1) * sizeof *p->items);
    if (p->floor) {
        p->floor = cim_xrealloc(p->floor, (p->count + 1) * sizeof *p->floor);
        p->floor[p->count] = false;
    }
    p->items[p->count++] = v;
}

void store_params_clear(store_params *p)
{
    for (size_t i = 0; i < p->count; i++)
        cim_value_clear(&p->items[i]);
    free(p->items);
    free(p->floor);
    *p = (store_params){0};
}

/* A slot the cursor binds to its position. */
static void add_floor(store_params *p)
{
    if (!p->floor)
        p->floor = cim_xcalloc(p->count + 1, sizeof *p->floor);
    add_param(p, (cim_value){.type = CIM_TYPE_SINT64, .is_null = true});
    p->floor[p->count - 1] = true;
}

/* A value as the parameter SQLite compares with the stored column. */
static void add_value(cim_buf *b, store_params *p, const cim_value *v)
{
    cim_buf_append(b, "?");
    if (v->is_null)
        add_param(p, (cim_value){.type = CIM_TYPE_SINT64, .is_null = true});
    else if (v->type == CIM_TYPE_BOOLEAN)
        add_param(p, cim_value_sint(CIM_TYPE_SINT64, v->u.boolean ? 1 : 0));
    else if (cim_type_is_signed(v->type))
        add_param(p, cim_value_sint(CIM_TYPE_SINT64, v->u.sint));
    else if (cim_type_is_unsigned(v->type) || v->type == CIM_TYPE_CHAR16)
        add_param(p, cim_value_sint(CIM_TYPE_SINT64, (int64_t)v->u.uint)); /* bit pattern */
    else if (cim_type_is_real(v->type))
        add_param(p, cim_value_real(CIM_TYPE_REAL64, v->u.real));
    else
        add_param(p, cim_value_string(v->u.string));
}

static cim_type operand_type(const cim_class *cls, const store_operand *op)
{
    switch (op->kind) {
    case STORE_OPERAND_PROPERTY: return cls->properties[op->property].type;
    case STORE_OPERAND_VALUE: return op->value.type;
    default: return CIM_TYPE_STRING;
    }
}

static void add_operand(cim_buf *b, store_params *p, const cim_class *cls,
                        const store_operand *op)
{
    switch (op->kind) {
    case STORE_OPERAND_PROPERTY: {
        char *column = store_quote_identifier(cls->properties[op->property].name);
        cim_buf_append(b, column);
        free(column);
        break;
    }
    case STORE_OPERAND_VALUE:
        add_value(b, p, &op->value);
        break;
    case STORE_OPERAND_UPPER:
    case STORE_OPERAND_LOWER:
        cim_buf_append(b, op->kind == STORE_OPERAND_UPPER ? "upper(" : "lower(");
        add_operand(b, p, cls, op->arg);
        cim_buf_append(b, ")");
        break;
    }
}

static const char *cmp_text(store_cmp op)
{
    static const char *const text[] = {"=", "<>", "<", ">", "<=", ">="};
    return text[op];
}

static bool is_ordering(store_cmp op)
{
    return op != STORE_CMP_EQ && op != STORE_CMP_NE;
}

/* uint64 `P op V` over stored bit patterns: values at or above 2^63 are
 * negative patterns, larger than every non-negative one. */
static void add_uint64_ordering(cim_buf *b, store_params *p, const cim_class *cls,
                                const store_cond *c)
{
    bool value_high = c->right->value.u.uint > (uint64_t)INT64_MAX;
    bool less = c->op == STORE_CMP_LT || c->op == STORE_CMP_LE;
    /* less: P is low (and V high, or P below V); greater: P high (and V low, or above). */
    const char *side = less ? " >= 0 " : " < 0 ";
    const char *join = less == value_high ? "OR " : "AND ";
    cim_buf_append(b, "(");
    add_operand(b, p, cls, c->left);
    cim_buf_append(b, side);
    cim_buf_append(b, join);
    add_operand(b, p, cls, c->left);
    cim_buf_printf(b, " %s ", cmp_text(c->op));
    add_operand(b, p, cls, c->right);
    cim_buf_append(b, ")");
}

/* Two operands ordered through the order key, which sorts uint64 by value. */
static void add_uint64_keys(cim_buf *b, store_params *p, const cim_class *cls,
                            const store_cond *c)
{
    cim_buf_append(b, "(" STORE_SQL_ORDER_KEY "(");
    add_operand(b, p, cls, c->left);
    cim_buf_printf(b, ", %d) %s " STORE_SQL_ORDER_KEY "(", STORE_ORDER_KEY_UINT64,
                   cmp_text(c->op));
    add_operand(b, p, cls, c->right);
    cim_buf_printf(b, ", %d))", STORE_ORDER_KEY_UINT64);
}

static void add_compare(cim_buf *b, store_params *p, const cim_class *cls, const store_cond *c)
{
    cim_type type = operand_type(cls, c->left);
    if (type == CIM_TYPE_DATETIME) {
        cim_buf_append(b, "(" STORE_SQL_DATETIME_CMP "(");
        add_operand(b, p, cls, c->left);
        cim_buf_append(b, ", ");
        add_operand(b, p, cls, c->right);
        cim_buf_printf(b, ") %s 0)", cmp_text(c->op));
        return;
    }
    if (type == CIM_TYPE_UINT64 && is_ordering(c->op)) {
        if (c->right->kind == STORE_OPERAND_VALUE)
            add_uint64_ordering(b, p, cls, c);
        else
            add_uint64_keys(b, p, cls, c);
        return;
    }
    cim_buf_append(b, "(");
    add_operand(b, p, cls, c->left);
    cim_buf_printf(b, " %s ", cmp_text(c->op));
    add_operand(b, p, cls, c->right);
    if (cim_type_is_textual(type))
        cim_buf_append(b, " COLLATE NOCASE");
    cim_buf_append(b, ")");
}

static void add_like(cim_buf *b, store_params *p, const cim_class *cls, const store_cond *c)
{
    cim_buf_append(b, c->negated ? "(NOT " STORE_SQL_LIKE "(" : "(" STORE_SQL_LIKE "(");
    add_operand(b, p, cls, c->left);
    cim_buf_append(b, ", ");
    add_operand(b, p, cls, c->right);
    cim_buf_append(b, "))");
}

static void add_in(cim_buf *b, store_params *p, const cim_class *cls, const store_cond *c)
{
    cim_type type = operand_type(cls, c->left);
    cim_buf_append(b, c->negated ? "(NOT (" : "((");
    if (type == CIM_TYPE_DATETIME) {
        for (size_t i = 0; i < c->item_count; i++) {
            cim_buf_append(b, i ? " OR " STORE_SQL_DATETIME_CMP "(" : STORE_SQL_DATETIME_CMP "(");
            add_operand(b, p, cls, c->left);
            cim_buf_append(b, ", ");
            add_operand(b, p, cls, c->items[i]);
            cim_buf_append(b, ") = 0");
        }
    } else {
        add_operand(b, p, cls, c->left);
        cim_buf_append(b, cim_type_is_textual(type) ? " COLLATE NOCASE IN (" : " IN (");
        for (size_t i = 0; i < c->item_count; i++) {
            if (i)
                cim_buf_append(b, ", ");
            add_operand(b, p, cls, c->items[i]);
        }
        cim_buf_append(b, ")");
    }
    cim_buf_append(b, "))");
}

/* The sub-select reads one table: a semi-join SQLite answers from the
 * table's primary key when sub_where tests its leading key columns. */
static void cond_sql(const store *st, const cim_class *cls, const store_cond *c, size_t floor,
                     cim_buf *b, store_params *p);

static void add_in_select(const store *st, cim_buf *b, store_params *p, const cim_class *cls,
                          const store_cond *c, size_t floor)
{
    const store_class_entry *e = store_find_class(st, c->sub_class);
    const store_table *t = &st->tables[e->table];
    const cim_property *sub = &c->sub_class->properties[c->sub_property];
    char *column = store_quote_identifier(sub->name);
    bool as_number = cim_type_is_textual(sub->type) && !cim_type_is_textual(operand_type(cls, c->left));
    cim_buf_append(b, c->negated ? "(NOT (" : "((");
    add_operand(b, p, cls, c->left);
    if (as_number)
        cim_buf_printf(b, " IN (SELECT CAST(%s AS INTEGER) FROM %s", column, t->quoted);
    else
        cim_buf_printf(b, " IN (SELECT %s FROM %s", column, t->quoted);
    if (c->sub_where) {
        cim_buf_append(b, " WHERE ");
        cond_sql(st, c->sub_class, c->sub_where, SIZE_MAX, b, p);
    }
    bool floored = !c->negated && c->left->kind == STORE_OPERAND_PROPERTY &&
                   c->left->property == floor;
    if (floored) {
        cim_buf_append(b, c->sub_where ? " AND " : " WHERE ");
        if (as_number)
            cim_buf_printf(b, "CAST(%s AS INTEGER) >= ?", column);
        else
            cim_buf_printf(b, "%s%s >= ?", column,
                           cim_type_is_textual(sub->type) ? " COLLATE NOCASE" : "");
        add_floor(p);
    }
    cim_buf_append(b, ")))");
    free(column);
}

void store_cond_sql(const store *st, const cim_class *cls, const store_cond *c, cim_buf *b,
                    store_params *p)
{
    cond_sql(st, cls, c, SIZE_MAX, b, p);
}

void store_cond_sql_floor(const store *st, const cim_class *cls, const store_cond *c,
                          size_t floor_property, cim_buf *b, store_params *p)
{
    cond_sql(st, cls, c, floor_property, b, p);
}

static void cond_sql(const store *st, const cim_class *cls, const store_cond *c, size_t floor,
                     cim_buf *b, store_params *p)
{
    switch (c->kind) {
    case STORE_COND_AND:
    case STORE_COND_OR:
        cim_buf_append(b, "(");
        for (size_t i = 0; i < c->child_count; i++) {
            if (i)
                cim_buf_append(b, c->kind == STORE_COND_AND ? " AND " : " OR ");
            cond_sql(st, cls, c->children[i], floor, b, p);
        }
        cim_buf_append(b, ")");
        break;
    case STORE_COND_NOT:
        cim_buf_append(b, "(NOT ");
        cond_sql(st, cls, c->children[0], floor, b, p);
        cim_buf_append(b, ")");
        break;
    case STORE_COND_COMPARE: add_compare(b, p, cls, c); break;
    case STORE_COND_LIKE: add_like(b, p, cls, c); break;
    case STORE_COND_IN: add_in(b, p, cls, c); break;
    case STORE_COND_IN_SELECT: add_in_select(st, b, p, cls, c, floor); break;
    case STORE_COND_IS_NULL:
        cim_buf_append(b, "(");
        add_operand(b, p, cls, c->left);
        cim_buf_append(b, c->negated ? " IS NOT NULL)" : " IS NULL)");
        break;
    }
}

static bool operand_valid(const cim_class *cls, const store_operand *op, bool *referenced)
{
    switch (op->kind) {
    case STORE_OPERAND_PROPERTY:
        if (op->property >= cls->property_count)
            return false;
        referenced[op->property] = true;
        return true;
    case STORE_OPERAND_VALUE:
        return op->value.is_null || (!op->value.is_array && op->value.type != CIM_TYPE_OBJECT);
    default:
        return op->arg && operand_valid(cls, op->arg, referenced);
    }
}

/* The sub-select of an IN_SELECT: a class with a table of its own, a
 * scalar property, a valid condition over it. */
static bool sub_select_valid(const store *st, const store_cond *c)
{
    const store_class_entry *e = c->sub_class ? store_find_class(st, c->sub_class) : NULL;
    if (!e || e->table < 0 || c->sub_property >= c->sub_class->property_count)
        return false;
    const cim_property *sub = &c->sub_class->properties[c->sub_property];
    if (sub->is_array || sub->type == CIM_TYPE_OBJECT)
        return false;
    bool *unused = cim_xcalloc(c->sub_class->property_count + 1, sizeof *unused);
    bool ok = store_cond_check(st, c->sub_class, c->sub_where, unused);
    free(unused);
    return ok;
}

bool store_cond_check(const store *st, const cim_class *cls, const store_cond *c,
                      bool *referenced)
{
    if (!c)
        return true;
    if (c->kind == STORE_COND_IN_SELECT &&
        (!c->left || !operand_valid(cls, c->left, referenced) || !sub_select_valid(st, c)))
        return false;
    if (c->kind == STORE_COND_IN_SELECT)
        return true;
    for (size_t i = 0; i < c->child_count; i++)
        if (!store_cond_check(st, cls, c->children[i], referenced))
            return false;
    if ((c->kind == STORE_COND_NOT && c->child_count != 1) ||
        ((c->kind == STORE_COND_AND || c->kind == STORE_COND_OR) && c->child_count == 0))
        return false;
    if (c->kind <= STORE_COND_NOT)
        return true;
    if (!c->left || !operand_valid(cls, c->left, referenced))
        return false;
    if (c->kind == STORE_COND_COMPARE || c->kind == STORE_COND_LIKE)
        if (!c->right || !operand_valid(cls, c->right, referenced))
            return false;
    for (size_t i = 0; i < c->item_count; i++)
        if (!operand_valid(cls, c->items[i], referenced))
            return false;
    return c->kind != STORE_COND_IN || c->item_count > 0;
}
