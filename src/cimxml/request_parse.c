/* request_parse.c - the request envelope: CIM, MESSAGE, SIMPLEREQ, then an
 * IMETHODCALL with IPARAMVALUEs or a METHODCALL with PARAMVALUEs. */
#include <stdlib.h>
#include <string.h>

#include "cimxml/request_internal.h"

/* "2.0", "2.4": the major version must be the one we speak. */
static bool major_version_is(const char *version, char major)
{
    return version && version[0] == major && (version[1] == '\0' || version[1] == '.');
}

/* Checks the major version; *minor (when not NULL) gets the minor one. */
static bool check_version(const xmlNode *n, const char *attr, char major, const char *cim_error,
                          const char *what, unsigned *minor, cimxml_fault *fault)
{
    char *v = cimxml_required_attr(n, attr, fault);
    if (!v)
        return false;
    bool ok = major_version_is(v, major);
    if (!ok)
        cimxml_fault_set(fault, 501, cim_error,
                         "%s \"%s\" is not supported; this server speaks %c.x.", what, v, major);
    if (ok && minor && v[1] == '.')
        *minor = (unsigned)strtoul(v + 2, NULL, 10);
    free(v);
    return ok;
}

static void clear_arg(cimxml_arg *a)
{
    free(a->name);
    free(a->element);
    free(a->paramtype);
    cimxml_data_clear(&a->data);
    free(a->class_name);
    cim_object_path_clear(&a->path);
    cimxml_instance_clear(&a->instance);
}

void cimxml_request_clear(cimxml_request *req)
{
    free(req->message_id);
    free(req->method);
    free(req->namespace_path);
    cim_object_path_clear(&req->target);
    for (size_t i = 0; i < req->arg_count; i++)
        clear_arg(&req->args[i]);
    free(req->args);
    *req = (cimxml_request){0};
}

const cimxml_arg *cimxml_request_arg(const cimxml_request *req, const char *name)
{
    for (size_t i = 0; i < req->arg_count; i++)
        if (cim_strcasecmp(req->args[i].name, name) == 0)
            return &req->args[i];
    return NULL;
}

/* VALUE.NAMEDINSTANCE: INSTANCENAME then INSTANCE. */
static bool read_named_instance(const xmlNode *n, cimxml_arg *a, cimxml_fault *fault)
{
    xmlNode *name = cimxml_first_element(n);
    if (!cimxml_is(name, "INSTANCENAME"))
        return cimxml_unexpected(n, name, "<INSTANCENAME>", fault);
    xmlNode *inst = cimxml_next_element(name);
    if (!cimxml_is(inst, "INSTANCE"))
        return cimxml_unexpected(n, inst, "<INSTANCE>", fault);
    if (cimxml_next_element(inst))
        return cimxml_unexpected(n, cimxml_next_element(inst), "nothing after <INSTANCE>", fault);
    return cimxml_read_instancename(name, &a->path, fault) &&
           cimxml_read_instance(inst, &a->instance, fault);
}

/* The one element an IPARAMVALUE or PARAMVALUE carries (or none: null). */
static bool read_arg_value(const xmlNode *n, cimxml_arg *a, cimxml_fault *fault)
{
    a->data.is_null = true;
    xmlNode *v = cimxml_first_element(n);
    if (!v)
        return true;
    if (cimxml_next_element(v))
        return cimxml_unexpected(n, cimxml_next_element(v), "one value", fault);
    a->element = cim_xstrdup((const char *)v->name);
    if (cimxml_is_data_element(v)) {
        a->kind = CIMXML_ARG_DATA;
        return cimxml_read_data(v, &a->data, fault);
    }
    if (cimxml_is(v, "CLASSNAME")) {
        a->kind = CIMXML_ARG_CLASSNAME;
        return cimxml_read_classname(v, &a->class_name, fault);
    }
    if (cimxml_is(v, "INSTANCENAME")) {
        a->kind = CIMXML_ARG_INSTANCENAME;
        return cimxml_read_instancename(v, &a->path, fault);
    }
    if (cimxml_is(v, "INSTANCE")) {
        a->kind = CIMXML_ARG_INSTANCE;
        return cimxml_read_instance(v, &a->instance, fault);
    }
    if (cimxml_is(v, "VALUE.NAMEDINSTANCE")) {
        a->kind = CIMXML_ARG_NAMED_INSTANCE;
        return read_named_instance(v, a, fault);
    }
    if (cimxml_is(v, "CLASS") || cimxml_is(v, "QUALIFIER.DECLARATION")) {
        a->kind = CIMXML_ARG_UNSUPPORTED;
        return true;
    }
    return cimxml_unexpected(n, v, "a value, a class or instance name, or an instance", fault);
}

