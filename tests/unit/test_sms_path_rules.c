/* test_sms_path_rules.c - every path a client names, through the provider
 * API: ExportDefaultBootImage never writes out of its share through a link
 * (in the folders on the way or as the file) and never replaces a file it
 * did not write; files copied into an image from a driver or prestart
 * folder are file content (a link inside the share is followed, its bytes
 * stored, never a reparse point; one leading out is refused with a sentence
 * naming it as the client does); PkgSourcePath is checked on create and
 * update for every class that has it; and the sentences and status queue
 * texts of path failures (missing file, not a WIM, link out, permission
 * denied) never show the server's folders. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <linux/capability.h>
#include <sqlite3.h>
#include <wimlib.h>

#include "osd/fs.h"
#include "osd/synthetic.h"
#include "smsprov/provider.h"
#include "test_fixture.h"

#define SCRATCH SMSPROV_TEST_SCRATCH "/sms_path_rules"
#define SOURCES SCRATCH "/sources"
#define EXPORT SCRATCH "/export"
#define OUTSIDE SCRATCH "/outside"
#define BOOT "SMS_BootImagePackage"
#define NS "root\\sms\\site_LAB"

static smsprov_share shares[] = {{"\\\\lab\\sources", SOURCES}, {"C:\\WinPE", EXPORT}};

static smsprov_site *open_site(const char *db)
{
    smsprov_site_config config = {
        .database_path = db,
        .mof_dir = SMSPROV_SOURCE_MOF_DIR,
        .content_root = SCRATCH "/content",
        .shares = shares,
        .share_count = 2,
        .worker_count = 2,
        .adk_root = SCRATCH "/adk",
        .configmgr_root = SCRATCH "/configmgr",
    };
    smsprov_site *site = NULL;
    smsprov_error err = {0};
    if (smsprov_site_open(&config, &site, &err) != SMSPROV_OK)
        fail_msg("opening the site failed: %s", err.description);
    return site;
}

static void link_to(const char *target, const char *link)
{
    if (symlink(target, link) != 0)
        fail_msg("symlink %s -> %s failed", link, target);
}

static const char nic_inf[] =
    "[Version]\r\nSignature=\"$Windows NT$\"\r\nClass=Net\r\n"
    "ClassGUID={4d36e972-e325-11ce-bfc1-08002be10318}\r\nProvider=%P%\r\n"
    "DriverVer=06/21/2023,12.19.2.45\r\n"
    "[SourceDisksNames]\r\n1=%Disk%\r\n[SourceDisksFiles]\r\nnic.sys=1\r\n"
    "[Manufacturer]\r\n%P%=M,NTamd64\r\n[M.NTamd64]\r\nNic=I,PCI\\X\r\n"
    "[Strings]\r\nP=\"Contoso\"\r\nDisk=\"Disk 1\"\r\n";

static int build_inputs(void **state)
{
    (void)state;
    osd_fs_remove_tree(SCRATCH, NULL);
    smsprov_error err = {0};
    assert_int_equal(osd_fs_make_dirs(SOURCES, &err), SMSPROV_OK);
    assert_int_equal(osd_fs_make_dirs(EXPORT, &err), SMSPROV_OK);
    assert_int_equal(osd_fs_make_dirs(OUTSIDE, &err), SMSPROV_OK);
    assert_int_equal(osd_synthetic_adk_write(SCRATCH "/adk", OSD_ARCH_SET_ADK, &err), SMSPROV_OK);
    assert_int_equal(osd_synthetic_configmgr_write(SCRATCH "/configmgr", OSD_ARCH_SET_ADK, &err),
                     SMSPROV_OK);
    assert_int_equal(osd_synthetic_winpe_write(SOURCES "/x64.wim",
                                               &(osd_winpe_spec){.arch = OSD_ARCH_X64}, &err),
                     SMSPROV_OK);
    fixture_write_text(OUTSIDE "/secret.txt", "the server's secret");
    fixture_write_text(OUTSIDE "/target.wim", "not to be overwritten");
    /* Export: a folder link and a file link leading out of C:\WinPE. */
    link_to(OUTSIDE, EXPORT "/out");
    link_to(OUTSIDE "/target.wim", EXPORT "/link.wim");
    /* Prestart: links inside the share (a file and a folder) are content. */
    fixture_write_text(SOURCES "/common/tool.exe", "tool bytes, 20 long");
    fixture_write_text(SOURCES "/common/lib/helper.dll", "helper");
    fixture_write_text(SOURCES "/prestart/go.cmd", "echo go");
    link_to("../common/tool.exe", SOURCES "/prestart/tool.exe");
    link_to(SOURCES "/common/lib", SOURCES "/prestart/lib");
    fixture_write_text(SOURCES "/prestart_out/go.cmd", "echo go");
    link_to(OUTSIDE "/secret.txt", SOURCES "/prestart_out/evil.txt");
    /* Drivers: the file the INF copies is a link, inside or out. */
    fixture_write_text(SOURCES "/drivers/nic/nic.inf", nic_inf);
    fixture_write_text(SOURCES "/payload/nic.sys", "driver bytes");
    link_to("../../payload/nic.sys", SOURCES "/drivers/nic/nic.sys");
    fixture_write_text(SOURCES "/drivers/evil/nic.inf", nic_inf);
    link_to(OUTSIDE "/secret.txt", SOURCES "/drivers/evil/nic.sys");
    fixture_write_text(SOURCES "/notawim.wim", "this is no WIM");
    link_to(OUTSIDE "/target.wim", SOURCES "/outlink.wim");
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

