/* ops_enum.c - WS-Enumeration: Enumerate (Get-CimInstance, with or without
 * a WQL or selector filter), Pull and Release.  An enumeration is a cursor
 * of the provider API: Enumerate opens it (and, with OptimizeEnumeration,
 * answers its first batch), each Pull reads the next batch from the
 * database.  Answers are filled up to MaxElements and to what fits in
 * MaxEnvelopeSize: instances are written until the next one would not fit,
 * and that one comes first in the next Pull. */
#include <stdlib.h>
#include <string.h>

#include "wsman/datetime.h"
#include "wsman/ops.h"
#include "wsman/writer.h"
#include "wsman/wsman_ns.h"
#include "wsman/xml_util.h"
#include "xmlcim/xmlcim.h"

/* Room left for the envelope, header and response elements around items. */
#define ENVELOPE_OVERHEAD 2048

typedef struct enum_request {
    bool optimize;
    unsigned long max_elements;
    wsman_enum_mode mode;
    char *dialect;
    char *filter;              /* WQL text */
    const xmlNode *filter_node;
    char *polymorphism;
    int64_t idle_us;
} enum_request;

static void enum_request_clear(enum_request *r)
{
    free(r->dialect);
    free(r->filter);
    free(r->polymorphism);
}

static bool read_count(wsman_op *op, const xmlNode *node, unsigned long *out)
{
    char *text = wx_text_trimmed(node);
    char *end = NULL;
    unsigned long n = strtoul(text, &end, 10);
    bool ok = *text && *text != '-' && !*end && n > 0;
    if (ok)
        *out = n;
    else
        wsman_fault_set(&op->fault, WSMAN_FAULT_SCHEMA_VALIDATION, NULL,
                        "MaxElements \"%.40s\" is not a positive number.", text);
    free(text);
    return ok;
}

static bool read_mode(wsman_op *op, const xmlNode *node, enum_request *r)
{
    char *text = wx_text_trimmed(node);
    bool ok = true;
    if (!strcmp(text, "EnumerateObjectAndEPR"))
        r->mode = WSMAN_ENUM_OBJECTS_AND_EPRS;
    else if (!strcmp(text, "EnumerateEPR"))
        r->mode = WSMAN_ENUM_EPRS;
    else if (strcmp(text, "EnumerateObject") != 0) {
        wsman_fault_set(&op->fault, WSMAN_FAULT_SCHEMA_VALIDATION, NULL,
                        "EnumerationMode \"%.60s\" is unknown; use EnumerateEPR or "
                        "EnumerateObjectAndEPR.",
                        text);
        ok = false;
    }
    free(text);
    return ok;
}

static bool read_expires(wsman_op *op, const xmlNode *node, enum_request *r)
{
    char *text = wx_text_trimmed(node);
    int64_t us = 0;
    bool ok = wsman_duration_us(text, &us) && us > 0;
    if (ok && us < r->idle_us)
        r->idle_us = us; /* a client may shorten the life of its enumeration, not extend it */
    if (!ok)
        wsman_fault_set(&op->fault, WSMAN_FAULT_INVALID_EXPIRATION, NULL,
                        "Expires \"%.60s\" is not a positive xs:duration such as PT60S.", text);
    free(text);
    return ok;
}

