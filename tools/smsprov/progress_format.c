/* progress_format.c - the text of a progress bar and of a progress line. */
#include <stdlib.h>
#include <string.h>

#include "progress.h"
#include "smsprov/cim.h"

unsigned cli_progress_percent(uint32_t done, uint32_t total)
{
    if (total == 0)
        return done ? 100 : 0;
    if (done >= total)
        return 100;
    return (unsigned)((uint64_t)done * 100 / total);
}

/* Length in bytes of the UTF-8 sequence starting with lead (1 for a stray
 * continuation byte, so a bad sequence still advances). */
static size_t sequence_length(unsigned char lead)
{
    if (lead >= 0xF0 && lead < 0xF8)
        return 4;
    if (lead >= 0xE0)
        return lead < 0xF0 ? 3 : 1;
    if (lead >= 0xC0)
        return 2;
    return 1;
}

/* Appends at most columns code points of text, control characters as
 * spaces, with "..." in the last three columns when text is longer. */
static void append_fitted(cim_buf *b, const char *text, size_t columns)
{
    const unsigned char *p = (const unsigned char *)(text ? text : "");
    size_t total = 0;
    for (const unsigned char *q = p; *q; total++) {
        size_t n = sequence_length(*q);
        for (size_t i = 0; i < n && *q; i++)
            q++;
    }
    bool cut = total > columns;
    size_t keep = cut ? (columns >= 3 ? columns - 3 : 0) : total;
    for (size_t c = 0; c < keep; c++) {
        size_t n = sequence_length(*p);
        if (*p < 0x20 || *p == 0x7F) {
            cim_buf_append(b, " ");
            p++;
            continue;
        }
        size_t have = 0;
        while (have < n && p[have])
            have++;
        cim_buf_append_n(b, (const char *)p, have);
        p += have;
    }
    if (cut)
        cim_buf_append_n(b, "...", columns < 3 ? columns : 3);
}

/* The bar's cells: none on a narrow terminal, up to 30 on a wide one. */
static unsigned bar_cells(unsigned width)
{
    if (width < 24)
        return 0;
    unsigned cells = (width - 8) / 3;
    return cells > 30 ? 30 : cells;
}

char *cli_progress_bar_line(uint32_t done, uint32_t total, const char *text, unsigned width)
{
    unsigned percent = cli_progress_percent(done, total);
    size_t room = width > 1 ? width - 1 : 0; /* the last column would wrap */
    cim_buf b = {0};
    cim_buf_append(&b, "");
    char head[8];
    snprintf(head, sizeof head, "%3u%%", percent);
    if (room < 4)
        return (cim_buf_append_n(&b, head, room), cim_buf_take(&b));
    cim_buf_append(&b, head);
    size_t used = 4;
    unsigned cells = bar_cells(width);
    if (cells) {
        unsigned full = (unsigned)((uint64_t)percent * cells / 100);
        cim_buf_append(&b, " [");
        for (unsigned i = 0; i < cells; i++)
            cim_buf_append(&b, i < full ? "#" : ".");
        cim_buf_append(&b, "]");
        used += cells + 3;
    }
    if (text && *text && room > used + 1) {
        cim_buf_append(&b, " ");
        append_fitted(&b, text, room - used - 1);
    }
    return cim_buf_take(&b);
}

char *cli_progress_plain_line(uint32_t done, uint32_t total, const char *text)
{
    cim_buf b = {0};
    cim_buf_printf(&b, "%3u%%", cli_progress_percent(done, total));
    if (text && *text) {
        cim_buf_append(&b, " ");
        append_fitted(&b, text, strlen(text));
    }
    return cim_buf_take(&b);
}
