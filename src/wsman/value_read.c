/* value_read.c - WS-Management XML into CIM values, typed by the schema:
 * the client's xsi:type is only a hint (the MI client types a uint32 key as
 * cimString, see spec §2.9). */
#include <stdlib.h>
#include <string.h>

#include "wsman/datetime.h"
#include "wsman/values.h"
#include "wsman/wsman_ns.h"
#include "wsman/xml_util.h"

static bool is_nil(const xmlNode *node)
{
    return wx_attr_true(node, NS_XSI, "nil");
}

static bool read_fail(const wsman_read_context *ctx, const char *property, const char *why)
{
    wsman_fault_set(ctx->fault, WSMAN_FAULT_SCHEMA_VALIDATION, NULL,
                    "The value of %s is not valid: %s", property, why);
    return false;
}

/* "p1:SMS_Driver_Details_Type" -> "SMS_Driver_Details" */
static char *class_from_xsi_type(const xmlNode *node)
{
    char *type = wx_attr(node, NS_XSI, "type");
    if (!type)
        return NULL;
    const char *colon = strrchr(type, ':');
    char *name = cim_xstrdup(colon ? colon + 1 : type);
    size_t n = strlen(name);
    if (n > 5 && strcmp(name + n - 5, "_Type") == 0)
        name[n - 5] = '\0';
    free(type);
    return name;
}

static bool read_object(const wsman_read_context *ctx, const xmlNode *node,
                        const cim_property *p, cim_value *out)
{
    char *sent = class_from_xsi_type(node);
    const char *name = sent && cim_schema_find_class(ctx->schema, ctx->namespace_path, sent)
                           ? sent
                           : p->ref_class;
    const cim_class *cls = name ? cim_schema_find_class(ctx->schema, ctx->namespace_path, name)
                                : NULL;
    bool ok = false;
    if (!cls) {
        wsman_fault_set(ctx->fault, WSMAN_FAULT_SCHEMA_VALIDATION, NULL,
                        "The embedded instance in %s names no class this server knows "
                        "(xsi:type \"%s\"); give the class in xsi:type, such as %s_Type.",
                        p->name, sent ? sent : "", p->ref_class ? p->ref_class : "SMS_X");
    } else if (p->ref_class && !cim_class_is_a(cls, p->ref_class)) {
        wsman_fault_set(ctx->fault, WSMAN_FAULT_SCHEMA_VALIDATION, NULL,
                        "%s holds %s instances, not %s.", p->name, p->ref_class, cls->name);
    } else {
        cim_instance *inst = cim_instance_new(cls);
        ok = wsman_read_properties(ctx, node, inst, NULL);
        if (ok)
            *out = cim_value_object(inst);
        else
            cim_instance_free(inst);
    }
    free(sent);
    return ok;
}

/* The datetime text of an element: a CIM_DateTime, Datetime, Interval or
 * Date child (any namespace, as the MI client leaves CIM_DateTime
 * unqualified), else the element's own text. */
static char *datetime_text(const xmlNode *node)
{
    for (xmlNode *c = wx_first_element(node); c; c = wx_next_element(c)) {
        const char *n = wx_local(c);
        if (!strcmp(n, "CIM_DateTime") || !strcmp(n, "Datetime") || !strcmp(n, "Interval") ||
            !strcmp(n, "Date"))
            return wx_text_trimmed(c);
    }
    return wx_text_trimmed(node);
}

static bool read_scalar(const wsman_read_context *ctx, const xmlNode *node,
                        const cim_property *p, cim_value *out)
{
    if (is_nil(node)) {
        *out = cim_value_null(p->type, false);
        return true;
    }
    if (p->type == CIM_TYPE_OBJECT)
        return read_object(ctx, node, p, out);
    if (p->type == CIM_TYPE_REFERENCE) {
        char *path = wsman_read_epr_path(node);
        if (!path)
            path = wx_text_trimmed(node);
        smsprov_error err = {0};
        cim_value text = cim_value_string(path);
        bool ok = cim_value_convert(&text, CIM_TYPE_REFERENCE, false, out, &err) == SMSPROV_OK;
        if (!ok)
            read_fail(ctx, p->name, err.description);
        cim_value_clear(&text);
        smsprov_error_clear(&err);
        free(path);
        return ok;
    }
    if (p->type == CIM_TYPE_DATETIME) {
        char *text = datetime_text(node);
        char dmtf[CIM_DATETIME_LEN + 1];
        bool ok = wsman_datetime_from_xml(text, dmtf);
        if (ok)
            *out = cim_value_datetime(dmtf);
        else
            wsman_fault_set(ctx->fault, WSMAN_FAULT_SCHEMA_VALIDATION, NULL,
                            "The value \"%.64s\" of %s is not a date and time: write an "
                            "xs:dateTime (2024-01-31T12:00:00Z), an xs:duration or a DMTF "
                            "datetime (20240131120000.000000+000).",
                            text, p->name);
        free(text);
        return ok;
    }
    char *text = p->type == CIM_TYPE_STRING ? wx_text(node) : wx_text_trimmed(node);
    cim_value sent = cim_value_string(text);
    smsprov_error err = {0};
    bool ok = cim_value_convert(&sent, p->type, false, out, &err) == SMSPROV_OK;
    if (!ok)
        read_fail(ctx, p->name, err.description);
    smsprov_error_clear(&err);
    cim_value_clear(&sent);
    free(text);
    return ok;
}

