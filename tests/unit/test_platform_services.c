/* test_platform_services.c - the operating-system services of
 * src/platform as the POSIX build provides them: path rules, random bytes,
 * host facts, folders, files replaced whole, canonical paths through
 * symbolic links, scratch folders and tree removal that never follows a
 * link out of the tree; and the errors each gives (errno, like the calls
 * they stand for).  The Windows files keep the same contract. */
#include <errno.h>
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

#include "platform/platform.h"
#include "smsprov/cim.h"
#include "test_fixture.h"

#define SCRATCH SMSPROV_TEST_SCRATCH "/platform"

static char *scratch_path(const char *name)
{
    return cim_xasprintf(SCRATCH "/%s", name);
}

static int setup(void **state)
{
    (void)state;
    mkdir(SMSPROV_TEST_SCRATCH, 0755);
    if (platform_remove_tree(SCRATCH) != 0 && errno != ENOENT)
        return -1;
    return mkdir(SCRATCH, 0755);
}

static void test_path_rules(void **state)
{
    (void)state;
    assert_true(platform_is_separator('/'));
    assert_false(platform_is_separator('\\')); /* an ordinary file-name byte on POSIX */
    const char *path = "/srv/share/boot.wim";
    assert_ptr_equal(platform_last_separator(path), path + 10);
    assert_null(platform_last_separator("boot.wim"));
    assert_int_equal(platform_root_length("/srv"), 1);
    assert_int_equal(platform_root_length("srv/x"), 0);
    assert_true(platform_is_absolute("/srv"));
    assert_false(platform_is_absolute("srv/x"));
    assert_false(platform_is_absolute("C:\\x"));
}

static void test_random_bytes_differ(void **state)
{
    (void)state;
    unsigned char a[32] = {0}, b[32] = {0}, zero[32] = {0};
    platform_random_bytes(a, sizeof a);
    platform_random_bytes(b, sizeof b);
    assert_memory_not_equal(a, zero, sizeof a);
    assert_memory_not_equal(a, b, sizeof a);
    platform_random_bytes(a, 0); /* nothing asked, nothing written */
}

static void test_host_facts(void **state)
{
    (void)state;
    assert_true(platform_cpu_count() >= 1);
    char *name = platform_host_name();
    assert_non_null(name);
    assert_true(strlen(name) > 0);
    free(name);
}

static void test_mkdir_and_exists(void **state)
{
    (void)state;
    char *dir = scratch_path("made");
    assert_int_equal(platform_mkdir(dir, 0700), 0);
    struct stat st;
    assert_int_equal(stat(dir, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0700);
    assert_int_equal(platform_mkdir(dir, 0700), -1);
    assert_int_equal(errno, EEXIST);
    char *orphan = scratch_path("missing/child");
    assert_int_equal(platform_mkdir(orphan, 0755), -1);
    assert_int_equal(errno, ENOENT);

    /* A link to nothing still exists as a link. */
    char *dangling = scratch_path("dangling");
    assert_int_equal(symlink(SCRATCH "/nowhere", dangling), 0);
    assert_true(platform_exists_nofollow(dangling));
    assert_true(platform_exists_nofollow(dir));
    assert_false(platform_exists_nofollow(orphan));
    free(dir);
    free(orphan);
    free(dangling);
}

static void test_create_and_replace_file(void **state)
{
    (void)state;
    char *draft = scratch_path("draft");
    char *target = scratch_path("target");
    fixture_write_text(target, "old");
    int fd = platform_create_file(draft);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "new\n", 4), 4);
    assert_int_equal(close(fd), 0);
    assert_int_equal(platform_replace_file(draft, target), 0);
    char *text = fixture_slurp_optional(target, NULL);
    assert_string_equal(text, "new\n");
    assert_false(platform_exists_nofollow(draft));
    free(text);

    /* Creating truncates; a missing folder or source is an errno. */
    fd = platform_create_file(target);
    assert_true(fd >= 0);
    close(fd);
    text = fixture_slurp_optional(target, NULL);
    assert_string_equal(text, "");
    free(text);
    char *nowhere = scratch_path("no/such/file");
    assert_int_equal(platform_create_file(nowhere), -1);
    assert_int_equal(errno, ENOENT);
    assert_int_equal(platform_replace_file(draft, target), -1);
    assert_int_equal(errno, ENOENT);
    free(draft);
    free(target);
    free(nowhere);
}

