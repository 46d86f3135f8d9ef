/*
 * test_wql_differential.c - random queries over random rows, answered
 * twice: pushed down to SQLite and evaluated in memory.  The two answers
 * must be identical (same error, or the same instances in the same order).
 * The pushed-down answer is read through a cursor in batches of a random
 * size (1 to 64 rows, often 1 to 4), each batch continuing after the last row of the one
 * before, so keyset paging (ORDER BY included) must agree with the whole
 * sorted answer.
 *
 * The rows and queries draw their values from the same small pools, so
 * comparisons often hit, with NULLs, case variants, uint64 values above
 * INT64_MAX, DATETIMEs in different offsets or with asterisks, LIKE
 * specials and non-ASCII text.  WQL_DIFF_SEED and WQL_DIFF_QUERIES in the
 * environment change the seed (default 20240115) and the count (10000).
 */
#include <inttypes.h>

#include "test_wql_fixture.h"

#define ROW_COUNT 80

/* A small deterministic generator (xorshift64*), so a failure repeats. */
static uint64_t rng_state;

static uint64_t rng_next(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * UINT64_C(2685821657736338717);
}

static size_t pick(size_t n)
{
    return (size_t)(rng_next() % n);
}

static bool chance(unsigned percent)
{
    return pick(100) < percent;
}

#define PICK(array) (array[pick(sizeof array / sizeof array[0])])

/* ------------------------------------------------------------------------ */
/* Value pools, written as WQL / MOF literals                               */
/* ------------------------------------------------------------------------ */

/* Text, as it would appear inside quotes (backslash and quote escaped). */
static const char *const texts[] = {
    "alpha", "Alpha", "ALPHA", "beta", "b_ta", "x64", "X64 image", "100%", "[x]", "it\\'s",
    "Caf\xC3\xA9", "caf\xC3\xA9", "CAF\xC3\x89", "", "a\\\\b", "zeta", "Beta gamma", "_", "%",
    "alphabet", "alp", "Zeta",
};
static const char *const package_types[] = {"0", "1", "258", "259", "4294967295"};
static const char *const sizes[] = {"0", "1", "1000", "5000000000", "9223372036854775807",
                                    "9223372036854775808", "18446744073709551615",
                                    "18446744073709551614"};
static const char *const priorities[] = {"-2147483648", "-1", "0", "1", "2", "2147483647"};
static const char *const ratios[] = {"-2.5", "0", "0.1", "0.5", "1", "1e10", "-1e300", "3"};
static const char *const booleans[] = {"TRUE", "FALSE"};
static const char *const datetimes[] = {
    "20240115103000.000000+000", "20240115123000.000000+120", "20240115103000.000000+***",
    "20230101000000.000000-300", "19991231235959.999999+000", "2024**15103000.000000+000",
    "00000001000000.000000:000", "20240115103000.123***+000", "20240115103000.000001+000",
};
static const char *const smalls[] = {"0", "1", "7", "255"};
static const char *const signed64s[] = {"-9223372036854775808", "-1", "0", "1",
                                        "9223372036854775807"};
static const char *const ratio32s[] = {"0.5", "0.1", "-3"};
static const char *const letters[] = {"A", "a", "z", "~"};
static const char *const targets[] = {"TST_Target.Name=\\\"one\\\"", "TST_Target.Name=\\\"ONE\\\"",
                                      "TST_Target.Name=\\\"two\\\""};

/* ------------------------------------------------------------------------ */
/* Random rows, as MOF                                                      */
/* ------------------------------------------------------------------------ */

static void maybe(cim_buf *b, const char *name, const char *fmt, const char *value)
{
    if (chance(20))
        return; /* NULL */
    cim_buf_printf(b, "  %s = ", name);
    cim_buf_printf(b, fmt, value);
    cim_buf_append(b, ";\n");
}

/* MOF strings escape a quote as \" rather than \'. */
static const char *mof_text(const char *wql_text)
{
    return strcmp(wql_text, "it\\'s") == 0 ? "it's" : wql_text;
}

