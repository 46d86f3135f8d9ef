/* test_wsman_parse.c - the request side of the WS-Management door: the
 * hardened envelope parser, resource URIs, xs:dateTime / xs:duration. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wsman/datetime.h"
#include "wsman/envelope.h"
#include "wsman/resource.h"

#define HEAD                                                                                \
    "<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\" "                     \
    "xmlns:a=\"http://schemas.xmlsoap.org/ws/2004/08/addressing\" "                         \
    "xmlns:w=\"http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd\" "                           \
    "xmlns:p=\"http://schemas.microsoft.com/wbem/wsman/1/wsman.xsd\"><s:Header>"
#define TAIL "</s:Header><s:Body><x:Thing xmlns:x=\"urn:x\"/></s:Body></s:Envelope>"

static wsman_fault_kind parse(const char *xml, wsman_envelope *env, wsman_fault *fault)
{
    memset(fault, 0, sizeof *fault);
    bool ok = wsman_envelope_parse(xml, strlen(xml), env, fault);
    assert_true(ok == (fault->kind == WSMAN_FAULT_NONE));
    return fault->kind;
}

static void expect_fault(const char *xml, wsman_fault_kind kind, const char *fragment)
{
    wsman_envelope env;
    wsman_fault fault;
    assert_int_equal(parse(xml, &env, &fault), kind);
    if (fragment && !strstr(fault.reason, fragment))
        fail_msg("\"%s\" lacks \"%s\"", fault.reason, fragment);
    wsman_fault_clear(&fault);
    wsman_envelope_clear(&env);
}

static void test_windows_header(void **state)
{
    (void)state;
    const char *xml =
        HEAD "<a:To>http://h:5985/wsman</a:To>"
        "<w:ResourceURI s:mustUnderstand=\"true\">http://schemas.microsoft.com/wbem/wscim/1/"
        "cim-schema/2/SMS_BootImagePackage</w:ResourceURI>"
        "<a:ReplyTo><a:Address s:mustUnderstand=\"true\">http://schemas.xmlsoap.org/ws/2004/08/"
        "addressing/role/anonymous</a:Address></a:ReplyTo>"
        "<a:Action s:mustUnderstand=\"true\">http://schemas.xmlsoap.org/ws/2004/09/transfer/Get"
        "</a:Action><w:MaxEnvelopeSize s:mustUnderstand=\"true\">512000</w:MaxEnvelopeSize>"
        "<a:MessageID>uuid:E0D1E346</a:MessageID><w:Locale xml:lang=\"de-DE\" "
        "s:mustUnderstand=\"false\"/><p:DataLocale xml:lang=\"en-US\" s:mustUnderstand=\"false\"/>"
        "<p:SessionId s:mustUnderstand=\"false\">uuid:1</p:SessionId>"
        "<w:OperationTimeout>PT1M30.5S</w:OperationTimeout>"
        "<w:SelectorSet><w:Selector Name=\"__cimnamespace\">root/sms/site_LAB</w:Selector>"
        "<w:Selector Name=\"PackageID\"> LAB00001 </w:Selector></w:SelectorSet>"
        "<w:OptionSet><w:Option Name=\"msftwinrm:UsePreciseArrays\" Type=\"xs:boolean\">TRUE"
        "</w:Option><w:Option Name=\"wmiarray:__MIInstanceModifiedPropertiesList\">Name"
        "</w:Option></w:OptionSet>" TAIL;
    wsman_envelope env;
    wsman_fault fault;
    assert_int_equal(parse(xml, &env, &fault), WSMAN_FAULT_NONE);
    assert_string_equal(env.action, "http://schemas.xmlsoap.org/ws/2004/09/transfer/Get");
    assert_string_equal(env.message_id, "uuid:E0D1E346");
    assert_string_equal(env.lang, "de-DE");
    assert_int_equal(env.max_envelope_size, 512000);
    assert_int_equal(env.operation_timeout_us, 90500000);
    assert_int_equal(env.selector_count, 2);
    assert_string_equal(wsman_envelope_selector(&env, "packageid"), "LAB00001");
    assert_true(wsman_envelope_option_true(&env, "UsePreciseArrays", false));
    assert_string_equal(wsman_envelope_option(&env, "__MIInstanceModifiedPropertiesList"), "Name");
    assert_null(wsman_envelope_option(&env, "Nope"));
    assert_string_equal((const char *)env.payload->name, "Thing");
    wsman_envelope_clear(&env);
}

static void test_hardening(void **state)
{
    (void)state;
    expect_fault("", WSMAN_FAULT_SCHEMA_VALIDATION, "no body");
    expect_fault("<!DOCTYPE x [<!ENTITY a \"b\">]><x>&a;</x>", WSMAN_FAULT_SCHEMA_VALIDATION,
                 "DTD");
    expect_fault(HEAD TAIL "<!ENTITY", WSMAN_FAULT_SCHEMA_VALIDATION, "DTD");
    expect_fault(HEAD "<a:To>&undefined;</a:To>" TAIL, WSMAN_FAULT_SCHEMA_VALIDATION,
                 "not well-formed");
    expect_fault(HEAD "<a:To>\xff\xfe</a:To>" TAIL, WSMAN_FAULT_SCHEMA_VALIDATION, "line 1");
    expect_fault("<x/>", WSMAN_FAULT_SCHEMA_VALIDATION, "not a SOAP 1.2 envelope");
    expect_fault("<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"/>",
                 WSMAN_FAULT_SCHEMA_VALIDATION, "SOAP 1.2");
    expect_fault(HEAD "</s:Header></s:Envelope>", WSMAN_FAULT_SCHEMA_VALIDATION, "no s:Body");
    /* deeper than the limit, yet within libxml2's own */
    cim_buf deep = {0};
    cim_buf_append(&deep, HEAD "</s:Header><s:Body>");
    for (int i = 0; i < 100; i++)
        cim_buf_append(&deep, "<d>");
    for (int i = 0; i < 100; i++)
        cim_buf_append(&deep, "</d>");
    cim_buf_append(&deep, "</s:Body></s:Envelope>");
    expect_fault(deep.data, WSMAN_FAULT_ENCODING_LIMIT, "deeper than 64");
    cim_buf_clear(&deep);
}

