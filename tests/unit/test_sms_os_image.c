/* test_sms_os_image.c - OS image packages, site systems and distribution
 * points through the provider API (the SDK scenarios without a door):
 *   S-5  an SMS_ImagePackage from a three-image install.wim;
 *   S-6  both update sequences (reload-then-put, new path-put-then-refresh);
 *   S-7  GetImageProperties on the class;
 *   S-10 a distribution point found in SMS_SystemResourceList and put;
 *   S-14 RefreshPkgSource, RefreshPkgSourceFlag and RefreshNow;
 * PackNALPath/UnPackNALPath round trips, RunOfflineServicingManager, and
 * bad sources (not a WIM, damaged data, outside the shares, a folder
 * without install media) that create nothing. */
#define _GNU_SOURCE /* asprintf */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>

#include "osd/fs.h"
#include "osd/synthetic.h"
#include "smsprov/provider.h"
#include "test_fixture.h"

#define SCRATCH SMSPROV_TEST_SCRATCH "/sms_os_image"
#define IMAGE "SMS_ImagePackage"
#define DP "SMS_DistributionPoint"
#define SOURCE "\\\\lab\\sources\\os\\install.wim"
#define DP01_NAL "[\"Display=\\\\DP01\\\"]MSWNET:[\"SMS_SITE=LAB\"]\\\\DP01\\"

static smsprov_share shares[] = {{"\\\\lab\\sources", SCRATCH "/sources"}};
static smsprov_distribution_point dps[] = {{"DP01", "dp01.lab.example"}, {"DP02", NULL}};

static smsprov_site *open_site(const char *db)
{
    smsprov_site_config config = {
        .database_path = db,
        .mof_dir = SMSPROV_SOURCE_MOF_DIR,
        .content_root = SCRATCH "/content",
        .shares = shares,
        .share_count = 1,
        .server_name = "SITE1",
        .distribution_points = dps,
        .distribution_point_count = 2,
    };
    smsprov_site *site = NULL;
    smsprov_error err = {0};
    if (smsprov_site_open(&config, &site, &err) != SMSPROV_OK)
        fail_msg("opening the site failed: %s", err.description);
    return site;
}

static int build_inputs(void **state)
{
    (void)state;
    osd_fs_remove_tree(SCRATCH, NULL);
    smsprov_error err = {0};
    assert_int_equal(osd_fs_make_dirs(SCRATCH "/sources/os", &err), SMSPROV_OK);
    assert_int_equal(osd_fs_make_dirs(SCRATCH "/sources/media/sources", &err), SMSPROV_OK);
    assert_int_equal(osd_synthetic_install_default_write(SCRATCH "/sources/os/install.wim", &err),
                     SMSPROV_OK);
    osd_winpe_spec one = {.arch = OSD_ARCH_X64, .name = "Windows Server 2022 Standard"};
    assert_int_equal(osd_synthetic_install_write(SCRATCH "/sources/media/sources/install.wim",
                                                 &one, 1, &err),
                     SMSPROV_OK);
    fixture_write(SCRATCH "/sources/os/notes.wim", "not a WIM at all\n", 17);
    /* A copy whose file data is damaged past the header, XML and
     * directory trees: only a full verification notices. */
    size_t n = 0;
    char *wim = fixture_slurp(SCRATCH "/sources/os/install.wim", &n);
    for (size_t i = 8000; i < 8400 && i < n; i++)
        wim[i] ^= 0xFF;
    fixture_write(SCRATCH "/sources/os/damaged.wim", wim, n);
    free(wim);
    return 0;
}

static int remove_inputs(void **state)
{
    (void)state;
    osd_fs_remove_tree(SCRATCH, NULL);
    return 0;
}

/* ---- helpers ------------------------------------------------------------- */

static cim_instance *spawn(smsprov_site *site, const char *class_name)
{
    const cim_class *cls = NULL;
    assert_int_equal(smsprov_get_class(site, NULL, class_name, &cls, NULL), SMSPROV_OK);
    return cim_instance_spawn(cls);
}

static smsprov_code put(smsprov_site *site, cim_instance *inst, char **path, smsprov_error *err)
{
    smsprov_code rc = smsprov_put(site, NULL, inst, SMSPROV_PUT_CREATE_OR_UPDATE, NULL, path, err);
    cim_instance_free(inst);
    return rc;
}

