/* test_mof_schema.c - the real schema in mof/ compiles and says what the
 * ConfigMgr documentation says: property and method counts, static methods,
 * lazy, read-only, large and key sets, defaults, schedule token ranges and
 * the method parameter classes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mof/mof.h"

#define SITE "root\\sms\\site_LAB"
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static cim_schema *schema;

static int load_schema(void **state)
{
    (void)state;
    schema = cim_schema_new();
    smsprov_error err = {0};
    if (mof_compile_schema(schema, SMSPROV_SOURCE_MOF_DIR, SITE, &err) != SMSPROV_OK) {
        fprintf(stderr, "schema does not compile: %s\n", err.description);
        smsprov_error_clear(&err);
        return -1;
    }
    return 0;
}

static int free_schema(void **state)
{
    (void)state;
    cim_schema_free(schema);
    return 0;
}

static const cim_class *site_class(const char *name)
{
    const cim_class *cls = cim_schema_find_class(schema, SITE, name);
    if (!cls)
        fail_msg("class %s is missing", name);
    return cls;
}

static bool listed(const char *name, const char *const *names, size_t count)
{
    for (size_t i = 0; i < count; i++)
        if (strcmp(names[i], name) == 0)
            return true;
    return false;
}

/* Exactly the listed properties carry the flag. */
static void assert_flag_set(const cim_class *cls, unsigned flag, const char *const *names,
                            size_t count)
{
    for (size_t i = 0; i < count; i++)
        if (!cim_class_find_property(cls, names[i]))
            fail_msg("%s has no property %s", cls->name, names[i]);
    for (size_t i = 0; i < cls->property_count; i++) {
        const cim_property *p = &cls->properties[i];
        bool want = listed(p->name, names, count);
        if (want != ((p->flags & flag) != 0))
            fail_msg("%s.%s: flag 0x%x expected %s", cls->name, p->name, flag,
                     want ? "set" : "clear");
    }
}

static const char *const base_lazy[] = {
    "AlternateContentProviders", "ExtendedData", "ExtendedDataSize", "IconSize", "ISVData",
    "ISVDataSize", "RefreshPkgSourceFlag", "RefreshSchedule"};
static const char *const base_read_only[] = {
    "ActionInProgress", "LastRefreshTime", "LocalizedCategoryInstanceNames", "PackageSize",
    "SecuredScopeNames", "SedoObjectVersion", "SourceDate", "SourceSite", "SourceVersion"};
static const char *const large[] = {"AlternateContentProviders", "ExtendedData", "Icon",
                                    "ISVData"};
static const char *const package_id[] = {"PackageID"};
static const char *const pkg_flags[] = {"PkgFlags"};

static void test_class_tree(void **state)
{
    (void)state;
    size_t n;
    const cim_class **all = cim_schema_list_classes(schema, SITE, NULL, true, &n);
    free(all);
    /* Other issues add classes; these are the ones this schema must hold. */
    static const char *const required[] = {
        "__SystemClass", "__NotifyStatus", "__ExtendedStatus", "SMS_BaseClass",
        "SMS_ExtendedStatus", "SMS_ScheduleToken", "SMS_ST_NonRecurring",
        "SMS_ST_RecurInterval", "SMS_ST_RecurWeekly", "SMS_ST_RecurMonthlyByDate",
        "SMS_ST_RecurMonthlyByWeekday", "SMS_Driver_Details", "SMS_PackageBaseclass",
        "SMS_BootImagePackage", "SMS_OperatingSystemInstallPackage", "SMS_ImagePackage"};
    assert_true(n >= sizeof required / sizeof required[0]);
    for (size_t i = 0; i < sizeof required / sizeof required[0]; i++)
        assert_non_null(site_class(required[i]));
    assert_true(site_class("SMS_BaseClass")->flags & CIM_CLASS_ABSTRACT);
    const cim_class *base = site_class("SMS_PackageBaseclass");
    assert_true(base->flags & CIM_CLASS_ABSTRACT);
    assert_string_equal(base->superclass_name, "SMS_BaseClass");
    assert_int_equal(base->property_count, 43);
    assert_int_equal(base->method_count, 0);
    /* Left out on purpose: the OSD children do not list it. */
    assert_null(cim_class_find_property(base, "ISVString"));

    const char *packages[] = {"SMS_BootImagePackage", "SMS_OperatingSystemInstallPackage",
                              "SMS_ImagePackage"};
    for (size_t i = 0; i < COUNT(packages); i++) {
        const cim_class *cls = site_class(packages[i]);
        assert_int_equal(cls->flags, CIM_CLASS_SECURED);
        assert_true(cim_class_is_a(cls, "SMS_BaseClass"));
        assert_string_equal(cim_qualifier_find(&cls->qualifiers, "Icon")->value.u.string,
                            "Package.ico");
        assert_int_equal(cls->key_count, 1);
        assert_flag_set(cls, CIM_PROP_KEY, package_id, 1);
        assert_flag_set(cls, CIM_PROP_LARGE, large, COUNT(large));
        assert_flag_set(cls, CIM_PROP_BITS, pkg_flags, 1);
    }
    const cim_class **concrete = cim_schema_concrete_classes(schema, base, &n);
    assert_int_equal(n, 3);
    free(concrete);
}

