/* store.c - the generic store: picks a backend by the scheme of a location
 * and calls through its table for every entry point of store.h. */
#include <stdlib.h>

#include "store/backend.h"

/* The backends this build has.  A second backend is a folder and a line. */
static const store_backend *const backends[] = {
    &store_sqlite_backend,
};
#define BACKEND_COUNT (sizeof backends / sizeof backends[0])


static const store_backend *backend_named(const char *scheme, size_t len)
{
    char *name = cim_xasprintf("%.*s", (int)len, scheme);
    const store_backend *found = NULL;
    for (size_t i = 0; !found && i < BACKEND_COUNT; i++)
        if (cim_strcasecmp(backends[i]->scheme, name) == 0)
            found = backends[i];
    free(name);
    return found;
}

/* Length of a leading "scheme:" (letters, digits, '+', '-', '.' after a
 * letter), 0 when there is none.  One letter before the colon is a
 * Windows drive ("C:\sites\lab.db"), not a scheme. */
static size_t scheme_length(const char *location)
{
    size_t n = 0;
    bool letter = (location[0] >= 'a' && location[0] <= 'z') ||
                  (location[0] >= 'A' && location[0] <= 'Z');
    if (!letter)
        return 0;
    while (location[n] && location[n] != ':') {
        char c = location[n];
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '+' || c == '-' || c == '.';
        if (!ok)
            return 0;
        n++;
    }
    return location[n] == ':' && n >= 2 ? n : 0;
}

/* The backend a location names and the rest of it, its own syntax. */
static smsprov_code parse_location(const char *location, const store_backend **backend,
                                   const char **rest, smsprov_error *err)
{
    if (!location || !*location)
        return smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER,
                                 "No database file was given; name the SQLite file to open "
                                 "(a path, or a location such as "
                                 "sqlite:/var/lib/smsprov/site.db).");
    size_t n = scheme_length(location);
    if (n == 0) {
        *backend = &store_sqlite_backend;
        *rest = location;
        return SMSPROV_OK;
    }
    *backend = backend_named(location, n);
    *rest = location + n + 1;
    if (!*backend) {
        cim_buf known = {0};
        for (size_t i = 0; i < BACKEND_COUNT; i++)
            cim_buf_printf(&known, "%s%s:", i ? ", " : "", backends[i]->scheme);
        smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER,
                          "The site database location %s names the store backend '%.*s', "
                          "which this build does not have; it has %s (a location without a "
                          "scheme is an SQLite file path).",
                          location, (int)n, location, known.data ? known.data : "none");
        free(known.data);
        return SMSPROV_E_INVALID_PARAMETER;
    }
    if (!**rest)
        return smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER,
                                 "The site database location %s names no database after "
                                 "'%.*s:'; write it as %.*s:/path/to/site.db.",
                                 location, (int)n, location, (int)n, location);
    return SMSPROV_OK;
}

smsprov_code store_open(const char *location, const cim_schema *schema, store **out,
                        smsprov_error *err)
{
    const store_backend *backend = NULL;
    const char *rest = NULL;
    smsprov_code rc = parse_location(location, &backend, &rest, err);
    if (rc)
        return rc;
    if (!schema)
        return smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER,
                                 "No schema was given for the database %s.", location);
    return backend->open(rest, schema, out, err);
}

void store_close(store *st)
{
    if (st)
        store_backend_of(st)->close(st);
}

smsprov_code store_begin(store *st, bool write, store_txn **out, smsprov_error *err)
{
    return store_backend_of(st)->begin(st, write, out, err);
}

smsprov_code store_commit(store_txn *txn, smsprov_error *err)
{
    return store_txn_backend_of(txn)->commit(txn, err);
}

void store_rollback(store_txn *txn)
{
    if (txn)
        store_txn_backend_of(txn)->rollback(txn);
}

smsprov_code store_insert(store_txn *txn, const cim_instance *inst, smsprov_error *err)
{
    return store_txn_backend_of(txn)->insert(txn, inst, err);
}

