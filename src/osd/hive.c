/*
 * osd/hive.c - hivex wrappers: key paths, REG_SZ/REG_DWORD, atomic commit.
 */
#include "osd/hive.h"

#include <errno.h>
#include <hivex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "smsprov/cim.h"

struct osd_hive {
    hive_h *handle;
    char *path;
};

smsprov_code osd_hive_open(const char *path, osd_hive **out, smsprov_error *err)
{
    *out = NULL;
    hive_h *handle = hivex_open(path, HIVEX_OPEN_WRITE);
    if (!handle) {
        smsprov_code code = errno == ENOENT ? SMSPROV_E_NOT_FOUND : SMSPROV_E_INVALID_PARAMETER;
        return smsprov_error_set(err, code, "The registry hive %s cannot be opened: %s.", path,
                                 strerror(errno));
    }
    osd_hive *hive = cim_xcalloc(1, sizeof *hive);
    hive->handle = handle;
    hive->path = cim_xstrdup(path);
    *out = hive;
    return SMSPROV_OK;
}

void osd_hive_close(osd_hive *hive)
{
    if (!hive)
        return;
    hivex_close(hive->handle);
    free(hive->path);
    free(hive);
}

/* Walks key_path from the root, creating each missing key. */
static smsprov_code find_or_add_key(osd_hive *hive, const char *key_path, hive_node_h *out,
                                    smsprov_error *err)
{
    hive_node_h node = hivex_root(hive->handle);
    char *copy = cim_xstrdup(key_path);
    smsprov_code rc = SMSPROV_OK;
    char *saveptr = NULL;
    for (char *name = strtok_r(copy, "\\", &saveptr); name; name = strtok_r(NULL, "\\", &saveptr)) {
        errno = 0;
        hive_node_h child = hivex_node_get_child(hive->handle, node, name);
        if (!child && errno == 0)
            child = hivex_node_add_child(hive->handle, node, name);
        if (!child) {
            rc = smsprov_error_set(err, SMSPROV_E_FAILED,
                                   "The key %s cannot be created in the registry hive %s: %s.",
                                   key_path, hive->path, strerror(errno));
            break;
        }
        node = child;
    }
    free(copy);
    *out = node;
    return rc;
}

smsprov_code osd_hive_add_key(osd_hive *hive, const char *key_path, smsprov_error *err)
{
    hive_node_h node;
    return find_or_add_key(hive, key_path, &node, err);
}

static smsprov_code set_value(osd_hive *hive, const char *key_path, const char *name,
                              hive_type type, const void *data, size_t size, smsprov_error *err)
{
    hive_node_h node;
    smsprov_code rc = find_or_add_key(hive, key_path, &node, err);
    if (rc != SMSPROV_OK)
        return rc;
    hive_set_value value = {(char *)name, type, size, (char *)data};
    if (hivex_node_set_value(hive->handle, node, &value, 0) != 0)
        return smsprov_error_set(err, SMSPROV_E_FAILED,
                                 "The value %s\\%s cannot be set in the registry hive %s: %s.",
                                 key_path, name, hive->path, strerror(errno));
    return SMSPROV_OK;
}

/* Decodes one UTF-8 sequence at *p; returns the code point or -1. */
static long next_code_point(const unsigned char **p)
{
    const unsigned char *s = *p;
    long cp;
    int extra;
    if (s[0] < 0x80) {
        cp = s[0];
        extra = 0;
    } else if ((s[0] & 0xE0) == 0xC0) {
        cp = s[0] & 0x1F;
        extra = 1;
    } else if ((s[0] & 0xF0) == 0xE0) {
        cp = s[0] & 0x0F;
        extra = 2;
    } else if ((s[0] & 0xF8) == 0xF0) {
        cp = s[0] & 0x07;
        extra = 3;
    } else {
        return -1;
    }
    for (int i = 1; i <= extra; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return -1;
        cp = cp << 6 | (s[i] & 0x3F);
    }
    static const long smallest[] = {0, 0x80, 0x800, 0x10000};
    if (cp < smallest[extra] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return -1;
    *p = s + extra + 1;
    return cp;
}

static void put_utf16(cim_buf *out, long unit)
{
    char bytes[2] = {(char)(unit & 0xFF), (char)(unit >> 8)};
    cim_buf_append_n(out, bytes, 2);
}

/* UTF-8 to UTF-16LE with a terminating NUL; false on malformed UTF-8. */
static bool utf8_to_utf16le(const char *text, cim_buf *out)
{
    const unsigned char *p = (const unsigned char *)text;
    while (*p) {
        long cp = next_code_point(&p);
        if (cp < 0)
            return false;
        if (cp >= 0x10000) {
            put_utf16(out, 0xD800 + ((cp - 0x10000) >> 10));
            put_utf16(out, 0xDC00 + ((cp - 0x10000) & 0x3FF));
        } else {
            put_utf16(out, cp);
        }
    }
    put_utf16(out, 0);
    return true;
}

smsprov_code osd_hive_set_string(osd_hive *hive, const char *key_path, const char *name,
                                 const char *value, smsprov_error *err)
{
    cim_buf utf16 = {0};
    if (!utf8_to_utf16le(value, &utf16)) {
        cim_buf_clear(&utf16);
        return smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER,
                                 "The value %s\\%s is not valid UTF-8 text.", key_path, name);
    }
    smsprov_code rc =
        set_value(hive, key_path, name, hive_t_REG_SZ, utf16.data, utf16.len, err);
    cim_buf_clear(&utf16);
    return rc;
}

smsprov_code osd_hive_set_dword(osd_hive *hive, const char *key_path, const char *name,
                                uint32_t value, smsprov_error *err)
{
    unsigned char le[4] = {(unsigned char)value, (unsigned char)(value >> 8),
                           (unsigned char)(value >> 16), (unsigned char)(value >> 24)};
    return set_value(hive, key_path, name, hive_t_REG_DWORD, le, sizeof le, err);
}

smsprov_code osd_hive_commit(osd_hive *hive, smsprov_error *err)
{
    char *partial = cim_xasprintf("%s.partial", hive->path);
    smsprov_code rc = SMSPROV_OK;
    if (hivex_commit(hive->handle, partial, 0) != 0 || rename(partial, hive->path) != 0) {
        rc = smsprov_error_set(err, SMSPROV_E_FAILED,
                               "The registry hive %s cannot be saved: %s.", hive->path,
                               strerror(errno));
        unlink(partial);
    }
    free(partial);
    return rc;
}
