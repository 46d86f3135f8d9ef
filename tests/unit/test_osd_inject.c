/* test_osd_inject.c - OSD binary injection into synthetic WinPE images:
 * every osdinjection.xml entry lands where it says, per architecture and
 * language; the shell files; one bootable image; the source untouched;
 * progress only goes forward; extra steps and hive edits join the same
 * update; four injections at once; and every failure (missing binary,
 * folder, manifest, ADK, source, index) with its Win32 code, the file it
 * names, and the target left as it was. */
#include <dirent.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <hivex.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include "osd/fs.h"
#include "osd/inject.h"
#include "osd/inject_path.h"
#include "osd/synthetic.h"
#include "osd/wim.h"

#define SCRATCH SMSPROV_TEST_SCRATCH "/osd_inject"
#define ADK SCRATCH "/adk"
#define CM SCRATCH "/configmgr"
#define WIM_X64 SCRATCH "/x64.wim"
#define WIM_X86_DE SCRATCH "/x86-de.wim"
#define WIM_ARM64_JA SCRATCH "/arm64-ja.wim"
#define WIM_SETUP SCRATCH "/x64-setup.wim"
#define WIM_SV SCRATCH "/x64-sv.wim"
#define NOT_A_WIM SCRATCH "/not-a.wim"
#define OUT SCRATCH "/out"
#define MANIFEST CM "/bin/x64/osdinjection.xml"

/* ---- fixtures ------------------------------------------------------------ */

static void check(smsprov_code rc, smsprov_error *err, const char *what)
{
    if (rc != SMSPROV_OK)
        fail_msg("%s failed: %s", what, err->description ? err->description : "?");
}

static void make_image(const char *path, const osd_winpe_spec *spec)
{
    smsprov_error err = {0};
    check(osd_synthetic_winpe_write(path, spec, &err), &err, path);
}

static int build_inputs(void **state)
{
    (void)state;
    smsprov_error err = {0};
    osd_fs_remove_tree(SCRATCH, NULL);
    check(osd_fs_make_dirs(OUT, &err), &err, "scratch");
    check(osd_synthetic_adk_write(ADK, OSD_ARCH_SET_ADK, &err), &err, "ADK tree");
    check(osd_synthetic_configmgr_write(CM, OSD_ARCH_SET_ADK, &err), &err, "ConfigMgr tree");
    make_image(WIM_X64, &(osd_winpe_spec){.arch = OSD_ARCH_X64});
    make_image(WIM_X86_DE, &(osd_winpe_spec){.arch = OSD_ARCH_X86, .language = "de-DE"});
    make_image(WIM_ARM64_JA, &(osd_winpe_spec){.arch = OSD_ARCH_ARM64, .language = "ja-JP",
                                               .lcid = 0x0411});
    make_image(WIM_SETUP, &(osd_winpe_spec){.arch = OSD_ARCH_X64, .second_image = true});
    /* sv-SE: ConfigMgr ships no 0000041D resources in the synthetic tree. */
    make_image(WIM_SV, &(osd_winpe_spec){.arch = OSD_ARCH_X64, .language = "sv-SE",
                                         .lcid = 0x041D});
    char text[2048];
    memset(text, 'x', sizeof text);
    check(osd_fs_write_file(NOT_A_WIM, text, sizeof text, &err), &err, "not-a-wim");
    /* The content every failing injection must leave untouched. */
    osd_inject_options good = {.source_wim = WIM_X64, .image_index = 1,
                               .target_wim = OUT "/boot.FAIL.wim", .adk_root = ADK,
                               .configmgr_root = CM};
    osd_inject_result res;
    check(osd_inject(&good, &res, &err), &err, "the content to keep");
    osd_inject_result_clear(&res);
    return 0;
}

static int remove_inputs(void **state)
{
    (void)state;
    osd_fs_remove_tree(SCRATCH, NULL);
    return 0;
}

static osd_inject_options options(const char *source, uint32_t index, const char *target)
{
    return (osd_inject_options){.source_wim = source,
                                .image_index = index,
                                .target_wim = target,
                                .temp_tag = "unittest",
                                .adk_root = ADK,
                                .configmgr_root = CM};
}

static void inject_ok(const osd_inject_options *opt, osd_inject_result *res)
{
    smsprov_error err = {0};
    smsprov_code rc = osd_inject(opt, res, &err);
    if (rc != SMSPROV_OK)
        fail_msg("injecting %s failed: %s (detail %s)", opt->source_wim, err.description,
                 res->failure.detail ? res->failure.detail : "");
    smsprov_error_clear(&err);
}

/* ---- reading results ----------------------------------------------------- */

typedef struct string_list {
    char **items;
    size_t count;
} string_list;

static void list_add(string_list *l, const char *s)
{
    l->items = realloc(l->items, (l->count + 1) * sizeof *l->items);
    l->items[l->count++] = strdup(s);
}

static void list_clear(string_list *l)
{
    for (size_t i = 0; i < l->count; i++)
        free(l->items[i]);
    free(l->items);
    l->items = NULL;
    l->count = 0;
}

