/* test_mof_syntax.c - the valid MOF the compiler accepts: pragmas, literals,
 * qualifiers and flavors, arrays, embedded objects, references, methods,
 * instances with aliases, qualifier declarations, files and folders. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "mof/mof.h"

#define SITE "root\\sms\\site_LAB"

static cim_schema *compile_ok(const char *mof)
{
    cim_schema *schema = cim_schema_new();
    smsprov_error err = {0};
    smsprov_code rc = mof_compile_string(schema, mof, "ok.mof", SITE, &err);
    if (rc != SMSPROV_OK)
        fail_msg("compile failed: %s", err.description);
    smsprov_error_clear(&err);
    return schema;
}

static const cim_property *prop(const cim_schema *schema, const char *cls, const char *name)
{
    const cim_class *c = cim_schema_find_class(schema, SITE, cls);
    assert_non_null(c);
    const cim_property *p = cim_class_find_property(c, name);
    assert_non_null(p);
    return p;
}

static void test_pragmas_and_namespaces(void **state)
{
    (void)state;
    cim_schema *schema = compile_ok(
        "#pragma autorecover\n"
        "#pragma classflags(\"forceupdate\", 64)\n"
        "#pragma locale(\"MS_409\")\n"
        "#pragma deleteclass(\"Old\", NOFAIL)\n"
        "class InSite { };\n"
        "#pragma namespace(\"\\\\\\\\.\\\\root\\\\sms\")\n"
        "class InRoot { };\n"
        "#pragma namespace(\"child\")\n"
        "class InChild { };\n"
        "#pragma namespace(\"//server/ROOT/other/\")\n"
        "class InOther { };\n"
        "#pragma namespace(\"root\\\\cimv2\")\n"
        "class InCimv2 { };\n");
    assert_non_null(cim_schema_find_class(schema, SITE, "InSite"));
    const cim_class *root = cim_schema_find_class(schema, "root\\sms", "InRoot");
    assert_non_null(root);
    assert_string_equal(root->namespace_path, "root\\sms");
    const cim_class *child = cim_schema_find_class(schema, "root\\sms\\child", "InChild");
    assert_non_null(child);
    assert_string_equal(child->namespace_path, "root\\sms\\child");
    assert_non_null(cim_schema_find_class(schema, "root\\other", "InOther"));
    assert_non_null(cim_schema_find_class(schema, "root\\cimv2", "InCimv2"));
    assert_null(cim_schema_find_class(schema, SITE, "InRoot"));
    assert_int_equal(cim_schema_namespace_count(schema), 5);
    cim_schema_free(schema);
}

static void test_literals(void **state)
{
    (void)state;
    cim_schema *schema = compile_ok(
        "// line comment\n"
        "/* block\n comment */\n"
        "class L {\n"
        "  string Joined = \"ab\" \"cd\"\n  \"ef\";\n"
        "  string Escapes = \"q\\\"b\\\\n\\n t\\t x\\x41 \\X263A\";\n"
        "  uint32 Hex = 0x1F;\n"
        "  uint32 Octal = 017;\n"
        "  uint8 Binary = 101b;\n"
        "  sint32 Negative = -5;\n"
        "  sint64 Plus = +7;\n"
        "  sint64 Min = -9223372036854775808;\n"
        "  uint64 Max = 18446744073709551615;\n"
        "  real64 Real = -2.5e3;\n"
        "  real32 Half = .5;\n"
        "  real64 FromInt = 3;\n"
        "  boolean Yes = true;\n"
        "  boolean No = FALSE;\n"
        "  string Nothing = NULL;\n"
        "  char16 Letter = 'a';\n"
        "  char16 Escaped = '\\x41';\n"
        "  char16 Quote = '\\'';\n"
        "  datetime When = \"20240102030405.000000+060\";\n"
        "  datetime Interval = \"00000001000000.000000:000\";\n"
        "  string Empty = \"\";\n"
        "};\n");
    assert_string_equal(prop(schema, "L", "Joined")->default_value.u.string, "abcdef");
    assert_string_equal(prop(schema, "L", "Escapes")->default_value.u.string,
                        "q\"b\\n\n t\t xA \xE2\x98\xBA");
    assert_int_equal(prop(schema, "L", "Hex")->default_value.u.uint, 31);
    assert_int_equal(prop(schema, "L", "Octal")->default_value.u.uint, 15);
    assert_int_equal(prop(schema, "L", "Binary")->default_value.u.uint, 5);
    assert_int_equal(prop(schema, "L", "Negative")->default_value.u.sint, -5);
    assert_int_equal(prop(schema, "L", "Plus")->default_value.u.sint, 7);
    assert_true(prop(schema, "L", "Min")->default_value.u.sint == INT64_MIN);
    assert_true(prop(schema, "L", "Max")->default_value.u.uint == UINT64_MAX);
    assert_true(prop(schema, "L", "Real")->default_value.u.real == -2500.0);
    assert_true(prop(schema, "L", "Half")->default_value.u.real == 0.5);
    assert_true(prop(schema, "L", "FromInt")->default_value.u.real == 3.0);
    assert_true(prop(schema, "L", "Yes")->default_value.u.boolean);
    assert_false(prop(schema, "L", "No")->default_value.u.boolean);
    assert_false(prop(schema, "L", "No")->default_value.is_null);
    assert_true(prop(schema, "L", "Nothing")->default_value.is_null);
    assert_int_equal(prop(schema, "L", "Letter")->default_value.u.uint, 'a');
    assert_int_equal(prop(schema, "L", "Escaped")->default_value.u.uint, 'A');
    assert_int_equal(prop(schema, "L", "Quote")->default_value.u.uint, '\'');
    assert_int_equal(prop(schema, "L", "When")->default_value.type, CIM_TYPE_DATETIME);
    assert_string_equal(prop(schema, "L", "Interval")->default_value.u.string,
                        "00000001000000.000000:000");
    assert_string_equal(prop(schema, "L", "Empty")->default_value.u.string, "");
    cim_schema_free(schema);
}

