/* test_config_ini.c - the server's INI settings and its CMTrace log. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/config.h"
#include "test_fixture.h"

#define SCRATCH SMSPROV_TEST_SCRATCH "/config"

static char *write_file(const char *name, const char *text)
{
    char *path = cim_xasprintf("%s/%s", SCRATCH, name);
    fixture_write_text(path, text);
    return path;
}

static void test_defaults(void **state)
{
    (void)state;
    smsprov_config cfg;
    smsprov_config_init(&cfg);
    assert_true(cfg.http.enabled);
    assert_string_equal(cfg.http.address, "127.0.0.1");
    assert_int_equal(cfg.http.port, 5985);
    assert_false(cfg.https.enabled);
    assert_int_equal(cfg.https.port, 5986);
    assert_int_equal(cfg.log_level, SMSPROV_LOG_INFO);
    assert_int_equal(cfg.max_request_bytes, 4 * 1024 * 1024);
    /* the hardening defaults */
    assert_int_equal(cfg.max_connections_per_address, 64);
    assert_int_equal(cfg.header_timeout_s, 20);
    assert_false(cfg.allow_unencrypted);
    assert_int_equal(cfg.address_backoff_max_s, 16);
    assert_int_equal(cfg.user_backoff_max_s, 4);
    assert_null(cfg.tls_priorities);
    assert_int_equal(cfg.max_enumerations_per_user, 128);
    smsprov_error err = {0};
    assert_int_equal(smsprov_config_set(&cfg, "auth", "allow_unencrypted", "true", &err),
                     SMSPROV_OK);
    assert_true(cfg.allow_unencrypted);
    assert_int_equal(smsprov_config_set(&cfg, "server", "header_timeout", "5", &err), SMSPROV_OK);
    assert_int_equal(cfg.header_timeout_s, 5);
    assert_int_equal(smsprov_config_set(&cfg, "server", "max_connections_per_address", "8", &err),
                     SMSPROV_OK);
    assert_int_equal(cfg.max_connections_per_address, 8);
    assert_int_equal(smsprov_config_set(&cfg, "auth", "address_backoff_max", "30", &err),
                     SMSPROV_OK);
    assert_int_equal(smsprov_config_set(&cfg, "auth", "user_backoff_max", "0", &err), SMSPROV_OK);
    assert_int_equal(cfg.address_backoff_max_s, 30);
    assert_int_equal(cfg.user_backoff_max_s, 0);
    assert_int_equal(smsprov_config_set(&cfg, "https", "tls_priorities",
                                        "NORMAL:-VERS-ALL:+VERS-TLS1.3", &err),
                     SMSPROV_OK);
    assert_string_equal(cfg.tls_priorities, "NORMAL:-VERS-ALL:+VERS-TLS1.3");
    assert_int_equal(smsprov_config_set(&cfg, "auth", "allow_unencrypted", "sometimes", &err),
                     SMSPROV_E_INVALID_PARAMETER);
    smsprov_error_clear(&err);
    /* No database yet: the server refuses to start and says what to set. */
    assert_int_equal(smsprov_config_check(&cfg, &err), SMSPROV_E_INVALID_PARAMETER);
    assert_non_null(strstr(err.description, "database"));
    smsprov_error_clear(&err);
    smsprov_config_clear(&cfg);
}

