/* resource.h - resource URIs (spec §2.4): the class and, for the wmi/
 * form, the namespace they name, and how to spell class URIs in answers. */
#ifndef SMSPROV_WSMAN_RESOURCE_H
#define SMSPROV_WSMAN_RESOURCE_H

#include "wsman/fault.h"

typedef enum wsman_uri_form {
    WSMAN_URI_WSCIM,      /* http://schemas.{microsoft.com|dmtf.org}/wbem/wscim/1/cim-schema/2/C
                           * and .../wbem/wscim/1/ (the WQL wildcard) */
    WSMAN_URI_WMI,        /* http://schemas.microsoft.com/wbem/wsman/1/wmi/<ns>/C or <ns>/ */
    WSMAN_URI_CIM_SCHEMA, /* http://schemas.dmtf.org/wbem/cim-xml/2/cim-schema/2/ (GetClass) */
} wsman_uri_form;

typedef struct wsman_resource {
    wsman_uri_form form;
    char *class_name;     /* NULL for the wildcard "*" */
    char *namespace_path; /* from a wmi/ URI ('\' separators); NULL otherwise */
    char *uri_prefix;     /* class URI in answers = uri_prefix + class name */
} wsman_resource;

/* false with a fault: a:DestinationUnreachable (InvalidResourceURI) for a
 * URI this server does not serve; w:UnsupportedFeature for the WS-CIM
 * schema form of GetClass. */
bool wsman_resource_parse(const char *uri, wsman_resource *out, wsman_fault *fault);
void wsman_resource_clear(wsman_resource *r);

#endif