static void test_real_path_resolves_links(void **state)
{
    (void)state;
    char *real_dir = platform_real_path(SCRATCH);
    assert_non_null(real_dir);
    assert_true(platform_is_absolute(real_dir));
    char *inside = scratch_path("inside");
    char *link = scratch_path("link");
    assert_int_equal(mkdir(inside, 0755), 0);
    assert_int_equal(symlink(inside, link), 0);
    char *via_link = scratch_path("link/../link");
    char *resolved = platform_real_path(via_link);
    char *expected = cim_xasprintf("%s/inside", real_dir);
    assert_non_null(resolved);
    assert_string_equal(resolved, expected);
    char *missing = scratch_path("not-there");
    assert_null(platform_real_path(missing));
    assert_int_equal(errno, ENOENT);
    free(real_dir);
    free(inside);
    free(link);
    free(via_link);
    free(resolved);
    free(expected);
    free(missing);
}

static void test_temp_dir(void **state)
{
    (void)state;
    char *first = scratch_path("tmp-XXXXXX");
    char *second = scratch_path("tmp-XXXXXX");
    assert_ptr_equal(platform_make_temp_dir(first), first);
    assert_ptr_equal(platform_make_temp_dir(second), second);
    assert_string_not_equal(first, second);
    assert_null(strstr(first, "XXXXXX"));
    struct stat st;
    assert_int_equal(stat(first, &st), 0);
    assert_true(S_ISDIR(st.st_mode));
    char *bad = scratch_path("no-template");
    assert_null(platform_make_temp_dir(bad));
    assert_int_equal(errno, EINVAL);
    free(first);
    free(second);
    free(bad);
}

static void test_remove_tree_keeps_link_targets(void **state)
{
    (void)state;
    char *keep = scratch_path("keep");
    char *kept_file = scratch_path("keep/precious");
    char *tree = scratch_path("tree");
    char *middle = scratch_path("tree/a");
    char *deep = scratch_path("tree/a/b");
    char *file = scratch_path("tree/a/b/file");
    char *link = scratch_path("tree/a/to-keep");
    assert_int_equal(mkdir(keep, 0755), 0);
    fixture_write_text(kept_file, "stay");
    assert_int_equal(mkdir(tree, 0755), 0);
    assert_int_equal(mkdir(middle, 0755), 0);
    assert_int_equal(mkdir(deep, 0755), 0);
    fixture_write_text(file, "go");
    assert_int_equal(symlink(keep, link), 0);

    assert_int_equal(platform_remove_tree(tree), 0);
    assert_false(platform_exists_nofollow(tree));
    char *text = fixture_slurp_optional(kept_file, NULL);
    assert_string_equal(text, "stay"); /* the link went, not what it led to */
    free(text);

    /* A missing tree is an errno, which osd_fs_remove_tree checks first. */
    assert_int_equal(platform_remove_tree(tree), -1);
    assert_int_equal(errno, ENOENT);
    free(keep);
    free(kept_file);
    free(tree);
    free(middle);
    free(deep);
    free(file);
    free(link);
}

/* File facts with and without following a link: identity (device, inode),
 * size, times and type, as the servicing code compares them. */
static void test_file_info(void **state)
{
    (void)state;
    char *file = scratch_path("facts");
    char *link = scratch_path("facts-link");
    fixture_write_text(file, "twelve bytes");
    assert_int_equal(symlink(file, link), 0);
    platform_file_info a, b, l;
    assert_int_equal(platform_file_info_get(file, &a), 0);
    assert_int_equal(a.size, 12);
    assert_true(a.is_regular);
    assert_false(a.is_dir);
    assert_false(a.is_link);
    struct stat st;
    assert_int_equal(stat(file, &st), 0);
    assert_int_equal(a.inode, (uint64_t)st.st_ino);
    assert_int_equal(a.mtime_sec, (int64_t)st.st_mtim.tv_sec);
    assert_int_equal(a.mtime_nsec, st.st_mtim.tv_nsec);
    assert_int_equal(platform_file_info_get(link, &b), 0); /* followed */
    assert_int_equal(b.inode, a.inode);
    assert_int_equal(b.device, a.device);
    assert_int_equal(platform_file_info_nofollow(link, &l), 0);
    assert_true(l.is_link);
    assert_false(l.is_regular);
    assert_int_not_equal(l.inode, a.inode);
    platform_file_info d;
    assert_int_equal(platform_file_info_get(SCRATCH, &d), 0);
    assert_true(d.is_dir);
    assert_int_equal(platform_file_info_get(SCRATCH "/absent", &d), -1);
    assert_int_equal(errno, ENOENT);

    bool is_dir = true;
    assert_int_equal(platform_probe_readable(file, &is_dir), 0);
    assert_false(is_dir);
    assert_int_equal(platform_probe_readable(SCRATCH, &is_dir), 0);
    assert_true(is_dir);
    assert_int_equal(platform_probe_readable(SCRATCH "/absent", &is_dir), -1);
    assert_int_equal(errno, ENOENT);
    free(file);
    free(link);
}

/* The facts callers that only ask what a path is use: the same type, size
 * and mtime as the full ones; without following, a link is a link. */
