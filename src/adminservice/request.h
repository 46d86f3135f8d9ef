/* adminservice/request.h - one AdminService request while it is served:
 * the parsed URL, the query options, and the answer being built. */
#ifndef SMSPROV_ADMINSERVICE_REQUEST_H
#define SMSPROV_ADMINSERVICE_REQUEST_H

#include <stdint.h>

#include "adminservice/adminservice.h"
#include "adminservice/json.h"

struct adminservice_door {
    smsprov_site *site;
    const cim_schema *schema;
    smsprov_log *log;
    char *server; /* __SERVER */
};

#define AS_NO_LIMIT UINT64_MAX

/* The system query options ($filter, ...) and the rest, kept in order to
 * build @odata.nextLink. */
typedef struct as_options {
    char *filter, *select, *orderby;
    uint64_t top, skip; /* AS_NO_LIMIT / 0 when absent */
    bool count;
    char **names, **values; /* every argument, for the next link */
    size_t arg_count;
    char *error; /* the first bad option, as a sentence */
} as_options;

typedef struct as_request {
    adminservice_door *door;
    const http_request *http;
    http_response *resp;
    smsprov_call call;
    const char *ns;
    char *base;   /* "https://host/AdminService/wmi/" */
    as_options opts;
    const cim_class *cls;
    char *key_path; /* the instance path when the URL names keys */
    char *method;   /* a method after '.' or AdminService. */
} as_request;

/* Answers status with an OData error body {"error":{"code","message"}};
 * the message ends with the WMI code name and number when code is set. */
void as_fail(as_request *r, unsigned status, smsprov_code code, const char *fmt, ...)
    SMSPROV_PRINTF(4, 5);
/* The error of a provider call with the given status, its
 * SMS_ExtendedStatus as the innererror. */
void as_fail_provider(as_request *r, unsigned status, const smsprov_error *err);
/* The error of a provider call, mapped to its HTTP status. */
void as_fail_call(as_request *r, const smsprov_error *err);
/* Answers status with body (taken) as OData JSON. */
void as_answer_json(as_request *r, unsigned status, cim_buf *body);

/* GET of an entity set: the whole set streamed from a cursor. */
void as_get_set(as_request *r);
/* GET <Class>/$count: the number of instances $filter keeps, as text. */
void as_get_count(as_request *r);
/* The instance operations and methods. */
void as_get_entity(as_request *r);
void as_delete_entity(as_request *r);
void as_write_entity(as_request *r, const char *verb);
void as_invoke(as_request *r);

/* Reads the request's query arguments into *o (zeroed by the caller);
 * o->error then names the first bad option. */
void as_options_read(const http_request *req, as_options *o);
void as_options_clear(as_options *o);

/* The URL's key text (after '(' up to and with ')', or the segment after
 * '/') as r->key_path for r->cls; false after answering 400. */
bool as_parse_keys(as_request *r, const char *text, bool segment);

/* $select as a NULL-terminated list of trimmed names; NULL when absent. */
char **as_select_list(const char *select);
void as_free_list(char **list);

#endif
