/* test_platform_files.c - the Windows side of src/platform that servicing
 * uses (files_windows.c, hash_windows.c), under Wine: file facts with and
 * without following, folder listings with a UTF-8 name, reads at an offset,
 * free space, unlink, fopen and SHA-256 through CNG.  The POSIX side keeps
 * the same contract (tests/unit/test_platform_services.c). */
#include <windows.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "harness.h"
#include "platform/platform.h"

static char *scratch;

static char *in_scratch(const char *name)
{
    return cim_xasprintf("%s\\%s", scratch, name);
}

static void write_text(const char *path, const char *text)
{
    FILE *f = platform_fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static int setup(void **state)
{
    (void)state;
    char *root = harness_windows_path(harness_required_env("SMSPROV_WINDOWS_SCRATCH"));
    scratch = cim_xasprintf("%s\\platform-files", root);
    free(root);
    platform_remove_tree(scratch);
    return platform_mkdir(scratch, 0755);
}

static int teardown(void **state)
{
    (void)state;
    platform_remove_tree(scratch);
    free(scratch);
    return 0;
}

static void test_file_info(void **state)
{
    (void)state;
    char *file = in_scratch("facts"), *other = in_scratch("other");
    write_text(file, "twelve bytes");
    write_text(other, "x");
    platform_file_info a, again, b, d;
    assert_int_equal(platform_file_info_get(file, &a), 0);
    assert_int_equal(a.size, 12);
    assert_true(a.is_regular);
    assert_false(a.is_dir);
    assert_false(a.is_link);
    assert_true(a.mtime_sec > 1500000000); /* seconds since 1970, not 1601 */
    assert_true(a.mtime_nsec >= 0 && a.mtime_nsec < 1000000000);
    assert_int_equal(platform_file_info_nofollow(file, &again), 0);
    assert_int_equal(again.inode, a.inode);
    assert_int_equal(again.device, a.device);
    /* Another file has another identity on the same volume. */
    assert_int_equal(platform_file_info_get(other, &b), 0);
    assert_int_equal(b.device, a.device);
    assert_int_not_equal(b.inode, a.inode);
    assert_int_equal(platform_file_info_get(scratch, &d), 0);
    assert_true(d.is_dir);
    char *absent = in_scratch("absent");
    assert_int_equal(platform_file_info_get(absent, &d), -1);
    assert_int_equal(errno, ENOENT);
    bool is_dir = true;
    assert_int_equal(platform_probe_readable(file, &is_dir), 0);
    assert_false(is_dir);
    assert_int_equal(platform_probe_readable(scratch, &is_dir), 0);
    assert_true(is_dir);
    assert_int_equal(platform_probe_readable(absent, &is_dir), -1);
    assert_int_equal(errno, ENOENT);
    free(absent);
    free(file);
    free(other);
}

/* The cheap facts (one attribute query) agree with the full ones on type,
 * size and mtime, with and without following. */
static void test_file_kind(void **state)
{
    (void)state;
    char *file = in_scratch("kind");
    write_text(file, "twelve bytes");
    platform_file_info full, kind, d;
    assert_int_equal(platform_file_info_get(file, &full), 0);
    assert_int_equal(platform_file_kind(file, &kind), 0);
    assert_int_equal(kind.size, 12);
    assert_true(kind.is_regular);
    assert_false(kind.is_dir);
    assert_false(kind.is_link);
    assert_int_equal(kind.mtime_sec, full.mtime_sec);
    assert_int_equal(kind.mtime_nsec, full.mtime_nsec);
    assert_int_equal(platform_file_kind_nofollow(file, &kind), 0);
    assert_int_equal(kind.size, 12);
    assert_true(kind.is_regular);
    assert_int_equal(platform_file_kind(scratch, &d), 0);
    assert_true(d.is_dir);
    assert_false(d.is_regular);
    assert_int_equal(platform_file_kind_nofollow(scratch, &d), 0);
    assert_true(d.is_dir);
    char *absent = in_scratch("absent");
    assert_int_equal(platform_file_kind(absent, &d), -1);
    assert_int_equal(errno, ENOENT);
    assert_int_equal(platform_file_kind_nofollow(absent, &d), -1);
    assert_int_equal(errno, ENOENT);
    free(absent);
    free(file);
}

static void test_list_dir_and_unlink(void **state)
{
    (void)state;
    char *dir = in_scratch("listing");
    char *one = in_scratch("listing\\one"), *two = in_scratch("listing\\tw\xc3\xb6");
    assert_int_equal(platform_mkdir(dir, 0755), 0);
    write_text(one, "1");
    write_text(two, "2");
    char **names = NULL;
    assert_int_equal(platform_list_dir(dir, &names), 0);
    size_t n = 0;
    bool saw_one = false, saw_two = false;
    for (; names[n]; n++) {
        saw_one = saw_one || strcmp(names[n], "one") == 0;
        saw_two = saw_two || strcmp(names[n], "tw\xc3\xb6") == 0; /* UTF-8 back */
    }
    assert_int_equal(n, 2);
    assert_true(saw_one && saw_two);
    platform_list_free(names);
    char *absent = in_scratch("absent");
    assert_int_equal(platform_list_dir(absent, &names), -1);
    assert_int_equal(errno, ENOENT);
    assert_int_equal(platform_unlink(two), 0);
    assert_false(platform_exists_nofollow(two));
    assert_int_equal(platform_unlink(two), -1);
    assert_int_equal(errno, ENOENT);
    assert_int_equal(platform_sync_dir(dir), 0);
    uint64_t available = 0;
    assert_int_equal(platform_free_bytes(dir, &available), 0);
    assert_true(available > 0);
    free(absent);
    free(dir);
    free(one);
    free(two);
}

static void test_read_at(void **state)
{
    (void)state;
    char *file = in_scratch("offsets");
    write_text(file, "0123456789");
    int fd = platform_open_read(file);
    assert_true(fd >= 0);
    char buf[8] = {0};
    assert_int_equal(platform_read_at(fd, buf, 3, 4), 3);
    assert_memory_equal(buf, "456", 3);
    assert_int_equal(platform_read_at(fd, buf, 8, 8), 2);
    assert_memory_equal(buf, "89", 2);
    assert_int_equal(platform_read_at(fd, buf, 8, 10), 0);
    close(fd);
    free(file);
}

static void test_sha256(void **state)
{
    (void)state;
    char hex[65];
    platform_sha256_hex("abc", 3, hex);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    platform_sha256_hex("", 0, hex);
    assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_file_info),
        cmocka_unit_test(test_file_kind),
        cmocka_unit_test(test_list_dir_and_unlink),
        cmocka_unit_test(test_read_at),
        cmocka_unit_test(test_sha256),
    };
    return cmocka_run_group_tests_name("windows.test_platform_files", tests, setup, teardown);
}
