/*
 * osd/inject_manifest.c - osdinjection.xml: which ADK and ConfigMgr files
 * go into a boot image of each architecture.
 *
 *   <InjectionFiles><Architecture imgArch="x64"><FileList source="SCCM">
 *     <File name="TsBootShell.exe"><LocaleNeeded>false</LocaleNeeded>
 *       <Source>bin\x64</Source><Destination>sms\bin\x64</Destination>
 *       <DebugBinary>false</DebugBinary></File> ...
 *
 * WPE sources are relative to the ADK's "Windows Preinstallation
 * Environment" folder, WDT to its "Deployment Tools" folder, SCCM to the
 * ConfigMgr install folder.  name="*" brings the whole Source folder.
 * LocaleNeeded files come from <Source>\<LCID8>\ and go to
 * <Destination>\<LCID8>\, for English (always) and for each image
 * language whose LCID folder exists.  DebugBinary files are left out.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "osd/inject_internal.h"
#include "osd/inject_path.h"
#include "osd/locale.h"
#include "platform/platform.h"
#include "smsprov/cim.h"

#define MANIFEST "bin\\x64\\osdinjection.xml"
#define ADK_FOLDER "Assessment and Deployment Kit"
#define ENGLISH_LCID 0x0409

/* The folders the three file lists are relative to. */
typedef struct manifest_roots {
    char *wpe, *wdt, *sccm;
} manifest_roots;

/* One LCID folder name per language the image needs, English first. */
typedef struct locale_set {
    char names[16][9];
    size_t count;
} locale_set;

static smsprov_code missing_file(osd_inject_failure *failure, smsprov_error *err,
                                 const char *looked_for, bool folder_missing, const char *what)
{
    osd_inject_failure_set(failure,
                           folder_missing ? OSD_ERROR_PATH_NOT_FOUND : OSD_ERROR_FILE_NOT_FOUND,
                           looked_for);
    return smsprov_error_set(err, SMSPROV_E_NOT_FOUND,
                             "%s is missing: %s does not exist. Restore it (or repair the "
                             "installation) and run the injection again.",
                             what, looked_for);
}

/* ---- roots --------------------------------------------------------------- */

static smsprov_code adk_folder(const char *adk_root, const char *part, char **out,
                               osd_inject_failure *failure, smsprov_error *err)
{
    if (!adk_root || !*adk_root) {
        osd_inject_failure_set(failure, OSD_ERROR_PATH_NOT_FOUND, "Windows ADK folder");
        return smsprov_error_set(err, SMSPROV_E_NOT_FOUND,
                                 "No Windows ADK folder is configured, but osdinjection.xml "
                                 "takes files from it; give the site the ADK folder (smsprov "
                                 "--adk DIR).");
    }
    char *kit = NULL;
    if (osd_path_resolve(adk_root, ADK_FOLDER, &kit, NULL, NULL) != SMSPROV_OK) {
        free(kit);
        kit = cim_xstrdup(adk_root); /* the kit folder itself was given */
    }
    bool folder_missing = false;
    smsprov_code rc = osd_path_resolve(kit, part, out, &folder_missing, NULL);
    if (rc != SMSPROV_OK) {
        rc = missing_file(failure, err, *out, true, "The Windows ADK folder");
        free(*out);
        *out = NULL;
    }
    free(kit);
    return rc;
}

static void roots_clear(manifest_roots *roots)
{
    free(roots->wpe);
    free(roots->wdt);
    free(roots->sccm);
}

/* The root of a FileList, found when first needed. */
static smsprov_code root_for(const osd_inject_options *opt, manifest_roots *roots,
                             const char *list, const char **out, osd_inject_failure *failure,
                             smsprov_error *err)
{
    smsprov_code rc = SMSPROV_OK;
    if (cim_strcasecmp(list, "SCCM") == 0) {
        if (!roots->sccm)
            roots->sccm = cim_xstrdup(opt->configmgr_root);
        *out = roots->sccm;
    } else if (cim_strcasecmp(list, "WPE") == 0) {
        if (!roots->wpe)
            rc = adk_folder(opt->adk_root, "Windows Preinstallation Environment", &roots->wpe,
                            failure, err);
        *out = roots->wpe;
    } else if (cim_strcasecmp(list, "WDT") == 0) {
        if (!roots->wdt)
            rc = adk_folder(opt->adk_root, "Deployment Tools", &roots->wdt, failure, err);
        *out = roots->wdt;
    } else {
        osd_inject_failure_set(failure, OSD_ERROR_INVALID_DATA, list);
        rc = smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER,
                               "osdinjection.xml has a FileList with source=\"%s\"; the known "
                               "sources are WPE, WDT and SCCM.",
                               list);
    }
    return rc;
}

