/*
 * osd/oc_cab.c - applying one optional component cabinet (and its
 * language cabinets) to an image plan; see osd_oc_plan in oc.h.
 *
 * The cabinet is extracted (osd_cab_extract) into its own staging folder; the package manifest (update.mum) names the package.
 */
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "osd/arch.h"
#include "osd/cab.h"
#include "osd/fs.h"
#include "osd/customize.h"
#include "osd/inject_path.h"
#include "osd/oc.h"
#include "platform/platform.h"
#include "smsprov/cim.h"

#define SOFTWARE_HIVE "Windows\\System32\\config\\SOFTWARE"
#define CBS_PACKAGES "Microsoft\\Windows\\CurrentVersion\\Component Based Servicing\\Packages"
#define CBS_INSTALLED 0x70 /* CurrentState of an installed package */
#define MANIFEST "update.mum"
#define CATALOG "update.cat"

/* One cabinet to apply. */
typedef struct oc_cab {
    const char *path;      /* local path of the .cab */
    const char *language;  /* NULL: the language-neutral cabinet */
    char *extracted;       /* its staging folder */
} oc_cab;

static smsprov_code bad_cab(osd_inject_failure *failure, smsprov_error *err, int32_t code,
                            const char *path, const char *why)
{
    osd_inject_failure_set(failure, code, path);
    smsprov_code wbem = code == OSD_ERROR_NOT_SUPPORTED ? SMSPROV_E_NOT_SUPPORTED
                                                        : SMSPROV_E_INVALID_PARAMETER;
    return smsprov_error_set(err, wbem,
                             "The optional component cabinet %s cannot be applied: %s.", path,
                             why);
}

/* ---- extracting ---------------------------------------------------------- */

static smsprov_code extract(oc_cab *cab, osd_inject_failure *failure, smsprov_error *err)
{
    char *why = NULL;
    if (osd_cab_extract(cab->path, cab->extracted, &why))
        return SMSPROV_OK;
    smsprov_code rc = bad_cab(failure, err, OSD_ERROR_INVALID_DATA, cab->path, why);
    free(why);
    return rc;
}

/* ---- the package manifest ------------------------------------------------ */

typedef struct oc_identity {
    char *name, *version, *arch, *language, *token;
} oc_identity;

static void identity_clear(oc_identity *id)
{
    free(id->name);
    free(id->version);
    free(id->arch);
    free(id->language);
    free(id->token);
}

static char *attribute(xmlNode *node, const char *name)
{
    xmlChar *v = xmlGetProp(node, (const xmlChar *)name);
    char *copy = cim_xstrdup(v ? (const char *)v : NULL);
    xmlFree(v);
    return copy;
}

static xmlNode *child_named(xmlNode *parent, const char *name)
{
    for (xmlNode *c = parent ? parent->children : NULL; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE && cim_strcasecmp((const char *)c->name, name) == 0)
            return c;
    return NULL;
}

static smsprov_code read_identity(oc_cab *cab, oc_identity *id, osd_inject_failure *failure,
                                  smsprov_error *err)
{
    char *manifest = NULL;
    if (osd_path_resolve(cab->extracted, MANIFEST, &manifest, NULL, NULL) != SMSPROV_OK) {
        free(manifest);
        return bad_cab(failure, err, OSD_ERROR_INVALID_DATA, cab->path,
                       "it holds no package manifest " MANIFEST);
    }
    xmlDoc *doc = xmlReadFile(manifest, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR |
                                                  XML_PARSE_NOWARNING);
    free(manifest);
    xmlNode *identity = doc ? child_named(xmlDocGetRootElement(doc), "assemblyIdentity") : NULL;
    if (identity) {
        id->name = attribute(identity, "name");
        id->version = attribute(identity, "version");
        id->arch = attribute(identity, "processorArchitecture");
        id->language = attribute(identity, "language");
        id->token = attribute(identity, "publicKeyToken");
    }
    xmlFreeDoc(doc);
    if (!id->name || !*id->name || !id->version || !*id->version || !id->arch || !id->token)
        return bad_cab(failure, err, OSD_ERROR_INVALID_DATA, cab->path,
                       "its " MANIFEST " is not a package manifest with an assemblyIdentity "
                       "(name, version, processorArchitecture, publicKeyToken)");
    return SMSPROV_OK;
}

/* "WinPE-WMI-Package~31bf3856ad364e35~amd64~~10.0.22621.1" */
static char *package_name(const oc_identity *id)
{
    const char *language = id->language && cim_strcasecmp(id->language, "neutral") != 0
                               ? id->language
                               : "";
    return cim_xasprintf("%s~%s~%s~%s~%s", id->name, id->token, id->arch, language, id->version);
}

/* ---- planning ------------------------------------------------------------ */

