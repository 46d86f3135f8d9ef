/* test_osd_customize.c - WinPE customisation through osd_inject: optional
 * components (cabinets extracted, packages recorded and registered in the
 * SOFTWARE hive), drivers (DriverStore FileRepository and oem<N>.inf),
 * scratch space (SYSTEM hive), prestart command (TSConfig.ini and
 * sms\PKG\SMS10000) and background (winpe.bmp, winpe.jpg), each read back
 * from the written WIM with wimlib and hivex; and every failure with its
 * Win32 code, its detail, and the previous content left untouched. */
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
#include <hivex.h>

#include "osd/customize.h"
#include "osd/fs.h"
#include "osd/inject.h"
#include "osd/inject_path.h"
#include "osd/synthetic.h"
#include "osd/wim.h"
#include "test_fixture.h"

#define SCRATCH SMSPROV_TEST_SCRATCH "/osd_customize"
#define ADK SCRATCH "/adk"
#define CM SCRATCH "/configmgr"
#define WIM_X64 SCRATCH "/x64.wim"
#define WIM_X86_DE SCRATCH "/x86-de.wim"
#define DRIVERS SCRATCH "/drivers"
#define PRESTART SCRATCH "/prestart"
#define BACKGROUND SCRATCH "/background.bmp"
#define OUT SCRATCH "/out"
#define OCS ADK "/Assessment and Deployment Kit/Windows Preinstallation Environment/amd64/WinPE_OCs"
#define CBS "\\Microsoft\\Windows\\CurrentVersion\\Component Based Servicing\\Packages\\"
#define VERSION OSD_WINPE_DEFAULT_VERSION

/* ---- fixtures ------------------------------------------------------------ */

static void check(smsprov_code rc, smsprov_error *err, const char *what)
{
    if (rc != SMSPROV_OK)
        fail_msg("%s failed: %s", what, err->description ? err->description : "?");
}

static const char e1000_inf[] =
    "[Version]\r\nSignature=\"$Windows NT$\"\r\nClass=Net\r\n"
    "ClassGUID={4d36e972-e325-11ce-bfc1-08002be10318}\r\nProvider=%Contoso%\r\n"
    "CatalogFile=e1000.cat\r\nDriverVer=06/21/2023,12.19.2.45\r\n"
    "[SourceDisksNames]\r\n1=%Disk%\r\n"
    "[SourceDisksFiles]\r\ne1000.sys=1\r\n"
    "[Manufacturer]\r\n%Contoso%=Contoso,NTamd64,NTx86\r\n"
    "[Contoso.NTamd64]\r\n%Desc%=Install,PCI\\VEN_8086&DEV_100E\r\n"
    "[Contoso.NTx86]\r\n%Desc%=Install,PCI\\VEN_8086&DEV_100E\r\n"
    "[Strings]\r\nContoso=\"Contoso\"\r\nDisk=\"Disk 1\"\r\nDesc=\"Contoso Gigabit\"\r\n";

static const char storage_inf[] =
    "[Version]\r\nSignature=\"$Windows NT$\"\r\nClass=SCSIAdapter\r\n"
    "ClassGUID={4d36e97b-e325-11ce-bfc1-08002be10318}\r\nProvider=Fabrikam\r\n"
    "[Manufacturer]\r\nFabrikam=Models,NTamd64\r\n[Models.NTamd64]\r\nRAID=Install,PCI\\X\r\n";

