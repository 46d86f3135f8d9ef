/* test_cim_path.c - object paths: every form a client writes, the errors
 * with their positions, and writing paths back. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "smsprov/cim.h"

/* The parsed path as one line: host|namespace|class|@|name:type=text;... */
static char *describe(const cim_object_path *p)
{
    cim_buf b = {0};
    cim_buf_printf(&b, "%s|%s|%s|%s|", p->host ? p->host : "-",
                   p->namespace_path ? p->namespace_path : "-", p->class_name,
                   p->singleton ? "@" : "");
    for (size_t i = 0; i < p->key_count; i++) {
        char *text = cim_value_to_text(&p->keys[i].value);
        cim_buf_printf(&b, "%s:%s=%s;", p->keys[i].name ? p->keys[i].name : "-",
                       cim_type_name(p->keys[i].value.type), text);
        free(text);
    }
    return cim_buf_take(&b);
}

typedef struct valid_case {
    const char *text;
    const char *parsed;    /* describe() */
    const char *formatted; /* cim_object_path_format(with_namespace) */
} valid_case;

static const valid_case valid[] = {
    {"SMS_BootImagePackage", "-|-|SMS_BootImagePackage||", "SMS_BootImagePackage"},
    {"SMS_BootImagePackage.PackageID=\"LAB00001\"",
     "-|-|SMS_BootImagePackage||PackageID:string=LAB00001;",
     "SMS_BootImagePackage.PackageID=\"LAB00001\""},
    {"SMS_BootImagePackage.PackageID='LAB00001'",
     "-|-|SMS_BootImagePackage||PackageID:string=LAB00001;",
     "SMS_BootImagePackage.PackageID=\"LAB00001\""},
    {"sms_bootimagepackage.packageid=\"x\"", "-|-|sms_bootimagepackage||packageid:string=x;",
     "sms_bootimagepackage.packageid=\"x\""},
    {"C.Key=5", "-|-|C||Key:uint64=5;", "C.Key=5"},
    {"C.Key=-5", "-|-|C||Key:sint64=-5;", "C.Key=-5"},
    {"C.Key=+5", "-|-|C||Key:uint64=5;", "C.Key=5"},
    {"C.Key=0x1F", "-|-|C||Key:uint64=31;", "C.Key=31"},
    {"C.Key=-0x10", "-|-|C||Key:sint64=-16;", "C.Key=-16"},
    {"C.Key=18446744073709551615", "-|-|C||Key:uint64=18446744073709551615;",
     "C.Key=18446744073709551615"},
    {"C.Key=-9223372036854775808", "-|-|C||Key:sint64=-9223372036854775808;",
     "C.Key=-9223372036854775808"},
    {"C.Key=1.5", "-|-|C||Key:real64=1.5;", "C.Key=1.5"},
    {"C.Key=-2.5e3", "-|-|C||Key:real64=-2500;", "C.Key=-2500.0"},
    {"C.Key=2.", "-|-|C||Key:real64=2;", "C.Key=2.0"},
    {"C.Key=TRUE", "-|-|C||Key:boolean=TRUE;", "C.Key=TRUE"},
    {"C.Key=false", "-|-|C||Key:boolean=FALSE;", "C.Key=FALSE"},
    {"C.K1=\"a\",K2=7", "-|-|C||K1:string=a;K2:uint64=7;", "C.K1=\"a\",K2=7"},
    {"C.K1 = \"a\" , K2 = 7", "-|-|C||K1:string=a;K2:uint64=7;", "C.K1=\"a\",K2=7"},
    {"C.A=1,B=\"two\",C=FALSE,D=-4", "-|-|C||A:uint64=1;B:string=two;C:boolean=FALSE;D:sint64=-4;",
     "C.A=1,B=\"two\",C=FALSE,D=-4"},
    {"SMS_Identification=@", "-|-|SMS_Identification|@|", "SMS_Identification=@"},
    {"C=\"v\"", "-|-|C||-:string=v;", "C=\"v\""},
    {"C=42", "-|-|C||-:uint64=42;", "C=42"},
    {"C.Key=\"\"", "-|-|C||Key:string=;", "C.Key=\"\""},
    {"C.Key=\"say \\\"hi\\\"\"", "-|-|C||Key:string=say \"hi\";", "C.Key=\"say \\\"hi\\\"\""},
    {"C.Key='it\\'s'", "-|-|C||Key:string=it's;", "C.Key=\"it's\""},
    {"C.Key='say \"hi\"'", "-|-|C||Key:string=say \"hi\";", "C.Key=\"say \\\"hi\\\"\""},
    {"C.Key=\"C:\\\\Windows\\\\boot.wim\"", "-|-|C||Key:string=C:\\Windows\\boot.wim;",
     "C.Key=\"C:\\\\Windows\\\\boot.wim\""},
    /* a backslash before any other character is kept as written */
    {"C.Key=\"C:\\Windows\"", "-|-|C||Key:string=C:\\Windows;", "C.Key=\"C:\\\\Windows\""},
    {"C.Key=\"a,b=c.d:e\"", "-|-|C||Key:string=a,b=c.d:e;", "C.Key=\"a,b=c.d:e\""},
    {"C.Key=\"caf\xc3\xa9\"", "-|-|C||Key:string=caf\xc3\xa9;", "C.Key=\"caf\xc3\xa9\""},
    {"\\\\host\\root\\sms\\site_LAB:SMS_Package.PackageID=\"LAB00001\"",
     "host|root\\sms\\site_LAB|SMS_Package||PackageID:string=LAB00001;",
     "\\\\host\\root\\sms\\site_LAB:SMS_Package.PackageID=\"LAB00001\""},
    {"//host/root/sms/site_LAB:SMS_Package", "host|root\\sms\\site_LAB|SMS_Package||",
     "\\\\host\\root\\sms\\site_LAB:SMS_Package"},
    {"\\\\.\\root\\sms:SMS_ProviderLocation=@", ".|root\\sms|SMS_ProviderLocation|@|",
     "\\\\.\\root\\sms:SMS_ProviderLocation=@"},
    {"\\\\server.contoso.com\\root\\sms\\site_LAB:C.K=1",
     "server.contoso.com|root\\sms\\site_LAB|C||K:uint64=1;",
     "\\\\server.contoso.com\\root\\sms\\site_LAB:C.K=1"},
    {"root\\sms\\site_LAB:SMS_Package", "-|root\\sms\\site_LAB|SMS_Package||",
     "root\\sms\\site_LAB:SMS_Package"},
    {"root/sms/site_LAB:SMS_Package.PackageID=\"X\"",
     "-|root\\sms\\site_LAB|SMS_Package||PackageID:string=X;",
     "root\\sms\\site_LAB:SMS_Package.PackageID=\"X\""},
    {"C:K", "-|C|K||", "C:K"},
    {"root:__Namespace.Name=\"sms\"", "-|root|__Namespace||Name:string=sms;",
     "root:__Namespace.Name=\"sms\""},
};

