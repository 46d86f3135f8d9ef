/* xml_util.c - libxml2 helpers. */
#include "wsman/xml_util.h"

#include <stdlib.h>
#include <string.h>

#include "smsprov/cim.h"

const char *wx_local(const xmlNode *node)
{
    return node && node->name ? (const char *)node->name : "";
}

const char *wx_ns(const xmlNode *node)
{
    return node && node->ns && node->ns->href ? (const char *)node->ns->href : NULL;
}

bool wx_is(const xmlNode *node, const char *ns, const char *name)
{
    if (!node || node->type != XML_ELEMENT_NODE || strcmp(wx_local(node), name) != 0)
        return false;
    if (!ns)
        return true;
    const char *href = wx_ns(node);
    return href && strcmp(href, ns) == 0;
}

xmlNode *wx_next_element(const xmlNode *node)
{
    for (xmlNode *n = node ? node->next : NULL; n; n = n->next)
        if (n->type == XML_ELEMENT_NODE)
            return n;
    return NULL;
}

xmlNode *wx_first_element(const xmlNode *parent)
{
    for (xmlNode *n = parent ? parent->children : NULL; n; n = n->next)
        if (n->type == XML_ELEMENT_NODE)
            return n;
    return NULL;
}

xmlNode *wx_child(const xmlNode *parent, const char *ns, const char *name)
{
    for (xmlNode *n = wx_first_element(parent); n; n = wx_next_element(n))
        if (wx_is(n, ns, name))
            return n;
    return NULL;
}

char *wx_text(const xmlNode *node)
{
    cim_buf b = {0};
    for (xmlNode *n = node ? node->children : NULL; n; n = n->next)
        if ((n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) && n->content)
            cim_buf_append(&b, (const char *)n->content);
    return cim_buf_take(&b);
}

char *wx_text_trimmed(const xmlNode *node)
{
    char *text = wx_text(node);
    char *start = text;
    while (*start == ' ' || *start == '\t' || *start == '\n' || *start == '\r')
        start++;
    size_t n = strlen(start);
    while (n && (start[n - 1] == ' ' || start[n - 1] == '\t' || start[n - 1] == '\n' ||
                 start[n - 1] == '\r'))
        n--;
    memmove(text, start, n);
    text[n] = '\0';
    return text;
}

char *wx_attr(const xmlNode *node, const char *ns, const char *name)
{
    xmlChar *v = ns ? xmlGetNsProp(node, (const xmlChar *)name, (const xmlChar *)ns)
                    : xmlGetNoNsProp(node, (const xmlChar *)name);
    if (!v)
        return NULL;
    char *copy = cim_xstrdup((const char *)v);
    xmlFree(v);
    return copy;
}

bool wx_attr_true(const xmlNode *node, const char *ns, const char *name)
{
    char *v = wx_attr(node, ns, name);
    bool yes = v && (cim_strcasecmp(v, "true") == 0 || strcmp(v, "1") == 0);
    free(v);
    return yes;
}

char *wx_qname(const xmlNode *node)
{
    if (node->ns && node->ns->prefix)
        return cim_xasprintf("%s:%s", node->ns->prefix, wx_local(node));
    if (node->ns && node->ns->href)
        return cim_xasprintf("{%s}%s", node->ns->href, wx_local(node));
    return cim_xstrdup(wx_local(node));
}
