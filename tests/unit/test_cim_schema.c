/* test_cim_schema.c - the class registry: adding classes, namespaces,
 * listing, concrete classes and seed instances. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "smsprov/cim.h"

#define SITE "root\\sms\\site_LAB"

static void set_flag(cim_qualifier_list *list, const char *name)
{
    cim_value yes = cim_value_bool(true);
    cim_qualifier_list_set(list, name, &yes, CIM_FLAVOR_TOSUBCLASS);
}

/* Builds, finishes and registers a class the way the MOF compiler does. */
static const cim_class *add(cim_schema *schema, const char *ns, const char *name,
                            const char *super, bool abstract)
{
    cim_class *cls = cim_class_new(name, super, ns);
    if (super)
        cim_class_inherit(cls, cim_schema_find_class(schema, ns, super));
    if (abstract)
        set_flag(&cls->qualifiers, "Abstract");
    cim_property *key = cim_class_add_property(cls, "ID", CIM_TYPE_STRING, false);
    set_flag(&key->qualifiers, "key");
    assert_int_equal(cim_class_finish(cls, NULL), SMSPROV_OK);
    assert_int_equal(cim_schema_add_class(schema, cls, NULL), SMSPROV_OK);
    return cls;
}

static cim_schema *make_schema(void)
{
    cim_schema *schema = cim_schema_new();
    add(schema, SITE, "SMS_BaseClass", NULL, true);
    add(schema, SITE, "SMS_PackageBaseclass", "SMS_BaseClass", true);
    add(schema, SITE, "SMS_BootImagePackage", "SMS_PackageBaseclass", false);
    add(schema, SITE, "SMS_OperatingSystemInstallPackage", "SMS_PackageBaseclass", false);
    add(schema, SITE, "SMS_Driver_Details", NULL, false);
    add(schema, "root\\sms", "SMS_ProviderLocation", NULL, false);
    return schema;
}

static void test_namespace_equal(void **state)
{
    (void)state;
    assert_true(cim_namespace_equal("root\\sms", "ROOT\\SMS"));
    assert_true(cim_namespace_equal("root/sms/site_LAB", "root\\sms\\site_lab"));
    assert_true(cim_namespace_equal("\\\\.\\root\\sms", "root\\sms"));
    assert_true(cim_namespace_equal("//server/root/sms", "root\\sms"));
    assert_true(cim_namespace_equal("\\\\server\\root\\sms\\", "root/sms"));
    assert_false(cim_namespace_equal("root\\sms", "root\\sms\\site_LAB"));
    assert_false(cim_namespace_equal("root\\sms", "root\\smx"));
    assert_false(cim_namespace_equal("root", NULL));
    assert_true(cim_namespace_equal(NULL, NULL));
}

static void test_find_and_namespaces(void **state)
{
    (void)state;
    cim_schema *schema = make_schema();
    const cim_class *boot = cim_schema_find_class(schema, "\\\\.\\ROOT/sms/site_lab",
                                                  "sms_bootimagepackage");
    assert_non_null(boot);
    assert_string_equal(boot->name, "SMS_BootImagePackage");
    assert_non_null(boot->superclass);
    assert_string_equal(boot->superclass->name, "SMS_PackageBaseclass");
    assert_true(cim_class_is_a(boot, "SMS_BaseClass"));
    assert_null(cim_schema_find_class(schema, "root\\sms", "SMS_BootImagePackage"));
    assert_null(cim_schema_find_class(schema, "root\\cimv2", "SMS_BootImagePackage"));
    assert_true(cim_schema_has_namespace(schema, "ROOT\\SMS"));
    assert_false(cim_schema_has_namespace(schema, "root\\cimv2"));
    assert_int_equal(cim_schema_namespace_count(schema), 2);
    assert_string_equal(cim_schema_namespace_at(schema, 0), SITE);
    assert_string_equal(cim_schema_namespace_at(schema, 1), "root\\sms");
    assert_null(cim_schema_namespace_at(schema, 2));
    cim_schema_free(schema);
}

static void expect_add_error(cim_schema *schema, cim_class *cls, smsprov_code code,
                             const char *needle)
{
    smsprov_error err = {0};
    assert_int_equal(cim_schema_add_class(schema, cls, &err), code);
    assert_non_null(strstr(err.description, needle));
    smsprov_error_clear(&err);
    cim_class_free(cls); /* still ours: the schema took nothing */
}

