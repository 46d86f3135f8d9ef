/* json_parse.c - a strict RFC 8259 reader: no trailing junk, no comments,
 * only the standard escapes, nesting at most JSON_MAX_DEPTH deep.  Bytes
 * outside ASCII pass through unchecked. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cim/json_internal.h"
#include "cim/value_internal.h"

typedef struct json_reader {
    const char *text;
    size_t pos;
    int depth;
    char *why;
} json_reader;

static bool reader_fail(json_reader *r, const char *fmt, ...)
    SMSPROV_PRINTF(2, 3)
    ;

static bool reader_fail(json_reader *r, const char *fmt, ...)
{
    if (r->why)
        return false;
    cim_buf b = {0};
    char detail[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail, sizeof detail, fmt, ap);
    va_end(ap);
    cim_buf_printf(&b, "%s at offset %zu of the JSON text.", detail, r->pos);
    r->why = cim_buf_take(&b);
    return false;
}

static char peek(const json_reader *r)
{
    return r->text[r->pos];
}

static void skip_space(json_reader *r)
{
    while (peek(r) == ' ' || peek(r) == '\t' || peek(r) == '\n' || peek(r) == '\r')
        r->pos++;
}

static bool read_value(json_reader *r, json_node *out);

static bool read_literal(json_reader *r, const char *word, json_node *out, json_kind kind,
                         bool boolean)
{
    size_t n = strlen(word);
    if (strncmp(r->text + r->pos, word, n) != 0)
        return reader_fail(r, "Expected a JSON value (object, array, string, number, true, false "
                              "or null)");
    r->pos += n;
    out->kind = kind;
    out->boolean = boolean;
    return true;
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static size_t skip_digits(json_reader *r)
{
    size_t start = r->pos;
    while (is_digit(peek(r)))
        r->pos++;
    return r->pos - start;
}

static bool read_number(json_reader *r, json_node *out)
{
    size_t start = r->pos;
    if (peek(r) == '-')
        r->pos++;
    if (peek(r) == '0') {
        r->pos++;
        if (is_digit(peek(r)))
            return reader_fail(r, "A JSON number may not have a leading zero");
    } else if (!skip_digits(r)) {
        return reader_fail(r, "Expected a digit");
    }
    if (peek(r) == '.') {
        r->pos++;
        if (!skip_digits(r))
            return reader_fail(r, "Expected a digit after the decimal point");
    }
    if (peek(r) == 'e' || peek(r) == 'E') {
        r->pos++;
        if (peek(r) == '+' || peek(r) == '-')
            r->pos++;
        if (!skip_digits(r))
            return reader_fail(r, "Expected a digit in the exponent");
    }
    out->kind = JSON_NUMBER;
    out->text = cim_xmalloc(r->pos - start + 1);
    memcpy(out->text, r->text + start, r->pos - start);
    out->text[r->pos - start] = '\0';
    return true;
}

static bool read_hex4(json_reader *r, unsigned *out)
{
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        char c = peek(r);
        unsigned d;
        if (c >= '0' && c <= '9')
            d = (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f')
            d = (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            d = (unsigned)(c - 'A' + 10);
        else
            return reader_fail(r, "Expected four hexadecimal digits after \\u");
        v = v * 16 + d;
        r->pos++;
    }
    *out = v;
    return true;
}

/* \uXXXX, joining a surrogate pair into one code point. */
static bool read_unicode_escape(json_reader *r, cim_buf *text)
{
    unsigned unit = 0; /* set by read_hex4; = 0 quiets GCC -O3's maybe-uninitialized */
    if (!read_hex4(r, &unit))
        return false;
    uint32_t cp = unit;
    if (unit >= 0xDC00 && unit <= 0xDFFF)
        return reader_fail(r, "A low surrogate \\u%04X appears without a high one", unit);
    if (unit >= 0xD800 && unit <= 0xDBFF) {
        if (peek(r) != '\\' || r->text[r->pos + 1] != 'u')
            return reader_fail(r, "The high surrogate \\u%04X is not followed by a low one", unit);
        r->pos += 2;
        unsigned low = 0; /* as unit above */
        if (!read_hex4(r, &low))
            return false;
        if (low < 0xDC00 || low > 0xDFFF)
            return reader_fail(r, "The high surrogate \\u%04X is not followed by a low one", unit);
        cp = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
    }
    if (cp == 0)
        return reader_fail(r, "A string may not contain \\u0000");
    char utf8[4];
    cim_buf_append_n(text, utf8, cim_utf8_encode(cp, utf8));
    return true;
}

static bool read_escape(json_reader *r, cim_buf *text)
{
    static const char escapes[] = "\"\"\\\\//b\bf\fn\nr\rt\t";
    char c = peek(r);
    r->pos++;
    if (c == 'u')
        return read_unicode_escape(r, text);
    for (size_t i = 0; c && escapes[i]; i += 2) {
        if (escapes[i] == c) {
            cim_buf_append_n(text, &escapes[i + 1], 1);
            return true;
        }
    }
    r->pos--;
    return reader_fail(r, "\\%c is not a JSON escape", c ? c : '0');
}

