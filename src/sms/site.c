/* site.c - opening and closing a site: schema, store, site identity. */
#include "sms/site.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mof/mof.h"
#include "osd/inject.h"
#include "platform/platform.h"
#include "sms/optional_component_catalog.h"
#include "sms/provider_location.h"
#include "sms/rbac.h"

#ifndef SMSPROV_SOURCE_MOF_DIR
#define SMSPROV_SOURCE_MOF_DIR "mof"
#endif
#ifndef SMSPROV_INSTALLED_MOF_DIR
#define SMSPROV_INSTALLED_MOF_DIR "/usr/local/share/smsprov/mof"
#endif

static bool is_directory(const char *path)
{
    platform_file_info st;
    return path && platform_file_info_get(path, &st) == 0 && st.is_dir;
}

/* The configured folder, else $SMSPROV_MOF_DIR, else the installed copy, else
 * (unless built with SMSPROV_NO_SOURCE_MOF_FALLBACK, as packages are) the
 * source tree's, so a fresh checkout works without installing. */
static const char *choose_mof_dir(const smsprov_site_config *config)
{
    if (config->mof_dir)
        return config->mof_dir;
    const char *env = getenv("SMSPROV_MOF_DIR");
    if (env && *env)
        return env;
#ifdef SMSPROV_NO_SOURCE_MOF_FALLBACK
    return SMSPROV_INSTALLED_MOF_DIR;
#else
    if (is_directory(SMSPROV_INSTALLED_MOF_DIR))
        return SMSPROV_INSTALLED_MOF_DIR;
    return SMSPROV_SOURCE_MOF_DIR;
#endif
}

bool sms_is_site_code(const char *code)
{
    if (!code || strlen(code) != 3)
        return false;
    for (const char *p = code; *p; p++)
        if (!((*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9')))
            return false;
    return true;
}

static smsprov_code compile_schema(smsprov_site *site, const char *mof_dir, smsprov_error *err)
{
    if (!is_directory(mof_dir))
        return smsprov_error_set(err, SMSPROV_E_CRITICAL_ERROR,
                                 "The MOF folder %s does not exist; set mof_dir in the site "
                                 "configuration or SMSPROV_MOF_DIR to the project's mof/ folder.",
                                 mof_dir);
    return mof_compile_schema(site->schema, mof_dir, site->site_namespace, err);
}

/* Servicing folders are kept absolute: paths stored in packages and shown
 * to clients must not depend on the directory the server started in. */
static char *absolute_path(const char *path)
{
    if (!path)
        return NULL;
    char cwd[4096];
    if (platform_is_absolute(path) || !getcwd(cwd, sizeof cwd))
        return cim_xstrdup(path);
    return cim_xasprintf("%s/%s", cwd, path);
}

static void copy_shares(smsprov_site *site, const smsprov_site_config *config)
{
    site->share_count = config->share_count;
    site->shares = cim_xcalloc(config->share_count ? config->share_count : 1, sizeof *site->shares);
    for (size_t i = 0; i < config->share_count; i++) {
        site->shares[i].unc_prefix = cim_xstrdup(config->shares[i].unc_prefix);
        site->shares[i].local_dir = absolute_path(config->shares[i].local_dir);
    }
}

static char *default_content_root(const char *database_path)
{
    const char *slash = platform_last_separator(database_path);
    if (!slash)
        return cim_xstrdup("content");
    return cim_xasprintf("%.*s/content", (int)(slash - database_path), database_path);
}

/* The store's location: config->location, else its older name. */
static smsprov_code choose_location(smsprov_site *site, const smsprov_site_config *config,
                                    smsprov_error *err)
{
    const char *location = config->location && *config->location ? config->location
                                                                  : config->database_path;
    if (!location || !*location)
        return smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER,
                                 "The site configuration names no database file.");
    if (config->location && *config->location && config->database_path &&
        *config->database_path && strcmp(config->location, config->database_path) != 0)
        return smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER,
                                 "The site configuration names two stores, %s (location) and %s "
                                 "(database_path); name one.",
                                 config->location, config->database_path);
    site->location = cim_xstrdup(location);
    return SMSPROV_OK;
}

/* The content folder and the runner locks go beside the store's file, or,
 * for a store without one, at and beside the configured content root. */
static smsprov_code place_folders(smsprov_site *site, const smsprov_site_config *config,
                                  smsprov_error *err)
{
    const char *file = store_location_file(site->location);
    if (!file && !config->content_root)
        return smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER,
                                 "The site store %s keeps no local file to put the content "
                                 "folder beside; set content_root.",
                                 site->location);
    char *content_root = config->content_root ? cim_xstrdup(config->content_root)
                                              : default_content_root(file);
    site->content_root = absolute_path(content_root);
    free(content_root);
    site->runner_dir = cim_xasprintf("%s-runners", file ? file : site->content_root);
    return SMSPROV_OK;
}

