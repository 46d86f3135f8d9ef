/* cursor.c - reading a select in batches by keyset (plan.h).
 *
 * Every batch is one statement in a fresh read transaction.  One table:
 *   SELECT *, <order exprs> FROM (<the table, columns named as properties>)
 *   WHERE (<condition>) AND (<after the position>)
 *   ORDER BY <order exprs> LIMIT ?
 * Several tables (a deep select): that statement per table, each in its own
 * subquery with its own LIMIT, under a UNION ALL that is ordered and limited
 * again; so each table is read only as far as the batch needs (through its
 * primary key index for the key order) instead of sorting every remaining
 * row of every table for each batch.
 *
 * The order expressions are the query's order keys in the store's order
 * (text COLLATE NOCASE; uint64, reals and DATETIMEs through
 * smsprov_order_key), then the keys, then, only where keys may repeat, the
 * table and rowid.  Together they are a total order, so "after the
 * position" is exact: the last row's values of those expressions are all a
 * cursor keeps. */
#include <stdlib.h>
#include <string.h>

#include "store/sqlite/store_internal.h"

/* The most rows one statement asks for; a caller that takes more gets them
 * from further statements in the same transaction. */
#define MAX_BATCH 4096
/* Columns before the properties: table index, rowid, class name. */
#define FIRST_PROPERTY_COLUMN 3

typedef struct order_expr {
    char *sql;
    bool descending;
} order_expr;

struct store_cursor {
    store *st; /* first, as the backend contract wants (store/backend.h) */
    const cim_class *cls;
    store_plan plan;
    store_query query;     /* deep and skip_lazy, for the plan's column choice */
    char **branches;       /* per visited table: SELECT <columns> FROM <table> */
    order_expr *order;     /* the position's expressions */
    size_t order_count;
    sqlite3_value **position; /* the last row taken; NULL before the first */
    bool at_end;
    /* In key order on one key, the condition with each semi-join on that
     * key bounded by the position (store_cond_sql_floor); NULL when none
     * applies. */
    char *floor_sql;
    store_params floor_params;
};

/* ------------------------------------------------------------------------ */
/* The source: every visited table with the same columns                   */
/* ------------------------------------------------------------------------ */

static void append_quoted(cim_buf *b, const char *name)
{
    char *q = store_quote_identifier(name);
    cim_buf_append(b, q);
    free(q);
}

static void append_class_literal(cim_buf *b, const char *name)
{
    cim_buf_append(b, "'");
    for (const char *p = name; *p; p++)
        cim_buf_append_n(b, *p == '\'' ? "''" : p, *p == '\'' ? 2 : 1);
    cim_buf_append(b, "'");
}

static bool column_wanted(const store_cursor *c, const cim_property *prop, bool referenced)
{
    return referenced || !(c->query.skip_lazy && (prop->flags & CIM_PROP_LAZY));
}

/* One table as a branch: its index, rowid and class name, then its columns
 * as the queried class's properties (a union: the layout's columns). */
static void append_branch(cim_buf *b, const store_cursor *c, size_t s)
{
    const store *st = c->st;
    const store_table *t = &st->tables[c->plan.tables[s]];
    const store_union *u = c->plan.layout;
    cim_buf_printf(b, "SELECT %zu AS \"__table\", rowid AS \"__rowid\", ", c->plan.tables[s]);
    append_class_literal(b, t->cls->name);
    cim_buf_append(b, " AS \"__class\"");
    size_t count = u ? u->column_count : t->cls->property_count;
    for (size_t col = 0; col < count; col++) {
        const char *name = u ? u->columns[col] : t->cls->properties[col].name;
        ptrdiff_t p = u ? u->property_at[s][col] : (ptrdiff_t)col;
        ptrdiff_t qp = cim_class_property_index(c->cls, name);
        bool referenced = qp >= 0 && c->plan.referenced[qp];
        cim_buf_append(b, ", ");
        if (p >= 0 && column_wanted(c, &t->cls->properties[p], referenced))
            append_quoted(b, name);
        else
            cim_buf_append(b, "NULL");
        cim_buf_append(b, " AS ");
        append_quoted(b, name);
    }
    cim_buf_printf(b, " FROM %s", t->quoted);
}

