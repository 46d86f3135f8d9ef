/* crud.c - insert, update, delete and get by key.  Every statement comes
 * from the connection's cache, so a key lookup is one index probe per table
 * it might live in. */
#include <stdlib.h>

#include "store/sqlite/store_internal.h"

static const cim_value *key_value(const cim_instance *keys, const store_table *table, size_t k)
{
    size_t prop = table->key_props[k];
    if (keys->cls == table->cls)
        return &keys->values[prop];
    ptrdiff_t i = cim_class_property_index(keys->cls, table->cls->properties[prop].name);
    return i < 0 ? NULL : &keys->values[i];
}

smsprov_code store_bind_keys(sqlite3_stmt *stmt, int first, const store_table *table,
                             const cim_instance *keys, smsprov_error *err)
{
    for (size_t k = 0; k < table->key_count; k++) {
        const cim_property *prop = &table->cls->properties[table->key_props[k]];
        const cim_value *v = key_value(keys, table, k);
        if (!v || v->is_null)
            return smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER,
                                     "The key property %s of class %s has no value; every key "
                                     "is needed to find an instance.",
                                     prop->name, table->cls->name);
        smsprov_code rc = store_bind_value(stmt, first + (int)k, prop, v, err);
        if (rc)
            return rc;
    }
    return SMSPROV_OK;
}

smsprov_code store_row_to_instance(const store *st, sqlite3_stmt *stmt, int first,
                                   const store_table *table, const size_t *column_of,
                                   bool skip_lazy, cim_instance **out, smsprov_error *err)
{
    const cim_class *cls = table->cls;
    cim_instance *inst = cim_instance_new(cls);
    for (size_t i = 0; i < cls->property_count; i++) {
        const cim_property *prop = &cls->properties[i];
        if (skip_lazy && (prop->flags & CIM_PROP_LAZY))
            continue;
        int col = first + (int)(column_of ? column_of[i] : i);
        smsprov_code rc = store_read_value(st, stmt, col, cls, prop, &inst->values[i], err);
        if (rc) {
            cim_instance_free(inst);
            return rc;
        }
    }
    *out = inst;
    return SMSPROV_OK;
}

/* ------------------------------------------------------------------------ */

static smsprov_code step_failed(store_txn *txn, int rc, const char *verb, const store_table *t,
                                smsprov_error *err)
{
    char *doing = cim_xasprintf("%s table %s", verb, t->name);
    smsprov_code code = store_sqlite_error(txn->st, txn->conn->db, rc, doing, err);
    free(doing);
    return code;
}

static smsprov_code require_keys(const cim_instance *inst, const store_table *t,
                                 smsprov_error *err)
{
    for (size_t k = 0; k < t->key_count; k++) {
        const cim_property *prop = &t->cls->properties[t->key_props[k]];
        if (inst->values[t->key_props[k]].is_null)
            return smsprov_error_set(err, SMSPROV_E_ILLEGAL_NULL,
                                     "The key property %s of the %s instance is null; set every "
                                     "key before storing the instance.",
                                     prop->name, t->cls->name);
    }
    return SMSPROV_OK;
}

/* Whether a row with inst's keys is in table t (any row, for a class
 * without keys). */
static smsprov_code row_exists(store_txn *txn, const store_table *t, const cim_instance *inst,
                               bool *found, smsprov_error *err)
{
    sqlite3_stmt *stmt = NULL;
    smsprov_code code = store_table_stmt(txn, t, STORE_STMT_EXISTS, &stmt, err);
    if (code)
        return code;
    code = store_bind_keys(stmt, 1, t, inst, err);
    if (!code) {
        int rc = sqlite3_step(stmt);
        *found = rc == SQLITE_ROW;
        if (rc != SQLITE_ROW && rc != SQLITE_DONE)
            code = step_failed(txn, rc, "search", t, err);
    }
    store_stmt_done(stmt);
    return code;
}

static smsprov_code already_exists(const cim_instance *inst, const store_table *holder,
                                   smsprov_error *err)
{
    char *path = cim_instance_relpath(inst);
    smsprov_code code;
    if (holder->cls == inst->cls)
        code = smsprov_error_set(err, SMSPROV_E_ALREADY_EXISTS,
                                 "The instance %s already exists; update it instead of creating "
                                 "it again.",
                                 path);
    else
        code = smsprov_error_set(err, SMSPROV_E_ALREADY_EXISTS,
                                 "The instance %s cannot be created: an instance of %s already "
                                 "has the same key, and the two classes share one key space.",
                                 path, holder->cls->name);
    free(path);
    return code;
}

smsprov_code store_sqlite_insert(store_txn *txn, const cim_instance *inst, smsprov_error *err)
{
    const store_table *t = NULL;
    smsprov_code code = store_require_write(txn, "Creating an instance", err);
    if (!code)
        code = store_table_for(txn->st, inst->cls, &t, err);
    if (!code)
        code = require_keys(inst, t, err);
    for (size_t f = 0; !code && t && f < t->family_count; f++) {
        const store_table *other = &txn->st->tables[t->family[f]];
        bool found = false;
        code = row_exists(txn, other, inst, &found, err);
        if (!code && found)
            code = already_exists(inst, other, err);
    }
    if (code)
        return code;

    sqlite3_stmt *stmt = NULL;
    code = store_table_stmt(txn, t, STORE_STMT_INSERT, &stmt, err);
    for (size_t i = 0; !code && i < t->cls->property_count; i++)
        code = store_bind_value(stmt, (int)i + 1, &t->cls->properties[i], &inst->values[i], err);
    if (!code) {
        int rc = sqlite3_step(stmt);
        if ((rc & 0xff) == SQLITE_CONSTRAINT)
            code = already_exists(inst, t, err);
        else if (rc != SQLITE_DONE)
            code = step_failed(txn, rc, "insert into", t, err);
    }
    if (stmt)
        store_stmt_done(stmt);
    return code;
}

