/*
 * osd/synthetic_winpe.c - synthetic WinPE boot.wim files.
 *
 * The tree is the synthetic WinPE layout:
 * kernel32.dll carries the machine type and the SYSTEM and SOFTWARE hives
 * carry version, language and edition, so wimlib's capture derives the
 * WINDOWS element of the WIM XML exactly as it would for a real WinPE.
 */
#define _GNU_SOURCE /* sched_getaffinity */

#include "osd/synthetic.h"

#include <errno.h>
#include <inttypes.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "osd/fs.h"
#include "osd/locale.h"
#include "osd/synthetic_files.h"
#include "osd/synthetic_hives.h"
#include "osd/wim.h"
#include "smsprov/cim.h"

/* ADK winpe.wim images carry FLAGS 9; the Setup image of install media 2. */
#define WINPE_IMAGE_FLAGS "9"
#define SETUP_IMAGE_FLAGS "2"
/* Install images carry their edition in FLAGS; ours are all synthetic. */
#define INSTALL_IMAGE_FLAGS "Synthetic"
#define PAYLOAD_FILE_BYTES (8u << 20)
#define PAYLOAD_BLOCK 4096

/* The options resolved: defaults filled in, numbers parsed. */
typedef struct winpe_plan {
    osd_winpe_facts facts;
    char *name;
    char *description;
    char *setup_name;
    unsigned payload_mb;
    bool second_image;
} winpe_plan;

static void plan_clear(winpe_plan *plan)
{
    free(plan->name);
    free(plan->description);
    free(plan->setup_name);
}

/* Parses MAJOR.MINOR.BUILD.SPBUILD, each part a decimal up to 2^32-1. */
static bool parse_version(const char *text, osd_winpe_facts *facts)
{
    uint32_t *parts[] = {&facts->major, &facts->minor, &facts->build, &facts->spbuild};
    const char *p = text;
    for (int i = 0; i < 4; i++) {
        if (*p < '0' || *p > '9')
            return false;
        char *end;
        errno = 0;
        unsigned long long n = strtoull(p, &end, 10);
        if (errno != 0 || n > UINT32_MAX || end - p > 10)
            return false;
        *parts[i] = (uint32_t)n;
        p = end;
        if (i < 3 && *p++ != '.')
            return false;
    }
    return *p == '\0';
}

static smsprov_code make_plan(const osd_winpe_spec *spec, winpe_plan *plan, smsprov_error *err)
{
    memset(plan, 0, sizeof *plan);
    if ((unsigned)spec->arch >= OSD_ARCH_COUNT)
        return smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER,
                                 "The WinPE architecture %d is not one of x86, x64, arm64, ia64.",
                                 (int)spec->arch);
    const char *version = spec->version ? spec->version : OSD_WINPE_DEFAULT_VERSION;
    if (!parse_version(version, &plan->facts))
        return smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER,
                                 "The WinPE version \"%s\" is not valid; write it as "
                                 "MAJOR.MINOR.BUILD.SPBUILD, e.g. %s.",
                                 version, OSD_WINPE_DEFAULT_VERSION);
    const char *language = spec->language ? spec->language : OSD_WINPE_DEFAULT_LANGUAGE;
    if (!osd_language_tag_valid(language))
        return smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER,
                                 "The WinPE language \"%s\" is not a language tag such as en-US.",
                                 language);
    uint16_t lcid = spec->lcid ? spec->lcid : osd_language_lcid(language);
    if (lcid == 0)
        return smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER,
                                 "The LCID of the WinPE language %s is not known; give it "
                                 "explicitly (e.g. 0409 for en-US).",
                                 language);
    plan->facts.arch = spec->arch;
    plan->facts.language = language;
    plan->facts.lcid = lcid;
    const char *arch_name = osd_arch_name(spec->arch);
    plan->name = spec->name && *spec->name
                     ? cim_xstrdup(spec->name)
                     : cim_xasprintf("Microsoft Windows PE (%s)", arch_name);
    plan->description = cim_xstrdup(spec->description ? spec->description : plan->name);
    plan->setup_name = cim_xasprintf("Microsoft Windows Setup (%s)", arch_name);
    plan->payload_mb = spec->payload_mb;
    plan->second_image = spec->second_image;
    return SMSPROV_OK;
}

/* ---- the tree ---------------------------------------------------------- */

