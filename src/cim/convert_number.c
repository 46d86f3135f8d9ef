/* convert_number.c - the numeric half of cim_value_convert: integers with
 * their range checks, and reals. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cim/value_internal.h"

/* strtod over exactly s[0..len), refusing text beyond a double's range
 * (which strtod would turn into an infinity). */
static cim_int_parse parse_real_text(const char *s, size_t len, double *out)
{
    if (len == 0 || len > 400)
        return CIM_INT_SYNTAX;
    char text[401];
    memcpy(text, s, len);
    text[len] = '\0';
    char *end;
    errno = 0;
    double d = strtod(text, &end);
    if (*end != '\0')
        return CIM_INT_SYNTAX;
    if (errno == ERANGE && isinf(d))
        return CIM_INT_OVERFLOW;
    *out = d;
    return CIM_INT_OK;
}

/* ---- integers ---------------------------------------------------------- */

/* An integer as sign and magnitude, so every 64-bit value of either
 * signedness fits without overflow. */
typedef struct integer {
    bool negative;
    uint64_t magnitude;
} integer;

static bool integer_fits(integer n, cim_type type)
{
    int64_t min;
    uint64_t max;
    cim_type_integer_range(type, &min, &max);
    if (!n.negative || n.magnitude == 0)
        return n.magnitude <= max;
    uint64_t min_magnitude = min < 0 ? (uint64_t)(-(min + 1)) + 1 : 0;
    return n.magnitude <= min_magnitude;
}

static cim_value integer_value(integer n, cim_type type)
{
    if (cim_type_is_signed(type))
        return cim_value_sint(type, n.negative ? (int64_t)(0 - n.magnitude) : (int64_t)n.magnitude);
    return cim_value_uint(type, n.magnitude);
}

static smsprov_code out_of_range(const char *shown, cim_type type, smsprov_error *err)
{
    int64_t min;
    uint64_t max;
    cim_type_integer_range(type, &min, &max);
    return smsprov_error_set(err, SMSPROV_E_TYPE_MISMATCH,
                             "%s is out of range for %s, which holds %lld to %llu.", shown,
                             cim_type_name(type), (long long)min, (unsigned long long)max);
}

static smsprov_code integer_from_real(double d, cim_type type, integer *out, smsprov_error *err)
{
    cim_value shown_value = cim_value_real(CIM_TYPE_REAL64, d);
    char *shown = cim_value_to_text(&shown_value);
    smsprov_code code = SMSPROV_OK;
    if (!isfinite(d) || d != floor(d))
        code = smsprov_error_set(err, SMSPROV_E_TYPE_MISMATCH,
                                 "%s is not a whole number, so it cannot be stored as %s.", shown,
                                 cim_type_name(type));
    else if (fabs(d) >= 18446744073709551616.0)
        code = out_of_range(shown, type, err);
    else
        *out = (integer){d < 0, (uint64_t)fabs(d)};
    free(shown);
    return code;
}

static smsprov_code integer_from_string(const char *s, cim_type type, integer *out,
                                        smsprov_error *err)
{
    const char *text;
    size_t len;
    cim_trim(s, &text, &len);
    switch (cim_parse_integer(text, len, &out->negative, &out->magnitude)) {
    case CIM_INT_OK:
        return SMSPROV_OK;
    case CIM_INT_OVERFLOW:
        return out_of_range(s, type, err);
    case CIM_INT_SYNTAX:
        break;
    }
    double d;
    if (parse_real_text(text, len, &d) != CIM_INT_SYNTAX)
        return smsprov_error_set(err, SMSPROV_E_TYPE_MISMATCH,
                                 "\"%s\" is not a whole number, so it cannot be stored as %s.", s,
                                 cim_type_name(type));
    return smsprov_error_set(
        err, SMSPROV_E_TYPE_MISMATCH,
        "\"%s\" is not a valid %s: write a decimal number such as 42 or -1, or a "
        "hexadecimal one such as 0x2A.",
        s, cim_type_name(type));
}

/* Reads any numeric or string source as an integer, without range checks. */
static smsprov_code integer_from(const cim_value *src, cim_type type, integer *out,
                                 smsprov_error *err)
{
    if (cim_type_is_signed(src->type)) {
        int64_t v = src->u.sint;
        *out = (integer){v < 0, v < 0 ? 0 - (uint64_t)v : (uint64_t)v};
        return SMSPROV_OK;
    }
    if (cim_type_is_unsigned(src->type) || src->type == CIM_TYPE_CHAR16) {
        *out = (integer){false, src->u.uint};
        return SMSPROV_OK;
    }
    if (cim_type_is_real(src->type))
        return integer_from_real(src->u.real, type, out, err);
    if (src->type == CIM_TYPE_STRING)
        return integer_from_string(src->u.string, type, out, err);
    return cim_convert_refusal(src, type, err);
}

smsprov_code cim_convert_to_integer(const cim_value *src, cim_type type, cim_value *out,
                                    smsprov_error *err)
{
    integer n;
    smsprov_code code = integer_from(src, type, &n, err);
    if (code)
        return code;
    if (!integer_fits(n, type)) {
        char *shown = src->type == CIM_TYPE_STRING ? cim_xstrdup(src->u.string)
                                                   : cim_xasprintf("%s%llu", n.negative ? "-" : "",
                                                                   (unsigned long long)n.magnitude);
        out_of_range(shown, type, err);
        free(shown);
        return SMSPROV_E_TYPE_MISMATCH;
    }
    *out = integer_value(n, type);
    return SMSPROV_OK;
}

smsprov_code cim_convert_to_real(const cim_value *src, cim_type type, cim_value *out,
                                 smsprov_error *err)
{
    double d;
    if (cim_type_is_signed(src->type)) {
        d = (double)src->u.sint;
    } else if (cim_type_is_unsigned(src->type)) {
        d = (double)src->u.uint;
    } else if (cim_type_is_real(src->type)) {
        d = src->u.real;
    } else if (src->type == CIM_TYPE_STRING) {
        const char *text;
        size_t len;
        cim_trim(src->u.string, &text, &len);
        cim_int_parse parsed = parse_real_text(text, len, &d);
        if (parsed == CIM_INT_OVERFLOW)
            return smsprov_error_set(err, SMSPROV_E_TYPE_MISMATCH,
                                     "%s is out of range for %s, which holds up to about %s.",
                                     src->u.string, cim_type_name(type),
                                     type == CIM_TYPE_REAL32 ? "3.4e38" : "1.8e308");
        if (parsed == CIM_INT_SYNTAX)
            return smsprov_error_set(
                err, SMSPROV_E_TYPE_MISMATCH,
                "\"%s\" is not a valid %s: write a number such as 1.5 or -2e3.", src->u.string,
                cim_type_name(type));
    } else {
        return cim_convert_refusal(src, type, err);
    }
    if (type == CIM_TYPE_REAL32) {
        float f = (float)d;
        if (isinf(f) && !isinf(d)) {
            char *shown = cim_describe_value(src);
            smsprov_error_set(err, SMSPROV_E_TYPE_MISMATCH,
                              "%s is out of range for real32, which holds up to about 3.4e38.",
                              shown);
            free(shown);
            return SMSPROV_E_TYPE_MISMATCH;
        }
        d = f;
    }
    *out = cim_value_real(type, d);
    return SMSPROV_OK;
}
