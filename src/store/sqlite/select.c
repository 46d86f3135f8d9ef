/* select.c - running selects and counts built by query_sql.c. */
#include <stdlib.h>

#include "store/sqlite/store_internal.h"

static const store_query every_row = {.limit = -1};

static smsprov_code prepare(store_txn *txn, const cim_class *cls, const char *sql,
                            sqlite3_stmt **out, smsprov_error *err)
{
    int rc = store_adhoc_acquire(txn, sql, out);
    if (rc == SQLITE_OK)
        return SMSPROV_OK;
    if (rc == SQLITE_ERROR) /* the caller's condition or order does not compile */
        return smsprov_error_set(err, SMSPROV_E_INVALID_QUERY,
                                 "The query over class %s could not be compiled: %s.", cls->name,
                                 sqlite3_errmsg(txn->conn->db));
    char *doing = cim_xasprintf("prepare a query over class %s", cls->name);
    smsprov_code code = store_sqlite_error(txn->st, txn->conn->db, rc, doing, err);
    free(doing);
    return code;
}

static smsprov_code bind_params(sqlite3_stmt *stmt, const store_plan *plan, const store_query *q,
                                bool with_limit, smsprov_error *err)
{
    int expected = (int)q->param_count + (int)plan->cond_params.count + (with_limit ? 1 : 0);
    int placeholders = sqlite3_bind_parameter_count(stmt) - (with_limit ? 1 : 0);
    if (sqlite3_bind_parameter_count(stmt) != expected)
        return smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER,
                                 "The query condition has %d placeholders but %zu parameters "
                                 "were given.",
                                 placeholders - (int)plan->cond_params.count, q->param_count);
    for (size_t i = 0; i < q->param_count; i++) {
        smsprov_code code = store_bind_param(stmt, (int)i + 1, &q->params[i], i + 1, err);
        if (code)
            return code;
    }
    for (size_t i = 0; i < plan->cond_params.count; i++) {
        int index = (int)(q->param_count + i) + 1;
        smsprov_code code =
            store_bind_param(stmt, index, &plan->cond_params.items[i], (size_t)index, err);
        if (code)
            return code;
    }
    if (with_limit)
        sqlite3_bind_int64(stmt, expected, q->limit < 0 ? -1 : q->limit);
    return SMSPROV_OK;
}

/* The position in the plan of the table whose index a row carries. */
static ptrdiff_t plan_position(const store_plan *plan, int64_t table_index)
{
    for (size_t s = 0; s < plan->table_count; s++)
        if ((int64_t)plan->tables[s] == table_index)
            return (ptrdiff_t)s;
    return -1;
}

static smsprov_code emit_row(store_txn *txn, const store_plan *plan, sqlite3_stmt *stmt,
                             const store_query *q, store_row_fn fn, void *data, bool *more,
                             smsprov_error *err)
{
    ptrdiff_t s = plan_position(plan, sqlite3_column_int64(stmt, 0));
    if (s < 0)
        return smsprov_error_set(err, SMSPROV_E_FAILED,
                                 "A query row named a table the query did not visit.");
    const store_table *t = &txn->st->tables[plan->tables[s]];
    const size_t *column_of = plan->layout ? plan->layout->column_of[s] : NULL;
    cim_instance *inst = NULL;
    smsprov_code code =
        store_row_to_instance(txn->st, stmt, 1, t, column_of, q->skip_lazy, &inst, err);
    if (!code)
        *more = fn(data, inst);
    return code;
}

smsprov_code store_sqlite_select_each(store_txn *txn, const cim_class *cls,
                                      const store_query *query, store_row_fn fn, void *data,
                                      smsprov_error *err)
{
    const store_query *q = query ? query : &every_row;
    store_plan plan;
    smsprov_code code = store_plan_make(txn->st, cls, q, &plan, err);
    if (code)
        return code;
    if (plan.table_count == 0) {
        store_plan_clear(&plan);
        return SMSPROV_OK;
    }
    char *sql = store_plan_sql(txn->st, &plan, q, STORE_SELECT_ROWS);
    sqlite3_stmt *stmt = NULL;
    code = prepare(txn, cls, sql, &stmt, err);
    free(sql);
    if (!code)
        code = bind_params(stmt, &plan, q, true, err);
    bool more = true;
    while (!code && more) {
        int rc = sqlite3_step(stmt);
        if (rc == SQLITE_DONE)
            break;
        if (rc == SQLITE_ROW)
            code = emit_row(txn, &plan, stmt, q, fn, data, &more, err);
        else
            code = store_sqlite_error(txn->st, txn->conn->db, rc, "run a query", err);
    }
    store_adhoc_release(txn, stmt);
    store_plan_clear(&plan);
    return code;
}

smsprov_code store_sqlite_count(store_txn *txn, const cim_class *cls, const store_query *query,
                                uint64_t *out, smsprov_error *err)
{
    const store_query *q = query ? query : &every_row;
    store_plan plan;
    smsprov_code code = store_plan_make(txn->st, cls, q, &plan, err);
    if (code)
        return code;
    uint64_t count = 0;
    if (plan.table_count > 0) {
        char *sql = store_plan_sql(txn->st, &plan, q, STORE_SELECT_COUNT);
        sqlite3_stmt *stmt = NULL;
        code = prepare(txn, cls, sql, &stmt, err);
        free(sql);
        if (!code)
            code = bind_params(stmt, &plan, q, false, err);
        if (!code) {
            int rc = sqlite3_step(stmt);
            if (rc == SQLITE_ROW)
                count = (uint64_t)sqlite3_column_int64(stmt, 0);
            else
                code = store_sqlite_error(txn->st, txn->conn->db, rc, "count rows", err);
        }
        store_adhoc_release(txn, stmt);
    }
    store_plan_clear(&plan);
    if (code)
        return code;
    if (q->limit >= 0 && count > (uint64_t)q->limit)
        count = (uint64_t)q->limit;
    *out = count;
    return SMSPROV_OK;
}
