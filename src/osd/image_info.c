/*
 * osd/image_info.c - reads one image's facts out of the WIM XML, through
 * the WIM accessors of wim_read.h.
 */
#include "osd/image_info.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "osd/arch.h"
#include "osd/wim_read.h"

/* Seconds between 1601-01-01 (FILETIME epoch) and 1970-01-01. */
#define FILETIME_UNIX_EPOCH_SECONDS INT64_C(11644473600)
#define FILETIME_TICKS_PER_SECOND 10000000

/* A number in decimal or 0x-prefixed hex; 0 when absent or malformed. */
static uint64_t parse_u64(const char *value)
{
    if (!value)
        return 0;
    char *end;
    unsigned long long n = strtoull(value, &end, 0);
    return *end == '\0' ? (uint64_t)n : 0;
}

static uint64_t property_u64(WIMStruct *wim, uint32_t index, const char *name)
{
    char *value = osd_wim_property_dup(wim, index, name);
    uint64_t n = parse_u64(value);
    free(value);
    return n;
}

bool osd_filetime_to_datetime(uint64_t filetime, char out[CIM_DATETIME_LEN + 1])
{
    out[0] = '\0';
    if (filetime == 0)
        return false;
    int64_t seconds = (int64_t)(filetime / FILETIME_TICKS_PER_SECOND) - FILETIME_UNIX_EPOCH_SECONDS;
    int microseconds = (int)(filetime % FILETIME_TICKS_PER_SECOND / 10);
    time_t t = (time_t)seconds;
    struct tm tm;
    if (!gmtime_r(&t, &tm) || tm.tm_year + 1900 > 9999)
        return false;
    char text[64];
    int n = snprintf(text, sizeof text, "%04d%02d%02d%02d%02d%02d.%06d+000", tm.tm_year + 1900,
                     tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, microseconds);
    if (n != CIM_DATETIME_LEN)
        return false;
    memcpy(out, text, CIM_DATETIME_LEN + 1);
    return true;
}

/* FILETIMEs are stored as two 32-bit hex halves, e.g. CREATIONTIME/HIGHPART. */
static void read_time(WIMStruct *wim, uint32_t index, const char *element,
                      char out[CIM_DATETIME_LEN + 1])
{
    char high_path[64], low_path[64];
    snprintf(high_path, sizeof high_path, "%s/HIGHPART", element);
    snprintf(low_path, sizeof low_path, "%s/LOWPART", element);
    uint64_t filetime = property_u64(wim, index, high_path) << 32 |
                        (property_u64(wim, index, low_path) & 0xFFFFFFFFu);
    osd_filetime_to_datetime(filetime, out);
}

static char *read_architecture(WIMStruct *wim, uint32_t index)
{
    char *value = osd_wim_property_dup(wim, index, "WINDOWS/ARCH");
    if (!value)
        return NULL;
    char *end;
    unsigned long number = strtoul(value, &end, 10);
    osd_arch arch;
    bool known = *end == '\0' && osd_arch_from_wim_number(number, &arch);
    free(value);
    return known ? cim_xstrdup(osd_arch_name(arch)) : NULL;
}

/* MAJOR.MINOR.BUILD.SPBUILD; an image without SPBUILD counts as .0. */
static char *read_os_version(WIMStruct *wim, uint32_t index)
{
    const char *parts[] = {"WINDOWS/VERSION/MAJOR", "WINDOWS/VERSION/MINOR",
                           "WINDOWS/VERSION/BUILD", "WINDOWS/VERSION/SPBUILD"};
    uint64_t numbers[4];
    for (int i = 0; i < 4; i++) {
        char *value = osd_wim_property_dup(wim, index, parts[i]);
        if (i < 3 && !value)
            return NULL;
        numbers[i] = parse_u64(value);
        free(value);
    }
    return cim_xasprintf("%" PRIu64 ".%" PRIu64 ".%" PRIu64 ".%" PRIu64, numbers[0], numbers[1],
                         numbers[2], numbers[3]);
}

