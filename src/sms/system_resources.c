/* system_resources.c - SMS_SystemResourceList, the site's systems and their
 * roles, written from the configuration when the site opens:
 *   the site server: SMS Site Server, SMS Provider;
 *   each distribution point (the site server when none is configured):
 *   SMS Distribution Point.
 * NALPath is the system's NAL path (nal.h), the value clients copy into
 * SMS_DistributionPoint.ServerNALPath. */
#include <stdlib.h>
#include <string.h>

#include "sms/nal.h"
#include "sms/site.h"

#define CLASS_NAME "SMS_SystemResourceList"
#define RESOURCE_TYPE "Windows NT Server"
#define SSL_HTTP 0
#define SSL_NOT_APPLICABLE 2

static cim_instance *new_row(const smsprov_site *site, const cim_class *cls, const char *server,
                             const char *remote, const char *role, uint32_t ssl_state)
{
    cim_instance *row = cim_instance_new(cls);
    char *nal = sms_nal_for_server(server, site->site_code);
    cim_instance_set_bool(row, "InternetEnabled", false, NULL);
    cim_instance_set_bool(row, "InternetShared", false, NULL);
    cim_instance_set_string(row, "NALPath", nal, NULL);
    cim_instance_set_string(row, "ResourceType", RESOURCE_TYPE, NULL);
    cim_instance_set_string(row, "RoleName", role, NULL);
    cim_instance_set_string(row, "ServerName", server, NULL);
    cim_instance_set_string(row, "ServerRemoteName", remote ? remote : server, NULL);
    cim_instance_set_string(row, "SiteCode", site->site_code, NULL);
    cim_instance_set_uint(row, "SslState", ssl_state, NULL);
    free(nal);
    return row;
}

static smsprov_code insert_row(store_txn *txn, cim_instance *row, smsprov_error *err)
{
    smsprov_code rc = store_insert(txn, row, err);
    cim_instance_free(row);
    return rc;
}

static smsprov_code write_rows(const smsprov_site *site, const smsprov_site_config *config,
                               store_txn *txn, const cim_class *cls, smsprov_error *err)
{
    const char *server = site->server_name;
    smsprov_code rc = insert_row(
        txn, new_row(site, cls, server, NULL, "SMS Site Server", SSL_NOT_APPLICABLE), err);
    if (rc == SMSPROV_OK)
        rc = insert_row(txn, new_row(site, cls, server, NULL, "SMS Provider", SSL_NOT_APPLICABLE),
                        err);
    if (rc == SMSPROV_OK && config->distribution_point_count == 0)
        rc = insert_row(
            txn, new_row(site, cls, server, NULL, "SMS Distribution Point", SSL_HTTP), err);
    for (size_t i = 0; rc == SMSPROV_OK && i < config->distribution_point_count; i++) {
        const smsprov_distribution_point *dp = &config->distribution_points[i];
        cim_instance *row = new_row(site, cls, dp->server_name, dp->remote_name,
                                    "SMS Distribution Point", SSL_HTTP);
        cim_instance *existing = NULL;
        /* The site server may be named as a distribution point as well. */
        if (store_get(txn, cls, row, &existing, NULL) == SMSPROV_OK) {
            cim_instance_free(existing);
            cim_instance_free(row);
            continue;
        }
        rc = insert_row(txn, row, err);
    }
    return rc;
}

static smsprov_code delete_all(store_txn *txn, const cim_class *cls, smsprov_error *err)
{
    smsprov_instance_list rows = {0};
    store_query all = {.limit = -1};
    smsprov_code rc = store_select(txn, cls, &all, &rows, err);
    for (size_t i = 0; rc == SMSPROV_OK && i < rows.count; i++)
        rc = store_delete(txn, cls, rows.items[i], err);
    smsprov_instance_list_clear(&rows);
    return rc;
}

static smsprov_code count_rows(store_txn *txn, const cim_class *cls, size_t *count,
                               smsprov_error *err)
{
    smsprov_instance_list rows = {0};
    store_query all = {.limit = -1};
    smsprov_code rc = store_select(txn, cls, &all, &rows, err);
    *count = rows.count;
    smsprov_instance_list_clear(&rows);
    return rc;
}

/* A NAL path cannot carry these inside a name (nal.h). */
static smsprov_code check_name(const char *what, const char *name, smsprov_error *err)
{
    if (name && *name && !strpbrk(name, "\"\\[]/:"))
        return SMSPROV_OK;
    return smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER,
                             "The %s name \"%s\" cannot be part of a NAL path; give a host "
                             "name (letters, digits, '-' and '.').",
                             what, name ? name : "");
}

smsprov_code sms_write_system_resources_in(smsprov_site *site, const smsprov_site_config *config,
                                           store_txn *txn, smsprov_error *err)
{
    smsprov_code rc = check_name("site server", site->server_name, err);
    for (size_t i = 0; rc == SMSPROV_OK && i < config->distribution_point_count; i++)
        rc = check_name("distribution point", config->distribution_points[i].server_name, err);
    if (rc != SMSPROV_OK)
        return rc;
    const cim_class *cls = cim_schema_find_class(site->schema, site->site_namespace, CLASS_NAME);
    if (!cls)
        return SMSPROV_OK; /* a schema without the class (an older mof/ folder) */
    bool configured = config->distribution_point_count > 0 || config->server_name;
    size_t existing = 0;
    if (!configured)
        rc = count_rows(txn, cls, &existing, err);
    if (rc == SMSPROV_OK && (configured || existing == 0)) {
        rc = delete_all(txn, cls, err);
        if (rc == SMSPROV_OK)
            rc = write_rows(site, config, txn, cls, err);
    }
    return rc;
}

smsprov_code sms_write_system_resources(smsprov_site *site, const smsprov_site_config *config,
                                        smsprov_error *err)
{
    store_txn *txn = NULL;
    smsprov_code rc = store_begin(site->store, true, &txn, err);
    if (rc != SMSPROV_OK)
        return rc;
    rc = sms_write_system_resources_in(site, config, txn, err);
    if (rc != SMSPROV_OK) {
        store_rollback(txn);
        return rc;
    }
    return store_commit(txn, err);
}
