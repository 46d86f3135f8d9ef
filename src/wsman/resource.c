/* resource.c - resource URI forms. */
#include "wsman/resource.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "wsman/values.h"

#define WSCIM_MS "http://schemas.microsoft.com/wbem/wscim/1/"
#define WSCIM_DMTF "http://schemas.dmtf.org/wbem/wscim/1/"
#define CIM_SCHEMA_PATH "cim-schema/2/"
#define WMI_PREFIX "http://schemas.microsoft.com/wbem/wsman/1/wmi/"
#define CIMXML_SCHEMA "http://schemas.dmtf.org/wbem/cim-xml/2/cim-schema/2/"
#define WSCIM_SCHEMA "http://schemas.dmtf.org/wbem/ws-cim/1/cim-schema/2/"

static bool starts_with(const char *s, const char *prefix)
{
    return strncasecmp(s, prefix, strlen(prefix)) == 0;
}

static bool is_class_name(const char *s)
{
    if (!*s || isdigit((unsigned char)*s))
        return false;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '_')
            return false;
    return true;
}

static bool unserved(const char *uri, wsman_fault *fault)
{
    wsman_fault_set(fault, WSMAN_FAULT_DESTINATION_UNREACHABLE, "InvalidResourceURI",
                    "The resource URI %.300s is not one this server serves; use "
                    WSCIM_MS CIM_SCHEMA_PATH "<Class> with a __cimnamespace selector, or "
                    WMI_PREFIX "root/sms/site_<code>/<Class>.",
                    uri);
    return false;
}

/* The class part ("SMS_X" or "*"), or a fault. */
static bool take_class(const char *uri, const char *rest, wsman_resource *out,
                       wsman_fault *fault)
{
    if (!strcmp(rest, "*") || !*rest)
        return true;
    if (!is_class_name(rest))
        return unserved(uri, fault);
    out->class_name = cim_xstrdup(rest);
    return true;
}

static bool parse_wmi(const char *uri, const char *rest, wsman_resource *out, wsman_fault *fault)
{
    const char *slash = strrchr(rest, '/');
    if (!slash || slash == rest)
        return unserved(uri, fault);
    char *ns = cim_xasprintf("%.*s", (int)(slash - rest), rest);
    out->namespace_path = cim_namespace_normalize(ns);
    free(ns);
    char *text = wsman_namespace_text(out->namespace_path);
    out->uri_prefix = cim_xasprintf(WMI_PREFIX "%s/", text);
    free(text);
    return take_class(uri, slash + 1, out, fault);
}

bool wsman_resource_parse(const char *uri, wsman_resource *out, wsman_fault *fault)
{
    memset(out, 0, sizeof *out);
    if (!uri || !*uri) {
        wsman_fault_set(fault, WSMAN_FAULT_DESTINATION_UNREACHABLE, "InvalidResourceURI",
                        "The request has no w:ResourceURI header.");
        return false;
    }
    /* winrm.cmd resolves "?Key=value" client-side; drop any that is left */
    char *copy = cim_xstrdup(uri);
    char *query = strchr(copy, '?');
    if (query)
        *query = '\0';
    bool ok;
    if (starts_with(copy, WSCIM_MS) || starts_with(copy, WSCIM_DMTF)) {
        bool ms = starts_with(copy, WSCIM_MS);
        const char *rest = copy + strlen(ms ? WSCIM_MS : WSCIM_DMTF);
        out->form = WSMAN_URI_WSCIM;
        out->uri_prefix = cim_xstrdup(ms ? WSCIM_MS CIM_SCHEMA_PATH : WSCIM_DMTF CIM_SCHEMA_PATH);
        if (starts_with(rest, CIM_SCHEMA_PATH))
            ok = take_class(uri, rest + strlen(CIM_SCHEMA_PATH), out, fault);
        else
            ok = !strcmp(rest, "*") || !*rest ? true : unserved(uri, fault);
    } else if (starts_with(copy, WMI_PREFIX)) {
        out->form = WSMAN_URI_WMI;
        ok = parse_wmi(uri, copy + strlen(WMI_PREFIX), out, fault);
    } else if (starts_with(copy, CIMXML_SCHEMA)) {
        out->form = WSMAN_URI_CIM_SCHEMA;
        out->uri_prefix = cim_xstrdup(WSCIM_DMTF CIM_SCHEMA_PATH);
        ok = take_class(uri, copy + strlen(CIMXML_SCHEMA), out, fault);
    } else if (starts_with(copy, WSCIM_SCHEMA)) {
        wsman_fault_set(fault, WSMAN_FAULT_UNSUPPORTED_FEATURE, NULL,
                        "Class definitions are served as CIM-XML only; use the resource URI "
                        CIMXML_SCHEMA "* with a ClassName selector.");
        ok = false;
    } else {
        ok = unserved(uri, fault);
    }
    free(copy);
    if (!ok)
        wsman_resource_clear(out);
    return ok;
}

void wsman_resource_clear(wsman_resource *r)
{
    free(r->class_name);
    free(r->namespace_path);
    free(r->uri_prefix);
    memset(r, 0, sizeof *r);
}
