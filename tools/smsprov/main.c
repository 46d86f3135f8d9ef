/* main.c - smsprov: the command-line client, working on a site database
 * directly through the provider API. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const struct {
    const char *name;
    cli_command_fn fn;
    const char *usage;
} commands[] = {
    {"init", cli_cmd_init, "init                          create or upgrade the site database"},
    {"classes", cli_cmd_classes, "classes                       list the classes of the namespace"},
    {"class", cli_cmd_class, "class NAME                    show a class as MOF"},
    {"enum", cli_cmd_enum, "enum CLASS [--shallow]        list instances (lazy properties null)"},
    {"get", cli_cmd_get, "get PATH                      show one instance, lazy properties filled"},
    {"create", cli_cmd_create,
     "create CLASS Prop=Value... [--count N]   create instances, print their paths"},
    {"set", cli_cmd_set, "set PATH Prop=Value... [--unset Prop]    change an instance"},
    {"delete", cli_cmd_delete, "delete PATH                   delete an instance"},
    {"query", cli_cmd_query, "query WQL                     run a WQL query"},
    {"invoke", cli_cmd_invoke, "invoke PATH|CLASS METHOD Param=Value...  call a method"},
};

static void usage(FILE *out)
{
    fprintf(out, "usage: smsprov [--db FILE] [--site CODE] [--mof DIR] [--namespace NS] "
                 "[--json] COMMAND ...\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(out, "  %s\n", commands[i].usage);
    fprintf(out, "\nValues: Prop=text for scalars; arrays and embedded objects take JSON,\n"
                 "e.g. OptionalComponents=[27,29] or "
                 "ReferencedDrivers='[{\"__CLASS\":\"SMS_Driver_Details\",\"ID\":1,"
                 "\"SourcePath\":\"\\\\\\\\lab\\\\drv\"}]'.\n"
                 "Exit codes: 0 success, 1 the provider refused (WBEM code printed), 2 usage.\n");
}

/* Global options come before the command word. */
static int parse_options(int argc, char **argv, cli_options *opt)
{
    opt->database = getenv("SMSPROV_DB") ? getenv("SMSPROV_DB") : "smsprov.db";
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        const char *arg = argv[i];
        const char **slot = NULL;
        if (strcmp(arg, "--json") == 0) {
            opt->json = true;
            continue;
        }
        if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
            usage(stdout);
            exit(CLI_OK);
        }
        if (strcmp(arg, "--db") == 0)
            slot = &opt->database;
        else if (strcmp(arg, "--site") == 0)
            slot = &opt->site_code;
        else if (strcmp(arg, "--mof") == 0)
            slot = &opt->mof_dir;
        else if (strcmp(arg, "--namespace") == 0)
            slot = &opt->namespace_path;
        if (!slot)
            return -cli_usage_error("unknown option %s (see smsprov --help)", arg);
        if (i + 1 >= argc)
            return -cli_usage_error("%s needs a value", arg);
        *slot = argv[++i];
    }
    return i;
}

int main(int argc, char **argv)
{
    cli_context cx = {0};
    int first = parse_options(argc, argv, &cx.options);
    if (first < 0)
        return -first;
    if (first >= argc) {
        usage(stderr);
        return CLI_USAGE;
    }
    cli_command_fn fn = NULL;
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(commands[i].name, argv[first]) == 0)
            fn = commands[i].fn;
    if (!fn)
        return cli_usage_error("unknown command \"%s\" (see smsprov --help)", argv[first]);

    smsprov_site_config config = {
        .database_path = cx.options.database,
        .site_code = cx.options.site_code,
        .mof_dir = cx.options.mof_dir,
    };
    smsprov_error err = {0};
    if (smsprov_site_open(&config, &cx.site, &err) != SMSPROV_OK) {
        int rc = cli_report_error(&err);
        smsprov_error_clear(&err);
        return rc;
    }
    cx.call.namespace_path = cx.options.namespace_path;
    cx.call.user = "smsprov-cli";
    int rc = fn(&cx, argc - first - 1, argv + first + 1);
    smsprov_site_close(cx.site);
    return rc;
}
