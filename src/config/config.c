/* config.c - the server's settings: defaults, the INI file (libinih), one
 * table of keys, and the checks done before the server starts. */
#include "config/config.h"

#include <errno.h>
#include <ini.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "smsprov/cim.h"

typedef enum key_kind {
    KEY_STRING, KEY_PATH, KEY_UINT, KEY_BOOL, KEY_LEVEL, KEY_KB, KEY_SCHEMES,
    KEY_STRING_PAIR /* a string set in two places (offset and max as the second offset) */
} key_kind;

typedef struct key_spec {
    const char *section;
    const char *key;
    key_kind kind;
    size_t offset;
    unsigned long max; /* KEY_UINT and KEY_KB */
    const char *instead; /* a deprecated key: what replaces it */
} key_spec;

#define FIELD(member) offsetof(smsprov_config, member)

/* The keys every listener's section takes, the same for every door. */
#define LISTENER_KEYS(section, member)                                                        \
    {section, "enabled", KEY_BOOL, FIELD(member.enabled), 0, NULL},                           \
    {section, "address", KEY_STRING, FIELD(member.address), 0, NULL},                         \
    {section, "port", KEY_UINT, FIELD(member.port), 65535, NULL}

static const key_spec keys[] = {
    {"site", "code", KEY_STRING, FIELD(site_code), 0, NULL},
    {"site", "name", KEY_STRING, FIELD(site_name), 0, NULL},
    {"site", "server", KEY_STRING, FIELD(server_name), 0, NULL},
    {"site", "database", KEY_PATH, FIELD(database_path), 0, NULL},
    {"site", "mof_dir", KEY_PATH, FIELD(mof_dir), 0, NULL},
    {"site", "content_root", KEY_PATH, FIELD(content_root), 0, NULL},
    {"site", "adk_root", KEY_PATH, FIELD(adk_root), 0, NULL},
    {"site", "configmgr_root", KEY_PATH, FIELD(configmgr_root), 0, NULL},
    {"site", "workers", KEY_UINT, FIELD(worker_count), 256, NULL},
    {"site", "first_admin", KEY_STRING, FIELD(first_admin), 0, NULL},
    /* every door, one section per listener, the same keys */
    LISTENER_KEYS("wsman.http", http),
    LISTENER_KEYS("wsman.https", https),
    LISTENER_KEYS("cimxml.http", cimxml),
    LISTENER_KEYS("cimxml.https", cimxml_tls),
    LISTENER_KEYS("adminservice.http", rest),
    LISTENER_KEYS("adminservice.https", rest_tls),
    {"tls", "certificate", KEY_PATH, FIELD(https.certificate_file), 0, NULL},
    {"tls", "key", KEY_PATH, FIELD(https.key_file), 0, NULL},
    {"tls", "priorities", KEY_STRING, FIELD(tls_priorities), 0, NULL},
    {"auth", "users_file", KEY_PATH, FIELD(users_file), 0, NULL},
    {"auth", "allow_unencrypted", KEY_BOOL, FIELD(allow_unencrypted), 0, NULL},
    {"auth", "address_backoff_max", KEY_UINT, FIELD(address_backoff_max_s), 3600, NULL},
    {"auth", "user_backoff_max", KEY_UINT, FIELD(user_backoff_max_s), 3600, NULL},
    {"auth", "schemes", KEY_SCHEMES, FIELD(auth_schemes), 0, NULL},
    {"auth", "keytab", KEY_PATH, FIELD(keytab), 0, NULL},
    {"auth", "ntlm_user_file", KEY_PATH, FIELD(ntlm_user_file), 0, NULL},
    {"auth", "principals", KEY_STRING, FIELD(principals), 0, NULL},
    {"log", "file", KEY_PATH, FIELD(log_file), 0, NULL},
    {"log", "level", KEY_LEVEL, FIELD(log_level), 0, NULL},
    {"log", "max_size_kb", KEY_KB, FIELD(log_max_bytes), 1024 * 1024, NULL},
    {"log", "stderr", KEY_BOOL, FIELD(log_stderr), 0, NULL},
    {"server", "max_request_kb", KEY_KB, FIELD(max_request_bytes), 256 * 1024, NULL},
    {"server", "max_connections", KEY_UINT, FIELD(max_connections), 65535, NULL},
    {"server", "max_connections_per_address", KEY_UINT, FIELD(max_connections_per_address),
     65535, NULL},
    {"server", "connection_timeout", KEY_UINT, FIELD(connection_timeout_s), 86400, NULL},
    {"server", "header_timeout", KEY_UINT, FIELD(header_timeout_s), 3600, NULL},
    {"server", "enumeration_timeout", KEY_UINT, FIELD(enumeration_timeout_s), 86400, NULL},
    {"server", "max_enumerations", KEY_UINT, FIELD(max_enumerations), 1000000, NULL},
    {"server", "max_enumerations_per_user", KEY_UINT, FIELD(max_enumerations_per_user), 1000000, NULL},
    {"server", "shutdown_timeout", KEY_UINT, FIELD(shutdown_timeout_s), 3600, NULL},
    /* deprecated: the sections of the first INI files, still read */
    {"http", "enabled", KEY_BOOL, FIELD(http.enabled), 0, "enabled in [wsman.http]"},
    {"http", "address", KEY_STRING, FIELD(http.address), 0, "address in [wsman.http]"},
    {"http", "port", KEY_UINT, FIELD(http.port), 65535, "port in [wsman.http]"},
    {"https", "enabled", KEY_BOOL, FIELD(https.enabled), 0, "enabled in [wsman.https]"},
    {"https", "address", KEY_STRING, FIELD(https.address), 0, "address in [wsman.https]"},
    {"https", "port", KEY_UINT, FIELD(https.port), 65535, "port in [wsman.https]"},
    {"https", "certificate", KEY_PATH, FIELD(https.certificate_file), 0,
     "certificate in [tls]"},
    {"https", "key", KEY_PATH, FIELD(https.key_file), 0, "key in [tls]"},
    {"https", "tls_priorities", KEY_STRING, FIELD(tls_priorities), 0, "priorities in [tls]"},
    {"cimxml", "enabled", KEY_BOOL, FIELD(cimxml.enabled), 0, "enabled in [cimxml.http]"},
    {"cimxml", "address", KEY_STRING_PAIR, FIELD(cimxml.address), FIELD(cimxml_tls.address),
     "address in [cimxml.http] and [cimxml.https]"},
    {"cimxml", "port", KEY_UINT, FIELD(cimxml.port), 65535, "port in [cimxml.http]"},
    {"cimxml", "https", KEY_BOOL, FIELD(cimxml_https), 0, "enabled in [cimxml.https]"},
    {"cimxml", "https_port", KEY_UINT, FIELD(cimxml_tls.port), 65535,
     "port in [cimxml.https]"},
    {"adminservice", "enabled", KEY_BOOL, FIELD(adminservice_enabled), 0,
     "enabled in [adminservice.http] and [adminservice.https]"},
    {"adminservice", "http", KEY_BOOL, FIELD(rest.enabled), 0, "enabled in [adminservice.http]"},
};

