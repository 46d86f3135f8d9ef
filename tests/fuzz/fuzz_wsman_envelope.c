/* fuzz_wsman_envelope.c - libFuzzer target for the WS-Management request
 * parser: the hardened envelope parse, the resource URI, and the body read
 * as an instance of the class it names (values, datetimes, embedded
 * instances, EPRs), then written back and, on failure, the fault envelope. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "mof/mof.h"
#include "wsman/envelope.h"
#include "wsman/resource.h"
#include "wsman/values.h"
#include "wsman/xml_util.h"

#define NS "root\\sms\\site_LAB"

static cim_schema *schema;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    wsman_xml_init();
    schema = cim_schema_new();
    smsprov_error err = {0};
    if (mof_compile_schema(schema, SMSPROV_SOURCE_MOF_DIR, NS, &err) != SMSPROV_OK) {
        fprintf(stderr, "fuzz_wsman_envelope: %s\n", err.description);
        abort();
    }
    return 0;
}

static void read_body(const wsman_envelope *env, wsman_fault *fault)
{
    const cim_class *cls = env->payload
                               ? cim_schema_find_class(schema, NS, wx_local(env->payload))
                               : NULL;
    free(wsman_read_epr_path(env->payload));
    if (!cls)
        return;
    cim_instance *inst = cim_instance_new(cls);
    wsman_read_context ctx = {.schema = schema, .namespace_path = NS, .fault = fault};
    if (wsman_read_properties(&ctx, env->payload, inst, NULL)) {
        cim_buf b = {0};
        wsman_write_options o = {.uri_prefix = "http://x/", .namespace_path = NS,
                                 .winrm_client = true, .precise_arrays = true};
        wsman_write_instance(&b, inst, &o);
        cim_buf_clear(&b);
    }
    cim_instance_free(inst);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    wsman_envelope env;
    wsman_fault fault = {0};
    if (wsman_envelope_parse((const char *)data, size, &env, &fault)) {
        wsman_resource res;
        if (wsman_resource_parse(env.resource_uri, &res, &fault))
            wsman_resource_clear(&res);
        read_body(&env, &fault);
    }
    if (fault.kind) {
        wsman_fault_context ctx = {.relates_to = env.message_id, .lang = env.lang,
                                   .machine = "fuzz", .schema = schema, .site_namespace = NS};
        free(wsman_fault_envelope(&fault, &ctx));
    }
    wsman_fault_clear(&fault);
    wsman_envelope_clear(&env);
    return 0;
}
