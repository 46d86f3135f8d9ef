/*
 * osd/regf_edit.c - editing an existing hive file in memory (regf_edit.h).
 *
 * Every offset read from the file is checked before use: a hive comes from
 * an image someone else built.  Cell offsets are relative to the first hbin
 * (file offset 0x1000); a cell's size is negative while allocated.
 */
#include "osd/regf_edit.h"
#include "osd/regf_bytes.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "osd/fs.h"
#include "smsprov/cim.h"

#define BASE 0x1000u
#define HBIN_HEADER 0x20u
#define NO_CELL 0xFFFFFFFFu
#define NK_FIXED 0x4Cu
#define VK_FIXED 0x14u
#define KEY_COMP_NAME 0x0020
#define VALUE_COMP_NAME 0x0001
#define DATA_INLINE 0x80000000u
#define BIG_DATA_MIN 16345u /* larger values use a "db" cell, which we do not write */
#define REG_SZ 1u
#define REG_DWORD 4u
#define REG_MULTI_SZ 7u
#define FILETIME_UNIX_EPOCH_SECONDS 11644473600ULL

struct osd_regf {
    char *path;
    uint8_t *data;
    size_t bins; /* total size of the hbins, from the base block */
};

static uint64_t filetime_now(void)
{
    return ((uint64_t)time(NULL) + FILETIME_UNIX_EPOCH_SECONDS) * 10000000ULL;
}

static uint32_t checksum(const uint8_t *base)
{
    uint32_t x = 0;
    for (size_t i = 0; i < 0x1FC; i += 4)
        x ^= regf_get_u32(base + i);
    return x == 0xFFFFFFFFu ? 0xFFFFFFFEu : x == 0 ? 1 : x;
}

static smsprov_code damaged(const osd_regf *h, const char *what, smsprov_error *err)
{
    return smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER,
                             "The registry hive %s is damaged: %s.", h->path, what);
}

/* ---- cells ------------------------------------------------------------------ */

/* The data of the allocated cell at off holding at least need bytes, or NULL. */
static uint8_t *cell(const osd_regf *h, uint32_t off, size_t need)
{
    if (off == NO_CELL || (size_t)off + 4 > h->bins)
        return NULL;
    int32_t size = (int32_t)regf_get_u32(h->data + BASE + off);
    if (size >= 0 || (size_t)-(int64_t)size < need + 4 || (size_t)off - size > h->bins)
        return NULL;
    return h->data + BASE + off + 4;
}

static uint8_t *cell_with(const osd_regf *h, uint32_t off, size_t need, const char sig[2])
{
    uint8_t *c = cell(h, off, need);
    return (c && c[0] == (uint8_t)sig[0] && c[1] == (uint8_t)sig[1]) ? c : NULL;
}

static void cell_free(osd_regf *h, uint32_t off)
{
    if (!cell(h, off, 0))
        return;
    uint8_t *p = h->data + BASE + off;
    regf_put_u32(p, (uint32_t)-(int32_t)regf_get_u32(p));
}

/* Splits the free cell at off (size free_size) to hold total bytes. */
static void take(osd_regf *h, size_t off, size_t free_size, size_t total)
{
    uint8_t *p = h->data + BASE + off;
    if (free_size - total >= 8) {
        regf_put_u32(p + total, (uint32_t)(free_size - total));
    } else {
        total = free_size;
    }
    regf_put_u32(p, (uint32_t)-(int32_t)total);
    memset(p + 4, 0, total - 4);
}

