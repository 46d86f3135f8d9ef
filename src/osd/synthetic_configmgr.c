/*
 * osd/synthetic_configmgr.c - a synthetic ConfigMgr install tree: the OSD
 * binaries ConfigMgr injects into boot images, their language resources,
 * the winpeshl.ini template and osdinjection.xml.
 */
#include "osd/synthetic.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlwriter.h>

#include "osd/fs.h"
#include "osd/synthetic_files.h"
#include "smsprov/cim.h"

/* Boot images of these arches are made on an x64 site server, whose
 * bin\x64 holds osdinjection.xml. */
#define INJECTION_XML "bin/x64/osdinjection.xml"

/* The OSD binaries of bin\<arch> (osdinjection.xml, ConfigMgr 2403). */
static const char *const osd_binaries[] = {
    "ccmcore.dll",          "CcmUtilLib.dll",          "OsdApplyOs.exe",
    "OsdCaptureCd.exe",     "OsdCaptureSystemImage.exe", "OsdCore.dll",
    "OsdDiskPart.exe",      "OSDDownloadContent.exe",  "OSDDriverClient.exe",
    "OsdGina.dll",          "OsdNetSettings.exe",      "OSDOfflineBitlocker.exe",
    "OSDPrestartCheck.exe", "OSDRunPowerShellScript.exe", "OSDSetDynamicVariables.exe",
    "OsdSetupWindows.exe",  "OsdSetupHook.exe",        "OsdWinSettings.exe",
    "OsdSmpClient.exe",     "OsdMigrateUserState.exe", "smsboot.exe",
    "SmsCore.dll",          "smsnetuse.exe",           "smsswd.exe",
    "SmsTftp.exe",          "CMTrace.exe",             "TsBootShell.exe",
    "TsCore.dll",           "CommonUtils.dll",         "TsEnv.exe",
    "TsManager.exe",        "McsClient.exe",           "TSD.exe",
    "TsmBootstrap.exe",     "TsMessaging.dll",         "TsProgressUI.exe",
    "TsPxe.dll",            "tsresnlc.dll",            "smswdstc.dll",
    "CcmGenCert.dll",       "msvcp140.dll",            "msvcp140_1.dll",
    "msvcp140_2.dll",       "vcruntime140.dll",
};
/* Only the 64-bit folder has these. */
static const char *const osd_binaries_x64_only[] = {"BCD-EFI-64", "vcruntime140_1.dll"};

/* TsRes.dll comes per language from bin\<arch>\<LCID8>\. */
#define LOCALIZED_BINARY "TsRes.dll"
static const char *const locale_folders[] = {"00000409", "00000407", "0000040C", "00000411"};

/* ---- what a boot image of one architecture receives --------------------- */

typedef struct injection_file {
    const char *list;  /* "WPE", "WDT" or "SCCM": the root Source is relative to */
    const char *name;  /* file name, or "*" for the whole folder */
    char *source;      /* Windows path relative to that root */
    char *destination; /* Windows path relative to the image root */
    bool locale_needed;
} injection_file;

typedef struct injection_list {
    injection_file *files;
    size_t count;
} injection_list;

static void add_file(injection_list *list, const char *kind, const char *name,
                     const char *source, const char *destination, bool locale_needed)
{
    list->files = cim_xrealloc(list->files, (list->count + 1) * sizeof *list->files);
    list->files[list->count++] = (injection_file){kind, name, cim_xstrdup(source),
                                                  cim_xstrdup(destination), locale_needed};
}

static void add_tools(injection_list *list, const char *adk, const char *destination,
                      bool efi)
{
    char *bcdboot = cim_xasprintf("%s\\BCDBoot", adk);
    char *oscdimg = cim_xasprintf("%s\\Oscdimg", adk);
    char *dism = cim_xasprintf("%s\\DISM", adk);
    add_file(list, "WDT", "bootsect.exe", bcdboot, destination, false);
    add_file(list, "WDT", "bcdboot.exe", bcdboot, destination, false);
    if (efi) {
        add_file(list, "WDT", "etfsboot.com", oscdimg, destination, false);
        add_file(list, "WDT", "efisys.bin", oscdimg, destination, false);
    }
    add_file(list, "WDT", "oscdimg.exe", oscdimg, destination, false);
    add_file(list, "WDT", "wimgapi.dll", dism, destination, false);
    free(bcdboot);
    free(oscdimg);
    free(dism);
}

