/* fuzz_cim_json.c - libFuzzer target for JSON values (the store's encoding
 * of arrays and embedded objects).
 *
 * The first byte picks the CIM type the rest is decoded as (scalar or
 * array, embedded objects of a small schema included).  A value that
 * decodes is encoded again, and that JSON must decode to an equal value
 * (a difference aborts, so the fuzzer reports it as a crash). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mof/mof.h"
#include "smsprov/cim.h"

#define FUZZ_NS "root\\fuzz"

static const char fuzz_mof[] =
    "[Embedded] class F_Token { uint32 Day; string Name; };\n"
    "[Embedded] class F_Daily : F_Token { uint32 Span; datetime When; F_Token Next;\n"
    "  string Tags[]; real64 Ratio; boolean On; sint64 Big; char16 Letter; };\n";

static const cim_type types[] = {
    CIM_TYPE_SINT8,  CIM_TYPE_UINT8,    CIM_TYPE_SINT16,    CIM_TYPE_UINT16, CIM_TYPE_SINT32,
    CIM_TYPE_UINT32, CIM_TYPE_SINT64,   CIM_TYPE_UINT64,    CIM_TYPE_REAL32, CIM_TYPE_REAL64,
    CIM_TYPE_STRING, CIM_TYPE_BOOLEAN,  CIM_TYPE_DATETIME,  CIM_TYPE_CHAR16, CIM_TYPE_REFERENCE,
    CIM_TYPE_OBJECT,
};
#define TYPE_COUNT (sizeof types / sizeof types[0])

static cim_schema *schema;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    smsprov_error err = {0};
    schema = cim_schema_new();
    if (mof_compile_string(schema, fuzz_mof, "fuzz.mof", FUZZ_NS, &err)) {
        fprintf(stderr, "fuzz_cim_json: %s\n", err.description);
        abort();
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    cim_type type = types[data[0] % TYPE_COUNT];
    bool is_array = data[0] & 0x80;
    const char *ref_class = type == CIM_TYPE_OBJECT ? "F_Token" : NULL;
    char *text = malloc(size);
    memcpy(text, data + 1, size - 1);
    text[size - 1] = '\0';
    cim_value value = {0};
    smsprov_error err = {0};
    if (cim_value_from_json(text, type, is_array, ref_class, schema, FUZZ_NS, &value, &err) ==
        SMSPROV_OK) {
        char *json = cim_value_to_json(&value);
        cim_value again = {0};
        if (cim_value_from_json(json, type, is_array, ref_class, schema, FUZZ_NS, &again, &err) !=
            SMSPROV_OK) {
            fprintf(stderr, "fuzz_cim_json: %s encodes as %s, which does not decode: %s\n", text,
                    json, err.description);
            abort();
        }
        if (!cim_value_equal(&value, &again)) {
            fprintf(stderr, "fuzz_cim_json: %s encodes as %s, which decodes differently\n", text,
                    json);
            abort();
        }
        cim_value_clear(&again);
        free(json);
        cim_value_clear(&value);
    } else if (!err.description) {
        fprintf(stderr, "fuzz_cim_json: a decode failure without a sentence\n");
        abort();
    }
    smsprov_error_clear(&err);
    free(text);
    return 0;
}
