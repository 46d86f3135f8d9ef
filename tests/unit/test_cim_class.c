/* test_cim_class.c - building classes: inheritance, redeclaration,
 * qualifier propagation, derived flags and method parameter classes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "smsprov/cim.h"

#define NS "root\\sms\\site_LAB"

static void set_flag(cim_qualifier_list *list, const char *name)
{
    cim_value yes = cim_value_bool(true);
    cim_qualifier_list_set(list, name, &yes, CIM_FLAVOR_TOSUBCLASS);
}

static void set_string(cim_qualifier_list *list, const char *name, const char *text,
                       unsigned flavor)
{
    cim_value v = cim_value_string(text);
    cim_qualifier_list_set(list, name, &v, flavor);
    cim_value_clear(&v);
}

static cim_class *make_base(void)
{
    cim_class *base = cim_class_new("Base", NULL, NS);
    set_flag(&base->qualifiers, "Abstract");
    set_string(&base->qualifiers, "Icon", "Package.ico", CIM_FLAVOR_TOSUBCLASS);
    set_string(&base->qualifiers, "Secret", "x", CIM_FLAVOR_RESTRICTED);
    cim_property *id = cim_class_add_property(base, "ID", CIM_TYPE_STRING, false);
    set_flag(&id->qualifiers, "key");
    cim_property *type = cim_class_add_property(base, "PackageType", CIM_TYPE_UINT32, false);
    type->default_value = cim_value_uint(CIM_TYPE_UINT32, 0);
    cim_property *size = cim_class_add_property(base, "Size", CIM_TYPE_UINT32, false);
    set_flag(&size->qualifiers, "read");
    set_string(&size->qualifiers, "Units", "KB", CIM_FLAVOR_RESTRICTED);
    cim_method *m = cim_class_add_method(base, "Refresh", CIM_TYPE_SINT32);
    cim_parameter *p = cim_method_add_param(m, "ContextID", CIM_TYPE_STRING, false);
    set_flag(&p->qualifiers, "in");
    assert_int_equal(cim_class_finish(base, NULL), SMSPROV_OK);
    return base;
}

static void test_inherit_orders_and_propagates(void **state)
{
    (void)state;
    cim_class *base = make_base();
    assert_true(base->flags & CIM_CLASS_ABSTRACT);
    assert_int_equal(base->key_count, 1);

    cim_class *child = cim_class_new("Child", "Base", NS);
    cim_class_inherit(child, base);
    cim_class_add_property(child, "Extra", CIM_TYPE_BOOLEAN, false);
    /* Redeclaring PackageType with a new default keeps its place. */
    cim_property *type = cim_class_add_property(child, "packagetype", CIM_TYPE_UINT32, false);
    assert_int_equal(type->default_value.u.uint, 0);
    cim_value_clear(&type->default_value);
    type->default_value = cim_value_uint(CIM_TYPE_UINT32, 258);
    assert_int_equal(cim_class_finish(child, NULL), SMSPROV_OK);

    assert_int_equal(child->property_count, 4);
    assert_string_equal(child->properties[0].name, "ID");
    assert_string_equal(child->properties[1].name, "PackageType");
    assert_string_equal(child->properties[1].origin_class, "Base");
    assert_int_equal(child->properties[1].default_value.u.uint, 258);
    assert_string_equal(child->properties[3].name, "Extra");
    assert_string_equal(child->properties[3].origin_class, "Child");
    assert_int_equal(base->properties[1].default_value.u.uint, 0);

    /* Abstract and Restricted qualifiers stay behind; the rest propagate. */
    assert_false(child->flags & CIM_CLASS_ABSTRACT);
    assert_null(cim_qualifier_find(&child->qualifiers, "Abstract"));
    assert_null(cim_qualifier_find(&child->qualifiers, "Secret"));
    assert_non_null(cim_qualifier_find(&child->qualifiers, "icon"));
    const cim_property *size = cim_class_find_property(child, "SIZE");
    assert_non_null(size);
    assert_null(cim_qualifier_find(&size->qualifiers, "Units"));
    assert_true(size->flags & CIM_PROP_READ_ONLY);
    assert_true(cim_class_find_property(child, "id")->flags & CIM_PROP_KEY);
    assert_int_equal(child->key_count, 1);

    const cim_method *m = cim_class_find_method(child, "refresh");
    assert_non_null(m);
    assert_string_equal(m->origin_class, "Base");
    assert_non_null(m->in_class);
    assert_ptr_not_equal(m->in_class, cim_class_find_method(base, "Refresh")->in_class);
    assert_int_equal(cim_class_property_index(m->in_class, "ContextID"), 0);

    assert_true(cim_class_is_a(child, "base"));
    assert_true(cim_class_is_a(child, "Child"));
    assert_false(cim_class_is_a(child, "Other"));
    assert_false(cim_class_is_a(base, "Child"));
    cim_class_free(child);
    cim_class_free(base);
}