smsprov_code store_update(store_txn *txn, const cim_instance *inst, smsprov_error *err)
{
    return store_txn_backend_of(txn)->update(txn, inst, err);
}

smsprov_code store_delete(store_txn *txn, const cim_class *cls, const cim_instance *keys,
                          smsprov_error *err)
{
    return store_txn_backend_of(txn)->remove(txn, cls, keys, err);
}

smsprov_code store_get(store_txn *txn, const cim_class *cls, const cim_instance *keys,
                       cim_instance **out, smsprov_error *err)
{
    return store_txn_backend_of(txn)->get(txn, cls, keys, out, err);
}

static const store_query every_row = {.limit = -1};

smsprov_code store_select_each(store_txn *txn, const cim_class *cls, const store_query *query,
                               store_row_fn fn, void *data, smsprov_error *err)
{
    const store_query *q = query ? query : &every_row;
    return store_txn_backend_of(txn)->select_each(txn, cls, q, fn, data, err);
}

static bool collect(void *data, cim_instance *take)
{
    smsprov_instance_list *list = data;
    list->items = cim_xrealloc(list->items, (list->count + 1) * sizeof *list->items);
    list->items[list->count++] = take;
    return true;
}

static void free_list(smsprov_instance_list *list)
{
    for (size_t i = 0; i < list->count; i++)
        cim_instance_free(list->items[i]);
    free(list->items);
}

/* Collected apart and appended at the end, so a failed select adds
 * nothing to the caller's list. */
smsprov_code store_select(store_txn *txn, const cim_class *cls, const store_query *query,
                          smsprov_instance_list *out, smsprov_error *err)
{
    smsprov_instance_list rows = {0};
    smsprov_code code = store_select_each(txn, cls, query, collect, &rows, err);
    if (code) {
        free_list(&rows);
        return code;
    }
    if (rows.count) {
        out->items = cim_xrealloc(out->items, (out->count + rows.count) * sizeof *out->items);
        for (size_t i = 0; i < rows.count; i++)
            out->items[out->count++] = rows.items[i];
    }
    free(rows.items);
    return SMSPROV_OK;
}

smsprov_code store_count(store_txn *txn, const cim_class *cls, const store_query *query,
                         uint64_t *out, smsprov_error *err)
{
    const store_query *q = query ? query : &every_row;
    return store_txn_backend_of(txn)->count(txn, cls, q, out, err);
}

smsprov_code store_next_counter(store_txn *txn, const char *name, uint64_t *out,
                                smsprov_error *err)
{
    if (!name || !*name)
        return smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER,
                                 "A counter needs a name; none was given.");
    return store_txn_backend_of(txn)->next_counter(txn, name, out, err);
}

smsprov_code store_cursor_open(store *st, const store_cursor_spec *spec, store_cursor **out,
                               smsprov_error *err)
{
    return store_backend_of(st)->cursor_open(st, spec, out, err);
}

void store_cursor_free(store_cursor *c)
{
    if (c)
        store_cursor_backend_of(c)->cursor_free(c);
}

smsprov_code store_cursor_fetch(store_cursor *c, size_t hint, store_take_fn fn, void *data,
                                bool *end, smsprov_error *err)
{
    return store_cursor_backend_of(c)->cursor_fetch(c, hint, fn, data, end, err);
}

bool store_cursor_at_end(const store_cursor *c)
{
    return store_cursor_backend_of(c)->cursor_at_end(c);
}

void store_set_fault_handler(store *st, store_fault_fn fn, void *data)
{
    store_backend_of(st)->set_fault_handler(st, fn, data);
}

const char *store_fault(store *st)
{
    return store_backend_of(st)->fault(st);
}

const char *store_location_file(const char *location)
{
    const store_backend *backend = NULL;
    const char *rest = NULL;
    if (parse_location(location, &backend, &rest, NULL) != SMSPROV_OK)
        return NULL;
    return backend->location_is_file ? rest : NULL;
}
