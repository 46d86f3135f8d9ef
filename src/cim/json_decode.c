/* json_decode.c - cim_value_from_json: a JSON tree (json_parse.c) read as a
 * value of a known CIM type, embedded objects resolved through the schema. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cim/json_internal.h"
#include "cim/value_internal.h"

typedef struct decoder {
    const cim_schema *schema;
    const char *namespace_path;
    smsprov_error *err;
    /* OData bodies: "@..." annotations and "__..." system properties are
     * skipped, an embedded object may name its class by "@odata.type" (or
     * not at all: the declared class), and DATETIME may be ISO 8601. */
    bool odata;
} decoder;

static smsprov_code decode_value(decoder *d, const json_node *node, cim_type type, bool is_array,
                                 const char *ref_class, cim_value *out);

static const char *kind_name(json_kind kind)
{
    static const char *const names[] = {"null",   "true/false", "number",
                                        "string", "array",      "object"};
    return names[kind];
}

static smsprov_code wrong_kind(decoder *d, const json_node *node, const char *expected,
                               cim_type type)
{
    return smsprov_error_set(d->err, SMSPROV_E_TYPE_MISMATCH,
                             "Expected a JSON %s for a %s value at offset %zu, found a %s.",
                             expected, cim_type_name(type), node->offset, kind_name(node->kind));
}

/* Numbers and strings go through cim_value_convert, which checks ranges,
 * DATETIME syntax and object paths exactly as for client input. */
static smsprov_code convert_text(decoder *d, const char *text, cim_type type, cim_value *out)
{
    cim_value source = cim_value_string(text);
    smsprov_code code = cim_value_convert(&source, type, false, out, d->err);
    cim_value_clear(&source);
    return code;
}

static bool is_non_finite_name(const char *s)
{
    return strcmp(s, "NaN") == 0 || strcmp(s, "Infinity") == 0 || strcmp(s, "-Infinity") == 0;
}

static const json_node *find_member(const json_node *object, const char *name)
{
    for (size_t i = 0; i < object->count; i++)
        if (strcmp(object->keys[i], name) == 0)
            return &object->items[i];
    return NULL;
}

static smsprov_code resolve_class(decoder *d, const json_node *node, const char *ref_class,
                                  const cim_class **out)
{
    const json_node *name = find_member(node, "__CLASS");
    if (d->odata && (!name || name->kind != JSON_STRING)) {
        const json_node *type = find_member(node, "@odata.type");
        const char *t = type && type->kind == JSON_STRING ? type->text : NULL;
        if (t && strncmp(t, "#AdminService.", 14) == 0)
            t += 14;
        else if (t && *t == '#')
            t++;
        const char *want = t ? t : ref_class;
        const cim_class *cls =
            d->schema && want ? cim_schema_find_class(d->schema, d->namespace_path, want) : NULL;
        if (!cls)
            return smsprov_error_set(d->err, SMSPROV_E_INVALID_CLASS,
                                     "The embedded object at offset %zu names class %s, which "
                                     "does not exist.",
                                     node->offset, want ? want : "(none)");
        if (ref_class && !cim_class_is_a(cls, ref_class))
            return smsprov_error_set(d->err, SMSPROV_E_TYPE_MISMATCH,
                                     "The JSON holds an instance of %s where a %s instance is "
                                     "expected.",
                                     cls->name, ref_class);
        *out = cls;
        return SMSPROV_OK;
    }
    if (!name || name->kind != JSON_STRING)
        return smsprov_error_set(d->err, SMSPROV_E_TYPE_MISMATCH,
                                 "The embedded object at offset %zu of the JSON text has no "
                                 "\"__CLASS\" string naming its class.",
                                 node->offset);
    const cim_class *cls =
        d->schema ? cim_schema_find_class(d->schema, d->namespace_path, name->text) : NULL;
    if (!cls)
        return smsprov_error_set(d->err, SMSPROV_E_INVALID_CLASS,
                                 "The JSON names class %s, which does not exist in namespace %s.",
                                 name->text, d->namespace_path ? d->namespace_path : "(none)");
    if (ref_class && !cim_class_is_a(cls, ref_class))
        return smsprov_error_set(d->err, SMSPROV_E_TYPE_MISMATCH,
                                 "The JSON holds an instance of %s where a %s instance (or one "
                                 "derived from it) is expected.",
                                 cls->name, ref_class);
    *out = cls;
    return SMSPROV_OK;
}

