/* test_cimxml_parse.c - the CIM-XML request parser: every shape wbemcli
 * sends, the DSP0201 elements other clients use, and each way a request can
 * be malformed, refused with the DSP0200 CIMError it calls for. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cimxml/request.h"

#define HEAD                                                                                       \
    "<?xml version=\"1.0\" encoding=\"utf-8\" ?>"                                                  \
    "<CIM CIMVERSION=\"2.0\" DTDVERSION=\"2.0\"><MESSAGE ID=\"4711\" "                             \
    "PROTOCOLVERSION=\"1.0\"><SIMPLEREQ>"
#define TAIL "</SIMPLEREQ></MESSAGE></CIM>"
#define NS                                                                                         \
    "<LOCALNAMESPACEPATH><NAMESPACE NAME=\"root\"/><NAMESPACE NAME=\"sms\"/>"                      \
    "<NAMESPACE NAME=\"site_LAB\"/></LOCALNAMESPACEPATH>"
#define BOOT_NAME                                                                                  \
    "<INSTANCENAME CLASSNAME=\"SMS_BootImagePackage\"><KEYBINDING NAME=\"PackageID\">"             \
    "<KEYVALUE VALUETYPE=\"string\">LAB00001</KEYVALUE></KEYBINDING></INSTANCENAME>"

static bool parse(const char *body, cimxml_request *req, cimxml_fault *fault)
{
    *fault = (cimxml_fault){0};
    return cimxml_request_parse(body, strlen(body), req, fault);
}

/* Parses a request that must be refused, checks the answer, cleans up. */
static void expect_fault(const char *body, unsigned http_status, const char *cim_error,
                         int cim_status, const char *words)
{
    cimxml_request req;
    cimxml_fault fault;
    assert_false(parse(body, &req, &fault));
    assert_int_equal(fault.http_status, http_status);
    if (cim_error)
        assert_string_equal(fault.cim_error, cim_error);
    assert_int_equal(fault.cim_status, cim_status);
    assert_non_null(fault.description);
    if (words && !strstr(fault.description, words))
        fail_msg("\"%s\" is not in \"%s\"", words, fault.description);
    if (http_status)
        assert_null(req.method); /* nothing left behind */
    cimxml_request_clear(&req);
    cimxml_fault_clear(&fault);
}

static void test_enumerate_instances_as_wbemcli_sends_it(void **state)
{
    (void)state;
    const char *body = HEAD
        "<IMETHODCALL NAME=\"EnumerateInstances\">" NS
        "<IPARAMVALUE NAME=\"ClassName\"><CLASSNAME NAME=\"SMS_BootImagePackage\"/></IPARAMVALUE>"
        "<IPARAMVALUE NAME=\"DeepInheritance\"><VALUE>TRUE</VALUE></IPARAMVALUE>"
        "<IPARAMVALUE NAME=\"LocalOnly\"><VALUE>FALSE</VALUE></IPARAMVALUE>"
        "<IPARAMVALUE "
        "NAME=\"PropertyList\"><VALUE.ARRAY><VALUE>Name</VALUE><VALUE>PackageID</VALUE>"
        "</VALUE.ARRAY></IPARAMVALUE>"
        "</IMETHODCALL>" TAIL;
    cimxml_request req;
    cimxml_fault fault;
    assert_true(parse(body, &req, &fault));
    assert_true(req.intrinsic);
    assert_string_equal(req.message_id, "4711");
    assert_string_equal(req.method, "EnumerateInstances");
    assert_string_equal(req.namespace_path, "root\\sms\\site_LAB");
    assert_int_equal(req.arg_count, 4);
    const cimxml_arg *cls = cimxml_request_arg(&req, "classname");
    assert_non_null(cls);
    assert_int_equal(cls->kind, CIMXML_ARG_CLASSNAME);
    assert_string_equal(cls->class_name, "SMS_BootImagePackage");
    const cimxml_arg *deep = cimxml_request_arg(&req, "DeepInheritance");
    assert_int_equal(deep->kind, CIMXML_ARG_DATA);
    assert_string_equal(deep->data.text, "TRUE");
    const cimxml_arg *list = cimxml_request_arg(&req, "PropertyList");
    assert_true(list->data.is_array);
    assert_int_equal(list->data.count, 2);
    assert_string_equal(list->data.items[1], "PackageID");
    assert_null(cimxml_request_arg(&req, "IncludeQualifiers"));
    cimxml_request_clear(&req);
}

