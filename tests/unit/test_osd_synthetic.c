/* test_osd_synthetic.c - the synthetic inputs mkwinpe makes: fake PE
 * files, WinPE option checking, the ADK tree, the ConfigMgr tree and its
 * osdinjection.xml (every file it names exists), and idempotence. */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include "osd/fs.h"
#include "osd/image_info.h"
#include "osd/synthetic.h"
#include "osd/synthetic_files.h"
#include "test_fixture.h"

#define SCRATCH SMSPROV_TEST_SCRATCH "/osd_synthetic"
#define ADK SCRATCH "/adk"
#define CM SCRATCH "/configmgr"
#define WINPE_DIR ADK "/Assessment and Deployment Kit/Windows Preinstallation Environment"
#define TOOLS_DIR ADK "/Assessment and Deployment Kit/Deployment Tools"
#define ALL_ARCHES OSD_ARCH_SET_ADK

static int build_trees(void **state)
{
    (void)state;
    smsprov_error err = {0};
    osd_fs_remove_tree(SCRATCH, NULL);
    if (osd_fs_make_dirs(SCRATCH, &err) != SMSPROV_OK ||
        osd_synthetic_adk_write(ADK, ALL_ARCHES, &err) != SMSPROV_OK ||
        osd_synthetic_configmgr_write(CM, ALL_ARCHES, &err) != SMSPROV_OK) {
        fprintf(stderr, "building the trees failed: %s\n", err.description);
        smsprov_error_clear(&err);
        return -1;
    }
    return 0;
}

static int remove_trees(void **state)
{
    (void)state;
    osd_fs_remove_tree(SCRATCH, NULL);
    return 0;
}

static uint16_t le16(const uint8_t *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

/* The Machine field of a PE file, as wimlib reads it. */
static uint16_t pe_machine(const char *path)
{
    uint8_t data[OSD_FAKE_PE_SIZE];
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("%s is missing", path);
    size_t n = fread(data, 1, sizeof data, f);
    fclose(f);
    assert_int_equal(n, OSD_FAKE_PE_SIZE);
    assert_memory_equal(data, "MZ", 2);
    uint32_t e_lfanew = le16(data + 0x3C);
    assert_int_equal(e_lfanew % 4, 0);
    assert_memory_equal(data + e_lfanew, "PE\0\0", 4);
    return le16(data + e_lfanew + 4);
}

static void test_fake_pe(void **state)
{
    (void)state;
    uint8_t pe[OSD_FAKE_PE_SIZE];
    osd_fake_pe_build(pe, 0xAA64, "kernel32.dll");
    assert_memory_equal(pe, "MZ", 2);
    assert_int_equal(pe[0x3C], 0x80);
    assert_memory_equal(pe + 0x80, "PE\0\0", 4);
    assert_int_equal(le16(pe + 0x84), 0xAA64);
    assert_true(le16(pe + 0x96) & 0x2000); /* a DLL */
    assert_string_equal((const char *)pe + 0x200, "smsprov synthetic file kernel32.dll");
    osd_fake_pe_build(pe, 0x014C, "cmd.exe");
    assert_int_equal(le16(pe + 0x84), 0x014C);
    assert_false(le16(pe + 0x96) & 0x2000);
}

/* ---- WinPE options ------------------------------------------------------ */

static size_t count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    size_t n = 0;
    for (struct dirent *e; (e = readdir(d));)
        n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    closedir(d);
    return n;
}

static void assert_rejected(const osd_winpe_spec *spec, const char *fragment)
{
#define REJECTED_DIR SCRATCH "/rejected"
    const char *dir = REJECTED_DIR;
    osd_fs_make_dirs(dir, NULL);
    smsprov_error err = {0};
    assert_int_equal(osd_synthetic_winpe_write(REJECTED_DIR "/out.wim", spec, &err),
                     SMSPROV_E_INVALID_PARAMETER);
    if (!strstr(err.description, fragment))
        fail_msg("\"%s\" does not mention \"%s\"", err.description, fragment);
    smsprov_error_clear(&err);
    assert_int_equal(count_entries(dir), 0); /* no image, no scratch tree */
}

