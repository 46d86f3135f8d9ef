/*
 * osd/synthetic_hives.c - SYSTEM and SOFTWARE with the values wimlib reads
 *, and the empty hives WinPE also has.
 */
#include "osd/synthetic_hives.h"

#include <stdio.h>
#include <stdlib.h>

#include "osd/fs.h"
#include "osd/hive.h"
#include "osd/regf.h"
#include "smsprov/cim.h"

#define CURRENT_VERSION_KEY "Microsoft\\Windows NT\\CurrentVersion"
#define CONTROL_KEY "ControlSet001\\Control"
/* The "Computer" device class; its 0000 instance names the HAL. */
#define HAL_CLASS_KEY CONTROL_KEY "\\Class\\{4D36E966-E325-11CE-BFC1-08002BE10318}"
#define WINPE_SCRATCH_MB 32

typedef smsprov_code (*hive_filler)(osd_hive *hive, const osd_winpe_facts *facts,
                                    smsprov_error *err);

/* One registry value: REG_SZ when text is set, REG_DWORD otherwise. */
typedef struct hive_value {
    const char *key;
    const char *name;
    const char *text;
    uint32_t dword;
} hive_value;

static smsprov_code set_values(osd_hive *hive, const hive_value *values, size_t count,
                               smsprov_error *err)
{
    for (size_t i = 0; i < count; i++) {
        const hive_value *v = &values[i];
        smsprov_code rc = v->text ? osd_hive_set_string(hive, v->key, v->name, v->text, err)
                                  : osd_hive_set_dword(hive, v->key, v->name, v->dword, err);
        if (rc != SMSPROV_OK)
            return rc;
    }
    return SMSPROV_OK;
}

static const char *hal_for(osd_arch arch)
{
    return arch == OSD_ARCH_X86 || arch == OSD_ARCH_X64 ? "acpiapic" : "acpi";
}

static smsprov_code fill_software(osd_hive *hive, const osd_winpe_facts *facts,
                                  smsprov_error *err)
{
    char build[16];
    snprintf(build, sizeof build, "%u", (unsigned)facts->build);
    const hive_value values[] = {
        {CURRENT_VERSION_KEY, "ProductName", "Windows PE", 0},
        {CURRENT_VERSION_KEY, "EditionID", "WindowsPE", 0},
        {CURRENT_VERSION_KEY, "InstallationType", "WindowsPE", 0},
        {CURRENT_VERSION_KEY, "CurrentMajorVersionNumber", NULL, facts->major},
        {CURRENT_VERSION_KEY, "CurrentMinorVersionNumber", NULL, facts->minor},
        {CURRENT_VERSION_KEY, "CurrentVersion", "6.3", 0},
        {CURRENT_VERSION_KEY, "CurrentBuild", build, 0},
        {CURRENT_VERSION_KEY, "CurrentBuildNumber", build, 0},
        {CURRENT_VERSION_KEY, "UBR", NULL, facts->spbuild},
        {CURRENT_VERSION_KEY, "SystemRoot", "X:\\windows", 0},
    };
    return set_values(hive, values, sizeof values / sizeof values[0], err);
}

static smsprov_code fill_system(osd_hive *hive, const osd_winpe_facts *facts,
                                smsprov_error *err)
{
    char lcid_hex[8];
    snprintf(lcid_hex, sizeof lcid_hex, "%04X", (unsigned)facts->lcid);
    char *ui_language_key = cim_xasprintf(CONTROL_KEY "\\MUI\\UILanguages\\%s",
                                          facts->language);
    const hive_value values[] = {
        {"Select", "Current", NULL, 1},
        {"Select", "Default", NULL, 1},
        {"Select", "Failed", NULL, 0},
        {"Select", "LastKnownGood", NULL, 1},
        {CONTROL_KEY "\\Windows", "CSDBuildNumber", NULL, facts->spbuild},
        {CONTROL_KEY "\\Windows", "CSDVersion", NULL, 0},
        {CONTROL_KEY "\\ProductOptions", "ProductType", "WinNT", 0},
        {ui_language_key, "LCID", NULL, facts->lcid},
        {CONTROL_KEY "\\Nls\\Language", "InstallLanguage", lcid_hex, 0},
        {CONTROL_KEY "\\Nls\\Language", "Default", lcid_hex, 0},
        {"ControlSet001\\Services\\FBWF", "WinPECacheThreshold", NULL, WINPE_SCRATCH_MB},
        {HAL_CLASS_KEY, "Class", "Computer", 0},
        {HAL_CLASS_KEY "\\0000", "MatchingDeviceId", hal_for(facts->arch), 0},
        {"Setup", "CmdLine", "winpeshl.exe", 0},
        {"Setup", "SystemSetupInProgress", NULL, 1},
    };
    smsprov_code rc = set_values(hive, values, sizeof values / sizeof values[0], err);
    free(ui_language_key);
    return rc;
}

static smsprov_code write_hive(const char *config_dir, const char *name, hive_filler fill,
                               const osd_winpe_facts *facts, smsprov_error *err)
{
    char *path = osd_path_join(config_dir, name);
    smsprov_code rc = osd_regf_write_empty(path, name, err);
    if (rc == SMSPROV_OK && fill) {
        osd_hive *hive;
        rc = osd_hive_open(path, &hive, err);
        if (rc == SMSPROV_OK) {
            rc = fill(hive, facts, err);
            if (rc == SMSPROV_OK)
                rc = osd_hive_commit(hive, err);
            osd_hive_close(hive);
        }
    }
    free(path);
    return rc;
}

smsprov_code osd_synthetic_hives_write(const char *config_dir, const osd_winpe_facts *facts,
                                       smsprov_error *err)
{
    static const struct {
        const char *name;
        hive_filler fill;
    } hives[] = {
        {"SYSTEM", fill_system}, {"SOFTWARE", fill_software}, {"DEFAULT", NULL},
        {"SAM", NULL},           {"SECURITY", NULL},          {"DRIVERS", NULL},
    };
    for (size_t i = 0; i < sizeof hives / sizeof hives[0]; i++) {
        smsprov_code rc = write_hive(config_dir, hives[i].name, hives[i].fill, facts, err);
        if (rc != SMSPROV_OK)
            return rc;
    }
    return SMSPROV_OK;
}