/* First fit among the free cells of every hbin; 0 when none fits. */
static bool find_free(osd_regf *h, size_t total, uint32_t *out)
{
    size_t bin = 0;
    while (bin + HBIN_HEADER <= h->bins) {
        uint32_t bin_size = regf_get_u32(h->data + BASE + bin + 8);
        if (bin_size < HBIN_HEADER || bin + bin_size > h->bins)
            return false;
        size_t at = bin + HBIN_HEADER;
        while (at + 4 <= bin + bin_size) {
            int32_t size = (int32_t)regf_get_u32(h->data + BASE + at);
            size_t len = size < 0 ? (size_t)-(int64_t)size : (size_t)size;
            if (len < 8 || at + len > bin + bin_size)
                break;
            if (size > 0 && len >= total) {
                take(h, at, len, total);
                *out = (uint32_t)at;
                return true;
            }
            at += len;
        }
        bin += bin_size;
    }
    return false;
}

static uint32_t cell_alloc(osd_regf *h, size_t data_size)
{
    size_t total = (data_size + 4 + 7) & ~(size_t)7;
    uint32_t off;
    if (find_free(h, total, &off))
        return off;
    size_t bin_size = (total + HBIN_HEADER + 0xFFF) & ~(size_t)0xFFF;
    h->data = cim_xrealloc(h->data, BASE + h->bins + bin_size);
    uint8_t *bin = h->data + BASE + h->bins;
    memset(bin, 0, bin_size);
    memcpy(bin, "hbin", 4);
    regf_put_u32(bin + 4, (uint32_t)h->bins);
    regf_put_u32(bin + 8, (uint32_t)bin_size);
    regf_put_u64(bin + 0x14, filetime_now());
    size_t at = h->bins + HBIN_HEADER;
    regf_put_u32(h->data + BASE + at, (uint32_t)(bin_size - HBIN_HEADER));
    h->bins += bin_size;
    take(h, at, bin_size - HBIN_HEADER, total);
    return (uint32_t)at;
}

/* ---- names -------------------------------------------------------------------- */

static int upper(int c)
{
    return (c >= 'a' && c <= 'z') ? c - 32 : c;
}

/* The i-th character of a stored name (ASCII or UTF-16LE). */
static unsigned name_char(const uint8_t *name, bool ascii, size_t i)
{
    return ascii ? name[i] : regf_get_u16(name + 2 * i);
}

/* Compares a stored name with an ASCII one, ignoring ASCII case. */
static int name_cmp(const uint8_t *name, size_t len, bool ascii, const char *other)
{
    size_t n = ascii ? len : len / 2, other_len = strlen(other);
    for (size_t i = 0; i < n && i < other_len; i++) {
        int a = upper((int)name_char(name, ascii, i)), b = upper((unsigned char)other[i]);
        if (a != b)
            return a < b ? -1 : 1;
    }
    return n == other_len ? 0 : n < other_len ? -1 : 1;
}

static bool valid_name(const char *name, bool empty_ok)
{
    size_t n = strlen(name);
    if (n == 0)
        return empty_ok;
    if (n > 255)
        return false;
    for (const char *c = name; *c; c++)
        if (*c < 0x20 || *c > 0x7E || *c == '\\')
            return false;
    return true;
}

/* ---- keys ---------------------------------------------------------------------- */

typedef struct subkey {
    uint32_t off;
    uint32_t hash;
    char *upper_name; /* for sorting: ASCII, non-ASCII characters kept as '?' */
} subkey;

typedef struct subkeys {
    subkey *items;
    size_t count, cap;
} subkeys;

static void subkeys_free(subkeys *s)
{
    for (size_t i = 0; i < s->count; i++)
        free(s->items[i].upper_name);
    free(s->items);
}

static uint32_t name_hash(const char *upper_name)
{
    uint32_t hash = 0;
    for (const char *c = upper_name; *c; c++)
        hash = hash * 37 + (uint8_t)*c;
    return hash;
}

