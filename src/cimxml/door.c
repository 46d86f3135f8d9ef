/* door.c - one CIM-XML request from headers to answer: check the headers,
 * parse the body, run the operation, write the response. */
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>

#include "cimxml/cimxml.h"
#include "cimxml/contexts.h"
#include "cimxml/headers.h"
#include "cimxml/ops.h"
#include "cimxml/response.h"
#include "xmlcim/xmlcim.h"

#define XML_CONTENT_TYPE CIMXML_XML_CONTENT_TYPE
#define TEXT_CONTENT_TYPE "text/plain; charset=utf-8"
#define MAX_PARAMS 9

typedef struct intrinsic {
    const char *name;
    cimxml_op_fn run;
    const char *params[MAX_PARAMS + 1]; /* the IPARAMVALUE names it takes */
} intrinsic;

static const intrinsic intrinsics[] = {
    {"GetClass",
     cimxml_op_get_class,
     {"ClassName", "LocalOnly", "IncludeQualifiers", "IncludeClassOrigin", "PropertyList"}},
    {"EnumerateClasses",
     cimxml_op_enumerate_classes,
     {"ClassName", "DeepInheritance", "LocalOnly", "IncludeQualifiers", "IncludeClassOrigin"}},
    {"EnumerateClassNames", cimxml_op_enumerate_class_names, {"ClassName", "DeepInheritance"}},
    {"GetInstance",
     cimxml_op_get_instance,
     {"InstanceName", "LocalOnly", "IncludeQualifiers", "IncludeClassOrigin", "PropertyList"}},
    {"EnumerateInstances",
     cimxml_op_enumerate_instances,
     {"ClassName", "LocalOnly", "DeepInheritance", "IncludeQualifiers", "IncludeClassOrigin",
      "PropertyList"}},
    {"EnumerateInstanceNames", cimxml_op_enumerate_instance_names, {"ClassName"}},
    {"CreateInstance", cimxml_op_create_instance, {"NewInstance"}},
    {"ModifyInstance",
     cimxml_op_modify_instance,
     {"ModifiedInstance", "IncludeQualifiers", "PropertyList"}},
    {"DeleteInstance", cimxml_op_delete_instance, {"InstanceName"}},
    {"ExecQuery", cimxml_op_exec_query, {"QueryLanguage", "Query"}},
    {"GetProperty", cimxml_op_get_property, {"InstanceName", "PropertyName"}},
    {"SetProperty", cimxml_op_set_property, {"InstanceName", "PropertyName", "NewValue"}},
    {"OpenEnumerateInstances",
     cimxml_op_open_enumerate_instances,
     {"ClassName", "DeepInheritance", "IncludeClassOrigin", "PropertyList", "FilterQueryLanguage",
      "FilterQuery", "OperationTimeout", "ContinueOnError", "MaxObjectCount"}},
    {"OpenEnumerateInstancePaths",
     cimxml_op_open_enumerate_instance_paths,
     {"ClassName", "FilterQueryLanguage", "FilterQuery", "OperationTimeout", "ContinueOnError",
      "MaxObjectCount"}},
    {"OpenQueryInstances",
     cimxml_op_open_query_instances,
     {"FilterQuery", "FilterQueryLanguage", "ReturnQueryResultClass", "OperationTimeout",
      "ContinueOnError", "MaxObjectCount"}},
    {"PullInstancesWithPath",
     cimxml_op_pull_instances_with_path,
     {"EnumerationContext", "MaxObjectCount"}},
    {"PullInstancePaths", cimxml_op_pull_instance_paths, {"EnumerationContext", "MaxObjectCount"}},
    {"PullInstances", cimxml_op_pull_instances, {"EnumerationContext", "MaxObjectCount"}},
    {"CloseEnumeration", cimxml_op_close_enumeration, {"EnumerationContext"}},
};

void cimxml_init(void)
{
    xmlInitParser();
}

static const intrinsic *find_intrinsic(const char *name)
{
    for (size_t i = 0; i < sizeof intrinsics / sizeof intrinsics[0]; i++)
        if (cim_strcasecmp(intrinsics[i].name, name) == 0)
            return &intrinsics[i];
    return NULL;
}

static bool takes(const intrinsic *op, const char *param)
{
    for (const char *const *p = op->params; *p; p++)
        if (cim_strcasecmp(*p, param) == 0)
            return true;
    return false;
}

static bool run_intrinsic(cimxml_op *op)
{
    const intrinsic *entry = find_intrinsic(op->req->method);
    if (!entry) {
        cimxml_fault_set_cim(op->fault, CIM_ERR_NOT_SUPPORTED,
                             "The operation %s is not supported by this server; it serves "
                             "GetClass, EnumerateClasses, EnumerateClassNames, GetInstance, "
                             "EnumerateInstances, EnumerateInstanceNames, CreateInstance, "
                             "ModifyInstance, DeleteInstance, GetProperty, SetProperty, "
                             "ExecQuery and the pull operations (OpenEnumerateInstances, "
                             "OpenEnumerateInstancePaths, OpenQueryInstances, Pull*, "
                             "CloseEnumeration).",
                             op->req->method);
        return false;
    }
    for (size_t i = 0; i < op->req->arg_count; i++) {
        if (!takes(entry, op->req->args[i].name)) {
            cimxml_fault_set_cim(op->fault, CIM_ERR_INVALID_PARAMETER,
                                 "%s takes no parameter named %s.", entry->name,
                                 op->req->args[i].name);
            return false;
        }
    }
    return entry->run(op);
}