static char *create_image(smsprov_site *site, const char *name, const char *source)
{
    cim_instance *inst = spawn(site, IMAGE);
    cim_instance_set_string(inst, "Name", name, NULL);
    cim_instance_set_uint(inst, "PkgSourceFlag", 2, NULL);
    if (source)
        cim_instance_set_string(inst, "PkgSourcePath", source, NULL);
    char *path = NULL;
    smsprov_error err = {0};
    if (put(site, inst, &path, &err) != SMSPROV_OK)
        fail_msg("creating %s failed: %s", name, err.description);
    return path;
}

static cim_instance *get(smsprov_site *site, const char *path)
{
    cim_instance *inst = NULL;
    smsprov_error err = {0};
    if (smsprov_get(site, NULL, path, &inst, &err) != SMSPROV_OK)
        fail_msg("get %s failed: %s", path, err.description);
    return inst;
}

static const char *str(const cim_instance *inst, const char *name)
{
    const cim_value *v = cim_instance_get(inst, name);
    assert_non_null(v);
    return v->is_null ? NULL : v->u.string;
}

static uint64_t num(const cim_instance *inst, const char *name)
{
    const cim_value *v = cim_instance_get(inst, name);
    assert_non_null(v);
    assert_false(v->is_null);
    return v->u.uint;
}

static size_t count(smsprov_site *site, const char *wql)
{
    smsprov_instance_list list = {0};
    smsprov_error err = {0};
    if (smsprov_query(site, NULL, "WQL", wql, &list, &err) != SMSPROV_OK)
        fail_msg("%s failed: %s", wql, err.description);
    size_t n = list.count;
    smsprov_instance_list_clear(&list);
    return n;
}

static smsprov_code invoke(smsprov_site *site, const char *target, const char *method,
                           cim_instance *in, cim_instance **out, smsprov_error *err)
{
    cim_instance *result = NULL;
    smsprov_code rc = smsprov_invoke(site, NULL, target, method, in, &result, err);
    if (out)
        *out = result;
    else
        cim_instance_free(result);
    cim_instance_free(in);
    return rc;
}

static cim_instance *in_params(smsprov_site *site, const char *class_name, const char *method)
{
    const cim_class *cls = NULL;
    assert_int_equal(smsprov_get_class(site, NULL, class_name, &cls, NULL), SMSPROV_OK);
    const cim_method *m = cim_class_find_method(cls, method);
    assert_non_null(m);
    return cim_instance_new(m->in_class);
}

/* The way scripts read ImageProperty: an XPath over the document. */
static char *xpath(const char *xml, const char *expression)
{
    xmlDocPtr doc = xmlReadMemory(xml, (int)strlen(xml), "p.xml", NULL, XML_PARSE_NONET);
    assert_non_null(doc);
    xmlXPathContextPtr context = xmlXPathNewContext(doc);
    xmlXPathObjectPtr result = xmlXPathEvalExpression(BAD_CAST expression, context);
    xmlChar *value = xmlXPathCastToString(result);
    char *copy = strdup((const char *)value);
    xmlFree(value);
    xmlXPathFreeObject(result);
    xmlXPathFreeContext(context);
    xmlFreeDoc(doc);
    return copy;
}

static void assert_xpath(const char *xml, const char *expression, const char *expected)
{
    char *value = xpath(xml, expression);
    if (strcmp(value, expected) != 0)
        fail_msg("%s is \"%s\", expected \"%s\"", expression, value, expected);
    free(value);
}

/* ---- S-5, S-7 ------------------------------------------------------------ */

static void assert_three_images(const char *xml)
{
    assert_xpath(xml, "count(/WIM/IMAGE)", "3");
    assert_xpath(xml, "/WIM/IMAGE[@Index='1']/@Name", "Windows 11 Enterprise");
    assert_xpath(xml, "/WIM/IMAGE[@Index='1']/Property[@Name='Architecture']/text()", "9");
    assert_xpath(xml, "/WIM/IMAGE[@Index='1']/Property[@Name='Language']/text()", "en-US");
    assert_xpath(xml, "/WIM/IMAGE[@Index='1']/Property[@Name='OS version']/text()",
                 "10.0.22621.1");
    assert_xpath(xml, "/WIM/IMAGE[@Index='2']/@Name", "Windows 10 Pro");
    assert_xpath(xml, "/WIM/IMAGE[@Index='2']/Property[@Name='Architecture']/text()", "0");
    assert_xpath(xml, "/WIM/IMAGE[@Index='2']/Property[@Name='Language']/text()", "de-DE");
    assert_xpath(xml, "/WIM/IMAGE[@Index='3']/Property[@Name='Architecture']/text()", "12");
    assert_xpath(xml, "/WIM/IMAGE[@Index='3']/Property[@Name='Image description']/text()",
                 "Windows 11 Pro (ARM64)");
}

