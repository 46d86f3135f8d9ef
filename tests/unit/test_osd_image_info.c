/* test_osd_image_info.c - WIM image information: the values derived for a
 * boot image package, the ImageProperty and ImageDiskLayout XML, and the
 * errors for missing files, non-WIM files and bad indexes.  The WIMs are
 * synthetic WinPE images made by the project's own builder (mkwinpe). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <cmocka.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>

#include "osd/fs.h"
#include "osd/image_info.h"
#include "osd/synthetic.h"

#define SCRATCH SMSPROV_TEST_SCRATCH "/osd_image_info"
#define WIM_X86 SCRATCH "/x86.wim"
#define WIM_X64 SCRATCH "/x64-setup.wim"
#define WIM_ARM64 SCRATCH "/arm64.wim"
#define WIM_IA64 SCRATCH "/ia64.wim"
#define WIM_ESCAPED SCRATCH "/escaped.wim"
#define NOT_A_WIM SCRATCH "/not-a.wim"
#define TINY_FILE SCRATCH "/tiny.wim"
#define ESCAPED_NAME "PE <lab> & \"test\" 'quoted'"

static void make_image(const char *path, const osd_winpe_spec *spec)
{
    smsprov_error err = {0};
    smsprov_code rc = osd_synthetic_winpe_write(path, spec, &err);
    if (rc != SMSPROV_OK)
        fail_msg("building %s failed: %s", path, err.description);
}

static int build_images(void **state)
{
    (void)state;
    smsprov_error err = {0};
    assert_int_equal(osd_fs_remove_tree(SCRATCH, &err), SMSPROV_OK);
    assert_int_equal(osd_fs_make_dirs(SCRATCH, &err), SMSPROV_OK);

    make_image(WIM_X86, &(osd_winpe_spec){.arch = OSD_ARCH_X86, .version = "10.0.19041.1",
                                          .language = "de-DE"});
    make_image(WIM_X64, &(osd_winpe_spec){.arch = OSD_ARCH_X64, .second_image = true});
    make_image(WIM_ARM64, &(osd_winpe_spec){.arch = OSD_ARCH_ARM64, .version = "10.0.26100.2314",
                                            .language = "ja-JP", .lcid = 0x0411});
    make_image(WIM_IA64, &(osd_winpe_spec){.arch = OSD_ARCH_IA64, .version = "6.3.9600.17031",
                                           .language = "fr-FR"});
    make_image(WIM_ESCAPED, &(osd_winpe_spec){.arch = OSD_ARCH_X64, .name = ESCAPED_NAME,
                                              .description = "a < b && c > d"});
    /* Longer than a WIM header, so wimlib reads it whole and rejects it. */
    char text[1024];
    for (size_t i = 0; i < sizeof text; i++)
        text[i] = "This is a text file, not a Windows image.\n"[i % 42];
    assert_int_equal(osd_fs_write_file(NOT_A_WIM, text, sizeof text, &err), SMSPROV_OK);
    assert_int_equal(osd_fs_write_file(TINY_FILE, "MSWIM", 5, &err), SMSPROV_OK);
    return 0;
}

static int remove_images(void **state)
{
    (void)state;
    osd_fs_remove_tree(SCRATCH, NULL);
    return 0;
}

static void read_info(const char *path, uint32_t index, osd_image_info *info)
{
    smsprov_error err = {0};
    smsprov_code rc = osd_read_image_info(path, index, info, &err);
    if (rc != SMSPROV_OK)
        fail_msg("reading %s failed: %s", path, err.description);
}