static void protocol_answer(const cimxml_fault *fault, cimxml_answer *out)
{
    out->status = fault->http_status ? fault->http_status : 400;
    out->cim_error = fault->cim_error ? fault->cim_error : "request-not-loosely-valid";
    out->content_type = TEXT_CONTENT_TYPE;
    out->body = cim_xasprintf("%s\n", fault->description);
    out->body_len = strlen(out->body);
}

static void take_body(cim_buf *b, cimxml_answer *out)
{
    out->status = 200;
    out->content_type = XML_CONTENT_TYPE;
    out->body_len = b->len;
    out->body = cim_buf_take(b);
}

static void error_answer(smsprov_site *site, const cimxml_request *req, const cimxml_fault *fault,
                         cimxml_answer *out)
{
    /* ERROR holds INSTANCE* from DTD 2.2 on; in 2.0 and 2.1 it is empty, and
     * a client of those (sblim-wbemcli sends 2.0) fails on any content. */
    cim_instance *status =
        req->dtd_minor >= 2 ? xmlcim_extended_status(smsprov_site_schema(site),
                                                     smsprov_site_namespace(site), &fault->error)
                            : NULL;
    cim_buf b = {0};
    cimxml_response_begin(&b, req->message_id, req->intrinsic, req->method);
    cimxml_response_error(&b, fault->cim_status, fault->description, status);
    if (status)
        cim_instance_free(status);
    cimxml_response_end(&b, req->intrinsic);
    take_body(&b, out);
}

static void run(smsprov_site *site, cimxml_contexts *contexts, smsprov_log *log,
                const cimxml_headers *h, const cimxml_request *req, const char *user,
                cimxml_fault *fault, cimxml_answer *out)
{
    cim_buf result = {0}, out_params = {0};
    cimxml_op op = {
        .contexts = contexts,
        .out_params = &out_params,
        .site = site,
        .call = {.namespace_path = req->namespace_path, .user = user ? user : ""},
        .req = req,
        .host = h->host && *h->host ? h->host : "localhost",
        .out = &result,
        .fault = fault,
    };
    bool ok = req->intrinsic ? run_intrinsic(&op) : cimxml_op_invoke_method(&op);
    if (!ok) {
        cimxml_rows_clear(&op.rows);
        cim_buf_clear(&out_params);
        cim_buf_clear(&result);
        error_answer(site, req, fault, out);
        return;
    }
    if (op.rows.cursor) {
        cim_buf_clear(&out_params);
        cim_buf_clear(&result);
        cimxml_stream_answer(req->message_id, req->method, &op.rows, log, out);
        return;
    }
    cim_buf b = {0};
    cimxml_response_begin(&b, req->message_id, req->intrinsic, req->method);
    if (op.returns_value)
        cim_buf_append(&b, "<IRETURNVALUE>");
    cim_buf_append_n(&b, result.data ? result.data : "", result.len);
    if (op.returns_value)
        cim_buf_append(&b, "</IRETURNVALUE>");
    cim_buf_append_n(&b, out_params.data ? out_params.data : "", out_params.len);
    cim_buf_clear(&out_params);
    cimxml_response_end(&b, req->intrinsic);
    cim_buf_clear(&result);
    take_body(&b, out);
}

void cimxml_serve(smsprov_site *site, cimxml_contexts *contexts, smsprov_log *log,
                  const cimxml_headers *headers, const char *body, size_t body_len,
                  const char *user, cimxml_answer *out)
{
    *out = (cimxml_answer){0};
    cimxml_fault fault = {0};
    cimxml_request req = {0};
    bool parsed = cimxml_check_request_headers(headers, &fault) &&
                  cimxml_request_parse(body, body_len, &req, &fault);
    if (parsed && cimxml_check_headers_match(headers, &req, &fault)) {
        run(site, contexts, log, headers, &req, user, &fault, out);
    } else if (fault.http_status == 0 && req.message_id) {
        error_answer(site, &req, &fault, out); /* a value the parser could not use */
    } else {
        SMSPROV_LOG(log, SMSPROV_LOG_WARNING, "CIM-XML request refused (%u %s): %s",
                    fault.http_status, fault.cim_error, fault.description);
        protocol_answer(&fault, out);
    }
    if (out->status == 200 && fault.description)
        SMSPROV_LOG(log, SMSPROV_LOG_INFO, "CIM-XML %s for %s: error %d: %s", req.method,
                    user ? user : "local", fault.cim_status, fault.description);
    else if (out->status == 200)
        SMSPROV_LOG(log, SMSPROV_LOG_VERBOSE, "CIM-XML %s for %s: %zu bytes", req.method,
                    user ? user : "local", out->body_len);
    cimxml_fault_clear(&fault);
    cimxml_request_clear(&req);
}
