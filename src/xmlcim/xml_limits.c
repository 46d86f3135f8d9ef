/* xml_limits.c - the linear pre-scan of untrusted XML (xml_limits.h).
 *
 * The lexer follows XML 1.0's tag grammar closely enough that every
 * well-formed document scans to the end, and it stops (MALFORMED) only
 * where a document is certainly not well-formed (a NUL byte included, which
 * XML forbids and libxml2 takes for the end of the input).  libxml2 keeps parsing
 * after an error (with its tree builder off), so it must not see the
 * unscanned rest of such a document: only ERROR_CONTEXT bytes past the
 * break, enough for its sentence. */
#include "xmlcim/xml_limits.h"

#include <string.h>

#include "smsprov/cim.h"

/* How far past a lexical error libxml2 may read to describe it. */
#define ERROR_CONTEXT 64

typedef struct scanner {
    const char *s;
    size_t len, pos;
    const xmlcim_xml_limits *limits;
    xmlcim_xml_scan *out;
    size_t depth, nodes;
    size_t text; /* bytes of the text node being built */
} scanner;

xmlcim_xml_limits xmlcim_xml_default_limits(size_t max_depth)
{
    return (xmlcim_xml_limits){
        .max_depth = max_depth,
        .max_nodes = XMLCIM_MAX_NODES,
        .max_attributes = XMLCIM_MAX_ATTRIBUTES,
        .max_name = XMLCIM_MAX_NAME,
        .max_attribute_value = XMLCIM_MAX_ATTRIBUTE_VALUE,
        .max_text = XMLCIM_MAX_TEXT,
    };
}

static long line_at(const char *s, size_t pos)
{
    long line = 1;
    for (const char *p = s; (p = memchr(p, '\n', pos - (size_t)(p - s))) != NULL; p++)
        line++;
    return line;
}

static bool stop(scanner *sc, xmlcim_xml_verdict verdict, size_t limit)
{
    sc->out->verdict = verdict;
    sc->out->limit = limit;
    sc->out->line = line_at(sc->s, sc->pos < sc->len ? sc->pos : sc->len);
    sc->out->parse_len = sc->len - sc->pos > ERROR_CONTEXT ? sc->pos + ERROR_CONTEXT : sc->len;
    return false;
}

static bool malformed(scanner *sc)
{
    return stop(sc, XMLCIM_XML_MALFORMED, 0);
}

