/* layout.c - the tables the schema implies: which classes are stored, under
 * which table names, which tables share a key space, which tables a deep
 * operation on a class visits, and the SQL text of each table's statements.
 * Everything here is computed once, at store_open. */
#include <stdlib.h>
#include <string.h>

#include "store/sqlite/store_internal.h"

bool store_class_is_storable(const cim_class *cls)
{
    if (!cls || !cls->name)
        return false;
    unsigned not_stored =
        CIM_CLASS_ABSTRACT | CIM_CLASS_EMBEDDED | CIM_CLASS_SYSTEM | CIM_CLASS_PARAMETERS;
    if (cls->flags & not_stored)
        return false;
    return strncmp(cls->name, "__", 2) != 0;
}

char *store_quote_identifier(const char *name)
{
    cim_buf b = {0};
    cim_buf_append(&b, "\"");
    for (const char *p = name; *p; p++) {
        if (*p == '"')
            cim_buf_append(&b, "\"");
        cim_buf_append_n(&b, p, 1);
    }
    cim_buf_append(&b, "\"");
    return cim_buf_take(&b);
}

char *store_column_name(const char *property_name)
{
    return store_quote_identifier(property_name);
}

/* "root\sms\site_LAB" + "SMS_Package" -> "root_sms_site_LAB.SMS_Package". */
static char *table_name_for(const char *namespace_path, const char *class_name)
{
    char *name = cim_xasprintf("%s.%s", namespace_path, class_name);
    for (char *p = name; *p && *p != '.'; p++)
        if (*p == '\\' || *p == '/')
            *p = '_';
    return name;
}

/* The class that declares the keys cls has: classes below it share one key
 * space.  A class without keys is a singleton and stands alone. */
static const cim_class *family_root(const cim_class *cls)
{
    const cim_class *root = cls;
    if (cls->key_count == 0)
        return cls;
    while (root->superclass && root->superclass->key_count == cls->key_count)
        root = root->superclass;
    return root;
}

static bool derives_from(const cim_class *cls, const cim_class *ancestor)
{
    for (const cim_class *c = cls; c; c = c->superclass)
        if (c == ancestor)
            return true;
    return false;
}

/* ------------------------------------------------------------------------ */
/* SQL text of the per-table statements                                     */
/* ------------------------------------------------------------------------ */

static void append_column(cim_buf *b, const char *property_name)
{
    char *q = store_quote_identifier(property_name);
    cim_buf_append(b, q);
    free(q);
}

static void append_key_condition(cim_buf *b, const store_table *t)
{
    if (t->key_count == 0)
        return;
    cim_buf_append(b, " WHERE ");
    for (size_t k = 0; k < t->key_count; k++) {
        if (k)
            cim_buf_append(b, " AND ");
        append_column(b, t->cls->properties[t->key_props[k]].name);
        cim_buf_append(b, " = ?");
    }
}

static bool is_key(const store_table *t, size_t prop)
{
    for (size_t k = 0; k < t->key_count; k++)
        if (t->key_props[k] == prop)
            return true;
    return false;
}

static char *insert_sql(const store_table *t)
{
    const cim_class *cls = t->cls;
    cim_buf b = {0};
    if (cls->property_count == 0) {
        cim_buf_printf(&b, "INSERT INTO %s DEFAULT VALUES", t->quoted);
        return cim_buf_take(&b);
    }
    cim_buf_printf(&b, "INSERT INTO %s (", t->quoted);
    for (size_t i = 0; i < cls->property_count; i++) {
        if (i)
            cim_buf_append(&b, ", ");
        append_column(&b, cls->properties[i].name);
    }
    cim_buf_append(&b, ") VALUES (");
    for (size_t i = 0; i < cls->property_count; i++)
        cim_buf_append(&b, i ? ", ?" : "?");
    cim_buf_append(&b, ")");
    return cim_buf_take(&b);
}

/* Sets every non-key column, then the keys in the WHERE clause.  A class
 * with nothing but keys still "updates" its row so changes() finds it. */