static void test_boot_image_package(void **state)
{
    (void)state;
    const cim_class *boot = site_class("SMS_BootImagePackage");
    assert_int_equal(boot->property_count, 58);
    assert_int_equal(boot->method_count, 13);
    static const char *const lazy[] = {
        "AlternateContentProviders", "BackgroundBitmapPath", "ContextID", "EnableLabShell",
        "ExtendedData", "ExtendedDataSize", "IconSize", "ImageDiskLayout", "ImageIndex",
        "ImageProperty", "ISVData", "ISVDataSize", "OptionalComponents", "PreExecCommandLine",
        "ReferencedDrivers", "RefreshPkgSourceFlag", "RefreshSchedule", "ScratchSpace"};
    assert_flag_set(boot, CIM_PROP_LAZY, lazy, COUNT(lazy));
    static const char *const read_only[] = {
        "ActionInProgress", "Architecture", "ImageDiskLayout", "LastRefreshTime",
        "LocalizedCategoryInstanceNames", "PackageSize", "SecuredScopeNames",
        "SedoObjectVersion", "SourceDate", "SourceSite", "SourceVersion"};
    assert_flag_set(boot, CIM_PROP_READ_ONLY, read_only, COUNT(read_only));

    const cim_property *type = cim_class_find_property(boot, "PackageType");
    assert_int_equal(type->default_value.u.uint, 258);
    assert_string_equal(type->origin_class, "SMS_PackageBaseclass");
    const cim_property *drivers = cim_class_find_property(boot, "ReferencedDrivers");
    assert_int_equal(drivers->type, CIM_TYPE_OBJECT);
    assert_true(drivers->is_array);
    assert_string_equal(drivers->ref_class, "SMS_Driver_Details");
    const cim_property *oc = cim_class_find_property(boot, "OptionalComponents");
    assert_int_equal(oc->type, CIM_TYPE_UINT32);
    assert_true(oc->is_array);

    static const struct {
        const char *name;
        bool is_static;
    } methods[] = {
        {"AddChangeNotification", false}, {"AddDistributionPoints", false},
        {"DeleteContextID", true},        {"ExportDefaultBootImage", true},
        {"GetImageProperties", true},     {"QueryOSDBinaryInjectionStatus", true},
        {"RefreshPkgSource", false},      {"ReloadImageProperties", false},
        {"SetSourceSite", false},         {"Unlock", false},
        {"UpdateDefaultImage", false},    {"UpdateImage", false},
        {"UpdateOptionalComponents", false},
    };
    for (size_t i = 0; i < COUNT(methods); i++) {
        const cim_method *m = cim_class_find_method(boot, methods[i].name);
        assert_non_null(m);
        assert_int_equal(m->is_static, methods[i].is_static);
        assert_int_equal(m->return_type, CIM_TYPE_SINT32);
        assert_string_equal(m->out_class->properties[0].name, "ReturnValue");
    }
}

static void assert_members(const cim_class *params, const char *const *names, size_t count,
                           const cim_type *types)
{
    assert_true(params->flags & CIM_CLASS_PARAMETERS);
    assert_int_equal(params->property_count, count);
    for (size_t i = 0; i < count; i++) {
        assert_string_equal(params->properties[i].name, names[i]);
        assert_int_equal(params->properties[i].type, types[i]);
    }
}

