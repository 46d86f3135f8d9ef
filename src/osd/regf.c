/*
 * osd/regf.c - the empty regf hive writer.
 *
 * Layout (offsets of cells are relative to the first hbin, at 0x1000):
 *   0x0000 base block "regf": sequence numbers, version 1.5, root cell
 *          offset, size of the hbins, XOR checksum of the first 508 bytes
 *   0x1000 hbin header (32 bytes)
 *   0x1020 root key cell "nk"
 *   ...    security cell "sk" with a self-relative security descriptor
 *   ...    one free cell up to the end of the hbin
 * A cell starts with its size as a signed 32-bit number, negative while in
 * use; sizes are multiples of 8.
 */
#include "osd/regf.h"
#include "osd/regf_bytes.h"

#include <stdint.h>
#include <string.h>
#include <time.h>

#include "osd/fs.h"

#define BASE_BLOCK_SIZE 0x1000
#define HBIN_SIZE 0x1000
#define HBIN_HEADER_SIZE 0x20
#define CHECKSUM_OFFSET 0x1FC
#define NK_FIXED_SIZE 0x4C
#define SK_FIXED_SIZE 0x14
#define NO_CELL 0xFFFFFFFFu
#define ROOT_NAME_MAX 64

/* nk flags: the hive's root, not deletable, name stored as ASCII. */
#define KEY_HIVE_ENTRY 0x0004
#define KEY_NO_DELETE 0x0008
#define KEY_COMP_NAME 0x0020

#define KEY_ALL_ACCESS 0x000F003Fu
#define KEY_READ 0x00020019u
#define ACCESS_ALLOWED_ACE_TYPE 0
#define CONTAINER_INHERIT_ACE 0x02
#define SE_DACL_PRESENT 0x0004
#define SE_SELF_RELATIVE 0x8000

#define FILETIME_UNIX_EPOCH_SECONDS 11644473600ULL

static size_t align8(size_t n)
{
    return (n + 7) & ~(size_t)7;
}

/* A SID with up to two sub-authorities: S-1-<authority>-<sub>... */
typedef struct sid {
    uint8_t authority;
    uint8_t count;
    uint32_t sub[2];
} sid;

static const sid sid_system = {5, 1, {18, 0}};          /* S-1-5-18 */
static const sid sid_administrators = {5, 2, {32, 544}}; /* S-1-5-32-544 */
static const sid sid_everyone = {1, 1, {0, 0}};          /* S-1-1-0 */

static size_t sid_size(const sid *s)
{
    return 8 + 4 * (size_t)s->count;
}

static size_t put_sid(uint8_t *p, const sid *s)
{
    memset(p, 0, 8);
    p[0] = 1;            /* revision */
    p[1] = s->count;
    p[7] = s->authority; /* 48-bit big-endian identifier authority */
    for (int i = 0; i < s->count; i++)
        regf_put_u32(p + 8 + 4 * i, s->sub[i]);
    return sid_size(s);
}

static size_t put_allow_ace(uint8_t *p, uint32_t mask, const sid *s)
{
    size_t size = 8 + sid_size(s);
    p[0] = ACCESS_ALLOWED_ACE_TYPE;
    p[1] = CONTAINER_INHERIT_ACE;
    regf_put_u16(p + 2, (uint16_t)size);
    regf_put_u32(p + 4, mask);
    put_sid(p + 8, s);
    return size;
}

/* Self-relative descriptor: header, DACL, owner SID, group SID. */
static size_t put_security_descriptor(uint8_t *p)
{
    const size_t header = 20;
    size_t at = header;
    uint8_t *acl = p + at;
    size_t acl_size = 8;
    acl_size += put_allow_ace(acl + acl_size, KEY_ALL_ACCESS, &sid_system);
    acl_size += put_allow_ace(acl + acl_size, KEY_ALL_ACCESS, &sid_administrators);
    acl_size += put_allow_ace(acl + acl_size, KEY_READ, &sid_everyone);
    acl[0] = 2; /* ACL revision */
    acl[1] = 0;
    regf_put_u16(acl + 2, (uint16_t)acl_size);
    regf_put_u16(acl + 4, 3);
    regf_put_u16(acl + 6, 0);
    at += acl_size;

    size_t owner = at;
    at += put_sid(p + at, &sid_administrators);
    size_t group = at;
    at += put_sid(p + at, &sid_system);

    p[0] = 1; /* revision */
    p[1] = 0;
    regf_put_u16(p + 2, SE_SELF_RELATIVE | SE_DACL_PRESENT);
    regf_put_u32(p + 4, (uint32_t)owner);
    regf_put_u32(p + 8, (uint32_t)group);
    regf_put_u32(p + 12, 0); /* no SACL */
    regf_put_u32(p + 16, (uint32_t)header);
    return at;
}