static bool list_has(const string_list *l, const char *s)
{
    for (size_t i = 0; i < l->count; i++)
        if (strcasecmp(l->items[i], s) == 0)
            return true;
    return false;
}

static int collect_path(const struct wimlib_dir_entry *entry, void *data)
{
    list_add(data, entry->full_path);
    return 0;
}

/* Every path in image 1 of wim, and its image count and boot index. */
static string_list wim_paths(const char *wim_path, unsigned *images, unsigned *boot_index)
{
    WIMStruct *wim = NULL;
    assert_int_equal(wimlib_open_wim(wim_path, 0, &wim), 0);
    struct wimlib_wim_info info;
    wimlib_get_wim_info(wim, &info);
    if (images)
        *images = info.image_count;
    if (boot_index)
        *boot_index = info.boot_index;
    string_list paths = {0};
    assert_int_equal(wimlib_iterate_dir_tree(wim, 1, "/", WIMLIB_ITERATE_DIR_TREE_FLAG_RECURSIVE,
                                             collect_path, &paths),
                     0);
    assert_int_equal(wimlib_verify_wim(wim, 0), 0);
    wimlib_free(wim);
    return paths;
}

/* A file of image 1 as text (caller frees). */
static char *wim_file_text(const char *wim_path, const char *in_image)
{
    char *dir = NULL;
    smsprov_error err = {0};
    check(osd_fs_make_temp_dir(SCRATCH "/extract-", &dir, &err), &err, "temp dir");
    WIMStruct *wim = NULL;
    assert_int_equal(wimlib_open_wim(wim_path, 0, &wim), 0);
    const char *paths[] = {in_image};
    assert_int_equal(wimlib_extract_paths(wim, 1, dir, paths, 1,
                                          WIMLIB_EXTRACT_FLAG_NO_PRESERVE_DIR_STRUCTURE |
                                              WIMLIB_EXTRACT_FLAG_NO_ACLS),
                     0);
    wimlib_free(wim);
    const char *name = strrchr(in_image, '/') + 1;
    char *file = NULL;
    assert_int_equal(osd_path_resolve(dir, name, &file, NULL, NULL), SMSPROV_OK);
    FILE *f = fopen(file, "rb");
    assert_non_null(f);
    char *text = calloc(1, 65536);
    size_t n = fread(text, 1, 65535, f);
    text[n] = '\0';
    fclose(f);
    free(file);
    osd_fs_remove_tree(dir, NULL);
    free(dir);
    return text;
}

static void *file_bytes(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    *size = (size_t)ftell(f);
    fseek(f, 0, SEEK_SET);
    void *data = malloc(*size ? *size : 1);
    assert_int_equal(fread(data, 1, *size, f), *size);
    fclose(f);
    return data;
}

static void assert_same_bytes(const char *path, const void *before, size_t before_size)
{
    size_t size = 0;
    void *now = file_bytes(path, &size);
    assert_int_equal(size, before_size);
    assert_memory_equal(now, before, size);
    free(now);
}

/* No hidden temporary file of the injection is left in OUT. */
static void assert_no_temp_files(void)
{
    DIR *d = opendir(OUT);
    assert_non_null(d);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        char *owner = osd_inject_temp_owner(e->d_name);
        if (owner)
            fail_msg("temporary file %s was left behind", e->d_name);
    }
    closedir(d);
}

/* ---- what osdinjection.xml promises, read independently ----------------- */

static char *child(xmlNode *file, const char *name)
{
    for (xmlNode *c = file->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE && strcmp((const char *)c->name, name) == 0) {
            xmlChar *t = xmlNodeGetContent(c);
            char *s = strdup((const char *)t);
            xmlFree(t);
            return s;
        }
    return strdup("");
}

static char *slashes(const char *windows)
{
    char *s = malloc(strlen(windows) + 2);
    s[0] = '/';
    strcpy(s + 1, windows);
    for (char *p = s; *p; p++)
        if (*p == '\\')
            *p = '/';
    return s;
}

/* The image paths osdinjection.xml lists for imgArch, with the LCID
 * folders given for localized files. */