static void test_parameter_classes(void **state)
{
    (void)state;
    const cim_class *boot = site_class("SMS_BootImagePackage");
    const cim_method *query = cim_class_find_method(boot, "QueryOSDBinaryInjectionStatus");
    static const char *const query_in[] = {"ContextID"};
    static const cim_type query_in_types[] = {CIM_TYPE_STRING};
    assert_members(query->in_class, query_in, 1, query_in_types);
    static const char *const query_out[] = {"ReturnValue", "Status", "Progress", "MaxProgress",
                                            "ProgressText", "ErrorCode", "ExtendedErrorInfo"};
    static const cim_type query_out_types[] = {CIM_TYPE_SINT32, CIM_TYPE_UINT32, CIM_TYPE_UINT32,
                                               CIM_TYPE_UINT32, CIM_TYPE_STRING, CIM_TYPE_SINT32,
                                               CIM_TYPE_STRING};
    assert_members(query->out_class, query_out, 7, query_out_types);

    const cim_method *export = cim_class_find_method(boot, "ExportDefaultBootImage");
    static const char *const export_in[] = {"Architecture", "ImageIndex", "ExportImagePath"};
    static const cim_type export_in_types[] = {CIM_TYPE_STRING, CIM_TYPE_UINT32, CIM_TYPE_STRING};
    assert_members(export->in_class, export_in, 3, export_in_types);

    const cim_method *add = cim_class_find_method(boot, "AddDistributionPoints");
    assert_int_equal(add->in_class->property_count, 2);
    assert_true(add->in_class->properties[0].is_array);
    assert_true(add->in_class->properties[1].is_array);
    assert_int_equal(add->out_class->property_count, 1);

    const cim_method *images = cim_class_find_method(boot, "GetImageProperties");
    assert_string_equal(images->in_class->properties[0].name, "SourceImagePath");
    assert_string_equal(images->out_class->properties[1].name, "ImageProperty");

    const cim_method *refresh = cim_class_find_method(boot, "RefreshPkgSource");
    assert_int_equal(refresh->param_count, 1);
    assert_true(refresh->params[0].optional);
    assert_true(refresh->params[0].in);

    const cim_method *components = cim_class_find_method(boot, "UpdateOptionalComponents");
    assert_int_equal(components->params[0].type, CIM_TYPE_STRING);
    assert_true(components->params[0].is_array);
    assert_int_equal(cim_class_find_method(boot, "Unlock")->in_class->property_count, 0);
}

static void test_os_install_package(void **state)
{
    (void)state;
    const cim_class *osip = site_class("SMS_OperatingSystemInstallPackage");
    assert_int_equal(osip->property_count, 44);
    assert_int_equal(osip->method_count, 7);
    assert_int_equal(cim_class_find_property(osip, "PackageType")->default_value.u.uint, 259);
    static const char *const lazy[] = {
        "AlternateContentProviders", "ExtendedData", "ExtendedDataSize", "IconSize",
        "ImageProperty", "ISVData", "ISVDataSize", "RefreshPkgSourceFlag", "RefreshSchedule"};
    assert_flag_set(osip, CIM_PROP_LAZY, lazy, COUNT(lazy));
    assert_flag_set(osip, CIM_PROP_READ_ONLY, base_read_only, COUNT(base_read_only));
    static const char *const methods[] = {"AddChangeNotification", "AddDistributionPoints",
                                          "GetImageProperties", "RefreshPkgSource",
                                          "ReloadImageProperties", "SetSourceSite", "Unlock"};
    for (size_t i = 0; i < COUNT(methods); i++) {
        const cim_method *m = cim_class_find_method(osip, methods[i]);
        assert_non_null(m);
        assert_int_equal(m->is_static, strcmp(methods[i], "GetImageProperties") == 0);
    }
    assert_int_equal(cim_class_find_method(osip, "RefreshPkgSource")->param_count, 0);
    assert_string_equal(cim_class_find_property(osip, "ImageProperty")->default_value.u.string, "");

    const cim_class *base = site_class("SMS_PackageBaseclass");
    assert_flag_set(base, CIM_PROP_LAZY, base_lazy, COUNT(base_lazy));
}