static void test_pretty_printed_request_with_whitespace(void **state)
{
    (void)state;
    const char *body =
        "<?xml version=\"1.0\" ?>\n<CIM CIMVERSION=\"2.0\" DTDVERSION=\"2.0\">\n"
        " <MESSAGE ID=\"7873\" PROTOCOLVERSION=\"1.0\">\n  <SIMPLEREQ>\n"
        "   <IMETHODCALL NAME=\"EnumerateClassNames\">\n    <LOCALNAMESPACEPATH>\n"
        "     <NAMESPACE NAME=\"root\"/>\n     <!-- a comment -->\n    </LOCALNAMESPACEPATH>\n"
        "    <IPARAMVALUE NAME=\"DeepInheritance\">\n     <VALUE>\n      TRUE\n     </VALUE>\n"
        "    </IPARAMVALUE>\n   </IMETHODCALL>\n  </SIMPLEREQ>\n </MESSAGE>\n</CIM>\n";
    cimxml_request req;
    cimxml_fault fault;
    assert_true(parse(body, &req, &fault));
    assert_string_equal(req.namespace_path, "root");
    assert_non_null(strstr(cimxml_request_arg(&req, "DeepInheritance")->data.text, "TRUE"));
    cimxml_request_clear(&req);
}

static void test_instance_name_with_every_key_kind(void **state)
{
    (void)state;
    const char *body = HEAD
        "<IMETHODCALL NAME=\"GetInstance\">" NS
        "<IPARAMVALUE NAME=\"InstanceName\"><INSTANCENAME CLASSNAME=\"X_Thing\">"
        "<KEYBINDING NAME=\"Id\"><KEYVALUE VALUETYPE=\"string\"> a&amp;b&quot; "
        "</KEYVALUE></KEYBINDING>"
        "<KEYBINDING NAME=\"Count\"><KEYVALUE VALUETYPE=\"numeric\"> 42 </KEYVALUE></KEYBINDING>"
        "<KEYBINDING NAME=\"Delta\"><KEYVALUE VALUETYPE=\"numeric\">-7</KEYVALUE></KEYBINDING>"
        "<KEYBINDING NAME=\"Ratio\"><KEYVALUE VALUETYPE=\"numeric\">1.5</KEYVALUE></KEYBINDING>"
        "<KEYBINDING NAME=\"On\"><KEYVALUE VALUETYPE=\"boolean\">true</KEYVALUE></KEYBINDING>"
        "<KEYBINDING NAME=\"Owner\"><VALUE.REFERENCE><LOCALINSTANCEPATH>"
        "<LOCALNAMESPACEPATH><NAMESPACE NAME=\"root\"/><NAMESPACE "
        "NAME=\"sms\"/></LOCALNAMESPACEPATH>"
        "<INSTANCENAME CLASSNAME=\"X_Owner\"><KEYBINDING NAME=\"N\"><KEYVALUE>o</KEYVALUE>"
        "</KEYBINDING></INSTANCENAME></LOCALINSTANCEPATH></VALUE.REFERENCE></KEYBINDING>"
        "</INSTANCENAME></IPARAMVALUE></IMETHODCALL>" TAIL;
    cimxml_request req;
    cimxml_fault fault;
    assert_true(parse(body, &req, &fault));
    const cim_object_path *p = &cimxml_request_arg(&req, "InstanceName")->path;
    assert_string_equal(p->class_name, "X_Thing");
    assert_int_equal(p->key_count, 6);
    assert_string_equal(p->keys[0].value.u.string, " a&b\" "); /* strings keep their blanks */
    assert_int_equal(p->keys[1].value.type, CIM_TYPE_UINT64);
    assert_int_equal(p->keys[1].value.u.uint, 42);
    assert_int_equal(p->keys[2].value.type, CIM_TYPE_SINT64);
    assert_int_equal(p->keys[2].value.u.sint, -7);
    assert_int_equal(p->keys[3].value.type, CIM_TYPE_REAL64);
    assert_int_equal(p->keys[4].value.type, CIM_TYPE_BOOLEAN);
    assert_true(p->keys[4].value.u.boolean);
    assert_int_equal(p->keys[5].value.type, CIM_TYPE_REFERENCE);
    assert_string_equal(p->keys[5].value.u.string, "root\\sms:X_Owner.N=\"o\"");
    char *text = cim_object_path_format(p, false);
    cim_object_path back = {0};
    assert_int_equal(cim_object_path_parse(text, &back, NULL),
                     SMSPROV_OK); /* the provider reads it */
    assert_int_equal(back.key_count, 6);
    cim_object_path_clear(&back);
    free(text);
    cimxml_request_clear(&req);
}

