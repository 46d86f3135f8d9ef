/* test_osd_inf.c - INF files: the generic syntax (sections, keys, fields,
 * quotes, comments, continuation lines, %strkey% tokens, UTF-16) and the
 * driver package checks, every error path with a sentence naming the INF
 * and the reason. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "osd/fs.h"
#include "osd/inf.h"
#include "smsprov/cim.h"
#include "test_fixture.h"

#define SCRATCH SMSPROV_TEST_SCRATCH "/osd_inf"

/* ---- the generic syntax -------------------------------------------------- */

static smsprov_code parse(const char *text, osd_inf *inf, smsprov_error *err)
{
    return osd_inf_parse(text, strlen(text), "test.inf", inf, err);
}

static void test_sections_keys_fields_and_comments(void **state)
{
    (void)state;
    const char *text = "; leading comment\r\n"
                       "[Version]\r\n"
                       "Signature = \"$Windows NT$\" ; trailing comment\r\n"
                       "  Class=Net\r\n"
                       "\r\n"
                       "[Manufacturer]\n"
                       "%Mfg% = Models, NTamd64 , NTx86.6.1\n"
                       "[Strings]\n"
                       "Mfg = \"Contoso; \"\"Networks\"\"\"\n"
                       "[version]\n"
                       "Provider = %Mfg%\n"
                       "[Models.NTamd64]\n"
                       "value one, \"two, three\",  four  \n";
    osd_inf inf;
    smsprov_error err = {0};
    assert_int_equal(parse(text, &inf, &err), SMSPROV_OK);
    /* [version] merges into [Version]. */
    assert_int_equal(inf.section_count, 4);
    const osd_inf_line *sig = osd_inf_find(&inf, "VERSION", "signature");
    assert_non_null(sig);
    assert_int_equal(sig->value_count, 1);
    assert_string_equal(sig->values[0], "$Windows NT$");
    assert_int_equal(sig->line_no, 3);
    assert_string_equal(osd_inf_find(&inf, "Version", "Class")->values[0], "Net");
    const osd_inf_line *provider = osd_inf_find(&inf, "Version", "Provider");
    assert_non_null(provider);
    const osd_inf_line *mfg = osd_inf_find(&inf, "Manufacturer", "%Mfg%");
    assert_int_equal(mfg->value_count, 3);
    assert_string_equal(mfg->values[1], "NTamd64");
    assert_string_equal(mfg->values[2], "NTx86.6.1");
    assert_string_equal(osd_inf_find(&inf, "Strings", "Mfg")->values[0],
                        "Contoso; \"Networks\"");
    const osd_inf_section *models = osd_inf_find_section(&inf, "models.ntamd64");
    assert_int_equal(models->line_count, 1);
    assert_null(models->lines[0].key);
    assert_int_equal(models->lines[0].value_count, 3);
    assert_string_equal(models->lines[0].values[0], "value one");
    assert_string_equal(models->lines[0].values[1], "two, three");
    assert_string_equal(models->lines[0].values[2], "four");
    char *undefined = NULL;
    char *expanded = osd_inf_expand(&inf, provider->values[0], &undefined);
    assert_string_equal(expanded, "Contoso; \"Networks\"");
    free(expanded);
    expanded = osd_inf_expand(&inf, "100%% %mfg%!", &undefined);
    assert_string_equal(expanded, "100% Contoso; \"Networks\"!");
    free(expanded);
    assert_null(osd_inf_expand(&inf, "a %Nope% b", &undefined));
    assert_string_equal(undefined, "Nope");
    free(undefined);
    expanded = osd_inf_expand(&inf, "50% off", &undefined);
    assert_string_equal(expanded, "50% off");
    free(expanded);
    assert_null(osd_inf_find(&inf, "Nowhere", "x"));
    osd_inf_clear(&inf);
}