void smsprov_config_init(smsprov_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->http = (smsprov_listener_config){
        .enabled = true, .address = cim_xstrdup("127.0.0.1"), .port = 5985};
    cfg->https = (smsprov_listener_config){
        .enabled = false, .address = cim_xstrdup("127.0.0.1"), .port = 5986};
    cfg->cimxml = (smsprov_listener_config){ /* the CIM-XML door */
        .enabled = false, .address = cim_xstrdup("127.0.0.1"), .port = 5988};
    cfg->cimxml_tls = (smsprov_listener_config){
        .enabled = false, .address = cim_xstrdup("127.0.0.1"), .port = 5989};
    /* the AdminService: on the WS-Man listeners unless given its own */
    cfg->rest = (smsprov_listener_config){.enabled = false, .port = SMSPROV_PORT_UNSET};
    cfg->rest_tls = (smsprov_listener_config){.enabled = true, .port = SMSPROV_PORT_UNSET};
    cfg->adminservice_enabled = true;
    cfg->log_level = SMSPROV_LOG_INFO;
    cfg->log_max_bytes = 5u * 1024 * 1024;
    cfg->log_stderr = true;
    cfg->max_request_bytes = 4u * 1024 * 1024;
    cfg->max_connections = 256;
    cfg->max_connections_per_address = 64;
    cfg->connection_timeout_s = 120;
    cfg->header_timeout_s = 20;
    cfg->address_backoff_max_s = 16;
    cfg->user_backoff_max_s = 4;
    cfg->auth_schemes = SMSPROV_AUTH_BASIC;
    cfg->enumeration_timeout_s = 300;
    cfg->max_enumerations = 1024;
    cfg->max_enumerations_per_user = 128;
    cfg->shutdown_timeout_s = 30;
}

