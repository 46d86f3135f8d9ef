/* xml_read.c - reading untrusted XML with libxml2.
 *
 * Requests come from the network, so the reader refuses what only an
 * attacker needs: a DOCTYPE (the home of entity declarations, hence of
 * "billion laughs" and external entities), network access, and documents
 * past the limits of xmlcim/xml_limits.h (depth, nodes, attributes per
 * element, name, attribute value and text lengths), checked by a linear
 * pre-scan before libxml2 starts.  The tree builder's SAX callbacks are
 * wrapped as well, so a DOCTYPE or deep nesting stops the parser early even
 * if the scan were wrong. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>

#include "cimxml/request_internal.h"
#include "xmlcim/xml_limits.h"

typedef struct read_guard {
    int depth;
    bool too_deep;
    bool has_doctype;
} read_guard;

static void guarded_start(void *ctx, const xmlChar *localname, const xmlChar *prefix,
                          const xmlChar *uri, int nb_namespaces, const xmlChar **namespaces,
                          int nb_attributes, int nb_defaulted, const xmlChar **attributes)
{
    xmlParserCtxtPtr ctxt = ctx;
    read_guard *guard = ctxt->_private;
    if (++guard->depth > CIMXML_MAX_DEPTH) {
        guard->too_deep = true;
        xmlStopParser(ctxt);
        return;
    }
    xmlSAX2StartElementNs(ctx, localname, prefix, uri, nb_namespaces, namespaces, nb_attributes,
                          nb_defaulted, attributes);
}

static void guarded_end(void *ctx, const xmlChar *localname, const xmlChar *prefix,
                        const xmlChar *uri)
{
    xmlParserCtxtPtr ctxt = ctx;
    read_guard *guard = ctxt->_private;
    guard->depth--;
    xmlSAX2EndElementNs(ctx, localname, prefix, uri);
}

static void refuse_doctype(void *ctx, const xmlChar *name, const xmlChar *external_id,
                           const xmlChar *system_id)
{
    (void)name;
    (void)external_id;
    (void)system_id;
    xmlParserCtxtPtr ctxt = ctx;
    read_guard *guard = ctxt->_private;
    guard->has_doctype = true;
    xmlStopParser(ctxt);
}

static void describe_failure(xmlParserCtxtPtr ctxt, const read_guard *guard, cimxml_fault *fault)
{
    if (guard->has_doctype) {
        cimxml_fault_set(fault, 400, CIMXML_NOT_VALID,
                         "The request has a DOCTYPE declaration; CIM-XML requests are accepted "
                         "without one (no DTD, no entities).");
        return;
    }
    if (guard->too_deep) {
        cimxml_fault_set(fault, 400, CIMXML_NOT_WELL_FORMED,
                         "The request nests elements more than %d deep; a CIM-XML request "
                         "needs far fewer.",
                         CIMXML_MAX_DEPTH);
        return;
    }
    const xmlError *e = xmlCtxtGetLastError(ctxt);
    char message[256] = "the document is not XML";
    if (e && e->message) {
        snprintf(message, sizeof message, "%s", e->message);
        size_t n = strlen(message);
        while (n && (message[n - 1] == '\n' || message[n - 1] == ' '))
            message[--n] = '\0';
    }
    cimxml_fault_set(fault, 400, CIMXML_NOT_WELL_FORMED,
                     "The request is not well-formed XML: %s (line %d, column %d).", message,
                     e ? e->line : 0, e ? e->int2 : 0);
}

/* The linear pre-scan (xmlcim/xml_limits.h) before libxml2: libxml2 only
 * ever sees a document within the limits, or the first bytes of one the scan
 * found broken (for its sentence), so parsing stays linear in the input. */
