/*
 * osd/inject_plan.c - the list of update commands and hive edits of one
 * injection.
 */
#include "osd/inject_plan.h"

#include <stdlib.h>
#include <string.h>

#include "osd/fs.h"
#include "osd/hive.h"
#include "osd/inject.h"
#include "osd/inject_path.h"
#include "osd/wim.h"
#include "smsprov/cim.h"

void osd_plan_init(osd_inject_plan *plan, const char *staging_dir)
{
    memset(plan, 0, sizeof *plan);
    plan->staging_dir = cim_xstrdup(staging_dir);
}

static void free_command(osd_wim_command *cmd)
{
    free(cmd->source);
    free(cmd->target);
}

void osd_plan_clear(osd_inject_plan *plan)
{
    for (size_t i = 0; i < plan->command_count; i++)
        free_command(&plan->commands[i]);
    free(plan->commands);
    for (size_t i = 0; i < plan->edit_count; i++) {
        free(plan->edits[i].hive);
        free(plan->edits[i].key);
        free(plan->edits[i].name);
        free(plan->edits[i].string);
    }
    free(plan->edits);
    free(plan->staging_dir);
    memset(plan, 0, sizeof *plan);
}

static osd_wim_command *new_command(osd_inject_plan *plan)
{
    if (plan->command_count == plan->command_cap) {
        plan->command_cap = plan->command_cap ? plan->command_cap * 2 : 32;
        plan->commands = cim_xrealloc(plan->commands, plan->command_cap * sizeof *plan->commands);
    }
    osd_wim_command *cmd = &plan->commands[plan->command_count++];
    memset(cmd, 0, sizeof *cmd);
    return cmd;
}

static void add(osd_inject_plan *plan, const char *local_path, const char *image_path)
{
    osd_wim_command *cmd = new_command(plan);
    cmd->op = WIMLIB_UPDATE_OP_ADD;
    cmd->source = cim_xstrdup(local_path);
    cmd->target = osd_path_in_image(image_path);
    /* Files from a Linux tree carry no Windows security descriptors, and
     * staged files on Windows take only the staging folder's. */
    cmd->flags = WIMLIB_ADD_FLAG_NO_ACLS;
}

void osd_plan_add_file(osd_inject_plan *plan, const char *local_path, const char *image_path)
{
    add(plan, local_path, image_path);
    plan->files_added++;
}

void osd_plan_add_folder(osd_inject_plan *plan, const char *local_dir, const char *image_dir,
                         uint32_t file_count)
{
    add(plan, local_dir, image_dir);
    plan->files_added += file_count;
}

smsprov_code osd_plan_add_text(osd_inject_plan *plan, const char *image_path, const char *text,
                               smsprov_error *err)
{
    char *local = cim_xasprintf("%s/text%u", plan->staging_dir, plan->staged++);
    smsprov_code rc = osd_fs_write_file(local, text, strlen(text), err);
    if (rc == SMSPROV_OK)
        osd_plan_add_file(plan, local, image_path);
    free(local);
    return rc;
}

void osd_plan_delete(osd_inject_plan *plan, const char *image_path)
{
    osd_wim_command *cmd = new_command(plan);
    cmd->op = WIMLIB_UPDATE_OP_DELETE;
    cmd->target = osd_path_in_image(image_path);
    cmd->flags = WIMLIB_DELETE_FLAG_FORCE | WIMLIB_DELETE_FLAG_RECURSIVE;
}

static osd_hive_edit *new_edit(osd_inject_plan *plan, const char *hive, const char *key,
                               const char *name)
{
    plan->edits = cim_xrealloc(plan->edits, (plan->edit_count + 1) * sizeof *plan->edits);
    osd_hive_edit *e = &plan->edits[plan->edit_count++];
    memset(e, 0, sizeof *e);
    e->hive = cim_xstrdup(hive);
    e->key = cim_xstrdup(key);
    e->name = cim_xstrdup(name);
    return e;
}

void osd_plan_set_dword(osd_inject_plan *plan, const char *hive, const char *key,
                        const char *name, uint32_t value)
{
    new_edit(plan, hive, key, name)->dword = value;
}

void osd_plan_set_string(osd_inject_plan *plan, const char *hive, const char *key,
                         const char *name, const char *value)
{
    osd_hive_edit *e = new_edit(plan, hive, key, name);
    e->is_string = true;
    e->string = cim_xstrdup(value);
}

/* ---- hive edits ---------------------------------------------------------- */