static char *random_rows_mof(void)
{
    cim_buf b = {0};
    cim_buf_append(&b, wql_test_classes);
    for (int i = 0; i < ROW_COUNT; i++) {
        bool boot = chance(50);
        cim_buf_printf(&b, "instance of %s {\n  PackageID = \"P%04X\";\n",
                       boot ? "TST_BootImage" : "TST_OSInstall", i);
        maybe(&b, "Name", "\"%s\"", mof_text(PICK(texts)));
        maybe(&b, "Description", "\"%s\"", mof_text(PICK(texts)));
        maybe(&b, "Secret", "\"%s\"", mof_text(PICK(texts)));
        maybe(&b, "PackageType", "%s", PICK(package_types));
        maybe(&b, "SourceSize", "%s", PICK(sizes));
        maybe(&b, "Priority", "%s", PICK(priorities));
        maybe(&b, "Ratio", "%s", PICK(ratios));
        maybe(&b, "Enabled", "%s", PICK(booleans));
        maybe(&b, "SourceDate", "\"%s\"", PICK(datetimes));
        maybe(&b, "Small", "%s", PICK(smalls));
        maybe(&b, "Signed64", "%s", PICK(signed64s));
        maybe(&b, "Ratio32", "%s", PICK(ratio32s));
        maybe(&b, "Letter", "'%s'", PICK(letters));
        maybe(&b, "Target", "\"%s\"", PICK(targets));
        if (chance(30))
            cim_buf_printf(&b, "  Schedule = instance of %s { DayDuration = 1; };\n",
                           chance(50) ? "TST_Daily" : "TST_Weekly");
        if (boot) {
            maybe(&b, "Architecture", "\"%s\"", mof_text(PICK(texts)));
            maybe(&b, "ScratchSpace", "%s", PICK(smalls));
        } else {
            maybe(&b, "OSVersion", "\"%s\"", mof_text(PICK(texts)));
        }
        cim_buf_append(&b, "};\n");
    }
    return cim_buf_take(&b);
}

/* ------------------------------------------------------------------------ */
/* Random queries                                                           */
/* ------------------------------------------------------------------------ */

typedef enum kind { TEXT, UINT32, UINT64, SINT32, REAL, BOOL, DATETIME, UINT8, SINT64, REAL32,
                    CHAR16, REF, CLASS, OBJECT } kind;

typedef struct property {
    const char *name;
    kind kind;
} property;

static const property properties[] = {
    {"PackageID", TEXT}, {"Name", TEXT},         {"Description", TEXT}, {"Secret", TEXT},
    {"PackageType", UINT32}, {"SourceSize", UINT64}, {"Priority", SINT32}, {"Ratio", REAL},
    {"Enabled", BOOL},   {"SourceDate", DATETIME}, {"Small", UINT8},     {"Signed64", SINT64},
    {"Ratio32", REAL32}, {"Letter", CHAR16},      {"Target", REF},       {"__CLASS", CLASS},
};

static void literal(cim_buf *b, kind k)
{
    switch (k) {
    case TEXT:
    case CLASS:
        if (k == CLASS && chance(70))
            cim_buf_printf(b, "'%s'", PICK(((const char *[]){"TST_BootImage", "tst_osinstall",
                                                             "TST_PackageBase", "Nope"})));
        else
            cim_buf_printf(b, chance(80) ? "'%s'" : "UPPER('%s')", PICK(texts));
        return;
    case UINT32: cim_buf_printf(b, chance(80) ? "%s" : "'%s'", PICK(package_types)); return;
    case UINT64: cim_buf_append(b, PICK(sizes)); return;
    case SINT32: cim_buf_append(b, PICK(priorities)); return;
    case REAL: cim_buf_append(b, PICK(ratios)); return;
    case BOOL: cim_buf_append(b, PICK(((const char *[]){"TRUE", "FALSE", "1", "0", "'true'"})));
        return;
    case DATETIME: cim_buf_printf(b, "'%s'", PICK(datetimes)); return;
    case UINT8: cim_buf_append(b, PICK(smalls)); return;
    case SINT64: cim_buf_append(b, PICK(signed64s)); return;
    case REAL32: cim_buf_append(b, PICK(ratio32s)); return;
    case CHAR16: cim_buf_printf(b, "'%s'", PICK(letters)); return;
    case REF: cim_buf_printf(b, "'%s'", PICK(targets)); return;
    case OBJECT: return;
    }
}