/* No sentence a client sees may show the server's folders. */
static void assert_no_local_path(const char *text)
{
    if (!text)
        return;
    char *real = realpath(SCRATCH, NULL);
    if (strstr(text, SCRATCH) || (real && strstr(text, real)))
        fail_msg("\"%s\" shows a local path", text);
    free(real);
}

static smsprov_code put(smsprov_site *site, smsprov_put_mode mode, cim_instance *inst,
                        char **path, char **why)
{
    smsprov_error err = {0};
    smsprov_code rc = smsprov_put(site, NULL, inst, mode, NULL, path, &err);
    assert_no_local_path(err.description);
    if (why)
        *why = err.description ? strdup(err.description) : NULL;
    smsprov_error_clear(&err);
    cim_instance_free(inst);
    return rc;
}

static char *put_ok(smsprov_site *site, const char *cls, const char *json)
{
    char *path = NULL, *why = NULL;
    if (put(site, SMSPROV_PUT_CREATE_OR_UPDATE, from_json(site, cls, json), &path, &why) !=
        SMSPROV_OK)
        fail_msg("put %s failed: %s", json, why ? why : "?");
    free(why);
    return path;
}

/* Checks a refusal; takes *why (the sentence) and frees it. */
static void expect(smsprov_code rc, char **why, smsprov_code code, const char *words)
{
    if (rc != code || !*why || !strstr(*why, words))
        fail_msg("0x%x \"%s\", expected 0x%x saying \"%s\"", rc, *why ? *why : "", code,
                 words);
    free(*why);
    *why = NULL;
}

static void put_refused(smsprov_site *site, const char *cls, const char *json,
                        smsprov_code code, const char *words)
{
    char *path = NULL, *why = NULL;
    smsprov_code rc = put(site, SMSPROV_PUT_CREATE_OR_UPDATE, from_json(site, cls, json), &path,
                          &why);
    expect(rc, &why, code, words);
    assert_null(path);
}

static cim_instance *get(smsprov_site *site, const char *path)
{
    cim_instance *inst = NULL;
    smsprov_error err = {0};
    if (smsprov_get(site, NULL, path, &inst, &err) != SMSPROV_OK)
        fail_msg("get %s failed: %s", path, err.description);
    return inst;
}

/* Gets path, sets one string property and puts the whole object back. */
static smsprov_code update_string(smsprov_site *site, const char *path, const char *name,
                                  const char *value, char **why)
{
    cim_instance *inst = get(site, path);
    if (name)
        assert_int_equal(cim_instance_set_string(inst, name, value, NULL), SMSPROV_OK);
    return put(site, SMSPROV_PUT_UPDATE_ONLY, inst, NULL, why);
}

static cim_instance *params(smsprov_site *site, const char *method)
{
    const cim_class *cls = NULL;
    smsprov_get_class(site, NULL, BOOT, &cls, NULL);
    return cim_instance_new(cim_class_find_method(cls, method)->in_class);
}

/* Invokes; takes in.  *why gets the sentence of a failure. */
static smsprov_code call(smsprov_site *site, const char *target, const char *method,
                         cim_instance *in, char **why)
{
    cim_instance *result = NULL;
    smsprov_error err = {0};
    smsprov_code rc = smsprov_invoke(site, NULL, target, method, in, &result, &err);
    assert_no_local_path(err.description);
    if (why)
        *why = err.description ? strdup(err.description) : NULL;
    smsprov_error_clear(&err);
    cim_instance_free(result);
    cim_instance_free(in);
    return rc;
}

