/* bench_wmi_refresh.c - RefreshPkgSource through smsprov.dll, timed inside
 * the host process (a Windows program run under Wine, playing WMI's part
 * with the tests/windows harness), the DLL beside the test-only
 * libwim-15.dll bridge.
 *
 * Usage (Wine, with the harness's variables SMSPROV_WMI_DLL,
 * SMSPROV_SOURCE_MOF_DIR, SMSPROV_WINDOWS_SCRATCH set):
 *   bench_wmi_refresh INPUTS RUNS
 * INPUTS holds adk/, configmgr/ and sources/boot.wim (bench_wmi_refresh.sh
 * makes them with mkwinpe).  Prints the first import and each refresh in
 * seconds, as "import S" and "refresh S" lines.  Never run by ctest. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static double seconds(void)
{
    LARGE_INTEGER now, freq;
    QueryPerformanceCounter(&now);
    QueryPerformanceFrequency(&freq);
    return (double)now.QuadPart / (double)freq.QuadPart;
}

static void set_text(const harness_site *site, const wchar_t *name, const char *value)
{
    wchar_t *w = harness_wide(value);
    harness_site_set_value(site, name, w);
    free(w);
}

static void set_share(const harness_site *site, const char *entry)
{
    wchar_t *w = harness_wide(entry);
    size_t len = wcslen(w);
    wchar_t *multi = calloc(len + 2, sizeof *multi);
    memcpy(multi, w, len * sizeof *w);
    wchar_t key[256];
    swprintf(key, 256, L"SOFTWARE\\smsprov\\Sites\\%hs", site->site_code);
    RegSetKeyValueW(HKEY_LOCAL_MACHINE, key, L"Shares", REG_MULTI_SZ, multi,
                    (DWORD)((len + 2) * sizeof *multi));
    free(multi);
    free(w);
}

/* Runs the call and fails the benchmark unless it succeeded. */
static void check(fake_sink *s, const char *what)
{
    if (s->complete_calls != 1 || s->status != S_OK) {
        char *d = harness_status_description(s);
        fprintf(stderr, "bench_wmi_refresh: %s failed (0x%08lx): %s\n", what,
                (unsigned long)s->status, d);
        exit(1);
    }
    fake_sink_release(s);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: bench_wmi_refresh INPUTS RUNS\n");
        return 2;
    }
    char *inputs = harness_windows_path(argv[1]);
    int runs = atoi(argv[2]);
    CoInitializeEx(NULL, COINIT_MULTITHREADED);
    harness_dll dll;
    harness_dll_load(&dll);
    harness_site site;
    harness_site_create(&site, "BEN", "bench");
    char *adk = cim_xasprintf("%s\\adk", inputs), *cm = cim_xasprintf("%s\\configmgr", inputs);
    set_text(&site, L"AdkRoot", adk);
    set_text(&site, L"ConfigMgrRoot", cm);
    char *share = cim_xasprintf("\\\\bench\\sources=%s\\sources", inputs);
    set_share(&site, share);
    harness_provider p;
    if (harness_provider_open(&p, &dll, site.namespace_path) != WBEM_S_INITIALIZED) {
        fprintf(stderr, "bench_wmi_refresh: Initialize failed: %s\n",
                p.debug_output ? p.debug_output : "(no reason)");
        return 1;
    }

    IWbemClassObject *pkg = harness_spawn(p.ns, "SMS_BootImagePackage");
    harness_put_string(pkg, "Name", "bench");
    harness_put_string(pkg, "ImagePath", "\\\\bench\\sources\\boot.wim");
    harness_put_i4(pkg, "ImageIndex", 1);
    harness_put_string(pkg, "ContextID", "first");
    double t0 = seconds();
    check(harness_put(p.services, pkg, WBEM_FLAG_CREATE_ONLY, NULL), "the first import");
    printf("import %.3f\n", seconds() - t0);
    fflush(stdout);
    IWbemClassObject_Release(pkg);

    for (int i = 1; i <= runs; i++) {
        IWbemClassObject *in =
            harness_spawn_in_params(p.ns, "SMS_BootImagePackage", "RefreshPkgSource");
        char context[32];
        snprintf(context, sizeof context, "bench-%d", i);
        harness_put_string(in, "ContextID", context);
        t0 = seconds();
        check(harness_exec(p.services, "SMS_BootImagePackage.PackageID=\"BEN00001\"",
                           "RefreshPkgSource", 0, in, NULL),
              "RefreshPkgSource");
        printf("refresh %.3f\n", seconds() - t0);
        fflush(stdout);
        IWbemClassObject_Release(in);
    }
    harness_provider_close(&p);
    harness_site_destroy(&site);
    harness_dll_unload(&dll);
    CoUninitialize();
    free(share);
    free(adk);
    free(cm);
    free(inputs);
    return 0;
}