static bool read_arg(const xmlNode *n, cimxml_request *req, cimxml_fault *fault)
{
    char *name = cimxml_required_attr(n, "NAME", fault);
    if (!name)
        return false;
    if (req->arg_count >= CIMXML_MAX_PARAMS) {
        cimxml_fault_set_cim(fault, 4,
                             "%s is given more than %d parameters (the first is %s); no "
                             "operation takes that many.",
                             req->method, CIMXML_MAX_PARAMS, req->args[0].name);
        free(name);
        return false;
    }
    if (cimxml_request_arg(req, name)) {
        cimxml_fault_set_cim(fault, 4, "The parameter %s of %s is given twice.", name, req->method);
        free(name);
        return false;
    }
    req->args = cim_xrealloc(req->args, (req->arg_count + 1) * sizeof *req->args);
    cimxml_arg *a = &req->args[req->arg_count++];
    *a = (cimxml_arg){.name = name};
    if (!req->intrinsic) {
        a->paramtype = cimxml_attr(n, "PARAMTYPE");
        if (a->paramtype && !cimxml_valid_type_name(a->paramtype, true)) {
            cimxml_fault_set(fault, 400, CIMXML_NOT_VALID,
                             "Line %ld: PARAMTYPE=\"%s\" of parameter %s is not a CIM type.",
                             cimxml_line(n), a->paramtype, name);
            return false;
        }
        char *embedded = cimxml_attr(n, "EmbeddedObject");
        a->embedded = embedded != NULL;
        bool valid =
            !embedded || strcmp(embedded, "object") == 0 || strcmp(embedded, "instance") == 0;
        if (!valid)
            cimxml_fault_set(fault, 400, CIMXML_NOT_VALID,
                             "Line %ld: EmbeddedObject=\"%s\" of parameter %s is neither "
                             "\"object\" nor \"instance\".",
                             cimxml_line(n), embedded, name);
        free(embedded);
        if (!valid)
            return false;
    }
    return read_arg_value(n, a, fault);
}

/* The parameters after the target, up to an optional RESPONSEDESTINATION. */
static bool read_args(const xmlNode *call, xmlNode *first, cimxml_request *req, cimxml_fault *fault)
{
    const char *tag = req->intrinsic ? "IPARAMVALUE" : "PARAMVALUE";
    for (xmlNode *n = first; n; n = cimxml_next_element(n)) {
        if (cimxml_is(n, "RESPONSEDESTINATION") && !cimxml_next_element(n))
            break;
        if (!cimxml_is(n, tag))
            return cimxml_unexpected(call, n, req->intrinsic ? "<IPARAMVALUE>" : "<PARAMVALUE>",
                                     fault);
        if (!read_arg(n, req, fault))
            return false;
    }
    return true;
}

static bool read_imethodcall(const xmlNode *call, cimxml_request *req, cimxml_fault *fault)
{
    xmlNode *ns = cimxml_first_element(call);
    if (!cimxml_is(ns, "LOCALNAMESPACEPATH"))
        return cimxml_unexpected(call, ns, "<LOCALNAMESPACEPATH>", fault);
    return cimxml_read_namespace(ns, &req->namespace_path, fault) &&
           read_args(call, cimxml_next_element(ns), req, fault);
}