static void build_branches(store_cursor *c)
{
    c->branches = cim_xcalloc(c->plan.table_count, sizeof *c->branches);
    for (size_t s = 0; s < c->plan.table_count; s++) {
        cim_buf b = {0};
        append_branch(&b, c, s);
        c->branches[s] = cim_buf_take(&b);
    }
}

/* ------------------------------------------------------------------------ */
/* The order                                                                */
/* ------------------------------------------------------------------------ */

static void add_order(store_cursor *c, char *sql, bool descending)
{
    c->order = cim_xrealloc(c->order, (c->order_count + 1) * sizeof *c->order);
    c->order[c->order_count++] = (order_expr){sql, descending};
}

/* A property as the store orders it. */
static char *property_order_sql(const cim_property *prop)
{
    char *column = store_quote_identifier(prop->name);
    char *sql;
    if (prop->type == CIM_TYPE_DATETIME)
        sql = cim_xasprintf(STORE_SQL_ORDER_KEY "(%s, %d)", column, STORE_ORDER_KEY_DATETIME);
    else if (prop->type == CIM_TYPE_UINT64)
        sql = cim_xasprintf(STORE_SQL_ORDER_KEY "(%s, %d)", column, STORE_ORDER_KEY_UINT64);
    else if (cim_type_is_real(prop->type))
        sql = cim_xasprintf(STORE_SQL_ORDER_KEY "(%s, %d)", column, STORE_ORDER_KEY_REAL);
    else if (cim_type_is_textual(prop->type))
        sql = cim_xasprintf("%s COLLATE NOCASE", column);
    else
        sql = cim_xstrdup(column);
    free(column);
    return sql;
}

static smsprov_code add_order_keys(store_cursor *c, const store_cursor_spec *spec,
                                   smsprov_error *err)
{
    for (size_t i = 0; i < spec->order_count; i++) {
        const store_order_key *k = &spec->order[i];
        if (k->class_name) {
            add_order(c, cim_xstrdup("\"__class\" COLLATE NOCASE"), k->descending);
            continue;
        }
        const cim_property *prop =
            k->property < c->cls->property_count ? &c->cls->properties[k->property] : NULL;
        if (!prop || prop->is_array || prop->type == CIM_TYPE_OBJECT)
            return smsprov_error_set(err, SMSPROV_E_INVALID_QUERY,
                                     "The query orders by a property of class %s that is not a "
                                     "scalar property of it.",
                                     c->cls->name);
        c->plan.referenced[k->property] = true;
        add_order(c, property_order_sql(prop), k->descending);
    }
    return SMSPROV_OK;
}

/* Whether two visited rows may share the queried class's keys: a keyless
 * class, or tables of classes that add keys of their own. */
static bool keys_may_repeat(const store_cursor *c, size_t key_count)
{
    if (key_count == 0)
        return true;
    for (size_t s = 0; s < c->plan.table_count; s++)
        if (c->st->tables[c->plan.tables[s]].key_count != key_count)
            return true;
    return false;
}

static void add_tie_breakers(store_cursor *c)
{
    size_t key_count = 0;
    for (size_t i = 0; i < c->cls->property_count; i++) {
        const cim_property *prop = &c->cls->properties[i];
        if (!(prop->flags & CIM_PROP_KEY))
            continue;
        key_count++;
        c->plan.referenced[i] = true;
        char *column = store_quote_identifier(prop->name);
        bool text = cim_type_is_textual(prop->type);
        add_order(c, text ? cim_xasprintf("%s COLLATE NOCASE", column) : cim_xstrdup(column),
                  false);
        free(column);
    }
    if (keys_may_repeat(c, key_count)) {
        add_order(c, cim_xstrdup("\"__table\""), false);
        add_order(c, cim_xstrdup("\"__rowid\""), false);
    }
}

/* ------------------------------------------------------------------------ */
/* Opening and freeing                                                      */
/* ------------------------------------------------------------------------ */

