/*
 * osd/inf_parse.c - the generic INF syntax: text decoding, logical lines,
 * sections, keys, comma-separated fields and %strkey% tokens.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/hash.h>

#include "osd/inf.h"
#include "smsprov/cim.h"

/* ---- decoding ------------------------------------------------------------ */

static smsprov_code not_text(const char *name, const char *why, smsprov_error *err)
{
    return smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER,
                             "%s is not an INF file: %s.", name, why);
}

static void put_utf8(cim_buf *b, uint32_t c)
{
    char u[4];
    size_t n;
    if (c < 0x80) {
        u[0] = (char)c;
        n = 1;
    } else if (c < 0x800) {
        u[0] = (char)(0xC0 | c >> 6);
        u[1] = (char)(0x80 | (c & 0x3F));
        n = 2;
    } else if (c < 0x10000) {
        u[0] = (char)(0xE0 | c >> 12);
        u[1] = (char)(0x80 | (c >> 6 & 0x3F));
        u[2] = (char)(0x80 | (c & 0x3F));
        n = 3;
    } else {
        u[0] = (char)(0xF0 | c >> 18);
        u[1] = (char)(0x80 | (c >> 12 & 0x3F));
        u[2] = (char)(0x80 | (c >> 6 & 0x3F));
        u[3] = (char)(0x80 | (c & 0x3F));
        n = 4;
    }
    cim_buf_append_n(b, u, n);
}

/* UTF-16LE units (no byte-order mark) as UTF-8; NULL when a surrogate is
 * unpaired.  Caller frees. */
static char *utf16le_to_utf8(const uint8_t *p, size_t units)
{
    cim_buf b = {0};
    for (size_t i = 0; i < units; i++) {
        uint32_t c = (uint32_t)(p[2 * i] | p[2 * i + 1] << 8);
        if (c >= 0xD800 && c < 0xDC00 && i + 1 < units) {
            uint32_t low = (uint32_t)(p[2 * i + 2] | p[2 * i + 3] << 8);
            if (low >= 0xDC00 && low < 0xE000) {
                c = 0x10000 + ((c - 0xD800) << 10) + (low - 0xDC00);
                i++;
            }
        }
        if (c >= 0xD800 && c < 0xE000) {
            free(cim_buf_take(&b));
            return NULL;
        }
        put_utf8(&b, c);
    }
    return cim_buf_take(&b);
}

/* The file as UTF-8 text, without a byte-order mark. */
static smsprov_code decode(const uint8_t *data, size_t size, const char *name, char **out,
                           smsprov_error *err)
{
    *out = NULL;
    if (size >= 2 && data[0] == 0xFE && data[1] == 0xFF)
        return not_text(name, "it is UTF-16 big-endian; save it as UTF-16LE or UTF-8", err);
    if (size >= 2 && data[0] == 0xFF && data[1] == 0xFE) {
        if (size % 2 != 0)
            return not_text(name, "its UTF-16 text has an odd number of bytes", err);
        size_t units = (size - 2) / 2;
        for (size_t i = 0; i < units; i++)
            if (data[2 + 2 * i] == 0 && data[3 + 2 * i] == 0)
                return not_text(name, "it holds NUL characters", err);
        char *utf8 = utf16le_to_utf8(data + 2, units);
        if (!utf8)
            return not_text(name, "its UTF-16 text is malformed", err);
        *out = utf8;
        return SMSPROV_OK;
    }
    if (size >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF) {
        data += 3;
        size -= 3;
    }
    if (memchr(data, '\0', size))
        return not_text(name, "it holds NUL bytes, so it is binary or UTF-16 without a "
                              "byte-order mark",
                        err);
    char *text = cim_xmalloc(size + 1);
    memcpy(text, data, size);
    text[size] = '\0';
    *out = text;
    return SMSPROV_OK;
}

/* ---- building the result ------------------------------------------------- */

/* Arrays grow to the next power of two, so an INF of a million lines costs
 * a million appends, not a million copies of the array. */
static void *grow(void *items, size_t count, size_t item_size)
{
    if (count == 0 || (count & (count - 1)) == 0)
        items = cim_xrealloc(items, (count ? 2 * count : 1) * item_size);
    return items;
}