static cim_instance *export_params(smsprov_site *site, const char *path)
{
    cim_instance *in = params(site, "ExportDefaultBootImage");
    cim_instance_set_string(in, "Architecture", "x64", NULL);
    cim_instance_set_uint(in, "ImageIndex", 1, NULL);
    cim_instance_set_string(in, "ExportImagePath", path, NULL);
    return in;
}

static smsprov_code export_to(smsprov_site *site, const char *path, char **why)
{
    return call(site, BOOT, "ExportDefaultBootImage", export_params(site, path), why);
}

static cim_instance *image_params(smsprov_site *site, const char *path)
{
    cim_instance *in = params(site, "GetImageProperties");
    cim_instance_set_string(in, "SourceImagePath", path, NULL);
    return in;
}

/* Every entry ever written to any status queue of the site database: none
 * may show a local path.  Returns how many entries there were. */
static int status_texts_are_clean(const char *db_path)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *stmt = NULL;
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT ProgressText, ExtendedErrorInfo FROM "
                                        "smsprov_job_status",
                                        -1, &stmt, NULL),
                     SQLITE_OK);
    int n = 0;
    while (sqlite3_step(stmt) == SQLITE_ROW) {
        assert_no_local_path((const char *)sqlite3_column_text(stmt, 0));
        assert_no_local_path((const char *)sqlite3_column_text(stmt, 1));
        n++;
    }
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return n;
}

typedef struct entry_facts {
    bool found, reparse;
    uint64_t size;
} entry_facts;

static int note_entry(const struct wimlib_dir_entry *entry, void *data)
{
    entry_facts *facts = data;
    facts->found = true;
    facts->reparse = (entry->attributes & WIMLIB_FILE_ATTRIBUTE_REPARSE_POINT) != 0;
    facts->size = entry->streams[0].resource.uncompressed_size;
    return 0;
}

/* A file of the image: there, no reparse point, of the size given. */
static void assert_content(const char *wim_path, const char *path, uint64_t size)
{
    WIMStruct *wim = NULL;
    assert_int_equal(wimlib_open_wim(wim_path, 0, &wim), 0);
    entry_facts facts = {0};
    int rc = wimlib_iterate_dir_tree(wim, 1, path, 0, note_entry, &facts);
    wimlib_free(wim);
    if (rc != 0 || !facts.found)
        fail_msg("%s is not in %s", path, wim_path);
    if (facts.reparse)
        fail_msg("%s is a reparse point in %s", path, wim_path);
    assert_int_equal(facts.size, size);
}

/* ---- ExportDefaultBootImage --------------------------------------------- */

static void test_export_stays_in_its_share(void **state)
{
    (void)state;
    smsprov_site *site = open_site(SCRATCH "/export.db");
    char *why = NULL;
    /* A folder link on the way out: nothing is written outside. */
    expect(export_to(site, "C:\\WinPE\\out\\boot.wim", &why), &why, SMSPROV_E_INVALID_PARAMETER,
           "leads out of its share through the symbolic link C:\\WinPE\\out");
    expect(export_to(site, "C:\\WinPE\\out\\new\\boot.wim", &why), &why,
           SMSPROV_E_INVALID_PARAMETER, "symbolic link C:\\WinPE\\out");
    assert_false(osd_fs_exists(OUTSIDE "/boot.wim"));
    assert_false(osd_fs_exists(OUTSIDE "/new"));
    /* The file itself a link leading out: its target is untouched. */
    expect(export_to(site, "C:\\WinPE\\link.wim", &why), &why, SMSPROV_E_INVALID_PARAMETER,
           "symbolic link C:\\WinPE\\link.wim");
    char *text = fixture_slurp_optional(OUTSIDE "/target.wim", NULL);
    assert_string_equal(text, "not to be overwritten");
    free(text);
    smsprov_site_close(site);
}

