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

typedef struct printer {
    const cli_context *cx;
    size_t printed;
} printer;

static smsprov_take print_one(void *data, cim_instance *take)
{
    printer *p = data;
    if (p->cx->options.json) {
        char *text = cim_instance_to_json(take);
        printf("%s%s", p->printed ? ",\n" : "\n", text);
        free(text);
    } else {
        cli_print_instance(p->cx, take);
    }
    p->printed++;
    cim_instance_free(take);
    return SMSPROV_TAKE_NEXT;
}

smsprov_code cli_print_cursor(const cli_context *cx, smsprov_cursor *c, smsprov_error *err)
{
    printer p = {cx, 0};
    if (cx->options.json)
        fputs("[", stdout);
    bool end = false;
    smsprov_code rc = SMSPROV_OK;
    while (rc == SMSPROV_OK && !end) {
        rc = smsprov_cursor_next(c, CLI_PRINT_BATCH, print_one, &p, &end, err);
        fflush(stdout); /* a batch is on screen before the next is read */
    }
    if (cx->options.json)
        fputs(p.printed ? "\n]\n" : "]\n", stdout);
    return rc;
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
