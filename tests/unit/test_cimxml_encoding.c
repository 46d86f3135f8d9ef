/* test_cimxml_encoding.c - a CIM-XML request is read as UTF-8 whatever
 * encoding it declares, so a client cannot hand the body to iconv and have
 * libxml2 write its conversion errors to the server's stderr. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cimxml/request.h"

#define REQUEST(decl, name)                                                                        \
    decl "<CIM CIMVERSION=\"2.0\" DTDVERSION=\"2.0\"><MESSAGE ID=\"1\" PROTOCOLVERSION=\"1.0\">"   \
         "<SIMPLEREQ><IMETHODCALL NAME=\"" name "\"><LOCALNAMESPACEPATH>"                          \
         "<NAMESPACE NAME=\"root\"/></LOCALNAMESPACEPATH></IMETHODCALL></SIMPLEREQ></MESSAGE></CIM>"

/* Parses body with stderr sent to a file; returns what was written there. */
static char *parse_capturing_stderr(const char *body, size_t len, bool *ok, cimxml_fault *fault)
{
    FILE *capture = tmpfile();
    assert_non_null(capture);
    fflush(stderr);
    int saved = dup(STDERR_FILENO);
    assert_true(saved >= 0);
    assert_true(dup2(fileno(capture), STDERR_FILENO) >= 0);
    cimxml_request req;
    *fault = (cimxml_fault){0};
    *ok = cimxml_request_parse(body, len, &req, fault);
    cimxml_request_clear(&req);
    fflush(stderr);
    assert_true(dup2(saved, STDERR_FILENO) >= 0);
    close(saved);
    fseek(capture, 0, SEEK_END);
    long size = ftell(capture);
    rewind(capture);
    char *text = calloc(1, (size_t)size + 1);
    assert_int_equal(fread(text, 1, (size_t)size, capture), (size_t)size);
    fclose(capture);
    return text;
}

static void test_declared_encoding_is_not_honoured(void **state)
{
    (void)state;
    /* ISO-2022-JP with bytes iconv cannot convert: libxml2 used to print
     * "encoding error : input conversion failed" on stderr for it. */
    const char body[] = "<?xml version=\"1.0\" encoding=\"ISO-2022-JP\"?><CIM>\x1b$B\xff\xff\xff\xff"
                        "</CIM>";
    bool ok;
    cimxml_fault fault;
    char *said = parse_capturing_stderr(body, sizeof body - 1, &ok, &fault);
    assert_false(ok);
    assert_int_equal(fault.http_status, 400);
    assert_string_equal(fault.cim_error, "request-not-well-formed");
    assert_string_equal(said, "");
    free(said);
    cimxml_fault_clear(&fault);
}

static void test_utf8_requests_still_parse(void **state)
{
    (void)state;
    const char *bodies[] = {
        REQUEST("<?xml version=\"1.0\" encoding=\"utf-8\"?>", "EnumerateClassNames"),
        REQUEST("", "EnumerateClassNames"),
        /* A declared Latin-1 body that is valid UTF-8 reads as UTF-8. */
        REQUEST("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>", "Caf\xc3\xa9"),
    };
    for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
        bool ok;
        cimxml_fault fault;
        char *said = parse_capturing_stderr(bodies[i], strlen(bodies[i]), &ok, &fault);
        if (!ok)
            fail_msg("%s: %s", bodies[i], fault.description);
        assert_string_equal(said, "");
        free(said);
        cimxml_fault_clear(&fault);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_declared_encoding_is_not_honoured),
        cmocka_unit_test(test_utf8_requests_still_parse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
