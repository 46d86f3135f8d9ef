/*
 * json_internal.h - a strict JSON reader that builds a small tree, which
 * json_decode.c turns into typed CIM values.  Not part of the public API.
 */
#ifndef SMSPROV_CIM_JSON_INTERNAL_H
#define SMSPROV_CIM_JSON_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#define JSON_MAX_DEPTH 64

typedef enum json_kind {
    JSON_NULL,
    JSON_BOOL,
    JSON_NUMBER,
    JSON_STRING,
    JSON_ARRAY,
    JSON_OBJECT,
} json_kind;

typedef struct json_node json_node;
struct json_node {
    json_kind kind;
    bool boolean;
    char *text;       /* a number as written, or a string unescaped (UTF-8) */
    json_node *items; /* array items, or object member values */
    char **keys;      /* object member names, parallel to items */
    size_t count, capacity;
    size_t offset; /* 0-based offset of the node in the JSON text */
};

/* Parses one JSON value filling the whole text (white space around it
 * allowed).  On failure returns false with *why, a sentence naming the
 * offset, which the caller frees. */
bool json_parse(const char *text, json_node *out, char **why);
void json_node_clear(json_node *node);

#endif
