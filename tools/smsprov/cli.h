/* cli.h - the pieces of the smsprov command-line client. */
#ifndef SMSPROV_CLI_H
#define SMSPROV_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "progress.h"
#include "smsprov/provider.h"

/* Exit codes: scripts tell success from each kind of failure. */
enum {
    CLI_OK = 0,
    CLI_PROVIDER_ERROR = 1, /* the provider refused: the WBEM code is printed */
    CLI_USAGE = 2,          /* the command line is wrong */
    CLI_JOB_FAILED = 3,     /* status: the job ended in error (ErrorCode printed) */
    CLI_NO_STATUS = 4,      /* status --follow: no job has that context ID */
};

typedef struct cli_options {
    const char *database;   /* --db, $SMSPROV_DB, or ./smsprov.db */
    const char *site_code;  /* --site */
    const char *mof_dir;    /* --mof */
    const char *namespace_path; /* --namespace */
    const char *user;           /* --user: an administrative user; NULL: the site itself */
    bool json;              /* --json */
    bool quiet;             /* --quiet: no progress */
    const char *log_file;   /* --log, $SMSPROV_LOG */
} cli_options;

typedef struct cli_context {
    cli_options options;
    smsprov_site *site;
    smsprov_call call;
    cli_progress progress;  /* of the job the command waits for, on stderr */
} cli_context;

/* Each command takes its own arguments (after the command word). */
typedef int (*cli_command_fn)(cli_context *cx, int argc, char **argv);
int cli_cmd_init(cli_context *cx, int argc, char **argv);
int cli_cmd_classes(cli_context *cx, int argc, char **argv);
int cli_cmd_class(cli_context *cx, int argc, char **argv);
int cli_cmd_enum(cli_context *cx, int argc, char **argv);
int cli_cmd_get(cli_context *cx, int argc, char **argv);
int cli_cmd_create(cli_context *cx, int argc, char **argv);
int cli_cmd_set(cli_context *cx, int argc, char **argv);
int cli_cmd_delete(cli_context *cx, int argc, char **argv);
int cli_cmd_query(cli_context *cx, int argc, char **argv);
int cli_cmd_invoke(cli_context *cx, int argc, char **argv);
int cli_cmd_status(cli_context *cx, int argc, char **argv);

/* The job reports of the jobs smsprov runs (cli_log.c). */
typedef struct cli_log cli_log;
/* explicit_path: --log or $SMSPROV_LOG, opened now (SMSPROV_E_ACCESS_DENIED
 * with a sentence when it cannot be); else configured_path (the [log] file
 * of --config, rolled over past max_bytes), else SMSProv.log beside the
 * database, opened at the first report. */
smsprov_code cli_log_open(const char *explicit_path, const char *configured_path,
                          size_t max_bytes, const char *database, cli_log **out,
                          smsprov_error *err);
/* An smsprov_log_fn (data is the cli_log). */
void cli_log_report(void *data, int severity, const char *file, int line, const char *message);
void cli_log_close(cli_log *l);

/* Applies `Name=Value` words to an instance and records each property's
 * name in names_out.  Scalars are converted from their text; array and
 * embedded-object properties take JSON (`OptionalComponents=[27,29]`).
 * Returns CLI_OK, or an exit code after printing why. */
int cli_apply_assignments(const cim_schema *schema, const char *namespace_path,
                          cim_instance *inst, int argc, char **argv, const char **names_out);

/* A class definition as JSON (caller frees). */
char *cli_class_to_json(const cim_class *cls);

/* Output in MOF (default) or JSON. */
void cli_print_instance(const cli_context *cx, const cim_instance *inst);
/* Prints what a cursor gives as it reads it, a batch of CLI_PRINT_BATCH
 * at a time (JSON: one array, closed also when a batch fails); returns the
 * cursor's error, if any. */
#define CLI_PRINT_BATCH 256
smsprov_code cli_print_cursor(const cli_context *cx, smsprov_cursor *c, smsprov_error *err);
int cli_report_error(const smsprov_error *err);
int cli_usage_error(const char *fmt, ...)
    SMSPROV_PRINTF(1, 2)
    ;

#endif
