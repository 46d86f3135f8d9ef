/* test_wsman_door.c - the WS-Management door on a real site, without the
 * network: authorization of anonymous calls, a create/get round trip,
 * faults as well-formed envelopes, open enumerations (quota in total and per
 * user, expiry, Release), Pulls that read from the database as they go
 * (rows changed between Pulls) and fill MaxEnvelopeSize. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <libxml/parser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wsman/wsman.h"

#define SCRATCH SMSPROV_TEST_SCRATCH "/wsman_door"
#define URI "http://schemas.microsoft.com/wbem/wscim/1/cim-schema/2/SMS_BootImagePackage"

typedef struct fixture {
    smsprov_site *site;
    wsman_door *door;
} fixture;

static int setup(void **state)
{
    static int sites;
    mkdir(SCRATCH, 0755);
    /* A database of its own per fixture (the group's stays open meanwhile). */
    char *db = cim_xasprintf(SCRATCH "/site%d.db", sites++);
    static const char *const suffixes[] = {"", "-wal", "-shm"};
    for (size_t i = 0; i < 3; i++) {
        char *file = cim_xasprintf("%s%s", db, suffixes[i]);
        unlink(file);
        free(file);
    }
    fixture *f = cim_xcalloc(1, sizeof *f);
    smsprov_site_config cfg = {.database_path = db, .mof_dir = SMSPROV_SOURCE_MOF_DIR,
                               .worker_count = 1, .first_admin = "admin"};
    smsprov_error err = {0};
    smsprov_code rc = smsprov_site_open(&cfg, &f->site, &err);
    free(db);
    if (rc != SMSPROV_OK) {
        fprintf(stderr, "%s\n", err.description);
        return -1;
    }
    wsman_global_init();
    wsman_door_options o = {.site = f->site, .enumeration_timeout_s = 1, .max_enumerations = 2,
                            .machine = "testhost"};
    f->door = wsman_door_new(&o);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    wsman_door_free(f->door); /* frees the enumerations still open */
    smsprov_site_close(f->site);
    free(f);
    return 0;
}

static char *envelope(const char *action, const char *selectors, const char *body)
{
    return cim_xasprintf(
        "<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\" "
        "xmlns:a=\"http://schemas.xmlsoap.org/ws/2004/08/addressing\" "
        "xmlns:w=\"http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd\" "
        "xmlns:n=\"http://schemas.xmlsoap.org/ws/2004/09/enumeration\"><s:Header>"
        "<a:Action>%s</a:Action><w:ResourceURI>" URI "</w:ResourceURI>"
        "<a:MessageID>uuid:42</a:MessageID><w:SelectorSet>"
        "<w:Selector Name=\"__cimnamespace\">root/sms/site_LAB</w:Selector>%s</w:SelectorSet>"
        "</s:Header><s:Body>%s</s:Body></s:Envelope>",
        action, selectors, body);
}