static void test_full_file(void **state)
{
    (void)state;
    char *path = write_file("full.ini",
                            "; the demo site\n"
                            "[site]\n"
                            "code = ABC\n"
                            "database = site.db\n"
                            "content_root = /srv/content\n"
                            "adk_root = inputs/adk\n"
                            "workers = 3\n"
                            "first_admin = LAB\\alice\n"
                            "[shares]\n"
                            "\\\\demo\\sms = shares/sms\n"
                            "\\\\lab\\sources = /srv/sources\n"
                            "[http]\n"
                            "port = 15985\n"
                            "address = 0.0.0.0\n"
                            "[https]\n"
                            "enabled = yes\n"
                            "certificate = tls/cert.pem\n"
                            "key = tls/key.pem\n"
                            "[auth]\n"
                            "users_file = users\n"
                            "[log]\n"
                            "level = Warning\n"
                            "max_size_kb = 64\n"
                            "[server]\n"
                            "enumeration_timeout = 5\n"
                            "max_enumerations_per_user = 7\n");
    smsprov_config cfg;
    smsprov_config_init(&cfg);
    smsprov_error err = {0};
    assert_int_equal(smsprov_config_load(&cfg, path, &err), SMSPROV_OK);
    char *dir = realpath(SCRATCH, NULL);
    char *expect_db = cim_xasprintf("%s/site.db", dir);
    char *expect_share = cim_xasprintf("%s/shares/sms", dir);
    assert_string_equal(cfg.site_code, "ABC");
    assert_string_equal(cfg.database_path, expect_db);
    assert_string_equal(cfg.content_root, "/srv/content");
    assert_int_equal(cfg.worker_count, 3);
    assert_string_equal(cfg.first_admin, "LAB\\alice");
    assert_int_equal(cfg.share_count, 2);
    assert_string_equal(cfg.shares[0].unc_prefix, "\\\\demo\\sms");
    assert_string_equal(cfg.shares[0].local_dir, expect_share);
    assert_string_equal(cfg.shares[1].local_dir, "/srv/sources");
    assert_int_equal(cfg.http.port, 15985);
    assert_string_equal(cfg.http.address, "0.0.0.0");
    assert_true(cfg.https.enabled);
    assert_int_equal(cfg.log_level, SMSPROV_LOG_WARNING);
    assert_int_equal(cfg.log_max_bytes, 64 * 1024);
    assert_int_equal(cfg.enumeration_timeout_s, 5);
    assert_int_equal(cfg.max_enumerations_per_user, 7);
    assert_int_equal(cfg.max_enumerations, 1024); /* the default stays */
    assert_int_equal(smsprov_config_check(&cfg, &err), SMSPROV_OK);

    smsprov_site_config site;
    smsprov_config_site(&cfg, &site);
    assert_string_equal(site.site_code, "ABC");
    assert_ptr_equal(site.shares, cfg.shares);
    assert_int_equal(site.worker_count, 3);
    assert_string_equal(site.first_admin, "LAB\\alice");
    assert_string_equal(site.adk_root, cfg.adk_root);
    assert_true(strstr(site.adk_root, "/inputs/adk") != NULL);

    free(expect_db);
    free(expect_share);
    free(dir);
    free(path);
    smsprov_config_clear(&cfg);
}

static smsprov_listener_plan plan_of(const smsprov_config *cfg, smsprov_listener_id id)
{
    smsprov_listener_plan p;
    smsprov_config_listener(cfg, id, &p);
    return p;
}

/* Every door takes one section per listener with the same keys; the
 * AdminService rides on the WS-Man listener of its scheme unless given an
 * address or port of its own. */
