/* optional_component_catalog.c - SMS_OSDeploymentKitWinPEOptionalComponent,
 * the read-only catalogue of the optional components the site's Windows
 * ADK offers, written from the ADK tree
 * each time the site opens (mof/27_sms_winpeoptionalcomponent.mof says
 * what each row holds). */
#include <stdlib.h>
#include <string.h>

#include "osd/customize.h"
#include "osd/image_info.h"
#include "osd/inject_path.h"
#include "platform/platform.h"
#include "osd/locale.h"
#include "osd/oc.h"
#include "sms/boot_image.h"
#include "sms/optional_component_catalog.h"
#include "sms/optional_components.h"

#define CATALOG_CLASS "SMS_OSDeploymentKitWinPEOptionalComponent"
#define IDS_PER_ARCH 26
#define MAX_LANGUAGES 32

/* One architecture of the ID table, as the ADK has it. */
typedef struct arch_catalog {
    osd_arch arch;
    uint32_t first_id;
    char *winpe;                  /* the ADK's WinPE folder for it */
    char *relative_winpe;         /* the same, relative to the ADK */
    char *version;                /* its winpe.wim's OS version, or "" */
    char *cab[IDS_PER_ARCH];      /* cabinet file name as found, NULL: absent */
    char *languages[MAX_LANGUAGES]; /* WinPE_OCs\<lang> folders */
    size_t language_count;
} arch_catalog;

static void arch_catalog_clear(arch_catalog *a)
{
    free(a->winpe);
    free(a->relative_winpe);
    free(a->version);
    for (size_t i = 0; i < IDS_PER_ARCH; i++)
        free(a->cab[i]);
    for (size_t i = 0; i < a->language_count; i++)
        free(a->languages[i]);
}

static uint64_t file_size(const char *path)
{
    platform_file_info st;
    return platform_file_info_get(path, &st) == 0 && st.is_regular ? st.size : 0;
}

/* The cabinet of component id under WinPE_OCs, by its documented name or
 * the modern ADK name. */
static char *find_cab(const char *ocs, const char *name)
{
    const char *names[] = {name, osd_oc_modern_name(name)};
    for (size_t i = 0; i < 2 && names[i]; i++) {
        char *file = cim_xasprintf("%s.cab", names[i]);
        char *local = NULL;
        bool found = osd_path_resolve(ocs, file, &local, NULL, NULL) == SMSPROV_OK;
        free(file);
        if (found) {
            char *base = cim_xstrdup(strrchr(local, '/') + 1);
            free(local);
            return base;
        }
        free(local);
    }
    return NULL;
}

static void list_languages(arch_catalog *a, const char *ocs)
{
    char **names = NULL;
    if (platform_list_dir(ocs, &names) != 0)
        return;
    for (size_t i = 0; names[i] && a->language_count < MAX_LANGUAGES; i++) {
        char *path = cim_xasprintf("%s/%s", ocs, names[i]);
        platform_file_info st;
        if (names[i][0] != '.' && platform_file_info_get(path, &st) == 0 && st.is_dir &&
            osd_language_lcid(names[i]) != 0)
            a->languages[a->language_count++] = cim_xstrdup(names[i]);
        free(path);
    }
    platform_list_free(names);
}

static bool load_arch(const char *adk_root, osd_arch arch, uint32_t first_id, arch_catalog *a)
{
    memset(a, 0, sizeof *a);
    a->arch = arch;
    a->first_id = first_id;
    if (osd_adk_winpe_folder(adk_root, arch, &a->winpe, NULL, NULL) != SMSPROV_OK)
        return false;
    a->relative_winpe = cim_xasprintf("Windows Preinstallation Environment\\%s",
                                      strrchr(a->winpe, '/') + 1);
    char *wim = NULL;
    osd_image_info info = {0};
    if (osd_path_resolve(a->winpe, "en-us\\winpe.wim", &wim, NULL, NULL) == SMSPROV_OK &&
        osd_read_image_info(wim, 1, &info, NULL) == SMSPROV_OK && info.os_version)
        a->version = cim_xstrdup(info.os_version);
    else
        a->version = cim_xstrdup("");
    osd_image_info_clear(&info);
    free(wim);
    char *ocs = NULL;
    if (osd_path_resolve(a->winpe, "WinPE_OCs", &ocs, NULL, NULL) == SMSPROV_OK) {
        for (uint32_t i = 0; i < IDS_PER_ARCH; i++) {
            const char *name = sms_optional_component_name(first_id + i, NULL);
            a->cab[i] = name ? find_cab(ocs, name) : NULL;
        }
        list_languages(a, ocs);
    }
    free(ocs);
    return true;
}