static const char *const tree_binaries[] = {
    "Windows/System32/kernel32.dll",   "Windows/System32/ntdll.dll",
    "Windows/System32/ntoskrnl.exe",   "Windows/System32/hal.dll",
    "Windows/System32/smss.exe",       "Windows/System32/csrss.exe",
    "Windows/System32/winlogon.exe",   "Windows/System32/winpeshl.exe",
    "Windows/System32/wpeinit.exe",    "Windows/System32/wpeutil.exe",
    "Windows/System32/cmd.exe",        "Windows/System32/winload.exe",
    "Windows/System32/winload.efi",    "Windows/System32/winpe.jpg",
    "Windows/System32/drivers/disk.sys", "Windows/System32/drivers/ntfs.sys",
    "Windows/Boot/PXE/bootmgr.exe",    "Windows/Boot/PXE/pxeboot.n12",
    "Windows/Boot/PXE/pxeboot.com",    "Windows/Boot/PXE/wdsnbp.com",
    "Windows/Boot/PXE/abortpxe.com",   "Windows/Boot/PXE/wdsmgfw.efi",
    "Windows/Boot/EFI/bootmgfw.efi",
};

static const char *const tree_empty_dirs[] = {
    "Windows/System32/DriverStore/FileRepository",
    "Windows/INF",
    "Windows/Fonts",
    "Windows/WinSxS/Manifests",
    "Windows/servicing/Packages",
    "Windows/Boot/Fonts",
    "Program Files",
    "ProgramData",
    "Users/Default",
    "Users/Public",
};

static smsprov_code put_tree_file(const char *root, const char *relative, osd_arch arch,
                                  smsprov_error *err)
{
    char *path = osd_path_join(root, relative);
    smsprov_code rc = osd_synthetic_put_file(path, arch, false, err);
    free(path);
    return rc;
}

static smsprov_code put_tree_text(const char *root, const char *relative, const char *text,
                                  smsprov_error *err)
{
    char *path = osd_path_join(root, relative);
    smsprov_code rc = osd_synthetic_put_text(path, text, false, err);
    free(path);
    return rc;
}

static uint64_t splitmix64(uint64_t *state)
{
    uint64_t z = (*state += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

/* Fills a block three quarters with pseudo-random bytes and one quarter
 * with repeated text, so LZX shrinks it somewhat, as it does real binaries. */
static void fill_payload_block(uint8_t *block, uint64_t *state)
{
    const size_t random_part = PAYLOAD_BLOCK / 4 * 3;
    for (size_t i = 0; i < random_part; i += 8) {
        uint64_t r = splitmix64(state);
        memcpy(block + i, &r, 8);
    }
    static const char filler[] = "smsprov synthetic payload ";
    for (size_t i = random_part; i < PAYLOAD_BLOCK; i++)
        block[i] = (uint8_t)filler[i % (sizeof filler - 1)];
}

static smsprov_code write_payload_file(const char *path, uint64_t seed, size_t bytes,
                                       smsprov_error *err)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return smsprov_error_set(err, SMSPROV_E_FAILED, "The payload file %s cannot be created: %s.",
                                 path, strerror(errno));
    uint8_t block[PAYLOAD_BLOCK];
    uint64_t state = seed;
    bool ok = true;
    for (size_t done = 0; ok && done < bytes; done += PAYLOAD_BLOCK) {
        fill_payload_block(block, &state);
        size_t n = bytes - done < PAYLOAD_BLOCK ? bytes - done : PAYLOAD_BLOCK;
        ok = fwrite(block, 1, n, f) == n;
    }
    if (fclose(f) != 0)
        ok = false;
    if (!ok)
        return smsprov_error_set(err, SMSPROV_E_FAILED, "The payload file %s cannot be written: %s.",
                                 path, strerror(errno));
    return SMSPROV_OK;
}

/* payload_mb MiB in 8 MiB files; the seed depends only on the file number,
 * so the same options always give the same bytes. */
static smsprov_code write_payload(const char *root, unsigned payload_mb, smsprov_error *err)
{
    char *dir = osd_path_join(root, "Windows/System32/SyntheticPayload");
    smsprov_code rc = osd_fs_make_dirs(dir, err);
    uint64_t remaining = (uint64_t)payload_mb << 20;
    for (unsigned n = 0; rc == SMSPROV_OK && remaining > 0; n++) {
        size_t bytes = remaining < PAYLOAD_FILE_BYTES ? (size_t)remaining : PAYLOAD_FILE_BYTES;
        char *path = cim_xasprintf("%s/payload%04u.dat", dir, n);
        rc = write_payload_file(path, UINT64_C(0x5EED0000) + n, bytes, err);
        free(path);
        remaining -= bytes;
    }
    free(dir);
    return rc;
}

static smsprov_code build_tree(const char *root, const winpe_plan *plan, smsprov_error *err)
{
    const osd_arch arch = plan->facts.arch;
    smsprov_code rc = SMSPROV_OK;
    for (size_t i = 0; rc == SMSPROV_OK && i < sizeof tree_binaries / sizeof *tree_binaries; i++)
        rc = put_tree_file(root, tree_binaries[i], arch, err);
    for (size_t i = 0; rc == SMSPROV_OK && i < sizeof tree_empty_dirs / sizeof *tree_empty_dirs;
         i++) {
        char *path = osd_path_join(root, tree_empty_dirs[i]);
        rc = osd_fs_make_dirs(path, err);
        free(path);
    }
    if (rc == SMSPROV_OK)
        rc = put_tree_text(root, "Windows/System32/startnet.cmd", "wpeinit\r\n", err);
    if (rc == SMSPROV_OK) {
        char *mui = cim_xasprintf("Windows/System32/%s/winpeshl.exe.mui", plan->facts.language);
        rc = put_tree_file(root, mui, arch, err);
        free(mui);
    }
    if (rc == SMSPROV_OK) {
        char *config = osd_path_join(root, "Windows/System32/config");
        rc = osd_synthetic_hives_write(config, &plan->facts, err);
        free(config);
    }
    if (rc == SMSPROV_OK && plan->payload_mb > 0)
        rc = write_payload(root, plan->payload_mb, err);
    return rc;
}

/* ---- capture ----------------------------------------------------------- */

/* Compressor threads: the CPUs this process may use, which wimlib's own
 * default (all online CPUs) ignores in containers. */
static unsigned compressor_threads(void)
{
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0)
        return (unsigned)CPU_COUNT(&set);
    return 1;
}

