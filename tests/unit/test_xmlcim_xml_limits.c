/* test_xmlcim_xml_limits.c - the linear pre-scan both doors run before
 * libxml2: every well-formed construct scans to the end, each limit stops
 * the scan where it is exceeded, and broken markup is cut close to the
 * break. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "smsprov/cim.h"
#include "xmlcim/xml_limits.h"

static xmlcim_xml_verdict scan(const char *xml, const xmlcim_xml_limits *limits,
                               xmlcim_xml_scan *out)
{
    return xmlcim_xml_scan_limits(xml, strlen(xml), limits, out);
}

static xmlcim_xml_limits small(void)
{
    return (xmlcim_xml_limits){.max_depth = 3, .max_nodes = 12, .max_attributes = 2,
                               .max_name = 5, .max_attribute_value = 4, .max_text = 6};
}

static void expect(const char *xml, xmlcim_xml_verdict verdict, long line)
{
    xmlcim_xml_limits limits = small();
    xmlcim_xml_scan s;
    if (scan(xml, &limits, &s) != verdict)
        fail_msg("%s: verdict %d, expected %d", xml, s.verdict, verdict);
    assert_int_equal(s.verdict, verdict);
    if (line)
        assert_int_equal(s.line, line);
}

static void test_well_formed_documents_scan_to_the_end(void **state)
{
    (void)state;
    xmlcim_xml_limits limits = xmlcim_xml_default_limits(48);
    const char *docs[] = {
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<CIM CIMVERSION=\"2.0\">"
        "<!-- a comment with <tags> and - dashes --><?pi data?>"
        "<A x = 'a>b' y=\"it's &amp; &#x41;\"\n\tz=\"\"/><B>t&lt;<![CDATA[<raw>]]></B >"
        "</CIM>\n",
        "<s:E xmlns:s=\"urn:s\"><s:H/><s:B>\xc3\xa9</s:B></s:E>",
        "<a/>",
    };
    for (size_t i = 0; i < sizeof docs / sizeof docs[0]; i++) {
        xmlcim_xml_scan s;
        assert_int_equal(scan(docs[i], &limits, &s), XMLCIM_XML_OK);
        assert_int_equal(s.parse_len, strlen(docs[i]));
    }
}

static void test_each_limit_stops_the_scan(void **state)
{
    (void)state;
    expect("<a><b><c/></b></a>", XMLCIM_XML_OK, 0);
    expect("<a><b><c><d/></c></b></a>", XMLCIM_XML_DEPTH, 1);
    expect("<a x=\"1\" y=\"2\"/>", XMLCIM_XML_OK, 0);
    expect("<a\nx=\"1\"\ny=\"2\"\nz=\"3\"/>", XMLCIM_XML_ATTRIBUTES, 4);
    expect("<abcde/>", XMLCIM_XML_OK, 0);
    expect("<abcdef/>", XMLCIM_XML_NAME, 1);
    expect("<a abcdef=\"\"/>", XMLCIM_XML_NAME, 1);
    expect("<a></abcdef>", XMLCIM_XML_NAME, 1);
    expect("<a x=\"1234\"/>", XMLCIM_XML_OK, 0);
    expect("<a x=\"12345\"/>", XMLCIM_XML_ATTRIBUTE_VALUE, 1);
    expect("<a>123456</a>", XMLCIM_XML_OK, 0);
    expect("<a>1234567</a>", XMLCIM_XML_TEXT, 1);
    /* CDATA joins the text around it, as libxml2 builds it */
    expect("<a>123<![CDATA[4567]]></a>", XMLCIM_XML_TEXT, 1);
    expect("<a>123<b/>4567</a>", XMLCIM_XML_OK, 0);
    expect("<a><!--1234567--></a>", XMLCIM_XML_TEXT, 1);
    expect("<a><?p 1234567?></a>", XMLCIM_XML_TEXT, 1);
    /* elements, attributes, texts, comments: 13 nodes */
    expect("<a>1<b x=\"\"/>2<b/>3<b/>4<b/>5<b/><!---->6</a>", XMLCIM_XML_NODES, 1);
    expect("<!DOCTYPE a [<!ENTITY x \"y\">]><a/>", XMLCIM_XML_DOCTYPE, 1);
    expect("<a/>\n<!ENTITY x \"y\">", XMLCIM_XML_DOCTYPE, 2);
}

/* The attribute bomb is refused after max_attributes, whatever follows. */
static void test_attribute_bomb(void **state)
{
    (void)state;
    cim_buf b = {0};
    cim_buf_append(&b, "<r><e");
    for (int i = 0; i < 40000; i++) {
        char attr[32];
        snprintf(attr, sizeof attr, " a%d=\"1\"", i);
        cim_buf_append(&b, attr);
    }
    cim_buf_append(&b, "/></r>");
    xmlcim_xml_limits limits = xmlcim_xml_default_limits(48);
    xmlcim_xml_scan s;
    assert_int_equal(xmlcim_xml_scan_limits(b.data, b.len, &limits, &s), XMLCIM_XML_ATTRIBUTES);
    assert_int_equal(s.limit, XMLCIM_MAX_ATTRIBUTES);
    char *sentence = xmlcim_xml_limit_sentence(&s);
    assert_non_null(strstr(sentence, "more than 64 attributes on one element (line 1)"));
    free(sentence);
    cim_buf_clear(&b);
}

/* Broken markup: the scan stops there and lets libxml2 see only a few bytes
 * more, however long the rest of the document is. */
static void test_broken_markup_is_cut_near_the_break(void **state)
{
    (void)state;
    const char *broken[] = {
        "<a x=\"1\"y=\"2\"/>", "<a x/>", "<a x=1/>", "<a x=\"<\"/>", "<a x=\"1",
        "<a><!-- open", "<a></a x>", "</a>", "<>", "< a/>", "<a>\n<b\0/></a>",
        "<a/>\0<b/>", "<a x=\"\0\"/>", "<a><!--\0--></a>",
    };
    xmlcim_xml_limits limits = xmlcim_xml_default_limits(48);
    for (size_t i = 0; i < sizeof broken / sizeof broken[0]; i++) {
        xmlcim_xml_scan s;
        static const size_t nul_at[] = {[10] = 7, [11] = 5, [12] = 6, [13] = 3};
        size_t len = strlen(broken[i]);
        if (i < sizeof nul_at / sizeof nul_at[0] && nul_at[i])
            len += 1 + strlen(broken[i] + len + 1);
        if (xmlcim_xml_scan_limits(broken[i], len, &limits, &s) != XMLCIM_XML_MALFORMED)
            fail_msg("%s was not found broken", broken[i]);
        assert_true(s.parse_len <= len);
    }
    cim_buf b = {0};
    cim_buf_append(&b, "<a x=\"1\"y=\"2\"");
    for (int i = 0; i < 10000; i++)
        cim_buf_append(&b, " z=\"\"");
    xmlcim_xml_scan s;
    assert_int_equal(xmlcim_xml_scan_limits(b.data, b.len, &limits, &s), XMLCIM_XML_MALFORMED);
    assert_true(s.parse_len <= 13 + 64);
    cim_buf_clear(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_well_formed_documents_scan_to_the_end),
        cmocka_unit_test(test_each_limit_stops_the_scan),
        cmocka_unit_test(test_attribute_bomb),
        cmocka_unit_test(test_broken_markup_is_cut_near_the_break),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
