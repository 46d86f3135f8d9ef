/*
 * osd/synthetic_files.c - fake PE files and placeholders.
 */
#include "osd/synthetic_files.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "osd/fs.h"
#include "smsprov/cim.h"

#define PE_HEADER_OFFSET 0x80
#define NAME_OFFSET 0x200

/* COFF characteristics */
#define IMAGE_FILE_EXECUTABLE_IMAGE 0x0002
#define IMAGE_FILE_LARGE_ADDRESS_AWARE 0x0020
#define IMAGE_FILE_32BIT_MACHINE 0x0100
#define IMAGE_FILE_DLL 0x2000

#define MACHINE_I386 0x014C

static void put_u16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static const char *extension_of(const char *name)
{
    const char *dot = strrchr(name, '.');
    return dot ? dot + 1 : "";
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

void osd_fake_pe_build(uint8_t out[OSD_FAKE_PE_SIZE], uint16_t machine, const char *file_name)
{
    memset(out, 0, OSD_FAKE_PE_SIZE);
    memcpy(out, "MZ", 2);
    out[0x3C] = PE_HEADER_OFFSET; /* e_lfanew */
    static const char dos_message[] = "This program cannot be run in DOS mode.";
    memcpy(out + 0x4E, dos_message, sizeof dos_message - 1);

    uint8_t *pe = out + PE_HEADER_OFFSET;
    memcpy(pe, "PE\0\0", 4);
    put_u16(pe + 4, machine);
    uint16_t characteristics = IMAGE_FILE_EXECUTABLE_IMAGE;
    characteristics |= machine == MACHINE_I386 ? IMAGE_FILE_32BIT_MACHINE
                                               : IMAGE_FILE_LARGE_ADDRESS_AWARE;
    if (cim_strcasecmp(extension_of(file_name), "dll") == 0)
        characteristics |= IMAGE_FILE_DLL;
    put_u16(pe + 4 + 18, characteristics); /* after Machine..SizeOfOptionalHeader */

    snprintf((char *)out + NAME_OFFSET, OSD_FAKE_PE_SIZE - NAME_OFFSET,
             "smsprov synthetic file %s", file_name);
}

static bool is_pe_name(const char *name)
{
    static const char *const pe_extensions[] = {"exe", "dll", "efi", "sys", "mui"};
    const char *ext = extension_of(name);
    for (size_t i = 0; i < sizeof pe_extensions / sizeof pe_extensions[0]; i++) {
        if (cim_strcasecmp(ext, pe_extensions[i]) == 0)
            return true;
    }
    return false;
}

smsprov_code osd_synthetic_put_text(const char *path, const char *text, bool keep_existing,
                                    smsprov_error *err)
{
    if (keep_existing && osd_fs_exists(path))
        return SMSPROV_OK;
    return osd_fs_write_file(path, text, strlen(text), err);
}

smsprov_code osd_synthetic_put_file(const char *path, osd_arch arch, bool keep_existing,
                                    smsprov_error *err)
{
    if (keep_existing && osd_fs_exists(path))
        return SMSPROV_OK;
    const char *name = base_name(path);
    if (is_pe_name(name)) {
        uint8_t pe[OSD_FAKE_PE_SIZE];
        osd_fake_pe_build(pe, osd_arch_pe_machine(arch), name);
        return osd_fs_write_file(path, pe, sizeof pe, err);
    }
    char *text = cim_xasprintf("smsprov synthetic file %s (%s)\n", name, osd_arch_name(arch));
    smsprov_code rc = osd_fs_write_file(path, text, strlen(text), err);
    free(text);
    return rc;
}
