/* type.c - CIM type names and classification. */
#include <stdint.h>

#include "smsprov/cim.h"

static const struct {
    cim_type type;
    const char *name;
} type_names[] = {
    {CIM_TYPE_SINT8, "sint8"},       {CIM_TYPE_UINT8, "uint8"},   {CIM_TYPE_SINT16, "sint16"},
    {CIM_TYPE_UINT16, "uint16"},     {CIM_TYPE_SINT32, "sint32"}, {CIM_TYPE_UINT32, "uint32"},
    {CIM_TYPE_SINT64, "sint64"},     {CIM_TYPE_UINT64, "uint64"}, {CIM_TYPE_REAL32, "real32"},
    {CIM_TYPE_REAL64, "real64"},     {CIM_TYPE_STRING, "string"}, {CIM_TYPE_BOOLEAN, "boolean"},
    {CIM_TYPE_DATETIME, "datetime"}, {CIM_TYPE_REFERENCE, "ref"}, {CIM_TYPE_CHAR16, "char16"},
    {CIM_TYPE_OBJECT, "object"},
};

#define TYPE_NAME_COUNT (sizeof type_names / sizeof type_names[0])

const char *cim_type_name(cim_type type)
{
    for (size_t i = 0; i < TYPE_NAME_COUNT; i++)
        if (type_names[i].type == type)
            return type_names[i].name;
    return "invalid";
}

bool cim_type_from_name(const char *name, cim_type *out)
{
    if (!name)
        return false;
    for (size_t i = 0; i < TYPE_NAME_COUNT; i++) {
        if (cim_strcasecmp(type_names[i].name, name) == 0) {
            *out = type_names[i].type;
            return true;
        }
    }
    return false;
}

bool cim_type_is_signed(cim_type type)
{
    return type == CIM_TYPE_SINT8 || type == CIM_TYPE_SINT16 || type == CIM_TYPE_SINT32 ||
           type == CIM_TYPE_SINT64;
}

bool cim_type_is_unsigned(cim_type type)
{
    return type == CIM_TYPE_UINT8 || type == CIM_TYPE_UINT16 || type == CIM_TYPE_UINT32 ||
           type == CIM_TYPE_UINT64;
}

bool cim_type_is_integer(cim_type type)
{
    return cim_type_is_signed(type) || cim_type_is_unsigned(type);
}

bool cim_type_is_real(cim_type type)
{
    return type == CIM_TYPE_REAL32 || type == CIM_TYPE_REAL64;
}

bool cim_type_is_textual(cim_type type)
{
    return type == CIM_TYPE_STRING || type == CIM_TYPE_DATETIME || type == CIM_TYPE_REFERENCE;
}

static const struct {
    cim_type type;
    int64_t min;
    uint64_t max;
} integer_ranges[] = {
    {CIM_TYPE_SINT8, INT8_MIN, INT8_MAX},    {CIM_TYPE_UINT8, 0, UINT8_MAX},
    {CIM_TYPE_SINT16, INT16_MIN, INT16_MAX}, {CIM_TYPE_UINT16, 0, UINT16_MAX},
    {CIM_TYPE_SINT32, INT32_MIN, INT32_MAX}, {CIM_TYPE_UINT32, 0, UINT32_MAX},
    {CIM_TYPE_SINT64, INT64_MIN, INT64_MAX}, {CIM_TYPE_UINT64, 0, UINT64_MAX},
};

bool cim_type_integer_range(cim_type type, int64_t *min, uint64_t *max)
{
    for (size_t i = 0; i < sizeof integer_ranges / sizeof integer_ranges[0]; i++) {
        if (integer_ranges[i].type != type)
            continue;
        if (min)
            *min = integer_ranges[i].min;
        if (max)
            *max = integer_ranges[i].max;
        return true;
    }
    return false;
}
