/*
 * osd/synthetic_adk.c - a synthetic Windows ADK tree: the WinPE add-on
 * (winpe.wim, boot media files, optional component cabinets) and the
 * Deployment Tools that osdinjection.xml names.
 */
#include "osd/synthetic.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "osd/cab.h"
#include "osd/fs.h"
#include "osd/synthetic_files.h"
#include "smsprov/cim.h"

#define ADK_ROOT "Assessment and Deployment Kit"
#define WINPE_ROOT ADK_ROOT "/Windows Preinstallation Environment"
#define TOOLS_ROOT ADK_ROOT "/Deployment Tools"
#define OC_LANGUAGE "en-us"

/* WinPE optional components of a Windows 10/11 ADK (file names without
 * ".cab"); language resources come in WinPE_OCs\<lang>\<name>_<lang>.cab,
 * except for the fonts. */
static const char *const optional_components[] = {
    "WinPE-DismCmdlets",       "WinPE-Dot3Svc",           "WinPE-EnhancedStorage",
    "WinPE-FMAPI",             "WinPE-FontSupport-JA-JP", "WinPE-FontSupport-KO-KR",
    "WinPE-FontSupport-ZH-CN", "WinPE-FontSupport-ZH-HK", "WinPE-FontSupport-ZH-TW",
    "WinPE-HTA",               "WinPE-StorageWMI",        "WinPE-LegacySetup",
    "WinPE-MDAC",              "WinPE-NetFx",             "WinPE-PowerShell",
    "WinPE-PPPoE",             "WinPE-RNDIS",             "WinPE-Scripting",
    "WinPE-SecureStartup",     "WinPE-Setup",             "WinPE-Setup-Client",
    "WinPE-Setup-Server",      "WinPE-WDS-Tools",         "WinPE-WinReCfg",
    "WinPE-WMI",               "WinPE-SecureBootCmdlets", "WinPE-PlatformId",
};

/* Files under Windows Preinstallation Environment\<a>\. */
static const char *const winpe_media_files[] = {
    "Media/Boot/boot.sdi",
    "Media/Boot/bootfix.bin",
    "Media/Boot/BCD",
    "Media/EFI/Microsoft/Boot/BCD",
};

/* Files under Deployment Tools\<a>\; the DISM folder is copied whole into
 * Windows\Pkgmgr of a boot image. */
static const char *const deployment_tools_files[] = {
    "BCDBoot/bootsect.exe", "BCDBoot/bcdboot.exe",   "Oscdimg/etfsboot.com",
    "Oscdimg/efisys.bin",   "Oscdimg/oscdimg.exe",   "DISM/wimgapi.dll",
    "DISM/dism.exe",        "DISM/DismApi.dll",      "DISM/DismCore.dll",
    "DISM/DismCorePS.dll",  "DISM/DismHost.exe",     "DISM/DismProv.dll",
    "DISM/CbsProvider.dll", "DISM/FolderProvider.dll", "DISM/WimProvider.dll",
};

static const char *servicing_arch(osd_arch arch)
{
    return arch == OSD_ARCH_X64 ? "amd64" : osd_arch_name(arch);
}

/* A package manifest in the shape DISM reads from update.mum. */
static char *package_manifest(const char *component, osd_arch arch, const char *language)
{
    return cim_xasprintf(
        "<?xml version=\"1.0\" encoding=\"utf-8\" standalone=\"yes\"?>\r\n"
        "<assembly xmlns=\"urn:schemas-microsoft-com:asm.v3\" manifestVersion=\"1.0\" "
        "copyright=\"smsprov synthetic package\">\r\n"
        "  <assemblyIdentity name=\"%s-Package\" version=\"%s\" processorArchitecture=\"%s\" "
        "language=\"%s\" buildType=\"release\" publicKeyToken=\"31bf3856ad364e35\"/>\r\n"
        "  <package identifier=\"%s\" releaseType=\"Feature Pack\"/>\r\n"
        "</assembly>\r\n",
        component, OSD_WINPE_DEFAULT_VERSION, servicing_arch(arch), language ? language : "neutral",
        component);
}

/* <component>.cab (or <component>_<language>.cab) holding update.mum and
 * one fake binary. */
static smsprov_code write_component_cab(const char *path, const char *component, osd_arch arch,
                                        const char *language, smsprov_error *err)
{
    if (osd_fs_exists(path))
        return SMSPROV_OK;
    char *manifest = package_manifest(component, arch, language);
    char *binary_name = cim_xasprintf("%s.dll%s", component, language ? ".mui" : "");
    uint8_t binary[OSD_FAKE_PE_SIZE];
    osd_fake_pe_build(binary, osd_arch_pe_machine(arch), binary_name);
    const osd_cab_entry entries[] = {
        {"update.mum", manifest, strlen(manifest)},
        {binary_name, binary, sizeof binary},
    };
    smsprov_code rc = osd_cab_write(path, entries, 2, err);
    free(binary_name);
    free(manifest);
    return rc;
}

