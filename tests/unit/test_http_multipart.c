/* test_http_multipart.c - the MS-WSMV framing of encrypted messages: what
 * the server writes parses back, Windows' tab-less part headers parse too,
 * and every frame that lies about its lengths or boundaries is refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "http/multipart.h"

static const char SIG[16] = "0123456789abcdef";
static const char DATA[] = "<s:Envelope>ciphertext</s:Envelope>";

static cim_buf built(http_encryption protocol)
{
    cim_buf b = {0};
    http_multipart_build(&b, protocol, strlen(DATA), SIG, sizeof SIG, DATA, strlen(DATA));
    return b;
}

static void test_round_trip(void **state)
{
    (void)state;
    for (int k = 0; k < 2; k++) {
        http_encryption protocol = k ? HTTP_ENCRYPTION_KERBEROS : HTTP_ENCRYPTION_SPNEGO;
        cim_buf b = built(protocol);
        assert_non_null(strstr(b.data, "\tContent-Type: application/octet-stream\r\n"));
        http_encrypted_part part;
        const char *why = NULL;
        assert_true(http_multipart_parse(b.data, b.len, &part, &why));
        assert_int_equal(part.protocol, protocol);
        assert_int_equal(part.original_length, strlen(DATA));
        assert_string_equal(part.charset, "UTF-8");
        assert_int_equal(part.signature_length, sizeof SIG);
        assert_memory_equal(part.signature, SIG, sizeof SIG);
        assert_memory_equal(part.data, DATA, strlen(DATA));
        cim_buf_clear(&b);
    }
}

/* Windows writes the part headers without the tab; charset UTF-16. */
static void test_windows_layout(void **state)
{
    (void)state;
    cim_buf b = {0};
    cim_buf_printf(&b, "--Encrypted Boundary\r\nContent-Type: "
                       "application/HTTP-Kerberos-session-encrypted\r\nOriginalContent: "
                       "type=application/soap+xml;charset=UTF-16;Length=%zu\r\n"
                       "--Encrypted Boundary\r\nContent-Type: application/octet-stream\r\n",
                   strlen(DATA));
    cim_buf_append_n(&b, "\x10\0\0\0", 4);
    cim_buf_append_n(&b, SIG, sizeof SIG);
    cim_buf_append(&b, DATA);
    cim_buf_append(&b, "--Encrypted Boundary--\r\n");
    http_encrypted_part part;
    const char *why = NULL;
    assert_true(http_multipart_parse(b.data, b.len, &part, &why));
    assert_int_equal(part.protocol, HTTP_ENCRYPTION_KERBEROS);
    assert_string_equal(part.charset, "UTF-16");
    cim_buf_clear(&b);
}

static void test_content_types(void **state)
{
    (void)state;
    assert_int_equal(http_multipart_protocol("multipart/encrypted;protocol=\"application/HTTP-"
                                             "SPNEGO-session-encrypted\";boundary=\"Encrypted "
                                             "Boundary\""),
                     HTTP_ENCRYPTION_SPNEGO);
    assert_int_equal(http_multipart_protocol("Multipart/Encrypted; Protocol=application/http-"
                                             "kerberos-session-encrypted"),
                     HTTP_ENCRYPTION_KERBEROS);
    assert_int_equal(http_multipart_protocol("application/soap+xml;charset=UTF-8"),
                     HTTP_ENCRYPTION_NONE);
    assert_int_equal(http_multipart_protocol("multipart/x-multi-encrypted;protocol=\"application/"
                                             "HTTP-CredSSP-session-encrypted\""),
                     HTTP_ENCRYPTION_NONE);
    assert_int_equal(http_multipart_protocol(NULL), HTTP_ENCRYPTION_NONE);
    assert_non_null(strstr(http_multipart_content_type(HTTP_ENCRYPTION_SPNEGO),
                           "protocol=\"application/HTTP-SPNEGO-session-encrypted\""));
}

/* strstr over binary: the frame holds NUL bytes. */
static char *find(cim_buf *b, const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = 0; i + n <= b->len; i++)
        if (memcmp(b->data + i, needle, n) == 0)
            return b->data + i;
    return NULL;
}

/* One edit of a good frame each; every one must be refused. */
static void refused(const char *from, const char *to)
{
    cim_buf b = built(HTTP_ENCRYPTION_SPNEGO);
    cim_buf edited = {0};
    char *at = find(&b, from);
    assert_non_null(at);
    cim_buf_append_n(&edited, b.data, (size_t)(at - b.data));
    cim_buf_append(&edited, to);
    size_t rest = (size_t)(at - b.data) + strlen(from);
    cim_buf_append_n(&edited, b.data + rest, b.len - rest);
    http_encrypted_part part;
    const char *why = NULL;
    assert_false(http_multipart_parse(edited.data, edited.len, &part, &why));
    assert_non_null(why);
    cim_buf_clear(&b);
    cim_buf_clear(&edited);
}

static void refused_signature_length(unsigned n)
{
    cim_buf b = built(HTTP_ENCRYPTION_SPNEGO);
    char *at = strstr(b.data, "octet-stream\r\n") + 14;
    at[0] = (char)(n & 0xff);
    at[1] = (char)(n >> 8);
    http_encrypted_part part;
    const char *why = NULL;
    assert_false(http_multipart_parse(b.data, b.len, &part, &why));
    assert_non_null(why);
    cim_buf_clear(&b);
}

static void test_lies_are_refused(void **state)
{
    (void)state;
    char length[32];
    snprintf(length, sizeof length, "Length=%zu", strlen(DATA));
    refused("--Encrypted Boundary\r\n\tContent-Type: application/HTTP", "--Other\r\n\tX: application/HTTP");
    refused(length, "Length=99999");      /* more than the body holds */
    refused(length, "Length=3");          /* the closing boundary is not where it says */
    refused(length, "Length=12x");
    refused(length, "Size=35");           /* no Length at all */
    refused("SPNEGO-session", "CredSSP-session");
    refused("octet-stream", "text-plain00");
    refused_signature_length(0xffff); /* longer than the body */
    refused_signature_length(0);      /* no signature */
    refused("--Encrypted Boundary--\r\n", "--Encrypted Boundary--\r\nmore");
    refused("--Encrypted Boundary--\r\n", "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_windows_layout),
        cmocka_unit_test(test_content_types),
        cmocka_unit_test(test_lies_are_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
