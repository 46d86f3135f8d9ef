/* fuzz_wsman_encrypted.c - libFuzzer target for MS-WSMV's multipart/encrypted
 * framing (src/http/multipart.c), which an authenticated client's body
 * reaches before GSSAPI sees it: whatever parses lies inside the input, and
 * what the server would write from it parses back the same. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/multipart.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *body = malloc(size ? size : 1);
    memcpy(body, data, size);
    http_encrypted_part part;
    const char *why = NULL;
    if (!http_multipart_parse(body, size, &part, &why)) {
        if (!why)
            abort(); /* a refusal always says why */
        free(body);
        return 0;
    }
    const char *end = body + size;
    if ((const char *)part.signature < body ||
        (const char *)part.data + part.original_length > end ||
        part.signature + part.signature_length != part.data)
        abort();
    cim_buf again = {0};
    http_multipart_build(&again, part.protocol, part.original_length, part.signature,
                         part.signature_length, part.data, part.original_length);
    http_encrypted_part back;
    if (!http_multipart_parse(again.data, again.len, &back, &why) ||
        back.original_length != part.original_length ||
        back.signature_length != part.signature_length || back.protocol != part.protocol ||
        memcmp(back.data, part.data, part.original_length) != 0)
        abort();
    cim_buf_clear(&again);
    free(body);
    return 0;
}
