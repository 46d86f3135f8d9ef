/* progress.c - drawing the progress of a job smsprov waits for on stderr:
 * a bar redrawn in place on a terminal, plain lines elsewhere. */
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "progress.h"
#include "smsprov/cim.h"

cli_progress_mode cli_progress_choose(FILE *out, bool quiet)
{
    if (quiet)
        return CLI_PROGRESS_OFF;
    return isatty(fileno(out)) ? CLI_PROGRESS_BAR : CLI_PROGRESS_LINES;
}

void cli_progress_init(cli_progress *p, cli_progress_mode mode, FILE *out)
{
    memset(p, 0, sizeof *p);
    p->mode = mode;
    p->out = out;
}

unsigned cli_terminal_width(FILE *out)
{
    struct winsize ws;
    if (ioctl(fileno(out), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
        return ws.ws_col;
    const char *columns = getenv("COLUMNS");
    char *end = NULL;
    long n = columns ? strtol(columns, &end, 10) : 0;
    if (columns && *columns && !*end && n > 0 && n <= 10000)
        return (unsigned)n;
    return 80;
}

static int64_t now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* Columns of a line the formatter made (one per code point). */
static size_t columns_of(const char *line)
{
    size_t n = 0;
    for (const unsigned char *c = (const unsigned char *)line; *c; c++)
        if ((*c & 0xC0) != 0x80)
            n++;
    return n;
}

/* Redraws the bar over the previous one: \r, the line, and spaces over
 * what a longer previous line left. */
static void draw_bar(cli_progress *p, char *line)
{
    size_t columns = columns_of(line);
    fputc('\r', p->out);
    fputs(line, p->out);
    for (size_t i = columns; i < p->drawn_columns; i++)
        fputc(' ', p->out);
    fflush(p->out);
    free(p->drawn_line);
    p->drawn_line = line;
    p->drawn_columns = columns;
    p->drawn = true;
}

static void update_bar(cli_progress *p, uint32_t done, uint32_t total, const char *text)
{
    char *line = cli_progress_bar_line(done, total, text, cli_terminal_width(p->out));
    int64_t now = now_us();
    bool same = p->drawn_line && strcmp(line, p->drawn_line) == 0;
    /* The last state is drawn by cli_progress_end if this one is skipped;
     * 100% is drawn at once, being the last. */
    bool too_soon = p->drawn && now - p->drawn_at_us < CLI_PROGRESS_REDRAW_US &&
                    cli_progress_percent(done, total) < 100;
    if (same || too_soon) {
        free(p->pending_line);
        p->pending_line = same ? NULL : line;
        if (same)
            free(line);
        return;
    }
    free(p->pending_line);
    p->pending_line = NULL;
    draw_bar(p, line);
    p->drawn_at_us = now;
}

static void update_lines(cli_progress *p, uint32_t done, uint32_t total, const char *text)
{
    unsigned step = cli_progress_percent(done, total) / 10 + 1;
    const char *shown = text ? text : "";
    bool text_changed = !p->printed_text || strcmp(shown, p->printed_text) != 0;
    if (!text_changed && step <= p->printed_step)
        return;
    char *line = cli_progress_plain_line(done, total, shown);
    fprintf(p->out, "%s\n", line);
    fflush(p->out);
    free(line);
    if (step > p->printed_step)
        p->printed_step = step;
    free(p->printed_text);
    p->printed_text = cim_xstrdup(shown);
}

void cli_progress_update(void *data, uint32_t done, uint32_t total, const char *text)
{
    cli_progress *p = data;
    if (p->mode == CLI_PROGRESS_BAR)
        update_bar(p, done, total, text);
    else if (p->mode == CLI_PROGRESS_LINES)
        update_lines(p, done, total, text);
}

void cli_progress_end(cli_progress *p)
{
    if (p->pending_line) {
        draw_bar(p, p->pending_line);
        p->pending_line = NULL;
    }
    if (p->drawn) {
        fputc('\n', p->out);
        fflush(p->out);
    }
    free(p->drawn_line);
    free(p->printed_text);
    cli_progress_init(p, p->mode, p->out);
}

void cli_progress_clear(cli_progress *p)
{
    free(p->pending_line);
    p->pending_line = NULL;
    cli_progress_end(p);
}