static bool subkeys_add(const osd_regf *h, subkeys *s, uint32_t off, const uint32_t *hash)
{
    const uint8_t *nk = cell_with(h, off, NK_FIXED, "nk");
    if (!nk || NK_FIXED + (size_t)regf_get_u16(nk + 72) > (size_t)-(int32_t)regf_get_u32(nk - 4) - 4)
        return false;
    bool ascii = regf_get_u16(nk + 2) & KEY_COMP_NAME;
    size_t len = regf_get_u16(nk + 72), n = ascii ? len : len / 2;
    char *name = cim_xmalloc(n + 1);
    for (size_t i = 0; i < n; i++) {
        unsigned c = name_char(nk + NK_FIXED, ascii, i);
        name[i] = c < 0x80 ? (char)upper((int)c) : '?';
    }
    name[n] = '\0';
    if (s->count == s->cap) {
        s->cap = s->cap ? 2 * s->cap : 16;
        s->items = cim_xrealloc(s->items, s->cap * sizeof *s->items);
    }
    s->items[s->count++] = (subkey){off, hash ? *hash : name_hash(name), name};
    return true;
}

/* Reads a subkey list (lf, lh, li, or an ri of those) into s. */
static bool read_list(const osd_regf *h, uint32_t off, subkeys *s, int depth)
{
    const uint8_t *list = cell(h, off, 4);
    if (!list)
        return false;
    size_t n = regf_get_u16(list + 2);
    bool pairs = (list[0] == 'l' && (list[1] == 'f' || list[1] == 'h'));
    bool ri = list[0] == 'r' && list[1] == 'i';
    if (!pairs && !ri && !(list[0] == 'l' && list[1] == 'i'))
        return false;
    if (!cell(h, off, 4 + n * (pairs ? 8 : 4)))
        return false;
    for (size_t i = 0; i < n; i++) {
        uint32_t child = regf_get_u32(list + 4 + i * (pairs ? 8 : 4));
        bool ok;
        if (ri)
            ok = depth == 0 && read_list(h, child, s, 1);
        else if (list[1] == 'h')
            ok = subkeys_add(h, s, child, &(uint32_t){regf_get_u32(list + 8 + i * 8)});
        else
            ok = subkeys_add(h, s, child, NULL);
        if (!ok)
            return false;
    }
    return true;
}

/* Frees a subkey list and, for an ri, its leaves. */
static void free_list(osd_regf *h, uint32_t off)
{
    const uint8_t *list = cell(h, off, 4);
    if (!list)
        return;
    if (list[0] == 'r' && list[1] == 'i' && cell(h, off, 4 + 4 * (size_t)regf_get_u16(list + 2)))
        for (size_t i = 0; i < regf_get_u16(list + 2); i++)
            cell_free(h, regf_get_u32(list + 4 + 4 * i));
    cell_free(h, off);
}

static smsprov_code children(const osd_regf *h, uint32_t key, subkeys *s, smsprov_error *err)
{
    const uint8_t *nk = cell_with(h, key, NK_FIXED, "nk");
    if (!nk)
        return damaged(h, "a key cell is out of place", err);
    if (regf_get_u32(nk + 20) == 0)
        return SMSPROV_OK;
    if (!read_list(h, regf_get_u32(nk + 28), s, 0) || s->count != regf_get_u32(nk + 20))
        return damaged(h, "a subkey list is out of place", err);
    return SMSPROV_OK;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(((const subkey *)a)->upper_name, ((const subkey *)b)->upper_name);
}

static void touch(osd_regf *h, uint32_t key)
{
    regf_put_u64(cell(h, key, NK_FIXED) + 4, filetime_now());
}

static void raise_max(uint8_t *p, uint32_t v)
{
    if (regf_get_u32(p) < v)
        regf_put_u32(p, v);
}

