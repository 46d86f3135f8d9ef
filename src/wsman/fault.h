/* fault.h - WS-Management faults: the SOAP fault, the WSManFault code a
 * Windows client keys on, and for provider errors an MSFT_WmiError (so
 * PowerShell shows the right error id, category and message) plus the
 * SMS_ExtendedStatus the SMS Provider reports (spec §2.15). */
#ifndef SMSPROV_WSMAN_FAULT_H
#define SMSPROV_WSMAN_FAULT_H

#include <stdint.h>

#include "smsprov/cim.h"

typedef enum wsman_fault_kind {
    WSMAN_FAULT_NONE = 0,
    WSMAN_FAULT_SCHEMA_VALIDATION, /* malformed XML, bad body or parameter */
    WSMAN_FAULT_MUST_UNDERSTAND,
    WSMAN_FAULT_ACTION_NOT_SUPPORTED,
    WSMAN_FAULT_INVALID_HEADER,
    WSMAN_FAULT_HEADER_REQUIRED,
    WSMAN_FAULT_DESTINATION_UNREACHABLE,
    WSMAN_FAULT_INVALID_SELECTORS,
    WSMAN_FAULT_INVALID_OPTIONS,
    WSMAN_FAULT_UNSUPPORTED_FEATURE,
    WSMAN_FAULT_ENCODING_LIMIT,
    WSMAN_FAULT_TIMED_OUT,
    WSMAN_FAULT_INVALID_CONTEXT,
    WSMAN_FAULT_FILTER_DIALECT,
    WSMAN_FAULT_CANNOT_PROCESS_FILTER,
    WSMAN_FAULT_INVALID_EXPIRATION,
    WSMAN_FAULT_QUOTA_LIMIT,
    WSMAN_FAULT_INVALID_REPRESENTATION,
    WSMAN_FAULT_ACCESS_DENIED,
    WSMAN_FAULT_ALREADY_EXISTS,
    WSMAN_FAULT_INTERNAL,
} wsman_fault_kind;

typedef struct wsman_fault {
    wsman_fault_kind kind;
    const char *detail;     /* faultDetail name ("InsufficientSelectors"); NULL: none */
    uint32_t code;          /* WSManFault Code; 0: the kind's own */
    char *reason;           /* the sentence */
    char *not_understood_name; /* MustUnderstand: the header's local name */
    char *not_understood_ns;   /* and namespace */
    smsprov_error error;    /* a provider error (code != 0) behind the fault */
} wsman_fault;

/* Records a WS-Management fault (replacing any earlier one). */
void wsman_fault_set(wsman_fault *f, wsman_fault_kind kind, const char *detail,
                     const char *fmt, ...)
    SMSPROV_PRINTF(4, 5)
    ;
/* Records a provider error, choosing the fault from its WBEM code: not
 * found, invalid class or namespace -> a:DestinationUnreachable; already
 * exists; access denied; invalid query -> n:CannotProcessFilter; not
 * supported -> w:UnsupportedFeature; unknown method ->
 * a:ActionNotSupported; anything else -> w:InternalError.  err is moved. */
void wsman_fault_from_error(wsman_fault *f, smsprov_error *err);
void wsman_fault_clear(wsman_fault *f);

/* The WSManFault code the fault carries. */
uint32_t wsman_fault_code(const wsman_fault *f);

typedef struct wsman_fault_context {
    const char *relates_to;   /* the request's MessageID; NULL when unknown */
    const char *lang;         /* xml:lang of the Reason; NULL: en-US */
    const char *machine;      /* Machine attribute of WSManFault */
    const cim_schema *schema; /* to write SMS_ExtendedStatus; may be NULL */
    const char *site_namespace;
} wsman_fault_context;

/* The whole fault envelope.  Caller frees. */
char *wsman_fault_envelope(const wsman_fault *f, const wsman_fault_context *ctx);

#endif
