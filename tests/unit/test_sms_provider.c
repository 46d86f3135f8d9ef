/* test_sms_provider.c - the provider API on a real SQLite file: put modes,
 * property lists, lazy rules, method dispatch, namespaces and many threads. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sms/behaviour.h"
#include "sms/methods.h"
#include "sms/site.h"
#include "smsprov/provider.h"

#define BOOT "SMS_BootImagePackage"

static int open_site(void **state)
{
    static int counter;
    char *db = cim_xasprintf("%s/sms_provider_%d_%d.db", SMSPROV_TEST_SCRATCH, (int)getpid(),
                             counter++);
    unlink(db);
    smsprov_site_config config = {.database_path = db, .mof_dir = SMSPROV_SOURCE_MOF_DIR};
    smsprov_site *site = NULL;
    smsprov_error err = {0};
    smsprov_code rc = smsprov_site_open(&config, &site, &err);
    if (rc != SMSPROV_OK)
        fprintf(stderr, "open: %s\n", err.description);
    smsprov_error_clear(&err);
    free(db);
    *state = site;
    return rc == SMSPROV_OK ? 0 : -1;
}

static int close_site(void **state)
{
    smsprov_site_close(*state);
    return 0;
}

static cim_instance *spawn(smsprov_site *site, const char *cls_name)
{
    const cim_class *cls = NULL;
    assert_int_equal(smsprov_get_class(site, NULL, cls_name, &cls, NULL), SMSPROV_OK);
    return cim_instance_new(cls);
}

static char *create_boot(smsprov_site *site, const char *name)
{
    cim_instance *inst = spawn(site, BOOT);
    cim_instance_set_string(inst, "Name", name, NULL);
    char *path = NULL;
    smsprov_error err = {0};
    smsprov_code rc = smsprov_put(site, NULL, inst, SMSPROV_PUT_CREATE_ONLY, NULL, &path, &err);
    if (rc != SMSPROV_OK)
        fprintf(stderr, "put: %s\n", err.description);
    assert_int_equal(rc, SMSPROV_OK);
    cim_instance_free(inst);
    return path;
}

static cim_instance *get(smsprov_site *site, const char *path)
{
    cim_instance *inst = NULL;
    assert_int_equal(smsprov_get(site, NULL, path, &inst, NULL), SMSPROV_OK);
    return inst;
}

static void test_put_modes(void **state)
{
    smsprov_site *site = *state;
    char *path = create_boot(site, "modes");
    assert_string_equal(path, BOOT ".PackageID=\"LAB00001\"");
    cim_instance *stored = get(site, path);
    smsprov_error err = {0};
    assert_int_equal(smsprov_put(site, NULL, stored, SMSPROV_PUT_CREATE_ONLY, NULL, NULL, &err),
                     SMSPROV_E_ALREADY_EXISTS);
    assert_non_null(strstr(err.description, "LAB00001"));
    cim_instance *fresh = spawn(site, BOOT);
    assert_int_equal(smsprov_put(site, NULL, fresh, SMSPROV_PUT_UPDATE_ONLY, NULL, NULL, &err),
                     SMSPROV_E_NOT_FOUND);
    cim_instance_set_string(fresh, "PackageID", "LAB0FFFF", NULL);
    assert_int_equal(smsprov_put(site, NULL, fresh, SMSPROV_PUT_CREATE_OR_UPDATE, NULL, NULL,
                                 &err),
                     SMSPROV_E_NOT_FOUND);
    assert_non_null(strstr(err.description, "assigned by the site"));
    smsprov_error_clear(&err);
    cim_instance_free(fresh);
    cim_instance_free(stored);
    free(path);
}

static void test_property_list_limits_the_update(void **state)
{
    smsprov_site *site = *state;
    char *path = create_boot(site, "list");
    cim_instance *inst = get(site, path);
    cim_instance_set_string(inst, "Name", "renamed", NULL);
    cim_instance_set_string(inst, "Description", "not taken", NULL);
    const char *only_name[] = {"Name", NULL};
    assert_int_equal(smsprov_put(site, NULL, inst, SMSPROV_PUT_UPDATE_ONLY, only_name, NULL, NULL),
                     SMSPROV_OK);
    cim_instance *after = get(site, path);
    assert_string_equal(cim_instance_get(after, "Name")->u.string, "renamed");
    assert_true(cim_instance_get(after, "Description")->is_null);
    const char *bogus[] = {"NoSuchProperty", NULL};
    smsprov_error err = {0};
    assert_int_equal(smsprov_put(site, NULL, after, SMSPROV_PUT_UPDATE_ONLY, bogus, NULL, &err),
                     SMSPROV_E_INVALID_PARAMETER);
    assert_non_null(strstr(err.description, "NoSuchProperty"));
    smsprov_error_clear(&err);
    cim_instance_free(after);
    cim_instance_free(inst);
    free(path);
}

/* A client that puts back an object from an enumeration (lazy properties
 * null) must not wipe the lazy values. */