static int build_inputs(void **state)
{
    (void)state;
    smsprov_error err = {0};
    osd_fs_remove_tree(SCRATCH, NULL);
    check(osd_fs_make_dirs(OUT, &err), &err, "scratch");
    check(osd_synthetic_adk_write(ADK, OSD_ARCH_SET_ADK, &err), &err, "ADK tree");
    check(osd_synthetic_configmgr_write(CM, OSD_ARCH_SET_ADK, &err), &err, "ConfigMgr tree");
    check(osd_synthetic_winpe_write(WIM_X64, &(osd_winpe_spec){.arch = OSD_ARCH_X64}, &err),
          &err, "x64 image");
    check(osd_synthetic_winpe_write(WIM_X86_DE,
                                    &(osd_winpe_spec){.arch = OSD_ARCH_X86, .language = "de-DE"},
                                    &err),
          &err, "x86 image");
    fixture_write_text(DRIVERS "/e1000/E1000.inf", e1000_inf);
    fixture_write_text(DRIVERS "/e1000/e1000.cat", "catalog");
    fixture_write_text(DRIVERS "/e1000/e1000.sys", "MZ e1000");
    /* A folder of two packages, added by folder (no INF named). */
    fixture_write_text(DRIVERS "/pair/e1000.inf", e1000_inf);
    fixture_write_text(DRIVERS "/pair/e1000.cat", "catalog");
    fixture_write_text(DRIVERS "/pair/e1000.sys", "MZ e1000");
    fixture_write_text(DRIVERS "/pair/raid.inf", storage_inf);
    fixture_write_text(DRIVERS "/broken/bad.inf",
               "[Version]\r\nSignature=\"$Windows NT$\"\r\nClass=Net\r\n");
    fixture_write_text(DRIVERS "/x86only/old.inf",
               "[Version]\r\nSignature=$Chicago$\r\nClass=Net\r\n"
               "ClassGUID={4d36e972-e325-11ce-bfc1-08002be10318}\r\nProvider=Old\r\n"
               "[Manufacturer]\r\nOld=Models\r\n[Models]\r\nNic=Install,PCI\\Y\r\n");
    fixture_write_text(DRIVERS "/empty/readme.txt", "no driver here");
    fixture_write_text(PRESTART "/FrontEnd.hta", "<html>front end</html>");
    fixture_write_text(PRESTART "/lib/helper.vbs", "WScript.Echo 1");
    fixture_write_text(BACKGROUND, "BM fake bitmap");
    fixture_write_text(SCRATCH "/not-a-picture.txt", "plain text");
    return 0;
}

static int remove_inputs(void **state)
{
    (void)state;
    osd_fs_remove_tree(SCRATCH, NULL);
    return 0;
}

static osd_inject_options options(const char *source, const char *target)
{
    return (osd_inject_options){.source_wim = source, .image_index = 1, .target_wim = target,
                                .temp_tag = "unittest", .adk_root = ADK, .configmgr_root = CM};
}

static void inject_ok(osd_inject_options *opt, osd_customization *c)
{
    osd_customize_attach(opt, c);
    osd_inject_result res;
    smsprov_error err = {0};
    if (osd_inject(opt, &res, &err) != SMSPROV_OK)
        fail_msg("injecting into %s failed: %s (detail %s)", opt->target_wim, err.description,
                 res.failure.detail ? res.failure.detail : "");
    osd_inject_result_clear(&res);
}

/* ---- reading the result -------------------------------------------------- */

typedef struct path_list {
    char **items;
    size_t count;
} path_list;

static int collect(const struct wimlib_dir_entry *entry, void *data)
{
    path_list *l = data;
    l->items = realloc(l->items, (l->count + 1) * sizeof *l->items);
    l->items[l->count++] = strdup(entry->full_path);
    return 0;
}

static path_list wim_paths(const char *wim_path)
{
    osd_wimlib_init();
    WIMStruct *wim = NULL;
    assert_int_equal(wimlib_open_wim(wim_path, 0, &wim), 0);
    path_list paths = {0};
    assert_int_equal(wimlib_iterate_dir_tree(wim, 1, "/", WIMLIB_ITERATE_DIR_TREE_FLAG_RECURSIVE,
                                             collect, &paths),
                     0);
    wimlib_free(wim);
    return paths;
}

static void paths_clear(path_list *l)
{
    for (size_t i = 0; i < l->count; i++)
        free(l->items[i]);
    free(l->items);
}