static bool is_number(kind k)
{
    return k == UINT32 || k == UINT64 || k == SINT32 || k == REAL || k == UINT8 ||
           k == SINT64 || k == REAL32 || k == CHAR16;
}

static bool is_text(kind k)
{
    return k == TEXT || k == REF || k == CLASS;
}

static void operand(cim_buf *b, const property *p)
{
    if (is_text(p->kind) && chance(15))
        cim_buf_printf(b, "%s(%s)", chance(50) ? "UPPER" : "LOWER", p->name);
    else
        cim_buf_append(b, p->name);
}

static const char *comparison(void)
{
    return PICK(((const char *[]){"=", "<>", "!=", "<", ">", "<=", ">="}));
}

static void like_pattern(cim_buf *b)
{
    static const char *const pieces[] = {"%", "_", "a", "A", "l", "[a-c]", "[^a]", "[%]",
                                         "[_]", "x64", "\xC3\xA9", "\\'", "\\\\", "b",
                                         "[A-Z]", "p", "ha", "[]]"};
    cim_buf_append(b, "'");
    size_t n = 1 + pick(4);
    for (size_t i = 0; i < n; i++)
        cim_buf_append(b, PICK(pieces));
    cim_buf_append(b, "'");
}

/* A property of a kind comparable with k, for property-to-property tests. */
static const property *partner(kind k)
{
    for (int tries = 0; tries < 20; tries++) {
        const property *q = &PICK(properties);
        if ((is_number(k) && is_number(q->kind)) || (is_text(k) && is_text(q->kind) &&
                                                     q->kind != CLASS) ||
            (k == q->kind && (k == BOOL || k == DATETIME)))
            return q;
    }
    return NULL;
}

static void predicate(cim_buf *b)
{
    const property *p = &PICK(properties);
    unsigned form = (unsigned)pick(100);
    if (form < 40) {
        const property *other = chance(15) ? partner(p->kind) : NULL;
        if (other && !(p->kind == CLASS)) {
            operand(b, p);
            cim_buf_printf(b, " %s ", comparison());
            operand(b, other);
        } else if (chance(20)) {
            literal(b, p->kind);
            cim_buf_printf(b, " %s %s", comparison(), p->name);
        } else {
            operand(b, p);
            cim_buf_printf(b, " %s ", comparison());
            literal(b, p->kind);
        }
    } else if (form < 55 && (is_text(p->kind) || p->kind == DATETIME)) {
        operand(b, p);
        cim_buf_append(b, chance(25) ? " NOT LIKE " : " LIKE ");
        like_pattern(b);
    } else if (form < 70 && p->kind != BOOL) {
        operand(b, p);
        cim_buf_append(b, chance(25) ? " NOT IN (" : " IN (");
        size_t n = 1 + pick(4);
        for (size_t i = 0; i < n; i++) {
            if (i)
                cim_buf_append(b, ", ");
            if (p->kind == TEXT || p->kind == CLASS)
                cim_buf_printf(b, "'%s'", PICK(texts));
            else
                literal(b, p->kind);
        }
        cim_buf_append(b, ")");
    } else if (form < 82) {
        if (p->kind == CLASS)
            p = &properties[1];
        operand(b, p);
        cim_buf_append(b, PICK(((const char *[]){" IS NULL", " IS NOT NULL", " = NULL",
                                                 " <> NULL"})));
    } else if (form < 90) {
        cim_buf_printf(b, "%s ISA '%s'",
                       PICK(((const char *[]){"__CLASS", "__this", "Schedule"})),
                       PICK(((const char *[]){"TST_BootImage", "TST_OSInstall", "TST_PackageBase",
                                              "TST_Token", "TST_Daily", "Nope"})));
    } else if (form < 98) {
        operand(b, p);
        cim_buf_printf(b, " %s ", comparison());
        literal(b, p->kind);
    } else {
        /* Often a value of the wrong type, which both paths must refuse. */
        cim_buf_printf(b, "%s = '%s'", p->name, PICK(texts));
    }
}