static char *update_sql(const store_table *t)
{
    const cim_class *cls = t->cls;
    cim_buf b = {0};
    cim_buf_printf(&b, "UPDATE %s SET ", t->quoted);
    bool any = false;
    for (size_t i = 0; i < cls->property_count; i++) {
        if (is_key(t, i))
            continue;
        if (any)
            cim_buf_append(&b, ", ");
        append_column(&b, cls->properties[i].name);
        cim_buf_append(&b, " = ?");
        any = true;
    }
    if (!any)
        cim_buf_append(&b, "rowid = rowid");
    append_key_condition(&b, t);
    return cim_buf_take(&b);
}

static char *delete_sql(const store_table *t)
{
    cim_buf b = {0};
    cim_buf_printf(&b, "DELETE FROM %s", t->quoted);
    append_key_condition(&b, t);
    return cim_buf_take(&b);
}

/* Column 0 is the table's index, as in every row-reading statement. */
static char *get_sql(const store_table *t, size_t table_index)
{
    const cim_class *cls = t->cls;
    cim_buf b = {0};
    cim_buf_printf(&b, "SELECT %zu", table_index);
    for (size_t i = 0; i < cls->property_count; i++) {
        cim_buf_append(&b, ", ");
        append_column(&b, cls->properties[i].name);
    }
    cim_buf_printf(&b, " FROM %s", t->quoted);
    append_key_condition(&b, t);
    cim_buf_append(&b, " LIMIT 1");
    return cim_buf_take(&b);
}

static char *exists_sql(const store_table *t)
{
    cim_buf b = {0};
    cim_buf_printf(&b, "SELECT 1 FROM %s", t->quoted);
    append_key_condition(&b, t);
    cim_buf_append(&b, " LIMIT 1");
    return cim_buf_take(&b);
}

/* ------------------------------------------------------------------------ */
/* Tables                                                                   */
/* ------------------------------------------------------------------------ */

static void add_table(store *st, const cim_class *cls, const char *namespace_path)
{
    st->tables = cim_xrealloc(st->tables, (st->table_count + 1) * sizeof *st->tables);
    store_table *t = &st->tables[st->table_count];
    memset(t, 0, sizeof *t);
    t->cls = cls;
    t->name = table_name_for(namespace_path, cls->name);
    t->quoted = store_quote_identifier(t->name);
    t->key_props = cim_xcalloc(cls->property_count, sizeof *t->key_props);
    for (size_t i = 0; i < cls->property_count; i++)
        if (cls->properties[i].flags & CIM_PROP_KEY)
            t->key_props[t->key_count++] = i;
    st->table_count++;
}

static smsprov_code check_unique_names(const store *st, smsprov_error *err)
{
    for (size_t i = 0; i < st->table_count; i++)
        for (size_t j = i + 1; j < st->table_count; j++)
            if (cim_strcasecmp(st->tables[i].name, st->tables[j].name) == 0)
                return smsprov_error_set(
                    err, SMSPROV_E_INVALID_CLASS,
                    "Classes %s (namespace %s) and %s (namespace %s) would both be stored in "
                    "table %s; rename one of the classes or namespaces.",
                    st->tables[i].cls->name, st->tables[i].cls->namespace_path,
                    st->tables[j].cls->name, st->tables[j].cls->namespace_path,
                    st->tables[i].name);
    return SMSPROV_OK;
}

static void link_families(store *st)
{
    for (size_t i = 0; i < st->table_count; i++) {
        store_table *t = &st->tables[i];
        const cim_class *root = family_root(t->cls);
        t->family = cim_xcalloc(st->table_count, sizeof *t->family);
        for (size_t j = 0; j < st->table_count; j++)
            if (j == i || (t->cls->key_count > 0 && family_root(st->tables[j].cls) == root))
                t->family[t->family_count++] = j;
    }
}

