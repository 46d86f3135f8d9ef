/* fuzz_cimxml_request.c - libFuzzer target for the CIM-XML (DSP0201)
 * request parser: the hardened XML read, the envelope, every argument
 * shape and the object paths inside them.  Every refusal must carry a
 * sentence; a request that parses is looked up by each argument's name. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "cimxml/request.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cimxml_request req;
    cimxml_fault fault = {0};
    if (cimxml_request_parse((const char *)data, size, &req, &fault)) {
        for (size_t i = 0; i < req.arg_count; i++)
            if (!cimxml_request_arg(&req, req.args[i].name))
                abort(); /* an argument it parsed must be found by name */
        if (req.target.class_name)
            free(cim_object_path_format(&req.target, true));
        if (fault.description)
            abort(); /* success leaves no fault behind */
    } else if (!fault.description) {
        fprintf(stderr, "fuzz_cimxml_request: a refusal without a sentence\n");
        abort();
    }
    cimxml_request_clear(&req);
    cimxml_fault_clear(&fault);
    return 0;
}