void smsprov_config_clear(smsprov_config *cfg)
{
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        if ((keys[i].kind == KEY_STRING || keys[i].kind == KEY_PATH) && !keys[i].instead) {
            char **slot = (char **)((char *)cfg + keys[i].offset);
            free(*slot);
        }
    }
    free(cfg->http.certificate_file); /* no [http] key sets these, but stay safe */
    free(cfg->http.key_file);
    for (size_t i = 0; i < cfg->share_count; i++) {
        free((char *)cfg->shares[i].unc_prefix);
        free((char *)cfg->shares[i].local_dir);
    }
    free(cfg->shares);
    for (size_t i = 0; i < cfg->distribution_point_count; i++) {
        free((char *)cfg->distribution_points[i].server_name);
        free((char *)cfg->distribution_points[i].remote_name);
    }
    free(cfg->distribution_points);
    free(cfg->source_dir);
    free(cfg->deprecated);
    memset(cfg, 0, sizeof *cfg);
}

static char *resolve_path(const smsprov_config *cfg, const char *value)
{
    if (value[0] == '/' || !cfg->source_dir)
        return cim_xstrdup(value);
    return cim_xasprintf("%s/%s", cfg->source_dir, value);
}

static bool parse_bool(const char *v, bool *out)
{
    static const char *const yes[] = {"true", "yes", "on", "1"};
    static const char *const no[] = {"false", "no", "off", "0"};
    for (int i = 0; i < 4; i++) {
        if (cim_strcasecmp(v, yes[i]) == 0)
            return *out = true, true;
        if (cim_strcasecmp(v, no[i]) == 0)
            return *out = false, true;
    }
    return false;
}

static bool parse_ulong(const char *v, unsigned long max, unsigned long *out)
{
    char *end;
    if (!*v || *v == '-' || *v == '+')
        return false;
    errno = 0;
    unsigned long n = strtoul(v, &end, 10);
    if (errno || *end || n > max)
        return false;
    *out = n;
    return true;
}

/* `Basic, Negotiate, Kerberos`, in any order and case. */
static bool parse_schemes(const char *v, unsigned *out)
{
    static const struct {
        const char *name;
        unsigned bit;
    } names[] = {{"basic", SMSPROV_AUTH_BASIC},
                 {"negotiate", SMSPROV_AUTH_NEGOTIATE},
                 {"kerberos", SMSPROV_AUTH_KERBEROS}};
    unsigned bits = 0;
    while (*v) {
        while (*v == ' ' || *v == ',')
            v++;
        size_t n = strcspn(v, " ,");
        if (!n)
            break;
        bool known = false;
        for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
            if (strlen(names[i].name) == n && strncasecmp(v, names[i].name, n) == 0) {
                bits |= names[i].bit;
                known = true;
            }
        if (!known)
            return false;
        v += n;
    }
    if (!bits)
        return false;
    *out = bits;
    return true;
}

