/*
 * smsprov/provider.h - the provider API: the only way into a site.
 *
 * Every door (WS-Management, CIM-XML, the COM DLL, the command line) turns
 * its protocol into these calls and their results back into its protocol.
 * No door holds SMS logic, so a behaviour fixed here is fixed for all.
 *
 * Every function is safe to call from many threads at once on one site.
 * Functions return SMSPROV_OK or a WBEM status code and, on failure, fill
 * *err (which may be NULL) with the details.
 */
#ifndef SMSPROV_PROVIDER_H
#define SMSPROV_PROVIDER_H

#include "smsprov/cim.h"
#include "smsprov/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct smsprov_site smsprov_site;

/* A UNC share the server maps to a local folder. */
typedef struct smsprov_share {
    const char *unc_prefix; /* "\\\\lab\\sources" (case-insensitive) */
    const char *local_dir;  /* "/srv/smsprov/sources" */
} smsprov_share;

/* A report for the administrator's log: one sentence (not escaped; the
 * receiver escapes), severity as CMTrace's type (1 information, 2
 * warning, 3 error), and the source file and line that reported it. */
typedef void (*smsprov_log_fn)(void *data, int severity, const char *file, int line,
                               const char *message);

/* A distribution point of the site: a site system the site's packages are
 * distributed to.  SMS_SystemResourceList gets one row per entry. */
typedef struct smsprov_distribution_point {
    const char *server_name; /* "DP01": NetBIOS name, used in its NAL path */
    const char *remote_name; /* "dp01.lab.example": intranet FQDN; NULL: none known */
} smsprov_distribution_point;

typedef struct smsprov_site_config {
    /* Where the site's store lives, created when missing:
     * "<backend>:<rest>", e.g. "sqlite:/var/lib/smsprov/site.db", or a
     * plain file path, which is an SQLite file ("C:\\sites\\lab.db" too:
     * one letter before the colon is a drive).  The site keeps its job
     * runner locks (<file>-runners/) and, by default, its content folder
     * beside an SQLite file; a store without a local file needs
     * content_root, and keeps its runner locks in <content_root>-runners/.
     * NULL: database_path. */
    const char *location;
    /* The older name of location, for callers that predate it: the same
     * syntax.  Used when location is NULL; naming both, differently, is an
     * error. */
    const char *database_path;
    const char *mof_dir;       /* NULL: the installed or source-tree mof/ folder */
    const char *site_code;     /* NULL: "LAB" */
    const char *site_name;     /* NULL: "<site code> Lab Site" */
    const char *server_name;   /* NULL: this host's name */
    const char *content_root;  /* where boot.<PackageID>.wim files go; NULL: beside the database */
    const smsprov_share *shares;
    size_t share_count;
    unsigned worker_count;     /* 0: number of cores */
    /* Where boot image servicing takes the files it injects: the Windows ADK
     * (the folder holding "Assessment and Deployment Kit", or that folder)
     * and the ConfigMgr install folder (holding bin\x64\osdinjection.xml).
     * NULL: not configured; boot image imports and refreshes then fail
     * with a sentence saying so. */
    const char *adk_root;
    const char *configmgr_root;
    /* Where the site reports every job's start (kind, context ID, target,
     * caller), end (how long it ran) and failure (ErrorCode and sentence),
     * and the jobs of a dead or stopping process it marks failed; called
     * from worker threads too.  NULL: no reports. */
    smsprov_log_fn log;
    void *log_data;
    /* The first Full Administrator (a user name as the doors authenticate
     * it, e.g. "admin" or "LAB\\alice"): when no administrative user has
     * this LogonName, one is added with the Full Administrator role and the
     * All scope.  NULL: none is added.  See README, "Role-based
     * administration". */
    const char *first_admin;

    /* The site's distribution points (SMS_SystemResourceList).  None: the
     * site server is the site's one distribution point, as a primary site
     * installs one on itself by default.  SMS_SystemResourceList is
     * rewritten at open when this list or server_name is given, or when it
     * is empty, so a command-line call that names neither keeps what the
     * server wrote. */
    const smsprov_distribution_point *distribution_points;
    size_t distribution_point_count;
} smsprov_site_config;

/* Opens (creating or upgrading as needed) the site database, compiles the
 * MOF schema and seeds root\sms\SMS_ProviderLocation. */
smsprov_code smsprov_site_open(const smsprov_site_config *config, smsprov_site **out,
                               smsprov_error *err);
void smsprov_site_close(smsprov_site *site);

/* Puts in force, on an open site, the parts of config a server may change
 * while it runs (smsprovd's configuration reload): the distribution points
 * (SMS_SystemResourceList rewritten as at open) and first_admin (added when
 * no administrator has that name).  One transaction: on an error nothing
 * changed.  The other fields are ignored; they take a new open.
 * SMSPROV_E_INVALID_PARAMETER for a name that cannot be part of a NAL path,
 * or the store's error. */