static bool has_path(const path_list *l, const char *path)
{
    for (size_t i = 0; i < l->count; i++)
        if (strcasecmp(l->items[i], path) == 0)
            return true;
    return false;
}

static size_t count_prefix(const path_list *l, const char *prefix)
{
    size_t n = 0;
    for (size_t i = 0; i < l->count; i++)
        n += strncasecmp(l->items[i], prefix, strlen(prefix)) == 0;
    return n;
}

/* Extracts one file of image 1 into a fresh folder; returns its local path. */
static char *extract(const char *wim_path, const char *in_image)
{
    char *dir = NULL;
    smsprov_error err = {0};
    check(osd_fs_make_temp_dir(SCRATCH "/extract-", &dir, &err), &err, "temp dir");
    WIMStruct *wim = NULL;
    assert_int_equal(wimlib_open_wim(wim_path, 0, &wim), 0);
    const char *paths[] = {in_image};
    int wrc = wimlib_extract_paths(wim, 1, dir, paths, 1,
                                   WIMLIB_EXTRACT_FLAG_NO_PRESERVE_DIR_STRUCTURE |
                                       WIMLIB_EXTRACT_FLAG_NO_ACLS);
    wimlib_free(wim);
    if (wrc != 0)
        fail_msg("%s is not in %s (wimlib error %d)", in_image, wim_path, wrc);
    char *file = NULL;
    assert_int_equal(osd_path_resolve(dir, strrchr(in_image, '/') + 1, &file, NULL, NULL),
                     SMSPROV_OK);
    free(dir);
    return file;
}

static char *wim_text(const char *wim_path, const char *in_image)
{
    char *file = extract(wim_path, in_image);
    size_t size;
    char *text = fixture_slurp(file, &size);
    free(file);
    return text;
}

/* A hive value of the image: REG_DWORD as a number, REG_SZ as UTF-8 in
 * *string (caller frees); -1 when the key or value is missing. */
static int64_t hive_value(const char *wim_path, const char *hive_path, const char *key,
                          const char *name, char **string)
{
    char *file = extract(wim_path, hive_path);
    hive_h *h = hivex_open(file, 0);
    assert_non_null(h);
    hive_node_h node = hivex_root(h);
    char *copy = strdup(key), *save = NULL;
    for (char *part = strtok_r(copy, "\\", &save); part && node;
         part = strtok_r(NULL, "\\", &save))
        node = hivex_node_get_child(h, node, part);
    free(copy);
    int64_t result = -1;
    hive_value_h v = node ? hivex_node_get_value(h, node, name) : 0;
    if (v) {
        hive_type type;
        size_t len;
        assert_int_equal(hivex_value_type(h, v, &type, &len), 0);
        if (type == hive_t_REG_DWORD) {
            result = hivex_value_dword(h, v);
        } else if (string) {
            *string = hivex_value_string(h, v);
            result = 0;
        }
    }
    hivex_close(h);
    unlink(file);
    free(file);
    return result;
}

static void *file_bytes(const char *path, size_t *size)
{
    return fixture_slurp(path, size);
}

static void assert_unchanged(const char *path, const char *before, size_t before_size)
{
    size_t size = 0;
    char *now = file_bytes(path, &size);
    assert_int_equal(size, before_size);
    assert_memory_equal(now, before, size);
    free(now);
}

/* ---- every customisation at once ----------------------------------------- */

static const char *const closure_x64[] = {"WinPE-WMI", "WinPE-NetFx", "WinPE-Scripting",
                                          "WinPE-PowerShell", "WinPE-HTA", "WinPE-SecureStartup",
                                          "WinPE-WDS-Tools"};