static void test_s5_add_os_image_package(void **state)
{
    (void)state;
    smsprov_site *site = open_site(SCRATCH "/s5.db");
    size_t before = 0;
    char *wim = fixture_slurp(SCRATCH "/sources/os/install.wim", &before);
    char *path = create_image(site, "Windows 11 S-5", SOURCE);
    cim_instance *pkg = get(site, path);
    assert_int_equal(num(pkg, "PackageType"), 257);
    assert_int_equal(num(pkg, "SourceVersion"), 1);
    assert_string_equal(str(pkg, "SourceSite"), "LAB");
    assert_string_equal(cim_instance_get(pkg, "SecuredScopeNames")->u.array.items[0].u.string,
                        "Default");
    assert_three_images(str(pkg, "ImageProperty"));
    assert_xpath(str(pkg, "ImageDiskLayout"), "count(/WIM/IMAGE/Partition)", "3");
    assert_int_equal(num(pkg, "PackageSize"), (before + 1023) / 1024);
    cim_instance_free(pkg);
    /* Lazy: a query leaves both out. */
    smsprov_instance_list list = {0};
    assert_int_equal(smsprov_query(site, NULL, "WQL", "SELECT * FROM SMS_ImagePackage", &list,
                                   NULL),
                     SMSPROV_OK);
    assert_int_equal(list.count, 1);
    assert_true(cim_instance_get(list.items[0], "ImageProperty")->is_null);
    assert_true(cim_instance_get(list.items[0], "ImageDiskLayout")->is_null);
    smsprov_instance_list_clear(&list);
    /* No OSD binaries go into an OS image: the WIM is untouched. */
    size_t after = 0;
    char *now = fixture_slurp(SCRATCH "/sources/os/install.wim", &after);
    assert_int_equal(before, after);
    assert_memory_equal(wim, now, before);
    free(now);
    free(wim);

    /* Install media: the folder's sources\install.wim. */
    char *media = create_image(site, "Server media", "\\\\lab\\sources\\media");
    pkg = get(site, media);
    assert_xpath(str(pkg, "ImageProperty"), "/WIM/IMAGE/@Name", "Windows Server 2022 Standard");
    cim_instance_free(pkg);
    free(media);
    free(path);
    smsprov_site_close(site);
}

static void test_s7_get_image_properties_on_the_class(void **state)
{
    (void)state;
    smsprov_site *site = open_site(SCRATCH "/s7.db");
    cim_instance *in = in_params(site, IMAGE, "GetImageProperties");
    cim_instance_set_string(in, "SourceImagePath", SOURCE, NULL);
    cim_instance *out = NULL;
    smsprov_error err = {0};
    assert_int_equal(invoke(site, IMAGE, "GetImageProperties", in, &out, &err), SMSPROV_OK);
    assert_int_equal(cim_instance_get(out, "ReturnValue")->u.sint, 0);
    assert_three_images(str(out, "ImageProperty"));
    cim_instance_free(out);
    smsprov_site_close(site);
}

/* ---- S-6 ----------------------------------------------------------------- */

static void test_s6_reload_then_put(void **state)
{
    (void)state;
    smsprov_site *site = open_site(SCRATCH "/s6a.db");
    char *path = create_image(site, "Windows 11 S-6a", SOURCE);
    cim_instance *got = get(site, path);
    /* The image is recaptured with one edition only. */
    osd_winpe_spec one = {.arch = OSD_ARCH_X64, .name = "Windows 11 Education"};
    smsprov_error err = {0};
    assert_int_equal(osd_synthetic_install_write(SCRATCH "/sources/os/install.wim", &one, 1, &err),
                     SMSPROV_OK);
    assert_int_equal(invoke(site, path, "ReloadImageProperties", NULL, NULL, &err), SMSPROV_OK);
    /* ... and the object got before the call is committed. */
    assert_int_equal(smsprov_put(site, NULL, got, SMSPROV_PUT_UPDATE_ONLY, NULL, NULL, &err),
                     SMSPROV_OK);
    cim_instance_free(got);
    cim_instance *pkg = get(site, path);
    assert_xpath(str(pkg, "ImageProperty"), "count(/WIM/IMAGE)", "1");
    assert_xpath(str(pkg, "ImageProperty"), "/WIM/IMAGE/@Name", "Windows 11 Education");
    assert_xpath(str(pkg, "ImageDiskLayout"), "count(/WIM/IMAGE)", "1");
    size_t bytes = 0;
    free(fixture_slurp(SCRATCH "/sources/os/install.wim", &bytes));
    assert_int_equal(num(pkg, "PackageSize"), (bytes + 1023) / 1024);
    cim_instance_free(pkg);
    assert_int_equal(osd_synthetic_install_default_write(SCRATCH "/sources/os/install.wim", &err),
                     SMSPROV_OK);
    free(path);
    smsprov_site_close(site);
}

