/* output.c - how the client prints instances and errors. */
#include <stdarg.h>
#include <stdlib.h>

#include "cli.h"

void cli_print_instance(const cli_context *cx, const cim_instance *inst)
{
    char *text = cx->options.json ? cim_instance_to_json(inst) : cim_instance_to_mof(inst);
    fputs(text, stdout);
    fputc('\n', stdout);
    free(text);
}

void cli_print_list(const cli_context *cx, const smsprov_instance_list *list)
{
    if (!cx->options.json) {
        for (size_t i = 0; i < list->count; i++)
            cli_print_instance(cx, list->items[i]);
        return;
    }
    fputs("[", stdout);
    for (size_t i = 0; i < list->count; i++) {
        char *text = cim_instance_to_json(list->items[i]);
        printf("%s%s", i ? ",\n" : "\n", text);
        free(text);
    }
    fputs(list->count ? "\n]\n" : "]\n", stdout);
}

int cli_report_error(const smsprov_error *err)
{
    fprintf(stderr, "smsprov: error 0x%08X (%s): %s\n", (unsigned)err->code,
            smsprov_code_name(err->code), err->description ? err->description : "no details");
    if (err->parameter_info)
        fprintf(stderr, "  property or parameter: %s\n", err->parameter_info);
    if (err->object_info)
        fprintf(stderr, "  object: %s\n", err->object_info);
    return CLI_PROVIDER_ERROR;
}

int cli_usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("smsprov: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return CLI_USAGE;
}