static void test_null_lazy_values_do_not_wipe(void **state)
{
    smsprov_site *site = *state;
    char *path = create_boot(site, "lazy");
    cim_instance *inst = get(site, path);
    cim_instance_set_uint(inst, "ScratchSpace", 256, NULL);
    assert_int_equal(smsprov_put(site, NULL, inst, SMSPROV_PUT_UPDATE_ONLY, NULL, NULL, NULL),
                     SMSPROV_OK);
    smsprov_instance_list list = {0};
    assert_int_equal(smsprov_enumerate(site, NULL, BOOT, SMSPROV_ENUM_DEEP, &list, NULL),
                     SMSPROV_OK);
    assert_int_equal(list.count, 1);
    assert_true(cim_instance_get(list.items[0], "ScratchSpace")->is_null);
    cim_instance_set_string(list.items[0], "Description", "from enum", NULL);
    assert_int_equal(smsprov_put(site, NULL, list.items[0], SMSPROV_PUT_UPDATE_ONLY, NULL, NULL,
                                 NULL),
                     SMSPROV_OK);
    cim_instance *after = get(site, path);
    assert_int_equal(cim_instance_get(after, "ScratchSpace")->u.uint, 256);
    assert_string_equal(cim_instance_get(after, "Description")->u.string, "from enum");
    smsprov_instance_list_clear(&list);
    cim_instance_free(after);
    cim_instance_free(inst);
    free(path);
}

/* Architecture is read-only for clients; the servicing code sets it.  Here
 * it is set in the store directly to test the per-architecture ID rule. */
static void set_architecture(smsprov_site *site, const char *path, const char *arch)
{
    cim_instance *inst = get(site, path);
    cim_instance_set_string(inst, "Architecture", arch, NULL);
    store_txn *txn = NULL;
    assert_int_equal(store_begin(site->store, true, &txn, NULL), SMSPROV_OK);
    assert_int_equal(store_update(txn, inst, NULL), SMSPROV_OK);
    assert_int_equal(store_commit(txn, NULL), SMSPROV_OK);
    cim_instance_free(inst);
}

static smsprov_code put_components(smsprov_site *site, const char *path, const uint32_t *ids,
                                   size_t n, smsprov_error *err)
{
    cim_instance *inst = get(site, path);
    cim_value list = cim_value_array(CIM_TYPE_UINT32);
    for (size_t i = 0; i < n; i++) {
        cim_value id = cim_value_uint(CIM_TYPE_UINT32, ids[i]);
        cim_value_array_append(&list, &id);
    }
    cim_instance_set(inst, "OptionalComponents", &list, NULL);
    cim_value_clear(&list);
    smsprov_code rc = smsprov_put(site, NULL, inst, SMSPROV_PUT_UPDATE_ONLY, NULL, NULL, err);
    cim_instance_free(inst);
    return rc;
}

