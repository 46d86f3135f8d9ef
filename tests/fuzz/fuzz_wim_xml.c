/* fuzz_wim_xml.c - libFuzzer target for the XML data of a WIM: the image
 * properties (NAME, WINDOWS/ARCH, LANGUAGES, VERSION, times, counts) that
 * wimlib hands the provider when it reads a boot image.
 *
 * A synthetic one-image WinPE WIM is built once; each input becomes its
 * XML data resource (stored uncompressed at the end of the file, the
 * header pointing at it) and the WIM is read as the provider reads a
 * source image: image info, ImageProperty XML and ImageDiskLayout XML.
 * An input starting with the UTF-16LE byte-order mark is used as is;
 * any other is taken as Latin-1 text and widened to UTF-16LE, the
 * encoding a WIM stores, so the dictionary and seeds stay readable. */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "osd/image_info.h"
#include "osd/synthetic.h"
#include "osd/wim_read.h"

#define HEADER_SIZE 208
#define XML_RESHDR 0x48 /* size_in_wim[7], flags, offset_in_wim, uncompressed_size */
#define RESHDR_FLAG_METADATA 0x02

static char wim_path[256];
static uint8_t header[HEADER_SIZE];
static uint64_t xml_offset;
static int fd = -1;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void put_le(uint8_t *p, uint64_t v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t get_le(const uint8_t *p, size_t n)
{
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++)
        v |= (uint64_t)p[i] << (8 * i);
    return v;
}

static void remove_wim(void)
{
    if (fd >= 0)
        close(fd);
    unlink(wim_path);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    snprintf(wim_path, sizeof wim_path, "/dev/shm/fuzz_wim_xml_%ld.wim", (long)getpid());
    osd_winpe_spec spec = {.arch = OSD_ARCH_X64};
    smsprov_error err = {0};
    if (osd_synthetic_winpe_write(wim_path, &spec, &err) != SMSPROV_OK) {
        fprintf(stderr, "fuzz_wim_xml: %s\n", err.description);
        abort();
    }
    atexit(remove_wim);
    fd = open(wim_path, O_RDWR);
    if (fd < 0 || pread(fd, header, HEADER_SIZE, 0) != HEADER_SIZE) {
        perror(wim_path);
        abort();
    }
    /* wimlib writes the XML data last; the file is cut there and the
     * fuzzed XML written in its place. */
    xml_offset = get_le(header + XML_RESHDR + 8, 8);
    if (xml_offset + get_le(header + XML_RESHDR, 7) != (uint64_t)lseek(fd, 0, SEEK_END)) {
        fprintf(stderr, "fuzz_wim_xml: the synthetic WIM does not end with its XML data\n");
        abort();
    }
    return 0;
}

/* The input as the UTF-16LE XML resource. */
static uint8_t *xml_resource(const uint8_t *data, size_t size, size_t *len)
{
    if (size >= 2 && data[0] == 0xFF && data[1] == 0xFE) {
        uint8_t *copy = malloc(size ? size : 1);
        memcpy(copy, data, size);
        *len = size;
        return copy;
    }
    uint8_t *wide = malloc(2 * size + 2);
    wide[0] = 0xFF;
    wide[1] = 0xFE;
    for (size_t i = 0; i < size; i++) {
        wide[2 + 2 * i] = data[i];
        wide[3 + 2 * i] = 0;
    }
    *len = 2 * size + 2;
    return wide;
}

static void write_wim(const uint8_t *xml, size_t len)
{
    uint8_t h[HEADER_SIZE];
    memcpy(h, header, HEADER_SIZE);
    put_le(h + XML_RESHDR, len, 7);
    h[XML_RESHDR + 7] = RESHDR_FLAG_METADATA;
    put_le(h + XML_RESHDR + 8, xml_offset, 8);
    put_le(h + XML_RESHDR + 16, len, 8);
    if (ftruncate(fd, (off_t)xml_offset) != 0 || pwrite(fd, h, HEADER_SIZE, 0) != HEADER_SIZE ||
        pwrite(fd, xml, len, (off_t)xml_offset) != (ssize_t)len) {
        perror(wim_path);
        abort();
    }
}

static void read_wim(void)
{
    WIMStruct *wim = NULL;
    smsprov_error err = {0};
    if (osd_wim_open(wim_path, &wim, &err) != SMSPROV_OK) {
        if (!err.description)
            abort();
        smsprov_error_clear(&err);
        return;
    }
    for (uint32_t index = 0; index <= osd_wim_image_count(wim) + 1; index++) {
        osd_image_info info;
        if (osd_image_info_from_wim(wim, wim_path, index, &info, &err) == SMSPROV_OK)
            free(osd_image_language_list(&info));
        osd_image_info_clear(&info);
        smsprov_error_clear(&err);
        char *xml = NULL;
        if (osd_image_disk_layout_xml(wim, wim_path, index, &xml, &err) == SMSPROV_OK)
            free(xml);
        smsprov_error_clear(&err);
    }
    char *xml = NULL;
    if (osd_image_properties_xml(wim, wim_path, &xml, &err) == SMSPROV_OK)
        free(xml);
    smsprov_error_clear(&err);
    osd_wim_close(wim);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t len = 0;
    uint8_t *xml = xml_resource(data, size, &len);
    write_wim(xml, len);
    free(xml);
    read_wim();
    return 0;
}