static string_list expected_paths(const char *img_arch, const char *const *lcids)
{
    string_list out = {0};
    xmlDoc *doc = xmlReadFile(MANIFEST, NULL, 0);
    assert_non_null(doc);
    for (xmlNode *a = xmlDocGetRootElement(doc)->children; a; a = a->next) {
        xmlChar *arch = a->type == XML_ELEMENT_NODE ? xmlGetProp(a, BAD_CAST "imgArch") : NULL;
        bool match = arch && strcmp((const char *)arch, img_arch) == 0;
        xmlFree(arch);
        for (xmlNode *list = match ? a->children : NULL; list; list = list->next) {
            xmlChar *kind = list->type == XML_ELEMENT_NODE
                                ? xmlGetProp(list, BAD_CAST "source")
                                : NULL;
            for (xmlNode *f = kind ? list->children : NULL; f; f = f->next) {
                if (f->type != XML_ELEMENT_NODE)
                    continue;
                xmlChar *name = xmlGetProp(f, BAD_CAST "name");
                char *src = child(f, "Source"), *dst = child(f, "Destination");
                char *locale = child(f, "LocaleNeeded");
                char *dst_path = slashes(dst);
                char buf[1024];
                if (strcmp((const char *)name, "*") == 0) {
                    char *rel = slashes(src);
                    snprintf(buf, sizeof buf, "%s/Assessment and Deployment Kit/%s%s", ADK,
                             strcmp((const char *)kind, "WPE") == 0
                                 ? "Windows Preinstallation Environment"
                                 : "Deployment Tools",
                             rel);
                    DIR *d = opendir(buf);
                    assert_non_null(d);
                    struct dirent *e;
                    while ((e = readdir(d)) != NULL) {
                        if (e->d_name[0] == '.')
                            continue;
                        snprintf(buf, sizeof buf, "%s/%s", dst_path, e->d_name);
                        list_add(&out, buf);
                    }
                    closedir(d);
                    free(rel);
                } else if (strcmp(locale, "true") == 0) {
                    for (const char *const *l = lcids; *l; l++) {
                        snprintf(buf, sizeof buf, "%s/%s/%s", dst_path, *l, (const char *)name);
                        list_add(&out, buf);
                    }
                } else {
                    snprintf(buf, sizeof buf, "%s/%s", dst_path, (const char *)name);
                    list_add(&out, buf);
                }
                free(dst_path);
                free(src);
                free(dst);
                free(locale);
                xmlFree(name);
            }
            xmlFree(kind);
        }
    }
    xmlFreeDoc(doc);
    assert_true(out.count > 40);
    return out;
}

static void assert_all_injected(const string_list *paths, const char *img_arch,
                                const char *const *lcids)
{
    string_list expected = expected_paths(img_arch, lcids);
    for (size_t i = 0; i < expected.count; i++)
        if (!list_has(paths, expected.items[i]))
            fail_msg("%s is missing from the injected image", expected.items[i]);
    list_clear(&expected);
}

/* ---- progress ------------------------------------------------------------ */

typedef struct progress_log {
    uint32_t last;
    unsigned calls;
    bool went_back;
    bool saw_verify;
} progress_log;

static void log_progress(void *data, uint32_t percent, const char *text)
{
    progress_log *log = data;
    if (percent < log->last)
        log->went_back = true;
    log->last = percent;
    log->calls++;
    if (strstr(text, "Verifying"))
        log->saw_verify = true;
}

/* ---- tests: what lands in the image -------------------------------------- */

static void test_x64_image_gets_every_listed_file(void **state)
{
    (void)state;
    size_t source_size = 0;
    void *source_before = file_bytes(WIM_X64, &source_size);
    osd_inject_options opt = options(WIM_X64, 1, OUT "/boot.X64.wim");
    progress_log log = {0};
    opt.progress = log_progress;
    opt.progress_data = &log;
    opt.enable_debug_shell = true;
    opt.org_name = "Contoso Lab";
    osd_inject_result res;
    inject_ok(&opt, &res);

    unsigned images = 0, boot = 0;
    string_list paths = wim_paths(OUT "/boot.X64.wim", &images, &boot);
    assert_int_equal(images, 1);
    assert_int_equal(boot, 1);
    static const char *const english[] = {"00000409", NULL};
    assert_all_injected(&paths, "x64", english);
    /* x64 images also carry the 32-bit tools. */
    assert_true(list_has(&paths, "/sms/bin/i386/bootsect.exe"));
    assert_true(list_has(&paths, "/Windows/Pkgmgr/dism.exe"));
    assert_true(list_has(&paths, "/Windows/System32/winpeshl.ini"));
    assert_true(list_has(&paths, "/Windows/System32/TsBootShell.ini"));
    list_clear(&paths);

    char *winpeshl = wim_file_text(OUT "/boot.X64.wim", "/Windows/System32/winpeshl.ini");
    assert_non_null(strstr(winpeshl, "[LaunchApps]"));
    assert_non_null(strstr(winpeshl, "%SYSTEMDRIVE%\\sms\\bin\\x64\\TsBootShell.exe"));
    free(winpeshl);
    char *shell = wim_file_text(OUT "/boot.X64.wim", "/Windows/System32/TsBootShell.ini");
    assert_non_null(strstr(shell, "[Shell]"));
    assert_non_null(strstr(shell, "EnableDebugShell=true"));
    assert_non_null(strstr(shell, "OrgName=Contoso Lab"));
    assert_non_null(strstr(shell, "X:\\sms\\bin\\x64\\TsmBootstrap.exe"));
    free(shell);

    assert_string_equal(res.image.architecture, "x64");
    assert_string_equal(res.image.os_version, OSD_WINPE_DEFAULT_VERSION);
    assert_true(res.image.bootable);
    assert_true(res.files_added > 60);
    struct stat st;
    assert_int_equal(stat(OUT "/boot.X64.wim", &st), 0);
    assert_int_equal(res.wim_bytes, (uint64_t)st.st_size);
    assert_false(log.went_back);
    assert_int_equal(log.last, 100);
    assert_true(log.saw_verify);
    assert_true(log.calls > 5);
    assert_same_bytes(WIM_X64, source_before, source_size);
    assert_no_temp_files();
    free(source_before);
    osd_inject_result_clear(&res);
}

