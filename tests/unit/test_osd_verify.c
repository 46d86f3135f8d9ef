/* test_osd_verify.c - nothing an injection publishes fails verification:
 * a source with a damaged compressed chunk is refused (1392) and nothing
 * is published; a verified source is not verified again until its file
 * changes; data damaged on its way to disk is caught (23); a solid LZMS
 * source (an ESD) is published as LZX; and every WIM published here passes
 * wimlib_verify_wim. */
#include <dirent.h>
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

#include "osd/fs.h"
#include "osd/inject.h"
#include "osd/synthetic.h"
#include "osd/wim.h"

#define SCRATCH SMSPROV_TEST_SCRATCH "/osd_verify"
#define ADK SCRATCH "/adk"
#define CM SCRATCH "/configmgr"
#define GOOD SCRATCH "/good.wim"
#define OUT SCRATCH "/out"
#define TARGET OUT "/boot.VER00001.wim"

static void check(smsprov_code rc, smsprov_error *err, const char *what)
{
    if (rc != SMSPROV_OK)
        fail_msg("%s failed: %s", what, err->description ? err->description : "?");
}

static int build_inputs(void **state)
{
    (void)state;
    smsprov_error err = {0};
    osd_fs_remove_tree(SCRATCH, NULL);
    check(osd_fs_make_dirs(OUT, &err), &err, "scratch");
    check(osd_synthetic_adk_write(ADK, OSD_ARCH_SET_ADK, &err), &err, "ADK tree");
    check(osd_synthetic_configmgr_write(CM, OSD_ARCH_SET_ADK, &err), &err, "ConfigMgr tree");
    /* A payload makes a resource large enough to damage in its middle. */
    check(osd_synthetic_winpe_write(GOOD, &(osd_winpe_spec){.arch = OSD_ARCH_X64, .payload_mb = 4},
                                    &err),
          &err, GOOD);
    return 0;
}

static int remove_inputs(void **state)
{
    (void)state;
    osd_fs_remove_tree(SCRATCH, NULL);
    return 0;
}

/* ---- an in-memory verified-sources record ---------------------------------- */

typedef struct record {
    char *path, *identity;
    unsigned asked, remembered;
} record;

static bool record_known(void *data, const char *path, const char *identity)
{
    record *r = data;
    r->asked++;
    return r->path && strcmp(r->path, path) == 0 && strcmp(r->identity, identity) == 0;
}

static void record_remember(void *data, const char *path, const char *identity)
{
    record *r = data;
    free(r->path);
    free(r->identity);
    r->path = strdup(path);
    r->identity = strdup(identity);
    r->remembered++;
}

static void record_clear(record *r)
{
    free(r->path);
    free(r->identity);
    memset(r, 0, sizeof *r);
}

/* ---- helpers ---------------------------------------------------------------- */

static osd_inject_options options(const char *source, const char *target)
{
    return (osd_inject_options){.source_wim = source,
                                .image_index = 1,
                                .target_wim = target,
                                .temp_tag = "unittest",
                                .adk_root = ADK,
                                .configmgr_root = CM};
}

static void inject_ok(const osd_inject_options *opt, osd_inject_result *res)
{
    smsprov_error err = {0};
    if (osd_inject(opt, res, &err) != SMSPROV_OK)
        fail_msg("injecting %s failed: %s", opt->source_wim, err.description);
    smsprov_error_clear(&err);
}

static void assert_verifies(const char *path)
{
    WIMStruct *w = NULL;
    assert_int_equal(wimlib_open_wim(path, 0, &w), 0);
    int wrc = wimlib_verify_wim(w, 0);
    wimlib_free(w);
    if (wrc != 0)
        fail_msg("%s fails wimlib_verify_wim: %s", path,
                 wimlib_get_error_string((enum wimlib_error_code)wrc));
}

static void *file_bytes(const char *path, size_t *size);

/* Writes a new file (a new inode) with from's bytes. */
static void copy_file(const char *from, const char *to)
{
    size_t size = 0;
    void *data = file_bytes(from, &size);
    smsprov_error err = {0};
    check(osd_fs_write_file(to, data, size, &err), &err, to);
    free(data);
}

/* The largest file resource (a solid one counts as a whole). */
static int largest(const struct wimlib_resource_entry *r, void *data)
{
    struct wimlib_resource_entry *best = data;
    struct wimlib_resource_entry e = *r;
    if (e.packed) {
        e.offset = e.raw_resource_offset_in_wim;
        e.compressed_size = e.raw_resource_compressed_size;
    }
    if (!e.is_metadata && e.compressed_size > best->compressed_size)
        *best = e;
    return 0;
}