static void test_optional_components_follow_architecture(void **state)
{
    smsprov_site *site = *state;
    char *path = create_boot(site, "oc");
    set_architecture(site, path, "x86");
    const uint32_t x86[] = {1, 18, 26}, x64[] = {27};
    smsprov_error err = {0};
    assert_int_equal(put_components(site, path, x86, 3, &err), SMSPROV_OK);
    assert_int_equal(put_components(site, path, x64, 1, &err), SMSPROV_E_INVALID_PARAMETER);
    assert_non_null(strstr(err.description, "27"));
    assert_non_null(strstr(err.description, "x86"));
    assert_string_equal(err.parameter_info, "OptionalComponents");
    set_architecture(site, path, "x64");
    assert_int_equal(put_components(site, path, x64, 1, &err), SMSPROV_OK);
    assert_int_equal(put_components(site, path, x86, 1, &err), SMSPROV_E_INVALID_PARAMETER);
    smsprov_error_clear(&err);
    free(path);
}

static void test_namespaces(void **state)
{
    smsprov_site *site = *state;
    smsprov_call root = {.namespace_path = "root\\sms"};
    smsprov_instance_list list = {0};
    assert_int_equal(smsprov_enumerate(site, &root, "SMS_ProviderLocation", SMSPROV_ENUM_DEEP,
                                       &list, NULL),
                     SMSPROV_OK);
    assert_int_equal(list.count, 1);
    smsprov_instance_list_clear(&list);
    smsprov_call slashes = {.namespace_path = "ROOT/SMS/SITE_lab"};
    const cim_class *cls = NULL;
    assert_int_equal(smsprov_get_class(site, &slashes, BOOT, &cls, NULL), SMSPROV_OK);
    smsprov_call nowhere = {.namespace_path = "root\\cimv2"};
    smsprov_error err = {0};
    assert_int_equal(smsprov_get_class(site, &nowhere, BOOT, &cls, &err),
                     SMSPROV_E_INVALID_NAMESPACE);
    assert_non_null(strstr(err.description, "root\\cimv2"));
    const cim_class *location = NULL;
    assert_int_equal(smsprov_get_class(site, &root, "SMS_ProviderLocation", &location, NULL),
                     SMSPROV_OK);
    cim_instance *forged = cim_instance_new(location);
    cim_instance_set_string(forged, "SiteCode", "EVL", NULL);
    assert_int_equal(smsprov_put(site, &root, forged, SMSPROV_PUT_CREATE_OR_UPDATE, NULL, NULL,
                                 &err),
                     SMSPROV_E_ACCESS_DENIED);
    cim_instance_free(forged);
    smsprov_error_clear(&err);
}

static char *repeated(const char *unit, size_t n)
{
    cim_buf b = {0};
    for (size_t i = 0; i < n; i++)
        cim_buf_append(&b, unit);
    return cim_buf_take(&b);
}

static smsprov_code set_image_property(void *data, cim_instance *inst, smsprov_error *err)
{
    (void)err;
    cim_instance_set_string(inst, "ImageProperty", data, NULL);
    return SMSPROV_OK;
}

/* Every string a client writes is bounded (SMS_MAX_STRING_CHARS characters,
 * counted as characters, not bytes); the values the server keeps are not,
 * and a client may put back an instance that holds them. */