static smsprov_code bind_update(sqlite3_stmt *stmt, const store_table *t,
                                const cim_instance *inst, smsprov_error *err)
{
    int index = 1;
    for (size_t i = 0; i < t->cls->property_count; i++) {
        if (t->cls->properties[i].flags & CIM_PROP_KEY)
            continue;
        smsprov_code code =
            store_bind_value(stmt, index++, &t->cls->properties[i], &inst->values[i], err);
        if (code)
            return code;
    }
    return store_bind_keys(stmt, index, t, inst, err);
}

static smsprov_code not_found(const cim_instance *keys, const char *what, smsprov_error *err)
{
    char *path = cim_instance_relpath(keys);
    smsprov_code code = smsprov_error_set(err, SMSPROV_E_NOT_FOUND,
                                          "The instance %s does not exist, so it cannot be %s.",
                                          path, what);
    free(path);
    return code;
}

smsprov_code store_sqlite_update(store_txn *txn, const cim_instance *inst, smsprov_error *err)
{
    const store_table *t = NULL;
    smsprov_code code = store_require_write(txn, "Updating an instance", err);
    if (!code)
        code = store_table_for(txn->st, inst->cls, &t, err);
    if (!code)
        code = require_keys(inst, t, err);
    if (code)
        return code;

    sqlite3_stmt *stmt = NULL;
    code = store_table_stmt(txn, t, STORE_STMT_UPDATE, &stmt, err);
    if (code)
        return code;
    code = bind_update(stmt, t, inst, err);
    if (!code) {
        int rc = sqlite3_step(stmt);
        if (rc != SQLITE_DONE)
            code = step_failed(txn, rc, "update", t, err);
        else if (sqlite3_changes(txn->conn->db) == 0)
            code = not_found(inst, "updated", err);
    }
    store_stmt_done(stmt);
    return code;
}

/* The tables a by-key operation on cls visits, with a sentence when the
 * schema does not know cls. */
static smsprov_code subtree_of(store_txn *txn, const cim_class *cls,
                               const store_class_entry **out, smsprov_error *err)
{
    *out = store_find_class(txn->st, cls);
    if (*out)
        return SMSPROV_OK;
    return smsprov_error_set(err, SMSPROV_E_INVALID_CLASS,
                             "Class %s is not part of the schema the store was opened with.",
                             cls && cls->name ? cls->name : "(null)");
}

/* Deletes from one table; *deleted tells whether a row went. */
static smsprov_code delete_from(store_txn *txn, const store_table *t, const cim_instance *keys,
                                bool *deleted, smsprov_error *err)
{
    sqlite3_stmt *stmt = NULL;
    smsprov_code code = store_table_stmt(txn, t, STORE_STMT_DELETE, &stmt, err);
    if (code)
        return code;
    code = store_bind_keys(stmt, 1, t, keys, err);
    if (!code) {
        int rc = sqlite3_step(stmt);
        if (rc != SQLITE_DONE)
            code = step_failed(txn, rc, "delete from", t, err);
        else
            *deleted = sqlite3_changes(txn->conn->db) > 0;
    }
    store_stmt_done(stmt);
    return code;
}

smsprov_code store_sqlite_delete(store_txn *txn, const cim_class *cls, const cim_instance *keys,
                                 smsprov_error *err)
{
    const store_class_entry *e = NULL;
    smsprov_code code = store_require_write(txn, "Deleting an instance", err);
    if (!code)
        code = subtree_of(txn, cls, &e, err);
    bool deleted = false;
    for (size_t s = 0; !code && !deleted && s < e->subtree_count; s++)
        code = delete_from(txn, &txn->st->tables[e->subtree[s]], keys, &deleted, err);
    if (!code && !deleted)
        code = not_found(keys, "deleted", err);
    return code;
}

/* Looks in one table; *out stays NULL when the row is not there. */
static smsprov_code get_from(store_txn *txn, const store_table *t, const cim_instance *keys,
                             cim_instance **out, smsprov_error *err)
{
    sqlite3_stmt *stmt = NULL;
    smsprov_code code = store_table_stmt(txn, t, STORE_STMT_GET, &stmt, err);
    if (code)
        return code;
    code = store_bind_keys(stmt, 1, t, keys, err);
    if (!code) {
        int rc = sqlite3_step(stmt);
        if (rc == SQLITE_ROW)
            code = store_row_to_instance(txn->st, stmt, 1, t, NULL, false, out, err);
        else if (rc != SQLITE_DONE)
            code = step_failed(txn, rc, "read from", t, err);
    }
    store_stmt_done(stmt);
    return code;
}

smsprov_code store_sqlite_get(store_txn *txn, const cim_class *cls, const cim_instance *keys,
                              cim_instance **out, smsprov_error *err)
{
    const store_class_entry *e = NULL;
    smsprov_code code = subtree_of(txn, cls, &e, err);
    cim_instance *found = NULL;
    for (size_t s = 0; !code && !found && s < e->subtree_count; s++)
        code = get_from(txn, &txn->st->tables[e->subtree[s]], keys, &found, err);
    if (code)
        return code;
    if (!found)
        return not_found(keys, "read", err);
    *out = found;
    return SMSPROV_OK;
}