static void test_os_image_package(void **state)
{
    (void)state;
    const cim_class *img = site_class("SMS_ImagePackage");
    /* 43 base properties + ImageDiskLayout + ImageProperty. */
    assert_int_equal(img->property_count, 45);
    assert_int_equal(img->method_count, 8);
    assert_int_equal(cim_class_find_property(img, "PackageType")->default_value.u.uint, 257);
    static const char *const lazy[] = {
        "AlternateContentProviders", "ExtendedData", "ExtendedDataSize", "IconSize",
        "ImageDiskLayout", "ImageProperty", "ISVData", "ISVDataSize", "RefreshPkgSourceFlag",
        "RefreshSchedule"};
    assert_flag_set(img, CIM_PROP_LAZY, lazy, COUNT(lazy));
    const char *read_only[COUNT(base_read_only) + 1];
    for (size_t i = 0; i < COUNT(base_read_only); i++)
        read_only[i] = base_read_only[i];
    read_only[COUNT(base_read_only)] = "ImageDiskLayout";
    assert_flag_set(img, CIM_PROP_READ_ONLY, read_only, COUNT(read_only));
    assert_false(cim_class_find_property(img, "ImageProperty")->flags & CIM_PROP_READ_ONLY);
    static const char *const methods[] = {
        "AddChangeNotification", "AddDistributionPoints", "GetImageProperties",
        "RefreshPkgSource",      "ReloadImageProperties", "RunOfflineServicingManager",
        "SetSourceSite",         "Unlock"};
    for (size_t i = 0; i < COUNT(methods); i++) {
        const cim_method *m = cim_class_find_method(img, methods[i]);
        assert_non_null(m);
        bool is_static = strcmp(methods[i], "GetImageProperties") == 0 ||
                         strcmp(methods[i], "RunOfflineServicingManager") == 0;
        assert_int_equal(m->is_static, is_static);
    }
    assert_int_equal(cim_class_find_method(img, "RefreshPkgSource")->param_count, 0);
    assert_int_equal(cim_class_find_method(img, "RunOfflineServicingManager")->param_count, 4);

    const cim_class *list = site_class("SMS_SystemResourceList");
    assert_true(list->flags & CIM_CLASS_READ_ONLY);
    assert_int_equal(list->key_count, 4);
    const cim_class *nal = site_class("SMS_NAL_Methods");
    assert_true(nal->flags & CIM_CLASS_ABSTRACT);
    assert_true(cim_class_find_method(nal, "PackNALPath")->is_static);
    assert_true(cim_class_find_method(nal, "UnPackNALPath")->is_static);
}

static void test_package_defaults(void **state)
{
    (void)state;
    const cim_class *boot = site_class("SMS_BootImagePackage");
    static const struct {
        const char *name;
        uint64_t value;
    } numbers[] = {
        {"ForcedDisconnectDelay", 5}, {"ForcedDisconnectNumRetries", 2}, {"PkgSourceFlag", 1},
        {"ShareType", 1},             {"StoredPkgVersion", 0},           {"ExtendedDataSize", 0},
        {"IconSize", 0},              {"ISVDataSize", 0},
    };
    for (size_t i = 0; i < COUNT(numbers); i++) {
        const cim_value *v = &cim_class_find_property(boot, numbers[i].name)->default_value;
        assert_false(v->is_null);
        assert_int_equal(v->u.uint, numbers[i].value);
    }
    static const char *const false_flags[] = {"ForcedDisconnectEnabled", "IgnoreAddressSchedule",
                                              "RefreshPkgSourceFlag", "DefaultImage",
                                              "EnableLabShell"};
    for (size_t i = 0; i < COUNT(false_flags); i++) {
        const cim_value *v = &cim_class_find_property(boot, false_flags[i])->default_value;
        assert_int_equal(v->type, CIM_TYPE_BOOLEAN);
        assert_false(v->is_null);
        assert_false(v->u.boolean);
    }
    static const char *const empty[] = {"Name", "Architecture", "ContextID", "ImageDiskLayout",
                                        "ImageProperty"};
    for (size_t i = 0; i < COUNT(empty); i++)
        assert_string_equal(cim_class_find_property(boot, empty[i])->default_value.u.string, "");
    static const char *const no_default[] = {"PackageID", "Priority", "PkgFlags", "ImageIndex",
                                             "Description", "RefreshSchedule"};
    for (size_t i = 0; i < COUNT(no_default); i++)
        assert_true(cim_class_find_property(boot, no_default[i])->default_value.is_null);

    const cim_property *schedule = cim_class_find_property(boot, "RefreshSchedule");
    assert_true(schedule->flags & CIM_PROP_MAX);
    assert_int_equal(schedule->max_count, 15);
    assert_string_equal(schedule->ref_class, "SMS_ScheduleToken");
    assert_true(schedule->is_array);
}