/* The payload: every extracted entry but the manifest and catalog. */
static void plan_payload(osd_inject_plan *plan, const oc_cab *cab, const char *package)
{
    char *system32 = cab->language ? cim_xasprintf("Windows\\System32\\%s", cab->language)
                                   : cim_xstrdup("Windows\\System32");
    char **names = NULL;
    if (platform_list_dir(cab->extracted, &names) != 0)
        names = NULL;
    for (size_t i = 0; names && names[i]; i++) {
        const char *name = names[i];
        char *local = cim_xasprintf("%s/%s", cab->extracted, name);
        bool manifest = cim_strcasecmp(name, MANIFEST) == 0;
        bool catalog = cim_strcasecmp(name, CATALOG) == 0;
        char *target = manifest  ? cim_xasprintf("Windows\\servicing\\Packages\\%s.mum", package)
                       : catalog ? cim_xasprintf("Windows\\servicing\\Packages\\%s.cat", package)
                                 : cim_xasprintf("%s\\%s", system32, name);
        platform_file_info st;
        if (platform_file_kind_nofollow(local, &st) == 0 && st.is_dir)
            osd_plan_add_folder(plan, local, target, osd_count_files(local));
        else
            osd_plan_add_file(plan, local, target);
        free(target);
        free(local);
    }
    platform_list_free(names);
    free(system32);
}

static smsprov_code apply_cab(osd_inject_plan *plan, oc_cab *cab, osd_arch image_arch,
                              osd_inject_failure *failure, smsprov_error *err)
{
    cab->extracted = cim_xasprintf("%s/oc%u", plan->staging_dir, plan->staged++);
    smsprov_code rc = osd_fs_make_dirs(cab->extracted, err);
    if (rc != SMSPROV_OK) {
        osd_inject_failure_set(failure, OSD_ERROR_WRITE_FAULT, cab->extracted);
        return rc;
    }
    rc = extract(cab, failure, err);
    oc_identity id = {0};
    if (rc == SMSPROV_OK)
        rc = read_identity(cab, &id, failure, err);
    osd_arch cab_arch;
    if (rc == SMSPROV_OK && (!osd_arch_parse(id.arch, &cab_arch) || cab_arch != image_arch)) {
        char *why = cim_xasprintf("it is built for %s, but the image is %s", id.arch,
                                  osd_arch_name(image_arch));
        rc = bad_cab(failure, err, OSD_ERROR_NOT_SUPPORTED, cab->path, why);
        free(why);
    }
    if (rc == SMSPROV_OK) {
        char *package = package_name(&id);
        plan_payload(plan, cab, package);
        char *key = cim_xasprintf("%s\\%s", CBS_PACKAGES, package);
        char *install_name = cim_xasprintf("%s.mum", package);
        osd_plan_set_dword(plan, SOFTWARE_HIVE, key, "CurrentState", CBS_INSTALLED);
        osd_plan_set_string(plan, SOFTWARE_HIVE, key, "InstallName", install_name);
        free(install_name);
        free(key);
        free(package);
    }
    identity_clear(&id);
    return rc;
}

/* The cabinet of a component: its documented name, else its modern name. */
static smsprov_code find_cab(const char *ocs_dir, const char *name, char **path,
                             const char **base, osd_inject_failure *failure, smsprov_error *err)
{
    const char *names[] = {name, osd_oc_modern_name(name)};
    char *first_missing = NULL;
    for (size_t i = 0; i < 2 && names[i]; i++) {
        char *file = cim_xasprintf("%s.cab", names[i]);
        char *local = NULL;
        smsprov_code rc = osd_path_resolve(ocs_dir, file, &local, NULL, NULL);
        free(file);
        if (rc == SMSPROV_OK) {
            free(first_missing);
            *path = local;
            *base = names[i];
            return SMSPROV_OK;
        }
        if (!first_missing)
            first_missing = local ? local : cim_xasprintf("%s/%s.cab", ocs_dir, names[i]);
        else
            free(local);
    }
    osd_inject_failure_set(failure, OSD_ERROR_FILE_NOT_FOUND, first_missing);
    smsprov_code rc = smsprov_error_set(err, SMSPROV_E_NOT_FOUND,
                                        "The optional component %s is not in the Windows ADK: "
                                        "%s does not exist. Install the Windows PE add-on of "
                                        "the ADK, or leave the component out.",
                                        name, first_missing);
    free(first_missing);
    return rc;
}

smsprov_code osd_oc_plan(osd_inject_plan *plan, const char *ocs_dir, const char *name,
                         const osd_image_info *image, osd_inject_failure *failure,
                         smsprov_error *err)
{
    osd_arch arch;
    if (!image->architecture || !osd_arch_parse(image->architecture, &arch))
        arch = OSD_ARCH_X64;
    char *path = NULL;
    const char *base = NULL;
    smsprov_code rc = find_cab(ocs_dir, name, &path, &base, failure, err);
    if (rc != SMSPROV_OK)
        return rc;
    oc_cab neutral = {.path = path};
    rc = apply_cab(plan, &neutral, arch, failure, err);
    free(neutral.extracted);
    free(path);
    /* Language resources follow the neutral package, one per image language
     * the ADK has them for (fonts have none). */
    for (size_t i = 0; rc == SMSPROV_OK && i < image->language_count; i++) {
        const char *language = image->languages[i];
        char *relative = cim_xasprintf("%s\\%s_%s.cab", language, base, language);
        char *local = NULL;
        if (osd_path_resolve(ocs_dir, relative, &local, NULL, NULL) == SMSPROV_OK) {
            oc_cab localized = {.path = local, .language = language};
            rc = apply_cab(plan, &localized, arch, failure, err);
            free(localized.extracted);
        }
        free(local);
        free(relative);
    }
    return rc;
}
