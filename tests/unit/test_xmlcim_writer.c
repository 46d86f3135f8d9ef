/* test_xmlcim_writer.c - the CIM-XML CLASS / INSTANCE / VALUE writer, on the
 * project's real schema. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mof/mof.h"
#include "xmlcim/xmlcim.h"

#define NS "root\\sms\\site_LAB"

static cim_schema *schema;

static int load_schema(void **state)
{
    (void)state;
    schema = cim_schema_new();
    smsprov_error err = {0};
    if (mof_compile_schema(schema, SMSPROV_SOURCE_MOF_DIR, NS, &err) != SMSPROV_OK) {
        fprintf(stderr, "schema: %s\n", err.description);
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

static const cim_class *find(const char *name)
{
    const cim_class *cls = cim_schema_find_class(schema, NS, name);
    assert_non_null(cls);
    return cls;
}

static void assert_contains(const char *text, const char *fragment)
{
    if (!strstr(text, fragment))
        fail_msg("missing %s", fragment);
}

static void assert_prefix(const char *text, const char *prefix)
{
    if (strncmp(text, prefix, strlen(prefix)) != 0)
        fail_msg("%.200s does not start with %s", text, prefix);
}

static size_t count_of(const char *text, const char *fragment)
{
    size_t n = 0;
    for (const char *p = strstr(text, fragment); p; p = strstr(p + 1, fragment))
        n++;
    return n;
}

static void test_escape(void **state)
{
    (void)state;
    cim_buf b = {0};
    xmlcim_escape(&b, "a<b>&\"c'\x01\r\n\td");
    assert_string_equal(b.data, "a&lt;b&gt;&amp;&quot;c&apos; &#13;\n\td");
    xmlcim_escape(&b, NULL);
    cim_buf_clear(&b);
    /* UTF-8 passes; broken sequences (a cut character, stray bytes) become U+FFFD */
    xmlcim_escape(&b, "\xC3\xA9t\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80|\xFF|\xC3|\xED\xA0\x80|\xE2\x82");
    assert_string_equal(b.data, "\xC3\xA9t\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80|\xEF\xBF\xBD|"
                                "\xEF\xBF\xBD|\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD|"
                                "\xEF\xBF\xBD\xEF\xBF\xBD");
    cim_buf_clear(&b);
}

static void test_status_codes(void **state)
{
    (void)state;
    assert_int_equal(xmlcim_cim_status(SMSPROV_OK), 0);
    assert_int_equal(xmlcim_cim_status(SMSPROV_E_NOT_FOUND), 6);
    assert_int_equal(xmlcim_cim_status(SMSPROV_E_INVALID_NAMESPACE), 3);
    assert_int_equal(xmlcim_cim_status(SMSPROV_E_INVALID_CLASS), 5);
    assert_int_equal(xmlcim_cim_status(SMSPROV_E_ALREADY_EXISTS), 11);
    assert_int_equal(xmlcim_cim_status(SMSPROV_E_INVALID_QUERY), 15);
    assert_int_equal(xmlcim_cim_status(SMSPROV_E_NOT_SUPPORTED), 7);
    assert_int_equal(xmlcim_cim_status(SMSPROV_E_CRITICAL_ERROR), 1);
    assert_string_equal(xmlcim_cim_status_name(6), "CIM_ERR_NOT_FOUND");
    assert_string_equal(xmlcim_cim_status_name(99), "CIM_ERR_FAILED");
}

