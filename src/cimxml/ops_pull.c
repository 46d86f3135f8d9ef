/* ops_pull.c - the DSP0200 pull operations over the provider's cursors:
 * OpenEnumerateInstances, OpenEnumerateInstancePaths, OpenQueryInstances,
 * PullInstancesWithPath, PullInstancePaths, PullInstances and
 * CloseEnumeration.  An open context is a cursor position in the door's
 * context store (contexts.h); each Open or Pull answers up to
 * MaxObjectCount instances read from the database then, and the output
 * parameters EnumerationContext and EndOfSequence. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cimxml/contexts.h"
#include "platform/platform.h"
#include "xmlcim/names.h"
#include "xmlcim/xmlcim.h"

/* DSP0200 status codes of the pull operations. */
enum {
    CIM_ERR_INVALID_ENUMERATION_CONTEXT = 21,
    CIM_ERR_FILTERED_ENUMERATION_NOT_SUPPORTED = 25,
    CIM_ERR_CONTINUATION_ON_ERROR_NOT_SUPPORTED = 26,
    CIM_ERR_SERVER_LIMITS_EXCEEDED = 27,
};

/* Records a CIM error for the operation and fails it. */
#define FAULT(...) \
    do { \
        cimxml_fault_set_cim(op->fault, __VA_ARGS__); \
        return false; \
    } while (0)

/* The most instances one Open or Pull answers, whatever MaxObjectCount says. */
#define MAX_OBJECTS 10000

/* ---- what a context writes ------------------------------------------------ */

typedef struct pull_writer {
    xmlcim_instance_options options;
    cimxml_filter filter;
    const char **property_list;
    char **names;       /* owned copies of the list's names */
    char *host;
    char *namespace_path;
} pull_writer;

static void free_writer(void *data)
{
    pull_writer *w = data;
    cimxml_filter_clear(&w->filter);
    for (size_t i = 0; w->names && w->names[i]; i++)
        free(w->names[i]);
    free(w->names);
    free(w->property_list);
    free(w->host);
    free(w->namespace_path);
    free(w);
}

static void write_with_path(void *data, cim_buf *b, const cim_instance *inst)
{
    pull_writer *w = data;
    w->options.property_list = cimxml_filter_for(&w->filter, inst->cls);
    cim_buf_append(b, "<VALUE.INSTANCEWITHPATH>");
    xmlcim_write_instancepath(b, w->host, w->namespace_path, inst);
    xmlcim_write_instance(b, inst, &w->options);
    cim_buf_append(b, "</VALUE.INSTANCEWITHPATH>");
}

static void write_path(void *data, cim_buf *b, const cim_instance *inst)
{
    pull_writer *w = data;
    xmlcim_write_instancepath(b, w->host, w->namespace_path, inst);
}

static void write_instance(void *data, cim_buf *b, const cim_instance *inst)
{
    pull_writer *w = data;
    xmlcim_write_instance(b, inst, &w->options);
}

static pull_writer *new_writer(const cimxml_op *op)
{
    pull_writer *w = cim_xcalloc(1, sizeof *w);
    w->host = cim_xstrdup(op->host);
    w->namespace_path = cim_xstrdup(op->call.namespace_path ? op->call.namespace_path
                                                            : smsprov_site_namespace(op->site));
    w->filter.deep = true;
    return w;
}

/* Makes the property list independent of the request. */
static void own_names(pull_writer *w)
{
    size_t n = 0;
    while (w->property_list && w->property_list[n])
        n++;
    if (!n)
        return;
    w->names = cim_xcalloc(n + 1, sizeof *w->names);
    for (size_t i = 0; i < n; i++) {
        w->names[i] = cim_xstrdup(w->property_list[i]);
        w->property_list[i] = w->names[i];
    }
}

/* ---- parameters ----------------------------------------------------------- */

static bool absent(const cimxml_op *op, const char *name)
{
    const cimxml_arg *a = cimxml_request_arg(op->req, name);
    return !a || (a->kind == CIMXML_ARG_DATA && a->data.is_null);
}

