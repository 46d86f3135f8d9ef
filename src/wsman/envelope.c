/* envelope.c - parsing and checking the SOAP request. */
#include "wsman/envelope.h"

#include <libxml/parser.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wsman/datetime.h"
#include "wsman/wsman_ns.h"
#include "wsman/xml_util.h"
#include "xmlcim/xml_limits.h"

void wsman_xml_init(void)
{
    xmlInitParser();
}

/* The linear pre-scan (xmlcim/xml_limits.h): libxml2 only ever sees a
 * document the scan has found within the limits, or the first bytes of one
 * it found broken, so its cost stays linear in the input. */
static bool within_limits(const char *xml, size_t *len, long *broken_line, wsman_fault *fault)
{
    xmlcim_xml_limits limits = xmlcim_xml_default_limits(WSMAN_MAX_DEPTH);
    limits.max_nodes = WSMAN_MAX_NODES;
    xmlcim_xml_scan scan;
    switch (xmlcim_xml_scan_limits(xml, *len, &limits, &scan)) {
    case XMLCIM_XML_OK:
        return true;
    case XMLCIM_XML_MALFORMED:
        *len = scan.parse_len; /* libxml2 says what is wrong */
        *broken_line = scan.line;
        return true;
    case XMLCIM_XML_DOCTYPE:
        wsman_fault_set(fault, WSMAN_FAULT_SCHEMA_VALIDATION, NULL,
                        "The request declares a DTD or entities (line %ld), which this server "
                        "refuses; send a plain SOAP envelope.",
                        scan.line);
        return false;
    default: {
        char *sentence = xmlcim_xml_limit_sentence(&scan);
        wsman_fault_set(fault, WSMAN_FAULT_ENCODING_LIMIT, NULL, "%s", sentence);
        free(sentence);
        return false;
    }
    }
}

static void not_well_formed(xmlParserCtxtPtr ctxt, wsman_fault *fault)
{
    const xmlError *e = &ctxt->lastError;
    char message[256] = "not well-formed";
    if (e->message) {
        snprintf(message, sizeof message, "%s", e->message);
        size_t n = strlen(message);
        while (n && (message[n - 1] == '\n' || message[n - 1] == ' '))
            message[--n] = '\0';
    }
    wsman_fault_set(fault, WSMAN_FAULT_SCHEMA_VALIDATION, NULL,
                    "The request is not well-formed XML (line %d: %s).", e->line, message);
}

static bool parse_xml(const char *xml, size_t len, wsman_envelope *env, wsman_fault *fault)
{
    if (len == 0) {
        wsman_fault_set(fault, WSMAN_FAULT_SCHEMA_VALIDATION, NULL,
                        "The request has no body; send a SOAP 1.2 envelope.");
        return false;
    }
    size_t parse_len = len;
    if (len > INT_MAX) {
        wsman_fault_set(fault, WSMAN_FAULT_ENCODING_LIMIT, NULL,
                        "The request is too large to parse.");
        return false;
    }
    long broken_line = 0;
    if (!within_limits(xml, &parse_len, &broken_line, fault))
        return false;
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    if (!ctxt) {
        wsman_fault_set(fault, WSMAN_FAULT_INTERNAL, NULL, "The XML parser could not start.");
        return false;
    }
    /* No XML_PARSE_NOENT (entities stay references), no XML_PARSE_DTDLOAD,
     * no XML_PARSE_HUGE: libxml2's own limits stay on behind ours. */
    env->doc = xmlCtxtReadMemory(ctxt, xml, (int)parse_len, "request.xml", "UTF-8",
                                 XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
                                     XML_PARSE_NOCDATA);
    if (env->doc && broken_line) {
        /* libxml2 took the part before the break for a whole document (it
         * stops reading at a NUL byte): the scan's word stands */
        xmlFreeDoc(env->doc);
        env->doc = NULL;
        wsman_fault_set(fault, WSMAN_FAULT_SCHEMA_VALIDATION, NULL,
                        "The request is not well-formed XML (line %ld: markup breaks off, or a "
                        "character XML forbids such as NUL).",
                        broken_line);
        xmlFreeParserCtxt(ctxt);
        return false;
    }
    if (!env->doc) {
        not_well_formed(ctxt, fault);
        xmlFreeParserCtxt(ctxt);
        return false;
    }
    xmlFreeParserCtxt(ctxt);
    if (env->doc->intSubset || env->doc->extSubset) {
        wsman_fault_set(fault, WSMAN_FAULT_SCHEMA_VALIDATION, NULL,
                        "The request declares a DTD, which this server refuses.");
        return false;
    }
    return true;
}

static bool must_understand(const xmlNode *header)
{
    return wx_attr_true(header, NS_SOAP, "mustUnderstand");
}

