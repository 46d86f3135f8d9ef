/* query_sql.c - the SQL of a select or count.
 *
 * One table: SELECT <index>, <columns> FROM t WHERE (...) ORDER BY ... LIMIT ?
 * Several tables (a deep select): every table becomes a branch of a UNION
 * ALL with the same columns (NULL where a table lacks one), and the
 * caller's WHERE and ORDER BY apply to the union, so they filter and order
 * across all tables at once:
 *   SELECT * FROM (SELECT 3 AS "__table", "A" AS "A", NULL AS "B" FROM t1
 *                  UNION ALL SELECT 4, "A", "B" FROM t2)
 *   WHERE (...) ORDER BY ... LIMIT ?
 * With skip_lazy a lazy column reads NULL instead of its data, unless the
 * condition or order names it. */
#include <stdlib.h>
#include <string.h>

#include "store/sqlite/store_internal.h"

/* Skips a '...' literal ('' inside stays in it); p is at the opening quote. */
static const char *skip_literal(const char *p)
{
    for (p++; *p; p++) {
        if (*p != '\'')
            continue;
        if (p[1] != '\'')
            return p + 1;
        p++;
    }
    return p;
}

/* Reads a "..." identifier ("" inside is one quote); p is at the opening
 * quote. */
static const char *read_identifier(const char *p, cim_buf *name)
{
    for (p++; *p; p++) {
        if (*p == '"') {
            if (p[1] != '"')
                return p + 1;
            p++;
        }
        cim_buf_append_n(name, p, 1);
    }
    return p;
}

/* Marks the properties a condition or order names; a quoted name that is
 * not a property of cls is refused here, with a clearer sentence than
 * SQLite's "no such column". */
static smsprov_code scan_names(const char *sql, const char *clause, const cim_class *cls,
                               bool *referenced, smsprov_error *err)
{
    const char *p = sql;
    while (p && *p) {
        if (*p == '\'') {
            p = skip_literal(p);
            continue;
        }
        if (*p != '"') {
            p++;
            continue;
        }
        cim_buf name = {0};
        p = read_identifier(p, &name);
        char *text = cim_buf_take(&name);
        ptrdiff_t index = cim_class_property_index(cls, text);
        if (index < 0) {
            smsprov_code code = smsprov_error_set(
                err, SMSPROV_E_INVALID_QUERY,
                "The query %s names \"%s\", which is not a property of class %s.", clause, text,
                cls->name);
            free(text);
            return code;
        }
        referenced[index] = true;
        free(text);
    }
    return SMSPROV_OK;
}

smsprov_code store_plan_make(const store *st, const cim_class *cls, const store_query *q,
                             store_plan *out, smsprov_error *err)
{
    memset(out, 0, sizeof *out);
    const store_class_entry *e = store_find_class(st, cls);
    if (!e)
        return smsprov_error_set(err, SMSPROV_E_INVALID_CLASS,
                                 "Class %s is not part of the schema the store was opened with.",
                                 cls && cls->name ? cls->name : "(null)");
    if (q->param_count > 0 && !q->params)
        return smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER,
                                 "The query says it has %zu parameters but gives none.",
                                 q->param_count);
    out->entry = e;
    out->referenced = cim_xcalloc(cls->property_count + 1, sizeof *out->referenced);
    smsprov_code code = scan_names(q->where_sql, "condition", cls, out->referenced, err);
    if (!code)
        code = scan_names(q->order_sql, "order", cls, out->referenced, err);
    if (!code && q->where_cond && !store_cond_check(st, cls, q->where_cond, out->referenced))
        code = smsprov_error_set(err, SMSPROV_E_INVALID_QUERY,
                                 "The query condition names a property that class %s does not "
                                 "have, or compares with an array or embedded object.",
                                 cls->name);
    if (code) {
        store_plan_clear(out);
        return code;
    }
    if (q->where_cond) {
        cim_buf b = {0};
        store_cond_sql(st, cls, q->where_cond, &b, &out->cond_params);
        out->cond_sql = cim_buf_take(&b);
    }
    out->tables = e->subtree;
    if (q->deep)
        out->table_count = e->subtree_count;
    else
        out->table_count = e->table >= 0 ? 1 : 0; /* the own table comes first */
    out->layout = out->table_count > 1 ? e->layout : NULL;
    return SMSPROV_OK;
}

void store_plan_clear(store_plan *plan)
{
    free(plan->referenced);
    free(plan->cond_sql);
    store_params_clear(&plan->cond_params);
    memset(plan, 0, sizeof *plan);
}

/* ------------------------------------------------------------------------ */

static void append_quoted(cim_buf *b, const char *name)
{
    char *q = store_quote_identifier(name);
    cim_buf_append(b, q);
    free(q);
}