static void test_s6_new_path_put_then_refresh(void **state)
{
    (void)state;
    smsprov_site *site = open_site(SCRATCH "/s6b.db");
    char *path = create_image(site, "Windows 11 S-6b", SOURCE);
    cim_instance *pkg = get(site, path);
    cim_instance_set_string(pkg, "PkgSourcePath", "\\\\lab\\sources\\media", NULL);
    smsprov_error err = {0};
    assert_int_equal(put(site, pkg, NULL, &err), SMSPROV_OK);
    pkg = get(site, path);
    assert_xpath(str(pkg, "ImageProperty"), "/WIM/IMAGE/@Name", "Windows Server 2022 Standard");
    assert_int_equal(num(pkg, "SourceVersion"), 1);
    const char *date = str(pkg, "SourceDate");
    char *before = strdup(date);
    cim_instance_free(pkg);
    assert_int_equal(invoke(site, path, "RefreshPkgSource", NULL, NULL, &err), SMSPROV_OK);
    pkg = get(site, path);
    assert_int_equal(num(pkg, "SourceVersion"), 2);
    assert_true(strcmp(str(pkg, "SourceDate"), before) > 0);
    assert_string_equal(str(pkg, "LastRefreshTime"), str(pkg, "SourceDate"));
    cim_instance_free(pkg);
    free(before);
    free(path);
    smsprov_site_close(site);
}

/* ---- S-10, S-14 ---------------------------------------------------------- */