static bool read_enumerate(wsman_op *op, enum_request *r)
{
    const xmlNode *body = op->env->payload;
    if (!wx_is(body, NS_ENUMERATION, "Enumerate")) {
        wsman_fault_set(&op->fault, WSMAN_FAULT_SCHEMA_VALIDATION, NULL,
                        "The body of an Enumerate request must be n:Enumerate.");
        return false;
    }
    r->idle_us = op->door->enumeration_idle_us;
    for (xmlNode *c = wx_first_element(body); c; c = wx_next_element(c)) {
        bool ok = true;
        if (wx_is(c, NS_WSMAN, "OptimizeEnumeration"))
            r->optimize = true;
        else if (wx_is(c, NS_WSMAN, "MaxElements"))
            ok = read_count(op, c, &r->max_elements);
        else if (wx_is(c, NS_WSMAN, "EnumerationMode"))
            ok = read_mode(op, c, r);
        else if (wx_is(c, NS_WSMAN, "Filter") || wx_is(c, NS_ENUMERATION, "Filter")) {
            r->dialect = wx_attr(c, NULL, "Dialect");
            r->filter = wx_text_trimmed(c);
            r->filter_node = c;
        } else if (wx_is(c, NS_CIMBINDING, "PolymorphismMode"))
            r->polymorphism = wx_text_trimmed(c);
        else if (wx_is(c, NS_ENUMERATION, "Expires"))
            ok = read_expires(op, c, r);
        if (!ok)
            return false;
    }
    if (r->optimize && !r->max_elements)
        r->max_elements = 1;
    return true;
}

static bool is_wql(const char *dialect)
{
    return dialect && (cim_strcasecmp(dialect, DIALECT_WQL) == 0 ||
                       cim_strcasecmp(dialect, DIALECT_WQL_SHORT) == 0);
}

/* The selector filter: instances whose keys (or other properties) equal the
 * given selectors. */
static bool matches_selectors(const cim_instance *inst, const wsman_enumeration *e)
{
    for (size_t i = 0; i < e->selector_count; i++) {
        const cim_value *have = cim_instance_get(inst, e->selectors[i].name);
        bool same = false;
        if (have && !have->is_null) {
            cim_value text = cim_value_string(e->selectors[i].value), typed = {0};
            if (cim_value_convert(&text, have->type, have->is_array, &typed, NULL) == SMSPROV_OK) {
                same = have->type == CIM_TYPE_STRING
                           ? cim_strcasecmp(have->u.string, typed.u.string) == 0
                           : cim_value_equal(have, &typed);
                cim_value_clear(&typed);
            }
            cim_value_clear(&text);
        }
        if (!same)
            return false;
    }
    return true;
}

/* Keeps the selectors of a Selector filter, which the XML does not outlive. */
static void keep_selectors(wsman_enumeration *e, const xmlNode *set)
{
    for (xmlNode *s = wx_first_element(set); s; s = wx_next_element(s)) {
        e->selectors = cim_xrealloc(e->selectors, (e->selector_count + 1) * sizeof *e->selectors);
        char *name = wx_attr(s, NULL, "Name");
        e->selectors[e->selector_count++] =
            (wsman_selector){name ? name : cim_xstrdup(""), wx_text_trimmed(s)};
    }
}

/* Opens the enumeration's cursor: a WQL query, or the class (deep unless
 * PolymorphismMode None), with a Selector filter applied per instance. */
static bool open_cursor(wsman_op *op, const enum_request *r, wsman_enumeration *e)
{
    smsprov_error err = {0};
    if (r->filter_node && is_wql(r->dialect)) {
        if (smsprov_query_open(op->door->site, &op->call, "WQL", r->filter, &e->cursor, &err))
            return wsman_op_provider_fault(op, &err);
        return true;
    }
    bool selectors = r->filter_node && r->dialect && cim_strcasecmp(r->dialect, DIALECT_SELECTOR) == 0;
    if (r->filter_node && !selectors) {
        wsman_fault_set(&op->fault, WSMAN_FAULT_FILTER_DIALECT, NULL,
                        "The filter dialect \"%.200s\" is not supported; use " DIALECT_WQL
                        " or " DIALECT_SELECTOR ".",
                        r->dialect ? r->dialect : "(none)");
        return false;
    }
    const cim_class *cls = NULL;
    if (!wsman_op_class(op, op->res.class_name, &cls))
        return false;
    bool shallow = !selectors && r->polymorphism && !strcmp(r->polymorphism, "None");
    if (smsprov_enumerate_open(op->door->site, &op->call, cls->name,
                               shallow ? SMSPROV_ENUM_SHALLOW : SMSPROV_ENUM_DEEP, &e->cursor, &err))
        return wsman_op_provider_fault(op, &err);
    if (selectors)
        keep_selectors(e, wx_child(r->filter_node, NS_WSMAN, "SelectorSet"));
    return true;
}