static void test_x86_german_image_gets_its_language(void **state)
{
    (void)state;
    osd_inject_options opt = options(WIM_X86_DE, 1, OUT "/boot.X86.wim");
    osd_inject_result res;
    inject_ok(&opt, &res);
    string_list paths = wim_paths(OUT "/boot.X86.wim", NULL, NULL);
    static const char *const german[] = {"00000409", "00000407", NULL};
    assert_all_injected(&paths, "i386", german);
    assert_false(list_has(&paths, "/sms/bin/x64/TsBootShell.exe"));
    assert_false(list_has(&paths, "/sms/bin/i386/00000411/TsRes.dll"));
    list_clear(&paths);
    char *shell = wim_file_text(OUT "/boot.X86.wim", "/Windows/System32/TsBootShell.ini");
    assert_non_null(strstr(shell, "EnableDebugShell=false"));
    assert_null(strstr(shell, "OrgName="));
    assert_non_null(strstr(shell, "X:\\sms\\bin\\i386\\TsmBootstrap.exe"));
    free(shell);
    assert_string_equal(res.image.architecture, "x86");
    osd_inject_result_clear(&res);
}

static void test_arm64_image_takes_x64_binaries(void **state)
{
    (void)state;
    osd_inject_options opt = options(WIM_ARM64_JA, 1, OUT "/boot.ARM.wim");
    osd_inject_result res;
    inject_ok(&opt, &res);
    string_list paths = wim_paths(OUT "/boot.ARM.wim", NULL, NULL);
    static const char *const japanese[] = {"00000409", "00000411", NULL};
    assert_all_injected(&paths, "arm64", japanese);
    assert_true(list_has(&paths, "/sms/bin/x64/TsBootShell.exe"));
    assert_true(list_has(&paths, "/sms/bin/arm64/bcdboot.exe"));
    list_clear(&paths);
    char *winpeshl = wim_file_text(OUT "/boot.ARM.wim", "/Windows/System32/winpeshl.ini");
    assert_non_null(strstr(winpeshl, "\\sms\\bin\\x64\\TsBootShell.exe"));
    free(winpeshl);
    assert_string_equal(res.image.architecture, "arm64");
    osd_inject_result_clear(&res);
}

static void test_language_without_resources_falls_back_to_english(void **state)
{
    (void)state;
    osd_inject_options opt = options(WIM_SV, 1, OUT "/boot.SV.wim");
    osd_inject_result res;
    inject_ok(&opt, &res);
    string_list paths = wim_paths(OUT "/boot.SV.wim", NULL, NULL);
    assert_true(list_has(&paths, "/sms/bin/x64/00000409/TsRes.dll"));
    assert_false(list_has(&paths, "/sms/bin/x64/0000041D/TsRes.dll"));
    list_clear(&paths);
    osd_inject_result_clear(&res);
}

static void test_second_image_becomes_the_only_boot_image(void **state)
{
    (void)state;
    osd_inject_options opt = options(WIM_SETUP, 2, OUT "/boot.SETUP.wim");
    osd_inject_result res;
    inject_ok(&opt, &res);
    unsigned images = 0, boot = 0;
    string_list paths = wim_paths(OUT "/boot.SETUP.wim", &images, &boot);
    assert_int_equal(images, 1);
    assert_int_equal(boot, 1);
    assert_true(list_has(&paths, "/sources/setup.exe"));
    list_clear(&paths);
    assert_string_equal(res.image.name, "Microsoft Windows Setup (x64)");
    osd_inject_result_clear(&res);
}

static void test_names_are_matched_ignoring_case(void **state)
{
    (void)state;
    /* ConfigMgr on Windows never minds case; a tree copied to Linux may
     * spell names differently from osdinjection.xml. */
    assert_int_equal(rename(CM "/bin/x64/TsBootShell.exe", CM "/bin/x64/TSBOOTSHELL.EXE"), 0);
    assert_int_equal(rename(CM "/bin/x64/00000409/TsRes.dll", CM "/bin/x64/00000409/tsres.dll"),
                     0);
    osd_inject_options opt = options(WIM_X64, 1, OUT "/boot.CASE.wim");
    osd_inject_result res;
    inject_ok(&opt, &res);
    string_list paths = wim_paths(OUT "/boot.CASE.wim", NULL, NULL);
    assert_true(list_has(&paths, "/sms/bin/x64/TsBootShell.exe"));
    assert_true(list_has(&paths, "/sms/bin/x64/00000409/TsRes.dll"));
    list_clear(&paths);
    osd_inject_result_clear(&res);
    assert_int_equal(rename(CM "/bin/x64/TSBOOTSHELL.EXE", CM "/bin/x64/TsBootShell.exe"), 0);
    assert_int_equal(rename(CM "/bin/x64/00000409/tsres.dll", CM "/bin/x64/00000409/TsRes.dll"),
                     0);
}

