/* result.c - shapes the rows a query found into its results: ORDER BY,
 * DISTINCT and the select list.
 *
 * Sorting is stable, so rows that tie on every ORDER BY key keep the order
 * the store returned them in (key order); results are therefore the same
 * whichever path found the rows.  NULL sorts first ascending, last
 * descending. */
#include <stdlib.h>
#include <string.h>

#include "wql/wql_internal.h"

void wql_rows_push(wql_rows *rows, cim_instance *take)
{
    if (rows->count == rows->cap) {
        rows->cap = rows->cap ? rows->cap * 2 : 16;
        rows->items = cim_xrealloc(rows->items, rows->cap * sizeof *rows->items);
    }
    rows->items[rows->count++] = take;
}

void wql_rows_clear(wql_rows *rows)
{
    for (size_t i = 0; i < rows->count; i++)
        cim_instance_free(rows->items[i]);
    free(rows->items);
    *rows = (wql_rows){0};
}

/* ------------------------------------------------------------------------ */
/* A stable merge sort of row positions                                     */
/* ------------------------------------------------------------------------ */

typedef int (*position_compare)(const void *ctx, size_t a, size_t b);

static void merge_sort(size_t *order, size_t n, position_compare compare, const void *ctx)
{
    size_t *buffer = cim_xmalloc((n ? n : 1) * sizeof *buffer);
    for (size_t width = 1; width < n; width *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * width) {
            size_t mid = lo + width < n ? lo + width : n;
            size_t hi = lo + 2 * width < n ? lo + 2 * width : n;
            size_t i = lo, j = mid, k = lo;
            while (i < mid && j < hi)
                buffer[k++] = compare(ctx, order[j], order[i]) < 0 ? order[j++] : order[i++];
            while (i < mid)
                buffer[k++] = order[i++];
            while (j < hi)
                buffer[k++] = order[j++];
        }
        memcpy(order, buffer, n * sizeof *order);
    }
    free(buffer);
}

static size_t *identity_order(size_t n)
{
    size_t *order = cim_xmalloc((n ? n : 1) * sizeof *order);
    for (size_t i = 0; i < n; i++)
        order[i] = i;
    return order;
}

/* ------------------------------------------------------------------------ */
/* ORDER BY                                                                 */
/* ------------------------------------------------------------------------ */

static const cim_value no_value = {.type = CIM_TYPE_INVALID, .is_null = true};

/* The ORDER BY keys of every row, side by side: sorting then reads one
 * compact array instead of chasing each instance's values. */
typedef struct sort_keys {
    const wql_query *q;
    cim_value *values; /* row * order_count + key; shallow copies, never cleared */
} sort_keys;

static cim_value key_of(const wql_operand *op, const cim_instance *inst)
{
    if (op->kind == WQL_OPERAND_CLASS) {
        cim_value v = no_value;
        v.type = CIM_TYPE_STRING;
        v.is_null = false;
        v.u.string = inst->cls->name; /* borrowed */
        return v;
    }
    const cim_value *v = wql_instance_value(inst, op->prop, op->index);
    return v ? *v : no_value;
}

static int compare_keys(const void *ctx, size_t a, size_t b)
{
    const sort_keys *keys = ctx;
    size_t k = keys->q->order_count;
    for (size_t i = 0; i < k; i++) {
        int c = wql_value_order(&keys->values[a * k + i], &keys->values[b * k + i]);
        if (c != 0)
            return keys->q->order[i].descending ? -c : c;
    }
    return 0;
}

void wql_rows_sort(const wql_query *q, wql_rows *rows)
{
    size_t n = rows->count, k = q->order_count;
    if (k == 0 || n < 2)
        return;
    sort_keys keys = {q, cim_xmalloc(n * k * sizeof *keys.values)};
    for (size_t r = 0; r < n; r++)
        for (size_t i = 0; i < k; i++)
            keys.values[r * k + i] = key_of(q->order[i].operand, rows->items[r]);
    size_t *order = identity_order(n);
    merge_sort(order, n, compare_keys, &keys);
    cim_instance **sorted = cim_xmalloc(n * sizeof *sorted);
    for (size_t i = 0; i < n; i++)
        sorted[i] = rows->items[order[i]];
    free(rows->items);
    rows->items = sorted;
    rows->cap = n;
    free(order);
    free(keys.values);
}

/* ------------------------------------------------------------------------ */
/* DISTINCT                                                                 */
/* ------------------------------------------------------------------------ */

