/* test_cim_instance.c - instances: new/spawn/clone, get and set with type
 * conversion and embedded-class checks, relative paths and MOF text. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "smsprov/cim.h"
#include "test_cim_fixture.h"

static int setup(void **state)
{
    *state = fixture_schema();
    return 0;
}

static int teardown(void **state)
{
    cim_schema_free(*state);
    return 0;
}

static void test_new_is_all_null(void **state)
{
    const cim_class *cls = fixture_find(*state, "Pkg");
    cim_instance *inst = cim_instance_new(cls);
    assert_ptr_equal(inst->cls, cls);
    for (size_t i = 0; i < cls->property_count; i++) {
        assert_true(inst->values[i].is_null);
        assert_int_equal(inst->values[i].type, cls->properties[i].type);
        assert_int_equal(inst->values[i].is_array, cls->properties[i].is_array);
    }
    cim_instance_free(inst);
    cim_instance_free(NULL);
}

static void test_spawn_copies_defaults(void **state)
{
    const cim_class *cls = fixture_find(*state, "SMS_ST_RecurInterval");
    cim_instance *inst = cim_instance_spawn(cls);
    assert_string_equal(cim_instance_get(inst, "StartTime")->u.string, "19700201000000.000000+***");
    assert_false(cim_instance_get(inst, "IsGMT")->u.boolean);
    assert_false(cim_instance_get(inst, "IsGMT")->is_null);
    assert_int_equal(cim_instance_get(inst, "DaySpan")->u.uint, 0);
    assert_false(cim_instance_get(inst, "DaySpan")->is_null);
    assert_true(cim_instance_get(inst, "DayDuration")->is_null);
    /* the instance owns copies, not the class's defaults */
    assert_ptr_not_equal(cim_instance_get(inst, "StartTime")->u.string,
                         cim_class_find_property(cls, "StartTime")->default_value.u.string);
    cim_instance_free(inst);
}

static void test_get_is_case_insensitive(void **state)
{
    cim_instance *inst = cim_instance_new(fixture_find(*state, "Pkg"));
    assert_ptr_equal(cim_instance_get(inst, "packageid"), cim_instance_get(inst, "PackageID"));
    assert_null(cim_instance_get(inst, "NoSuch"));
    assert_null(cim_instance_get_mut(inst, "NoSuch"));
    cim_value *v = cim_instance_get_mut(inst, "NAME");
    assert_non_null(v);
    *v = cim_value_string("direct");
    assert_string_equal(cim_instance_get(inst, "Name")->u.string, "direct");
    cim_instance_free(inst);
}

static void test_set_converts(void **state)
{
    cim_instance *inst = cim_instance_new(fixture_find(*state, "Pkg"));
    smsprov_error err = {0};
    assert_int_equal(cim_instance_set_string(inst, "PackageID", "LAB00001", &err), 0);
    assert_int_equal(cim_instance_set_string(inst, "Priority", "0x3", &err), 0);
    const cim_value *v = cim_instance_get(inst, "Priority");
    assert_int_equal(v->type, CIM_TYPE_UINT32);
    assert_int_equal(v->u.uint, 3);
    assert_int_equal(cim_instance_set_uint(inst, "Flags", 255, &err), 0);
    assert_int_equal(cim_instance_get(inst, "Flags")->type, CIM_TYPE_UINT8);
    assert_int_equal(cim_instance_set_sint(inst, "Delta", INT64_MIN, &err), 0);
    assert_true(cim_instance_get(inst, "Delta")->u.sint == INT64_MIN);
    assert_int_equal(cim_instance_set_bool(inst, "Enabled", true, &err), 0);
    assert_int_equal(cim_instance_set_uint(inst, "Name", 42, &err), 0);
    assert_string_equal(cim_instance_get(inst, "Name")->u.string, "42");
    assert_int_equal(cim_instance_set_string(inst, "Created", "20240101120000.000000+000", &err),
                     0);
    assert_int_equal(cim_instance_get(inst, "Created")->type, CIM_TYPE_DATETIME);
    assert_int_equal(cim_instance_set_string(inst, "Letter", "Z", &err), 0);
    assert_int_equal(cim_instance_get(inst, "Letter")->u.uint, 'Z');
    assert_int_equal(cim_instance_set_string(inst, "Parent", "Pkg.PackageID=\"LAB00002\"", &err),
                     0);
    assert_int_equal(cim_instance_get(inst, "Parent")->type, CIM_TYPE_REFERENCE);

    cim_value langs = cim_value_array(CIM_TYPE_SINT32);
    cim_value item = cim_value_sint(CIM_TYPE_SINT32, 1033);
    cim_value_array_append(&langs, &item);
    assert_int_equal(cim_instance_set(inst, "Languages", &langs, &err), 0);
    v = cim_instance_get(inst, "Languages");
    assert_int_equal(v->type, CIM_TYPE_UINT32);
    assert_int_equal(v->u.array.items[0].type, CIM_TYPE_UINT32);
    assert_int_equal(v->u.array.items[0].u.uint, 1033);
    cim_value_clear(&langs);

    /* setting null clears */
    assert_int_equal(cim_instance_set_string(inst, "Name", NULL, &err), 0);
    assert_true(cim_instance_get(inst, "Name")->is_null);
    assert_int_equal(cim_instance_get(inst, "Name")->type, CIM_TYPE_STRING);
    smsprov_error_clear(&err);
    cim_instance_free(inst);
}