static osd_inf_line *new_line(osd_inf_section *s, unsigned line_no)
{
    s->lines = grow(s->lines, s->line_count, sizeof *s->lines);
    osd_inf_line *l = &s->lines[s->line_count++];
    memset(l, 0, sizeof *l);
    l->line_no = line_no;
    return l;
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/* One field of raw text (quotes still in it): quotes removed ("" inside
 * quotes is a quote), unquoted blanks at either end dropped. */
static char *field_text(const char *raw, size_t n)
{
    cim_buf b = {0};
    size_t keep = 0; /* length up to the last significant character */
    bool quoted = false, started = false;
    for (size_t i = 0; i < n; i++) {
        char c = raw[i];
        if (c == '"') {
            if (quoted && i + 1 < n && raw[i + 1] == '"') {
                cim_buf_append_n(&b, "\"", 1);
                i++;
            } else {
                quoted = !quoted;
            }
            started = true;
            keep = b.len;
            continue;
        }
        if (!quoted && is_space(c) && !started)
            continue;
        started = true;
        cim_buf_append_n(&b, &c, 1);
        if (quoted || !is_space(c))
            keep = b.len;
    }
    char *text = cim_buf_take(&b);
    text[keep] = '\0';
    return text;
}

/* The position of the first c outside quotes in raw[0..n), or n. */
static size_t find_unquoted(const char *raw, size_t n, char c)
{
    bool quoted = false;
    for (size_t i = 0; i < n; i++) {
        if (raw[i] == '"')
            quoted = !quoted;
        else if (raw[i] == c && !quoted)
            return i;
    }
    return n;
}

static void split_fields(osd_inf_line *l, const char *raw, size_t n)
{
    size_t start = 0;
    for (;;) {
        size_t comma = start + find_unquoted(raw + start, n - start, ',');
        l->values = grow(l->values, l->value_count, sizeof *l->values);
        l->values[l->value_count++] = field_text(raw + start, comma - start);
        if (comma >= n)
            break;
        start = comma + 1;
    }
}

/* ---- logical lines ------------------------------------------------------- */

typedef struct parser {
    osd_inf *inf;
    const char *name;
    osd_inf_section *section; /* the current one */
    smsprov_error *err;
} parser;

/* name with ASCII letters in lower case.  Caller frees. */
static char *lower_key(const char *name)
{
    char *key = cim_xstrdup(name);
    for (char *p = key; *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p - 'A' + 'a');
    return key;
}

/* The section called name, new or (ignoring case) one seen before: sections
 * of the same name merge.  inf->section_index maps the lower-cased name to
 * the index + 1, so neither parsing nor looking up many sections costs
 * their number squared. */
static osd_inf_section *section_for(parser *p, const char *name)
{
    osd_inf *inf = p->inf;
    char *key = lower_key(name);
    size_t found = (size_t)(uintptr_t)xmlHashLookup(inf->section_index, (const xmlChar *)key);
    if (found) {
        free(key);
        return &inf->sections[found - 1];
    }
    inf->sections = grow(inf->sections, inf->section_count, sizeof *inf->sections);
    osd_inf_section *s = &inf->sections[inf->section_count++];
    memset(s, 0, sizeof *s);
    s->name = cim_xstrdup(name);
    /* The table copies the key. */
    xmlHashAddEntry(inf->section_index, (const xmlChar *)key,
                    (void *)(uintptr_t)inf->section_count);
    free(key);
    return s;
}

static smsprov_code syntax_error(parser *p, unsigned line_no, const char *what)
{
    return smsprov_error_set(p->err, SMSPROV_E_INVALID_PARAMETER,
                             "%s has a syntax error on line %u: %s.", p->name, line_no, what);
}

static smsprov_code logical_line(parser *p, const char *raw, unsigned line_no)
{
    while (is_space(*raw))
        raw++;
    size_t n = strlen(raw);
    while (n > 0 && is_space(raw[n - 1]))
        n--;
    if (n == 0)
        return SMSPROV_OK;
    if (raw[0] == '[') {
        const char *close = memchr(raw, ']', n);
        if (!close)
            return syntax_error(p, line_no, "the section name is not closed by ']'");
        char *name = field_text(raw + 1, (size_t)(close - raw - 1));
        bool empty = *name == '\0';
        if (!empty)
            p->section = section_for(p, name);
        free(name);
        return empty ? syntax_error(p, line_no, "the section name is empty") : SMSPROV_OK;
    }
    if (!p->section)
        return syntax_error(p, line_no, "it comes before the first [section]");
    osd_inf_line *l = new_line(p->section, line_no);
    size_t eq = find_unquoted(raw, n, '=');
    if (eq < n) {
        l->key = field_text(raw, eq);
        split_fields(l, raw + eq + 1, n - eq - 1);
    } else {
        split_fields(l, raw, n);
    }
    return SMSPROV_OK;
}

/* Splits the text into physical lines, drops comments, joins lines ending
 * in '\' and hands each logical line on. */
static smsprov_code split_lines(parser *p, const char *text)
{
    cim_buf logical = {0};
    unsigned line_no = 0, first_line = 0;
    smsprov_code rc = SMSPROV_OK;
    const char *line = text;
    while (rc == SMSPROV_OK && *line) {
        const char *end = strchr(line, '\n');
        size_t len = end ? (size_t)(end - line) : strlen(line);
        line_no++;
        if (logical.len == 0)
            first_line = line_no;
        bool quoted = false;
        size_t used = 0;
        for (; used < len; used++) {
            if (line[used] == '"')
                quoted = !quoted;
            else if (line[used] == ';' && !quoted)
                break;
        }
        if (quoted) {
            rc = syntax_error(p, line_no, "a quoted string is not closed");
            break;
        }
        while (used > 0 && is_space(line[used - 1]))
            used--;
        bool continues = used > 0 && line[used - 1] == '\\';
        cim_buf_append_n(&logical, line, continues ? used - 1 : used);
        if (!continues || !end) {
            char *whole = cim_buf_take(&logical);
            rc = logical_line(p, whole, first_line);
            free(whole);
        }
        line = end ? end + 1 : line + len;
    }
    cim_buf_clear(&logical);
    return rc;
}

smsprov_code osd_inf_parse(const void *data, size_t size, const char *name, osd_inf *out,
                           smsprov_error *err)
{
    memset(out, 0, sizeof *out);
    char *text = NULL;
    smsprov_code rc = decode(data, size, name, &text, err);
    if (rc != SMSPROV_OK)
        return rc;
    out->section_index = xmlHashCreate(64);
    parser p = {.inf = out, .name = name, .err = err};
    rc = split_lines(&p, text);
    free(text);
    return rc;
}

void osd_inf_clear(osd_inf *inf)
{
    for (size_t i = 0; i < inf->section_count; i++) {
        osd_inf_section *s = &inf->sections[i];
        for (size_t j = 0; j < s->line_count; j++) {
            free(s->lines[j].key);
            for (size_t k = 0; k < s->lines[j].value_count; k++)
                free(s->lines[j].values[k]);
            free(s->lines[j].values);
        }
        free(s->lines);
        free(s->name);
    }
    free(inf->sections);
    if (inf->section_index)
        xmlHashFree(inf->section_index, NULL);
    memset(inf, 0, sizeof *inf);
}

/* ---- lookups ------------------------------------------------------------- */

const osd_inf_section *osd_inf_find_section(const osd_inf *inf, const char *name)
{
    if (inf->section_index) {
        char *key = lower_key(name);
        size_t found = (size_t)(uintptr_t)xmlHashLookup(inf->section_index, (const xmlChar *)key);
        free(key);
        return found ? &inf->sections[found - 1] : NULL;
    }
    for (size_t i = 0; i < inf->section_count; i++)
        if (cim_strcasecmp(inf->sections[i].name, name) == 0)
            return &inf->sections[i];
    return NULL;
}

const osd_inf_line *osd_inf_find(const osd_inf *inf, const char *section, const char *key)
{
    const osd_inf_section *s = osd_inf_find_section(inf, section);
    for (size_t i = 0; s && i < s->line_count; i++)
        if (s->lines[i].key && cim_strcasecmp(s->lines[i].key, key) == 0)
            return &s->lines[i];
    return NULL;
}

char *osd_inf_expand(const osd_inf *inf, const char *value, char **undefined)
{
    *undefined = NULL;
    cim_buf b = {0};
    const char *p = value;
    while (*p) {
        const char *open = strchr(p, '%');
        const char *close = open ? strchr(open + 1, '%') : NULL;
        if (!close) {
            cim_buf_append(&b, p); /* a lone '%' is itself */
            break;
        }
        cim_buf_append_n(&b, p, (size_t)(open - p));
        p = close + 1;
        if (close == open + 1) {
            cim_buf_append(&b, "%");
            continue;
        }
        char *token = cim_xasprintf("%.*s", (int)(close - open - 1), open + 1);
        const osd_inf_line *l = osd_inf_find(inf, "Strings", token);
        if (!l || l->value_count == 0) {
            *undefined = token;
            cim_buf_clear(&b);
            return NULL;
        }
        cim_buf_append(&b, l->values[0]);
        free(token);
    }
    return cim_buf_take(&b);
}
