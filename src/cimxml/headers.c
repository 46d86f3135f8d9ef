/* headers.c - CIMOperation, CIMProtocolVersion, CIMBatch, CIMMethod and
 * CIMObject (DSP0200 "Extension headers"). */
#include "cimxml/headers.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define HEADER_MISMATCH "header-mismatch"

static int hex_digit(char c)
{
    if (isdigit((unsigned char)c))
        return c - '0';
    c = (char)tolower((unsigned char)c);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

char *cimxml_url_decode(const char *text)
{
    size_t n = strlen(text);
    char *out = cim_xmalloc(n + 1), *w = out;
    for (size_t i = 0; i < n; i++) {
        if (text[i] == '%' && i + 2 < n && hex_digit(text[i + 1]) >= 0 &&
            hex_digit(text[i + 2]) >= 0) {
            *w++ = (char)(hex_digit(text[i + 1]) * 16 + hex_digit(text[i + 2]));
            i += 2;
        } else {
            *w++ = text[i];
        }
    }
    *w = '\0';
    return out;
}

bool cimxml_check_request_headers(const cimxml_headers *h, cimxml_fault *fault)
{
    if (!h->cim_operation || cim_strcasecmp(h->cim_operation, "MethodCall") != 0) {
        if (h->cim_operation)
            cimxml_fault_set(fault, 400, "unsupported-operation",
                             "CIMOperation \"%s\" is not supported; CIM operation requests carry "
                             "CIMOperation: MethodCall.",
                             h->cim_operation);
        else
            cimxml_fault_set(fault, 400, "unsupported-operation",
                             "This is not a CIM operation request: the CIMOperation: MethodCall "
                             "header is missing.");
        return false;
    }
    const char *v = h->cim_protocol_version;
    if (v && !(v[0] == '1' && (v[1] == '\0' || v[1] == '.'))) {
        cimxml_fault_set(fault, 501, "unsupported-protocol-version",
                         "CIMProtocolVersion \"%s\" is not supported; this server speaks 1.x.", v);
        return false;
    }
    if (h->cim_batch) {
        cimxml_fault_set(fault, 501, "multiple-requests-unsupported",
                         "This server takes one operation per request; CIMBatch is not supported.");
        return false;
    }
    return true;
}

static bool same_keys(const cim_object_path *a, const cim_object_path *b)
{
    if (a->key_count != b->key_count || a->singleton != b->singleton)
        return false;
    for (size_t i = 0; i < a->key_count; i++) {
        const cim_keybinding *other =
            a->keys[i].name ? cim_object_path_find_key(b, a->keys[i].name) : &b->keys[0];
        if (!other)
            return false;
        char *x = cim_value_to_text(&a->keys[i].value);
        char *y = cim_value_to_text(&other->value);
        bool same = x && y && strcmp(x, y) == 0;
        free(x);
        free(y);
        if (!same)
            return false;
    }
    return true;
}

static bool object_matches(const char *header, const cimxml_request *req)
{
    if (req->intrinsic)
        return cim_namespace_equal(header, req->namespace_path);
    cim_object_path path = {0};
    if (cim_object_path_parse(header, &path, NULL) != SMSPROV_OK)
        return false;
    bool same = path.namespace_path &&
                cim_namespace_equal(path.namespace_path, req->target.namespace_path) &&
                cim_strcasecmp(path.class_name, req->target.class_name) == 0 &&
                (req->target_is_instance ? same_keys(&path, &req->target) : path.key_count == 0);
    cim_object_path_clear(&path);
    return same;
}

bool cimxml_check_headers_match(const cimxml_headers *h, const cimxml_request *req,
                                cimxml_fault *fault)
{
    if (!h->cim_method || !*h->cim_method) {
        cimxml_fault_set(fault, 400, HEADER_MISMATCH,
                         "The CIMMethod header is missing or empty; it must name the method "
                         "(%s).",
                         req->method);
        return false;
    }
    char *method = cimxml_url_decode(h->cim_method);
    bool ok = cim_strcasecmp(method, req->method) == 0;
    if (!ok)
        cimxml_fault_set(fault, 400, HEADER_MISMATCH,
                         "CIMMethod \"%s\" does not match the method of the request body (%s).",
                         method, req->method);
    free(method);
    if (!ok)
        return false;
    if (!h->cim_object || !*h->cim_object) {
        cimxml_fault_set(fault, 400, HEADER_MISMATCH,
                         "The CIMObject header is missing or empty; it must name the %s.",
                         req->intrinsic ? "namespace"
                                        : "class or instance the method is called on");
        return false;
    }
    char *object = cimxml_url_decode(h->cim_object);
    ok = object_matches(object, req);
    if (!ok) {
        char *body_object = req->intrinsic ? cim_xstrdup(req->namespace_path)
                                           : cim_object_path_format(&req->target, true);
        cimxml_fault_set(fault, 400, HEADER_MISMATCH,
                         "CIMObject \"%s\" does not match the object of the request body (%s).",
                         object, body_object);
        free(body_object);
    }
    free(object);
    return ok;
}
