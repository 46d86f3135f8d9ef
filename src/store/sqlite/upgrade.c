/* upgrade.c - makes the database match the schema: the store's own meta
 * tables, a table per storable class, and a column per property.  It only
 * ever adds (tables, columns); it never drops or rewrites data, so opening
 * an old database with a newer MOF keeps every row. */
#include <stdlib.h>
#include <string.h>

#include "store/sqlite/store_internal.h"

static const char meta_tables_sql[] =
    "CREATE TABLE IF NOT EXISTS smsprov_meta ("
    " name TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS smsprov_classes ("
    " table_name TEXT PRIMARY KEY COLLATE NOCASE,"
    " namespace_path TEXT NOT NULL, class_name TEXT NOT NULL,"
    " key_properties TEXT NOT NULL, properties TEXT NOT NULL,"
    " schema_version INTEGER NOT NULL);"
    "CREATE TABLE IF NOT EXISTS smsprov_counters ("
    " name TEXT PRIMARY KEY, value INTEGER NOT NULL);";

/* A column of a zero-property class, whose table still needs one. */
static const char empty_class_column[] = "__smsprov_empty";

/* Everything a class table's upgrade needs to know about what is there. */
typedef struct existing_table {
    char **columns;
    size_t column_count;
    char **pk_columns; /* in primary key order */
    size_t pk_count;
} existing_table;

static void existing_clear(existing_table *x)
{
    for (size_t i = 0; i < x->column_count; i++)
        free(x->columns[i]);
    for (size_t i = 0; i < x->pk_count; i++)
        free(x->pk_columns[i]);
    free(x->columns);
    free(x->pk_columns);
    memset(x, 0, sizeof *x);
}

static bool has_column(const existing_table *x, const char *name)
{
    for (size_t i = 0; i < x->column_count; i++)
        if (cim_strcasecmp(x->columns[i], name) == 0)
            return true;
    return false;
}

static const char *column_type(const cim_property *prop)
{
    if (prop->is_array || prop->type == CIM_TYPE_OBJECT)
        return "TEXT"; /* JSON */
    if (cim_type_is_real(prop->type))
        return "REAL";
    if (cim_type_is_textual(prop->type))
        return (prop->flags & CIM_PROP_KEY) ? "TEXT COLLATE NOCASE" : "TEXT";
    return "INTEGER"; /* integers, char16, boolean */
}

static void append_column_def(cim_buf *b, const cim_property *prop)
{
    char *q = store_quote_identifier(prop->name);
    cim_buf_printf(b, "%s %s", q, column_type(prop));
    free(q);
}

/* The columns of a table and its primary key; no columns when it does not
 * exist.  The table name is bound, not pasted. */
