/* platform/hash_windows.c - SHA-256 with the system's CNG (bcrypt.dll). */
#include <windows.h>
#include <bcrypt.h>
#include <stdio.h>
#include <stdlib.h>

#include "platform/platform.h"

void platform_sha256_hex(const void *data, size_t size, char hex[65])
{
    UCHAR digest[32];
    BCRYPT_ALG_HANDLE alg = NULL;
    NTSTATUS status = BCryptOpenAlgorithmProvider(&alg, BCRYPT_SHA256_ALGORITHM, NULL, 0);
    BCRYPT_HASH_HANDLE hash = NULL;
    if (BCRYPT_SUCCESS(status))
        status = BCryptCreateHash(alg, &hash, NULL, 0, NULL, 0, 0);
    /* In pieces: BCryptHashData takes a ULONG length. */
    for (size_t done = 0; BCRYPT_SUCCESS(status) && done < size;) {
        ULONG n = size - done > 0x40000000u ? 0x40000000u : (ULONG)(size - done);
        status = BCryptHashData(hash, (PUCHAR)data + done, n, 0);
        done += n;
    }
    if (BCRYPT_SUCCESS(status))
        status = BCryptFinishHash(hash, digest, sizeof digest, 0);
    if (hash)
        BCryptDestroyHash(hash);
    if (alg)
        BCryptCloseAlgorithmProvider(alg, 0);
    if (!BCRYPT_SUCCESS(status))
        abort(); /* every Windows since Vista has SHA-256: the system is broken */
    for (size_t i = 0; i < sizeof digest; i++)
        snprintf(hex + 2 * i, 3, "%02x", digest[i]);
}
