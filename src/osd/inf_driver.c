/*
 * osd/inf_driver.c - checking a driver package before it goes into a boot
 * image, as DISM /Add-Driver would refuse it:
 *
 *   [Version]       Signature $Windows NT$ (or $Chicago$), Class, ClassGUID,
 *                   Provider; DriverVer and CatalogFile are read
 *   [Manufacturer]  %Mfg% = Models, NTamd64, NTarm64...: a models section
 *                   decorated for the image's platform must exist (x86 also
 *                   takes an undecorated or "NT" entry; 64-bit Windows only
 *                   installs from models decorated for it)
 *   [SourceDisksNames], [SourceDisksFiles] (and their .<platform> forms):
 *                   every file the INF copies must be in the package
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <ctype.h>
#include <string.h>
#include <strings.h>


#include "osd/inf.h"
#include "osd/inject_path.h"
#include "platform/platform.h"
#include "smsprov/cim.h"

#define MAX_INF_BYTES (16u << 20)

const char *osd_inf_platform(osd_arch arch)
{
    switch (arch) {
    case OSD_ARCH_X86:
        return "x86";
    case OSD_ARCH_X64:
        return "amd64";
    case OSD_ARCH_ARM64:
        return "arm64";
    default:
        return "ia64";
    }
}

/* What one check needs: the INF, its names, the result being filled. */
typedef struct driver_check {
    const osd_inf *inf;
    const char *shown;   /* the INF as messages name it */
    char *folder;        /* the local folder holding the INF */
    osd_arch arch;
    osd_driver_info *out;
    smsprov_error *err;
} driver_check;

static smsprov_code refuse(driver_check *c, smsprov_code code, const char *fmt, ...)
    SMSPROV_PRINTF(3, 4)
    ;

static smsprov_code refuse(driver_check *c, smsprov_code code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char reason[1024];
    vsnprintf(reason, sizeof reason, fmt, ap);
    va_end(ap);
    return smsprov_error_set(c->err, code, "The driver INF %s cannot be added to the boot "
                                           "image: %s.",
                             c->shown, reason);
}

/* ---- reading ------------------------------------------------------------- */

static smsprov_code read_file(const char *path, const char *shown, uint8_t **data, size_t *size,
                              smsprov_error *err)
{
    *data = NULL;
    *size = 0;
    FILE *f = platform_fopen(path, "rb");
    if (!f) {
        int e = errno;
        return smsprov_error_set(err, e == ENOENT ? SMSPROV_E_NOT_FOUND : SMSPROV_E_ACCESS_DENIED,
                                 "The driver INF %s cannot be read: %s.", shown, strerror(e));
    }
    /* Sized from the file: an INF is a few KB, and a 16 MB buffer for each
     * one costs more than reading it.  One byte more than the limit tells
     * a file that is too large. */
    platform_file_info st;
    size_t capacity = MAX_INF_BYTES + 1;
    if (platform_file_info_get(path, &st) == 0 && st.size < capacity)
        capacity = (size_t)st.size + 1;
    uint8_t *buf = cim_xmalloc(capacity);
    size_t n = fread(buf, 1, capacity, f);
    bool failed = ferror(f) != 0;
    fclose(f);
    if (failed || n > MAX_INF_BYTES) {
        free(buf);
        return smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER,
                                 failed ? "The driver INF %s cannot be read."
                                        : "The driver INF %s is larger than 16 MB; it is not an "
                                          "INF file.",
                                 shown);
    }
    *data = buf;
    *size = n;
    return SMSPROV_OK;
}

/* A [Version] value, expanded; NULL (with *err set) when missing, empty
 * or naming an undefined string. */
static char *version_value(driver_check *c, const char *key)
{
    const osd_inf_line *l = osd_inf_find(c->inf, "Version", key);
    if (!l || l->value_count == 0 || !*l->values[0]) {
        refuse(c, SMSPROV_E_INVALID_PARAMETER, "its [Version] section has no %s", key);
        return NULL;
    }
    char *undefined = NULL;
    char *text = osd_inf_expand(c->inf, l->values[0], &undefined);
    if (!text) {
        refuse(c, SMSPROV_E_INVALID_PARAMETER,
               "%s on line %u uses %%%s%%, which its [Strings] section does not define", key,
               l->line_no, undefined);
        free(undefined);
        return NULL;
    }
    if (!*text) {
        refuse(c, SMSPROV_E_INVALID_PARAMETER, "%s on line %u is empty", key, l->line_no);
        free(text);
        return NULL;
    }
    return text;
}