static void test_winpe_options_are_checked(void **state)
{
    (void)state;
    static const char *const versions[] = {"10.0", "10.0.22621", "10.0.x.1", "10.0.22621.1.5",
                                           "10.0.22621.", "99999999999.0.0.0", "-1.0.0.0",
                                           " 10.0.22621.1", ""};
    for (size_t i = 0; i < sizeof versions / sizeof *versions; i++)
        assert_rejected(&(osd_winpe_spec){.arch = OSD_ARCH_X64, .version = versions[i]},
                        "MAJOR.MINOR.BUILD.SPBUILD");
    static const char *const languages[] = {"english", "e-US", "en_US", "en-", "en-US-"};
    for (size_t i = 0; i < sizeof languages / sizeof *languages; i++)
        assert_rejected(&(osd_winpe_spec){.arch = OSD_ARCH_X64, .language = languages[i]},
                        "language tag");
    assert_rejected(&(osd_winpe_spec){.arch = OSD_ARCH_X64, .language = "xx-XX"},
                    "LCID of the WinPE language xx-XX");
    assert_rejected(&(osd_winpe_spec){.arch = (osd_arch)42}, "architecture 42");

    smsprov_error err = {0};
    osd_winpe_spec spec = {.arch = OSD_ARCH_X64};
    assert_int_equal(osd_synthetic_winpe_write(SCRATCH "/no/such/dir/out.wim", &spec, &err),
                     SMSPROV_E_FAILED);
    assert_non_null(strstr(err.description, "No such file or directory"));
    smsprov_error_clear(&err);
    assert_false(osd_fs_exists(SCRATCH "/no"));
    assert_int_equal(osd_synthetic_winpe_write("", &spec, &err), SMSPROV_E_INVALID_PARAMETER);
    smsprov_error_clear(&err);
}

static void test_unlisted_language_with_lcid(void **state)
{
    (void)state;
    const char *path = SCRATCH "/custom-language.wim";
    smsprov_error err = {0};
    osd_winpe_spec spec = {.arch = OSD_ARCH_X86, .language = "sr-Cyrl-RS", .lcid = 0x281A,
                           .description = "Serbian (Cyrillic)"};
    assert_int_equal(osd_synthetic_winpe_write(path, &spec, &err), SMSPROV_OK);
    osd_image_info info;
    assert_int_equal(osd_read_image_info(path, 1, &info, &err), SMSPROV_OK);
    assert_string_equal(info.languages[0], "sr-Cyrl-RS");
    assert_string_equal(info.description, "Serbian (Cyrillic)");
    assert_string_equal(info.architecture, "x86");
    osd_image_info_clear(&info);
}

static void test_payload_grows_the_image(void **state)
{
    (void)state;
    const char *path = SCRATCH "/payload.wim";
    smsprov_error err = {0};
    osd_winpe_spec spec = {.arch = OSD_ARCH_X64, .payload_mb = 3};
    assert_int_equal(osd_synthetic_winpe_write(path, &spec, &err), SMSPROV_OK);
    osd_image_info info;
    assert_int_equal(osd_read_image_info(path, 1, &info, &err), SMSPROV_OK);
    assert_true(info.total_bytes >= 3u << 20);
    osd_image_info_clear(&info);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    /* Mostly random data: LZX keeps well over half of it. */
    assert_true(st.st_size > (3 << 20) / 2);
}

/* ---- the ADK tree ------------------------------------------------------- */

static void test_adk_tree(void **state)
{
    (void)state;
    static const struct {
        const char *folder;
        const char *arch;
        uint16_t machine;
    } arches[] = {{"x86", "x86", 0x014C}, {"amd64", "x64", 0x8664}, {"arm64", "arm64", 0xAA64}};
    for (size_t i = 0; i < 3; i++) {
        char *wim = osd_path_join(WINPE_DIR, arches[i].folder);
        char *path = cim_xasprintf("%s/en-us/winpe.wim", wim);
        osd_image_info info;
        smsprov_error err = {0};
        assert_int_equal(osd_read_image_info(path, 1, &info, &err), SMSPROV_OK);
        assert_string_equal(info.architecture, arches[i].arch);
        assert_true(info.bootable);
        osd_image_info_clear(&info);
        free(path);

        path = cim_xasprintf("%s/WinPE_OCs/WinPE-WMI.cab", wim);
        char *cab = fixture_slurp(path, NULL);
        assert_memory_equal(cab, "MSCF", 4);
        free(cab);
        free(path);
        path = cim_xasprintf("%s/WinPE_OCs/en-us/WinPE-Scripting_en-us.cab", wim);
        assert_true(osd_fs_exists(path));
        free(path);
        path = cim_xasprintf("%s/WinPE_OCs/en-us/WinPE-FontSupport-JA-JP_en-us.cab", wim);
        assert_false(osd_fs_exists(path)); /* fonts have no language resources */
        free(path);
        free(wim);

        path = cim_xasprintf(TOOLS_DIR "/%s/BCDBoot/bcdboot.exe", arches[i].folder);
        assert_int_equal(pe_machine(path), arches[i].machine);
        free(path);
    }
    assert_true(count_entries(WINPE_DIR "/amd64/WinPE_OCs") >= 27);
}

