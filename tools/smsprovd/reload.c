/* reload.c - what SIGHUP changes in a running smsprovd, and what it leaves
 * for a restart.
 *
 * A reload reads the configuration again (the same file and --set
 * overrides) and puts in force, without dropping a connection:
 *   [auth] users_file: the file is read again (its path may change too);
 *   [auth] address_backoff_max, user_backoff_max;
 *   [auth] ntlm_user_file: checked again (gss-ntlmssp reads it at every
 *          NTLM login, so its content is always current); a new path
 *          needs a restart;
 *   [log] file, level, max_size_kb, stderr (the file is reopened, which
 *          also serves log rotation);
 *   [tls] certificate, key: new connections use the new pair;
 *   [site] first_admin, [distribution_points].
 * Every other setting needs a restart: it is logged as such and the running
 * value stays.  Everything is read and checked before anything changes, so
 * a bad file leaves the whole running configuration in force. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/http.h"
#include "smsprovd.h"

struct smsprovd_reload {
    smsprov_config cfg;
    http_users *users;
};

/* The settings a reload puts in force (section, key). */
static const char *const RELOADABLE[][2] = {
    {"auth", "users_file"},     {"auth", "address_backoff_max"}, {"auth", "user_backoff_max"},
    {"log", "file"},            {"log", "level"},                {"log", "max_size_kb"},
    {"log", "stderr"},          {"tls", "certificate"},          {"tls", "key"},
    {"site", "first_admin"},    {"distribution_points", NULL},
};

static bool reloadable(const char *section, const char *key)
{
    for (size_t i = 0; i < sizeof RELOADABLE / sizeof RELOADABLE[0]; i++)
        if (strcmp(RELOADABLE[i][0], section) == 0 &&
            ((!key && !RELOADABLE[i][1]) ||
             (key && RELOADABLE[i][1] && strcmp(RELOADABLE[i][1], key) == 0)))
            return true;
    return false;
}

/* The log file must open before the reload commits to anything. */
static smsprov_code check_log_file(const char *path, smsprov_error *err)
{
    if (!path)
        return SMSPROV_OK;
    FILE *f = fopen(path, "ab");
    if (!f)
        return smsprov_error_set(err, SMSPROV_E_ACCESS_DENIED,
                                 "The log file %s cannot be opened for writing (%s).", path,
                                 strerror(errno));
    fclose(f);
    return SMSPROV_OK;
}

static bool tls_in_use(const smsprov_config *c)
{
    for (int i = 0; i < SMSPROV_LISTENER_COUNT; i++) {
        smsprov_listener_plan plan;
        smsprov_config_listener(c, (smsprov_listener_id)i, &plan);
        if (plan.serve && plan.tls)
            return true;
    }
    return false;
}

static smsprov_code prepare(smsprovd_reload *r, const smsprov_config *running,
                            const smsprovd_source *source, smsprov_error *err)
{
    smsprov_code rc = smsprovd_load_config(&r->cfg, source->path, source->overrides,
                                           source->override_count, false, err);
    if (rc == SMSPROV_OK && r->cfg.users_file)
        rc = http_users_load(r->cfg.users_file, &r->users, err);
    /* only the files the running server uses: their paths stay */
    if (rc == SMSPROV_OK)
        rc = http_gss_check_files(running->keytab, running->ntlm_user_file, err);
    if (rc == SMSPROV_OK && tls_in_use(running) &&
        (!r->cfg.https.certificate_file || !r->cfg.https.key_file))
        rc = smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER,
                               "HTTPS is serving but the configuration names no certificate "
                               "or key in [tls].");
    if (rc == SMSPROV_OK && tls_in_use(running))
        rc = http_tls_check_files(r->cfg.https.certificate_file, r->cfg.https.key_file,
                                  running->tls_priorities, err);
    if (rc == SMSPROV_OK)
        rc = check_log_file(r->cfg.log_file, err);
    return rc;
}

smsprovd_reload *smsprovd_reload_prepare(const smsprov_config *running,
                                         const smsprovd_source *source, smsprov_error *err)
{
    smsprovd_reload *r = cim_xcalloc(1, sizeof *r);
    smsprov_config_init(&r->cfg);
    if (prepare(r, running, source, err) != SMSPROV_OK) {
        smsprovd_reload_free(r);
        return NULL;
    }
    return r;
}

void smsprovd_reload_free(smsprovd_reload *r)
{
    if (!r)
        return;
    http_users_free(r->users);
    smsprov_config_clear(&r->cfg);
    free(r);
}

const smsprov_config *smsprovd_reload_config(const smsprovd_reload *r)
{
    return &r->cfg;
}

http_users *smsprovd_reload_take_users(smsprovd_reload *r)
{
    http_users *u = r->users;
    r->users = NULL;
    return u;
}

typedef struct restart_report {
    smsprov_log *log;
    size_t count;
} restart_report;

static void report_one(void *data, const char *section, const char *key)
{
    restart_report *rep = data;
    if (reloadable(section, key))
        return;
    rep->count++;
    if (key)
        SMSPROV_LOG(rep->log, SMSPROV_LOG_WARNING,
                    "%s in [%s] changed: it needs a restart; the running value stays.", key,
                    section);
    else
        SMSPROV_LOG(rep->log, SMSPROV_LOG_WARNING,
                    "[%s] changed: it needs a restart; the running list stays.", section);
}

size_t smsprovd_reload_report_restart(const smsprovd_reload *r, const smsprov_config *running,
                                      smsprov_log *log)
{
    restart_report rep = {.log = log};
    smsprov_config_diff(running, &r->cfg, report_one, &rep);
    return rep.count;
}