static smsprov_code read_existing(store *st, sqlite3 *db, const store_table *t,
                                  existing_table *out, smsprov_error *err)
{
    sqlite3_stmt *stmt = NULL;
    int rc = sqlite3_prepare_v2(db, "SELECT name, pk FROM pragma_table_info(?) ORDER BY pk, cid",
                                -1, &stmt, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_text(stmt, 1, t->name, -1, SQLITE_STATIC);
    while (rc == SQLITE_OK || rc == SQLITE_ROW) {
        rc = sqlite3_step(stmt);
        if (rc != SQLITE_ROW)
            break;
        char *name = cim_xstrdup((const char *)sqlite3_column_text(stmt, 0));
        out->columns = cim_xrealloc(out->columns, (out->column_count + 1) * sizeof(char *));
        out->columns[out->column_count++] = name;
        if (sqlite3_column_int(stmt, 1) > 0) {
            out->pk_columns = cim_xrealloc(out->pk_columns, (out->pk_count + 1) * sizeof(char *));
            out->pk_columns[out->pk_count++] = cim_xstrdup(name);
        }
    }
    sqlite3_finalize(stmt);
    if (rc == SQLITE_DONE)
        return SMSPROV_OK;
    char *doing = cim_xasprintf("read the columns of table %s", t->name);
    smsprov_code code = store_sqlite_error(st, db, rc, doing, err);
    free(doing);
    return code;
}

static char *key_list(const store_table *t)
{
    cim_buf b = {0};
    for (size_t k = 0; k < t->key_count; k++) {
        if (k)
            cim_buf_append(&b, ",");
        cim_buf_append(&b, t->cls->properties[t->key_props[k]].name);
    }
    return cim_buf_take(&b);
}

static char *property_list(const cim_class *cls)
{
    cim_buf b = {0};
    for (size_t i = 0; i < cls->property_count; i++) {
        if (i)
            cim_buf_append(&b, ",");
        cim_buf_append(&b, cls->properties[i].name);
    }
    return cim_buf_take(&b);
}

static char *pk_list(const existing_table *x)
{
    cim_buf b = {0};
    for (size_t k = 0; k < x->pk_count; k++) {
        if (k)
            cim_buf_append(&b, ",");
        cim_buf_append(&b, x->pk_columns[k]);
    }
    return cim_buf_take(&b);
}

/* A table's primary key cannot be changed in place, so a class whose keys
 * changed is refused rather than silently stored with the wrong identity. */
static smsprov_code check_keys(store *st, const store_table *t, const existing_table *x,
                               smsprov_error *err)
{
    bool same = x->pk_count == t->key_count;
    for (size_t k = 0; same && k < t->key_count; k++)
        same = cim_strcasecmp(x->pk_columns[k], t->cls->properties[t->key_props[k]].name) == 0;
    if (same)
        return SMSPROV_OK;
    char *was = pk_list(x), *now = key_list(t);
    smsprov_code code = smsprov_error_set(
        err, SMSPROV_E_INVALID_CLASS,
        "The keys of class %s changed from (%s) in the database file %s to (%s) in the MOF; "
        "the store cannot change a table's keys, so restore the old key declaration or move "
        "the database aside.",
        t->cls->name, was, st->path, now);
    free(was);
    free(now);
    return code;
}

static smsprov_code create_table(store *st, sqlite3 *db, const store_table *t,
                                 smsprov_error *err)
{
    cim_buf b = {0};
    cim_buf_printf(&b, "CREATE TABLE %s (", t->quoted);
    for (size_t i = 0; i < t->cls->property_count; i++) {
        if (i)
            cim_buf_append(&b, ", ");
        append_column_def(&b, &t->cls->properties[i]);
    }
    if (t->cls->property_count == 0)
        cim_buf_printf(&b, "\"%s\" INTEGER", empty_class_column);
    if (t->key_count > 0) {
        cim_buf_append(&b, ", PRIMARY KEY (");
        for (size_t k = 0; k < t->key_count; k++) {
            char *q = store_quote_identifier(t->cls->properties[t->key_props[k]].name);
            cim_buf_printf(&b, "%s%s", k ? ", " : "", q);
            free(q);
        }
        cim_buf_append(&b, ")");
    }
    cim_buf_append(&b, ")");
    char *sql = cim_buf_take(&b);
    char *doing = cim_xasprintf("create table %s", t->name);
    smsprov_code code = store_exec(st, db, sql, doing, err);
    free(doing);
    free(sql);
    return code;
}

static smsprov_code add_missing_columns(store *st, sqlite3 *db, const store_table *t,
                                        const existing_table *x, bool *changed,
                                        smsprov_error *err)
{
    for (size_t i = 0; i < t->cls->property_count; i++) {
        const cim_property *prop = &t->cls->properties[i];
        if (has_column(x, prop->name))
            continue;
        cim_buf b = {0};
        cim_buf_printf(&b, "ALTER TABLE %s ADD COLUMN ", t->quoted);
        append_column_def(&b, prop);
        char *sql = cim_buf_take(&b);
        char *doing = cim_xasprintf("add column %s to table %s", prop->name, t->name);
        smsprov_code code = store_exec(st, db, sql, doing, err);
        free(doing);
        free(sql);
        if (code)
            return code;
        *changed = true;
    }
    return SMSPROV_OK;
}

static smsprov_code upgrade_table(store *st, sqlite3 *db, const store_table *t, bool *changed,
                                  smsprov_error *err)
{
    existing_table x = {0};
    smsprov_code code = read_existing(st, db, t, &x, err);
    if (!code && x.column_count == 0) {
        code = create_table(st, db, t, err);
        *changed = true;
    } else if (!code) {
        code = check_keys(st, t, &x, err);
        if (!code)
            code = add_missing_columns(st, db, t, &x, changed, err);
    }
    existing_clear(&x);
    return code;
}

/* ------------------------------------------------------------------------ */
/* Meta tables                                                              */
/* ------------------------------------------------------------------------ */

/* The integer value of a meta entry; fallback when absent. */
static smsprov_code meta_get(store *st, sqlite3 *db, const char *name, int64_t fallback,
                             int64_t *out, smsprov_error *err)
{
    sqlite3_stmt *stmt = NULL;
    int rc = sqlite3_prepare_v2(db, "SELECT CAST(value AS INTEGER) FROM smsprov_meta WHERE name = ?",
                                -1, &stmt, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(stmt);
    *out = rc == SQLITE_ROW ? sqlite3_column_int64(stmt, 0) : fallback;
    sqlite3_finalize(stmt);
    if (rc == SQLITE_ROW || rc == SQLITE_DONE)
        return SMSPROV_OK;
    return store_sqlite_error(st, db, rc, "read the store's meta table", err);
}

static smsprov_code meta_set(store *st, sqlite3 *db, const char *name, int64_t value,
                             smsprov_error *err)
{
    sqlite3_stmt *stmt = NULL;
    int rc = sqlite3_prepare_v2(db,
                                "INSERT INTO smsprov_meta (name, value) VALUES (?, ?) "
                                "ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                                -1, &stmt, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_int64(stmt, 2, value);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(stmt);
    sqlite3_finalize(stmt);
    if (rc == SQLITE_DONE)
        return SMSPROV_OK;
    return store_sqlite_error(st, db, rc, "write the store's meta table", err);
}

static smsprov_code check_format(store *st, sqlite3 *db, smsprov_error *err)
{
    int64_t format = 0;
    smsprov_code code = meta_get(st, db, "format_version", 0, &format, err);
    if (code)
        return code;
    if (format > STORE_FORMAT_VERSION)
        return smsprov_error_set(err, SMSPROV_E_FAILED,
                                 "The database file %s was written by a newer smsprov (store "
                                 "format %lld; this build knows format %d); use that version.",
                                 st->path, (long long)format, STORE_FORMAT_VERSION);
    if (format == STORE_FORMAT_VERSION)
        return SMSPROV_OK;
    return meta_set(st, db, "format_version", STORE_FORMAT_VERSION, err);
}

/* Whether the per-class record already says what it would say now. */
static smsprov_code record_current(store *st, sqlite3 *db, const store_table *t,
                                   const char *keys, const char *props, bool *current,
                                   smsprov_error *err)
{
    sqlite3_stmt *stmt = NULL;
    int rc = sqlite3_prepare_v2(db,
                                "SELECT 1 FROM smsprov_classes WHERE table_name = ? AND "
                                "namespace_path = ? AND class_name = ? AND key_properties = ? "
                                "AND properties = ?",
                                -1, &stmt, NULL);
    const char *values[] = {t->name, t->cls->namespace_path, t->cls->name, keys, props};
    for (int i = 0; rc == SQLITE_OK && i < 5; i++)
        rc = sqlite3_bind_text(stmt, i + 1, values[i] ? values[i] : "", -1, SQLITE_STATIC);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(stmt);
    *current = rc == SQLITE_ROW;
    sqlite3_finalize(stmt);
    if (rc == SQLITE_ROW || rc == SQLITE_DONE)
        return SMSPROV_OK;
    return store_sqlite_error(st, db, rc, "read the store's class records", err);
}

static smsprov_code record_class(store *st, sqlite3 *db, const store_table *t,
                                 int64_t schema_version, bool changed, bool *recorded,
                                 smsprov_error *err)
{
    char *keys = key_list(t), *props = property_list(t->cls);
    bool current = false;
    smsprov_code code = record_current(st, db, t, keys, props, &current, err);
    if (!code && (changed || !current)) {
        sqlite3_stmt *stmt = NULL;
        int rc = sqlite3_prepare_v2(
            db,
            "INSERT OR REPLACE INTO smsprov_classes (table_name, namespace_path, class_name, "
            "key_properties, properties, schema_version) VALUES (?, ?, ?, ?, ?, ?)",
            -1, &stmt, NULL);
        const char *values[] = {t->name, t->cls->namespace_path, t->cls->name, keys, props};
        for (int i = 0; rc == SQLITE_OK && i < 5; i++)
            rc = sqlite3_bind_text(stmt, i + 1, values[i] ? values[i] : "", -1, SQLITE_STATIC);
        if (rc == SQLITE_OK)
            rc = sqlite3_bind_int64(stmt, 6, schema_version);
        if (rc == SQLITE_OK)
            rc = sqlite3_step(stmt);
        sqlite3_finalize(stmt);
        if (rc != SQLITE_DONE)
            code = store_sqlite_error(st, db, rc, "write the store's class records", err);
        *recorded = true;
    }
    free(keys);
    free(props);
    return code;
}

/* Tables first (remembering which changed), then the records, stamped with
 * the schema version this open produced. */
static smsprov_code upgrade_all(store *st, sqlite3 *db, smsprov_error *err)
{
    smsprov_code code = store_exec(st, db, meta_tables_sql, "create the store's meta tables", err);
    if (!code)
        code = check_format(st, db, err);
    int64_t version = 0;
    if (!code)
        code = meta_get(st, db, "schema_version", 0, &version, err);
    bool *changed = cim_xcalloc(st->table_count + 1, sizeof *changed);
    for (size_t i = 0; !code && i < st->table_count; i++)
        code = upgrade_table(st, db, &st->tables[i], &changed[i], err);
    bool any = false;
    for (size_t i = 0; !code && i < st->table_count; i++) {
        bool recorded = false;
        code = record_class(st, db, &st->tables[i], version + 1, changed[i], &recorded, err);
        any = any || recorded;
    }
    if (!code && any)
        code = meta_set(st, db, "schema_version", version + 1, err);
    free(changed);
    return code;
}

smsprov_code store_upgrade_schema(store *st, sqlite3 *db, smsprov_error *err)
{
    smsprov_code code = store_exec(st, db, "BEGIN IMMEDIATE", "begin the schema upgrade", err);
    if (code)
        return code;
    code = upgrade_all(st, db, err);
    if (!code)
        return store_exec(st, db, "COMMIT", "commit the schema upgrade", err);
    sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    return code;
}
