/* test_http_ntlm_users.c - NTLM user file lines: the NT hash of MS-NLMP's
 * example password, non-ASCII passwords hashed as UTF-16LE, and invalid
 * UTF-8 refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "http/http.h"

static void test_ms_nlmp_example(void **state)
{
    (void)state;
    char *line = NULL;
    smsprov_error err = {0};
    /* MS-NLMP 4.2.2.1.2: NTOWFv1("Password") */
    assert_int_equal(http_ntlm_user_line("DOMAIN\\User", "Password", &line, &err), SMSPROV_OK);
    assert_string_equal(line, "DOMAIN\\User:0:XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX:"
                              "A4F49C406510BDCAB6824EE7C30FD852:[U          ]:LCT-00000000:");
    free(line);
}

static void test_utf8_passwords(void **state)
{
    (void)state;
    char *a = NULL, *b = NULL;
    smsprov_error err = {0};
    /* a character outside the BMP becomes a surrogate pair; it must differ
     * from the same bytes taken as Latin-1 */
    assert_int_equal(http_ntlm_user_line("D\\u", "p\xc3\xa4ss\xf0\x9f\x94\x91", &a, &err),
                     SMSPROV_OK);
    assert_int_equal(http_ntlm_user_line("D\\u", "pass", &b, &err), SMSPROV_OK);
    assert_string_not_equal(a, b);
    free(a);
    free(b);
    assert_int_equal(http_ntlm_user_line("D\\u", "bad\xc3", &a, &err),
                     SMSPROV_E_INVALID_PARAMETER);
    assert_null(a);
    assert_non_null(strstr(err.description, "UTF-8"));
    smsprov_error_clear(&err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ms_nlmp_example),
        cmocka_unit_test(test_utf8_passwords),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
