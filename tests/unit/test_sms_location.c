/* test_sms_location.c - a site named by a store location: "sqlite:<file>"
 * and a plain path open the same file, the site's folders go beside it, and
 * a configuration naming two stores or an unknown backend is refused. */
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

#include "sms/site.h"
#include "smsprov/provider.h"

static bool is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static char *scratch_db(const char *name)
{
    char *db = cim_xasprintf("%s/sms_location_%s_%d.db", SMSPROV_TEST_SCRATCH, name, (int)getpid());
    unlink(db);
    return db;
}

static smsprov_site *open_ok(const smsprov_site_config *config)
{
    smsprov_site *site = NULL;
    smsprov_error err = {0};
    smsprov_code rc = smsprov_site_open(config, &site, &err);
    if (rc != SMSPROV_OK)
        fail_msg("smsprov_site_open: %s", err.description);
    return site;
}

static void refused(const smsprov_site_config *config, const char *needle)
{
    smsprov_site *site = (smsprov_site *)1;
    smsprov_error err = {0};
    assert_int_equal(smsprov_site_open(config, &site, &err), SMSPROV_E_INVALID_PARAMETER);
    assert_null(site);
    assert_non_null(err.description);
    if (!strstr(err.description, needle))
        fail_msg("\"%s\" does not mention \"%s\"", err.description, needle);
    smsprov_error_clear(&err);
}

static void sqlite_location_opens_the_file_and_places_folders_beside_it(void **state)
{
    (void)state;
    char *db = scratch_db("scheme");
    char *location = cim_xasprintf("sqlite:%s", db);
    smsprov_site_config config = {.location = location, .mof_dir = SMSPROV_SOURCE_MOF_DIR};
    smsprov_site *site = open_ok(&config);
    struct stat st;
    assert_int_equal(stat(db, &st), 0);
    char *runners = cim_xasprintf("%s-runners", db);
    assert_true(is_dir(runners));
    char *content = cim_xasprintf("%s/content", SMSPROV_TEST_SCRATCH);
    assert_string_equal(site->content_root, content);
    assert_string_equal(site->location, location);
    smsprov_site_close(site);

    /* The older field, with the plain path, opens the same site; naming
     * the same store in both fields is allowed. */
    smsprov_site_config old = {.database_path = db, .mof_dir = SMSPROV_SOURCE_MOF_DIR};
    site = open_ok(&old);
    assert_string_equal(site->location, db);
    smsprov_site_close(site);
    smsprov_site_config both = {.location = location, .database_path = location,
                                .mof_dir = SMSPROV_SOURCE_MOF_DIR};
    smsprov_site_close(open_ok(&both));

    free(content);
    free(runners);
    free(location);
    free(db);
}

static void refusals(void **state)
{
    (void)state;
    char *db = scratch_db("refused");
    smsprov_site_config two = {.location = "sqlite:/tmp/one.db", .database_path = db,
                               .mof_dir = SMSPROV_SOURCE_MOF_DIR};
    refused(&two, "two stores");
    smsprov_site_config unknown = {.location = "nosuch:site", .mof_dir = SMSPROV_SOURCE_MOF_DIR};
    refused(&unknown, "'nosuch'");
    smsprov_site_config none = {.mof_dir = SMSPROV_SOURCE_MOF_DIR};
    refused(&none, "no database");
    refused(NULL, "no database");
    struct stat st;
    assert_int_not_equal(stat(db, &st), 0); /* nothing was created */
    free(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sqlite_location_opens_the_file_and_places_folders_beside_it),
        cmocka_unit_test(refusals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