/* ---- locales ------------------------------------------------------------- */

static void locale_add(locale_set *set, uint16_t lcid)
{
    char name[9];
    snprintf(name, sizeof name, "%08X", lcid);
    for (size_t i = 0; i < set->count; i++)
        if (strcmp(set->names[i], name) == 0)
            return;
    if (set->count < sizeof set->names / sizeof set->names[0])
        memcpy(set->names[set->count++], name, sizeof name);
}

static locale_set image_locales(const osd_image_info *image)
{
    locale_set set = {.count = 0};
    locale_add(&set, ENGLISH_LCID);
    for (size_t i = 0; i < image->language_count; i++) {
        uint16_t lcid = osd_language_lcid(image->languages[i]);
        if (lcid)
            locale_add(&set, lcid);
    }
    return set;
}

/* ---- XML helpers --------------------------------------------------------- */

static bool is_element(const xmlNode *node, const char *name)
{
    return node->type == XML_ELEMENT_NODE && cim_strcasecmp((const char *)node->name, name) == 0;
}

/* The trimmed text of the first child element called name ("" if none). */
static char *child_text(const xmlNode *parent, const char *name)
{
    for (const xmlNode *c = parent->children; c; c = c->next) {
        if (!is_element(c, name))
            continue;
        xmlChar *content = xmlNodeGetContent(c);
        const char *s = content ? (const char *)content : "";
        while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
            s++;
        size_t n = strlen(s);
        while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' ||
                         s[n - 1] == '\n'))
            n--;
        char *text = cim_xasprintf("%.*s", (int)n, s);
        xmlFree(content);
        return text;
    }
    return cim_xstrdup("");
}

static bool child_true(const xmlNode *parent, const char *name)
{
    char *text = child_text(parent, name);
    bool yes = cim_strcasecmp(text, "true") == 0 || strcmp(text, "1") == 0;
    free(text);
    return yes;
}

static char *attribute(const xmlNode *node, const char *name)
{
    for (const xmlAttr *a = node->properties; a; a = a->next) {
        if (cim_strcasecmp((const char *)a->name, name) != 0)
            continue;
        xmlChar *value = xmlNodeListGetString(node->doc, a->children, 1);
        char *copy = cim_xstrdup(value ? (const char *)value : "");
        xmlFree(value);
        return copy;
    }
    return NULL;
}

/* ---- files --------------------------------------------------------------- */

static uint32_t count_files(const char *dir)
{
    char **names;
    if (platform_list_dir(dir, &names) != 0)
        return 0;
    uint32_t n = 0;
    for (size_t i = 0; names[i]; i++) {
        char *path = cim_xasprintf("%s/%s", dir, names[i]);
        platform_file_info st;
        if (platform_file_kind_nofollow(path, &st) == 0)
            n += st.is_dir ? count_files(path) : 1;
        free(path);
    }
    platform_list_free(names);
    return n;
}

static bool is_directory(const char *path)
{
    platform_file_info st;
    return platform_file_kind(path, &st) == 0 && st.is_dir;
}

