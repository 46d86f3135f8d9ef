/*
 * value_internal.h - helpers shared by the value, conversion, path, JSON and
 * MOF-text files of src/cim.  Not part of the public API.
 */
#ifndef SMSPROV_CIM_VALUE_INTERNAL_H
#define SMSPROV_CIM_VALUE_INTERNAL_H

#include "smsprov/cim.h"

/* Appends a real in the shortest decimal form that reads back to the same
 * value (as a float for real32), or NaN / Infinity / -Infinity. */
void cim_append_real(cim_buf *b, double v, cim_type type);

/* UTF-8 encoding of one code point (up to 4 bytes); returns the length. */
size_t cim_utf8_encode(uint32_t code_point, char out[4]);
/* Decodes one well-formed UTF-8 sequence at s; returns its length, or 0 when
 * s does not start with one (overlong forms and surrogates are refused). */
size_t cim_utf8_decode(const char *s, uint32_t *code_point);

typedef enum cim_int_parse {
    CIM_INT_OK,
    CIM_INT_SYNTAX,   /* not an integer */
    CIM_INT_OVERFLOW, /* an integer, but beyond 64 bits */
} cim_int_parse;

/* Parses an optional sign followed by decimal digits or 0x and hex digits,
 * the whole of s[0..len). */
cim_int_parse cim_parse_integer(const char *s, size_t len, bool *negative, uint64_t *magnitude);

/* The text of s between leading and trailing ASCII white space. */
void cim_trim(const char *s, const char **start, size_t *len);

/* Conversions shared by convert.c and convert_number.c, as in
 * cim_value_convert for one non-null scalar. */
smsprov_code cim_convert_to_integer(const cim_value *src, cim_type type, cim_value *out,
                                    smsprov_error *err);
smsprov_code cim_convert_to_real(const cim_value *src, cim_type type, cim_value *out,
                                 smsprov_error *err);
/* Sets the TYPE_MISMATCH sentence for a value that has no conversion to
 * type and returns that code. */
smsprov_code cim_convert_refusal(const cim_value *src, cim_type type, smsprov_error *err);

/* A short text naming a scalar value in an error sentence: numbers as
 * written, strings quoted and cut at 60 characters.  Caller frees. */
char *cim_describe_value(const cim_value *v);

#endif