static bool read_methodcall(const xmlNode *call, cimxml_request *req, cimxml_fault *fault)
{
    xmlNode *target = cimxml_first_element(call);
    if (!cimxml_is(target, "LOCALINSTANCEPATH") && !cimxml_is(target, "LOCALCLASSPATH"))
        return cimxml_unexpected(call, target, "<LOCALINSTANCEPATH> or <LOCALCLASSPATH>", fault);
    req->target_is_instance = cimxml_is(target, "LOCALINSTANCEPATH");
    if (!cimxml_read_object_path(target, &req->target, fault))
        return false;
    req->namespace_path = cim_xstrdup(req->target.namespace_path);
    return read_args(call, cimxml_next_element(target), req, fault);
}

static bool read_simplereq(const xmlNode *simple, cimxml_request *req, cimxml_fault *fault)
{
    xmlNode *call = cimxml_first_element(simple);
    while (cimxml_is(call, "CORRELATOR"))
        call = cimxml_next_element(call);
    req->intrinsic = cimxml_is(call, "IMETHODCALL");
    if (!req->intrinsic && !cimxml_is(call, "METHODCALL"))
        return cimxml_unexpected(simple, call, "<IMETHODCALL> or <METHODCALL>", fault);
    if (cimxml_next_element(call))
        return cimxml_unexpected(simple, cimxml_next_element(call), "one call", fault);
    if (!(req->method = cimxml_required_attr(call, "NAME", fault)))
        return false;
    return req->intrinsic ? read_imethodcall(call, req, fault) : read_methodcall(call, req, fault);
}

static bool read_message(const xmlNode *msg, cimxml_request *req, cimxml_fault *fault)
{
    if (!(req->message_id = cimxml_required_attr(msg, "ID", fault)))
        return false;
    if (!check_version(msg, "PROTOCOLVERSION", '1', "unsupported-protocol-version",
                       "The MESSAGE PROTOCOLVERSION", NULL, fault))
        return false;
    xmlNode *body = cimxml_first_element(msg);
    if (cimxml_is(body, "MULTIREQ")) {
        cimxml_fault_set(fault, 501, "multiple-requests-unsupported",
                         "This server takes one operation per request (SIMPLEREQ), not MULTIREQ.");
        return false;
    }
    if (!cimxml_is(body, "SIMPLEREQ"))
        return cimxml_unexpected(msg, body, "<SIMPLEREQ>", fault);
    if (cimxml_next_element(body))
        return cimxml_unexpected(msg, cimxml_next_element(body), "one request", fault);
    return read_simplereq(body, req, fault);
}

bool cimxml_request_parse(const char *body, size_t len, cimxml_request *req, cimxml_fault *fault)
{
    *req = (cimxml_request){0};
    xmlDocPtr doc = cimxml_xml_read(body, len, fault);
    if (!doc)
        return false;
    xmlNode *root = xmlDocGetRootElement(doc);
    bool ok;
    if (!cimxml_is(root, "CIM")) {
        cimxml_fault_set(fault, 400, CIMXML_NOT_LOOSELY_VALID,
                         "The document element is <%s>; a CIM-XML request starts with <CIM>.",
                         root ? (const char *)root->name : "");
        ok = false;
    } else {
        xmlNode *msg = cimxml_first_element(root);
        ok = check_version(root, "CIMVERSION", '2', "unsupported-cim-version", "CIMVERSION",
                           NULL, fault) &&
             check_version(root, "DTDVERSION", '2', "unsupported-dtd-version", "DTDVERSION",
                           &req->dtd_minor, fault);
        if (ok && !cimxml_is(msg, "MESSAGE"))
            ok = cimxml_unexpected(root, msg, "<MESSAGE>", fault);
        if (ok && cimxml_next_element(msg))
            ok = cimxml_unexpected(root, cimxml_next_element(msg), "one MESSAGE", fault);
        if (ok)
            ok = cimxml_check_text_placement(root, fault);
        if (ok)
            ok = read_message(msg, req, fault);
    }
    xmlFreeDoc(doc);
    /* A CIM fault is answered in the body, for which the ID and name are
     * enough; anything else leaves nothing behind. */
    if (!ok && (fault->http_status != 0 || !req->message_id || !req->method))
        cimxml_request_clear(req);
    return ok;
}
