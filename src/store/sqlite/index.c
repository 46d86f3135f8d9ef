/* index.c - secondary indexes a caller declares on a class's own table
 * (store_ensure_index). */
#include <stdlib.h>

#include "store/sqlite/store_internal.h"

/* "<table>.by.<property>.<property>...": the name says what it covers, so
 * declaring the same index again finds it. */
static char *index_name(const store_table *t, const char *const *properties, size_t count)
{
    cim_buf b = {0};
    cim_buf_printf(&b, "%s.by", t->name);
    for (size_t i = 0; i < count; i++)
        cim_buf_printf(&b, ".%s", properties[i]);
    char *name = cim_buf_take(&b);
    char *quoted = store_quote_identifier(name);
    free(name);
    return quoted;
}

smsprov_code store_sqlite_ensure_index(store_txn *txn, const cim_class *cls,
                                       const char *const *properties, size_t count,
                                       smsprov_error *err)
{
    smsprov_code code = store_require_write(txn, "Declaring an index", err);
    if (code)
        return code;
    const store_class_entry *e = store_find_class(txn->st, cls);
    if (!e || e->table < 0)
        return smsprov_error_set(err, SMSPROV_E_INVALID_CLASS,
                                 "Class %s has no table of its own to index.", cls->name);
    const store_table *t = &txn->st->tables[e->table];
    for (size_t i = 0; i < count; i++) {
        ptrdiff_t p = cim_class_property_index(cls, properties[i]);
        if (p < 0 || cls->properties[p].is_array || cls->properties[p].type == CIM_TYPE_OBJECT)
            return smsprov_error_set(err, SMSPROV_E_INVALID_CLASS,
                                     "An index of class %s names %s, which is not a scalar "
                                     "property of it.",
                                     cls->name, properties[i]);
    }
    char *name = index_name(t, properties, count);
    cim_buf b = {0};
    /* The columns keep their declared collation (NOCASE for text keys), so
     * the index serves the store's own comparisons. */
    cim_buf_printf(&b, "CREATE INDEX IF NOT EXISTS %s ON %s (", name, t->quoted);
    for (size_t i = 0; i < count; i++) {
        char *column = store_quote_identifier(properties[i]);
        cim_buf_printf(&b, "%s%s", i ? ", " : "", column);
        free(column);
    }
    cim_buf_append(&b, ")");
    char *sql = cim_buf_take(&b);
    char *doing = cim_xasprintf("create an index of table %s", t->name);
    code = store_exec(txn->st, txn->conn->db, sql, doing, err);
    free(doing);
    free(sql);
    free(name);
    return code;
}
