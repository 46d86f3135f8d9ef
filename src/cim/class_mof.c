/* class_mof.c - a class as MOF text that the MOF compiler reads back:
 * qualifiers with their non-default flavors, properties with types, array
 * brackets and defaults, methods with parameter qualifiers. */
#include <stdlib.h>
#include <string.h>

#include "cim/class_internal.h"
#include "smsprov/cim.h"

static void append_flavors(cim_buf *b, unsigned flavor)
{
    static const struct {
        unsigned bit;
        const char *name;
    } names[] = {
        {CIM_FLAVOR_RESTRICTED, "Restricted"},       {CIM_FLAVOR_TOINSTANCE, "ToInstance"},
        {CIM_FLAVOR_DISABLEOVERRIDE, "DisableOverride"}, {CIM_FLAVOR_AMENDED, "Amended"},
        {CIM_FLAVOR_TRANSLATABLE, "Translatable"},
    };
    const char *sep = " : ";
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (flavor & names[i].bit) {
            cim_buf_printf(b, "%s%s", sep, names[i].name);
            sep = " ";
        }
    }
}

static void append_qualifier(cim_buf *b, const cim_qualifier *q)
{
    cim_buf_append(b, q->name);
    const cim_value *v = &q->value;
    bool bare_true = v->type == CIM_TYPE_BOOLEAN && !v->is_array && !v->is_null && v->u.boolean;
    if (!bare_true) {
        char *text = cim_value_to_mof(v);
        if (v->is_array && !v->is_null)
            cim_buf_append(b, text); /* already {a, b} */
        else
            cim_buf_printf(b, "(%s)", text);
        free(text);
    }
    append_flavors(b, q->flavor);
}

/* "[a, b(1)] " or nothing. */
static void append_qualifier_list(cim_buf *b, const cim_qualifier_list *list, const char *after)
{
    if (list->count == 0)
        return;
    cim_buf_append(b, "[");
    for (size_t i = 0; i < list->count; i++) {
        if (i)
            cim_buf_append(b, ", ");
        append_qualifier(b, &list->items[i]);
    }
    cim_buf_printf(b, "]%s", after);
}

/* `uint32`, `SMS_ScheduleToken` (embedded), `SMS_X ref` or `object`. */
static void append_type(cim_buf *b, cim_type type, const char *ref_class)
{
    if (type == CIM_TYPE_REFERENCE)
        cim_buf_printf(b, "%s ref", ref_class ? ref_class : "object");
    else if (type == CIM_TYPE_OBJECT && ref_class)
        cim_buf_append(b, ref_class);
    else
        cim_buf_append(b, cim_type_name(type));
}

static void append_name_and_brackets(cim_buf *b, const char *name, bool is_array,
                                     size_t array_size)
{
    cim_buf_printf(b, " %s", name);
    if (is_array && array_size)
        cim_buf_printf(b, "[%zu]", array_size);
    else if (is_array)
        cim_buf_append(b, "[]");
}

static void append_property(cim_buf *b, const cim_property *p)
{
    cim_buf_append(b, "    ");
    append_qualifier_list(b, &p->qualifiers, " ");
    append_type(b, p->type, p->ref_class);
    append_name_and_brackets(b, p->name, p->is_array, p->array_size);
    if (!p->default_value.is_null) {
        char *text = cim_value_to_mof(&p->default_value);
        cim_buf_printf(b, " = %s", text);
        free(text);
    }
    cim_buf_append(b, ";\n");
}

static void append_method(cim_buf *b, const cim_method *m)
{
    cim_buf_append(b, "    ");
    append_qualifier_list(b, &m->qualifiers, " ");
    if (m->return_type == CIM_TYPE_INVALID)
        cim_buf_append(b, "void");
    else
        cim_buf_append(b, cim_type_name(m->return_type));
    cim_buf_printf(b, " %s(", m->name);
    for (size_t i = 0; i < m->param_count; i++) {
        const cim_parameter *p = &m->params[i];
        if (i)
            cim_buf_append(b, ", ");
        append_qualifier_list(b, &p->qualifiers, " ");
        append_type(b, p->type, p->ref_class);
        append_name_and_brackets(b, p->name, p->is_array, p->array_size);
    }
    cim_buf_append(b, ");\n");
}

