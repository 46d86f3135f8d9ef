/* lexer.c - MOF text to tokens: identifiers, string and char16 literals
 * with escapes, integers (decimal, hex, octal, binary), reals, aliases and
 * punctuation; // and block comments are skipped. */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cim/value_internal.h"
#include "mof/mof_internal.h"

smsprov_code mof_error_at(smsprov_error *err, const char *file, int line, int column,
                          smsprov_code code, const char *fmt, ...)
{
    if (!err)
        return code;
    va_list ap;
    va_start(ap, fmt);
    cim_buf msg = {0};
    char text[512];
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    cim_buf_printf(&msg, "%s:%d:%d: %s", file, line, column, text);
    smsprov_error_set(err, code, "%s", msg.data);
    cim_buf_clear(&msg);
    err->file = cim_xstrdup(file);
    err->line = (uint32_t)line;
    return code;
}

smsprov_code mof_error_locate(smsprov_error *err, smsprov_code code, const char *file, int line,
                              int column)
{
    if (!err)
        return code;
    char *description = err->description;
    err->description = NULL;
    mof_error_at(err, file, line, column, code, "%s", description ? description : "error");
    free(description);
    return code;
}

void mof_lexer_init(mof_lexer *lx, const char *src, const char *file, smsprov_error *err)
{
    memset(lx, 0, sizeof *lx);
    lx->src = src;
    lx->len = strlen(src);
    lx->line = 1;
    lx->column = 1;
    lx->file = file;
    lx->err = err;
}

void mof_token_clear(mof_token *tok)
{
    free(tok->text);
    memset(tok, 0, sizeof *tok);
}

static int peek_at(const mof_lexer *lx, size_t ahead)
{
    size_t at = lx->pos + ahead;
    return at < lx->len ? (unsigned char)lx->src[at] : -1;
}

static int next_char(mof_lexer *lx)
{
    if (lx->pos >= lx->len)
        return -1;
    int c = (unsigned char)lx->src[lx->pos++];
    if (c == '\n') {
        lx->line++;
        lx->column = 1;
    } else {
        lx->column++;
    }
    return c;
}

static smsprov_code lex_error(mof_lexer *lx, int line, int column, const char *fmt, ...)
    SMSPROV_PRINTF(4, 5)
    ;

static smsprov_code lex_error(mof_lexer *lx, int line, int column, const char *fmt, ...)
{
    char text[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    return mof_error_at(lx->err, lx->file, line, column, SMSPROV_E_INVALID_SYNTAX, "%s", text);
}

static smsprov_code skip_space_and_comments(mof_lexer *lx)
{
    for (;;) {
        int c = peek_at(lx, 0);
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v') {
            next_char(lx);
        } else if (c == '/' && peek_at(lx, 1) == '/') {
            while (peek_at(lx, 0) != -1 && peek_at(lx, 0) != '\n')
                next_char(lx);
        } else if (c == '/' && peek_at(lx, 1) == '*') {
            int line = lx->line, column = lx->column;
            next_char(lx);
            next_char(lx);
            while (!(peek_at(lx, 0) == '*' && peek_at(lx, 1) == '/')) {
                if (next_char(lx) == -1)
                    return lex_error(lx, line, column, "unterminated comment: add '*/'");
            }
            next_char(lx);
            next_char(lx);
        } else if (c == 0xEF && peek_at(lx, 1) == 0xBB && peek_at(lx, 2) == 0xBF) {
            lx->pos += 3; /* UTF-8 byte order mark */
        } else {
            return SMSPROV_OK;
        }
    }
}

static bool is_ident_start(int c)
{
    return c != -1 && (isalpha(c) || c == '_' || c >= 0x80);
}

static bool is_ident_char(int c)
{
    return is_ident_start(c) || (c != -1 && isdigit(c));
}

