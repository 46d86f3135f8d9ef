/* platform/hash_posix.c - SHA-256 with nettle (Debian's, as the NTLM
 * door uses). */
#include <nettle/sha2.h>
#include <stdio.h>

#include "platform/platform.h"

void platform_sha256_hex(const void *data, size_t size, char hex[65])
{
    struct sha256_ctx ctx;
    uint8_t digest[SHA256_DIGEST_SIZE];
    sha256_init(&ctx);
    sha256_update(&ctx, size, data);
    sha256_digest(&ctx, sizeof digest, digest);
    for (size_t i = 0; i < sizeof digest; i++)
        snprintf(hex + 2 * i, 3, "%02x", digest[i]);
}