static smsprov_code set_share(smsprov_config *cfg, const char *unc, const char *dir,
                              smsprov_error *err)
{
    if (strncmp(unc, "\\\\", 2) != 0 || strlen(unc) < 3)
        return smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER,
                                 "The share \"%s\" is not a UNC prefix; write it as "
                                 "\\\\server\\share = /local/folder.",
                                 unc);
    if (!*dir)
        return smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER,
                                 "The share %s maps to no folder; give a local folder after "
                                 "the = sign.",
                                 unc);
    cfg->shares = cim_xrealloc(cfg->shares, (cfg->share_count + 1) * sizeof *cfg->shares);
    cfg->shares[cfg->share_count].unc_prefix = cim_xstrdup(unc);
    cfg->shares[cfg->share_count].local_dir = resolve_path(cfg, dir);
    cfg->share_count++;
    return SMSPROV_OK;
}

/* A host name as NAL paths carry it: letters, digits, '-' and '.' (no
 * backslash or quote, which would break the path). */
static bool is_host_name(const char *name)
{
    if (!*name || *name == '.' || *name == '-')
        return false;
    for (const char *p = name; *p; p++) {
        char c = *p;
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '-' || c == '.';
        if (!ok)
            return false;
    }
    return true;
}

static smsprov_code set_distribution_point(smsprov_config *cfg, const char *server,
                                           const char *fqdn, smsprov_error *err)
{
    if (!is_host_name(server) || strchr(server, '.'))
        return smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER,
                                 "The distribution point \"%s\" is not a server name; write "
                                 "its NetBIOS name (letters, digits and '-'), e.g. DP01 = "
                                 "dp01.lab.example.",
                                 server);
    if (*fqdn && !is_host_name(fqdn))
        return smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER,
                                 "The name \"%s\" of distribution point %s is not a host name "
                                 "(letters, digits, '-' and '.').",
                                 fqdn, server);
    for (size_t i = 0; i < cfg->distribution_point_count; i++)
        if (cim_strcasecmp(cfg->distribution_points[i].server_name, server) == 0)
            return smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER,
                                     "The distribution point %s is listed twice.", server);
    size_t n = cfg->distribution_point_count;
    cfg->distribution_points =
        cim_xrealloc(cfg->distribution_points, (n + 1) * sizeof *cfg->distribution_points);
    cfg->distribution_points[n].server_name = cim_xstrdup(server);
    cfg->distribution_points[n].remote_name = *fqdn ? cim_xstrdup(fqdn) : NULL;
    cfg->distribution_point_count++;
    return SMSPROV_OK;
}

static smsprov_code bad_value(smsprov_error *err, const key_spec *k, const char *value,
                              const char *expected)
{
    return smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER,
                             "The value \"%s\" of %s.%s is not valid: expected %s.", value,
                             k->section, k->key, expected);
}

