/* door.c - the WS-Management door: parse, authorize, route by action, run
 * the operation, and answer with its envelope or a fault. */
#include "wsman/wsman.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "wsman/ops.h"
#include "wsman/wsman_ns.h"
#include "wsman/writer.h"
#include "wsman/xml_util.h"

#define DEFAULT_ENVELOPE (512u * 1024)
#define MIN_ENVELOPE 8192u
#define WINRM_USER_AGENT "Microsoft WinRM Client"

void wsman_global_init(void)
{
    wsman_xml_init();
}

wsman_door *wsman_door_new(const wsman_door_options *options)
{
    wsman_door *d = cim_xcalloc(1, sizeof *d);
    d->site = options->site;
    d->schema = smsprov_site_schema(options->site);
    d->log = options->log;
    d->enumerations = wsman_enum_store_new(options->max_enumerations,
                                           options->max_enumerations_per_user);
    d->enumeration_idle_us =
        (int64_t)(options->enumeration_timeout_s ? options->enumeration_timeout_s : 300) * 1000000;
    if (options->machine) {
        d->machine = cim_xstrdup(options->machine);
    } else {
        char host[256] = "localhost";
        gethostname(host, sizeof host - 1);
        d->machine = cim_xstrdup(host);
    }
    return d;
}

void wsman_door_free(wsman_door *door)
{
    if (!door)
        return;
    wsman_enum_store_free(door->enumerations);
    free(door->machine);
    free(door);
}

size_t wsman_door_sweep(wsman_door *door)
{
    return wsman_enum_store_sweep(door->enumerations);
}

/* Options the MI client sends that change nothing here, and the ones read. */
static bool known_option(const char *name)
{
    static const char *const known[] = {
        "UsePreciseArrays", "__MIInstanceModifiedPropertiesList", "IncludeInheritanceHierarchy",
        "IncludeInheritedElements", "IncludeQualifiers", "IncludeClassOrigin"};
    const char *colon = strchr(name, ':');
    const char *bare = colon ? colon + 1 : name;
    if (strncmp(bare, "__MI_", 5) == 0)
        return true;
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (cim_strcasecmp(bare, known[i]) == 0)
            return true;
    return false;
}

static bool check_options(wsman_op *op)
{
    for (size_t i = 0; i < op->env->option_count; i++) {
        const wsman_option *o = &op->env->options[i];
        if (o->must_comply && !known_option(o->name)) {
            wsman_fault_set(&op->fault, WSMAN_FAULT_INVALID_OPTIONS, "NotSupported",
                            "The option %.100s is marked MustComply, and this server does not "
                            "support it.",
                            o->name);
            return false;
        }
    }
    return true;
}

static bool check_envelope_size(wsman_op *op)
{
    uint64_t max = op->env->max_envelope_size;
    if (max && max < MIN_ENVELOPE) {
        wsman_fault_set(&op->fault, WSMAN_FAULT_ENCODING_LIMIT, "MinimumEnvelopeLimit",
                        "MaxEnvelopeSize %llu is below the minimum of %u bytes.",
                        (unsigned long long)max, MIN_ENVELOPE);
        return false;
    }
    op->max_envelope = max ? (size_t)(max > SIZE_MAX / 2 ? SIZE_MAX / 2 : max) : DEFAULT_ENVELOPE;
    return true;
}

/* The namespace: a wmi/ URI wins, then __cimnamespace, then the site's. */
static void resolve_namespace(wsman_op *op)
{
    const char *sel = wsman_envelope_selector(op->env, "__cimnamespace");
    if (op->res.namespace_path)
        op->namespace_path = cim_xstrdup(op->res.namespace_path);
    else if (sel && *sel)
        op->namespace_path = cim_namespace_normalize(sel);
    else
        op->namespace_path = cim_xstrdup(smsprov_site_namespace(op->door->site));
    op->call.namespace_path = op->namespace_path;
    op->call.user = op->caller->user ? op->caller->user : "";
}

static bool needs_resource(const char *action)
{
    return strcmp(action, ACTION_PULL) != 0 && strcmp(action, ACTION_RELEASE) != 0;
}

static bool route(wsman_op *op)
{
    const char *action = op->env->action;
    if (!strcmp(action, ACTION_GET))
        return op->res.form == WSMAN_URI_CIM_SCHEMA ? wsman_op_get_class(op) : wsman_op_get(op);
    if (op->res.form == WSMAN_URI_CIM_SCHEMA) {
        wsman_fault_set(&op->fault, WSMAN_FAULT_ACTION_NOT_SUPPORTED, NULL,
                        "Class definitions can only be read (Get).");
        return false;
    }
    if (!strcmp(action, ACTION_PUT))
        return wsman_op_put(op);
    if (!strcmp(action, ACTION_CREATE))
        return wsman_op_create(op);
    if (!strcmp(action, ACTION_DELETE))
        return wsman_op_delete(op);
    if (!strcmp(action, ACTION_ENUMERATE))
        return wsman_op_enumerate(op);
    if (!strcmp(action, ACTION_PULL))
        return wsman_op_pull(op);
    if (!strcmp(action, ACTION_RELEASE))
        return wsman_op_release(op);
    if (strncmp(action, "http://schemas.xmlsoap.org/", 27) == 0) {
        wsman_fault_set(&op->fault, WSMAN_FAULT_ACTION_NOT_SUPPORTED, NULL,
                        "The action %.300s is not supported.", action);
        return false;
    }
    return wsman_op_invoke(op);
}

