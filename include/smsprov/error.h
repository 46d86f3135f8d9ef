/*
 * smsprov/error.h - the one error shape every layer and every door uses.
 *
 * An error carries the WBEM status code a WMI client expects, the fields of
 * SMS_ExtendedStatus, and a sentence a person can act on.  Each door maps it
 * to its own form (WS-Man fault, CIM-XML <ERROR>, __ExtendedStatus on COM).
 */
#ifndef SMSPROV_ERROR_H
#define SMSPROV_ERROR_H

#include <stdarg.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Marks a printf-style function so the compiler checks its calls:
 * SMSPROV_PRINTF(3, 4) after the prototype says argument 3 is the format
 * and the values start at argument 4.  mingw's "printf" is the Microsoft
 * runtime's dialect, which rejects %zu; smsprov formats with the C99 one
 * (__USE_MINGW_ANSI_STDIO), which GCC calls gnu_printf. */
#if defined(__MINGW32__)
#define SMSPROV_PRINTF(format_index, first_value) \
    __attribute__((format(gnu_printf, format_index, first_value)))
#elif defined(__GNUC__)
#define SMSPROV_PRINTF(format_index, first_value) \
    __attribute__((format(printf, format_index, first_value)))
#else
#define SMSPROV_PRINTF(format_index, first_value)
#endif

/* WBEM status codes (Windows SDK WbemErrorEnum), prefixed to avoid clashing
 * with <wbemcli.h> in the Windows build. */
typedef enum smsprov_code {
    SMSPROV_OK = 0,
    SMSPROV_E_FAILED = (int32_t)0x80041001u,
    SMSPROV_E_NOT_FOUND = (int32_t)0x80041002u,
    SMSPROV_E_ACCESS_DENIED = (int32_t)0x80041003u,
    SMSPROV_E_PROVIDER_FAILURE = (int32_t)0x80041004u,
    SMSPROV_E_TYPE_MISMATCH = (int32_t)0x80041005u,
    SMSPROV_E_OUT_OF_MEMORY = (int32_t)0x80041006u,
    SMSPROV_E_INVALID_PARAMETER = (int32_t)0x80041008u,
    SMSPROV_E_NOT_AVAILABLE = (int32_t)0x80041009u,
    SMSPROV_E_CRITICAL_ERROR = (int32_t)0x8004100Au,
    SMSPROV_E_NOT_SUPPORTED = (int32_t)0x8004100Cu,
    SMSPROV_E_INVALID_NAMESPACE = (int32_t)0x8004100Eu,
    SMSPROV_E_INVALID_OBJECT = (int32_t)0x8004100Fu,
    SMSPROV_E_INVALID_CLASS = (int32_t)0x80041010u,
    SMSPROV_E_INVALID_OPERATION = (int32_t)0x80041016u,
    SMSPROV_E_INVALID_QUERY = (int32_t)0x80041017u,
    SMSPROV_E_INVALID_QUERY_TYPE = (int32_t)0x80041018u,
    SMSPROV_E_ALREADY_EXISTS = (int32_t)0x80041019u,
    SMSPROV_E_INVALID_METHOD = (int32_t)0x8004102Eu,
    SMSPROV_E_INVALID_METHOD_PARAMETERS = (int32_t)0x8004102Fu,
    SMSPROV_E_INVALID_SYNTAX = (int32_t)0x80041021u,
    SMSPROV_E_READ_ONLY = (int32_t)0x80041023u,
    SMSPROV_E_ILLEGAL_NULL = (int32_t)0x80041028u,
    SMSPROV_E_VALUE_OUT_OF_RANGE = (int32_t)0x8004102Bu,
    SMSPROV_E_INVALID_OBJECT_PATH = (int32_t)0x8004103Au,
    /* The caller stopped waiting (its client cancelled or went away); work
     * it started as a job runs on. */
    SMSPROV_E_CALL_CANCELLED = (int32_t)0x80041032u,
} smsprov_code;

/* An error.  Zero-initialise it; smsprov_error_clear() frees the strings.
 * Every string is UTF-8 and owned by the struct (NULL when absent). */
typedef struct smsprov_error {
    smsprov_code code;     /* WBEM status; SMSPROV_OK when no error */
    char *description;     /* sentence a person can act on */
    char *operation;       /* e.g. "PutInstance", "ExecMethod" */
    char *parameter_info;  /* property or parameter involved */
    char *object_info;     /* object path or class involved */
    uint32_t status_code;  /* SMS_ExtendedStatus.StatusCode (0 = same as code) */
    uint32_t error_code;   /* SMS_ExtendedStatus.ErrorCode (SMS composite code) */
    char *file;            /* source module that raised it */
    uint32_t line;
} smsprov_error;

/* Records an error (replacing any earlier one in *err) and returns code,
 * so callers can write `return smsprov_error_set(err, CODE, "...", ...)`.
 * err may be NULL, in which case only the code is returned. */
smsprov_code smsprov_error_set(smsprov_error *err, smsprov_code code, const char *fmt, ...)
    SMSPROV_PRINTF(3, 4)
    ;
smsprov_code smsprov_error_setv(smsprov_error *err, smsprov_code code, const char *fmt, va_list ap);

/* Sets the optional detail fields; each copies its argument (NULL clears). */
void smsprov_error_set_parameter(smsprov_error *err, const char *parameter_info);
void smsprov_error_set_object(smsprov_error *err, const char *object_info);
void smsprov_error_set_operation(smsprov_error *err, const char *operation);

/* Moves src into dst (dst is cleared first, src is left zeroed). */
void smsprov_error_move(smsprov_error *dst, smsprov_error *src);

void smsprov_error_clear(smsprov_error *err);

/* "WBEM_E_NOT_FOUND" for SMSPROV_E_NOT_FOUND; "WBEM_E_FAILED" for unknown codes. */
const char *smsprov_code_name(smsprov_code code);

#ifdef __cplusplus
}
#endif

#endif