/* Reads a header's text into *slot, refusing a second copy. */
static bool take_text(const xmlNode *h, char **slot, wsman_fault *fault)
{
    if (*slot) {
        wsman_fault_set(fault, WSMAN_FAULT_INVALID_HEADER, NULL,
                        "The header %s appears more than once.", wx_local(h));
        return false;
    }
    *slot = wx_text_trimmed(h);
    return true;
}

static bool read_selectors(const xmlNode *set, wsman_envelope *env, wsman_fault *fault)
{
    for (xmlNode *s = wx_first_element(set); s; s = wx_next_element(s)) {
        if (!wx_is(s, NS_WSMAN, "Selector"))
            continue;
        char *name = wx_attr(s, NULL, "Name");
        if (!name) {
            wsman_fault_set(fault, WSMAN_FAULT_INVALID_SELECTORS, "InvalidValue",
                            "A selector has no Name attribute.");
            return false;
        }
        if (wsman_envelope_selector(env, name) || env->selector_count >= WSMAN_MAX_SELECTORS) {
            wsman_fault_set(fault, WSMAN_FAULT_INVALID_SELECTORS, "DuplicateSelectors",
                            "The selector %.100s is given more than once, or there are more "
                            "than %d selectors.",
                            name, WSMAN_MAX_SELECTORS);
            free(name);
            return false;
        }
        env->selectors = cim_xrealloc(env->selectors,
                                      (env->selector_count + 1) * sizeof *env->selectors);
        env->selectors[env->selector_count].name = name;
        env->selectors[env->selector_count].value = wx_text_trimmed(s);
        env->selector_count++;
    }
    return true;
}

static bool read_options(const xmlNode *set, wsman_envelope *env, wsman_fault *fault)
{
    for (xmlNode *o = wx_first_element(set); o; o = wx_next_element(o)) {
        if (!wx_is(o, NS_WSMAN, "Option"))
            continue;
        if (env->option_count >= WSMAN_MAX_OPTIONS) {
            wsman_fault_set(fault, WSMAN_FAULT_INVALID_OPTIONS, NULL,
                            "The request has more than %d options.", WSMAN_MAX_OPTIONS);
            return false;
        }
        char *name = wx_attr(o, NULL, "Name");
        if (!name) {
            wsman_fault_set(fault, WSMAN_FAULT_INVALID_OPTIONS, NULL,
                            "An option has no Name attribute.");
            return false;
        }
        env->options = cim_xrealloc(env->options, (env->option_count + 1) * sizeof *env->options);
        wsman_option *opt = &env->options[env->option_count++];
        opt->name = name;
        opt->type = wx_attr(o, NULL, "Type");
        opt->value = wx_text_trimmed(o);
        opt->must_comply = wx_attr_true(o, NULL, "MustComply");
    }
    return true;
}

static bool read_number_header(const xmlNode *h, wsman_envelope *env, wsman_fault *fault)
{
    char *text = wx_text_trimmed(h);
    char *end = NULL;
    unsigned long long n = strtoull(text, &end, 10);
    bool ok = *text && *text != '-' && end && !*end && n > 0;
    if (ok)
        env->max_envelope_size = n;
    else
        wsman_fault_set(fault, WSMAN_FAULT_INVALID_HEADER, NULL,
                        "MaxEnvelopeSize \"%.40s\" is not a positive number of bytes.", text);
    free(text);
    return ok;
}

static bool read_timeout(const xmlNode *h, wsman_envelope *env, wsman_fault *fault)
{
    char *text = wx_text_trimmed(h);
    bool ok = wsman_duration_us(text, &env->operation_timeout_us);
    if (!ok)
        wsman_fault_set(fault, WSMAN_FAULT_INVALID_HEADER, NULL,
                        "OperationTimeout \"%.40s\" is not an xs:duration such as PT60S.", text);
    free(text);
    return ok;
}

/* Headers smsprovd reads or may safely ignore. */
static bool is_ignorable(const xmlNode *h)
{
    static const char *const ms_headers[] = {"SessionId", "OperationID", "SequenceId",
                                             "ActivityId", "DataLocale"};
    if (wx_ns(h) && !strcmp(wx_ns(h), NS_MSWSMAN))
        for (size_t i = 0; i < sizeof ms_headers / sizeof ms_headers[0]; i++)
            if (!strcmp(wx_local(h), ms_headers[i]))
                return true;
    return wx_is(h, NS_ADDRESSING, "FaultTo") || wx_is(h, NS_ADDRESSING, "From");
}

