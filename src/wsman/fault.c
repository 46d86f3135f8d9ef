/* fault.c - faults: one table from kind to SOAP code, subcode, WSManFault
 * code and action; provider errors mapped onto it; the fault envelope. */
#include "wsman/fault.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wsman/values.h"
#include "wsman/writer.h"
#include "wsman/wsman_ns.h"
#include "xmlcim/xmlcim.h"

#define ACTION_WSMAN_FAULT "http://schemas.dmtf.org/wbem/wsman/1/wsman/fault"
#define ACTION_ADDRESSING_FAULT "http://schemas.xmlsoap.org/ws/2004/08/addressing/fault"
#define ACTION_ENUMERATION_FAULT "http://schemas.xmlsoap.org/ws/2004/09/enumeration/fault"
#define ACTION_TRANSFER_FAULT "http://schemas.xmlsoap.org/ws/2004/09/transfer/fault"

typedef struct fault_spec {
    wsman_fault_kind kind;
    bool receiver;       /* s:Receiver, else s:Sender */
    const char *subcode; /* with the envelope's prefixes; NULL: none */
    uint32_t code;       /* WSManFault Code */
    const char *action;
} fault_spec;

static const fault_spec specs[] = {
    {WSMAN_FAULT_SCHEMA_VALIDATION, false, "w:SchemaValidationError", 0x80338041u, ACTION_WSMAN_FAULT},
    {WSMAN_FAULT_MUST_UNDERSTAND, false, NULL, 0x80338010u, ACTION_ADDRESSING_FAULT},
    {WSMAN_FAULT_ACTION_NOT_SUPPORTED, false, "a:ActionNotSupported", 0x80338013u, ACTION_ADDRESSING_FAULT},
    {WSMAN_FAULT_INVALID_HEADER, false, "a:InvalidMessageInformationHeader", 0x8033800Fu, ACTION_ADDRESSING_FAULT},
    {WSMAN_FAULT_HEADER_REQUIRED, false, "a:MessageInformationHeaderRequired", 0x80338011u, ACTION_ADDRESSING_FAULT},
    {WSMAN_FAULT_DESTINATION_UNREACHABLE, false, "a:DestinationUnreachable", 0x80338000u, ACTION_ADDRESSING_FAULT},
    {WSMAN_FAULT_INVALID_SELECTORS, false, "w:InvalidSelectors", 0x8033803Du, ACTION_WSMAN_FAULT},
    {WSMAN_FAULT_INVALID_OPTIONS, false, "w:InvalidOptions", 0x80338051u, ACTION_WSMAN_FAULT},
    {WSMAN_FAULT_UNSUPPORTED_FEATURE, false, "w:UnsupportedFeature", 0x80338042u, ACTION_WSMAN_FAULT},
    {WSMAN_FAULT_ENCODING_LIMIT, false, "w:EncodingLimit", 0x80338048u, ACTION_WSMAN_FAULT},
    {WSMAN_FAULT_TIMED_OUT, true, "w:TimedOut", 0x80338029u, ACTION_WSMAN_FAULT},
    {WSMAN_FAULT_INVALID_CONTEXT, true, "n:InvalidEnumerationContext", 0x8033801Bu, ACTION_ENUMERATION_FAULT},
    {WSMAN_FAULT_FILTER_DIALECT, false, "n:FilterDialectRequestedUnavailable", 0x80338019u, ACTION_ENUMERATION_FAULT},
    {WSMAN_FAULT_CANNOT_PROCESS_FILTER, false, "n:CannotProcessFilter", 0x8033801Au, ACTION_ENUMERATION_FAULT},
    {WSMAN_FAULT_INVALID_EXPIRATION, false, "n:InvalidExpirationTime", 0x80338016u, ACTION_ENUMERATION_FAULT},
    {WSMAN_FAULT_QUOTA_LIMIT, false, "w:QuotaLimit", 0x8033803Fu, ACTION_WSMAN_FAULT},
    {WSMAN_FAULT_INVALID_REPRESENTATION, false, "x:InvalidRepresentation", 0x80338015u, ACTION_TRANSFER_FAULT},
    {WSMAN_FAULT_ACCESS_DENIED, false, "w:AccessDenied", 0x80070005u, ACTION_WSMAN_FAULT},
    {WSMAN_FAULT_ALREADY_EXISTS, false, "w:AlreadyExists", 0x80338033u, ACTION_WSMAN_FAULT},
    {WSMAN_FAULT_INTERNAL, true, "w:InternalError", 0x80338003u, ACTION_WSMAN_FAULT},
};