static void test_boot_image_class(void **state)
{
    (void)state;
    const cim_class *cls = find("SMS_BootImagePackage");
    cim_buf b = {0};
    xmlcim_class_options opts = {.include_qualifiers = true, .include_class_origin = true,
                                 .include_derivation = true};
    xmlcim_write_class(&b, cls, &opts);
    const char *x = b.data;
    assert_prefix(x, "<CLASS NAME=\"SMS_BootImagePackage\" SUPERCLASS=\"SMS_PackageBaseclass\" "
                     "DERIVATION=\"SMS_PackageBaseclass,SMS_BaseClass\">");
    /* 58 properties, 13 methods, each element closed */
    assert_int_equal(count_of(x, "<PROPERTY NAME=") + count_of(x, "<PROPERTY.ARRAY NAME="), 58);
    assert_int_equal(count_of(x, "<METHOD NAME="), 13);
    assert_int_equal(count_of(x, "</METHOD>"), 13);
    assert_contains(x, "<PROPERTY NAME=\"PackageID\" TYPE=\"string\" CLASSORIGIN=\"SMS_PackageBaseclass\" "
                       "PROPAGATED=\"true\"><QUALIFIER NAME=\"key\" TYPE=\"boolean\"");
    assert_contains(x, "<PROPERTY NAME=\"PackageType\" TYPE=\"uint32\"");
    assert_contains(x, "<VALUE>258</VALUE>");
    assert_contains(x, "<PROPERTY.ARRAY NAME=\"ReferencedDrivers\" TYPE=\"string\" "
                       "CLASSORIGIN=\"SMS_BootImagePackage\">");
    assert_contains(x, "<QUALIFIER NAME=\"EmbeddedInstance\" TYPE=\"string\"><VALUE>"
                       "SMS_Driver_Details</VALUE></QUALIFIER>");
    assert_contains(x, "<PROPERTY NAME=\"SourceDate\" TYPE=\"datetime\"");
    assert_contains(x, "<METHOD NAME=\"QueryOSDBinaryInjectionStatus\" TYPE=\"sint32\" "
                       "CLASSORIGIN=\"SMS_BootImagePackage\">");
    assert_contains(x, "<PARAMETER NAME=\"Status\" TYPE=\"uint32\">");
    assert_contains(x, "<PARAMETER.ARRAY NAME=\"SiteCode\" TYPE=\"string\">");
    assert_contains(x, "<QUALIFIER NAME=\"static\" TYPE=\"boolean\"><VALUE>true</VALUE>");
    cim_buf_clear(&b);

    /* Local only, no qualifiers: only the 15 declared properties; key, in and
     * out still typed. */
    xmlcim_class_options local = {.local_only = true};
    xmlcim_write_class(&b, cls, &local);
    x = b.data;
    assert_int_equal(count_of(x, "<PROPERTY NAME=") + count_of(x, "<PROPERTY.ARRAY NAME="), 15);
    assert_null(strstr(x, "PackageID"));
    assert_null(strstr(x, "CLASSORIGIN"));
    assert_null(strstr(x, "DERIVATION"));
    assert_null(strstr(x, "NAME=\"lazy\""));
    assert_contains(x, "<QUALIFIER NAME=\"in\" TYPE=\"boolean\">");
    assert_contains(x, "EmbeddedInstance");
    cim_buf_clear(&b);
}

