/* text_match.c - the WQL LIKE operator, ASCII case mapping and NOCASE
 * comparison: the text semantics of queries, shared by the WQL evaluator
 * and the store's SQL functions.
 *
 * A pattern is read as UTF-8 characters: % matches any run of characters
 * (none too), _ exactly one, [abc] one of a set, [^abc] one not in it,
 * [a-z] one in a range; ] right after [ or [^, and - first or last in a
 * set, stand for themselves.  There is no escape character: [%] matches a
 * percent sign.  Letters compare after folding ASCII A-Z to a-z (ranges
 * too); other characters compare by code point.  Bytes that are not valid
 * UTF-8 are characters of their own that match only themselves.
 *
 * The same function answers LIKE in memory and, registered by the store with
 * its database, in the pushed-down SQL, so both give the same results by
 * construction. */
#include <stdlib.h>
#include <string.h>

#include "smsprov/cim.h"

/* Invalid bytes map above the Unicode range so they equal nothing else. */
#define INVALID_BYTE_BASE 0x110000u

static uint32_t fold(uint32_t c)
{
    return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

/* Decodes one character at s (not at the end) and returns its length. */
static size_t next_char(const char *s, uint32_t *out)
{
    const unsigned char *u = (const unsigned char *)s;
    if (u[0] < 0x80) {
        *out = u[0];
        return 1;
    }
    size_t len;
    uint32_t c, min;
    if ((u[0] & 0xE0) == 0xC0) {
        len = 2, c = u[0] & 0x1F, min = 0x80;
    } else if ((u[0] & 0xF0) == 0xE0) {
        len = 3, c = u[0] & 0x0F, min = 0x800;
    } else if ((u[0] & 0xF8) == 0xF0) {
        len = 4, c = u[0] & 0x07, min = 0x10000;
    } else {
        *out = INVALID_BYTE_BASE + u[0];
        return 1;
    }
    for (size_t i = 1; i < len; i++) {
        if ((u[i] & 0xC0) != 0x80) {
            *out = INVALID_BYTE_BASE + u[0];
            return 1;
        }
        c = c << 6 | (u[i] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) {
        *out = INVALID_BYTE_BASE + u[0];
        return 1;
    }
    *out = c;
    return len;
}

/* Length in bytes of the set starting at '[' (through its ']'); 0 when the
 * set is not closed. */
static size_t set_length(const char *p)
{
    size_t i = 1;
    if (p[i] == '^')
        i++;
    if (p[i] == ']')
        i++;
    while (p[i] && p[i] != ']')
        i++;
    return p[i] == ']' ? i + 1 : 0;
}

/* Whether c (folded) belongs to the set p[0..len), which starts with '['. */
static bool set_contains(const char *p, size_t len, uint32_t c)
{
    size_t i = 1, end = len - 1; /* members lie between '[' and the closing ']' */
    bool negate = p[i] == '^';
    if (negate)
        i++;
    bool found = false;
    while (i < end) {
        uint32_t lo, hi;
        i += next_char(p + i, &lo);
        hi = lo;
        /* "a-z" is a range; a '-' first or last in the set is itself. */
        if (p[i] == '-' && i + 1 < end) {
            i++;
            i += next_char(p + i, &hi);
        }
        if (fold(lo) <= c && c <= fold(hi))
            found = true;
    }
    return found != negate;
}

bool cim_like_pattern_valid(const char *pattern, size_t *bad_offset, const char **why)
{
    for (size_t i = 0; pattern[i];) {
        if (pattern[i] == '[') {
            size_t len = set_length(pattern + i);
            if (len == 0) {
                *bad_offset = i;
                *why = "a [ that is never closed with ] (write [[] for a literal [)";
                return false;
            }
            i += len;
        } else {
            i++;
        }
    }
    return true;
}

bool cim_like_match(const char *value, const char *pattern)
{
    const char *v = value, *p = pattern;
    const char *star_p = NULL, *star_v = NULL;
    while (*v) {
        if (*p == '%') {
            while (*p == '%')
                p++;
            star_p = p;
            star_v = v;
            continue;
        }
        uint32_t c;
        size_t vlen = next_char(v, &c);
        if (*p) {
            bool matched;
            size_t plen;
            if (*p == '_') {
                matched = true;
                plen = 1;
            } else if (*p == '[') {
                plen = set_length(p);
                matched = plen > 0 && set_contains(p, plen, fold(c));
                if (plen == 0) { /* not valid; treat the [ as a literal */
                    plen = 1;
                    matched = c == '[';
                }
            } else {
                uint32_t pc;
                plen = next_char(p, &pc);
                matched = fold(pc) == fold(c);
            }
            if (matched) {
                p += plen;
                v += vlen;
                continue;
            }
        }
        if (!star_p)
            return false;
        /* Let the last % swallow one more character and try again. */
        uint32_t skipped;
        star_v += next_char(star_v, &skipped);
        v = star_v;
        p = star_p;
    }
    while (*p == '%')
        p++;
    return *p == '\0';
}

static char *map_ascii(const char *s, char from_lo, char from_hi, int delta)
{
    char *out = cim_xstrdup(s);
    for (char *c = out; *c; c++)
        if (*c >= from_lo && *c <= from_hi)
            *c = (char)(*c + delta);
    return out;
}

char *cim_ascii_upper(const char *s)
{
    return map_ascii(s, 'a', 'z', 'A' - 'a');
}

char *cim_ascii_lower(const char *s)
{
    return map_ascii(s, 'A', 'Z', 'a' - 'A');
}

static unsigned char fold_byte(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? (unsigned char)(c + ('a' - 'A')) : c;
}

int cim_nocase_compare(const char *a, const char *b)
{
    const unsigned char *x = (const unsigned char *)a, *y = (const unsigned char *)b;
    for (;; x++, y++) {
        unsigned char fx = fold_byte(*x), fy = fold_byte(*y);
        if (fx != fy || !fx)
            return (int)fx - (int)fy;
    }
}