static void test_continuation_lines_and_empty_values(void **state)
{
    (void)state;
    const char *text = "[S]\n"
                       "List = a, \\\n"
                       "       b, c ; comment after\n"
                       "Empty =\n"
                       "Last = end \\";
    osd_inf inf;
    assert_int_equal(parse(text, &inf, NULL), SMSPROV_OK);
    const osd_inf_line *list = osd_inf_find(&inf, "S", "List");
    assert_int_equal(list->value_count, 3);
    assert_string_equal(list->values[1], "b");
    assert_int_equal(list->line_no, 2);
    const osd_inf_line *empty = osd_inf_find(&inf, "S", "Empty");
    assert_int_equal(empty->value_count, 1);
    assert_string_equal(empty->values[0], "");
    assert_int_equal(empty->line_no, 4);
    assert_string_equal(osd_inf_find(&inf, "S", "Last")->values[0], "end");
    osd_inf_clear(&inf);
}

/* Half a million sections (5 MB) parse in linear time: each new name was
 * compared with every earlier one, which took longer than the test's time
 * limit.  Sections of the same name still merge, ignoring case. */
static void test_many_sections_stay_linear(void **state)
{
    (void)state;
    enum { SECTIONS = 500000 };
    cim_buf b = {0};
    for (unsigned i = 0; i < SECTIONS; i++)
        cim_buf_printf(&b, "[s%u]\nk=%u\n", i, i);
    cim_buf_append(&b, "[S7]\nagain=1\n");
    osd_inf inf;
    assert_int_equal(osd_inf_parse(b.data, b.len, "many.inf", &inf, NULL), SMSPROV_OK);
    assert_int_equal(inf.section_count, SECTIONS);
    const osd_inf_section *s7 = osd_inf_find_section(&inf, "s7");
    assert_int_equal(s7->line_count, 2);
    assert_string_equal(osd_inf_find(&inf, "s7", "again")->values[0], "1");
    assert_string_equal(osd_inf_find(&inf, "s499999", "k")->values[0], "499999");
    osd_inf_clear(&inf);
    cim_buf_clear(&b);
}

static void test_utf16_and_utf8_byte_order_marks(void **state)
{
    (void)state;
    const char *ascii = "[Version]\r\nClass=Net\r\nProvider=\"M\xc3\xbcller\"\r\n";
    size_t n = strlen(ascii);
    /* The same text in UTF-16LE: ASCII plus one two-byte UTF-8 letter. */
    uint8_t utf16[256];
    size_t len = 0;
    utf16[len++] = 0xFF;
    utf16[len++] = 0xFE;
    for (size_t i = 0; i < n; i++) {
        if ((uint8_t)ascii[i] == 0xC3) {
            utf16[len++] = 0xFC; /* u with diaeresis */
            utf16[len++] = 0x00;
            i++;
            continue;
        }
        utf16[len++] = (uint8_t)ascii[i];
        utf16[len++] = 0;
    }
    osd_inf inf;
    assert_int_equal(osd_inf_parse(utf16, len, "u16.inf", &inf, NULL), SMSPROV_OK);
    assert_string_equal(osd_inf_find(&inf, "Version", "Provider")->values[0], "M\xc3\xbcller");
    osd_inf_clear(&inf);

    char with_bom[128] = "\xEF\xBB\xBF";
    strcat(with_bom, ascii);
    assert_int_equal(osd_inf_parse(with_bom, strlen(with_bom), "u8.inf", &inf, NULL),
                     SMSPROV_OK);
    assert_string_equal(osd_inf_find(&inf, "Version", "Class")->values[0], "Net");
    osd_inf_clear(&inf);
}

static void expect_syntax_error(const void *data, size_t size, const char *words)
{
    osd_inf inf;
    smsprov_error err = {0};
    assert_int_equal(osd_inf_parse(data, size, "bad.inf", &inf, &err),
                     SMSPROV_E_INVALID_PARAMETER);
    if (!strstr(err.description, words) || !strstr(err.description, "bad.inf"))
        fail_msg("\"%s\" does not say \"%s\"", err.description, words);
    smsprov_error_clear(&err);
    osd_inf_clear(&inf);
}