static void test_s10_system_resource_list_and_dp_put(void **state)
{
    (void)state;
    smsprov_site *site = open_site(SCRATCH "/s10.db");
    char *path = create_image(site, "Windows 11 S-10", SOURCE);
    smsprov_instance_list rows = {0};
    smsprov_error err = {0};
    assert_int_equal(smsprov_query(site, NULL, "WQL",
                                   "SELECT * FROM SMS_SystemResourceList WHERE RoleName='SMS "
                                   "Distribution Point' AND SiteCode='LAB' AND ServerName='DP01'",
                                   &rows, &err),
                     SMSPROV_OK);
    assert_int_equal(rows.count, 1);
    assert_string_equal(str(rows.items[0], "NALPath"), DP01_NAL);
    assert_string_equal(str(rows.items[0], "ServerRemoteName"), "dp01.lab.example");
    assert_int_equal(count(site, "SELECT * FROM SMS_SystemResourceList WHERE RoleName='SMS "
                                 "Distribution Point'"),
                     2);
    assert_int_equal(count(site, "SELECT * FROM SMS_SystemResourceList WHERE RoleName='SMS Site "
                                 "Server' AND ServerName='SITE1'"),
                     1);
    /* Read-only: a client cannot add a system. */
    cim_instance *fake = cim_instance_clone(rows.items[0]);
    cim_instance_set_string(fake, "NALPath", "x", NULL);
    assert_int_equal(put(site, fake, NULL, &err), SMSPROV_E_ACCESS_DENIED);
    assert_non_null(strstr(err.description, "read-only"));
    smsprov_error_clear(&err);

    cim_instance *pkg = get(site, path);
    cim_instance *dp = spawn(site, DP);
    cim_instance_set_string(dp, "PackageID", str(pkg, "PackageID"), NULL);
    cim_instance_set_string(dp, "ServerNALPath", str(rows.items[0], "NALPath"), NULL);
    cim_instance_set_string(dp, "SiteCode", str(rows.items[0], "SiteCode"), NULL);
    char *dp_path = NULL;
    assert_int_equal(put(site, dp, &dp_path, &err), SMSPROV_OK);
    smsprov_instance_list_clear(&rows);
    cim_instance *row = get(site, dp_path);
    assert_int_equal(num(row, "ObjectTypeID"), 18);
    assert_int_equal(num(row, "PackageType"), 257);
    assert_int_equal(num(row, "Status"), 2);
    assert_string_equal(str(row, "SecureObjectID"), str(pkg, "PackageID"));
    assert_string_not_equal(str(row, "LastRefreshTime"), "19900101000000.000000+***");

    /* AddDistributionPoints makes the same row for DP02 as a put would. */
    cim_instance *in = in_params(site, IMAGE, "AddDistributionPoints");
    cim_value sites = cim_value_array(CIM_TYPE_STRING), nals = cim_value_array(CIM_TYPE_STRING);
    cim_value s = cim_value_string("LAB");
    cim_value n = cim_value_string("[\"Display=\\\\DP02\\\"]MSWNET:[\"SMS_SITE=LAB\"]\\\\DP02\\");
    cim_value_array_append_take(&sites, &s);
    cim_value_array_append_take(&nals, &n);
    cim_instance_set(in, "SiteCode", &sites, NULL);
    cim_instance_set(in, "NALPath", &nals, NULL);
    cim_value_clear(&sites);
    cim_value_clear(&nals);
    assert_int_equal(invoke(site, path, "AddDistributionPoints", in, NULL, &err), SMSPROV_OK);
    smsprov_instance_list dps_list = {0};
    assert_int_equal(smsprov_query(site, NULL, "WQL",
                                   "SELECT * FROM SMS_DistributionPoint ORDER BY ServerNALPath",
                                   &dps_list, &err),
                     SMSPROV_OK);
    assert_int_equal(dps_list.count, 2);
    static const char *const same[] = {"ObjectTypeID", "PackageType", "Status",
                                       "SecureObjectID", "SiteName", "SourceSite", "RefreshNow"};
    for (size_t i = 0; i < sizeof same / sizeof same[0]; i++) {
        cim_value *a = cim_instance_get_mut(dps_list.items[0], same[i]);
        cim_value *b = cim_instance_get_mut(dps_list.items[1], same[i]);
        if (!cim_value_equal(a, b))
            fail_msg("%s differs between a put row and an AddDistributionPoints row", same[i]);
    }
    smsprov_instance_list_clear(&dps_list);

    /* A NAL path of another site, or no package: refused, nothing added. */
    dp = spawn(site, DP);
    cim_instance_set_string(dp, "PackageID", str(pkg, "PackageID"), NULL);
    cim_instance_set_string(dp, "ServerNALPath", DP01_NAL, NULL);
    cim_instance_set_string(dp, "SiteCode", "ABC", NULL);
    assert_int_equal(put(site, dp, NULL, &err), SMSPROV_E_INVALID_PARAMETER);
    smsprov_error_clear(&err);
    dp = spawn(site, DP);
    cim_instance_set_string(dp, "PackageID", "LABFFFFF", NULL);
    cim_instance_set_string(dp, "ServerNALPath", DP01_NAL, NULL);
    cim_instance_set_string(dp, "SiteCode", "LAB", NULL);
    assert_int_equal(put(site, dp, NULL, &err), SMSPROV_E_INVALID_PARAMETER);
    assert_non_null(strstr(err.description, "LABFFFFF"));
    smsprov_error_clear(&err);
    assert_int_equal(count(site, "SELECT * FROM SMS_DistributionPoint"), 2);

    cim_instance_free(row);
    cim_instance_free(pkg);
    free(dp_path);
    free(path);
    smsprov_site_close(site);
}

static void test_s14_refresh_semantics(void **state)
{
    (void)state;
    smsprov_site *site = open_site(SCRATCH "/s14.db");
    char *path = create_image(site, "Windows 11 S-14", SOURCE);
    cim_instance *pkg = get(site, path);
    cim_instance *dp = spawn(site, DP);
    cim_instance_set_string(dp, "PackageID", str(pkg, "PackageID"), NULL);
    cim_instance_set_string(dp, "ServerNALPath", DP01_NAL, NULL);
    cim_instance_set_string(dp, "SiteCode", "LAB", NULL);
    char *dp_path = NULL;
    smsprov_error err = {0};
    assert_int_equal(put(site, dp, &dp_path, &err), SMSPROV_OK);
    cim_instance_free(pkg);

    /* RefreshPkgSourceFlag = TRUE + put: SourceVersion + 1, reads FALSE. */
    pkg = get(site, path);
    cim_instance_set_bool(pkg, "RefreshPkgSourceFlag", true, NULL);
    assert_int_equal(put(site, pkg, NULL, &err), SMSPROV_OK);
    pkg = get(site, path);
    assert_int_equal(num(pkg, "SourceVersion"), 2);
    assert_false(cim_instance_get(pkg, "RefreshPkgSourceFlag")->u.boolean);
    cim_instance_free(pkg);

    /* RefreshNow on one distribution point: its LastRefreshTime only. */
    cim_instance *row = get(site, dp_path);
    char *stamp = strdup(str(row, "LastRefreshTime"));
    cim_instance_set_bool(row, "RefreshNow", true, NULL);
    assert_int_equal(put(site, row, NULL, &err), SMSPROV_OK);
    row = get(site, dp_path);
    assert_false(cim_instance_get(row, "RefreshNow")->u.boolean);
    assert_true(strcmp(str(row, "LastRefreshTime"), stamp) > 0);
    assert_int_equal(num(row, "Status"), 1);
    cim_instance_free(row);
    free(stamp);
    pkg = get(site, path);
    assert_int_equal(num(pkg, "SourceVersion"), 2);
    cim_instance_free(pkg);
    free(dp_path);
    free(path);
    smsprov_site_close(site);
}