static bool read_property(const wsman_read_context *ctx, const xmlNode **nodes, size_t count,
                          const cim_property *p, cim_value *out)
{
    if (!p->is_array) {
        if (count > 1) {
            wsman_fault_set(ctx->fault, WSMAN_FAULT_SCHEMA_VALIDATION, NULL,
                            "%s is not an array but was given %zu times.", p->name, count);
            return false;
        }
        return read_scalar(ctx, nodes[0], p, out);
    }
    if (count == 1 && (is_nil(nodes[0]) || wx_attr_true(nodes[0], NS_MSWSMAN, "IsNullArray"))) {
        *out = cim_value_null(p->type, true);
        return true;
    }
    cim_value array = cim_value_array(p->type);
    for (size_t i = 0; i < count; i++) {
        cim_value item = {0};
        if (is_nil(nodes[i]) && p->type != CIM_TYPE_OBJECT) {
            cim_value_clear(&array);
            return read_fail(ctx, p->name, "an array item other than an embedded instance "
                                           "cannot be nil.");
        }
        if (!read_scalar(ctx, nodes[i], p, &item)) {
            cim_value_clear(&array);
            return false;
        }
        cim_value_array_append_take(&array, &item);
    }
    *out = array;
    return true;
}

bool wsman_read_properties(const wsman_read_context *ctx, const xmlNode *parent,
                           cim_instance *inst, bool *present)
{
    const cim_class *cls = inst->cls;
    size_t children = 0;
    for (xmlNode *c = wx_first_element(parent); c; c = wx_next_element(c))
        children++;
    const xmlNode **nodes = cim_xcalloc(children ? children : 1, sizeof *nodes);
    size_t matched = 0;
    bool ok = true;
    for (size_t i = 0; ok && i < cls->property_count; i++) {
        const cim_property *p = &cls->properties[i];
        size_t count = 0;
        for (xmlNode *c = wx_first_element(parent); c; c = wx_next_element(c))
            if (cim_strcasecmp(wx_local(c), p->name) == 0)
                nodes[count++] = c;
        if (!count)
            continue;
        matched += count;
        cim_value v = {0};
        ok = read_property(ctx, nodes, count, p, &v);
        if (ok) {
            cim_value_move(&inst->values[i], &v);
            if (present)
                present[i] = true;
        }
    }
    if (ok && matched < children) {
        for (xmlNode *c = wx_first_element(parent); c; c = wx_next_element(c)) {
            if (cim_class_property_index(cls, wx_local(c)) < 0) {
                if (cls->flags & CIM_CLASS_PARAMETERS)
                    wsman_fault_set(ctx->fault, WSMAN_FAULT_SCHEMA_VALIDATION, NULL,
                                    "The method has no parameter named \"%.128s\".",
                                    wx_local(c));
                else
                    wsman_fault_set(ctx->fault, WSMAN_FAULT_SCHEMA_VALIDATION, NULL,
                                    "%s has no property named \"%.128s\".", cls->name,
                                    wx_local(c));
                break;
            }
        }
        ok = false;
    }
    free(nodes);
    return ok;
}

char *wsman_read_epr_path(const xmlNode *node)
{
    const xmlNode *params = wx_child(node, NS_ADDRESSING, "ReferenceParameters");
    if (!params)
        params = node;
    const xmlNode *uri_node = wx_child(params, NS_WSMAN, "ResourceURI");
    const xmlNode *set = wx_child(params, NS_WSMAN, "SelectorSet");
    if (!uri_node)
        return NULL;
    char *uri = wx_text_trimmed(uri_node);
    const char *slash = strrchr(uri, '/');
    cim_object_path path = {.class_name = cim_xstrdup(slash ? slash + 1 : uri)};
    free(uri);
    for (xmlNode *s = wx_first_element(set); s; s = wx_next_element(s)) {
        if (!wx_is(s, NS_WSMAN, "Selector"))
            continue;
        char *name = wx_attr(s, NULL, "Name");
        char *value = wx_text_trimmed(s);
        if (name && cim_strcasecmp(name, "__cimnamespace") == 0) {
            free(path.namespace_path);
            path.namespace_path = cim_namespace_normalize(value);
            free(name);
            free(value);
            continue;
        }
        path.keys = cim_xrealloc(path.keys, (path.key_count + 1) * sizeof *path.keys);
        path.keys[path.key_count].name = name ? name : cim_xstrdup("");
        path.keys[path.key_count].value = cim_value_string(value);
        path.key_count++;
        free(value);
    }
    char *text = cim_object_path_format(&path, true);
    cim_object_path_clear(&path);
    return text;
}