/* Flips 64 bytes in the middle of the largest file resource of path. */
static void damage_largest_resource(const char *path)
{
    WIMStruct *w = NULL;
    assert_int_equal(wimlib_open_wim(path, 0, &w), 0);
    struct wimlib_resource_entry best = {0};
    wimlib_iterate_lookup_table(w, 0, largest, &best);
    wimlib_free(w);
    assert_true(best.compressed_size > 4096);
    FILE *f = fopen(path, "r+b");
    assert_non_null(f);
    long at = (long)(best.offset + best.compressed_size / 2);
    unsigned char buf[64];
    assert_int_equal(fseek(f, at, SEEK_SET), 0);
    assert_int_equal(fread(buf, 1, sizeof buf, f), sizeof buf);
    for (size_t i = 0; i < sizeof buf; i++)
        buf[i] ^= 0xA5;
    assert_int_equal(fseek(f, at, SEEK_SET), 0);
    assert_int_equal(fwrite(buf, 1, sizeof buf, f), sizeof buf);
    fclose(f);
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

/* Injects into TARGET (which holds a good image) and expects a failure
 * with win32 and a sentence holding words, TARGET byte for byte as it was. */
static void expect_refused(osd_inject_options opt, int32_t win32, const char *words)
{
    size_t before_size = 0, after_size = 0;
    void *before = file_bytes(TARGET, &before_size);
    osd_inject_result res;
    smsprov_error err = {0};
    assert_int_equal(osd_inject(&opt, &res, &err), SMSPROV_E_FAILED);
    assert_int_equal(res.failure.error_code, win32);
    assert_non_null(err.description);
    if (!strstr(err.description, words))
        fail_msg("\"%s\" does not say \"%s\"", err.description, words);
    void *after = file_bytes(TARGET, &after_size);
    assert_int_equal(after_size, before_size);
    assert_memory_equal(after, before, before_size);
    assert_no_temp_files();
    free(before);
    free(after);
    smsprov_error_clear(&err);
    osd_inject_result_clear(&res);
}

static void publish_good_target(void)
{
    osd_inject_options opt = options(GOOD, TARGET);
    osd_inject_result res;
    inject_ok(&opt, &res);
    osd_inject_result_clear(&res);
    assert_verifies(TARGET);
}

/* ---- tests ------------------------------------------------------------------ */

static void test_damaged_source_is_refused_and_nothing_published(void **state)
{
    (void)state;
    publish_good_target();
    copy_file(GOOD, SCRATCH "/damaged.wim");
    damage_largest_resource(SCRATCH "/damaged.wim");
    expect_refused(options(SCRATCH "/damaged.wim", TARGET), OSD_ERROR_FILE_CORRUPT,
                   "is damaged");
    /* A fresh target is not created either. */
    osd_inject_options opt = options(SCRATCH "/damaged.wim", OUT "/boot.NEW00001.wim");
    osd_inject_result res;
    smsprov_error err = {0};
    assert_int_equal(osd_inject(&opt, &res, &err), SMSPROV_E_FAILED);
    assert_int_equal(res.failure.error_code, OSD_ERROR_FILE_CORRUPT);
    assert_non_null(strstr(res.failure.detail, "damaged.wim"));
    assert_false(osd_fs_exists(OUT "/boot.NEW00001.wim"));
    smsprov_error_clear(&err);
    osd_inject_result_clear(&res);
}

static void test_verified_source_is_verified_once_until_it_changes(void **state)
{
    (void)state;
    copy_file(GOOD, SCRATCH "/recorded.wim");
    record rec = {0};
    osd_verified_sources sources = {record_known, record_remember, &rec};
    osd_inject_options opt = options(SCRATCH "/recorded.wim", TARGET);
    opt.verified_sources = &sources;
    osd_inject_result res;

    inject_ok(&opt, &res);
    assert_true(res.source_verified);
    assert_int_equal(rec.remembered, 1);
    assert_non_null(strstr(rec.identity, "guid="));
    assert_non_null(strstr(rec.identity, "blobs="));
    osd_inject_result_clear(&res);
    assert_verifies(TARGET);

    inject_ok(&opt, &res);
    assert_false(res.source_verified);
    assert_int_equal(rec.remembered, 1);
    osd_inject_result_clear(&res);
    assert_verifies(TARGET);

    /* Damaged in place: the file changed, so it is verified again, and
     * refused. */
    damage_largest_resource(SCRATCH "/recorded.wim");
    expect_refused(opt, OSD_ERROR_FILE_CORRUPT, "is damaged");
    assert_int_equal(rec.remembered, 1);

    /* Replaced by a good copy: a new inode, so verified again. */
    copy_file(GOOD, SCRATCH "/recorded.wim");
    inject_ok(&opt, &res);
    assert_true(res.source_verified);
    assert_int_equal(rec.remembered, 2);
    osd_inject_result_clear(&res);
    record_clear(&rec);
}

/* The progress callback runs on the injecting thread between writing the
 * temporary WIM and checking it: damage its copy of the source data then,
 * as a failing disk would. */
static void damage_partial_before_verify(void *data, uint32_t percent, const char *text)
{
    (void)percent;
    bool *done = data;
    if (*done || strncmp(text, "Verifying boot.", 15) != 0)
        return;
    DIR *d = opendir(OUT);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);
        if (n > 8 && strcmp(e->d_name + n - 8, ".partial") == 0) {
            char path[512];
            snprintf(path, sizeof path, OUT "/%s", e->d_name);
            damage_largest_resource(path);
            *done = true;
        }
    }
    closedir(d);
}

