/* xml_util.h - small libxml2 helpers: element walking by namespace URI and
 * local name, text, attributes. */
#ifndef SMSPROV_WSMAN_XML_UTIL_H
#define SMSPROV_WSMAN_XML_UTIL_H

#include <libxml/tree.h>
#include <stdbool.h>

/* True when node is an element in namespace ns (NULL: any) named name
 * (case-sensitive, as XML is). */
bool wx_is(const xmlNode *node, const char *ns, const char *name);
/* The first element child, or the next element sibling. */
xmlNode *wx_first_element(const xmlNode *parent);
xmlNode *wx_next_element(const xmlNode *node);
/* The first element child matching wx_is; NULL when none. */
xmlNode *wx_child(const xmlNode *parent, const char *ns, const char *name);
/* The element's text (all text and CDATA children), malloc'd; "" when empty. */
char *wx_text(const xmlNode *node);
/* The element's text with leading and trailing blanks removed. */
char *wx_text_trimmed(const xmlNode *node);
/* An attribute in namespace ns (NULL: no namespace), malloc'd; NULL if absent. */
char *wx_attr(const xmlNode *node, const char *ns, const char *name);
/* True when the attribute is "true" or "1". */
bool wx_attr_true(const xmlNode *node, const char *ns, const char *name);
/* "prefix:local" as written, or "{ns}local"; malloc'd. */
char *wx_qname(const xmlNode *node);
const char *wx_local(const xmlNode *node);
const char *wx_ns(const xmlNode *node);

#endif