static bool add_node(scanner *sc)
{
    if (++sc->nodes > sc->limits->max_nodes)
        return stop(sc, XMLCIM_XML_NODES, sc->limits->max_nodes);
    return true;
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static bool at(const scanner *sc, const char *word)
{
    size_t n = strlen(word);
    return sc->len - sc->pos >= n && memcmp(sc->s + sc->pos, word, n) == 0;
}

static bool skip_spaces(scanner *sc)
{
    size_t start = sc->pos;
    while (sc->pos < sc->len && is_space(sc->s[sc->pos]))
        sc->pos++;
    return sc->pos > start;
}

/* Lenient about which characters a name holds (libxml2 checks that), strict
 * about where it ends. */
static bool scan_name(scanner *sc)
{
    size_t start = sc->pos;
    while (sc->pos < sc->len && sc->s[sc->pos] != '\0' && !is_space(sc->s[sc->pos]) &&
           !strchr("<>/=\"'", sc->s[sc->pos]))
        sc->pos++;
    if (sc->pos == start)
        return malformed(sc);
    if (sc->pos - start > sc->limits->max_name) {
        sc->pos = start;
        return stop(sc, XMLCIM_XML_NAME, sc->limits->max_name);
    }
    return true;
}

/* A quoted attribute value; '<' may not appear in one. */
static bool scan_attribute_value(scanner *sc)
{
    if (sc->pos >= sc->len || (sc->s[sc->pos] != '"' && sc->s[sc->pos] != '\''))
        return malformed(sc);
    char quote = sc->s[sc->pos++];
    size_t start = sc->pos;
    size_t max = sc->limits->max_attribute_value;
    while (sc->pos < sc->len && sc->s[sc->pos] != quote) {
        if (sc->s[sc->pos] == '<' || sc->s[sc->pos] == '\0')
            return malformed(sc);
        if (sc->pos - start >= max)
            return stop(sc, XMLCIM_XML_ATTRIBUTE_VALUE, max);
        sc->pos++;
    }
    if (sc->pos >= sc->len)
        return malformed(sc);
    sc->pos++;
    return true;
}

static bool scan_attribute(scanner *sc, size_t *count)
{
    if (++*count > sc->limits->max_attributes)
        return stop(sc, XMLCIM_XML_ATTRIBUTES, sc->limits->max_attributes);
    if (!add_node(sc) || !scan_name(sc))
        return false;
    skip_spaces(sc);
    if (sc->pos >= sc->len || sc->s[sc->pos] != '=')
        return malformed(sc);
    sc->pos++;
    skip_spaces(sc);
    return scan_attribute_value(sc);
}

/* '<' name (S attribute)* S? ('>' | '/>') */
static bool scan_start_tag(scanner *sc)
{
    sc->pos++;
    if (!add_node(sc) || !scan_name(sc))
        return false;
    if (sc->depth + 1 > sc->limits->max_depth)
        return stop(sc, XMLCIM_XML_DEPTH, sc->limits->max_depth);
    size_t attributes = 0;
    for (;;) {
        bool spaced = skip_spaces(sc);
        if (sc->pos >= sc->len)
            return malformed(sc);
        if (sc->s[sc->pos] == '>') {
            sc->pos++;
            sc->depth++;
            return true;
        }
        if (at(sc, "/>")) {
            sc->pos += 2;
            return true;
        }
        if (!spaced)
            return malformed(sc);
        if (!scan_attribute(sc, &attributes))
            return false;
    }
}

/* '</' name S? '>' */
static bool scan_end_tag(scanner *sc)
{
    sc->pos += 2;
    if (!scan_name(sc))
        return false;
    skip_spaces(sc);
    if (sc->pos >= sc->len || sc->s[sc->pos] != '>' || sc->depth == 0)
        return malformed(sc);
    sc->pos++;
    sc->depth--;
    return true;
}

/* Advances past the terminator of a comment, PI or CDATA section that
 * starts after `open` bytes; its content is at most max bytes. */
static bool scan_until(scanner *sc, size_t open, const char *terminator, size_t max,
                       size_t *content)
{
    size_t start = sc->pos + open;
    size_t n = strlen(terminator);
    for (size_t i = start; i + n <= sc->len; i++) {
        if (i - start > max) {
            sc->pos = start;
            return stop(sc, XMLCIM_XML_TEXT, max);
        }
        if (sc->s[i] == '\0') {
            sc->pos = i;
            return malformed(sc);
        }
        if (sc->s[i] == terminator[0] && memcmp(sc->s + i, terminator, n) == 0) {
            *content = i - start;
            sc->pos = i + n;
            return true;
        }
    }
    sc->pos = start;
    return malformed(sc);
}

static bool scan_markup(scanner *sc)
{
    size_t content = 0;
    if (at(sc, "<![CDATA[")) {
        /* libxml2 merges CDATA (XML_PARSE_NOCDATA) into the text around it */
        size_t room = sc->limits->max_text - sc->text;
        if (!scan_until(sc, 9, "]]>", room, &content))
            return false;
        if (sc->text == 0 && !add_node(sc))
            return false;
        sc->text += content;
        return true;
    }
    if (at(sc, "<!--") || at(sc, "<?")) {
        bool comment = at(sc, "<!--");
        sc->text = 0;
        return add_node(sc) && scan_until(sc, comment ? 4 : 2, comment ? "-->" : "?>",
                                          sc->limits->max_text, &content);
    }
    if (at(sc, "<!"))
        return stop(sc, XMLCIM_XML_DOCTYPE, 0);
    sc->text = 0;
    return at(sc, "</") ? scan_end_tag(sc) : scan_start_tag(sc);
}

static bool scan_text(scanner *sc)
{
    const char *lt = memchr(sc->s + sc->pos, '<', sc->len - sc->pos);
    size_t end = lt ? (size_t)(lt - sc->s) : sc->len;
    size_t run = end - sc->pos;
    const char *nul = memchr(sc->s + sc->pos, '\0', run);
    if (nul) {
        sc->pos = (size_t)(nul - sc->s);
        return malformed(sc);
    }
    if (sc->text == 0 && !add_node(sc))
        return false;
    if (run > sc->limits->max_text - sc->text)
        return stop(sc, XMLCIM_XML_TEXT, sc->limits->max_text);
    sc->text += run;
    sc->pos = end;
    return true;
}

xmlcim_xml_verdict xmlcim_xml_scan_limits(const char *xml, size_t len,
                                          const xmlcim_xml_limits *limits, xmlcim_xml_scan *out)
{
    *out = (xmlcim_xml_scan){.verdict = XMLCIM_XML_OK, .parse_len = len};
    scanner sc = {.s = xml, .len = len, .limits = limits, .out = out};
    while (sc.pos < sc.len) {
        bool ok = sc.s[sc.pos] == '<' ? scan_markup(&sc) : scan_text(&sc);
        if (!ok)
            return out->verdict;
    }
    return out->verdict;
}

char *xmlcim_xml_limit_sentence(const xmlcim_xml_scan *scan)
{
    const char *what;
    switch (scan->verdict) {
    case XMLCIM_XML_NODES: what = "nodes (elements, attributes, texts, comments)"; break;
    case XMLCIM_XML_ATTRIBUTES: what = "attributes on one element"; break;
    case XMLCIM_XML_NAME: what = "bytes in an element or attribute name"; break;
    case XMLCIM_XML_ATTRIBUTE_VALUE: what = "bytes in an attribute value"; break;
    case XMLCIM_XML_TEXT: what = "bytes of text in one node"; break;
    case XMLCIM_XML_DEPTH:
        return cim_xasprintf("The request nests elements deeper than %zu levels (line %ld), "
                             "beyond this server's XML limits.",
                             scan->limit, scan->line);
    default: return cim_xstrdup("The request is within this server's XML limits.");
    }
    return cim_xasprintf("The request has more than %zu %s (line %ld), beyond this server's "
                         "XML limits.",
                         scan->limit, what, scan->line);
}
