/* test_sms_customize.c - WinPE customisation through the provider API
 * (drivers, optional components, settings): SMS_Driver (CI_ID assigned, INF read and refused when bad),
 * ReferencedDrivers mirrored into SMS_BootImagePackage_DriverRef, the
 * read-only optional component catalogue filled from the ADK,
 * UpdateOptionalComponents, ExportDefaultBootImage with its status queue,
 * the put checks of the prestart and background settings, and a refresh
 * whose driver cannot be injected: the job fails, names the INF and keeps
 * the previous content. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <cmocka.h>
#include <wimlib.h>

#include "osd/fs.h"
#include "osd/synthetic.h"
#include "smsprov/provider.h"
#include "test_fixture.h"

#define SCRATCH SMSPROV_TEST_SCRATCH "/sms_customize"
#define SOURCES SCRATCH "/sources"
#define BOOT "SMS_BootImagePackage"
#define NS "root\\sms\\site_LAB"

static smsprov_share shares[] = {{"\\\\lab\\sources", SOURCES},
                                 {"C:\\WinPE", SCRATCH "/export"}};

static smsprov_site *open_site(const char *db, bool with_adk)
{
    smsprov_site_config config = {
        .database_path = db,
        .mof_dir = SMSPROV_SOURCE_MOF_DIR,
        .content_root = SCRATCH "/content",
        .shares = shares,
        .share_count = 2,
        .worker_count = 2,
        .adk_root = with_adk ? SCRATCH "/adk" : NULL,
        .configmgr_root = SCRATCH "/configmgr",
    };
    smsprov_site *site = NULL;
    smsprov_error err = {0};
    if (smsprov_site_open(&config, &site, &err) != SMSPROV_OK)
        fail_msg("opening the site failed: %s", err.description);
    return site;
}

static const char nic_inf[] =
    "[Version]\r\nSignature=\"$Windows NT$\"\r\nClass=Net\r\n"
    "ClassGUID={4d36e972-e325-11ce-bfc1-08002be10318}\r\nProvider=%P%\r\n"
    "DriverVer=06/21/2023,12.19.2.45\r\n"
    "[Manufacturer]\r\n%P%=M,NTamd64\r\n[M.NTamd64]\r\nNic=I,PCI\\X\r\n"
    "[Strings]\r\nP=\"Contoso\"\r\n";

static int build_inputs(void **state)
{
    (void)state;
    osd_fs_remove_tree(SCRATCH, NULL);
    smsprov_error err = {0};
    assert_int_equal(osd_fs_make_dirs(SOURCES, &err), SMSPROV_OK);
    assert_int_equal(osd_synthetic_adk_write(SCRATCH "/adk", OSD_ARCH_SET_ADK, &err), SMSPROV_OK);
    assert_int_equal(osd_synthetic_configmgr_write(SCRATCH "/configmgr", OSD_ARCH_SET_ADK, &err),
                     SMSPROV_OK);
    assert_int_equal(osd_synthetic_winpe_write(SOURCES "/x64.wim",
                                               &(osd_winpe_spec){.arch = OSD_ARCH_X64}, &err),
                     SMSPROV_OK);
    fixture_write_text(SOURCES "/drivers/nic/nic.inf", nic_inf);
    fixture_write_text(SOURCES "/drivers/nic2/nic2.inf", nic_inf);
    fixture_write_text(SOURCES "/drivers/bad/bad.inf", "[Version]\r\nClass=Net\r\n");
    fixture_write_text(SOURCES "/prestart/go.cmd", "echo go");
    fixture_write_text(SOURCES "/background.bmp", "BM picture");
    return 0;
}

static int remove_inputs(void **state)
{
    (void)state;
    osd_fs_remove_tree(SCRATCH, NULL);
    return 0;
}

/* ---- calls --------------------------------------------------------------- */

static cim_instance *from_json(smsprov_site *site, const char *cls, const char *json)
{
    cim_value v;
    smsprov_error err = {0};
    if (cim_value_from_json(json, CIM_TYPE_OBJECT, false, cls, smsprov_site_schema(site), NS,
                            &v, &err) != SMSPROV_OK)
        fail_msg("bad test JSON %s: %s", json, err.description);
    cim_instance *inst = v.u.object;
    v.u.object = NULL;
    return inst;
}

/* Puts JSON; returns the code, *path the new path, *why the sentence. */
static smsprov_code put(smsprov_site *site, const char *cls, const char *json, char **path,
                        char **why)
{
    cim_instance *inst = from_json(site, cls, json);
    smsprov_error err = {0};
    smsprov_code rc = smsprov_put(site, NULL, inst, SMSPROV_PUT_CREATE_OR_UPDATE, NULL, path,
                                  &err);
    if (why)
        *why = err.description ? strdup(err.description) : NULL;
    smsprov_error_clear(&err);
    cim_instance_free(inst);
    return rc;
}

static char *put_ok(smsprov_site *site, const char *cls, const char *json)
{
    char *path = NULL, *why = NULL;
    if (put(site, cls, json, &path, &why) != SMSPROV_OK)
        fail_msg("put %s failed: %s", json, why ? why : "?");
    free(why);
    return path;
}

