/* parser.c - tokens to a syntax tree, by recursive descent.
 *
 *   query    := SELECT [DISTINCT] columns FROM class [WHERE or] [ORDER BY keys]
 *   columns  := '*' | COUNT '(' ('*' | name) ')' | name {',' name}
 *   keys     := name [ASC | DESC] {',' name [ASC | DESC]}
 *   or       := and {OR and}
 *   and      := not {AND not}
 *   not      := NOT not | '(' or ')' | predicate
 *   predicate:= operand ( cmp operand | [NOT] LIKE string | [NOT] IN '(' literals ')'
 *                        | IS [NOT] NULL | ISA string )
 *   operand  := name | literal | UPPER '(' operand ')' | LOWER '(' operand ')'
 *
 * Keywords are case-insensitive.  What extended WQL has and this engine
 * does not (JOIN, subqueries, GROUP BY, other functions) is refused with a
 * sentence that names it. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "wql/wql_internal.h"

typedef struct parser {
    const char *text;
    const wql_token *tokens;
    size_t at;
    int depth;
    smsprov_error *err;
} parser;

static const char *const reserved_words[] = {
    "SELECT", "FROM", "WHERE", "AND", "OR", "NOT", "LIKE", "IN", "IS", "NULL", "TRUE",
    "FALSE", "ISA", "ORDER", "BY", "DISTINCT", "JOIN", "INNER", "OUTER", "LEFT", "RIGHT",
    "FULL", "CROSS", "ON", "AS", "GROUP", "HAVING", "BETWEEN", "WITHIN", "UNION",
};

static const char JOIN_REFUSAL[] =
    "JOIN is not supported yet (extended WQL join queries are out of scope)";

static const wql_token *peek(const parser *p)
{
    return &p->tokens[p->at];
}

static const wql_token *peek_next(const parser *p)
{
    return p->tokens[p->at].kind == WQL_TOK_END ? &p->tokens[p->at] : &p->tokens[p->at + 1];
}

static const wql_token *advance(parser *p)
{
    const wql_token *t = &p->tokens[p->at];
    if (t->kind != WQL_TOK_END)
        p->at++;
    return t;
}

static bool is_word(const wql_token *t, const char *word)
{
    return t->kind == WQL_TOK_IDENT && cim_strcasecmp(t->text, word) == 0;
}

static bool is_reserved(const wql_token *t)
{
    if (t->kind != WQL_TOK_IDENT)
        return false;
    for (size_t i = 0; i < sizeof reserved_words / sizeof reserved_words[0]; i++)
        if (cim_strcasecmp(t->text, reserved_words[i]) == 0)
            return true;
    return false;
}

static bool accept_word(parser *p, const char *word)
{
    if (!is_word(peek(p), word))
        return false;
    advance(p);
    return true;
}

static bool accept(parser *p, wql_token_kind kind)
{
    if (peek(p)->kind != kind)
        return false;
    advance(p);
    return true;
}

/* ", but found "xyz"" or ", but the query ended", for error messages. */
static char *found_tail(const parser *p, const wql_token *t)
{
    if (t->kind == WQL_TOK_END)
        return cim_xstrdup(", but the query ended");
    int shown = t->len > 40 ? 40 : (int)t->len;
    return cim_xasprintf(", but found \"%.*s%s\"", shown, p->text + t->pos,
                         t->len > 40 ? "..." : "");
}

/* "expected <what> at position N, but found ..." at the current token. */
static smsprov_code expected(parser *p, const char *what)
{
    char *tail = found_tail(p, peek(p));
    wql_error_at(p->err, p->text, peek(p)->pos, tail, "expected %s", what);
    free(tail);
    return SMSPROV_E_INVALID_QUERY;
}

/* A refusal of something the engine recognises but does not do. */
static smsprov_code refuse(parser *p, const wql_token *t, const char *sentence)
{
    return wql_error_at(p->err, p->text, t->pos, NULL, "%s", sentence);
}

static smsprov_code refuse_join(parser *p, const wql_token *t)
{
    return wql_error_at(p->err, p->text, t->pos, "; query one class at a time", "%s",
                        JOIN_REFUSAL);
}

static smsprov_code expect_word(parser *p, const char *word)
{
    return accept_word(p, word) ? SMSPROV_OK : expected(p, word);
}

static smsprov_code expect(parser *p, wql_token_kind kind, const char *what)
{
    return accept(p, kind) ? SMSPROV_OK : expected(p, what);
}