static void test_client_strings_are_bounded(void **state)
{
    smsprov_site *site = *state;
    cim_instance *inst = spawn(site, BOOT);
    cim_instance_set_string(inst, "Name", "long", NULL);
    char *too_long = repeated("d", SMS_MAX_STRING_CHARS + 1);
    cim_instance_set_string(inst, "Description", too_long, NULL);
    smsprov_error err = {0};
    assert_int_equal(smsprov_put(site, NULL, inst, SMSPROV_PUT_CREATE_ONLY, NULL, NULL, &err),
                     SMSPROV_E_INVALID_PARAMETER);
    assert_string_equal(err.parameter_info, "Description");
    assert_non_null(strstr(err.description, "Description is 2049 characters long; at most 2048"));
    smsprov_error_clear(&err);
    smsprov_instance_list list = {0};
    assert_int_equal(smsprov_enumerate(site, NULL, BOOT, SMSPROV_ENUM_DEEP, &list, NULL),
                     SMSPROV_OK);
    assert_int_equal(list.count, 0); /* nothing stored */
    smsprov_instance_list_clear(&list);
    /* 2048 two-byte characters are 2048 characters */
    char *wide = repeated("\xc3\xa9", SMS_MAX_STRING_CHARS);
    cim_instance_set_string(inst, "Description", wide, NULL);
    char *path = NULL;
    assert_int_equal(smsprov_put(site, NULL, inst, SMSPROV_PUT_CREATE_ONLY, NULL, &path, &err),
                     SMSPROV_OK);

    /* the server writes a long ImageProperty; the client puts it back */
    char *server_xml = repeated("<WIM/>", 4000);
    cim_instance *stored = get(site, path);
    assert_int_equal(sms_modify_instance(site, stored, set_image_property, server_xml, &err),
                     SMSPROV_OK);
    cim_instance_free(stored);
    stored = get(site, path);
    cim_instance_set_string(stored, "Name", "renamed", NULL);
    assert_int_equal(smsprov_put(site, NULL, stored, SMSPROV_PUT_UPDATE_ONLY, NULL, NULL, &err),
                     SMSPROV_OK);
    /* ... but may not write a long string of its own */
    cim_instance_free(stored);
    stored = get(site, path);
    cim_instance_set_string(stored, "PreExecCommandLine", too_long, NULL);
    assert_int_equal(smsprov_put(site, NULL, stored, SMSPROV_PUT_UPDATE_ONLY, NULL, NULL, &err),
                     SMSPROV_E_INVALID_PARAMETER);
    assert_string_equal(err.parameter_info, "PreExecCommandLine");
    smsprov_error_clear(&err);

    /* method parameters too */
    const cim_class *cls = NULL;
    assert_int_equal(smsprov_get_class(site, NULL, BOOT, &cls, NULL), SMSPROV_OK);
    const cim_method *m = cim_class_find_method(cls, "DeleteContextID");
    cim_instance *in = cim_instance_new(m->in_class);
    cim_instance_set_string(in, "ContextID", too_long, NULL);
    cim_instance *out = NULL;
    assert_int_equal(smsprov_invoke(site, NULL, BOOT, "DeleteContextID", in, &out, &err),
                     SMSPROV_E_INVALID_PARAMETER);
    assert_string_equal(err.parameter_info, "ContextID");
    assert_null(out);
    smsprov_error_clear(&err);

    cim_instance_free(in);
    cim_instance_free(stored);
    cim_instance_free(inst);
    free(server_xml);
    free(path);
    free(wide);
    free(too_long);
}

/* SizeLimit("3") on SMS_DistributionPoint.SiteCode holds for every write. */
static void test_size_limit_qualifier(void **state)
{
    smsprov_site *site = *state;
    cim_instance *dp = spawn(site, "SMS_DistributionPoint");
    cim_instance_set_string(dp, "SiteCode", "LABX", NULL);
    smsprov_error err = {0};
    assert_int_equal(sms_validate_instance(dp, NULL, &err), SMSPROV_E_INVALID_PARAMETER);
    assert_string_equal(err.parameter_info, "SiteCode");
    assert_non_null(strstr(err.description, "SiteCode is 4 characters long; at most 3 are "
                                            "allowed (its SizeLimit qualifier)"));
    smsprov_error_clear(&err);
    cim_instance_set_string(dp, "SiteCode", "LAB", NULL);
    assert_int_equal(sms_validate_instance(dp, NULL, &err), SMSPROV_OK);
    cim_instance_free(dp);
}

static void test_static_method_rules(void **state)
{
    smsprov_site *site = *state;
    cim_instance *out = NULL;
    smsprov_error err = {0};
    assert_int_equal(smsprov_invoke(site, NULL, BOOT, "RefreshPkgSource", NULL, &out, &err),
                     SMSPROV_E_INVALID_OPERATION);
    assert_non_null(strstr(err.description, "instance method"));
    assert_int_equal(smsprov_invoke(site, NULL, "SMS_OperatingSystemInstallPackage.PackageID="
                                                "\"LAB0AAAA\"",
                                    "RefreshPkgSource", NULL, &out, &err),
                     SMSPROV_E_NOT_FOUND);
    assert_int_equal(smsprov_invoke(site, NULL, BOOT, "QueryOSDBinaryInjectionStatus", NULL, &out,
                                    &err),
                     SMSPROV_E_INVALID_METHOD_PARAMETERS);
    assert_string_equal(err.parameter_info, "ContextID");
    assert_null(out);
    smsprov_error_clear(&err);
}