static bool read_string_text(json_reader *r, char **out)
{
    r->pos++; /* the opening quote */
    cim_buf text = {0};
    for (;;) {
        size_t run = r->pos;
        while (peek(r) != '"' && peek(r) != '\\' && (unsigned char)peek(r) >= 0x20)
            r->pos++;
        cim_buf_append_n(&text, r->text + run, r->pos - run);
        char c = peek(r);
        if (c == '"') {
            r->pos++;
            *out = cim_buf_take(&text);
            return true;
        }
        if (c == '\0') {
            cim_buf_clear(&text);
            return reader_fail(r, "A string has no closing quote");
        }
        if (c != '\\') {
            cim_buf_clear(&text);
            return reader_fail(r, "A control character must be escaped inside a string");
        }
        r->pos++;
        if (!read_escape(r, &text)) {
            cim_buf_clear(&text);
            return false;
        }
    }
}

/* Appends a zeroed node (and key slot) to an array or object node,
 * doubling the room so long arrays (byte blobs) fill in linear time. */
static json_node *add_child(json_node *parent, char *key)
{
    if (parent->count == parent->capacity) {
        parent->capacity = parent->capacity ? 2 * parent->capacity : 8;
        parent->items = cim_xrealloc(parent->items, parent->capacity * sizeof *parent->items);
        if (parent->kind == JSON_OBJECT)
            parent->keys = cim_xrealloc(parent->keys, parent->capacity * sizeof *parent->keys);
    }
    if (parent->kind == JSON_OBJECT)
        parent->keys[parent->count] = key;
    json_node *child = &parent->items[parent->count++];
    memset(child, 0, sizeof *child);
    return child;
}

static bool read_array(json_reader *r, json_node *out)
{
    out->kind = JSON_ARRAY;
    r->pos++;
    skip_space(r);
    if (peek(r) == ']') {
        r->pos++;
        return true;
    }
    for (;;) {
        if (!read_value(r, add_child(out, NULL)))
            return false;
        skip_space(r);
        if (peek(r) == ']') {
            r->pos++;
            return true;
        }
        if (peek(r) != ',')
            return reader_fail(r, "Expected ',' or ']' in an array");
        r->pos++;
    }
}

static bool read_object(json_reader *r, json_node *out)
{
    out->kind = JSON_OBJECT;
    r->pos++;
    skip_space(r);
    if (peek(r) == '}') {
        r->pos++;
        return true;
    }
    for (;;) {
        skip_space(r);
        if (peek(r) != '"')
            return reader_fail(r, "Expected a member name in quotes");
        char *key;
        if (!read_string_text(r, &key))
            return false;
        json_node *member = add_child(out, key);
        skip_space(r);
        if (peek(r) != ':')
            return reader_fail(r, "Expected ':' after the member name \"%.40s\"", key);
        r->pos++;
        if (!read_value(r, member))
            return false;
        skip_space(r);
        if (peek(r) == '}') {
            r->pos++;
            return true;
        }
        if (peek(r) != ',')
            return reader_fail(r, "Expected ',' or '}' in an object");
        r->pos++;
    }
}

static bool read_nested(json_reader *r, json_node *out, bool is_object)
{
    if (++r->depth > JSON_MAX_DEPTH)
        return reader_fail(r, "Arrays and objects nest deeper than %d levels", JSON_MAX_DEPTH);
    bool ok = is_object ? read_object(r, out) : read_array(r, out);
    r->depth--;
    return ok;
}

static bool read_value(json_reader *r, json_node *out)
{
    skip_space(r);
    out->offset = r->pos;
    switch (peek(r)) {
    case '{':
        return read_nested(r, out, true);
    case '[':
        return read_nested(r, out, false);
    case '"':
        out->kind = JSON_STRING;
        return read_string_text(r, &out->text);
    case 't':
        return read_literal(r, "true", out, JSON_BOOL, true);
    case 'f':
        return read_literal(r, "false", out, JSON_BOOL, false);
    case 'n':
        return read_literal(r, "null", out, JSON_NULL, false);
    case '\0':
        return reader_fail(r, "The JSON text ends where a value was expected");
    default:
        if (peek(r) == '-' || is_digit(peek(r)))
            return read_number(r, out);
        return reader_fail(r, "Expected a JSON value (object, array, string, number, true, false "
                              "or null)");
    }
}

bool json_parse(const char *text, json_node *out, char **why)
{
    json_reader r = {text ? text : "", 0, 0, NULL};
    json_node root;
    memset(&root, 0, sizeof root);
    bool ok = read_value(&r, &root);
    if (ok) {
        skip_space(&r);
        if (peek(&r))
            ok = reader_fail(&r, "Unexpected text after the JSON value");
    }
    if (!ok) {
        json_node_clear(&root);
        *why = r.why;
        return false;
    }
    *out = root;
    return true;
}

void json_node_clear(json_node *node)
{
    for (size_t i = 0; i < node->count; i++) {
        json_node_clear(&node->items[i]);
        if (node->keys)
            free(node->keys[i]);
    }
    free(node->items);
    free(node->keys);
    free(node->text);
    memset(node, 0, sizeof *node);
}