static void test_create_instance_with_every_property_shape(void **state)
{
    (void)state;
    const char *body = HEAD
        "<IMETHODCALL NAME=\"CreateInstance\">" NS
        "<IPARAMVALUE NAME=\"NewInstance\"><INSTANCE CLASSNAME=\"SMS_BootImagePackage\">"
        "<QUALIFIER NAME=\"Secured\" TYPE=\"boolean\"><VALUE>TRUE</VALUE></QUALIFIER>"
        "<PROPERTY NAME=\"Name\" TYPE=\"string\"><VALUE>Boot x64</VALUE></PROPERTY>"
        "<PROPERTY NAME=\"Description\" TYPE=\"string\"></PROPERTY>"
        "<PROPERTY.ARRAY NAME=\"OptionalComponents\" TYPE=\"uint32\"><VALUE.ARRAY><VALUE>27</VALUE>"
        "<VALUE>28</VALUE></VALUE.ARRAY></PROPERTY.ARRAY>"
        "<PROPERTY.ARRAY NAME=\"ReferencedDrivers\" TYPE=\"string\" EmbeddedObject=\"instance\">"
        "<VALUE.ARRAY><VALUE>&lt;INSTANCE CLASSNAME=&quot;SMS_Driver_Details&quot;&gt;"
        "&lt;PROPERTY NAME=&quot;ID&quot; TYPE=&quot;uint32&quot;&gt;&lt;VALUE&gt;5&lt;/VALUE&gt;"
        "&lt;/PROPERTY&gt;&lt;/INSTANCE&gt;</VALUE><VALUE.NULL/></VALUE.ARRAY></PROPERTY.ARRAY>"
        "<PROPERTY NAME=\"Extra\" TYPE=\"string\"><QUALIFIER NAME=\"EmbeddedInstance\" "
        "TYPE=\"string\">"
        "<VALUE>X</VALUE></QUALIFIER></PROPERTY>"
        "<PROPERTY.REFERENCE NAME=\"Ref\" REFERENCECLASS=\"X\"><VALUE.REFERENCE><CLASSNAME "
        "NAME=\"X\"/>"
        "</VALUE.REFERENCE></PROPERTY.REFERENCE>"
        "</INSTANCE></IPARAMVALUE></IMETHODCALL>" TAIL;
    cimxml_request req;
    cimxml_fault fault;
    assert_true(parse(body, &req, &fault));
    const cimxml_arg *a = cimxml_request_arg(&req, "NewInstance");
    assert_int_equal(a->kind, CIMXML_ARG_INSTANCE);
    const cimxml_instance *inst = &a->instance;
    assert_string_equal(inst->class_name, "SMS_BootImagePackage");
    assert_int_equal(inst->count, 6);
    assert_string_equal(inst->props[0].value.text, "Boot x64");
    assert_string_equal(inst->props[0].type, "string");
    assert_true(inst->props[1].value.is_null);
    assert_true(inst->props[2].value.is_array);
    assert_int_equal(inst->props[2].value.count, 2);
    const cimxml_property *drivers = &inst->props[3];
    assert_true(drivers->embedded);
    assert_int_equal(drivers->value.count, 2);
    assert_null(drivers->value.items[1]);
    cimxml_instance embedded;
    assert_true(cimxml_instance_parse(drivers->value.items[0], &embedded, &fault));
    assert_string_equal(embedded.class_name, "SMS_Driver_Details");
    assert_string_equal(embedded.props[0].value.text, "5");
    cimxml_instance_clear(&embedded);
    assert_true(inst->props[4].embedded); /* by its EmbeddedInstance qualifier */
    assert_true(inst->props[4].value.is_null);
    assert_true(inst->props[5].value.is_reference);
    assert_string_equal(inst->props[5].value.text, "X");
    cimxml_request_clear(&req);
}

