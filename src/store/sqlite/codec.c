/* codec.c - CIM values to SQLite columns and back (see README.md).
 *
 * Integers, char16 and booleans are INTEGER (uint64 as the int64 with the
 * same bits), reals REAL, strings, datetimes and references TEXT, arrays and
 * embedded objects TEXT holding cim_value_to_json.  The two doubles SQLite
 * cannot keep in a REAL column, NaN (it stores NULL) and negative zero (it
 * stores 0), are written as an 8-byte BLOB of their IEEE-754 bits. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "store/sqlite/store_internal.h"

static int64_t uint_as_bits(uint64_t u)
{
    int64_t s;
    memcpy(&s, &u, sizeof s);
    return s;
}

static uint64_t bits_as_uint(int64_t s)
{
    uint64_t u;
    memcpy(&u, &s, sizeof u);
    return u;
}

static bool needs_blob(double d)
{
    return isnan(d) || (d == 0.0 && signbit(d));
}

static int bind_real_bits(sqlite3_stmt *stmt, int index, double d)
{
    uint64_t bits;
    unsigned char bytes[8];
    memcpy(&bits, &d, sizeof bits);
    for (int i = 0; i < 8; i++)
        bytes[i] = (unsigned char)(bits >> (56 - 8 * i));
    return sqlite3_bind_blob(stmt, index, bytes, sizeof bytes, SQLITE_TRANSIENT);
}

static double real_from_bits(const unsigned char *bytes)
{
    uint64_t bits = 0;
    double d;
    for (int i = 0; i < 8; i++)
        bits = bits << 8 | bytes[i];
    memcpy(&d, &bits, sizeof d);
    return d;
}

/* Binds a non-null scalar. */
static int bind_scalar(sqlite3_stmt *stmt, int index, const cim_value *v)
{
    if (cim_type_is_signed(v->type))
        return sqlite3_bind_int64(stmt, index, v->u.sint);
    if (cim_type_is_unsigned(v->type) || v->type == CIM_TYPE_CHAR16)
        return sqlite3_bind_int64(stmt, index, uint_as_bits(v->u.uint));
    if (v->type == CIM_TYPE_BOOLEAN)
        return sqlite3_bind_int(stmt, index, v->u.boolean ? 1 : 0);
    if (cim_type_is_real(v->type))
        return needs_blob(v->u.real) ? bind_real_bits(stmt, index, v->u.real)
                                     : sqlite3_bind_double(stmt, index, v->u.real);
    if (cim_type_is_textual(v->type))
        return sqlite3_bind_text(stmt, index, v->u.string, -1, SQLITE_TRANSIENT);
    return SQLITE_MISMATCH;
}

static int bind_encoded(sqlite3_stmt *stmt, int index, const cim_value *v)
{
    if (v->is_null)
        return sqlite3_bind_null(stmt, index);
    if (v->is_array || v->type == CIM_TYPE_OBJECT)
        return sqlite3_bind_text(stmt, index, cim_value_to_json(v), -1, free);
    return bind_scalar(stmt, index, v);
}

smsprov_code store_bind_value(sqlite3_stmt *stmt, int index, const cim_property *prop,
                              const cim_value *v, smsprov_error *err)
{
    cim_value converted = cim_value_null(prop->type, prop->is_array);
    if (!v->is_null && (v->type != prop->type || v->is_array != prop->is_array)) {
        smsprov_error why = {0};
        smsprov_code code = cim_value_convert(v, prop->type, prop->is_array, &converted, &why);
        if (code)
            code = smsprov_error_set(err, code, "The value of property %s does not fit its type "
                                     "%s%s: %s",
                                     prop->name, cim_type_name(prop->type),
                                     prop->is_array ? "[]" : "",
                                     why.description ? why.description : "no conversion.");
        smsprov_error_clear(&why);
        if (code)
            return code;
        v = &converted;
    }
    int rc = bind_encoded(stmt, index, v);
    cim_value_clear(&converted);
    if (rc == SQLITE_OK)
        return SMSPROV_OK;
    return smsprov_error_set(err, SMSPROV_E_FAILED,
                             "Could not store the value of property %s (type %s%s): %s.",
                             prop->name, cim_type_name(prop->type), prop->is_array ? "[]" : "",
                             sqlite3_errstr(rc));
}

smsprov_code store_bind_param(sqlite3_stmt *stmt, int index, const cim_value *v,
                              size_t position, smsprov_error *err)
{
    if (!v->is_null && (v->is_array || v->type == CIM_TYPE_OBJECT))
        return smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER,
                                 "Query parameter %zu is an array or an embedded object; a "
                                 "query condition can only compare scalar values.",
                                 position);
    int rc;
    if (v->is_null)
        rc = sqlite3_bind_null(stmt, index);
    else if (cim_type_is_real(v->type))
        rc = sqlite3_bind_double(stmt, index, v->u.real); /* compare by value */
    else
        rc = bind_scalar(stmt, index, v);
    if (rc == SQLITE_OK)
        return SMSPROV_OK;
    return smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER,
                             "Query parameter %zu (type %s) could not be bound: %s.", position,
                             cim_type_name(v->type), sqlite3_errstr(rc));
}

/* ------------------------------------------------------------------------ */
/* Reading                                                                  */
/* ------------------------------------------------------------------------ */