static void put_refused(smsprov_site *site, const char *cls, const char *json,
                        smsprov_code code, const char *words)
{
    char *path = NULL, *why = NULL;
    smsprov_code rc = put(site, cls, json, &path, &why);
    if (rc != code || !why || !strstr(why, words))
        fail_msg("put %s: 0x%x \"%s\", expected 0x%x saying \"%s\"", json, rc, why ? why : "",
                 code, words);
    assert_null(path);
    free(why);
}

static cim_instance *get(smsprov_site *site, const char *path);

/* Gets path, applies the non-null values of changes (JSON of the same
 * class) and puts the whole object back, as a client does. */
static smsprov_code update(smsprov_site *site, const char *path, const char *changes,
                           char **why)
{
    cim_instance *inst = get(site, path);
    cim_instance *delta = from_json(site, inst->cls->name, changes);
    for (size_t i = 0; i < delta->cls->property_count; i++)
        if (!delta->values[i].is_null)
            assert_int_equal(cim_instance_set(inst, delta->cls->properties[i].name,
                                              &delta->values[i], NULL),
                             SMSPROV_OK);
    smsprov_error err = {0};
    smsprov_code rc = smsprov_put(site, NULL, inst, SMSPROV_PUT_UPDATE_ONLY, NULL, NULL, &err);
    if (why)
        *why = err.description ? strdup(err.description) : NULL;
    smsprov_error_clear(&err);
    cim_instance_free(delta);
    cim_instance_free(inst);
    return rc;
}

static void update_ok(smsprov_site *site, const char *path, const char *changes)
{
    char *why = NULL;
    if (update(site, path, changes, &why) != SMSPROV_OK)
        fail_msg("update of %s with %s failed: %s", path, changes, why ? why : "?");
    free(why);
}

static void update_refused(smsprov_site *site, const char *path, const char *changes,
                           smsprov_code code, const char *words)
{
    char *why = NULL;
    smsprov_code rc = update(site, path, changes, &why);
    if (rc != code || !why || !strstr(why, words))
        fail_msg("update %s: 0x%x \"%s\", expected 0x%x saying \"%s\"", changes, rc,
                 why ? why : "", code, words);
    free(why);
}

static cim_instance *get(smsprov_site *site, const char *path)
{
    cim_instance *inst = NULL;
    smsprov_error err = {0};
    if (smsprov_get(site, NULL, path, &inst, &err) != SMSPROV_OK)
        fail_msg("get %s failed: %s", path, err.description);
    return inst;
}

static const char *string_of(const cim_instance *inst, const char *name)
{
    const cim_value *v = cim_instance_get(inst, name);
    return v && !v->is_null ? v->u.string : NULL;
}

static uint64_t uint_of(const cim_instance *inst, const char *name)
{
    const cim_value *v = cim_instance_get(inst, name);
    return v && !v->is_null ? v->u.uint : 0;
}

static size_t count(smsprov_site *site, const char *cls)
{
    smsprov_instance_list list = {0};
    assert_int_equal(smsprov_enumerate(site, NULL, cls, SMSPROV_ENUM_DEEP, &list, NULL),
                     SMSPROV_OK);
    size_t n = list.count;
    smsprov_instance_list_clear(&list);
    return n;
}

/* A fresh in-parameter instance of a boot image method. */
static cim_instance *params(smsprov_site *site, const char *method)
{
    const cim_class *cls = NULL;
    smsprov_get_class(site, NULL, BOOT, &cls, NULL);
    return cim_instance_new(cim_class_find_method(cls, method)->in_class);
}

static void set_strings(cim_instance *in, const char *name, const char *const *items, size_t n)
{
    cim_value array = cim_value_array(CIM_TYPE_STRING);
    for (size_t i = 0; i < n; i++) {
        cim_value item = cim_value_string(items[i]);
        cim_value_array_append_take(&array, &item);
    }
    assert_int_equal(cim_instance_set(in, name, &array, NULL), SMSPROV_OK);
    cim_value_clear(&array);
}

/* Invokes; takes in (may be NULL).  *why gets the sentence of a failure. */
static smsprov_code call(smsprov_site *site, const char *target, const char *method,
                         cim_instance *in, cim_instance **out, char **why)
{
    cim_instance *result = NULL;
    smsprov_error err = {0};
    smsprov_code rc = smsprov_invoke(site, NULL, target, method, in, &result, &err);
    if (why)
        *why = err.description ? strdup(err.description) : NULL;
    smsprov_error_clear(&err);
    if (out)
        *out = result;
    else
        cim_instance_free(result);
    cim_instance_free(in);
    return rc;
}

static void call_ok(smsprov_site *site, const char *target, const char *method,
                    cim_instance *in)
{
    char *why = NULL;
    if (call(site, target, method, in, NULL, &why) != SMSPROV_OK)
        fail_msg("%s on %s failed: %s", method, target, why ? why : "?");
}

static void call_refused(smsprov_site *site, const char *target, const char *method,
                         cim_instance *in, smsprov_code code, const char *words)
{
    char *why = NULL;
    smsprov_code rc = call(site, target, method, in, NULL, &why);
    if (rc != code || !why || !strstr(why, words))
        fail_msg("%s: 0x%x \"%s\", expected 0x%x saying \"%s\"", method, rc, why ? why : "",
                 code, words);
    free(why);
}