static void test_export_replaces_only_its_own_files(void **state)
{
    (void)state;
    smsprov_site *site = open_site(SCRATCH "/replace.db");
    char *why = NULL;
    fixture_write_text(EXPORT "/taken.wim", "someone else's file");
    expect(export_to(site, "C:\\WinPE\\taken.wim", &why), &why, SMSPROV_E_ALREADY_EXISTS,
           "C:\\WinPE\\taken.wim already exists and is not a boot image this site exported");
    char *text = fixture_slurp_optional(EXPORT "/taken.wim", NULL);
    assert_string_equal(text, "someone else's file");
    free(text);

    /* Its own earlier export is replaced, also by another process. */
    assert_int_equal(export_to(site, "C:\\WinPE\\mine.wim", NULL), SMSPROV_OK);
    assert_int_equal(export_to(site, "C:\\WinPE\\mine.wim", NULL), SMSPROV_OK);
    smsprov_site_close(site);
    site = open_site(SCRATCH "/replace.db");
    if (export_to(site, "C:\\WinPE\\MINE.wim", &why) != SMSPROV_OK)
        fail_msg("replacing its own export failed: %s", why);
    free(why);
    /* Once someone else changed it, it is theirs. */
    fixture_write_text(EXPORT "/mine.wim", "edited by hand");
    expect(export_to(site, "C:\\WinPE\\mine.wim", &why), &why, SMSPROV_E_ALREADY_EXISTS,
           "never replaces a file it did not write");
    text = fixture_slurp_optional(EXPORT "/mine.wim", NULL);
    assert_string_equal(text, "edited by hand");
    free(text);
    smsprov_site_close(site);
}

/* ---- files copied into an image ------------------------------------------ */

#define BOOT_JSON(name, extra)                                                             \
    "{\"__CLASS\":\"" BOOT "\",\"Name\":\"" name "\",\"ImagePath\":"                      \
    "\"\\\\\\\\lab\\\\sources\\\\x64.wim\",\"ContextID\":\"" name "\"" extra "}"
#define PRESTART(folder)                                                                   \
    ",\"PreExecCommandLine\":\"go.cmd\",\"PreExecSourceDirectory\":"                      \
    "\"\\\\\\\\lab\\\\sources\\\\" folder "\""
#define DRIVER_JSON(folder)                                                                \
    "{\"__CLASS\":\"SMS_Driver\",\"LocalizedDisplayName\":\"NIC\",\"ContentSourcePath\":" \
    "\"\\\\\\\\lab\\\\sources\\\\drivers\\\\" folder "\",\"DriverINFFile\":\"nic.inf\"}"
#define REF(id, folder)                                                                    \
    ",\"ReferencedDrivers\":[{\"__CLASS\":\"SMS_Driver_Details\",\"ID\":" #id              \
    ",\"SourcePath\":\"\\\\\\\\lab\\\\sources\\\\drivers\\\\" folder "\"}]"

static void test_links_inside_are_copied_as_content(void **state)
{
    (void)state;
    smsprov_site *site = open_site(SCRATCH "/content.db");
    free(put_ok(site, "SMS_Driver", DRIVER_JSON("nic")));
    free(put_ok(site, BOOT, BOOT_JSON("inside", PRESTART("prestart") REF(1, "nic"))));
    const char *wim = SCRATCH "/content/boot.LAB00001.wim";
    assert_content(wim, "/sms/PKG/SMS10000/go.cmd", 7);
    assert_content(wim, "/sms/PKG/SMS10000/tool.exe", strlen("tool bytes, 20 long"));
    assert_content(wim, "/sms/PKG/SMS10000/lib/helper.dll", strlen("helper"));
    WIMStruct *w = NULL;
    assert_int_equal(wimlib_open_wim(wim, 0, &w), 0);
    entry_facts facts = {0};
    assert_int_equal(wimlib_iterate_dir_tree(w, 1, "/sms/PKG/SMS10000/lib", 0, note_entry,
                                             &facts),
                     0);
    wimlib_free(w);
    assert_false(facts.reparse); /* a folder, not a junction */
    smsprov_site_close(site);
}

static int find_sys(const struct wimlib_dir_entry *entry, void *data)
{
    entry_facts *facts = data;
    if (entry->filename && strcmp(entry->filename, "nic.sys") == 0)
        note_entry(entry, facts);
    return 0;
}