/* The SCCM binaries come from x64 for arm64 images, which run them
 * emulated; the ADK tools are native. */
static osd_arch binary_arch(osd_arch image_arch)
{
    return image_arch == OSD_ARCH_ARM64 ? OSD_ARCH_X64 : image_arch;
}

static injection_list injection_list_for(osd_arch arch)
{
    injection_list list = {0};
    const char *adk = osd_arch_adk_folder(arch);
    const char *cm = osd_arch_configmgr_folder(binary_arch(arch));
    char *media = cim_xasprintf("%s\\Media\\Boot", adk);
    char *tools_destination = cim_xasprintf("sms\\bin\\%s", osd_arch_configmgr_folder(arch));
    char *dism = cim_xasprintf("%s\\DISM", adk);
    char *cm_source = cim_xasprintf("bin\\%s", cm);
    char *cm_destination = cim_xasprintf("sms\\bin\\%s", cm);

    add_file(&list, "WPE", "boot.sdi", media, "sms\\boot", false);
    add_file(&list, "WPE", "bootfix.bin", media, tools_destination, false);
    add_tools(&list, adk, tools_destination, true);
    if (arch == OSD_ARCH_X64)
        add_tools(&list, osd_arch_adk_folder(OSD_ARCH_X86), "sms\\bin\\i386", false);
    add_file(&list, "WDT", "*", dism, "Windows\\Pkgmgr", false);
    for (size_t i = 0; i < sizeof osd_binaries / sizeof *osd_binaries; i++)
        add_file(&list, "SCCM", osd_binaries[i], cm_source, cm_destination, false);
    if (binary_arch(arch) == OSD_ARCH_X64) {
        for (size_t i = 0; i < sizeof osd_binaries_x64_only / sizeof *osd_binaries_x64_only; i++)
            add_file(&list, "SCCM", osd_binaries_x64_only[i], cm_source, cm_destination, false);
    }
    add_file(&list, "SCCM", LOCALIZED_BINARY, cm_source, cm_destination, true);

    free(media);
    free(tools_destination);
    free(dism);
    free(cm_source);
    free(cm_destination);
    return list;
}

static void injection_list_clear(injection_list *list)
{
    for (size_t i = 0; i < list->count; i++) {
        free(list->files[i].source);
        free(list->files[i].destination);
    }
    free(list->files);
}

/* ---- osdinjection.xml --------------------------------------------------- */

static void write_file_element(xmlTextWriterPtr w, const injection_file *file)
{
    xmlTextWriterStartElement(w, BAD_CAST "File");
    xmlTextWriterWriteAttribute(w, BAD_CAST "name", BAD_CAST file->name);
    xmlTextWriterWriteElement(w, BAD_CAST "LocaleNeeded",
                              BAD_CAST(file->locale_needed ? "true" : "false"));
    xmlTextWriterWriteElement(w, BAD_CAST "Source", BAD_CAST file->source);
    xmlTextWriterWriteElement(w, BAD_CAST "Destination", BAD_CAST file->destination);
    xmlTextWriterWriteElement(w, BAD_CAST "DebugBinary", BAD_CAST "false");
    xmlTextWriterEndElement(w);
}

static void write_architecture(xmlTextWriterPtr w, osd_arch arch)
{
    static const char *const kinds[] = {"WPE", "WDT", "SCCM"};
    injection_list list = injection_list_for(arch);
    xmlTextWriterStartElement(w, BAD_CAST "Architecture");
    xmlTextWriterWriteAttribute(w, BAD_CAST "imgArch", BAD_CAST osd_arch_configmgr_folder(arch));
    for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++) {
        xmlTextWriterStartElement(w, BAD_CAST "FileList");
        xmlTextWriterWriteAttribute(w, BAD_CAST "source", BAD_CAST kinds[k]);
        for (size_t i = 0; i < list.count; i++) {
            if (strcmp(list.files[i].list, kinds[k]) == 0)
                write_file_element(w, &list.files[i]);
        }
        xmlTextWriterEndElement(w);
    }
    xmlTextWriterEndElement(w);
    injection_list_clear(&list);
}