static char *call(fixture *f, const char *user, const char *xml, unsigned expect_status)
{
    wsman_caller caller = {.user = user};
    unsigned status = 0;
    char *out = wsman_door_process(f->door, xml, strlen(xml), &caller, &status);
    assert_int_equal(status, expect_status);
    if (out) {
        /* every answer, fault or not, is a well-formed envelope */
        xmlDoc *doc = xmlReadMemory(out, (int)strlen(out), NULL, "UTF-8",
                                    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
        assert_non_null(doc);
        xmlFreeDoc(doc);
        assert_non_null(strstr(out, "<a:RelatesTo>uuid:42</a:RelatesTo>"));
    }
    return out;
}

static void test_anonymous_calls(void **state)
{
    fixture *f = *state;
    const char *identify = "<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\">"
                           "<s:Body><i:Identify xmlns:i=\"http://schemas.dmtf.org/wbem/wsman/"
                           "identity/1/wsmanidentity.xsd\"/></s:Body></s:Envelope>";
    wsman_caller anon = {.identify_unauthenticated = true};
    unsigned status = 0;
    char *out = wsman_door_process(f->door, identify, strlen(identify), &anon, &status);
    assert_int_equal(status, 200);
    assert_non_null(strstr(out, "IdentifyResponse"));
    free(out);
    /* without the WSMANIDENTIFY header, or for anything else: 401 */
    anon.identify_unauthenticated = false;
    assert_null(wsman_door_process(f->door, identify, strlen(identify), &anon, &status));
    assert_int_equal(status, 401);
    char *get = envelope("http://schemas.xmlsoap.org/ws/2004/09/transfer/Get",
                         "<w:Selector Name=\"PackageID\">LAB00001</w:Selector>", "");
    anon.identify_unauthenticated = true;
    assert_null(wsman_door_process(f->door, get, strlen(get), &anon, &status));
    assert_int_equal(status, 401);
    free(get);
}

static void test_create_get_and_faults(void **state)
{
    fixture *f = *state;
    char *xml = envelope("http://schemas.xmlsoap.org/ws/2004/09/transfer/Create", "",
                         "<p:SMS_BootImagePackage xmlns:p=\"" URI "\"><p:Name>Door &amp; test"
                         "</p:Name><p:OptionalComponents>27</p:OptionalComponents>"
                         "<p:OptionalComponents>29</p:OptionalComponents>"
                         "</p:SMS_BootImagePackage>");
    char *out = call(f, "admin", xml, 200);
    assert_non_null(strstr(out, "<x:ResourceCreated>"));
    assert_non_null(strstr(out, "<w:Selector Name=\"PackageID\">LAB00001</w:Selector>"));
    free(out);
    free(xml);

    xml = envelope("http://schemas.xmlsoap.org/ws/2004/09/transfer/Get",
                   "<w:Selector Name=\"PackageID\">LAB00001</w:Selector>", "");
    out = call(f, "admin", xml, 200);
    assert_non_null(strstr(out, "<p:Name>Door &amp; test</p:Name>"));
    assert_non_null(strstr(out, "<p:OptionalComponents>27</p:OptionalComponents>"
                                "<p:OptionalComponents>29</p:OptionalComponents>"));
    assert_non_null(strstr(out, "<p:PackageType>258</p:PackageType>"));
    free(out);
    free(xml);

    xml = envelope("http://schemas.xmlsoap.org/ws/2004/09/transfer/Get",
                   "<w:Selector Name=\"PackageID\">LAB0FFFF</w:Selector>", "");
    out = call(f, "admin", xml, 500);
    assert_non_null(strstr(out, "<s:Value>a:DestinationUnreachable</s:Value>"));
    assert_non_null(strstr(out, "Code=\"2150858752\" Machine=\"testhost\""));
    assert_non_null(strstr(out, "<p:CIMStatusCode xsi:type=\"cim:cimUnsignedInt\">6<"));
    assert_non_null(strstr(out, "SMS_ExtendedStatus"));
    free(out);
    free(xml);

    xml = envelope("http://schemas.xmlsoap.org/ws/2004/09/transfer/Create", "",
                   "<p:SMS_BootImagePackage xmlns:p=\"" URI "\"><p:ScratchSpace>many"
                   "</p:ScratchSpace></p:SMS_BootImagePackage>");
    out = call(f, "admin", xml, 500);
    assert_non_null(strstr(out, "w:SchemaValidationError"));
    assert_non_null(strstr(out, "ScratchSpace"));
    free(out);
    free(xml);
}

static char *enumerate_context(fixture *f, unsigned expect_status)
{
    char *xml = envelope("http://schemas.xmlsoap.org/ws/2004/09/enumeration/Enumerate", "",
                         "<n:Enumerate/>");
    char *out = call(f, "admin", xml, expect_status);
    free(xml);
    return out;
}

static void test_enumerations_quota_and_expiry(void **state)
{
    fixture *f = *state;
    assert_int_equal(wsman_door_sweep(f->door), 0);
    free(enumerate_context(f, 200));
    free(enumerate_context(f, 200));
    assert_int_equal(wsman_door_sweep(f->door), 2);
    char *out = enumerate_context(f, 500); /* max_enumerations is 2 */
    assert_non_null(strstr(out, "w:QuotaLimit"));
    free(out);
    sleep(2); /* enumeration_timeout_s is 1 */
    assert_int_equal(wsman_door_sweep(f->door), 0);
    free(enumerate_context(f, 200)); /* left open: the door frees it */

    /* another user cannot pull someone else's enumeration */
    out = enumerate_context(f, 200);
    char *start = strstr(out, "<n:EnumerationContext>") + strlen("<n:EnumerationContext>");
    char *id = cim_xasprintf("%.*s", (int)(strchr(start, '<') - start), start);
    free(out);
    char *body = cim_xasprintf("<n:Pull><n:EnumerationContext>%s</n:EnumerationContext></n:Pull>",
                               id);
    char *xml = envelope("http://schemas.xmlsoap.org/ws/2004/09/enumeration/Pull", "", body);
    out = call(f, "mallory", xml, 500);
    assert_non_null(strstr(out, "n:InvalidEnumerationContext"));
    free(out);
    out = call(f, "admin", xml, 200);
    assert_non_null(strstr(out, "<n:EndOfSequence/>"));
    free(out);
    free(xml);
    free(body);
    free(id);
}

static char *repeat(char c, size_t n)
{
    char *s = cim_xmalloc(n + 1);
    memset(s, c, n);
    s[n] = '\0';
    return s;
}

/* A client string past the bound is refused naming the property and the
 * bound; strings at the bound are stored. */
static void test_string_bound(void **state)
{
    fixture *f = *state;
    char *big = repeat('d', 2049);
    char *body = cim_xasprintf("<p:SMS_BootImagePackage xmlns:p=\"" URI "\"><p:Name>big</p:Name>"
                               "<p:Description>%s</p:Description></p:SMS_BootImagePackage>",
                               big);
    char *xml = envelope("http://schemas.xmlsoap.org/ws/2004/09/transfer/Create", "", body);
    char *out = call(f, "admin", xml, 500);
    assert_non_null(strstr(out, "Description is 2049 characters long; at most 2048 are allowed"));
    assert_non_null(strstr(out, "<p:ParameterInfo>Description</p:ParameterInfo>"));
    free(out);
    free(xml);
    free(body);
    free(big);
}

/* An instance that does not fit MaxEnvelopeSize: the fault names the size
 * the instance really has (less than the whole answer, more than the answer
 * without the envelope's 2 KB). */
static void test_encoding_limit_names_the_real_size(void **state)
{
    fixture *f = *state;
    char *s = repeat('q', 2048);
    char *body = cim_xasprintf(
        "<p:SMS_BootImagePackage xmlns:p=\"" URI "\"><p:Name>fat</p:Name>"
        "<p:Description>%s</p:Description><p:Manufacturer>%s</p:Manufacturer>"
        "<p:MIFName>%s</p:MIFName><p:MIFPublisher>%s</p:MIFPublisher>"
        "<p:MIFVersion>%s</p:MIFVersion></p:SMS_BootImagePackage>",
        s, s, s, s, s);
    char *xml = envelope("http://schemas.xmlsoap.org/ws/2004/09/transfer/Create", "", body);
    free(call(f, "admin", xml, 200));
    free(xml);
    free(body);
    free(s);
    const char *filter =
        "<n:Enumerate><w:OptimizeEnumeration/><w:MaxElements>1</w:MaxElements>"
        "<w:Filter Dialect=\"http://schemas.microsoft.com/wbem/wsman/1/WQL\">SELECT * FROM "
        "SMS_BootImagePackage WHERE Name = 'fat'</w:Filter></n:Enumerate>";
    xml = envelope("http://schemas.xmlsoap.org/ws/2004/09/enumeration/Enumerate", "", filter);
    char *whole = call(f, "admin", xml, 200);
    size_t real = strlen(whole);
    free(whole);
    free(xml);
    xml = envelope("http://schemas.xmlsoap.org/ws/2004/09/enumeration/Enumerate", "", filter);
    char *limited = cim_xasprintf("%.*s<w:MaxEnvelopeSize>%zu</w:MaxEnvelopeSize>%s",
                                  (int)(strstr(xml, "<w:SelectorSet>") - xml), xml, real - 1,
                                  strstr(xml, "<w:SelectorSet>"));
    char *out = call(f, "admin", limited, 500);
    assert_non_null(strstr(out, "w:EncodingLimit"));
    const char *takes = strstr(out, "The next instance takes ");
    assert_non_null(takes);
    size_t named = strtoul(takes + strlen("The next instance takes "), NULL, 10);
    if (named >= real || named + 2048 < real)
        fail_msg("the fault names %zu bytes; the answer takes %zu", named, real);
    free(out);
    free(limited);
    free(xml);
}

/* ------------------------------------------------------------------------ */
/* Streaming enumerations                                                   */
/* ------------------------------------------------------------------------ */

static char *sized_envelope(const char *action, unsigned max_envelope, const char *body)
{
    return cim_xasprintf(
        "<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\" "
        "xmlns:a=\"http://schemas.xmlsoap.org/ws/2004/08/addressing\" "
        "xmlns:w=\"http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd\" "
        "xmlns:n=\"http://schemas.xmlsoap.org/ws/2004/09/enumeration\"><s:Header>"
        "<a:Action>http://schemas.xmlsoap.org/ws/2004/09/enumeration/%s</a:Action>"
        "<w:ResourceURI>" URI "</w:ResourceURI><w:MaxEnvelopeSize>%u</w:MaxEnvelopeSize>"
        "<a:MessageID>uuid:42</a:MessageID><w:SelectorSet>"
        "<w:Selector Name=\"__cimnamespace\">root/sms/site_LAB</w:Selector></w:SelectorSet>"
        "</s:Header><s:Body>%s</s:Body></s:Envelope>",
        action, max_envelope, body);
}

static char *context_of(const char *answer)
{
    const char *start = strstr(answer, "<n:EnumerationContext>");
    assert_non_null(start);
    start += strlen("<n:EnumerationContext>");
    return cim_xasprintf("%.*s", (int)(strchr(start, '<') - start), start);
}

static char *open_enumeration(fixture *f, const char *user)
{
    char *xml = sized_envelope("Enumerate", 512000, "<n:Enumerate/>");
    char *out = call(f, user, xml, 200);
    char *id = context_of(out);
    free(out);
    free(xml);
    return id;
}

static char *pull(fixture *f, const char *user, const char *id, unsigned max_elements,
                  unsigned max_envelope, unsigned expect_status)
{
    char *body = cim_xasprintf("<n:Pull><n:EnumerationContext>%s</n:EnumerationContext>"
                               "<n:MaxElements>%u</n:MaxElements></n:Pull>",
                               id, max_elements);
    char *xml = sized_envelope("Pull", max_envelope, body);
    char *out = call(f, user, xml, expect_status);
    free(xml);
    free(body);
    return out;
}

/* Appends the PackageIDs an answer holds, space-separated, to ids. */
static size_t collect_ids(const char *answer, cim_buf *ids)
{
    size_t n = 0;
    for (const char *p = strstr(answer, "<p:PackageID>"); p; p = strstr(p, "<p:PackageID>")) {
        p += strlen("<p:PackageID>");
        cim_buf_printf(ids, " %.*s", (int)(strchr(p, '<') - p), p);
        n++;
    }
    return n;
}

static void create_boot_images(fixture *f, unsigned count)
{
    const cim_class *cls = NULL;
    assert_int_equal(smsprov_get_class(f->site, NULL, "SMS_BootImagePackage", &cls, NULL),
                     SMSPROV_OK);
    for (unsigned i = 0; i < count; i++) {
        cim_instance *inst = cim_instance_new(cls);
        char name[64];
        snprintf(name, sizeof name, "Streamed image %u with a longer name to fill pages", i);
        cim_instance_set_string(inst, "Name", name, NULL);
        cim_instance_set_string(inst, "Description",
                                "A description long enough that a few instances fill the "
                                "smallest envelope a client may ask for.",
                                NULL);
        assert_int_equal(smsprov_put(f->site, NULL, inst, SMSPROV_PUT_CREATE_ONLY, NULL, NULL,
                                     NULL),
                         SMSPROV_OK);
        cim_instance_free(inst);
    }
}

static void delete_package(fixture *f, const char *id)
{
    char *path = cim_xasprintf("SMS_BootImagePackage.PackageID=\"%s\"", id);
    assert_int_equal(smsprov_delete(f->site, NULL, path, NULL), SMSPROV_OK);
    free(path);
}

/* Each Pull reads the database afresh: a package deleted before its turn is
 * not returned, one created after the position is, none twice. */
static void test_pulls_see_changes_between_pulls(void **state)
{
    fixture *f = *state;
    create_boot_images(f, 5); /* LAB00001 .. LAB00005 */
    char *id = open_enumeration(f, "admin");
    cim_buf ids = {0};
    char *out = pull(f, "admin", id, 2, 512000, 200);
    assert_int_equal(collect_ids(out, &ids), 2);
    assert_null(strstr(out, "<n:EndOfSequence/>"));
    free(out);
    delete_package(f, "LAB00003");
    delete_package(f, "LAB00001"); /* already returned: changes nothing */
    create_boot_images(f, 1);      /* LAB00006, after the position */
    for (int rounds = 0;; rounds++) {
        assert_true(rounds < 10);
        out = pull(f, "admin", id, 2, 512000, 200);
        collect_ids(out, &ids);
        bool end = strstr(out, "<n:EndOfSequence/>") != NULL;
        free(out);
        if (end)
            break;
    }
    assert_string_equal(ids.data, " LAB00001 LAB00002 LAB00004 LAB00005 LAB00006");
    cim_buf_clear(&ids);
    /* finished: the context is gone */
    out = pull(f, "admin", id, 2, 512000, 500);
    assert_non_null(strstr(out, "n:InvalidEnumerationContext"));
    free(out);
    free(id);
}

/* Pulls fill the envelope with whole instances up to MaxEnvelopeSize, and
 * the instance that did not fit comes first in the next Pull. */
static void test_pulls_fill_the_envelope(void **state)
{
    fixture *f = *state;
    create_boot_images(f, 40);
    char *id = open_enumeration(f, "admin");
    cim_buf ids = {0};
    size_t total = 0, pulls = 0;
    for (;;) {
        char *out = pull(f, "admin", id, 1000, 8192, 200);
        assert_true(strlen(out) <= 8192);
        size_t n = collect_ids(out, &ids);
        assert_true(n >= 1);
        total += n;
        pulls++;
        bool end = strstr(out, "<n:EndOfSequence/>") != NULL;
        /* a full page leaves less room than one more instance takes */
        if (!end)
            assert_true(strlen(out) + strlen(out) / n > 8192 - 2048);
        free(out);
        if (end)
            break;
        assert_true(pulls < 40);
    }
    assert_int_equal(total, 40);
    assert_true(pulls > 2 && pulls < 40);
    for (unsigned i = 1; i <= 40; i++) {
        char want[16];
        snprintf(want, sizeof want, " LAB%05X", i);
        assert_non_null(strstr(ids.data, want));
    }
    cim_buf_clear(&ids);
    free(id);
}

/* Release ends an enumeration mid-way; a Pull after it is refused. */
static void test_release_mid_way(void **state)
{
    fixture *f = *state;
    create_boot_images(f, 3);
    char *id = open_enumeration(f, "admin");
    char *out = pull(f, "admin", id, 1, 512000, 200);
    free(out);
    char *body = cim_xasprintf(
        "<n:Release><n:EnumerationContext>%s</n:EnumerationContext></n:Release>", id);
    char *xml = sized_envelope("Release", 512000, body);
    out = call(f, "admin", xml, 200);
    assert_non_null(strstr(out, "ReleaseResponse"));
    free(out);
    free(xml);
    free(body);
    assert_int_equal(wsman_door_sweep(f->door), 0);
    out = pull(f, "admin", id, 1, 512000, 500);
    assert_non_null(strstr(out, "n:InvalidEnumerationContext"));
    free(out);
    free(id);
}

/* Each user has a cap of their own below the server's. */
static void test_per_user_cap(void **state)
{
    fixture *f = *state;
    wsman_door_options o = {.site = f->site, .max_enumerations = 3,
                            .max_enumerations_per_user = 2, .machine = "testhost"};
    wsman_door *capped = wsman_door_new(&o);
    wsman_door *plain = f->door;
    f->door = capped;
    free(open_enumeration(f, "alice"));
    free(open_enumeration(f, "alice"));
    char *xml = sized_envelope("Enumerate", 512000, "<n:Enumerate/>");
    char *out = call(f, "alice", xml, 500);
    assert_non_null(strstr(out, "w:QuotaLimit"));
    assert_non_null(strstr(out, "as many as one user may"));
    free(out);
    free(open_enumeration(f, "bob")); /* another user still may */
    out = call(f, "carol", xml, 500); /* but the server holds 3 at most */
    assert_non_null(strstr(out, "w:QuotaLimit"));
    assert_non_null(strstr(out, "Too many enumerations are open (3)"));
    free(out);
    free(xml);
    assert_int_equal(wsman_door_sweep(capped), 3);
    f->door = plain;
    wsman_door_free(capped);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_anonymous_calls),
        cmocka_unit_test(test_create_get_and_faults),
        cmocka_unit_test(test_enumerations_quota_and_expiry),
        cmocka_unit_test(test_string_bound),
        cmocka_unit_test(test_encoding_limit_names_the_real_size),
        cmocka_unit_test_setup_teardown(test_pulls_see_changes_between_pulls, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pulls_fill_the_envelope, setup, teardown),
        cmocka_unit_test_setup_teardown(test_release_mid_way, setup, teardown),
        cmocka_unit_test_setup_teardown(test_per_user_cap, setup, teardown),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