static smsprov_code enter(parser *p)
{
    if (++p->depth > WQL_MAX_DEPTH)
        return wql_error_at(p->err, p->text, peek(p)->pos, NULL,
                            "the query nests parentheses, NOT and functions more than %d "
                            "levels deep",
                            WQL_MAX_DEPTH);
    return SMSPROV_OK;
}

/* ------------------------------------------------------------------------ */
/* Literals                                                                 */
/* ------------------------------------------------------------------------ */

static bool parse_magnitude(const char *digits, uint64_t *out)
{
    uint64_t v = 0;
    if (digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X')) {
        for (const char *d = digits + 2; *d; d++) {
            unsigned nibble = (unsigned)(*d <= '9' ? *d - '0' : (*d | 0x20) - 'a' + 10);
            if (v > UINT64_MAX >> 4)
                return false;
            v = v << 4 | nibble;
        }
    } else {
        for (const char *d = digits; *d; d++) {
            unsigned digit = (unsigned)(*d - '0');
            if (v > (UINT64_MAX - digit) / 10)
                return false;
            v = v * 10 + digit;
        }
    }
    *out = v;
    return true;
}

/* A number with an optional sign: sint64 when it fits, else uint64; real64
 * for reals. */
static smsprov_code parse_number(parser *p, wql_operand *op)
{
    bool negative = false;
    if (peek(p)->kind == WQL_TOK_MINUS || peek(p)->kind == WQL_TOK_PLUS)
        negative = advance(p)->kind == WQL_TOK_MINUS;
    const wql_token *t = peek(p);
    if (t->kind != WQL_TOK_INTEGER && t->kind != WQL_TOK_REAL)
        return expected(p, "a number after the sign");
    advance(p);
    if (t->kind == WQL_TOK_REAL) {
        errno = 0;
        double d = strtod(t->text, NULL);
        if (errno == ERANGE && isinf(d))
            return wql_error_at(p->err, p->text, op->pos, NULL,
                                "the number %s%s is too large", negative ? "-" : "", t->text);
        op->literal = cim_value_real(CIM_TYPE_REAL64, negative ? -d : d);
        return SMSPROV_OK;
    }
    uint64_t magnitude;
    bool fits = parse_magnitude(t->text, &magnitude);
    if (fits && negative && magnitude > (uint64_t)INT64_MAX + 1)
        fits = false;
    if (!fits)
        return wql_error_at(p->err, p->text, op->pos, NULL,
                            "the number %s%s is out of range (64-bit integers run from "
                            "-9223372036854775808 to 18446744073709551615)",
                            negative ? "-" : "", t->text);
    if (negative)
        op->literal = cim_value_sint(CIM_TYPE_SINT64, (int64_t)(0 - magnitude));
    else if (magnitude <= INT64_MAX)
        op->literal = cim_value_sint(CIM_TYPE_SINT64, (int64_t)magnitude);
    else
        op->literal = cim_value_uint(CIM_TYPE_UINT64, magnitude);
    return SMSPROV_OK;
}

/* A literal value, or NULL (literal.is_null) when allow_null. */
static smsprov_code parse_literal(parser *p, bool allow_null, wql_operand **out)
{
    const wql_token *t = peek(p);
    wql_operand *op = wql_operand_new(WQL_OPERAND_LITERAL, t->pos);
    smsprov_code rc = SMSPROV_OK;
    if (t->kind == WQL_TOK_STRING) {
        op->literal = cim_value_string(advance(p)->text);
    } else if (is_word(t, "TRUE") || is_word(t, "FALSE")) {
        op->literal = cim_value_bool(is_word(advance(p), "TRUE"));
    } else if (is_word(t, "NULL") && allow_null) {
        advance(p);
    } else if (t->kind == WQL_TOK_INTEGER || t->kind == WQL_TOK_REAL ||
               t->kind == WQL_TOK_MINUS || t->kind == WQL_TOK_PLUS) {
        rc = parse_number(p, op);
    } else if (is_word(t, "NULL")) {
        rc = refuse(p, t, "NULL cannot be in an IN list; test for it with IS NULL");
    } else {
        rc = expected(p, "a value (a string, a number, TRUE or FALSE)");
    }
    if (rc != SMSPROV_OK) {
        wql_operand_free(op);
        return rc;
    }
    *out = op;
    return SMSPROV_OK;
}