/* Plans one file (or, for name="*", one folder) from root. */
static smsprov_code plan_entry(osd_inject_plan *plan, const char *list, const char *root,
                               const char *name, const char *source, const char *destination,
                               const char *locale, osd_inject_failure *failure,
                               smsprov_error *err)
{
    bool whole_folder = strcmp(name, "*") == 0;
    char *relative = whole_folder ? cim_xstrdup(source)
                     : locale     ? cim_xasprintf("%s\\%s\\%s", source, locale, name)
                                  : cim_xasprintf("%s\\%s", source, name);
    char *target = whole_folder ? cim_xstrdup(destination)
                   : locale     ? cim_xasprintf("%s\\%s\\%s", destination, locale, name)
                                : cim_xasprintf("%s\\%s", destination, name);
    char *local = NULL;
    bool folder_missing = false;
    smsprov_code rc = osd_path_resolve(root, relative, &local, &folder_missing, err);
    char *what = cim_xasprintf("The %s file %s that osdinjection.xml lists (%s)", list,
                               whole_folder ? source : name, relative);
    if (rc == SMSPROV_E_NOT_FOUND)
        rc = missing_file(failure, err, local, folder_missing && !whole_folder, what);
    else if (rc != SMSPROV_OK)
        osd_inject_failure_set(failure, OSD_ERROR_INVALID_DATA, relative);
    else if (whole_folder != is_directory(local))
        rc = missing_file(failure, err, local, false, what);
    else if (whole_folder)
        osd_plan_add_folder(plan, local, target, count_files(local));
    else
        osd_plan_add_file(plan, local, target);
    free(what);
    free(local);
    free(relative);
    free(target);
    return rc;
}

/* Plans one <File>; a localized file once per locale folder. */
static smsprov_code plan_file(osd_inject_plan *plan, const char *list, const char *root,
                              const xmlNode *file, const locale_set *locales,
                              osd_inject_failure *failure, smsprov_error *err)
{
    if (child_true(file, "DebugBinary"))
        return SMSPROV_OK; /* debug builds only */
    char *name = attribute(file, "name");
    char *source = child_text(file, "Source");
    char *destination = child_text(file, "Destination");
    smsprov_code rc = SMSPROV_OK;
    if (!name || !*name) {
        osd_inject_failure_set(failure, OSD_ERROR_INVALID_DATA, "File without a name");
        rc = smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER,
                               "osdinjection.xml has a File element without a name attribute "
                               "in its %s list.",
                               list);
    } else if (!child_true(file, "LocaleNeeded")) {
        rc = plan_entry(plan, list, root, name, source, destination, NULL, failure, err);
    } else {
        for (size_t i = 0; rc == SMSPROV_OK && i < locales->count; i++) {
            /* English is required; other languages only where ConfigMgr has
             * their resources. */
            char *folder = cim_xasprintf("%s\\%s", source, locales->names[i]);
            char *local = NULL;
            bool available = i == 0 || osd_path_resolve(root, folder, &local, NULL, NULL) ==
                                           SMSPROV_OK;
            if (available)
                rc = plan_entry(plan, list, root, name, source, destination, locales->names[i],
                                failure, err);
            free(local);
            free(folder);
        }
    }
    free(name);
    free(source);
    free(destination);
    return rc;
}

static smsprov_code plan_architecture(const osd_inject_options *opt, const xmlNode *arch_node,
                                      const osd_image_info *image, osd_inject_plan *plan,
                                      osd_inject_failure *failure, smsprov_error *err)
{
    manifest_roots roots = {0};
    locale_set locales = image_locales(image);
    smsprov_code rc = SMSPROV_OK;
    for (const xmlNode *list = arch_node->children; rc == SMSPROV_OK && list; list = list->next) {
        if (!is_element(list, "FileList"))
            continue;
        char *source = attribute(list, "source");
        const char *root = NULL;
        rc = root_for(opt, &roots, source ? source : "", &root, failure, err);
        for (const xmlNode *file = list->children; rc == SMSPROV_OK && file; file = file->next)
            if (is_element(file, "File"))
                rc = plan_file(plan, source, root, file, &locales, failure, err);
        free(source);
    }
    roots_clear(&roots);
    return rc;
}

static const xmlNode *find_architecture(const xmlNode *root, const char *folder)
{
    for (const xmlNode *n = root->children; n; n = n->next) {
        if (!is_element(n, "Architecture"))
            continue;
        char *arch = attribute(n, "imgArch");
        bool match = arch && cim_strcasecmp(arch, folder) == 0;
        free(arch);
        if (match)
            return n;
    }
    return NULL;
}