/* Arrays and embedded objects have no WQL order; their JSON text gives them
 * one that tells equal values from different ones. */
static int compare_structured(const cim_value *a, const cim_value *b)
{
    char *ja = cim_value_to_json(a), *jb = cim_value_to_json(b);
    int c = strcmp(ja, jb);
    free(ja);
    free(jb);
    return c;
}

static int compare_values(const cim_value *a, const cim_value *b)
{
    a = a ? a : &no_value;
    b = b ? b : &no_value;
    if (a->is_null || b->is_null || (!a->is_array && a->type != CIM_TYPE_OBJECT))
        return wql_value_order(a, b);
    return compare_structured(a, b);
}

static int compare_property(const wql_query *q, size_t index, const cim_instance *a,
                            const cim_instance *b)
{
    const cim_property *prop = &q->cls->properties[index];
    return compare_values(wql_instance_value(a, prop, index), wql_instance_value(b, prop, index));
}

static int compare_selected(const wql_query *q, const cim_instance *a, const cim_instance *b)
{
    if (q->select_all) {
        for (size_t i = 0; i < q->cls->property_count; i++) {
            int c = compare_property(q, i, a, b);
            if (c != 0)
                return c;
        }
        return 0;
    }
    for (size_t i = 0; i < q->item_count; i++) {
        const wql_select_item *item = &q->items[i];
        int c = 0;
        if (!item->system)
            c = compare_property(q, item->index, a, b);
        else if (cim_strcasecmp(item->name, "__CLASS") == 0)
            c = cim_nocase_compare(a->cls->name, b->cls->name);
        if (c != 0)
            return c;
    }
    return 0;
}

typedef struct distinct_ctx {
    const wql_query *q;
    cim_instance *const *rows;
} distinct_ctx;

static int compare_selected_rows(const void *ctx, size_t a, size_t b)
{
    const distinct_ctx *d = ctx;
    return compare_selected(d->q, d->rows[a], d->rows[b]);
}

void wql_rows_distinct(const wql_query *q, wql_rows *rows)
{
    if (!q->distinct || rows->count < 2)
        return;
    size_t n = rows->count;
    size_t *order = identity_order(n);
    distinct_ctx ctx = {q, rows->items};
    merge_sort(order, n, compare_selected_rows, &ctx);
    /* Stable, so the first of each run of equals is the earliest row. */
    bool *keep = cim_xcalloc(n, sizeof *keep);
    keep[order[0]] = true;
    for (size_t i = 1; i < n; i++)
        if (compare_selected_rows(&ctx, order[i - 1], order[i]) != 0)
            keep[order[i]] = true;
    size_t kept = 0;
    for (size_t i = 0; i < n; i++) {
        if (keep[i])
            rows->items[kept++] = rows->items[i];
        else
            cim_instance_free(rows->items[i]);
    }
    rows->count = kept;
    free(keep);
    free(order);
}

/* ------------------------------------------------------------------------ */
/* The select list                                                          */
/* ------------------------------------------------------------------------ */

static bool is_selected_name(const wql_query *q, const char *name)
{
    for (size_t i = 0; i < q->item_count; i++)
        if (!q->items[i].system && cim_strcasecmp(q->items[i].name, name) == 0)
            return true;
    return false;
}

/* Which properties of cls a result keeps: with a list, the listed ones and
 * (so the path stays valid, unless DISTINCT merges rows) the keys; never the
 * lazy ones, which only a GetObject returns. */
static void compute_mask(const wql_query *q, const cim_class *cls, bool *keep)
{
    for (size_t i = 0; i < cls->property_count; i++) {
        const cim_property *p = &cls->properties[i];
        bool wanted = q->select_all || is_selected_name(q, p->name) ||
                      ((p->flags & CIM_PROP_KEY) && !q->distinct);
        keep[i] = wanted && !(p->flags & CIM_PROP_LAZY);
    }
}

void wql_rows_project(const wql_query *q, wql_rows *rows)
{
    const cim_class *mask_class = NULL;
    bool *keep = NULL;
    for (size_t r = 0; r < rows->count; r++) {
        cim_instance *inst = rows->items[r];
        if (inst->cls != mask_class) {
            mask_class = inst->cls;
            keep = cim_xrealloc(keep, (mask_class->property_count + 1) * sizeof *keep);
            compute_mask(q, mask_class, keep);
        }
        for (size_t i = 0; i < mask_class->property_count; i++)
            if (!keep[i])
                cim_value_clear(&inst->values[i]);
    }
    free(keep);
}
