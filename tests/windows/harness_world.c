/* harness_world.c - the cmocka side of the harness: per-program and
 * per-test fixtures, and the checks every test makes on a sink. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "harness.h"

static harness_dll dll;
static char site_code[8] = "LAB";
static int tests_started;
/* Objects a failed test leaked are not blamed on the next one. */
static long live_before;

void harness_use_site_code(const char *code)
{
    snprintf(site_code, sizeof site_code, "%s", code);
}

const harness_dll *harness_loaded_dll(void)
{
    return &dll;
}

int harness_group_setup(void **state)
{
    (void)state;
    /* WMI runs instance and method providers in the MTA. */
    CoInitializeEx(NULL, COINIT_MULTITHREADED);
    harness_dll_load(&dll);
    return 0;
}

int harness_group_teardown(void **state)
{
    (void)state;
    harness_dll_unload(&dll);
    CoUninitialize();
    return 0;
}

harness_world *harness_world_of(void **state)
{
    return *state;
}

int harness_world_setup(void **state)
{
    harness_world *w = cim_xcalloc(1, sizeof *w);
    w->dll = dll;
    char tag[32];
    snprintf(tag, sizeof tag, "%s-%02d", site_code, ++tests_started);
    harness_site_create(&w->site, site_code, tag);
    harness_unexpected_reset();
    live_before = fake_object_live_count();
    LONG status = harness_provider_open(&w->provider, &w->dll, w->site.namespace_path);
    if (status != WBEM_S_INITIALIZED) {
        fprintf(stderr, "Initialize(%s) reported 0x%08lx instead of WBEM_S_INITIALIZED: %s\n",
                w->site.namespace_path, (unsigned long)status,
                w->provider.debug_output ? w->provider.debug_output : "(no reason given)");
        harness_provider_close(&w->provider);
        harness_site_destroy(&w->site);
        free(w);
        return -1;
    }
    w->svc = w->provider.services;
    w->ns = w->provider.ns;
    *state = w;
    return 0;
}

int harness_world_teardown(void **state)
{
    harness_world *w = *state;
    harness_provider_close(&w->provider);
    int failures = 0;
    if (harness_unexpected_count()) {
        char *names = harness_unexpected_names();
        fprintf(stderr, "The DLL made %ld call(s) outside the provider contract: %s\n",
                harness_unexpected_count(), names);
        free(names);
        failures++;
    }
    /* Checked while the schema still names the leaked objects' classes. */
    long leaked = fake_object_live_count() - live_before;
    if (leaked) {
        char *names = fake_object_live_names((size_t)(leaked > 0 ? leaked : 0));
        fprintf(stderr, "%ld IWbemClassObject(s) are still referenced after the provider and "
                        "every sink were released (newest first: %s).\n",
                leaked, names);
        free(names);
        failures++;
    }
    HRESULT unload = dll.can_unload_now();
    if (unload != S_OK) {
        fprintf(stderr, "DllCanUnloadNow answered 0x%08lx with no object left.\n",
                (unsigned long)unload);
        failures++;
    }
    harness_site_destroy(&w->site);
    free(w);
    *state = NULL;
    return failures ? -1 : 0;
}

/* ---- sink checks --------------------------------------------------------- */

char *harness_status_description(const fake_sink *s)
{
    if (!s->status_object)
        return cim_xstrdup("");
    char *d = harness_string(s->status_object, "Description");
    return d ? d : cim_xstrdup("");
}

static void assert_one_completion(const fake_sink *s)
{
    if (s->complete_calls != 1)
        fail_msg("Expected exactly one final SetStatus, got %ld.", (long)s->complete_calls);
    assert_int_equal(s->calls_after_complete, 0);
    assert_int_equal(s->bad_calls, 0);
}

void harness_assert_ok(const fake_sink *s)
{
    assert_one_completion(s);
    if (s->status != S_OK) {
        char *d = harness_status_description(s);
        fail_msg("The call failed with 0x%08lx: %s", (unsigned long)s->status, d);
    }
    assert_null(s->status_object);
}

void harness_assert_failed(const fake_sink *s, HRESULT hr, const char *operation,
                           const char *mention)
{
    assert_one_completion(s);
    char *d = harness_status_description(s);
    if (s->status != hr)
        fail_msg("Expected 0x%08lx, got 0x%08lx: %s", (unsigned long)hr,
                 (unsigned long)s->status, d);
    assert_int_equal(s->object_count, 0);
    assert_non_null(s->status_object);
    char *cls = harness_class_name(s->status_object);
    assert_string_equal(cls, "SMS_ExtendedStatus");
    free(cls);
    /* A sentence a person can act on: more than a code name. */
    if (strlen(d) < 20 || !strchr(d, ' '))
        fail_msg("The Description is not a sentence: \"%s\"", d);
    if (mention && !strstr(d, mention))
        fail_msg("The Description does not mention \"%s\": %s", mention, d);
    free(d);
    assert_hr_equal(harness_i4(s->status_object, "StatusCode"), hr);
    assert_false(harness_is_null(s->status_object, "ErrorCode"));
    char *provider = harness_string(s->status_object, "ProviderName");
    assert_non_null(provider);
    assert_true(provider[0] != '\0');
    free(provider);
    if (operation) {
        char *op = harness_string(s->status_object, "Operation");
        assert_non_null(op);
        assert_string_equal(op, operation);
        free(op);
    }
}

IWbemClassObject *harness_only_object(const fake_sink *s)
{
    if (s->object_count != 1)
        fail_msg("Expected one Indicated object, got %lu.", (unsigned long)s->object_count);
    return s->objects[0];
}
