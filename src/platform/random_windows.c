/* platform/random_windows.c - random bytes from the system RNG (CNG). */
#include <windows.h>
#include <bcrypt.h>
#include <stdio.h>
#include <stdlib.h>

#include "platform/platform.h"

void platform_random_bytes(void *buf, size_t size)
{
    unsigned char *b = buf;
    while (size > 0) {
        ULONG chunk = size > 0x10000000u ? 0x10000000u : (ULONG)size;
        NTSTATUS status = BCryptGenRandom(NULL, b, chunk, BCRYPT_USE_SYSTEM_PREFERRED_RNG);
        if (!BCRYPT_SUCCESS(status)) {
            /* Like running out of memory: nothing sensible can go on. */
            fprintf(stderr, "smsprov: the system random number generator failed "
                            "(NTSTATUS 0x%08lX).\n", (unsigned long)status);
            abort();
        }
        b += chunk;
        size -= chunk;
    }
}
