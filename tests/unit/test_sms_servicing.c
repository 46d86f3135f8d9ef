/* test_sms_servicing.c - boot image servicing through the provider API
 * (S-1 and S-9 without the CLI): four puts with ImagePath from four threads
 * import on the site's worker pool at once; the caller's progress callback
 * only goes forward; QueryOSDBinaryInjectionStatus reads each queue; a
 * refresh bumps SourceVersion; a site opened without servicing folders
 * fails an import with a sentence saying what to configure. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <wimlib.h>

#include "osd/fs.h"
#include "osd/synthetic.h"
#include "smsprov/provider.h"

#define SCRATCH SMSPROV_TEST_SCRATCH "/sms_servicing"
#define BOOT "SMS_BootImagePackage"

static smsprov_share shares[] = {{"\\\\lab\\sources", SCRATCH "/sources"}};

static smsprov_site *open_site(const char *db, bool servicing)
{
    smsprov_site_config config = {
        .database_path = db,
        .mof_dir = SMSPROV_SOURCE_MOF_DIR,
        .content_root = SCRATCH "/content",
        .shares = shares,
        .share_count = 1,
        .worker_count = 4,
        .adk_root = servicing ? SCRATCH "/adk" : NULL,
        .configmgr_root = servicing ? SCRATCH "/configmgr" : NULL,
    };
    smsprov_site *site = NULL;
    smsprov_error err = {0};
    if (smsprov_site_open(&config, &site, &err) != SMSPROV_OK)
        fail_msg("opening the site failed: %s", err.description);
    return site;
}

static int build_inputs(void **state)
{
    (void)state;
    osd_fs_remove_tree(SCRATCH, NULL);
    smsprov_error err = {0};
    assert_int_equal(osd_fs_make_dirs(SCRATCH "/sources", &err), SMSPROV_OK);
    assert_int_equal(osd_synthetic_adk_write(SCRATCH "/adk", OSD_ARCH_SET_ADK, &err), SMSPROV_OK);
    assert_int_equal(osd_synthetic_configmgr_write(SCRATCH "/configmgr", OSD_ARCH_SET_ADK, &err),
                     SMSPROV_OK);
    assert_int_equal(osd_synthetic_winpe_write(SCRATCH "/sources/x64.wim",
                                               &(osd_winpe_spec){.arch = OSD_ARCH_X64}, &err),
                     SMSPROV_OK);
    assert_int_equal(osd_synthetic_winpe_write(SCRATCH "/sources/x86.wim",
                                               &(osd_winpe_spec){.arch = OSD_ARCH_X86}, &err),
                     SMSPROV_OK);
    return 0;
}

static int remove_inputs(void **state)
{
    (void)state;
    osd_fs_remove_tree(SCRATCH, NULL);
    return 0;
}

/* ---- one import on its own thread ---------------------------------------- */

typedef struct import_run {
    smsprov_site *site;
    int n;
    char *path;
    smsprov_code rc;
    char *error;
    uint32_t last_progress;
    int progress_calls;
    bool went_back;
} import_run;

static void on_progress(void *data, uint32_t done, uint32_t total, const char *text)
{
    import_run *run = data; /* on the import's thread: record, assert later */
    if (total != 100 || !text || done < run->last_progress)
        run->went_back = true;
    run->last_progress = done;
    run->progress_calls++;
}

static void *import_thread(void *data)
{
    import_run *run = data;
    const cim_class *cls = NULL;
    smsprov_get_class(run->site, NULL, BOOT, &cls, NULL);
    cim_instance *inst = cim_instance_new(cls);
    char name[32], context[32];
    snprintf(name, sizeof name, "Boot %d", run->n);
    snprintf(context, sizeof context, "api-%d", run->n);
    cim_instance_set_string(inst, "Name", name, NULL);
    cim_instance_set_string(inst, "ImagePath",
                            run->n % 2 ? "\\\\lab\\sources\\X86.WIM" : "\\\\lab\\sources\\x64.wim",
                            NULL);
    cim_instance_set_string(inst, "ContextID", context, NULL);
    smsprov_call call = {.progress = on_progress, .progress_data = run};
    smsprov_error err = {0};
    run->rc = smsprov_put(run->site, &call, inst, SMSPROV_PUT_CREATE_ONLY, NULL, &run->path, &err);
    run->error = err.description ? strdup(err.description) : NULL;
    smsprov_error_clear(&err);
    cim_instance_free(inst);
    return NULL;
}

static cim_instance *query_status(smsprov_site *site, const char *context)
{
    const cim_class *cls = NULL;
    smsprov_get_class(site, NULL, BOOT, &cls, NULL);
    const cim_method *m = cim_class_find_method(cls, "QueryOSDBinaryInjectionStatus");
    cim_instance *in = cim_instance_new(m->in_class);
    cim_instance_set_string(in, "ContextID", context, NULL);
    cim_instance *out = NULL;
    smsprov_error err = {0};
    assert_int_equal(smsprov_invoke(site, NULL, BOOT, "QueryOSDBinaryInjectionStatus", in, &out,
                                    &err),
                     SMSPROV_OK);
    cim_instance_free(in);
    return out;
}

