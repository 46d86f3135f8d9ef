/* request_values.c - DSP0201 values and instances: VALUE, VALUE.ARRAY,
 * VALUE.REFERENCE, VALUE.REFARRAY, VALUE.NULL, and INSTANCE with its
 * PROPERTY, PROPERTY.ARRAY and PROPERTY.REFERENCE. */
#include <stdlib.h>
#include <string.h>

#include "cimxml/request_internal.h"

bool cimxml_is_data_element(const xmlNode *n)
{
    return cimxml_is(n, "VALUE") || cimxml_is(n, "VALUE.ARRAY") ||
           cimxml_is(n, "VALUE.REFERENCE") || cimxml_is(n, "VALUE.REFARRAY") ||
           cimxml_is(n, "VALUE.NULL");
}

void cimxml_data_clear(cimxml_data *d)
{
    free(d->text);
    for (size_t i = 0; i < d->count; i++)
        free(d->items[i]);
    free(d->items);
    *d = (cimxml_data){.is_null = true};
}

/* The object path text inside a VALUE.REFERENCE. */
static char *read_reference(const xmlNode *n, cimxml_fault *fault)
{
    xmlNode *child = cimxml_first_element(n);
    if (child && cimxml_next_element(child)) {
        cimxml_unexpected(n, cimxml_next_element(child), "one object path", fault);
        return NULL;
    }
    cim_object_path path = {0};
    if (!cimxml_read_object_path(child, &path, fault))
        return NULL;
    char *text = cim_object_path_format(&path, true);
    cim_object_path_clear(&path);
    return text;
}

/* VALUE.ARRAY holds VALUE and VALUE.NULL; VALUE.REFARRAY holds
 * VALUE.REFERENCE and VALUE.NULL. */
static bool read_array(const xmlNode *n, bool refs, cimxml_data *out, cimxml_fault *fault)
{
    const char *item_tag = refs ? "VALUE.REFERENCE" : "VALUE";
    for (xmlNode *item = cimxml_first_element(n); item; item = cimxml_next_element(item)) {
        char *text = NULL;
        if (cimxml_is(item, item_tag)) {
            text = refs ? read_reference(item, fault) : cimxml_text(item, fault);
            if (!text)
                return false;
        } else if (!cimxml_is(item, "VALUE.NULL")) {
            return cimxml_unexpected(
                n, item, refs ? "<VALUE.REFERENCE> or <VALUE.NULL>" : "<VALUE> or <VALUE.NULL>",
                fault);
        }
        out->items = cim_xrealloc(out->items, (out->count + 1) * sizeof *out->items);
        out->items[out->count++] = text;
    }
    return true;
}

bool cimxml_read_data(const xmlNode *n, cimxml_data *out, cimxml_fault *fault)
{
    *out = (cimxml_data){0};
    bool ok = true;
    if (cimxml_is(n, "VALUE")) {
        ok = (out->text = cimxml_text(n, fault)) != NULL;
    } else if (cimxml_is(n, "VALUE.REFERENCE")) {
        out->is_reference = true;
        ok = (out->text = read_reference(n, fault)) != NULL;
    } else if (cimxml_is(n, "VALUE.ARRAY") || cimxml_is(n, "VALUE.REFARRAY")) {
        out->is_array = true;
        out->is_reference = cimxml_is(n, "VALUE.REFARRAY");
        ok = read_array(n, out->is_reference, out, fault);
    } else {
        out->is_null = true; /* VALUE.NULL */
    }
    if (!ok)
        cimxml_data_clear(out);
    return ok;
}

/* ---- INSTANCE ------------------------------------------------------------ */

void cimxml_instance_clear(cimxml_instance *inst)
{
    free(inst->class_name);
    for (size_t i = 0; i < inst->count; i++) {
        free(inst->props[i].name);
        free(inst->props[i].type);
        cimxml_data_clear(&inst->props[i].value);
    }
    free(inst->props);
    *inst = (cimxml_instance){0};
}

typedef struct property_shape {
    const char *tag;
    const char *value_tag; /* the one value element it may hold */
    bool is_array, is_reference;
} property_shape;

static const property_shape shapes[] = {
    {"PROPERTY", "VALUE", false, false},
    {"PROPERTY.ARRAY", "VALUE.ARRAY", true, false},
    {"PROPERTY.REFERENCE", "VALUE.REFERENCE", false, true},
    {"PROPERTY.REFARRAY", "VALUE.REFARRAY", true, true}, /* not in DSP0201; our writer's */
};