static void condition(cim_buf *b, int depth)
{
    unsigned form = (unsigned)pick(100);
    if (depth >= 3 || form < 40) {
        predicate(b);
    } else if (form < 55) {
        cim_buf_append(b, "NOT ");
        if (chance(50)) {
            predicate(b);
        } else {
            cim_buf_append(b, "(");
            condition(b, depth + 1);
            cim_buf_append(b, ")");
        }
    } else {
        bool group = chance(60);
        if (group)
            cim_buf_append(b, "(");
        size_t n = 2 + pick(3);
        const char *joiner = chance(50) ? " AND " : " OR ";
        for (size_t i = 0; i < n; i++) {
            if (i)
                cim_buf_append(b, chance(80) ? joiner : (chance(50) ? " AND " : " OR "));
            condition(b, depth + 1);
        }
        if (group)
            cim_buf_append(b, ")");
    }
}

static void order_by(cim_buf *b)
{
    size_t n = 1 + pick(2);
    cim_buf_append(b, " ORDER BY ");
    for (size_t i = 0; i < n; i++) {
        if (i)
            cim_buf_append(b, ", ");
        cim_buf_append(b, PICK(properties).name);
        cim_buf_append(b, PICK(((const char *[]){"", " ASC", " DESC"})));
    }
}

static char *random_query(void)
{
    cim_buf b = {0};
    unsigned select = (unsigned)pick(100);
    const char *from = PICK(((const char *[]){"TST_PackageBase", "TST_PackageBase",
                                              "TST_BootImage", "TST_OSInstall"}));
    bool count = false, distinct = false;
    if (select < 70) {
        cim_buf_append(&b, "SELECT *");
    } else if (select < 80) {
        cim_buf_append(&b, chance(80) ? "SELECT COUNT(*)" : "SELECT COUNT(Ratio)");
        count = true;
    } else if (select < 90) {
        distinct = true;
        cim_buf_printf(&b, "SELECT DISTINCT %s", PICK(properties).name);
    } else {
        cim_buf_printf(&b, "SELECT %s, %s", PICK(properties).name, PICK(properties).name);
    }
    cim_buf_printf(&b, " FROM %s", from);
    if (chance(90)) {
        cim_buf_append(&b, " WHERE ");
        condition(&b, 0);
    }
    if (!count && !distinct && chance(30))
        order_by(&b);
    char *query = cim_buf_take(&b);
    if (chance(3)) /* a few broken queries: both paths must refuse them alike */
        query[pick(strlen(query))] = '\0';
    return query;
}

/* ------------------------------------------------------------------------ */
/* The comparison                                                           */
/* ------------------------------------------------------------------------ */

static char *ids_of(const smsprov_instance_list *list)
{
    return wql_ids(list);
}

/* NULL when the two answers agree, else a description of the difference. */
static char *compare_answers(const char *query, smsprov_code rc_a, const smsprov_error *err_a,
                             const smsprov_instance_list *a, smsprov_code rc_b,
                             const smsprov_error *err_b, const smsprov_instance_list *b)
{
    if (rc_a != rc_b)
        return cim_xasprintf("%s\n  push-down: %s %s\n  in-memory: %s %s", query,
                             smsprov_code_name(rc_a), err_a->description ? err_a->description : "",
                             smsprov_code_name(rc_b), err_b->description ? err_b->description : "");
    if (rc_a != SMSPROV_OK) {
        if (strcmp(err_a->description, err_b->description) != 0)
            return cim_xasprintf("%s\n  push-down: %s\n  in-memory: %s", query, err_a->description,
                                 err_b->description);
        return NULL;
    }
    bool same = a->count == b->count;
    for (size_t i = 0; same && i < a->count; i++)
        same = cim_instance_equal(a->items[i], b->items[i]);
    if (same)
        return NULL;
    char *ia = ids_of(a), *ib = ids_of(b);
    char *problem = cim_xasprintf("%s\n  push-down: %zu rows: %s\n  in-memory: %zu rows: %s",
                                  query, a->count, ia, b->count, ib);
    free(ia);
    free(ib);
    return problem;
}