static bool within_limits(const char *text, size_t *len, long *broken_line,
                          cimxml_fault *fault)
{
    xmlcim_xml_limits limits = xmlcim_xml_default_limits(CIMXML_MAX_DEPTH);
    xmlcim_xml_scan scan;
    switch (xmlcim_xml_scan_limits(text, *len, &limits, &scan)) {
    case XMLCIM_XML_OK:
        return true;
    case XMLCIM_XML_MALFORMED:
        *len = scan.parse_len;
        *broken_line = scan.line;
        return true;
    case XMLCIM_XML_DOCTYPE:
        cimxml_fault_set(fault, 400, CIMXML_NOT_VALID,
                         "The request has a DOCTYPE declaration (line %ld); CIM-XML requests "
                         "are accepted without one (no DTD, no entities).",
                         scan.line);
        return false;
    default: {
        char *sentence = xmlcim_xml_limit_sentence(&scan);
        cimxml_fault_set(fault, 400, CIMXML_NOT_WELL_FORMED, "%s", sentence);
        free(sentence);
        return false;
    }
    }
}

xmlDocPtr cimxml_xml_read(const char *text, size_t len, cimxml_fault *fault)
{
    if (len == 0 || len > INT_MAX) {
        cimxml_fault_set(fault, 400, CIMXML_NOT_WELL_FORMED,
                         len ? "The request body is too large to parse."
                             : "The request has no body; send a CIM-XML document.");
        return NULL;
    }
    size_t parse_len = len;
    long broken_line = 0;
    if (!within_limits(text, &parse_len, &broken_line, fault))
        return NULL;
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    if (!ctxt) {
        cimxml_fault_set(fault, 400, CIMXML_NOT_WELL_FORMED, "The XML parser could not start.");
        return NULL;
    }
    read_guard guard = {0};
    ctxt->_private = &guard;
    ctxt->sax->startElementNs = guarded_start;
    ctxt->sax->endElementNs = guarded_end;
    ctxt->sax->internalSubset = refuse_doctype;
    ctxt->sax->entityDecl = NULL;
    ctxt->sax->getEntity = NULL; /* only the five predefined entities exist */
    /* No XML_PARSE_NOENT, XML_PARSE_DTDLOAD or XML_PARSE_HUGE: entities are
     * never expanded, no DTD is read, libxml2's own limits stay on. */
    int options = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NOCDATA;
    /* Read as UTF-8 (what DSP0200 sends) whatever the document declares:
     * a declared encoding would hand the body to iconv, whose failures
     * libxml2 reports on stderr in spite of XML_PARSE_NOERROR. */
    xmlDocPtr doc = xmlCtxtReadMemory(ctxt, text, (int)parse_len, NULL, "UTF-8", options);
    if (doc && broken_line && !guard.has_doctype && !guard.too_deep) {
        /* libxml2 took the part before the break for a whole document (it
         * stops reading at a NUL byte): the scan's word stands */
        cimxml_fault_set(fault, 400, CIMXML_NOT_WELL_FORMED,
                         "The request is not well-formed XML: markup breaks off, or a character "
                         "XML forbids such as NUL (line %ld).",
                         broken_line);
        xmlFreeDoc(doc);
        doc = NULL;
    } else if (!doc || guard.has_doctype || guard.too_deep) {
        describe_failure(ctxt, &guard, fault);
        xmlFreeDoc(doc);
        doc = NULL;
    }
    xmlFreeParserCtxt(ctxt);
    return doc;
}

/* ---- element helpers ---------------------------------------------------- */

