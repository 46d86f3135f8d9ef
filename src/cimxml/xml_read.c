/* xml_read.c - reading untrusted XML with libxml2.
 *
 * Requests come from the network, so the reader refuses what only an
 * attacker needs: a DOCTYPE (the home of entity declarations, hence of
 * "billion laughs" and external entities), network access, and deep nesting.
 * The tree builder's SAX callbacks are wrapped to see those early and stop
 * the parser before any work is done on them. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>

#include "cimxml/request_internal.h"

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

xmlDocPtr cimxml_xml_read(const char *text, size_t len, cimxml_fault *fault)
{
    if (len == 0 || len > INT_MAX) {
        cimxml_fault_set(fault, 400, CIMXML_NOT_WELL_FORMED,
                         len ? "The request body is too large to parse."
                             : "The request has no body; send a CIM-XML document.");
        return NULL;
    }
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
    int options = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NOCDATA;
    /* Read as UTF-8 (what DSP0200 sends) whatever the document declares:
     * a declared encoding would hand the body to iconv, whose failures
     * libxml2 reports on stderr in spite of XML_PARSE_NOERROR. */
    xmlDocPtr doc = xmlCtxtReadMemory(ctxt, text, (int)len, NULL, "UTF-8", options);
    if (!doc || guard.has_doctype || guard.too_deep) {
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
