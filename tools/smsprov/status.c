/* status.c - `smsprov status CONTEXTID [--follow]`: the status queue of a
 * job, read through QueryOSDBinaryInjectionStatus.  The queue lives in the
 * site database, so a job another process runs (smsprovd, another smsprov)
 * is followed as well as one of this process. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"

/* How often --follow reads the queue: the pool appends an entry at most
 * every 200 ms while the text stays the same. */
#define FOLLOW_INTERVAL_MS 200

enum { STATUS_COMPLETE = 0, STATUS_IN_PROGRESS = 1, STATUS_ERROR = 2, STATUS_NONE = 3 };

typedef struct job_status {
    uint32_t status, progress, max_progress;
    int32_t error_code;
    const char *text, *extended;
    cim_instance *out; /* the method's out-parameters, which own the strings */
} job_status;

static uint64_t uint_of(const cim_instance *inst, const char *name)
{
    const cim_value *v = cim_instance_get(inst, name);
    return v && !v->is_null ? v->u.uint : 0;
}

static const char *string_of(const cim_instance *inst, const char *name)
{
    const cim_value *v = cim_instance_get(inst, name);
    return v && !v->is_null && v->u.string ? v->u.string : "";
}

static smsprov_code read_status(cli_context *cx, const char *context_id, job_status *out,
                                smsprov_error *err)
{
    static const char cls_name[] = "SMS_BootImagePackage";
    const cim_class *cls = NULL;
    smsprov_code rc = smsprov_get_class(cx->site, &cx->call, cls_name, &cls, err);
    const cim_method *method = rc == SMSPROV_OK
                                   ? cim_class_find_method(cls, "QueryOSDBinaryInjectionStatus")
                                   : NULL;
    if (rc == SMSPROV_OK && !method)
        return smsprov_error_set(err, SMSPROV_E_INVALID_METHOD,
                                 "%s has no method QueryOSDBinaryInjectionStatus.", cls_name);
    if (rc != SMSPROV_OK)
        return rc;
    cim_instance *in = cim_instance_new(method->in_class);
    rc = cim_instance_set_string(in, "ContextID", context_id, err);
    if (rc == SMSPROV_OK)
        rc = smsprov_invoke(cx->site, &cx->call, cls_name, method->name, in, &out->out, err);
    cim_instance_free(in);
    if (rc != SMSPROV_OK)
        return rc;
    const cim_value *ec = cim_instance_get(out->out, "ErrorCode");
    out->status = (uint32_t)uint_of(out->out, "Status");
    out->progress = (uint32_t)uint_of(out->out, "Progress");
    out->max_progress = (uint32_t)uint_of(out->out, "MaxProgress");
    out->error_code = ec && !ec->is_null ? (int32_t)ec->u.sint : 0;
    out->text = string_of(out->out, "ProgressText");
    out->extended = string_of(out->out, "ExtendedErrorInfo");
    return SMSPROV_OK;
}

static const char *status_name(uint32_t status)
{
    switch (status) {
    case STATUS_COMPLETE: return "Complete";
    case STATUS_IN_PROGRESS: return "In progress";
    case STATUS_ERROR: return "Error";
    default: return "No status";
    }
}

/* stdout: the out-parameters as JSON with --json, else one Name: value
 * line each. */
static void print_status(const cli_context *cx, const char *context_id, const job_status *s)
{
    if (cx->options.json) {
        cli_print_instance(cx, s->out);
        return;
    }
    printf("ContextID: %s\nStatus: %u (%s)\nProgress: %u of %u (%u%%)\nProgressText: %s\n"
           "ErrorCode: 0x%08X (%d)\nExtendedErrorInfo: %s\n",
           context_id, s->status, status_name(s->status), s->progress, s->max_progress,
           cli_progress_percent(s->progress, s->max_progress), s->text,
           (unsigned)s->error_code, (int)s->error_code, s->extended);
}

static void sleep_ms(unsigned ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0) {
    }
}

/* How many reads pass between two checks that the job's process lives. */
#define RECOVER_EVERY 5

/* Reads the queue until its job ends, drawing its progress.  A job whose
 * process dies would read In progress for ever: every second the site
 * marks failed the jobs of dead processes, as a restart would. */
static smsprov_code follow(cli_context *cx, const char *context_id, job_status *s,
                           smsprov_error *err)
{
    for (unsigned reads = 1;; reads++) {
        smsprov_code rc = read_status(cx, context_id, s, err);
        if (rc != SMSPROV_OK || s->status != STATUS_IN_PROGRESS)
            return rc;
        cli_progress_update(&cx->progress, s->progress, s->max_progress, s->text);
        cim_instance_free(s->out);
        s->out = NULL;
        sleep_ms(FOLLOW_INTERVAL_MS);
        if (reads % RECOVER_EVERY == 0) {
            rc = smsprov_site_recover_jobs(cx->site, NULL, err);
            if (rc != SMSPROV_OK)
                return rc;
        }
    }
}

int cli_cmd_status(cli_context *cx, int argc, char **argv)
{
    bool follow_it = argc == 2 && strcmp(argv[1], "--follow") == 0;
    if (argc == 2 && !follow_it && strcmp(argv[0], "--follow") == 0) {
        follow_it = true;
        argv[0] = argv[1];
    }
    if (argc != 1 && !follow_it)
        return cli_usage_error("usage: status CONTEXTID [--follow]");
    const char *context_id = argv[0];
    smsprov_error err = {0};
    job_status s = {0};
    smsprov_code rc = follow_it ? follow(cx, context_id, &s, &err)
                                : read_status(cx, context_id, &s, &err);
    if (follow_it && rc == SMSPROV_OK && s.status == STATUS_COMPLETE)
        cli_progress_update(&cx->progress, s.progress, s.max_progress, s.text);
    cli_progress_end(&cx->progress);
    if (rc != SMSPROV_OK) {
        int code = cli_report_error(&err);
        smsprov_error_clear(&err);
        return code;
    }
    print_status(cx, context_id, &s);
    fflush(stdout);
    int code = CLI_OK;
    if (s.status == STATUS_ERROR) {
        fprintf(stderr, "smsprov: the job of context ID %s failed: ErrorCode 0x%08X (%d): %s\n",
                context_id, (unsigned)s.error_code, (int)s.error_code, s.text);
        code = CLI_JOB_FAILED;
    } else if (s.status == STATUS_NONE && follow_it) {
        fprintf(stderr, "smsprov: no job has the context ID %s (no status queue to follow)\n",
                context_id);
        code = CLI_NO_STATUS;
    }
    cim_instance_free(s.out);
    return code;
}
