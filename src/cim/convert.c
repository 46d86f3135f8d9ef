/* convert.c - cim_value_convert: the type check every value a client sends
 * passes through (CLI text, WS-Man and CIM-XML text, COM VARIANTs).  The
 * numeric conversions are in convert_number.c. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "cim/value_internal.h"

smsprov_code cim_convert_refusal(const cim_value *src, cim_type type, smsprov_error *err)
{
    if (src->type == CIM_TYPE_OBJECT)
        return smsprov_error_set(
            err, SMSPROV_E_TYPE_MISMATCH, "An embedded instance of %s cannot be converted to %s.",
            src->u.object && src->u.object->cls ? src->u.object->cls->name : "?",
            cim_type_name(type));
    char *what = cim_describe_value(src);
    smsprov_error_set(err, SMSPROV_E_TYPE_MISMATCH, "The %s value %s cannot be converted to %s.",
                      cim_type_name(src->type), what, cim_type_name(type));
    free(what);
    return SMSPROV_E_TYPE_MISMATCH;
}

static bool same_word(const char *text, size_t len, const char *word)
{
    if (strlen(word) != len)
        return false;
    for (size_t i = 0; i < len; i++)
        if (tolower((unsigned char)text[i]) != word[i])
            return false;
    return true;
}

static smsprov_code to_boolean(const cim_value *src, cim_value *out, smsprov_error *err)
{
    if (src->type == CIM_TYPE_BOOLEAN) {
        *out = cim_value_bool(src->u.boolean);
        return SMSPROV_OK;
    }
    if (cim_type_is_integer(src->type)) {
        bool is_zero = src->u.uint == 0; /* sint and uint share the bits */
        bool is_one = cim_type_is_signed(src->type) ? src->u.sint == 1 : src->u.uint == 1;
        if (is_zero || is_one) {
            *out = cim_value_bool(is_one);
            return SMSPROV_OK;
        }
    }
    if (src->type == CIM_TYPE_STRING) {
        const char *text;
        size_t len;
        cim_trim(src->u.string, &text, &len);
        static const struct {
            const char *word;
            bool value;
        } words[] = {{"true", true}, {"false", false}, {"1", true}, {"0", false}};
        for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
            if (same_word(text, len, words[i].word)) {
                *out = cim_value_bool(words[i].value);
                return SMSPROV_OK;
            }
        }
    }
    if (src->type == CIM_TYPE_OBJECT || cim_type_is_real(src->type))
        return cim_convert_refusal(src, CIM_TYPE_BOOLEAN, err);
    char *shown = cim_describe_value(src);
    smsprov_error_set(err, SMSPROV_E_TYPE_MISMATCH,
                      "%s is not a boolean: use TRUE or FALSE (or 1 or 0).", shown);
    free(shown);
    return SMSPROV_E_TYPE_MISMATCH;
}

static smsprov_code to_string(const cim_value *src, cim_value *out, smsprov_error *err)
{
    if (src->type == CIM_TYPE_OBJECT || src->type == CIM_TYPE_INVALID)
        return cim_convert_refusal(src, CIM_TYPE_STRING, err);
    cim_value v = cim_value_null(CIM_TYPE_STRING, false);
    v.is_null = false;
    v.u.string =
        cim_type_is_textual(src->type) ? cim_xstrdup(src->u.string) : cim_value_to_text(src);
    *out = v;
    return SMSPROV_OK;
}

static smsprov_code to_datetime(const cim_value *src, cim_value *out, smsprov_error *err)
{
    if (src->type != CIM_TYPE_STRING && src->type != CIM_TYPE_DATETIME)
        return cim_convert_refusal(src, CIM_TYPE_DATETIME, err);
    cim_datetime dt;
    const char *why;
    if (!cim_datetime_parse(src->u.string, &dt, &why)) {
        char *shown = cim_describe_value(src);
        smsprov_error_set(err, SMSPROV_E_TYPE_MISMATCH, "%s is not a valid datetime: %s", shown,
                          why);
        free(shown);
        return SMSPROV_E_TYPE_MISMATCH;
    }
    *out = cim_value_datetime(src->u.string);
    return SMSPROV_OK;
}

static smsprov_code to_reference(const cim_value *src, cim_value *out, smsprov_error *err)
{
    if (src->type != CIM_TYPE_STRING && src->type != CIM_TYPE_REFERENCE)
        return cim_convert_refusal(src, CIM_TYPE_REFERENCE, err);
    cim_object_path path;
    smsprov_error why = {0};
    if (cim_object_path_parse(src->u.string, &path, &why)) {
        char *shown = cim_describe_value(src);
        smsprov_error_set(err, SMSPROV_E_TYPE_MISMATCH, "%s is not a valid object reference: %s",
                          shown, why.description);
        free(shown);
        smsprov_error_clear(&why);
        return SMSPROV_E_TYPE_MISMATCH;
    }
    cim_object_path_clear(&path);
    *out = cim_value_reference(src->u.string);
    return SMSPROV_OK;
}

