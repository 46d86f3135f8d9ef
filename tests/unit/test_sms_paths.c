/* test_sms_paths.c - client Windows paths mapped through the site's
 * shares: prefixes and components compared ignoring case, the longest
 * share winning, local folders back to UNC paths, and every refusal (empty
 * path, outside every share, "..", ':' and control characters, a symbolic
 * link out of the share), each a sentence naming the path. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "osd/fs.h"
#include "sms/paths.h"

#define SCRATCH SMSPROV_TEST_SCRATCH "/sms_paths"

static smsprov_share shares[] = {
    {"\\\\lab\\sources", SCRATCH "/sources"},
    {"\\\\LAB\\Sources\\Deep\\", SCRATCH "/deep"},
    {"C:\\WinPE", SCRATCH "/cdrive"},
};

static smsprov_site site = {.site_code = "LAB", .shares = shares, .share_count = 3};

static int make_tree(void **state)
{
    (void)state;
    osd_fs_remove_tree(SCRATCH, NULL);
    smsprov_error err = {0};
    assert_int_equal(osd_fs_make_dirs(SCRATCH "/sources/Boot/x64", &err), SMSPROV_OK);
    assert_int_equal(osd_fs_make_dirs(SCRATCH "/deep", &err), SMSPROV_OK);
    assert_int_equal(osd_fs_make_dirs(SCRATCH "/cdrive", &err), SMSPROV_OK);
    assert_int_equal(osd_fs_make_dirs(SCRATCH "/secret", &err), SMSPROV_OK);
    assert_int_equal(osd_fs_write_file(SCRATCH "/sources/Boot/x64/boot.wim", "w", 1, &err),
                     SMSPROV_OK);
    assert_int_equal(osd_fs_write_file(SCRATCH "/secret/key.wim", "k", 1, &err), SMSPROV_OK);
    assert_int_equal(symlink(SCRATCH "/secret", SCRATCH "/sources/escape"), 0);
    assert_int_equal(symlink(SCRATCH "/sources/Boot", SCRATCH "/sources/inside"), 0);
    return 0;
}

static int remove_tree(void **state)
{
    (void)state;
    osd_fs_remove_tree(SCRATCH, NULL);
    return 0;
}

static void expect_local(const char *windows, const char *local)
{
    char *out = NULL;
    smsprov_error err = {0};
    smsprov_code rc = sms_path_to_local(&site, windows, "ImagePath", &out, &err);
    if (rc != SMSPROV_OK)
        fail_msg("%s was refused: %s", windows, err.description);
    assert_string_equal(out, local);
    free(out);
}

static void expect_refused(const char *windows, const char *sentence_part)
{
    char *out = (char *)"untouched";
    smsprov_error err = {0};
    assert_int_equal(sms_path_to_local(&site, windows, "SourceImagePath", &out, &err),
                     SMSPROV_E_INVALID_PARAMETER);
    assert_null(out);
    assert_string_equal(err.parameter_info, "SourceImagePath");
    if (!strstr(err.description, sentence_part))
        fail_msg("\"%s\" does not say \"%s\"", err.description, sentence_part);
    if (windows && *windows && !strstr(err.description, windows))
        fail_msg("\"%s\" does not name %s", err.description, windows);
    smsprov_error_clear(&err);
}

static void test_unc_paths_map_ignoring_case(void **state)
{
    (void)state;
    expect_local("\\\\lab\\sources\\Boot\\x64\\boot.wim", SCRATCH "/sources/Boot/x64/boot.wim");
    expect_local("\\\\LAB\\SOURCES\\boot\\X64\\BOOT.WIM", SCRATCH "/sources/Boot/x64/boot.wim");
    expect_local("//lab/sources/boot/x64/boot.wim", SCRATCH "/sources/Boot/x64/boot.wim");
    expect_local("\\\\lab\\sources\\\\Boot\\.\\x64\\boot.wim",
                 SCRATCH "/sources/Boot/x64/boot.wim");
    /* What does not exist yet keeps its spelling. */
    expect_local("\\\\lab\\sources\\Boot\\New\\Boot.WIM", SCRATCH "/sources/Boot/New/Boot.WIM");
    expect_local("\\\\lab\\sources", SCRATCH "/sources");
    expect_local("\\\\lab\\sources\\", SCRATCH "/sources");
}

static void test_longest_share_and_drive_paths(void **state)
{
    (void)state;
    expect_local("\\\\lab\\sources\\deep\\x.wim", SCRATCH "/deep/x.wim");
    expect_local("c:\\winpe\\boot.wim", SCRATCH "/cdrive/boot.wim");
    expect_local("\\\\lab\\sources\\inside\\x64\\boot.wim", SCRATCH "/sources/inside/x64/boot.wim");
}

static void test_paths_outside_every_share_are_refused(void **state)
{
    (void)state;
    expect_refused("\\\\other\\share\\boot.wim", "outside every share");
    expect_refused("\\\\lab\\sourcesX\\boot.wim", "outside every share");
    expect_refused("\\\\lab", "outside every share");
    expect_refused("/etc/passwd", "outside every share");
    expect_refused("D:\\winpe\\boot.wim", "\\\\lab\\sources");
    expect_refused("", "is empty");
    expect_refused(NULL, "is empty");
    smsprov_site bare = {.site_code = "LAB"};
    char *out = NULL;
    smsprov_error err = {0};
    assert_int_equal(sms_path_to_local(&bare, "\\\\lab\\sources\\boot.wim", "ImagePath", &out,
                                       &err),
                     SMSPROV_E_INVALID_PARAMETER);
    assert_non_null(strstr(err.description, "maps no shares"));
    assert_non_null(strstr(err.description, "--share"));
    smsprov_error_clear(&err);
}

static void test_escapes_and_bad_names_are_refused(void **state)
{
    (void)state;
    expect_refused("\\\\lab\\sources\\..\\secret\\key.wim", "\"..\"");
    expect_refused("\\\\lab\\sources\\Boot\\..\\..\\secret\\key.wim", "\"..\"");
    expect_refused("\\\\lab\\sources\\boot.wim:stream", "':'");
    expect_refused("\\\\lab\\sources\\bo\tot.wim", "control character");
    expect_refused("\\\\lab\\sources\\escape\\key.wim", "symbolic link");
}

static void test_local_paths_back_to_client_form(void **state)
{
    (void)state;
    char *p = sms_path_for_client(&site, SCRATCH "/sources/content/boot.LAB00001.wim");
    assert_string_equal(p, "\\\\lab\\sources\\content\\boot.LAB00001.wim");
    free(p);
    p = sms_path_for_client(&site, SCRATCH "/deep/boot.wim");
    assert_string_equal(p, "\\\\LAB\\Sources\\Deep\\boot.wim");
    free(p);
    p = sms_path_for_client(&site, SCRATCH "/sourcesX/boot.wim");
    assert_string_equal(p, SCRATCH "/sourcesX/boot.wim");
    free(p);
    p = sms_path_for_client(&site, "/srv/content/boot.LAB00001.wim");
    assert_string_equal(p, "/srv/content/boot.LAB00001.wim");
    free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unc_paths_map_ignoring_case),
        cmocka_unit_test(test_longest_share_and_drive_paths),
        cmocka_unit_test(test_paths_outside_every_share_are_refused),
        cmocka_unit_test(test_escapes_and_bad_names_are_refused),
        cmocka_unit_test(test_local_paths_back_to_client_form),
    };
    return cmocka_run_group_tests(tests, make_tree, remove_tree);
}
