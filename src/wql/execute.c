/* execute.c - runs a query over the store, as a cursor.
 *
 * The plan: the WHERE clause is split at its top-level ANDs.  In push-down
 * mode each part that pushdown.c can express goes to the store as a
 * condition; a part `__CLASS = 'X'` or `__CLASS ISA 'X'` instead narrows
 * which tables the store reads; the other parts stay behind and are
 * evaluated in memory on the rows the store returns.  ORDER BY goes to the
 * store too, so the rows come in their final order a batch at a time and
 * only the position between batches is kept.
 *
 * COUNT and DISTINCT, and the in-memory mode (every part evaluated in
 * memory, ORDER BY sorted in memory by result.c: the reference the
 * differential test compares with), read the whole answer at the first
 * fetch.  A row is a result when every part is TRUE, so the modes agree. */
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
    store_cond *pushed;        /* the parts the store answers (an AND), or NULL */
    size_t pushed_values;
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
        } else {
            store_cond *c = wql_pushdown(e, &p->pushed_values);
            if (!c) {
                keep_in_memory(p, e);
                continue;
            }
            if (!p->pushed)
                p->pushed = store_cond_new(STORE_COND_AND);
            store_cond_add_child(p->pushed, c);
        }
    }
}

static void plan_count_argument(plan *p, const wql_query *q, wql_mode mode)
{
    if (!q->count_arg || mode == WQL_IN_MEMORY)
        return;
    store_cond *c = store_cond_new(STORE_COND_IS_NULL);
    c->negated = true;
    c->left = store_operand_property(q->count_arg->index);
    if (!p->pushed)
        p->pushed = store_cond_new(STORE_COND_AND);
    store_cond_add_child(p->pushed, c);
    p->sql_counts_argument = true;
}

