/* boot_image_customize.c - a boot image package's WinPE customisation
 * settings: checked on put, and turned into what osd_inject applies
 * (osd/customize.h) when the content is built.  SERVICING.md lists
 * where each setting lands. */
#include <stdlib.h>
#include <string.h>

#include "sms/behaviour.h"
#include "sms/boot_image.h"
#include "sms/driver.h"
#include "sms/optional_components.h"
#include "sms/paths.h"

/* ---- on put -------------------------------------------------------------- */

static smsprov_code refuse(smsprov_error *err, const char *property, const char *sentence)
{
    smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER, "%s", sentence);
    smsprov_error_set_parameter(err, property);
    return SMSPROV_E_INVALID_PARAMETER;
}

static bool is_set(const char *s)
{
    return s && *s;
}

/* A client path is mapped when it is new or changed, so a put that leaves
 * it alone still passes after the shares change. */
static smsprov_code check_path(sms_put_context *ctx, const cim_instance *inst,
                               const char *property, smsprov_error *err)
{
    const char *path = sms_string_of(inst, property);
    if (!is_set(path))
        return SMSPROV_OK;
    const char *before = ctx->stored ? sms_string_of(ctx->stored, property) : NULL;
    if (before && strcmp(before, path) == 0)
        return SMSPROV_OK;
    char *local = NULL;
    smsprov_code rc = sms_path_to_local(ctx->site, path, property, &local, err);
    free(local);
    return rc;
}

smsprov_code sms_boot_image_customization_validate(sms_put_context *ctx, cim_instance *inst,
                                                   smsprov_error *err)
{
    const char *command = sms_string_of(inst, "PreExecCommandLine");
    const char *folder = sms_string_of(inst, "PreExecSourceDirectory");
    if (is_set(command) && strpbrk(command, "\r\n"))
        return refuse(err, "PreExecCommandLine",
                      "PreExecCommandLine holds a line break; the prestart command is one "
                      "command line.");
    if (is_set(folder) && !is_set(command))
        return refuse(err, "PreExecSourceDirectory",
                      "PreExecSourceDirectory holds the files of a prestart command, but "
                      "PreExecCommandLine is empty; set the command that uses them.");
    smsprov_code rc = check_path(ctx, inst, "PreExecSourceDirectory", err);
    if (rc == SMSPROV_OK)
        rc = check_path(ctx, inst, "BackgroundBitmapPath", err);
    return rc;
}

/* ---- for the job --------------------------------------------------------- */

static smsprov_code load_components(sms_customization *c, const cim_value *ids,
                                    const char *architecture, smsprov_error *err)
{
    c->osd.add_components = true; /* the required ones, always */
    size_t n = ids && !ids->is_null ? ids->u.array.count : 0;
    uint32_t *list = cim_xcalloc(n ? n : 1, sizeof *list);
    for (size_t i = 0; i < n; i++)
        list[i] = (uint32_t)ids->u.array.items[i].u.uint;
    smsprov_code rc = sms_optional_components_check(list, n, architecture, "OptionalComponents",
                                                    SMSPROV_E_INVALID_PARAMETER, err);
    if (rc == SMSPROV_OK && n > 0) {
        c->component_names = cim_xcalloc(n, sizeof *c->component_names);
        for (size_t i = 0; rc == SMSPROV_OK && i < n; i++) {
            const char *arch = NULL;
            c->component_names[i] = sms_optional_component_name(list[i], &arch);
            /* Before the first import any ID passes the put; the build
             * needs the components of one architecture. */
            if (c->osd.components_arch && cim_strcasecmp(c->osd.components_arch, arch) != 0) {
                smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER,
                                  "OptionalComponents holds %u (%s, an %s component) beside %s "
                                  "components; a boot image takes the components of its own "
                                  "architecture.",
                                  list[i], c->component_names[i], arch, c->osd.components_arch);
                smsprov_error_set_parameter(err, "OptionalComponents");
                rc = SMSPROV_E_INVALID_PARAMETER;
            }
            c->osd.components_arch = arch;
        }
        c->osd.components = c->component_names;
        c->osd.component_count = n;
    }
    free(list);
    return rc;
}

/* One ReferencedDrivers element: its folder, and the INF its SMS_Driver
 * names.  Disabled drivers stay out (*skip). */