static void test_instance_and_name(void **state)
{
    (void)state;
    const cim_class *cls = find("SMS_BootImagePackage");
    const cim_class *drv = find("SMS_Driver_Details");
    cim_instance *inst = cim_instance_new(cls);
    assert_int_equal(cim_instance_set_string(inst, "PackageID", "LAB00001", NULL), 0);
    assert_int_equal(cim_instance_set_string(inst, "Name", "Boot <x64> & \"more\"", NULL), 0);
    assert_int_equal(cim_instance_set_bool(inst, "DefaultImage", true, NULL), 0);
    cim_value dt = cim_value_datetime("20240131120000.000000+000");
    assert_int_equal(cim_instance_set(inst, "SourceDate", &dt, NULL), 0);
    cim_value_clear(&dt);
    cim_value oc = cim_value_array(CIM_TYPE_UINT32);
    cim_value n = cim_value_uint(CIM_TYPE_UINT32, 27);
    cim_value_array_append(&oc, &n);
    n.u.uint = 29;
    cim_value_array_append(&oc, &n);
    assert_int_equal(cim_instance_set(inst, "OptionalComponents", &oc, NULL), 0);
    cim_value_clear(&oc);
    cim_instance *d = cim_instance_new(drv);
    assert_int_equal(cim_instance_set_uint(d, "ID", 5, NULL), 0);
    cim_value drivers = cim_value_array(CIM_TYPE_OBJECT);
    cim_value one = cim_value_object(d);
    cim_value_array_append_take(&drivers, &one);
    assert_int_equal(cim_instance_set(inst, "ReferencedDrivers", &drivers, NULL), 0);
    cim_value_clear(&drivers);

    cim_buf b = {0};
    xmlcim_write_instance(&b, inst, NULL);
    const char *x = b.data;
    assert_prefix(x, "<INSTANCE CLASSNAME=\"SMS_BootImagePackage\">");
    assert_contains(x, "<PROPERTY NAME=\"PackageID\" TYPE=\"string\"><VALUE>LAB00001</VALUE>");
    assert_contains(x, "<VALUE>Boot &lt;x64&gt; &amp; &quot;more&quot;</VALUE>");
    assert_contains(x, "<PROPERTY NAME=\"DefaultImage\" TYPE=\"boolean\"><VALUE>true</VALUE>");
    assert_contains(x, "<PROPERTY NAME=\"SourceDate\" TYPE=\"datetime\"><VALUE>"
                       "20240131120000.000000+000</VALUE>");
    assert_contains(x, "<PROPERTY.ARRAY NAME=\"OptionalComponents\" TYPE=\"uint32\"><VALUE.ARRAY>"
                       "<VALUE>27</VALUE><VALUE>29</VALUE></VALUE.ARRAY>");
    /* an array of embedded instances names its class in a qualifier (wbemcli
     * refuses EmbeddedObject on PROPERTY.ARRAY) */
    assert_contains(x, "<PROPERTY.ARRAY NAME=\"ReferencedDrivers\" TYPE=\"string\"><QUALIFIER "
                       "NAME=\"EmbeddedInstance\" TYPE=\"string\"><VALUE>SMS_Driver_Details"
                       "</VALUE></QUALIFIER><VALUE.ARRAY><VALUE>&lt;INSTANCE "
                       "CLASSNAME=&quot;SMS_Driver_Details&quot;&gt;");
    /* a null property is there, without a VALUE */
    assert_contains(x, "<PROPERTY NAME=\"Description\" TYPE=\"string\"></PROPERTY>");
    cim_buf_clear(&b);

    const char *only[] = {"Name", NULL};
    xmlcim_instance_options opts = {.property_list = only, .include_class_origin = true};
    xmlcim_write_instance(&b, inst, &opts);
    assert_int_equal(count_of(b.data, "<PROPERTY"), 1);
    assert_contains(b.data, "CLASSORIGIN=\"SMS_PackageBaseclass\"");
    cim_buf_clear(&b);

    xmlcim_write_instancename(&b, inst);
    assert_string_equal(b.data, "<INSTANCENAME CLASSNAME=\"SMS_BootImagePackage\"><KEYBINDING "
                                "NAME=\"PackageID\"><KEYVALUE VALUETYPE=\"string\">LAB00001"
                                "</KEYVALUE></KEYBINDING></INSTANCENAME>");
    cim_buf_clear(&b);
    cim_instance_free(inst);
}

static void test_values(void **state)
{
    (void)state;
    cim_buf b = {0};
    cim_value v = cim_value_real(CIM_TYPE_REAL64, 1.0 / 0.0);
    char *t = xmlcim_scalar_text(&v);
    assert_string_equal(t, "INF");
    free(t);
    v = cim_value_sint(CIM_TYPE_SINT32, -5);
    xmlcim_write_value(&b, &v);
    assert_string_equal(b.data, "<VALUE>-5</VALUE>");
    cim_buf_clear(&b);
    v = cim_value_reference("root\\sms\\site_LAB:SMS_BootImagePackage.PackageID=\"LAB00001\"");
    xmlcim_write_value(&b, &v);
    assert_string_equal(b.data,
                        "<VALUE.REFERENCE><LOCALINSTANCEPATH><LOCALNAMESPACEPATH><NAMESPACE "
                        "NAME=\"root\"/><NAMESPACE NAME=\"sms\"/><NAMESPACE NAME=\"site_LAB\"/>"
                        "</LOCALNAMESPACEPATH><INSTANCENAME CLASSNAME=\"SMS_BootImagePackage\">"
                        "<KEYBINDING NAME=\"PackageID\"><KEYVALUE VALUETYPE=\"string\">LAB00001"
                        "</KEYVALUE></KEYBINDING></INSTANCENAME></LOCALINSTANCEPATH>"
                        "</VALUE.REFERENCE>");
    cim_value_clear(&v);
    cim_buf_clear(&b);
    v = cim_value_null(CIM_TYPE_STRING, false);
    xmlcim_write_value(&b, &v);
    assert_null(b.data);
    assert_string_equal(xmlcim_type_name(CIM_TYPE_OBJECT), "string");
    assert_string_equal(xmlcim_type_name(CIM_TYPE_CHAR16), "char16");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_escape),
        cmocka_unit_test(test_status_codes),
        cmocka_unit_test(test_boot_image_class),
        cmocka_unit_test(test_instance_and_name),
        cmocka_unit_test(test_values),
    };
    return cmocka_run_group_tests(tests, load_schema, free_schema);
}