static bool is_guid(const char *s)
{
    static const char shape[] = "{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}";
    if (strlen(s) != sizeof shape - 1)
        return false;
    for (size_t i = 0; shape[i]; i++) {
        if (shape[i] == 'X' ? !isxdigit((unsigned char)s[i]) : s[i] != shape[i])
            return false;
    }
    return true;
}

static smsprov_code check_version(driver_check *c)
{
    if (!osd_inf_find_section(c->inf, "Version"))
        return refuse(c, SMSPROV_E_INVALID_PARAMETER, "it has no [Version] section");
    char *signature = version_value(c, "Signature");
    if (!signature)
        return SMSPROV_E_INVALID_PARAMETER;
    bool known = cim_strcasecmp(signature, "$Windows NT$") == 0 ||
                 cim_strcasecmp(signature, "$Chicago$") == 0 ||
                 cim_strcasecmp(signature, "$Windows 95$") == 0;
    smsprov_code rc = known ? SMSPROV_OK
                            : refuse(c, SMSPROV_E_INVALID_PARAMETER,
                                     "its Signature is \"%s\"; a driver INF says \"$Windows NT$\"",
                                     signature);
    free(signature);
    if (rc != SMSPROV_OK)
        return rc;
    osd_driver_info *out = c->out;
    if (!(out->class_name = version_value(c, "Class")) ||
        !(out->class_guid = version_value(c, "ClassGUID")) ||
        !(out->provider = version_value(c, "Provider")))
        return SMSPROV_E_INVALID_PARAMETER;
    if (!is_guid(out->class_guid))
        return refuse(c, SMSPROV_E_INVALID_PARAMETER,
                      "its ClassGUID \"%s\" is not a GUID in the form "
                      "{4d36e972-e325-11ce-bfc1-08002be10318}",
                      out->class_guid);
    const osd_inf_line *ver = osd_inf_find(c->inf, "Version", "DriverVer");
    if (ver && ver->value_count >= 1 && *ver->values[0])
        out->date = cim_xstrdup(ver->values[0]);
    if (ver && ver->value_count >= 2 && *ver->values[1])
        out->version = cim_xstrdup(ver->values[1]);
    return SMSPROV_OK;
}

/* ---- models -------------------------------------------------------------- */

/* Whether a TargetOSVersion decoration ("NTamd64", "NTamd64.10.0",
 * "NT", "") lets Windows on this platform install the models. */
static bool decoration_fits(const char *decoration, osd_arch arch)
{
    if (!*decoration)
        return arch == OSD_ARCH_X86; /* undecorated models are for x86 only */
    if (strncasecmp(decoration, "NT", 2) != 0)
        return false;
    const char *platform = decoration + 2;
    size_t n = strcspn(platform, ".");
    if (n == 0)
        return arch == OSD_ARCH_X86;
    const char *want = osd_inf_platform(arch);
    return n == strlen(want) && strncasecmp(platform, want, n) == 0;
}

