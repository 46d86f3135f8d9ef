/* status.c - WBEM codes as DSP0200 CIM status codes. */
#include "xmlcim/xmlcim.h"

static const struct {
    smsprov_code code;
    int status;
} status_map[] = {
    {SMSPROV_E_ACCESS_DENIED, 2},
    {SMSPROV_E_INVALID_NAMESPACE, 3},
    {SMSPROV_E_INVALID_PARAMETER, 4},
    {SMSPROV_E_INVALID_METHOD_PARAMETERS, 4},
    {SMSPROV_E_VALUE_OUT_OF_RANGE, 4},
    {SMSPROV_E_ILLEGAL_NULL, 4},
    {SMSPROV_E_INVALID_OBJECT_PATH, 4},
    {SMSPROV_E_INVALID_CLASS, 5},
    {SMSPROV_E_NOT_FOUND, 6},
    {SMSPROV_E_NOT_SUPPORTED, 7},
    {SMSPROV_E_ALREADY_EXISTS, 11},
    {SMSPROV_E_TYPE_MISMATCH, 13},
    {SMSPROV_E_INVALID_QUERY_TYPE, 14},
    {SMSPROV_E_INVALID_QUERY, 15},
    {SMSPROV_E_INVALID_METHOD, 17},
};

int xmlcim_cim_status(smsprov_code code)
{
    if (code == SMSPROV_OK)
        return 0;
    for (size_t i = 0; i < sizeof status_map / sizeof status_map[0]; i++)
        if (status_map[i].code == code)
            return status_map[i].status;
    return 1;
}

const char *xmlcim_cim_status_name(int cim_status)
{
    static const char *const names[] = {
        "CIM_ERR_OK", "CIM_ERR_FAILED", "CIM_ERR_ACCESS_DENIED", "CIM_ERR_INVALID_NAMESPACE",
        "CIM_ERR_INVALID_PARAMETER", "CIM_ERR_INVALID_CLASS", "CIM_ERR_NOT_FOUND",
        "CIM_ERR_NOT_SUPPORTED", "CIM_ERR_CLASS_HAS_CHILDREN", "CIM_ERR_CLASS_HAS_INSTANCES",
        "CIM_ERR_INVALID_SUPERCLASS", "CIM_ERR_ALREADY_EXISTS", "CIM_ERR_NO_SUCH_PROPERTY",
        "CIM_ERR_TYPE_MISMATCH", "CIM_ERR_QUERY_LANGUAGE_NOT_SUPPORTED",
        "CIM_ERR_INVALID_QUERY", "CIM_ERR_METHOD_NOT_AVAILABLE", "CIM_ERR_METHOD_NOT_FOUND",
    };
    if (cim_status < 0 || cim_status >= (int)(sizeof names / sizeof names[0]))
        return "CIM_ERR_FAILED";
    return names[cim_status];
}