static void test_qualifiers_and_flavors(void **state)
{
    (void)state;
    cim_schema *schema = compile_ok(
        "qualifier Description : string = null, scope(class, property), flavor(amended);\n"
        "qualifier Values : string[], scope(property);\n"
        "qualifier max : sint32 = 0;\n"
        "[Description(\"A class\") : Amended ToSubclass, Secret : Restricted,\n"
        " Locale(1033) : ToInstance DisableOverride Translatable, Abstract]\n"
        "class Q {\n"
        "  [Values{\"One\", \"Two\"}, ValueMap{1, -2, 4000000000}, Weight(0.5),\n"
        "   Flags{}, Key(TRUE), Lazy(FALSE), Letter('z')] uint32 P;\n"
        "};\n"
        "CLASS Sub : q { };\n");
    const cim_class *q = cim_schema_find_class(schema, SITE, "Q");
    const cim_qualifier *d = cim_qualifier_find(&q->qualifiers, "description");
    assert_string_equal(d->value.u.string, "A class");
    assert_int_equal(d->flavor, CIM_FLAVOR_AMENDED | CIM_FLAVOR_TOSUBCLASS);
    assert_int_equal(cim_qualifier_find(&q->qualifiers, "Secret")->flavor, CIM_FLAVOR_RESTRICTED);
    const cim_qualifier *locale = cim_qualifier_find(&q->qualifiers, "Locale");
    assert_int_equal(locale->value.type, CIM_TYPE_SINT32);
    assert_int_equal(locale->value.u.sint, 1033);
    assert_int_equal(locale->flavor, CIM_FLAVOR_TOSUBCLASS | CIM_FLAVOR_TOINSTANCE |
                                         CIM_FLAVOR_DISABLEOVERRIDE | CIM_FLAVOR_TRANSLATABLE);
    assert_true(q->flags & CIM_CLASS_ABSTRACT);

    const cim_property *p = cim_class_find_property(q, "P");
    const cim_qualifier *values = cim_qualifier_find(&p->qualifiers, "Values");
    assert_true(values->value.is_array);
    assert_int_equal(values->value.u.array.count, 2);
    assert_string_equal(values->value.u.array.items[1].u.string, "Two");
    const cim_qualifier *map = cim_qualifier_find(&p->qualifiers, "ValueMap");
    assert_int_equal(map->value.type, CIM_TYPE_SINT64); /* widened for 4000000000 */
    assert_int_equal(map->value.u.array.items[1].u.sint, -2);
    assert_int_equal(map->value.u.array.items[2].u.sint, 4000000000);
    assert_true(cim_qualifier_find(&p->qualifiers, "Weight")->value.u.real == 0.5);
    const cim_qualifier *flags = cim_qualifier_find(&p->qualifiers, "Flags");
    assert_true(flags->value.is_array);
    assert_int_equal(flags->value.u.array.count, 0);
    assert_int_equal(cim_qualifier_find(&p->qualifiers, "Letter")->value.type, CIM_TYPE_CHAR16);
    assert_true(p->flags & CIM_PROP_KEY);
    assert_false(p->flags & CIM_PROP_LAZY);

    /* Restricted and Abstract stay with Q; the rest reach Sub. */
    const cim_class *sub = cim_schema_find_class(schema, SITE, "Sub");
    assert_string_equal(sub->superclass_name, "Q"); /* the declared spelling */
    assert_false(sub->flags & CIM_CLASS_ABSTRACT);
    assert_null(cim_qualifier_find(&sub->qualifiers, "Secret"));
    assert_non_null(cim_qualifier_find(&sub->qualifiers, "Description"));
    cim_schema_free(schema);
}