/* Boot image servicing: the worker pool (which marks failed the jobs a
 * crashed process left running) and the temporary WIM files such a
 * process left in the content folder. */
static bool owner_is_gone(void *data, const char *runner)
{
    return jobs_runner_gone(data, runner);
}

static smsprov_code start_jobs(smsprov_site *site, smsprov_error *err)
{
    smsprov_code rc =
        jobs_pool_open_logged(site->store, site->runner_dir, site->worker_count, site->log,
                              site->log_data, &site->jobs, err);
    if (rc == SMSPROV_OK)
        osd_inject_remove_stale(site->content_root, owner_is_gone, site->jobs);
    return rc;
}

static char *host_name(void)
{
    char *name = platform_host_name();
    return name ? name : cim_xstrdup("localhost");
}

smsprov_code smsprov_site_open(const smsprov_site_config *config, smsprov_site **out,
                               smsprov_error *err)
{
    *out = NULL;
    if (!config)
        return smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER,
                                 "The site configuration names no database file.");
    const char *code = config->site_code ? config->site_code : "LAB";
    if (!sms_is_site_code(code))
        return smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER,
                                 "The site code \"%s\" is not valid: a site code is three "
                                 "upper-case letters or digits, such as LAB.",
                                 code);

    smsprov_site *site = cim_xcalloc(1, sizeof *site);
    site->site_code = cim_xstrdup(code);
    site->site_name = config->site_name ? cim_xstrdup(config->site_name)
                                        : cim_xasprintf("%s Lab Site", code);
    site->server_name = config->server_name ? cim_xstrdup(config->server_name) : host_name();
    site->site_namespace = cim_xasprintf("root\\sms\\site_%s", code);
    site->worker_count = config->worker_count;
    site->log = config->log;
    site->log_data = config->log_data;
    site->adk_root = absolute_path(config->adk_root);
    site->configmgr_root = absolute_path(config->configmgr_root);
    copy_shares(site, config);
    site->schema = cim_schema_new();

    smsprov_code rc = choose_location(site, config, err);
    if (rc == SMSPROV_OK)
        rc = compile_schema(site, choose_mof_dir(config), err);
    if (rc == SMSPROV_OK)
        rc = store_open(site->location, site->schema, &site->store, err);
    if (rc == SMSPROV_OK)
        rc = place_folders(site, config, err);
    if (rc == SMSPROV_OK)
        rc = sms_write_provider_location(site, err);
    if (rc == SMSPROV_OK)
        rc = sms_rbac_seed(site, config->first_admin, err);
    if (rc == SMSPROV_OK)
        site->rbac_cache = sms_rbac_cache_new();
    if (rc == SMSPROV_OK)
        rc = sms_write_system_resources(site, config, err);
    /* The optional component catalogue mirrors the ADK tree. */
    if (rc == SMSPROV_OK)
        rc = sms_write_oc_catalog(site, err);
    if (rc == SMSPROV_OK)
        rc = start_jobs(site, err);
    if (rc != SMSPROV_OK) {
        smsprov_site_close(site);
        return rc;
    }
    *out = site;
    return SMSPROV_OK;
}

smsprov_code smsprov_site_reconfigure(smsprov_site *site, const smsprov_site_config *config,
                                      smsprov_error *err)
{
    store_txn *txn = NULL;
    smsprov_code rc = store_begin(site->store, true, &txn, err);
    if (rc != SMSPROV_OK)
        return rc;
    rc = sms_write_system_resources_in(site, config, txn, err);
    if (rc == SMSPROV_OK)
        rc = sms_rbac_add_first_admin(site, txn, config->first_admin, err);
    if (rc != SMSPROV_OK) {
        store_rollback(txn);
        return rc;
    }
    rc = store_commit(txn, err);
    /* a new administrator changes what callers may see */
    if (rc == SMSPROV_OK)
        sms_rbac_cache_drop(site->rbac_cache);
    return rc;
}