static const fault_spec *spec_of(wsman_fault_kind kind)
{
    for (size_t i = 0; i < sizeof specs / sizeof specs[0]; i++)
        if (specs[i].kind == kind)
            return &specs[i];
    return &specs[sizeof specs / sizeof specs[0] - 1]; /* InternalError */
}

/* The invalid-selectors detail codes (ERROR_WSMAN_*_SELECTORS). */
static uint32_t selector_detail_code(const char *detail)
{
    static const struct {
        const char *detail;
        uint32_t code;
    } map[] = {{"InsufficientSelectors", 0x8033805Au}, {"UnexpectedSelectors", 0x8033805Bu},
               {"TypeMismatch", 0x8033805Cu},          {"InvalidValue", 0x8033805Du},
               {"DuplicateSelectors", 0x8033805Fu}};
    for (size_t i = 0; detail && i < sizeof map / sizeof map[0]; i++)
        if (!strcmp(map[i].detail, detail))
            return map[i].code;
    return 0;
}

void wsman_fault_clear(wsman_fault *f)
{
    free(f->reason);
    free(f->not_understood_name);
    free(f->not_understood_ns);
    smsprov_error_clear(&f->error);
    memset(f, 0, sizeof *f);
}

void wsman_fault_set(wsman_fault *f, wsman_fault_kind kind, const char *detail, const char *fmt,
                     ...)
{
    if (!f)
        return;
    wsman_fault_clear(f);
    f->kind = kind;
    f->detail = detail;
    f->code = kind == WSMAN_FAULT_INVALID_SELECTORS ? selector_detail_code(detail) : 0;
    va_list ap;
    va_start(ap, fmt);
    char small[1024];
    vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    f->reason = cim_xstrdup(small);
}

void wsman_fault_from_error(wsman_fault *f, smsprov_error *err)
{
    wsman_fault_kind kind = WSMAN_FAULT_INTERNAL;
    const char *detail = NULL;
    switch (err->code) {
    case SMSPROV_E_NOT_FOUND:
    case SMSPROV_E_INVALID_NAMESPACE:
    case SMSPROV_E_INVALID_CLASS:
        kind = WSMAN_FAULT_DESTINATION_UNREACHABLE;
        detail = "InvalidResourceURI";
        break;
    case SMSPROV_E_ALREADY_EXISTS: kind = WSMAN_FAULT_ALREADY_EXISTS; break;
    case SMSPROV_E_ACCESS_DENIED: kind = WSMAN_FAULT_ACCESS_DENIED; break;
    case SMSPROV_E_INVALID_QUERY:
    case SMSPROV_E_INVALID_QUERY_TYPE: kind = WSMAN_FAULT_CANNOT_PROCESS_FILTER; break;
    case SMSPROV_E_NOT_SUPPORTED: kind = WSMAN_FAULT_UNSUPPORTED_FEATURE; break;
    case SMSPROV_E_INVALID_METHOD: kind = WSMAN_FAULT_ACTION_NOT_SUPPORTED; break;
    default: break;
    }
    wsman_fault_set(f, kind, detail, "%s",
                    err->description ? err->description : smsprov_code_name(err->code));
    /* A provider failure without a WS-Management meaning carries its own
     * HRESULT, as WinRM's WMI plug-in reports it; the others keep their
     * ERROR_WSMAN_* code (the HRESULT is in MSFT_WmiError either way). */
    if (kind == WSMAN_FAULT_INTERNAL || kind == WSMAN_FAULT_UNSUPPORTED_FEATURE)
        f->code = (uint32_t)err->code;
    smsprov_error_move(&f->error, err);
}

uint32_t wsman_fault_code(const wsman_fault *f)
{
    return f->code ? f->code : spec_of(f->kind)->code;
}