/* ---- NAL paths ----------------------------------------------------------- */

static cim_value strings(const char *a, const char *b)
{
    cim_value array = cim_value_array(CIM_TYPE_STRING);
    for (const char *s = a; s; s = s == a ? b : NULL) {
        cim_value item = cim_value_string(s);
        cim_value_array_append_take(&array, &item);
    }
    return array;
}

static void test_nal_paths_round_trip(void **state)
{
    (void)state;
    smsprov_site *site = open_site(SCRATCH "/nal.db");
    smsprov_error err = {0};
    /* Every NALPath the site lists unpacks and packs back to itself. */
    smsprov_instance_list rows = {0};
    assert_int_equal(smsprov_query(site, NULL, "WQL", "SELECT * FROM SMS_SystemResourceList",
                                   &rows, &err),
                     SMSPROV_OK);
    assert_int_equal(rows.count, 4);
    for (size_t i = 0; i < rows.count; i++) {
        cim_instance *in = in_params(site, "SMS_NAL_Methods", "UnPackNALPath");
        cim_instance_set_string(in, "NALPath", str(rows.items[i], "NALPath"), NULL);
        cim_instance *parts = NULL;
        assert_int_equal(invoke(site, "SMS_NAL_Methods", "UnPackNALPath", in, &parts, &err),
                         SMSPROV_OK);
        assert_string_equal(str(parts, "NALType"), "MSWNET");
        char *unc = NULL;
        assert_true(asprintf(&unc, "\\\\%s\\", str(rows.items[i], "ServerName")) > 0);
        assert_string_equal(str(parts, "NetworkOSPath"), unc);
        free(unc);
        in = in_params(site, "SMS_NAL_Methods", "PackNALPath");
        static const char *const copy[] = {"DisplayQualifiers", "NALType", "NetworkOSPath",
                                           "NetworkConnectionQualifiers"};
        for (size_t c = 0; c < 4; c++)
            assert_int_equal(cim_instance_set(in, copy[c], cim_instance_get(parts, copy[c]), NULL),
                             SMSPROV_OK);
        cim_instance_free(parts);
        cim_instance *packed = NULL;
        assert_int_equal(invoke(site, "SMS_NAL_Methods", "PackNALPath", in, &packed, &err),
                         SMSPROV_OK);
        assert_string_equal(str(packed, "NALPath"), str(rows.items[i], "NALPath"));
        cim_instance_free(packed);
    }
    smsprov_instance_list_clear(&rows);

    /* Two qualifiers each way, GENERIC. */
    cim_instance *in = in_params(site, "SMS_NAL_Methods", "PackNALPath");
    cim_value display = strings("Display=\\\\DP9\\", "Comment=lab");
    cim_value conn = strings("SMS_SITE=LAB", "Preferred");
    cim_instance_set(in, "DisplayQualifiers", &display, NULL);
    cim_instance_set(in, "NetworkConnectionQualifiers", &conn, NULL);
    cim_value_clear(&display);
    cim_value_clear(&conn);
    cim_instance_set_string(in, "NALType", "generic", NULL);
    cim_instance_set_string(in, "NetworkOSPath", "\\\\DP9\\", NULL);
    cim_instance *packed = NULL;
    assert_int_equal(invoke(site, "SMS_NAL_Methods", "PackNALPath", in, &packed, &err),
                     SMSPROV_OK);
    assert_string_equal(str(packed, "NALPath"), "[\"Display=\\\\DP9\\\",\"Comment=lab\"]GENERIC:"
                                                "[\"SMS_SITE=LAB\",\"Preferred\"]\\\\DP9\\");
    in = in_params(site, "SMS_NAL_Methods", "UnPackNALPath");
    cim_instance_set_string(in, "NALPath", str(packed, "NALPath"), NULL);
    cim_instance *parts = NULL;
    assert_int_equal(invoke(site, "SMS_NAL_Methods", "UnPackNALPath", in, &parts, &err),
                     SMSPROV_OK);
    const cim_value *q = cim_instance_get(parts, "NetworkConnectionQualifiers");
    assert_int_equal(q->u.array.count, 2);
    assert_string_equal(q->u.array.items[1].u.string, "Preferred");
    cim_instance_free(parts);
    cim_instance_free(packed);

    /* Bad input: a clear refusal naming the parameter. */
    in = in_params(site, "SMS_NAL_Methods", "UnPackNALPath");
    cim_instance_set_string(in, "NALPath", "[\"Display=\\\\DP1\\\"]FTP:\\\\DP1\\", NULL);
    assert_int_equal(invoke(site, "SMS_NAL_Methods", "UnPackNALPath", in, NULL, &err),
                     SMSPROV_E_INVALID_METHOD_PARAMETERS);
    assert_non_null(strstr(err.description, "GENERIC or MSWNET"));
    smsprov_error_clear(&err);
    in = in_params(site, "SMS_NAL_Methods", "PackNALPath");
    cim_value none = cim_value_array(CIM_TYPE_STRING);
    cim_instance_set(in, "DisplayQualifiers", &none, NULL);
    cim_instance_set(in, "NetworkConnectionQualifiers", &none, NULL);
    cim_value_clear(&none);
    cim_instance_set_string(in, "NALType", "MSWNET", NULL);
    cim_instance_set_string(in, "NetworkOSPath", "DP1", NULL);
    assert_int_equal(invoke(site, "SMS_NAL_Methods", "PackNALPath", in, NULL, &err),
                     SMSPROV_E_INVALID_METHOD_PARAMETERS);
    if (strcmp(err.parameter_info, "NetworkOSPath") != 0)
        fail_msg("%s: %s", err.parameter_info, err.description);
    smsprov_error_clear(&err);
    smsprov_site_close(site);
}