static smsprov_code check_models(driver_check *c)
{
    const osd_inf_section *mfg = osd_inf_find_section(c->inf, "Manufacturer");
    if (!mfg)
        return refuse(c, SMSPROV_E_INVALID_PARAMETER,
                      "it has no [Manufacturer] section, so it names no devices to install");
    if (mfg->line_count == 0)
        return refuse(c, SMSPROV_E_INVALID_PARAMETER, "its [Manufacturer] section is empty");
    bool covered = false;
    for (size_t i = 0; i < mfg->line_count; i++) {
        const osd_inf_line *l = &mfg->lines[i];
        const char *models = l->values[0];
        if (!*models)
            return refuse(c, SMSPROV_E_INVALID_PARAMETER,
                          "the [Manufacturer] entry on line %u names no models section",
                          l->line_no);
        /* Without decorations the entry stands for the undecorated section. */
        size_t count = l->value_count > 1 ? l->value_count - 1 : 1;
        for (size_t d = 0; d < count; d++) {
            const char *decoration = l->value_count > 1 ? l->values[1 + d] : "";
            if (!decoration_fits(decoration, c->arch))
                continue;
            char *section = *decoration ? cim_xasprintf("%s.%s", models, decoration)
                                        : cim_xstrdup(models);
            bool exists = osd_inf_find_section(c->inf, section) != NULL;
            smsprov_code rc = exists ? SMSPROV_OK
                                     : refuse(c, SMSPROV_E_INVALID_PARAMETER,
                                              "[Manufacturer] on line %u names the models "
                                              "section [%s], which the INF does not have",
                                              l->line_no, section);
            free(section);
            if (rc != SMSPROV_OK)
                return rc;
            covered = true;
        }
    }
    if (!covered)
        return refuse(c, SMSPROV_E_NOT_SUPPORTED,
                      "its [Manufacturer] section has no models decorated NT%s, so it has no "
                      "driver for a %s image",
                      osd_inf_platform(c->arch), osd_arch_name(c->arch));
    return SMSPROV_OK;
}

/* ---- files --------------------------------------------------------------- */

/* The line for key in the platform's form of section, else in section. */
static const osd_inf_line *decorated_find(driver_check *c, const char *section, const char *key)
{
    char *decorated = cim_xasprintf("%s.%s", section, osd_inf_platform(c->arch));
    const osd_inf_line *l = osd_inf_find(c->inf, decorated, key);
    free(decorated);
    return l ? l : osd_inf_find(c->inf, section, key);
}

/* Resolves a path relative to the INF's folder; relative gets the path as
 * found on disk, relative to that folder. */
static smsprov_code package_file(driver_check *c, const char *path, const char *what,
                                 char **relative)
{
    char *local = NULL;
    smsprov_error why = {0};
    smsprov_code rc = osd_path_resolve(c->folder, path, &local, NULL, &why);
    if (rc == SMSPROV_OK) {
        size_t skip = strlen(c->folder);
        while (local[skip] == '/')
            skip++;
        *relative = cim_xstrdup(local + skip);
    } else if (rc == SMSPROV_E_NOT_FOUND) {
        rc = refuse(c, SMSPROV_E_NOT_FOUND, "it copies %s %s, which is missing from its folder",
                    what, path);
    } else {
        rc = refuse(c, rc, "%s %s is not a path inside its folder", what, path);
    }
    free(local);
    smsprov_error_clear(&why);
    return rc;
}

static void add_file(osd_driver_info *out, char *relative)
{
    for (size_t i = 0; i < out->file_count; i++)
        if (cim_strcasecmp(out->files[i], relative) == 0) {
            free(relative);
            return;
        }
    out->files = cim_xrealloc(out->files, (out->file_count + 1) * sizeof *out->files);
    out->files[out->file_count++] = relative;
}

static smsprov_code check_catalog(driver_check *c)
{
    char *key = cim_xasprintf("CatalogFile.NT%s", osd_inf_platform(c->arch));
    const osd_inf_line *l = osd_inf_find(c->inf, "Version", key);
    free(key);
    if (!l)
        l = osd_inf_find(c->inf, "Version", "CatalogFile.NT");
    if (!l)
        l = osd_inf_find(c->inf, "Version", "CatalogFile");
    if (!l || l->value_count == 0 || !*l->values[0])
        return SMSPROV_OK; /* unsigned: DISM warns, the package still goes in */
    char *relative = NULL;
    smsprov_code rc = package_file(c, l->values[0], "its catalog", &relative);
    if (rc == SMSPROV_OK) {
        c->out->catalog = cim_xstrdup(relative);
        add_file(c->out, relative);
    }
    return rc;
}

