/* test_cimxml_config.c - the [cimxml] section of the server's INI file:
 * the door is off by default, its ports default to 5988 and 5989, and the
 * checks name what is missing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cimxml/cimxml.h"
#include "config/config.h"

static char *write_ini(const char *text)
{
    static int counter;
    char *path =
        cim_xasprintf("%s/cimxml_config_%d_%d.ini", SMSPROV_TEST_SCRATCH, (int)getpid(), counter++);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    return path;
}

static void test_defaults(void **state)
{
    (void)state;
    smsprov_config cfg;
    smsprov_config_init(&cfg);
    assert_false(cfg.cimxml.enabled);
    assert_int_equal(cfg.cimxml.port, CIMXML_DEFAULT_PORT);
    assert_int_equal(cfg.cimxml_tls.port, CIMXML_DEFAULT_TLS_PORT);
    assert_false(cfg.cimxml_https);
    assert_string_equal(cfg.cimxml.address, "127.0.0.1");
    smsprov_config_clear(&cfg);
}

static void test_section_is_read(void **state)
{
    (void)state;
    char *path = write_ini("[site]\ndatabase = site.db\n[auth]\nusers_file = users\n"
                           "[https]\ncertificate = c.pem\nkey = k.pem\n"
                           "[cimxml]\nenabled = yes\naddress = 0.0.0.0\nport = 15988\n"
                           "https = true\nhttps_port = 15989\n");
    smsprov_config cfg;
    smsprov_config_init(&cfg);
    smsprov_error err = {0};
    assert_int_equal(smsprov_config_load(&cfg, path, &err), SMSPROV_OK);
    assert_true(cfg.cimxml.enabled);
    assert_string_equal(cfg.cimxml.address, "0.0.0.0");
    assert_int_equal(cfg.cimxml.port, 15988);
    assert_true(cfg.cimxml_https);
    assert_int_equal(cfg.cimxml_tls.port, 15989);
    assert_int_equal(smsprov_config_check(&cfg, &err), SMSPROV_OK);
    assert_int_equal(smsprov_config_set(&cfg, "cimxml", "port", "0", &err), SMSPROV_OK);
    assert_int_equal(cfg.cimxml.port, 0);
    smsprov_config_clear(&cfg);
    unlink(path);
    free(path);
}

static void test_bad_values_and_checks(void **state)
{
    (void)state;
    smsprov_config cfg;
    smsprov_config_init(&cfg);
    smsprov_error err = {0};
    assert_int_equal(smsprov_config_set(&cfg, "cimxml", "port", "70000", &err),
                     SMSPROV_E_INVALID_PARAMETER);
    assert_non_null(strstr(err.description, "cimxml.port"));
    assert_int_equal(smsprov_config_set(&cfg, "cimxml", "enabled", "maybe", &err),
                     SMSPROV_E_INVALID_PARAMETER);
    assert_int_equal(smsprov_config_set(&cfg, "cimxml", "colour", "red", &err),
                     SMSPROV_E_INVALID_PARAMETER);
    assert_non_null(strstr(err.description, "https_port")); /* lists the keys it has */
    assert_int_equal(cfg.cimxml.port, CIMXML_DEFAULT_PORT); /* nothing changed */

    /* only the CIM-XML door on: it still needs users */
    assert_int_equal(smsprov_config_set(&cfg, "site", "database", "/tmp/x.db", &err), SMSPROV_OK);
    assert_int_equal(smsprov_config_set(&cfg, "http", "enabled", "false", &err), SMSPROV_OK);
    assert_int_equal(smsprov_config_set(&cfg, "cimxml", "enabled", "true", &err), SMSPROV_OK);
    assert_int_equal(smsprov_config_check(&cfg, &err), SMSPROV_E_INVALID_PARAMETER);
    assert_non_null(strstr(err.description, "users_file"));
    assert_int_equal(smsprov_config_set(&cfg, "auth", "users_file", "/tmp/users", &err),
                     SMSPROV_OK);
    assert_int_equal(smsprov_config_check(&cfg, &err), SMSPROV_OK);
    /* HTTPS uses the [tls] certificate */
    assert_int_equal(smsprov_config_set(&cfg, "cimxml", "https", "true", &err), SMSPROV_OK);
    assert_int_equal(smsprov_config_check(&cfg, &err), SMSPROV_E_INVALID_PARAMETER);
    assert_non_null(strstr(err.description, "[tls]"));
    smsprov_error_clear(&err);
    smsprov_config_clear(&cfg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_section_is_read),
        cmocka_unit_test(test_bad_values_and_checks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