static void test_valid_paths(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof valid / sizeof valid[0]; i++) {
        cim_object_path path;
        smsprov_error err = {0};
        if (cim_object_path_parse(valid[i].text, &path, &err))
            fail_msg("%s should parse: %s", valid[i].text, err.description);
        char *got = describe(&path);
        if (strcmp(got, valid[i].parsed) != 0)
            fail_msg("%s parsed as %s, expected %s", valid[i].text, got, valid[i].parsed);
        free(got);
        char *formatted = cim_object_path_format(&path, true);
        assert_string_equal(formatted, valid[i].formatted);

        /* the written form parses back to the same path */
        cim_object_path again;
        assert_int_equal(cim_object_path_parse(formatted, &again, &err), 0);
        char *d1 = describe(&path), *d2 = describe(&again);
        assert_string_equal(d1, d2);
        free(d1);
        free(d2);
        free(formatted);
        cim_object_path_clear(&again);
        cim_object_path_clear(&path);
        assert_null(path.class_name);
    }
}

typedef struct invalid_case {
    const char *text;
    const char *why; /* the sentence, or a distinctive part of it */
} invalid_case;

static const invalid_case invalid[] = {
    {"", "The object path is empty"},
    {".Key=1", "Expected a class name at position 1."},
    {"1Class", "Expected a class name at position 1."},
    {"\"C\"", "Expected a class name at position 1."},
    {"root\\sms:", "Expected a class name at position 10."},
    {"root\\sms:.K=1", "Expected a class name at position 10."},
    {"root\\\\sms:C", "Expected a namespace name at position 6."},
    {"\\\\", "Expected a server name after the leading \\\\ at position 3."},
    {"\\\\\\root:C", "Expected a server name after the leading \\\\ at position 3."},
    {"\\\\host", "Expected '\\' and a namespace after the server name at position 7."},
    {"\\\\host\\root", "Expected '\\' or ':' after the namespace name at position 12."},
    {"\\\\host\\root.x:C", "Expected '\\' or ':' after the namespace name at position 12."},
    {"SMS_BootImagePackage.PackageID", "Expected '=' after key name 'PackageID' at position 31."},
    {"SMS_BootImagePackage.PackageID\"LAB\"",
     "Expected '=' after key name 'PackageID' at position 31."},
    {"C.", "Expected a key property name at position 3."},
    {"C.=1", "Expected a key property name at position 3."},
    {"C.K=1,", "Expected a key property name at position 7."},
    {"C.K=", "Expected a key value (a quoted string, a number, TRUE or FALSE) at position 5."},
    {"C.K=,J=1", "Expected a key value (a quoted string, a number, TRUE or FALSE) at position 5."},
    {"C.K=@", "Expected a key value"},
    {"C.K=abc", "Expected a key value (a quoted string, a number, TRUE or FALSE) at position 5, "
                "not abc."},
    {"C.K=12abc", "at position 5, not 12abc."},
    {"C.K=TRUEX", "not TRUEX"},
    {"C.K=\"abc", "The quoted value that starts at position 5 has no closing \"."},
    {"C.K='abc\"", "The quoted value that starts at position 5 has no closing '."},
    {"C.K=\"abc\\\"", "has no closing \""},
    {"C.K=\"a\"x", "Expected ',' or the end of the path after the value of key 'K' at position 8."},
    {"C.K=\"a\" \"b\"", "after the value of key 'K' at position 9."},
    {"C.K=1;", "Expected a key value"},
    {"C.K=1.J=2", "Expected a key value"},
    {"C.PackageID=\"a\",packageid=\"b\"", "The key packageid appears twice"},
    {"C.K=18446744073709551616", "The number 18446744073709551616 at position 5 does not fit"},
    {"C.K=-9223372036854775809", "does not fit in 64 bits"},
    /* Found by fuzz_cim_path: it parsed as -inf, which formats as
     * "-Infinity", a path nothing parses back. */
    {"Fe.Ie=-1,Si=-1e3083", "The number -1e3083 at position 13 is too large for a real64."},
    {"C.K=1e309", "too large for a real64"},
    {"C=@x", "Unexpected 'x' at position 4: the path should end after '@'."},
    {"C=\"v\",K=1", "Unexpected ',' at position 6: the path should end after the key value."},
    {"C=", "Expected a key value"},
    {"C K", "Unexpected ' ' at position 2 after the class name C"},
    {"C:", "Expected a class name at position 3."},
    {"C#", "Unexpected '#' at position 2"},
};