static void clear_position(store_cursor *c)
{
    if (!c->position)
        return;
    for (size_t i = 0; i < c->order_count; i++)
        sqlite3_value_free(c->position[i]);
    free(c->position);
    c->position = NULL;
}

void store_sqlite_cursor_free(store_cursor *c)
{
    if (!c)
        return;
    clear_position(c);
    for (size_t i = 0; i < c->order_count; i++)
        free(c->order[i].sql);
    free(c->order);
    for (size_t s = 0; c->branches && s < c->plan.table_count; s++)
        free(c->branches[s]);
    free(c->branches);
    store_plan_clear(&c->plan);
    free(c->floor_sql);
    store_params_clear(&c->floor_params);
    free(c);
}

/* The one key of the class, when the cursor reads in its order. */
static ptrdiff_t sole_key(const store_cursor *c, const store_cursor_spec *spec)
{
    ptrdiff_t key = -1;
    for (size_t i = 0; i < c->cls->property_count; i++) {
        if (!(c->cls->properties[i].flags & CIM_PROP_KEY))
            continue;
        if (key >= 0)
            return -1;
        key = (ptrdiff_t)i;
    }
    return spec->order_count == 0 && c->order_count == 1 ? key : -1;
}

static void add_floor_condition(store_cursor *c, const store_cursor_spec *spec)
{
    ptrdiff_t key = sole_key(c, spec);
    if (key < 0 || !spec->where)
        return;
    cim_buf b = {0};
    store_cond_sql_floor(c->st, c->cls, spec->where, (size_t)key, &b, &c->floor_params);
    c->floor_sql = cim_buf_take(&b);
    if (!c->floor_params.floor) { /* no semi-join on the key: nothing to bound */
        free(c->floor_sql);
        c->floor_sql = NULL;
        store_params_clear(&c->floor_params);
    }
}

smsprov_code store_sqlite_cursor_open(store *st, const store_cursor_spec *spec,
                                      store_cursor **out, smsprov_error *err)
{
    *out = NULL;
    store_cursor *c = cim_xcalloc(1, sizeof *c);
    c->st = st;
    c->cls = spec->cls;
    c->query = (store_query){.where_cond = spec->where, .deep = spec->deep,
                             .skip_lazy = spec->skip_lazy, .limit = -1};
    smsprov_code code = store_plan_make(st, spec->cls, &c->query, &c->plan, err);
    c->query.where_cond = NULL; /* rendered into the plan; the spec may go */
    if (code) {
        free(c);
        return code;
    }
    code = add_order_keys(c, spec, err);
    if (code) {
        store_sqlite_cursor_free(c);
        return code;
    }
    add_tie_breakers(c);
    add_floor_condition(c, spec);
    c->at_end = c->plan.table_count == 0;
    if (!c->at_end)
        build_branches(c);
    *out = c;
    return SMSPROV_OK;
}

bool store_sqlite_cursor_at_end(const store_cursor *c)
{
    return c->at_end;
}

/* ------------------------------------------------------------------------ */
/* One statement                                                            */
/* ------------------------------------------------------------------------ */

/* "Strictly after the position" on expression i and those after it:
 *   e_i after v_i OR (e_i = v_i AND <the same from i + 1>)
 * with NULL first ascending and last descending, as ORDER BY puts it.
 * binds collects which position value each ? takes. */
static void append_after(cim_buf *b, const store_cursor *c, size_t i, size_t *binds,
                         size_t *bind_count)
{
    const order_expr *o = &c->order[i];
    bool null = sqlite3_value_type(c->position[i]) == SQLITE_NULL;
    bool last = i + 1 == c->order_count;
    cim_buf_append(b, "(");
    if (null && !o->descending)
        cim_buf_printf(b, "%s IS NOT NULL", o->sql);
    else if (null)
        cim_buf_append(b, "0");
    else {
        if (o->descending)
            cim_buf_printf(b, "(%s < ? OR %s IS NULL)", o->sql, o->sql);
        else
            cim_buf_printf(b, "%s > ?", o->sql);
        binds[(*bind_count)++] = i;
    }
    if (!last) {
        if (null)
            cim_buf_printf(b, " OR (%s IS NULL AND ", o->sql);
        else {
            cim_buf_printf(b, " OR (%s = ? AND ", o->sql);
            binds[(*bind_count)++] = i;
        }
        append_after(b, c, i + 1, binds, bind_count);
        cim_buf_append(b, ")");
    }
    cim_buf_append(b, ")");
}