static void test_modify_instance_carries_a_named_instance(void **state)
{
    (void)state;
    const char *body =
        HEAD "<IMETHODCALL NAME=\"ModifyInstance\">" NS
             "<IPARAMVALUE NAME=\"ModifiedInstance\"><VALUE.NAMEDINSTANCE>" BOOT_NAME
             "<INSTANCE CLASSNAME=\"SMS_BootImagePackage\"><PROPERTY NAME=\"Name\" TYPE=\"string\">"
             "<VALUE>v2</VALUE></PROPERTY></INSTANCE></VALUE.NAMEDINSTANCE></IPARAMVALUE>"
             "<IPARAMVALUE NAME=\"PropertyList\"/>"
             "</IMETHODCALL>" TAIL;
    cimxml_request req;
    cimxml_fault fault;
    assert_true(parse(body, &req, &fault));
    const cimxml_arg *a = cimxml_request_arg(&req, "ModifiedInstance");
    assert_int_equal(a->kind, CIMXML_ARG_NAMED_INSTANCE);
    assert_string_equal(a->path.keys[0].value.u.string, "LAB00001");
    assert_string_equal(a->instance.props[0].value.text, "v2");
    const cimxml_arg *list = cimxml_request_arg(&req, "PropertyList");
    assert_int_equal(list->kind, CIMXML_ARG_DATA);
    assert_true(list->data.is_null);
    cimxml_request_clear(&req);
}

static void test_method_call_on_an_instance(void **state)
{
    (void)state;
    const char *body = HEAD
        "<METHODCALL NAME=\"SetSourceSite\"><LOCALINSTANCEPATH>" NS BOOT_NAME "</LOCALINSTANCEPATH>"
        "<PARAMVALUE NAME=\"SourceSite\" PARAMTYPE=\"string\"><VALUE>LAB</VALUE></PARAMVALUE>"
        "<PARAMVALUE NAME=\"Empty\"/>"
        "</METHODCALL>" TAIL;
    cimxml_request req;
    cimxml_fault fault;
    assert_true(parse(body, &req, &fault));
    assert_false(req.intrinsic);
    assert_true(req.target_is_instance);
    assert_string_equal(req.method, "SetSourceSite");
    assert_string_equal(req.namespace_path, "root\\sms\\site_LAB");
    assert_string_equal(req.target.class_name, "SMS_BootImagePackage");
    assert_int_equal(req.target.key_count, 1);
    assert_string_equal(req.args[0].paramtype, "string");
    assert_string_equal(req.args[0].data.text, "LAB");
    assert_true(req.args[1].data.is_null);
    cimxml_request_clear(&req);
}

static void test_static_method_call_with_arrays_and_references(void **state)
{
    (void)state;
    const char *body = HEAD
        "<METHODCALL NAME=\"ImportDriver\"><LOCALCLASSPATH>" NS
        "<CLASSNAME NAME=\"SMS_BootImagePackage\"/></LOCALCLASSPATH>"
        "<PARAMVALUE NAME=\"DriverID\"><VALUE>5</VALUE></PARAMVALUE>"
        "<PARAMVALUE NAME=\"Paths\"><VALUE.ARRAY><VALUE>a</VALUE><VALUE>b</VALUE></VALUE.ARRAY>"
        "</PARAMVALUE>"
        "<PARAMVALUE NAME=\"Target\" PARAMTYPE=\"reference\"><VALUE.REFERENCE>" BOOT_NAME
        "</VALUE.REFERENCE></PARAMVALUE>"
        "<PARAMVALUE NAME=\"Targets\"><VALUE.REFARRAY><VALUE.REFERENCE><CLASSPATH><NAMESPACEPATH>"
        "<HOST>lab</HOST>" NS
        "</NAMESPACEPATH><CLASSNAME NAME=\"C\"/></CLASSPATH></VALUE.REFERENCE>"
        "<VALUE.NULL/></VALUE.REFARRAY></PARAMVALUE>"
        "<PARAMVALUE NAME=\"Where\"><INSTANCENAME CLASSNAME=\"C\"/></PARAMVALUE>"
        "<PARAMVALUE NAME=\"Object\" EmbeddedObject=\"object\"><VALUE>&lt;INSTANCE "
        "CLASSNAME=&quot;C&quot;/&gt;"
        "</VALUE></PARAMVALUE>"
        "</METHODCALL>" TAIL;
    cimxml_request req;
    cimxml_fault fault;
    assert_true(parse(body, &req, &fault));
    assert_false(req.target_is_instance);
    assert_string_equal(req.target.class_name, "SMS_BootImagePackage");
    assert_int_equal(req.target.key_count, 0);
    assert_int_equal(req.arg_count, 6);
    assert_string_equal(req.args[1].data.items[1], "b");
    assert_true(req.args[2].data.is_reference);
    assert_string_equal(req.args[2].data.text, "SMS_BootImagePackage.PackageID=\"LAB00001\"");
    assert_true(req.args[3].data.is_array && req.args[3].data.is_reference);
    assert_string_equal(req.args[3].data.items[0], "\\\\lab\\root\\sms\\site_LAB:C");
    assert_null(req.args[3].data.items[1]);
    assert_int_equal(req.args[4].kind, CIMXML_ARG_INSTANCENAME);
    assert_true(req.args[4].path.singleton);
    assert_true(req.args[5].embedded);
    cimxml_request_clear(&req);
}