static void test_redeclare_with_new_type_drops_default(void **state)
{
    (void)state;
    cim_class *base = make_base();
    cim_class *child = cim_class_new("Child", "Base", NS);
    cim_class_inherit(child, base);
    cim_property *p = cim_class_add_property(child, "PackageType", CIM_TYPE_STRING, false);
    assert_int_equal(p->type, CIM_TYPE_STRING);
    assert_true(p->default_value.is_null);
    assert_int_equal(p->default_value.type, CIM_TYPE_STRING);
    assert_int_equal(child->property_count, 3);
    cim_class_free(child);
    cim_class_free(base);
}

static void test_property_flags(void **state)
{
    (void)state;
    cim_class *cls = cim_class_new("Flags", NULL, NS);
    set_flag(&cls->qualifiers, "Embedded");
    set_flag(&cls->qualifiers, "Read");
    set_flag(&cls->qualifiers, "Secured");
    cim_property *rw = cim_class_add_property(cls, "ReadWrite", CIM_TYPE_UINT32, false);
    set_flag(&rw->qualifiers, "read");
    set_flag(&rw->qualifiers, "write");
    cim_property *lazy = cim_class_add_property(cls, "Blob", CIM_TYPE_UINT8, true);
    set_flag(&lazy->qualifiers, "lazy");
    set_flag(&lazy->qualifiers, "large");
    cim_property *nn = cim_class_add_property(cls, "Path", CIM_TYPE_STRING, false);
    set_flag(&nn->qualifiers, "Not_Null");
    cim_property *bits = cim_class_add_property(cls, "PkgFlags", CIM_TYPE_UINT32, false);
    set_flag(&bits->qualifiers, "bits");
    cim_property *range = cim_class_add_property(cls, "Days", CIM_TYPE_UINT32, false);
    set_string(&range->qualifiers, "Range", "0-31", CIM_FLAVOR_TOSUBCLASS);
    cim_property *neg = cim_class_add_property(cls, "Offset", CIM_TYPE_SINT32, false);
    set_string(&neg->qualifiers, "Range", "-5 - 10", CIM_FLAVOR_TOSUBCLASS);
    cim_property *max = cim_class_add_property(cls, "Tokens", CIM_TYPE_OBJECT, true);
    cim_value fifteen = cim_value_sint(CIM_TYPE_SINT32, 15);
    cim_qualifier_list_set(&max->qualifiers, "max", &fifteen, CIM_FLAVOR_TOSUBCLASS);
    set_string(&max->qualifiers, "EmbeddedInstance", "Token", CIM_FLAVOR_TOSUBCLASS);
    cim_property *off = cim_class_add_property(cls, "NotLazy", CIM_TYPE_UINT32, false);
    cim_value no = cim_value_bool(false);
    cim_qualifier_list_set(&off->qualifiers, "lazy", &no, CIM_FLAVOR_TOSUBCLASS);
    assert_int_equal(cim_class_finish(cls, NULL), SMSPROV_OK);

    assert_int_equal(cls->flags, CIM_CLASS_EMBEDDED | CIM_CLASS_READ_ONLY | CIM_CLASS_SECURED);
    assert_int_equal(cls->properties[0].flags, 0);
    assert_int_equal(cls->properties[1].flags, CIM_PROP_LAZY | CIM_PROP_LARGE);
    assert_int_equal(cls->properties[2].flags, CIM_PROP_NOT_NULL);
    assert_int_equal(cls->properties[3].flags, CIM_PROP_BITS);
    assert_int_equal(cls->properties[4].flags, CIM_PROP_RANGE);
    assert_int_equal(cls->properties[4].range_low, 0);
    assert_int_equal(cls->properties[4].range_high, 31);
    assert_int_equal(cls->properties[5].range_low, -5);
    assert_int_equal(cls->properties[5].range_high, 10);
    assert_int_equal(cls->properties[6].flags, CIM_PROP_MAX);
    assert_int_equal(cls->properties[6].max_count, 15);
    assert_string_equal(cls->properties[6].ref_class, "Token");
    assert_int_equal(cls->properties[7].flags, 0);
    assert_int_equal(cls->key_count, 0);
    cim_class_free(cls);

    cim_class *sys = cim_class_new("__ExtendedStatus", NULL, NS);
    assert_int_equal(cim_class_finish(sys, NULL), SMSPROV_OK);
    assert_int_equal(sys->flags, CIM_CLASS_SYSTEM);
    cim_class_free(sys);
}