/* ---- RunOfflineServicingManager ----------------------------------------- */

static void test_offline_servicing_checks_and_says_why_not(void **state)
{
    (void)state;
    smsprov_site *site = open_site(SCRATCH "/offline.db");
    char *path = create_image(site, "Windows 11 offline", SOURCE);
    cim_instance *pkg = get(site, path);
    smsprov_error err = {0};
    cim_instance *in = in_params(site, IMAGE, "RunOfflineServicingManager");
    cim_instance_set_string(in, "SiteCode", "LAB", NULL);
    cim_instance_set_string(in, "ServerName", "site1.lab.example", NULL);
    cim_instance_set_string(in, "PackageID", str(pkg, "PackageID"), NULL);
    cim_instance_set_uint(in, "PackageType", 257, NULL);
    assert_int_equal(invoke(site, IMAGE, "RunOfflineServicingManager", in, NULL, &err),
                     SMSPROV_E_NOT_SUPPORTED);
    assert_non_null(strstr(err.description, "nothing was changed"));
    smsprov_error_clear(&err);
    in = in_params(site, IMAGE, "RunOfflineServicingManager");
    cim_instance_set_string(in, "SiteCode", "LAB", NULL);
    cim_instance_set_string(in, "ServerName", "OTHER", NULL);
    cim_instance_set_string(in, "PackageID", str(pkg, "PackageID"), NULL);
    cim_instance_set_uint(in, "PackageType", 257, NULL);
    assert_int_equal(invoke(site, IMAGE, "RunOfflineServicingManager", in, NULL, &err),
                     SMSPROV_E_INVALID_METHOD_PARAMETERS);
    assert_string_equal(err.parameter_info, "ServerName");
    smsprov_error_clear(&err);
    cim_instance *after = get(site, path);
    assert_string_equal(str(after, "SedoObjectVersion"), str(pkg, "SedoObjectVersion"));
    cim_instance_free(after);
    cim_instance_free(pkg);
    free(path);
    smsprov_site_close(site);
}

/* ---- bad sources --------------------------------------------------------- */