static void test_door_sections(void **state)
{
    (void)state;
    smsprov_config cfg;
    smsprov_config_init(&cfg);
    smsprov_error err = {0};
    smsprov_listener_plan p = plan_of(&cfg, SMSPROV_REST_HTTPS);
    assert_true(p.shared);
    assert_false(p.serve); /* [wsman.https] is off by default */
    assert_int_equal(smsprov_config_load_text(&cfg,
                                              "[site]\ndatabase = s.db\n[auth]\nusers_file = u\n"
                                              "[tls]\ncertificate = c.pem\nkey = k.pem\n"
                                              "[wsman.http]\nport = 15985\n"
                                              "[wsman.https]\nenabled = true\nport = 15986\n"
                                              "[cimxml.https]\nenabled = true\naddress = ::1\n"
                                              "port = 15989\n[adminservice.http]\nenabled = true\n"
                                              "port = 18080\n",
                                              "doors.ini", &err),
                     SMSPROV_OK);
    p = plan_of(&cfg, SMSPROV_REST_HTTPS);
    assert_true(p.serve && p.shared && p.tls);
    assert_int_equal(p.port, 15986);
    p = plan_of(&cfg, SMSPROV_REST_HTTP);
    assert_true(p.serve && !p.shared && !p.tls);
    assert_int_equal(p.port, 18080);
    assert_string_equal(p.address, "127.0.0.1"); /* the WS-Man listener's */
    p = plan_of(&cfg, SMSPROV_CIMXML_HTTPS);
    assert_true(p.serve && p.tls);
    assert_false(plan_of(&cfg, SMSPROV_CIMXML_HTTP).serve);
    assert_string_equal(p.address, "::1");
    assert_int_equal(smsprov_config_check(&cfg, &err), SMSPROV_OK);
    /* two listeners of their own on one port */
    assert_int_equal(smsprov_config_set(&cfg, "adminservice.http", "port", "15986", &err),
                     SMSPROV_OK);
    assert_int_equal(smsprov_config_check(&cfg, &err), SMSPROV_E_INVALID_PARAMETER);
    assert_non_null(strstr(err.description, "[wsman.https] and [adminservice.http]"));
    smsprov_error_clear(&err);
    /* --set reaches a dotted section */
    assert_int_equal(smsprov_config_set(&cfg, "wsman.http", "port", "0", &err), SMSPROV_OK);
    assert_int_equal(cfg.http.port, 0);
    smsprov_config_clear(&cfg);
}

/* The first INI files (the Debian package shipped one) keep working: the
 * old sections fill the same listeners. */
static void test_deprecated_sections(void **state)
{
    (void)state;
    const char *old = "[site]\ndatabase = s.db\n[auth]\nusers_file = u\n"
                      "[http]\naddress = 127.0.0.1\nport = 5985\n"
                      "[https]\nenabled = true\naddress = 0.0.0.0\nport = 5986\n"
                      "certificate = c.pem\nkey = k.pem\ntls_priorities = NORMAL\n"
                      "[cimxml]\nenabled = true\naddress = 0.0.0.0\nport = 5988\n"
                      "https = true\nhttps_port = 5989\n[adminservice]\nhttp = true\n";
    const char *now = "[site]\ndatabase = s.db\n[auth]\nusers_file = u\n"
                      "[wsman.http]\naddress = 127.0.0.1\nport = 5985\n"
                      "[wsman.https]\nenabled = true\naddress = 0.0.0.0\nport = 5986\n"
                      "[tls]\ncertificate = c.pem\nkey = k.pem\npriorities = NORMAL\n"
                      "[cimxml.http]\nenabled = true\naddress = 0.0.0.0\nport = 5988\n"
                      "[cimxml.https]\nenabled = true\naddress = 0.0.0.0\nport = 5989\n"
                      "[adminservice.http]\nenabled = true\n";
    smsprov_config a, b;
    smsprov_config_init(&a);
    smsprov_config_init(&b);
    smsprov_error err = {0};
    assert_int_equal(smsprov_config_load_text(&a, old, "old.ini", &err), SMSPROV_OK);
    assert_int_equal(smsprov_config_load_text(&b, now, "new.ini", &err), SMSPROV_OK);
    for (int i = 0; i < SMSPROV_LISTENER_COUNT; i++) {
        smsprov_listener_plan x = plan_of(&a, (smsprov_listener_id)i);
        smsprov_listener_plan y = plan_of(&b, (smsprov_listener_id)i);
        assert_int_equal(x.serve, y.serve);
        assert_int_equal(x.shared, y.shared);
        assert_int_equal(x.port, y.port);
        assert_string_equal(x.address, y.address);
    }
    assert_true(plan_of(&a, SMSPROV_REST_HTTP).serve);
    assert_string_equal(a.https.certificate_file, b.https.certificate_file);
    /* each deprecated key read is noted with what replaces it */
    assert_non_null(strstr(a.deprecated, "[http] port: write port in [wsman.http] instead.\n"));
    assert_non_null(strstr(a.deprecated, "[https] tls_priorities: write priorities in [tls]"));
    assert_null(b.deprecated);
    assert_string_equal(a.tls_priorities, "NORMAL");
    /* the old [cimxml] https needed enabled */
    assert_int_equal(smsprov_config_set(&a, "cimxml", "enabled", "false", &err), SMSPROV_OK);
    assert_false(plan_of(&a, SMSPROV_CIMXML_HTTPS).serve);
    /* [adminservice] enabled = false turns both AdminService listeners off */
    assert_int_equal(smsprov_config_set(&a, "adminservice", "enabled", "false", &err),
                     SMSPROV_OK);
    assert_false(plan_of(&a, SMSPROV_REST_HTTP).serve);
    assert_false(plan_of(&a, SMSPROV_REST_HTTPS).serve);
    smsprov_config_clear(&a);
    smsprov_config_clear(&b);
}