static void build_table_sql(store *st)
{
    for (size_t i = 0; i < st->table_count; i++) {
        store_table *t = &st->tables[i];
        t->sql[STORE_STMT_INSERT] = insert_sql(t);
        t->sql[STORE_STMT_UPDATE] = update_sql(t);
        t->sql[STORE_STMT_DELETE] = delete_sql(t);
        t->sql[STORE_STMT_GET] = get_sql(t, i);
        t->sql[STORE_STMT_EXISTS] = exists_sql(t);
    }
}

/* ------------------------------------------------------------------------ */
/* Class entries                                                            */
/* ------------------------------------------------------------------------ */

static ptrdiff_t find_column(char **columns, size_t count, const char *name)
{
    for (size_t c = 0; c < count; c++)
        if (cim_strcasecmp(columns[c], name) == 0)
            return (ptrdiff_t)c;
    return -1;
}

static void add_union_column(store_union *u, const char *name)
{
    if (find_column(u->columns, u->column_count, name) >= 0)
        return;
    u->columns = cim_xrealloc(u->columns, (u->column_count + 1) * sizeof *u->columns);
    u->columns[u->column_count++] = cim_xstrdup(name);
}

/* The queried class's properties first, then what each subclass adds. */
static store_union *build_union(const store *st, const store_class_entry *e)
{
    store_union *u = cim_xcalloc(1, sizeof *u);
    for (size_t p = 0; p < e->cls->property_count; p++)
        add_union_column(u, e->cls->properties[p].name);
    for (size_t s = 0; s < e->subtree_count; s++) {
        const cim_class *cls = st->tables[e->subtree[s]].cls;
        for (size_t p = 0; p < cls->property_count; p++)
            add_union_column(u, cls->properties[p].name);
    }
    u->column_of = cim_xcalloc(e->subtree_count, sizeof *u->column_of);
    u->property_at = cim_xcalloc(e->subtree_count, sizeof *u->property_at);
    for (size_t s = 0; s < e->subtree_count; s++) {
        const cim_class *cls = st->tables[e->subtree[s]].cls;
        u->column_of[s] = cim_xcalloc(cls->property_count, sizeof **u->column_of);
        u->property_at[s] = cim_xcalloc(u->column_count, sizeof **u->property_at);
        for (size_t c = 0; c < u->column_count; c++)
            u->property_at[s][c] = -1;
        for (size_t p = 0; p < cls->property_count; p++) {
            size_t c = (size_t)find_column(u->columns, u->column_count, cls->properties[p].name);
            u->column_of[s][p] = c;
            u->property_at[s][c] = (ptrdiff_t)p;
        }
    }
    return u;
}

static void free_union(store_union *u, size_t subtree_count)
{
    if (!u)
        return;
    for (size_t c = 0; c < u->column_count; c++)
        free(u->columns[c]);
    free(u->columns);
    for (size_t s = 0; s < subtree_count; s++) {
        free(u->column_of[s]);
        free(u->property_at[s]);
    }
    free(u->column_of);
    free(u->property_at);
    free(u);
}

static void add_class_entry(store *st, const cim_class *cls)
{
    st->classes = cim_xrealloc(st->classes, (st->class_count + 1) * sizeof *st->classes);
    store_class_entry *e = &st->classes[st->class_count++];
    memset(e, 0, sizeof *e);
    e->cls = cls;
    e->table = -1;
    e->subtree = cim_xcalloc(st->table_count, sizeof *e->subtree);
    for (size_t i = 0; i < st->table_count; i++)
        if (st->tables[i].cls == cls) {
            e->table = (ptrdiff_t)i;
            e->subtree[e->subtree_count++] = i;
        }
    for (size_t i = 0; i < st->table_count; i++)
        if (st->tables[i].cls != cls && derives_from(st->tables[i].cls, cls))
            e->subtree[e->subtree_count++] = i;
    if (e->subtree_count > 1)
        e->layout = build_union(st, e);
}

static size_t pointer_hash(const void *p)
{
    uint64_t h = (uint64_t)(uintptr_t)p;
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    return (size_t)h;
}

