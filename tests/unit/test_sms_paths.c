/* test_sms_paths.c - client Windows paths mapped through the site's
 * shares: prefixes and components compared ignoring case, the longest
 * share winning, local folders back to UNC paths, and every refusal (empty
 * path, outside every share, "..", ':' and control characters, a symbolic
 * link out of the share at any depth or to nothing), each a sentence
 * naming the path as the client wrote it; paths to write (a link in the
 * folders on the way out of the share is refused even when the file does
 * not exist yet; a last link leading inside is written through); and
 * sentences scrubbed of the server's local share folders. */
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
    /* Links deeper down, through another link, as the last component, to
     * nothing, and one leading inside as the last component. */
    assert_int_equal(symlink(SCRATCH "/secret", SCRATCH "/sources/Boot/deeper"), 0);
    assert_int_equal(symlink(SCRATCH "/sources/escape", SCRATCH "/sources/hop"), 0);
    assert_int_equal(symlink(SCRATCH "/secret/key.wim", SCRATCH "/sources/key.wim"), 0);
    assert_int_equal(symlink(SCRATCH "/secret/none", SCRATCH "/sources/dangling"), 0);
    assert_int_equal(symlink("Boot/x64/boot.wim", SCRATCH "/sources/current.wim"), 0);
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
    if (strstr(err.description, SCRATCH))
        fail_msg("\"%s\" shows the server's folder", err.description);
    smsprov_error_clear(&err);
}

