/*
 * osd/inf_parse.c - the generic INF syntax: text decoding, logical lines,
 * sections, keys, comma-separated fields and %strkey% tokens.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "osd/inf.h"
#include "smsprov/cim.h"

/* ---- decoding ------------------------------------------------------------ */

static smsprov_code not_text(const char *name, const char *why, smsprov_error *err)
{
    return smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER,
                             "%s is not an INF file: %s.", name, why);
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
        gunichar2 *utf16 = cim_xmalloc((units ? units : 1) * sizeof *utf16);
        bool has_nul = false;
        for (size_t i = 0; i < units; i++) {
            utf16[i] = (gunichar2)(data[2 + 2 * i] | data[3 + 2 * i] << 8);
            has_nul = has_nul || utf16[i] == 0;
        }
        gchar *utf8 = has_nul ? NULL : g_utf16_to_utf8(utf16, (glong)units, NULL, NULL, NULL);
        free(utf16);
        if (has_nul)
            return not_text(name, "it holds NUL characters", err);
        if (!utf8)
            return not_text(name, "its UTF-16 text is malformed", err);
        *out = cim_xstrdup(utf8);
        g_free(utf8);
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

/* The section called name, new or (ignoring case) one seen before: sections
 * of the same name merge.  inf->section_index maps the lower-cased name to
 * the index + 1, so neither parsing nor looking up many sections costs
 * their number squared. */
static osd_inf_section *section_for(parser *p, const char *name)
{
    osd_inf *inf = p->inf;
    char *key = g_ascii_strdown(name, -1);
    size_t found = GPOINTER_TO_SIZE(g_hash_table_lookup(inf->section_index, key));
    if (found) {
        g_free(key);
        return &inf->sections[found - 1];
    }
    inf->sections = grow(inf->sections, inf->section_count, sizeof *inf->sections);
    osd_inf_section *s = &inf->sections[inf->section_count++];
    memset(s, 0, sizeof *s);
    s->name = cim_xstrdup(name);
    g_hash_table_insert(inf->section_index, key, GSIZE_TO_POINTER(inf->section_count));
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
    out->section_index = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
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
        g_hash_table_destroy(inf->section_index);
    memset(inf, 0, sizeof *inf);
}

/* ---- lookups ------------------------------------------------------------- */

const osd_inf_section *osd_inf_find_section(const osd_inf *inf, const char *name)
{
    if (inf->section_index) {
        char *key = g_ascii_strdown(name, -1);
        size_t found = GPOINTER_TO_SIZE(g_hash_table_lookup(inf->section_index, key));
        g_free(key);
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
