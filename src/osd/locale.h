/*
 * osd/locale.h - language tags and Windows LCIDs.
 */
#ifndef SMSPROV_OSD_LOCALE_H
#define SMSPROV_OSD_LOCALE_H

#include <stdbool.h>
#include <stdint.h>

/* The LCID of a language tag such as "en-US" (ASCII case-insensitive) from
 * a table of the languages Windows PE ships; 0 when not in the table. */
uint16_t osd_language_lcid(const char *language);

/* True for a well-formed tag: 2-3 letters, then one or more "-" parts of
 * 2-8 letters or digits ("en-US", "sr-Latn-RS"). */
bool osd_language_tag_valid(const char *language);

#endif
