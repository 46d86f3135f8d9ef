/* fuzz_cim_path.c - libFuzzer target for object paths.
 *
 * Every input is parsed; a path that parses is formatted, and the
 * formatted text must parse again to the same path (a difference aborts,
 * so the fuzzer reports it as a crash).  Lookups by key name run too. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "smsprov/cim.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_round_trip(const cim_object_path *path, const char *input)
{
    char *text = cim_object_path_format(path, true);
    cim_object_path again = {0};
    smsprov_error err = {0};
    if (cim_object_path_parse(text, &again, &err) != SMSPROV_OK) {
        fprintf(stderr, "fuzz_cim_path: %s formats as %s, which does not parse: %s\n", input,
                text, err.description);
        abort();
    }
    char *text2 = cim_object_path_format(&again, true);
    if (strcmp(text, text2) != 0) {
        fprintf(stderr, "fuzz_cim_path: %s formats as %s, then as %s\n", input, text, text2);
        abort();
    }
    free(text2);
    cim_object_path_clear(&again);
    free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    memcpy(text, data, size);
    text[size] = '\0';
    cim_object_path path = {0};
    smsprov_error err = {0};
    if (cim_object_path_parse(text, &path, &err) == SMSPROV_OK) {
        for (size_t i = 0; i < path.key_count; i++)
            if (path.keys[i].name && !cim_object_path_find_key(&path, path.keys[i].name))
                abort();
        free(cim_object_path_format(&path, false));
        if (strlen(text) == size) /* a NUL inside ends the text; the rest is not the path */
            check_round_trip(&path, text);
        cim_object_path_clear(&path);
    } else if (!err.description || err.code != SMSPROV_E_INVALID_OBJECT_PATH) {
        fprintf(stderr, "fuzz_cim_path: a parse failure without a sentence\n");
        abort();
    }
    smsprov_error_clear(&err);
    free(text);
    return 0;
}
