/* sqlfuncs.c - the SQL functions the pushed-down WHERE calls, so SQLite
 * answers LIKE and DATETIME comparisons with the very code the in-memory
 * path uses:
 *   smsprov_wql_like(value, pattern)  1, 0, or NULL when value is NULL
 *   smsprov_wql_dtcmp(a, b)           -1, 0, 1, or NULL when either is NULL
 *                                     or the two cannot be ordered */
#include "wql/wql_internal.h"

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
    sqlite3_result_int(ctx, wql_like_match((const char *)value, (const char *)pattern));
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
    int c = a && b ? wql_datetime_text_compare((const char *)a, (const char *)b, &comparable) : 0;
    if (comparable)
        sqlite3_result_int(ctx, c);
    else
        sqlite3_result_null(ctx);
}

/* Whether db already has the functions.  Preparing a statement that names
 * one is cheap and, unlike registering again, does not expire the store's
 * cached statements. */
static bool already_registered(sqlite3 *db)
{
    sqlite3_stmt *probe = NULL;
    int rc = sqlite3_prepare_v2(db,
                                "SELECT " WQL_SQL_LIKE "('', ''), " WQL_SQL_DATETIME_CMP "('', '')",
                                -1, &probe, NULL);
    sqlite3_finalize(probe);
    return rc == SQLITE_OK;
}

smsprov_code wql_sql_register_functions(sqlite3 *db, smsprov_error *err)
{
    if (already_registered(db))
        return SMSPROV_OK;
    const int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS;
    int rc = sqlite3_create_function_v2(db, WQL_SQL_LIKE, 2, flags, NULL, like_function, NULL,
                                        NULL, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_create_function_v2(db, WQL_SQL_DATETIME_CMP, 2, flags, NULL,
                                        datetime_compare_function, NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        return smsprov_error_set(err, SMSPROV_E_FAILED,
                                 "The WQL functions could not be added to the database "
                                 "connection: %s.",
                                 sqlite3_errstr(rc));
    return SMSPROV_OK;
}