static smsprov_code set_key(smsprov_config *cfg, const key_spec *k, const char *value,
                            smsprov_error *err)
{
    void *slot = (char *)cfg + k->offset;
    unsigned long n;
    switch (k->kind) {
    case KEY_STRING_PAIR:
        free(*(char **)slot);
        *(char **)slot = *value ? cim_xstrdup(value) : NULL;
        slot = (char *)cfg + k->max;
        free(*(char **)slot);
        *(char **)slot = *value ? cim_xstrdup(value) : NULL;
        return SMSPROV_OK;
    case KEY_STRING:
    case KEY_PATH:
        free(*(char **)slot);
        *(char **)slot = !*value           ? NULL
                         : k->kind == KEY_PATH ? resolve_path(cfg, value)
                                               : cim_xstrdup(value);
        return SMSPROV_OK;
    case KEY_UINT:
        if (!parse_ulong(value, k->max, &n)) {
            char range[64];
            snprintf(range, sizeof range, "a whole number from 0 to %lu", k->max);
            return bad_value(err, k, value, range);
        }
        *(unsigned *)slot = (unsigned)n;
        return SMSPROV_OK;
    case KEY_KB:
        if (!parse_ulong(value, k->max, &n) || n == 0) {
            char range[64];
            snprintf(range, sizeof range, "a size in KiB from 1 to %lu", k->max);
            return bad_value(err, k, value, range);
        }
        *(size_t *)slot = (size_t)n * 1024;
        return SMSPROV_OK;
    case KEY_BOOL:
        if (!parse_bool(value, (bool *)slot))
            return bad_value(err, k, value, "true or false");
        return SMSPROV_OK;
    case KEY_LEVEL:
        if (!smsprov_log_level_parse(value, (smsprov_log_level *)slot))
            return bad_value(err, k, value, "error, warning, info or verbose");
        return SMSPROV_OK;
    case KEY_SCHEMES:
        if (!parse_schemes(value, (unsigned *)slot))
            return bad_value(err, k, value, "a list of Basic, Negotiate and Kerberos");
        return SMSPROV_OK;
    }
    return SMSPROV_OK;
}

static void note_deprecated(smsprov_config *cfg, const key_spec *k)
{
    char *line = cim_xasprintf("[%s] %s: write %s instead.\n", k->section, k->key, k->instead);
    if (cfg->deprecated && strstr(cfg->deprecated, line)) {
        free(line);
        return;
    }
    char *all = cim_xasprintf("%s%s", cfg->deprecated ? cfg->deprecated : "", line);
    free(cfg->deprecated);
    free(line);
    cfg->deprecated = all;
}

smsprov_code smsprov_config_set(smsprov_config *cfg, const char *section, const char *key,
                                const char *value, smsprov_error *err)
{
    if (cim_strcasecmp(section, "shares") == 0)
        return set_share(cfg, key, value, err);
    if (cim_strcasecmp(section, "distribution_points") == 0)
        return set_distribution_point(cfg, key, value, err);
    bool known_section = false;
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        if (cim_strcasecmp(keys[i].section, section) != 0)
            continue;
        known_section = true;
        if (cim_strcasecmp(keys[i].key, key) == 0) {
            smsprov_code rc = set_key(cfg, &keys[i], value, err);
            if (rc == SMSPROV_OK && keys[i].instead)
                note_deprecated(cfg, &keys[i]);
            return rc;
        }
    }
    if (!known_section)
        return smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER,
                                 "The section [%s] is unknown; the sections are site, shares, "
                                 "distribution_points, wsman.http, wsman.https, cimxml.http, "
                                 "cimxml.https, adminservice.http, adminservice.https, tls, "
                                 "auth, log and server.",
                                 section);
    cim_buf known = {0};
    /* a deprecated section lists its own keys, the others their current ones */
    for (int deprecated = 0; deprecated < 2 && !known.len; deprecated++)
        for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
            if (cim_strcasecmp(keys[i].section, section) == 0 &&
                (deprecated || !keys[i].instead))
                cim_buf_printf(&known, "%s%s", known.len ? ", " : "", keys[i].key);
    smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER,
                      "The key \"%s\" is unknown in [%s]; its keys are %s.", key, section,
                      known.data);
    cim_buf_clear(&known);
    return SMSPROV_E_INVALID_PARAMETER;
}

typedef struct load_state {
    smsprov_config *cfg;
    smsprov_error first; /* the first error, reported with its line */
} load_state;

static int on_ini_line(void *user, const char *section, const char *name, const char *value)
{
    load_state *st = user;
    smsprov_error err = {0};
    if (smsprov_config_set(st->cfg, section, name, value, &err) == SMSPROV_OK)
        return 1;
    if (!st->first.code)
        smsprov_error_move(&st->first, &err);
    smsprov_error_clear(&err);
    return 0;
}