static bool integer_fits(cim_type type, int64_t v)
{
    if (type == CIM_TYPE_CHAR16)
        return v >= 0 && v <= 0xFFFF;
    if (type == CIM_TYPE_UINT64)
        return true; /* every int64 is the bit pattern of some uint64 */
    int64_t min = 0;
    uint64_t max = 0;
    if (!cim_type_integer_range(type, &min, &max))
        return false;
    return v >= min && (v < 0 || (uint64_t)v <= max);
}

/* The column as it is stored, as a value convertible to what prop wants:
 * used when the storage class is not the one the encoding writes (a
 * database edited by hand, or a property whose type the MOF changed). */
static smsprov_code read_converted(sqlite3_stmt *stmt, int col, const cim_class *cls,
                                   const cim_property *prop, cim_value *out, smsprov_error *err)
{
    cim_value raw;
    switch (sqlite3_column_type(stmt, col)) {
    case SQLITE_INTEGER:
        raw = cim_value_sint(CIM_TYPE_SINT64, sqlite3_column_int64(stmt, col));
        break;
    case SQLITE_FLOAT:
        raw = cim_value_real(CIM_TYPE_REAL64, sqlite3_column_double(stmt, col));
        break;
    case SQLITE_TEXT:
        raw = cim_value_string((const char *)sqlite3_column_text(stmt, col));
        break;
    default:
        return smsprov_error_set(err, SMSPROV_E_TYPE_MISMATCH,
                                 "Property %s of a stored %s instance holds binary data, which "
                                 "is not a valid %s; correct or clear the column.",
                                 prop->name, cls->name, cim_type_name(prop->type));
    }
    smsprov_error why = {0};
    smsprov_code code = cim_value_convert(&raw, prop->type, false, out, &why);
    if (code) {
        char *text = cim_value_to_text(&raw);
        code = smsprov_error_set(err, SMSPROV_E_TYPE_MISMATCH,
                                 "Property %s of a stored %s instance holds %s, which is not a "
                                 "valid %s (%s); correct or clear the column.",
                                 prop->name, cls->name, text ? text : "a value",
                                 cim_type_name(prop->type),
                                 why.description ? why.description : "no conversion");
        free(text);
    }
    smsprov_error_clear(&why);
    cim_value_clear(&raw);
    return code;
}

static smsprov_code read_json(const store *st, sqlite3_stmt *stmt, int col, const cim_class *cls,
                              const cim_property *prop, cim_value *out, smsprov_error *err)
{
    if (sqlite3_column_type(stmt, col) != SQLITE_TEXT)
        return smsprov_error_set(err, SMSPROV_E_TYPE_MISMATCH,
                                 "Property %s of a stored %s instance should hold JSON text but "
                                 "holds another kind of value; correct or clear the column.",
                                 prop->name, cls->name);
    const char *json = (const char *)sqlite3_column_text(stmt, col);
    smsprov_error why = {0};
    smsprov_code code = cim_value_from_json(json, prop->type, prop->is_array, prop->ref_class,
                                            st->schema, cls->namespace_path, out, &why);
    if (code)
        code = smsprov_error_set(err, code,
                                 "Property %s of a stored %s instance holds JSON that does not "
                                 "decode: %s",
                                 prop->name, cls->name,
                                 why.description ? why.description : "unknown reason.");
    smsprov_error_clear(&why);
    return code;
}

smsprov_code store_read_value(const store *st, sqlite3_stmt *stmt, int col, const cim_class *cls,
                              const cim_property *prop, cim_value *out, smsprov_error *err)
{
    cim_value_clear(out);
    int stored = sqlite3_column_type(stmt, col);
    if (stored == SQLITE_NULL) {
        *out = cim_value_null(prop->type, prop->is_array);
        return SMSPROV_OK;
    }
    if (prop->is_array || prop->type == CIM_TYPE_OBJECT)
        return read_json(st, stmt, col, cls, prop, out, err);

    cim_type type = prop->type;
    if (stored == SQLITE_INTEGER) {
        int64_t v = sqlite3_column_int64(stmt, col);
        if (type == CIM_TYPE_BOOLEAN) {
            *out = cim_value_bool(v != 0);
            return SMSPROV_OK;
        }
        if ((cim_type_is_integer(type) || type == CIM_TYPE_CHAR16) && integer_fits(type, v)) {
            *out = cim_type_is_signed(type) ? cim_value_sint(type, v)
                                            : cim_value_uint(type, bits_as_uint(v));
            return SMSPROV_OK;
        }
    } else if (stored == SQLITE_FLOAT && cim_type_is_real(type)) {
        *out = cim_value_real(type, sqlite3_column_double(stmt, col));
        return SMSPROV_OK;
    } else if (stored == SQLITE_BLOB && cim_type_is_real(type) &&
               sqlite3_column_bytes(stmt, col) == 8) {
        *out = cim_value_real(type, real_from_bits(sqlite3_column_blob(stmt, col)));
        return SMSPROV_OK;
    } else if (stored == SQLITE_TEXT && cim_type_is_textual(type)) {
        const char *text = (const char *)sqlite3_column_text(stmt, col);
        if (type == CIM_TYPE_STRING)
            *out = cim_value_string(text);
        else if (type == CIM_TYPE_DATETIME)
            *out = cim_value_datetime(text);
        else
            *out = cim_value_reference(text);
        return SMSPROV_OK;
    }
    return read_converted(stmt, col, cls, prop, out, err);
}