bool cimxml_is(const xmlNode *n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

static xmlNode *element_from(xmlNode *n)
{
    while (n && n->type != XML_ELEMENT_NODE)
        n = n->next;
    return n;
}

xmlNode *cimxml_first_element(const xmlNode *parent)
{
    return parent ? element_from(parent->children) : NULL;
}

xmlNode *cimxml_next_element(const xmlNode *n)
{
    return n ? element_from(n->next) : NULL;
}

long cimxml_line(const xmlNode *n)
{
    return n ? xmlGetLineNo(n) : 0;
}

char *cimxml_attr(const xmlNode *n, const char *name)
{
    xmlChar *v = xmlGetNoNsProp(n, (const xmlChar *)name);
    if (!v)
        return NULL;
    char *copy = cim_xstrdup((const char *)v);
    xmlFree(v);
    return copy;
}

char *cimxml_required_attr(const xmlNode *n, const char *name, cimxml_fault *fault)
{
    char *v = cimxml_attr(n, name);
    if (!v || !*v) {
        free(v);
        cimxml_fault_set(fault, 400, CIMXML_NOT_LOOSELY_VALID,
                         "Line %ld: <%s> needs a non-empty %s attribute.", cimxml_line(n),
                         (const char *)n->name, name);
        return NULL;
    }
    return v;
}

char *cimxml_text(const xmlNode *n, cimxml_fault *fault)
{
    xmlNode *child = cimxml_first_element(n);
    if (child) {
        cimxml_fault_set(fault, 400, CIMXML_NOT_LOOSELY_VALID,
                         "Line %ld: <%s> holds text only, not a <%s> element (escape embedded "
                         "XML).",
                         cimxml_line(child), (const char *)n->name, (const char *)child->name);
        return NULL;
    }
    xmlChar *content = xmlNodeGetContent(n);
    char *copy = cim_xstrdup(content ? (const char *)content : "");
    xmlFree(content);
    return copy;
}

/* DSP0201 gives text to VALUE, KEYVALUE and HOST only; any other element
 * holds elements (or nothing), so text there is a client's mistake, such as
 * a class name written in place of <CLASSNAME NAME=...>. */
static bool holds_text(const xmlNode *n)
{
    return cimxml_is(n, "VALUE") || cimxml_is(n, "KEYVALUE") || cimxml_is(n, "HOST");
}

static bool is_blank(const xmlChar *s)
{
    for (; s && *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n')
            return false;
    return true;
}

bool cimxml_check_text_placement(const xmlNode *n, cimxml_fault *fault)
{
    if (holds_text(n))
        return true;
    for (const xmlNode *c = n->children; c; c = c->next) {
        if (c->type == XML_TEXT_NODE && !is_blank(c->content)) {
            cimxml_fault_set(fault, 400, CIMXML_NOT_LOOSELY_VALID,
                             "Line %ld: <%s> holds the text \"%.60s\", where DSP0201 allows "
                             "elements only (a class name, for one, is written <CLASSNAME "
                             "NAME=\"...\"/>).",
                             cimxml_line(c), (const char *)n->name, (const char *)c->content);
            return false;
        }
        if (c->type == XML_ELEMENT_NODE && !cimxml_check_text_placement(c, fault))
            return false;
    }
    return true;
}

bool cimxml_unexpected(const xmlNode *parent, const xmlNode *child, const char *expected,
                       cimxml_fault *fault)
{
    if (child)
        cimxml_fault_set(fault, 400, CIMXML_NOT_LOOSELY_VALID,
                         "Line %ld: <%s> is not expected inside <%s>; expected %s.",
                         cimxml_line(child), (const char *)child->name, (const char *)parent->name,
                         expected);
    else
        cimxml_fault_set(fault, 400, CIMXML_NOT_LOOSELY_VALID, "Line %ld: <%s> is missing %s.",
                         cimxml_line(parent), (const char *)parent->name, expected);
    return false;
}

bool cimxml_valid_type_name(const char *name, bool allow_reference)
{
    static const char *const types[] = {
        "boolean", "string", "char16", "uint8",  "sint8",    "uint16", "sint16",
        "uint32",  "sint32", "uint64", "sint64", "datetime", "real32", "real64",
    };
    if (!name)
        return false;
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
        if (cim_strcasecmp(name, types[i]) == 0)
            return true;
    return allow_reference && cim_strcasecmp(name, "reference") == 0;
}
