/* request_internal.h - what the files of the request parser share: the
 * hardened libxml2 reader, small element helpers, and the readers of the
 * DSP0201 value and path elements. */
#ifndef SMSPROV_CIMXML_REQUEST_INTERNAL_H
#define SMSPROV_CIMXML_REQUEST_INTERNAL_H

#include <libxml/tree.h>

#include "cimxml/request.h"

/* CIMError values (DSP0200). */
#define CIMXML_NOT_WELL_FORMED "request-not-well-formed"
#define CIMXML_NOT_VALID "request-not-valid"
#define CIMXML_NOT_LOOSELY_VALID "request-not-loosely-valid"

/* Parses XML with no DTD, no entities, no network and the depth bound;
 * NULL with a request-not-well-formed (or request-not-valid for a DOCTYPE)
 * fault.  Free with xmlFreeDoc. */
xmlDocPtr cimxml_xml_read(const char *text, size_t len, cimxml_fault *fault);

/* Elements are matched by exact name (DSP0201 names have no namespace). */
bool cimxml_is(const xmlNode *n, const char *name);
xmlNode *cimxml_first_element(const xmlNode *parent);
xmlNode *cimxml_next_element(const xmlNode *n);
long cimxml_line(const xmlNode *n);
/* An attribute's value (caller frees); NULL when absent. */
char *cimxml_attr(const xmlNode *n, const char *name);
/* A required attribute; NULL with a request-not-loosely-valid fault. */
char *cimxml_required_attr(const xmlNode *n, const char *name, cimxml_fault *fault);
/* The text content of an element that must hold text only (caller frees);
 * NULL with a fault when it holds an element. */
char *cimxml_text(const xmlNode *n, cimxml_fault *fault);
/* Checks that no element but VALUE, KEYVALUE and HOST holds text other
 * than blanks, down the tree from n (recursion bounded by the depth limit);
 * false with a request-not-loosely-valid fault naming the element. */
bool cimxml_check_text_placement(const xmlNode *n, cimxml_fault *fault);
/* Faults for a misplaced or missing element. */
bool cimxml_unexpected(const xmlNode *parent, const xmlNode *child, const char *expected,
                       cimxml_fault *fault);
/* True when name is a DSP0201 CIMType ("uint32", "datetime", ...); with
 * allow_reference, "reference" too (PARAMTYPE). */
bool cimxml_valid_type_name(const char *name, bool allow_reference);

/* LOCALNAMESPACEPATH -> "root\\sms\\site_LAB" (caller frees). */
bool cimxml_read_namespace(const xmlNode *n, char **out, cimxml_fault *fault);
/* VALUE, VALUE.ARRAY, VALUE.REFERENCE, VALUE.REFARRAY or VALUE.NULL. */
bool cimxml_is_data_element(const xmlNode *n);
bool cimxml_read_data(const xmlNode *n, cimxml_data *out, cimxml_fault *fault);
/* CLASSNAME NAME -> *out (caller frees). */
bool cimxml_read_classname(const xmlNode *n, char **out, cimxml_fault *fault);
bool cimxml_read_instancename(const xmlNode *n, cim_object_path *out, cimxml_fault *fault);
/* Any of CLASSPATH, LOCALCLASSPATH, CLASSNAME, INSTANCEPATH,
 * LOCALINSTANCEPATH, INSTANCENAME. */
bool cimxml_read_object_path(const xmlNode *n, cim_object_path *out, cimxml_fault *fault);
bool cimxml_read_instance(const xmlNode *n, cimxml_instance *out, cimxml_fault *fault);

#endif