/* ------------------------------------------------------------------------ */
/* Operands                                                                 */
/* ------------------------------------------------------------------------ */

static smsprov_code parse_operand(parser *p, wql_operand **out);

static smsprov_code parse_function(parser *p, wql_operand **out)
{
    const wql_token *name = advance(p);
    wql_operand_kind kind;
    if (cim_strcasecmp(name->text, "UPPER") == 0) {
        kind = WQL_OPERAND_UPPER;
    } else if (cim_strcasecmp(name->text, "LOWER") == 0) {
        kind = WQL_OPERAND_LOWER;
    } else {
        return wql_error_at(p->err, p->text, name->pos, NULL,
                            "the function %s() is not supported; only UPPER() and LOWER() are",
                            name->text);
    }
    advance(p); /* ( */
    smsprov_code rc = enter(p);
    wql_operand *arg = NULL;
    if (rc == SMSPROV_OK)
        rc = parse_operand(p, &arg);
    p->depth--;
    if (rc == SMSPROV_OK)
        rc = expect(p, WQL_TOK_RPAREN, "')' to close the function's argument");
    if (rc != SMSPROV_OK) {
        wql_operand_free(arg);
        return rc;
    }
    wql_operand *op = wql_operand_new(kind, name->pos);
    op->arg = arg;
    *out = op;
    return SMSPROV_OK;
}

static smsprov_code parse_name(parser *p, wql_operand **out)
{
    const wql_token *t = peek(p);
    if (peek_next(p)->kind == WQL_TOK_DOT)
        return refuse(p, t,
                      "qualified names such as Class.Property are used by JOIN queries; JOIN is "
                      "not supported yet (extended WQL join queries are out of scope), so name "
                      "the property alone");
    advance(p);
    wql_operand_kind kind = WQL_OPERAND_PROPERTY;
    if (cim_strcasecmp(t->text, "__CLASS") == 0)
        kind = WQL_OPERAND_CLASS;
    else if (cim_strcasecmp(t->text, "__this") == 0)
        kind = WQL_OPERAND_THIS;
    wql_operand *op = wql_operand_new(kind, t->pos);
    op->name = cim_xstrdup(t->text);
    *out = op;
    return SMSPROV_OK;
}

static smsprov_code parse_operand(parser *p, wql_operand **out)
{
    const wql_token *t = peek(p);
    if (t->kind == WQL_TOK_IDENT && peek_next(p)->kind == WQL_TOK_LPAREN)
        return parse_function(p, out);
    if (t->kind == WQL_TOK_LPAREN && is_word(peek_next(p), "SELECT"))
        return refuse(p, t, "subqueries are not supported; query one class at a time");
    if (t->kind == WQL_TOK_IDENT && !is_reserved(t))
        return parse_name(p, out);
    if (is_word(t, "NULL")) {
        wql_operand *op = wql_operand_new(WQL_OPERAND_LITERAL, advance(p)->pos);
        *out = op;
        return SMSPROV_OK;
    }
    if (t->kind == WQL_TOK_STRING || t->kind == WQL_TOK_INTEGER || t->kind == WQL_TOK_REAL ||
        t->kind == WQL_TOK_MINUS || t->kind == WQL_TOK_PLUS || is_word(t, "TRUE") ||
        is_word(t, "FALSE"))
        return parse_literal(p, false, out);
    return expected(p, "a property name or a value");
}

/* ------------------------------------------------------------------------ */
/* Predicates and boolean expressions                                       */
/* ------------------------------------------------------------------------ */

static smsprov_code parse_or(parser *p, wql_expr **out);

static bool comparison_operator(const wql_token *t, wql_cmp *op)
{
    switch (t->kind) {
    case WQL_TOK_EQ: *op = WQL_CMP_EQ; return true;
    case WQL_TOK_NE: *op = WQL_CMP_NE; return true;
    case WQL_TOK_LT: *op = WQL_CMP_LT; return true;
    case WQL_TOK_GT: *op = WQL_CMP_GT; return true;
    case WQL_TOK_LE: *op = WQL_CMP_LE; return true;
    case WQL_TOK_GE: *op = WQL_CMP_GE; return true;
    default: return false;
    }
}

static bool is_null_literal(const wql_operand *op)
{
    return op->kind == WQL_OPERAND_LITERAL && op->literal.is_null;
}