static void test_not_well_formed(void **state)
{
    (void)state;
    expect_fault("", 400, "request-not-well-formed", 0, "no body");
    expect_fault("<CIM CIMVERSION=\"2.0\"", 400, "request-not-well-formed", 0, "line 1");
    expect_fault(HEAD "<IMETHODCALL NAME=\"X\">" NS "</IMETHODCALL>"
                      "</SIMPLEREQ></MESSAGE>",
                 400, "request-not-well-formed", 0, "not well-formed");
    expect_fault("not xml at all", 400, "request-not-well-formed", 0, NULL);
    /* undeclared entities are errors without a DTD */
    expect_fault(HEAD "<IMETHODCALL NAME=\"&lol;\">" NS "</IMETHODCALL>" TAIL, 400,
                 "request-not-well-formed", 0, "lol");
}

static void test_doctype_and_entities_are_refused(void **state)
{
    (void)state;
    const char *laughs =
        "<?xml version=\"1.0\"?><!DOCTYPE CIM [<!ENTITY a \"aaaaaaaaaa\">"
        "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;\">]>"
        "<CIM CIMVERSION=\"&c;\" DTDVERSION=\"2.0\"/>";
    expect_fault(laughs, 400, "request-not-valid", 0, "DOCTYPE");
    const char *external = "<?xml version=\"1.0\"?><!DOCTYPE CIM SYSTEM \"file:///etc/passwd\">"
                           "<CIM CIMVERSION=\"2.0\" DTDVERSION=\"2.0\"/>";
    expect_fault(external, 400, "request-not-valid", 0, "DOCTYPE");
}

static void test_deep_documents_are_refused(void **state)
{
    (void)state;
    cim_buf b = {0};
    cim_buf_append(&b, HEAD "<IMETHODCALL NAME=\"X\">" NS "<IPARAMVALUE NAME=\"P\">");
    for (int i = 0; i < 200; i++)
        cim_buf_append(&b, "<VALUE.ARRAY>");
    for (int i = 0; i < 200; i++)
        cim_buf_append(&b, "</VALUE.ARRAY>");
    cim_buf_append(&b, "</IPARAMVALUE></IMETHODCALL>" TAIL);
    expect_fault(b.data, 400, "request-not-well-formed", 0, "deep");
    cim_buf_clear(&b);
}

/* The bombs the XML pre-scan refuses before libxml2 works on them: 40,000
 * attributes on one element (quadratic in libxml2), overlong text, names and
 * values; and the parameter and key counts whose duplicate checks would be
 * quadratic in the parser itself. */