static char *folder_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    char *dir = slash ? cim_xasprintf("%.*s", (int)(slash - path), path) : cim_xstrdup(".");
    if (!*dir) {
        free(dir);
        return cim_xstrdup("/");
    }
    char *real = realpath(dir, NULL);
    if (real) {
        free(dir);
        return real;
    }
    return dir;
}

/* What ini_parse_* returned (0, or the first bad line), as an error naming
 * the file and the line. */
static smsprov_code load_result(int rc, load_state *st, const char *name, smsprov_error *err)
{
    if (rc == 0)
        return SMSPROV_OK;
    smsprov_code code = SMSPROV_E_INVALID_PARAMETER;
    if (st->first.code)
        smsprov_error_set(err, code, "%s, line %d: %s", name, rc, st->first.description);
    else
        smsprov_error_set(err, code,
                          "%s, line %d: the line is not `key = value` or `[section]`.", name,
                          rc);
    smsprov_error_clear(&st->first);
    return code;
}

smsprov_code smsprov_config_load(smsprov_config *cfg, const char *path, smsprov_error *err)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return smsprov_error_set(err, SMSPROV_E_NOT_FOUND,
                                 "The configuration file %s cannot be opened (%s).", path,
                                 strerror(errno));
    free(cfg->source_dir);
    cfg->source_dir = folder_of(path);
    load_state st = {.cfg = cfg};
    int rc = ini_parse_file(f, on_ini_line, &st);
    fclose(f);
    return load_result(rc, &st, path, err);
}

smsprov_code smsprov_config_load_text(smsprov_config *cfg, const char *text, const char *name,
                                      smsprov_error *err)
{
    load_state st = {.cfg = cfg};
    return load_result(ini_parse_string(text, on_ini_line, &st), &st, name, err);
}

smsprov_code smsprov_config_check(const smsprov_config *cfg, smsprov_error *err)
{
    if (!cfg->database_path)
        return smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER,
                                 "No site database is configured; set database in [site].");
    smsprov_listener_plan plans[SMSPROV_LISTENER_COUNT];
    bool serving = false;
    for (int i = 0; i < SMSPROV_LISTENER_COUNT; i++) {
        smsprov_config_listener(cfg, (smsprov_listener_id)i, &plans[i]);
        serving |= plans[i].serve;
    }
    if (serving && !cfg->users_file)
        return smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER,
                                 "No users file is configured; set users_file in [auth] "
                                 "(create it with `smsprovd adduser FILE NAME`).");
    for (int i = 0; i < SMSPROV_LISTENER_COUNT; i++)
        if (plans[i].serve && plans[i].tls &&
            (!cfg->https.certificate_file || !cfg->https.key_file))
            return smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER,
                                     "[%s] is enabled but HTTPS has no certificate or key; set "
                                     "certificate and key in [tls].",
                                     plans[i].section);
    for (int i = 0; i < SMSPROV_LISTENER_COUNT; i++)
        for (int j = i + 1; j < SMSPROV_LISTENER_COUNT; j++) {
            const smsprov_listener_plan *a = &plans[i], *b = &plans[j];
            if (a->serve && b->serve && !a->shared && !b->shared && a->port &&
                a->port == b->port)
                return smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER,
                                         "[%s] and [%s] both use port %u; give them different "
                                         "ports.",
                                         a->section, b->section, a->port);
        }
    if (cfg->header_timeout_s == 0)
        return smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER,
                                 "header_timeout in [server] is 0; request headers need a "
                                 "deadline of at least 1 second.");
    if ((cfg->auth_schemes & SMSPROV_AUTH_KERBEROS) && !cfg->keytab)
        return smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER,
                                 "Kerberos is among the schemes in [auth] but no keytab is set; "
                                 "set keytab to a keytab holding HTTP/<host name>.");
    if ((cfg->auth_schemes & SMSPROV_AUTH_NEGOTIATE) && !cfg->keytab && !cfg->ntlm_user_file)
        return smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER,
                                 "Negotiate is among the schemes in [auth] but neither keytab "
                                 "(Kerberos) nor ntlm_user_file (NTLM) is set.");
    return SMSPROV_OK;
}

