/* platform/system_posix.c - processor count and host name. */
#include <unistd.h>

#include "platform/platform.h"
#include "smsprov/cim.h"

unsigned platform_cpu_count(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (unsigned)n : 1;
}

char *platform_host_name(void)
{
    char name[256];
    if (gethostname(name, sizeof name) != 0)
        return NULL;
    name[sizeof name - 1] = '\0';
    return cim_xstrdup(name);
}