static void test_trees_refuse_ia64(void **state)
{
    (void)state;
    smsprov_error err = {0};
    unsigned with_ia64 = OSD_ARCH_BIT(OSD_ARCH_X64) | OSD_ARCH_BIT(OSD_ARCH_IA64);
    assert_int_equal(osd_synthetic_adk_write(SCRATCH "/adk-ia64", with_ia64, &err),
                     SMSPROV_E_INVALID_PARAMETER);
    assert_non_null(strstr(err.description, "ia64"));
    smsprov_error_clear(&err);
    assert_int_equal(osd_synthetic_configmgr_write(SCRATCH "/cm-ia64", with_ia64, &err),
                     SMSPROV_E_INVALID_PARAMETER);
    smsprov_error_clear(&err);
    assert_int_equal(osd_synthetic_configmgr_write(SCRATCH "/cm-none", 0, &err),
                     SMSPROV_E_INVALID_PARAMETER);
    smsprov_error_clear(&err);
    assert_int_equal(osd_synthetic_adk_write("", ALL_ARCHES, &err), SMSPROV_E_INVALID_PARAMETER);
    smsprov_error_clear(&err);
    assert_false(osd_fs_exists(SCRATCH "/adk-ia64"));
    assert_false(osd_fs_exists(SCRATCH "/cm-ia64"));
    assert_false(osd_fs_exists(SCRATCH "/cm-none"));
}

/* ---- the ConfigMgr tree and osdinjection.xml ---------------------------- */

static char *child_text(xmlNodePtr node, const char *name)
{
    for (xmlNodePtr c = node->children; c; c = c->next) {
        if (c->type == XML_ELEMENT_NODE && strcmp((const char *)c->name, name) == 0) {
            xmlChar *text = xmlNodeGetContent(c);
            char *copy = strdup((const char *)text);
            xmlFree(text);
            return copy;
        }
    }
    fail_msg("<%s> has no <%s>", (const char *)node->name, name);
    return NULL;
}

static char *attribute(xmlNodePtr node, const char *name)
{
    xmlChar *value = xmlGetProp(node, BAD_CAST name);
    assert_non_null(value);
    char *copy = strdup((const char *)value);
    xmlFree(value);
    return copy;
}

/* Checks one <File>: the source exists in the tree its list names. */
static void check_injection_file(xmlNodePtr file, const char *list, const char *img_arch)
{
    const char *root = strcmp(list, "WPE") == 0 ? WINPE_DIR
                       : strcmp(list, "WDT") == 0 ? TOOLS_DIR
                                                  : CM;
    char *name = attribute(file, "name");
    char *source = child_text(file, "Source");
    char *destination = child_text(file, "Destination");
    char *locale = child_text(file, "LocaleNeeded");
    char *debug = child_text(file, "DebugBinary");
    char *dir = osd_path_join(root, source);
    assert_string_equal(debug, "false");
    assert_true(strchr(source, '/') == NULL && strchr(destination, '/') == NULL);
    if (strcmp(name, "*") == 0) {
        assert_string_equal(destination, "Windows\\Pkgmgr");
        assert_true(count_entries(dir) >= 5);
    } else {
        char *path = strcmp(locale, "true") == 0 ? cim_xasprintf("%s/00000409/%s", dir, name)
                                                 : cim_xasprintf("%s/%s", dir, name);
        if (!osd_fs_exists(path))
            fail_msg("%s (imgArch %s, %s list) names %s, which is missing", name, img_arch, list,
                     path);
        free(path);
    }
    /* arm64 images run the x64 ConfigMgr binaries. */
    if (strcmp(list, "SCCM") == 0) {
        const char *expected = strcmp(img_arch, "i386") == 0 ? "sms\\bin\\i386" : "sms\\bin\\x64";
        assert_string_equal(destination, expected);
    }
    free(dir);
    free(name);
    free(source);
    free(destination);
    free(locale);
    free(debug);
}