static cim_instance *status_of(smsprov_site *site, const char *context)
{
    cim_instance *in = params(site, "QueryOSDBinaryInjectionStatus");
    cim_instance_set_string(in, "ContextID", context, NULL);
    cim_instance *out = NULL;
    assert_int_equal(call(site, BOOT, "QueryOSDBinaryInjectionStatus", in, &out, NULL),
                     SMSPROV_OK);
    return out;
}

static char *file_bytes(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    *size = (size_t)ftell(f);
    fseek(f, 0, SEEK_SET);
    char *data = malloc(*size + 1);
    assert_int_equal(fread(data, 1, *size, f), *size);
    fclose(f);
    return data;
}

static int ignore_entry(const struct wimlib_dir_entry *entry, void *data)
{
    (void)entry;
    (void)data;
    return 0;
}

/* Whether image 1 of wim holds path. */
static bool wim_has(const char *wim_path, const char *path)
{
    WIMStruct *wim = NULL;
    assert_int_equal(wimlib_open_wim(wim_path, 0, &wim), 0);
    int rc = wimlib_iterate_dir_tree(wim, 1, path, 0, ignore_entry, NULL);
    wimlib_free(wim);
    return rc == 0;
}

#define DRIVER_JSON(folder, inf)                                                            \
    "{\"__CLASS\":\"SMS_Driver\",\"LocalizedDisplayName\":\"NIC\",\"ContentSourcePath\":" \
    "\"\\\\\\\\lab\\\\sources\\\\drivers\\\\" folder "\",\"DriverINFFile\":\"" inf "\"}"

/* ---- SMS_Driver ---------------------------------------------------------- */

static void test_driver_put_reads_the_inf(void **state)
{
    (void)state;
    smsprov_site *site = open_site(SCRATCH "/driver.db", true);
    char *first = put_ok(site, "SMS_Driver", DRIVER_JSON("nic", "NIC.INF"));
    char *second = put_ok(site, "SMS_Driver", DRIVER_JSON("nic2", "nic2.inf"));
    assert_string_equal(first, "SMS_Driver.CI_ID=1");
    assert_string_equal(second, "SMS_Driver.CI_ID=2");
    cim_instance *d = get(site, first);
    assert_string_equal(string_of(d, "DriverClass"), "Net");
    assert_string_equal(string_of(d, "DriverProvider"), "Contoso");
    assert_string_equal(string_of(d, "DriverVersion"), "12.19.2.45");
    assert_string_equal(string_of(d, "DriverDate"), "20230621000000.000000+000");
    assert_true(cim_instance_get(d, "IsEnabled")->u.boolean);
    cim_instance_free(d);

    /* Read-only values sent are ignored; CI_ID is the site's. */
    put_refused(site, "SMS_Driver",
                "{\"__CLASS\":\"SMS_Driver\",\"CI_ID\":9,\"ContentSourcePath\":\"x\"}",
                SMSPROV_E_NOT_FOUND, "CI_ID is assigned by the site");
    put_refused(site, "SMS_Driver", "{\"__CLASS\":\"SMS_Driver\",\"DriverINFFile\":\"a.inf\"}",
                SMSPROV_E_INVALID_PARAMETER, "ContentSourcePath is required");
    put_refused(site, "SMS_Driver",
                "{\"__CLASS\":\"SMS_Driver\",\"ContentSourcePath\":\"\\\\\\\\lab\\\\sources\"}",
                SMSPROV_E_INVALID_PARAMETER, "DriverINFFile is required");
    put_refused(site, "SMS_Driver", DRIVER_JSON("nic", "..\\\\nic.inf"),
                SMSPROV_E_INVALID_PARAMETER, "must be a file name");
    put_refused(site, "SMS_Driver",
                "{\"__CLASS\":\"SMS_Driver\",\"ContentSourcePath\":\"\\\\\\\\elsewhere\\\\d\","
                "\"DriverINFFile\":\"a.inf\"}",
                SMSPROV_E_INVALID_PARAMETER, "\\\\elsewhere\\d");
    put_refused(site, "SMS_Driver", DRIVER_JSON("nic", "other.inf"), SMSPROV_E_INVALID_PARAMETER,
                "\\\\lab\\sources\\drivers\\nic\\other.inf does not exist");
    put_refused(site, "SMS_Driver", DRIVER_JSON("bad", "bad.inf"), SMSPROV_E_INVALID_PARAMETER,
                "bad.inf cannot be added to the boot image: its [Version] section has no "
                "Signature");
    assert_int_equal(count(site, "SMS_Driver"), 2);

    /* An update that keeps the paths does not read the INF again. */
    fixture_write_text(SOURCES "/drivers/nic2/nic2.inf", "garbage");
    update_ok(site, second, "{\"__CLASS\":\"SMS_Driver\",\"LocalizedDisplayName\":\"renamed\","
                            "\"IsEnabled\":false}");
    update_refused(site, second, "{\"__CLASS\":\"SMS_Driver\",\"DriverINFFile\":\"NIC2.inf\"}",
                   SMSPROV_E_INVALID_PARAMETER, "syntax error on line 1");
    fixture_write_text(SOURCES "/drivers/nic2/nic2.inf", nic_inf);
    free(first);
    free(second);
    smsprov_site_close(site);
}

