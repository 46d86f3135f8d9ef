/*
 * smsprovd - the SMS Provider server: one site, served over WS-Management
 * (HTTP on 5985 and HTTPS on 5986 by default) to PowerShell's CIM cmdlets
 * and any WS-Man client.
 *
 *   smsprovd [--config FILE] [--set SECTION.KEY=VALUE]... [--port-file FILE]
 *            [--check]
 *   smsprovd check-config FILE
 *   smsprovd adduser USERS_FILE NAME      (the password is read from stdin)
 *   smsprovd ntlm-adduser NTLM_FILE DOMAIN\NAME   (the same, for NTLM)
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "smsprovd.h"

static void usage(FILE *out)
{
    fputs("usage:\n"
          "  smsprovd [--config FILE] [--set SECTION.KEY=VALUE]... [--port-file FILE] [--check]\n"
          "  smsprovd check-config FILE\n"
          "  smsprovd adduser USERS_FILE NAME    (reads the password from standard input)\n"
          "  smsprovd ntlm-adduser NTLM_FILE DOMAIN\\NAME   (the same, for [auth] "
          "ntlm_user_file)\n"
          "  smsprovd --version | --help\n"
          "The INI file has the sections [site] [shares] [auth] [log] [server] [tls] and one\n"
          "per listener: [wsman.http] [wsman.https] [cimxml.http] [cimxml.https]\n"
          "[adminservice.http] [adminservice.https] (enabled, address, port);\n"
          "--set overrides one key, e.g. --set wsman.http.port=15985.  --check validates the\n"
          "configuration and exits, as check-config FILE does: the keys, the listeners'\n"
          "addresses and ports, the folders and files named, the users file and the\n"
          "TLS certificate and key.  SIGTERM or SIGINT stops the server gracefully;\n"
          "SIGHUP reloads the users files, the log settings, the TLS certificate and key,\n"
          "[distribution_points] and first_admin (smsprovd(8) lists what needs a restart).\n",
          out);
}

static int fail(smsprov_error *err)
{
    fprintf(stderr, "smsprovd: %s\n", err->description ? err->description : "failed");
    smsprov_error_clear(err);
    return EXIT_FAILURE;
}

/* "wsman.http.port=15985": the key after the last dot before '=' (section
 * names have dots of their own) */
static smsprov_code apply_override(smsprov_config *cfg, const char *text, smsprov_error *err)
{
    const char *eq = strchr(text, '=');
    const char *dot = NULL;
    for (const char *p = text; eq && p < eq; p++)
        if (*p == '.')
            dot = p;
    if (!dot || !eq)
        return smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER,
                                 "--set %s is not SECTION.KEY=VALUE, e.g. --set wsman.http.port=15985.",
                                 text);
    char *section = cim_xasprintf("%.*s", (int)(dot - text), text);
    char *key = cim_xasprintf("%.*s", (int)(eq - dot - 1), dot + 1);
    smsprov_code rc = smsprov_config_set(cfg, section, key, eq + 1, err);
    free(section);
    free(key);
    return rc;
}

smsprov_code smsprovd_load_config(smsprov_config *cfg, const char *path,
                                  const char *const *overrides, size_t override_count, bool deep,
                                  smsprov_error *err)
{
    smsprov_code rc = path ? smsprov_config_load(cfg, path, err) : SMSPROV_OK;
    for (size_t i = 0; rc == SMSPROV_OK && i < override_count; i++)
        rc = apply_override(cfg, overrides[i], err);
    if (rc == SMSPROV_OK)
        rc = deep ? smsprovd_check_config(cfg, err) : smsprov_config_check(cfg, err);
    return rc;
}

/* "smsprovd: note: [http] port: write port in [wsman.http] instead." */
static void print_deprecated(const smsprov_config *cfg)
{
    for (const char *p = cfg->deprecated; p && *p;) {
        size_t n = strcspn(p, "\n");
        printf("smsprovd: note: %.*s\n", (int)n, p);
        p += n + (p[n] == '\n');
    }
}

static int check_config_file(const char *path)
{
    smsprov_config cfg;
    smsprov_config_init(&cfg);
    smsprov_error err = {0};
    int status = smsprovd_load_config(&cfg, path, NULL, 0, true, &err) == SMSPROV_OK
                     ? (print_deprecated(&cfg), printf("smsprovd: %s is valid\n", path),
                        EXIT_SUCCESS)
                     : fail(&err);
    smsprov_config_clear(&cfg);
    return status;
}

int main(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "check-config") == 0) {
        if (argc != 3) {
            usage(stderr);
            return EXIT_USAGE;
        }
        return check_config_file(argv[2]);
    }
    if (argc >= 2 && strcmp(argv[1], "adduser") == 0) {
        if (argc != 4) {
            usage(stderr);
            return EXIT_USAGE;
        }
        return smsprovd_adduser(argv[2], argv[3]);
    }
    if (argc >= 2 && strcmp(argv[1], "ntlm-adduser") == 0) {
        if (argc != 4) {
            usage(stderr);
            return EXIT_USAGE;
        }
        return smsprovd_ntlm_adduser(argv[2], argv[3]);
    }
    static const struct option longopts[] = {
        {"config", required_argument, NULL, 'c'}, {"set", required_argument, NULL, 's'},
        {"port-file", required_argument, NULL, 'p'}, {"check", no_argument, NULL, 'k'},
        {"version", no_argument, NULL, 'v'},      {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *config_path = NULL, *port_file = NULL;
    const char **overrides = cim_xcalloc((size_t)argc, sizeof *overrides);
    size_t override_count = 0;
    bool check_only = false;
    int c;
    while ((c = getopt_long(argc, argv, "c:s:p:kvh", longopts, NULL)) != -1) {
        switch (c) {
        case 'c': config_path = optarg; break;
        case 's': overrides[override_count++] = optarg; break;
        case 'p': port_file = optarg; break;
        case 'k': check_only = true; break;
        case 'v': puts("smsprovd " SMSPROVD_VERSION); free(overrides); return EXIT_SUCCESS;
        case 'h': usage(stdout); free(overrides); return EXIT_SUCCESS;
        default: usage(stderr); free(overrides); return EXIT_USAGE;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "smsprovd: unexpected argument %s\n", argv[optind]);
        usage(stderr);
        free(overrides);
        return EXIT_USAGE;
    }

    smsprov_config cfg;
    smsprov_config_init(&cfg);
    smsprov_error err = {0};
    smsprov_code rc =
        smsprovd_load_config(&cfg, config_path, overrides, override_count, check_only, &err);
    int status;
    if (rc != SMSPROV_OK)
        status = fail(&err);
    else if (check_only)
        status = (puts("smsprovd: the configuration is valid"), EXIT_SUCCESS);
    else
        status = smsprovd_serve(&cfg,
                                &(smsprovd_source){config_path, overrides, override_count},
                                port_file);
    free(overrides);
    smsprov_config_clear(&cfg);
    return status;
}