/* n attributes named a0, a1, ... on <s:Header>. */
static char *header_with_attributes(size_t n)
{
    cim_buf b = {0};
    cim_buf_append(&b, "<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\"><s:Header");
    for (size_t i = 0; i < n; i++) {
        char attr[32];
        snprintf(attr, sizeof attr, " a%zu=\"1\"", i);
        cim_buf_append(&b, attr);
    }
    cim_buf_append(&b, "/><s:Body/></s:Envelope>");
    return cim_buf_take(&b);
}

static char *repeated(const char *before, const char *unit, size_t n, const char *after)
{
    cim_buf b = {0};
    cim_buf_append(&b, before);
    for (size_t i = 0; i < n; i++)
        cim_buf_append(&b, unit);
    cim_buf_append(&b, after);
    return cim_buf_take(&b);
}

/* Bombs whose cost in libxml2 is not linear (attributes) or merely large are
 * refused by the pre-scan with w:EncodingLimit naming the limit. */
static void test_xml_limits(void **state)
{
    (void)state;
    /* the 1.1 MB attribute bomb: quadratic in libxml2's duplicate check */
    char *xml = header_with_attributes(100000);
    assert_true(strlen(xml) > 1000000);
    expect_fault(xml, WSMAN_FAULT_ENCODING_LIMIT, "more than 64 attributes on one element");
    free(xml);
    /* a header as Windows writes it, with room to spare, still parses */
    xml = header_with_attributes(60);
    wsman_envelope env;
    wsman_fault ok;
    assert_int_equal(parse(xml, &env, &ok), WSMAN_FAULT_NONE);
    wsman_envelope_clear(&env);
    free(xml);
    xml = repeated(HEAD "<a:To>", "x", 1024 * 1024 + 1, "</a:To>" TAIL);
    expect_fault(xml, WSMAN_FAULT_ENCODING_LIMIT, "bytes of text in one node");
    free(xml);
    xml = repeated(HEAD "<a:To x=\"", "x", 65537, "\"/>" TAIL);
    expect_fault(xml, WSMAN_FAULT_ENCODING_LIMIT, "bytes in an attribute value");
    free(xml);
    xml = repeated(HEAD "<a:", "x", 300, "/>" TAIL);
    expect_fault(xml, WSMAN_FAULT_ENCODING_LIMIT, "bytes in an element or attribute name");
    free(xml);
    xml = repeated(HEAD, "<x/>", 200001, TAIL);
    expect_fault(xml, WSMAN_FAULT_ENCODING_LIMIT, "more than 200000 nodes");
    free(xml);
    /* broken markup past a limit's reach still gets libxml2's own sentence */
    expect_fault(HEAD "<a:To x=\"1\"y=\"2\"/>" TAIL, WSMAN_FAULT_SCHEMA_VALIDATION,
                 "not well-formed");
    xml = repeated(HEAD "<a:To x=\"1\"y=\"2\"", " z=\"\"", 100000, "/>" TAIL);
    expect_fault(xml, WSMAN_FAULT_SCHEMA_VALIDATION, "not well-formed");
    free(xml);
    /* libxml2 stops reading at a NUL byte: what follows one is not ignored */
    static const char nul_tail[] = HEAD TAIL "\0<x a=\"1\" a=\"1\"/>";
    wsman_fault fault = {0};
    assert_false(wsman_envelope_parse(nul_tail, sizeof nul_tail - 1, &env, &fault));
    assert_int_equal(fault.kind, WSMAN_FAULT_SCHEMA_VALIDATION);
    assert_non_null(strstr(fault.reason, "NUL"));
    wsman_fault_clear(&fault);
    wsman_envelope_clear(&env);
}