static bool column_wanted(const cim_property *prop, bool referenced, const store_query *q,
                          store_select_kind kind)
{
    if (referenced)
        return true;
    if (kind == STORE_SELECT_COUNT)
        return false;
    return !(q->skip_lazy && (prop->flags & CIM_PROP_LAZY));
}

static void append_where(cim_buf *b, const store_plan *plan, const store_query *q)
{
    bool has_sql = q->where_sql && *q->where_sql;
    if (has_sql)
        cim_buf_printf(b, " WHERE (%s)", q->where_sql);
    if (plan->cond_sql)
        cim_buf_printf(b, " %s %s", has_sql ? "AND" : "WHERE", plan->cond_sql);
}

static void append_key_order(cim_buf *b, const cim_class *cls, const char *fallback)
{
    bool any = false;
    for (size_t i = 0; i < cls->property_count; i++) {
        if (!(cls->properties[i].flags & CIM_PROP_KEY))
            continue;
        cim_buf_append(b, any ? ", " : " ORDER BY ");
        append_quoted(b, cls->properties[i].name);
        any = true;
    }
    if (!any)
        cim_buf_printf(b, " ORDER BY %s", fallback);
}

static void append_order(cim_buf *b, const store_query *q, const cim_class *cls,
                         const char *fallback)
{
    if (q->order_sql && *q->order_sql)
        cim_buf_printf(b, " ORDER BY %s", q->order_sql);
    else
        append_key_order(b, cls, fallback);
}

static char *single_table_sql(const store *st, const store_plan *plan, const store_query *q,
                              store_select_kind kind)
{
    size_t index = plan->tables[0];
    const store_table *t = &st->tables[index];
    const cim_class *queried = plan->entry->cls;
    cim_buf b = {0};
    if (kind == STORE_SELECT_COUNT) {
        cim_buf_printf(&b, "SELECT count(*) FROM %s", t->quoted);
        append_where(&b, plan, q);
        return cim_buf_take(&b);
    }
    cim_buf_printf(&b, "SELECT %zu", index);
    for (size_t p = 0; p < t->cls->property_count; p++) {
        const cim_property *prop = &t->cls->properties[p];
        ptrdiff_t qp = t->cls == queried ? (ptrdiff_t)p
                                         : cim_class_property_index(queried, prop->name);
        bool referenced = qp >= 0 && plan->referenced[qp];
        cim_buf_append(&b, ", ");
        /* A bare NULL (no alias) so ORDER BY still finds the real column. */
        if (column_wanted(prop, referenced, q, kind))
            append_quoted(&b, prop->name);
        else
            cim_buf_append(&b, "NULL");
    }
    cim_buf_printf(&b, " FROM %s", t->quoted);
    append_where(&b, plan, q);
    append_order(&b, q, t->cls, "rowid");
    cim_buf_append(&b, " LIMIT ?");
    return cim_buf_take(&b);
}

static void append_branch(cim_buf *b, const store *st, const store_plan *plan, size_t s,
                          const store_query *q, store_select_kind kind)
{
    const store_union *u = plan->layout;
    const store_table *t = &st->tables[plan->tables[s]];
    size_t queried_count = plan->entry->cls->property_count;
    bool first = s == 0; /* the first branch names the union's columns */
    if (!first)
        cim_buf_append(b, " UNION ALL ");
    cim_buf_printf(b, "SELECT %zu%s", plan->tables[s], first ? " AS \"__table\"" : "");
    for (size_t c = 0; c < u->column_count; c++) {
        ptrdiff_t p = u->property_at[s][c];
        bool referenced = c < queried_count && plan->referenced[c];
        cim_buf_append(b, ", ");
        if (p >= 0 && column_wanted(&t->cls->properties[p], referenced, q, kind))
            append_quoted(b, u->columns[c]);
        else
            cim_buf_append(b, "NULL");
        if (first) {
            cim_buf_append(b, " AS ");
            append_quoted(b, u->columns[c]);
        }
    }
    cim_buf_printf(b, " FROM %s", t->quoted);
}

static char *union_sql(const store *st, const store_plan *plan, const store_query *q,
                       store_select_kind kind)
{
    cim_buf b = {0};
    cim_buf_append(&b, kind == STORE_SELECT_COUNT ? "SELECT count(*) FROM (" : "SELECT * FROM (");
    for (size_t s = 0; s < plan->table_count; s++)
        append_branch(&b, st, plan, s, q, kind);
    cim_buf_append(&b, ")");
    append_where(&b, plan, q);
    if (kind == STORE_SELECT_ROWS) {
        append_order(&b, q, plan->entry->cls, "\"__table\"");
        cim_buf_append(&b, " LIMIT ?");
    }
    return cim_buf_take(&b);
}

char *store_plan_sql(const store *st, const store_plan *plan, const store_query *q,
                     store_select_kind kind)
{
    if (plan->layout)
        return union_sql(st, plan, q, kind);
    return single_table_sql(st, plan, q, kind);
}
