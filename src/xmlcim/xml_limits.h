/*
 * xmlcim/xml_limits.h - a linear pre-scan of an untrusted XML document that
 * both HTTP doors run before libxml2 sees a byte.
 *
 * libxml2 does work that is not linear in its input: its duplicate-attribute
 * check compares each attribute of an element with every earlier one, so an
 * element with 100,000 attributes costs seconds, and its own limits (10 MB
 * of text, 50,000-byte names) are far beyond what a request needs.  The scan
 * lexes the document once (tags, attributes, text, comments, processing
 * instructions, CDATA), counts what libxml2 would build and stops at the
 * first limit exceeded.  It does not check that tags match or that entities
 * are defined: libxml2 does that afterwards, on a document the scan has
 * proved small in every dimension.
 */
#ifndef SMSPROV_XMLCIM_XML_LIMITS_H
#define SMSPROV_XMLCIM_XML_LIMITS_H

#include <stdbool.h>
#include <stddef.h>

/* Limits generous for every real client (a WinRM envelope has fewer than 20
 * attributes per element and at most 512,000 bytes; a CIM-XML INSTANCE has
 * about 60 properties) and small enough to keep libxml2 linear. */
#define XMLCIM_MAX_ATTRIBUTES 64            /* per element, xmlns declarations included */
#define XMLCIM_MAX_NAME 256                 /* bytes of an element or attribute name */
#define XMLCIM_MAX_ATTRIBUTE_VALUE 65536    /* bytes of one attribute value */
#define XMLCIM_MAX_TEXT (1024u * 1024u)     /* bytes of text between two tags */
#define XMLCIM_MAX_NODES 200000             /* elements, text runs, comments, PIs */

typedef struct xmlcim_xml_limits {
    size_t max_depth;           /* elements open at once */
    size_t max_nodes;
    size_t max_attributes;
    size_t max_name;
    size_t max_attribute_value;
    size_t max_text;
} xmlcim_xml_limits;

/* The limits above with the given depth. */
xmlcim_xml_limits xmlcim_xml_default_limits(size_t max_depth);

typedef enum xmlcim_xml_verdict {
    XMLCIM_XML_OK = 0,
    XMLCIM_XML_DEPTH,
    XMLCIM_XML_NODES,
    XMLCIM_XML_ATTRIBUTES,
    XMLCIM_XML_NAME,
    XMLCIM_XML_ATTRIBUTE_VALUE,
    XMLCIM_XML_TEXT,
    XMLCIM_XML_DOCTYPE,   /* <!DOCTYPE or another markup declaration */
    XMLCIM_XML_MALFORMED, /* not XML; see parse_len */
} xmlcim_xml_verdict;

typedef struct xmlcim_xml_scan {
    xmlcim_xml_verdict verdict;
    size_t limit;     /* the limit exceeded (verdicts DEPTH..TEXT) */
    long line;        /* 1-based line of the offending spot */
    /* MALFORMED: the document breaks XML's lexical rules at or before
     * parse_len, and only its first parse_len bytes have been scanned.  A
     * caller may give those bytes (and no more) to libxml2 for a precise
     * error message at bounded cost. OK: parse_len is the whole length. */
    size_t parse_len;
} xmlcim_xml_scan;

/* Scans xml[0..len) in one pass, in O(len) time and O(1) memory, and
 * returns the verdict (also in out->verdict).  The first limit exceeded,
 * in document order, wins. */
xmlcim_xml_verdict xmlcim_xml_scan_limits(const char *xml, size_t len,
                                          const xmlcim_xml_limits *limits, xmlcim_xml_scan *out);

/* A sentence naming the limit a DEPTH..TEXT verdict exceeded and where, for
 * the door's error: "The request has more than 64 attributes on one element
 * (line 3)."  Malloc'd. */
char *xmlcim_xml_limit_sentence(const xmlcim_xml_scan *scan);

#endif