static smsprov_code add_image(WIMStruct *wim, const char *tree, const char *name,
                              const char *description, const char *flags, const char *out_path,
                              smsprov_error *err)
{
    int wrc = wimlib_add_image(wim, tree, name, NULL, 0);
    if (wrc != 0)
        return osd_wim_fail(err, SMSPROV_E_FAILED, wrc, "Capturing the WinPE tree for", out_path);
    struct wimlib_wim_info info;
    wimlib_get_wim_info(wim, &info);
    int index = (int)info.image_count;
    wrc = wimlib_set_image_descripton(wim, index, description);
    if (wrc == 0)
        wrc = wimlib_set_image_flags(wim, index, flags);
    if (wrc != 0)
        return osd_wim_fail(err, SMSPROV_E_FAILED, wrc, "Setting the image properties of",
                            out_path);
    return SMSPROV_OK;
}

/* Writes beside out_path, then renames: a failure leaves no half WIM. */
static smsprov_code write_wim(WIMStruct *wim, const char *out_path, smsprov_error *err)
{
    char *partial = cim_xasprintf("%s.partial", out_path);
    smsprov_code rc = SMSPROV_OK;
    int wrc = wimlib_write(wim, partial, WIMLIB_ALL_IMAGES, 0, compressor_threads());
    if (wrc != 0)
        rc = osd_wim_fail(err, SMSPROV_E_FAILED, wrc, "Writing", partial);
    else if (rename(partial, out_path) != 0)
        rc = smsprov_error_set(err, SMSPROV_E_FAILED, "The WIM file %s cannot be written: %s.",
                               out_path, strerror(errno));
    if (rc != SMSPROV_OK)
        unlink(partial);
    free(partial);
    return rc;
}

static smsprov_code capture(const char *tree, const winpe_plan *plan, const char *out_path,
                            smsprov_error *err)
{
    osd_wimlib_init();
    WIMStruct *wim;
    int wrc = wimlib_create_new_wim(WIMLIB_COMPRESSION_TYPE_LZX, &wim);
    if (wrc != 0)
        return osd_wim_fail(err, SMSPROV_E_FAILED, wrc, "Creating", out_path);
    smsprov_code rc = add_image(wim, tree, plan->name, plan->description, WINPE_IMAGE_FLAGS,
                                out_path, err);
    if (rc == SMSPROV_OK && plan->second_image) {
        /* Added after image 1 was scanned, so only the Setup image has it. */
        rc = put_tree_file(tree, "sources/setup.exe", plan->facts.arch, err);
        if (rc == SMSPROV_OK)
            rc = add_image(wim, tree, plan->setup_name, plan->setup_name, SETUP_IMAGE_FLAGS,
                           out_path, err);
    }
    if (rc == SMSPROV_OK) {
        /* Install media boot from their Setup image, the ADK from its only one. */
        struct wimlib_wim_info info = {.boot_index = plan->second_image ? 2 : 1};
        wrc = wimlib_set_wim_info(wim, &info, WIMLIB_CHANGE_BOOT_INDEX);
        if (wrc != 0)
            rc = osd_wim_fail(err, SMSPROV_E_FAILED, wrc, "Setting the boot index of", out_path);
    }
    if (rc == SMSPROV_OK)
        rc = write_wim(wim, out_path, err);
    wimlib_free(wim);
    return rc;
}

