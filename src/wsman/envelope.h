/* envelope.h - the SOAP request: parsed with hardened libxml2 settings (no
 * DTD, no entities, no network, bounded depth and size), its WS-Addressing
 * and WS-Management headers read by namespace URI. */
#ifndef SMSPROV_WSMAN_ENVELOPE_H
#define SMSPROV_WSMAN_ENVELOPE_H

#include <libxml/tree.h>
#include <stdbool.h>
#include <stdint.h>

#include "wsman/fault.h"

#define WSMAN_MAX_DEPTH 64
#define WSMAN_MAX_NODES 200000
#define WSMAN_MAX_SELECTORS 64
#define WSMAN_MAX_OPTIONS 256

typedef struct wsman_selector {
    char *name;
    char *value;
} wsman_selector;

typedef struct wsman_option {
    char *name;   /* as sent, e.g. "msftwinrm:UsePreciseArrays" */
    char *type;   /* "xs:boolean"; NULL when absent */
    char *value;
    bool must_comply;
} wsman_option;

typedef struct wsman_envelope {
    xmlDoc *doc;
    char *action;          /* NULL when absent (Identify) */
    char *resource_uri;
    char *message_id;
    char *reply_to;
    char *lang;            /* w:Locale xml:lang */
    uint64_t max_envelope_size;    /* 0: not given */
    int64_t operation_timeout_us;  /* -1: not given */
    wsman_selector *selectors;
    size_t selector_count;
    wsman_option *options;
    size_t option_count;
    xmlNode *body;         /* s:Body */
    xmlNode *payload;      /* the Body's first element; NULL when empty */
} wsman_envelope;

/* Parses and checks a request.  false with a fault: w:SchemaValidationError
 * for XML that is not well-formed, has a DTD, is too deep or too big, or is
 * not a SOAP 1.2 envelope; s:MustUnderstand for an unknown header marked
 * mustUnderstand; a:InvalidMessageInformationHeader for a repeated or
 * malformed header; w:InvalidSelectors for repeated selectors.  *env is
 * usable (and must be cleared) either way, so a fault can relate to the
 * request's MessageID when it was read. */
bool wsman_envelope_parse(const char *xml, size_t len, wsman_envelope *env, wsman_fault *fault);
void wsman_envelope_clear(wsman_envelope *env);

/* The value of a selector (case-insensitive name); NULL when absent. */
const char *wsman_envelope_selector(const wsman_envelope *env, const char *name);
/* The value of an option, matching its name with or without a "prefix:";
 * NULL when absent. */
const char *wsman_envelope_option(const wsman_envelope *env, const char *name);
/* True when the option is present and "true" or "1". */
bool wsman_envelope_option_true(const wsman_envelope *env, const char *name, bool fallback);

/* Initialises libxml2 once; call before any thread parses. */
void wsman_xml_init(void);

#endif
