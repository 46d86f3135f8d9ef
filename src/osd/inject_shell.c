/*
 * osd/inject_shell.c - how WinPE starts the task sequence (spec
 * wim-winpe.md §2.2):
 *   Windows\System32\winpeshl.ini   ConfigMgr's template from
 *       <ConfigMgr>\OSD\bin\<arch>\winpeshl.ini: [LaunchApps] runs
 *       %SYSTEMDRIVE%\sms\bin\<arch>\TsBootShell.exe instead of cmd;
 *   Windows\System32\TsBootShell.ini   [Shell] with OrgName,
 *       EnableDebugShell (the package's EnableLabShell: F8 opens a command
 *       prompt) and the TsmBootstrap command TsBootShell runs.
 */
#include <stdlib.h>

#include "osd/inject_internal.h"
#include "osd/inject_path.h"
#include "smsprov/cim.h"

#define WINPESHL_IN_IMAGE "Windows\\System32\\winpeshl.ini"
#define TSBOOTSHELL_IN_IMAGE "Windows\\System32\\TsBootShell.ini"

const char *osd_binary_folder(osd_arch arch)
{
    return osd_arch_configmgr_folder(arch == OSD_ARCH_ARM64 ? OSD_ARCH_X64 : arch);
}

static smsprov_code plan_winpeshl(const osd_inject_options *opt, osd_arch arch,
                                  osd_inject_plan *plan, osd_inject_failure *failure,
                                  smsprov_error *err)
{
    char *relative = cim_xasprintf("OSD\\bin\\%s\\winpeshl.ini", osd_arch_configmgr_folder(arch));
    char *local = NULL;
    bool folder_missing = false;
    smsprov_code rc = osd_path_resolve(opt->configmgr_root, relative, &local, &folder_missing, err);
    if (rc == SMSPROV_OK) {
        osd_plan_add_file(plan, local, WINPESHL_IN_IMAGE);
    } else {
        osd_inject_failure_set(failure,
                               folder_missing ? OSD_ERROR_PATH_NOT_FOUND : OSD_ERROR_FILE_NOT_FOUND,
                               local ? local : relative);
        if (rc == SMSPROV_E_NOT_FOUND)
            smsprov_error_set(err, SMSPROV_E_NOT_FOUND,
                              "The WinPE shell template %s of the ConfigMgr installation is "
                              "missing: %s does not exist. Restore it and run the injection "
                              "again.",
                              relative, local);
    }
    free(local);
    free(relative);
    return rc;
}

static smsprov_code plan_tsbootshell(const osd_inject_options *opt, osd_arch arch,
                                     osd_inject_plan *plan, smsprov_error *err)
{
    cim_buf text = {0};
    cim_buf_append(&text, "[Shell]\r\n");
    if (opt->org_name && *opt->org_name)
        cim_buf_printf(&text, "OrgName=%s\r\n", opt->org_name);
    cim_buf_printf(&text, "EnableDebugShell=%s\r\n", opt->enable_debug_shell ? "true" : "false");
    cim_buf_printf(&text,
                   "Run=X:\\sms\\bin\\%s\\TsmBootstrap.exe /env:WinPE /configpath:%%CONFIGPATH%%\r\n",
                   osd_binary_folder(arch));
    char *contents = cim_buf_take(&text);
    smsprov_code rc = osd_plan_add_text(plan, TSBOOTSHELL_IN_IMAGE, contents, err);
    free(contents);
    return rc;
}

smsprov_code osd_plan_shell_files(const osd_inject_options *opt, osd_arch arch,
                                  osd_inject_plan *plan, osd_inject_failure *failure,
                                  smsprov_error *err)
{
    smsprov_code rc = plan_winpeshl(opt, arch, plan, failure, err);
    if (rc == SMSPROV_OK) {
        rc = plan_tsbootshell(opt, arch, plan, err);
        if (rc != SMSPROV_OK)
            osd_inject_failure_set(failure, OSD_ERROR_WRITE_FAULT, TSBOOTSHELL_IN_IMAGE);
    }
    return rc;
}