static void test_every_setting_lands_where_dism_puts_it(void **state)
{
    (void)state;
    const char *components[] = {"WinPE-PowerShell3", "WinPE-HTA"};
    osd_driver_ref drivers[] = {
        {.folder = DRIVERS "/e1000", .inf = "e1000.INF", .shown = "\\\\lab\\drivers\\e1000"},
        {.folder = DRIVERS "/pair", .shown = "\\\\lab\\drivers\\pair"},
        /* the same package again: added once */
        {.folder = DRIVERS "/e1000", .inf = "E1000.inf", .shown = "\\\\lab\\drivers\\e1000"},
    };
    osd_customization c = {.add_components = true, .components = components,
                           .component_count = 2, .components_arch = "x64",
                           .drivers = drivers, .driver_count = 3,
                           .scratch_space_mb = 256,
                           .prestart_command = "mshta.exe X:\\sms\\PKG\\SMS10000\\FrontEnd.hta",
                           .prestart_folder = PRESTART, .prestart_shown = "\\\\lab\\prestart",
                           .background = BACKGROUND};
    osd_inject_options opt = options(WIM_X64, OUT "/all.wim");
    inject_ok(&opt, &c);
    path_list paths = wim_paths(OUT "/all.wim");

    /* Optional components: the closure in order, neutral then en-US. */
    for (size_t i = 0; i < sizeof closure_x64 / sizeof *closure_x64; i++) {
        char path[512], key[512];
        snprintf(path, sizeof path,
                 "/Windows/servicing/Packages/%s-Package~31bf3856ad364e35~amd64~~" VERSION ".mum",
                 closure_x64[i]);
        if (!has_path(&paths, path))
            fail_msg("%s is missing", path);
        snprintf(path, sizeof path,
                 "/Windows/servicing/Packages/%s-Package~31bf3856ad364e35~amd64~en-us~" VERSION
                 ".mum",
                 closure_x64[i]);
        assert_true(has_path(&paths, path));
        snprintf(path, sizeof path, "/Windows/System32/%s.dll", closure_x64[i]);
        assert_true(has_path(&paths, path));
        snprintf(path, sizeof path, "/Windows/System32/en-US/%s.dll.mui", closure_x64[i]);
        assert_true(has_path(&paths, path));
        snprintf(key, sizeof key, CBS "%s-Package~31bf3856ad364e35~amd64~~" VERSION,
                 closure_x64[i]);
        assert_int_equal(hive_value(OUT "/all.wim", "/Windows/System32/config/SOFTWARE", key,
                                    "CurrentState", NULL),
                         0x70);
        char *install_name = NULL;
        assert_int_equal(hive_value(OUT "/all.wim", "/Windows/System32/config/SOFTWARE", key,
                                    "InstallName", &install_name),
                         0);
        assert_non_null(strstr(install_name, ".mum"));
        free(install_name);
    }
    assert_false(has_path(&paths, "/Windows/System32/WinPE-DismCmdlets.dll"));
    /* The manifest recorded is the cabinet's own. */
    char *mum = wim_text(OUT "/all.wim", "/Windows/servicing/Packages/"
                                         "WinPE-HTA-Package~31bf3856ad364e35~amd64~~" VERSION
                                         ".mum");
    assert_non_null(strstr(mum, "name=\"WinPE-HTA-Package\""));
    free(mum);

    /* Drivers: three packages (e1000 once), oem0..oem2. */
    assert_int_equal(count_prefix(&paths, "/Windows/INF/oem"), 2);
    assert_true(has_path(&paths, "/Windows/INF/oem0.inf"));
    assert_true(has_path(&paths, "/Windows/INF/oem1.inf"));
    assert_false(has_path(&paths, "/Windows/INF/oem2.inf"));
    size_t repo = count_prefix(&paths,
                               "/Windows/System32/DriverStore/FileRepository/e1000.inf_amd64_");
    assert_int_equal(repo, 4); /* the folder, the INF, its catalog, its .sys */
    assert_int_equal(count_prefix(&paths,
                                  "/Windows/System32/DriverStore/FileRepository/raid.inf_amd64_"),
                     2);
    char *oem0 = wim_text(OUT "/all.wim", "/Windows/INF/oem0.inf");
    assert_string_equal(oem0, e1000_inf);
    free(oem0);
    char *oem1 = wim_text(OUT "/all.wim", "/Windows/INF/oem1.inf");
    assert_string_equal(oem1, storage_inf);
    free(oem1);

    /* Scratch space in the SYSTEM hive, stale logs gone. */
    assert_int_equal(hive_value(OUT "/all.wim", "/Windows/System32/config/SYSTEM",
                                "ControlSet001\\Services\\FBWF", "WinPECacheThreshold", NULL),
                     256);
    assert_false(has_path(&paths, "/Windows/System32/config/SYSTEM.LOG1"));

    /* Prestart command. */
    char *ini = wim_text(OUT "/all.wim", "/TSConfig.ini");
    assert_string_equal(ini, "[CustomHook]\r\n"
                             "CommandLine=mshta.exe X:\\sms\\PKG\\SMS10000\\FrontEnd.hta\r\n"
                             "Source=SMS10000\r\n");
    free(ini);
    assert_true(has_path(&paths, "/sms/PKG/SMS10000/FrontEnd.hta"));
    assert_true(has_path(&paths, "/sms/PKG/SMS10000/lib/helper.vbs"));

    /* Background: both files, since the image has winpe.jpg. */
    char *bmp = wim_text(OUT "/all.wim", "/Windows/System32/winpe.bmp");
    char *jpg = wim_text(OUT "/all.wim", "/Windows/System32/winpe.jpg");
    assert_string_equal(bmp, "BM fake bitmap");
    assert_string_equal(jpg, "BM fake bitmap");
    free(bmp);
    free(jpg);
    paths_clear(&paths);
}