static void plan_clear(plan *p)
{
    store_cond_free(p->pushed);
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
    store_query sq = {
        .where_cond = p->pushed,
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

/* ------------------------------------------------------------------------ */
/* The cursor                                                               */
/* ------------------------------------------------------------------------ */

struct wql_cursor {
    wql_query *q;
    plan p;
    store *st;
    store_cursor *rows;   /* streaming: the store's cursor */
    bool whole;           /* COUNT, DISTINCT or in-memory: read at the first fetch */
    bool read;            /* the whole answer has been read */
    smsprov_instance_list answer;
    size_t next;          /* first item of answer not yet handed out */
};

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

static smsprov_code read_whole(wql_cursor *c, smsprov_error *err)
{
    collector col = {.q = c->q, .p = &c->p, .count_only = c->q->count};
    smsprov_code rc = SMSPROV_OK;
    if (!c->p.empty)
        rc = read_rows(c->st, c->q, &c->p, &col, err);
    if (rc == SMSPROV_OK && c->q->count)
        deliver_count(col.count, &c->answer);
    else if (rc == SMSPROV_OK)
        deliver_rows(c->q, &col.rows, &c->answer);
    wql_rows_clear(&col.rows);
    c->read = rc == SMSPROV_OK;
    return rc;
}

static bool residual_uses_lazy(const plan *p)
{
    for (size_t i = 0; i < p->residual_count; i++)
        if (wql_expr_uses_lazy(p->residual[i]))
            return true;
    return false;
}

/* The index in target of property index of the FROM class (target is the
 * FROM class or a class derived from it, narrowed by __CLASS). */
static size_t index_in(const cim_class *from, const cim_class *target, size_t index)
{
    if (from == target)
        return index;
    ptrdiff_t i = cim_class_property_index(target, from->properties[index].name);
    return i >= 0 ? (size_t)i : index;
}

static void remap_operand(const cim_class *from, const cim_class *target, store_operand *op)
{
    if (!op)
        return;
    if (op->kind == STORE_OPERAND_PROPERTY)
        op->property = index_in(from, target, op->property);
    remap_operand(from, target, op->arg);
}

/* The pushed condition names FROM-class properties; the store reads the
 * target's tables, so it must name them as the target's. */
static void remap_cond(const cim_class *from, const cim_class *target, store_cond *c)
{
    if (!c || from == target)
        return;
    for (size_t i = 0; i < c->child_count; i++)
        remap_cond(from, target, c->children[i]);
    remap_operand(from, target, c->left);
    remap_operand(from, target, c->right);
    for (size_t i = 0; i < c->item_count; i++)
        remap_operand(from, target, c->items[i]);
}

static smsprov_code open_stream(wql_cursor *c, smsprov_error *err)
{
    const wql_query *q = c->q;
    store_order_key *order = cim_xcalloc(q->order_count + 1, sizeof *order);
    for (size_t i = 0; i < q->order_count; i++) {
        const wql_operand *op = q->order[i].operand;
        order[i].class_name = op->kind == WQL_OPERAND_CLASS;
        order[i].property =
            op->kind == WQL_OPERAND_PROPERTY ? index_in(q->cls, c->p.target, op->index) : 0;
        order[i].descending = q->order[i].descending;
    }
    store_cursor_spec spec = {
        .cls = c->p.target,
        .deep = c->p.deep,
        .skip_lazy = !residual_uses_lazy(&c->p),
        .where = c->p.pushed,
        .order = order,
        .order_count = q->order_count,
    };
    smsprov_code rc = store_cursor_open(c->st, &spec, &c->rows, err);
    free(order);
    return rc;
}

/* The guard's condition joins the pushed ones (in every mode: the store
 * answers it), or empties the plan. */
static void plan_guard(plan *p, const wql_guard *guard)
{
    if (!guard || p->empty)
        return;
    bool none = false;
    store_cond *c = guard->cond(guard->data, p->target, p->deep, &none);
    if (none) {
        store_cond_free(c);
        p->empty = true;
        return;
    }
    if (!c)
        return;
    if (!p->pushed)
        p->pushed = store_cond_new(STORE_COND_AND);
    store_cond_add_child(p->pushed, c);
}

smsprov_code wql_cursor_open(store *st, const cim_schema *schema, const char *namespace_path,
                             const char *text, wql_mode mode, wql_cursor **out,
                             smsprov_error *err)
{
    return wql_cursor_open_guarded(st, schema, namespace_path, text, mode, NULL, out, err);
}

smsprov_code wql_cursor_open_guarded(store *st, const cim_schema *schema,
                                     const char *namespace_path, const char *text,
                                     wql_mode mode, const wql_guard *guard, wql_cursor **out,
                                     smsprov_error *err)
{
    *out = NULL;
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
    wql_cursor *c = cim_xcalloc(1, sizeof *c);
    c->q = q;
    c->st = st;
    c->p = (plan){.target = cls, .deep = true};
    plan_where(&c->p, q, schema, namespace_path, mode);
    plan_count_argument(&c->p, q, mode);
    remap_cond(cls, c->p.target, c->p.pushed);
    plan_guard(&c->p, guard);
    c->whole = q->count || q->distinct || mode == WQL_IN_MEMORY;
    if (!c->whole && !c->p.empty)
        rc = open_stream(c, err);
    if (rc != SMSPROV_OK) {
        wql_cursor_free(c);
        return rc;
    }
    *out = c;
    return SMSPROV_OK;
}

void wql_cursor_free(wql_cursor *c)
{
    if (!c)
        return;
    store_cursor_free(c->rows);
    for (size_t i = c->next; i < c->answer.count; i++)
        cim_instance_free(c->answer.items[i]);
    free(c->answer.items);
    plan_clear(&c->p);
    wql_query_free(c->q);
    free(c);
}

bool wql_cursor_at_end(const wql_cursor *c)
{
    if (c->whole)
        return c->read && c->next >= c->answer.count;
    return !c->rows || store_cursor_at_end(c->rows);
}

typedef struct stream_ctx {
    const wql_cursor *c;
    store_take_fn fn;
    void *data;
} stream_ctx;

/* A row from the store: the parts kept in memory decide, then the select
 * list shapes it for the caller. */
static store_take take_row(void *data, cim_instance *take)
{
    stream_ctx *s = data;
    for (size_t i = 0; i < s->c->p.residual_count; i++) {
        if (wql_eval(s->c->p.residual[i], take) != WQL_TRUE) {
            cim_instance_free(take);
            return STORE_TAKE_NEXT; /* passed over: the position moves past it */
        }
    }
    wql_rows one = {.items = &take, .count = 1, .cap = 1};
    wql_rows_project(s->c->q, &one);
    return s->fn(s->data, take);
}

static smsprov_code fetch_whole(wql_cursor *c, store_take_fn fn, void *data, bool *end,
                                smsprov_error *err)
{
    smsprov_code rc = c->read ? SMSPROV_OK : read_whole(c, err);
    while (rc == SMSPROV_OK && c->next < c->answer.count) {
        cim_instance *inst = c->answer.items[c->next];
        store_take t = fn(data, inst);
        if (t == STORE_TAKE_REFUSE)
            break; /* still ours, handed out first next time */
        c->answer.items[c->next++] = NULL;
        if (t == STORE_TAKE_STOP)
            break;
    }
    if (end)
        *end = rc == SMSPROV_OK && c->next >= c->answer.count;
    return rc;
}

smsprov_code wql_cursor_fetch(wql_cursor *c, size_t hint, store_take_fn fn, void *data,
                              bool *end, smsprov_error *err)
{
    if (c->whole)
        return fetch_whole(c, fn, data, end, err);
    if (!c->rows) { /* no row can match */
        if (end)
            *end = true;
        return SMSPROV_OK;
    }
    stream_ctx s = {c, fn, data};
    return store_cursor_fetch(c->rows, hint, take_row, &s, end, err);
}

static store_take collect_all(void *data, cim_instance *take)
{
    smsprov_instance_list *list = data;
    list->items = cim_xrealloc(list->items, (list->count + 1) * sizeof *list->items);
    list->items[list->count++] = take;
    return STORE_TAKE_NEXT;
}

smsprov_code wql_execute(store *st, const cim_schema *schema, const char *namespace_path,
                         const char *text, wql_mode mode, smsprov_instance_list *out,
                         smsprov_error *err)
{
    out->items = NULL;
    out->count = 0;
    wql_cursor *c = NULL;
    smsprov_code rc = wql_cursor_open(st, schema, namespace_path, text, mode, &c, err);
    if (rc == SMSPROV_OK)
        rc = wql_cursor_fetch(c, WQL_EXECUTE_BATCH, collect_all, out, NULL, err);
    wql_cursor_free(c);
    if (rc != SMSPROV_OK) {
        for (size_t i = 0; i < out->count; i++)
            cim_instance_free(out->items[i]);
        free(out->items);
        out->items = NULL;
        out->count = 0;
    }
    return rc;
}