static void expect_write_refused(const char *windows, const char *sentence_part)
{
    char *out = (char *)"untouched";
    smsprov_error err = {0};
    assert_int_equal(sms_path_resolve(&site, windows, "ExportImagePath", SMS_PATH_WRITE, &out,
                                      NULL, &err),
                     SMSPROV_E_INVALID_PARAMETER);
    assert_null(out);
    assert_string_equal(err.parameter_info, "ExportImagePath");
    if (!strstr(err.description, sentence_part) || !strstr(err.description, windows))
        fail_msg("\"%s\" does not say \"%s\" about %s", err.description, sentence_part,
                 windows);
    if (strstr(err.description, SCRATCH))
        fail_msg("\"%s\" shows the server's folder", err.description);
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

static void test_links_out_are_refused_at_any_depth(void **state)
{
    (void)state;
    /* The file behind the link need not exist for the path to leave. */
    expect_refused("\\\\lab\\sources\\escape\\missing.wim",
                   "leads out of its share through the symbolic link \\\\lab\\sources\\escape;");
    expect_refused("\\\\lab\\sources\\Boot\\deeper\\key.wim",
                   "through the symbolic link \\\\lab\\sources\\Boot\\deeper;");
    expect_refused("\\\\lab\\sources\\hop\\key.wim", "symbolic link \\\\lab\\sources\\hop;");
    expect_refused("\\\\lab\\sources\\key.wim", "symbolic link \\\\lab\\sources\\key.wim;");
    expect_refused("\\\\lab\\sources\\dangling", "leads to nothing that exists");
    expect_refused("\\\\lab\\sources\\dangling\\x.wim", "leads to nothing that exists");
    /* A link that stays inside is followed. */
    expect_local("\\\\lab\\sources\\current.wim", SCRATCH "/sources/current.wim");
}

static void test_paths_to_write(void **state)
{
    (void)state;
    expect_write_refused("\\\\lab\\sources\\escape\\new.wim", "leads out of its share");
    expect_write_refused("\\\\lab\\sources\\escape\\sub\\new.wim", "leads out of its share");
    expect_write_refused("\\\\lab\\sources\\Boot\\deeper\\new.wim", "leads out of its share");
    expect_write_refused("\\\\lab\\sources\\key.wim", "leads out of its share");
    expect_write_refused("\\\\lab\\sources\\dangling", "leads to nothing that exists");
    char *out = NULL, *root = NULL;
    smsprov_error err = {0};
    /* A last link leading inside: the write replaces what it names. */
    assert_int_equal(sms_path_resolve(&site, "\\\\lab\\sources\\current.wim", "ExportImagePath",
                                      SMS_PATH_WRITE, &out, &root, &err),
                     SMSPROV_OK);
    char *real = realpath(SCRATCH "/sources/Boot/x64/boot.wim", NULL);
    assert_string_equal(out, real);
    assert_string_equal(root, SCRATCH "/sources");
    free(real);
    free(out);
    free(root);
    assert_int_equal(sms_path_resolve(&site, "\\\\lab\\sources\\Boot\\New\\x.wim",
                                      "ExportImagePath", SMS_PATH_WRITE, &out, NULL, &err),
                     SMSPROV_OK);
    assert_string_equal(out, SCRATCH "/sources/Boot/New/x.wim");
    free(out);
}

static void expect_scrubbed(const char *text, const char *expected)
{
    char *clean = sms_path_scrub(&site, text);
    assert_string_equal(clean, expected);
    free(clean);
}

static void test_sentences_show_client_paths(void **state)
{
    (void)state;
    expect_scrubbed("The WIM file " SCRATCH "/sources/Boot/x64/boot.wim cannot be opened: gone.",
                    "The WIM file \\\\lab\\sources\\Boot\\x64\\boot.wim cannot be opened: gone.");
    expect_scrubbed("Renaming " SCRATCH "/cdrive/.b.wim.partial to " SCRATCH "/cdrive/b.wim failed",
                    "Renaming C:\\WinPE\\.b.wim.partial to C:\\WinPE\\b.wim failed");
    expect_scrubbed(SCRATCH "/deep/My Drivers/x.inf does not exist.",
                    "\\\\LAB\\Sources\\Deep\\My Drivers\\x.inf does not exist.");
    expect_scrubbed("Reading image 1 of " SCRATCH "/sources", "Reading image 1 of \\\\lab\\sources");
    expect_scrubbed("(" SCRATCH "/sources/a.wim), next", "(\\\\lab\\sources\\a.wim), next");
    /* Not a share: left as it is. */
    expect_scrubbed("see " SCRATCH "/sourcesX/a.wim and /opt/adk/x",
                    "see " SCRATCH "/sourcesX/a.wim and /opt/adk/x");
    expect_scrubbed("", "");
    assert_null(sms_path_scrub(&site, NULL));
    smsprov_error err = {0};
    smsprov_error_set(&err, SMSPROV_E_FAILED, "%s is not a WIM.", SCRATCH "/sources/x.bin");
    sms_path_scrub_error(&site, &err);
    assert_string_equal(err.description, "\\\\lab\\sources\\x.bin is not a WIM.");
    smsprov_error_clear(&err);
}

/* A job's scrubber answers each progress step the way sms_path_scrub
 * does, and keeps one answer while the text stays the same. */
static void test_progress_texts_scrub_once_per_text(void **state)
{
    (void)state;
    sms_path_scrubber s = {.site = &site};
    const char *text = "Writing " SCRATCH "/sources/content/boot.LAB00001.wim";
    const char *first = sms_path_scrub_again(&s, text);
    assert_string_equal(first, "Writing \\\\lab\\sources\\content\\boot.LAB00001.wim");
    char *copy = cim_xstrdup(text); /* the same text in another buffer */
    assert_ptr_equal(sms_path_scrub_again(&s, copy), first);
    free(copy);
    const char *next = sms_path_scrub_again(&s, "Verifying " SCRATCH "/deep/b.wim");
    assert_string_equal(next, "Verifying \\\\LAB\\Sources\\Deep\\b.wim");
    assert_null(sms_path_scrub_again(&s, NULL));
    assert_string_equal(sms_path_scrub_again(&s, "plain"), "plain");
    sms_path_scrubber_clear(&s);
    assert_null(s.text);
    assert_null(s.clean);
    sms_path_scrubber_clear(&s); /* twice is fine */
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
        cmocka_unit_test(test_links_out_are_refused_at_any_depth),
        cmocka_unit_test(test_paths_to_write),
        cmocka_unit_test(test_sentences_show_client_paths),
        cmocka_unit_test(test_progress_texts_scrub_once_per_text),
    };
    return cmocka_run_group_tests(tests, make_tree, remove_tree);
}