static bool read_count(cimxml_op *op, const char *name, uint32_t fallback, uint32_t *out)
{
    *out = fallback;
    if (absent(op, name))
        return true;
    const char *text = NULL;
    if (!cimxml_arg_text(op, name, &text))
        return false;
    char *end = NULL;
    unsigned long long n = strtoull(text, &end, 10);
    if (!*text || *text == '-' || *end || n > UINT32_MAX)
        FAULT(CIM_ERR_INVALID_PARAMETER,
                                    "The parameter %s of %s must be a uint32, not \"%s\".", name,
                                    op->req->method, text);
    *out = (uint32_t)n;
    return true;
}

/* OperationTimeout, ContinueOnError and MaxObjectCount of every Open. */
static bool read_open(cimxml_op *op, int64_t *idle_us, uint32_t *max_objects)
{
    bool continue_on_error = false;
    uint32_t timeout_s = 0;
    if (!cimxml_arg_bool(op, "ContinueOnError", false, &continue_on_error) ||
        !read_count(op, "OperationTimeout", 0, &timeout_s) ||
        !read_count(op, "MaxObjectCount", 0, max_objects))
        return false;
    if (continue_on_error)
        FAULT(CIM_ERR_CONTINUATION_ON_ERROR_NOT_SUPPORTED,
                                    "ContinueOnError is not supported: an enumeration stops at "
                                    "its first error.");
    *idle_us = cimxml_contexts_idle_us(op->contexts);
    if (timeout_s && (int64_t)timeout_s * 1000000 < *idle_us)
        *idle_us = (int64_t)timeout_s * 1000000; /* a client may shorten it, not extend it */
    return true;
}

static bool no_filter(cimxml_op *op)
{
    if (absent(op, "FilterQuery") && absent(op, "FilterQueryLanguage"))
        return true;
    FAULT(CIM_ERR_FILTERED_ENUMERATION_NOT_SUPPORTED,
                                "%s does not filter; use OpenQueryInstances with a WQL query.",
                                op->req->method);
}

/* ---- answering ------------------------------------------------------------ */

typedef struct page {
    cimxml_rows *rows;
    cim_buf *out;
    uint32_t left;
} page;

static smsprov_take write_one(void *data, cim_instance *take)
{
    page *p = data;
    p->rows->write(p->rows->data, p->out, take);
    cim_instance_free(take);
    return --p->left > 0 ? SMSPROV_TAKE_NEXT : SMSPROV_TAKE_STOP;
}

/* Writes up to max instances; *end when the cursor has nothing more. */
static bool write_page(cimxml_op *op, cimxml_context *c, uint32_t max, bool *end)
{
    *end = smsprov_cursor_at_end(c->rows.cursor);
    if (max == 0 || *end)
        return true;
    if (max > MAX_OBJECTS)
        max = MAX_OBJECTS;
    page p = {&c->rows, op->out, max};
    smsprov_error err = {0};
    if (smsprov_cursor_next(c->rows.cursor, max, write_one, &p, end, &err) != SMSPROV_OK)
        return cimxml_op_fail(op, &err);
    return true;
}

static void write_out_params(cimxml_op *op, const char *id, bool end)
{
    cim_buf_append(op->out_params, "<PARAMVALUE NAME=\"EnumerationContext\">");
    if (end)
        cim_buf_append(op->out_params, "<VALUE.NULL/>");
    else
        cim_buf_printf(op->out_params, "<VALUE>%s</VALUE>", id);
    cim_buf_append(op->out_params, "</PARAMVALUE><PARAMVALUE NAME=\"EndOfSequence\"><VALUE>");
    cim_buf_append(op->out_params, end ? "TRUE" : "FALSE");
    cim_buf_append(op->out_params, "</VALUE></PARAMVALUE>");
}