/* ---- tests: extra steps and hive edits ------------------------------------ */

static smsprov_code add_scratch_setting(void *data, const osd_image_info *image,
                                        osd_inject_plan *plan, osd_inject_failure *failure,
                                        smsprov_error *err)
{
    (void)failure;
    assert_string_equal(image->architecture, "x64");
    *(int *)data += 1;
    osd_plan_set_dword(plan, "Windows\\System32\\config\\SYSTEM",
                       "ControlSet001\\Services\\FBWF", "WinPECacheThreshold", 128);
    osd_plan_set_string(plan, "windows\\system32\\config\\system", "ControlSet001\\Control",
                        "SmsprovTest", "injected");
    osd_plan_delete(plan, "Windows\\System32\\startnet.cmd");
    return osd_plan_add_text(plan, "TSConfig.ini", "[CustomHook]\r\nCommandLine=x.cmd\r\n", err);
}

static void test_customize_adds_steps_and_hive_edits_to_the_same_update(void **state)
{
    (void)state;
    int calls = 0;
    osd_inject_options opt = options(WIM_X64, 1, OUT "/boot.CUSTOM.wim");
    opt.customize = add_scratch_setting;
    opt.customize_data = &calls;
    osd_inject_result res;
    inject_ok(&opt, &res);
    assert_int_equal(calls, 1);
    string_list paths = wim_paths(OUT "/boot.CUSTOM.wim", NULL, NULL);
    assert_true(list_has(&paths, "/TSConfig.ini"));
    assert_false(list_has(&paths, "/Windows/System32/startnet.cmd"));
    assert_true(list_has(&paths, "/sms/bin/x64/TsBootShell.exe"));
    list_clear(&paths);

    /* Read the edited SYSTEM hive back with hivex. */
    WIMStruct *wim = NULL;
    assert_int_equal(wimlib_open_wim(OUT "/boot.CUSTOM.wim", 0, &wim), 0);
    const char *hive_path[] = {"/Windows/System32/config/SYSTEM"};
    assert_int_equal(wimlib_extract_paths(wim, 1, OUT, hive_path, 1,
                                          WIMLIB_EXTRACT_FLAG_NO_PRESERVE_DIR_STRUCTURE |
                                              WIMLIB_EXTRACT_FLAG_NO_ACLS),
                     0);
    wimlib_free(wim);
    hive_h *h = hivex_open(OUT "/SYSTEM", 0);
    assert_non_null(h);
    hive_node_h node = hivex_root(h);
    node = hivex_node_get_child(h, node, "ControlSet001");
    hive_node_h services = hivex_node_get_child(h, hivex_node_get_child(h, node, "Services"),
                                                "FBWF");
    assert_true(services != 0);
    hive_value_h v = hivex_node_get_value(h, services, "WinPECacheThreshold");
    assert_true(v != 0);
    assert_int_equal(hivex_value_dword(h, v), 128);
    hive_value_h s = hivex_node_get_value(h, hivex_node_get_child(h, node, "Control"),
                                          "SmsprovTest");
    char *text = hivex_value_string(h, s);
    assert_string_equal(text, "injected");
    free(text);
    hivex_close(h);
    unlink(OUT "/SYSTEM");
    osd_inject_result_clear(&res);
}

static smsprov_code refuse_customizing(void *data, const osd_image_info *image,
                                       osd_inject_plan *plan, osd_inject_failure *failure,
                                       smsprov_error *err)
{
    (void)data;
    (void)image;
    (void)plan;
    osd_inject_failure_set(failure, 1241, "driver.inf");
    return smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER, "driver.inf is malformed.");
}

static void test_customize_failure_fails_the_injection(void **state)
{
    (void)state;
    osd_inject_options opt = options(WIM_X64, 1, OUT "/boot.NOPE.wim");
    opt.customize = refuse_customizing;
    osd_inject_result res;
    smsprov_error err = {0};
    assert_int_equal(osd_inject(&opt, &res, &err), SMSPROV_E_INVALID_PARAMETER);
    assert_int_equal(res.failure.error_code, 1241);
    assert_string_equal(res.failure.detail, "driver.inf");
    assert_false(osd_fs_exists(OUT "/boot.NOPE.wim"));
    assert_no_temp_files();
    smsprov_error_clear(&err);
    osd_inject_result_clear(&res);
}

static smsprov_code edit_missing_hive(void *data, const osd_image_info *image,
                                      osd_inject_plan *plan, osd_inject_failure *failure,
                                      smsprov_error *err)
{
    (void)data;
    (void)image;
    (void)failure;
    (void)err;
    osd_plan_set_dword(plan, "Windows\\System32\\config\\NOSUCHHIVE", "Key", "Value", 1);
    return SMSPROV_OK;
}

