/* value_util.c - number formatting, UTF-8, trimming and integer parsing shared by the
 * value files (see value_internal.h). */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cim/value_internal.h"

static bool reads_back(const char *text, double v, cim_type type)
{
    double back = strtod(text, NULL);
    if (type == CIM_TYPE_REAL32)
        return (float)back == (float)v;
    return back == v;
}

void cim_append_real(cim_buf *b, double v, cim_type type)
{
    if (isnan(v)) {
        cim_buf_append(b, "NaN");
        return;
    }
    if (isinf(v)) {
        cim_buf_append(b, v < 0 ? "-Infinity" : "Infinity");
        return;
    }
    char text[40];
    int max_digits = type == CIM_TYPE_REAL32 ? 9 : 17;
    for (int digits = 1; digits <= max_digits; digits++) {
        snprintf(text, sizeof text, "%.*g", digits, v);
        if (reads_back(text, v, type))
            break;
    }
    /* Few digits of a large number come out as 2e+03; write 2000 instead
     * while the number fits in the type's precision. */
    const char *e = strchr(text, 'e');
    int exponent = e ? atoi(e + 1) : -1;
    if (exponent >= 0 && exponent < max_digits)
        snprintf(text, sizeof text, "%.*g", exponent + 1, v);
    cim_buf_append(b, text);
}

size_t cim_utf8_encode(uint32_t cp, char out[4])
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

size_t cim_utf8_decode(const char *s, uint32_t *code_point)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t len;
    uint32_t cp, min;
    if (p[0] < 0x80) {
        *code_point = p[0];
        return 1;
    } else if ((p[0] & 0xE0) == 0xC0) {
        len = 2, cp = p[0] & 0x1F, min = 0x80;
    } else if ((p[0] & 0xF0) == 0xE0) {
        len = 3, cp = p[0] & 0x0F, min = 0x800;
    } else if ((p[0] & 0xF8) == 0xF0) {
        len = 4, cp = p[0] & 0x07, min = 0x10000;
    } else {
        return 0;
    }
    for (size_t i = 1; i < len; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (p[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    *code_point = cp;
    return len;
}

/* The text between leading and trailing ASCII white space. */
void cim_trim(const char *s, const char **start, size_t *len)
{
    while (isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n > 0 && isspace((unsigned char)s[n - 1]))
        n--;
    *start = s;
    *len = n;
}

static int digit_value(char c, unsigned base)
{
    int d;
    if (c >= '0' && c <= '9')
        d = c - '0';
    else if (c >= 'a' && c <= 'f')
        d = c - 'a' + 10;
    else if (c >= 'A' && c <= 'F')
        d = c - 'A' + 10;
    else
        return -1;
    return (unsigned)d < base ? d : -1;
}

cim_int_parse cim_parse_integer(const char *s, size_t len, bool *negative, uint64_t *magnitude)
{
    size_t i = 0;
    bool neg = false;
    if (i < len && (s[i] == '+' || s[i] == '-'))
        neg = s[i++] == '-';
    unsigned base = 10;
    if (len - i > 2 && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X')) {
        base = 16;
        i += 2;
    }
    if (i == len)
        return CIM_INT_SYNTAX;
    uint64_t n = 0;
    bool overflow = false;
    for (; i < len; i++) {
        int d = digit_value(s[i], base);
        if (d < 0)
            return CIM_INT_SYNTAX;
        if (n > (UINT64_MAX - (uint64_t)d) / base)
            overflow = true;
        n = n * base + (uint64_t)d;
    }
    if (overflow)
        return CIM_INT_OVERFLOW;
    *negative = neg;
    *magnitude = n;
    return CIM_INT_OK;
}

char *cim_describe_value(const cim_value *v)
{
    if (v->is_null)
        return cim_xstrdup("NULL");
    if (cim_type_is_textual(v->type)) {
        const char *s = v->u.string ? v->u.string : "";
        if (strlen(s) <= 60)
            return cim_xasprintf("\"%s\"", s);
        int cut = 57;
        while (cut > 0 && ((unsigned char)s[cut] & 0xC0) == 0x80)
            cut--; /* keep whole UTF-8 sequences */
        return cim_xasprintf("\"%.*s...\"", cut, s);
    }
    if (v->type == CIM_TYPE_OBJECT)
        return cim_xasprintf("an instance of %s",
                             v->u.object && v->u.object->cls ? v->u.object->cls->name : "?");
    char *text = cim_value_to_text(v);
    return text ? text : cim_xstrdup("NULL");
}