static void test_header_rules(void **state)
{
    (void)state;
    wsman_envelope env;
    wsman_fault fault;
    assert_int_equal(parse(HEAD "<w:Lock s:mustUnderstand=\"true\">x</w:Lock>" TAIL, &env, &fault),
                     WSMAN_FAULT_MUST_UNDERSTAND);
    assert_string_equal(fault.not_understood_name, "Lock");
    assert_string_equal(fault.not_understood_ns, "http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd");
    wsman_fault_clear(&fault);
    wsman_envelope_clear(&env);
    /* unknown headers without mustUnderstand, and Microsoft's hints, are fine */
    assert_int_equal(parse(HEAD "<q:Z xmlns:q=\"urn:q\">1</q:Z><p:ActivityId "
                           "s:mustUnderstand=\"true\">x</p:ActivityId>" TAIL, &env, &fault),
                     WSMAN_FAULT_NONE);
    wsman_envelope_clear(&env);
    expect_fault(HEAD "<a:Action>x</a:Action><a:Action>y</a:Action>" TAIL,
                 WSMAN_FAULT_INVALID_HEADER, "more than once");
    expect_fault(HEAD "<w:MaxEnvelopeSize>-1</w:MaxEnvelopeSize>" TAIL,
                 WSMAN_FAULT_INVALID_HEADER, "MaxEnvelopeSize");
    expect_fault(HEAD "<w:OperationTimeout>60</w:OperationTimeout>" TAIL,
                 WSMAN_FAULT_INVALID_HEADER, "PT60S");
    expect_fault(HEAD "<w:SelectorSet><w:Selector Name=\"A\">1</w:Selector><w:Selector "
                      "Name=\"a\">2</w:Selector></w:SelectorSet>" TAIL,
                 WSMAN_FAULT_INVALID_SELECTORS, "more than once");
    expect_fault(HEAD "<w:SelectorSet><w:Selector>1</w:Selector></w:SelectorSet>" TAIL,
                 WSMAN_FAULT_INVALID_SELECTORS, "no Name");
    expect_fault(HEAD "<w:OptionSet><w:Option>1</w:Option></w:OptionSet>" TAIL,
                 WSMAN_FAULT_INVALID_OPTIONS, "no Name");
    /* the MessageID is read even when a later header faults */
    assert_int_equal(parse(HEAD "<w:MaxEnvelopeSize>x</w:MaxEnvelopeSize><a:MessageID>uuid:7"
                                "</a:MessageID>" TAIL, &env, &fault),
                     WSMAN_FAULT_INVALID_HEADER);
    assert_string_equal(env.message_id, "uuid:7");
    wsman_fault_clear(&fault);
    wsman_envelope_clear(&env);
}

static void expect_resource(const char *uri, wsman_uri_form form, const char *cls,
                            const char *ns, const char *prefix)
{
    wsman_resource r;
    wsman_fault fault = {0};
    assert_true(wsman_resource_parse(uri, &r, &fault));
    assert_int_equal(r.form, form);
    if (cls)
        assert_string_equal(r.class_name, cls);
    else
        assert_null(r.class_name);
    if (ns)
        assert_string_equal(r.namespace_path, ns);
    else
        assert_null(r.namespace_path);
    assert_string_equal(r.uri_prefix, prefix);
    wsman_resource_clear(&r);
}

