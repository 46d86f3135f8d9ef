/* qualifier.c - qualifier lists: the named, flavored values attached to
 * classes, properties, methods and parameters. */
#include <stdlib.h>
#include <string.h>

#include "smsprov/cim.h"

const cim_qualifier *cim_qualifier_find(const cim_qualifier_list *list, const char *name)
{
    if (!list || !name)
        return NULL;
    for (size_t i = 0; i < list->count; i++)
        if (cim_strcasecmp(list->items[i].name, name) == 0)
            return &list->items[i];
    return NULL;
}

bool cim_qualifier_is_true(const cim_qualifier_list *list, const char *name)
{
    const cim_qualifier *q = cim_qualifier_find(list, name);
    if (!q)
        return false;
    /* Only an explicit boolean FALSE switches a present qualifier off. */
    if (q->value.type == CIM_TYPE_BOOLEAN && !q->value.is_array && !q->value.is_null)
        return q->value.u.boolean;
    return true;
}

void cim_qualifier_list_set(cim_qualifier_list *list, const char *name, const cim_value *value,
                            unsigned flavor)
{
    cim_qualifier *q = (cim_qualifier *)cim_qualifier_find(list, name);
    if (q) {
        /* Keep the original spelling of the name; replace value and flavor. */
        cim_value copy;
        cim_value_copy(&copy, value);
        cim_value_clear(&q->value);
        q->value = copy;
        q->flavor = flavor;
        return;
    }
    list->items = cim_xrealloc(list->items, (list->count + 1) * sizeof *list->items);
    q = &list->items[list->count++];
    q->name = cim_xstrdup(name);
    cim_value_copy(&q->value, value);
    q->flavor = flavor;
}

void cim_qualifier_list_copy(cim_qualifier_list *dst, const cim_qualifier_list *src)
{
    dst->items = NULL;
    dst->count = 0;
    if (!src || src->count == 0)
        return;
    dst->items = cim_xcalloc(src->count, sizeof *dst->items);
    for (size_t i = 0; i < src->count; i++) {
        dst->items[i].name = cim_xstrdup(src->items[i].name);
        cim_value_copy(&dst->items[i].value, &src->items[i].value);
        dst->items[i].flavor = src->items[i].flavor;
    }
    dst->count = src->count;
}

void cim_qualifier_list_clear(cim_qualifier_list *list)
{
    if (!list)
        return;
    for (size_t i = 0; i < list->count; i++) {
        free(list->items[i].name);
        cim_value_clear(&list->items[i].value);
    }
    free(list->items);
    list->items = NULL;
    list->count = 0;
}