static void write_item(const wsman_op *op, const wsman_enumeration *e, const cim_instance *inst,
                       cim_buf *b)
{
    wsman_write_options o = wsman_op_write_options(op);
    o.uri_prefix = e->uri_prefix;
    o.namespace_path = e->namespace_path;
    o.precise_arrays = e->precise_arrays;
    o.as_class = e->as_class;
    if (e->mode == WSMAN_ENUM_OBJECTS_AND_EPRS)
        cim_buf_append(b, "<w:Item>");
    if (e->mode != WSMAN_ENUM_EPRS)
        wsman_write_instance(b, inst, &o);
    if (e->mode != WSMAN_ENUM_OBJECTS) {
        cim_buf_append(b, "<a:EndpointReference>");
        wsman_write_instance_epr(b, inst, e->uri_prefix, e->namespace_path);
        cim_buf_append(b, "</a:EndpointReference>");
    }
    if (e->mode == WSMAN_ENUM_OBJECTS_AND_EPRS)
        cim_buf_append(b, "</w:Item>");
}

/* One Enumerate or Pull answer being filled from the cursor. */
typedef struct filling {
    wsman_op *op;
    const wsman_enumeration *e;
    unsigned long left;   /* MaxElements still allowed */
    size_t budget;        /* bytes the items may take */
    cim_buf *items;
    cim_buf one;          /* the instance being written */
    size_t written;
    size_t too_big;       /* bytes of a first instance that cannot fit; 0 otherwise */
    bool timed_out;
} filling;

static smsprov_take fill_one(void *data, cim_instance *take)
{
    filling *f = data;
    if (f->e->selector_count && !matches_selectors(take, f->e)) {
        cim_instance_free(take);
        return SMSPROV_TAKE_NEXT; /* passed over for good */
    }
    /* Past the deadline, answer with what is written; with nothing written
     * the operation times out and the cursor stays where it was. */
    if (f->op->deadline_us >= 0 && wsman_now_us() > f->op->deadline_us) {
        f->timed_out = true;
        return SMSPROV_TAKE_REFUSE;
    }
    f->one.len = 0;
    write_item(f->op, f->e, take, &f->one);
    if (f->items->len + f->one.len > f->budget) {
        if (f->written == 0)
            f->too_big = f->one.len;
        return SMSPROV_TAKE_REFUSE; /* comes first in the next Pull */
    }
    cim_buf_append_n(f->items, f->one.data ? f->one.data : "", f->one.len);
    cim_instance_free(take);
    f->written++;
    return --f->left > 0 ? SMSPROV_TAKE_NEXT : SMSPROV_TAKE_STOP;
}

/* How many instances to read per statement: what MaxElements allows, but
 * no more than an envelope is likely to hold. */
static size_t read_hint(unsigned long max_elements, size_t budget)
{
    size_t likely = budget / 1024 + 1;
    return max_elements < likely ? max_elements : likely;
}

/* Writes the next items into *items, up to max_elements and the envelope
 * size; *end is true when the enumeration has nothing more.  The cursor
 * moves past what was written (and what a Selector filter passed over). */
static bool fill(wsman_op *op, wsman_enumeration *e, unsigned long max_elements, cim_buf *items,
                 bool *end)
{
    filling f = {
        .op = op,
        .e = e,
        .left = max_elements,
        .budget = op->max_envelope > ENVELOPE_OVERHEAD ? op->max_envelope - ENVELOPE_OVERHEAD : 0,
        .items = items,
    };
    smsprov_error err = {0};
    smsprov_code rc = smsprov_cursor_next(e->cursor, read_hint(max_elements, f.budget), fill_one,
                                          &f, end, &err);
    cim_buf_clear(&f.one);
    if (rc != SMSPROV_OK)
        return wsman_op_provider_fault(op, &err);
    if (f.too_big) {
        wsman_fault_set(&op->fault, WSMAN_FAULT_ENCODING_LIMIT, "MaxEnvelopeSize",
                        "The next instance takes %zu bytes; with the envelope around it, "
                        "that is more than the MaxEnvelopeSize of %zu allows; raise "
                        "MaxEnvelopeSize.",
                        f.too_big, op->max_envelope);
        return false;
    }
    if (f.timed_out && f.written == 0)
        return wsman_op_check_deadline(op, "enumeration");
    return true;
}

