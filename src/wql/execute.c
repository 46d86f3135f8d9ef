/* execute.c - runs a query over the store.
 *
 * The plan: the WHERE clause is split at its top-level ANDs.  In push-down
 * mode each part that sql.c can translate goes to the store as SQL; a part
 * `__CLASS = 'X'` or `__CLASS ISA 'X'` instead narrows which tables the
 * store reads; the other parts stay behind and are evaluated in memory on
 * the rows the store returns.  In in-memory mode every part stays behind
 * and the store returns every row.  Either way a row is a result when every
 * part is TRUE, so the two modes agree; then result.c sorts, projects and
 * removes duplicates. */
#include <stdlib.h>

#include "wql/wql_internal.h"

/* What a conjunct that tests the class does to the plan. */
typedef enum class_test {
    CLASS_TEST_NONE,     /* not a class test the plan can use */
    CLASS_TEST_NARROWS,  /* read only the target class's tables */
    CLASS_TEST_ALWAYS,   /* true for every row of the queried class */
    CLASS_TEST_NEVER,    /* true for no row */
} class_test;

typedef struct plan {
    const cim_class *target; /* the class whose tables the store reads */
    bool deep;
    bool empty;              /* no row can match */
    wql_sql sql;
    const wql_expr **residual; /* conjuncts evaluated in memory */
    size_t residual_count;
    bool sql_counts_argument;  /* the SQL already skips rows where COUNT(Prop) is NULL */
} plan;

/* The top-level conjuncts of WHERE: the children of a top AND, or the
 * whole clause. */
static size_t conjunct_count(const wql_expr *where)
{
    if (!where)
        return 0;
    return where->kind == WQL_EXPR_AND ? where->child_count : 1;
}

static const wql_expr *conjunct_at(const wql_expr *where, size_t i)
{
    return where->kind == WQL_EXPR_AND ? where->children[i] : where;
}

static class_test test_class(const wql_expr *e, const cim_schema *schema, const char *ns,
                             const cim_class *from, const cim_class **target, bool *deep)
{
    bool is_equality = e->kind == WQL_EXPR_COMPARE && e->op == WQL_CMP_EQ &&
                       e->left->kind == WQL_OPERAND_CLASS && e->right->constant;
    bool is_isa = e->kind == WQL_EXPR_ISA && e->left->kind != WQL_OPERAND_PROPERTY;
    if (!is_equality && !is_isa)
        return CLASS_TEST_NONE;
    const cim_class *named = cim_schema_find_class(schema, ns, e->right->value.u.string);
    if (is_equality) {
        /* Rows come only from tables of concrete classes under the queried one. */
        if (!named || !cim_class_is_a(named, from->name) || !store_class_is_storable(named))
            return CLASS_TEST_NEVER;
        *target = named;
        *deep = false;
        return CLASS_TEST_NARROWS;
    }
    if (!named)
        return CLASS_TEST_NEVER;
    if (cim_class_is_a(from, named->name))
        return CLASS_TEST_ALWAYS;
    if (!cim_class_is_a(named, from->name))
        return CLASS_TEST_NEVER;
    *target = named;
    *deep = true;
    return CLASS_TEST_NARROWS;
}

static void keep_in_memory(plan *p, const wql_expr *e)
{
    p->residual = wql_grow(p->residual, p->residual_count, sizeof *p->residual);
    p->residual[p->residual_count++] = e;
}

static void plan_where(plan *p, const wql_query *q, const cim_schema *schema, const char *ns,
                       wql_mode mode)
{
    bool narrowed = false;
    for (size_t i = 0; i < conjunct_count(q->where); i++) {
        const wql_expr *e = conjunct_at(q->where, i);
        if (mode == WQL_IN_MEMORY) {
            keep_in_memory(p, e);
            continue;
        }
        const cim_class *target = NULL;
        bool deep = true;
        class_test t = test_class(e, schema, ns, q->cls, &target, &deep);
        if (t == CLASS_TEST_NEVER) {
            p->empty = true;
        } else if (t == CLASS_TEST_ALWAYS) {
            /* nothing to check */
        } else if (t == CLASS_TEST_NARROWS && !narrowed) {
            narrowed = true;
            p->target = target;
            p->deep = deep;
        } else if (!wql_sql_translate(e, &p->sql)) {
            keep_in_memory(p, e);
        }
    }
}

static void plan_count_argument(plan *p, const wql_query *q, wql_mode mode)
{
    if (!q->count_arg || mode == WQL_IN_MEMORY)
        return;
    char *column = store_column_name(q->count_arg->prop->name);
    cim_buf_printf(&p->sql.text, "%s%s IS NOT NULL", p->sql.text.len ? " AND " : "", column);
    free(column);
    p->sql_counts_argument = true;
}

static void plan_clear(plan *p)
{
    wql_sql_clear(&p->sql);
    free(p->residual);
}

/* ------------------------------------------------------------------------ */
/* Reading rows                                                             */
/* ------------------------------------------------------------------------ */

typedef struct collector {
    const wql_query *q;
    const plan *p;
    bool count_only;
    uint64_t count;
    wql_rows rows;
} collector;

static bool row_matches(const collector *c, const cim_instance *inst)
{
    for (size_t i = 0; i < c->p->residual_count; i++)
        if (wql_eval(c->p->residual[i], inst) != WQL_TRUE)
            return false;
    const wql_operand *arg = c->q->count_arg;
    return !arg || wql_instance_value(inst, arg->prop, arg->index) != NULL;
}