static smsprov_code to_char16(const cim_value *src, cim_value *out, smsprov_error *err)
{
    if (src->type == CIM_TYPE_CHAR16) {
        *out = cim_value_uint(CIM_TYPE_CHAR16, src->u.uint);
        return SMSPROV_OK;
    }
    if (cim_type_is_integer(src->type)) {
        /* A UTF-16 unit: any integer from 0 to 65535. */
        if (cim_convert_to_integer(src, CIM_TYPE_UINT16, out, NULL)) {
            char *shown = cim_describe_value(src);
            smsprov_error_set(err, SMSPROV_E_TYPE_MISMATCH,
                              "%s is out of range for char16, which holds 0 to 65535.", shown);
            free(shown);
            return SMSPROV_E_TYPE_MISMATCH;
        }
        out->type = CIM_TYPE_CHAR16;
        return SMSPROV_OK;
    }
    if (src->type != CIM_TYPE_STRING)
        return cim_convert_refusal(src, CIM_TYPE_CHAR16, err);
    uint32_t cp;
    size_t len = cim_utf8_decode(src->u.string, &cp);
    if (len == 0 || cp == 0 || src->u.string[len] != '\0' || cp > 0xFFFF) {
        char *shown = cim_describe_value(src);
        smsprov_error_set(
            err, SMSPROV_E_TYPE_MISMATCH,
            "%s is not a single character from the Basic Multilingual Plane, so it cannot "
            "be a char16.",
            shown);
        free(shown);
        return SMSPROV_E_TYPE_MISMATCH;
    }
    *out = cim_value_uint(CIM_TYPE_CHAR16, cp);
    return SMSPROV_OK;
}

static smsprov_code convert_scalar(const cim_value *src, cim_type type, cim_value *out,
                                   smsprov_error *err)
{
    if (src->is_null) {
        *out = cim_value_null(type, false);
        return SMSPROV_OK;
    }
    if (cim_type_is_integer(type))
        return cim_convert_to_integer(src, type, out, err);
    switch (type) {
    case CIM_TYPE_REAL32:
    case CIM_TYPE_REAL64:
        return cim_convert_to_real(src, type, out, err);
    case CIM_TYPE_BOOLEAN:
        return to_boolean(src, out, err);
    case CIM_TYPE_STRING:
        return to_string(src, out, err);
    case CIM_TYPE_DATETIME:
        return to_datetime(src, out, err);
    case CIM_TYPE_REFERENCE:
        return to_reference(src, out, err);
    case CIM_TYPE_CHAR16:
        return to_char16(src, out, err);
    case CIM_TYPE_OBJECT:
        /* Whether the class fits is the caller's check (it knows the
         * property's class): see cim_instance_set. */
        if (src->type != CIM_TYPE_OBJECT)
            return cim_convert_refusal(src, type, err);
        cim_value_copy(out, src);
        return SMSPROV_OK;
    default:
        return cim_convert_refusal(src, type, err);
    }
}

static smsprov_code convert_array(const cim_value *src, cim_type type, cim_value *out,
                                  smsprov_error *err)
{
    size_t count = src->u.array.count;
    cim_value result = cim_value_array(type);
    result.u.array.items = count ? cim_xcalloc(count, sizeof(cim_value)) : NULL;
    for (size_t i = 0; i < count; i++) {
        const cim_value *item = &src->u.array.items[i];
        smsprov_error why = {0};
        smsprov_code code = SMSPROV_OK;
        if (item->is_null && type != CIM_TYPE_OBJECT)
            code = smsprov_error_set(&why, SMSPROV_E_TYPE_MISMATCH,
                                     "Only arrays of embedded objects may hold NULL items.");
        else
            code = convert_scalar(item, type, &result.u.array.items[i], &why);
        if (code) {
            smsprov_error_set(err, code, "Array item %zu: %s", i, why.description);
            smsprov_error_clear(&why);
            cim_value_clear(&result);
            return code;
        }
        result.u.array.count++;
    }
    *out = result;
    return SMSPROV_OK;
}

smsprov_code cim_value_convert(const cim_value *src, cim_type type, bool is_array, cim_value *out,
                               smsprov_error *err)
{
    if (src->is_null) {
        *out = cim_value_null(type, is_array);
        return SMSPROV_OK;
    }
    if (src->is_array && !is_array)
        return smsprov_error_set(
            err, SMSPROV_E_TYPE_MISMATCH,
            "A %s array cannot be stored in a single %s value; give one value.",
            cim_type_name(src->type), cim_type_name(type));
    if (!src->is_array && is_array)
        return smsprov_error_set(
            err, SMSPROV_E_TYPE_MISMATCH,
            "A single %s value cannot be stored in a %s array; give an array, even "
            "of one item.",
            cim_type_name(src->type), cim_type_name(type));
    if (is_array)
        return convert_array(src, type, out, err);
    return convert_scalar(src, type, out, err);
}