/* ---- ReferencedDrivers and DriverRef ------------------------------------- */

#define REF(id, folder)                                                                     \
    "{\"__CLASS\":\"SMS_Driver_Details\",\"ID\":" #id ",\"SourcePath\":"                    \
    "\"\\\\\\\\lab\\\\sources\\\\drivers\\\\" folder "\"}"

static smsprov_instance_list refs_of(smsprov_site *site, const char *package_id)
{
    char query[128];
    snprintf(query, sizeof query,
             "SELECT * FROM SMS_BootImagePackage_DriverRef WHERE PkgID = '%s'", package_id);
    smsprov_instance_list list = {0};
    assert_int_equal(smsprov_query(site, NULL, "WQL", query, &list, NULL), SMSPROV_OK);
    return list;
}

static void test_driver_refs_mirror_referenced_drivers(void **state)
{
    (void)state;
    smsprov_site *site = open_site(SCRATCH "/refs.db", true);
    char *pkg = put_ok(site, BOOT,
                       "{\"__CLASS\":\"" BOOT "\",\"Name\":\"refs\",\"ReferencedDrivers\":["
                       REF(1, "nic") "," REF(2, "nic2") "]}");
    char *other = put_ok(site, BOOT, "{\"__CLASS\":\"" BOOT "\",\"Name\":\"other\","
                                     "\"ReferencedDrivers\":[" REF(1, "nic") "]}");
    smsprov_instance_list rows = refs_of(site, "LAB00001");
    assert_int_equal(rows.count, 2);
    for (size_t i = 0; i < rows.count; i++) {
        int64_t id = cim_instance_get(rows.items[i], "CI_ID")->u.sint;
        assert_true(id == 1 || id == 2);
        assert_non_null(strstr(string_of(rows.items[i], "SourcePath"),
                               id == 1 ? "\\nic" : "\\nic2"));
    }
    smsprov_instance_list_clear(&rows);

    /* S-3: a put without driver 2 drops its row. */
    update_ok(site, pkg, "{\"__CLASS\":\"" BOOT "\",\"ReferencedDrivers\":[" REF(1, "nic") "]}");
    rows = refs_of(site, "LAB00001");
    assert_int_equal(rows.count, 1);
    smsprov_instance_list_clear(&rows);
    /* A put from an enumeration (lazy ReferencedDrivers null) keeps them. */
    free(put_ok(site, BOOT, "{\"__CLASS\":\"" BOOT "\",\"PackageID\":\"LAB00001\","
                            "\"Name\":\"refs\",\"Description\":\"x\"}"));
    rows = refs_of(site, "LAB00001");
    assert_int_equal(rows.count, 1);
    smsprov_instance_list_clear(&rows);

    /* Refused puts change nothing. */
    update_refused(site, pkg,
                   "{\"__CLASS\":\"" BOOT "\",\"ReferencedDrivers\":[" REF(2, "nic2") ","
                   REF(2, "nic") "]}",
                   SMSPROV_E_INVALID_PARAMETER, "[0] and [1] both name driver 2");
    update_refused(site, pkg,
                   "{\"__CLASS\":\"" BOOT "\",\"ReferencedDrivers\":["
                   "{\"__CLASS\":\"SMS_Driver_Details\",\"ID\":3}]}",
                   SMSPROV_E_INVALID_PARAMETER, "SourcePath");
    rows = refs_of(site, "LAB00001");
    assert_int_equal(rows.count, 1);
    assert_int_equal(cim_instance_get(rows.items[0], "CI_ID")->u.sint, 1);
    smsprov_instance_list_clear(&rows);

    /* The rows are the server's. */
    put_refused(site, "SMS_BootImagePackage_DriverRef",
                "{\"__CLASS\":\"SMS_BootImagePackage_DriverRef\",\"CI_ID\":1,\"PkgID\":\"X\"}",
                SMSPROV_E_ACCESS_DENIED, "read-only");
    smsprov_error err = {0};
    assert_int_equal(smsprov_delete(site, NULL,
                                    "SMS_BootImagePackage_DriverRef.CI_ID=1,PkgID=\"LAB00001\"",
                                    &err),
                     SMSPROV_E_ACCESS_DENIED);
    smsprov_error_clear(&err);

    /* Deleting the package (here through its base class) drops its rows. */
    assert_int_equal(smsprov_delete(site, NULL, "SMS_PackageBaseclass.PackageID=\"LAB00001\"",
                                    &err),
                     SMSPROV_OK);
    rows = refs_of(site, "LAB00001");
    assert_int_equal(rows.count, 0);
    smsprov_instance_list_clear(&rows);
    assert_int_equal(count(site, "SMS_BootImagePackage_DriverRef"), 1); /* the other's */
    free(pkg);
    free(other);
    smsprov_site_close(site);
}

/* ---- the optional component catalogue ------------------------------------ */

