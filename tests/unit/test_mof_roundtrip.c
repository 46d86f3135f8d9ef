/* test_mof_roundtrip.c - cim_class_to_mof prints MOF that compiles back to
 * the same classes, both whole and local-only, for a broad corpus and for
 * the real schema. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mof/mof.h"

#define SITE "root\\sms\\site_LAB"

static const char corpus[] =
    "[Abstract, Description(\"Root \\\"quoted\\\" \\\\ text\\n\") : Amended, Secret(7) : "
    "Restricted]\n"
    "class Base {\n"
    "  [key] string ID;\n"
    "  [read, Units(\"KB\") : Restricted] uint64 Size = 18446744073709551615;\n"
    "  [bits] uint32 Flags = 0x80000000;\n"
    "  sint8 Small = -128;\n"
    "  real64 Ratio = 0.1;\n"
    "  real32 Single = 1.25;\n"
    "  char16 Letter = '\\'';\n"
    "  boolean On = TRUE;\n"
    "  datetime When = \"19700201000000.000000+***\";\n"
    "  string Names[] = {\"a\", \"b,c\", \"\"};\n"
    "  uint8 Fixed[4] = {1, 2};\n"
    "  [Values{\"x\", \"y\"}, ValueMap{1, 2}] uint16 Choice = 2;\n"
    "};\n"
    "[Abstract, Embedded] class Token { [Range(\"0-31\")] uint32 Days = 0; datetime Start; };\n"
    "[Embedded] class Daily : Token { [Range(\"1-4\")] uint32 Every = 1; };\n"
    "[Secured, Icon(\"Package.ico\")]\n"
    "class Kid : Base {\n"
    "  uint64 Size = 5;\n"
    "  [lazy, max(15)] Token Schedule[];\n"
    "  [EmbeddedInstance(\"Daily\")] string One;\n"
    "  object Any;\n"
    "  Base ref Link;\n"
    "  Token Preset = instance of Daily { Days = 3; Every = 2; };\n"
    "  [static] sint32 Query([in] string ContextID, [out] uint32 Status, [in, out] string "
    "Cursor[],\n"
    "                        [in, optional] Daily Hint, [in] Kid ref Target);\n"
    "  void Ping();\n"
    "};\n"
    "class Grandkid : Kid { [lazy] string Extra = \"e\"; sint32 Query([in] string Other); };\n";

static void assert_qualifiers_equal(const cim_qualifier_list *a, const cim_qualifier_list *b)
{
    assert_int_equal(a->count, b->count);
    for (size_t i = 0; i < a->count; i++) {
        const cim_qualifier *q = cim_qualifier_find(b, a->items[i].name);
        assert_non_null(q);
        assert_int_equal(q->flavor, a->items[i].flavor);
        assert_true(cim_value_equal(&q->value, &a->items[i].value));
    }
}

static void assert_classes_equal(const cim_class *a, const cim_class *b)
{
    assert_string_equal(a->name, b->name);
    if (a->superclass_name)
        assert_string_equal(a->superclass_name, b->superclass_name);
    else
        assert_null(b->superclass_name);
    assert_int_equal(a->flags, b->flags);
    assert_int_equal(a->key_count, b->key_count);
    assert_qualifiers_equal(&a->qualifiers, &b->qualifiers);
    assert_int_equal(a->property_count, b->property_count);
    for (size_t i = 0; i < a->property_count; i++) {
        const cim_property *p = &a->properties[i], *q = &b->properties[i];
        assert_string_equal(p->name, q->name);
        assert_int_equal(p->type, q->type);
        assert_int_equal(p->is_array, q->is_array);
        assert_int_equal(p->array_size, q->array_size);
        assert_true((!p->ref_class && !q->ref_class) || strcmp(p->ref_class, q->ref_class) == 0);
        assert_true(cim_value_equal(&p->default_value, &q->default_value));
        assert_qualifiers_equal(&p->qualifiers, &q->qualifiers);
        assert_string_equal(p->origin_class, q->origin_class);
        assert_int_equal(p->flags, q->flags);
        assert_int_equal(p->range_low, q->range_low);
        assert_int_equal(p->range_high, q->range_high);
        assert_int_equal(p->max_count, q->max_count);
    }
    assert_int_equal(a->method_count, b->method_count);
    for (size_t i = 0; i < a->method_count; i++) {
        const cim_method *m = &a->methods[i], *n = &b->methods[i];
        assert_string_equal(m->name, n->name);
        assert_int_equal(m->return_type, n->return_type);
        assert_int_equal(m->is_static, n->is_static);
        assert_qualifiers_equal(&m->qualifiers, &n->qualifiers);
        assert_int_equal(m->param_count, n->param_count);
        for (size_t j = 0; j < m->param_count; j++) {
            const cim_parameter *p = &m->params[j], *q = &n->params[j];
            assert_string_equal(p->name, q->name);
            assert_int_equal(p->type, q->type);
            assert_int_equal(p->is_array, q->is_array);
            assert_true(p->in == q->in && p->out == q->out && p->optional == q->optional);
            assert_true((!p->ref_class && !q->ref_class) ||
                        strcmp(p->ref_class, q->ref_class) == 0);
            assert_qualifiers_equal(&p->qualifiers, &q->qualifiers);
        }
        assert_int_equal(m->in_class->property_count, n->in_class->property_count);
        assert_int_equal(m->out_class->property_count, n->out_class->property_count);
    }
}

/* Prints every class of every namespace of `from` and compiles the text
 * into a new schema, namespace by namespace; checks the classes match and
 * that printing again gives the same text. */
