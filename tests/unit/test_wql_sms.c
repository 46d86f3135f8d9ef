/*
 * test_wql_sms.c - the queries the issue names, over the real schema in
 * mof/ (compiled into root\sms\site_LAB) and packages stored with it:
 *   Get-CimInstance -Query "SELECT * FROM SMS_BootImagePackage WHERE Name LIKE '%x64%'"
 *   Get-CimInstance -ClassName SMS_BootImagePackage -Filter "PackageID='LAB00002'"
 * and what a script sees of lazy properties and mistakes.
 */
#include "test_wql_fixture.h"

#define SITE_NS "root\\sms\\site_LAB"

typedef struct sms_fixture {
    cim_schema *schema;
    store *st;
    char *path;
} sms_fixture;

static cim_instance *package(const cim_schema *schema, const char *class_name, const char *id,
                             const char *name, const char *image_property)
{
    const cim_class *cls = cim_schema_find_class(schema, SITE_NS, class_name);
    if (!cls)
        fail_msg("the schema has no %s", class_name);
    cim_instance *inst = cim_instance_spawn(cls);
    smsprov_error err = {0};
    wql_check(cim_instance_set_string(inst, "PackageID", id, &err), &err, "PackageID");
    wql_check(cim_instance_set_string(inst, "Name", name, &err), &err, "Name");
    wql_check(cim_instance_set_uint(inst, "PackageType",
                                    strcmp(class_name, "SMS_BootImagePackage") == 0 ? 258 : 259,
                                    &err),
              &err, "PackageType");
    wql_check(cim_instance_set_string(inst, "ImageProperty", image_property, &err), &err,
              "ImageProperty");
    return inst;
}