/* The folder of source disk diskid, relative to the INF ("" for the INF's own). */
static smsprov_code disk_folder(driver_check *c, const osd_inf_line *file, const char *diskid,
                                const char **out)
{
    const osd_inf_line *disk = decorated_find(c, "SourceDisksNames", diskid);
    if (!disk)
        return refuse(c, SMSPROV_E_INVALID_PARAMETER,
                      "[SourceDisksFiles] on line %u puts %s on disk %s, which "
                      "[SourceDisksNames] does not define",
                      file->line_no, file->key, diskid);
    *out = disk->value_count >= 4 ? disk->values[3] : "";
    return SMSPROV_OK;
}

/* "disk\\subdir\\file" without empty parts or doubled separators. */
static char *join_parts(const char *disk, const char *subdir, const char *file)
{
    cim_buf b = {0};
    const char *parts[] = {disk, subdir, file};
    for (size_t i = 0; i < 3; i++) {
        const char *p = parts[i];
        while (*p == '\\' || *p == '/')
            p++;
        size_t n = strlen(p);
        while (n > 0 && (p[n - 1] == '\\' || p[n - 1] == '/'))
            n--;
        if (n == 0)
            continue;
        if (b.len > 0)
            cim_buf_append(&b, "\\");
        cim_buf_append_n(&b, p, n);
    }
    return cim_buf_take(&b);
}

static smsprov_code check_section_files(driver_check *c, const char *section)
{
    const osd_inf_section *s = osd_inf_find_section(c->inf, section);
    for (size_t i = 0; s && i < s->line_count; i++) {
        const osd_inf_line *l = &s->lines[i];
        if (!l->key || !*l->key)
            return refuse(c, SMSPROV_E_INVALID_PARAMETER,
                          "[%s] line %u names no file", section, l->line_no);
        const char *diskid = l->value_count >= 1 ? l->values[0] : "";
        const char *disk = "";
        smsprov_code rc = disk_folder(c, l, diskid, &disk);
        if (rc != SMSPROV_OK)
            return rc;
        const char *subdir = l->value_count >= 2 ? l->values[1] : "";
        char *path = join_parts(disk, subdir, l->key);
        char *relative = NULL;
        rc = package_file(c, path, "the file", &relative);
        free(path);
        if (rc != SMSPROV_OK)
            return rc;
        add_file(c->out, relative);
    }
    return SMSPROV_OK;
}

static smsprov_code check_files(driver_check *c)
{
    char *decorated = cim_xasprintf("SourceDisksFiles.%s", osd_inf_platform(c->arch));
    smsprov_code rc = check_section_files(c, decorated);
    free(decorated);
    if (rc == SMSPROV_OK)
        rc = check_section_files(c, "SourceDisksFiles");
    return rc;
}

/* ---- the whole check ----------------------------------------------------- */

static char *folder_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return cim_xstrdup(".");
    return cim_xasprintf("%.*s", (int)(slash == path ? 1 : slash - path), path);
}

smsprov_code osd_driver_read(const char *inf_path, const char *shown, osd_arch arch,
                             osd_driver_info *out, smsprov_error *err)
{
    memset(out, 0, sizeof *out);
    if (!shown)
        shown = inf_path;
    uint8_t *data = NULL;
    size_t size = 0;
    smsprov_code rc = read_file(inf_path, shown, &data, &size, err);
    if (rc != SMSPROV_OK)
        return rc;
    osd_inf inf;
    char *name = cim_xasprintf("The driver INF %s", shown);
    rc = osd_inf_parse(data, size, name, &inf, err);
    free(name);
    if (rc == SMSPROV_OK) {
        driver_check c = {.inf = &inf, .shown = shown, .folder = folder_of(inf_path),
                          .arch = arch, .out = out, .err = err};
        rc = check_version(&c);
        if (rc == SMSPROV_OK)
            rc = check_models(&c);
        if (rc == SMSPROV_OK)
            rc = check_catalog(&c);
        if (rc == SMSPROV_OK)
            rc = check_files(&c);
        free(c.folder);
    }
    if (rc == SMSPROV_OK) {
        char sha[65];
        platform_sha256_hex(data, size, sha);
        out->hash = cim_xasprintf("%.16s", sha);
    }
    osd_inf_clear(&inf);
    free(data);
    return rc;
}