static void test_edit_of_a_missing_hive_names_it(void **state)
{
    (void)state;
    osd_inject_options opt = options(WIM_X64, 1, OUT "/boot.HIVE.wim");
    opt.customize = edit_missing_hive;
    osd_inject_result res;
    smsprov_error err = {0};
    assert_int_equal(osd_inject(&opt, &res, &err), SMSPROV_E_NOT_FOUND);
    assert_int_equal(res.failure.error_code, OSD_ERROR_FILE_NOT_FOUND);
    assert_non_null(strstr(res.failure.detail, "NOSUCHHIVE"));
    assert_false(osd_fs_exists(OUT "/boot.HIVE.wim"));
    assert_no_temp_files();
    smsprov_error_clear(&err);
    osd_inject_result_clear(&res);
}

/* ---- tests: failures leave the target as it was -------------------------- */

/* Injects into OUT/boot.FAIL.wim, which holds a good image before; checks
 * the failure and that the target is byte-for-byte unchanged. */
static void expect_failure(osd_inject_options opt, smsprov_code code, int32_t win32,
                           const char *detail_part)
{
    opt.target_wim = OUT "/boot.FAIL.wim"; /* built by build_inputs */
    size_t size = 0;
    void *before = file_bytes(OUT "/boot.FAIL.wim", &size);
    osd_inject_result res;
    smsprov_error err = {0};
    assert_int_equal(osd_inject(&opt, &res, &err), code);
    assert_non_null(err.description);
    assert_int_equal(res.failure.error_code, win32);
    assert_non_null(res.failure.detail);
    if (!strstr(res.failure.detail, detail_part))
        fail_msg("detail \"%s\" does not name %s", res.failure.detail, detail_part);
    assert_same_bytes(OUT "/boot.FAIL.wim", before, size);
    assert_no_temp_files();
    free(before);
    smsprov_error_clear(&err);
    osd_inject_result_clear(&res);
}

static void test_missing_osd_binary_is_file_not_found(void **state)
{
    (void)state;
    assert_int_equal(rename(CM "/bin/x64/TsManager.exe", SCRATCH "/TsManager.exe"), 0);
    expect_failure(options(WIM_X64, 1, NULL), SMSPROV_E_NOT_FOUND, OSD_ERROR_FILE_NOT_FOUND,
                   "/bin/x64/TsManager.exe");
    assert_int_equal(rename(SCRATCH "/TsManager.exe", CM "/bin/x64/TsManager.exe"), 0);
}

static void test_missing_localized_english_file_is_file_not_found(void **state)
{
    (void)state;
    assert_int_equal(rename(CM "/bin/x64/00000409/TsRes.dll", SCRATCH "/TsRes.dll"), 0);
    expect_failure(options(WIM_X64, 1, NULL), SMSPROV_E_NOT_FOUND, OSD_ERROR_FILE_NOT_FOUND,
                   "00000409/TsRes.dll");
    assert_int_equal(rename(SCRATCH "/TsRes.dll", CM "/bin/x64/00000409/TsRes.dll"), 0);
}

static void test_missing_folder_is_path_not_found(void **state)
{
    (void)state;
    assert_int_equal(rename(CM "/bin/i386", SCRATCH "/i386"), 0);
    expect_failure(options(WIM_X86_DE, 1, NULL), SMSPROV_E_NOT_FOUND, OSD_ERROR_PATH_NOT_FOUND,
                   "/bin/i386");
    assert_int_equal(rename(SCRATCH "/i386", CM "/bin/i386"), 0);
}

static void test_missing_shell_template_is_file_not_found(void **state)
{
    (void)state;
    assert_int_equal(rename(CM "/OSD/bin/x64/winpeshl.ini", SCRATCH "/winpeshl.ini"), 0);
    expect_failure(options(WIM_X64, 1, NULL), SMSPROV_E_NOT_FOUND, OSD_ERROR_FILE_NOT_FOUND,
                   "winpeshl.ini");
    assert_int_equal(rename(SCRATCH "/winpeshl.ini", CM "/OSD/bin/x64/winpeshl.ini"), 0);
}

static void test_manifest_problems(void **state)
{
    (void)state;
    assert_int_equal(rename(MANIFEST, SCRATCH "/osdinjection.xml"), 0);
    expect_failure(options(WIM_X64, 1, NULL), SMSPROV_E_NOT_FOUND, OSD_ERROR_FILE_NOT_FOUND,
                   "osdinjection.xml");
    smsprov_error err = {0};
    assert_int_equal(osd_fs_write_file(MANIFEST, "<not closed", 11, &err), SMSPROV_OK);
    expect_failure(options(WIM_X64, 1, NULL), SMSPROV_E_INVALID_PARAMETER,
                   OSD_ERROR_INVALID_DATA, "osdinjection.xml");
    static const char no_arm[] = "<InjectionFiles><Architecture imgArch=\"x64\"/></InjectionFiles>";
    assert_int_equal(osd_fs_write_file(MANIFEST, no_arm, sizeof no_arm - 1, &err), SMSPROV_OK);
    expect_failure(options(WIM_ARM64_JA, 1, NULL), SMSPROV_E_NOT_SUPPORTED,
                   OSD_ERROR_NOT_SUPPORTED, "arm64");
    static const char odd[] = "<InjectionFiles><Architecture imgArch=\"x64\"><FileList "
                              "source=\"XYZ\"/></Architecture></InjectionFiles>";
    assert_int_equal(osd_fs_write_file(MANIFEST, odd, sizeof odd - 1, &err), SMSPROV_OK);
    expect_failure(options(WIM_X64, 1, NULL), SMSPROV_E_INVALID_PARAMETER,
                   OSD_ERROR_INVALID_DATA, "XYZ");
    assert_int_equal(rename(SCRATCH "/osdinjection.xml", MANIFEST), 0);
}

