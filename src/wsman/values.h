/* values.h - CIM instances and values as WS-Management XML (DSP0230, as
 * WinRM and the MI client use it), both ways. */
#ifndef SMSPROV_WSMAN_VALUES_H
#define SMSPROV_WSMAN_VALUES_H

#include <libxml/tree.h>
#include <stdbool.h>

#include "smsprov/cim.h"
#include "wsman/fault.h"

/* ---- writing ----------------------------------------------------------- */

typedef struct wsman_write_options {
    const char *uri_prefix;    /* class URI = uri_prefix + class name */
    const char *namespace_path; /* for the __cimnamespace selector of EPRs */
    bool winrm_client;         /* wrap datetimes in cim:Datetime / cim:Interval */
    bool precise_arrays;       /* mark null arrays with msftwinrm:IsNullArray */
    const cim_class *as_class; /* write only this class's properties, named as
                                * it (ExcludeSubClassProperties); NULL: the
                                * instance's own class */
} wsman_write_options;

/* <p:Class xmlns:p="uri" xsi:type="p:Class_Type"> with an element per
 * property: xsi:nil for nulls, repeated elements for arrays, embedded
 * instances nested with their own prefix and xsi:type, references as EPRs. */
void wsman_write_instance(cim_buf *b, const cim_instance *inst, const wsman_write_options *o);

/* One property as element(s) prefix:Name (arrays repeated, nil for null),
 * for method out-parameters. */
void wsman_write_property(cim_buf *b, const char *prefix, const cim_property *p,
                          const cim_value *v, const wsman_write_options *o);

/* The contents of an endpoint reference: a:Address and a:ReferenceParameters
 * with the ResourceURI and a SelectorSet holding __cimnamespace and the keys
 * of object_path (which may carry its own namespace). */
void wsman_write_epr_contents(cim_buf *b, const char *uri_prefix, const char *namespace_path,
                              const char *object_path);
/* The same for an instance's keys. */
void wsman_write_instance_epr(cim_buf *b, const cim_instance *inst, const char *uri_prefix,
                              const char *namespace_path);

/* A namespace as selectors carry it: "root/sms/site_LAB".  Caller frees. */
char *wsman_namespace_text(const char *namespace_path);

/* ---- reading ----------------------------------------------------------- */

typedef struct wsman_read_context {
    const cim_schema *schema;
    const char *namespace_path;
    wsman_fault *fault;        /* filled on failure */
} wsman_read_context;

/* Reads the child elements of parent as properties of inst's class (names
 * case-insensitive, xsi:type only a hint): xsi:nil, msftwinrm:IsNullArray,
 * repeated elements as arrays, datetimes as xs:dateTime, xs:duration, DMTF
 * text or a CIM_DateTime / cim:Datetime / cim:Interval child, embedded
 * instances typed by xsi:type (or the declared class), references as EPRs.
 * present (property_count entries, may be NULL) marks the properties sent.
 * false with a w:SchemaValidationError fault naming the property when an
 * element is unknown, repeated for a scalar, or its value does not convert. */
bool wsman_read_properties(const wsman_read_context *ctx, const xmlNode *parent,
                           cim_instance *inst, bool *present);

/* An EPR (an element holding a:ReferenceParameters, or w:ResourceURI and
 * w:SelectorSet directly) as an object path "Class.Key=\"v\"".  NULL when it
 * is not one.  Caller frees. */
char *wsman_read_epr_path(const xmlNode *node);

#endif