smsprov_code smsprov_site_reconfigure(smsprov_site *site, const smsprov_site_config *config,
                                      smsprov_error *err);

/* For a server about to exit without waiting for its running jobs (a
 * shutdown bound ran out): marks each of them failed, with a last status
 * entry saying the server stopped during it, so no job is left "In
 * progress".  *marked (may be NULL) gets how many.  Safe to call while
 * another thread is inside smsprov_site_close. */
smsprov_code smsprov_site_abandon_jobs(smsprov_site *site, unsigned *marked, smsprov_error *err);

/* How many of the site's jobs (imports, refreshes, exports) are queued or
 * running in this process now. */
unsigned smsprov_site_unfinished_jobs(smsprov_site *site);
/* Waits until none of the site's jobs in this process is queued or
 * running, or timeout_ms has passed; true when none is.  A host that
 * must stop uses it to let running servicing finish first. */
bool smsprov_site_wait_jobs(smsprov_site *site, unsigned timeout_ms);

/* Marks failed, as opening a site does, every job whose process is gone
 * (killed, crashed): ErrorCode 995 and a last status entry saying so, and
 * a job report.  For a client following a job another process runs, which
 * would otherwise see it "In progress" for ever.  *marked (may be NULL)
 * gets how many. */
smsprov_code smsprov_site_recover_jobs(smsprov_site *site, unsigned *marked, smsprov_error *err);

/* Called once, from the thread that noticed, when the site database's files
 * are deleted, replaced or truncated under the running process, with a
 * sentence saying which file, what happened and what is refused from then
 * on (writes; everything when the -shm file went).  A server logs it.
 * Details: src/store/README.md, "Database health". */
typedef void (*smsprov_fault_fn)(void *data, const char *sentence);
void smsprov_site_on_database_fault(smsprov_site *site, smsprov_fault_fn fn, void *data);

const cim_schema *smsprov_site_schema(const smsprov_site *site);
const char *smsprov_site_code(const smsprov_site *site);
/* "root\\sms\\site_LAB" */
const char *smsprov_site_namespace(const smsprov_site *site);

/* Per-call options; pass NULL for the defaults. */
typedef void (*smsprov_progress_fn)(void *data, uint32_t done, uint32_t total, const char *text);
typedef struct smsprov_call {
    const char *namespace_path;  /* NULL: the site namespace */
    /* Who asks: the name the door authenticated, checked against the
     * site's administrative users (SMS_Admin.LogonName) for every call;
     * someone who is none sees nothing and may do nothing.  NULL: the site
     * itself (an in-process caller with every right); doors never pass
     * NULL. */
    const char *user;
    smsprov_progress_fn progress; /* optional progress of a long method */
    void *progress_data;
    /* Optional, asked after each progress report of a long method: true
     * when the caller's client has gone (cancelled, disconnected).  The
     * call then returns SMSPROV_E_CALL_CANCELLED at once; the job it
     * started runs on to its end, and its status queue tells how. */
    bool (*client_gone)(void *progress_data);
} smsprov_call;

/* A list of instances returned by enumerate and query. */
typedef struct smsprov_instance_list {
    cim_instance **items;
    size_t count;
} smsprov_instance_list;
void smsprov_instance_list_clear(smsprov_instance_list *list);

/* The class definition.  The pointer stays valid until the site closes. */
smsprov_code smsprov_get_class(smsprov_site *site, const smsprov_call *call,
                               const char *class_name, const cim_class **out, smsprov_error *err);

/* Classes of the namespace (see cim_schema_list_classes); the array is
 * malloc'd, the classes belong to the site. */
smsprov_code smsprov_enum_classes(smsprov_site *site, const smsprov_call *call,
                                  const char *superclass_name, bool deep,
                                  const cim_class ***out, size_t *count, smsprov_error *err);

typedef enum smsprov_enum_flags {
    SMSPROV_ENUM_DEEP = 0,    /* the class and every subclass */
    SMSPROV_ENUM_SHALLOW = 1, /* only instances whose class is exactly this one */
} smsprov_enum_flags;

/* Every instance of the class, lazy properties null, in key order.
 * Enumerating an abstract class deeply gives its children's instances; an
 * embedded class cannot be enumerated (SMSPROV_E_INVALID_OPERATION).  The
 * whole result at once: doors use smsprov_enumerate_open instead. */
smsprov_code smsprov_enumerate(smsprov_site *site, const smsprov_call *call,
                               const char *class_name, smsprov_enum_flags flags,
                               smsprov_instance_list *out, smsprov_error *err);

/* ------------------------------------------------------------------------ */
/* Cursors: enumerations and queries read in batches                        */
/* ------------------------------------------------------------------------ */