smsprov_code osd_synthetic_winpe_write(const char *out_path, const osd_winpe_spec *spec,
                                       smsprov_error *err)
{
    if (!out_path || !*out_path)
        return smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER,
                                 "No output path was given for the WinPE image.");
    winpe_plan plan;
    smsprov_code rc = make_plan(spec, &plan, err);
    if (rc != SMSPROV_OK) {
        plan_clear(&plan);
        return rc;
    }
    char *prefix = cim_xasprintf("%s.tree-", out_path);
    char *tree = NULL;
    rc = osd_fs_make_temp_dir(prefix, &tree, err);
    if (rc == SMSPROV_OK)
        rc = build_tree(tree, &plan, err);
    if (rc == SMSPROV_OK)
        rc = capture(tree, &plan, out_path, err);
    if (tree) {
        smsprov_error cleanup_err = {0};
        osd_fs_remove_tree(tree, &cleanup_err); /* the image is done either way */
        smsprov_error_clear(&cleanup_err);
    }
    free(tree);
    free(prefix);
    plan_clear(&plan);
    return rc;
}

/* ---- multi-image install.wim ------------------------------------------- */

/* Builds one image's tree (kept: wimlib reads the files when the WIM is
 * written) and adds it to wim. */
static smsprov_code add_install_image(WIMStruct *wim, const osd_winpe_spec *spec,
                                      const char *out_path, char **tree, smsprov_error *err)
{
    winpe_plan plan;
    smsprov_code rc = make_plan(spec, &plan, err);
    char *prefix = cim_xasprintf("%s.tree-", out_path);
    if (rc == SMSPROV_OK)
        rc = osd_fs_make_temp_dir(prefix, tree, err);
    if (rc == SMSPROV_OK)
        rc = build_tree(*tree, &plan, err);
    if (rc == SMSPROV_OK)
        rc = add_image(wim, *tree, plan.name, plan.description, INSTALL_IMAGE_FLAGS, out_path,
                       err);
    free(prefix);
    plan_clear(&plan);
    return rc;
}


smsprov_code osd_synthetic_install_write(const char *out_path, const osd_winpe_spec *images,
                                         size_t count, smsprov_error *err)
{
    if (!out_path || !*out_path || count == 0)
        return smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER,
                                 "An install.wim needs an output path and at least one image.");
    osd_wimlib_init();
    WIMStruct *wim;
    int wrc = wimlib_create_new_wim(WIMLIB_COMPRESSION_TYPE_LZX, &wim);
    if (wrc != 0)
        return osd_wim_fail(err, SMSPROV_E_FAILED, wrc, "Creating", out_path);
    char **trees = cim_xcalloc(count, sizeof *trees);
    smsprov_code rc = SMSPROV_OK;
    for (size_t i = 0; rc == SMSPROV_OK && i < count; i++)
        rc = add_install_image(wim, &images[i], out_path, &trees[i], err);
    if (rc == SMSPROV_OK)
        rc = write_wim(wim, out_path, err); /* install.wim has no boot index */
    wimlib_free(wim);
    for (size_t i = 0; i < count; i++) {
        if (!trees[i])
            continue;
        smsprov_error cleanup_err = {0};
        osd_fs_remove_tree(trees[i], &cleanup_err); /* the image is done either way */
        smsprov_error_clear(&cleanup_err);
        free(trees[i]);
    }
    free(trees);
    return rc;
}

/* Three editions that differ in every fact ImageProperty reports. */
static const osd_winpe_spec default_install_images[] = {
    {.arch = OSD_ARCH_X64, .version = "10.0.22621.1", .language = "en-US",
     .name = "Windows 11 Enterprise", .description = "Windows 11 Enterprise (x64)"},
    {.arch = OSD_ARCH_X86, .version = "10.0.19045.1", .language = "de-DE",
     .name = "Windows 10 Pro", .description = "Windows 10 Pro (x86)"},
    {.arch = OSD_ARCH_ARM64, .version = "10.0.22631.2", .language = "fr-FR",
     .name = "Windows 11 Pro", .description = "Windows 11 Pro (ARM64)"},
};

smsprov_code osd_synthetic_install_default_write(const char *out_path, smsprov_error *err)
{
    return osd_synthetic_install_write(out_path, default_install_images,
                                       sizeof default_install_images /
                                           sizeof default_install_images[0],
                                       err);
}