static void test_xml_limits(void **state)
{
    (void)state;
    cim_buf b = {0};
    cim_buf_append(&b, HEAD "<IMETHODCALL NAME=\"EnumerateInstances\"");
    for (int i = 0; i < 40000; i++) {
        char attr[32];
        snprintf(attr, sizeof attr, " A%d=\"1\"", i);
        cim_buf_append(&b, attr);
    }
    cim_buf_append(&b, ">" NS "</IMETHODCALL>" TAIL);
    expect_fault(b.data, 400, "request-not-well-formed", 0,
                 "more than 64 attributes on one element");
    cim_buf_clear(&b);
    cim_buf_append(&b, HEAD "<IMETHODCALL NAME=\"EnumerateInstances\">" NS
                            "<IPARAMVALUE NAME=\"ClassName\"><VALUE>");
    for (int i = 0; i < 1024 * 1024 + 1; i++)
        cim_buf_append(&b, "x");
    cim_buf_append(&b, "</VALUE></IPARAMVALUE></IMETHODCALL>" TAIL);
    expect_fault(b.data, 400, "request-not-well-formed", 0, "bytes of text in one node");
    cim_buf_clear(&b);
    cim_buf_append(&b, HEAD "<IMETHODCALL NAME=\"EnumerateInstances\">" NS);
    for (int i = 0; i < 65; i++) {
        char arg[64];
        snprintf(arg, sizeof arg, "<IPARAMVALUE NAME=\"P%d\"/>", i);
        cim_buf_append(&b, arg);
    }
    cim_buf_append(&b, "</IMETHODCALL>" TAIL);
    expect_fault(b.data, 0, NULL, 4, "more than 64 parameters");
    cim_buf_clear(&b);
    cim_buf_append(&b, HEAD "<IMETHODCALL NAME=\"GetInstance\">" NS
                            "<IPARAMVALUE NAME=\"InstanceName\"><INSTANCENAME CLASSNAME=\"X\">");
    for (int i = 0; i < 65; i++) {
        char key[96];
        snprintf(key, sizeof key,
                 "<KEYBINDING NAME=\"K%d\"><KEYVALUE>1</KEYVALUE></KEYBINDING>", i);
        cim_buf_append(&b, key);
    }
    cim_buf_append(&b, "</INSTANCENAME></IPARAMVALUE></IMETHODCALL>" TAIL);
    expect_fault(b.data, 0, NULL, 4, "more than 64 keys");
    cim_buf_clear(&b);
    /* libxml2 stops reading at a NUL byte: what follows one is not ignored */
    static const char nul_tail[] = HEAD "<IMETHODCALL NAME=\"EnumerateClassNames\">" NS
                                        "</IMETHODCALL>" TAIL "\0<x/>";
    cimxml_request req;
    cimxml_fault fault = {0};
    assert_false(cimxml_request_parse(nul_tail, sizeof nul_tail - 1, &req, &fault));
    assert_int_equal(fault.http_status, 400);
    assert_string_equal(fault.cim_error, "request-not-well-formed");
    assert_non_null(strstr(fault.description, "NUL"));
    cimxml_fault_clear(&fault);
    cimxml_request_clear(&req);
}

