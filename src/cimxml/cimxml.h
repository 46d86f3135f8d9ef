/*
 * cimxml/cimxml.h - the CIM-XML door: CIM operations over HTTP (DMTF
 * DSP0200) with the CIM-XML encoding (DSP0201), as sblim-wbemcli and other
 * WBEM clients speak them, served from the provider API.
 *
 * cimxml_serve() answers one request (headers and body in, status, CIMError
 * header and body out) without any network, so tests can drive it directly;
 * the listener puts it behind src/http on its own port (5988, 5989 for TLS)
 * with the same users and Basic authentication as WS-Management.
 */
#ifndef SMSPROV_CIMXML_H
#define SMSPROV_CIMXML_H

#include <stdbool.h>
#include <stddef.h>

#include "config/log.h"
#include "http/http.h"
#include "smsprov/provider.h"

#define CIMXML_DEFAULT_PORT 5988
#define CIMXML_DEFAULT_TLS_PORT 5989
#define CIMXML_PATH "/cimom" /* where wbemcli and other clients post */

/* The DSP0200 headers of a request; NULL when absent.  Values as received
 * (the door URL-decodes CIMMethod and CIMObject). */
typedef struct cimxml_headers {
    const char *cim_operation;        /* CIMOperation: MethodCall */
    const char *cim_method;           /* CIMMethod: EnumerateInstances */
    const char *cim_object;           /* CIMObject: root%2Fsms%2Fsite_LAB */
    const char *cim_protocol_version; /* CIMProtocolVersion: 1.0 */
    const char *cim_batch;            /* CIMBatch: present on multiple requests */
    const char *host;                 /* Host: names this server in INSTANCEPATHs */
} cimxml_headers;

typedef struct cimxml_answer {
    unsigned status;          /* 200, or 400 / 501 for a protocol fault */
    const char *cim_error;    /* CIMError header value (static) with 400 / 501 */
    const char *content_type; /* static */
    char *body;               /* malloc'd; the caller frees it */
    size_t body_len;
    /* Or a body written as it is sent (EnumerateInstances,
     * EnumerateInstanceNames, ExecQuery): see http_response's stream. */
    long (*stream)(void *data, char *buf, size_t max);
    void (*stream_free)(void *data);
    void *stream_data;
} cimxml_answer;

/* The value of the CIMOperation header in every 200 answer. */
#define CIMXML_RESPONSE_OPERATION "MethodResponse"

/* Answers one request.  CIM errors (unknown class, bad value, provider
 * refusals) come back as 200 with an <ERROR CODE DESCRIPTION> in the body;
 * protocol faults (bad headers, XML that is not well-formed or not a CIM-XML
 * request) as 400 or 501 with a CIMError header and a plain-text sentence.
 * user is the authenticated caller (for the provider's log). */
typedef struct cimxml_contexts cimxml_contexts; /* contexts.h */
/* contexts holds the pull operations' open enumerations (NULL: the pull
 * operations answer NOT_SUPPORTED). */
void cimxml_serve(smsprov_site *site, cimxml_contexts *contexts, smsprov_log *log,
                  const cimxml_headers *headers, const char *body, size_t body_len,
                  const char *user, cimxml_answer *out);

/* Must be called once before threads serve requests (initialises libxml2). */
void cimxml_init(void);

/* ---- the listener ----------------------------------------------------- */

typedef struct cimxml_listener cimxml_listener;

typedef struct cimxml_listener_options {
    smsprov_site *site;
    http_users *users;            /* borrowed; same users as WS-Management */
    smsprov_log *log;             /* may be NULL */
    const char *address;          /* NULL: 127.0.0.1 */
    unsigned port;                /* 0: a free port (see cimxml_listener_port) */
    const char *certificate_file; /* with key_file: HTTPS */
    const char *key_file;
    size_t max_request_bytes; /* 0: the HTTP layer's default */
    unsigned max_connections;
    unsigned connection_timeout_s;
    http_server_limits limits;    /* per-address connections, header deadline, TLS */
    /* Open pull enumerations: idle lifetime, caps in total and per user
     * (0: 300 s, 1024, 128), as [server] sets them for WS-Man. */
    unsigned enumeration_timeout_s;
    unsigned max_enumerations;
    unsigned max_enumerations_per_user;
} cimxml_listener_options;

/* Starts serving CIMXML_PATH on its own HTTP server.  Errors as
 * http_server_start (the port in use, a bad certificate). */
smsprov_code cimxml_listener_start(const cimxml_listener_options *opts, cimxml_listener **out,
                                   smsprov_error *err);
unsigned cimxml_listener_port(const cimxml_listener *listener);
/* Stops accepting, waits up to timeout_ms for running requests. */
void cimxml_listener_quiesce(cimxml_listener *listener, unsigned timeout_ms);
/* Waits up to timeout_ms until no request runs; false when some still do. */
bool cimxml_listener_drain(cimxml_listener *listener, unsigned timeout_ms);
/* Closes the pull enumerations idle past their lifetime; how many. */
size_t cimxml_listener_sweep(cimxml_listener *listener);
void cimxml_listener_stop(cimxml_listener *listener);
/* http_server_reload_tls for the listener (nothing for plain HTTP). */
smsprov_code cimxml_listener_reload_tls(cimxml_listener *listener, const char *certificate_file,
                                        const char *key_file, smsprov_error *err);

#endif