static void read_languages(WIMStruct *wim, uint32_t index, osd_image_info *out)
{
    for (size_t n = 1;; n++) {
        char path[64];
        snprintf(path, sizeof path, "WINDOWS/LANGUAGES/LANGUAGE[%zu]", n);
        char *language = osd_wim_property_dup(wim, index, path);
        if (!language)
            break;
        out->languages = cim_xrealloc(out->languages, n * sizeof *out->languages);
        out->languages[n - 1] = language;
        out->language_count = n;
    }
    out->default_language = osd_wim_property_dup(wim, index, "WINDOWS/LANGUAGES/DEFAULT");
}

smsprov_code osd_wim_check_index(WIMStruct *wim, const char *path, uint32_t index,
                                 smsprov_error *err)
{
    uint32_t count = osd_wim_image_count(wim);
    if (index >= 1 && index <= count)
        return SMSPROV_OK;
    return smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER,
                             "In %s, image index %u does not exist; the WIM holds %u image%s.",
                             path, index, count, count == 1 ? "" : "s");
}

smsprov_code osd_image_info_from_wim(WIMStruct *wim, const char *path, uint32_t index,
                                     osd_image_info *out, smsprov_error *err)
{
    memset(out, 0, sizeof *out);
    smsprov_code rc = osd_wim_check_index(wim, path, index, err);
    if (rc != SMSPROV_OK)
        return rc;

    out->index = index;
    out->name = osd_wim_property_dup(wim, index, "NAME");
    out->description = osd_wim_property_dup(wim, index, "DESCRIPTION");
    out->architecture = read_architecture(wim, index);
    out->wim_architecture = osd_wim_property_dup(wim, index, "WINDOWS/ARCH");
    read_languages(wim, index, out);
    out->os_version = read_os_version(wim, index);
    out->hal = osd_wim_property_dup(wim, index, "WINDOWS/HAL");
    out->product_type = osd_wim_property_dup(wim, index, "WINDOWS/PRODUCTTYPE");
    out->product_name = osd_wim_property_dup(wim, index, "WINDOWS/PRODUCTNAME");
    out->edition_id = osd_wim_property_dup(wim, index, "WINDOWS/EDITIONID");
    out->installation_type = osd_wim_property_dup(wim, index, "WINDOWS/INSTALLATIONTYPE");
    out->system_root = osd_wim_property_dup(wim, index, "WINDOWS/SYSTEMROOT");
    out->flags = osd_wim_property_dup(wim, index, "FLAGS");
    out->total_bytes = property_u64(wim, index, "TOTALBYTES");
    out->hard_link_bytes = property_u64(wim, index, "HARDLINKBYTES");
    out->dir_count = property_u64(wim, index, "DIRCOUNT");
    out->file_count = property_u64(wim, index, "FILECOUNT");
    read_time(wim, index, "CREATIONTIME", out->creation_time);
    read_time(wim, index, "LASTMODIFICATIONTIME", out->modification_time);
    out->bootable = osd_wim_boot_index(wim) == index;
    return SMSPROV_OK;
}

smsprov_code osd_read_image_info(const char *path, uint32_t index, osd_image_info *out,
                                 smsprov_error *err)
{
    memset(out, 0, sizeof *out);
    WIMStruct *wim;
    smsprov_code rc = osd_wim_open(path, &wim, err);
    if (rc != SMSPROV_OK)
        return rc;
    rc = osd_image_info_from_wim(wim, path, index, out, err);
    osd_wim_close(wim);
    return rc;
}

void osd_image_info_clear(osd_image_info *info)
{
    free(info->name);
    free(info->description);
    free(info->architecture);
    free(info->wim_architecture);
    for (size_t i = 0; i < info->language_count; i++)
        free(info->languages[i]);
    free(info->languages);
    free(info->default_language);
    free(info->os_version);
    free(info->hal);
    free(info->product_type);
    free(info->product_name);
    free(info->edition_id);
    free(info->installation_type);
    free(info->system_root);
    free(info->flags);
    memset(info, 0, sizeof *info);
}

char *osd_image_language_list(const osd_image_info *info)
{
    if (info->language_count == 0)
        return NULL;
    cim_buf buf = {0};
    for (size_t i = 0; i < info->language_count; i++) {
        if (i > 0)
            cim_buf_append(&buf, ",");
        cim_buf_append(&buf, info->languages[i]);
    }
    return cim_buf_take(&buf);
}