static size_t check_architecture(xmlNodePtr arch)
{
    char *img_arch = attribute(arch, "imgArch");
    size_t files = 0;
    for (xmlNodePtr list = arch->children; list; list = list->next) {
        if (list->type != XML_ELEMENT_NODE)
            continue;
        assert_string_equal((const char *)list->name, "FileList");
        char *kind = attribute(list, "source");
        for (xmlNodePtr file = list->children; file; file = file->next) {
            if (file->type == XML_ELEMENT_NODE) {
                check_injection_file(file, kind, img_arch);
                files++;
            }
        }
        free(kind);
    }
    free(img_arch);
    return files;
}

static void test_injection_xml_names_existing_files(void **state)
{
    (void)state;
    xmlDocPtr doc = xmlReadFile(CM "/bin/x64/osdinjection.xml", NULL, XML_PARSE_NONET);
    assert_non_null(doc);
    xmlNodePtr root = xmlDocGetRootElement(doc);
    assert_string_equal((const char *)root->name, "InjectionFiles");
    const char *expected_arches[] = {"i386", "x64", "arm64"};
    size_t n = 0;
    for (xmlNodePtr arch = root->children; arch; arch = arch->next) {
        if (arch->type != XML_ELEMENT_NODE)
            continue;
        assert_true(n < 3);
        char *img_arch = attribute(arch, "imgArch");
        assert_string_equal(img_arch, expected_arches[n]);
        free(img_arch);
        assert_true(check_architecture(arch) > 50);
        n++;
    }
    assert_int_equal(n, 3);
    xmlFreeDoc(doc);
}

static void test_configmgr_binaries(void **state)
{
    (void)state;
    assert_int_equal(pe_machine(CM "/bin/x64/TsBootShell.exe"), 0x8664);
    assert_int_equal(pe_machine(CM "/bin/i386/TsBootShell.exe"), 0x014C);
    assert_int_equal(pe_machine(CM "/bin/x64/0000040C/TsRes.dll"), 0x8664);
    assert_false(osd_fs_exists(CM "/bin/arm64"));
    assert_true(osd_fs_exists(CM "/bin/x64/BCD-EFI-64"));
    assert_false(osd_fs_exists(CM "/bin/i386/BCD-EFI-64"));
    char *ini = fixture_slurp(CM "/OSD/bin/i386/winpeshl.ini", NULL);
    assert_string_equal(ini, "[LaunchApps]\r\n%SYSTEMDRIVE%\\sms\\bin\\i386\\TsBootShell.exe\r\n");
    free(ini);
    ini = fixture_slurp(CM "/OSD/bin/arm64/winpeshl.ini", NULL);
    assert_non_null(strstr(ini, "\\sms\\bin\\x64\\TsBootShell.exe"));
    free(ini);
}

static void test_trees_are_idempotent(void **state)
{
    (void)state;
    smsprov_error err = {0};
    const char *customised = CM "/bin/x64/TsBootShell.exe";
#define DELETED_CAB WINPE_DIR "/amd64/WinPE_OCs/WinPE-HTA.cab"
    const char *deleted = DELETED_CAB;
    assert_int_equal(osd_fs_write_file(customised, "custom", 6, &err), SMSPROV_OK);
    assert_int_equal(remove(deleted), 0);
    struct stat before;
    assert_int_equal(stat(WINPE_DIR "/amd64/en-us/winpe.wim", &before), 0);

    assert_int_equal(osd_synthetic_adk_write(ADK, ALL_ARCHES, &err), SMSPROV_OK);
    assert_int_equal(osd_synthetic_configmgr_write(CM, ALL_ARCHES, &err), SMSPROV_OK);

    char *text = fixture_slurp(customised, NULL);
    assert_string_equal(text, "custom"); /* kept */
    free(text);
    assert_true(osd_fs_exists(deleted)); /* filled in again */
    struct stat after;
    assert_int_equal(stat(WINPE_DIR "/amd64/en-us/winpe.wim", &after), 0);
    assert_int_equal(before.st_ino, after.st_ino);
    assert_int_equal(before.st_mtim.tv_nsec, after.st_mtim.tv_nsec);
    assert_false(osd_fs_exists(DELETED_CAB ".partial"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fake_pe),
        cmocka_unit_test(test_winpe_options_are_checked),
        cmocka_unit_test(test_unlisted_language_with_lcid),
        cmocka_unit_test(test_payload_grows_the_image),
        cmocka_unit_test(test_adk_tree),
        cmocka_unit_test(test_trees_refuse_ia64),
        cmocka_unit_test(test_injection_xml_names_existing_files),
        cmocka_unit_test(test_configmgr_binaries),
        cmocka_unit_test(test_trees_are_idempotent),
    };
    return cmocka_run_group_tests(tests, build_trees, remove_trees);
}
