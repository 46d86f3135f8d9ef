/* entity_layout.c - an entity as the real service writes it: @odata.etag
 * (the key values joined with ';'), __LAZYPROPERTIES,
 * __QUALIFIER_SECURITYVERBS, the primitive properties in case-insensitive
 * alphabetical order, the ten WMI system properties, then the embedded-
 * object properties (ODataLib writes nested resources last).  What does
 * not change from one instance of a class to the next is written once into
 * the layout, so an entity set of 10,000 costs little more than its
 * values. */
#include "adminservice/json.h"

#include <stdlib.h>
#include <string.h>

struct as_layout {
    const cim_class *cls;
    size_t *order;    /* primitive properties, alphabetical */
    size_t order_count;
    size_t *complex;  /* embedded-object properties, alphabetical */
    size_t complex_count;
    size_t *keys;     /* key properties, alphabetical (the __RELPATH order) */
    size_t key_count;
    cim_buf head;     /* "__LAZYPROPERTIES":[…],"__QUALIFIER_SECURITYVERBS": */
    cim_buf system;   /* ,"__GENUS":2,…,"__DYNASTY":"…","__RELPATH": */
    cim_buf tail;     /* ,"__PROPERTY_COUNT":…,"__NAMESPACE":"…","__PATH":" and the
                       * server and namespace of __PATH, escaped */
    cim_buf *members; /* per property: ,"Name": */
    cim_buf tag;      /* the etag being written */
};

/* The class's property indices for which keep() holds, sorted by name in
 * any case (an insertion sort: qsort has no context argument, and a class
 * has tens of properties). */
static size_t *sorted(const cim_class *cls, bool (*keep)(const cim_property *), size_t *count)
{
    size_t *out = cim_xcalloc(cls->property_count + 1, sizeof *out);
    size_t n = 0;
    for (size_t i = 0; i < cls->property_count; i++) {
        if (!keep(&cls->properties[i]))
            continue;
        size_t j = n++;
        while (j && cim_strcasecmp(cls->properties[out[j - 1]].name, cls->properties[i].name) > 0) {
            out[j] = out[j - 1];
            j--;
        }
        out[j] = i;
    }
    *count = n;
    return out;
}

static bool is_complex(const cim_property *p) { return p->type == CIM_TYPE_OBJECT; }
static bool is_primitive(const cim_property *p) { return p->type != CIM_TYPE_OBJECT; }
static bool is_key(const cim_property *p) { return (p->flags & CIM_PROP_KEY) != 0; }
static bool is_lazy(const cim_property *p) { return (p->flags & CIM_PROP_LAZY) != 0; }
static bool any(const cim_property *p) { (void)p; return true; }

size_t *adminservice_sorted_properties(const cim_class *cls, size_t *count)
{
    return sorted(cls, any, count);
}

static const cim_class *root_of(const cim_class *cls)
{
    while (cls->superclass)
        cls = cls->superclass;
    return cls;
}

static void name_or_null(cim_buf *b, const cim_class *cls)
{
    if (cls)
        adminservice_json_string(b, cls->name);
    else
        cim_buf_append(b, "null");
}

as_layout *adminservice_layout_new(const cim_class *cls, const char *server, const char *ns)
{
    as_layout *l = cim_xcalloc(1, sizeof *l);
    l->cls = cls;
    l->order = sorted(cls, is_primitive, &l->order_count);
    l->complex = sorted(cls, is_complex, &l->complex_count);
    l->keys = sorted(cls, is_key, &l->key_count);
    size_t lazy_count = 0;
    size_t *lazy = sorted(cls, is_lazy, &lazy_count);
    l->members = cim_xcalloc(cls->property_count + 1, sizeof *l->members);
    for (size_t i = 0; i < cls->property_count; i++)
        cim_buf_printf(&l->members[i], ",\"%s\":", cls->properties[i].name);
    cim_buf *b = &l->head;
    cim_buf_append(b, "\"__LAZYPROPERTIES\":[\"__QUALIFIER_SECURITYVERBS\"");
    for (size_t i = 0; i < lazy_count; i++)
        cim_buf_printf(b, ",\"%s\"", cls->properties[lazy[i]].name);
    cim_buf_append(b, "],\"__QUALIFIER_SECURITYVERBS\":");
    free(lazy);

    b = &l->system;
    cim_buf_append(b, ",\"__GENUS\":2,\"__CLASS\":");
    adminservice_json_string(b, cls->name);
    cim_buf_append(b, ",\"__SUPERCLASS\":");
    name_or_null(b, cls->superclass);
    cim_buf_append(b, ",\"__DYNASTY\":");
    name_or_null(b, root_of(cls));
    cim_buf_append(b, ",\"__RELPATH\":");

    b = &l->tail;
    cim_buf_printf(b, ",\"__PROPERTY_COUNT\":%zu,\"__DERIVATION\":[", cls->property_count);
    for (const cim_class *up = cls->superclass; up; up = up->superclass) {
        if (up != cls->superclass)
            cim_buf_append(b, ",");
        adminservice_json_string(b, up->name);
    }
    cim_buf_append(b, "],\"__SERVER\":");
    adminservice_json_string(b, server);
    cim_buf_append(b, ",\"__NAMESPACE\":");
    adminservice_json_string(b, ns);
    cim_buf_append(b, ",\"__PATH\":\"");
    char *prefix = cim_xasprintf("\\\\%s\\%s:", server, ns);
    adminservice_json_chars(b, prefix);
    free(prefix);
    return l;
}

