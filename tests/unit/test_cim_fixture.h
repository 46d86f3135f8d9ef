/*
 * test_cim_fixture.h - a small schema for the instance and JSON tests, built
 * with the class API (no MOF compiler involved):
 *
 *   [abstract] SMS_ScheduleToken { uint32 DayDuration; boolean IsGMT = FALSE;
 *                                  datetime StartTime = "19700201000000.000000+***"; }
 *   SMS_ST_RecurInterval : SMS_ScheduleToken { uint32 DaySpan = 0; }
 *   SMS_ST_NonRecurring : SMS_ScheduleToken { }
 *   Unrelated { uint32 X; }
 *   Pkg { [key] string PackageID; string Name; uint32 Priority = 2;
 *         uint32 Languages[]; uint8 Flags; sint64 Delta; uint64 Size;
 *         real64 Ratio; real32 Scale; boolean Enabled; char16 Letter;
 *         datetime Created; Pkg ref Parent; string Tags[];
 *         SMS_ScheduleToken OneSchedule; SMS_ScheduleToken RefreshSchedule[];
 *         object AnyObject; }
 *   MultiKey { [key] string K1; [key] uint32 K2; [key] sint32 K3; [key] boolean K4; }
 *   Singleton { string Value; }
 */
#ifndef TEST_CIM_FIXTURE_H
#define TEST_CIM_FIXTURE_H

#include "smsprov/cim.h"

#define TEST_NS "root\\sms\\site_LAB"

static cim_property *fixture_prop(cim_class *cls, const char *name, cim_type type, bool is_array,
                                  bool key)
{
    cim_property *p = cim_class_add_property(cls, name, type, is_array);
    if (key) {
        cim_value yes = cim_value_bool(true);
        cim_qualifier_list_set(&p->qualifiers, "key", &yes, CIM_FLAVOR_TOSUBCLASS);
    }
    return p;
}

static void fixture_add(cim_schema *schema, cim_class *cls)
{
    smsprov_error err = {0};
    if (cim_class_finish(cls, &err) || cim_schema_add_class(schema, cls, &err)) {
        fprintf(stderr, "fixture class %s: %s\n", cls->name, err.description);
        abort();
    }
}

static cim_class *fixture_class(cim_schema *schema, const char *name, const char *super)
{
    cim_class *cls = cim_class_new(name, super, TEST_NS);
    if (super)
        cim_class_inherit(cls, cim_schema_find_class(schema, TEST_NS, super));
    return cls;
}

static cim_schema *fixture_schema(void)
{
    cim_schema *schema = cim_schema_new();
    cim_value yes = cim_value_bool(true);

    cim_class *token = fixture_class(schema, "SMS_ScheduleToken", NULL);
    cim_qualifier_list_set(&token->qualifiers, "abstract", &yes, CIM_FLAVOR_TOSUBCLASS);
    fixture_prop(token, "DayDuration", CIM_TYPE_UINT32, false, false);
    fixture_prop(token, "IsGMT", CIM_TYPE_BOOLEAN, false, false)->default_value =
        cim_value_bool(false);
    fixture_prop(token, "StartTime", CIM_TYPE_DATETIME, false, false)->default_value =
        cim_value_datetime("19700201000000.000000+***");
    fixture_add(schema, token);

    cim_class *recur = fixture_class(schema, "SMS_ST_RecurInterval", "SMS_ScheduleToken");
    fixture_prop(recur, "DaySpan", CIM_TYPE_UINT32, false, false)->default_value =
        cim_value_uint(CIM_TYPE_UINT32, 0);
    fixture_add(schema, recur);
    fixture_add(schema, fixture_class(schema, "SMS_ST_NonRecurring", "SMS_ScheduleToken"));

    cim_class *other = fixture_class(schema, "Unrelated", NULL);
    fixture_prop(other, "X", CIM_TYPE_UINT32, false, false);
    fixture_add(schema, other);

    cim_class *pkg = fixture_class(schema, "Pkg", NULL);
    fixture_prop(pkg, "PackageID", CIM_TYPE_STRING, false, true);
    fixture_prop(pkg, "Name", CIM_TYPE_STRING, false, false);
    fixture_prop(pkg, "Priority", CIM_TYPE_UINT32, false, false)->default_value =
        cim_value_uint(CIM_TYPE_UINT32, 2);
    fixture_prop(pkg, "Languages", CIM_TYPE_UINT32, true, false);
    fixture_prop(pkg, "Flags", CIM_TYPE_UINT8, false, false);
    fixture_prop(pkg, "Delta", CIM_TYPE_SINT64, false, false);
    fixture_prop(pkg, "Size", CIM_TYPE_UINT64, false, false);
    fixture_prop(pkg, "Ratio", CIM_TYPE_REAL64, false, false);
    fixture_prop(pkg, "Scale", CIM_TYPE_REAL32, false, false);
    fixture_prop(pkg, "Enabled", CIM_TYPE_BOOLEAN, false, false);
    fixture_prop(pkg, "Letter", CIM_TYPE_CHAR16, false, false);
    fixture_prop(pkg, "Created", CIM_TYPE_DATETIME, false, false);
    fixture_prop(pkg, "Parent", CIM_TYPE_REFERENCE, false, false)->ref_class = cim_xstrdup("Pkg");
    fixture_prop(pkg, "Tags", CIM_TYPE_STRING, true, false);
    fixture_prop(pkg, "OneSchedule", CIM_TYPE_OBJECT, false, false)->ref_class =
        cim_xstrdup("SMS_ScheduleToken");
    fixture_prop(pkg, "RefreshSchedule", CIM_TYPE_OBJECT, true, false)->ref_class =
        cim_xstrdup("SMS_ScheduleToken");
    fixture_prop(pkg, "AnyObject", CIM_TYPE_OBJECT, false, false);
    fixture_add(schema, pkg);

    cim_class *multi = fixture_class(schema, "MultiKey", NULL);
    fixture_prop(multi, "K1", CIM_TYPE_STRING, false, true);
    fixture_prop(multi, "K2", CIM_TYPE_UINT32, false, true);
    fixture_prop(multi, "K3", CIM_TYPE_SINT32, false, true);
    fixture_prop(multi, "K4", CIM_TYPE_BOOLEAN, false, true);
    fixture_add(schema, multi);

    cim_class *single = fixture_class(schema, "Singleton", NULL);
    fixture_prop(single, "Value", CIM_TYPE_STRING, false, false);
    fixture_add(schema, single);
    return schema;
}

static const cim_class *fixture_find(const cim_schema *schema, const char *name)
{
    const cim_class *cls = cim_schema_find_class(schema, TEST_NS, name);
    if (!cls)
        abort();
    return cls;
}

#endif
