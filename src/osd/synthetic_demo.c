/*
 * osd/synthetic_demo.c - every synthetic input the demo site needs.
 */
#include "osd/synthetic.h"

#include <stdlib.h>

#include "osd/fs.h"
#include "smsprov/cim.h"

static smsprov_code write_sample_image(const char *images_dir, osd_arch arch,
                                       smsprov_error *err)
{
    char *path = cim_xasprintf("%s/boot_%s.wim", images_dir, osd_arch_name(arch));
    smsprov_code rc = SMSPROV_OK;
    if (!osd_fs_exists(path)) {
        osd_winpe_spec spec = {.arch = arch};
        rc = osd_synthetic_winpe_write(path, &spec, err);
    }
    free(path);
    return rc;
}

static smsprov_code write_install_image(const char *images_dir, smsprov_error *err)
{
    char *path = cim_xasprintf("%s/install.wim", images_dir);
    smsprov_code rc = SMSPROV_OK;
    if (!osd_fs_exists(path))
        rc = osd_synthetic_install_default_write(path, err);
    free(path);
    return rc;
}

smsprov_code osd_synthetic_demo_write(const char *dir, smsprov_error *err)
{
    if (!dir || !*dir)
        return smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER,
                                 "No directory was given for the demo inputs.");
    char *adk = osd_path_join(dir, "adk");
    char *configmgr = osd_path_join(dir, "configmgr");
    char *images = osd_path_join(dir, "images");
    smsprov_code rc = osd_synthetic_adk_write(adk, OSD_ARCH_SET_ADK, err);
    if (rc == SMSPROV_OK)
        rc = osd_synthetic_configmgr_write(configmgr, OSD_ARCH_SET_ADK, err);
    if (rc == SMSPROV_OK)
        rc = osd_fs_make_dirs(images, err);
    if (rc == SMSPROV_OK)
        rc = write_sample_image(images, OSD_ARCH_X86, err);
    if (rc == SMSPROV_OK)
        rc = write_sample_image(images, OSD_ARCH_X64, err);
    if (rc == SMSPROV_OK)
        rc = write_install_image(images, err);
    free(adk);
    free(configmgr);
    free(images);
    return rc;
}