static void test_file_kind(void **state)
{
    (void)state;
    char *file = scratch_path("kind");
    char *link = scratch_path("kind-link");
    fixture_write_text(file, "twelve bytes");
    assert_int_equal(symlink(file, link), 0);
    platform_file_info full, k, l, d;
    assert_int_equal(platform_file_info_get(file, &full), 0);
    assert_int_equal(platform_file_kind(link, &k), 0); /* followed */
    assert_int_equal(k.size, 12);
    assert_true(k.is_regular);
    assert_false(k.is_dir);
    assert_int_equal(k.mtime_sec, full.mtime_sec);
    assert_int_equal(k.mtime_nsec, full.mtime_nsec);
    assert_int_equal(platform_file_kind_nofollow(link, &l), 0);
    assert_true(l.is_link);
    assert_false(l.is_regular);
    assert_false(l.is_dir);
    assert_int_equal(platform_file_kind(SCRATCH, &d), 0);
    assert_true(d.is_dir);
    assert_int_equal(platform_file_kind(SCRATCH "/absent", &d), -1);
    assert_int_equal(errno, ENOENT);
    assert_int_equal(platform_file_kind_nofollow(SCRATCH "/absent", &d), -1);
    assert_int_equal(errno, ENOENT);
    free(file);
    free(link);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void test_list_dir(void **state)
{
    (void)state;
    char *dir = scratch_path("listing");
    char *one = scratch_path("listing/one"), *two = scratch_path("listing/tw\xc3\xb6");
    assert_int_equal(platform_mkdir(dir, 0755), 0);
    fixture_write_text(one, "1");
    assert_int_equal(platform_mkdir(two, 0755), 0);
    char **names = NULL;
    assert_int_equal(platform_list_dir(dir, &names), 0);
    size_t n = 0;
    while (names[n])
        n++;
    assert_int_equal(n, 2); /* no "." or ".." */
    qsort(names, n, sizeof *names, by_name);
    assert_string_equal(names[0], "one");
    assert_string_equal(names[1], "tw\xc3\xb6"); /* UTF-8 as it is */
    platform_list_free(names);
    assert_int_equal(platform_list_dir(one, &names), -1);
    assert_int_equal(errno, ENOTDIR);
    assert_null(names);
    assert_int_equal(platform_list_dir(SCRATCH "/absent", &names), -1);
    assert_int_equal(errno, ENOENT);

    assert_int_equal(platform_unlink(one), 0);
    assert_false(platform_exists_nofollow(one));
    assert_int_equal(platform_unlink(one), -1);
    assert_int_equal(errno, ENOENT);
    assert_int_equal(platform_sync_dir(dir), 0);
    assert_int_equal(platform_sync_dir(one), -1);
    uint64_t available = 0;
    assert_int_equal(platform_free_bytes(dir, &available), 0);
    assert_true(available > 0);
    free(dir);
    free(one);
    free(two);
}

/* Reads at an offset leave the descriptor's position alone. */
static void test_read_at(void **state)
{
    (void)state;
    char *file = scratch_path("offsets");
    fixture_write_text(file, "0123456789");
    int fd = platform_open_read(file);
    assert_true(fd >= 0);
    char buf[8] = {0};
    assert_int_equal(platform_read_at(fd, buf, 3, 4), 3);
    assert_memory_equal(buf, "456", 3);
    assert_int_equal(platform_read_at(fd, buf, 8, 8), 2); /* short at the end */
    assert_memory_equal(buf, "89", 2);
    assert_int_equal(platform_read_at(fd, buf, 8, 10), 0);
    assert_int_equal(read(fd, buf, 2), 2); /* still at the start */
    assert_memory_equal(buf, "01", 2);
    close(fd);
    assert_int_equal(platform_open_read(SCRATCH "/absent"), -1);
    assert_int_equal(errno, ENOENT);
    FILE *f = platform_fopen(file, "rb");
    assert_non_null(f);
    assert_int_equal(fgetc(f), '0');
    fclose(f);
    free(file);
}

/* FIPS 180-2's test vectors. */
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
        cmocka_unit_test(test_path_rules),
        cmocka_unit_test(test_random_bytes_differ),
        cmocka_unit_test(test_host_facts),
        cmocka_unit_test_setup(test_mkdir_and_exists, setup),
        cmocka_unit_test_setup(test_create_and_replace_file, setup),
        cmocka_unit_test_setup(test_real_path_resolves_links, setup),
        cmocka_unit_test_setup(test_temp_dir, setup),
        cmocka_unit_test_setup(test_remove_tree_keeps_link_targets, setup),
        cmocka_unit_test_setup(test_file_info, setup),
        cmocka_unit_test_setup(test_file_kind, setup),
        cmocka_unit_test_setup(test_list_dir, setup),
        cmocka_unit_test_setup(test_read_at, setup),
        cmocka_unit_test(test_sha256),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
