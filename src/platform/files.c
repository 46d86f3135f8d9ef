/*
 * platform/files.c - the parts of platform.h's file calls that are the same
 * on POSIX and Windows.
 */
#include <stdlib.h>

#include "platform/platform.h"

void platform_list_free(char **names)
{
    for (size_t i = 0; names && names[i]; i++)
        free(names[i]);
    free(names);
}