static void test_arrays_embedded_and_references(void **state)
{
    (void)state;
    cim_schema *schema = compile_ok(
        "[Abstract, Embedded] class Token { [Range(\"0-31\")] uint32 Days = 0; };\n"
        "[Embedded] class Daily : Token { };\n"
        "class Holder {\n"
        "  [key] string Name;\n"
        "  uint8 Fixed[16];\n"
        "  string Names[] = {\"a\", \"b\"};\n"
        "  uint32 NoItems[] = {};\n"
        "  uint32 NullArray[] = NULL;\n"
        "  [max(15)] Token Schedule[];\n"
        "  [EmbeddedInstance(\"Token\")] string One;\n"
        "  [EmbeddedObject] string AnyObject;\n"
        "  [CIMTYPE(\"object:Daily\")] object Typed;\n"
        "  object Untyped;\n"
        "  Holder ref Parent;\n"
        "  Token Preset = instance of Daily { Days = 2; };\n"
        "};\n");
    assert_int_equal(prop(schema, "Holder", "Fixed")->array_size, 16);
    assert_true(prop(schema, "Holder", "Fixed")->is_array);
    assert_int_equal(prop(schema, "Holder", "Names")->default_value.u.array.count, 2);
    const cim_property *none = prop(schema, "Holder", "NoItems");
    assert_false(none->default_value.is_null);
    assert_int_equal(none->default_value.u.array.count, 0);
    assert_true(prop(schema, "Holder", "NullArray")->default_value.is_null);
    const cim_property *sched = prop(schema, "Holder", "Schedule");
    assert_int_equal(sched->type, CIM_TYPE_OBJECT);
    assert_string_equal(sched->ref_class, "Token");
    assert_int_equal(sched->max_count, 15);
    const cim_property *one = prop(schema, "Holder", "One");
    assert_int_equal(one->type, CIM_TYPE_OBJECT);
    assert_string_equal(one->ref_class, "Token");
    assert_int_equal(prop(schema, "Holder", "AnyObject")->type, CIM_TYPE_OBJECT);
    assert_null(prop(schema, "Holder", "AnyObject")->ref_class);
    assert_string_equal(prop(schema, "Holder", "Typed")->ref_class, "Daily");
    assert_null(prop(schema, "Holder", "Untyped")->ref_class);
    const cim_property *parent = prop(schema, "Holder", "Parent");
    assert_int_equal(parent->type, CIM_TYPE_REFERENCE);
    assert_string_equal(parent->ref_class, "Holder");
    const cim_value *preset = &prop(schema, "Holder", "Preset")->default_value;
    assert_int_equal(preset->type, CIM_TYPE_OBJECT);
    assert_string_equal(preset->u.object->cls->name, "Daily");
    assert_int_equal(cim_instance_get(preset->u.object, "Days")->u.uint, 2);
    cim_schema_free(schema);
}