/* The document's root must be InjectionFiles; shown names it in messages. */
static smsprov_code check_manifest(xmlDoc **doc, const char *shown, osd_inject_failure *failure,
                                   smsprov_error *err)
{
    const xmlNode *root = *doc ? xmlDocGetRootElement(*doc) : NULL;
    if (root && is_element(root, "InjectionFiles"))
        return SMSPROV_OK;
    osd_inject_failure_set(failure, OSD_ERROR_INVALID_DATA, shown);
    xmlFreeDoc(*doc);
    *doc = NULL;
    return smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER,
                             "%s is not an injection list: it must be XML whose root element "
                             "is InjectionFiles.",
                             shown);
}

static smsprov_code open_manifest(const osd_inject_options *opt, xmlDoc **out,
                                  osd_inject_failure *failure, smsprov_error *err)
{
    if (!opt->configmgr_root || !*opt->configmgr_root) {
        osd_inject_failure_set(failure, OSD_ERROR_PATH_NOT_FOUND, "ConfigMgr install folder");
        return smsprov_error_set(err, SMSPROV_E_NOT_FOUND,
                                 "No ConfigMgr install folder is configured, so there are no "
                                 "OSD binaries to inject; give the site the folder (smsprov "
                                 "--configmgr DIR).");
    }
    char *path = NULL;
    bool folder_missing = false;
    smsprov_code rc = osd_path_resolve(opt->configmgr_root, MANIFEST, &path, &folder_missing, err);
    if (rc != SMSPROV_OK) {
        rc = missing_file(failure, err, path, folder_missing, "The injection list osdinjection.xml");
        free(path);
        return rc;
    }
    *out = xmlReadFile(path, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    rc = check_manifest(out, path, failure, err);
    free(path);
    return rc;
}

/* The files the injection list doc lists for arch. */
static smsprov_code plan_manifest(const osd_inject_options *opt, xmlDoc *doc,
                                  const osd_image_info *image, osd_arch arch,
                                  osd_inject_plan *plan, osd_inject_failure *failure,
                                  smsprov_error *err)
{
    smsprov_code rc;
    const char *folder = osd_arch_configmgr_folder(arch);
    const xmlNode *arch_node = find_architecture(xmlDocGetRootElement(doc), folder);
    if (!arch_node) {
        char *detail = cim_xasprintf("osdinjection.xml Architecture imgArch=\"%s\"", folder);
        osd_inject_failure_set(failure, OSD_ERROR_NOT_SUPPORTED, detail);
        free(detail);
        rc = smsprov_error_set(err, SMSPROV_E_NOT_SUPPORTED,
                               "osdinjection.xml lists no files for %s images (no Architecture "
                               "imgArch=\"%s\"), so this ConfigMgr installation cannot make %s "
                               "boot images.",
                               osd_arch_name(arch), folder, osd_arch_name(arch));
    } else {
        rc = plan_architecture(opt, arch_node, image, plan, failure, err);
    }
    xmlFreeDoc(doc);
    return rc;
}

smsprov_code osd_plan_osd_binaries(const osd_inject_options *opt, const osd_image_info *image,
                                   osd_arch arch, osd_inject_plan *plan,
                                   osd_inject_failure *failure, smsprov_error *err)
{
    xmlDoc *doc = NULL;
    smsprov_code rc = open_manifest(opt, &doc, failure, err);
    if (rc != SMSPROV_OK)
        return rc;
    return plan_manifest(opt, doc, image, arch, plan, failure, err);
}

smsprov_code osd_plan_osd_binaries_xml(const osd_inject_options *opt, const char *xml, size_t len,
                                       const char *shown, const osd_image_info *image,
                                       osd_arch arch, osd_inject_plan *plan,
                                       osd_inject_failure *failure, smsprov_error *err)
{
    xmlDoc *doc = len > INT_MAX ? NULL
                                : xmlReadMemory(xml, (int)len, NULL, NULL,
                                                XML_PARSE_NONET | XML_PARSE_NOERROR |
                                                    XML_PARSE_NOWARNING);
    smsprov_code rc = check_manifest(&doc, shown, failure, err);
    if (rc != SMSPROV_OK)
        return rc;
    return plan_manifest(opt, doc, image, arch, plan, failure, err);
}