/* A second injection from an image that already has oem0/oem1 numbers on;
 * without a background the image's own stays. */
static void test_oem_numbers_continue_after_the_images_own(void **state)
{
    (void)state;
    osd_driver_ref first[] = {{.folder = DRIVERS "/pair"}};
    osd_customization c1 = {.drivers = first, .driver_count = 1};
    osd_inject_options opt = options(WIM_X64, OUT "/with-two.wim");
    inject_ok(&opt, &c1);
    osd_driver_ref second[] = {{.folder = DRIVERS "/e1000"}};
    /* Same e1000 package content: a new copy in a new oem number. */
    osd_customization c2 = {.drivers = second, .driver_count = 1};
    opt = options(OUT "/with-two.wim", OUT "/with-three.wim");
    inject_ok(&opt, &c2);
    path_list paths = wim_paths(OUT "/with-three.wim");
    assert_true(has_path(&paths, "/Windows/INF/oem0.inf"));
    assert_true(has_path(&paths, "/Windows/INF/oem1.inf"));
    assert_true(has_path(&paths, "/Windows/INF/oem2.inf"));
    /* No components asked for: none added. */
    assert_int_equal(count_prefix(&paths, "/Windows/servicing/Packages/WinPE-"), 0);
    paths_clear(&paths);
    char *jpg = wim_text(OUT "/with-three.wim", "/Windows/System32/winpe.jpg");
    assert_null(strstr(jpg, "BM fake bitmap"));
    free(jpg);
}

/* x86 de-DE: x86 cabinets, no de-de language cabinets in the ADK, so only
 * the neutral packages. */
static void test_x86_image_gets_x86_components_and_its_languages_only(void **state)
{
    (void)state;
    osd_customization c = {.add_components = true};
    osd_inject_options opt = options(WIM_X86_DE, OUT "/x86.wim");
    inject_ok(&opt, &c);
    path_list paths = wim_paths(OUT "/x86.wim");
    assert_true(has_path(&paths, "/Windows/servicing/Packages/"
                                 "WinPE-WMI-Package~31bf3856ad364e35~x86~~" VERSION ".mum"));
    assert_int_equal(count_prefix(&paths, "/Windows/servicing/Packages/WinPE-"), 4);
    assert_false(has_path(&paths, "/Windows/System32/en-US/WinPE-WMI.dll.mui"));
    paths_clear(&paths);
    assert_int_equal(hive_value(OUT "/x86.wim", "/Windows/System32/config/SYSTEM",
                                "ControlSet001\\Services\\FBWF", "WinPECacheThreshold", NULL),
                     32); /* the image's own value stays */
}

