/* error.c - the one error shape (see smsprov/error.h). */
#include "smsprov/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "smsprov/cim.h"

smsprov_code smsprov_error_setv(smsprov_error *err, smsprov_code code, const char *fmt, va_list ap)
{
    if (!err)
        return code;
    smsprov_error_clear(err);
    err->code = code;
    cim_buf b = {0};
    char small[512];
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(small, sizeof small, fmt, copy);
    va_end(copy);
    if (n >= 0 && (size_t)n < sizeof small) {
        err->description = cim_xstrdup(small);
    } else if (n >= 0) {
        b.data = cim_xmalloc((size_t)n + 1);
        vsnprintf(b.data, (size_t)n + 1, fmt, ap);
        err->description = b.data;
    }
    return code;
}

smsprov_code smsprov_error_set(smsprov_error *err, smsprov_code code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    smsprov_code c = smsprov_error_setv(err, code, fmt, ap);
    va_end(ap);
    return c;
}

static void replace_string(char **slot, const char *value)
{
    free(*slot);
    *slot = cim_xstrdup(value);
}

void smsprov_error_set_parameter(smsprov_error *err, const char *parameter_info)
{
    if (err)
        replace_string(&err->parameter_info, parameter_info);
}

void smsprov_error_set_object(smsprov_error *err, const char *object_info)
{
    if (err)
        replace_string(&err->object_info, object_info);
}

void smsprov_error_set_operation(smsprov_error *err, const char *operation)
{
    if (err)
        replace_string(&err->operation, operation);
}

void smsprov_error_move(smsprov_error *dst, smsprov_error *src)
{
    if (!dst || !src || dst == src)
        return;
    smsprov_error_clear(dst);
    *dst = *src;
    memset(src, 0, sizeof *src);
}

void smsprov_error_clear(smsprov_error *err)
{
    if (!err)
        return;
    free(err->description);
    free(err->operation);
    free(err->parameter_info);
    free(err->object_info);
    free(err->file);
    memset(err, 0, sizeof *err);
}

const char *smsprov_code_name(smsprov_code code)
{
    static const struct {
        smsprov_code code;
        const char *name;
    } names[] = {
        {SMSPROV_OK, "WBEM_S_NO_ERROR"},
        {SMSPROV_E_FAILED, "WBEM_E_FAILED"},
        {SMSPROV_E_NOT_FOUND, "WBEM_E_NOT_FOUND"},
        {SMSPROV_E_ACCESS_DENIED, "WBEM_E_ACCESS_DENIED"},
        {SMSPROV_E_PROVIDER_FAILURE, "WBEM_E_PROVIDER_FAILURE"},
        {SMSPROV_E_TYPE_MISMATCH, "WBEM_E_TYPE_MISMATCH"},
        {SMSPROV_E_OUT_OF_MEMORY, "WBEM_E_OUT_OF_MEMORY"},
        {SMSPROV_E_INVALID_PARAMETER, "WBEM_E_INVALID_PARAMETER"},
        {SMSPROV_E_NOT_AVAILABLE, "WBEM_E_NOT_AVAILABLE"},
        {SMSPROV_E_CRITICAL_ERROR, "WBEM_E_CRITICAL_ERROR"},
        {SMSPROV_E_NOT_SUPPORTED, "WBEM_E_NOT_SUPPORTED"},
        {SMSPROV_E_INVALID_NAMESPACE, "WBEM_E_INVALID_NAMESPACE"},
        {SMSPROV_E_INVALID_OBJECT, "WBEM_E_INVALID_OBJECT"},
        {SMSPROV_E_INVALID_CLASS, "WBEM_E_INVALID_CLASS"},
        {SMSPROV_E_INVALID_OPERATION, "WBEM_E_INVALID_OPERATION"},
        {SMSPROV_E_INVALID_QUERY, "WBEM_E_INVALID_QUERY"},
        {SMSPROV_E_INVALID_QUERY_TYPE, "WBEM_E_INVALID_QUERY_TYPE"},
        {SMSPROV_E_ALREADY_EXISTS, "WBEM_E_ALREADY_EXISTS"},
        {SMSPROV_E_INVALID_SYNTAX, "WBEM_E_INVALID_SYNTAX"},
        {SMSPROV_E_READ_ONLY, "WBEM_E_READ_ONLY"},
        {SMSPROV_E_ILLEGAL_NULL, "WBEM_E_ILLEGAL_NULL"},
        {SMSPROV_E_VALUE_OUT_OF_RANGE, "WBEM_E_VALUE_OUT_OF_RANGE"},
        {SMSPROV_E_INVALID_METHOD, "WBEM_E_INVALID_METHOD"},
        {SMSPROV_E_INVALID_METHOD_PARAMETERS, "WBEM_E_INVALID_METHOD_PARAMETERS"},
        {SMSPROV_E_INVALID_OBJECT_PATH, "WBEM_E_INVALID_OBJECT_PATH"},
        {SMSPROV_E_CALL_CANCELLED, "WBEM_E_CALL_CANCELLED"},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (names[i].code == code)
            return names[i].name;
    return "WBEM_E_FAILED";
}