static void expect_load_error(const char *text, const char *fragment, smsprov_code code)
{
    char *path = write_file("bad.ini", text);
    smsprov_config cfg;
    smsprov_config_init(&cfg);
    smsprov_error err = {0};
    assert_int_equal(smsprov_config_load(&cfg, path, &err), code);
    if (!strstr(err.description, fragment))
        fail_msg("\"%s\" does not mention \"%s\"", err.description, fragment);
    smsprov_error_clear(&err);
    smsprov_config_clear(&cfg);
    free(path);
}

static void test_errors_name_line_and_fix(void **state)
{
    (void)state;
    expect_load_error("[site]\ndatabase = a.db\n[sites]\ncode = X\n", "line 4", 
                      SMSPROV_E_INVALID_PARAMETER);
    expect_load_error("[sites]\ncode = X\n", "sections are site", SMSPROV_E_INVALID_PARAMETER);
    expect_load_error("[http]\nprot = 1\n", "its keys are enabled, address, port",
                      SMSPROV_E_INVALID_PARAMETER);
    expect_load_error("[http]\nport = 70000\n", "from 0 to 65535", SMSPROV_E_INVALID_PARAMETER);
    expect_load_error("[http]\nport = -1\n", "http.port", SMSPROV_E_INVALID_PARAMETER);
    expect_load_error("[https]\nenabled = maybe\n", "true or false",
                      SMSPROV_E_INVALID_PARAMETER);
    expect_load_error("[log]\nlevel = loud\n", "error, warning, info or verbose",
                      SMSPROV_E_INVALID_PARAMETER);
    expect_load_error("[shares]\nsms = /x\n", "not a UNC prefix", SMSPROV_E_INVALID_PARAMETER);
    expect_load_error("[site]\nthis line has no equals sign\n", "line 2",
                      SMSPROV_E_INVALID_PARAMETER);
    expect_load_error("[server]\nmax_request_kb = 0\n", "size in KiB",
                      SMSPROV_E_INVALID_PARAMETER);

    smsprov_config cfg;
    smsprov_config_init(&cfg);
    smsprov_error err = {0};
    assert_int_equal(smsprov_config_load(&cfg, SCRATCH "/no-such.ini", &err),
                     SMSPROV_E_NOT_FOUND);
    assert_non_null(strstr(err.description, "no-such.ini"));
    smsprov_error_clear(&err);
    smsprov_config_clear(&cfg);
}

/* INI text in memory reads as the file would, with its errors naming the
 * text and the line. */