void smsprov_config_site(const smsprov_config *cfg, smsprov_site_config *out)
{
    memset(out, 0, sizeof *out);
    out->database_path = cfg->database_path;
    out->mof_dir = cfg->mof_dir;
    out->site_code = cfg->site_code;
    out->site_name = cfg->site_name;
    out->server_name = cfg->server_name;
    out->content_root = cfg->content_root;
    out->shares = cfg->shares;
    out->share_count = cfg->share_count;
    out->distribution_points = cfg->distribution_points;
    out->distribution_point_count = cfg->distribution_point_count;
    out->worker_count = cfg->worker_count;
    out->adk_root = cfg->adk_root;
    out->configmgr_root = cfg->configmgr_root;
    out->first_admin = cfg->first_admin;
}

static bool same_string(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static bool same_value(const smsprov_config *a, const smsprov_config *b, const key_spec *k)
{
    const void *x = (const char *)a + k->offset, *y = (const char *)b + k->offset;
    switch (k->kind) {
    case KEY_STRING:
    case KEY_PATH:
        return same_string(*(char *const *)x, *(char *const *)y);
    case KEY_UINT:
    case KEY_SCHEMES:
        return *(const unsigned *)x == *(const unsigned *)y;
    case KEY_KB:
        return *(const size_t *)x == *(const size_t *)y;
    case KEY_BOOL:
        return *(const bool *)x == *(const bool *)y;
    case KEY_LEVEL:
        return *(const smsprov_log_level *)x == *(const smsprov_log_level *)y;
    case KEY_STRING_PAIR: {
        const void *x2 = (const char *)a + k->max, *y2 = (const char *)b + k->max;
        return same_string(*(char *const *)x, *(char *const *)y) &&
               same_string(*(char *const *)x2, *(char *const *)y2);
    }
    }
    return true;
}

static bool same_shares(const smsprov_config *a, const smsprov_config *b)
{
    if (a->share_count != b->share_count)
        return false;
    for (size_t i = 0; i < a->share_count; i++)
        if (!same_string(a->shares[i].unc_prefix, b->shares[i].unc_prefix) ||
            !same_string(a->shares[i].local_dir, b->shares[i].local_dir))
            return false;
    return true;
}

static bool same_distribution_points(const smsprov_config *a, const smsprov_config *b)
{
    if (a->distribution_point_count != b->distribution_point_count)
        return false;
    for (size_t i = 0; i < a->distribution_point_count; i++)
        if (!same_string(a->distribution_points[i].server_name,
                         b->distribution_points[i].server_name) ||
            !same_string(a->distribution_points[i].remote_name,
                         b->distribution_points[i].remote_name))
            return false;
    return true;
}

/* Whether k is a deprecated key whose field a current key also sets: the
 * current key then names a change, once. */
static bool named_by_current_key(const key_spec *k)
{
    if (!k->instead)
        return false;
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (!keys[i].instead && keys[i].offset == k->offset)
            return true;
    return false;
}

void smsprov_config_diff(const smsprov_config *a, const smsprov_config *b,
                         smsprov_config_diff_fn fn, void *data)
{
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (!named_by_current_key(&keys[i]) && !same_value(a, b, &keys[i]))
            fn(data, keys[i].section, keys[i].key);
    if (!same_shares(a, b))
        fn(data, "shares", NULL);
    if (!same_distribution_points(a, b))
        fn(data, "distribution_points", NULL);
}