static void test_syntax_errors_name_the_line(void **state)
{
    (void)state;
    const char *unclosed = "[Version]\n[Models\nx=y\n";
    expect_syntax_error(unclosed, strlen(unclosed), "line 2: the section name is not closed");
    const char *quote = "[Version]\nClass=Net\nProvider=\"Contoso\n";
    expect_syntax_error(quote, strlen(quote), "line 3: a quoted string is not closed");
    const char *orphan = "Signature=x\n[Version]\n";
    expect_syntax_error(orphan, strlen(orphan), "line 1: it comes before the first [section]");
    const char *empty_name = "[ ]\n";
    expect_syntax_error(empty_name, strlen(empty_name), "line 1: the section name is empty");
    const char binary[] = "[Version]\nClass=\0Net\n";
    expect_syntax_error(binary, sizeof binary - 1, "NUL bytes");
    const uint8_t big_endian[] = {0xFE, 0xFF, 0, '[', 0, 'V', 0, ']'};
    expect_syntax_error(big_endian, sizeof big_endian, "big-endian");
    const uint8_t odd[] = {0xFF, 0xFE, '[', 0, 'V'};
    expect_syntax_error(odd, sizeof odd, "odd number of bytes");
    const uint8_t lone_surrogate[] = {0xFF, 0xFE, 0x00, 0xD8, '[', 0};
    expect_syntax_error(lone_surrogate, sizeof lone_surrogate, "UTF-16 text is malformed");
    const uint8_t utf16_nul[] = {0xFF, 0xFE, '[', 0, 0, 0, ']', 0};
    expect_syntax_error(utf16_nul, sizeof utf16_nul, "NUL characters");
}

/* ---- driver packages ----------------------------------------------------- */

FIXTURE_SCRATCH_GROUP(SCRATCH)

/* A valid package for x64 and x86: e1000.inf, its catalog, a driver in a
 * subfolder named through SourceDisksNames. */
static const char good_inf[] =
    "[Version]\r\n"
    "Signature   = \"$WINDOWS NT$\"\r\n"
    "Class       = Net\r\n"
    "ClassGUID   = {4d36e972-e325-11ce-bfc1-08002be10318}\r\n"
    "Provider    = %Contoso%\r\n"
    "CatalogFile = e1000.cat\r\n"
    "DriverVer   = 06/21/2023,12.19.2.45\r\n"
    "[SourceDisksNames]\r\n"
    "1 = %Disk%,,,\\bin\r\n"
    "[SourceDisksFiles]\r\n"
    "e1000.sys = 1\r\n"
    "[SourceDisksFiles.amd64]\r\n"
    "e1000x64.sys = 1,amd64\r\n"
    "[Manufacturer]\r\n"
    "%Contoso% = Contoso, NTamd64.10.0, NTx86\r\n"
    "[Contoso.NTamd64.10.0]\r\n"
    "%E1000.Desc% = E1000.ndi, PCI\\VEN_8086&DEV_100E\r\n"
    "[Contoso.NTx86]\r\n"
    "%E1000.Desc% = E1000.ndi, PCI\\VEN_8086&DEV_100E\r\n"
    "[Strings]\r\n"
    "Contoso = \"Contoso Networks\"\r\n"
    "Disk = \"Contoso disk\"\r\n"
    "E1000.Desc = \"Contoso Gigabit\"\r\n";

static char *make_package(const char *name, const char *inf_text)
{
    char *dir = malloc(512);
    snprintf(dir, 512, SCRATCH "/%s", name);
    char path[600];
    snprintf(path, sizeof path, "%s/E1000.INF", dir);
    fixture_write_text(path, inf_text);
    snprintf(path, sizeof path, "%s/e1000.cat", dir);
    fixture_write_text(path, "catalog");
    snprintf(path, sizeof path, "%s/Bin/e1000.sys", dir);
    fixture_write_text(path, "MZ driver");
    snprintf(path, sizeof path, "%s/Bin/AMD64/e1000x64.sys", dir);
    fixture_write_text(path, "MZ x64 driver");
    return dir;
}

