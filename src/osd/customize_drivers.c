/*
 * osd/customize_drivers.c - the driver step, as DISM /Add-Driver lays an
 * INF-based package into an offline image:
 *
 *   Windows\System32\DriverStore\FileRepository\<inf>_<platform>_<hash>\
 *       the INF, its catalog and every file it copies (inf.h)
 *   Windows\INF\oem<N>.inf     the INF, published under the next free number
 *
 * <inf> is the INF's file name in lower case, <platform> x86, amd64 or
 * arm64, <hash> 16 hex digits of the INF's SHA-256.  A package that cannot
 * be added fails the whole injection; the failure's detail (the
 * ExtendedErrorInfo of the status queue) names the INF and the reason.
 */
#include <stdlib.h>
#include <string.h>

#include "osd/fs.h"
#include "osd/confine.h"
#include "osd/customize.h"
#include "osd/inf.h"
#include "osd/inject_path.h"
#include "platform/platform.h"
#include "smsprov/cim.h"

#define FILE_REPOSITORY "Windows\\System32\\DriverStore\\FileRepository"

/* The packages added so far (a driver referenced twice goes in once). */
typedef struct driver_run {
    osd_arch arch;
    unsigned next_oem;
    char **packages;
    size_t package_count;
    osd_inject_plan *plan;
    osd_inject_failure *failure;
    smsprov_error *err;
} driver_run;

static int32_t win32_code(smsprov_code rc)
{
    switch (rc) {
    case SMSPROV_E_NOT_FOUND:
        return OSD_ERROR_FILE_NOT_FOUND;
    case SMSPROV_E_ACCESS_DENIED:
        return OSD_ERROR_ACCESS_DENIED;
    case SMSPROV_E_NOT_SUPPORTED:
        return OSD_ERROR_NOT_SUPPORTED;
    default:
        return OSD_ERROR_INVALID_DATA;
    }
}

static bool has_inf_suffix(const char *name)
{
    size_t n = strlen(name);
    return n > 4 && cim_strcasecmp(name + n - 4, ".inf") == 0;
}

/* A regular file (or a link to one) whose name ends in .inf. */
static bool is_inf_file(const char *folder, const char *name)
{
    if (!has_inf_suffix(name))
        return false;
    char *path = cim_xasprintf("%s/%s", folder, name);
    platform_file_info st;
    bool regular = platform_file_kind(path, &st) == 0 && st.is_regular;
    free(path);
    return regular;
}

static smsprov_code fail(driver_run *run, smsprov_code rc, const char *detail)
{
    osd_inject_failure_set(run->failure, win32_code(rc), detail);
    return rc;
}

static bool already_added(driver_run *run, const char *package)
{
    for (size_t i = 0; i < run->package_count; i++)
        if (strcmp(run->packages[i], package) == 0)
            return true;
    run->packages = cim_xrealloc(run->packages, (run->package_count + 1) * sizeof *run->packages);
    run->packages[run->package_count++] = cim_xstrdup(package);
    return false;
}

static char *windows_path(const char *relative)
{
    char *path = cim_xstrdup(relative);
    for (char *p = path; *p; p++)
        if (*p == '/')
            *p = '\\';
    return path;
}

/* What the package copies is file content from inside its share, never a
 * link (osd/confine.h); the refusal names the file as the client sees it. */
static smsprov_code confined(driver_run *run, const osd_driver_ref *ref, const char *local,
                             const char *relative, char **real)
{
    char *shown_relative = windows_path(relative);
    char *shown = cim_xasprintf("%s\\%s", ref->shown ? ref->shown : ref->folder, shown_relative);
    smsprov_code rc = osd_confine_file(ref->root ? ref->root : ref->folder, local, shown, real,
                                       run->failure, run->err);
    if (rc != SMSPROV_OK && run->err && run->err->description)
        osd_inject_failure_set(run->failure, run->failure->error_code, run->err->description);
    free(shown);
    free(shown_relative);
    return rc;
}