void smsprov_site_close(smsprov_site *site)
{
    if (!site)
        return;
    jobs_pool_close(site->jobs); /* finishes the jobs still queued first */
    store_close(site->store);
    sms_rbac_cache_free(site->rbac_cache);
    cim_schema_free(site->schema);
    for (size_t i = 0; i < site->share_count; i++) {
        free((char *)site->shares[i].unc_prefix);
        free((char *)site->shares[i].local_dir);
    }
    free(site->shares);
    free(site->site_code);
    free(site->site_name);
    free(site->server_name);
    free(site->site_namespace);
    free(site->location);
    free(site->runner_dir);
    free(site->content_root);
    free(site->adk_root);
    free(site->configmgr_root);
    free(site);
}

smsprov_code smsprov_site_recover_jobs(smsprov_site *site, unsigned *marked, smsprov_error *err)
{
    if (marked)
        *marked = 0;
    return site->jobs ? jobs_pool_recover(site->jobs, marked, err) : SMSPROV_OK;
}

smsprov_code smsprov_site_abandon_jobs(smsprov_site *site, unsigned *marked, smsprov_error *err)
{
    if (marked)
        *marked = 0;
    return site->jobs ? jobs_pool_abandon(site->jobs, marked, err) : SMSPROV_OK;
}

unsigned smsprov_site_unfinished_jobs(smsprov_site *site)
{
    return site->jobs ? jobs_pool_unfinished(site->jobs) : 0;
}

bool smsprov_site_wait_jobs(smsprov_site *site, unsigned timeout_ms)
{
    return site->jobs ? jobs_pool_wait_idle(site->jobs, timeout_ms) : true;
}

void smsprov_site_on_database_fault(smsprov_site *site, smsprov_fault_fn fn, void *data)
{
    store_set_fault_handler(site->store, fn, data);
}

const cim_schema *smsprov_site_schema(const smsprov_site *site)
{
    return site->schema;
}

const char *smsprov_site_code(const smsprov_site *site)
{
    return site->site_code;
}

const char *smsprov_site_namespace(const smsprov_site *site)
{
    return site->site_namespace;
}

smsprov_code sms_resolve_namespace(const smsprov_site *site, const smsprov_call *call,
                                   const char **out, smsprov_error *err)
{
    const char *ns = call && call->namespace_path ? call->namespace_path : site->site_namespace;
    if (!cim_schema_has_namespace(site->schema, ns))
        return smsprov_error_set(err, SMSPROV_E_INVALID_NAMESPACE,
                                 "The namespace %s does not exist on this server; the site "
                                 "namespace is %s and the provider location is in root\\sms.",
                                 ns, site->site_namespace);
    *out = ns;
    return SMSPROV_OK;
}

smsprov_code sms_find_class(const smsprov_site *site, const char *namespace_path,
                            const char *class_name, const cim_class **out, smsprov_error *err)
{
    const cim_class *cls = class_name && *class_name
                               ? cim_schema_find_class(site->schema, namespace_path, class_name)
                               : NULL;
    if (!cls) {
        smsprov_error_set(err, SMSPROV_E_INVALID_CLASS,
                          "The class \"%s\" does not exist in namespace %s.",
                          class_name ? class_name : "", namespace_path);
        smsprov_error_set_object(err, class_name);
        return SMSPROV_E_INVALID_CLASS;
    }
    *out = cls;
    return SMSPROV_OK;
}

smsprov_code sms_check_instance_class(const cim_class *cls, const char *operation,
                                      smsprov_error *err)
{
    if (cls->flags & (CIM_CLASS_SYSTEM | CIM_CLASS_PARAMETERS))
        return smsprov_error_set(err, SMSPROV_E_INVALID_CLASS,
                                 "%s is a system class; its instances cannot be %s here.",
                                 cls->name, operation);
    if (cls->flags & CIM_CLASS_EMBEDDED)
        return smsprov_error_set(err, SMSPROV_E_INVALID_OPERATION,
                                 "%s is an embedded class: its instances exist only inside "
                                 "another object's property and cannot be %s on their own.",
                                 cls->name, operation);
    return SMSPROV_OK;
}

void sms_null_lazy_properties(cim_instance *inst)
{
    for (size_t i = 0; i < inst->cls->property_count; i++)
        if (inst->cls->properties[i].flags & CIM_PROP_LAZY)
            cim_value_clear(&inst->values[i]);
}

const cim_class *sms_site_class(const smsprov_site *site, const char *name)
{
    return cim_schema_find_class(site->schema, site->site_namespace, name);
}
