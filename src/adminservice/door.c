/* door.c - the AdminService door: split the URL, read the query options,
 * and hand the request to the operation it names. */
#include "adminservice/request.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

adminservice_door *adminservice_door_new(smsprov_site *site, smsprov_log *log,
                                         const char *server)
{
    adminservice_door *d = cim_xcalloc(1, sizeof *d);
    d->site = site;
    d->schema = smsprov_site_schema(site);
    d->log = log;
    if (server) {
        d->server = cim_xstrdup(server);
    } else {
        char host[256] = "localhost";
        gethostname(host, sizeof host - 1);
        d->server = cim_xstrdup(host);
    }
    return d;
}

void adminservice_door_free(adminservice_door *door)
{
    if (door)
        free(door->server);
    free(door);
}

static void answer_text(as_request *r, unsigned status, const char *type, char *body)
{
    r->resp->status = status;
    r->resp->content_type = type;
    r->resp->body = body;
    r->resp->body_len = strlen(body);
}

void as_answer_json(as_request *r, unsigned status, cim_buf *body)
{
    answer_text(r, status,
                "application/json; odata.metadata=minimal; odata.streaming=true; "
                "IEEE754Compatible=false; charset=utf-8",
                cim_buf_take(body));
}

/* The error body; a provider error adds its SMS_ExtendedStatus as the
 * innererror, as the other doors carry it in their faults. */
static void fail_body(as_request *r, unsigned status, smsprov_code code, const char *text,
                      const smsprov_error *ext)
{
    cim_buf msg = {0};
    cim_buf_append(&msg, text);
    if (code)
        cim_buf_printf(&msg, " (%s, 0x%08X)", smsprov_code_name(code), (unsigned)code);
    cim_buf b = {0};
    cim_buf_printf(&b, "{\"error\":{\"code\":\"%u\",\"message\":", status);
    adminservice_json_string(&b, msg.data);
    if (ext) {
        cim_buf_printf(&b, ",\"innererror\":{\"__CLASS\":\"SMS_ExtendedStatus\","
                           "\"StatusCode\":%u,\"ErrorCode\":%u,\"Description\":",
                       (unsigned)(ext->status_code ? ext->status_code : (uint32_t)ext->code),
                       (unsigned)ext->error_code);
        adminservice_json_string(&b, ext->description ? ext->description : "");
        cim_buf_append(&b, ",\"Operation\":");
        adminservice_json_string(&b, ext->operation ? ext->operation : "");
        cim_buf_append(&b, ",\"ParameterInfo\":");
        adminservice_json_string(&b, ext->parameter_info ? ext->parameter_info : "");
        cim_buf_append(&b, "}");
    }
    cim_buf_append(&b, "}}");
    cim_buf_clear(&msg);
    as_answer_json(r, status, &b);
    SMSPROV_LOG(r->door->log, SMSPROV_LOG_INFO, "AdminService %s %s by %s: %u %s",
                r->http->method, r->http->path, r->call.user, status, text);
}

void as_fail(as_request *r, unsigned status, smsprov_code code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char text[1024];
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    fail_body(r, status, code, text, NULL);
}

void as_fail_provider(as_request *r, unsigned status, const smsprov_error *err)
{
    fail_body(r, status, err->code,
              err->description ? err->description : "The operation failed.", err);
}

static unsigned status_of(smsprov_code code)
{
    switch (code) {
    case SMSPROV_E_NOT_FOUND:
    case SMSPROV_E_INVALID_CLASS:
    case SMSPROV_E_INVALID_METHOD:
    case SMSPROV_E_INVALID_NAMESPACE:
        return 404;
    case SMSPROV_E_ACCESS_DENIED:
        return 403;
    case SMSPROV_E_ALREADY_EXISTS:
        return 409;
    case SMSPROV_E_NOT_SUPPORTED:
        return 501;
    case SMSPROV_E_TYPE_MISMATCH:
    case SMSPROV_E_INVALID_PARAMETER:
    case SMSPROV_E_INVALID_QUERY:
    case SMSPROV_E_INVALID_QUERY_TYPE:
    case SMSPROV_E_INVALID_SYNTAX:
    case SMSPROV_E_INVALID_OBJECT_PATH:
    case SMSPROV_E_INVALID_METHOD_PARAMETERS:
    case SMSPROV_E_ILLEGAL_NULL:
    case SMSPROV_E_VALUE_OUT_OF_RANGE:
    case SMSPROV_E_READ_ONLY:
    case SMSPROV_E_INVALID_OBJECT:
    case SMSPROV_E_INVALID_OPERATION:
        return 400;
    default:
        return 500;
    }
}

void as_fail_call(as_request *r, const smsprov_error *err)
{
    as_fail_provider(r, status_of(err->code), err);
}

/* ---- service document and $metadata ------------------------------------ */

static void service_document(as_request *r)
{
    size_t count = 0;
    const cim_class **classes =
        cim_schema_list_classes(r->door->schema, r->ns, NULL, true, &count);
    cim_buf b = {0};
    cim_buf_printf(&b, "{\"@odata.context\":\"%s$metadata\",\"value\":[", r->base);
    bool first = true;
    for (size_t i = 0; i < count; i++) {
        if (!classes[i]->key_count)
            continue;
        cim_buf_printf(&b, "%s{\"name\":\"%s\",\"kind\":\"EntitySet\",\"url\":\"%s\"}",
                       first ? "" : ",", classes[i]->name, classes[i]->name);
        first = false;
    }
    cim_buf_append(&b, "]}");
    free(classes);
    as_answer_json(r, 200, &b);
}

static void metadata(as_request *r)
{
    answer_text(r, 200, "application/xml;charset=utf-8",
                adminservice_csdl(r->door->schema, r->ns));
}