static void test_schedule_tokens(void **state)
{
    (void)state;
    const cim_class *token = site_class("SMS_ScheduleToken");
    assert_int_equal(token->flags, CIM_CLASS_ABSTRACT | CIM_CLASS_EMBEDDED);
    assert_int_equal(token->property_count, 5);
    assert_string_equal(cim_class_find_property(token, "StartTime")->default_value.u.string,
                        "19700201000000.000000+***");
    assert_false(cim_class_find_property(token, "IsGMT")->default_value.u.boolean);

    static const struct {
        const char *cls, *prop;
        int64_t low, high, def;
    } ranges[] = {
        {"SMS_ScheduleToken", "DayDuration", 0, 31, 0},
        {"SMS_ScheduleToken", "HourDuration", 0, 23, 0},
        {"SMS_ScheduleToken", "MinuteDuration", 0, 59, 0},
        {"SMS_ST_NonRecurring", "DayDuration", 0, 31, 0},
        {"SMS_ST_RecurInterval", "DaySpan", 0, 31, 0},
        {"SMS_ST_RecurInterval", "HourSpan", 0, 23, 0},
        {"SMS_ST_RecurInterval", "MinuteSpan", 0, 59, 0},
        {"SMS_ST_RecurWeekly", "ForNumberOfWeeks", 1, 4, 1},
        {"SMS_ST_RecurMonthlyByDate", "MonthDay", 0, 31, 0},
        {"SMS_ST_RecurMonthlyByDate", "ForNumberOfMonths", 1, 12, 1},
        {"SMS_ST_RecurMonthlyByWeekday", "ForNumberOfMonths", 1, 12, 1},
    };
    for (size_t i = 0; i < COUNT(ranges); i++) {
        const cim_property *p = cim_class_find_property(site_class(ranges[i].cls), ranges[i].prop);
        assert_non_null(p);
        assert_true(p->flags & CIM_PROP_RANGE);
        assert_int_equal(p->range_low, ranges[i].low);
        assert_int_equal(p->range_high, ranges[i].high);
        assert_int_equal((int64_t)p->default_value.u.uint, ranges[i].def);
    }
    static const struct {
        const char *name;
        size_t properties;
    } subclasses[] = {
        {"SMS_ST_NonRecurring", 5},       {"SMS_ST_RecurInterval", 8},
        {"SMS_ST_RecurWeekly", 7},        {"SMS_ST_RecurMonthlyByDate", 7},
        {"SMS_ST_RecurMonthlyByWeekday", 8},
    };
    for (size_t i = 0; i < COUNT(subclasses); i++) {
        const cim_class *cls = site_class(subclasses[i].name);
        assert_int_equal(cls->flags, CIM_CLASS_EMBEDDED);
        assert_string_equal(cls->superclass_name, "SMS_ScheduleToken");
        assert_int_equal(cls->property_count, subclasses[i].properties);
    }
    const cim_class *weekday = site_class("SMS_ST_RecurMonthlyByWeekday");
    assert_int_equal(cim_class_find_property(weekday, "Day")->default_value.u.uint, 1);
    assert_int_equal(cim_class_find_property(weekday, "WeekOrder")->default_value.u.uint, 0);
    size_t n;
    const cim_class **concrete = cim_schema_concrete_classes(schema, token, &n);
    assert_int_equal(n, 5);
    free(concrete);
}