static void test_structure_errors_are_not_loosely_valid(void **state)
{
    (void)state;
    const char *lv = "request-not-loosely-valid";
    expect_fault("<FOO/>", 400, lv, 0, "<FOO>");
    expect_fault("<CIM CIMVERSION=\"2.0\" DTDVERSION=\"2.0\"/>", 400, lv, 0, "MESSAGE");
    expect_fault("<CIM DTDVERSION=\"2.0\"><MESSAGE/></CIM>", 400, lv, 0, "CIMVERSION");
    expect_fault("<CIM CIMVERSION=\"2.0\" DTDVERSION=\"2.0\"><MESSAGE PROTOCOLVERSION=\"1.0\">"
                 "<SIMPLEREQ/></MESSAGE></CIM>",
                 400, lv, 0, "ID");
    expect_fault(HEAD TAIL, 400, lv, 0, "IMETHODCALL");
    expect_fault(HEAD "<IMETHODCALL>" NS "</IMETHODCALL>" TAIL, 400, lv, 0, "NAME");
    expect_fault(HEAD "<IMETHODCALL NAME=\"GetClass\"></IMETHODCALL>" TAIL, 400, lv, 0,
                 "LOCALNAMESPACEPATH");
    expect_fault(HEAD "<IMETHODCALL NAME=\"GetClass\"><LOCALNAMESPACEPATH/></IMETHODCALL>" TAIL,
                 400, lv, 0, "NAMESPACE");
    expect_fault(HEAD "<IMETHODCALL NAME=\"GetClass\">" NS
                      "<PARAMVALUE NAME=\"x\"/></IMETHODCALL>" TAIL,
                 400, lv, 0, "IPARAMVALUE");
    expect_fault(HEAD "<IMETHODCALL NAME=\"GetClass\">" NS "<IPARAMVALUE NAME=\"x\"><FOO/>"
                      "</IPARAMVALUE></IMETHODCALL>" TAIL,
                 400, lv, 0, "<FOO>");
    expect_fault(HEAD "<IMETHODCALL NAME=\"GetClass\">" NS "<IPARAMVALUE NAME=\"x\"><VALUE>a<b/>"
                      "</VALUE></IPARAMVALUE></IMETHODCALL>" TAIL,
                 400, lv, 0, "escape");
    expect_fault(HEAD "<IMETHODCALL NAME=\"GetInstance\">" NS "<IPARAMVALUE NAME=\"InstanceName\">"
                      "<INSTANCENAME CLASSNAME=\"C\"><KEYBINDING NAME=\"K\"/></INSTANCENAME>"
                      "</IPARAMVALUE></IMETHODCALL>" TAIL,
                 400, lv, 0, "KEYVALUE");
    expect_fault(HEAD "<METHODCALL NAME=\"M\">" NS "</METHODCALL>" TAIL, 400, lv, 0,
                 "LOCALINSTANCEPATH");
    expect_fault(HEAD "<IMETHODCALL NAME=\"A\">" NS "</IMETHODCALL><IMETHODCALL NAME=\"B\">" NS
                      "</IMETHODCALL>" TAIL,
                 400, lv, 0, "one call");
}

static void test_versions_and_multiple_requests(void **state)
{
    (void)state;
    expect_fault("<CIM CIMVERSION=\"3.0\" DTDVERSION=\"2.0\"><MESSAGE/></CIM>", 501,
                 "unsupported-cim-version", 0, "3.0");
    expect_fault("<CIM CIMVERSION=\"2.4\" DTDVERSION=\"20\"><MESSAGE/></CIM>", 501,
                 "unsupported-dtd-version", 0, "20");
    expect_fault(
        "<CIM CIMVERSION=\"2.0\" DTDVERSION=\"2.0\"><MESSAGE ID=\"1\" PROTOCOLVERSION=\"2.0\">"
        "<SIMPLEREQ/></MESSAGE></CIM>",
        501, "unsupported-protocol-version", 0, "2.0");
    expect_fault(
        "<CIM CIMVERSION=\"2.0\" DTDVERSION=\"2.0\"><MESSAGE ID=\"1\" PROTOCOLVERSION=\"1.0\">"
        "<MULTIREQ/></MESSAGE></CIM>",
        501, "multiple-requests-unsupported", 0, "MULTIREQ");
}

static void test_enumerated_attributes_are_checked(void **state)
{
    (void)state;
    const char *nv = "request-not-valid";
    expect_fault(HEAD
                 "<IMETHODCALL NAME=\"CreateInstance\">" NS "<IPARAMVALUE NAME=\"NewInstance\">"
                 "<INSTANCE CLASSNAME=\"C\"><PROPERTY NAME=\"P\" TYPE=\"integer\"><VALUE>1</VALUE>"
                 "</PROPERTY></INSTANCE></IPARAMVALUE></IMETHODCALL>" TAIL,
                 400, nv, 0, "integer");
    expect_fault(
        HEAD "<IMETHODCALL NAME=\"GetInstance\">" NS "<IPARAMVALUE NAME=\"InstanceName\">"
             "<INSTANCENAME CLASSNAME=\"C\"><KEYBINDING NAME=\"K\"><KEYVALUE VALUETYPE=\"date\">1"
             "</KEYVALUE></KEYBINDING></INSTANCENAME></IPARAMVALUE></IMETHODCALL>" TAIL,
        400, nv, 0, "date");
    expect_fault(HEAD
                 "<METHODCALL NAME=\"M\"><LOCALCLASSPATH>" NS "<CLASSNAME NAME=\"C\"/>"
                 "</LOCALCLASSPATH><PARAMVALUE NAME=\"P\" PARAMTYPE=\"blob\"/></METHODCALL>" TAIL,
                 400, nv, 0, "blob");
    expect_fault(
        HEAD "<METHODCALL NAME=\"M\"><LOCALCLASSPATH>" NS "<CLASSNAME NAME=\"C\"/>"
             "</LOCALCLASSPATH><PARAMVALUE NAME=\"P\" EmbeddedObject=\"class\"/></METHODCALL>" TAIL,
        400, nv, 0, "class");
}