/* ---- routing ------------------------------------------------------------- */

static bool find_class(as_request *r, const char *name, size_t len)
{
    char *n = cim_xasprintf("%.*s", (int)len, name);
    r->cls = cim_schema_find_class(r->door->schema, r->ns, n);
    if (!r->cls)
        as_fail(r, 404, SMSPROV_E_INVALID_CLASS, "There is no class %.100s in %s.", n, r->ns);
    free(n);
    return r->cls != NULL;
}

/* Every $select name must be a property of the class, as ODataLib wants. */
static bool select_known(as_request *r)
{
    char **select = as_select_list(r->opts.select);
    bool ok = true;
    for (size_t i = 0; select && select[i] && ok; i++)
        if (!cim_class_find_property(r->cls, select[i])) {
            as_fail(r, 400, SMSPROV_E_INVALID_QUERY, "$select names %.100s, which class %s "
                    "does not have.", select[i], r->cls->name);
            ok = false;
        }
    as_free_list(select);
    return ok;
}

static void dispatch(as_request *r, const char *method, const char *rest)
{
    if (!*rest) {
        if (!strcmp(method, "GET"))
            service_document(r);
        else
            as_fail(r, 405, 0, "The service document can only be read (GET).");
        return;
    }
    if (!cim_strcasecmp(rest, "$metadata")) {
        if (!strcmp(method, "GET"))
            metadata(r);
        else
            as_fail(r, 405, 0, "$metadata can only be read (GET).");
        return;
    }
    size_t name_len = strcspn(rest, "(./");
    if (!find_class(r, rest, name_len) || !select_known(r))
        return;
    const char *p = rest + name_len;
    if (*p == '.') { /* Class.Method: a static method */
        r->method = cim_xstrdup(p + 1);
        if (strcmp(method, "POST"))
            as_fail(r, 405, 0, "Methods are called with POST.");
        else
            as_invoke(r);
        return;
    }
    if (*p == '(' || (*p == '/' && p[1] && cim_strcasecmp(p + 1, "$count"))) {
        bool segment = *p == '/';
        const char *keys = p + 1;
        char *key_text = NULL;
        if (!segment) {
            const char *close = strstr(keys, ")/");
            const char *end = close ? close + 1 : keys + strlen(keys);
            key_text = cim_xasprintf("%.*s", (int)(end - keys), keys);
            p = end;
        } else {
            key_text = cim_xstrdup(keys);
            p = keys + strlen(keys);
        }
        bool ok = as_parse_keys(r, key_text, segment);
        free(key_text);
        if (!ok)
            return;
        if (*p == '/') {
            const char *m = p + 1;
            if (!strncmp(m, "AdminService.", 13))
                m += 13;
            r->method = cim_xstrdup(m);
            if (strcmp(method, "POST"))
                as_fail(r, 405, 0, "Methods are called with POST.");
            else
                as_invoke(r);
            return;
        }
        if (!strcmp(method, "GET"))
            as_get_entity(r);
        else if (!strcmp(method, "DELETE"))
            as_delete_entity(r);
        else if (!strcmp(method, "PUT") || !strcmp(method, "PATCH"))
            as_write_entity(r, method);
        else
            as_fail(r, 405, 0, "An instance takes GET, PUT, PATCH and DELETE.");
        return;
    }
    if (*p == '/' && !cim_strcasecmp(p + 1, "$count")) {
        if (!strcmp(method, "GET"))
            as_get_count(r);
        else
            as_fail(r, 405, 0, "$count can only be read (GET).");
        return;
    }
    if (*p == '/') /* "Class/" */
        p++;
    if (*p) {
        as_fail(r, 404, 0, "The path segment '%.100s' is not served.", p);
        return;
    }
    if (!strcmp(method, "GET"))
        as_get_set(r);
    else if (!strcmp(method, "POST"))
        as_write_entity(r, method);
    else
        as_fail(r, 405, 0, "An entity set takes GET and POST.");
}

/* The Host header names the server in @odata.context and nextLink, as
 * clients address it; anything but a host name, an address and a port is
 * not written into JSON. */
static bool plain_host(const char *host)
{
    if (!host || !*host || strlen(host) > 255)
        return false;
    for (const char *p = host; *p; p++)
        if (!isalnum((unsigned char)*p) && !strchr(".-:[]", *p))
            return false;
    return true;
}

static char *base_url(const http_request *req)
{
    const char *host = http_request_header(req, "Host");
    if (!plain_host(host))
        host = NULL;
    return cim_xasprintf("%s://%s%s/wmi/", req->secure ? "https" : "http",
                         host ? host : "localhost", ADMINSERVICE_ROOT);
}

void adminservice_door_handle(void *door, const http_request *req, http_response *resp)
{
    as_request r = {.door = door, .http = req, .resp = resp};
    r.call.user = req->user ? req->user : "";
    r.ns = smsprov_site_namespace(r.door->site);
    r.call.namespace_path = r.ns;
    r.base = base_url(req);
    const char *path = req->path + strlen(ADMINSERVICE_ROOT);
    as_options_read(req, &r.opts);
    if (strncasecmp(path, "/wmi", 4) == 0 && (path[4] == '/' || !path[4])) {
        const char *rest = path[4] ? path + 5 : "";
        if (r.opts.error)
            as_fail(&r, 400, 0, "%s", r.opts.error);
        else
            dispatch(&r, req->method, rest);
    } else {
        as_fail(&r, 404, 0, "Only the wmi route is served: %s/wmi/.", ADMINSERVICE_ROOT);
    }
    as_options_clear(&r.opts);
    free(r.base);
    free(r.key_path);
    free(r.method);
}