static void test_unconfigured_trees(void **state)
{
    (void)state;
    osd_inject_options opt = options(WIM_X64, 1, NULL);
    opt.adk_root = NULL;
    expect_failure(opt, SMSPROV_E_NOT_FOUND, OSD_ERROR_PATH_NOT_FOUND, "ADK");
    opt = options(WIM_X64, 1, NULL);
    opt.adk_root = SCRATCH "/no-such-adk";
    expect_failure(opt, SMSPROV_E_NOT_FOUND, OSD_ERROR_PATH_NOT_FOUND, "no-such-adk");
    opt = options(WIM_X64, 1, NULL);
    opt.configmgr_root = NULL;
    expect_failure(opt, SMSPROV_E_NOT_FOUND, OSD_ERROR_PATH_NOT_FOUND, "ConfigMgr");
}

static void test_bad_sources(void **state)
{
    (void)state;
    expect_failure(options(SCRATCH "/missing.wim", 1, NULL), SMSPROV_E_NOT_FOUND,
                   OSD_ERROR_FILE_NOT_FOUND, "missing.wim");
    expect_failure(options(NOT_A_WIM, 1, NULL), SMSPROV_E_INVALID_PARAMETER,
                   OSD_ERROR_INVALID_DATA, "not-a.wim");
    /* The WIM is fine; the index is the caller's mistake (ERROR_INVALID_PARAMETER). */
    expect_failure(options(WIM_X64, 2, NULL), SMSPROV_E_INVALID_PARAMETER,
                   OSD_ERROR_INVALID_PARAMETER, "x64.wim");
    expect_failure(options(WIM_X64, 0, NULL), SMSPROV_E_INVALID_PARAMETER,
                   OSD_ERROR_INVALID_PARAMETER, "index");
    expect_failure(options(OUT "/boot.FAIL.wim", 1, NULL), SMSPROV_E_INVALID_PARAMETER,
                   OSD_ERROR_INVALID_PARAMETER, "source");
    expect_failure(options(NULL, 1, NULL), SMSPROV_E_INVALID_PARAMETER,
                   OSD_ERROR_INVALID_PARAMETER, "source");
}

/* ---- tests: several at once ----------------------------------------------- */

typedef struct parallel_run {
    const char *source;
    char target[256];
    smsprov_code rc;
} parallel_run;

static void *inject_in_thread(void *data)
{
    parallel_run *run = data;
    osd_inject_options opt = options(run->source, 1, run->target);
    osd_inject_result res;
    smsprov_error err = {0};
    run->rc = osd_inject(&opt, &res, &err);
    smsprov_error_clear(&err);
    osd_inject_result_clear(&res);
    return NULL;
}

static void test_four_injections_at_once(void **state)
{
    (void)state;
    static const char *const sources[] = {WIM_X64, WIM_X86_DE, WIM_ARM64_JA, WIM_X64};
    parallel_run runs[4];
    pthread_t threads[4];
    for (int i = 0; i < 4; i++) {
        runs[i].source = sources[i];
        snprintf(runs[i].target, sizeof runs[i].target, OUT "/boot.PAR%d.wim", i);
        assert_int_equal(pthread_create(&threads[i], NULL, inject_in_thread, &runs[i]), 0);
    }
    for (int i = 0; i < 4; i++)
        assert_int_equal(pthread_join(threads[i], NULL), 0);
    static const char *const arch_folders[] = {"x64", "i386", "arm64", "x64"};
    static const char *const lcids[][3] = {{"00000409", NULL},
                                           {"00000409", "00000407", NULL},
                                           {"00000409", "00000411", NULL},
                                           {"00000409", NULL}};
    for (int i = 0; i < 4; i++) {
        assert_int_equal(runs[i].rc, SMSPROV_OK);
        unsigned images = 0, boot = 0;
        string_list paths = wim_paths(runs[i].target, &images, &boot);
        assert_int_equal(boot, 1);
        assert_all_injected(&paths, arch_folders[i], lcids[i]);
        list_clear(&paths);
    }
    assert_no_temp_files();
}

/* ---- tests: paths and temporary files ------------------------------------ */