/* Writes the root nk cell at hbin offset `at`; returns its size. */
static size_t put_root_key(uint8_t *hbin, size_t at, const char *name, uint64_t now,
                           uint32_t sk_offset)
{
    size_t name_len = strlen(name);
    size_t size = align8(4 + NK_FIXED_SIZE + name_len);
    uint8_t *cell = hbin + at;
    regf_put_u32(cell, (uint32_t)-(int32_t)size);
    uint8_t *nk = cell + 4;
    memcpy(nk, "nk", 2);
    regf_put_u16(nk + 0x02, KEY_HIVE_ENTRY | KEY_NO_DELETE | KEY_COMP_NAME);
    regf_put_u64(nk + 0x04, now);
    regf_put_u32(nk + 0x10, NO_CELL);    /* parent: the root has none */
    regf_put_u32(nk + 0x1C, NO_CELL);    /* subkey list */
    regf_put_u32(nk + 0x20, NO_CELL);    /* volatile subkey list */
    regf_put_u32(nk + 0x28, NO_CELL);    /* value list */
    regf_put_u32(nk + 0x2C, sk_offset);  /* security */
    regf_put_u32(nk + 0x30, NO_CELL);    /* class name */
    regf_put_u16(nk + 0x48, (uint16_t)name_len);
    memcpy(nk + NK_FIXED_SIZE, name, name_len);
    return size;
}

/* Writes the sk cell at hbin offset `at`, alone in its list; returns its size. */
static size_t put_security_key(uint8_t *hbin, size_t at)
{
    uint8_t descriptor[256];
    size_t descriptor_size = put_security_descriptor(descriptor);
    size_t size = align8(4 + SK_FIXED_SIZE + descriptor_size);
    uint8_t *cell = hbin + at;
    regf_put_u32(cell, (uint32_t)-(int32_t)size);
    uint8_t *sk = cell + 4;
    memcpy(sk, "sk", 2);
    regf_put_u32(sk + 0x04, (uint32_t)at); /* previous sk: itself */
    regf_put_u32(sk + 0x08, (uint32_t)at); /* next sk: itself */
    regf_put_u32(sk + 0x0C, 1);            /* one key (the root) uses it */
    regf_put_u32(sk + 0x10, (uint32_t)descriptor_size);
    memcpy(sk + SK_FIXED_SIZE, descriptor, descriptor_size);
    return size;
}

static uint32_t base_block_xor(const uint8_t *base)
{
    uint32_t sum = 0;
    for (size_t i = 0; i < CHECKSUM_OFFSET; i += 4)
        sum ^= regf_get_u32(base + i);
    return sum;
}

static void put_base_block(uint8_t *base, const char *root_name, uint64_t now)
{
    memcpy(base, "regf", 4);
    regf_put_u32(base + 0x04, 1); /* primary sequence number */
    regf_put_u32(base + 0x08, 1); /* secondary: equal, so the hive is clean */
    regf_put_u32(base + 0x14, 1); /* major version */
    regf_put_u32(base + 0x18, 5); /* minor version */
    regf_put_u32(base + 0x1C, 0); /* primary file */
    regf_put_u32(base + 0x20, 1); /* direct memory load format */
    regf_put_u32(base + 0x24, HBIN_HEADER_SIZE); /* root cell offset */
    regf_put_u32(base + 0x28, HBIN_SIZE);        /* size of all hbins */
    regf_put_u32(base + 0x2C, 1);                /* clustering factor */
    for (size_t i = 0; root_name[i] && i < 31; i++)
        regf_put_u16(base + 0x30 + 2 * i, (uint8_t)root_name[i]); /* UTF-16LE file name */
    /* Windows reads a checksum of 0 or ~0 as "not computed"; nudge the
     * timestamp so the plain XOR never lands on those. */
    for (;; now++) {
        regf_put_u64(base + 0x0C, now);
        uint32_t sum = base_block_xor(base);
        if (sum != 0 && sum != 0xFFFFFFFFu) {
            regf_put_u32(base + CHECKSUM_OFFSET, sum);
            break;
        }
    }
}

static void put_hbin(uint8_t *hbin, const char *root_name, uint64_t now)
{
    memcpy(hbin, "hbin", 4);
    regf_put_u32(hbin + 0x04, 0);         /* offset of this hbin */
    regf_put_u32(hbin + 0x08, HBIN_SIZE);
    regf_put_u64(hbin + 0x14, now);
    size_t root_at = HBIN_HEADER_SIZE;
    size_t sk_at = root_at + align8(4 + NK_FIXED_SIZE + strlen(root_name));
    put_root_key(hbin, root_at, root_name, now, (uint32_t)sk_at);
    size_t free_at = sk_at + put_security_key(hbin, sk_at);
    regf_put_u32(hbin + free_at, (uint32_t)(HBIN_SIZE - free_at)); /* positive: free */
}

static bool valid_root_name(const char *name)
{
    size_t len = name ? strlen(name) : 0;
    if (len == 0 || len > ROOT_NAME_MAX)
        return false;
    for (size_t i = 0; i < len; i++) {
        if (name[i] < 0x20 || name[i] > 0x7E || name[i] == '\\')
            return false;
    }
    return true;
}

static uint64_t filetime_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return ((uint64_t)ts.tv_sec + FILETIME_UNIX_EPOCH_SECONDS) * 10000000u +
           (uint64_t)ts.tv_nsec / 100;
}

smsprov_code osd_regf_write_empty(const char *path, const char *root_name, smsprov_error *err)
{
    if (!valid_root_name(root_name))
        return smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER,
                                 "The hive root key name \"%s\" is not valid; use 1-%d "
                                 "printable ASCII characters without a backslash.",
                                 root_name ? root_name : "", ROOT_NAME_MAX);
    uint8_t file[OSD_REGF_EMPTY_SIZE] = {0};
    uint64_t now = filetime_now();
    put_hbin(file + BASE_BLOCK_SIZE, root_name, now);
    put_base_block(file, root_name, now);
    return osd_fs_write_file(path, file, sizeof file, err);
}