static void append_order_by(cim_buf *b, const store_cursor *c)
{
    for (size_t i = 0; i < c->order_count; i++)
        cim_buf_printf(b, "%s%s%s", i ? ", " : " ORDER BY ", c->order[i].sql,
                       c->order[i].descending ? " DESC" : "");
    cim_buf_append(b, " LIMIT ?");
}

/* The rows of one table after the position, in order, limited. */
static void append_table_batch(cim_buf *b, const store_cursor *c, size_t s, size_t *binds,
                               size_t *bind_count)
{
    cim_buf_printf(b, "SELECT * FROM (%s)", c->branches[s]);
    bool where = false;
    const char *cond = c->position && c->floor_sql ? c->floor_sql : c->plan.cond_sql;
    if (cond) {
        cim_buf_printf(b, " WHERE %s", cond);
        where = true;
    }
    if (c->position) {
        cim_buf_append(b, where ? " AND " : " WHERE ");
        *bind_count = 0;
        append_after(b, c, 0, binds, bind_count);
    }
    append_order_by(b, c);
}

static char *batch_sql(const store_cursor *c, size_t *binds, size_t *bind_count)
{
    cim_buf b = {0};
    cim_buf_append(&b, "SELECT *");
    for (size_t i = 0; i < c->order_count; i++)
        cim_buf_printf(&b, ", %s", c->order[i].sql);
    cim_buf_append(&b, " FROM (");
    if (c->plan.table_count == 1) {
        append_table_batch(&b, c, 0, binds, bind_count);
        cim_buf_append(&b, ")");
        return cim_buf_take(&b);
    }
    for (size_t s = 0; s < c->plan.table_count; s++) {
        cim_buf_append(&b, s ? " UNION ALL SELECT * FROM (" : "SELECT * FROM (");
        append_table_batch(&b, c, s, binds, bind_count);
        cim_buf_append(&b, ")");
    }
    cim_buf_append(&b, ")");
    append_order_by(&b, c);
    return cim_buf_take(&b);
}

/* Binds, per table, the condition's values, the position's and the limit;
 * then, for several tables, the limit of the whole. */
static smsprov_code bind_batch(const store_cursor *c, sqlite3_stmt *stmt, const size_t *binds,
                               size_t bind_count, size_t limit, smsprov_error *err)
{
    int index = 1;
    const store_params *params =
        c->position && c->floor_sql ? &c->floor_params : &c->plan.cond_params;
    for (size_t s = 0; s < c->plan.table_count; s++) {
        for (size_t i = 0; i < params->count; i++, index++) {
            if (params->floor && params->floor[i]) {
                sqlite3_bind_value(stmt, index, c->position[0]);
                continue;
            }
            smsprov_code code =
                store_bind_param(stmt, index, &params->items[i], (size_t)index, err);
            if (code)
                return code;
        }
        for (size_t i = 0; i < bind_count; i++, index++)
            sqlite3_bind_value(stmt, index, c->position[binds[i]]);
        sqlite3_bind_int64(stmt, index++, (sqlite3_int64)limit);
    }
    if (c->plan.table_count > 1)
        sqlite3_bind_int64(stmt, index, (sqlite3_int64)limit);
    return SMSPROV_OK;
}

static void remember_position(store_cursor *c, sqlite3_stmt *stmt)
{
    int first = sqlite3_column_count(stmt) - (int)c->order_count;
    sqlite3_value **pos = cim_xcalloc(c->order_count, sizeof *pos);
    for (size_t i = 0; i < c->order_count; i++)
        pos[i] = sqlite3_value_dup(sqlite3_column_value(stmt, first + (int)i));
    clear_position(c);
    c->position = pos;
}

static ptrdiff_t plan_position(const store_plan *plan, int64_t table_index)
{
    for (size_t s = 0; s < plan->table_count; s++)
        if ((int64_t)plan->tables[s] == table_index)
            return (ptrdiff_t)s;
    return -1;
}