static smsprov_code plan_package(driver_run *run, const osd_driver_ref *ref,
                                 const char *inf_local, const char *inf_name,
                                 const osd_driver_info *info)
{
    char *lower = cim_xstrdup(inf_name);
    for (char *p = lower; *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p - 'A' + 'a');
    char *package = cim_xasprintf("%s_%s_%s", lower, osd_inf_platform(run->arch), info->hash);
    smsprov_code rc = SMSPROV_OK;
    if (!already_added(run, package)) {
        char *store = cim_xasprintf(FILE_REPOSITORY "\\%s", package);
        char *inf_real = NULL;
        rc = confined(run, ref, inf_local, inf_name, &inf_real);
        if (rc == SMSPROV_OK) {
            char *target = cim_xasprintf("%s\\%s", store, inf_name);
            osd_plan_add_file(run->plan, inf_real, target);
            free(target);
        }
        for (size_t i = 0; rc == SMSPROV_OK && i < info->file_count; i++) {
            char *local = cim_xasprintf("%s/%s", ref->folder, info->files[i]);
            char *real = NULL;
            rc = confined(run, ref, local, info->files[i], &real);
            if (rc == SMSPROV_OK) {
                char *relative = windows_path(info->files[i]);
                char *target = cim_xasprintf("%s\\%s", store, relative);
                osd_plan_add_file(run->plan, real, target);
                free(target);
                free(relative);
            }
            free(real);
            free(local);
        }
        if (rc == SMSPROV_OK) {
            char *published = cim_xasprintf("Windows\\INF\\oem%u.inf", run->next_oem++);
            osd_plan_add_file(run->plan, inf_real, published);
            free(published);
        }
        free(inf_real);
        free(store);
    }
    free(package);
    free(lower);
    return rc;
}

static smsprov_code add_inf(driver_run *run, const osd_driver_ref *ref, const char *inf)
{
    char *shown = cim_xasprintf("%s\\%s", ref->shown ? ref->shown : ref->folder, inf);
    char *local = NULL;
    smsprov_code rc = osd_path_resolve(ref->folder, inf, &local, NULL, NULL);
    if (rc != SMSPROV_OK) {
        smsprov_error_set(run->err, SMSPROV_E_NOT_FOUND,
                          "The driver INF %s does not exist; fix the driver's DriverINFFile or "
                          "the boot image's ReferencedDrivers SourcePath.",
                          shown);
        rc = fail(run, SMSPROV_E_NOT_FOUND, run->err ? run->err->description : shown);
    }
    osd_driver_info info;
    memset(&info, 0, sizeof info);
    char *inf_real = NULL;
    if (rc == SMSPROV_OK) /* the INF is read from inside the share only */
        rc = confined(run, ref, local, inf, &inf_real);
    free(inf_real);
    if (rc == SMSPROV_OK) {
        rc = osd_driver_read(local, shown, run->arch, &info, run->err);
        if (rc != SMSPROV_OK)
            rc = fail(run, rc, run->err && run->err->description ? run->err->description : shown);
    }
    if (rc == SMSPROV_OK) {
        const char *slash = strrchr(local, '/');
        rc = plan_package(run, ref, local, slash ? slash + 1 : local, &info);
    }
    osd_driver_info_clear(&info);
    free(local);
    free(shown);
    return rc;
}

static smsprov_code add_driver(driver_run *run, const osd_driver_ref *ref)
{
    const char *shown = ref->shown ? ref->shown : ref->folder;
    platform_file_info st;
    if (!ref->folder || platform_file_kind(ref->folder, &st) != 0 || !st.is_dir) {
        smsprov_error_set(run->err, SMSPROV_E_NOT_FOUND,
                          "The driver folder %s does not exist or is not a folder; fix the "
                          "SourcePath of the boot image's ReferencedDrivers.",
                          shown);
        osd_inject_failure_set(run->failure, OSD_ERROR_PATH_NOT_FOUND, shown);
        return SMSPROV_E_NOT_FOUND;
    }
    if (ref->inf)
        return add_inf(run, ref, ref->inf);
    size_t count = 0;
    char **infs = osd_fs_list_sorted(ref->folder, is_inf_file, &count);
    smsprov_code rc = SMSPROV_OK;
    if (count == 0) {
        smsprov_error_set(run->err, SMSPROV_E_NOT_FOUND,
                          "The driver folder %s holds no INF file, so there is no driver to "
                          "add.",
                          shown);
        rc = fail(run, SMSPROV_E_NOT_FOUND, shown);
    }
    for (size_t i = 0; rc == SMSPROV_OK && i < count; i++)
        rc = add_inf(run, ref, infs[i]);
    for (size_t i = 0; i < count; i++)
        free(infs[i]);
    free(infs);
    return rc;
}

smsprov_code osd_customize_drivers(const osd_customization *c, osd_arch arch,
                                   unsigned first_oem, osd_inject_plan *plan,
                                   osd_inject_failure *failure, smsprov_error *err)
{
    driver_run run = {.arch = arch, .next_oem = first_oem, .plan = plan, .failure = failure,
                      .err = err};
    smsprov_code rc = SMSPROV_OK;
    for (size_t i = 0; rc == SMSPROV_OK && i < c->driver_count; i++)
        rc = add_driver(&run, &c->drivers[i]);
    for (size_t i = 0; i < run.package_count; i++)
        free(run.packages[i]);
    free(run.packages);
    return rc;
}