/* ---- rows ---------------------------------------------------------------- */

/* The catalogue name of a component: its cabinet's, else the documented one. */
static char *shown_name(const arch_catalog *a, uint32_t id)
{
    const char *cab = a->cab[id - a->first_id];
    if (cab)
        return cim_xasprintf("%.*s", (int)(strlen(cab) - 4), cab);
    return cim_xstrdup(sms_optional_component_name(id, NULL));
}

static uint32_t id_of(const arch_catalog *a, const char *name)
{
    for (uint32_t i = 0; i < IDS_PER_ARCH; i++) {
        const char *n = sms_optional_component_name(a->first_id + i, NULL);
        if (n && cim_strcasecmp(n, name) == 0)
            return a->first_id + i;
    }
    return 0;
}

static void set_dependencies(cim_instance *row, const arch_catalog *a, const char *name)
{
    const char *needs[8];
    size_t n = osd_oc_prerequisites(name, needs, 8);
    cim_value names = cim_value_array(CIM_TYPE_STRING);
    cim_value ids = cim_value_array(CIM_TYPE_UINT32);
    for (size_t i = 0; i < n && i < 8; i++) {
        uint32_t id = id_of(a, needs[i]);
        char *shown = id ? shown_name(a, id) : cim_xstrdup(needs[i]);
        cim_value s = cim_value_string(shown);
        cim_value_array_append_take(&names, &s);
        free(shown);
        if (id) {
            cim_value v = cim_value_uint(CIM_TYPE_UINT32, id);
            cim_value_array_append_take(&ids, &v);
        }
    }
    cim_instance_take_value(row, "DependentComponentNames", names);
    cim_instance_take_value(row, "DependentIds", ids);
}

static cim_instance *new_row(const cim_class *cls, const arch_catalog *a, uint32_t id,
                             uint32_t language_id, uint64_t size)
{
    const char *name = sms_optional_component_name(id, NULL);
    cim_instance *row = cim_instance_spawn(cls);
    char *shown = shown_name(a, id);
    char *relative = cim_xasprintf("%s\\WinPE_OCs\\%s", a->relative_winpe,
                                   a->cab[id - a->first_id]);
    cim_instance_take_value(row, "Architecture",
                  cim_value_string(a->arch == OSD_ARCH_X86 ? "X86" : "X64"));
    set_dependencies(row, a, name);
    cim_instance_take_value(row, "DeploymentKitVersion", cim_value_string(a->version));
    cim_instance_take_value(row, "IsRequired", cim_value_bool(osd_oc_is_required(name)));
    cim_instance_take_value(row, "LanguageID", cim_value_uint(CIM_TYPE_UINT32, language_id));
    cim_instance_take_value(row, "Name", cim_value_string(shown));
    cim_instance_take_value(row, "RelativePath", cim_value_string(relative));
    cim_instance_take_value(row, "Size", cim_value_uint(CIM_TYPE_UINT64, size));
    cim_instance_take_value(row, "UniqueID", cim_value_uint(CIM_TYPE_UINT32, id));
    free(relative);
    free(shown);
    return row;
}

static void add_row(smsprov_instance_list *rows, cim_instance *row)
{
    rows->items = cim_xrealloc(rows->items, (rows->count + 1) * sizeof *rows->items);
    rows->items[rows->count++] = row;
}

/* One row per language the ADK has resources for; one language-neutral
 * row (LanguageID 0) for a component without any. */
