/*
 * osd/inject_result.c - the records an injection reports: the failure
 * (Win32 code and detail) and the whole result.  Kept apart from the
 * injection itself so every platform has them.
 */
#include <stdlib.h>

#include "osd/inject.h"
#include "smsprov/cim.h"

void osd_inject_failure_set(osd_inject_failure *failure, int32_t error_code, const char *detail)
{
    if (!failure)
        return;
    free(failure->detail);
    failure->error_code = error_code;
    failure->detail = cim_xstrdup(detail);
}

void osd_inject_failure_clear(osd_inject_failure *failure)
{
    free(failure->detail);
    failure->detail = NULL;
    failure->error_code = 0;
}

void osd_inject_result_clear(osd_inject_result *result)
{
    osd_image_info_clear(&result->image);
    osd_inject_failure_clear(&result->failure);
}
