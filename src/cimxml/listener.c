/* listener.c - the CIM-XML door on its own HTTP server (src/http): POST
 * /cimom, Basic authentication against the shared users file. */
#include <stdlib.h>

#include "cimxml/cimxml.h"
#include "cimxml/contexts.h"

struct cimxml_listener {
    http_server *server;
    smsprov_site *site;
    smsprov_log *log;
    cimxml_contexts *contexts; /* the pull operations' open enumerations */
};

static void handle(void *data, const http_request *req, http_response *resp)
{
    cimxml_listener *l = data;
    cimxml_headers h = {
        .cim_operation = http_request_header(req, "CIMOperation"),
        .cim_method = http_request_header(req, "CIMMethod"),
        .cim_object = http_request_header(req, "CIMObject"),
        .cim_protocol_version = http_request_header(req, "CIMProtocolVersion"),
        .cim_batch = http_request_header(req, "CIMBatch"),
        .host = http_request_header(req, "Host"),
    };
    cimxml_answer answer;
    cimxml_serve(l->site, l->contexts, l->log, &h, req->body, req->body_len, req->user, &answer);
    resp->status = answer.status;
    resp->content_type = answer.content_type;
    resp->body = answer.body;
    resp->body_len = answer.body_len;
    resp->stream = answer.stream;
    resp->stream_free = answer.stream_free;
    resp->stream_data = answer.stream_data;
    if (answer.status == 200)
        resp->headers[0] = (http_header){"CIMOperation", CIMXML_RESPONSE_OPERATION};
    else
        resp->headers[0] = (http_header){"CIMError", answer.cim_error};
}

smsprov_code cimxml_listener_start(const cimxml_listener_options *opts, cimxml_listener **out,
                                   smsprov_error *err)
{
    cimxml_init();
    cimxml_listener *l = cim_xcalloc(1, sizeof *l);
    l->site = opts->site;
    l->log = opts->log;
    l->contexts = cimxml_contexts_new(opts->max_enumerations, opts->max_enumerations_per_user,
                                      opts->enumeration_timeout_s);
    http_route route = {.path = CIMXML_PATH, .handler = handle, .data = l};
    http_server_options http = {
        .address = opts->address,
        .port = opts->port,
        .certificate_file = opts->certificate_file,
        .key_file = opts->key_file,
        .users = opts->users,
        .routes = &route,
        .route_count = 1,
        .max_request_bytes = opts->max_request_bytes,
        .max_connections = opts->max_connections,
        .connection_timeout_s = opts->connection_timeout_s,
        .log = opts->log,
        .limits = opts->limits,
    };
    smsprov_code rc = http_server_start(&http, &l->server, err);
    if (rc != SMSPROV_OK) {
        cimxml_contexts_free(l->contexts);
        free(l);
        return rc;
    }
    SMSPROV_LOG(opts->log, SMSPROV_LOG_INFO, "CIM-XML listening on %s port %u (%s).",
                opts->address ? opts->address : "127.0.0.1", http_server_port(l->server),
                opts->certificate_file ? "https" : "http");
    *out = l;
    return SMSPROV_OK;
}

unsigned cimxml_listener_port(const cimxml_listener *listener)
{
    return http_server_port(listener->server);
}

void cimxml_listener_quiesce(cimxml_listener *listener, unsigned timeout_ms)
{
    if (!listener)
        return;
    http_server_quiesce(listener->server);
    http_server_drain(listener->server, timeout_ms);
}

bool cimxml_listener_drain(cimxml_listener *listener, unsigned timeout_ms)
{
    return !listener || http_server_drain(listener->server, timeout_ms);
}

size_t cimxml_listener_sweep(cimxml_listener *listener)
{
    return listener ? cimxml_contexts_sweep(listener->contexts) : 0;
}

smsprov_code cimxml_listener_reload_tls(cimxml_listener *listener, const char *certificate_file,
                                        const char *key_file, smsprov_error *err)
{
    return http_server_reload_tls(listener->server, certificate_file, key_file, err);
}

void cimxml_listener_stop(cimxml_listener *listener)
{
    if (!listener)
        return;
    http_server_stop(listener->server);
    cimxml_contexts_free(listener->contexts);
    free(listener);
}