static void component_rows(const cim_class *cls, const arch_catalog *a, uint32_t id,
                           smsprov_instance_list *rows)
{
    const char *cab = a->cab[id - a->first_id];
    char *neutral = cim_xasprintf("%s/WinPE_OCs/%s", a->winpe, cab);
    uint64_t neutral_size = file_size(neutral);
    free(neutral);
    size_t base_len = strlen(cab) - 4;
    bool localized = false;
    for (size_t i = 0; i < a->language_count; i++) {
        const char *lang = a->languages[i];
        char *relative = cim_xasprintf("WinPE_OCs\\%s\\%.*s_%s.cab", lang, (int)base_len, cab,
                                       lang);
        char *local = NULL;
        if (osd_path_resolve(a->winpe, relative, &local, NULL, NULL) == SMSPROV_OK) {
            add_row(rows, new_row(cls, a, id, osd_language_lcid(lang),
                                  neutral_size + file_size(local)));
            localized = true;
        }
        free(local);
        free(relative);
    }
    if (!localized)
        add_row(rows, new_row(cls, a, id, 0, neutral_size));
}

static void catalog_rows(const smsprov_site *site, const cim_class *cls,
                         smsprov_instance_list *rows)
{
    static const struct {
        osd_arch arch;
        uint32_t first_id;
    } arches[] = {{OSD_ARCH_X86, 1}, {OSD_ARCH_X64, 27}};
    for (size_t k = 0; k < sizeof arches / sizeof *arches; k++) {
        arch_catalog a;
        if (load_arch(site->adk_root, arches[k].arch, arches[k].first_id, &a))
            for (uint32_t i = 0; i < IDS_PER_ARCH; i++)
                if (a.cab[i])
                    component_rows(cls, &a, a.first_id + i, rows);
        arch_catalog_clear(&a);
    }
}

/* ---- storing ------------------------------------------------------------- */

static bool same_rows(const smsprov_instance_list *a, const smsprov_instance_list *b)
{
    if (a->count != b->count)
        return false;
    for (size_t i = 0; i < a->count; i++) {
        bool found = false;
        for (size_t j = 0; j < b->count && !found; j++)
            found = cim_instance_equal(a->items[i], b->items[j]);
        if (!found)
            return false;
    }
    return true;
}

/* The stored rows, read in a transaction of their own. */
static smsprov_code read_rows(store *st, const cim_class *cls, smsprov_instance_list *out,
                              smsprov_error *err)
{
    store_txn *txn = NULL;
    smsprov_code rc = store_begin(st, false, &txn, err);
    if (rc == SMSPROV_OK) {
        rc = store_select(txn, cls, NULL, out, err);
        store_rollback(txn);
    }
    return rc;
}

static smsprov_code replace_rows(store *st, const cim_class *cls,
                                 const smsprov_instance_list *fresh, smsprov_error *err)
{
    store_txn *txn = NULL;
    smsprov_code rc = store_begin(st, true, &txn, err);
    if (rc != SMSPROV_OK)
        return rc;
    smsprov_instance_list stored = {0};
    rc = store_select(txn, cls, NULL, &stored, err);
    for (size_t i = 0; rc == SMSPROV_OK && i < stored.count; i++)
        rc = store_delete(txn, cls, stored.items[i], err);
    for (size_t i = 0; rc == SMSPROV_OK && i < fresh->count; i++)
        rc = store_insert(txn, fresh->items[i], err);
    if (rc == SMSPROV_OK)
        rc = store_commit(txn, err);
    else
        store_rollback(txn);
    smsprov_instance_list_clear(&stored);
    return rc;
}

smsprov_code sms_write_oc_catalog(smsprov_site *site, smsprov_error *err)
{
    const cim_class *cls = cim_schema_find_class(site->schema, site->site_namespace,
                                                 CATALOG_CLASS);
    /* A process opened without an ADK (a command-line call, say) knows
     * nothing about it, so it leaves the catalogue to those that do. */
    if (!cls || !site->adk_root)
        return SMSPROV_OK;
    smsprov_instance_list fresh = {0}, stored = {0};
    catalog_rows(site, cls, &fresh);
    /* Most opens find the ADK unchanged: then nothing is written, and the
     * many processes that open a site at once do not queue for its lock. */
    smsprov_code rc = read_rows(site->store, cls, &stored, err);
    if (rc == SMSPROV_OK && !same_rows(&fresh, &stored))
        rc = replace_rows(site->store, cls, &fresh, err);
    smsprov_instance_list_clear(&fresh);
    smsprov_instance_list_clear(&stored);
    return rc;
}