static bool same_text(const char *a, const char *b)
{
    return (!a && !b) || (a && b && cim_strcasecmp(a, b) == 0);
}

/* True when every qualifier in mine is in theirs with the same value and
 * flavor (inherited copies match; overrides and additions do not). */
static bool qualifiers_inherited(const cim_qualifier_list *mine, const cim_qualifier_list *theirs)
{
    for (size_t i = 0; i < mine->count; i++) {
        const cim_qualifier *q = cim_qualifier_find(theirs, mine->items[i].name);
        if (!q || q->flavor != mine->items[i].flavor ||
            !cim_value_equal(&q->value, &mine->items[i].value))
            return false;
    }
    return true;
}

/* A member is local when the class introduced it or overrode it. */
static bool property_is_local(const cim_class *cls, const cim_property *p)
{
    const cim_property *up = cim_class_find_property(cls->superclass, p->name);
    if (!up)
        return true;
    return up->type != p->type || up->is_array != p->is_array ||
           up->array_size != p->array_size || !same_text(up->ref_class, p->ref_class) ||
           !cim_value_equal(&up->default_value, &p->default_value) ||
           !qualifiers_inherited(&p->qualifiers, &up->qualifiers);
}

static bool parameters_equal(const cim_parameter *a, const cim_parameter *b)
{
    return cim_strcasecmp(a->name, b->name) == 0 && a->type == b->type &&
           a->is_array == b->is_array && a->array_size == b->array_size &&
           same_text(a->ref_class, b->ref_class) && a->in == b->in && a->out == b->out &&
           a->optional == b->optional && qualifiers_inherited(&a->qualifiers, &b->qualifiers) &&
           a->qualifiers.count == b->qualifiers.count;
}

static bool method_is_local(const cim_class *cls, const cim_method *m)
{
    const cim_method *up = cim_class_find_method(cls->superclass, m->name);
    if (!up || up->return_type != m->return_type || up->param_count != m->param_count ||
        !qualifiers_inherited(&m->qualifiers, &up->qualifiers))
        return true;
    for (size_t i = 0; i < m->param_count; i++)
        if (!parameters_equal(&m->params[i], &up->params[i]))
            return true;
    return false;
}

/* With local_only, class qualifiers the superclass passed down unchanged
 * are left out. */
static void append_class_qualifiers(cim_buf *b, const cim_class *cls, bool local_only)
{
    cim_qualifier_list own = {0};
    for (size_t i = 0; i < cls->qualifiers.count; i++) {
        const cim_qualifier *q = &cls->qualifiers.items[i];
        const cim_qualifier *up = cls->superclass && local_only
                                      ? cim_qualifier_find(&cls->superclass->qualifiers, q->name)
                                      : NULL;
        if (!up || !cim_qualifier_propagates(up) || up->flavor != q->flavor || !cim_value_equal(&up->value, &q->value))
            cim_qualifier_list_set(&own, q->name, &q->value, q->flavor);
    }
    append_qualifier_list(b, &own, "\n");
    cim_qualifier_list_clear(&own);
}

char *cim_class_to_mof(const cim_class *cls, bool local_only)
{
    cim_buf b = {0};
    append_class_qualifiers(&b, cls, local_only);
    cim_buf_printf(&b, "class %s", cls->name);
    if (cls->superclass_name)
        cim_buf_printf(&b, " : %s", cls->superclass_name);
    cim_buf_append(&b, "\n{\n");
    for (size_t i = 0; i < cls->property_count; i++)
        if (!local_only || property_is_local(cls, &cls->properties[i]))
            append_property(&b, &cls->properties[i]);
    for (size_t i = 0; i < cls->method_count; i++)
        if (!local_only || method_is_local(cls, &cls->methods[i]))
            append_method(&b, &cls->methods[i]);
    cim_buf_append(&b, "};\n");
    return cim_buf_take(&b);
}
