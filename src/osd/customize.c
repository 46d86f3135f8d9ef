/*
 * osd/customize.c - the customisation hook of an injection: looks at the
 * source image where a step needs to (existing oem<N>.inf files, winpe.jpg)
 * and runs the steps in order: optional components, drivers, scratch
 * space, prestart command, background.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "osd/customize.h"
#include "osd/wim.h"
#include "platform/platform.h"
#include "smsprov/cim.h"

#define SYSTEM_HIVE "Windows\\System32\\config\\SYSTEM"
#define FBWF_KEY "ControlSet001\\Services\\FBWF"

/* What the steps need to know about the source image. */
typedef struct image_probe {
    unsigned first_oem; /* first free oem<N>.inf number */
    bool has_jpg;       /* Windows\System32\winpe.jpg exists */
} image_probe;

static int note_oem(const osd_wim_dentry *entry, void *data)
{
    image_probe *probe = data;
    const char *name = entry->filename;
    if (!name || strncasecmp(name, "oem", 3) != 0)
        return 0;
    char *end = NULL;
    unsigned long n = strtoul(name + 3, &end, 10);
    if (end != name + 3 && cim_strcasecmp(end, ".inf") == 0 && n < 100000 &&
        n + 1 > probe->first_oem)
        probe->first_oem = (unsigned)n + 1;
    return 0;
}

static int note_exists(const osd_wim_dentry *entry, void *data)
{
    (void)entry;
    *(bool *)data = true;
    return 0;
}

static smsprov_code probe_image(const osd_customization *c, image_probe *probe,
                                osd_inject_failure *failure, smsprov_error *err)
{
    memset(probe, 0, sizeof *probe);
    WIMStruct *wim = NULL;
    smsprov_code rc = osd_wim_open(c->source_wim, &wim, err);
    if (rc != SMSPROV_OK) {
        osd_inject_failure_set(failure, OSD_ERROR_FILE_NOT_FOUND, c->source_wim);
        return rc;
    }
    int image = (int)c->image_index;
    /* A missing folder or file simply leaves the defaults. */
    osd_wimlib_iterate_tree(wim, image, "/Windows/INF", WIMLIB_ITERATE_DIR_TREE_FLAG_CHILDREN,
                            note_oem, probe);
    osd_wimlib_iterate_tree(wim, image, "/Windows/System32/winpe.jpg", 0, note_exists,
                            &probe->has_jpg);
    osd_wimlib_free(wim);
    return SMSPROV_OK;
}

static void plan_scratch_space(const osd_customization *c, osd_inject_plan *plan)
{
    if (c->scratch_space_mb)
        osd_plan_set_dword(plan, SYSTEM_HIVE, FBWF_KEY, "WinPECacheThreshold",
                           c->scratch_space_mb);
}

static smsprov_code customize(void *data, const osd_image_info *image, osd_inject_plan *plan,
                              osd_inject_failure *failure, smsprov_error *err)
{
    const osd_customization *c = data;
    osd_arch arch = OSD_ARCH_X64;
    osd_arch_parse(image->architecture, &arch); /* osd_inject checked it */
    image_probe probe = {0};
    smsprov_code rc = SMSPROV_OK;
    if (c->driver_count > 0 || c->background)
        rc = probe_image(c, &probe, failure, err);
    if (rc == SMSPROV_OK && c->add_components)
        rc = osd_customize_components(c, image, arch, plan, failure, err);
    if (rc == SMSPROV_OK)
        rc = osd_customize_drivers(c, arch, probe.first_oem, plan, failure, err);
    if (rc == SMSPROV_OK) {
        plan_scratch_space(c, plan);
        rc = osd_customize_prestart(c, plan, failure, err);
    }
    if (rc == SMSPROV_OK)
        rc = osd_customize_background(c, probe.has_jpg, plan, failure, err);
    return rc;
}

uint32_t osd_count_files(const char *dir)
{
    uint32_t n = 0;
    char **names;
    if (platform_list_dir(dir, &names) != 0)
        return 0;
    for (size_t i = 0; names[i]; i++) {
        char *path = cim_xasprintf("%s/%s", dir, names[i]);
        platform_file_info st;
        if (platform_file_kind_nofollow(path, &st) == 0)
            n += st.is_dir ? osd_count_files(path) : 1;
        free(path);
    }
    platform_list_free(names);
    return n;
}

void osd_customize_attach(osd_inject_options *opt, osd_customization *c)
{
    c->source_wim = opt->source_wim;
    c->image_index = opt->image_index;
    c->adk_root = opt->adk_root;
    opt->customize = customize;
    opt->customize_data = c;
}
