/*
 * test_fixture.h - what every unit test may share: a scratch folder made
 * fresh for a group of tests and removed after it, and whole-file reads and
 * writes that fail the test (cmocka) instead of returning errors.
 * fixture.c implements them; every test program links it.
 */
#ifndef SMSPROV_TEST_FIXTURE_H
#define SMSPROV_TEST_FIXTURE_H

#include <stddef.h>

/* Removes dir and everything under it (no links followed), then makes it
 * and its missing parents.  0, or -1 when it cannot be made: the value a
 * cmocka group setup returns. */
int fixture_make_scratch(const char *dir);

/* Removes dir and everything under it; nothing when it is missing. */
void fixture_remove_tree(const char *dir);

/* make_scratch and remove_scratch, a cmocka group's setup and teardown
 * for the scratch folder dir:
 *   FIXTURE_SCRATCH_GROUP(SCRATCH)
 *   ... cmocka_run_group_tests(tests, make_scratch, remove_scratch); */
#define FIXTURE_SCRATCH_GROUP(dir)                                                             \
    static int make_scratch(void **state)                                                      \
    {                                                                                          \
        (void)state;                                                                           \
        return fixture_make_scratch(dir);                                                      \
    }                                                                                          \
    static int remove_scratch(void **state)                                                    \
    {                                                                                          \
        (void)state;                                                                           \
        fixture_remove_tree(dir);                                                              \
        return 0;                                                                              \
    }

/* The whole file, with a NUL after its last byte so a text file is a C
 * string; *size (size may be NULL) gets its length without the NUL.  Fails
 * the test when the file cannot be read.  Caller frees. */
char *fixture_slurp(const char *path, size_t *size);

/* The same, but NULL when the file cannot be opened: for tests that a file
 * is absent. */
char *fixture_slurp_optional(const char *path, size_t *size);

/* Writes size bytes to path, creating or truncating it and making missing
 * parent folders.  Fails the test on any error. */
void fixture_write(const char *path, const void *data, size_t size);
/* fixture_write of a C string, without its NUL. */
void fixture_write_text(const char *path, const char *text);

#endif
