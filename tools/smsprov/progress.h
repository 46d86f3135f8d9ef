/*
 * progress.h - how smsprov shows the progress of long work (boot image
 * imports, refreshes, exports, optional component updates) on stderr:
 *
 *   a terminal   one bar redrawn in place with \r, at most every
 *                CLI_PROGRESS_REDRAW_US, ended with a newline:
 *                "  42% [########............] Injecting OSD files"
 *   otherwise    one plain line per change of ProgressText and per 10%
 *                step, never a \r:  "  40% Injecting OSD files"
 *   --quiet      nothing.
 *
 * The formatting functions are pure (and unit-tested); cli_progress_*
 * draws them.
 */
#ifndef SMSPROV_CLI_PROGRESS_H
#define SMSPROV_CLI_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* ---- formatting ------------------------------------------------------------ */

/* done of total as a whole percentage, rounded down and at most 100; a
 * total of 0 gives 0 (100 when done is not 0 either). */
unsigned cli_progress_percent(uint32_t done, uint32_t total);

/* The bar for a terminal `width` columns wide: percentage, a bar (when
 * there is room) and the text, cut (with "...") so the line takes at most
 * width - 1 columns and the cursor never wraps.  Control characters of
 * text become spaces; UTF-8 sequences are never split, each code point
 * counting as one column.  Caller frees. */
char *cli_progress_bar_line(uint32_t done, uint32_t total, const char *text, unsigned width);

/* The plain line (no newline): "  40% text".  Control characters of text
 * become spaces.  Caller frees. */
char *cli_progress_plain_line(uint32_t done, uint32_t total, const char *text);

/* ---- drawing --------------------------------------------------------------- */

typedef enum cli_progress_mode {
    CLI_PROGRESS_OFF,   /* --quiet */
    CLI_PROGRESS_BAR,   /* stderr is a terminal */
    CLI_PROGRESS_LINES, /* stderr is a pipe or a file */
} cli_progress_mode;

/* The fastest a bar is redrawn (10 times a second). */
#define CLI_PROGRESS_REDRAW_US 100000

typedef struct cli_progress {
    cli_progress_mode mode;
    FILE *out;
    bool drawn;            /* a bar is on screen without its newline */
    size_t drawn_columns;  /* columns of the bar on screen */
    char *drawn_line;      /* what is on screen, to skip redraws */
    char *pending_line;    /* a newer bar not drawn yet (too soon after the last) */
    int64_t drawn_at_us;
    unsigned printed_step; /* LINES: the last 10% step printed, +1 (0: none) */
    char *printed_text;    /* LINES: the last text printed */
} cli_progress;

/* BAR when out is a terminal and not quiet, LINES when it is not. */
cli_progress_mode cli_progress_choose(FILE *out, bool quiet);
void cli_progress_init(cli_progress *p, cli_progress_mode mode, FILE *out);
/* An smsprov_progress_fn (data is the cli_progress). */
void cli_progress_update(void *data, uint32_t done, uint32_t total, const char *text);
/* Ends the current bar: draws its latest state and the newline.  Lines
 * start afresh for the next job.  Call before anything else is printed. */
void cli_progress_end(cli_progress *p);
/* Frees what p holds, ending a bar on screen without redrawing it. */
void cli_progress_clear(cli_progress *p);

/* The width of the terminal behind out: TIOCGWINSZ, else $COLUMNS, else 80. */
unsigned cli_terminal_width(FILE *out);

#endif