/* left op right; `x = NULL` means x IS NULL and `x <> NULL` x IS NOT NULL. */
static smsprov_code finish_comparison(parser *p, wql_expr *e, const wql_token *op_token)
{
    if (!is_null_literal(e->left) && !is_null_literal(e->right))
        return SMSPROV_OK;
    if (e->op != WQL_CMP_EQ && e->op != WQL_CMP_NE)
        return wql_error_at(p->err, p->text, op_token->pos, NULL,
                            "NULL can only be compared with = or <> (or IS NULL and IS NOT "
                            "NULL), not with %s",
                            wql_cmp_text(e->op));
    if (is_null_literal(e->left)) {
        wql_operand *swap = e->left;
        e->left = e->right;
        e->right = swap;
    }
    wql_operand_free(e->right);
    e->right = NULL;
    e->negated = e->op == WQL_CMP_NE;
    e->kind = WQL_EXPR_IS_NULL;
    return SMSPROV_OK;
}

static smsprov_code parse_in_list(parser *p, wql_expr *e)
{
    smsprov_code rc = expect(p, WQL_TOK_LPAREN, "'(' to open the IN list");
    while (rc == SMSPROV_OK) {
        wql_operand *item;
        rc = parse_literal(p, false, &item);
        if (rc != SMSPROV_OK)
            return rc;
        e->items = wql_grow(e->items, e->item_count, sizeof *e->items);
        e->items[e->item_count++] = item;
        if (!accept(p, WQL_TOK_COMMA))
            return expect(p, WQL_TOK_RPAREN, "',' or ')' in the IN list");
    }
    return rc;
}

static smsprov_code parse_string_operand(parser *p, const char *what, wql_operand **out)
{
    if (peek(p)->kind != WQL_TOK_STRING)
        return expected(p, what);
    return parse_literal(p, false, out);
}

/* What follows the left operand. */
static smsprov_code parse_predicate_rest(parser *p, wql_expr *e)
{
    const wql_token *t = peek(p);
    wql_cmp op;
    if (comparison_operator(t, &op)) {
        advance(p);
        e->kind = WQL_EXPR_COMPARE;
        e->op = op;
        smsprov_code rc = parse_operand(p, &e->right);
        return rc != SMSPROV_OK ? rc : finish_comparison(p, e, t);
    }
    if (accept_word(p, "IS")) {
        e->kind = WQL_EXPR_IS_NULL;
        e->negated = accept_word(p, "NOT");
        if (!accept_word(p, "NULL"))
            return expected(p, "NULL after IS (IS and IS NOT only test for NULL; compare "
                               "values with = or <>)");
        return SMSPROV_OK;
    }
    if (accept_word(p, "ISA")) {
        e->kind = WQL_EXPR_ISA;
        return parse_string_operand(p, "a quoted class name after ISA", &e->right);
    }
    if (is_word(t, "NOT") && (is_word(peek_next(p), "LIKE") || is_word(peek_next(p), "IN"))) {
        advance(p);
        e->negated = true;
        t = peek(p);
    }
    if (accept_word(p, "LIKE")) {
        e->kind = WQL_EXPR_LIKE;
        return parse_string_operand(p, "a quoted pattern after LIKE", &e->right);
    }
    if (accept_word(p, "IN")) {
        e->kind = WQL_EXPR_IN;
        if (peek(p)->kind == WQL_TOK_LPAREN && is_word(peek_next(p), "SELECT"))
            return refuse(p, peek(p), "subqueries are not supported; list the values in IN ()");
        return parse_in_list(p, e);
    }
    if (is_word(t, "BETWEEN"))
        return refuse(p, t, "BETWEEN is not supported; write Prop >= low AND Prop <= high");
    return expected(p, "a comparison operator (=, <>, <, >, <=, >=, LIKE, IN, IS or ISA)");
}

static smsprov_code parse_predicate(parser *p, wql_expr **out)
{
    wql_expr *e = wql_expr_new(WQL_EXPR_COMPARE, peek(p)->pos);
    smsprov_code rc = parse_operand(p, &e->left);
    if (rc == SMSPROV_OK)
        rc = parse_predicate_rest(p, e);
    if (rc != SMSPROV_OK) {
        wql_expr_free(e);
        return rc;
    }
    *out = e;
    return SMSPROV_OK;
}