static void test_load_text(void **state)
{
    (void)state;
    smsprov_config cfg;
    smsprov_config_init(&cfg);
    cfg.source_dir = cim_xstrdup("/etc/smsprov");
    smsprov_error err = {0};
    assert_int_equal(smsprov_config_load_text(&cfg,
                                              "[site]\ndatabase = site.db\n[http]\nport = 15985\n"
                                              "[shares]\n\\\\lab\\sms = /srv/sms\n",
                                              "inline", &err),
                     SMSPROV_OK);
    assert_string_equal(cfg.database_path, "/etc/smsprov/site.db");
    assert_int_equal(cfg.http.port, 15985);
    assert_int_equal(cfg.share_count, 1);
    assert_string_equal(cfg.shares[0].unc_prefix, "\\\\lab\\sms");
    assert_int_equal(smsprov_config_load_text(&cfg, "[http]\n\nport = 70000\n", "inline", &err),
                     SMSPROV_E_INVALID_PARAMETER);
    assert_non_null(strstr(err.description, "inline, line 3: "));
    assert_non_null(strstr(err.description, "from 0 to 65535"));
    smsprov_error_clear(&err);
    assert_int_equal(smsprov_config_load_text(&cfg, "[site]\nno equals sign\n", "inline", &err),
                     SMSPROV_E_INVALID_PARAMETER);
    assert_non_null(strstr(err.description, "inline, line 2: the line is not"));
    smsprov_error_clear(&err);
    smsprov_config_clear(&cfg);
}

static void test_overrides_and_checks(void **state)
{
    (void)state;
    smsprov_config cfg;
    smsprov_config_init(&cfg);
    smsprov_error err = {0};
    assert_int_equal(smsprov_config_set(&cfg, "site", "database", "/tmp/x.db", &err), SMSPROV_OK);
    assert_int_equal(smsprov_config_check(&cfg, &err), SMSPROV_E_INVALID_PARAMETER);
    assert_non_null(strstr(err.description, "users_file"));
    assert_int_equal(smsprov_config_set(&cfg, "auth", "users_file", "/tmp/users", &err),
                     SMSPROV_OK);
    assert_int_equal(smsprov_config_check(&cfg, &err), SMSPROV_OK);
    assert_int_equal(smsprov_config_set(&cfg, "HTTPS", "Enabled", "on", &err), SMSPROV_OK);
    assert_int_equal(smsprov_config_check(&cfg, &err), SMSPROV_E_INVALID_PARAMETER);
    assert_non_null(strstr(err.description, "certificate"));
    assert_int_equal(smsprov_config_set(&cfg, "https", "certificate", "/c", &err), SMSPROV_OK);
    assert_int_equal(smsprov_config_set(&cfg, "https", "key", "/k", &err), SMSPROV_OK);
    assert_int_equal(smsprov_config_set(&cfg, "https", "port", "5985", &err), SMSPROV_OK);
    assert_int_equal(smsprov_config_check(&cfg, &err), SMSPROV_E_INVALID_PARAMETER);
    assert_non_null(strstr(err.description, "different ports"));
    /* An empty value resets a string to its default (none). */
    assert_int_equal(smsprov_config_set(&cfg, "site", "database", "", &err), SMSPROV_OK);
    assert_null(cfg.database_path);
    smsprov_error_clear(&err);
    smsprov_config_clear(&cfg);
}

/* [auth] schemes: a list; Kerberos needs a keytab, Negotiate a keytab or
 * an NTLM user file. */