static bool run(wsman_op *op)
{
    const wsman_envelope *env = op->env;
    if (wx_is(env->payload, NS_IDENTITY, "Identify") && !env->action)
        return wsman_op_identify(op);
    if (!env->action || !*env->action) {
        wsman_fault_set(&op->fault, WSMAN_FAULT_HEADER_REQUIRED, NULL,
                        "The request has no a:Action header.");
        return false;
    }
    if (!check_envelope_size(op) || !check_options(op))
        return false;
    if (env->operation_timeout_us >= 0)
        op->deadline_us = wsman_now_us() + env->operation_timeout_us;
    if ((needs_resource(env->action) || env->resource_uri) &&
        !wsman_resource_parse(env->resource_uri, &op->res, &op->fault))
        return false;
    resolve_namespace(op);
    return route(op);
}

static char *answer(wsman_op *op, bool ok, unsigned *status)
{
    const wsman_envelope *env = op->env;
    if (ok) {
        cim_buf b = {0};
        wsman_envelope_begin(&b, op->action, env->message_id);
        cim_buf_append_n(&b, op->body.data ? op->body.data : "", op->body.len);
        wsman_envelope_end(&b);
        if (!op->max_envelope || b.len <= op->max_envelope) {
            *status = 200;
            return cim_buf_take(&b);
        }
        wsman_fault_set(&op->fault, WSMAN_FAULT_ENCODING_LIMIT, "MaxEnvelopeSize",
                        "The answer takes %zu bytes, more than the MaxEnvelopeSize of %zu.",
                        b.len, op->max_envelope);
        cim_buf_clear(&b);
    }
    wsman_fault_context ctx = {
        .relates_to = env->message_id,
        .lang = env->lang,
        .machine = op->door->machine,
        .schema = op->door->schema,
        .site_namespace = smsprov_site_namespace(op->door->site),
    };
    *status = 500;
    return wsman_fault_envelope(&op->fault, &ctx);
}

static void log_result(const wsman_op *op, bool ok, int64_t started)
{
    smsprov_log *log = op->door->log;
    double ms = (double)(wsman_now_us() - started) / 1000.0;
    const char *what = op->summary ? op->summary : "Request";
    const char *target = op->res.class_name ? op->res.class_name : "";
    const char *user = op->caller->user ? op->caller->user : "anonymous";
    if (ok)
        SMSPROV_LOG(log, SMSPROV_LOG_INFO, "WS-Man %s %s in %s by %s: done in %.1f ms", what,
                    target, op->namespace_path ? op->namespace_path : "", user, ms);
    else
        SMSPROV_LOG(log, op->fault.error.code ? SMSPROV_LOG_WARNING : SMSPROV_LOG_INFO,
                    "WS-Man %s %s by %s: fault 0x%08X: %s", what, target, user,
                    wsman_fault_code(&op->fault), op->fault.reason ? op->fault.reason : "");
}

char *wsman_door_process(wsman_door *door, const char *body, size_t len,
                         const wsman_caller *caller, unsigned *status)
{
    int64_t started = wsman_now_us();
    wsman_envelope env;
    wsman_op op = {.door = door, .env = &env, .caller = caller, .deadline_us = -1};
    op.winrm_client = caller->user_agent && !strcmp(caller->user_agent, WINRM_USER_AGENT);
    bool ok = wsman_envelope_parse(body, len, &env, &op.fault);
    bool identify = ok && wx_is(env.payload, NS_IDENTITY, "Identify") && !env.action;
    char *out = NULL;
    if (!caller->user && !(identify && caller->identify_unauthenticated)) {
        *status = 401; /* only Identify may come without credentials */
    } else {
        if (ok)
            ok = run(&op);
        out = answer(&op, ok, status);
        log_result(&op, ok, started);
    }
    cim_buf_clear(&op.body);
    free(op.action);
    free(op.namespace_path);
    wsman_resource_clear(&op.res);
    wsman_fault_clear(&op.fault);
    wsman_envelope_clear(&env);
    return out;
}

bool wsman_door_accepts_anonymous(void *door, const http_request *req)
{
    (void)door;
    const char *identify = http_request_header(req, "WSMANIDENTIFY");
    return identify && cim_strcasecmp(identify, "unauthenticated") == 0;
}

void wsman_door_handle(void *door, const http_request *req, http_response *resp)
{
    const char *identify = http_request_header(req, "WSMANIDENTIFY");
    wsman_caller caller = {
        .user = req->user,
        .user_agent = http_request_header(req, "User-Agent"),
        .identify_unauthenticated = identify && cim_strcasecmp(identify, "unauthenticated") == 0,
    };
    unsigned status = 0;
    char *out = wsman_door_process(door, req->body, req->body_len, &caller, &status);
    resp->status = status;
    if (out) {
        resp->content_type = "application/soap+xml;charset=UTF-8";
        resp->body = out;
        resp->body_len = strlen(out);
    }
}