static smsprov_code parse_not(parser *p, wql_expr **out)
{
    const wql_token *t = peek(p);
    bool is_not = is_word(t, "NOT");
    bool is_group = t->kind == WQL_TOK_LPAREN && !is_word(peek_next(p), "SELECT");
    if (!is_not && !is_group)
        return parse_predicate(p, out);
    advance(p);
    smsprov_code rc = enter(p);
    wql_expr *inner = NULL;
    if (rc == SMSPROV_OK)
        rc = is_not ? parse_not(p, &inner) : parse_or(p, &inner);
    p->depth--;
    if (rc == SMSPROV_OK && is_group)
        rc = expect(p, WQL_TOK_RPAREN, "')' to close the parenthesis");
    if (rc != SMSPROV_OK) {
        wql_expr_free(inner);
        return rc;
    }
    if (is_group) {
        *out = inner;
        return SMSPROV_OK;
    }
    wql_expr *e = wql_expr_new(WQL_EXPR_NOT, t->pos);
    wql_expr_add_child(e, inner);
    *out = e;
    return SMSPROV_OK;
}

/* One level of AND or OR: children joined by the keyword, kept flat. */
static smsprov_code parse_chain(parser *p, const char *keyword, wql_expr_kind kind,
                                smsprov_code (*parse_child)(parser *, wql_expr **),
                                wql_expr **out)
{
    wql_expr *first;
    smsprov_code rc = parse_child(p, &first);
    if (rc != SMSPROV_OK || !is_word(peek(p), keyword)) {
        *out = rc == SMSPROV_OK ? first : NULL;
        return rc;
    }
    wql_expr *chain = wql_expr_new(kind, first->pos);
    wql_expr_add_child(chain, first);
    while (rc == SMSPROV_OK && accept_word(p, keyword)) {
        wql_expr *next;
        rc = parse_child(p, &next);
        if (rc == SMSPROV_OK)
            wql_expr_add_child(chain, next);
    }
    if (rc != SMSPROV_OK) {
        wql_expr_free(chain);
        return rc;
    }
    *out = chain;
    return SMSPROV_OK;
}

static smsprov_code parse_and(parser *p, wql_expr **out)
{
    return parse_chain(p, "AND", WQL_EXPR_AND, parse_not, out);
}

static smsprov_code parse_or(parser *p, wql_expr **out)
{
    return parse_chain(p, "OR", WQL_EXPR_OR, parse_and, out);
}

/* ------------------------------------------------------------------------ */
/* The statement                                                            */
/* ------------------------------------------------------------------------ */

static smsprov_code expect_property_name(parser *p, const char *what)
{
    const wql_token *t = peek(p);
    if (t->kind != WQL_TOK_IDENT || is_reserved(t))
        return expected(p, what);
    if (peek_next(p)->kind == WQL_TOK_DOT)
        return refuse(p, t,
                      "qualified names such as Class.Property are used by JOIN queries; JOIN is "
                      "not supported yet (extended WQL join queries are out of scope), so name "
                      "the property alone");
    if (peek_next(p)->kind == WQL_TOK_LPAREN)
        return wql_error_at(p->err, p->text, t->pos, NULL,
                            "%s() is not supported here; name properties, or use COUNT(*) alone",
                            t->text);
    return SMSPROV_OK;
}

static smsprov_code parse_count(parser *p, wql_query *q)
{
    advance(p); /* COUNT */
    advance(p); /* ( */
    q->count = true;
    if (!accept(p, WQL_TOK_STAR)) {
        smsprov_code rc = expect_property_name(p, "* or a property name in COUNT()");
        if (rc == SMSPROV_OK)
            rc = parse_name(p, &q->count_arg);
        if (rc != SMSPROV_OK)
            return rc;
    }
    return expect(p, WQL_TOK_RPAREN, "')' to close COUNT(");
}

static bool at_count(const parser *p)
{
    return is_word(peek(p), "COUNT") && peek_next(p)->kind == WQL_TOK_LPAREN;
}

static smsprov_code parse_columns(parser *p, wql_query *q)
{
    if (accept(p, WQL_TOK_STAR)) {
        q->select_all = true;
        return SMSPROV_OK;
    }
    if (at_count(p))
        return parse_count(p, q);
    for (;;) {
        if (at_count(p))
            return refuse(p, peek(p),
                          "COUNT() cannot be combined with other properties (GROUP BY is not "
                          "supported); select COUNT(*) alone");
        smsprov_code rc = expect_property_name(p, "a property name, * or COUNT(*)");
        if (rc != SMSPROV_OK)
            return rc;
        const wql_token *t = advance(p);
        q->items = wql_grow(q->items, q->item_count, sizeof *q->items);
        q->items[q->item_count++] = (wql_select_item){cim_xstrdup(t->text), t->pos, false, 0};
        if (!accept(p, WQL_TOK_COMMA))
            return SMSPROV_OK;
    }
}