static smsprov_code row_instance(const store_cursor *c, sqlite3_stmt *stmt, cim_instance **out,
                                 smsprov_error *err)
{
    ptrdiff_t s = plan_position(&c->plan, sqlite3_column_int64(stmt, 0));
    if (s < 0)
        return smsprov_error_set(err, SMSPROV_E_FAILED,
                                 "A query row named a table the query did not visit.");
    const store_table *t = &c->st->tables[c->plan.tables[s]];
    const size_t *column_of = c->plan.layout ? c->plan.layout->column_of[s] : NULL;
    return store_row_to_instance(c->st, stmt, FIRST_PROPERTY_COLUMN, t, column_of,
                                 c->query.skip_lazy, out, err);
}

typedef enum batch_outcome { BATCH_FULL, BATCH_STOPPED, BATCH_END } batch_outcome;

/* Runs one statement of up to limit rows; *outcome says whether the caller
 * stopped, the rows ran out, or all limit rows were taken. */
static smsprov_code run_batch(store_cursor *c, store_txn *txn, size_t limit, store_take_fn fn,
                              void *data, batch_outcome *outcome, smsprov_error *err)
{
    size_t *binds = cim_xcalloc(2 * c->order_count + 1, sizeof *binds);
    size_t bind_count = 0;
    char *sql = batch_sql(c, binds, &bind_count);
    sqlite3_stmt *stmt = NULL;
    smsprov_code code = SMSPROV_OK;
    int rc = store_adhoc_acquire(txn, sql, &stmt);
    if (rc != SQLITE_OK)
        code = store_sqlite_error(c->st, txn->conn->db, rc, "prepare a cursor's query", err);
    free(sql);
    if (!code)
        code = bind_batch(c, stmt, binds, bind_count, limit + 1, err);
    free(binds);
    size_t rows = 0;
    *outcome = BATCH_END;
    while (!code) {
        rc = sqlite3_step(stmt);
        if (rc == SQLITE_DONE)
            break;
        if (rc != SQLITE_ROW) {
            code = store_sqlite_error(c->st, txn->conn->db, rc, "read a cursor's rows", err);
            break;
        }
        if (rows == limit) { /* the row past the batch: more remain */
            *outcome = BATCH_FULL;
            break;
        }
        rows++;
        cim_instance *inst = NULL;
        code = row_instance(c, stmt, &inst, err);
        if (code)
            break;
        store_take t = fn(data, inst);
        if (t == STORE_TAKE_REFUSE) {
            cim_instance_free(inst);
            *outcome = BATCH_STOPPED;
            break;
        }
        remember_position(c, stmt);
        if (t == STORE_TAKE_STOP) {
            /* Peek: is there a row after this one? */
            rc = sqlite3_step(stmt);
            *outcome = rc == SQLITE_ROW ? BATCH_STOPPED : BATCH_END;
            if (rc != SQLITE_ROW && rc != SQLITE_DONE)
                code = store_sqlite_error(c->st, txn->conn->db, rc, "read a cursor's rows", err);
            break;
        }
    }
    store_adhoc_release(txn, stmt);
    return code;
}

smsprov_code store_sqlite_cursor_fetch(store_cursor *c, size_t hint, store_take_fn fn,
                                       void *data, bool *end, smsprov_error *err)
{
    smsprov_code code = SMSPROV_OK;
    if (!c->at_end) {
        store_txn *txn = NULL;
        code = store_begin(c->st, false, &txn, err);
        size_t limit = hint < 1 ? 1 : hint > MAX_BATCH ? MAX_BATCH : hint;
        batch_outcome outcome = BATCH_FULL;
        while (!code && outcome == BATCH_FULL) {
            code = run_batch(c, txn, limit, fn, data, &outcome, err);
            limit = limit * 2 > MAX_BATCH ? MAX_BATCH : limit * 2;
        }
        if (!code && outcome == BATCH_END)
            c->at_end = true;
        store_rollback(txn);
    }
    if (end)
        *end = c->at_end;
    return code;
}
