/* ops.h - one WS-Management operation in progress, shared by the files that
 * implement the operations (ops_*.c) and the dispatcher (door.c). */
#ifndef SMSPROV_WSMAN_OPS_H
#define SMSPROV_WSMAN_OPS_H

#include "wsman/enum_store.h"
#include "wsman/envelope.h"
#include "wsman/resource.h"
#include "wsman/values.h"
#include "wsman/wsman.h"

struct wsman_door {
    smsprov_site *site;
    const cim_schema *schema;
    smsprov_log *log;
    wsman_enum_store *enumerations;
    int64_t enumeration_idle_us;
    char *machine;
};

typedef struct wsman_op {
    wsman_door *door;
    const wsman_envelope *env;
    const wsman_caller *caller;
    bool winrm_client;       /* User-Agent: Microsoft WinRM Client */
    wsman_resource res;
    char *namespace_path;    /* resolved: wmi/ URI, __cimnamespace, or the site's */
    smsprov_call call;
    int64_t deadline_us;     /* from OperationTimeout; -1: none */
    size_t max_envelope;     /* bytes an answer may take */
    cim_buf body;            /* what goes inside s:Body */
    char *action;            /* the answer's a:Action (malloc'd) */
    const char *summary;     /* for the log: "Get", "Enumerate"... */
    wsman_fault fault;
} wsman_op;

/* Operations: true with op->body and op->action set, or false with
 * op->fault set. */
bool wsman_op_identify(wsman_op *op);
bool wsman_op_get(wsman_op *op);
bool wsman_op_get_class(wsman_op *op);
bool wsman_op_put(wsman_op *op);
bool wsman_op_create(wsman_op *op);
bool wsman_op_delete(wsman_op *op);
bool wsman_op_enumerate(wsman_op *op);
bool wsman_op_pull(wsman_op *op);
bool wsman_op_release(wsman_op *op);
bool wsman_op_invoke(wsman_op *op);

/* Shared helpers (ops_common.c). */

/* The class the resource URI names, from the provider; false with a fault
 * (no class in the URI, or the provider's error). */
bool wsman_op_class(wsman_op *op, const char *class_name, const cim_class **out);
/* The object path the key selectors address ("Class.Key=\"v\""); false with
 * w:InvalidSelectors (missing, unexpected or mistyped keys). */
bool wsman_op_object_path(wsman_op *op, const cim_class *cls, char **out);
/* True when selectors other than __cimnamespace were sent. */
bool wsman_op_has_keys(const wsman_op *op);
/* Records a provider error as the fault and returns false. */
bool wsman_op_provider_fault(wsman_op *op, smsprov_error *err);
/* false with w:TimedOut when OperationTimeout has passed; what names the
 * operation for the sentence. */
bool wsman_op_check_deadline(wsman_op *op, const char *what);
/* Options for writing instances in this operation's answer. */
wsman_write_options wsman_op_write_options(const wsman_op *op);

#endif