static void test_driver_file_link_is_content(void **state)
{
    (void)state;
    smsprov_site *site = open_site(SCRATCH "/driver.db");
    free(put_ok(site, "SMS_Driver", DRIVER_JSON("nic")));
    free(put_ok(site, BOOT, BOOT_JSON("drv", REF(1, "nic"))));
    WIMStruct *w = NULL;
    assert_int_equal(wimlib_open_wim(SCRATCH "/content/boot.LAB00001.wim", 0, &w), 0);
    entry_facts facts = {0};
    assert_int_equal(wimlib_iterate_dir_tree(w, 1, "/Windows/System32/DriverStore/FileRepository",
                                             WIMLIB_ITERATE_DIR_TREE_FLAG_RECURSIVE, find_sys,
                                             &facts),
                     0);
    wimlib_free(w);
    assert_true(facts.found);
    assert_false(facts.reparse);
    assert_int_equal(facts.size, strlen("driver bytes"));
    smsprov_site_close(site);
}

static void test_links_out_are_refused_by_name(void **state)
{
    (void)state;
    smsprov_site *site = open_site(SCRATCH "/refused.db");
    put_refused(site, BOOT, BOOT_JSON("pre", PRESTART("prestart_out")), SMSPROV_E_FAILED,
                "\\\\lab\\sources\\prestart_out\\evil.txt is a symbolic link leading out of "
                "its share");
    free(put_ok(site, "SMS_Driver", DRIVER_JSON("nic")));
    /* The driver put reads the INF only; the build refuses the file. */
    free(put_ok(site, "SMS_Driver", DRIVER_JSON("evil")));
    put_refused(site, BOOT, BOOT_JSON("drv", REF(2, "evil")), SMSPROV_E_FAILED,
                "\\\\lab\\sources\\drivers\\evil\\nic.sys is a symbolic link leading out of its "
                "share");
    assert_true(status_texts_are_clean(SCRATCH "/refused.db") > 0);
    smsprov_site_close(site);
}

/* ---- PkgSourcePath ------------------------------------------------------- */

static void test_pkg_source_path_is_checked(void **state)
{
    (void)state;
    smsprov_site *site = open_site(SCRATCH "/pkgsource.db");
    /* The package classes of this schema that have it. */
    static const char *const classes[] = {"SMS_OperatingSystemInstallPackage", BOOT};
    for (size_t i = 0; i < sizeof classes / sizeof *classes; i++) {
        char json[512];
        snprintf(json, sizeof json,
                 "{\"__CLASS\":\"%s\",\"Name\":\"p\",\"PkgSourcePath\":\"\\\\\\\\other\\\\os\"}",
                 classes[i]);
        put_refused(site, classes[i], json, SMSPROV_E_INVALID_PARAMETER,
                    "PkgSourcePath \\\\other\\os is outside every share");
        snprintf(json, sizeof json,
                 "{\"__CLASS\":\"%s\",\"Name\":\"p\",\"PkgSourcePath\":"
                 "\"\\\\\\\\lab\\\\sources\\\\..\\\\x\"}",
                 classes[i]);
        put_refused(site, classes[i], json, SMSPROV_E_INVALID_PARAMETER, "\"..\"");
    }
    /* Under a share it is fine, existing or not (content may come later). */
    char *path = put_ok(site, "SMS_OperatingSystemInstallPackage",
                        "{\"__CLASS\":\"SMS_OperatingSystemInstallPackage\",\"Name\":\"os\","
                        "\"PkgSourcePath\":\"\\\\\\\\lab\\\\sources\\\\win11\"}");
    char *why = NULL;
    expect(update_string(site, path, "PkgSourcePath", "\\\\lab\\sources\\outlink.wim", &why), &why,
           SMSPROV_E_INVALID_PARAMETER, "PkgSourcePath \\\\lab\\sources\\outlink.wim leads out");
    expect(update_string(site, path, "PkgSourcePath", "D:\\os", &why), &why,
           SMSPROV_E_INVALID_PARAMETER, "D:\\os");
    cim_instance *stored = get(site, path);
    assert_string_equal(cim_instance_get(stored, "PkgSourcePath")->u.string,
                        "\\\\lab\\sources\\win11");
    cim_instance_free(stored);
    free(path);

    /* A boot image's content lies outside every share here, so the server
     * stores its local path; putting the object back unchanged passes. */
    path = put_ok(site, BOOT, BOOT_JSON("b", ""));
    stored = get(site, path);
    assert_non_null(strstr(cim_instance_get(stored, "PkgSourcePath")->u.string,
                           SCRATCH "/content/boot.LAB0000"));
    cim_instance_free(stored);
    if (update_string(site, path, "Description", "kept", &why) != SMSPROV_OK)
        fail_msg("putting the boot image back failed: %s", why);
    free(why);
    free(path);
    smsprov_site_close(site);
}