static smsprov_code decode_member(decoder *d, cim_instance *inst, bool *seen, const char *name,
                                  const json_node *value)
{
    const cim_class *cls = inst->cls;
    ptrdiff_t at = cim_class_property_index(cls, name);
    if (at < 0)
        return smsprov_error_set(d->err, SMSPROV_E_TYPE_MISMATCH,
                                 "The JSON gives property %s, which class %s does not have.", name,
                                 cls->name);
    if (seen[at])
        return smsprov_error_set(d->err, SMSPROV_E_TYPE_MISMATCH,
                                 "The JSON gives property %s of class %s twice.", name, cls->name);
    seen[at] = true;
    const cim_property *prop = &cls->properties[at];
    smsprov_error why = {0};
    decoder inner = {d->schema, d->namespace_path, &why, d->odata};
    smsprov_code code =
        decode_value(&inner, value, prop->type, prop->is_array, prop->ref_class, &inst->values[at]);
    if (code)
        smsprov_error_set(d->err, code, "Property %s of %s: %s", prop->name, cls->name,
                          why.description);
    smsprov_error_clear(&why);
    return code;
}

static bool skipped_member(const decoder *d, const char *name)
{
    return d->odata && (name[0] == '@' || strncmp(name, "__", 2) == 0);
}

/* "2024-08-30T20:55:06Z" (fraction and offset optional) as a DMTF
 * timestamp; false when text is not that form. */