static void test_set_errors_change_nothing(void **state)
{
    cim_instance *inst = cim_instance_new(fixture_find(*state, "Pkg"));
    smsprov_error err = {0};
    assert_int_equal(cim_instance_set_uint(inst, "Flags", 7, &err), 0);

    assert_int_equal(cim_instance_set_uint(inst, "Flags", 300, &err), SMSPROV_E_TYPE_MISMATCH);
    assert_string_equal(err.description, "Property Flags of class Pkg cannot take this value: 300 "
                                         "is out of range for uint8, which holds 0 to 255.");
    assert_string_equal(err.parameter_info, "Flags");
    assert_int_equal(cim_instance_get(inst, "Flags")->u.uint, 7);

    assert_int_equal(cim_instance_set_string(inst, "NoSuch", "x", &err), SMSPROV_E_NOT_FOUND);
    assert_string_equal(err.description, "Class Pkg has no property named NoSuch.");

    assert_int_equal(cim_instance_set_string(inst, "Created", "1998111817590000000+***", &err),
                     SMSPROV_E_TYPE_MISMATCH);
    assert_non_null(strstr(err.description, "Created"));
    assert_true(cim_instance_get(inst, "Created")->is_null);

    assert_int_equal(cim_instance_set_string(inst, "Languages", "1033", &err),
                     SMSPROV_E_TYPE_MISMATCH);
    assert_true(cim_instance_get(inst, "Languages")->is_null);

    assert_int_equal(cim_instance_set_string(inst, "Enabled", "maybe", &err),
                     SMSPROV_E_TYPE_MISMATCH);
    assert_int_equal(cim_instance_set_string(inst, "Parent", "not a path", &err),
                     SMSPROV_E_TYPE_MISMATCH);
    assert_int_equal(cim_instance_set_string(inst, "OneSchedule", "x", &err),
                     SMSPROV_E_TYPE_MISMATCH);
    /* without an error struct the code still comes back */
    assert_int_equal(cim_instance_set_uint(inst, "Flags", 256, NULL), SMSPROV_E_TYPE_MISMATCH);
    smsprov_error_clear(&err);
    cim_instance_free(inst);
}