static smsprov_code write_injection_xml(const char *dir, unsigned arches, smsprov_error *err)
{
    char *path = osd_path_join(dir, INJECTION_XML);
    if (osd_fs_exists(path)) {
        free(path);
        return SMSPROV_OK;
    }
    xmlBufferPtr buffer = xmlBufferCreate();
    xmlTextWriterPtr w = xmlNewTextWriterMemory(buffer, 0);
    xmlTextWriterSetIndent(w, 1);
    xmlTextWriterSetIndentString(w, BAD_CAST "  ");
    xmlTextWriterStartDocument(w, "1.0", "utf-8", NULL);
    xmlTextWriterStartElement(w, BAD_CAST "InjectionFiles");
    for (int a = 0; a < OSD_ARCH_COUNT; a++) {
        if (arches & OSD_ARCH_BIT(a))
            write_architecture(w, (osd_arch)a);
    }
    xmlTextWriterEndDocument(w);
    xmlFreeTextWriter(w);
    smsprov_code rc = osd_fs_write_file(path, xmlBufferContent(buffer),
                                        (size_t)xmlBufferLength(buffer), err);
    xmlBufferFree(buffer);
    free(path);
    return rc;
}

/* ---- the files ---------------------------------------------------------- */

static smsprov_code put_file(const char *dir, const char *relative, osd_arch arch,
                             smsprov_error *err)
{
    char *path = osd_path_join(dir, relative);
    smsprov_code rc = osd_synthetic_put_file(path, arch, true, err);
    free(path);
    return rc;
}

static smsprov_code write_binaries(const char *dir, osd_arch arch, smsprov_error *err)
{
    const char *cm = osd_arch_configmgr_folder(arch);
    smsprov_code rc = SMSPROV_OK;
    for (size_t i = 0; rc == SMSPROV_OK && i < sizeof osd_binaries / sizeof *osd_binaries; i++) {
        char *relative = cim_xasprintf("bin/%s/%s", cm, osd_binaries[i]);
        rc = put_file(dir, relative, arch, err);
        free(relative);
    }
    for (size_t i = 0; rc == SMSPROV_OK && arch == OSD_ARCH_X64 &&
                       i < sizeof osd_binaries_x64_only / sizeof *osd_binaries_x64_only;
         i++) {
        char *relative = cim_xasprintf("bin/%s/%s", cm, osd_binaries_x64_only[i]);
        rc = put_file(dir, relative, arch, err);
        free(relative);
    }
    for (size_t i = 0; rc == SMSPROV_OK && i < sizeof locale_folders / sizeof *locale_folders;
         i++) {
        char *relative = cim_xasprintf("bin/%s/%s/" LOCALIZED_BINARY, cm, locale_folders[i]);
        rc = put_file(dir, relative, arch, err);
        free(relative);
    }
    return rc;
}

/* The shell hook template: WinPE starts TsBootShell instead of cmd. */
static smsprov_code write_winpeshl_ini(const char *dir, osd_arch arch, smsprov_error *err)
{
    char *path = cim_xasprintf("%s/OSD/bin/%s/winpeshl.ini", dir, osd_arch_configmgr_folder(arch));
    char *text = cim_xasprintf("[LaunchApps]\r\n%%SYSTEMDRIVE%%\\sms\\bin\\%s\\TsBootShell.exe\r\n",
                               osd_arch_configmgr_folder(binary_arch(arch)));
    smsprov_code rc = osd_synthetic_put_text(path, text, true, err);
    free(text);
    free(path);
    return rc;
}

smsprov_code osd_synthetic_configmgr_write(const char *dir, unsigned arches,
                                           smsprov_error *err)
{
    if (!dir || !*dir)
        return smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER,
                                 "No directory was given for the ConfigMgr tree.");
    if (arches == 0 || (arches & ~OSD_ARCH_SET_ADK) != 0)
        return smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER,
                                 "The ConfigMgr architectures must be among x86, x64 and arm64; "
                                 "ConfigMgr has no ia64 boot image support.");
    unsigned binary_arches = 0;
    for (int a = 0; a < OSD_ARCH_COUNT; a++) {
        if (arches & OSD_ARCH_BIT(a))
            binary_arches |= OSD_ARCH_BIT(binary_arch((osd_arch)a));
    }
    smsprov_code rc = SMSPROV_OK;
    for (int a = 0; rc == SMSPROV_OK && a < OSD_ARCH_COUNT; a++) {
        if (binary_arches & OSD_ARCH_BIT(a))
            rc = write_binaries(dir, (osd_arch)a, err);
        if (rc == SMSPROV_OK && (arches & OSD_ARCH_BIT(a)))
            rc = write_winpeshl_ini(dir, (osd_arch)a, err);
    }
    if (rc == SMSPROV_OK)
        rc = write_injection_xml(dir, arches, err);
    return rc;
}