static uint32_t new_key(osd_regf *h, uint32_t parent, const char *name)
{
    size_t len = strlen(name);
    uint32_t off = cell_alloc(h, NK_FIXED + len);
    uint8_t *nk = cell(h, off, NK_FIXED + len);
    const uint8_t *p = cell(h, parent, NK_FIXED);
    uint32_t security = regf_get_u32(p + 44);
    memcpy(nk, "nk", 2);
    regf_put_u16(nk + 2, KEY_COMP_NAME);
    regf_put_u64(nk + 4, filetime_now());
    regf_put_u32(nk + 16, parent);
    regf_put_u32(nk + 28, NO_CELL);
    regf_put_u32(nk + 32, NO_CELL);
    regf_put_u32(nk + 40, NO_CELL);
    regf_put_u32(nk + 44, security);
    regf_put_u32(nk + 48, NO_CELL);
    regf_put_u16(nk + 72, (uint16_t)len);
    memcpy(nk + NK_FIXED, name, len);
    /* The new key shares its parent's security descriptor: one more user. */
    uint8_t *sk = cell_with(h, security, 20, "sk");
    if (sk)
        regf_put_u32(sk + 12, regf_get_u32(sk + 12) + 1);
    return off;
}

/* Adds name under parent: a new key and a new, sorted lh list. */
static uint32_t add_child(osd_regf *h, uint32_t parent, subkeys *s, const char *name)
{
    uint32_t child = new_key(h, parent, name);
    subkeys_add(h, s, child, NULL);
    qsort(s->items, s->count, sizeof *s->items, by_name);
    uint32_t list_off = cell_alloc(h, 4 + 8 * s->count);
    uint8_t *list = cell(h, list_off, 4 + 8 * s->count);
    memcpy(list, "lh", 2);
    regf_put_u16(list + 2, (uint16_t)s->count);
    for (size_t i = 0; i < s->count; i++) {
        regf_put_u32(list + 4 + 8 * i, s->items[i].off);
        regf_put_u32(list + 8 + 8 * i, s->items[i].hash);
    }
    uint8_t *nk = cell(h, parent, NK_FIXED);
    uint32_t old = regf_get_u32(nk + 20) ? regf_get_u32(nk + 28) : NO_CELL;
    regf_put_u32(nk + 20, (uint32_t)s->count);
    regf_put_u32(nk + 28, list_off);
    raise_max(nk + 52, (uint32_t)(2 * strlen(name)));
    touch(h, parent);
    if (old != NO_CELL)
        free_list(h, old);
    return child;
}

static smsprov_code child_key(osd_regf *h, uint32_t parent, const char *name, uint32_t *out,
                              smsprov_error *err)
{
    subkeys s = {0};
    smsprov_code rc = children(h, parent, &s, err);
    if (rc == SMSPROV_OK) {
        for (size_t i = 0; i < s.count; i++) {
            const uint8_t *nk = cell(h, s.items[i].off, NK_FIXED);
            if (name_cmp(nk + NK_FIXED, regf_get_u16(nk + 72), regf_get_u16(nk + 2) & KEY_COMP_NAME,
                         name) == 0) {
                *out = s.items[i].off;
                subkeys_free(&s);
                return SMSPROV_OK;
            }
        }
        if (s.count >= 0xFFFF)
            rc = smsprov_error_set(err, SMSPROV_E_NOT_SUPPORTED,
                                   "The registry hive %s has too many subkeys under one key.",
                                   h->path);
        else
            *out = add_child(h, parent, &s, name);
    }
    subkeys_free(&s);
    return rc;
}

static smsprov_code walk(osd_regf *h, const char *key_path, uint32_t *out, smsprov_error *err)
{
    uint32_t key = regf_get_u32(h->data + 36);
    char *copy = cim_xstrdup(key_path ? key_path : "");
    smsprov_code rc = SMSPROV_OK;
    char *part = copy;
    while (rc == SMSPROV_OK && *copy) {
        char *end = strchr(part, '\\');
        if (end)
            *end = '\0';
        if (!valid_name(part, false))
            rc = smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER,
                                   "The registry key path %s has an empty or non-ASCII part.",
                                   key_path);
        else
            rc = child_key(h, key, part, &key, err);
        if (!end)
            break;
        part = end + 1;
    }
    free(copy);
    *out = key;
    return rc;
}

