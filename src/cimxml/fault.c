/* fault.c - what to answer when a request cannot be served. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "cimxml/request.h"

static char *vformat(const char *fmt, va_list ap)
{
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    char *text = cim_xmalloc((size_t)(n < 0 ? 0 : n) + 1);
    vsnprintf(text, (size_t)(n < 0 ? 0 : n) + 1, fmt, ap);
    return text;
}

void cimxml_fault_set(cimxml_fault *f, unsigned http_status, const char *cim_error, const char *fmt,
                      ...)
{
    cimxml_fault_clear(f);
    f->http_status = http_status;
    f->cim_error = cim_error;
    va_list ap;
    va_start(ap, fmt);
    f->description = vformat(fmt, ap);
    va_end(ap);
}

void cimxml_fault_set_cim(cimxml_fault *f, int cim_status, const char *fmt, ...)
{
    cimxml_fault_clear(f);
    f->cim_status = cim_status;
    va_list ap;
    va_start(ap, fmt);
    f->description = vformat(fmt, ap);
    va_end(ap);
}

void cimxml_fault_clear(cimxml_fault *f)
{
    free(f->description);
    smsprov_error_clear(&f->error);
    *f = (cimxml_fault){0};
}