/* Image paths compare as Windows compares them. */
static bool same_image_path(const char *a, const char *b)
{
    char *pa = osd_path_in_image(a), *pb = osd_path_in_image(b);
    bool same = cim_strcasecmp(pa, pb) == 0;
    free(pa);
    free(pb);
    return same;
}

static const char *base_name(const char *image_path)
{
    const char *name = image_path;
    for (const char *p = image_path; *p; p++)
        if (*p == '\\' || *p == '/')
            name = p + 1;
    return name;
}

/* Copies one hive out of the image into its own staging folder. */
static smsprov_code extract_hive(osd_inject_plan *plan, WIMStruct *wim, const char *image_name,
                                 const char *hive, unsigned n, char **local_out,
                                 osd_inject_failure *failure, smsprov_error *err)
{
    char *dir = cim_xasprintf("%s/hive%u", plan->staging_dir, n);
    smsprov_code rc = osd_fs_make_dirs(dir, err);
    if (rc != SMSPROV_OK) {
        osd_inject_failure_set(failure, OSD_ERROR_WRITE_FAULT, dir);
        free(dir);
        return rc;
    }
    char *in_image = osd_path_in_image(hive);
    const char *paths[] = {in_image};
    int wrc = osd_wimlib_extract(wim, 1, dir, paths, 1,
                                   WIMLIB_EXTRACT_FLAG_NO_PRESERVE_DIR_STRUCTURE |
                                       WIMLIB_EXTRACT_FLAG_NO_ACLS);
    if (wrc != 0) {
        bool missing = wrc == WIMLIB_ERR_PATH_DOES_NOT_EXIST;
        char *what = cim_xasprintf("%s in %s", hive, image_name);
        rc = osd_wim_fail(err, missing ? SMSPROV_E_NOT_FOUND : SMSPROV_E_FAILED, wrc,
                          "Extracting the registry hive", what);
        osd_inject_failure_set(failure, missing ? OSD_ERROR_FILE_NOT_FOUND : OSD_ERROR_INTERNAL,
                               what);
        free(what);
    } else {
        *local_out = cim_xasprintf("%s/%s", dir, base_name(in_image));
    }
    free(in_image);
    free(dir);
    return rc;
}

static smsprov_code apply_edit(osd_hive *h, const osd_hive_edit *e, smsprov_error *err)
{
    return e->is_string ? osd_hive_set_string(h, e->key, e->name, e->string, err)
                        : osd_hive_set_dword(h, e->key, e->name, e->dword, err);
}

/* Edits one hive: every edit that names it, committed once. */
static smsprov_code edit_hive(osd_inject_plan *plan, WIMStruct *wim, const char *image_name,
                              size_t first, unsigned n, osd_inject_failure *failure,
                              smsprov_error *err)
{
    const char *hive = plan->edits[first].hive;
    char *local = NULL;
    smsprov_code rc = extract_hive(plan, wim, image_name, hive, n, &local, failure, err);
    if (rc != SMSPROV_OK)
        return rc;
    osd_hive *h = NULL;
    rc = osd_hive_open(local, &h, err);
    for (size_t i = first; rc == SMSPROV_OK && i < plan->edit_count; i++)
        if (same_image_path(plan->edits[i].hive, hive))
            rc = apply_edit(h, &plan->edits[i], err);
    if (rc == SMSPROV_OK)
        rc = osd_hive_commit(h, err);
    osd_hive_close(h);
    if (rc != SMSPROV_OK) {
        osd_inject_failure_set(failure, OSD_ERROR_INVALID_DATA, hive);
    } else {
        /* Windows would replay stale transaction logs over the edited hive. */
        char *log1 = cim_xasprintf("%s.LOG1", hive), *log2 = cim_xasprintf("%s.LOG2", hive);
        osd_plan_delete(plan, log1);
        osd_plan_delete(plan, log2);
        free(log1);
        free(log2);
        add(plan, local, hive);
    }
    free(local);
    return rc;
}

smsprov_code osd_plan_apply_hive_edits(osd_inject_plan *plan, WIMStruct *wim,
                                       const char *image_name, osd_inject_failure *failure,
                                       smsprov_error *err)
{
    smsprov_code rc = SMSPROV_OK;
    unsigned hives = 0;
    for (size_t i = 0; rc == SMSPROV_OK && i < plan->edit_count; i++) {
        bool seen = false;
        for (size_t j = 0; j < i && !seen; j++)
            seen = same_image_path(plan->edits[j].hive, plan->edits[i].hive);
        if (!seen)
            rc = edit_hive(plan, wim, image_name, i, hives++, failure, err);
    }
    return rc;
}