smsprov_code osd_regf_add_key(osd_regf *hive, const char *key_path, smsprov_error *err)
{
    uint32_t key;
    return walk(hive, key_path, &key, err);
}

/* ---- values ------------------------------------------------------------------ */

/* Frees a value and its data (a "db" big-data value with its segments). */
static void free_value(osd_regf *h, uint32_t off)
{
    const uint8_t *vk = cell_with(h, off, VK_FIXED, "vk");
    if (!vk)
        return;
    uint32_t size = regf_get_u32(vk + 4), data = regf_get_u32(vk + 8);
    if (!(size & DATA_INLINE) && size > 0) {
        const uint8_t *db = size >= BIG_DATA_MIN ? cell_with(h, data, 8, "db") : NULL;
        const uint8_t *segments = db ? cell(h, regf_get_u32(db + 4), 4 * (size_t)regf_get_u16(db + 2))
                                     : NULL;
        if (segments)
            for (size_t i = 0; i < regf_get_u16(db + 2); i++)
                cell_free(h, regf_get_u32(segments + 4 * i));
        if (db)
            cell_free(h, regf_get_u32(db + 4));
        cell_free(h, data);
    }
    cell_free(h, off);
}

/* A vk for name (len bytes, stored as ASCII when flags say so). */
static uint32_t new_value(osd_regf *h, const uint8_t *name, size_t len, uint16_t flags,
                          uint32_t type, const uint8_t *data, size_t size)
{
    uint32_t data_off = NO_CELL;
    if (size > 4) {
        data_off = cell_alloc(h, size);
        memcpy(cell(h, data_off, size), data, size);
    }
    uint32_t off = cell_alloc(h, VK_FIXED + len);
    uint8_t *vk = cell(h, off, VK_FIXED + len);
    memcpy(vk, "vk", 2);
    regf_put_u16(vk + 2, (uint16_t)len);
    if (size > 4) {
        regf_put_u32(vk + 4, (uint32_t)size);
        regf_put_u32(vk + 8, data_off);
    } else {
        /* Four bytes or fewer live in the data offset field itself. */
        regf_put_u32(vk + 4, (uint32_t)size | DATA_INLINE);
        memcpy(vk + 8, data, size);
    }
    regf_put_u32(vk + 12, type);
    regf_put_u16(vk + 16, flags);
    memcpy(vk + VK_FIXED, name, len);
    return off;
}