static bool iso_to_dmtf(const char *text, char out[64])
{
    int y, mo, da, h, mi, se, n = 0;
    if (sscanf(text, "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &da, &h, &mi, &se, &n) != 6 || n != 19)
        return false;
    const char *p = text + 19;
    long us = 0;
    if (*p == '.') {
        long scale = 100000;
        for (p++; *p >= '0' && *p <= '9'; p++, scale /= 10)
            if (scale)
                us += (*p - '0') * scale;
    }
    int offset = 0;
    if (*p == '+' || *p == '-') {
        int oh, om;
        if (sscanf(p + 1, "%2d:%2d", &oh, &om) != 2 || strlen(p) != 6)
            return false;
        offset = (*p == '-' ? -1 : 1) * (oh * 60 + om);
    } else if (strcmp(p, "Z") != 0) {
        return false;
    }
    if (y < 0 || y > 9999 || mo < 0 || mo > 99 || da < 0 || da > 99 || h < 0 || h > 99 ||
        mi < 0 || mi > 99 || se < 0 || se > 99 || offset < -999 || offset > 999)
        return false;
    snprintf(out, 64, "%04d%02d%02d%02d%02d%02d.%06ld%c%03d", y, mo, da, h, mi, se, us,
             offset < 0 ? '-' : '+', offset < 0 ? -offset : offset);
    return true;
}

static smsprov_code decode_object(decoder *d, const json_node *node, const char *ref_class,
                                  cim_value *out)
{
    const cim_class *cls = NULL;
    smsprov_code code = resolve_class(d, node, ref_class, &cls);
    if (code)
        return code;
    cim_instance *inst = cim_instance_new(cls);
    bool *seen = cim_xcalloc(cls->property_count, sizeof *seen);
    for (size_t i = 0; i < node->count && !code; i++)
        if (strcmp(node->keys[i], "__CLASS") != 0 && !skipped_member(d, node->keys[i]))
            code = decode_member(d, inst, seen, node->keys[i], &node->items[i]);
    free(seen);
    if (code) {
        cim_instance_free(inst);
        return code;
    }
    *out = cim_value_object(inst);
    return SMSPROV_OK;
}

static smsprov_code decode_scalar(decoder *d, const json_node *node, cim_type type,
                                  const char *ref_class, cim_value *out)
{
    if (node->kind == JSON_NULL) {
        *out = cim_value_null(type, false);
        return SMSPROV_OK;
    }
    if (cim_type_is_integer(type)) {
        if (node->kind != JSON_NUMBER)
            return wrong_kind(d, node, "number", type);
        return convert_text(d, node->text, type, out);
    }
    switch (type) {
    case CIM_TYPE_REAL32:
    case CIM_TYPE_REAL64:
        if (node->kind == JSON_NUMBER ||
            (node->kind == JSON_STRING && is_non_finite_name(node->text)))
            return convert_text(d, node->text, type, out);
        return wrong_kind(d, node, "number (or \"NaN\", \"Infinity\", \"-Infinity\")", type);
    case CIM_TYPE_BOOLEAN:
        if (node->kind != JSON_BOOL)
            return wrong_kind(d, node, "true or false", type);
        *out = cim_value_bool(node->boolean);
        return SMSPROV_OK;
    case CIM_TYPE_STRING:
    case CIM_TYPE_DATETIME:
    case CIM_TYPE_REFERENCE:
        if (node->kind != JSON_STRING)
            return wrong_kind(d, node, "string", type);
        if (d->odata && type == CIM_TYPE_DATETIME) {
            char dmtf[64];
            if (iso_to_dmtf(node->text, dmtf))
                return convert_text(d, dmtf, type, out);
        }
        return convert_text(d, node->text, type, out);
    case CIM_TYPE_CHAR16: {
        /* Written as the UTF-16 unit's number, which a lone surrogate needs. */
        if (node->kind != JSON_NUMBER)
            return wrong_kind(d, node, "number", type);
        smsprov_code code = convert_text(d, node->text, CIM_TYPE_UINT16, out);
        if (code == SMSPROV_OK)
            out->type = CIM_TYPE_CHAR16;
        return code;
    }
    case CIM_TYPE_OBJECT:
        if (node->kind != JSON_OBJECT)
            return wrong_kind(d, node, "object", type);
        return decode_object(d, node, ref_class, out);
    default:
        return smsprov_error_set(d->err, SMSPROV_E_TYPE_MISMATCH,
                                 "JSON cannot be read as a value of type %s.", cim_type_name(type));
    }
}

static smsprov_code decode_array(decoder *d, const json_node *node, cim_type type,
                                 const char *ref_class, cim_value *out)
{
    if (node->kind != JSON_ARRAY)
        return smsprov_error_set(d->err, SMSPROV_E_TYPE_MISMATCH,
                                 "Expected a JSON array for a %s array at offset %zu, found a %s.",
                                 cim_type_name(type), node->offset, kind_name(node->kind));
    cim_value result = cim_value_array(type);
    if (node->count)
        result.u.array.items = cim_xcalloc(node->count, sizeof(cim_value));
    for (size_t i = 0; i < node->count; i++) {
        const json_node *item = &node->items[i];
        smsprov_code code;
        if (item->kind == JSON_NULL && type != CIM_TYPE_OBJECT)
            code = smsprov_error_set(d->err, SMSPROV_E_TYPE_MISMATCH,
                                     "Item %zu of the %s array at offset %zu is null; only arrays "
                                     "of embedded objects may hold nulls.",
                                     i, cim_type_name(type), item->offset);
        else
            code = decode_scalar(d, item, type, ref_class, &result.u.array.items[i]);
        if (code) {
            cim_value_clear(&result);
            return code;
        }
        result.u.array.count++;
    }
    *out = result;
    return SMSPROV_OK;
}

static smsprov_code decode_value(decoder *d, const json_node *node, cim_type type, bool is_array,
                                 const char *ref_class, cim_value *out)
{
    if (node->kind == JSON_NULL) {
        *out = cim_value_null(type, is_array);
        return SMSPROV_OK;
    }
    if (is_array)
        return decode_array(d, node, type, ref_class, out);
    if (node->kind == JSON_ARRAY)
        return smsprov_error_set(d->err, SMSPROV_E_TYPE_MISMATCH,
                                 "Expected a single %s value at offset %zu, found an array.",
                                 cim_type_name(type), node->offset);
    return decode_scalar(d, node, type, ref_class, out);
}

smsprov_code cim_value_from_json(const char *json, cim_type type, bool is_array,
                                 const char *ref_class, const cim_schema *schema,
                                 const char *namespace_path, cim_value *out, smsprov_error *err)
{
    json_node root;
    char *why = NULL;
    if (!json_parse(json, &root, &why)) {
        smsprov_error_set(err, SMSPROV_E_TYPE_MISMATCH, "The JSON text is not valid: %s", why);
        free(why);
        return SMSPROV_E_TYPE_MISMATCH;
    }
    decoder d = {schema, namespace_path, err, false};
    cim_value value;
    smsprov_code code = decode_value(&d, &root, type, is_array, ref_class, &value);
    json_node_clear(&root);
    if (code)
        return code;
    *out = value;
    return SMSPROV_OK;
}

smsprov_code cim_instance_from_odata_json(const char *json, const cim_class *cls,
                                         const cim_schema *schema, const char *namespace_path,
                                         cim_instance **out, char ***given, smsprov_error *err)
{
    json_node root;
    char *why = NULL;
    if (!json_parse(json, &root, &why)) {
        smsprov_error_set(err, SMSPROV_E_TYPE_MISMATCH, "The JSON text is not valid: %s", why);
        free(why);
        return SMSPROV_E_TYPE_MISMATCH;
    }
    smsprov_code code = SMSPROV_OK;
    if (root.kind != JSON_OBJECT)
        code = smsprov_error_set(err, SMSPROV_E_TYPE_MISMATCH,
                                 "The body must be a JSON object, not a %s.", kind_name(root.kind));
    decoder d = {schema, namespace_path, err, true};
    cim_instance *inst = cim_instance_new(cls);
    bool *seen = cim_xcalloc(cls->property_count ? cls->property_count : 1, sizeof *seen);
    for (size_t i = 0; i < root.count && !code; i++)
        if (!skipped_member(&d, root.keys[i]))
            code = decode_member(&d, inst, seen, root.keys[i], &root.items[i]);
    if (!code && given) {
        size_t n = 0;
        *given = cim_xcalloc(cls->property_count + 1, sizeof **given);
        for (size_t i = 0; i < cls->property_count; i++)
            if (seen[i])
                (*given)[n++] = cim_xstrdup(cls->properties[i].name);
    }
    free(seen);
    json_node_clear(&root);
    if (code) {
        cim_instance_free(inst);
        return code;
    }
    *out = inst;
    return SMSPROV_OK;
}