static void test_methods(void **state)
{
    (void)state;
    cim_schema *schema = compile_ok(
        "[Embedded] class Token { uint32 Days; };\n"
        "class M {\n"
        "  [static, Description(\"x\")] sint32 Query([in] string ContextID,\n"
        "      [out] uint32 Status, [in, out] string Cursor, [in, optional] uint32 Ids[],\n"
        "      [out] Token Tokens[], [in] M ref Target);\n"
        "  void Ping();\n"
        "  uint32 Count( );\n"
        "};\n"
        "class N : M { sint32 Extra([IN] string X); };\n");
    const cim_class *m = cim_schema_find_class(schema, SITE, "M");
    const cim_method *q = cim_class_find_method(m, "query");
    assert_true(q->is_static);
    assert_int_equal(q->return_type, CIM_TYPE_SINT32);
    assert_int_equal(q->param_count, 6);
    assert_true(cim_method_find_param(q, "Ids")->optional);
    assert_true(cim_method_find_param(q, "Ids")->is_array);
    assert_string_equal(cim_method_find_param(q, "Tokens")->ref_class, "Token");
    assert_int_equal(cim_method_find_param(q, "Target")->type, CIM_TYPE_REFERENCE);
    assert_int_equal(q->in_class->property_count, 4);
    assert_string_equal(q->in_class->properties[0].name, "ContextID");
    assert_string_equal(q->in_class->properties[1].name, "Cursor");
    assert_int_equal(q->out_class->property_count, 4);
    assert_string_equal(q->out_class->properties[0].name, "ReturnValue");
    assert_string_equal(q->out_class->properties[1].name, "Status");
    assert_string_equal(q->out_class->properties[2].name, "Cursor");
    assert_string_equal(q->out_class->properties[3].name, "Tokens");
    const cim_method *ping = cim_class_find_method(m, "Ping");
    assert_int_equal(ping->return_type, CIM_TYPE_INVALID);
    assert_int_equal(ping->out_class->property_count, 0);
    assert_false(ping->is_static);
    assert_int_equal(cim_class_find_method(m, "Count")->param_count, 0);
    const cim_class *n = cim_schema_find_class(schema, SITE, "N");
    assert_int_equal(n->method_count, 4);
    assert_string_equal(n->methods[0].origin_class, "M");
    assert_true(n->methods[0].is_static);
    assert_string_equal(n->methods[3].name, "Extra");
    assert_true(n->methods[3].params[0].in);
    cim_schema_free(schema);
}

static void test_instances_and_aliases(void **state)
{
    (void)state;
    cim_schema *schema = compile_ok(
        "[Embedded] class Token { uint32 Days = 1; };\n"
        "class Site { [key] string Code; string Name = \"default\"; Token T[];\n"
        "             Site ref Parent; uint32 Ids[]; };\n"
        "instance of Site as $Top { Code = \"TOP\"; };\n"
        "[Description(\"seed\")]\n"
        "Instance Of site AS $Lab {\n"
        "  [Note(\"instance qualifiers are accepted\")] Code = \"LAB\";\n"
        "  Name = \"Lab\" \" site\";\n"
        "  Parent = $top;\n"
        "  T = {instance of Token { }, instance of Token { Days = 5; }, NULL};\n"
        "  Ids = {1, 2, 3};\n"
        "};\n");
    assert_int_equal(cim_schema_seed_count(schema), 2);
    const char *ns = NULL;
    const cim_instance *top = cim_schema_seed_at(schema, 0, &ns);
    assert_string_equal(ns, SITE);
    assert_string_equal(cim_instance_get(top, "Code")->u.string, "TOP");
    assert_string_equal(cim_instance_get(top, "Name")->u.string, "default"); /* spawned default */
    const cim_instance *lab = cim_schema_seed_at(schema, 1, NULL);
    assert_string_equal(cim_instance_get(lab, "Name")->u.string, "Lab site");
    const cim_value *parent = cim_instance_get(lab, "Parent");
    assert_int_equal(parent->type, CIM_TYPE_REFERENCE);
    assert_non_null(strstr(parent->u.string, "TOP"));
    const cim_value *tokens = cim_instance_get(lab, "T");
    assert_int_equal(tokens->u.array.count, 3);
    assert_int_equal(cim_instance_get(tokens->u.array.items[0].u.object, "Days")->u.uint, 1);
    assert_int_equal(cim_instance_get(tokens->u.array.items[1].u.object, "Days")->u.uint, 5);
    assert_true(tokens->u.array.items[2].is_null);
    assert_int_equal(cim_instance_get(lab, "Ids")->u.array.items[2].u.uint, 3);
    cim_schema_free(schema);
}