/* A cursor hands out the instances of an enumeration or a query a batch at
 * a time, straight from the database: each batch is a fresh read
 * transaction that continues after the last instance handed out, in the
 * result's order (key order, or the query's ORDER BY then the keys).  An
 * open cursor holds that position and the query, never instances, so its
 * memory does not depend on the result size.  Exceptions: a query with
 * COUNT or DISTINCT reads its whole (small) answer at the first batch.
 *
 * When instances change between two batches, the reader sees no instance
 * twice and misses none that existed, and matched, throughout; an instance
 * created, changed or deleted in between is seen (as it then is) exactly
 * when its place in the order comes after the last one handed out.
 *
 * A cursor is used by one thread at a time; the site must outlive it. */
typedef struct smsprov_cursor smsprov_cursor;

/* Opens a cursor over what smsprov_enumerate would return; the errors of
 * smsprov_enumerate, and no instance is read yet. */
smsprov_code smsprov_enumerate_open(smsprov_site *site, const smsprov_call *call,
                                    const char *class_name, smsprov_enum_flags flags,
                                    smsprov_cursor **out, smsprov_error *err);
/* Opens a cursor over what smsprov_query would return; the errors of
 * smsprov_query (parsing, classes, properties) come here, not at the first
 * batch. */
smsprov_code smsprov_query_open(smsprov_site *site, const smsprov_call *call,
                                const char *language, const char *query, smsprov_cursor **out,
                                smsprov_error *err);

/* What a batch callback does with the instance it is given. */
typedef enum smsprov_take {
    SMSPROV_TAKE_NEXT = 0,   /* took it (owns it now); give the next */
    SMSPROV_TAKE_STOP = 1,   /* took it (owns it now); end the batch here */
    SMSPROV_TAKE_REFUSE = 2, /* did not take it (the cursor frees it); end the batch before
                              * it, so the next batch starts with it */
} smsprov_take;
typedef smsprov_take (*smsprov_take_fn)(void *data, cim_instance *take);

/* Reads the next batch, calling fn with each instance until fn ends the
 * batch or the instances run out.  hint is how many the caller expects to
 * take (the cursor reads that many rows at a time).  *end (may be NULL) is
 * true when nothing remains after the batch.  Errors: those of the store
 * (SMSPROV_E_FAILED, SMSPROV_E_CRITICAL_ERROR for a damaged database); the
 * position then stays after the last instance taken, so a retry resumes. */
smsprov_code smsprov_cursor_next(smsprov_cursor *c, size_t hint, smsprov_take_fn fn, void *data,
                                 bool *end, smsprov_error *err);
/* The next batch of at most max instances, appended to *out. */
smsprov_code smsprov_cursor_read(smsprov_cursor *c, size_t max, smsprov_instance_list *out,
                                 bool *end, smsprov_error *err);
/* True once a batch found nothing after the position. */
bool smsprov_cursor_at_end(const smsprov_cursor *c);
void smsprov_cursor_close(smsprov_cursor *c);

/* One instance by object path, lazy properties filled.  A class path
 * (no keys) is refused; use smsprov_get_class. */
smsprov_code smsprov_get(smsprov_site *site, const smsprov_call *call, const char *object_path,
                         cim_instance **out, smsprov_error *err);

typedef enum smsprov_put_mode {
    SMSPROV_PUT_CREATE_OR_UPDATE = 0,
    SMSPROV_PUT_CREATE_ONLY = 1,
    SMSPROV_PUT_UPDATE_ONLY = 2,
} smsprov_put_mode;

/* Creates or updates an instance with SMS Provider semantics: server-made
 * keys (PackageID), defaults, read-only values ignored, validation, SEDO
 * version check.  With property_list (NULL-terminated) only those properties
 * are taken from inst on update; NULL takes them all.  *out_path, when not
 * NULL, gets the relative path of the stored instance (caller frees). */
smsprov_code smsprov_put(smsprov_site *site, const smsprov_call *call, const cim_instance *inst,
                         smsprov_put_mode mode, const char *const *property_list,
                         char **out_path, smsprov_error *err);

smsprov_code smsprov_delete(smsprov_site *site, const smsprov_call *call, const char *object_path,
                            smsprov_error *err);

/* Runs a query; language is "WQL" (case-insensitive).  Results are instances
 * of the queried class (or of its children), lazy properties null, and only
 * the selected properties set when the select list names them.  The whole
 * result at once: doors use smsprov_query_open instead. */
smsprov_code smsprov_query(smsprov_site *site, const smsprov_call *call, const char *language,
                           const char *query, smsprov_instance_list *out, smsprov_error *err);

/* Invokes a method.  target is an instance path for an instance method, or
 * a class name (or class path) for a static method.  in_params is an
 * instance of the method's in_class (NULL when it takes none).  On success
 * *out_params is an instance of its out_class with ReturnValue set. */
smsprov_code smsprov_invoke(smsprov_site *site, const smsprov_call *call, const char *target,
                            const char *method_name, const cim_instance *in_params,
                            cim_instance **out_params, smsprov_error *err);

#ifdef __cplusplus
}
#endif

#endif