static const cim_instance *catalog_row(const smsprov_instance_list *rows, uint32_t id)
{
    for (size_t i = 0; i < rows->count; i++)
        if (uint_of(rows->items[i], "UniqueID") == id)
            return rows->items[i];
    fail_msg("no catalogue row for ID %u", id);
    return NULL;
}

static void test_catalogue_is_filled_from_the_adk(void **state)
{
    (void)state;
    smsprov_site *site = open_site(SCRATCH "/catalog.db", true);
    cim_instance *one = get(site, "SMS_OSDeploymentKitWinPEOptionalComponent.LanguageID=1033,"
                                  "UniqueID=41");
    assert_string_equal(string_of(one, "Name"), "WinPE-PowerShell");
    cim_instance_free(one);
    smsprov_instance_list rows = {0};
    assert_int_equal(smsprov_enumerate(site, NULL, "SMS_OSDeploymentKitWinPEOptionalComponent",
                                       SMSPROV_ENUM_DEEP, &rows, NULL),
                     SMSPROV_OK);
    /* 25 components per architecture (23 and 49 are unused). */
    assert_int_equal(rows.count, 50);
    const cim_instance *ps = catalog_row(&rows, 41);
    assert_string_equal(string_of(ps, "Name"), "WinPE-PowerShell");
    assert_string_equal(string_of(ps, "Architecture"), "X64");
    assert_int_equal(uint_of(ps, "LanguageID"), 1033);
    assert_string_equal(string_of(ps, "RelativePath"), "Windows Preinstallation Environment\\"
                                                       "amd64\\WinPE_OCs\\WinPE-PowerShell.cab");
    assert_string_equal(string_of(ps, "DeploymentKitVersion"), OSD_WINPE_DEFAULT_VERSION);
    assert_true(uint_of(ps, "Size") > 0);
    assert_false(cim_instance_get(ps, "IsRequired")->u.boolean);
    const cim_value *deps = cim_instance_get(ps, "DependentIds");
    assert_int_equal(deps->u.array.count, 3);
    assert_int_equal(deps->u.array.items[0].u.uint, 52); /* WMI */
    assert_int_equal(deps->u.array.items[1].u.uint, 40); /* NetFx */
    assert_int_equal(deps->u.array.items[2].u.uint, 44); /* Scripting */
    const cim_value *names = cim_instance_get(ps, "DependentComponentNames");
    assert_string_equal(names->u.array.items[1].u.string, "WinPE-NetFx");
    size_t required = 0;
    for (size_t i = 0; i < rows.count; i++)
        required += cim_instance_get(rows.items[i], "IsRequired")->u.boolean;
    assert_int_equal(required, 8);
    const cim_instance *font = catalog_row(&rows, 5);
    assert_int_equal(uint_of(font, "LanguageID"), 0); /* fonts have no language cabinets */
    assert_string_equal(string_of(font, "Architecture"), "X86");
    smsprov_instance_list_clear(&rows);
    put_refused(site, "SMS_OSDeploymentKitWinPEOptionalComponent",
                "{\"__CLASS\":\"SMS_OSDeploymentKitWinPEOptionalComponent\",\"UniqueID\":1,"
                "\"LanguageID\":0,\"DeploymentKitVersion\":\"x\"}",
                SMSPROV_E_ACCESS_DENIED, "read-only");
    smsprov_site_close(site);

    /* A process without an ADK leaves the rows alone; an ADK that lost a
     * cabinet loses its rows at the next open. */
    site = open_site(SCRATCH "/catalog.db", false);
    assert_int_equal(count(site, "SMS_OSDeploymentKitWinPEOptionalComponent"), 50);
    smsprov_site_close(site);
    const char *cab = SCRATCH "/adk/Assessment and Deployment Kit/Windows Preinstallation "
                              "Environment/amd64/WinPE_OCs/WinPE-RNDIS.cab";
    char aside[512];
    snprintf(aside, sizeof aside, "%s.aside", cab);
    assert_int_equal(rename(cab, aside), 0);
    site = open_site(SCRATCH "/catalog.db", true);
    assert_int_equal(count(site, "SMS_OSDeploymentKitWinPEOptionalComponent"), 49);
    smsprov_site_close(site);
    assert_int_equal(rename(aside, cab), 0);
    site = open_site(SCRATCH "/catalog.db", true);
    assert_int_equal(count(site, "SMS_OSDeploymentKitWinPEOptionalComponent"), 50);
    smsprov_site_close(site);
    /* A site that never had an ADK has none. */
    site = open_site(SCRATCH "/no-adk.db", false);
    assert_int_equal(count(site, "SMS_OSDeploymentKitWinPEOptionalComponent"), 0);
    smsprov_site_close(site);
}

/* ---- UpdateOptionalComponents -------------------------------------------- */

static void update_components(smsprov_site *site, const char *path, const char *const *ids,
                              size_t n)
{
    cim_instance *in = params(site, "UpdateOptionalComponents");
    set_strings(in, "ComponentIds", ids, n);
    call_ok(site, path, "UpdateOptionalComponents", in);
}

