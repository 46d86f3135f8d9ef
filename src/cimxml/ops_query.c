/* ops_query.c - ExecQuery (WQL), answered as VALUE.OBJECTWITHPATH while
 * the query's cursor reads the results. */
#include <stdlib.h>

#include "cimxml/ops.h"
#include "xmlcim/names.h"

/* What writing a result needs after the request is gone. */
typedef struct query_rows {
    char *host;
    char *namespace_path;
} query_rows;

static void write_result(void *data, cim_buf *b, const cim_instance *inst)
{
    const query_rows *q = data;
    xmlcim_write_object_with_path(b, q->host, q->namespace_path, inst, NULL);
}

static void free_query_rows(void *data)
{
    query_rows *q = data;
    free(q->host);
    free(q->namespace_path);
    free(q);
}

bool cimxml_op_exec_query(cimxml_op *op)
{
    const char *language = NULL, *query = NULL;
    if (!cimxml_arg_text(op, "QueryLanguage", &language) || !cimxml_arg_text(op, "Query", &query))
        return false;
    if (cim_strcasecmp(language, "WQL") != 0) {
        cimxml_fault_set_cim(op->fault, CIM_ERR_QUERY_LANGUAGE_NOT_SUPPORTED,
                             "The query language \"%s\" is not supported; use WQL.", language);
        return false;
    }
    smsprov_error err = {0};
    if (smsprov_query_open(op->site, &op->call, language, query, &op->rows.cursor, &err) !=
        SMSPROV_OK)
        return cimxml_op_fail(op, &err);
    op->returns_value = true;
    const char *ns =
        op->call.namespace_path ? op->call.namespace_path : smsprov_site_namespace(op->site);
    query_rows *q = cim_xmalloc(sizeof *q);
    *q = (query_rows){cim_xstrdup(op->host), cim_xstrdup(ns)};
    op->rows.write = write_result;
    op->rows.free = free_query_rows;
    op->rows.data = q;
    return true;
}