static void test_auth_schemes(void **state)
{
    (void)state;
    smsprov_config cfg;
    smsprov_config_init(&cfg);
    smsprov_error err = {0};
    assert_int_equal(cfg.auth_schemes, SMSPROV_AUTH_BASIC);
    assert_int_equal(smsprov_config_set(&cfg, "site", "database", "/tmp/x.db", &err), SMSPROV_OK);
    assert_int_equal(smsprov_config_set(&cfg, "auth", "users_file", "/tmp/users", &err),
                     SMSPROV_OK);
    assert_int_equal(smsprov_config_set(&cfg, "auth", "schemes", "negotiate,  Kerberos", &err),
                     SMSPROV_OK);
    assert_int_equal(cfg.auth_schemes, SMSPROV_AUTH_NEGOTIATE | SMSPROV_AUTH_KERBEROS);
    assert_int_equal(smsprov_config_check(&cfg, &err), SMSPROV_E_INVALID_PARAMETER);
    assert_non_null(strstr(err.description, "keytab"));
    assert_int_equal(smsprov_config_set(&cfg, "auth", "schemes", "Negotiate, Basic", &err),
                     SMSPROV_OK);
    assert_int_equal(smsprov_config_check(&cfg, &err), SMSPROV_E_INVALID_PARAMETER);
    assert_non_null(strstr(err.description, "ntlm_user_file"));
    assert_int_equal(smsprov_config_set(&cfg, "auth", "ntlm_user_file", "/etc/ntlm", &err),
                     SMSPROV_OK);
    assert_int_equal(smsprov_config_check(&cfg, &err), SMSPROV_OK);
    assert_int_equal(smsprov_config_set(&cfg, "auth", "schemes", "Basic, Digest", &err),
                     SMSPROV_E_INVALID_PARAMETER);
    assert_non_null(strstr(err.description, "Basic, Negotiate and Kerberos"));
    assert_int_equal(smsprov_config_set(&cfg, "auth", "schemes", "", &err),
                     SMSPROV_E_INVALID_PARAMETER);
    assert_int_equal(cfg.auth_schemes, SMSPROV_AUTH_NEGOTIATE | SMSPROV_AUTH_BASIC);
    assert_int_equal(smsprov_config_set(&cfg, "auth", "principals", "a@R, D\\u", &err),
                     SMSPROV_OK);
    assert_string_equal(cfg.principals, "a@R, D\\u");
    smsprov_error_clear(&err);
    smsprov_config_clear(&cfg);
}

/* [distribution_points]: NAME = fqdn (or nothing), each once, handed to the
 * site; names that would break a NAL path are refused. */
static void test_distribution_points(void **state)
{
    (void)state;
    smsprov_config cfg;
    smsprov_config_init(&cfg);
    smsprov_error err = {0};
    assert_int_equal(smsprov_config_load_text(&cfg,
                                              "[distribution_points]\nDP01 = dp01.lab.example\n"
                                              "DP-02 =\n",
                                              "inline", &err),
                     SMSPROV_OK);
    assert_int_equal(cfg.distribution_point_count, 2);
    assert_string_equal(cfg.distribution_points[0].server_name, "DP01");
    assert_string_equal(cfg.distribution_points[0].remote_name, "dp01.lab.example");
    assert_string_equal(cfg.distribution_points[1].server_name, "DP-02");
    assert_null(cfg.distribution_points[1].remote_name);
    smsprov_site_config site;
    smsprov_config_site(&cfg, &site);
    assert_ptr_equal(site.distribution_points, cfg.distribution_points);
    assert_int_equal(site.distribution_point_count, 2);
    smsprov_config_clear(&cfg);
    expect_load_error("[distribution_points]\nDP\\\"1 = x\n", "not a server name",
                      SMSPROV_E_INVALID_PARAMETER);
    expect_load_error("[distribution_points]\ndp01.lab = x\n", "NetBIOS name",
                      SMSPROV_E_INVALID_PARAMETER);
    expect_load_error("[distribution_points]\nDP01 = a\"b\n", "not a host name",
                      SMSPROV_E_INVALID_PARAMETER);
    expect_load_error("[distribution_points]\nDP01 =\ndp01 =\n", "listed twice",
                      SMSPROV_E_INVALID_PARAMETER);
}

static void test_cmtrace_line(void **state)
{
    (void)state;
    struct tm t = {.tm_year = 124, .tm_mon = 0, .tm_mday = 31, .tm_hour = 14, .tm_min = 3,
                   .tm_sec = 7};
    char *line = smsprov_log_cmtrace_line("Get SMS_BootImagePackage ]LOG]!> done", &t, 123, 0,
                                          "SMS Provider", SMSPROV_LOG_WARNING, 4242,
                                          "/src/wsman/get.c", 57);
    assert_string_equal(line, "<![LOG[Get SMS_BootImagePackage ]LOG)!> done]LOG]!>"
                              "<time=\"14:03:07.123+000\" date=\"01-31-2024\" "
                              "component=\"SMS Provider\" context=\"\" type=\"2\" "
                              "thread=\"4242\" file=\"get.c:57\">\r\n");
    free(line);
    line = smsprov_log_cmtrace_line("x", &t, 5, 420, "C", SMSPROV_LOG_ERROR, 1, "f.c", 1);
    assert_non_null(strstr(line, "time=\"14:03:07.005+420\""));
    assert_non_null(strstr(line, "type=\"3\""));
    free(line);
    line = smsprov_log_cmtrace_line("x", &t, 5, -60, "C", SMSPROV_LOG_INFO, 1, "f.c", 1);
    assert_non_null(strstr(line, "time=\"14:03:07.005-060\""));
    assert_non_null(strstr(line, "type=\"1\""));
    free(line);
}