static void test_data_damaged_on_its_way_to_disk_is_caught(void **state)
{
    (void)state;
    publish_good_target();
    record rec = {0};
    osd_verified_sources sources = {record_known, record_remember, &rec};
    osd_inject_options opt = options(GOOD, TARGET);
    opt.verified_sources = &sources;
    osd_inject_result res;
    inject_ok(&opt, &res); /* the source is now on record */
    osd_inject_result_clear(&res);

    bool damaged = false;
    opt.progress = damage_partial_before_verify;
    opt.progress_data = &damaged;
    expect_refused(opt, OSD_ERROR_CRC, "does not hold the data it copied");
    assert_true(damaged);
    record_clear(&rec);
}

static void make_esd(const char *from, const char *to)
{
    WIMStruct *w = NULL;
    assert_int_equal(wimlib_open_wim(from, 0, &w), 0);
    assert_int_equal(wimlib_set_output_pack_compression_type(w, WIMLIB_COMPRESSION_TYPE_LZMS),
                     0);
    assert_int_equal(wimlib_write(w, to, WIMLIB_ALL_IMAGES, WIMLIB_WRITE_FLAG_SOLID, 1), 0);
    wimlib_free(w);
}

static int count_solid(const struct wimlib_resource_entry *r, void *data)
{
    *(unsigned *)data += r->packed;
    return 0;
}

static void test_solid_lzms_source_is_published_as_lzx(void **state)
{
    (void)state;
    make_esd(GOOD, SCRATCH "/boot.esd");
    osd_inject_options opt = options(SCRATCH "/boot.esd", OUT "/boot.ESD00001.wim");
    osd_inject_result res;
    inject_ok(&opt, &res);
    assert_true(res.recompressed);
    assert_true(res.source_verified);
    osd_inject_result_clear(&res);

    WIMStruct *w = NULL;
    assert_int_equal(wimlib_open_wim(OUT "/boot.ESD00001.wim", 0, &w), 0);
    struct wimlib_wim_info info;
    wimlib_get_wim_info(w, &info);
    assert_int_equal(info.compression_type, WIMLIB_COMPRESSION_TYPE_LZX);
    assert_int_equal(info.chunk_size, 32768);
    assert_int_equal(info.wim_version, 0x10d00);
    assert_int_equal(info.boot_index, 1);
    unsigned solid = 0;
    wimlib_iterate_lookup_table(w, 0, count_solid, &solid);
    assert_int_equal(solid, 0);
    wimlib_free(w);
    assert_verifies(OUT "/boot.ESD00001.wim");
}

/* Writing a recompressed source reads the bad data and fails; the verdict
 * on the source explains why. */
static void test_damaged_esd_is_reported_as_a_damaged_source(void **state)
{
    (void)state;
    publish_good_target();
    make_esd(GOOD, SCRATCH "/damaged.esd");
    damage_largest_resource(SCRATCH "/damaged.esd");
    expect_refused(options(SCRATCH "/damaged.esd", TARGET), OSD_ERROR_FILE_CORRUPT,
                   "is damaged");
}

static void test_plain_lzx_source_keeps_its_compression(void **state)
{
    (void)state;
    osd_inject_options opt = options(GOOD, OUT "/boot.LZX00001.wim");
    osd_inject_result res;
    inject_ok(&opt, &res);
    assert_false(res.recompressed);
    osd_inject_result_clear(&res);
    assert_verifies(OUT "/boot.LZX00001.wim");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_damaged_source_is_refused_and_nothing_published),
        cmocka_unit_test(test_verified_source_is_verified_once_until_it_changes),
        cmocka_unit_test(test_data_damaged_on_its_way_to_disk_is_caught),
        cmocka_unit_test(test_solid_lzms_source_is_published_as_lzx),
        cmocka_unit_test(test_damaged_esd_is_reported_as_a_damaged_source),
        cmocka_unit_test(test_plain_lzx_source_keeps_its_compression),
    };
    return cmocka_run_group_tests(tests, build_inputs, remove_inputs);
}
