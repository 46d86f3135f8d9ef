/* check_config.c - `smsprovd check-config FILE`: everything the server
 * would trip over at start, found without opening the site or a port, so a
 * service manager can refuse to start a broken configuration and say why.
 * The checks run as the calling user: run as the service user they tell
 * whether that user can read and write what it must. */
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "http/http.h"
#include "smsprov/cim.h"
#include "smsprovd.h"

static smsprov_code need_folder(const char *path, const char *what, int access_mode,
                                smsprov_error *err)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER, "%s %s does not exist (%s).",
                                 what, path, strerror(errno));
    if (!S_ISDIR(st.st_mode))
        return smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER, "%s %s is not a folder.",
                                 what, path);
    if (access(path, access_mode) != 0)
        return smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER,
                                 "%s %s cannot be %s by this user (%s).", what, path,
                                 (access_mode & W_OK) ? "written" : "read", strerror(errno));
    return SMSPROV_OK;
}

/* A file the server creates when missing and writes beside (SQLite's -wal
 * and -shm files and the job runners' locks; the log's rolled-over copy):
 * its folder writable, and the file too when it exists. */
static smsprov_code need_writable_file(const char *path, const char *what, smsprov_error *err)
{
    const char *slash = strrchr(path, '/');
    char *folder = slash ? cim_xasprintf("%.*s", (int)(slash == path ? 1 : slash - path), path)
                         : cim_xstrdup(".");
    char *label = cim_xasprintf("The folder of %s", what);
    smsprov_code rc = need_folder(folder, label, W_OK | X_OK, err);
    free(label);
    free(folder);
    if (rc == SMSPROV_OK && access(path, F_OK) == 0 && access(path, R_OK | W_OK) != 0)
        rc = smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER,
                               "The file of %s, %s, cannot be written by this user (%s).", what,
                               path, strerror(errno));
    return rc;
}

static smsprov_code check_paths(const smsprov_config *cfg, smsprov_error *err)
{
    smsprov_code rc = need_writable_file(cfg->database_path, "the site database", err);
    if (rc == SMSPROV_OK && cfg->log_file)
        rc = need_writable_file(cfg->log_file, "the log file", err);
    if (rc == SMSPROV_OK && cfg->mof_dir)
        rc = need_folder(cfg->mof_dir, "The MOF folder (mof_dir)", R_OK | X_OK, err);
    if (rc == SMSPROV_OK && cfg->content_root)
        rc = need_folder(cfg->content_root, "The content folder (content_root)", W_OK | X_OK,
                         err);
    if (rc == SMSPROV_OK && cfg->adk_root)
        rc = need_folder(cfg->adk_root, "The ADK folder (adk_root)", R_OK | X_OK, err);
    if (rc == SMSPROV_OK && cfg->configmgr_root)
        rc = need_folder(cfg->configmgr_root, "The ConfigMgr folder (configmgr_root)",
                         R_OK | X_OK, err);
    for (size_t i = 0; rc == SMSPROV_OK && i < cfg->share_count; i++) {
        char *what = cim_xasprintf("The folder of share %s", cfg->shares[i].unc_prefix);
        rc = need_folder(cfg->shares[i].local_dir, what, R_OK | X_OK, err);
        free(what);
    }
    return rc;
}

/* Stricter than the server, which only warns: a service's password hashes
 * are for the service user alone. */
static smsprov_code check_users(const smsprov_config *cfg, smsprov_error *err)
{
    if (!cfg->users_file)
        return SMSPROV_OK;
    http_users *users = NULL;
    smsprov_code rc = http_users_load(cfg->users_file, &users, err);
    if (rc != SMSPROV_OK)
        return rc;
    size_t count = http_users_count(users);
    http_users_free(users);
    if (count == 0)
        return smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER,
                                 "The users file %s names no user, so nobody could log in; add "
                                 "one with `smsprovd adduser %s NAME`.",
                                 cfg->users_file, cfg->users_file);
    if (http_file_readable_by_others(cfg->users_file))
        return smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER,
                                 "The users file %s can be read by every user of this machine; "
                                 "run `chmod o-rwx %s`.",
                                 cfg->users_file, cfg->users_file);
    return SMSPROV_OK;
}

typedef struct listener {
    const char *name; /* the INI section and key naming its port */
    const char *address;
    unsigned port;
} listener;

static smsprov_code check_address(const listener *l, smsprov_error *err)
{
    struct addrinfo hints = {.ai_socktype = SOCK_STREAM, .ai_flags = AI_PASSIVE | AI_NUMERICHOST};
    struct addrinfo *res = NULL;
    int rc = getaddrinfo(l->address, NULL, &hints, &res);
    if (rc != 0)
        return smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER,
                                 "The address \"%s\" of %s is not a numeric IPv4 or IPv6 "
                                 "address (%s).",
                                 l->address ? l->address : "", l->name, gai_strerror(rc));
    freeaddrinfo(res);
    return SMSPROV_OK;
}

/* Two listeners on one address and port would fail at start, the second
 * one's bind refused. */
static smsprov_code check_listeners(const smsprov_config *cfg, smsprov_error *err)
{
    listener l[SMSPROV_LISTENER_COUNT];
    char names[SMSPROV_LISTENER_COUNT][48];
    size_t n = 0;
    for (int i = 0; i < SMSPROV_LISTENER_COUNT; i++) {
        smsprov_listener_plan p;
        smsprov_config_listener(cfg, (smsprov_listener_id)i, &p);
        if (!p.serve || p.shared) /* a shared one is its WS-Man listener */
            continue;
        snprintf(names[n], sizeof names[n], "[%s] port", p.section);
        l[n] = (listener){names[n], p.address, p.port};
        n++;
    }
    for (size_t i = 0; i < n; i++) {
        smsprov_code rc = check_address(&l[i], err);
        if (rc != SMSPROV_OK)
            return rc;
        for (size_t j = 0; j < i; j++)
            if (l[i].port != 0 && l[i].port == l[j].port && strcmp(l[i].address, l[j].address) == 0)
                return smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER,
                                         "%s and %s are both %s:%u; give them different ports.",
                                         l[j].name, l[i].name, l[i].address, l[i].port);
    }
    return SMSPROV_OK;
}

smsprov_code smsprovd_check_config(const smsprov_config *cfg, smsprov_error *err)
{
    smsprov_code rc = smsprov_config_check(cfg, err);
    if (rc == SMSPROV_OK)
        rc = check_listeners(cfg, err);
    if (rc == SMSPROV_OK)
        rc = check_paths(cfg, err);
    bool serving = false, tls = false;
    for (int i = 0; i < SMSPROV_LISTENER_COUNT; i++) {
        smsprov_listener_plan p;
        smsprov_config_listener(cfg, (smsprov_listener_id)i, &p);
        serving |= p.serve;
        tls |= p.serve && p.tls;
    }
    if (rc == SMSPROV_OK && serving)
        rc = check_users(cfg, err);
    if (rc == SMSPROV_OK && tls)
        rc = http_tls_check_files(cfg->https.certificate_file, cfg->https.key_file,
                                  cfg->tls_priorities, err);
    return rc;
}
