/* open.c - opening and closing a store: derive the layout from the schema,
 * open the first connection, bring the database up to the schema. */
#include <stdlib.h>

#include "store/sqlite/store_internal.h"

smsprov_code store_sqlite_open(const char *path, const cim_schema *schema, store **out,
                               smsprov_error *err)
{
    store *st = cim_xcalloc(1, sizeof *st);
    st->backend = &store_sqlite_backend;
    st->path = cim_xstrdup(path);
    st->schema = schema;
    pthread_mutex_init(&st->lock, NULL);
    pthread_cond_init(&st->idle_changed, NULL);
    store_health_init(st);

    store_conn *conn = NULL;
    smsprov_code code = store_layout_build(st, err);
    if (!code)
        code = store_conn_open(st, &conn, err);
    if (!code) {
        code = store_upgrade_schema(st, conn->db, err);
        store_pool_add(st, conn); /* closed with the store on failure */
    }
    if (code) {
        store_sqlite_close(st);
        return code;
    }
    store_health_rebase(st);
    *out = st;
    return SMSPROV_OK;
}

/* Every transaction must have ended: connections still in use are not
 * closed. */
void store_sqlite_close(store *st)
{
    while (st->idle) {
        store_conn *conn = st->idle;
        st->idle = conn->next_idle;
        store_conn_close(st, conn);
    }
    store_layout_free(st);
    store_health_free(st);
    pthread_cond_destroy(&st->idle_changed);
    pthread_mutex_destroy(&st->lock);
    free(st->path);
    free(st);
}