static bool read_header(const xmlNode *h, wsman_envelope *env, wsman_fault *fault)
{
    if (wx_is(h, NS_ADDRESSING, "Action"))
        return take_text(h, &env->action, fault);
    if (wx_is(h, NS_ADDRESSING, "MessageID"))
        return take_text(h, &env->message_id, fault);
    if (wx_is(h, NS_ADDRESSING, "To"))
        return true;
    if (wx_is(h, NS_ADDRESSING, "ReplyTo")) {
        const xmlNode *addr = wx_child(h, NS_ADDRESSING, "Address");
        return addr ? take_text(addr, &env->reply_to, fault) : true;
    }
    if (wx_is(h, NS_WSMAN, "ResourceURI"))
        return take_text(h, &env->resource_uri, fault);
    if (wx_is(h, NS_WSMAN, "SelectorSet"))
        return read_selectors(h, env, fault);
    if (wx_is(h, NS_WSMAN, "OptionSet"))
        return read_options(h, env, fault);
    if (wx_is(h, NS_WSMAN, "MaxEnvelopeSize"))
        return read_number_header(h, env, fault);
    if (wx_is(h, NS_WSMAN, "OperationTimeout"))
        return read_timeout(h, env, fault);
    if (wx_is(h, NS_WSMAN, "Locale")) {
        free(env->lang);
        env->lang = wx_attr(h, NS_XML, "lang");
        return true;
    }
    if (is_ignorable(h) || !must_understand(h))
        return true;
    wsman_fault_set(fault, WSMAN_FAULT_MUST_UNDERSTAND, NULL,
                    "The header %.100s is marked mustUnderstand, and this server does not "
                    "implement it.",
                    wx_local(h));
    fault->not_understood_name = cim_xstrdup(wx_local(h));
    fault->not_understood_ns = cim_xstrdup(wx_ns(h) ? wx_ns(h) : "");
    return false;
}

bool wsman_envelope_parse(const char *xml, size_t len, wsman_envelope *env, wsman_fault *fault)
{
    memset(env, 0, sizeof *env);
    env->operation_timeout_us = -1;
    if (!parse_xml(xml, len, env, fault))
        return false;
    xmlNode *root = xmlDocGetRootElement(env->doc);
    if (!wx_is(root, NS_SOAP, "Envelope")) {
        wsman_fault_set(fault, WSMAN_FAULT_SCHEMA_VALIDATION, NULL,
                        "The request is not a SOAP 1.2 envelope (the root element is %.64s in "
                        "namespace %.128s).",
                        wx_local(root), wx_ns(root) ? wx_ns(root) : "(none)");
        return false;
    }
    const xmlNode *header = wx_child(root, NS_SOAP, "Header");
    /* the MessageID first, so any later fault can relate to it */
    const xmlNode *id = header ? wx_child(header, NS_ADDRESSING, "MessageID") : NULL;
    if (id)
        env->message_id = wx_text_trimmed(id);
    for (xmlNode *h = wx_first_element(header); h; h = wx_next_element(h)) {
        if (h == id)
            continue;
        if (!read_header(h, env, fault))
            return false;
    }
    env->body = wx_child(root, NS_SOAP, "Body");
    if (!env->body) {
        wsman_fault_set(fault, WSMAN_FAULT_SCHEMA_VALIDATION, NULL,
                        "The envelope has no s:Body.");
        return false;
    }
    env->payload = wx_first_element(env->body);
    return true;
}

void wsman_envelope_clear(wsman_envelope *env)
{
    if (env->doc)
        xmlFreeDoc(env->doc);
    free(env->action);
    free(env->resource_uri);
    free(env->message_id);
    free(env->reply_to);
    free(env->lang);
    for (size_t i = 0; i < env->selector_count; i++) {
        free(env->selectors[i].name);
        free(env->selectors[i].value);
    }
    free(env->selectors);
    for (size_t i = 0; i < env->option_count; i++) {
        free(env->options[i].name);
        free(env->options[i].type);
        free(env->options[i].value);
    }
    free(env->options);
    memset(env, 0, sizeof *env);
}

const char *wsman_envelope_selector(const wsman_envelope *env, const char *name)
{
    for (size_t i = 0; i < env->selector_count; i++)
        if (cim_strcasecmp(env->selectors[i].name, name) == 0)
            return env->selectors[i].value;
    return NULL;
}

static const char *unprefixed(const char *name)
{
    const char *colon = strchr(name, ':');
    return colon ? colon + 1 : name;
}

const char *wsman_envelope_option(const wsman_envelope *env, const char *name)
{
    for (size_t i = 0; i < env->option_count; i++)
        if (cim_strcasecmp(unprefixed(env->options[i].name), unprefixed(name)) == 0)
            return env->options[i].value;
    return NULL;
}

bool wsman_envelope_option_true(const wsman_envelope *env, const char *name, bool fallback)
{
    const char *v = wsman_envelope_option(env, name);
    if (!v)
        return fallback;
    return cim_strcasecmp(v, "true") == 0 || strcmp(v, "1") == 0;
}