static void test_update_optional_components(void **state)
{
    (void)state;
    smsprov_site *site = open_site(SCRATCH "/components.db", true);
    /* Without content, the IDs are kept for the first build. */
    char *bare = put_ok(site, BOOT, "{\"__CLASS\":\"" BOOT "\",\"Name\":\"bare\"}");
    const char *pair[] = {"27", "29"};
    update_components(site, bare, pair, 2);
    cim_instance *pkg = get(site, bare);
    const cim_value *ids = cim_instance_get(pkg, "OptionalComponents");
    assert_int_equal(ids->u.array.count, 2);
    assert_int_equal(ids->u.array.items[1].u.uint, 29);
    cim_instance_free(pkg);

    char *path = put_ok(site, BOOT, "{\"__CLASS\":\"" BOOT "\",\"Name\":\"oc\","
                                    "\"ImagePath\":\"\\\\\\\\lab\\\\sources\\\\x64.wim\","
                                    "\"ContextID\":\"oc-ctx\"}");
    const char *wim = SCRATCH "/content/boot.LAB00002.wim";
    assert_true(wim_has(wim, "/Windows/System32/WinPE-WMI.dll")); /* required, always */
    assert_false(wim_has(wim, "/Windows/System32/WinPE-HTA.dll"));
    const char *hta[] = {"36"};
    update_components(site, path, hta, 1);
    assert_true(wim_has(wim, "/Windows/System32/WinPE-HTA.dll"));
    pkg = get(site, path);
    assert_int_equal(uint_of(pkg, "SourceVersion"), 2);
    assert_int_equal(cim_instance_get(pkg, "OptionalComponents")->u.array.items[0].u.uint, 36);
    cim_instance_free(pkg);

    /* Refused: nothing changes. */
    const char *bad[][2] = {{"36", "x7"}, {"5", NULL}, {"49", NULL}, {"4294967296", NULL}};
    static const char fits_x64[] =
        "5 (WinPE-FontSupport-JA-JP, an x86 component), which does not fit this x64";
    const char *words[] = {"ComponentIds[1] \"x7\"", fits_x64, "ComponentIds holds 49",
                           "\"4294967296\""};
    for (size_t i = 0; i < 4; i++) {
        cim_instance *in = params(site, "UpdateOptionalComponents");
        set_strings(in, "ComponentIds", bad[i], bad[i][1] ? 2 : 1);
        call_refused(site, path, "UpdateOptionalComponents", in,
                     SMSPROV_E_INVALID_METHOD_PARAMETERS, words[i]);
    }
    /* A build that fails (a cabinet went missing) keeps the old IDs. */
    const char *cab = SCRATCH "/adk/Assessment and Deployment Kit/Windows Preinstallation "
                              "Environment/amd64/WinPE_OCs/WinPE-RNDIS.cab";
    char aside[512];
    snprintf(aside, sizeof aside, "%s.aside", cab);
    assert_int_equal(rename(cab, aside), 0);
    const char *rndis[] = {"43"};
    cim_instance *in = params(site, "UpdateOptionalComponents");
    set_strings(in, "ComponentIds", rndis, 1);
    call_refused(site, path, "UpdateOptionalComponents", in, SMSPROV_E_FAILED,
                 "WinPE-RNDIS is not in the Windows ADK");
    assert_int_equal(rename(aside, cab), 0);
    pkg = get(site, path);
    assert_int_equal(uint_of(pkg, "SourceVersion"), 2);
    assert_int_equal(cim_instance_get(pkg, "OptionalComponents")->u.array.items[0].u.uint, 36);
    cim_instance_free(pkg);
    cim_instance *status = status_of(site, "oc-ctx");
    assert_int_equal(uint_of(status, "Status"), 2);
    assert_int_equal(cim_instance_get(status, "ErrorCode")->u.sint, 2);
    assert_non_null(strstr(string_of(status, "ExtendedErrorInfo"), "WinPE-RNDIS.cab"));
    cim_instance_free(status);
    free(bare);
    free(path);
    smsprov_site_close(site);
}

/* ---- ExportDefaultBootImage ---------------------------------------------- */

static cim_instance *export_params(smsprov_site *site, const char *arch, uint32_t index,
                                   const char *path)
{
    cim_instance *in = params(site, "ExportDefaultBootImage");
    cim_instance_set_string(in, "Architecture", arch, NULL);
    cim_instance_set_uint(in, "ImageIndex", index, NULL);
    cim_instance_set_string(in, "ExportImagePath", path, NULL);
    return in;
}

