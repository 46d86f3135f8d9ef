/* dialect.c - the SQL functions the store's queries call, registered on
 * every connection it opens, so SQLite answers LIKE, DATETIME comparisons
 * and ORDER BY with the very code the in-memory WQL evaluator uses:
 *   smsprov_like(value, pattern)  1, 0, or NULL when either is NULL
 *   smsprov_dtcmp(a, b)           -1, 0, 1, or NULL when either is NULL or
 *                                 the two cannot be ordered
 *   smsprov_order_key(value, k)   a BLOB whose byte order is the query order
 *                                 of value (NULL for NULL): k 1 uint64 by
 *                                 value, 2 real (NaN first, -0 = 0),
 *                                 3 DATETIME (cim_datetime_text_order) */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "store/sqlite/store_internal.h"

static void like_function(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    const unsigned char *value = sqlite3_value_text(argv[0]);
    const unsigned char *pattern = sqlite3_value_text(argv[1]);
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL || sqlite3_value_type(argv[1]) == SQLITE_NULL ||
        !value || !pattern) {
        sqlite3_result_null(ctx);
        return;
    }
    sqlite3_result_int(ctx, cim_like_match((const char *)value, (const char *)pattern));
}

static void datetime_compare_function(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL || sqlite3_value_type(argv[1]) == SQLITE_NULL) {
        sqlite3_result_null(ctx);
        return;
    }
    const unsigned char *a = sqlite3_value_text(argv[0]);
    const unsigned char *b = sqlite3_value_text(argv[1]);
    bool comparable = false;
    int c = a && b ? cim_datetime_text_compare((const char *)a, (const char *)b, &comparable) : 0;
    if (comparable)
        sqlite3_result_int(ctx, c);
    else
        sqlite3_result_null(ctx);
}

static void put_u64(unsigned char *out, uint64_t v)
{
    for (int i = 7; i >= 0; i--, v >>= 8)
        out[i] = (unsigned char)(v & 0xFF);
}

/* A double whose bits, read as an unsigned number, order as the values. */
static uint64_t real_order_bits(double d)
{
    uint64_t bits;
    if (d == 0)
        d = 0; /* -0 orders as 0 */
    memcpy(&bits, &d, sizeof bits);
    return bits & (UINT64_C(1) << 63) ? ~bits : bits | (UINT64_C(1) << 63);
}

static bool read_real(sqlite3_value *v, double *out)
{
    switch (sqlite3_value_type(v)) {
    case SQLITE_FLOAT: *out = sqlite3_value_double(v); return true;
    case SQLITE_INTEGER: *out = (double)sqlite3_value_int64(v); return true;
    case SQLITE_BLOB: {
        /* NaN and -0 are stored as their bits, most significant byte first. */
        if (sqlite3_value_bytes(v) != 8)
            return false;
        const unsigned char *p = sqlite3_value_blob(v);
        uint64_t bits = 0;
        for (int i = 0; i < 8; i++)
            bits = bits << 8 | p[i];
        memcpy(out, &bits, sizeof *out);
        return true;
    }
    default: return false;
    }
}

static void real_key(sqlite3_context *ctx, sqlite3_value *v)
{
    unsigned char key[9] = {0};
    double d = 0;
    if (!read_real(v, &d)) {
        sqlite3_result_null(ctx);
        return;
    }
    if (isnan(d)) { /* NaN first among numbers, equal to itself */
        sqlite3_result_blob(ctx, key, 1, SQLITE_TRANSIENT);
        return;
    }
    key[0] = 1;
    put_u64(key + 1, real_order_bits(d));
    sqlite3_result_blob(ctx, key, sizeof key, SQLITE_TRANSIENT);
}

static void datetime_key(sqlite3_context *ctx, sqlite3_value *v)
{
    const char *text = (const char *)sqlite3_value_text(v);
    if (!text) {
        sqlite3_result_null(ctx);
        return;
    }
    cim_datetime_rank r = cim_datetime_text_rank(text);
    if (r.group < 2) {
        unsigned char key[9];
        key[0] = (unsigned char)r.group;
        put_u64(key + 1, (uint64_t)r.key ^ (UINT64_C(1) << 63));
        sqlite3_result_blob(ctx, key, sizeof key, SQLITE_TRANSIENT);
        return;
    }
    /* The rest by text, folded as NOCASE folds it. */
    size_t n = strlen(text);
    unsigned char *key = cim_xmalloc(n + 1);
    key[0] = 2;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)text[i];
        key[i + 1] = c >= 'A' && c <= 'Z' ? (unsigned char)(c + ('a' - 'A')) : c;
    }
    sqlite3_result_blob(ctx, key, (int)(n + 1), free);
}

static void order_key_function(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
        sqlite3_result_null(ctx);
        return;
    }
    switch (sqlite3_value_int(argv[1])) {
    case STORE_ORDER_KEY_UINT64: {
        unsigned char key[8];
        put_u64(key, (uint64_t)sqlite3_value_int64(argv[0]));
        sqlite3_result_blob(ctx, key, sizeof key, SQLITE_TRANSIENT);
        break;
    }
    case STORE_ORDER_KEY_REAL: real_key(ctx, argv[0]); break;
    case STORE_ORDER_KEY_DATETIME: datetime_key(ctx, argv[0]); break;
    default: sqlite3_result_error(ctx, "unknown order key kind", -1);
    }
}

smsprov_code store_dialect_register(store *st, sqlite3 *db, smsprov_error *err)
{
    const int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS;
    int rc = sqlite3_create_function_v2(db, STORE_SQL_LIKE, 2, flags, NULL, like_function, NULL,
                                        NULL, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_create_function_v2(db, STORE_SQL_DATETIME_CMP, 2, flags, NULL,
                                        datetime_compare_function, NULL, NULL, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_create_function_v2(db, STORE_SQL_ORDER_KEY, 2, flags, NULL,
                                        order_key_function, NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        return store_sqlite_error(st, db, rc, "add the query functions to a connection", err);
    return SMSPROV_OK;
}
