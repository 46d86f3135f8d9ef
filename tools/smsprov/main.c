/* main.c - smsprov: the command-line client, working on a site database
 * directly through the provider API. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "config/config.h"

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
    {"status", cli_cmd_status,
     "status CONTEXTID [--follow]   show a job's status queue; --follow waits for its end"},
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
    const char *config_file;    /* --config, $SMSPROV_CONFIG: smsprovd's INI */
    bool database_given;        /* --db or $SMSPROV_DB */
    const char *server_name;    /* --server */
    smsprov_distribution_point *dps; /* --dp 'SERVER[=FQDN]', repeatable */
    size_t dp_count;
} site_options;

static void usage(FILE *out)
{
    fprintf(out, "usage: smsprov [--db LOCATION] [--site CODE] [--mof DIR] [--namespace NS] "
                 "[--user NAME] [--json]\n"
                 "               [--adk DIR] [--configmgr DIR] [--content DIR] "
                 "[--share 'UNC=DIR']... [--workers N]\n"
                 "               [--config FILE] [--quiet] [--log FILE]\n"
                 "               [--server NAME] [--dp 'SERVER[=FQDN]']...\n"
                 "               COMMAND ...\n"
                 "       smsprov --help | --version\n\ncommands:\n");
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
                 "--user NAME acts as that administrative user (SMS_Admin.LogonName), seeing\n"
                 "and doing only what its roles and scopes allow; without it the command acts\n"
                 "as the site itself, with every right (it opens the database file directly).\n"
                 "--config FILE (or $SMSPROV_CONFIG) reads the site from smsprovd's INI file\n"
                 "([site], [shares], [log]); options given on the command line win.\n"
                 "Progress: a command that waits for a job (an import, refresh, export or\n"
                 "optional component update) and status --follow show its ProgressText and\n"
                 "percentage on stderr (data stays on stdout): a bar redrawn in place on a\n"
                 "terminal, else one line per new ProgressText or 10%% step; --quiet (-q)\n"
                 "shows none.\n"
                 "Log: each job's start, end and failure goes to the CMTrace-format file\n"
                 "--log FILE (or $SMSPROV_LOG), else the [log] file of --config, else\n"
                 "SMSProv.log beside the database.\n"
                 "status reads the queue in the database, so it follows jobs of any process.\n"
                 "--server names the site server and --dp each distribution point; given,\n"
                 "they rewrite SMS_SystemResourceList (else it stays as the server wrote it).\n"
                 "Exit codes: 0 success, 1 the provider refused (WBEM code printed), 2 usage,\n"
                 "3 status: the job failed (ErrorCode printed), 4 status --follow: no such job.\n");
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
    else if (strcmp(arg, "--config") == 0)
        slot = &site->config_file;
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

/* The site to open: smsprovd's INI (--config) when given, with each
 * option given on the command line taking precedence over its key. */
static smsprov_code site_config(const site_options *site, cli_options *opt, smsprov_config *ini,
                                smsprov_site_config *out, smsprov_error *err)
{
    memset(out, 0, sizeof *out);
    if (site->config_file) {
        smsprov_code rc = smsprov_config_load(ini, site->config_file, err);
        if (rc != SMSPROV_OK)
            return rc;
        smsprov_config_site(ini, out);
    }
    if (site->database_given || !out->database_path)
        out->database_path = opt->database;
    opt->database = out->database_path;
    if (opt->site_code)
        out->site_code = opt->site_code;
    if (opt->mof_dir)
        out->mof_dir = opt->mof_dir;
    if (site->content_root)
        out->content_root = site->content_root;
    if (site->adk_root)
        out->adk_root = site->adk_root;
    if (site->configmgr_root)
        out->configmgr_root = site->configmgr_root;
    if (site->share_count) {
        out->shares = site->shares;
        out->share_count = site->share_count;
    }
    if (site->workers)
        out->worker_count = site->workers;
    if (site->server_name)
        out->server_name = site->server_name;
    if (site->dp_count) {
        out->distribution_points = site->dps;
        out->distribution_point_count = site->dp_count;
    }
    return SMSPROV_OK;
}

/* Global options come before the command word. */
static int parse_options(int argc, char **argv, cli_options *opt, site_options *site)
{
    opt->database = getenv("SMSPROV_DB") ? getenv("SMSPROV_DB") : "smsprov.db";
    site->database_given = getenv("SMSPROV_DB") != NULL;
    site->config_file = getenv("SMSPROV_CONFIG") && *getenv("SMSPROV_CONFIG")
                            ? getenv("SMSPROV_CONFIG")
                            : NULL;
    opt->log_file = getenv("SMSPROV_LOG") && *getenv("SMSPROV_LOG") ? getenv("SMSPROV_LOG") : NULL;
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        const char *arg = argv[i];
        const char **slot = NULL;
        if (strcmp(arg, "--json") == 0) {
            opt->json = true;
            continue;
        }
        if (strcmp(arg, "--quiet") == 0 || strcmp(arg, "-q") == 0) {
            opt->quiet = true;
            continue;
        }
        if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
            usage(stdout);
            exit(CLI_OK);
        }
        if (strcmp(arg, "--version") == 0) {
            puts("smsprov " SMSPROV_VERSION);
            exit(CLI_OK);
        }
        int taken = parse_site_option(arg, i + 1 < argc ? argv[i + 1] : NULL, site);
        if (taken < 0)
            return taken;
        if (taken) {
            i++;
            continue;
        }
        if (strcmp(arg, "--db") == 0) {
            slot = &opt->database;
            site->database_given = true;
        }
        else if (strcmp(arg, "--site") == 0)
            slot = &opt->site_code;
        else if (strcmp(arg, "--mof") == 0)
            slot = &opt->mof_dir;
        else if (strcmp(arg, "--namespace") == 0)
            slot = &opt->namespace_path;
        else if (strcmp(arg, "--log") == 0)
            slot = &opt->log_file;
        else if (strcmp(arg, "--user") == 0)
            slot = &opt->user;
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

    smsprov_config ini;
    smsprov_config_init(&ini);
    smsprov_site_config config;
    smsprov_error err = {0};
    int rc = CLI_OK;
    cli_log *log = NULL;
    smsprov_code status = site_config(&site, &cx.options, &ini, &config, &err);
    if (status == SMSPROV_OK)
        status = cli_log_open(cx.options.log_file, site.config_file ? ini.log_file : NULL,
                              ini.log_max_bytes, cx.options.database, &log, &err);
    if (status != SMSPROV_OK) {
        rc = cli_report_error(&err);
        smsprov_error_clear(&err);
        smsprov_config_clear(&ini);
        free_shares(&site);
        return rc;
    }
    config.log = cli_log_report;
    config.log_data = log;
    cli_progress_init(&cx.progress, cli_progress_choose(stderr, cx.options.quiet), stderr);
    if (smsprov_site_open(&config, &cx.site, &err) != SMSPROV_OK) {
        rc = cli_report_error(&err);
        smsprov_error_clear(&err);
    } else {
        cx.call.namespace_path = cx.options.namespace_path;
        /* Whoever can open the database file holds every right over it, so
         * without --user the CLI acts as the site itself. */
        cx.call.user = cx.options.user;
        cx.call.progress = cli_progress_update;
        cx.call.progress_data = &cx.progress;
        rc = fn(&cx, argc - first - 1, argv + first + 1);
        smsprov_site_close(cx.site); /* runs a job still queued to its end: reported */
    }
    cli_progress_clear(&cx.progress);
    cli_log_close(log);
    smsprov_config_clear(&ini);
    free_shares(&site);
    return rc;
}