static void test_export_default_boot_image(void **state)
{
    (void)state;
    smsprov_site *site = open_site(SCRATCH "/export.db", true);
    call_ok(site, BOOT, "ExportDefaultBootImage",
            export_params(site, "x64", 1, "c:\\winPE\\boot.wim"));
    const char *wim = SCRATCH "/export/boot.wim";
    WIMStruct *w = NULL;
    assert_int_equal(wimlib_open_wim(wim, 0, &w), 0);
    struct wimlib_wim_info info;
    wimlib_get_wim_info(w, &info);
    assert_int_equal(info.image_count, 1);
    assert_int_equal(info.boot_index, 1);
    assert_int_equal(wimlib_verify_wim(w, 0), 0);
    wimlib_free(w);
    assert_true(wim_has(wim, "/sms/bin/x64/TsBootShell.exe"));
    assert_true(wim_has(wim, "/Windows/servicing/Packages/"
                             "WinPE-SecureStartup-Package~31bf3856ad364e35~amd64~~"
                             OSD_WINPE_DEFAULT_VERSION ".mum"));
    /* Its queue is named by the path as the caller wrote it. */
    cim_instance *status = status_of(site, "C:\\WinPE\\boot.wim");
    assert_int_equal(uint_of(status, "Status"), 0);
    assert_int_equal(uint_of(status, "Progress"), 100);
    assert_non_null(strstr(string_of(status, "ProgressText"), "exported to c:\\winPE\\boot.wim"));
    cim_instance_free(status);
    cim_instance *in = params(site, "DeleteContextID");
    cim_instance_set_string(in, "ContextID", "c:\\winPE\\boot.wim", NULL);
    call_ok(site, BOOT, "DeleteContextID", in);
    status = status_of(site, "c:\\winPE\\boot.wim");
    assert_int_equal(uint_of(status, "Status"), 3);
    cim_instance_free(status);

    /* x86 too, into a folder that does not exist yet. */
    call_ok(site, BOOT, "ExportDefaultBootImage",
            export_params(site, "x86", 1, "C:\\WinPE\\x86\\boot.wim"));
    assert_true(wim_has(SCRATCH "/export/x86/boot.wim", "/sms/bin/i386/TsBootShell.exe"));

    /* Refused before any work. */
    static const struct {
        const char *arch;
        uint32_t index;
        const char *path;
        smsprov_code code;
        const char *words;
    } refusals[] = {
        {"sparc", 1, "C:\\WinPE\\a.wim", SMSPROV_E_INVALID_METHOD_PARAMETERS, "\"sparc\""},
        {"ia64", 1, "C:\\WinPE\\a.wim", SMSPROV_E_INVALID_METHOD_PARAMETERS, "no ia64 WinPE"},
        {"x64", 0, "C:\\WinPE\\a.wim", SMSPROV_E_INVALID_METHOD_PARAMETERS, "ImageIndex 0"},
        {"x64", 1, "D:\\a.wim", SMSPROV_E_INVALID_PARAMETER, "D:\\a.wim"},
        {"x64", 1, "C:\\WinPE\\x86", SMSPROV_E_INVALID_METHOD_PARAMETERS, "is a folder"},
    };
    for (size_t i = 0; i < sizeof refusals / sizeof *refusals; i++)
        call_refused(site, BOOT, "ExportDefaultBootImage",
                     export_params(site, refusals[i].arch, refusals[i].index, refusals[i].path),
                     refusals[i].code, refusals[i].words);
    /* A job that fails reports through the queue; the old file stays. */
    size_t before_size = 0;
    char *before = file_bytes(wim, &before_size);
    call_refused(site, BOOT, "ExportDefaultBootImage",
                 export_params(site, "x64", 2, "c:\\winpe\\boot.wim"), SMSPROV_E_FAILED,
                 "Failed to export the default x64 boot image to c:\\winpe\\boot.wim");
    status = status_of(site, "c:\\winpe\\boot.wim");
    assert_int_equal(uint_of(status, "Status"), 2);
    assert_non_null(strstr(string_of(status, "ExtendedErrorInfo"), "winpe.wim"));
    cim_instance_free(status);
    size_t after_size = 0;
    char *after = file_bytes(wim, &after_size);
    assert_int_equal(after_size, before_size);
    assert_memory_equal(after, before, before_size);
    free(before);
    free(after);
    smsprov_site_close(site);

    /* Without an ADK the job says what to configure. */
    site = open_site(SCRATCH "/export.db", false);
    call_refused(site, BOOT, "ExportDefaultBootImage",
                 export_params(site, "x64", 1, "c:\\winPE\\none.wim"), SMSPROV_E_FAILED,
                 "--adk");
    smsprov_site_close(site);
}

/* ---- prestart, background and drivers on refresh ------------------------- */

static void test_put_checks_prestart_and_background(void **state)
{
    (void)state;
    smsprov_site *site = open_site(SCRATCH "/settings.db", true);
    put_refused(site, BOOT,
                "{\"__CLASS\":\"" BOOT "\",\"Name\":\"p\",\"PreExecSourceDirectory\":"
                "\"\\\\\\\\lab\\\\sources\\\\prestart\"}",
                SMSPROV_E_INVALID_PARAMETER, "PreExecCommandLine is empty");
    put_refused(site, BOOT,
                "{\"__CLASS\":\"" BOOT "\",\"Name\":\"p\",\"PreExecCommandLine\":\"a\\r\\nb\"}",
                SMSPROV_E_INVALID_PARAMETER, "line break");
    put_refused(site, BOOT,
                "{\"__CLASS\":\"" BOOT "\",\"Name\":\"p\",\"PreExecCommandLine\":\"go.cmd\","
                "\"PreExecSourceDirectory\":\"\\\\\\\\other\\\\prestart\"}",
                SMSPROV_E_INVALID_PARAMETER, "\\\\other\\prestart");
    put_refused(site, BOOT,
                "{\"__CLASS\":\"" BOOT "\",\"Name\":\"p\",\"BackgroundBitmapPath\":"
                "\"\\\\\\\\other\\\\bg.bmp\"}",
                SMSPROV_E_INVALID_PARAMETER, "\\\\other\\bg.bmp");
    assert_int_equal(count(site, BOOT), 0);
    smsprov_site_close(site);
}