/* A CIM DATETIME in UTC no more than a day away from now. */
static void assert_recent_datetime(const char *text)
{
    assert_int_equal(strlen(text), CIM_DATETIME_LEN);
    assert_int_equal(text[14], '.');
    assert_string_equal(text + 21, "+000");
    struct tm tm = {0};
    assert_int_equal(sscanf(text, "%4d%2d%2d%2d%2d%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                            &tm.tm_hour, &tm.tm_min, &tm.tm_sec),
                     6);
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    double age = difftime(time(NULL), timegm(&tm));
    assert_true(age > -86400 && age < 86400);
}

static void test_x86_image_facts(void **state)
{
    (void)state;
    osd_image_info info;
    read_info(WIM_X86, 1, &info);
    assert_int_equal(info.index, 1);
    assert_string_equal(info.name, "Microsoft Windows PE (x86)");
    assert_string_equal(info.description, "Microsoft Windows PE (x86)");
    assert_string_equal(info.architecture, "x86");
    assert_string_equal(info.os_version, "10.0.19041.1");
    assert_int_equal(info.language_count, 1);
    assert_string_equal(info.languages[0], "de-DE");
    assert_string_equal(info.default_language, "de-DE");
    assert_string_equal(info.hal, "acpiapic");
    assert_string_equal(info.product_type, "WinNT");
    assert_string_equal(info.product_name, "Windows PE");
    assert_string_equal(info.edition_id, "WindowsPE");
    assert_string_equal(info.installation_type, "WindowsPE");
    assert_string_equal(info.system_root, "WINDOWS");
    assert_string_equal(info.flags, "9");
    assert_true(info.bootable);
    assert_true(info.dir_count >= 20);
    assert_true(info.file_count >= 30);
    assert_true(info.total_bytes > info.file_count * 100);
    assert_recent_datetime(info.creation_time);
    assert_recent_datetime(info.modification_time);
    char *languages = osd_image_language_list(&info);
    assert_string_equal(languages, "de-DE");
    free(languages);
    osd_image_info_clear(&info);
    assert_null(info.name);
    assert_int_equal(info.language_count, 0);
}

static void test_arm64_and_ia64_facts(void **state)
{
    (void)state;
    osd_image_info info;
    read_info(WIM_ARM64, 1, &info);
    assert_string_equal(info.architecture, "arm64");
    assert_string_equal(info.os_version, "10.0.26100.2314");
    assert_string_equal(info.languages[0], "ja-JP");
    assert_string_equal(info.default_language, "ja-JP");
    assert_string_equal(info.name, "Microsoft Windows PE (arm64)");
    osd_image_info_clear(&info);

    read_info(WIM_IA64, 1, &info);
    assert_string_equal(info.architecture, "ia64");
    assert_string_equal(info.os_version, "6.3.9600.17031");
    assert_string_equal(info.languages[0], "fr-FR");
    assert_string_equal(info.default_language, "fr-FR");
    osd_image_info_clear(&info);
}

static void test_setup_boot_wim_has_two_images(void **state)
{
    (void)state;
    osd_image_info winpe, setup;
    read_info(WIM_X64, 1, &winpe);
    read_info(WIM_X64, 2, &setup);
    assert_string_equal(winpe.name, "Microsoft Windows PE (x64)");
    assert_string_equal(winpe.architecture, "x64");
    assert_string_equal(winpe.os_version, OSD_WINPE_DEFAULT_VERSION);
    assert_string_equal(winpe.languages[0], "en-US");
    assert_string_equal(winpe.flags, "9");
    assert_false(winpe.bootable);
    assert_string_equal(setup.name, "Microsoft Windows Setup (x64)");
    assert_string_equal(setup.flags, "2");
    assert_true(setup.bootable);
    /* Only the Setup image holds sources\setup.exe. */
    assert_int_equal(setup.file_count, winpe.file_count + 1);
    assert_int_equal(setup.dir_count, winpe.dir_count + 1);
    osd_image_info_clear(&winpe);
    osd_image_info_clear(&setup);
}

static void test_filetime_conversion(void **state)
{
    (void)state;
    char text[CIM_DATETIME_LEN + 1];
    /* 2024-01-31 12:00:00 UTC = (1706702400 + 11644473600) * 10^7 */
    assert_true(osd_filetime_to_datetime(UINT64_C(133511760000000000), text));
    assert_string_equal(text, "20240131120000.000000+000");
    assert_true(osd_filetime_to_datetime(UINT64_C(133511760001234567), text));
    assert_string_equal(text, "20240131120000.123456+000");
    assert_true(osd_filetime_to_datetime(1, text));
    assert_string_equal(text, "16010101000000.000000+000");
    assert_false(osd_filetime_to_datetime(0, text));
    assert_string_equal(text, "");
    assert_false(osd_filetime_to_datetime(UINT64_MAX, text));
    assert_string_equal(text, "");
}

/* ---- XML ---------------------------------------------------------------- */

static xmlDocPtr parse_xml(const char *xml)
{
    assert_non_null(xml);
    assert_int_equal(strncmp(xml, "<WIM>", 5), 0);
    xmlDocPtr doc = xmlReadMemory(xml, (int)strlen(xml), "image.xml", NULL, XML_PARSE_NONET);
    assert_non_null(doc);
    return doc;
}

/* The string value of an XPath expression ("" when it selects nothing). */
static char *xpath_text(xmlDocPtr doc, const char *expression)
{
    xmlXPathContextPtr context = xmlXPathNewContext(doc);
    xmlXPathObjectPtr result = xmlXPathEvalExpression(BAD_CAST expression, context);
    assert_non_null(result);
    xmlChar *value = xmlXPathCastToString(result);
    char *copy = strdup((const char *)value);
    xmlFree(value);
    xmlXPathFreeObject(result);
    xmlXPathFreeContext(context);
    return copy;
}

static void assert_xpath(xmlDocPtr doc, const char *expression, const char *expected)
{
    char *actual = xpath_text(doc, expression);
    if (strcmp(actual, expected) != 0)
        fail_msg("%s is \"%s\", expected \"%s\"", expression, actual, expected);
    free(actual);
}

#define PROPERTY(image, name) "/WIM/IMAGE[" #image "]/Property[@Name='" name "']"

static void test_image_property_xml(void **state)
{
    (void)state;
    char *xml;
    smsprov_error err = {0};
    assert_int_equal(osd_read_image_properties(WIM_X64, &xml, &err), SMSPROV_OK);
    xmlDocPtr doc = parse_xml(xml);
    osd_image_info setup;
    read_info(WIM_X64, 2, &setup);
    char size[32];
    snprintf(size, sizeof size, "%llu", (unsigned long long)setup.total_bytes);

    assert_xpath(doc, "count(/WIM/IMAGE)", "2");
    assert_xpath(doc, "/WIM/IMAGE[1]/@Index", "1");
    assert_xpath(doc, "/WIM/IMAGE[2]/@Index", "2");
    assert_xpath(doc, PROPERTY(1, "Image name"), "Microsoft Windows PE (x64)");
    assert_xpath(doc, PROPERTY(1, "Image description"), "Microsoft Windows PE (x64)");
    /* The raw WIM code, as live sites hold it; the package's Architecture
     * property says x64. */
    assert_xpath(doc, PROPERTY(1, "Architecture"), "9");
    assert_xpath(doc, "/WIM/IMAGE[1]/@Name", "Microsoft Windows PE (x64)");
    assert_xpath(doc, "/WIM/IMAGE[2]/@Name", "Microsoft Windows Setup (x64)");
    /* The way scripts read it: //IMAGE/Property[@Name='OS version']/text() */
    assert_xpath(doc, "/WIM/IMAGE[@Index='1']/Property[@Name='OS version']/text()",
                 "10.0.22621.1");
    assert_xpath(doc, PROPERTY(1, "Language"), "en-US");
    assert_xpath(doc, PROPERTY(1, "Default language"), "en-US");
    assert_xpath(doc, PROPERTY(1, "OS version"), "10.0.22621.1");
    assert_xpath(doc, PROPERTY(1, "HAL"), "acpiapic");
    assert_xpath(doc, PROPERTY(1, "Product type"), "WinNT");
    assert_xpath(doc, PROPERTY(1, "Edition"), "WindowsPE");
    assert_xpath(doc, PROPERTY(1, "Installation type"), "WindowsPE");
    assert_xpath(doc, PROPERTY(1, "System root"), "WINDOWS");
    assert_xpath(doc, PROPERTY(1, "Flags"), "9");
    assert_xpath(doc, PROPERTY(1, "Bootable"), "false");
    assert_xpath(doc, PROPERTY(2, "Image name"), "Microsoft Windows Setup (x64)");
    assert_xpath(doc, PROPERTY(2, "Flags"), "2");
    assert_xpath(doc, PROPERTY(2, "Bootable"), "true");
    assert_xpath(doc, PROPERTY(2, "Size"), size);
    assert_xpath(doc, PROPERTY(2, "Creation date"), setup.creation_time);
    assert_xpath(doc, PROPERTY(2, "Last modification date"), setup.modification_time);
    /* Every property has a name and a value; nothing else is in an IMAGE. */
    assert_xpath(doc, "count(//Property[not(@Name) or .=''])", "0");
    assert_xpath(doc, "count(/WIM/IMAGE/*[name() != 'Property'])", "0");
    assert_xpath(doc, "count(/WIM/IMAGE[1]/Property)", "19");

    osd_image_info_clear(&setup);
    xmlFreeDoc(doc);
    free(xml);
}

static void test_image_property_xml_escapes_names(void **state)
{
    (void)state;
    char *xml;
    assert_int_equal(osd_read_image_properties(WIM_ESCAPED, &xml, NULL), SMSPROV_OK);
    assert_non_null(strstr(xml, "PE &lt;lab&gt; &amp; "));
    assert_null(strstr(xml, "<lab>"));
    xmlDocPtr doc = parse_xml(xml);
    assert_xpath(doc, PROPERTY(1, "Image name"), ESCAPED_NAME);
    assert_xpath(doc, PROPERTY(1, "Image description"), "a < b && c > d");
    xmlFreeDoc(doc);
    free(xml);
}

static void test_disk_layout_xml(void **state)
{
    (void)state;
    char *xml;
    smsprov_error err = {0};
    assert_int_equal(osd_read_image_disk_layout(WIM_X64, 2, &xml, &err), SMSPROV_OK);
    xmlDocPtr doc = parse_xml(xml);
    osd_image_info setup;
    read_info(WIM_X64, 2, &setup);
    char number[32];

    assert_xpath(doc, "count(/WIM/IMAGE)", "1");
    assert_xpath(doc, "/WIM/IMAGE/@Index", "2");
    assert_xpath(doc, "count(/WIM/IMAGE/Partition)", "1");
    assert_xpath(doc, "/WIM/IMAGE/Partition/@Number", "1");
    assert_xpath(doc, "/WIM/IMAGE/Partition/@SystemRoot", "WINDOWS");
    assert_xpath(doc, "/WIM/IMAGE/Partition/@Bootable", "true");
    snprintf(number, sizeof number, "%llu", (unsigned long long)setup.total_bytes);
    assert_xpath(doc, "/WIM/IMAGE/Partition/@Size", number);
    snprintf(number, sizeof number, "%llu", (unsigned long long)setup.file_count);
    assert_xpath(doc, "/WIM/IMAGE/Partition/@FileCount", number);
    snprintf(number, sizeof number, "%llu", (unsigned long long)setup.dir_count);
    assert_xpath(doc, "/WIM/IMAGE/Partition/@DirectoryCount", number);

    osd_image_info_clear(&setup);
    xmlFreeDoc(doc);
    free(xml);
}

/* ---- errors ------------------------------------------------------------- */

static void assert_error(smsprov_error *err, smsprov_code rc, smsprov_code expected,
                         const char *fragment)
{
    assert_int_equal(rc, expected);
    assert_int_equal(err->code, expected);
    assert_non_null(err->description);
    if (!strstr(err->description, fragment))
        fail_msg("\"%s\" does not mention \"%s\"", err->description, fragment);
    smsprov_error_clear(err);
}

static void test_missing_file(void **state)
{
    (void)state;
    smsprov_error err = {0};
    osd_image_info info;
    char *xml = (char *)"untouched";
    const char *missing = SCRATCH "/no-such.wim";
    assert_error(&err, osd_read_image_info(missing, 1, &info, &err), SMSPROV_E_NOT_FOUND,
                 "No such file or directory");
    assert_null(info.name);
    assert_error(&err, osd_read_image_properties(missing, &xml, &err), SMSPROV_E_NOT_FOUND,
                 missing);
    assert_null(xml);
    assert_error(&err, osd_read_image_disk_layout(missing, 1, &xml, &err), SMSPROV_E_NOT_FOUND,
                 missing);
    assert_null(xml);
    assert_error(&err, osd_read_image_properties("", &xml, &err), SMSPROV_E_INVALID_PARAMETER,
                 "No WIM file path");
}

static void test_not_a_wim(void **state)
{
    (void)state;
    smsprov_error err = {0};
    char *xml;
    assert_error(&err, osd_read_image_properties(NOT_A_WIM, &xml, &err),
                 SMSPROV_E_INVALID_PARAMETER,
                 wimlib_get_error_string(WIMLIB_ERR_NOT_A_WIM_FILE));
    assert_null(xml);
    assert_error(&err, osd_read_image_properties(TINY_FILE, &xml, &err),
                 SMSPROV_E_INVALID_PARAMETER, "(wimlib error ");
    assert_int_equal(osd_read_image_properties(SCRATCH, &xml, &err),
                     SMSPROV_E_INVALID_PARAMETER);
    assert_error(&err, SMSPROV_E_INVALID_PARAMETER, SMSPROV_E_INVALID_PARAMETER,
                 "is a directory");
}

static void test_bad_index(void **state)
{
    (void)state;
    smsprov_error err = {0};
    osd_image_info info;
    char *xml;
    assert_error(&err, osd_read_image_info(WIM_X64, 3, &info, &err),
                 SMSPROV_E_INVALID_PARAMETER, "image index 3 does not exist; the WIM holds 2 images");
    assert_null(info.name);
    assert_error(&err, osd_read_image_info(WIM_X86, 0, &info, &err),
                 SMSPROV_E_INVALID_PARAMETER, "image index 0 does not exist; the WIM holds 1 image.");
    assert_error(&err, osd_read_image_disk_layout(WIM_X86, 2, &xml, &err),
                 SMSPROV_E_INVALID_PARAMETER, WIM_X86);
    assert_null(xml);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_x86_image_facts),
        cmocka_unit_test(test_arm64_and_ia64_facts),
        cmocka_unit_test(test_setup_boot_wim_has_two_images),
        cmocka_unit_test(test_filetime_conversion),
        cmocka_unit_test(test_image_property_xml),
        cmocka_unit_test(test_image_property_xml_escapes_names),
        cmocka_unit_test(test_disk_layout_xml),
        cmocka_unit_test(test_missing_file),
        cmocka_unit_test(test_not_a_wim),
        cmocka_unit_test(test_bad_index),
    };
    return cmocka_run_group_tests(tests, build_images, remove_images);
}