static bool has_language_cab(const char *component)
{
    return strncmp(component, "WinPE-FontSupport-", 18) != 0;
}

static smsprov_code write_optional_components(const char *arch_dir, osd_arch arch,
                                              smsprov_error *err)
{
    smsprov_code rc = SMSPROV_OK;
    size_t count = sizeof optional_components / sizeof *optional_components;
    for (size_t i = 0; rc == SMSPROV_OK && i < count; i++) {
        const char *component = optional_components[i];
        char *cab = cim_xasprintf("%s/WinPE_OCs/%s.cab", arch_dir, component);
        rc = write_component_cab(cab, component, arch, NULL, err);
        free(cab);
        if (rc == SMSPROV_OK && has_language_cab(component)) {
            cab = cim_xasprintf("%s/WinPE_OCs/" OC_LANGUAGE "/%s_" OC_LANGUAGE ".cab", arch_dir,
                                component);
            rc = write_component_cab(cab, component, arch, OC_LANGUAGE, err);
            free(cab);
        }
    }
    if (rc == SMSPROV_OK) {
        char *cab = cim_xasprintf("%s/WinPE_OCs/" OC_LANGUAGE "/lp.cab", arch_dir);
        rc = write_component_cab(cab, "Microsoft-Windows-WinPE-LanguagePack", arch, OC_LANGUAGE,
                                 err);
        free(cab);
    }
    return rc;
}

static smsprov_code write_files(const char *dir, const char *const *files, size_t count,
                                osd_arch arch, smsprov_error *err)
{
    smsprov_code rc = SMSPROV_OK;
    for (size_t i = 0; rc == SMSPROV_OK && i < count; i++) {
        char *path = osd_path_join(dir, files[i]);
        rc = osd_synthetic_put_file(path, arch, true, err);
        free(path);
    }
    return rc;
}

static smsprov_code write_winpe_image(const char *arch_dir, osd_arch arch, smsprov_error *err)
{
    char *lang_dir = osd_path_join(arch_dir, OC_LANGUAGE);
    char *wim = osd_path_join(lang_dir, "winpe.wim");
    smsprov_code rc = SMSPROV_OK;
    if (!osd_fs_exists(wim)) {
        rc = osd_fs_make_dirs(lang_dir, err);
        osd_winpe_spec spec = {.arch = arch};
        if (rc == SMSPROV_OK)
            rc = osd_synthetic_winpe_write(wim, &spec, err);
    }
    free(wim);
    free(lang_dir);
    return rc;
}

static smsprov_code write_winpe_addon(const char *dir, osd_arch arch, smsprov_error *err)
{
    char *arch_dir = cim_xasprintf("%s/" WINPE_ROOT "/%s", dir, osd_arch_adk_folder(arch));
    smsprov_code rc = write_winpe_image(arch_dir, arch, err);
    if (rc == SMSPROV_OK)
        rc = write_files(arch_dir, winpe_media_files,
                         sizeof winpe_media_files / sizeof *winpe_media_files, arch, err);
    if (rc == SMSPROV_OK)
        rc = write_optional_components(arch_dir, arch, err);
    free(arch_dir);
    return rc;
}

static smsprov_code write_deployment_tools(const char *dir, osd_arch arch, smsprov_error *err)
{
    char *arch_dir = cim_xasprintf("%s/" TOOLS_ROOT "/%s", dir, osd_arch_adk_folder(arch));
    smsprov_code rc = write_files(arch_dir, deployment_tools_files,
                                  sizeof deployment_tools_files / sizeof *deployment_tools_files,
                                  arch, err);
    free(arch_dir);
    return rc;
}

smsprov_code osd_synthetic_adk_write(const char *dir, unsigned arches, smsprov_error *err)
{
    if (!dir || !*dir)
        return smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER,
                                 "No directory was given for the ADK tree.");
    if (arches == 0 || (arches & ~OSD_ARCH_SET_ADK) != 0)
        return smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER,
                                 "The ADK architectures must be among x86, x64 and arm64; "
                                 "the Windows ADK has no ia64 WinPE.");
    /* x64 boot images also receive the x86 boot tools (sms\bin\i386). */
    unsigned tool_arches = arches;
    if (arches & OSD_ARCH_BIT(OSD_ARCH_X64))
        tool_arches |= OSD_ARCH_BIT(OSD_ARCH_X86);
    smsprov_code rc = SMSPROV_OK;
    for (int a = 0; rc == SMSPROV_OK && a < OSD_ARCH_COUNT; a++) {
        if (arches & OSD_ARCH_BIT(a))
            rc = write_winpe_addon(dir, (osd_arch)a, err);
        if (rc == SMSPROV_OK && (tool_arches & OSD_ARCH_BIT(a)))
            rc = write_deployment_tools(dir, (osd_arch)a, err);
    }
    return rc;
}