static void test_refresh_applies_settings_and_a_bad_driver_fails_it(void **state)
{
    (void)state;
    smsprov_site *site = open_site(SCRATCH "/refresh.db", true);
    free(put_ok(site, "SMS_Driver", DRIVER_JSON("nic", "nic.inf")));
    free(put_ok(site, "SMS_Driver", DRIVER_JSON("nic2", "nic2.inf")));
    char *path = put_ok(site, BOOT,
                        "{\"__CLASS\":\"" BOOT "\",\"Name\":\"r\",\"ImagePath\":"
                        "\"\\\\\\\\lab\\\\sources\\\\x64.wim\",\"ContextID\":\"r-ctx\","
                        "\"ScratchSpace\":512,\"PreExecCommandLine\":\"go.cmd\","
                        "\"PreExecSourceDirectory\":\"\\\\\\\\lab\\\\sources\\\\prestart\","
                        "\"BackgroundBitmapPath\":\"\\\\\\\\lab\\\\sources\\\\background.bmp\","
                        "\"ReferencedDrivers\":[" REF(1, "nic") "]}");
    const char *wim = SCRATCH "/content/boot.LAB00001.wim";
    /* The import applies them: drivers at import too (the SDK promises
     * them at refresh; an import is the first build). */
    assert_true(wim_has(wim, "/Windows/INF/oem0.inf"));
    assert_true(wim_has(wim, "/TSConfig.ini"));
    assert_true(wim_has(wim, "/sms/PKG/SMS10000/go.cmd"));
    assert_true(wim_has(wim, "/Windows/System32/winpe.bmp"));

    /* S-2: add driver 2, put, refresh. */
    update_ok(site, path, "{\"__CLASS\":\"" BOOT "\",\"ReferencedDrivers\":[" REF(1, "nic") ","
                          REF(2, "nic2") "]}");
    assert_false(wim_has(wim, "/Windows/INF/oem1.inf")); /* not before the refresh */
    call_ok(site, path, "RefreshPkgSource", NULL);
    assert_true(wim_has(wim, "/Windows/INF/oem1.inf"));

    /* A disabled driver stays out. */
    update_ok(site, "SMS_Driver.CI_ID=2", "{\"__CLASS\":\"SMS_Driver\",\"IsEnabled\":false}");
    call_ok(site, path, "RefreshPkgSource", NULL);
    assert_false(wim_has(wim, "/Windows/INF/oem1.inf"));

    /* A driver whose INF went bad fails the job; content and version stay. */
    cim_instance *pkg = get(site, path);
    uint64_t version = uint_of(pkg, "SourceVersion");
    cim_instance_free(pkg);
    size_t before_size = 0;
    char *before = file_bytes(wim, &before_size);
    fixture_write_text(SOURCES "/drivers/nic/nic.inf", "[Version]\r\nSignature=\"$Windows NT$\"\r\n");
    call_refused(site, path, "RefreshPkgSource", NULL, SMSPROV_E_FAILED,
                 "\\\\lab\\sources\\drivers\\nic\\nic.inf cannot be added to the boot image: "
                 "its [Version] section has no Class");
    fixture_write_text(SOURCES "/drivers/nic/nic.inf", nic_inf);
    cim_instance *status = status_of(site, "r-ctx");
    assert_int_equal(uint_of(status, "Status"), 2);
    assert_int_equal(cim_instance_get(status, "ErrorCode")->u.sint, 13);
    assert_non_null(strstr(string_of(status, "ExtendedErrorInfo"),
                           "\\\\lab\\sources\\drivers\\nic\\nic.inf"));
    cim_instance_free(status);
    size_t after_size = 0;
    char *after = file_bytes(wim, &after_size);
    assert_int_equal(after_size, before_size);
    assert_memory_equal(after, before, before_size);
    free(before);
    free(after);
    pkg = get(site, path);
    assert_int_equal(uint_of(pkg, "SourceVersion"), version);
    cim_instance_free(pkg);

    /* A driver the catalogue no longer has is refused before any work. */
    smsprov_error err = {0};
    assert_int_equal(smsprov_delete(site, NULL, "SMS_Driver.CI_ID=1", &err), SMSPROV_OK);
    call_refused(site, path, "RefreshPkgSource", NULL, SMSPROV_E_INVALID_OPERATION,
                 "ReferencedDrivers[0] names driver 1, which no longer exists");
    free(path);
    smsprov_site_close(site);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_driver_put_reads_the_inf),
        cmocka_unit_test(test_driver_refs_mirror_referenced_drivers),
        cmocka_unit_test(test_catalogue_is_filled_from_the_adk),
        cmocka_unit_test(test_update_optional_components),
        cmocka_unit_test(test_export_default_boot_image),
        cmocka_unit_test(test_put_checks_prestart_and_background),
        cmocka_unit_test(test_refresh_applies_settings_and_a_bad_driver_fails_it),
    };
    return cmocka_run_group_tests(tests, build_inputs, remove_inputs);
}
