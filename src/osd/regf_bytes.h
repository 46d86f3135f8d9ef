/*
 * osd/regf_bytes.h - the little-endian integers of a registry hive (regf)
 * file, shared by the hive writer (regf.c) and the hive editor
 * (regf_edit.c).
 */
#ifndef SMSPROV_OSD_REGF_BYTES_H
#define SMSPROV_OSD_REGF_BYTES_H

#include <stdint.h>

static inline uint16_t regf_get_u16(const uint8_t *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint32_t regf_get_u32(const uint8_t *p)
{
    return (uint32_t)regf_get_u16(p) | (uint32_t)regf_get_u16(p + 2) << 16;
}

static inline void regf_put_u16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static inline void regf_put_u32(uint8_t *p, uint32_t v)
{
    regf_put_u16(p, (uint16_t)v);
    regf_put_u16(p + 2, (uint16_t)(v >> 16));
}

static inline void regf_put_u64(uint8_t *p, uint64_t v)
{
    regf_put_u32(p, (uint32_t)v);
    regf_put_u32(p + 4, (uint32_t)(v >> 32));
}

#endif
