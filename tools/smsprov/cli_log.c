/* cli_log.c - where smsprov writes the job reports of the jobs it runs
 * in-process: the CMTrace-format SMSProv.log the server writes too, so an
 * administrator reads one log whichever process ran a job.
 *
 *   --log FILE, or $SMSPROV_LOG   that file (it must open, or smsprov
 *                                 stops before doing anything);
 *   the [log] file of --config    the server's own log (rolled over at its
 *                                 max_size_kb);
 *   otherwise                     SMSProv.log in the folder of the site
 *                                 database.
 * The last two are opened at the first report, so a command that runs no
 * job writes nothing, and if they cannot be opened (the CLI's user may not
 * write the server's log) the reports are dropped with one warning on
 * stderr. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "config/log.h"

struct cli_log {
    pthread_mutex_t mu;  /* reports come from worker threads */
    char *path;          /* NULL: no file */
    size_t max_bytes;    /* roll over past this; 0: never */
    bool tried;
    smsprov_log *log;
};

/* The database file of a location ("sqlite:/x/site.db", "/x/site.db"),
 * NULL for a store of another backend. */
static const char *database_file(const char *location)
{
    if (strncmp(location, "sqlite:", 7) == 0)
        return location + 7;
    const char *colon = strchr(location, ':');
    const char *slash = strchr(location, '/');
    if (colon && colon - location > 1 && (!slash || colon < slash))
        return NULL;
    return location;
}

static char *default_path(const char *database)
{
    const char *file = database ? database_file(database) : NULL;
    if (!file || !*file)
        return NULL;
    const char *slash = strrchr(file, '/');
    if (!slash)
        return cim_xstrdup("SMSProv.log");
    return cim_xasprintf("%.*s/SMSProv.log", (int)(slash - file), file);
}

static smsprov_code open_file(cli_log *l, smsprov_error *err)
{
    l->tried = true;
    smsprov_log_options o = {.file = l->path, .level = SMSPROV_LOG_INFO,
                             .max_bytes = l->max_bytes};
    return smsprov_log_open(&o, &l->log, err);
}

smsprov_code cli_log_open(const char *explicit_path, const char *configured_path,
                          size_t max_bytes, const char *database, cli_log **out,
                          smsprov_error *err)
{
    cli_log *l = cim_xcalloc(1, sizeof *l);
    pthread_mutex_init(&l->mu, NULL);
    l->path = explicit_path     ? cim_xstrdup(explicit_path)
              : configured_path ? cim_xstrdup(configured_path)
                                : default_path(database);
    l->max_bytes = explicit_path ? 0 : max_bytes;
    *out = l;
    if (!explicit_path)
        return SMSPROV_OK;
    smsprov_code rc = open_file(l, err);
    if (rc != SMSPROV_OK) {
        cli_log_close(l);
        *out = NULL;
    }
    return rc;
}

void cli_log_report(void *data, int severity, const char *file, int line, const char *message)
{
    cli_log *l = data;
    pthread_mutex_lock(&l->mu);
    if (!l->tried && l->path) {
        smsprov_error err = {0};
        if (open_file(l, &err) != SMSPROV_OK)
            fprintf(stderr, "smsprov: warning: job reports are not logged: %s\n",
                    err.description ? err.description : "the log cannot be opened");
        smsprov_error_clear(&err);
    }
    pthread_mutex_unlock(&l->mu);
    smsprov_log_report(l->log, severity, file, line, message);
}

void cli_log_close(cli_log *l)
{
    if (!l)
        return;
    smsprov_log_close(l->log);
    pthread_mutex_destroy(&l->mu);
    free(l->path);
    free(l);
}