static void round_trip(const cim_schema *from, bool local_only)
{
    cim_schema *to = cim_schema_new();
    for (size_t n = 0; n < cim_schema_namespace_count(from); n++) {
        const char *ns = cim_schema_namespace_at(from, n);
        size_t count;
        const cim_class **classes = cim_schema_list_classes(from, ns, NULL, true, &count);
        cim_buf text = {0};
        for (size_t i = 0; i < count; i++) {
            char *mof = cim_class_to_mof(classes[i], local_only);
            cim_buf_append(&text, mof);
            free(mof);
        }
        smsprov_error err = {0};
        if (mof_compile_string(to, text.data ? text.data : "", "printed.mof", ns, &err) !=
            SMSPROV_OK)
            fail_msg("printed MOF does not compile: %s\n%s", err.description, text.data);
        for (size_t i = 0; i < count; i++) {
            const cim_class *again = cim_schema_find_class(to, ns, classes[i]->name);
            assert_non_null(again);
            assert_classes_equal(classes[i], again);
            char *first = cim_class_to_mof(classes[i], local_only);
            char *second = cim_class_to_mof(again, local_only);
            assert_string_equal(first, second);
            free(first);
            free(second);
        }
        free(classes);
        cim_buf_clear(&text);
    }
    cim_schema_free(to);
}

static void test_corpus_round_trip(void **state)
{
    (void)state;
    cim_schema *schema = cim_schema_new();
    smsprov_error err = {0};
    if (mof_compile_string(schema, corpus, "corpus.mof", SITE, &err) != SMSPROV_OK)
        fail_msg("%s", err.description);
    round_trip(schema, false);
    round_trip(schema, true);
    cim_schema_free(schema);
}

static void test_local_only_output(void **state)
{
    (void)state;
    cim_schema *schema = cim_schema_new();
    assert_int_equal(mof_compile_string(schema, corpus, "corpus.mof", SITE, NULL), SMSPROV_OK);
    const cim_class *kid = cim_schema_find_class(schema, SITE, "Kid");
    char *local = cim_class_to_mof(kid, true);
    char *whole = cim_class_to_mof(kid, false);
    /* Overridden Size is local; untouched inherited members are not. */
    assert_non_null(strstr(local, "uint64 Size = 5;"));
    assert_null(strstr(local, "string ID;"));
    assert_non_null(strstr(whole, "[key] string ID;"));
    assert_non_null(strstr(local, "[Secured, Icon(\"Package.ico\")]\nclass Kid : Base\n{\n"));
    assert_null(strstr(local, "Description"));     /* inherited unchanged */
    assert_non_null(strstr(whole, "Description")); /* still on the class */
    assert_null(strstr(whole, "Secret"));          /* Restricted: not inherited */
    assert_null(strstr(whole, "Abstract"));        /* never inherited */
    assert_non_null(strstr(local, "[lazy, max(15)] Token Schedule[];"));
    assert_non_null(strstr(local, "Base ref Link;"));
    assert_non_null(strstr(local, "object Any;"));
    assert_non_null(strstr(local, "[static] sint32 Query([in] string ContextID, [out] uint32 "
                                  "Status, [in, out] string Cursor[], [in, optional] Daily Hint, "
                                  "[in] Kid ref Target);"));
    assert_non_null(strstr(local, "void Ping();"));
    free(local);
    free(whole);

    const cim_class *base = cim_schema_find_class(schema, SITE, "Base");
    char *text = cim_class_to_mof(base, false);
    assert_non_null(strstr(text, "[Abstract, Description(\"Root \\\"quoted\\\" \\\\ text\\n\") : "
                                 "Amended, Secret(7) : Restricted]\nclass Base\n{\n"));
    assert_non_null(strstr(text, "[read, Units(\"KB\") : Restricted] uint64 Size = "
                                 "18446744073709551615;"));
    assert_non_null(strstr(text, "uint8 Fixed[4] = {1, 2};"));
    assert_non_null(strstr(text, "[Values{\"x\", \"y\"}, ValueMap{1, 2}] uint16 Choice = 2;"));
    assert_non_null(strstr(text, "};\n"));
    free(text);

    /* Grandkid overrides Query with new parameters: local. */
    const cim_class *grandkid = cim_schema_find_class(schema, SITE, "Grandkid");
    text = cim_class_to_mof(grandkid, true);
    assert_non_null(strstr(text, "sint32 Query([in] string Other);"));
    assert_null(strstr(text, "Ping"));
    free(text);
    cim_schema_free(schema);
}

static void test_real_schema_round_trip(void **state)
{
    (void)state;
    cim_schema *schema = cim_schema_new();
    smsprov_error err = {0};
    if (mof_compile_schema(schema, SMSPROV_SOURCE_MOF_DIR, SITE, &err) != SMSPROV_OK)
        fail_msg("%s", err.description);
    round_trip(schema, false);
    round_trip(schema, true);
    cim_schema_free(schema);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_corpus_round_trip),
        cmocka_unit_test(test_local_only_output),
        cmocka_unit_test(test_real_schema_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