static const property_shape *shape_of(const xmlNode *n)
{
    for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++)
        if (cimxml_is(n, shapes[i].tag))
            return &shapes[i];
    return NULL;
}

/* EmbeddedObject="object|instance" on PROPERTY and PARAMVALUE. */
static bool read_embedded_attr(const xmlNode *n, bool *embedded, cimxml_fault *fault)
{
    char *v = cimxml_attr(n, "EmbeddedObject");
    bool ok = !v || strcmp(v, "object") == 0 || strcmp(v, "instance") == 0;
    if (!ok)
        cimxml_fault_set(fault, 400, CIMXML_NOT_VALID,
                         "Line %ld: EmbeddedObject=\"%s\" is neither \"object\" nor \"instance\".",
                         cimxml_line(n), v);
    *embedded = *embedded || v != NULL;
    free(v);
    return ok;
}

static bool is_embedding_qualifier(const xmlNode *q)
{
    char *name = cimxml_attr(q, "NAME");
    bool yes = name && (cim_strcasecmp(name, "EmbeddedInstance") == 0 ||
                        cim_strcasecmp(name, "EmbeddedObject") == 0);
    free(name);
    return yes;
}

static bool read_property(const xmlNode *n, const property_shape *shape, cimxml_property *p,
                          cimxml_fault *fault)
{
    p->value.is_null = true;
    if (!(p->name = cimxml_required_attr(n, "NAME", fault)))
        return false;
    p->type = shape->is_reference ? NULL : cimxml_attr(n, "TYPE");
    if (p->type && !cimxml_valid_type_name(p->type, false)) {
        cimxml_fault_set(fault, 400, CIMXML_NOT_VALID,
                         "Line %ld: TYPE=\"%s\" of property %s is not a CIM type.", cimxml_line(n),
                         p->type, p->name);
        return false;
    }
    if (!read_embedded_attr(n, &p->embedded, fault))
        return false;
    xmlNode *child = cimxml_first_element(n);
    for (; cimxml_is(child, "QUALIFIER"); child = cimxml_next_element(child))
        p->embedded = p->embedded || is_embedding_qualifier(child);
    if (child) {
        if (!cimxml_is(child, shape->value_tag) && !cimxml_is(child, "VALUE.NULL"))
            return cimxml_unexpected(n, child, shape->value_tag, fault);
        if (cimxml_next_element(child))
            return cimxml_unexpected(n, cimxml_next_element(child), "nothing after the value",
                                     fault);
        if (!cimxml_read_data(child, &p->value, fault))
            return false;
    }
    p->value.is_array = shape->is_array;
    p->value.is_reference = shape->is_reference;
    return true;
}

bool cimxml_read_instance(const xmlNode *n, cimxml_instance *out, cimxml_fault *fault)
{
    cimxml_instance inst = {0};
    bool ok = (inst.class_name = cimxml_required_attr(n, "CLASSNAME", fault)) != NULL;
    xmlNode *child = cimxml_first_element(n);
    while (ok && cimxml_is(child, "QUALIFIER"))
        child = cimxml_next_element(child);
    for (; ok && child; child = cimxml_next_element(child)) {
        const property_shape *shape = shape_of(child);
        if (!shape) {
            ok = cimxml_unexpected(n, child, "<PROPERTY>, <PROPERTY.ARRAY> or <PROPERTY.REFERENCE>",
                                   fault);
            break;
        }
        inst.props = cim_xrealloc(inst.props, (inst.count + 1) * sizeof *inst.props);
        cimxml_property *p = &inst.props[inst.count++];
        *p = (cimxml_property){0};
        ok = read_property(child, shape, p, fault);
    }
    if (!ok) {
        cimxml_instance_clear(&inst);
        return false;
    }
    *out = inst;
    return true;
}

bool cimxml_instance_parse(const char *text, cimxml_instance *out, cimxml_fault *fault)
{
    *out = (cimxml_instance){0};
    xmlDocPtr doc = cimxml_xml_read(text, text ? strlen(text) : 0, fault);
    if (!doc)
        return false;
    xmlNode *root = xmlDocGetRootElement(doc);
    bool ok = cimxml_is(root, "INSTANCE");
    if (ok)
        ok = cimxml_read_instance(root, out, fault);
    else
        cimxml_fault_set(fault, 400, CIMXML_NOT_LOOSELY_VALID,
                         "An embedded object is a <%s>; an <INSTANCE> was expected.",
                         root ? (const char *)root->name : "");
    xmlFreeDoc(doc);
    return ok;
}