static smsprov_code load_driver(smsprov_site *site, store_txn *txn, const cim_instance *d,
                                size_t i, osd_driver_ref *ref, bool *skip, smsprov_error *err)
{
    *skip = false;
    uint64_t id = sms_uint_of(d, "ID");
    cim_instance *driver = NULL;
    smsprov_code rc = sms_driver_find(site, txn, id, &driver, err);
    if (rc == SMSPROV_E_NOT_FOUND) {
        smsprov_error_set(err, SMSPROV_E_INVALID_OPERATION,
                          "ReferencedDrivers[%zu] names driver %llu, which no longer exists; "
                          "remove it from the boot image.",
                          i, (unsigned long long)id);
        smsprov_error_set_parameter(err, "ReferencedDrivers");
        return SMSPROV_E_INVALID_OPERATION;
    }
    if (rc != SMSPROV_OK)
        return rc;
    const cim_value *enabled = cim_instance_get(driver, "IsEnabled");
    *skip = enabled && !enabled->is_null && !enabled->u.boolean;
    const char *source = sms_string_of(d, "SourcePath");
    char *property = cim_xasprintf("ReferencedDrivers[%zu].SourcePath", i);
    char *folder = NULL, *root = NULL;
    if (!*skip)
        rc = sms_path_resolve(site, source ? source : "", property, SMS_PATH_READ, &folder,
                              &root, err);
    free(property);
    if (rc == SMSPROV_OK && !*skip) {
        const char *inf = sms_string_of(driver, "DriverINFFile");
        ref->folder = folder;
        ref->inf = is_set(inf) ? cim_xstrdup(inf) : NULL;
        ref->shown = cim_xstrdup(source);
        ref->root = root;
        folder = root = NULL;
    }
    free(folder);
    free(root);
    cim_instance_free(driver);
    return rc;
}

static smsprov_code load_drivers(smsprov_site *site, sms_customization *c, const cim_value *refs,
                                 smsprov_error *err)
{
    size_t n = refs && !refs->is_null ? refs->u.array.count : 0;
    if (n == 0)
        return SMSPROV_OK;
    store_txn *txn = NULL;
    smsprov_code rc = store_begin(site->store, false, &txn, err);
    if (rc != SMSPROV_OK)
        return rc;
    c->drivers = cim_xcalloc(n, sizeof *c->drivers);
    for (size_t i = 0; rc == SMSPROV_OK && i < n; i++) {
        const cim_value *item = &refs->u.array.items[i];
        bool skip = false;
        if (!item->is_null)
            rc = load_driver(site, txn, item->u.object, i, &c->drivers[c->osd.driver_count],
                             &skip, err);
        if (rc == SMSPROV_OK && !item->is_null && !skip)
            c->osd.driver_count++;
    }
    store_rollback(txn);
    c->osd.drivers = c->drivers;
    return rc;
}

/* A client path as a local one, NULL when the property is empty. */
static smsprov_code local_path(smsprov_site *site, const cim_instance *package,
                               const char *property, char **out, char **root,
                               const char **shown, smsprov_error *err)
{
    *out = NULL;
    *shown = sms_string_of(package, property);
    if (!is_set(*shown))
        return SMSPROV_OK;
    return sms_path_resolve(site, *shown, property, SMS_PATH_READ, out, root, err);
}

smsprov_code sms_customization_load(smsprov_site *site, const cim_instance *package,
                                    const cim_value *components, sms_customization *out,
                                    smsprov_error *err)
{
    memset(out, 0, sizeof *out);
    const cim_value *ids = components ? components
                                      : cim_instance_get(package, "OptionalComponents");
    smsprov_code rc = load_components(out, ids, sms_string_of(package, "Architecture"), err);
    if (rc == SMSPROV_OK)
        rc = load_drivers(site, out, cim_instance_get(package, "ReferencedDrivers"), err);
    if (rc != SMSPROV_OK)
        return rc;
    out->osd.scratch_space_mb = (uint32_t)sms_uint_of(package, "ScratchSpace");
    const char *command = sms_string_of(package, "PreExecCommandLine");
    if (is_set(command)) {
        out->osd.prestart_command = command;
        rc = local_path(site, package, "PreExecSourceDirectory", &out->prestart_folder,
                        &out->prestart_root, &out->osd.prestart_shown, err);
        out->osd.prestart_folder = out->prestart_folder;
        out->osd.prestart_root = out->prestart_root;
    }
    if (rc == SMSPROV_OK)
        rc = local_path(site, package, "BackgroundBitmapPath", &out->background,
                        &out->background_root, &out->osd.background_shown, err);
    out->osd.background = out->background;
    out->osd.background_root = out->background_root;
    return rc;
}

void sms_customization_clear(sms_customization *c)
{
    for (size_t i = 0; i < c->osd.driver_count; i++) {
        free((char *)c->drivers[i].folder);
        free((char *)c->drivers[i].inf);
        free((char *)c->drivers[i].shown);
        free((char *)c->drivers[i].root);
    }
    free(c->drivers);
    free(c->component_names);
    free(c->prestart_folder);
    free(c->background);
    free(c->prestart_root);
    free(c->background_root);
    memset(c, 0, sizeof *c);
}
