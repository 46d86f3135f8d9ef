/* lexer.c - WQL text to tokens.
 *
 * Identifiers are ASCII letters, digits and '_' (keywords are identifiers
 * the parser recognises, in any case).  Strings take single or double
 * quotes; inside them a backslash escapes the next quote or backslash (as
 * WMI requires for paths: 'C:\\Windows'), \n \t \r are the control
 * characters, and a doubled quote stands for itself ('it''s').  Numbers are
 * decimal or 0x hexadecimal integers, or reals with a fraction or exponent. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "wql/wql_internal.h"

typedef struct lexer {
    const char *text;
    size_t pos;
    wql_token_list *out;
    smsprov_error *err;
} lexer;

static void push(lexer *lx, wql_token_kind kind, size_t start, char *text)
{
    wql_token_list *list = lx->out;
    list->items = wql_grow(list->items, list->count, sizeof *list->items);
    list->items[list->count++] = (wql_token){kind, start, lx->pos - start, text};
}

static bool is_ident_start(char c)
{
    return isalpha((unsigned char)c) || c == '_';
}

static bool is_ident_char(char c)
{
    return isalnum((unsigned char)c) || c == '_';
}

static smsprov_code unterminated(lexer *lx, size_t start, char quote)
{
    const char *tail = quote == '\''
                           ? "; close it with ', and write \\' for a quote inside it"
                           : "; close it with \", and write \\\" for a quote inside it";
    return wql_error_at(lx->err, lx->text, start, tail, "unterminated string starting");
}

static smsprov_code lex_string(lexer *lx)
{
    const char *t = lx->text;
    size_t start = lx->pos;
    char quote = t[lx->pos++];
    cim_buf value = {0};
    for (;;) {
        char c = t[lx->pos];
        if (c == '\0') {
            cim_buf_clear(&value);
            return unterminated(lx, start, quote);
        }
        if (c == quote && t[lx->pos + 1] == quote) {
            cim_buf_append_n(&value, &quote, 1);
            lx->pos += 2;
            continue;
        }
        if (c == quote) {
            lx->pos++;
            break;
        }
        if (c == '\\') {
            char next = t[lx->pos + 1];
            const char *unescaped = NULL;
            switch (next) {
            case '\\': unescaped = "\\"; break;
            case '\'': unescaped = "'"; break;
            case '"': unescaped = "\""; break;
            case 'n': unescaped = "\n"; break;
            case 't': unescaped = "\t"; break;
            case 'r': unescaped = "\r"; break;
            default: break;
            }
            if (!unescaped) {
                cim_buf_clear(&value);
                if (next == '\0')
                    return unterminated(lx, start, quote);
                return wql_error_at(lx->err, t, lx->pos,
                                    "; write \\\\ for a backslash in a string",
                                    "unknown escape sequence \\%c", next);
            }
            cim_buf_append(&value, unescaped);
            lx->pos += 2;
            continue;
        }
        cim_buf_append_n(&value, &c, 1);
        lx->pos++;
    }
    push(lx, WQL_TOK_STRING, start, cim_buf_take(&value));
    return SMSPROV_OK;
}

static smsprov_code lex_number(lexer *lx)
{
    const char *t = lx->text;
    size_t start = lx->pos;
    wql_token_kind kind = WQL_TOK_INTEGER;
    if (t[start] == '0' && (t[start + 1] == 'x' || t[start + 1] == 'X')) {
        lx->pos += 2;
        while (isxdigit((unsigned char)t[lx->pos]))
            lx->pos++;
        if (lx->pos == start + 2)
            return wql_error_at(lx->err, t, start, NULL,
                                "expected hexadecimal digits after 0x in the number");
    } else {
        while (isdigit((unsigned char)t[lx->pos]))
            lx->pos++;
        if (t[lx->pos] == '.') {
            kind = WQL_TOK_REAL;
            lx->pos++;
            while (isdigit((unsigned char)t[lx->pos]))
                lx->pos++;
        }
        if (t[lx->pos] == 'e' || t[lx->pos] == 'E') {
            size_t exp = lx->pos + 1;
            if (t[exp] == '+' || t[exp] == '-')
                exp++;
            if (isdigit((unsigned char)t[exp])) {
                kind = WQL_TOK_REAL;
                lx->pos = exp;
                while (isdigit((unsigned char)t[lx->pos]))
                    lx->pos++;
            }
        }
    }
    if (is_ident_char(t[lx->pos]) || t[lx->pos] == '.')
        return wql_error_at(lx->err, t, start, NULL, "malformed number \"%.*s\"",
                            (int)(lx->pos - start + 1), t + start);
    char *text = cim_xmalloc(lx->pos - start + 1);
    memcpy(text, t + start, lx->pos - start);
    text[lx->pos - start] = '\0';
    push(lx, kind, start, text);
    return SMSPROV_OK;
}

/* Operators and punctuation; 0 when c starts none. */
static size_t lex_symbol(const char *s, wql_token_kind *kind)
{
    static const struct {
        const char *text;
        wql_token_kind kind;
    } symbols[] = {
        {"<>", WQL_TOK_NE}, {"!=", WQL_TOK_NE}, {"<=", WQL_TOK_LE}, {">=", WQL_TOK_GE},
        {"=", WQL_TOK_EQ},  {"<", WQL_TOK_LT},  {">", WQL_TOK_GT},  {"*", WQL_TOK_STAR},
        {",", WQL_TOK_COMMA}, {".", WQL_TOK_DOT}, {"(", WQL_TOK_LPAREN}, {")", WQL_TOK_RPAREN},
        {"-", WQL_TOK_MINUS}, {"+", WQL_TOK_PLUS}, {";", WQL_TOK_SEMICOLON},
    };
    for (size_t i = 0; i < sizeof symbols / sizeof symbols[0]; i++) {
        size_t n = strlen(symbols[i].text);
        if (strncmp(s, symbols[i].text, n) == 0) {
            *kind = symbols[i].kind;
            return n;
        }
    }
    return 0;
}