/* Values the DTD allows but that cannot be used are CIM errors, answered in
 * the response body, so the request's ID and method are kept. */
static void test_unusable_values_are_cim_errors(void **state)
{
    (void)state;
    const char *bodies[] = {
        HEAD
        "<IMETHODCALL NAME=\"GetInstance\">" NS "<IPARAMVALUE NAME=\"InstanceName\">"
        "<INSTANCENAME CLASSNAME=\"C\"><KEYBINDING NAME=\"K\"><KEYVALUE VALUETYPE=\"numeric\">12ab"
        "</KEYVALUE></KEYBINDING></INSTANCENAME></IPARAMVALUE></IMETHODCALL>" TAIL,
        HEAD
        "<IMETHODCALL NAME=\"GetInstance\">" NS "<IPARAMVALUE NAME=\"InstanceName\">"
        "<INSTANCENAME CLASSNAME=\"C\"><KEYBINDING NAME=\"K\"><KEYVALUE VALUETYPE=\"boolean\">yes"
        "</KEYVALUE></KEYBINDING></INSTANCENAME></IPARAMVALUE></IMETHODCALL>" TAIL,
        HEAD "<IMETHODCALL NAME=\"GetInstance\">" NS "<IPARAMVALUE NAME=\"X\"/>"
             "<IPARAMVALUE NAME=\"x\"/></IMETHODCALL>" TAIL,
    };
    const char *words[] = {"12ab", "yes", "twice"};
    for (size_t i = 0; i < 3; i++) {
        cimxml_request req;
        cimxml_fault fault;
        assert_false(parse(bodies[i], &req, &fault));
        assert_int_equal(fault.http_status, 0);
        assert_int_equal(fault.cim_status, 4);
        assert_non_null(strstr(fault.description, words[i]));
        assert_string_equal(req.message_id, "4711");
        assert_string_equal(req.method, "GetInstance");
        cimxml_request_clear(&req);
        cimxml_fault_clear(&fault);
    }
}

static void test_embedded_instance_text_errors(void **state)
{
    (void)state;
    cimxml_instance inst;
    cimxml_fault fault = {0};
    assert_false(cimxml_instance_parse("<CLASS NAME=\"X\"/>", &inst, &fault));
    assert_non_null(strstr(fault.description, "INSTANCE"));
    cimxml_fault_clear(&fault);
    assert_false(cimxml_instance_parse("<INSTANCE CLASSNAME=\"X\">", &inst, &fault));
    assert_string_equal(fault.cim_error, "request-not-well-formed");
    cimxml_fault_clear(&fault);
    assert_false(cimxml_instance_parse(NULL, &inst, &fault));
    cimxml_fault_clear(&fault);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_enumerate_instances_as_wbemcli_sends_it),
        cmocka_unit_test(test_pretty_printed_request_with_whitespace),
        cmocka_unit_test(test_instance_name_with_every_key_kind),
        cmocka_unit_test(test_create_instance_with_every_property_shape),
        cmocka_unit_test(test_modify_instance_carries_a_named_instance),
        cmocka_unit_test(test_method_call_on_an_instance),
        cmocka_unit_test(test_static_method_call_with_arrays_and_references),
        cmocka_unit_test(test_not_well_formed),
        cmocka_unit_test(test_doctype_and_entities_are_refused),
        cmocka_unit_test(test_deep_documents_are_refused),
        cmocka_unit_test(test_xml_limits),
        cmocka_unit_test(test_structure_errors_are_not_loosely_valid),
        cmocka_unit_test(test_versions_and_multiple_requests),
        cmocka_unit_test(test_enumerated_attributes_are_checked),
        cmocka_unit_test(test_unusable_values_are_cim_errors),
        cmocka_unit_test(test_embedded_instance_text_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
