/* cursor.c - enumerations and queries as cursors (smsprov_cursor): the
 * store's cursor for an enumeration, the WQL cursor for a query.  The
 * whole-result smsprov_enumerate and smsprov_query read through them. */
#include <stdlib.h>

#include "sms/rbac.h"
#include "wql/wql.h"

struct smsprov_cursor {
    store_cursor *rows;   /* an enumeration */
    wql_cursor *query;    /* a query */
    const char *operation; /* for errors: "CreateInstanceEnum" or "ExecQuery" */
};

smsprov_code smsprov_enumerate_open(smsprov_site *site, const smsprov_call *call,
                                    const char *class_name, smsprov_enum_flags flags,
                                    smsprov_cursor **out, smsprov_error *err)
{
    *out = NULL;
    const char *ns = NULL;
    const cim_class *cls = NULL;
    smsprov_code rc = sms_resolve_namespace(site, call, &ns, err);
    if (rc == SMSPROV_OK)
        rc = sms_find_class(site, ns, class_name, &cls, err);
    if (rc == SMSPROV_OK)
        rc = sms_check_instance_class(cls, "enumerated", err);
    store_cursor *rows = NULL;
    sms_caller caller = {0};
    if (rc == SMSPROV_OK)
        rc = sms_caller_read(site, call, &caller, err);
    if (rc == SMSPROV_OK) {
        bool deep = flags != SMSPROV_ENUM_SHALLOW, none = false;
        store_cond *filter = sms_rbac_read_filter(site, &caller, ns, cls, deep, &none);
        store_cursor_spec spec = {
            .cls = cls,
            .deep = deep,
            .skip_lazy = true,
            .where = filter,
        };
        if (!none)
            rc = store_cursor_open(site->store, &spec, &rows, err);
        store_cond_free(filter);
    }
    sms_caller_clear(&caller);
    if (rc != SMSPROV_OK) {
        smsprov_error_set_operation(err, "CreateInstanceEnum");
        return rc;
    }
    smsprov_cursor *c = cim_xcalloc(1, sizeof *c);
    c->rows = rows;
    c->operation = "CreateInstanceEnum";
    *out = c;
    return SMSPROV_OK;
}

/* The scope filter a query's plan takes (wql_guard). */
typedef struct scope_guard {
    smsprov_site *site;
    const sms_caller *caller;
    const char *ns;
} scope_guard;

static store_cond *guard_cond(void *data, const cim_class *target, bool deep, bool *none)
{
    scope_guard *g = data;
    return sms_rbac_read_filter(g->site, g->caller, g->ns, target, deep, none);
}

smsprov_code smsprov_query_open(smsprov_site *site, const smsprov_call *call,
                                const char *language, const char *query, smsprov_cursor **out,
                                smsprov_error *err)
{
    *out = NULL;
    const char *ns = NULL;
    smsprov_code rc = sms_query_namespace(site, call, language, query, &ns, err);
    wql_cursor *q = NULL;
    sms_caller caller = {0};
    if (rc == SMSPROV_OK)
        rc = sms_caller_read(site, call, &caller, err);
    scope_guard g = {site, &caller, ns};
    wql_guard guard = {guard_cond, &g};
    if (rc == SMSPROV_OK)
        rc = wql_cursor_open_guarded(site->store, site->schema, ns, query, WQL_PUSHDOWN, &guard,
                                     &q, err);
    sms_caller_clear(&caller);
    if (rc != SMSPROV_OK) {
        smsprov_error_set_operation(err, "ExecQuery");
        return rc;
    }
    smsprov_cursor *c = cim_xcalloc(1, sizeof *c);
    c->query = q;
    c->operation = "ExecQuery";
    *out = c;
    return SMSPROV_OK;
}

void smsprov_cursor_close(smsprov_cursor *c)
{
    if (!c)
        return;
    store_cursor_free(c->rows);
    wql_cursor_free(c->query);
    free(c);
}

typedef struct relay {
    bool enumeration;
    smsprov_take_fn fn;
    void *data;
} relay;

static store_take relay_row(void *data, cim_instance *take)
{
    relay *r = data;
    if (r->enumeration)
        sms_null_lazy_properties(take);
    switch (r->fn(r->data, take)) {
    case SMSPROV_TAKE_NEXT: return STORE_TAKE_NEXT;
    case SMSPROV_TAKE_STOP: return STORE_TAKE_STOP;
    default: return STORE_TAKE_REFUSE;
    }
}

smsprov_code smsprov_cursor_next(smsprov_cursor *c, size_t hint, smsprov_take_fn fn, void *data,
                                 bool *end, smsprov_error *err)
{
    if (!c->rows && !c->query) { /* nothing the caller may see */
        if (end)
            *end = true;
        return SMSPROV_OK;
    }
    relay r = {c->rows != NULL, fn, data};
    smsprov_code rc = c->rows ? store_cursor_fetch(c->rows, hint, relay_row, &r, end, err)
                              : wql_cursor_fetch(c->query, hint, relay_row, &r, end, err);
    if (rc != SMSPROV_OK)
        smsprov_error_set_operation(err, c->operation);
    return rc;
}

bool smsprov_cursor_at_end(const smsprov_cursor *c)
{
    if (!c->rows && !c->query)
        return true;
    return c->rows ? store_cursor_at_end(c->rows) : wql_cursor_at_end(c->query);
}

typedef struct batch {
    smsprov_instance_list *out;
    size_t left;
} batch;

static smsprov_take add_to_list(void *data, cim_instance *take)
{
    batch *b = data;
    b->out->items = cim_xrealloc(b->out->items, (b->out->count + 1) * sizeof *b->out->items);
    b->out->items[b->out->count++] = take;
    return --b->left > 0 ? SMSPROV_TAKE_NEXT : SMSPROV_TAKE_STOP;
}

smsprov_code smsprov_cursor_read(smsprov_cursor *c, size_t max, smsprov_instance_list *out,
                                 bool *end, smsprov_error *err)
{
    if (max == 0) {
        if (end)
            *end = smsprov_cursor_at_end(c);
        return SMSPROV_OK;
    }
    batch b = {out, max};
    return smsprov_cursor_next(c, max, add_to_list, &b, end, err);
}