static void test_supporting_classes(void **state)
{
    (void)state;
    const cim_class *driver = site_class("SMS_Driver_Details");
    assert_int_equal(driver->flags, CIM_CLASS_EMBEDDED);
    assert_int_equal(driver->property_count, 2);
    assert_int_equal(cim_class_find_property(driver, "ID")->type, CIM_TYPE_UINT32);
    assert_true(cim_class_find_property(driver, "SourcePath")->flags & CIM_PROP_NOT_NULL);

    const cim_class *status = site_class("SMS_ExtendedStatus");
    assert_int_equal(status->flags, CIM_CLASS_READ_ONLY);
    assert_int_equal(status->property_count, 13);
    assert_true(cim_class_is_a(status, "__ExtendedStatus"));
    assert_int_equal(cim_class_find_property(status, "ErrorCode")->default_value.u.uint, 0);
    assert_string_equal(cim_class_find_property(status, "File")->default_value.u.string, "");
    assert_int_equal(cim_class_find_property(status, "Line")->default_value.u.uint, 0);
    assert_true(cim_class_find_property(status, "SQLStatus")->default_value.is_null);
    for (size_t i = 0; i < status->property_count; i++)
        assert_int_equal(status->properties[i].flags, 0);

    const cim_class *wmi_status = site_class("__ExtendedStatus");
    assert_true(wmi_status->flags & CIM_CLASS_SYSTEM);
    static const char *const wmi_props[] = {"StatusCode", "ProviderName", "Operation",
                                            "ParameterInfo", "Description"};
    assert_int_equal(wmi_status->property_count, COUNT(wmi_props));
    for (size_t i = 0; i < COUNT(wmi_props); i++)
        assert_string_equal(wmi_status->properties[i].name, wmi_props[i]);

    const cim_class *location = cim_schema_find_class(schema, "\\\\.\\root\\sms",
                                                      "SMS_ProviderLocation");
    assert_non_null(location);
    assert_null(cim_schema_find_class(schema, SITE, "SMS_ProviderLocation"));
    assert_int_equal(location->property_count, 4);
    assert_int_equal(location->key_count, 1);
    assert_true(cim_class_find_property(location, "SiteCode")->flags & CIM_PROP_KEY);
    assert_int_equal(cim_class_find_property(location, "ProviderForLocalSite")->type,
                     CIM_TYPE_BOOLEAN);
    assert_int_equal(cim_schema_seed_count(schema), 0);
}

static void test_schema_loader(void **state)
{
    (void)state;
    cim_schema *other = cim_schema_new();
    smsprov_error err = {0};
    assert_int_equal(mof_compile_schema(other, SMSPROV_SOURCE_MOF_DIR, "root\\sms\\site_XYZ",
                                        &err),
                     SMSPROV_OK);
    assert_non_null(cim_schema_find_class(other, "root\\sms\\site_XYZ", "SMS_BootImagePackage"));
    assert_non_null(cim_schema_find_class(other, "root\\sms\\site_XYZ", "__ExtendedStatus"));
    assert_non_null(cim_schema_find_class(other, "root\\sms", "SMS_ProviderLocation"));
    assert_null(cim_schema_find_class(other, SITE, "SMS_BootImagePackage"));
    assert_int_equal(cim_schema_namespace_count(other), 2);
    cim_schema_free(other);

    cim_schema *none = cim_schema_new();
    assert_int_equal(mof_compile_schema(none, SMSPROV_TEST_SCRATCH "/no-mof-here", SITE, &err),
                     SMSPROV_E_NOT_FOUND);
    assert_non_null(strstr(err.description, "no-mof-here"));
    assert_int_equal(cim_schema_namespace_count(none), 0);
    smsprov_error_clear(&err);
    cim_schema_free(none);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_class_tree),
        cmocka_unit_test(test_boot_image_package),
        cmocka_unit_test(test_parameter_classes),
        cmocka_unit_test(test_os_install_package),
        cmocka_unit_test(test_os_image_package),
        cmocka_unit_test(test_package_defaults),
        cmocka_unit_test(test_schedule_tokens),
        cmocka_unit_test(test_supporting_classes),
        cmocka_unit_test(test_schema_loader),
    };
    return cmocka_run_group_tests(tests, load_schema, free_schema);
}