static void test_invalid_paths(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof invalid / sizeof invalid[0]; i++) {
        cim_object_path path;
        memset(&path, 0x5A, sizeof path);
        cim_object_path before = path;
        smsprov_error err = {0};
        smsprov_code code = cim_object_path_parse(invalid[i].text, &path, &err);
        if (code != SMSPROV_E_INVALID_OBJECT_PATH)
            fail_msg("%s should be refused", invalid[i].text);
        assert_int_equal(err.code, SMSPROV_E_INVALID_OBJECT_PATH);
        if (!strstr(err.description, invalid[i].why))
            fail_msg("%s: \"%s\" lacks \"%s\"", invalid[i].text, err.description, invalid[i].why);
        assert_memory_equal(&path, &before, sizeof path); /* untouched */
        smsprov_error_clear(&err);
    }
    cim_object_path path;
    assert_int_equal(cim_object_path_parse(NULL, &path, NULL), SMSPROV_E_INVALID_OBJECT_PATH);
}

static void test_find_key(void **state)
{
    (void)state;
    cim_object_path path;
    assert_int_equal(cim_object_path_parse("C.PackageID=\"A\",Version=3", &path, NULL), 0);
    const cim_keybinding *k = cim_object_path_find_key(&path, "packageid");
    assert_non_null(k);
    assert_string_equal(k->value.u.string, "A");
    k = cim_object_path_find_key(&path, "VERSION");
    assert_non_null(k);
    assert_int_equal(k->value.u.uint, 3);
    assert_null(cim_object_path_find_key(&path, "Name"));
    cim_object_path_clear(&path);

    assert_int_equal(cim_object_path_parse("C=\"only\"", &path, NULL), 0);
    k = cim_object_path_find_key(&path, "AnyName");
    assert_non_null(k);
    assert_string_equal(k->value.u.string, "only");
    cim_object_path_clear(&path);

    assert_int_equal(cim_object_path_parse("C=@", &path, NULL), 0);
    assert_null(cim_object_path_find_key(&path, "X"));
    cim_object_path_clear(&path);
}