/* WBEM_E_NOT_SUPPORTED answers a method the MOF declares but no handler
 * serves: the fallback for a method added to the schema before its code.
 * Every method the schema declares today has its handler. */
static void test_every_declared_method_has_a_handler(void **state)
{
    smsprov_site *site = *state;
    size_t count = 0, checked = 0;
    const cim_class **classes = NULL;
    assert_int_equal(smsprov_enum_classes(site, NULL, NULL, true, &classes, &count, NULL),
                     SMSPROV_OK);
    for (size_t i = 0; i < count; i++) {
        const cim_class *cls = classes[i];
        if (cls->flags & (CIM_CLASS_ABSTRACT | CIM_CLASS_EMBEDDED | CIM_CLASS_SYSTEM))
            continue;
        for (size_t m = 0; m < cls->method_count; m++, checked++)
            if (!sms_method_handler(cls, cls->methods[m].name))
                fail_msg("%s.%s has no handler", cls->name, cls->methods[m].name);
    }
    free(classes);
    assert_true(checked >= 13 + 7);
}

#define THREADS 4
#define PER_THREAD 100

static void *create_many(void *arg)
{
    smsprov_site *site = arg;
    for (int i = 0; i < PER_THREAD; i++) {
        char *path = create_boot(site, "threaded");
        cim_instance *inst = get(site, path);
        cim_instance_free(inst);
        free(path);
    }
    return NULL;
}

static void test_many_threads(void **state)
{
    smsprov_site *site = *state;
    pthread_t threads[THREADS];
    for (int i = 0; i < THREADS; i++)
        assert_int_equal(pthread_create(&threads[i], NULL, create_many, site), 0);
    for (int i = 0; i < THREADS; i++)
        pthread_join(threads[i], NULL);
    smsprov_instance_list list = {0};
    assert_int_equal(smsprov_enumerate(site, NULL, "SMS_PackageBaseclass", SMSPROV_ENUM_DEEP,
                                       &list, NULL),
                     SMSPROV_OK);
    assert_int_equal(list.count, THREADS * PER_THREAD);
    /* Every ID distinct: LAB00001 .. LAB00190 (hex). */
    char seen[THREADS * PER_THREAD + 1] = {0};
    for (size_t i = 0; i < list.count; i++) {
        const char *id = cim_instance_get(list.items[i], "PackageID")->u.string;
        unsigned long n = strtoul(id + 3, NULL, 16);
        assert_true(n >= 1 && n <= THREADS * PER_THREAD);
        assert_false(seen[n]);
        seen[n] = 1;
    }
    smsprov_instance_list_clear(&list);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_put_modes, open_site, close_site),
        cmocka_unit_test_setup_teardown(test_property_list_limits_the_update, open_site,
                                        close_site),
        cmocka_unit_test_setup_teardown(test_null_lazy_values_do_not_wipe, open_site, close_site),
        cmocka_unit_test_setup_teardown(test_optional_components_follow_architecture, open_site,
                                        close_site),
        cmocka_unit_test_setup_teardown(test_namespaces, open_site, close_site),
        cmocka_unit_test_setup_teardown(test_static_method_rules, open_site, close_site),
        cmocka_unit_test_setup_teardown(test_client_strings_are_bounded, open_site, close_site),
        cmocka_unit_test_setup_teardown(test_size_limit_qualifier, open_site, close_site),
        cmocka_unit_test_setup_teardown(test_every_declared_method_has_a_handler, open_site,
                                        close_site),
        cmocka_unit_test_setup_teardown(test_many_threads, open_site, close_site),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