static void expect_finish_error(cim_class *cls, const char *needle)
{
    smsprov_error err = {0};
    assert_int_equal(cim_class_finish(cls, &err), SMSPROV_E_INVALID_CLASS);
    assert_int_equal(err.code, SMSPROV_E_INVALID_CLASS);
    assert_non_null(strstr(err.description, needle));
    smsprov_error_clear(&err);
    cim_class_free(cls);
}

static void test_malformed_qualifiers(void **state)
{
    (void)state;
    static const char *bad_ranges[] = {"x", "5", "0-", "-3", "9-2", "1-2-3", "0-31x"};
    for (size_t i = 0; i < sizeof bad_ranges / sizeof bad_ranges[0]; i++) {
        cim_class *cls = cim_class_new("C", NULL, NS);
        cim_property *p = cim_class_add_property(cls, "Days", CIM_TYPE_UINT32, false);
        set_string(&p->qualifiers, "Range", bad_ranges[i], CIM_FLAVOR_TOSUBCLASS);
        expect_finish_error(cls, "Range qualifier of property Days in class C");
    }
    cim_class *numeric = cim_class_new("C", NULL, NS);
    cim_property *p = cim_class_add_property(numeric, "Days", CIM_TYPE_UINT32, false);
    cim_value n = cim_value_uint(CIM_TYPE_UINT32, 3);
    cim_qualifier_list_set(&p->qualifiers, "Range", &n, CIM_FLAVOR_TOSUBCLASS);
    expect_finish_error(numeric, "Range qualifier");

    cim_class *max_text = cim_class_new("C", NULL, NS);
    p = cim_class_add_property(max_text, "Tokens", CIM_TYPE_UINT32, true);
    set_string(&p->qualifiers, "max", "many", CIM_FLAVOR_TOSUBCLASS);
    expect_finish_error(max_text, "max qualifier of property Tokens");

    cim_class *max_scalar = cim_class_new("C", NULL, NS);
    p = cim_class_add_property(max_scalar, "Tokens", CIM_TYPE_UINT32, false);
    set_string(&p->qualifiers, "max", "15", CIM_FLAVOR_TOSUBCLASS);
    expect_finish_error(max_scalar, "is not an array");

    cim_class *array_key = cim_class_new("C", NULL, NS);
    p = cim_class_add_property(array_key, "Keys", CIM_TYPE_STRING, true);
    set_flag(&p->qualifiers, "key");
    expect_finish_error(array_key, "cannot be a key");

    cim_class *no_direction = cim_class_new("C", NULL, NS);
    cim_method *m = cim_class_add_method(no_direction, "Go", CIM_TYPE_SINT32);
    cim_method_add_param(m, "Where", CIM_TYPE_STRING, false);
    expect_finish_error(no_direction, "neither an [in] nor an [out]");

    cim_class *twice = cim_class_new("C", NULL, NS);
    m = cim_class_add_method(twice, "Go", CIM_TYPE_SINT32);
    set_flag(&cim_method_add_param(m, "Where", CIM_TYPE_STRING, false)->qualifiers, "in");
    set_flag(&cim_method_add_param(m, "where", CIM_TYPE_UINT32, false)->qualifiers, "out");
    expect_finish_error(twice, "declares parameter where twice");
}

static void test_size_limit(void **state)
{
    (void)state;
    cim_class *cls = cim_class_new("C", NULL, NS);
    cim_property *p = cim_class_add_property(cls, "SiteCode", CIM_TYPE_STRING, false);
    set_string(&p->qualifiers, "SizeLimit", "3", CIM_FLAVOR_TOSUBCLASS);
    assert_int_equal(cim_class_finish(cls, NULL), SMSPROV_OK);
    assert_int_equal(cls->properties[0].flags, CIM_PROP_SIZE_LIMIT);
    assert_int_equal(cls->properties[0].size_limit, 3);
    cim_class_free(cls);

    cim_class *text = cim_class_new("C", NULL, NS);
    p = cim_class_add_property(text, "SiteCode", CIM_TYPE_STRING, false);
    set_string(&p->qualifiers, "SizeLimit", "three", CIM_FLAVOR_TOSUBCLASS);
    expect_finish_error(text, "SizeLimit qualifier of property SiteCode in class C");
    cim_class *number = cim_class_new("C", NULL, NS);
    p = cim_class_add_property(number, "Days", CIM_TYPE_UINT32, false);
    set_string(&p->qualifiers, "SizeLimit", "3", CIM_FLAVOR_TOSUBCLASS);
    expect_finish_error(number, "is not a string");
}