static smsprov_code set_value(osd_regf *h, const char *key_path, const char *name,
                              uint32_t type, const uint8_t *data, size_t size,
                              smsprov_error *err)
{
    if (!valid_name(name ? name : "", true))
        return smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER,
                                 "The registry value name %s is not printable ASCII.", name);
    if (size >= BIG_DATA_MIN)
        return smsprov_error_set(err, SMSPROV_E_NOT_SUPPORTED,
                                 "The registry value %s is %u bytes; values over %u bytes "
                                 "are not written by this hive editor.",
                                 name, (unsigned)size, BIG_DATA_MIN - 1);
    uint32_t key;
    smsprov_code rc = walk(h, key_path, &key, err);
    if (rc != SMSPROV_OK)
        return rc;
    const uint8_t *nk = cell(h, key, NK_FIXED);
    size_t count = regf_get_u32(nk + 36);
    uint32_t list_off = regf_get_u32(nk + 40);
    const uint8_t *list = count ? cell(h, list_off, 4 * count) : NULL;
    if (count && !list)
        return damaged(h, "a value list is out of place", err);
    size_t found = count;
    for (size_t i = 0; i < count && found == count; i++) {
        const uint8_t *vk = cell_with(h, regf_get_u32(list + 4 * i), VK_FIXED, "vk");
        if (!vk || VK_FIXED + (size_t)regf_get_u16(vk + 2) >
                       (size_t)-(int32_t)regf_get_u32(vk - 4) - 4)
            return damaged(h, "a value cell is out of place", err);
        if (name_cmp(vk + VK_FIXED, regf_get_u16(vk + 2), regf_get_u16(vk + 16) & VALUE_COMP_NAME,
                     name ? name : "") == 0)
            found = i;
    }
    /* A replaced value keeps its stored name, as RegSetValueEx does when
     * the case differs. */
    uint8_t *name_bytes = (uint8_t *)cim_xstrdup(name ? name : "");
    size_t name_len = strlen((char *)name_bytes);
    uint16_t flags = VALUE_COMP_NAME;
    if (found < count) {
        const uint8_t *old = cell(h, regf_get_u32(list + 4 * found), VK_FIXED);
        name_len = regf_get_u16(old + 2);
        flags = regf_get_u16(old + 16) & VALUE_COMP_NAME;
        free(name_bytes);
        name_bytes = cim_xmalloc(name_len + 1);
        memcpy(name_bytes, old + VK_FIXED, name_len);
    }
    uint32_t vk = new_value(h, name_bytes, name_len, flags, type, data, size);
    free(name_bytes);
    if (found < count) {
        uint8_t *l = cell(h, list_off, 4 * count);
        uint32_t old = regf_get_u32(l + 4 * found);
        regf_put_u32(l + 4 * found, vk);
        free_value(h, old);
    } else {
        uint32_t new_list = cell_alloc(h, 4 * (count + 1));
        uint8_t *l = cell(h, new_list, 4 * (count + 1));
        if (count)
            memcpy(l, cell(h, list_off, 4 * count), 4 * count);
        regf_put_u32(l + 4 * count, vk);
        uint8_t *k = cell(h, key, NK_FIXED);
        regf_put_u32(k + 36, (uint32_t)(count + 1));
        regf_put_u32(k + 40, new_list);
        if (count)
            cell_free(h, list_off);
    }
    uint8_t *k = cell(h, key, NK_FIXED);
    raise_max(k + 60, (uint32_t)(flags ? 2 * name_len : name_len));
    raise_max(k + 64, (uint32_t)size);
    touch(h, key);
    return SMSPROV_OK;
}

/* Appends s as UTF-16LE with its NUL to out (at *n); false if not UTF-8. */
static bool put_utf16(const char *s, uint8_t *out, size_t *n)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        uint32_t c;
        int extra;
        if (*p < 0x80) {
            c = *p;
            extra = 0;
        } else if ((*p & 0xE0) == 0xC0) {
            c = *p & 0x1F;
            extra = 1;
        } else if ((*p & 0xF0) == 0xE0) {
            c = *p & 0x0F;
            extra = 2;
        } else if ((*p & 0xF8) == 0xF0) {
            c = *p & 0x07;
            extra = 3;
        } else {
            return false;
        }
        p++;
        for (int i = 0; i < extra; i++, p++) {
            if ((*p & 0xC0) != 0x80)
                return false;
            c = c << 6 | (*p & 0x3F);
        }
        if (c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
            return false;
        if (c >= 0x10000) {
            c -= 0x10000;
            regf_put_u16(out + *n, (uint16_t)(0xD800 | c >> 10));
            regf_put_u16(out + *n + 2, (uint16_t)(0xDC00 | (c & 0x3FF)));
            *n += 4;
        } else {
            regf_put_u16(out + *n, (uint16_t)c);
            *n += 2;
        }
    }
    regf_put_u16(out + *n, 0);
    *n += 2;
    return true;
}

static smsprov_code set_strings(osd_regf *h, const char *key_path, const char *name,
                                uint32_t type, const char *const *values, size_t count,
                                smsprov_error *err)
{
    size_t cap = 2;
    for (size_t i = 0; i < count; i++)
        cap += 4 * strlen(values[i]) + 2; /* UTF-16 never takes more */
    uint8_t *data = cim_xmalloc(cap);
    size_t n = 0;
    for (size_t i = 0; i < count; i++) {
        if (!put_utf16(values[i], data, &n)) {
            free(data);
            return smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER,
                                     "The registry value %s is not valid UTF-8.", name);
        }
    }
    if (type == REG_MULTI_SZ)
        put_utf16("", data, &n); /* the empty string that ends the list */
    smsprov_code rc = set_value(h, key_path, name, type, data, n, err);
    free(data);
    return rc;
}