static bool starts_join(const wql_token *t)
{
    static const char *const join_words[] = {"JOIN", "INNER", "LEFT", "RIGHT",
                                             "FULL", "CROSS", "OUTER", "ON"};
    for (size_t i = 0; i < sizeof join_words / sizeof join_words[0]; i++)
        if (is_word(t, join_words[i]))
            return true;
    return t->kind == WQL_TOK_COMMA;
}

static smsprov_code parse_class(parser *p, wql_query *q)
{
    const wql_token *t = peek(p);
    if (t->kind == WQL_TOK_LPAREN)
        return refuse(p, t, "subqueries are not supported; query one class at a time");
    if (t->kind != WQL_TOK_IDENT || is_reserved(t))
        return expected(p, "a class name after FROM");
    advance(p);
    q->class_name = cim_xstrdup(t->text);
    q->class_pos = t->pos;
    /* "FROM A a JOIN B b": skip an alias to find the JOIN. */
    const wql_token *next = peek(p);
    if (next->kind == WQL_TOK_IDENT && !is_reserved(next) && starts_join(peek_next(p)))
        return refuse_join(p, peek_next(p));
    if (starts_join(next) || is_word(next, "AS"))
        return refuse_join(p, next);
    return SMSPROV_OK;
}

static smsprov_code parse_order_by(parser *p, wql_query *q)
{
    smsprov_code rc = expect_word(p, "BY");
    while (rc == SMSPROV_OK) {
        rc = expect_property_name(p, "a property name to order by");
        wql_operand *op = NULL;
        if (rc == SMSPROV_OK)
            rc = parse_name(p, &op);
        if (rc != SMSPROV_OK)
            break;
        bool descending = false;
        if (accept_word(p, "DESC"))
            descending = true;
        else
            accept_word(p, "ASC");
        q->order = wql_grow(q->order, q->order_count, sizeof *q->order);
        q->order[q->order_count++] = (wql_order_key){op, descending};
        if (!accept(p, WQL_TOK_COMMA))
            break;
    }
    return rc;
}

static smsprov_code refuse_unsupported_clause(parser *p)
{
    const wql_token *t = peek(p);
    if (is_word(t, "GROUP") || is_word(t, "HAVING"))
        return refuse(p, t, "GROUP BY and HAVING are not supported");
    if (is_word(t, "WITHIN"))
        return refuse(p, t, "event queries (WITHIN) are not supported; this is a data query");
    if (is_word(t, "UNION"))
        return refuse(p, t, "UNION is not supported; run the queries one at a time");
    return SMSPROV_OK;
}

smsprov_code wql_parse_tokens(const char *text, const wql_token_list *tokens, wql_query *q,
                              smsprov_error *err)
{
    parser p = {text, tokens->items, 0, 0, err};
    smsprov_code rc = expect_word(&p, "SELECT");
    if (rc == SMSPROV_OK)
        q->distinct = accept_word(&p, "DISTINCT");
    if (rc == SMSPROV_OK)
        rc = parse_columns(&p, q);
    if (rc == SMSPROV_OK)
        rc = expect_word(&p, "FROM");
    if (rc == SMSPROV_OK)
        rc = parse_class(&p, q);
    if (rc == SMSPROV_OK && accept_word(&p, "WHERE"))
        rc = parse_or(&p, &q->where);
    if (rc == SMSPROV_OK)
        rc = refuse_unsupported_clause(&p);
    if (rc == SMSPROV_OK && accept_word(&p, "ORDER"))
        rc = parse_order_by(&p, q);
    if (rc == SMSPROV_OK)
        rc = refuse_unsupported_clause(&p);
    if (rc == SMSPROV_OK && peek(&p)->kind != WQL_TOK_END)
        rc = expected(&p, q->order_count    ? "',' or the end of the query"
                          : q->where        ? "AND, OR, ORDER BY or the end of the query"
                                            : "WHERE, ORDER BY or the end of the query");
    return rc;
}
