/*
 * site.h - the state behind an smsprov_site, shared by the files of src/sms.
 */
#ifndef SMSPROV_SMS_SITE_H
#define SMSPROV_SMS_SITE_H

#include "jobs/jobs.h"
#include "smsprov/provider.h"
#include "store/store.h"

typedef struct sms_rbac_cache sms_rbac_cache;

struct smsprov_site {
    cim_schema *schema;
    store *store;
    char *site_code;       /* "LAB" */
    char *site_name;
    char *server_name;
    char *site_namespace;  /* "root\\sms\\site_LAB" */
    char *location;        /* of the store (smsprov_site_config.location) */
    char *runner_dir;      /* the job pool's runner locks */
    char *content_root;
    smsprov_share *shares; /* owned copies */
    size_t share_count;
    unsigned worker_count;
    char *adk_root;        /* NULL when not configured */
    char *configmgr_root;  /* NULL when not configured */
    jobs_pool *jobs;       /* long work: boot image imports and refreshes */
    smsprov_log_fn log;    /* smsprov_site_config.log */
    void *log_data;
    sms_rbac_cache *rbac_cache; /* callers' roles and scopes (rbac_cache.c) */
};

/* Writes SMS_SystemResourceList from config (system_resources.c): the site
 * server's roles and each distribution point, NAL paths as nal.h writes
 * them.  See smsprov_site_config.distribution_points for when. */
smsprov_code sms_write_system_resources(smsprov_site *site, const smsprov_site_config *config,
                                        smsprov_error *err);
/* The same inside the caller's write transaction. */
smsprov_code sms_write_system_resources_in(smsprov_site *site, const smsprov_site_config *config,
                                           store_txn *txn, smsprov_error *err);

/* The namespace a query runs in, after checking what every query needs:
 * WQL (else SMSPROV_E_INVALID_QUERY_TYPE) and a query that is not empty
 * (else SMSPROV_E_INVALID_QUERY); errors of sms_resolve_namespace. */
smsprov_code sms_query_namespace(const smsprov_site *site, const smsprov_call *call,
                                 const char *language, const char *query, const char **ns,
                                 smsprov_error *err);

/* The namespace a call addresses: call->namespace_path or the site's.
 * SMSPROV_E_INVALID_NAMESPACE when the schema does not know it. */
smsprov_code sms_resolve_namespace(const smsprov_site *site, const smsprov_call *call,
                                   const char **out, smsprov_error *err);

/* Looks a class up in a namespace; SMSPROV_E_INVALID_CLASS with a sentence
 * naming it when it is not there. */
smsprov_code sms_find_class(const smsprov_site *site, const char *namespace_path,
                            const char *class_name, const cim_class **out, smsprov_error *err);

/* Refuses classes that hold no instances of their own: system and parameter
 * classes, and embedded classes (which live only inside another instance).
 * operation is the verb for the sentence ("enumerated", "read", ...). */
smsprov_code sms_check_instance_class(const cim_class *cls, const char *operation,
                                      smsprov_error *err);

/* Parses an object path and turns its key bindings into a key instance of
 * the path's class (typed as the class declares).  *cls_out gets the class. */
smsprov_code sms_path_to_keys(const smsprov_site *site, const char *namespace_path,
                              const char *object_path, const cim_class **cls_out,
                              cim_instance **keys_out, smsprov_error *err);

/* Loads the stored instance an object path names, lazy properties filled;
 * SMSPROV_E_NOT_FOUND with a sentence naming the path when there is none. */
smsprov_code sms_load_path(const smsprov_site *site, const char *namespace_path,
                           const char *object_path, cim_instance **out, smsprov_error *err);

/* Sets every lazy property of inst to null, as enumerations and queries
 * return them. */
void sms_null_lazy_properties(cim_instance *inst);

/* True for a valid site code: three upper-case letters or digits ("LAB"). */
bool sms_is_site_code(const char *code);

/* Reads the stored instance with the keys of keys in one write transaction,
 * lets change() edit it, checks it (sms_validate_instance) and stores it:
 * the read-modify-write every server-side change of an instance goes
 * through, so concurrent changes are never lost. */
typedef smsprov_code (*sms_modify_fn)(void *data, cim_instance *inst, smsprov_error *err);
smsprov_code sms_modify_instance(smsprov_site *site, const cim_instance *keys,
                                 sms_modify_fn change, void *data, smsprov_error *err);

/* A fresh GUID in registry format, upper case, without braces. Caller frees. */
char *sms_new_guid(void);

/* Now, as a CIM DATETIME in UTC. */
cim_value sms_datetime_now(void);

/* The class name in the site namespace; NULL when the schema lacks it. */
const cim_class *sms_site_class(const smsprov_site *site, const char *name);

#endif