/* PowerShell's ErrorCategory for a WBEM code (MSFT_WmiError.error_Category). */
static unsigned error_category(smsprov_code code)
{
    switch (code) {
    case SMSPROV_E_NOT_FOUND: return 13;         /* ObjectNotFound */
    case SMSPROV_E_INVALID_NAMESPACE:
    case SMSPROV_E_INVALID_CLASS: return 10;     /* MetadataError */
    case SMSPROV_E_ACCESS_DENIED: return 18;     /* PermissionDenied */
    case SMSPROV_E_ALREADY_EXISTS: return 20;    /* ResourceExists */
    case SMSPROV_E_INVALID_PARAMETER:
    case SMSPROV_E_INVALID_METHOD_PARAMETERS:
    case SMSPROV_E_VALUE_OUT_OF_RANGE:
    case SMSPROV_E_ILLEGAL_NULL:
    case SMSPROV_E_INVALID_OBJECT_PATH:
    case SMSPROV_E_INVALID_QUERY:
    case SMSPROV_E_INVALID_QUERY_TYPE:
    case SMSPROV_E_INVALID_SYNTAX: return 5;     /* InvalidArgument */
    case SMSPROV_E_TYPE_MISMATCH: return 9;      /* InvalidType */
    case SMSPROV_E_NOT_SUPPORTED:
    case SMSPROV_E_INVALID_METHOD: return 11;    /* NotImplemented */
    case SMSPROV_E_INVALID_OPERATION:
    case SMSPROV_E_READ_ONLY:
    case SMSPROV_E_INVALID_OBJECT: return 7;     /* InvalidOperation */
    case SMSPROV_E_OUT_OF_MEMORY: return 29;     /* LimitsExceeded */
    default: return 0;                           /* NotSpecified */
    }
}

static void write_wmi_property(cim_buf *b, const char *name, const char *type, const char *value)
{
    if (!value) {
        cim_buf_printf(b, "<p:%s xsi:type=\"cim:%s\" xsi:nil=\"true\"/>", name, type);
        return;
    }
    cim_buf_printf(b, "<p:%s xsi:type=\"cim:%s\">", name, type);
    xmlcim_escape(b, value);
    cim_buf_printf(b, "</p:%s>", name);
}

static void write_wmi_number(cim_buf *b, const char *name, const char *type, uint32_t value)
{
    char text[16];
    snprintf(text, sizeof text, "%u", value);
    write_wmi_property(b, name, type, text);
}

/* The CIM_Error instance PowerShell turns into a CimException. */
static void write_msft_wmi_error(cim_buf *b, const smsprov_error *err)
{
    uint32_t hresult = (uint32_t)err->code;
    char message_id[32];
    snprintf(message_id, sizeof message_id, "HRESULT 0x%08x", hresult);
    int status = xmlcim_cim_status(err->code);
    cim_buf_append(b, "<p:MSFT_WmiError b:IsCIM_Error=\"true\" "
                      "xmlns:p=\"http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/MSFT_WmiError\" "
                      "xsi:type=\"p:MSFT_WmiError_Type\">");
    write_wmi_number(b, "CIMStatusCode", "cimUnsignedInt", (uint32_t)status);
    write_wmi_property(b, "CIMStatusCodeDescription", "cimString", xmlcim_cim_status_name(status));
    write_wmi_property(b, "ErrorSource", "cimString", err->object_info);
    write_wmi_number(b, "ErrorSourceFormat", "cimUnsignedShort", 0);
    write_wmi_number(b, "ErrorType", "cimUnsignedShort", 0);
    write_wmi_property(b, "Message", "cimString", err->description);
    write_wmi_property(b, "MessageID", "cimString", message_id);
    write_wmi_property(b, "OtherErrorSourceFormat", "cimString", NULL);
    write_wmi_property(b, "OtherErrorType", "cimString", NULL);
    write_wmi_property(b, "OwningEntity", "cimString", NULL);
    write_wmi_number(b, "PerceivedSeverity", "cimUnsignedShort", 0);
    write_wmi_number(b, "ProbableCause", "cimUnsignedShort", 0);
    write_wmi_property(b, "ProbableCauseDescription", "cimString", NULL);
    write_wmi_number(b, "error_Category", "cimUnsignedInt", error_category(err->code));
    write_wmi_number(b, "error_Code", "cimUnsignedInt", hresult);
    write_wmi_property(b, "error_Type", "cimString", "HRESULT");
    write_wmi_property(b, "error_WindowsErrorMessage", "cimString", err->description);
    cim_buf_append(b, "</p:MSFT_WmiError>");
}