static void test_redeclared_property(void **state)
{
    (void)state;
    cim_schema *schema = compile_ok(
        "class Base { uint32 PackageType; [read] uint32 Size; };\n"
        "class Boot : Base { uint32 PackageType = 258; [lazy] uint32 Size; uint32 Own; };\n");
    const cim_class *boot = cim_schema_find_class(schema, SITE, "Boot");
    assert_int_equal(boot->property_count, 3);
    assert_string_equal(boot->properties[0].name, "PackageType");
    assert_string_equal(boot->properties[0].origin_class, "Base");
    assert_int_equal(boot->properties[0].default_value.u.uint, 258);
    /* An override keeps inherited qualifiers and adds its own. */
    assert_int_equal(boot->properties[1].flags, CIM_PROP_READ_ONLY | CIM_PROP_LAZY);
    assert_true(prop(schema, "Base", "PackageType")->default_value.is_null);
    cim_schema_free(schema);
}

/* len 0: the text is a C string. */
static void write_file(const char *path, const char *text, size_t len)
{
    if (len == 0)
        len = strlen(text);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, len, f), len);
    fclose(f);
}

static void test_files_folders_and_includes(void **state)
{
    (void)state;
    const char *dir = SMSPROV_TEST_SCRATCH "/mof_syntax_dir";
    mkdir(dir, 0755);
    /* Byte order of names decides the compile order: Base before Kid. */
    write_file(SMSPROV_TEST_SCRATCH "/mof_syntax_dir/10_kid.mof",
               "class Kid : Base { };\n#pragma include(\"parts/extra.inc\")\n", 0);
    write_file(SMSPROV_TEST_SCRATCH "/mof_syntax_dir/00_base.mof",
               "\xEF\xBB\xBF" "class Base { };\n", 0);
    write_file(SMSPROV_TEST_SCRATCH "/mof_syntax_dir/notes.txt", "not MOF", 0);
    mkdir(SMSPROV_TEST_SCRATCH "/mof_syntax_dir/parts", 0755);
    write_file(SMSPROV_TEST_SCRATCH "/mof_syntax_dir/parts/extra.inc", "class Extra : Kid { };\n",
               0);
    /* UTF-16LE with a byte order mark, as Windows tools save MOF. */
    static const char utf16[] = "\xFF\xFE" "c\0l\0a\0s\0s\0 \0W\0i\0d\0e\0 \0{\0 \0s\0t\0r\0"
                                "i\0n\0g\0 \0S\0 \0=\0 \0\"\0\xE9\0\"\0;\0 \0}\0;\0";
    write_file(SMSPROV_TEST_SCRATCH "/mof_syntax_dir/20_wide.mof", utf16, sizeof utf16 - 1);

    cim_schema *schema = cim_schema_new();
    smsprov_error err = {0};
    smsprov_code rc = mof_compile_dir(schema, dir, SITE, &err);
    if (rc != SMSPROV_OK)
        fail_msg("%s", err.description);
    size_t n;
    const cim_class **all = cim_schema_list_classes(schema, SITE, NULL, true, &n);
    assert_int_equal(n, 4);
    assert_string_equal(all[0]->name, "Base");
    assert_string_equal(all[1]->name, "Kid");
    assert_string_equal(all[2]->name, "Extra");
    assert_string_equal(all[3]->name, "Wide");
    free(all);
    assert_string_equal(prop(schema, "Wide", "S")->default_value.u.string, "\xC3\xA9");

    /* A single file compiles on its own, into the given namespace. */
    cim_schema *single = cim_schema_new();
    assert_int_equal(mof_compile_file(single, SMSPROV_TEST_SCRATCH "/mof_syntax_dir/00_base.mof",
                                      "root\\other", &err),
                     SMSPROV_OK);
    assert_non_null(cim_schema_find_class(single, "root\\other", "Base"));
    cim_schema_free(single);
    smsprov_error_clear(&err);
    cim_schema_free(schema);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pragmas_and_namespaces),
        cmocka_unit_test(test_literals),
        cmocka_unit_test(test_qualifiers_and_flavors),
        cmocka_unit_test(test_arrays_embedded_and_references),
        cmocka_unit_test(test_methods),
        cmocka_unit_test(test_instances_and_aliases),
        cmocka_unit_test(test_redeclared_property),
        cmocka_unit_test(test_files_folders_and_includes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