static void test_set_embedded_checks_class(void **state)
{
    const cim_schema *schema = *state;
    cim_instance *inst = cim_instance_new(fixture_find(schema, "Pkg"));
    smsprov_error err = {0};

    cim_instance *recur = cim_instance_spawn(fixture_find(schema, "SMS_ST_RecurInterval"));
    assert_int_equal(cim_instance_set_uint(recur, "DaySpan", 7, &err), 0);
    cim_value one = cim_value_object(recur);
    assert_int_equal(cim_instance_set(inst, "OneSchedule", &one, &err), 0);
    const cim_value *stored = cim_instance_get(inst, "OneSchedule");
    assert_ptr_not_equal(stored->u.object, recur); /* a copy */
    assert_true(cim_instance_equal(stored->u.object, recur));

    cim_value wrong = cim_value_object(cim_instance_new(fixture_find(schema, "Unrelated")));
    assert_int_equal(cim_instance_set(inst, "OneSchedule", &wrong, &err), SMSPROV_E_TYPE_MISMATCH);
    assert_string_equal(err.description,
                        "Property OneSchedule of class Pkg holds SMS_ScheduleToken instances; an "
                        "instance of Unrelated is not one and does not derive from it.");
    assert_true(cim_instance_equal(cim_instance_get(inst, "OneSchedule")->u.object, recur));

    /* arrays: every item is checked, null items are allowed */
    cim_value arr = cim_value_array(CIM_TYPE_OBJECT);
    cim_value_array_append(&arr, &one);
    cim_value null_item = cim_value_object(NULL);
    cim_value_array_append(&arr, &null_item);
    assert_int_equal(cim_instance_set(inst, "RefreshSchedule", &arr, &err), 0);
    assert_int_equal(cim_instance_get(inst, "RefreshSchedule")->u.array.count, 2);
    cim_value_array_append(&arr, &wrong);
    assert_int_equal(cim_instance_set(inst, "RefreshSchedule", &arr, &err),
                     SMSPROV_E_TYPE_MISMATCH);
    assert_int_equal(cim_instance_get(inst, "RefreshSchedule")->u.array.count, 2);

    /* an object property without a declared class takes any instance */
    assert_int_equal(cim_instance_set(inst, "AnyObject", &wrong, &err), 0);

    cim_value_clear(&arr);
    cim_value_clear(&one);
    cim_value_clear(&wrong);
    smsprov_error_clear(&err);
    cim_instance_free(inst);
}

static void test_clone_and_equal(void **state)
{
    const cim_schema *schema = *state;
    cim_instance *a = cim_instance_spawn(fixture_find(schema, "Pkg"));
    cim_instance_set_string(a, "PackageID", "LAB00001", NULL);
    cim_instance_set_string(a, "Tags", NULL, NULL);
    cim_value sched =
        cim_value_object(cim_instance_spawn(fixture_find(schema, "SMS_ST_NonRecurring")));
    cim_instance_set(a, "OneSchedule", &sched, NULL);
    cim_value_clear(&sched);

    cim_instance *b = cim_instance_clone(a);
    assert_true(cim_instance_equal(a, b));
    assert_ptr_not_equal(cim_instance_get(a, "OneSchedule")->u.object,
                         cim_instance_get(b, "OneSchedule")->u.object);
    cim_instance_set_string(cim_instance_get_mut(b, "OneSchedule")->u.object, "StartTime",
                            "20240101000000.000000+000", NULL);
    assert_false(cim_instance_equal(a, b));
    cim_instance_free(b);

    b = cim_instance_clone(a);
    cim_instance_set_uint(b, "Priority", 3, NULL);
    assert_false(cim_instance_equal(a, b));
    cim_instance_free(b);

    cim_instance *other = cim_instance_new(fixture_find(schema, "Singleton"));
    assert_false(cim_instance_equal(a, other));
    assert_true(cim_instance_equal(NULL, NULL));
    assert_false(cim_instance_equal(a, NULL));
    cim_instance_free(other);
    cim_instance_free(a);
}

static void test_relpath(void **state)
{
    const cim_schema *schema = *state;
    cim_instance *pkg = cim_instance_new(fixture_find(schema, "Pkg"));
    cim_instance_set_string(pkg, "PackageID", "LAB00001", NULL);
    cim_instance_set_string(pkg, "Name", "not a key", NULL);
    char *path = cim_instance_relpath(pkg);
    assert_string_equal(path, "Pkg.PackageID=\"LAB00001\"");
    free(path);
    cim_instance_set_string(pkg, "PackageID", "we\"ird\\id", NULL);
    path = cim_instance_relpath(pkg);
    assert_string_equal(path, "Pkg.PackageID=\"we\\\"ird\\\\id\"");
    cim_object_path parsed;
    assert_int_equal(cim_object_path_parse(path, &parsed, NULL), 0);
    assert_string_equal(cim_object_path_find_key(&parsed, "PackageID")->value.u.string,
                        "we\"ird\\id");
    cim_object_path_clear(&parsed);
    free(path);
    cim_instance_free(pkg);

    cim_instance *multi = cim_instance_new(fixture_find(schema, "MultiKey"));
    cim_instance_set_string(multi, "K1", "a", NULL);
    cim_instance_set_uint(multi, "K2", 7, NULL);
    cim_instance_set_sint(multi, "K3", -2, NULL);
    cim_instance_set_bool(multi, "K4", false, NULL);
    path = cim_instance_relpath(multi);
    assert_string_equal(path, "MultiKey.K1=\"a\",K2=7,K3=-2,K4=FALSE");
    free(path);
    cim_instance_free(multi);

    cim_instance *single = cim_instance_new(fixture_find(schema, "Singleton"));
    cim_instance_set_string(single, "Value", "v", NULL);
    path = cim_instance_relpath(single);
    assert_string_equal(path, "Singleton=@");
    free(path);
    cim_instance_free(single);
}