static wsman_enumeration *new_enumeration(wsman_op *op, const enum_request *r)
{
    wsman_enumeration *e = cim_xcalloc(1, sizeof *e);
    e->id = wsman_new_uuid();
    e->user = cim_xstrdup(op->caller->user ? op->caller->user : "");
    e->mode = r->mode;
    e->uri_prefix = cim_xstrdup(op->res.uri_prefix);
    e->namespace_path = cim_xstrdup(op->namespace_path);
    e->precise_arrays = wsman_envelope_option_true(op->env, "UsePreciseArrays", false);
    e->idle_us = r->idle_us;
    return e;
}

static bool exclude_subclass_properties(wsman_op *op, const enum_request *r,
                                        wsman_enumeration *e)
{
    if (!r->polymorphism || strcmp(r->polymorphism, "ExcludeSubClassProperties") != 0)
        return true;
    return wsman_op_class(op, op->res.class_name, &e->as_class);
}

/* Keeps an unfinished enumeration for the Pulls to come; false with
 * w:QuotaLimit when the caps are reached. */
static bool keep_enumeration(wsman_op *op, wsman_enumeration *e)
{
    wsman_enum_put put = wsman_enum_store_put(op->door->enumerations, e);
    if (put == WSMAN_ENUM_STORED)
        return true;
    if (put == WSMAN_ENUM_TOO_MANY_FOR_USER)
        wsman_fault_set(&op->fault, WSMAN_FAULT_QUOTA_LIMIT, NULL,
                        "You have %u enumerations open, as many as one user may; pull them to "
                        "the end, release them, or wait for idle ones to expire.",
                        wsman_enum_store_max_per_user(op->door->enumerations));
    else
        wsman_fault_set(&op->fault, WSMAN_FAULT_QUOTA_LIMIT, NULL,
                        "Too many enumerations are open (%u); pull or release them, or wait "
                        "for idle ones to expire.",
                        wsman_enum_store_max_open(op->door->enumerations));
    return false;
}

bool wsman_op_enumerate(wsman_op *op)
{
    op->summary = "Enumerate";
    enum_request r = {0};
    bool ok = read_enumerate(op, &r);
    wsman_enumeration *e = ok ? new_enumeration(op, &r) : NULL;
    ok = ok && open_cursor(op, &r, e) && exclude_subclass_properties(op, &r, e);
    cim_buf items = {0};
    bool end = false;
    if (ok && r.optimize)
        ok = fill(op, e, r.max_elements, &items, &end);
    else if (ok)
        ok = wsman_op_check_deadline(op, "Enumerate");
    bool done = ok && end && r.optimize;
    /* The store may expire a stored enumeration at once (a tiny Expires), so
     * the answer uses a copy of its id. */
    char *id = ok ? cim_xstrdup(e->id) : NULL;
    if (ok && !done)
        ok = keep_enumeration(op, e);
    if (ok) {
        cim_buf_printf(&op->body, "<n:EnumerateResponse><n:EnumerationContext>%s"
                                  "</n:EnumerationContext>", id);
        if (r.optimize) {
            cim_buf_append(&op->body, "<w:Items>");
            cim_buf_append_n(&op->body, items.data ? items.data : "", items.len);
            cim_buf_append(&op->body, "</w:Items>");
        }
        if (done)
            cim_buf_append(&op->body, "<w:EndOfSequence/>");
        cim_buf_append(&op->body, "</n:EnumerateResponse>");
        op->action = cim_xstrdup(ACTION_ENUMERATE "Response");
    }
    if (!ok || done)
        wsman_enumeration_free(e); /* otherwise the store has it */
    free(id);
    cim_buf_clear(&items);
    enum_request_clear(&r);
    return ok;
}