static void test_valid_package_for_x64_and_x86(void **state)
{
    (void)state;
    char *dir = make_package("good", good_inf);
    char inf_path[600];
    snprintf(inf_path, sizeof inf_path, "%s/E1000.INF", dir);
    osd_driver_info info;
    smsprov_error err = {0};
    if (osd_driver_read(inf_path, "\\\\lab\\drivers\\good\\E1000.INF", OSD_ARCH_X64, &info,
                        &err) != SMSPROV_OK)
        fail_msg("%s", err.description);
    assert_string_equal(info.class_name, "Net");
    assert_string_equal(info.class_guid, "{4d36e972-e325-11ce-bfc1-08002be10318}");
    assert_string_equal(info.provider, "Contoso Networks");
    assert_string_equal(info.date, "06/21/2023");
    assert_string_equal(info.version, "12.19.2.45");
    assert_string_equal(info.catalog, "e1000.cat");
    assert_int_equal(strlen(info.hash), 16);
    /* The catalog, then the platform's files, then the common ones, each as
     * spelled on disk. */
    assert_int_equal(info.file_count, 3);
    assert_string_equal(info.files[0], "e1000.cat");
    assert_string_equal(info.files[1], "Bin/AMD64/e1000x64.sys");
    assert_string_equal(info.files[2], "Bin/e1000.sys");
    char *hash = strdup(info.hash);
    osd_driver_info_clear(&info);

    assert_int_equal(osd_driver_read(inf_path, NULL, OSD_ARCH_X86, &info, &err), SMSPROV_OK);
    assert_int_equal(info.file_count, 2);
    assert_string_equal(info.hash, hash); /* the hash is the INF's, not the platform's */
    osd_driver_info_clear(&info);
    free(hash);
    free(dir);
}

/* Writes good_inf with one replacement and expects the check to fail with
 * code and a sentence holding words (and the INF's shown name). */
static void expect_refusal(const char *case_name, const char *from, const char *to,
                           osd_arch arch, smsprov_code code, const char *words)
{
    char *text = malloc(sizeof good_inf + strlen(to) + 1);
    const char *at = from ? strstr(good_inf, from) : NULL;
    if (from && !at)
        fail_msg("%s: \"%s\" is not in the INF", case_name, from);
    if (at)
        sprintf(text, "%.*s%s%s", (int)(at - good_inf), good_inf, to, at + strlen(from));
    else
        strcpy(text, to);
    char *dir = make_package(case_name, text);
    free(text);
    char inf_path[600], shown[600];
    snprintf(inf_path, sizeof inf_path, "%s/E1000.INF", dir);
    snprintf(shown, sizeof shown, "\\\\lab\\drivers\\%s\\E1000.INF", case_name);
    osd_driver_info info;
    smsprov_error err = {0};
    smsprov_code rc = osd_driver_read(inf_path, shown, arch, &info, &err);
    if (rc != code)
        fail_msg("%s: code 0x%x, expected 0x%x (%s)", case_name, rc, code,
                 err.description ? err.description : "no error");
    if (!strstr(err.description, words) || !strstr(err.description, shown))
        fail_msg("%s: \"%s\" does not say \"%s\" and name the INF", case_name, err.description,
                 words);
    assert_null(info.hash);
    osd_driver_info_clear(&info);
    smsprov_error_clear(&err);
    free(dir);
}

/* A [Manufacturer] naming a hundred thousand models sections: each was
 * looked for among all the sections, which took longer than the test's
 * time limit; now the package is checked in linear time. */
static void test_many_models_sections_stay_linear(void **state)
{
    (void)state;
    enum { MODELS = 100000 };
    cim_buf b = {0};
    cim_buf_append(&b, good_inf);
    cim_buf_append(&b, "[Manufacturer]\r\n");
    for (unsigned i = 0; i < MODELS; i++)
        cim_buf_printf(&b, "Maker%u = Models%u, NTamd64\r\n", i, i);
    for (unsigned i = 0; i < MODELS; i++)
        cim_buf_printf(&b, "[Models%u.NTamd64]\r\nDev = Inst, PCI\\VEN_%04X\r\n", i, i);
    char *dir = make_package("many_models", b.data);
    char inf_path[600];
    snprintf(inf_path, sizeof inf_path, "%s/E1000.INF", dir);
    osd_driver_info info;
    smsprov_error err = {0};
    if (osd_driver_read(inf_path, NULL, OSD_ARCH_X64, &info, &err) != SMSPROV_OK)
        fail_msg("%s", err.description);
    assert_string_equal(info.class_name, "Net");
    osd_driver_info_clear(&info);
    free(dir);
    cim_buf_clear(&b);
}

