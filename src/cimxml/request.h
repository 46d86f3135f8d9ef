/*
 * cimxml/request.h - a CIM-XML (DSP0201) operation request, parsed.
 *
 * The parser turns a request body into plain C data without looking at the
 * schema: names, texts and object paths as the client wrote them.  The
 * operations later type the values against the class (convert.h).
 *
 * The parser is hardened for untrusted input: libxml2 never loads a DTD,
 * never touches the network, never expands an entity; a document with a
 * DOCTYPE, deeper than CIMXML_MAX_DEPTH elements, past the XML limits of
 * xmlcim/xml_limits.h or larger than the caller's bound is refused.
 */
#ifndef SMSPROV_CIMXML_REQUEST_H
#define SMSPROV_CIMXML_REQUEST_H

#include <stdbool.h>
#include <stddef.h>

#include "smsprov/cim.h"

#define CIMXML_MAX_DEPTH 48 /* elements; a real request needs about 12 */
/* Parameters of one call and keys of one INSTANCENAME: each new one is
 * compared with those before it, so their number is bounded. */
#define CIMXML_MAX_PARAMS 64
#define CIMXML_MAX_KEYS 64

/* What went wrong with a request.  A protocol fault (http_status 400 or 501)
 * is answered with that status and a CIMError header; a CIM fault
 * (http_status 0) is answered with 200 and an <ERROR> in the body. */
typedef struct cimxml_fault {
    unsigned http_status;  /* 400, 501, or 0 for a CIM error */
    const char *cim_error; /* CIMError header value (static), for a protocol fault */
    int cim_status;        /* DSP0200 status code, for a CIM error */
    char *description;     /* a sentence naming what is wrong and where */
    smsprov_error error;   /* the provider error behind a CIM error (code != 0), for the
                            * SMS_ExtendedStatus the <ERROR> carries */
} cimxml_fault;

void cimxml_fault_set(cimxml_fault *f, unsigned http_status, const char *cim_error, const char *fmt,
                      ...)
    SMSPROV_PRINTF(4, 5)
    ;
void cimxml_fault_set_cim(cimxml_fault *f, int cim_status, const char *fmt, ...)
    SMSPROV_PRINTF(3, 4)
    ;
void cimxml_fault_clear(cimxml_fault *f);

/* The content of VALUE, VALUE.ARRAY, VALUE.REFERENCE or VALUE.REFARRAY (or
 * of a property or parameter that has none, which is null).  References are
 * kept as object path text (`root\sms:Class.Key="v"`); an embedded instance
 * is the INSTANCE text the VALUE carried, still to be parsed. */
typedef struct cimxml_data {
    bool is_null;
    bool is_array;     /* VALUE.ARRAY, VALUE.REFARRAY, PROPERTY.ARRAY */
    bool is_reference; /* VALUE.REFERENCE, VALUE.REFARRAY, PROPERTY.REFERENCE */
    char *text;        /* a scalar's text */
    char **items;      /* an array's items; NULL for VALUE.NULL */
    size_t count;
} cimxml_data;

/* PROPERTY, PROPERTY.ARRAY or PROPERTY.REFERENCE of an INSTANCE. */
typedef struct cimxml_property {
    char *name;
    char *type;    /* the TYPE attribute; NULL when absent or a reference */
    bool embedded; /* EmbeddedObject attribute or EmbeddedInstance/EmbeddedObject qualifier */
    cimxml_data value;
} cimxml_property;

typedef struct cimxml_instance {
    char *class_name;
    cimxml_property *props;
    size_t count;
} cimxml_instance;

typedef enum cimxml_arg_kind {
    CIMXML_ARG_DATA,           /* VALUE family, or nothing (null) */
    CIMXML_ARG_CLASSNAME,      /* CLASSNAME */
    CIMXML_ARG_INSTANCENAME,   /* INSTANCENAME */
    CIMXML_ARG_INSTANCE,       /* INSTANCE */
    CIMXML_ARG_NAMED_INSTANCE, /* VALUE.NAMEDINSTANCE: INSTANCENAME + INSTANCE */
    CIMXML_ARG_UNSUPPORTED,    /* CLASS, QUALIFIER.DECLARATION: read but not served */
} cimxml_arg_kind;

/* One IPARAMVALUE or PARAMVALUE. */
typedef struct cimxml_arg {
    char *name;
    cimxml_arg_kind kind;
    char *element;            /* the element that carried the value, for messages */
    char *paramtype;          /* PARAMTYPE attribute (PARAMVALUE only); NULL when absent */
    bool embedded;            /* EmbeddedObject attribute */
    cimxml_data data;         /* CIMXML_ARG_DATA */
    char *class_name;         /* CIMXML_ARG_CLASSNAME */
    cim_object_path path;     /* CIMXML_ARG_INSTANCENAME and _NAMED_INSTANCE */
    cimxml_instance instance; /* CIMXML_ARG_INSTANCE and _NAMED_INSTANCE */
} cimxml_arg;

typedef struct cimxml_request {
    char *message_id;     /* MESSAGE ID, echoed in the response */
    unsigned dtd_minor;   /* x of the DTDVERSION "2.x" the client speaks */
    bool intrinsic;       /* IMETHODCALL (else METHODCALL) */
    char *method;         /* NAME of the call */
    char *namespace_path; /* "root\\sms\\site_LAB" */
    /* METHODCALL: the class (no keys) or instance the method is called on,
     * with its namespace. */
    cim_object_path target;
    bool target_is_instance;
    cimxml_arg *args;
    size_t arg_count;
} cimxml_request;

/* Parses a request body.  On failure *fault says what to answer: a protocol
 * fault for XML that is not well-formed (request-not-well-formed), a DOCTYPE,
 * a bad enumerated attribute value (request-not-valid), a missing or
 * misplaced element (request-not-loosely-valid), CIMVERSION or DTDVERSION
 * other than 2.x (unsupported-cim-version / -dtd-version, 501), a MESSAGE
 * PROTOCOLVERSION other than 1.x (unsupported-protocol-version, 501), or
 * MULTIREQ (multiple-requests-unsupported, 501); or a CIM fault
 * (CIM_ERR_INVALID_PARAMETER) for a value the DTD allows but that is not
 * usable, such as a numeric key that is not a number.  For a CIM fault, *req
 * is filled as far as the MESSAGE ID and method name so the error can be
 * answered in kind. */
bool cimxml_request_parse(const char *body, size_t len, cimxml_request *req, cimxml_fault *fault);
void cimxml_request_clear(cimxml_request *req);

/* The argument of that name (case-insensitive); NULL when absent. */
const cimxml_arg *cimxml_request_arg(const cimxml_request *req, const char *name);

/* Parses the text of an embedded instance (`<INSTANCE CLASSNAME=...>`), as
 * carried escaped inside a VALUE, with the same limits. */
bool cimxml_instance_parse(const char *text, cimxml_instance *out, cimxml_fault *fault);
void cimxml_instance_clear(cimxml_instance *inst);
void cimxml_data_clear(cimxml_data *d);

#endif
