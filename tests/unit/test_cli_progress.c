/* test_cli_progress.c - the text of smsprov's progress bar and progress
 * lines: percentages at the edges, bars that fit every width (the cursor
 * never wraps), text cut without splitting a UTF-8 character, control
 * characters made harmless; and what the drawing writes (a bar redrawn
 * with \r and ended with a newline, lines without \r, nothing when quiet). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "progress.h"

static size_t columns(const char *s)
{
    size_t n = 0;
    for (const unsigned char *c = (const unsigned char *)s; *c; c++)
        if ((*c & 0xC0) != 0x80)
            n++;
    return n;
}

static void test_percent_edges(void **state)
{
    (void)state;
    assert_int_equal(cli_progress_percent(0, 100), 0);
    assert_int_equal(cli_progress_percent(99, 100), 99);
    assert_int_equal(cli_progress_percent(100, 100), 100);
    assert_int_equal(cli_progress_percent(150, 100), 100);
    assert_int_equal(cli_progress_percent(1, 3), 33);
    assert_int_equal(cli_progress_percent(0, 0), 0);
    assert_int_equal(cli_progress_percent(5, 0), 100);
    /* No overflow on large counts. */
    assert_int_equal(cli_progress_percent(UINT32_MAX - 1, UINT32_MAX), 99);
}

static void test_bar_at_0_and_100(void **state)
{
    (void)state;
    char *zero = cli_progress_bar_line(0, 100, "Reading", 80);
    char *full = cli_progress_bar_line(100, 100, "Done", 80);
    /* 80 columns: (80 - 8) / 3 = 24 cells. */
    assert_string_equal(zero, "  0% [........................] Reading");
    assert_string_equal(full, "100% [########################] Done");
    free(zero);
    free(full);
    char *half = cli_progress_bar_line(50, 100, NULL, 80);
    assert_string_equal(half, " 50% [############............]");
    free(half);
}

static void test_bar_fits_every_width(void **state)
{
    (void)state;
    const char *text = "Injecting the OSD binaries into boot.LAB00001.wim and writing it";
    for (unsigned width = 0; width <= 200; width++) {
        char *line = cli_progress_bar_line(37, 100, text, width);
        size_t n = columns(line);
        assert_true(n <= (width ? width - 1 : 0));
        assert_null(strchr(line, '\r'));
        assert_null(strchr(line, '\n'));
        if (width >= 5)
            assert_memory_equal(line, " 37%", 4);
        if (width >= 24)
            assert_non_null(strchr(line, '['));
        else
            assert_null(strchr(line, '['));
        if (width >= 120)
            assert_non_null(strstr(line, "writing it")); /* room for all of it */
        free(line);
    }
    /* Narrow: cut with "..." at exactly width - 1 columns. */
    char *cut = cli_progress_bar_line(37, 100, text, 40);
    assert_int_equal(columns(cut), 39);
    assert_string_equal(cut + strlen(cut) - 3, "...");
    free(cut);
}

static void test_cut_never_splits_a_character(void **state)
{
    (void)state;
    /* "Vérification de l’image" with multi-byte characters around the cut. */
    const char *text = "V\xC3\xA9rification \xE2\x80\x99\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9"
                       "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9";
    for (unsigned width = 6; width < 40; width++) {
        char *line = cli_progress_bar_line(10, 100, text, width);
        assert_true(columns(line) <= width - 1);
        /* Every multi-byte sequence is whole. */
        for (const unsigned char *c = (const unsigned char *)line; *c;) {
            size_t n = *c >= 0xE0 ? 3 : *c >= 0xC0 ? 2 : 1;
            for (size_t i = 1; i < n; i++)
                assert_int_equal(c[i] & 0xC0, 0x80);
            c += n;
        }
        free(line);
    }
}

static void test_control_characters_become_spaces(void **state)
{
    (void)state;
    char *bar = cli_progress_bar_line(1, 2, "a\rb\nc\x1b[2Jd", 80);
    assert_null(strchr(bar, '\r'));
    assert_null(strchr(bar, '\n'));
    assert_null(strchr(bar, '\x1b'));
    assert_non_null(strstr(bar, "a b c [2Jd"));
    free(bar);
    char *plain = cli_progress_plain_line(40, 100, "x\ry");
    assert_string_equal(plain, " 40% x y");
    free(plain);
}

/* What the drawing writes for a run of steps, into a memory stream. */
static char *draw(cli_progress_mode mode)
{
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&text, &size);
    cli_progress p;
    cli_progress_init(&p, mode, out);
    static const uint32_t steps[] = {0, 3, 5, 12, 13, 25, 50, 100};
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
        cli_progress_update(&p, steps[i], 100, i < 4 ? "Reading" : "Writing");
    cli_progress_end(&p);
    fclose(out);
    return text;
}

static void test_drawing_per_mode(void **state)
{
    (void)state;
    char *bar = draw(CLI_PROGRESS_BAR);
    assert_int_equal(bar[0], '\r');
    assert_non_null(strstr(bar, "100% ["));
    assert_int_equal(bar[strlen(bar) - 1], '\n');
    assert_ptr_equal(strchr(bar, '\n'), bar + strlen(bar) - 1); /* one newline, at the end */
    free(bar);

    char *lines = draw(CLI_PROGRESS_LINES);
    assert_null(strchr(lines, '\r'));
    /* A line per 10% step and per new text: 0 (Reading), 12, 13 (Writing),
     * 25, 50, 100; 3 and 5 stay in the 0-9% step with the same text. */
    assert_string_equal(lines, "  0% Reading\n 12% Reading\n 13% Writing\n 25% Writing\n"
                               " 50% Writing\n100% Writing\n");
    free(lines);

    char *quiet = draw(CLI_PROGRESS_OFF);
    assert_string_equal(quiet, "");
    free(quiet);
}

static void test_width_without_a_terminal_comes_from_columns(void **state)
{
    (void)state;
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&text, &size); /* no terminal behind it */
    setenv("COLUMNS", "132", 1);
    assert_int_equal(cli_terminal_width(out), 132);
    setenv("COLUMNS", "wide", 1);
    assert_int_equal(cli_terminal_width(out), 80);
    setenv("COLUMNS", "0", 1);
    assert_int_equal(cli_terminal_width(out), 80);
    unsetenv("COLUMNS");
    assert_int_equal(cli_terminal_width(out), 80);
    fclose(out);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_percent_edges),
        cmocka_unit_test(test_bar_at_0_and_100),
        cmocka_unit_test(test_bar_fits_every_width),
        cmocka_unit_test(test_cut_never_splits_a_character),
        cmocka_unit_test(test_control_characters_become_spaces),
        cmocka_unit_test(test_drawing_per_mode),
        cmocka_unit_test(test_width_without_a_terminal_comes_from_columns),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