static void index_classes(store *st)
{
    size_t size = 16;
    while (size < st->class_count * 2)
        size *= 2;
    st->class_index = cim_xcalloc(size, sizeof *st->class_index);
    st->class_index_size = size;
    for (size_t i = 0; i < st->class_count; i++) {
        size_t slot = pointer_hash(st->classes[i].cls) & (size - 1);
        while (st->class_index[slot])
            slot = (slot + 1) & (size - 1);
        st->class_index[slot] = i + 1;
    }
}

static const store_class_entry *lookup_pointer(const store *st, const cim_class *cls)
{
    size_t mask = st->class_index_size - 1;
    for (size_t slot = pointer_hash(cls) & mask; st->class_index[slot]; slot = (slot + 1) & mask) {
        const store_class_entry *e = &st->classes[st->class_index[slot] - 1];
        if (e->cls == cls)
            return e;
    }
    return NULL;
}

const store_class_entry *store_find_class(const store *st, const cim_class *cls)
{
    if (!cls)
        return NULL;
    const store_class_entry *e = lookup_pointer(st, cls);
    if (e || !cls->namespace_path || !cls->name)
        return e;
    /* A copy of a schema class (not the schema's own object). */
    const cim_class *known = cim_schema_find_class(st->schema, cls->namespace_path, cls->name);
    return known ? lookup_pointer(st, known) : NULL;
}

smsprov_code store_table_for(const store *st, const cim_class *cls, const store_table **out,
                             smsprov_error *err)
{
    const store_class_entry *e = store_find_class(st, cls);
    if (!e)
        return smsprov_error_set(err, SMSPROV_E_INVALID_CLASS,
                                 "Class %s is not part of the schema the store was opened with.",
                                 cls && cls->name ? cls->name : "(null)");
    if (e->table < 0)
        return smsprov_error_set(err, SMSPROV_E_INVALID_CLASS,
                                 "Class %s is abstract, embedded or a system class, so its "
                                 "instances are not stored; use a concrete class.",
                                 cls->name);
    *out = &st->tables[e->table];
    return SMSPROV_OK;
}

smsprov_code store_layout_build(store *st, smsprov_error *err)
{
    size_t ns_count = cim_schema_namespace_count(st->schema);
    for (size_t n = 0; n < ns_count; n++) {
        const char *ns = cim_schema_namespace_at(st->schema, n);
        size_t count = 0;
        const cim_class **classes = cim_schema_list_classes(st->schema, ns, NULL, true, &count);
        for (size_t i = 0; i < count; i++)
            if (store_class_is_storable(classes[i]))
                add_table(st, classes[i], ns);
        free(classes);
    }
    smsprov_code rc = check_unique_names(st, err);
    if (rc)
        return rc;
    link_families(st);
    build_table_sql(st);
    for (size_t n = 0; n < ns_count; n++) {
        size_t count = 0;
        const cim_class **classes = cim_schema_list_classes(
            st->schema, cim_schema_namespace_at(st->schema, n), NULL, true, &count);
        for (size_t i = 0; i < count; i++)
            add_class_entry(st, classes[i]);
        free(classes);
    }
    index_classes(st);
    return SMSPROV_OK;
}

void store_layout_free(store *st)
{
    for (size_t i = 0; i < st->table_count; i++) {
        store_table *t = &st->tables[i];
        free(t->name);
        free(t->quoted);
        free(t->key_props);
        free(t->family);
        for (int k = 0; k < STORE_STMT_KIND_COUNT; k++)
            free(t->sql[k]);
    }
    free(st->tables);
    for (size_t i = 0; i < st->class_count; i++) {
        free_union(st->classes[i].layout, st->classes[i].subtree_count);
        free(st->classes[i].subtree);
    }
    free(st->classes);
    free(st->class_index);
    st->tables = NULL;
    st->classes = NULL;
    st->class_index = NULL;
    st->table_count = st->class_count = st->class_index_size = 0;
}
