/* fuzz_osd_injection.c - libFuzzer target for osdinjection.xml, the list
 * of ADK and ConfigMgr files that go into a boot image.
 *
 * Every input is read from memory as the injection list of a synthetic
 * ConfigMgr installation and Windows ADK (written once under /dev/shm) and
 * planned for x64, x86 and arm64 images with two languages, as an
 * injection does before it touches the image.  Every refusal must carry a
 * sentence and a Win32 error code. */
#define _XOPEN_SOURCE 700 /* nftw */
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "osd/inject_internal.h"
#include "osd/synthetic.h"

static char root[256], adk[300], configmgr[300], staging[300];

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static void remove_tree(void)
{
    nftw(root, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    snprintf(root, sizeof root, "/dev/shm/fuzz_osd_injection_%ld", (long)getpid());
    snprintf(adk, sizeof adk, "%s/adk", root);
    snprintf(configmgr, sizeof configmgr, "%s/configmgr", root);
    snprintf(staging, sizeof staging, "%s/staging", root);
    mkdir(root, 0700);
    mkdir(staging, 0700);
    atexit(remove_tree);
    smsprov_error err = {0};
    if (osd_synthetic_adk_write(adk, OSD_ARCH_SET_ADK, &err) != SMSPROV_OK ||
        osd_synthetic_configmgr_write(configmgr, OSD_ARCH_SET_ADK, &err) != SMSPROV_OK) {
        fprintf(stderr, "fuzz_osd_injection: %s\n", err.description);
        abort();
    }
    return 0;
}

static void plan_for(const char *xml, size_t size, osd_arch arch)
{
    char *languages[] = {"en-US", "de-DE"};
    osd_image_info image = {.index = 1, .languages = languages, .language_count = 2};
    osd_inject_options opt = {.adk_root = adk, .configmgr_root = configmgr};
    osd_inject_plan plan;
    osd_plan_init(&plan, staging);
    osd_inject_failure failure = {0};
    smsprov_error err = {0};
    if (osd_plan_osd_binaries_xml(&opt, xml, size, "osdinjection.xml", &image, arch, &plan,
                                  &failure, &err) != SMSPROV_OK &&
        (!err.description || !failure.error_code)) {
        fprintf(stderr, "fuzz_osd_injection: a refusal without a sentence or code\n");
        abort();
    }
    osd_inject_failure_clear(&failure);
    smsprov_error_clear(&err);
    osd_plan_clear(&plan);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    plan_for((const char *)data, size, OSD_ARCH_X64);
    plan_for((const char *)data, size, OSD_ARCH_X86);
    plan_for((const char *)data, size, OSD_ARCH_ARM64);
    return 0;
}