static void test_instance_to_mof(void **state)
{
    const cim_schema *schema = *state;
    cim_instance *pkg = cim_instance_new(fixture_find(schema, "Pkg"));
    cim_instance_set_string(pkg, "PackageID", "LAB00001", NULL);
    cim_instance_set_string(pkg, "Name", "Boot \"x64\"", NULL);
    cim_instance_set_bool(pkg, "Enabled", true, NULL);
    cim_value langs = cim_value_array(CIM_TYPE_UINT32);
    for (uint64_t l = 1031; l <= 1033; l += 2) {
        cim_value item = cim_value_uint(CIM_TYPE_UINT32, l);
        cim_value_array_append(&langs, &item);
    }
    cim_instance_set(pkg, "Languages", &langs, NULL);
    cim_value_clear(&langs);
    cim_instance *recur = cim_instance_spawn(fixture_find(schema, "SMS_ST_RecurInterval"));
    cim_instance_set_uint(recur, "DaySpan", 7, NULL);
    cim_value one = cim_value_object(recur);
    cim_instance_set(pkg, "OneSchedule", &one, NULL);
    cim_value arr = cim_value_array(CIM_TYPE_OBJECT);
    cim_value_array_append(&arr, &one);
    cim_value_array_append(&arr, &one);
    cim_instance_set(pkg, "RefreshSchedule", &arr, NULL);
    cim_value_clear(&arr);
    cim_value_clear(&one);

    char *mof = cim_instance_to_mof(pkg);
    assert_string_equal(mof, "instance of Pkg\n"
                             "{\n"
                             "    PackageID = \"LAB00001\";\n"
                             "    Name = \"Boot \\\"x64\\\"\";\n"
                             "    Languages = {1031, 1033};\n"
                             "    Enabled = TRUE;\n"
                             "    OneSchedule = instance of SMS_ST_RecurInterval\n"
                             "    {\n"
                             "        IsGMT = FALSE;\n"
                             "        StartTime = \"19700201000000.000000+***\";\n"
                             "        DaySpan = 7;\n"
                             "    };\n"
                             "    RefreshSchedule = {\n"
                             "        instance of SMS_ST_RecurInterval\n"
                             "        {\n"
                             "            IsGMT = FALSE;\n"
                             "            StartTime = \"19700201000000.000000+***\";\n"
                             "            DaySpan = 7;\n"
                             "        },\n"
                             "        instance of SMS_ST_RecurInterval\n"
                             "        {\n"
                             "            IsGMT = FALSE;\n"
                             "            StartTime = \"19700201000000.000000+***\";\n"
                             "            DaySpan = 7;\n"
                             "        }\n"
                             "    };\n"
                             "};");
    free(mof);

    /* a value holding an instance prints the same body without the ';' */
    mof = cim_value_to_mof(cim_instance_get(pkg, "OneSchedule"));
    assert_string_equal(mof, "instance of SMS_ST_RecurInterval\n"
                             "{\n"
                             "    IsGMT = FALSE;\n"
                             "    StartTime = \"19700201000000.000000+***\";\n"
                             "    DaySpan = 7;\n"
                             "}");
    free(mof);
    char *text = cim_value_to_text(cim_instance_get(pkg, "OneSchedule"));
    assert_non_null(strstr(text, "instance of SMS_ST_RecurInterval"));
    free(text);
    cim_instance_free(pkg);

    cim_instance *empty = cim_instance_new(fixture_find(schema, "Singleton"));
    mof = cim_instance_to_mof(empty);
    assert_string_equal(mof, "instance of Singleton\n{\n};");
    free(mof);
    cim_instance_free(empty);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_new_is_all_null),
        cmocka_unit_test(test_spawn_copies_defaults),
        cmocka_unit_test(test_get_is_case_insensitive),
        cmocka_unit_test(test_set_converts),
        cmocka_unit_test(test_set_errors_change_nothing),
        cmocka_unit_test(test_set_embedded_checks_class),
        cmocka_unit_test(test_clone_and_equal),
        cmocka_unit_test(test_relpath),
        cmocka_unit_test(test_instance_to_mof),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
