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

/* Options that configure the site rather than the client: where boot image
 * servicing finds its inputs and puts its output. */
typedef struct site_options {
    const char *adk_root;       /* --adk */
    const char *configmgr_root; /* --configmgr */
    const char *content_root;   /* --content */
    smsprov_share *shares;      /* --share 'UNC=DIR', repeatable */
    size_t share_count;
    unsigned workers;           /* --workers */
    const char *server_name;    /* --server */
    smsprov_distribution_point *dps; /* --dp 'SERVER[=FQDN]', repeatable */
    size_t dp_count;
} site_options;

static void usage(FILE *out)
{
    fprintf(out, "usage: smsprov [--db LOCATION] [--site CODE] [--mof DIR] [--namespace NS] "
                 "[--json]\n"
                 "               [--adk DIR] [--configmgr DIR] [--content DIR] "
                 "[--share 'UNC=DIR']... [--workers N]\n"
                 "               [--server NAME] [--dp 'SERVER[=FQDN]']...\n"
                 "               COMMAND ...\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(out, "  %s\n", commands[i].usage);
    fprintf(out, "\nValues: Prop=text for scalars; arrays and embedded objects take JSON,\n"
                 "e.g. OptionalComponents=[27,29] or "
                 "ReferencedDrivers='[{\"__CLASS\":\"SMS_Driver_Details\",\"ID\":1,"
                 "\"SourcePath\":\"\\\\\\\\lab\\\\drv\"}]'.\n"
                 "Boot image servicing: --adk and --configmgr name the Windows ADK and\n"
                 "ConfigMgr install folders the OSD files come from, --content where\n"
                 "boot.<PackageID>.wim files go, --share maps a Windows path prefix to a\n"
                 "local folder (e.g. --share '\\\\lab\\sources=/srv/sources'), --workers\n"
                 "sizes the job pool (default: the number of cores).\n"
                 "--server names the site server and --dp each distribution point; given,\n"
                 "they rewrite SMS_SystemResourceList (else it stays as the server wrote it).\n"
                 "Exit codes: 0 success, 1 the provider refused (WBEM code printed), 2 usage.\n");
}

static int add_share(site_options *site, const char *spec)
{
    const char *eq = strchr(spec, '=');
    if (!eq || eq == spec || !eq[1])
        return cli_usage_error("--share takes 'UNC=DIR', e.g. '\\\\lab\\sources=/srv/sources'");
    site->shares = realloc(site->shares, (site->share_count + 1) * sizeof *site->shares);
    if (!site->shares)
        abort();
    site->shares[site->share_count].unc_prefix = strndup(spec, (size_t)(eq - spec));
    site->shares[site->share_count].local_dir = strdup(eq + 1);
    site->share_count++;
    return CLI_OK;
}

static int add_dp(site_options *site, const char *spec)
{
    const char *eq = strchr(spec, '=');
    if (eq == spec || !*spec)
        return cli_usage_error("--dp takes 'SERVER' or 'SERVER=FQDN', e.g. 'DP01=dp01.lab.example'");
    site->dps = realloc(site->dps, (site->dp_count + 1) * sizeof *site->dps);
    if (!site->dps)
        abort();
    site->dps[site->dp_count].server_name = eq ? strndup(spec, (size_t)(eq - spec)) : strdup(spec);
    site->dps[site->dp_count].remote_name = eq && eq[1] ? strdup(eq + 1) : NULL;
    site->dp_count++;
    return CLI_OK;
}

static void free_shares(site_options *site)
{
    for (size_t i = 0; i < site->dp_count; i++) {
        free((char *)site->dps[i].server_name);
        free((char *)site->dps[i].remote_name);
    }
    free(site->dps);
    for (size_t i = 0; i < site->share_count; i++) {
        free((char *)site->shares[i].unc_prefix);
        free((char *)site->shares[i].local_dir);
    }
    free(site->shares);
}

/* The servicing options; returns 1 when arg was one of them (and consumed
 * its value), 0 when not, or -exit code on a bad value. */
static int parse_site_option(const char *arg, const char *value, site_options *site)
{
    const char **slot = NULL;
    if (strcmp(arg, "--adk") == 0)
        slot = &site->adk_root;
    else if (strcmp(arg, "--configmgr") == 0)
        slot = &site->configmgr_root;
    else if (strcmp(arg, "--content") == 0)
        slot = &site->content_root;
    else if (strcmp(arg, "--server") == 0)
        slot = &site->server_name;
    else if (strcmp(arg, "--share") != 0 && strcmp(arg, "--workers") != 0 &&
             strcmp(arg, "--dp") != 0)
        return 0;
    if (!value)
        return -cli_usage_error("%s needs a value", arg);
    if (slot) {
        *slot = value;
        return 1;
    }
    if (strcmp(arg, "--share") == 0 || strcmp(arg, "--dp") == 0) {
        int rc = strcmp(arg, "--dp") == 0 ? add_dp(site, value) : add_share(site, value);
        return rc == CLI_OK ? 1 : -rc;
    }
    char *end = NULL;
    unsigned long n = strtoul(value, &end, 10);
    if (!*value || *end || n == 0 || n > 256)
        return -cli_usage_error("--workers takes a number from 1 to 256");
    site->workers = (unsigned)n;
    return 1;
}

/* Global options come before the command word. */
static int parse_options(int argc, char **argv, cli_options *opt, site_options *site)
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
        int taken = parse_site_option(arg, i + 1 < argc ? argv[i + 1] : NULL, site);
        if (taken < 0)
            return taken;
        if (taken) {
            i++;
            continue;
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
    site_options site = {0};
    int first = parse_options(argc, argv, &cx.options, &site);
    if (first < 0 || first >= argc) {
        free_shares(&site);
        if (first < 0)
            return -first;
        usage(stderr);
        return CLI_USAGE;
    }
    cli_command_fn fn = NULL;
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(commands[i].name, argv[first]) == 0)
            fn = commands[i].fn;
    if (!fn) {
        free_shares(&site);
        return cli_usage_error("unknown command \"%s\" (see smsprov --help)", argv[first]);
    }

    smsprov_site_config config = {
        .database_path = cx.options.database,
        .site_code = cx.options.site_code,
        .mof_dir = cx.options.mof_dir,
        .content_root = site.content_root,
        .shares = site.shares,
        .share_count = site.share_count,
        .worker_count = site.workers,
        .adk_root = site.adk_root,
        .configmgr_root = site.configmgr_root,
        .server_name = site.server_name,
        .distribution_points = site.dps,
        .distribution_point_count = site.dp_count,
    };
    smsprov_error err = {0};
    int rc = CLI_OK;
    if (smsprov_site_open(&config, &cx.site, &err) != SMSPROV_OK) {
        rc = cli_report_error(&err);
        smsprov_error_clear(&err);
    } else {
        cx.call.namespace_path = cx.options.namespace_path;
        cx.call.user = "smsprov-cli";
        rc = fn(&cx, argc - first - 1, argv + first + 1);
        smsprov_site_close(cx.site);
    }
    free_shares(&site);
    return rc;
}