void adminservice_layout_free(as_layout *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->cls->property_count; i++)
        cim_buf_clear(&l->members[i]);
    free(l->members);
    free(l->order);
    free(l->complex);
    free(l->keys);
    cim_buf_clear(&l->head);
    cim_buf_clear(&l->system);
    cim_buf_clear(&l->tail);
    cim_buf_clear(&l->tag);
    free(l);
}

const cim_class *adminservice_layout_class(const as_layout *l)
{
    return l->cls;
}

/* One key value in the etag: the raw text, or the number. */
static void etag_value(cim_buf *b, const cim_value *v)
{
    if (v->is_null || v->is_array)
        return;
    if (v->type == CIM_TYPE_STRING || v->type == CIM_TYPE_REFERENCE ||
        v->type == CIM_TYPE_DATETIME)
        cim_buf_append(b, v->u.string);
    else if (cim_type_is_signed(v->type))
        cim_buf_printf(b, "%lld", (long long)v->u.sint);
    else if (cim_type_is_unsigned(v->type))
        cim_buf_printf(b, "%llu", (unsigned long long)v->u.uint);
    else if (v->type == CIM_TYPE_BOOLEAN)
        cim_buf_append(b, v->u.boolean ? "true" : "false");
}

static char *relpath(const as_layout *l, const cim_instance *inst)
{
    cim_object_path path;
    memset(&path, 0, sizeof path);
    path.class_name = l->cls->name;
    path.keys = cim_xcalloc(l->key_count + 1, sizeof *path.keys);
    for (size_t i = 0; i < l->key_count; i++) { /* borrowed names and values */
        path.keys[i].name = l->cls->properties[l->keys[i]].name;
        path.keys[i].value = inst->values[l->keys[i]];
    }
    path.key_count = l->key_count;
    path.singleton = l->key_count == 0;
    char *text = cim_object_path_format(&path, false);
    free(path.keys);
    return text;
}

static void append(cim_buf *b, const cim_buf *part)
{
    cim_buf_append_n(b, part->data, part->len);
}

static void member(cim_buf *b, const as_layout *l, size_t i, const cim_instance *inst)
{
    append(b, &l->members[i]);
    adminservice_json_value(b, &inst->values[i]);
}

void adminservice_json_full_entity(cim_buf *b, as_layout *l, const cim_instance *inst,
                                   bool security_verbs)
{
    l->tag.len = 0;
    cim_buf_append_n(&l->tag, "", 0);
    for (size_t i = 0; i < l->key_count; i++) {
        if (i)
            cim_buf_append_n(&l->tag, ";", 1);
        etag_value(&l->tag, &inst->values[l->keys[i]]);
    }
    cim_buf_append_n(b, "{\"@odata.etag\":", 15);
    adminservice_json_string(b, l->tag.data ? l->tag.data : "");
    cim_buf_append_n(b, ",", 1);
    append(b, &l->head);
    cim_buf_append(b, security_verbs ? "-1" : "null");
    for (size_t i = 0; i < l->order_count; i++)
        member(b, l, l->order[i], inst);
    char *rel = relpath(l, inst);
    append(b, &l->system);
    adminservice_json_string(b, rel);
    append(b, &l->tail);
    adminservice_json_chars(b, rel);
    cim_buf_append_n(b, "\"", 1);
    free(rel);
    for (size_t i = 0; i < l->complex_count; i++)
        member(b, l, l->complex[i], inst);
    cim_buf_append_n(b, "}", 1);
}