/* The enumeration context of a Pull or Release body. */
static wsman_enumeration *take_context(wsman_op *op, const char *element)
{
    const xmlNode *body = op->env->payload;
    if (!wx_is(body, NS_ENUMERATION, element)) {
        wsman_fault_set(&op->fault, WSMAN_FAULT_SCHEMA_VALIDATION, NULL,
                        "The body of a %s request must be n:%s.", element, element);
        return NULL;
    }
    const xmlNode *ctx = wx_child(body, NS_ENUMERATION, "EnumerationContext");
    char *id = ctx ? wx_text_trimmed(ctx) : cim_xstrdup("");
    wsman_enumeration *e = wsman_enum_store_take(op->door->enumerations, id, op->caller->user);
    if (!e)
        wsman_fault_set(&op->fault, WSMAN_FAULT_INVALID_CONTEXT, NULL,
                        "The enumeration context \"%.80s\" is not valid: the enumeration "
                        "finished, was released or expired. Start a new enumeration.",
                        id);
    free(id);
    return e;
}

static bool read_pull(wsman_op *op, unsigned long *max_elements)
{
    *max_elements = 1;
    const xmlNode *body = op->env->payload;
    const xmlNode *max = wx_child(body, NS_ENUMERATION, "MaxElements");
    if (max && !read_count(op, max, max_elements))
        return false;
    const xmlNode *max_time = wx_child(body, NS_ENUMERATION, "MaxTime");
    if (max_time) {
        char *text = wx_text_trimmed(max_time);
        int64_t us = 0;
        bool ok = wsman_duration_us(text, &us);
        free(text);
        if (!ok) {
            wsman_fault_set(&op->fault, WSMAN_FAULT_SCHEMA_VALIDATION, NULL,
                            "MaxTime is not an xs:duration such as PT30S.");
            return false;
        }
        int64_t deadline = wsman_now_us() + us;
        if (op->deadline_us < 0 || deadline < op->deadline_us)
            op->deadline_us = deadline;
    }
    return true;
}

bool wsman_op_pull(wsman_op *op)
{
    op->summary = "Pull";
    unsigned long max_elements = 1;
    wsman_enumeration *e = NULL;
    if (!wx_is(op->env->payload, NS_ENUMERATION, "Pull") || read_pull(op, &max_elements))
        e = take_context(op, "Pull");
    if (!e)
        return false;
    cim_buf items = {0};
    bool done = false;
    bool ok = fill(op, e, max_elements, &items, &done);
    done = ok && done;
    if (ok) {
        cim_buf_append(&op->body, "<n:PullResponse>");
        if (!done)
            cim_buf_printf(&op->body, "<n:EnumerationContext>%s</n:EnumerationContext>", e->id);
        cim_buf_append(&op->body, "<n:Items>");
        cim_buf_append_n(&op->body, items.data ? items.data : "", items.len);
        cim_buf_append(&op->body, "</n:Items>");
        if (done)
            cim_buf_append(&op->body, "<n:EndOfSequence/>");
        cim_buf_append(&op->body, "</n:PullResponse>");
        op->action = cim_xstrdup(ACTION_PULL "Response");
    }
    cim_buf_clear(&items);
    /* A failed Pull leaves the enumeration where it was, to be pulled again. */
    if (done || wsman_enum_store_put(op->door->enumerations, e) != WSMAN_ENUM_STORED)
        wsman_enumeration_free(e);
    return ok;
}

bool wsman_op_release(wsman_op *op)
{
    op->summary = "Release";
    wsman_enumeration *e = take_context(op, "Release");
    if (!e)
        return false;
    wsman_enumeration_free(e);
    op->action = cim_xstrdup(ACTION_RELEASE "Response");
    return true;
}