static char *take_ident(mof_lexer *lx)
{
    size_t start = lx->pos;
    while (is_ident_char(peek_at(lx, 0)))
        next_char(lx);
    char *s = cim_xmalloc(lx->pos - start + 1);
    memcpy(s, lx->src + start, lx->pos - start);
    s[lx->pos - start] = '\0';
    return s;
}

static int hex_value(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Reads one escape after the backslash: \b \t \n \f \r \" \' \\ and
 * \x or \X with one to four hex digits (a UTF-16 unit). */
static smsprov_code read_escape(mof_lexer *lx, uint32_t *out)
{
    int line = lx->line, column = lx->column - 1;
    int c = next_char(lx);
    switch (c) {
    case 'b': *out = '\b'; return SMSPROV_OK;
    case 't': *out = '\t'; return SMSPROV_OK;
    case 'n': *out = '\n'; return SMSPROV_OK;
    case 'f': *out = '\f'; return SMSPROV_OK;
    case 'r': *out = '\r'; return SMSPROV_OK;
    case '"': *out = '"'; return SMSPROV_OK;
    case '\'': *out = '\''; return SMSPROV_OK;
    case '\\': *out = '\\'; return SMSPROV_OK;
    case 'x':
    case 'X': {
        uint32_t v = 0;
        int digits = 0;
        while (digits < 4 && hex_value(peek_at(lx, 0)) >= 0) {
            v = v * 16 + (uint32_t)hex_value(next_char(lx));
            digits++;
        }
        if (digits == 0)
            return lex_error(lx, line, column, "expected hex digits after '\\%s' in the escape",
                             c == 'x' ? "x" : "X");
        if (v == 0)
            return lex_error(lx, line, column, "a string cannot contain a NUL character");
        *out = v;
        return SMSPROV_OK;
    }
    default: {
        char shown[2] = {c == -1 || c == '\n' ? ' ' : (char)c, '\0'};
        return lex_error(lx, line, column,
                         "unknown escape '\\%s': use \\\\ \\\" \\' \\n \\t \\r \\b \\f or \\xHHHH",
                         shown);
    }
    }
}

static void append_code_point(cim_buf *b, uint32_t cp)
{
    char utf8[4];
    size_t n = cim_utf8_encode(cp, utf8);
    cim_buf_append_n(b, utf8, n);
}

static smsprov_code lex_string(mof_lexer *lx, mof_token *tok)
{
    cim_buf b = {0};
    next_char(lx); /* opening quote */
    for (;;) {
        int c = peek_at(lx, 0);
        if (c == -1 || c == '\n') {
            cim_buf_clear(&b);
            return lex_error(lx, tok->line, tok->column,
                             "unterminated string literal: add the closing '\"'");
        }
        next_char(lx);
        if (c == '"')
            break;
        if (c == '\\') {
            uint32_t cp;
            smsprov_code rc = read_escape(lx, &cp);
            if (rc == SMSPROV_OK && cp >= 0xD800 && cp <= 0xDFFF)
                rc = lex_error(lx, lx->line, lx->column - 1,
                               "a string escape cannot be a lone UTF-16 surrogate; write the "
                               "character itself in UTF-8");
            if (rc != SMSPROV_OK) {
                cim_buf_clear(&b);
                return rc;
            }
            append_code_point(&b, cp);
        } else {
            char ch = (char)c;
            cim_buf_append_n(&b, &ch, 1);
        }
    }
    tok->kind = MOF_TOK_STRING;
    tok->text = cim_buf_take(&b);
    return SMSPROV_OK;
}

static smsprov_code lex_char(mof_lexer *lx, mof_token *tok)
{
    next_char(lx); /* opening quote */
    int c = peek_at(lx, 0);
    uint32_t cp;
    if (c == -1 || c == '\n' || c == '\'')
        return lex_error(lx, tok->line, tok->column,
                         "a char16 literal holds exactly one character, as in 'a'");
    if (c == '\\') {
        next_char(lx);
        smsprov_code rc = read_escape(lx, &cp);
        if (rc != SMSPROV_OK)
            return rc;
    } else {
        size_t n = cim_utf8_decode(lx->src + lx->pos, &cp);
        if (n == 0 || cp > 0xFFFF)
            return lex_error(lx, tok->line, tok->column,
                             "a char16 literal must be one UTF-16 character");
        for (size_t i = 0; i < n; i++)
            next_char(lx);
    }
    if (peek_at(lx, 0) != '\'')
        return lex_error(lx, tok->line, tok->column,
                         "a char16 literal holds exactly one character: add the closing '%s'",
                         "'");
    next_char(lx);
    tok->kind = MOF_TOK_CHAR;
    tok->ch = cp;
    return SMSPROV_OK;
}

/* Accumulates digits of the given base; false on overflow past 64 bits. */
static bool accumulate(uint64_t *value, unsigned base, int digit)
{
    if (*value > (UINT64_MAX - (uint64_t)digit) / base)
        return false;
    *value = *value * base + (uint64_t)digit;
    return true;
}

static smsprov_code number_from_digits(mof_lexer *lx, mof_token *tok, const char *digits,
                                       size_t n, unsigned base)
{
    uint64_t v = 0;
    if (n == 0)
        return lex_error(lx, tok->line, tok->column, "malformed number: expected digits");
    for (size_t i = 0; i < n; i++) {
        int d = hex_value((unsigned char)digits[i]);
        if (d < 0 || (unsigned)d >= base)
            return lex_error(lx, tok->line, tok->column,
                             "malformed number: '%s' is not a digit of its base",
                             (char[]){digits[i], '\0'});
        if (!accumulate(&v, base, d))
            return lex_error(lx, tok->line, tok->column,
                             "integer literal does not fit in 64 bits");
    }
    tok->kind = MOF_TOK_INTEGER;
    tok->magnitude = v;
    return SMSPROV_OK;
}

static size_t skip_digits(mof_lexer *lx, unsigned base)
{
    size_t n = 0;
    while (hex_value(peek_at(lx, 0)) >= 0 && (unsigned)hex_value(peek_at(lx, 0)) < base) {
        next_char(lx);
        n++;
    }
    return n;
}

static bool at_exponent(const mof_lexer *lx)
{
    int c = peek_at(lx, 0), d = peek_at(lx, 1);
    if (c != 'e' && c != 'E')
        return false;
    if (d == '+' || d == '-')
        d = peek_at(lx, 2);
    return d != -1 && isdigit(d);
}

static smsprov_code lex_real(mof_lexer *lx, mof_token *tok, size_t start)
{
    if (peek_at(lx, 0) == '.') {
        next_char(lx);
        skip_digits(lx, 10);
    }
    if (at_exponent(lx)) {
        next_char(lx);
        if (peek_at(lx, 0) == '+' || peek_at(lx, 0) == '-')
            next_char(lx);
        skip_digits(lx, 10);
    }
    char text[128];
    size_t n = lx->pos - start;
    if (n >= sizeof text)
        return lex_error(lx, tok->line, tok->column, "number literal is too long");
    memcpy(text, lx->src + start, n);
    text[n] = '\0';
    tok->kind = MOF_TOK_REAL;
    tok->real = strtod(text, NULL);
    return SMSPROV_OK;
}

/* Numbers per DSP0221: 0x1F, 0755 (octal), 1010b (binary), 42, .5, 1.5,
 * -2.5e3; a leading sign belongs to the number. */
static smsprov_code lex_number(mof_lexer *lx, mof_token *tok)
{
    size_t start = lx->pos;
    if (peek_at(lx, 0) == '+' || peek_at(lx, 0) == '-') {
        tok->negative = peek_at(lx, 0) == '-';
        next_char(lx);
    }
    size_t body = lx->pos;
    smsprov_code rc;
    if (peek_at(lx, 0) == '0' && (peek_at(lx, 1) == 'x' || peek_at(lx, 1) == 'X')) {
        next_char(lx);
        next_char(lx);
        size_t n = skip_digits(lx, 16);
        rc = number_from_digits(lx, tok, lx->src + body + 2, n, 16);
    } else {
        size_t n = skip_digits(lx, 10);
        int next = peek_at(lx, 0);
        if ((next == '.' && peek_at(lx, 1) != -1 && isdigit(peek_at(lx, 1))) || at_exponent(lx))
            rc = lex_real(lx, tok, start);
        else if ((next == 'b' || next == 'B') && !is_ident_char(peek_at(lx, 1))) {
            next_char(lx);
            rc = number_from_digits(lx, tok, lx->src + body, n, 2);
        } else if (n > 1 && lx->src[body] == '0')
            rc = number_from_digits(lx, tok, lx->src + body + 1, n - 1, 8);
        else
            rc = number_from_digits(lx, tok, lx->src + body, n, 10);
    }
    if (rc == SMSPROV_OK && (is_ident_char(peek_at(lx, 0)) || peek_at(lx, 0) == '.'))
        return lex_error(lx, tok->line, tok->column,
                         "malformed number: '%s' cannot follow its digits",
                         (char[]){(char)peek_at(lx, 0), '\0'});
    return rc;
}

static bool starts_number(const mof_lexer *lx)
{
    int c = peek_at(lx, 0);
    size_t at = 0;
    if (c == '+' || c == '-')
        c = peek_at(lx, ++at);
    if (c != -1 && isdigit(c))
        return true;
    int after = peek_at(lx, at + 1);
    return c == '.' && after != -1 && isdigit(after);
}

smsprov_code mof_lex_next(mof_lexer *lx, mof_token *out)
{
    mof_token_clear(out);
    smsprov_code rc = skip_space_and_comments(lx);
    if (rc != SMSPROV_OK)
        return rc;
    out->line = lx->line;
    out->column = lx->column;
    int c = peek_at(lx, 0);
    if (c == -1) {
        out->kind = MOF_TOK_EOF;
        return SMSPROV_OK;
    }
    if (c == '"')
        return lex_string(lx, out);
    if (c == '\'')
        return lex_char(lx, out);
    if (starts_number(lx))
        return lex_number(lx, out);
    if (is_ident_start(c)) {
        out->kind = MOF_TOK_IDENT;
        out->text = take_ident(lx);
        return SMSPROV_OK;
    }
    if (c == '$') {
        next_char(lx);
        if (!is_ident_start(peek_at(lx, 0)))
            return lex_error(lx, out->line, out->column, "expected an alias name after '$'");
        out->kind = MOF_TOK_ALIAS;
        out->text = take_ident(lx);
        return SMSPROV_OK;
    }
    if (strchr("(){}[];,:=#", c)) {
        next_char(lx);
        out->kind = MOF_TOK_PUNCT;
        out->punct = (char)c;
        return SMSPROV_OK;
    }
    char shown[2] = {(char)c, '\0'};
    if (!isprint(c))
        shown[0] = '?';
    return lex_error(lx, out->line, out->column, "unexpected character '%s'", shown);
}

char *mof_token_describe(const mof_token *tok)
{
    switch (tok->kind) {
    case MOF_TOK_EOF: return cim_xstrdup("the end of the file");
    case MOF_TOK_IDENT: return cim_xasprintf("'%s'", tok->text);
    case MOF_TOK_STRING: return cim_xasprintf("the string \"%.40s\"", tok->text);
    case MOF_TOK_CHAR: return cim_xstrdup("a char16 literal");
    case MOF_TOK_INTEGER:
        return cim_xasprintf("the number %s%llu", tok->negative ? "-" : "",
                             (unsigned long long)tok->magnitude);
    case MOF_TOK_REAL: return cim_xasprintf("the number %g", tok->real);
    case MOF_TOK_ALIAS: return cim_xasprintf("the alias $%s", tok->text);
    case MOF_TOK_PUNCT: return cim_xasprintf("'%c'", tok->punct);
    }
    return cim_xstrdup("a token");
}
