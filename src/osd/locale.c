/*
 * osd/locale.c - the language table.
 */
#include "osd/locale.h"

#include <ctype.h>
#include <stddef.h>
#include <string.h>

#include "smsprov/cim.h"

typedef struct language_row {
    const char *tag;
    uint16_t lcid;
} language_row;

/* The WinPE language packs of the Windows ADK. */
static const language_row languages[] = {
    {"ar-SA", 0x0401}, {"bg-BG", 0x0402}, {"zh-TW", 0x0404}, {"cs-CZ", 0x0405},
    {"da-DK", 0x0406}, {"de-DE", 0x0407}, {"el-GR", 0x0408}, {"en-US", 0x0409},
    {"fi-FI", 0x040B}, {"fr-FR", 0x040C}, {"he-IL", 0x040D}, {"hu-HU", 0x040E},
    {"it-IT", 0x0410}, {"ja-JP", 0x0411}, {"ko-KR", 0x0412}, {"nl-NL", 0x0413},
    {"nb-NO", 0x0414}, {"pl-PL", 0x0415}, {"pt-BR", 0x0416}, {"ro-RO", 0x0418},
    {"ru-RU", 0x0419}, {"hr-HR", 0x041A}, {"sk-SK", 0x041B}, {"sv-SE", 0x041D},
    {"th-TH", 0x041E}, {"tr-TR", 0x041F}, {"uk-UA", 0x0422}, {"sl-SI", 0x0424},
    {"et-EE", 0x0425}, {"lv-LV", 0x0426}, {"lt-LT", 0x0427}, {"zh-CN", 0x0804},
    {"en-GB", 0x0809}, {"es-MX", 0x080A}, {"pt-PT", 0x0816}, {"sr-Latn-RS", 0x241A},
    {"zh-HK", 0x0C04}, {"es-ES", 0x0C0A}, {"fr-CA", 0x0C0C},
};

uint16_t osd_language_lcid(const char *language)
{
    if (!language)
        return 0;
    for (size_t i = 0; i < sizeof languages / sizeof languages[0]; i++) {
        if (cim_strcasecmp(language, languages[i].tag) == 0)
            return languages[i].lcid;
    }
    return 0;
}

/* Length of the run of characters at p accepted by pred. */
static size_t span(const char *p, int (*pred)(int))
{
    size_t n = 0;
    while (p[n] && pred((unsigned char)p[n]))
        n++;
    return n;
}

bool osd_language_tag_valid(const char *language)
{
    if (!language)
        return false;
    size_t n = span(language, isalpha);
    if (n < 2 || n > 3)
        return false;
    const char *p = language + n;
    if (*p != '-')
        return false;
    while (*p == '-') {
        n = span(p + 1, isalnum);
        if (n < 2 || n > 8)
            return false;
        p += 1 + n;
    }
    return *p == '\0';
}
