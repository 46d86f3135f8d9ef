/* compare.c - how WQL compares values.
 *
 * Text compares case-insensitively by folding ASCII A-Z to a-z and then
 * comparing bytes, the shorter string first on a tie: exactly SQLite's
 * NOCASE collation, which is what lets the pushed-down SQL agree with the
 * in-memory path.  Numbers compare by value, whatever their CIM types (an
 * integer and a real exactly, without rounding).  DATETIMEs compare
 * chronologically with cim_datetime_compare; two that cannot be ordered make
 * the comparison unknown. */
#include <math.h>
#include <string.h>

#include "wql/wql_internal.h"

static int sign(int64_t d)
{
    return d < 0 ? -1 : d > 0;
}

/* ---- numbers ----------------------------------------------------------- */

/* An integer of any CIM integer type, as sign and magnitude. */
typedef struct wide_int {
    bool negative;
    uint64_t magnitude;
} wide_int;

static bool is_integer_value(const cim_value *v)
{
    return cim_type_is_integer(v->type) || v->type == CIM_TYPE_CHAR16;
}

static wide_int to_wide(const cim_value *v)
{
    if (cim_type_is_signed(v->type) && v->u.sint < 0)
        return (wide_int){true, 0 - (uint64_t)v->u.sint};
    return (wide_int){false, cim_type_is_signed(v->type) ? (uint64_t)v->u.sint : v->u.uint};
}

static int compare_wide(wide_int a, wide_int b)
{
    if (a.negative != b.negative)
        return a.negative ? -1 : 1;
    int by_magnitude = a.magnitude < b.magnitude ? -1 : a.magnitude > b.magnitude;
    return a.negative ? -by_magnitude : by_magnitude;
}

/* A magnitude against a non-negative, non-NaN real, exactly. */
static int compare_magnitude_real(uint64_t m, double r)
{
    if (r >= 18446744073709551616.0)
        return -1;
    double whole = floor(r);
    uint64_t t = (uint64_t)whole;
    if (m != t)
        return m < t ? -1 : 1;
    return r > whole ? -1 : 0;
}

static int compare_wide_real(wide_int a, double r)
{
    if (!a.negative || a.magnitude == 0) {
        if (r < 0)
            return 1;
        return compare_magnitude_real(a.magnitude, r);
    }
    if (r >= 0)
        return -1;
    return -compare_magnitude_real(a.magnitude, -r);
}

static int compare_real(double a, double b)
{
    return a < b ? -1 : a > b;
}

/* Two numbers of any numeric types; false in *comparable for NaN. */
static int compare_numbers(const cim_value *a, const cim_value *b, bool *comparable)
{
    bool a_int = is_integer_value(a), b_int = is_integer_value(b);
    if (a_int && b_int)
        return compare_wide(to_wide(a), to_wide(b));
    if ((!a_int && isnan(a->u.real)) || (!b_int && isnan(b->u.real))) {
        *comparable = false;
        return 0;
    }
    if (a_int)
        return compare_wide_real(to_wide(a), b->u.real);
    if (b_int)
        return -compare_wide_real(to_wide(b), a->u.real);
    return compare_real(a->u.real, b->u.real);
}

static bool is_numeric(const cim_value *v)
{
    return is_integer_value(v) || cim_type_is_real(v->type);
}

/* ---- datetimes --------------------------------------------------------- */

/* ---- entry points ------------------------------------------------------ */

int wql_value_compare(const cim_value *a, const cim_value *b, bool *comparable)
{
    *comparable = true;
    if (is_numeric(a) && is_numeric(b))
        return sign(compare_numbers(a, b, comparable));
    if (a->type == CIM_TYPE_BOOLEAN && b->type == CIM_TYPE_BOOLEAN)
        return (int)a->u.boolean - (int)b->u.boolean;
    if (a->type == CIM_TYPE_DATETIME && b->type == CIM_TYPE_DATETIME)
        return sign(cim_datetime_text_compare(a->u.string, b->u.string, comparable));
    if (cim_type_is_textual(a->type) && cim_type_is_textual(b->type))
        return sign(cim_nocase_compare(a->u.string, b->u.string));
    *comparable = false;
    return 0;
}

int wql_value_order(const cim_value *a, const cim_value *b)
{
    if (a->is_null || b->is_null)
        return a->is_null && b->is_null ? 0 : a->is_null ? -1 : 1;
    if (a->type == CIM_TYPE_DATETIME && b->type == CIM_TYPE_DATETIME)
        return cim_datetime_text_order(a->u.string, b->u.string);
    if (is_numeric(a) && is_numeric(b)) {
        /* NaN sorts first among numbers, equal to itself. */
        bool a_nan = cim_type_is_real(a->type) && isnan(a->u.real);
        bool b_nan = cim_type_is_real(b->type) && isnan(b->u.real);
        if (a_nan || b_nan)
            return (int)b_nan - (int)a_nan;
    }
    bool comparable;
    int c = wql_value_compare(a, b, &comparable);
    return comparable ? c : 0;
}
