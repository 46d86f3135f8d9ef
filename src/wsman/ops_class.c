/* ops_class.c - GetClass (Get-CimClass, CimInstance.CimClass): the class as
 * a CIM-XML CLASS directly in the Body, as the MI client asks for it with
 * the CIM-XML schema resource URI and a ClassName selector. */
#include "wsman/ops.h"
#include "wsman/wsman_ns.h"
#include "xmlcim/xmlcim.h"

bool wsman_op_get_class(wsman_op *op)
{
    op->summary = "GetClass";
    const char *name = wsman_envelope_selector(op->env, "ClassName");
    if (!name)
        name = op->res.class_name;
    const cim_class *cls = NULL;
    if (!name) {
        wsman_fault_set(&op->fault, WSMAN_FAULT_INVALID_SELECTORS, "InsufficientSelectors",
                        "GetClass needs the class: add <w:Selector Name=\"ClassName\">.");
        return false;
    }
    if (!wsman_op_class(op, name, &cls) || !wsman_op_check_deadline(op, "GetClass"))
        return false;
    const wsman_envelope *env = op->env;
    xmlcim_class_options opts = {
        .local_only = !wsman_envelope_option_true(env, "IncludeInheritedElements", true),
        .include_qualifiers = wsman_envelope_option_true(env, "IncludeQualifiers", true),
        .include_class_origin = wsman_envelope_option_true(env, "IncludeClassOrigin", false),
        .include_derivation = wsman_envelope_option_true(env, "IncludeInheritanceHierarchy", false),
    };
    xmlcim_write_class(&op->body, cls, &opts);
    op->action = cim_xstrdup(ACTION_GET "Response");
    return true;
}

/* Windows tells an anonymous caller no version ("OS: 0.0.0 SP: 0.0 Stack:
 * 3.0"), so an unauthenticated Identify learns nothing to aim an exploit
 * at; an authenticated one sees the real version. */
#define ANONYMOUS_PRODUCT_VERSION "OS: 0.0.0 SP: 0.0 Stack: 3.0"
#define PRODUCT_VERSION "OS: " SMSPROV_VERSION " SP: 0.0 Stack: 3.0"

bool wsman_op_identify(wsman_op *op)
{
    op->summary = "Identify";
    const char *version = op->caller->user ? PRODUCT_VERSION : ANONYMOUS_PRODUCT_VERSION;
    cim_buf_printf(&op->body,
                   "<wsmid:IdentifyResponse xmlns:wsmid=\"" NS_IDENTITY "\">"
                   "<wsmid:ProtocolVersion>" NS_WSMAN "</wsmid:ProtocolVersion>"
                   "<wsmid:ProductVendor>smsprov (SMS Provider for OS deployment)"
                   "</wsmid:ProductVendor>"
                   "<wsmid:ProductVersion>%s</wsmid:ProductVersion>"
                   "<wsmid:SecurityProfiles>"
                   "<wsmid:SecurityProfileName>http://schemas.dmtf.org/wbem/wsman/1/wsman/"
                   "secprofile/http/basic</wsmid:SecurityProfileName>"
                   "<wsmid:SecurityProfileName>http://schemas.dmtf.org/wbem/wsman/1/wsman/"
                   "secprofile/https/basic</wsmid:SecurityProfileName>"
                   "</wsmid:SecurityProfiles></wsmid:IdentifyResponse>",
                   version);
    return true;
}