static void test_log_file_levels_and_rollover(void **state)
{
    (void)state;
    mkdir(SCRATCH, 0755);
    const char *path = SCRATCH "/SMSProv.log";
    unlink(path);
    unlink(SCRATCH "/SMSProv.lo_");
    smsprov_log_options opts = {.file = path, .level = SMSPROV_LOG_INFO, .max_bytes = 600};
    smsprov_log *log = NULL;
    assert_int_equal(smsprov_log_open(&opts, &log, NULL), SMSPROV_OK);
    SMSPROV_LOG(log, SMSPROV_LOG_VERBOSE, "dropped %d", 1);
    SMSPROV_LOG(log, SMSPROV_LOG_INFO, "kept %d", 2);
    char *text = fixture_slurp(path, NULL);
    assert_null(strstr(text, "dropped"));
    assert_non_null(strstr(text, "<![LOG[kept 2]LOG]!>"));
    assert_non_null(strstr(text, "file=\"test_config_ini.c:"));
    free(text);
    for (int i = 0; i < 5; i++)
        SMSPROV_LOG(log, SMSPROV_LOG_ERROR, "line %d", i);
    smsprov_log_close(log);
    struct stat st;
    assert_int_equal(stat(SCRATCH "/SMSProv.lo_", &st), 0);
    assert_int_equal(stat(path, &st), 0);
    assert_true(st.st_size <= 600);
    SMSPROV_LOG(NULL, SMSPROV_LOG_ERROR, "a NULL log is a no-op");

    smsprov_error err = {0};
    opts.file = SCRATCH "/no/such/folder/x.log";
    assert_int_equal(smsprov_log_open(&opts, &log, &err), SMSPROV_E_ACCESS_DENIED);
    assert_non_null(strstr(err.description, "x.log"));
    assert_null(log);
    smsprov_error_clear(&err);
}

/* The reload's log change: a new file, a new level; a file that cannot be
 * opened leaves the log as it was. */
static void test_log_reconfigure(void **state)
{
    (void)state;
    mkdir(SCRATCH, 0755);
    const char *first = SCRATCH "/first.log", *second = SCRATCH "/second.log";
    unlink(first);
    unlink(second);
    smsprov_log_options opts = {.file = first, .level = SMSPROV_LOG_INFO};
    smsprov_log *log = NULL;
    assert_int_equal(smsprov_log_open(&opts, &log, NULL), SMSPROV_OK);
    SMSPROV_LOG(log, SMSPROV_LOG_VERBOSE, "hidden %d", 1);
    smsprov_error err = {0};
    smsprov_log_options bad = {.file = SCRATCH "/no/such/folder/x.log",
                               .level = SMSPROV_LOG_VERBOSE};
    assert_int_equal(smsprov_log_reconfigure(log, &bad, &err), SMSPROV_E_ACCESS_DENIED);
    assert_non_null(strstr(err.description, "x.log"));
    smsprov_error_clear(&err);
    SMSPROV_LOG(log, SMSPROV_LOG_VERBOSE, "hidden %d", 2);
    SMSPROV_LOG(log, SMSPROV_LOG_INFO, "still first");
    smsprov_log_options next = {.file = second, .level = SMSPROV_LOG_VERBOSE};
    assert_int_equal(smsprov_log_reconfigure(log, &next, NULL), SMSPROV_OK);
    SMSPROV_LOG(log, SMSPROV_LOG_VERBOSE, "shown %d", 3);
    smsprov_log_close(log);
    char *a = fixture_slurp(first, NULL), *b = fixture_slurp(second, NULL);
    assert_null(strstr(a, "hidden"));
    assert_non_null(strstr(a, "still first"));
    assert_null(strstr(a, "shown"));
    assert_non_null(strstr(b, "shown 3"));
    free(a);
    free(b);
}