static void test_add_errors(void **state)
{
    (void)state;
    cim_schema *schema = make_schema();
    expect_add_error(schema, cim_class_new("SMS_Package", "SMS_Missing", SITE),
                     SMSPROV_E_INVALID_CLASS, "derives from SMS_Missing");
    /* The superclass exists, but only in another namespace. */
    expect_add_error(schema, cim_class_new("X", "SMS_ProviderLocation", SITE),
                     SMSPROV_E_INVALID_CLASS, "not defined in namespace");
    expect_add_error(schema, cim_class_new("SMS_Package", "SMS_PackageBaseclass", SITE),
                     SMSPROV_E_INVALID_CLASS, "cim_class_inherit");
    expect_add_error(schema, cim_class_new("sms_bootimagepackage", NULL, SITE),
                     SMSPROV_E_ALREADY_EXISTS, "already defined");
    expect_add_error(schema, cim_class_new("9Lives", NULL, SITE), SMSPROV_E_INVALID_CLASS,
                     "not a valid class name");
    expect_add_error(schema, cim_class_new("Bad-Name", NULL, SITE), SMSPROV_E_INVALID_CLASS,
                     "not a valid class name");
    expect_add_error(schema, cim_class_new("NoNamespace", NULL, NULL),
                     SMSPROV_E_INVALID_NAMESPACE, "has no namespace");
    size_t count;
    const cim_class **all = cim_schema_list_classes(schema, SITE, NULL, true, &count);
    assert_int_equal(count, 5); /* nothing was added by the failures */
    free(all);
    /* A class of the same name in another namespace is fine. */
    add(schema, "root\\sms", "SMS_Driver_Details", NULL, false);
    cim_schema_free(schema);
}

static void assert_names(const cim_class **list, const size_t *count, const char *const *names,
                         size_t expected)
{
    assert_int_equal(*count, expected);
    for (size_t i = 0; i < expected; i++)
        assert_string_equal(list[i]->name, names[i]);
    free(list);
}

static void test_list_classes(void **state)
{
    (void)state;
    cim_schema *schema = make_schema();
    size_t n;
    static const char *const all[] = {"SMS_BaseClass", "SMS_PackageBaseclass",
                                      "SMS_BootImagePackage",
                                      "SMS_OperatingSystemInstallPackage", "SMS_Driver_Details"};
    assert_names(cim_schema_list_classes(schema, SITE, NULL, true, &n), &n, all, 5);
    static const char *const roots[] = {"SMS_BaseClass", "SMS_Driver_Details"};
    assert_names(cim_schema_list_classes(schema, SITE, NULL, false, &n), &n, roots, 2);
    static const char *const under_base[] = {"SMS_PackageBaseclass", "SMS_BootImagePackage",
                                             "SMS_OperatingSystemInstallPackage"};
    assert_names(cim_schema_list_classes(schema, SITE, "sms_baseclass", true, &n), &n, under_base,
                 3);
    static const char *const children[] = {"SMS_PackageBaseclass"};
    assert_names(cim_schema_list_classes(schema, SITE, "SMS_BaseClass", false, &n), &n, children,
                 1);
    assert_names(cim_schema_list_classes(schema, SITE, "SMS_Nothing", true, &n), &n, NULL, 0);
    assert_names(cim_schema_list_classes(schema, "root\\none", NULL, true, &n), &n, NULL, 0);

    const cim_class *base = cim_schema_find_class(schema, SITE, "SMS_PackageBaseclass");
    static const char *const concrete[] = {"SMS_BootImagePackage",
                                           "SMS_OperatingSystemInstallPackage"};
    assert_names(cim_schema_concrete_classes(schema, base, &n), &n, concrete, 2);
    const cim_class *boot = cim_schema_find_class(schema, SITE, "SMS_BootImagePackage");
    assert_names(cim_schema_concrete_classes(schema, boot, &n), &n, concrete, 1);
    cim_schema_free(schema);
}

static void test_seeds(void **state)
{
    (void)state;
    cim_schema *schema = make_schema();
    assert_int_equal(cim_schema_seed_count(schema), 0);
    assert_null(cim_schema_seed_at(schema, 0, NULL));
    const cim_class *loc = cim_schema_find_class(schema, "root\\sms", "SMS_ProviderLocation");
    const cim_class *drv = cim_schema_find_class(schema, SITE, "SMS_Driver_Details");
    cim_instance *a = cim_instance_new(loc);
    cim_instance *b = cim_instance_new(drv);
    cim_schema_add_seed(schema, "\\\\.\\root\\sms", a);
    cim_schema_add_seed(schema, "root\\extra", b);
    assert_int_equal(cim_schema_seed_count(schema), 2);
    const char *ns = NULL;
    assert_ptr_equal(cim_schema_seed_at(schema, 0, &ns), a);
    assert_string_equal(ns, "root\\sms");
    assert_ptr_equal(cim_schema_seed_at(schema, 1, &ns), b);
    assert_string_equal(ns, "root\\extra");
    /* A seed makes its namespace known. */
    assert_true(cim_schema_has_namespace(schema, "root/extra"));
    assert_int_equal(cim_schema_namespace_count(schema), 3);
    cim_schema_free(schema);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_namespace_equal),
        cmocka_unit_test(test_find_and_namespaces),
        cmocka_unit_test(test_add_errors),
        cmocka_unit_test(test_list_classes),
        cmocka_unit_test(test_seeds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