static smsprov_code lex_one(lexer *lx)
{
    const char *t = lx->text;
    char c = t[lx->pos];
    size_t start = lx->pos;
    if (c == '\'' || c == '"')
        return lex_string(lx);
    if (isdigit((unsigned char)c) || (c == '.' && isdigit((unsigned char)t[lx->pos + 1])))
        return lex_number(lx);
    if (is_ident_start(c)) {
        while (is_ident_char(t[lx->pos]))
            lx->pos++;
        char *text = cim_xmalloc(lx->pos - start + 1);
        memcpy(text, t + start, lx->pos - start);
        text[lx->pos - start] = '\0';
        push(lx, WQL_TOK_IDENT, start, text);
        return SMSPROV_OK;
    }
    wql_token_kind kind;
    size_t n = lex_symbol(t + lx->pos, &kind);
    if (n == 0) {
        if ((unsigned char)c >= 0x80)
            return wql_error_at(lx->err, t, start, NULL,
                                "unexpected non-ASCII character outside a string");
        if (!isprint((unsigned char)c))
            return wql_error_at(lx->err, t, start, NULL, "unexpected control character 0x%02X",
                                (unsigned)(unsigned char)c);
        return wql_error_at(lx->err, t, start, NULL, "unexpected character '%c'", c);
    }
    lx->pos += n;
    push(lx, kind, start, NULL);
    return SMSPROV_OK;
}

smsprov_code wql_lex(const char *text, wql_token_list *out, smsprov_error *err)
{
    *out = (wql_token_list){0};
    lexer lx = {text, 0, out, err};
    for (;;) {
        while (text[lx.pos] == ' ' || text[lx.pos] == '\t' || text[lx.pos] == '\r' ||
               text[lx.pos] == '\n')
            lx.pos++;
        if (text[lx.pos] == '\0')
            break;
        smsprov_code rc = lex_one(&lx);
        if (rc != SMSPROV_OK) {
            wql_token_list_clear(out);
            return rc;
        }
    }
    push(&lx, WQL_TOK_END, lx.pos, NULL);
    return SMSPROV_OK;
}

void wql_token_list_clear(wql_token_list *list)
{
    for (size_t i = 0; i < list->count; i++)
        free(list->items[i].text);
    free(list->items);
    *list = (wql_token_list){0};
}