smsprov_code osd_regf_set_string(osd_regf *hive, const char *key_path, const char *name,
                                 const char *value, smsprov_error *err)
{
    return set_strings(hive, key_path, name, REG_SZ, &value, 1, err);
}

smsprov_code osd_regf_set_multi_string(osd_regf *hive, const char *key_path, const char *name,
                                       const char *const *values, size_t count,
                                       smsprov_error *err)
{
    return set_strings(hive, key_path, name, REG_MULTI_SZ, values, count, err);
}

smsprov_code osd_regf_set_dword(osd_regf *hive, const char *key_path, const char *name,
                                uint32_t value, smsprov_error *err)
{
    uint8_t data[4];
    regf_put_u32(data, value);
    return set_value(hive, key_path, name, REG_DWORD, data, 4, err);
}

/* ---- the file ----------------------------------------------------------------- */

static smsprov_code check_hive(osd_regf *h, size_t file_size, smsprov_error *err)
{
    if (file_size < BASE + 0x1000 || memcmp(h->data, "regf", 4) != 0)
        return damaged(h, "it has no regf base block", err);
    if (regf_get_u32(h->data + 0x1FC) != checksum(h->data))
        return damaged(h, "the base block checksum is wrong", err);
    h->bins = regf_get_u32(h->data + 40);
    if (h->bins < 0x1000 || h->bins % 0x1000 || BASE + h->bins > file_size ||
        memcmp(h->data + BASE, "hbin", 4) != 0)
        return damaged(h, "its hbins are out of place", err);
    if (!cell_with(h, regf_get_u32(h->data + 36), NK_FIXED, "nk"))
        return damaged(h, "the root key is out of place", err);
    return SMSPROV_OK;
}

smsprov_code osd_regf_open(const char *path, osd_regf **out, smsprov_error *err)
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f)
        return smsprov_error_set(err, SMSPROV_E_NOT_FOUND,
                                 "The registry hive %s cannot be opened.", path);
    osd_regf *h = cim_xcalloc(1, sizeof *h);
    h->path = cim_xstrdup(path);
    size_t cap = 1 << 16, size = 0, n;
    h->data = cim_xmalloc(cap);
    while ((n = fread(h->data + size, 1, cap - size, f)) > 0) {
        size += n;
        if (size == cap)
            h->data = cim_xrealloc(h->data, cap *= 2);
    }
    bool failed = ferror(f);
    fclose(f);
    smsprov_code rc = failed ? smsprov_error_set(err, SMSPROV_E_NOT_FOUND,
                                                 "The registry hive %s cannot be read.", path)
                             : check_hive(h, size, err);
    if (rc != SMSPROV_OK) {
        osd_regf_close(h);
        return rc;
    }
    *out = h;
    return SMSPROV_OK;
}

smsprov_code osd_regf_commit(osd_regf *hive, smsprov_error *err)
{
    uint8_t *base = hive->data;
    uint32_t sequence = regf_get_u32(base + 4) + 1;
    regf_put_u32(base + 4, sequence);
    regf_put_u32(base + 8, sequence); /* equal numbers: the hive is consistent */
    regf_put_u64(base + 12, filetime_now());
    regf_put_u32(base + 40, (uint32_t)hive->bins);
    regf_put_u32(base + 0x1FC, checksum(base));
    return osd_fs_write_file(hive->path, hive->data, BASE + hive->bins, err);
}

void osd_regf_close(osd_regf *hive)
{
    if (!hive)
        return;
    free(hive->data);
    free(hive->path);
    free(hive);
}