static void test_format_built_path(void **state)
{
    (void)state;
    cim_keybinding keys[4] = {
        {"Name", cim_value_string("a\"b\\c")},
        {"Count", cim_value_uint(CIM_TYPE_UINT32, 7)},
        {"Offset", cim_value_sint(CIM_TYPE_SINT32, -7)},
        {"Enabled", cim_value_bool(true)},
    };
    cim_object_path path = {NULL, "root\\sms\\site_LAB", "X", keys, 4, false};
    char *text = cim_object_path_format(&path, false);
    assert_string_equal(text, "X.Name=\"a\\\"b\\\\c\",Count=7,Offset=-7,Enabled=TRUE");
    free(text);
    text = cim_object_path_format(&path, true);
    assert_string_equal(text, "root\\sms\\site_LAB:X.Name=\"a\\\"b\\\\c\",Count=7,Offset=-7,"
                              "Enabled=TRUE");
    cim_object_path parsed;
    assert_int_equal(cim_object_path_parse(text, &parsed, NULL), 0);
    assert_string_equal(parsed.keys[0].value.u.string, "a\"b\\c");
    cim_object_path_clear(&parsed);
    free(text);
    cim_value_clear(&keys[0].value);

    /* a path without a namespace ignores with_namespace */
    cim_object_path bare = {NULL, NULL, "Y", NULL, 0, true};
    text = cim_object_path_format(&bare, true);
    assert_string_equal(text, "Y=@");
    free(text);
}

/* Random strings of awkward characters survive format and parse. */
static void test_random_string_keys(void **state)
{
    (void)state;
    static const char alphabet[] = "aZ09 _\"'\\,.=:@/{}\t\xc3\xa9";
    srand(7);
    for (int round = 0; round < 2000; round++) {
        char value[32];
        size_t n = (size_t)(rand() % 31);
        for (size_t i = 0; i < n; i++) {
            char c = alphabet[rand() % (int)(sizeof alphabet - 1)];
            value[i] = (c & 0x80) ? 'e' : c; /* keep UTF-8 well formed */
        }
        value[n] = '\0';
        cim_keybinding key = {"K", cim_value_string(value)};
        cim_object_path path = {NULL, NULL, "C", &key, 1, false};
        char *text = cim_object_path_format(&path, false);
        cim_object_path parsed;
        smsprov_error err = {0};
        if (cim_object_path_parse(text, &parsed, &err))
            fail_msg("%s: %s", text, err.description);
        assert_string_equal(parsed.keys[0].value.u.string, value);
        cim_object_path_clear(&parsed);
        free(text);
        cim_value_clear(&key.value);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_paths),        cmocka_unit_test(test_invalid_paths),
        cmocka_unit_test(test_find_key),           cmocka_unit_test(test_format_built_path),
        cmocka_unit_test(test_random_string_keys),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