/* ---- failures ------------------------------------------------------------ */

typedef struct failure_case {
    const char *name;
    osd_customization c;
    int32_t code;
    const char *detail_words;   /* in the failure detail (ExtendedErrorInfo) */
    const char *sentence_words; /* in the error sentence */
} failure_case;

static void expect_failure(failure_case *fc)
{
    const char *target = OUT "/kept.wim";
    size_t before_size = 0;
    char *before = file_bytes(target, &before_size);
    osd_inject_options opt = options(WIM_X64, target);
    osd_customize_attach(&opt, &fc->c);
    osd_inject_result res;
    smsprov_error err = {0};
    assert_int_not_equal(osd_inject(&opt, &res, &err), SMSPROV_OK);
    if (res.failure.error_code != fc->code || !res.failure.detail ||
        !strstr(res.failure.detail, fc->detail_words) || !err.description ||
        !strstr(err.description, fc->sentence_words))
        fail_msg("%s: code %d, detail \"%s\", sentence \"%s\"", fc->name,
                 res.failure.error_code, res.failure.detail ? res.failure.detail : "",
                 err.description ? err.description : "");
    osd_inject_result_clear(&res);
    smsprov_error_clear(&err);
    assert_unchanged(target, before, before_size);
    free(before);
}

static void test_failures_keep_the_previous_content(void **state)
{
    (void)state;
    osd_customization none = {0};
    osd_inject_options opt = options(WIM_X64, OUT "/kept.wim");
    inject_ok(&opt, &none);

    static const char *const x86_component[] = {"WinPE-FontSupport-JA-JP"};
    static const char *const unknown[] = {"WinPE-Chess"};
    osd_driver_ref broken[] = {{.folder = DRIVERS "/broken", .shown = "\\\\lab\\drivers\\broken"}};
    osd_driver_ref x86only[] = {{.folder = DRIVERS "/x86only", .shown = "\\\\lab\\drv\\x86only"}};
    osd_driver_ref missing_inf[] = {{.folder = DRIVERS "/e1000", .inf = "nosuch.inf",
                                     .shown = "\\\\lab\\drivers\\e1000"}};
    osd_driver_ref no_folder[] = {{.folder = DRIVERS "/gone", .shown = "\\\\lab\\drivers\\gone"}};
    osd_driver_ref empty[] = {{.folder = DRIVERS "/empty", .shown = "\\\\lab\\drivers\\empty"}};
    failure_case cases[] = {
        {"malformed INF", {.drivers = broken, .driver_count = 1}, 13,
         "\\\\lab\\drivers\\broken\\bad.inf", "has no ClassGUID"},
        {"INF for another platform", {.drivers = x86only, .driver_count = 1}, 50,
         "\\\\lab\\drv\\x86only\\old.inf", "no models decorated NTamd64"},
        {"missing INF", {.drivers = missing_inf, .driver_count = 1}, 2,
         "\\\\lab\\drivers\\e1000\\nosuch.inf", "does not exist"},
        {"missing driver folder", {.drivers = no_folder, .driver_count = 1}, 3,
         "\\\\lab\\drivers\\gone", "does not exist or is not a folder"},
        {"folder without INF", {.drivers = empty, .driver_count = 1}, 2,
         "\\\\lab\\drivers\\empty", "holds no INF file"},
        {"components of another architecture",
         {.add_components = true, .components = x86_component, .component_count = 1,
          .components_arch = "x86"},
         50, "OptionalComponents", "are x86 components, but the image is x64"},
        {"unknown component",
         {.add_components = true, .components = unknown, .component_count = 1}, 87,
         "OptionalComponents", "WinPE-Chess"},
        {"missing prestart folder",
         {.prestart_command = "cmd.exe", .prestart_folder = SCRATCH "/nope",
          .prestart_shown = "\\\\lab\\nope"},
         3, "\\\\lab\\nope", "PreExecSourceDirectory"},
        {"prestart command on two lines", {.prestart_command = "a\r\nb"}, 87,
         "PreExecCommandLine", "line break"},
        {"missing background", {.background = SCRATCH "/none.bmp",
                                .background_shown = "\\\\lab\\none.bmp"},
         2, "\\\\lab\\none.bmp", "BackgroundBitmapPath"},
        {"background that is no picture", {.background = SCRATCH "/not-a-picture.txt"}, 13,
         "not-a-picture.txt", "neither a BMP nor a JPEG"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        expect_failure(&cases[i]);
}

static void test_missing_or_bad_cabinets(void **state)
{
    (void)state;
    osd_customization none = {0};
    osd_inject_options opt = options(WIM_X64, OUT "/kept.wim");
    inject_ok(&opt, &none);
    static const char *const hta[] = {"WinPE-HTA"};

    /* The cabinet of a selected component is missing. */
    assert_int_equal(rename(OCS "/WinPE-HTA.cab", OCS "/WinPE-HTA.cab.aside"), 0);
    failure_case missing = {"missing cabinet",
                            {.add_components = true, .components = hta, .component_count = 1},
                            2, "WinPE_OCs/WinPE-HTA.cab", "is not in the Windows ADK"};
    expect_failure(&missing);
    /* A cabinet that is not one. */
    fixture_write_text(OCS "/WinPE-HTA.cab", "MSCF but not really");
    failure_case garbage = {"not a cabinet",
                            {.add_components = true, .components = hta, .component_count = 1},
                            13, "WinPE-HTA.cab", "is not a valid cabinet"};
    expect_failure(&garbage);
    /* An x86 cabinet in the amd64 folder. */
    char *x86 = NULL;
    assert_int_equal(osd_path_resolve(ADK, "Assessment and Deployment Kit\\Windows "
                                           "Preinstallation Environment\\x86\\WinPE_OCs\\"
                                           "WinPE-HTA.cab",
                                      &x86, NULL, NULL),
                     SMSPROV_OK);
    size_t size = 0;
    char *bytes = file_bytes(x86, &size);
    smsprov_error err = {0};
    check(osd_fs_write_file(OCS "/WinPE-HTA.cab", bytes, size, &err), &err, "x86 cab");
    free(bytes);
    free(x86);
    failure_case wrong_arch = {"cabinet of another architecture",
                               {.add_components = true, .components = hta,
                                .component_count = 1},
                               50, "WinPE-HTA.cab", "built for x86, but the image is x64"};
    expect_failure(&wrong_arch);
    unlink(OCS "/WinPE-HTA.cab");
    assert_int_equal(rename(OCS "/WinPE-HTA.cab.aside", OCS "/WinPE-HTA.cab"), 0);

    /* No ADK configured at all. */
    osd_customization required = {.add_components = true};
    opt = options(WIM_X64, OUT "/kept.wim");
    osd_customize_attach(&opt, &required);
    opt.adk_root = NULL;
    required.adk_root = NULL;
    osd_inject_result res;
    assert_int_not_equal(osd_inject(&opt, &res, &err), SMSPROV_OK);
    assert_int_equal(res.failure.error_code, 3);
    osd_inject_result_clear(&res);
    smsprov_error_clear(&err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_setting_lands_where_dism_puts_it),
        cmocka_unit_test(test_oem_numbers_continue_after_the_images_own),
        cmocka_unit_test(test_x86_image_gets_x86_components_and_its_languages_only),
        cmocka_unit_test(test_failures_keep_the_previous_content),
        cmocka_unit_test(test_missing_or_bad_cabinets),
    };
    return cmocka_run_group_tests(tests, build_inputs, remove_inputs);
}
