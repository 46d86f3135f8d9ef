/*
 * mof_internal.h - the pieces of the MOF compiler: a lexer that turns text
 * into tokens, and a recursive-descent parser split by concern (top level and
 * pragmas, class declarations, values, instances).  Not part of any contract.
 */
#ifndef SMSPROV_MOF_INTERNAL_H
#define SMSPROV_MOF_INTERNAL_H

#include "mof/mof.h"

/* ---- Lexer ------------------------------------------------------------- */

typedef enum mof_token_kind {
    MOF_TOK_EOF,
    MOF_TOK_IDENT,   /* text: the identifier (keywords are identifiers too) */
    MOF_TOK_STRING,  /* text: the unescaped UTF-8 contents of one literal */
    MOF_TOK_CHAR,    /* ch: one UTF-16 unit, from 'a' or '\x41' */
    MOF_TOK_INTEGER, /* negative + magnitude */
    MOF_TOK_REAL,    /* real */
    MOF_TOK_ALIAS,   /* text: the name after '$' */
    MOF_TOK_PUNCT,   /* punct: one of ( ) { } [ ] ; , : = # */
} mof_token_kind;

typedef struct mof_token {
    mof_token_kind kind;
    char punct;
    char *text;
    bool negative;
    uint64_t magnitude;
    double real;
    uint32_t ch;
    int line, column; /* where the token starts, both from 1 */
} mof_token;

typedef struct mof_lexer {
    const char *src;
    size_t len, pos;
    int line, column;
    const char *file;
    smsprov_error *err;
} mof_lexer;

void mof_lexer_init(mof_lexer *lx, const char *src, const char *file, smsprov_error *err);
/* Reads the next token into *out (cleared first).  Returns 0, or
 * SMSPROV_E_INVALID_SYNTAX with "file:line:col: ..." in the error. */
smsprov_code mof_lex_next(mof_lexer *lx, mof_token *out);
void mof_token_clear(mof_token *tok);
/* A short description of a token for "found ..." in error sentences. */
char *mof_token_describe(const mof_token *tok);

/* Records "file:line:col: <message>" with err->file and err->line set. */
smsprov_code mof_error_at(smsprov_error *err, const char *file, int line, int column,
                          smsprov_code code, const char *fmt, ...)
    SMSPROV_PRINTF(6, 7)
    ;

/* Prefixes the sentence already in err with "file:line:col: " and sets
 * err->file and err->line; returns code (the failing call's result). */
smsprov_code mof_error_locate(smsprov_error *err, smsprov_code code, const char *file, int line,
                              int column);

/* ---- Parser state ------------------------------------------------------ */

typedef struct mof_alias {
    char *name;
    char *path; /* relative object path of the aliased instance */
} mof_alias;

typedef struct mof_parser {
    mof_lexer lex;
    mof_token tok;     /* the current token */
    mof_token ahead;   /* one token of lookahead, when has_ahead */
    bool has_ahead;
    cim_schema *schema;
    char *namespace_path; /* where declarations go now */
    const char *file;
    smsprov_error *err;
    mof_alias *aliases;
    size_t alias_count;
    int include_depth;
    int instance_depth; /* nesting of `instance of` values, bounded */
} mof_parser;

/* Token helpers (parser.c). */
smsprov_code mof_advance(mof_parser *p);
const mof_token *mof_peek(mof_parser *p, smsprov_code *rc);
bool mof_at_punct(const mof_parser *p, char c);
bool mof_at_keyword(const mof_parser *p, const char *word);
/* Consumes punct c or fails with "expected '<c>' <context>". */
smsprov_code mof_expect_punct(mof_parser *p, char c, const char *context);
/* Takes the current identifier (caller frees) and advances, or fails with
 * "expected <what>". */
smsprov_code mof_take_ident(mof_parser *p, const char *what, char **out);
/* An error at the current token: "file:line:col: <message>". */
smsprov_code mof_fail(mof_parser *p, smsprov_code code, const char *fmt, ...)
    SMSPROV_PRINTF(3, 4)
    ;
/* "expected <what>, found <token>" at the current token. */
smsprov_code mof_fail_expected(mof_parser *p, const char *what);

/* Parses every declaration up to the end of the text (parser.c). */
smsprov_code mof_parse_all(mof_parser *p);

/* Declarations. */
smsprov_code mof_parse_qualifier_list(mof_parser *p, cim_qualifier_list *out);
smsprov_code mof_parse_class(mof_parser *p, cim_qualifier_list *qualifiers);
smsprov_code mof_parse_instance(mof_parser *p, cim_qualifier_list *qualifiers);

/* Values (parse_value.c).  A qualifier value takes its type from the
 * literal; a property value is checked against and converted to the declared
 * type (ref_class: the embedded or referenced class, or NULL). */
smsprov_code mof_parse_qualifier_value(mof_parser *p, bool array, cim_value *out);
smsprov_code mof_parse_typed_value(mof_parser *p, const char *what, cim_type type, bool is_array,
                                   const char *ref_class, cim_value *out);

/* An instance value `instance of X { ... }` nested in a value; parses from
 * the `instance` keyword through the closing brace (parse_instance.c). */
smsprov_code mof_parse_embedded_instance(mof_parser *p, const char *ref_class,
                                         cim_instance **out);
/* The relative path an alias names; NULL when undefined. */
const char *mof_alias_path(const mof_parser *p, const char *name);

/* Compiles another file into the same schema (compile.c), for
 * `#pragma include`. */
smsprov_code mof_compile_include(mof_parser *p, const char *path);

#endif