typedef struct batch_reader {
    smsprov_instance_list *out;
    size_t left;
} batch_reader;

static store_take take_batch(void *data, cim_instance *take)
{
    batch_reader *r = data;
    r->out->items = cim_xrealloc(r->out->items, (r->out->count + 1) * sizeof *r->out->items);
    r->out->items[r->out->count++] = take;
    return --r->left > 0 ? STORE_TAKE_NEXT : STORE_TAKE_STOP;
}

/* The query through a cursor, batch rows per fetch. */
static smsprov_code run_in_batches(const wql_fixture *f, const char *query, size_t batch,
                                   smsprov_instance_list *out, smsprov_error *err)
{
    wql_cursor *c = NULL;
    smsprov_code rc = wql_cursor_open(f->st, f->schema, WQL_TEST_NS, query, WQL_PUSHDOWN, &c, err);
    bool end = rc != SMSPROV_OK;
    for (size_t rounds = 0; !end && rc == SMSPROV_OK; rounds++) {
        batch_reader r = {out, batch};
        rc = wql_cursor_fetch(c, batch, take_batch, &r, &end, err);
        assert_true(rounds <= ROW_COUNT + 1); /* every fetch but the last makes progress */
    }
    wql_cursor_free(c);
    return rc;
}

typedef struct stats {
    size_t queries, errors, empty, rows;
} stats;

static char *run_one(const wql_fixture *f, const char *query, stats *s)
{
    smsprov_instance_list a = {0}, b = {0};
    smsprov_error err_a = {0}, err_b = {0};
    size_t batch = chance(20) ? 1 + pick(4) : 5 + pick(60);
    smsprov_code rc_a = run_in_batches(f, query, batch, &a, &err_a);
    smsprov_code rc_b = wql_run(f, query, WQL_IN_MEMORY, &b, &err_b);
    char *problem = compare_answers(query, rc_a, &err_a, &a, rc_b, &err_b, &b);
    s->queries++;
    if (rc_a != SMSPROV_OK)
        s->errors++;
    else if (a.count == 0)
        s->empty++;
    s->rows += a.count;
    wql_list_free(&a);
    wql_list_free(&b);
    smsprov_error_clear(&err_a);
    smsprov_error_clear(&err_b);
    return problem;
}

static unsigned long env_number(const char *name, unsigned long fallback)
{
    const char *v = getenv(name);
    return v && *v ? strtoul(v, NULL, 10) : fallback;
}

static void test_pushdown_matches_in_memory(void **state)
{
    (void)state;
    uint64_t seed = env_number("WQL_DIFF_SEED", 20240115);
    size_t count = env_number("WQL_DIFF_QUERIES", 10000);
    rng_state = seed * UINT64_C(0x9E3779B97F4A7C15) + 1;

    wql_fixture f;
    char *mof = random_rows_mof();
    wql_fixture_open(&f, "differential", mof);
    free(mof);
    assert_int_equal(cim_schema_seed_count(f.schema), ROW_COUNT);

    stats s = {0};
    size_t failures = 0;
    for (size_t i = 0; i < count; i++) {
        char *query = random_query();
        char *problem = run_one(&f, query, &s);
        if (problem) {
            if (failures < 20)
                print_error("query %zu (seed %" PRIu64 ") differs:\n%s\n", i, seed, problem);
            failures++;
            free(problem);
        }
        free(query);
    }
    print_message("%zu queries: %zu errors, %zu empty, %zu rows in all\n", s.queries, s.errors,
                  s.empty, s.rows);
    wql_fixture_close(&f);
    if (failures)
        fail_msg("%zu of %zu queries gave different answers", failures, count);
    /* The generator must exercise real matches, not just errors. */
    assert_true(s.errors > 0);
    assert_true(s.errors < s.queries / 4);
    assert_true(s.empty < s.queries / 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pushdown_matches_in_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