/* SMS_ExtendedStatus, as the SMS Provider attaches it to its errors. */
static void write_extended_status(cim_buf *b, const smsprov_error *err,
                                  const wsman_fault_context *ctx)
{
    cim_instance *st = xmlcim_extended_status(ctx->schema, ctx->site_namespace, err);
    if (!st)
        return;
    wsman_write_options o = {.uri_prefix = "http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/",
                             .namespace_path = ctx->site_namespace};
    cim_buf_append(b, "<f:ExtendedError>");
    wsman_write_instance(b, st, &o);
    cim_buf_append(b, "</f:ExtendedError>");
    cim_instance_free(st);
}

static void write_wsman_fault(cim_buf *b, const wsman_fault *f, const wsman_fault_context *ctx)
{
    cim_buf_printf(b, "<f:WSManFault xmlns:f=\"" NS_WSMANFAULT "\" Code=\"%u\" Machine=\"",
                   wsman_fault_code(f));
    xmlcim_escape(b, ctx->machine ? ctx->machine : "localhost");
    cim_buf_append(b, "\"><f:Message>");
    if (f->error.code) {
        cim_buf_append(b, "<f:ProviderFault provider=\"SMS Provider\" path=\"smsprovd\">"
                          "<f:WSManFault xmlns:f=\"" NS_WSMANFAULT "\" ");
        cim_buf_printf(b, "Code=\"%u\" Machine=\"", (uint32_t)f->error.code);
        xmlcim_escape(b, ctx->machine ? ctx->machine : "localhost");
        cim_buf_append(b, "\"><f:Message>");
        xmlcim_escape(b, f->reason);
        cim_buf_append(b, "</f:Message></f:WSManFault>");
        write_extended_status(b, &f->error, ctx);
        cim_buf_append(b, "</f:ProviderFault>");
    } else {
        xmlcim_escape(b, f->reason);
    }
    cim_buf_append(b, "</f:Message></f:WSManFault>");
}

char *wsman_fault_envelope(const wsman_fault *f, const wsman_fault_context *ctx)
{
    const fault_spec *spec = spec_of(f->kind);
    cim_buf b = {0};
    char *id = wsman_new_uuid();
    cim_buf_append(&b, "<s:Envelope " WSMAN_ENVELOPE_NAMESPACES "><s:Header><a:Action>");
    cim_buf_append(&b, spec->action);
    cim_buf_printf(&b, "</a:Action><a:MessageID>%s</a:MessageID><a:To>" ADDRESS_ANONYMOUS
                       "</a:To>", id);
    free(id);
    if (ctx->relates_to) {
        cim_buf_append(&b, "<a:RelatesTo>");
        xmlcim_escape(&b, ctx->relates_to);
        cim_buf_append(&b, "</a:RelatesTo>");
    }
    if (f->kind == WSMAN_FAULT_MUST_UNDERSTAND && f->not_understood_name) {
        cim_buf_append(&b, "<s:NotUnderstood qname=\"q:");
        xmlcim_escape(&b, f->not_understood_name);
        cim_buf_append(&b, "\" xmlns:q=\"");
        xmlcim_escape(&b, f->not_understood_ns ? f->not_understood_ns : "");
        cim_buf_append(&b, "\"/>");
    }
    cim_buf_printf(&b, "</s:Header><s:Body><s:Fault><s:Code><s:Value>%s</s:Value>",
                   f->kind == WSMAN_FAULT_MUST_UNDERSTAND ? "s:MustUnderstand"
                   : spec->receiver                      ? "s:Receiver"
                                                         : "s:Sender");
    if (spec->subcode && f->kind != WSMAN_FAULT_MUST_UNDERSTAND)
        cim_buf_printf(&b, "<s:Subcode><s:Value>%s</s:Value></s:Subcode>", spec->subcode);
    cim_buf_append(&b, "</s:Code><s:Reason><s:Text xml:lang=\"");
    xmlcim_escape(&b, ctx->lang ? ctx->lang : "en-US");
    cim_buf_append(&b, "\">");
    xmlcim_escape(&b, f->reason ? f->reason : "The request failed.");
    cim_buf_append(&b, "</s:Text></s:Reason><s:Detail>");
    if (f->detail)
        cim_buf_printf(&b, "<w:FaultDetail>" FAULT_DETAIL_BASE "%s</w:FaultDetail>", f->detail);
    write_wsman_fault(&b, f, ctx);
    if (f->error.code)
        write_msft_wmi_error(&b, &f->error);
    cim_buf_append(&b, "</s:Detail></s:Fault></s:Body></s:Envelope>");
    return cim_buf_take(&b);
}