typedef struct diff_names {
    char text[512];
} diff_names;

static void collect_diff(void *data, const char *section, const char *key)
{
    diff_names *d = data;
    size_t n = strlen(d->text);
    snprintf(d->text + n, sizeof d->text - n, "%s.%s ", section, key ? key : "*");
}

/* The reload names each changed key, and the list sections as a whole. */
static void test_config_diff(void **state)
{
    (void)state;
    smsprov_config a, b;
    smsprov_config_init(&a);
    smsprov_config_init(&b);
    diff_names d = {{0}};
    smsprov_config_diff(&a, &b, collect_diff, &d);
    assert_string_equal(d.text, "");
    assert_int_equal(smsprov_config_load_text(&b,
                                              "[site]\ndatabase = x.db\n[http]\nport = 1\n"
                                              "[log]\nlevel = verbose\nmax_size_kb = 9\n"
                                              "[auth]\nschemes = Basic\n"
                                              "[distribution_points]\nDP1 = dp1.example\n",
                                              "b.ini", NULL),
                     SMSPROV_OK);
    smsprov_config_diff(&a, &b, collect_diff, &d);
    assert_string_equal(d.text, "site.database wsman.http.port log.level log.max_size_kb "
                                "distribution_points.* ");
    smsprov_config_clear(&a);
    smsprov_config_clear(&b);
}

/* Text a client controls (a user name with CR/LF, say) cannot start a
 * forged line: every control character is escaped where lines are
 * written. */
static void test_log_escapes_control_characters(void **state)
{
    (void)state;
    mkdir(SCRATCH, 0755);
    const char *path = SCRATCH "/escape.log";
    unlink(path);
    smsprov_log_options opts = {.file = path, .level = SMSPROV_LOG_INFO};
    smsprov_log *log = NULL;
    assert_int_equal(smsprov_log_open(&opts, &log, NULL), SMSPROV_OK);
    const char *user = "eve\r\n<![LOG[Authentication succeeded for admin]LOG]!>\x1b[2J\x7f\tend";
    SMSPROV_LOG(log, SMSPROV_LOG_WARNING, "Authentication failed for user \"%s\".", user);
    smsprov_log_close(log);
    char *text = fixture_slurp(path, NULL);
    size_t lines = 0;
    for (const char *p = text; (p = strchr(p, '\n')); p++)
        lines++;
    assert_int_equal(lines, 1);
    assert_null(strchr(text, '\x1b'));
    assert_non_null(strstr(text, "user \"eve\\r\\n<![LOG[Authentication succeeded for admin]LOG)"
                                 "!>\\x1B[2J\\x7F\\tend\"."));
    free(text);
    char *e = smsprov_log_escape("a\001b\\c");
    assert_string_equal(e, "a\\x01b\\c");
    free(e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_full_file),
        cmocka_unit_test(test_door_sections),
        cmocka_unit_test(test_deprecated_sections),
        cmocka_unit_test(test_errors_name_line_and_fix),
        cmocka_unit_test(test_load_text),
        cmocka_unit_test(test_overrides_and_checks),
        cmocka_unit_test(test_auth_schemes),
        cmocka_unit_test(test_distribution_points),
        cmocka_unit_test(test_cmtrace_line),
        cmocka_unit_test(test_log_file_levels_and_rollover),
        cmocka_unit_test(test_log_reconfigure),
        cmocka_unit_test(test_config_diff),
        cmocka_unit_test(test_log_escapes_control_characters),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