static void test_path_resolution(void **state)
{
    (void)state;
    char *out = NULL;
    bool folder = true;
    smsprov_error err = {0};
    assert_int_equal(osd_path_resolve(CM, "BIN\\X64\\tsbootshell.EXE", &out, &folder, &err),
                     SMSPROV_OK);
    assert_string_equal(out, CM "/bin/x64/TsBootShell.exe");
    free(out);
    assert_int_equal(osd_path_resolve(CM, "bin/./x64//TsCore.dll", &out, NULL, &err), SMSPROV_OK);
    assert_string_equal(out, CM "/bin/x64/TsCore.dll");
    free(out);
    assert_int_equal(osd_path_resolve(CM, "bin\\x64\\nosuch.dll", &out, &folder, &err),
                     SMSPROV_E_NOT_FOUND);
    assert_string_equal(out, CM "/bin/x64/nosuch.dll");
    assert_false(folder);
    assert_non_null(strstr(err.description, "nosuch.dll"));
    free(out);
    assert_int_equal(osd_path_resolve(CM, "bin\\nosuch\\file.dll", &out, &folder, &err),
                     SMSPROV_E_NOT_FOUND);
    assert_true(folder);
    free(out);
    assert_int_equal(osd_path_resolve(CM, "bin\\..\\..\\etc", &out, NULL, &err),
                     SMSPROV_E_INVALID_PARAMETER);
    assert_null(out);
    assert_non_null(strstr(err.description, ".."));
    smsprov_error_clear(&err);

    char *in_image = osd_path_in_image("sms\\bin\\\\x64\\");
    assert_string_equal(in_image, "/sms/bin/x64");
    free(in_image);
    in_image = osd_path_in_image("");
    assert_string_equal(in_image, "/");
    free(in_image);
}

static bool tag_is_dead(void *data, const char *tag)
{
    (void)data;
    return strcmp(tag, "dead") == 0;
}

static void test_stale_temporary_files_of_gone_owners_are_removed(void **state)
{
    (void)state;
    char *owner = osd_inject_temp_owner(".boot.LAB00001.wim.abc123.7.partial");
    assert_string_equal(owner, "abc123");
    free(owner);
    owner = osd_inject_temp_owner(".boot.LAB00001.wim.abc123.7.staging");
    assert_string_equal(owner, "abc123");
    free(owner);
    assert_null(osd_inject_temp_owner("boot.LAB00001.wim"));
    assert_null(osd_inject_temp_owner(".partial"));
    assert_null(osd_inject_temp_owner("..partial"));
    assert_null(osd_inject_temp_owner(".x.partial"));

    smsprov_error err = {0};
    const char *dir = SCRATCH "/stale";
    check(osd_fs_make_dirs(dir, &err), &err, "stale dir");
    check(osd_fs_write_file(SCRATCH "/stale/.boot.A.wim.dead.1.partial", "x", 1, &err), &err, "f");
    check(osd_fs_make_dirs(SCRATCH "/stale/.boot.A.wim.dead.2.staging/hive0", &err), &err, "d");
    check(osd_fs_write_file(SCRATCH "/stale/.boot.B.wim.alive.3.partial", "x", 1, &err), &err, "f");
    check(osd_fs_write_file(SCRATCH "/stale/boot.A.wim", "x", 1, &err), &err, "f");
    assert_int_equal(osd_inject_remove_stale(dir, tag_is_dead, NULL), 2);
    assert_false(osd_fs_exists(SCRATCH "/stale/.boot.A.wim.dead.1.partial"));
    assert_false(osd_fs_exists(SCRATCH "/stale/.boot.A.wim.dead.2.staging"));
    assert_true(osd_fs_exists(SCRATCH "/stale/.boot.B.wim.alive.3.partial"));
    assert_true(osd_fs_exists(SCRATCH "/stale/boot.A.wim"));
    assert_int_equal(osd_inject_remove_stale(SCRATCH "/no-such-dir", tag_is_dead, NULL), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_x64_image_gets_every_listed_file),
        cmocka_unit_test(test_x86_german_image_gets_its_language),
        cmocka_unit_test(test_arm64_image_takes_x64_binaries),
        cmocka_unit_test(test_language_without_resources_falls_back_to_english),
        cmocka_unit_test(test_second_image_becomes_the_only_boot_image),
        cmocka_unit_test(test_names_are_matched_ignoring_case),
        cmocka_unit_test(test_customize_adds_steps_and_hive_edits_to_the_same_update),
        cmocka_unit_test(test_customize_failure_fails_the_injection),
        cmocka_unit_test(test_edit_of_a_missing_hive_names_it),
        cmocka_unit_test(test_missing_osd_binary_is_file_not_found),
        cmocka_unit_test(test_missing_localized_english_file_is_file_not_found),
        cmocka_unit_test(test_missing_folder_is_path_not_found),
        cmocka_unit_test(test_missing_shell_template_is_file_not_found),
        cmocka_unit_test(test_manifest_problems),
        cmocka_unit_test(test_unconfigured_trees),
        cmocka_unit_test(test_bad_sources),
        cmocka_unit_test(test_four_injections_at_once),
        cmocka_unit_test(test_path_resolution),
        cmocka_unit_test(test_stale_temporary_files_of_gone_owners_are_removed),
    };
    return cmocka_run_group_tests(tests, build_inputs, remove_inputs);
}