static int setup(void **state)
{
    sms_fixture *f = cim_xcalloc(1, sizeof *f);
    smsprov_error err = {0};
    f->schema = cim_schema_new();
    wql_check(mof_compile_dir(f->schema, SMSPROV_SOURCE_MOF_DIR "/system", SITE_NS, &err), &err,
              "compiling mof/system");
    wql_check(mof_compile_dir(f->schema, SMSPROV_SOURCE_MOF_DIR, SITE_NS, &err), &err,
              "compiling mof/");
    f->path = wql_scratch_path("sms");
    wql_check(store_open(f->path, f->schema, &f->st, &err), &err, "store_open");
    store_txn *txn = NULL;
    wql_check(store_begin(f->st, true, &txn, &err), &err, "store_begin");
    static const struct {
        const char *cls, *id, *name;
    } rows[] = {
        {"SMS_BootImagePackage", "LAB00001", "Boot image (x64)"},
        {"SMS_BootImagePackage", "LAB00002", "Boot image (x86)"},
        {"SMS_BootImagePackage", "LAB00003", "WinPE x64 custom"},
        {"SMS_OperatingSystemInstallPackage", "LAB00004", "Windows 11 x64"},
        {"SMS_OperatingSystemInstallPackage", "LAB00005", "Windows Server 2022"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        cim_instance *inst = package(f->schema, rows[i].cls, rows[i].id, rows[i].name,
                                     "<WIM><IMAGE INDEX=\"1\"/></WIM>");
        wql_check(store_insert(txn, inst, &err), &err, "store_insert");
        cim_instance_free(inst);
    }
    wql_check(store_commit(txn, &err), &err, "store_commit");
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    sms_fixture *f = *state;
    store_close(f->st);
    cim_schema_free(f->schema);
    const char *suffixes[] = {"", "-wal", "-shm"};
    for (size_t i = 0; i < 3; i++) {
        char *file = cim_xasprintf("%s%s", f->path, suffixes[i]);
        unlink(file);
        free(file);
    }
    free(f->path);
    free(f);
    return 0;
}

static char *query_ids(const sms_fixture *f, const char *text, wql_mode mode)
{
    smsprov_instance_list list = {0};
    smsprov_error err = {0};
    wql_check(wql_execute(f->st, f->schema, SITE_NS, text, mode, &list, &err), &err, text);
    char *ids = wql_ids(&list);
    wql_list_free(&list);
    return ids;
}

static void expect_ids(const sms_fixture *f, const char *text, const char *ids)
{
    for (int mode = WQL_PUSHDOWN; mode <= WQL_IN_MEMORY; mode++) {
        char *got = query_ids(f, text, (wql_mode)mode);
        if (strcmp(got, ids) != 0)
            fail_msg("%s\n  expected: %s\n  got:      %s", text, ids, got);
        free(got);
    }
}

static void test_the_queries_scripts_write(void **state)
{
    const sms_fixture *f = *state;
    expect_ids(f, "SELECT * FROM SMS_BootImagePackage WHERE Name LIKE '%x64%'",
               "LAB00001 LAB00003");
    expect_ids(f, "SELECT * FROM SMS_BootImagePackage WHERE PackageID='LAB00002'", "LAB00002");
    expect_ids(f, "SELECT * FROM SMS_BootImagePackage WHERE packageid = 'lab00002'", "LAB00002");
    expect_ids(f, "SELECT * FROM SMS_PackageBaseclass WHERE Name LIKE '%x64%'",
               "LAB00001 LAB00003 LAB00004");
    expect_ids(f,
               "SELECT * FROM SMS_PackageBaseclass WHERE __CLASS = "
               "'SMS_OperatingSystemInstallPackage'",
               "LAB00004 LAB00005");
    expect_ids(f, "SELECT * FROM SMS_PackageBaseclass WHERE __CLASS ISA 'SMS_BootImagePackage'",
               "LAB00001 LAB00002 LAB00003");
    expect_ids(f, "SELECT * FROM SMS_PackageBaseclass WHERE PackageType = '259'",
               "LAB00004 LAB00005");
    expect_ids(f, "SELECT PackageID, Name FROM SMS_PackageBaseclass ORDER BY Name DESC",
               "LAB00003 LAB00005 LAB00004 LAB00002 LAB00001");
    expect_ids(f, "SELECT * FROM SMS_OperatingSystemInstallPackage WHERE ImageProperty LIKE "
                  "'%INDEX=\"1\"%'",
               "LAB00004 LAB00005");
}

static void test_lazy_properties_come_back_null(void **state)
{
    const sms_fixture *f = *state;
    smsprov_instance_list list = {0};
    smsprov_error err = {0};
    wql_check(wql_execute(f->st, f->schema, SITE_NS,
                          "SELECT Name, ImageProperty FROM SMS_BootImagePackage WHERE "
                          "ImageProperty IS NOT NULL",
                          WQL_PUSHDOWN, &list, &err),
              &err, "query");
    assert_int_equal(list.count, 3);
    for (size_t i = 0; i < list.count; i++) {
        assert_true(wql_value(list.items[i], "ImageProperty")->is_null);
        assert_false(wql_value(list.items[i], "Name")->is_null);
        assert_false(wql_value(list.items[i], "PackageID")->is_null);
        assert_true(wql_value(list.items[i], "PkgSourceFlag")->is_null); /* not selected */
    }
    wql_list_free(&list);
}

static void test_count_and_mistakes(void **state)
{
    const sms_fixture *f = *state;
    smsprov_instance_list list = {0};
    smsprov_error err = {0};
    wql_check(wql_execute(f->st, f->schema, SITE_NS, "SELECT COUNT(*) FROM SMS_PackageBaseclass",
                          WQL_PUSHDOWN, &list, &err),
              &err, "count");
    assert_int_equal(wql_value(list.items[0], "Count")->u.uint, 5);
    wql_list_free(&list);

    static const struct {
        const char *text;
        smsprov_code code;
        const char *needle;
    } mistakes[] = {
        {"SELECT * FROM SMS_BootImagePackage WHERE Nme = 'x'", SMSPROV_E_INVALID_QUERY,
         "\"Nme\" is not a property of SMS_BootImagePackage"},
        {"SELECT * FROM SMS_BootImagePackag", SMSPROV_E_INVALID_CLASS,
         "SMS_BootImagePackag (at position 15) is not a class in namespace root\\sms\\site_LAB"},
        {"SELECT * FROM SMS_BootImagePackage WHERE RefreshSchedule IS NULL",
         SMSPROV_E_INVALID_QUERY, "WQL has no array predicates"},
        {"SELECT * FROM SMS_BootImagePackage WHERE ReferencedDrivers = 'x'",
         SMSPROV_E_INVALID_QUERY, "array property"},
        {"SELECT * FROM SMS_ScheduleToken", SMSPROV_E_INVALID_OPERATION, "embedded class"},
        {"SELECT * FROM SMS_BootImagePackage b JOIN SMS_DistributionPoint d ON "
         "b.PackageID = d.PackageID",
         SMSPROV_E_INVALID_QUERY, "JOIN is not supported yet"},
        {"SELECT * FROM SMS_BootImagePackage INNER JOIN SMS_DistributionPoint ON "
         "SMS_BootImagePackage.PackageID = SMS_DistributionPoint.PackageID",
         SMSPROV_E_INVALID_QUERY,
         "JOIN is not supported yet (extended WQL join queries are out of scope)"},
        {"SELECT * FROM SMS_BootImagePackage WHERE PackageType = 'boot'",
         SMSPROV_E_INVALID_QUERY, "\"boot\" at position 56 cannot be compared with PackageType"},
    };
    for (size_t i = 0; i < sizeof mistakes / sizeof mistakes[0]; i++) {
        smsprov_code rc = wql_execute(f->st, f->schema, SITE_NS, mistakes[i].text, WQL_PUSHDOWN,
                                      &list, &err);
        if (rc != mistakes[i].code)
            fail_msg("%s: expected %s, got %s", mistakes[i].text,
                     smsprov_code_name(mistakes[i].code), smsprov_code_name(rc));
        if (!strstr(err.description, mistakes[i].needle))
            fail_msg("%s: \"%s\" lacks \"%s\"", mistakes[i].text, err.description,
                     mistakes[i].needle);
        assert_int_equal(list.count, 0);
        smsprov_error_clear(&err);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_the_queries_scripts_write),
        cmocka_unit_test(test_lazy_properties_come_back_null),
        cmocka_unit_test(test_count_and_mistakes),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