static void test_method_parameter_classes(void **state)
{
    (void)state;
    cim_class *cls = cim_class_new("Pkg", NULL, NS);
    cim_method *m = cim_class_add_method(cls, "Query", CIM_TYPE_SINT32);
    set_flag(&m->qualifiers, "static");
    set_flag(&cim_method_add_param(m, "ContextID", CIM_TYPE_STRING, false)->qualifiers, "in");
    cim_parameter *both = cim_method_add_param(m, "Cursor", CIM_TYPE_UINT32, false);
    set_flag(&both->qualifiers, "in");
    set_flag(&both->qualifiers, "out");
    cim_parameter *opt = cim_method_add_param(m, "Filter", CIM_TYPE_STRING, true);
    set_flag(&opt->qualifiers, "in");
    set_flag(&opt->qualifiers, "optional");
    set_flag(&cim_method_add_param(m, "Status", CIM_TYPE_UINT32, false)->qualifiers, "out");
    cim_method *v = cim_class_add_method(cls, "Nothing", CIM_TYPE_INVALID);
    /* A caller may set the direction directly instead of by qualifier. */
    cim_method_add_param(v, "Direct", CIM_TYPE_STRING, false)->in = true;
    assert_int_equal(cim_class_finish(cls, NULL), SMSPROV_OK);
    assert_int_equal(cim_class_finish(cls, NULL), SMSPROV_OK); /* idempotent */

    const cim_method *q = cim_class_find_method(cls, "QUERY");
    assert_true(q->is_static);
    assert_true(q->params[1].in && q->params[1].out);
    assert_true(q->params[2].optional);
    assert_false(q->params[0].optional);
    assert_non_null(cim_method_find_param(q, "filter"));
    assert_null(cim_method_find_param(q, "Missing"));

    const cim_class *in = q->in_class;
    assert_string_equal(in->name, "__PARAMETERS");
    assert_true(in->flags & CIM_CLASS_PARAMETERS);
    assert_true(in->flags & CIM_CLASS_SYSTEM);
    assert_int_equal(in->property_count, 3);
    assert_string_equal(in->properties[0].name, "ContextID");
    assert_string_equal(in->properties[1].name, "Cursor");
    assert_string_equal(in->properties[2].name, "Filter");
    assert_true(in->properties[2].is_array);

    const cim_class *out = q->out_class;
    assert_int_equal(out->property_count, 3);
    assert_string_equal(out->properties[0].name, "ReturnValue");
    assert_int_equal(out->properties[0].type, CIM_TYPE_SINT32);
    assert_string_equal(out->properties[1].name, "Cursor");
    assert_string_equal(out->properties[2].name, "Status");

    const cim_method *nothing = cim_class_find_method(cls, "Nothing");
    assert_false(nothing->is_static);
    assert_int_equal(nothing->out_class->property_count, 0);
    assert_int_equal(nothing->in_class->property_count, 1);
    assert_null(cim_class_find_method(cls, "Other"));
    cim_class_free(cls);
}

static void test_qualifier_list(void **state)
{
    (void)state;
    cim_qualifier_list list = {0};
    set_flag(&list, "Key");
    set_string(&list, "Description", "first", CIM_FLAVOR_TOSUBCLASS);
    set_string(&list, "description", "second", CIM_FLAVOR_AMENDED);
    assert_int_equal(list.count, 2);
    const cim_qualifier *d = cim_qualifier_find(&list, "DESCRIPTION");
    assert_string_equal(d->name, "Description");
    assert_string_equal(d->value.u.string, "second");
    assert_int_equal(d->flavor, CIM_FLAVOR_AMENDED);
    assert_true(cim_qualifier_is_true(&list, "key"));
    assert_true(cim_qualifier_is_true(&list, "Description"));
    assert_false(cim_qualifier_is_true(&list, "lazy"));
    cim_value no = cim_value_bool(false);
    cim_qualifier_list_set(&list, "key", &no, CIM_FLAVOR_TOSUBCLASS);
    assert_false(cim_qualifier_is_true(&list, "key"));

    cim_qualifier_list copy;
    cim_qualifier_list_copy(&copy, &list);
    cim_qualifier_list_clear(&list);
    assert_int_equal(list.count, 0);
    assert_int_equal(copy.count, 2);
    assert_string_equal(cim_qualifier_find(&copy, "description")->value.u.string, "second");
    cim_qualifier_list_clear(&copy);
    assert_null(cim_qualifier_find(&copy, "Key"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_inherit_orders_and_propagates),
        cmocka_unit_test(test_redeclare_with_new_type_drops_default),
        cmocka_unit_test(test_property_flags),
        cmocka_unit_test(test_malformed_qualifiers),
        cmocka_unit_test(test_size_limit),
        cmocka_unit_test(test_method_parameter_classes),
        cmocka_unit_test(test_qualifier_list),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