static void assert_create_refused(smsprov_site *site, const char *source, const char *says)
{
    size_t before = count(site, "SELECT * FROM SMS_ImagePackage");
    cim_instance *inst = spawn(site, IMAGE);
    cim_instance_set_string(inst, "Name", "bad", NULL);
    cim_instance_set_string(inst, "PkgSourcePath", source, NULL);
    smsprov_error err = {0};
    assert_int_equal(put(site, inst, NULL, &err), SMSPROV_E_INVALID_PARAMETER);
    assert_string_equal(err.parameter_info, "PkgSourcePath");
    if (!strstr(err.description, says))
        fail_msg("\"%s\" does not say \"%s\"", err.description, says);
    assert_null(strstr(err.description, SCRATCH)); /* no server folder shown */
    smsprov_error_clear(&err);
    assert_int_equal(count(site, "SELECT * FROM SMS_ImagePackage"), before);
}

static void test_bad_sources_create_nothing(void **state)
{
    (void)state;
    smsprov_site *site = open_site(SCRATCH "/bad.db");
    assert_create_refused(site, "\\\\lab\\sources\\os\\notes.wim", "notes.wim");
    assert_create_refused(site, "\\\\lab\\sources\\os\\damaged.wim", "(wimlib error");
    assert_create_refused(site, "\\\\elsewhere\\images\\install.wim", "outside every share");
    assert_create_refused(site, "\\\\lab\\sources\\os\\missing.wim", "missing.wim");
    assert_create_refused(site, "\\\\lab\\sources\\os", "is a directory");
    /* A package changes nothing when its new path is bad either. */
    char *path = create_image(site, "Windows 11 good", SOURCE);
    cim_instance *pkg = get(site, path);
    cim_instance_set_string(pkg, "PkgSourcePath", "\\\\lab\\sources\\os\\damaged.wim", NULL);
    smsprov_error err = {0};
    assert_int_equal(put(site, pkg, NULL, &err), SMSPROV_E_INVALID_PARAMETER);
    smsprov_error_clear(&err);
    pkg = get(site, path);
    assert_string_equal(str(pkg, "PkgSourcePath"), SOURCE);
    cim_instance_free(pkg);
    free(path);

    /* The WIM rots after the package was made: a refresh that names only
     * RefreshPkgSourceFlag verifies the stored path again and is refused. */
    size_t n = 0;
    char *wim = fixture_slurp(SCRATCH "/sources/os/install.wim", &n);
    fixture_write(SCRATCH "/sources/os/rots.wim", wim, n);
    path = create_image(site, "Windows 11 rots", "\\\\lab\\sources\\os\\rots.wim");
    char *damaged = fixture_slurp(SCRATCH "/sources/os/damaged.wim", &n);
    fixture_write(SCRATCH "/sources/os/rots.wim", damaged, n);
    free(damaged);
    free(wim);
    pkg = get(site, path);
    cim_instance *flag = spawn(site, IMAGE);
    cim_instance_set_string(flag, "PackageID", str(pkg, "PackageID"), NULL);
    cim_instance_set_bool(flag, "RefreshPkgSourceFlag", true, NULL);
    static const char *const only_flag[] = {"RefreshPkgSourceFlag", NULL};
    assert_int_equal(smsprov_put(site, NULL, flag, SMSPROV_PUT_UPDATE_ONLY, only_flag, NULL,
                                 &err),
                     SMSPROV_E_INVALID_PARAMETER);
    assert_non_null(strstr(err.description, "(wimlib error"));
    smsprov_error_clear(&err);
    cim_instance_free(flag);
    cim_instance *after = get(site, path);
    assert_int_equal(num(after, "SourceVersion"), num(pkg, "SourceVersion"));
    cim_instance_free(after);
    cim_instance_free(pkg);
    free(path);
    smsprov_site_close(site);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_s5_add_os_image_package),
        cmocka_unit_test(test_s7_get_image_properties_on_the_class),
        cmocka_unit_test(test_s6_reload_then_put),
        cmocka_unit_test(test_s6_new_path_put_then_refresh),
        cmocka_unit_test(test_s10_system_resource_list_and_dp_put),
        cmocka_unit_test(test_s14_refresh_semantics),
        cmocka_unit_test(test_nal_paths_round_trip),
        cmocka_unit_test(test_offline_servicing_checks_and_says_why_not),
        cmocka_unit_test(test_bad_sources_create_nothing),
    };
    return cmocka_run_group_tests(tests, build_inputs, remove_inputs);
}