/* ---- fault texts --------------------------------------------------------- */

static void test_path_failures_show_client_paths(void **state)
{
    (void)state;
    smsprov_site *site = open_site(SCRATCH "/faults.db");
    char *why = NULL;
    expect(call(site, BOOT, "GetImageProperties", image_params(site, "\\\\lab\\sources\\no.wim"),
                &why),
           &why, SMSPROV_E_NOT_FOUND, "\\\\lab\\sources\\no.wim");
    expect(call(site, BOOT, "GetImageProperties",
                image_params(site, "\\\\lab\\sources\\notawim.wim"), &why),
           &why, SMSPROV_E_INVALID_PARAMETER, "\\\\lab\\sources\\notawim.wim");
    expect(call(site, BOOT, "GetImageProperties",
                image_params(site, "\\\\lab\\sources\\outlink.wim"), &why),
           &why, SMSPROV_E_INVALID_PARAMETER, "symbolic link \\\\lab\\sources\\outlink.wim");
    /* Imports whose source is missing or no WIM: the put's sentence and
     * every status entry of their queues name the client's path. */
    put_refused(site, BOOT,
                "{\"__CLASS\":\"" BOOT "\",\"Name\":\"m\",\"ImagePath\":"
                "\"\\\\\\\\lab\\\\sources\\\\gone.wim\",\"ContextID\":\"m\"}",
                SMSPROV_E_FAILED, "\\\\lab\\sources\\gone.wim");
    put_refused(site, BOOT,
                "{\"__CLASS\":\"" BOOT "\",\"Name\":\"n\",\"ImagePath\":"
                "\"\\\\\\\\lab\\\\sources\\\\notawim.wim\",\"ContextID\":\"n\"}",
                SMSPROV_E_FAILED, "\\\\lab\\sources\\notawim.wim");
    assert_true(status_texts_are_clean(SCRATCH "/faults.db") >= 4);
    smsprov_site_close(site);
}

/* Drops the capabilities that let root read any file, so that a file
 * without read permission is refused as it is for everyone else. */
static bool drop_file_capabilities(void)
{
    if (geteuid() != 0)
        return true;
    struct __user_cap_header_struct header = {_LINUX_CAPABILITY_VERSION_3, 0};
    struct __user_cap_data_struct data[2];
    memset(data, 0, sizeof data);
    if (syscall(SYS_capget, &header, data) != 0)
        return false;
    for (int cap = CAP_DAC_OVERRIDE; cap <= CAP_DAC_READ_SEARCH; cap++) {
        data[cap / 32].effective &= ~(1u << (cap % 32));
        data[cap / 32].permitted &= ~(1u << (cap % 32));
    }
    return syscall(SYS_capset, &header, data) == 0;
}

static void test_permission_denied_shows_client_path(void **state)
{
    (void)state;
    fixture_write_text(SOURCES "/locked.wim", "locked");
    assert_int_equal(chmod(SOURCES "/locked.wim", 0), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        /* A child of its own, so the parent keeps its capabilities. */
        if (!drop_file_capabilities())
            _exit(2);
        smsprov_site *site = open_site(SCRATCH "/denied.db");
        cim_instance *result = NULL;
        smsprov_error err = {0};
        smsprov_code rc = smsprov_invoke(site, NULL, BOOT, "GetImageProperties",
                                         image_params(site, "\\\\lab\\sources\\locked.wim"),
                                         &result, &err);
        char *real = realpath(SCRATCH, NULL);
        bool ok = rc == SMSPROV_E_ACCESS_DENIED && err.description &&
                  strstr(err.description, "\\\\lab\\sources\\locked.wim") &&
                  !strstr(err.description, SCRATCH) && !(real && strstr(err.description, real));
        if (!ok)
            fprintf(stderr, "0x%x %s\n", rc, err.description ? err.description : "");
        _exit(ok ? 0 : 1);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_export_stays_in_its_share),
        cmocka_unit_test(test_export_replaces_only_its_own_files),
        cmocka_unit_test(test_links_inside_are_copied_as_content),
        cmocka_unit_test(test_driver_file_link_is_content),
        cmocka_unit_test(test_links_out_are_refused_by_name),
        cmocka_unit_test(test_pkg_source_path_is_checked),
        cmocka_unit_test(test_path_failures_show_client_paths),
        cmocka_unit_test(test_permission_denied_shows_client_path),
    };
    return cmocka_run_group_tests(tests, build_inputs, remove_inputs);
}