static void test_version_section_errors(void **state)
{
    (void)state;
    expect_refusal("noversion", "[Version]", "[Versions]", OSD_ARCH_X64,
                   SMSPROV_E_INVALID_PARAMETER, "has no [Version] section");
    expect_refusal("nosig", "Signature   = \"$WINDOWS NT$\"\r\n", "", OSD_ARCH_X64,
                   SMSPROV_E_INVALID_PARAMETER, "[Version] section has no Signature");
    expect_refusal("badsig", "$WINDOWS NT$", "$Windows 3.1$", OSD_ARCH_X64,
                   SMSPROV_E_INVALID_PARAMETER, "Signature is \"$Windows 3.1$\"");
    expect_refusal("noclass", "Class       = Net\r\n", "", OSD_ARCH_X64,
                   SMSPROV_E_INVALID_PARAMETER, "has no Class");
    expect_refusal("emptyclass", "Class       = Net", "Class =", OSD_ARCH_X64,
                   SMSPROV_E_INVALID_PARAMETER, "has no Class");
    expect_refusal("noguid", "ClassGUID   = {4d36e972-e325-11ce-bfc1-08002be10318}\r\n", "",
                   OSD_ARCH_X64, SMSPROV_E_INVALID_PARAMETER, "has no ClassGUID");
    expect_refusal("badguid", "{4d36e972-e325-11ce-bfc1-08002be10318}",
                   "{4d36e972-e325-11ce-bfc1-08002be1031}", OSD_ARCH_X64,
                   SMSPROV_E_INVALID_PARAMETER, "is not a GUID");
    expect_refusal("noprovider", "Provider    = %Contoso%\r\n", "", OSD_ARCH_X64,
                   SMSPROV_E_INVALID_PARAMETER, "has no Provider");
    expect_refusal("undefined", "Provider    = %Contoso%", "Provider = %Fabrikam%",
                   OSD_ARCH_X64, SMSPROV_E_INVALID_PARAMETER,
                   "Provider on line 5 uses %Fabrikam%, which its [Strings] section does not "
                   "define");
    expect_refusal("emptyprovider", "Contoso = \"Contoso Networks\"", "Contoso = \"\"",
                   OSD_ARCH_X64, SMSPROV_E_INVALID_PARAMETER, "Provider on line 5 is empty");
}

static void test_models_and_architecture_errors(void **state)
{
    (void)state;
    expect_refusal("nomfg", "[Manufacturer]", "[Makers]", OSD_ARCH_X64,
                   SMSPROV_E_INVALID_PARAMETER, "has no [Manufacturer] section");
    expect_refusal("emptymfg", "%Contoso% = Contoso, NTamd64.10.0, NTx86\r\n", "", OSD_ARCH_X64,
                   SMSPROV_E_INVALID_PARAMETER, "[Manufacturer] section is empty");
    expect_refusal("nomodels", "%Contoso% = Contoso,", "%Contoso% = ,", OSD_ARCH_X64,
                   SMSPROV_E_INVALID_PARAMETER, "names no models section");
    expect_refusal("missingmodels", "[Contoso.NTamd64.10.0]", "[Contoso.NTamd64.6.3]",
                   OSD_ARCH_X64, SMSPROV_E_INVALID_PARAMETER,
                   "names the models section [Contoso.NTamd64.10.0], which the INF does not "
                   "have");
    expect_refusal("x86only", "NTamd64.10.0, NTx86", "NTx86", OSD_ARCH_X64,
                   SMSPROV_E_NOT_SUPPORTED, "no models decorated NTamd64, so it has no driver "
                                            "for a x64 image");
    expect_refusal("noarm", NULL, good_inf, OSD_ARCH_ARM64, SMSPROV_E_NOT_SUPPORTED,
                   "NTarm64");
    /* Undecorated models serve x86 only. */
    expect_refusal("undecorated", "%Contoso% = Contoso, NTamd64.10.0, NTx86",
                   "%Contoso% = Contoso.NTx86", OSD_ARCH_X64, SMSPROV_E_NOT_SUPPORTED,
                   "NTamd64");
}