static void test_resource_uris(void **state)
{
    (void)state;
    expect_resource("http://schemas.microsoft.com/wbem/wscim/1/cim-schema/2/SMS_BootImagePackage",
                    WSMAN_URI_WSCIM, "SMS_BootImagePackage", NULL,
                    "http://schemas.microsoft.com/wbem/wscim/1/cim-schema/2/");
    expect_resource("HTTP://schemas.DMTF.org/wbem/wscim/1/cim-schema/2/X_Y?PackageID=1",
                    WSMAN_URI_WSCIM, "X_Y", NULL,
                    "http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/");
    expect_resource("http://schemas.dmtf.org/wbem/wscim/1/*", WSMAN_URI_WSCIM, NULL, NULL,
                    "http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/");
    expect_resource("http://schemas.microsoft.com/wbem/wsman/1/wmi/root/sms/site_LAB/SMS_X",
                    WSMAN_URI_WMI, "SMS_X", "root\\sms\\site_LAB",
                    "http://schemas.microsoft.com/wbem/wsman/1/wmi/root/sms/site_LAB/");
    expect_resource("http://schemas.microsoft.com/wbem/wsman/1/wmi/root/cimv2/*", WSMAN_URI_WMI,
                    NULL, "root\\cimv2", "http://schemas.microsoft.com/wbem/wsman/1/wmi/root/cimv2/");
    expect_resource("http://schemas.dmtf.org/wbem/cim-xml/2/cim-schema/2/*",
                    WSMAN_URI_CIM_SCHEMA, NULL, NULL,
                    "http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/");
    const char *bad[] = {"", "urn:x", "http://schemas.microsoft.com/wbem/wscim/1/cim-schema/2/A B",
                         "http://schemas.microsoft.com/wbem/wsman/1/wmi/SMS_X",
                         "http://schemas.dmtf.org/wbem/ws-cim/1/cim-schema/2/*"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        wsman_resource r;
        wsman_fault fault = {0};
        assert_false(wsman_resource_parse(bad[i], &r, &fault));
        assert_true(fault.kind == WSMAN_FAULT_DESTINATION_UNREACHABLE ||
                    fault.kind == WSMAN_FAULT_UNSUPPORTED_FEATURE);
        assert_null(r.class_name);
        wsman_fault_clear(&fault);
    }
}

static void expect_to_xml(const char *dmtf, const char *xml, bool interval)
{
    bool is_interval = !interval;
    char *out = wsman_datetime_to_xml(dmtf, &is_interval);
    assert_non_null(out);
    assert_string_equal(out, xml);
    assert_int_equal(is_interval, interval);
    free(out);
}

static void expect_from_xml(const char *xml, const char *dmtf)
{
    char out[CIM_DATETIME_LEN + 1];
    if (!dmtf) {
        assert_false(wsman_datetime_from_xml(xml, out));
        return;
    }
    assert_true(wsman_datetime_from_xml(xml, out));
    assert_string_equal(out, dmtf);
}

static void test_datetimes(void **state)
{
    (void)state;
    expect_to_xml("20240131120000.123456+060", "2024-01-31T12:00:00.123456+01:00", false);
    expect_to_xml("20240131120000.000000-420", "2024-01-31T12:00:00.000000-07:00", false);
    expect_to_xml("20240131120000.000000+000", "2024-01-31T12:00:00.000000Z", false);
    expect_to_xml("00000001020304.000005:000", "P1DT2H3M4.000005S", true);
    bool iv;
    assert_null(wsman_datetime_to_xml("2024****120000.000000+000", &iv));
    assert_null(wsman_datetime_to_xml("yesterday", &iv));

    expect_from_xml("2024-01-31T12:00:00Z", "20240131120000.000000+000");
    expect_from_xml("2024-02-01T08:30:00.5+02:00", "20240201083000.500000+120");
    expect_from_xml("2024-02-01T08:30:00-00:07", "20240201083000.000000-007");
    expect_from_xml("20240131120000.000000+000", "20240131120000.000000+000");
    expect_from_xml("P1DT2H3M4.000005S", "00000001020304.000005:000");
    expect_from_xml("PT90M", "00000000013000.000000:000");
    expect_from_xml("P1Y", NULL);
    expect_from_xml("2024-13-01T00:00:00Z", NULL);
    expect_from_xml("2024-01-01", NULL);
    expect_from_xml("", NULL);

    int64_t us;
    assert_true(wsman_duration_us("PT60.000S", &us));
    assert_int_equal(us, 60000000);
    assert_true(wsman_duration_us("PT0.000001S", &us));
    assert_int_equal(us, 1);
    assert_true(wsman_duration_us("P1DT1S", &us));
    assert_int_equal(us, 86401000000LL);
    assert_false(wsman_duration_us("-PT1S", &us));
    assert_false(wsman_duration_us("PT", &us));
    assert_false(wsman_duration_us("P1.5D", &us));
    assert_false(wsman_duration_us("PT1H2", &us));
}

int main(void)
{
    wsman_xml_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_windows_header),
        cmocka_unit_test(test_hardening),
        cmocka_unit_test(test_xml_limits),
        cmocka_unit_test(test_header_rules),
        cmocka_unit_test(test_resource_uris),
        cmocka_unit_test(test_datetimes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
