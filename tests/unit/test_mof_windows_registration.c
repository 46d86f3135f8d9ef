/* test_mof_windows_registration.c - mof/windows/smsprov_register.mof, which
 * only mofcomp on Windows reads, checked with our own compiler: it parses,
 * registers the CLSID that src/wmi/clsid.h gives smsprov.dll, and covers
 * every class the MOF marks Dynamic, Provider("smsprov") in the namespace
 * that class lives in; every method of such a class is Implemented, or WMI
 * would refuse to route ExecMethod to the DLL. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mof/mof.h"
#include "test_fixture.h"

#define SITE_NS "root\\sms\\site_LAB"
#define REPO_FILE(rel) SMSPROV_SOURCE_MOF_DIR "/../" rel

/* "{D72A...}" from the SMSPROV_WMI_CLSID_TEXT line of src/wmi/clsid.h. */
static char *dll_clsid(void)
{
    char *header = fixture_slurp(REPO_FILE("src/wmi/clsid.h"), NULL);
    const char *start = strstr(header, "SMSPROV_WMI_CLSID_TEXT L\"");
    assert_non_null(start);
    start = strchr(start, '"') + 1;
    const char *end = strchr(start, '"');
    char *clsid = cim_xasprintf("%.*s", (int)(end - start), start);
    free(header);
    return clsid;
}

static cim_schema *registered_schema(void)
{
    cim_schema *schema = cim_schema_new();
    smsprov_error err = {0};
    assert_int_equal(mof_compile_schema(schema, SMSPROV_SOURCE_MOF_DIR, SITE_NS, &err), 0);
    const char *namespaces[] = {"root", "root\\sms", SITE_NS};
    for (size_t i = 0; i < 3; i++) {
        /* __SystemClass comes with mof/system; root and root\sms need it too. */
        if (i < 2)
            assert_int_equal(mof_compile_file(schema, SMSPROV_SOURCE_MOF_DIR "/system/00_wmi_system.mof",
                                              namespaces[i], &err), 0);
        smsprov_code rc = mof_compile_file(
            schema, REPO_FILE("tests/unit/wmi_provider_registration_classes.mof"), namespaces[i],
            &err);
        if (rc != 0)
            fail_msg("%s", err.description);
    }
    smsprov_code rc =
        mof_compile_file(schema, SMSPROV_SOURCE_MOF_DIR "/windows/smsprov_register.mof", "root",
                         &err);
    if (rc != 0)
        fail_msg("%s", err.description);
    smsprov_error_clear(&err);
    return schema;
}

static const cim_instance *find_seed(const cim_schema *schema, const char *ns,
                                     const char *class_name, size_t skip)
{
    for (size_t i = 0; i < cim_schema_seed_count(schema); i++) {
        const char *seed_ns = NULL;
        const cim_instance *inst = cim_schema_seed_at(schema, i, &seed_ns);
        if (cim_namespace_equal(seed_ns, ns) && strcmp(inst->cls->name, class_name) == 0 &&
            skip-- == 0)
            return inst;
    }
    return NULL;
}

static const char *string_of(const cim_instance *inst, const char *name)
{
    const cim_value *v = cim_instance_get(inst, name);
    assert_non_null(v);
    return v->is_null ? NULL : v->u.string;
}

static void test_each_namespace_registers_the_dll_clsid(void **state)
{
    (void)state;
    cim_schema *schema = registered_schema();
    char *clsid = dll_clsid();
    const char *served[] = {"root\\sms", SITE_NS};
    for (size_t i = 0; i < 2; i++) {
        const cim_instance *provider = find_seed(schema, served[i], "__Win32Provider", 0);
        assert_non_null(provider);
        assert_string_equal(string_of(provider, "Name"), "smsprov");
        assert_string_equal(string_of(provider, "CLSID"), clsid);
        assert_string_equal(string_of(provider, "HostingModel"), "LocalSystemHost");
        const cim_instance *instances =
            find_seed(schema, served[i], "__InstanceProviderRegistration", 0);
        assert_non_null(instances);
        assert_string_equal(string_of(instances, "Provider"), "__Win32Provider.Name=\"smsprov\"");
        assert_true(cim_instance_get(instances, "SupportsGet")->u.boolean);
        assert_true(cim_instance_get(instances, "SupportsEnumeration")->u.boolean);
        const cim_value *levels = cim_instance_get(instances, "QuerySupportLevels");
        assert_int_equal(levels->u.array.count, 1);
        assert_string_equal(levels->u.array.items[0].u.string, "WQL:UnarySelect");
    }
    const cim_instance *site = find_seed(schema, SITE_NS, "__InstanceProviderRegistration", 0);
    assert_true(cim_instance_get(site, "SupportsPut")->u.boolean);
    assert_true(cim_instance_get(site, "SupportsDelete")->u.boolean);
    assert_non_null(find_seed(schema, SITE_NS, "__MethodProviderRegistration", 0));
    const cim_instance *ns = find_seed(schema, "root\\sms", "__Namespace", 0);
    assert_non_null(ns);
    assert_string_equal(string_of(ns, "Name"), "site_LAB");
    free(clsid);
    cim_schema_free(schema);
}

static bool registers_provider(const cim_schema *schema, const char *ns, const char *name)
{
    for (size_t k = 0;; k++) {
        const cim_instance *provider = find_seed(schema, ns, "__Win32Provider", k);
        if (!provider)
            return false;
        if (strcmp(string_of(provider, "Name"), name) == 0)
            return true;
    }
}

static void test_dynamic_classes_name_a_registered_provider_and_implement_methods(void **state)
{
    (void)state;
    cim_schema *schema = registered_schema();
    size_t dynamic = 0;
    for (size_t n = 0; n < cim_schema_namespace_count(schema); n++) {
        const char *ns = cim_schema_namespace_at(schema, n);
        size_t count = 0;
        const cim_class **classes = cim_schema_list_classes(schema, ns, NULL, true, &count);
        for (size_t i = 0; i < count; i++) {
            const cim_class *cls = classes[i];
            if (!cim_qualifier_is_true(&cls->qualifiers, "Dynamic"))
                continue;
            dynamic++;
            const cim_qualifier *provider = cim_qualifier_find(&cls->qualifiers, "Provider");
            assert_non_null(provider);
            if (!registers_provider(schema, ns, provider->value.u.string))
                fail_msg("%s names provider %s, which %s does not register", cls->name,
                         provider->value.u.string, ns);
            for (size_t m = 0; m < cls->method_count; m++)
                if (!cim_qualifier_is_true(&cls->methods[m].qualifiers, "Implemented"))
                    fail_msg("%s.%s lacks [Implemented]", cls->name, cls->methods[m].name);
        }
        free(classes);
    }
    /* Boot image, OS install package, OS image package, DP, driver, driver
     * ref, two OC classes, system resource list, provider location;
     * SMS_Admin, SMS_Role, SMS_SecuredCategory, SMS_SecuredCategoryMembership. */
    assert_int_equal(dynamic, 14);
    cim_schema_free(schema);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_each_namespace_registers_the_dll_clsid),
        cmocka_unit_test(test_dynamic_classes_name_a_registered_provider_and_implement_methods),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
