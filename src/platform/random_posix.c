/* platform/random_posix.c - random bytes from getrandom(2). */
#include <sys/random.h>

#include "platform/platform.h"

void platform_random_bytes(void *buf, size_t size)
{
    unsigned char *b = buf;
    size_t got = 0;
    while (got < size) {
        ssize_t n = getrandom(b + got, size - got, 0);
        if (n > 0)
            got += (size_t)n;
    }
}
