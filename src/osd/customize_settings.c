/*
 * osd/customize_settings.c - the prestart command and the background, where
 * ConfigMgr puts them:
 *
 *   \TSConfig.ini          [CustomHook]
 *                          CommandLine=<PreExecCommandLine>
 *                          Source=SMS10000        (when it has files)
 *   \sms\PKG\SMS10000\     the files of PreExecSourceDirectory; the command
 *                          runs from there
 *   Windows\System32\winpe.bmp, and winpe.jpg when the image has one:
 *                          the BackgroundBitmapPath file
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "osd/confine.h"
#include "osd/customize.h"
#include "platform/platform.h"
#include "smsprov/cim.h"

#define TSCONFIG_IN_IMAGE "TSConfig.ini"
#define PRESTART_FOLDER "sms\\PKG\\" OSD_PRESTART_PACKAGE

static bool has_line_break(const char *s)
{
    return strpbrk(s, "\r\n") != NULL;
}

smsprov_code osd_customize_prestart(const osd_customization *c, osd_inject_plan *plan,
                                    osd_inject_failure *failure, smsprov_error *err)
{
    if (!c->prestart_command || !*c->prestart_command)
        return SMSPROV_OK;
    if (has_line_break(c->prestart_command)) {
        osd_inject_failure_set(failure, OSD_ERROR_INVALID_PARAMETER, "PreExecCommandLine");
        return smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER,
                                 "The prestart command line holds a line break; TSConfig.ini "
                                 "takes it on one line.");
    }
    const char *folder = c->prestart_folder;
    if (folder) {
        const char *shown = c->prestart_shown ? c->prestart_shown : folder;
        platform_file_info st;
        if (platform_file_kind(folder, &st) != 0 || !st.is_dir) {
            osd_inject_failure_set(failure, OSD_ERROR_PATH_NOT_FOUND, shown);
            return smsprov_error_set(err, SMSPROV_E_NOT_FOUND,
                                     "The prestart command's folder %s does not exist or is not "
                                     "a folder; fix PreExecSourceDirectory.",
                                     shown);
        }
        /* Its files as content, never links (osd/confine.h). */
        smsprov_code rc = osd_confine_add_folder(plan, c->prestart_root, folder, PRESTART_FOLDER,
                                                 shown, failure, err);
        if (rc != SMSPROV_OK)
            return rc;
    }
    char *ini = cim_xasprintf("[CustomHook]\r\nCommandLine=%s\r\n%s", c->prestart_command,
                              folder ? "Source=" OSD_PRESTART_PACKAGE "\r\n" : "");
    smsprov_code rc = osd_plan_add_text(plan, TSCONFIG_IN_IMAGE, ini, err);
    free(ini);
    if (rc != SMSPROV_OK)
        osd_inject_failure_set(failure, OSD_ERROR_WRITE_FAULT, TSCONFIG_IN_IMAGE);
    return rc;
}

/* WinPE shows BMP and JPEG backgrounds; anything else is refused rather
 * than leaving a black screen. */
static bool is_picture(const char *path)
{
    unsigned char magic[3] = {0};
    FILE *f = platform_fopen(path, "rb");
    size_t n = f ? fread(magic, 1, sizeof magic, f) : 0;
    if (f)
        fclose(f);
    return (n >= 2 && magic[0] == 'B' && magic[1] == 'M') ||
           (n >= 3 && magic[0] == 0xFF && magic[1] == 0xD8 && magic[2] == 0xFF);
}

smsprov_code osd_customize_background(const osd_customization *c, bool has_jpg,
                                      osd_inject_plan *plan, osd_inject_failure *failure,
                                      smsprov_error *err)
{
    if (!c->background)
        return SMSPROV_OK;
    const char *shown = c->background_shown ? c->background_shown : c->background;
    platform_file_info st;
    if (platform_file_kind(c->background, &st) != 0 || !st.is_regular) {
        osd_inject_failure_set(failure, OSD_ERROR_FILE_NOT_FOUND, shown);
        return smsprov_error_set(err, SMSPROV_E_NOT_FOUND,
                                 "The background picture %s does not exist; fix "
                                 "BackgroundBitmapPath.",
                                 shown);
    }
    /* The picture's bytes, read from inside its share (osd/confine.h). */
    char *real = NULL;
    smsprov_code rc = osd_confine_file(c->background_root, c->background, shown, &real, failure,
                                       err);
    if (rc != SMSPROV_OK)
        return rc;
    if (!is_picture(real)) {
        free(real);
        osd_inject_failure_set(failure, OSD_ERROR_INVALID_DATA, shown);
        return smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER,
                                 "The background picture %s is neither a BMP nor a JPEG file; "
                                 "WinPE cannot show it.",
                                 shown);
    }
    osd_plan_add_file(plan, real, "Windows\\System32\\winpe.bmp");
    if (has_jpg)
        osd_plan_add_file(plan, real, "Windows\\System32\\winpe.jpg");
    free(real);
    return SMSPROV_OK;
}