static void test_undecorated_models_serve_x86(void **state)
{
    (void)state;
    char *text = strdup(good_inf);
    char *at = strstr(text, ", NTamd64.10.0, NTx86");
    memmove(at, at + strlen(", NTamd64.10.0, NTx86"),
            strlen(at + strlen(", NTamd64.10.0, NTx86")) + 1);
    at = strstr(text, "[Contoso.NTx86]");
    memcpy(at, "[Contoso]     ", 14); /* same length, the section renamed */
    at[14] = '\r';
    char *dir = make_package("undecorated-x86", text);
    free(text);
    char inf_path[600];
    snprintf(inf_path, sizeof inf_path, "%s/E1000.INF", dir);
    osd_driver_info info;
    smsprov_error err = {0};
    if (osd_driver_read(inf_path, NULL, OSD_ARCH_X86, &info, &err) != SMSPROV_OK)
        fail_msg("%s", err.description);
    osd_driver_info_clear(&info);
    assert_int_equal(osd_driver_read(inf_path, NULL, OSD_ARCH_X64, &info, &err),
                     SMSPROV_E_NOT_SUPPORTED);
    smsprov_error_clear(&err);
    osd_driver_info_clear(&info);
    free(dir);
}

static void test_file_errors(void **state)
{
    (void)state;
    expect_refusal("nocat", "CatalogFile = e1000.cat", "CatalogFile = other.cat", OSD_ARCH_X64,
                   SMSPROV_E_NOT_FOUND, "copies its catalog other.cat, which is missing");
    expect_refusal("nosys", "e1000x64.sys = 1,amd64", "e1000x65.sys = 1,amd64", OSD_ARCH_X64,
                   SMSPROV_E_NOT_FOUND, "bin\\amd64\\e1000x65.sys, which is missing");
    expect_refusal("nodisk", "e1000.sys = 1", "e1000.sys = 7", OSD_ARCH_X86,
                   SMSPROV_E_INVALID_PARAMETER,
                   "puts e1000.sys on disk 7, which [SourceDisksNames] does not define");
    expect_refusal("climb", "e1000.sys = 1", "e1000.sys = 1,..\\..", OSD_ARCH_X86,
                   SMSPROV_E_INVALID_PARAMETER, "is not a path inside its folder");
    expect_refusal("nofile", "e1000.sys = 1", "= 1", OSD_ARCH_X86, SMSPROV_E_INVALID_PARAMETER,
                   "names no file");
    /* A syntax error also names the INF. */
    expect_refusal("syntax", "[Strings]", "[Strings", OSD_ARCH_X64, SMSPROV_E_INVALID_PARAMETER,
                   "syntax error on line");
}

static void test_missing_and_unreadable_inf(void **state)
{
    (void)state;
    osd_driver_info info;
    smsprov_error err = {0};
    assert_int_equal(osd_driver_read(SCRATCH "/none/x.inf", "\\\\lab\\none\\x.inf", OSD_ARCH_X64,
                                     &info, &err),
                     SMSPROV_E_NOT_FOUND);
    assert_non_null(strstr(err.description, "\\\\lab\\none\\x.inf cannot be read"));
    smsprov_error_clear(&err);
    osd_driver_info_clear(&info);
    /* A folder is not an INF. */
    assert_int_not_equal(osd_driver_read(SCRATCH, NULL, OSD_ARCH_X64, &info, &err), SMSPROV_OK);
    assert_non_null(strstr(err.description, SCRATCH));
    smsprov_error_clear(&err);
    osd_driver_info_clear(&info);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sections_keys_fields_and_comments),
        cmocka_unit_test(test_continuation_lines_and_empty_values),
        cmocka_unit_test(test_many_sections_stay_linear),
        cmocka_unit_test(test_utf16_and_utf8_byte_order_marks),
        cmocka_unit_test(test_syntax_errors_name_the_line),
        cmocka_unit_test(test_valid_package_for_x64_and_x86),
        cmocka_unit_test(test_many_models_sections_stay_linear),
        cmocka_unit_test(test_version_section_errors),
        cmocka_unit_test(test_models_and_architecture_errors),
        cmocka_unit_test(test_undecorated_models_serve_x86),
        cmocka_unit_test(test_file_errors),
        cmocka_unit_test(test_missing_and_unreadable_inf),
    };
    return cmocka_run_group_tests(tests, make_scratch, remove_scratch);
}