static uint64_t uint_of(const cim_instance *inst, const char *name)
{
    return cim_instance_get(inst, name)->u.uint;
}

static void test_four_puts_import_on_the_pool_at_once(void **state)
{
    (void)state;
    smsprov_site *site = open_site(SCRATCH "/four.db", true);
    import_run runs[4];
    pthread_t threads[4];
    for (int i = 0; i < 4; i++) {
        runs[i] = (import_run){.site = site, .n = i};
        assert_int_equal(pthread_create(&threads[i], NULL, import_thread, &runs[i]), 0);
    }
    for (int i = 0; i < 4; i++)
        assert_int_equal(pthread_join(threads[i], NULL), 0);
    for (int i = 0; i < 4; i++) {
        if (runs[i].rc != SMSPROV_OK)
            fail_msg("import %d failed: %s", i, runs[i].error);
        assert_false(runs[i].went_back);
        assert_int_equal(runs[i].last_progress, 100);
        assert_true(runs[i].progress_calls >= 3);

        cim_instance *pkg = NULL;
        assert_int_equal(smsprov_get(site, NULL, runs[i].path, &pkg, NULL), SMSPROV_OK);
        const char *arch = cim_instance_get(pkg, "Architecture")->u.string;
        assert_string_equal(arch, i % 2 ? "x86" : "x64");
        const char *id = cim_instance_get(pkg, "PackageID")->u.string;
        char expected[512];
        snprintf(expected, sizeof expected, SCRATCH "/content/boot.%s.wim", id);
        assert_string_equal(cim_instance_get(pkg, "PkgSourcePath")->u.string, expected);
        WIMStruct *wim = NULL;
        assert_int_equal(wimlib_open_wim(expected, 0, &wim), 0);
        assert_int_equal(wimlib_verify_wim(wim, 0), 0);
        wimlib_free(wim);
        cim_instance_free(pkg);

        char context[32];
        snprintf(context, sizeof context, "api-%d", i);
        cim_instance *status = query_status(site, context);
        assert_int_equal(uint_of(status, "Status"), 0);
        assert_int_equal(uint_of(status, "Progress"), 100);
        cim_instance_free(status);
        free(runs[i].path);
        free(runs[i].error);
    }
    smsprov_site_close(site);
}

static void test_refresh_through_invoke(void **state)
{
    (void)state;
    smsprov_site *site = open_site(SCRATCH "/refresh.db", true);
    import_run run = {.site = site, .n = 0};
    import_thread(&run);
    assert_int_equal(run.rc, SMSPROV_OK);
    const cim_class *cls = NULL;
    smsprov_get_class(site, NULL, BOOT, &cls, NULL);
    const cim_method *m = cim_class_find_method(cls, "RefreshPkgSource");
    cim_instance *in = cim_instance_new(m->in_class);
    cim_instance_set_string(in, "ContextID", "api-refresh", NULL);
    cim_instance *out = NULL;
    smsprov_error err = {0};
    assert_int_equal(smsprov_invoke(site, NULL, run.path, "RefreshPkgSource", in, &out, &err),
                     SMSPROV_OK);
    assert_int_equal(cim_instance_get(out, "ReturnValue")->u.sint, 0);
    cim_instance_free(out);
    cim_instance_free(in);
    cim_instance *pkg = NULL;
    assert_int_equal(smsprov_get(site, NULL, run.path, &pkg, NULL), SMSPROV_OK);
    assert_int_equal(uint_of(pkg, "SourceVersion"), 2);
    cim_instance_free(pkg);
    cim_instance *status = query_status(site, "api-refresh");
    assert_int_equal(uint_of(status, "Status"), 0);
    cim_instance_free(status);
    free(run.path);
    smsprov_site_close(site);
}

static void test_site_without_servicing_folders_says_what_to_configure(void **state)
{
    (void)state;
    smsprov_site *site = open_site(SCRATCH "/bare.db", false);
    import_run run = {.site = site, .n = 0};
    import_thread(&run);
    assert_int_equal(run.rc, SMSPROV_E_FAILED);
    assert_non_null(strstr(run.error, "--configmgr"));
    assert_null(run.path);
    /* The failed import left no package behind. */
    smsprov_instance_list list = {0};
    assert_int_equal(smsprov_enumerate(site, NULL, BOOT, SMSPROV_ENUM_DEEP, &list, NULL),
                     SMSPROV_OK);
    assert_int_equal(list.count, 0);
    cim_instance *status = query_status(site, "api-0");
    assert_int_equal(uint_of(status, "Status"), 2);
    assert_int_equal(cim_instance_get(status, "ErrorCode")->u.sint, 3);
    cim_instance_free(status);
    free(run.error);
    smsprov_site_close(site);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_four_puts_import_on_the_pool_at_once),
        cmocka_unit_test(test_refresh_through_invoke),
        cmocka_unit_test(test_site_without_servicing_folders_says_what_to_configure),
    };
    return cmocka_run_group_tests(tests, build_inputs, remove_inputs);
}