static char *new_id(void)
{
    unsigned char bytes[16];
    platform_random_bytes(bytes, sizeof bytes);
    char *id = cim_xmalloc(sizeof bytes * 2 + 1);
    for (size_t i = 0; i < sizeof bytes; i++)
        snprintf(id + 2 * i, 3, "%02x", bytes[i]);
    return id;
}

/* Answers an Open's first page and keeps the context unless it ended. */
static bool open_context(cimxml_op *op, cimxml_pull_kind kind, cimxml_rows *rows,
                         int64_t idle_us, uint32_t max)
{
    cimxml_context *c = cim_xcalloc(1, sizeof *c);
    c->id = new_id();
    c->user = cim_xstrdup(op->call.user ? op->call.user : "");
    c->kind = kind;
    c->rows = *rows;
    *rows = (cimxml_rows){0};
    c->idle_us = idle_us;
    op->returns_value = true;
    bool end = false;
    bool ok = write_page(op, c, max, &end);
    char *id = cim_xstrdup(c->id); /* a stored context may expire at once */
    if (ok && !end) {
        cimxml_context_put put = cimxml_contexts_put(op->contexts, c);
        if (put == CIMXML_CONTEXT_STORED) {
            c = NULL;
        } else {
            ok = false;
            cim_buf_clear(op->out);
            if (put == CIMXML_CONTEXT_TOO_MANY_FOR_USER)
                cimxml_fault_set_cim(op->fault, CIM_ERR_SERVER_LIMITS_EXCEEDED,
                                     "You have %u enumerations open, as many as one user may; "
                                     "pull them to the end or close them.",
                                     cimxml_contexts_max_per_user(op->contexts));
            else
                cimxml_fault_set_cim(op->fault, CIM_ERR_SERVER_LIMITS_EXCEEDED,
                                     "Too many enumerations are open (%u); pull or close them, "
                                     "or wait for idle ones to expire.",
                                     cimxml_contexts_max_open(op->contexts));
        }
    }
    if (ok)
        write_out_params(op, id, end);
    free(id);
    cimxml_context_free(c);
    return ok;
}

static bool served(cimxml_op *op)
{
    if (op->contexts)
        return true;
    FAULT(CIM_ERR_NOT_SUPPORTED,
                                "This server keeps no enumeration contexts.");
}

/* ---- the operations ------------------------------------------------------- */

static bool open_class(cimxml_op *op, cimxml_pull_kind kind)
{
    const char *name = NULL;
    int64_t idle_us = 0;
    uint32_t max = 0;
    if (!served(op) || !cimxml_arg_classname(op, "ClassName", true, &name) || !no_filter(op) ||
        !read_open(op, &idle_us, &max))
        return false;
    pull_writer *w = new_writer(op);
    bool ok = true;
    if (kind == CIMXML_PULL_INSTANCES_WITH_PATH)
        ok = cimxml_arg_bool(op, "DeepInheritance", true, &w->filter.deep) &&
             cimxml_arg_bool(op, "IncludeClassOrigin", false,
                             &w->options.include_class_origin) &&
             cimxml_arg_property_list(op, &w->property_list);
    own_names(w);
    w->filter.property_list = w->property_list;
    smsprov_error err = {0};
    cimxml_rows rows = {.write = kind == CIMXML_PULL_PATHS ? write_path : write_with_path,
                        .free = free_writer, .data = w};
    if (ok && (smsprov_get_class(op->site, &op->call, name, &w->filter.requested, &err) ||
               smsprov_enumerate_open(op->site, &op->call, name, SMSPROV_ENUM_DEEP, &rows.cursor,
                                      &err)))
        ok = cimxml_op_fail(op, &err);
    ok = ok && open_context(op, kind, &rows, idle_us, max);
    cimxml_rows_clear(&rows);
    return ok;
}

bool cimxml_op_open_enumerate_instances(cimxml_op *op)
{
    return open_class(op, CIMXML_PULL_INSTANCES_WITH_PATH);
}