static bool collect_row(void *data, cim_instance *take)
{
    collector *c = data;
    if (!row_matches(c, take)) {
        cim_instance_free(take);
    } else if (c->count_only) {
        c->count++;
        cim_instance_free(take);
    } else {
        wql_rows_push(&c->rows, take);
    }
    return true;
}

static bool needs_lazy_values(const wql_query *q, const plan *p)
{
    for (size_t i = 0; i < p->residual_count; i++)
        if (wql_expr_uses_lazy(p->residual[i]))
            return true;
    for (size_t i = 0; i < q->order_count; i++) {
        const wql_operand *op = q->order[i].operand;
        if (op->kind == WQL_OPERAND_PROPERTY && (op->prop->flags & CIM_PROP_LAZY))
            return true;
    }
    return q->count_arg && (q->count_arg->prop->flags & CIM_PROP_LAZY);
}

static smsprov_code read_rows(store *st, const wql_query *q, const plan *p, collector *c,
                              smsprov_error *err)
{
    store_txn *txn = NULL;
    smsprov_code rc = store_begin(st, false, &txn, err);
    if (rc != SMSPROV_OK)
        return rc;
    if (p->sql.text.len)
        rc = wql_sql_register_functions(store_txn_db(txn), err);
    store_query sq = {
        .where_sql = p->sql.text.len ? p->sql.text.data : NULL,
        .params = p->sql.params,
        .param_count = p->sql.param_count,
        .order_sql = NULL,
        .deep = p->deep,
        .skip_lazy = !needs_lazy_values(q, p),
        .limit = -1,
    };
    bool sql_decides = p->residual_count == 0 && (!q->count_arg || p->sql_counts_argument);
    if (rc == SMSPROV_OK && c->count_only && sql_decides)
        rc = store_count(txn, p->target, &sq, &c->count, err);
    else if (rc == SMSPROV_OK)
        rc = store_select_each(txn, p->target, &sq, collect_row, c, err);
    if (rc == SMSPROV_OK)
        return store_commit(txn, err);
    store_rollback(txn);
    return rc;
}

/* ------------------------------------------------------------------------ */
/* Entry point                                                              */
/* ------------------------------------------------------------------------ */

static smsprov_code find_class(const cim_schema *schema, const char *ns, const wql_query *q,
                               const cim_class **out, smsprov_error *err)
{
    const cim_class *cls = cim_schema_find_class(schema, ns, q->class_name);
    if (!cls && !cim_schema_has_namespace(schema, ns))
        return smsprov_error_set(err, SMSPROV_E_INVALID_NAMESPACE,
                                 "The namespace %s does not exist, so the query cannot run.", ns);
    if (!cls) {
        smsprov_error_set(err, SMSPROV_E_INVALID_CLASS,
                          "%s (at position %zu) is not a class in namespace %s.", q->class_name,
                          wql_char_position(q->text, q->class_pos), ns);
        smsprov_error_set_object(err, q->class_name);
        return SMSPROV_E_INVALID_CLASS;
    }
    if (cls->flags & CIM_CLASS_EMBEDDED) {
        smsprov_error_set(err, SMSPROV_E_INVALID_OPERATION,
                          "%s is an embedded class: its instances exist only inside other "
                          "objects, so it cannot be queried on its own.",
                          cls->name);
        smsprov_error_set_object(err, cls->name);
        return SMSPROV_E_INVALID_OPERATION;
    }
    *out = cls;
    return SMSPROV_OK;
}

static void deliver_count(uint64_t count, smsprov_instance_list *out)
{
    cim_instance *inst = cim_instance_new(wql_generic_count_class());
    cim_instance_set_uint(inst, "Count", count > UINT32_MAX ? UINT32_MAX : count, NULL);
    out->items = cim_xmalloc(sizeof *out->items);
    out->items[0] = inst;
    out->count = 1;
}

static void deliver_rows(const wql_query *q, wql_rows *rows, smsprov_instance_list *out)
{
    wql_rows_sort(q, rows);
    wql_rows_project(q, rows);
    wql_rows_distinct(q, rows);
    out->items = rows->items;
    out->count = rows->count;
    *rows = (wql_rows){0};
}

smsprov_code wql_execute(store *st, const cim_schema *schema, const char *namespace_path,
                         const char *text, wql_mode mode, smsprov_instance_list *out,
                         smsprov_error *err)
{
    out->items = NULL;
    out->count = 0;
    wql_query *q = NULL;
    const cim_class *cls = NULL;
    smsprov_code rc = wql_parse(text, &q, err);
    if (rc == SMSPROV_OK)
        rc = find_class(schema, namespace_path, q, &cls, err);
    if (rc == SMSPROV_OK)
        rc = wql_bind(q, cls, err);
    if (rc != SMSPROV_OK) {
        wql_query_free(q);
        return rc;
    }
    plan p = {.target = cls, .deep = true};
    plan_where(&p, q, schema, namespace_path, mode);
    plan_count_argument(&p, q, mode);
    collector c = {.q = q, .p = &p, .count_only = q->count};
    if (!p.empty)
        rc = read_rows(st, q, &p, &c, err);
    if (rc == SMSPROV_OK && q->count)
        deliver_count(c.count, out);
    else if (rc == SMSPROV_OK)
        deliver_rows(q, &c.rows, out);
    wql_rows_clear(&c.rows);
    plan_clear(&p);
    wql_query_free(q);
    return rc;
}