bool cimxml_op_open_enumerate_instance_paths(cimxml_op *op)
{
    return open_class(op, CIMXML_PULL_PATHS);
}

bool cimxml_op_open_query_instances(cimxml_op *op)
{
    const char *language = NULL, *query = NULL;
    bool result_class = false;
    int64_t idle_us = 0;
    uint32_t max = 0;
    if (!served(op) || !cimxml_arg_text(op, "FilterQueryLanguage", &language) ||
        !cimxml_arg_text(op, "FilterQuery", &query) ||
        !cimxml_arg_bool(op, "ReturnQueryResultClass", false, &result_class) ||
        !read_open(op, &idle_us, &max))
        return false;
    if (cim_strcasecmp(language, "WQL") != 0)
        FAULT(CIM_ERR_QUERY_LANGUAGE_NOT_SUPPORTED,
                                    "The query language \"%s\" is not supported; use WQL.",
                                    language);
    if (result_class)
        FAULT(CIM_ERR_NOT_SUPPORTED,
                                    "ReturnQueryResultClass is not supported; ask for FALSE.");
    cimxml_rows rows = {.write = write_instance, .free = free_writer, .data = new_writer(op)};
    smsprov_error err = {0};
    bool ok = smsprov_query_open(op->site, &op->call, language, query, &rows.cursor, &err) ==
                  SMSPROV_OK ||
              cimxml_op_fail(op, &err);
    ok = ok && open_context(op, CIMXML_PULL_INSTANCES, &rows, idle_us, max);
    cimxml_rows_clear(&rows);
    return ok;
}

static const char *const pull_names[] = {"PullInstancesWithPath", "PullInstancePaths",
                                         "PullInstances"};

/* The context a Pull or CloseEnumeration names, taken out of the store. */
static cimxml_context *take_context(cimxml_op *op)
{
    const char *id = NULL;
    if (!served(op) || !cimxml_arg_text(op, "EnumerationContext", &id))
        return NULL;
    cimxml_context *c = cimxml_contexts_take(op->contexts, id, op->call.user ? op->call.user : "");
    if (!c)
        cimxml_fault_set_cim(op->fault, CIM_ERR_INVALID_ENUMERATION_CONTEXT,
                             "The enumeration context \"%.80s\" is not valid: it ended, was "
                             "closed or expired. Open a new enumeration.",
                             id);
    return c;
}

static bool pull(cimxml_op *op, cimxml_pull_kind kind)
{
    uint32_t max = 0;
    if (!read_count(op, "MaxObjectCount", 0, &max))
        return false;
    cimxml_context *c = take_context(op);
    if (!c)
        return false;
    if (c->kind != kind) {
        cimxml_fault_set_cim(op->fault, CIM_ERR_INVALID_ENUMERATION_CONTEXT,
                             "This enumeration context was opened for %s, not %s.",
                             pull_names[c->kind], op->req->method);
        cimxml_contexts_put(op->contexts, c); /* still the client's to pull rightly */
        return false;
    }
    op->returns_value = true;
    bool end = false;
    bool ok = write_page(op, c, max, &end);
    if (ok)
        write_out_params(op, c->id, end);
    /* A failed Pull keeps the context; a finished one is gone. */
    if ((ok && end) || cimxml_contexts_put(op->contexts, c) != CIMXML_CONTEXT_STORED)
        cimxml_context_free(c);
    return ok;
}

bool cimxml_op_pull_instances_with_path(cimxml_op *op)
{
    return pull(op, CIMXML_PULL_INSTANCES_WITH_PATH);
}

bool cimxml_op_pull_instance_paths(cimxml_op *op)
{
    return pull(op, CIMXML_PULL_PATHS);
}

bool cimxml_op_pull_instances(cimxml_op *op)
{
    return pull(op, CIMXML_PULL_INSTANCES);
}

bool cimxml_op_close_enumeration(cimxml_op *op)
{
    cimxml_context *c = take_context(op);
    cimxml_context_free(c);
    return c != NULL;
}
