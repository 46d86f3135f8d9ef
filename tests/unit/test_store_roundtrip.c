/* test_store_roundtrip.c - every type reads back exactly: random scalars and
 * arrays of every type, nested embedded arrays, extremes (uint64 max,
 * int64 min), reals SQLite cannot keep as REAL (NaN, -0.0), empty strings
 * and arrays; plus the on-disk encoding README.md documents. */
#include <math.h>

#include "test_store_util.h"

static uint64_t rng_state = 0x9E3779B97F4A7C15ULL;

static uint64_t next_random(void)
{
    rng_state ^= rng_state << 13; /* xorshift64 */
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

static int64_t random_between(int64_t lo, uint64_t hi)
{
    uint64_t span = hi - (uint64_t)lo;
    uint64_t r = span == UINT64_MAX ? next_random() : next_random() % (span + 1);
    return (int64_t)((uint64_t)lo + r);
}

/* UTF-8 text with quotes, backslashes, JSON-special and multi-byte
 * characters. */
static char *random_text(void)
{
    static const char *pieces[] = {"a", "Z", " ", "\"", "'", "\\", "\n", "\t", "{", "]", ",",
                                   ":", "é", "日本", "😀", "\x01", "/", "%s", "NULL", "--"};
    cim_buf b = {0};
    size_t n = (size_t)(next_random() % 12);
    for (size_t i = 0; i < n; i++)
        cim_buf_append(&b, pieces[next_random() % (sizeof pieces / sizeof *pieces)]);
    return cim_buf_take(&b);
}

static char *random_datetime(void)
{
    if (next_random() % 4 == 0)
        return cim_xasprintf("%08u%02u%02u%02u.%06u:000", (unsigned)(next_random() % 99999999),
                             (unsigned)(next_random() % 24), (unsigned)(next_random() % 60),
                             (unsigned)(next_random() % 60), (unsigned)(next_random() % 1000000));
    int offset = (int)(next_random() % 1441) - 720;
    return cim_xasprintf("%04u%02u%02u%02u%02u%02u.%06u%c%03d",
                         (unsigned)(1601 + next_random() % 8000), (unsigned)(1 + next_random() % 12),
                         (unsigned)(1 + next_random() % 28), (unsigned)(next_random() % 24),
                         (unsigned)(next_random() % 60), (unsigned)(next_random() % 60),
                         (unsigned)(next_random() % 1000000), offset < 0 ? '-' : '+',
                         offset < 0 ? -offset : offset);
}

static double random_real(cim_type type)
{
    if (type == CIM_TYPE_REAL32) {
        float f = (float)((double)random_between(-1000000, 1000000) / 977.0);
        return (double)f;
    }
    uint64_t bits = next_random();
    double d;
    memcpy(&d, &bits, sizeof d);
    return isfinite(d) ? d : 1.0 / 3.0;
}

static cim_value random_scalar(const cim_schema *schema, cim_type type, const char *ref_class,
                               int depth);

static cim_instance *random_embedded(const cim_schema *schema, const char *class_name, int depth)
{
    const cim_class *cls = test_class(schema, class_name);
    cim_instance *inst = cim_instance_new(cls);
    for (size_t i = 0; i < cls->property_count; i++) {
        const cim_property *p = &cls->properties[i];
        if (next_random() % 5 == 0)
            continue; /* leave some null */
        if (p->is_array) {
            cim_value array = cim_value_array(p->type);
            size_t n = (size_t)(next_random() % 4);
            for (size_t k = 0; k < n; k++) {
                cim_value item = random_scalar(schema, p->type, p->ref_class, depth + 1);
                cim_value_array_append_take(&array, &item);
            }
            cim_value_move(&inst->values[i], &array);
        } else {
            cim_value v = random_scalar(schema, p->type, p->ref_class, depth + 1);
            cim_value_move(&inst->values[i], &v);
        }
    }
    return inst;
}

static cim_value random_scalar(const cim_schema *schema, cim_type type, const char *ref_class,
                               int depth)
{
    int64_t min = 0;
    uint64_t max = 0;
    if (cim_type_is_signed(type)) {
        cim_type_integer_range(type, &min, &max);
        return cim_value_sint(type, random_between(min, max));
    }
    if (cim_type_is_unsigned(type)) {
        cim_type_integer_range(type, &min, &max);
        return cim_value_uint(type, (uint64_t)random_between(0, max));
    }
    char *text = NULL;
    cim_value v = cim_value_null(type, false);
    switch (type) {
    case CIM_TYPE_CHAR16:
        return cim_value_uint(CIM_TYPE_CHAR16, next_random() % 0xD800);
    case CIM_TYPE_REAL32:
    case CIM_TYPE_REAL64:
        return cim_value_real(type, random_real(type));
    case CIM_TYPE_BOOLEAN:
        return cim_value_bool(next_random() % 2);
    case CIM_TYPE_STRING:
        text = random_text();
        v = cim_value_string(text);
        break;
    case CIM_TYPE_DATETIME:
        text = random_datetime();
        v = cim_value_datetime(text);
        break;
    case CIM_TYPE_REFERENCE:
        text = cim_xasprintf("Test_Multi.Number=%d,Site=\"S\\\"%u\"", (int)(next_random() % 100),
                             (unsigned)(next_random() % 10));
        v = cim_value_reference(text);
        break;
    case CIM_TYPE_OBJECT:
        if (depth > 0 && next_random() % 6 == 0)
            return cim_value_null(CIM_TYPE_OBJECT, false); /* a null item in an object array */
        return cim_value_object(random_embedded(schema, ref_class, depth));
    default:
        fail_msg("no generator for type %d", type);
    }
    free(text);
    return v;
}

/* An instance of Test_AllTypes with every property set at random; arrays of
 * 0..5 items. */
static cim_instance *random_all_types(const cim_schema *schema, const cim_class *cls, uint32_t id)
{
    cim_instance *inst = cim_instance_new(cls);
    for (size_t i = 0; i < cls->property_count; i++) {
        const cim_property *p = &cls->properties[i];
        cim_value v;
        if (p->is_array) {
            v = cim_value_array(p->type);
            size_t n = (size_t)(next_random() % 6);
            for (size_t k = 0; k < n; k++) {
                cim_value item = random_scalar(schema, p->type, p->ref_class, 1);
                cim_value_array_append_take(&v, &item);
            }
        } else {
            v = random_scalar(schema, p->type, p->ref_class, 0);
        }
        cim_value_move(&inst->values[i], &v);
    }
    smsprov_error err = {0};
    test_ok(cim_instance_set_uint(inst, "Id", id, &err), &err);
    return inst;
}

static void assert_same_instance(const cim_instance *want, const cim_instance *got)
{
    if (cim_instance_equal(want, got))
        return;
    for (size_t i = 0; i < want->cls->property_count; i++)
        if (!cim_value_equal(&want->values[i], &got->values[i])) {
            char *a = cim_value_to_mof(&want->values[i]), *b = cim_value_to_mof(&got->values[i]);
            fail_msg("property %s: stored %s, read back %s", want->cls->properties[i].name, a, b);
        }
    fail_msg("instances differ");
}

typedef struct fixture {
    char *path;
    cim_schema *schema;
    store *st;
    const cim_class *all;
} fixture;

static int setup(void **state)
{
    fixture *f = cim_xcalloc(1, sizeof *f);
    f->path = test_db_path("roundtrip");
    f->schema = test_schema_from(test_store_mof);
    f->st = test_open(f->path, f->schema);
    f->all = test_class(f->schema, "Test_AllTypes");
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    store_close(f->st);
    cim_schema_free(f->schema);
    test_db_remove(f->path);
    free(f);
    return 0;
}

static cim_instance *get_by_id(store_txn *txn, const cim_class *cls, uint32_t id)
{
    smsprov_error err = {0};
    cim_instance *keys = cim_instance_new(cls);
    test_ok(cim_instance_set_uint(keys, "Id", id, &err), &err);
    cim_instance *got = NULL;
    test_ok(store_get(txn, cls, keys, &got, &err), &err);
    cim_instance_free(keys);
    return got;
}

static void test_random_values_round_trip(void **state)
{
    fixture *f = *state;
    enum { COUNT = 200 };
    cim_instance *made[COUNT];
    store_txn *txn = test_begin(f->st, true);
    for (uint32_t i = 0; i < COUNT; i++) {
        made[i] = random_all_types(f->schema, f->all, i);
        test_insert(txn, made[i]);
    }
    test_commit(txn);

    /* By key, and through a select (the other read path). */
    txn = test_begin(f->st, false);
    for (uint32_t i = 0; i < COUNT; i++) {
        cim_instance *got = get_by_id(txn, f->all, i);
        assert_same_instance(made[i], got);
        cim_instance_free(got);
    }
    store_query q = {.limit = -1};
    smsprov_instance_list rows = {0};
    smsprov_error err = {0};
    test_ok(store_select(txn, f->all, &q, &rows, &err), &err);
    assert_int_equal(rows.count, COUNT);
    for (size_t i = 0; i < COUNT; i++)
        assert_same_instance(made[i], rows.items[i]);
    test_list_free(&rows);
    /* The generator did reach nested embedded arrays and null items. */
    assert_true(test_sql_int(txn, "SELECT count(*) FROM \"root_test.Test_AllTypes\" WHERE "
                                  "\"Tokens\" LIKE '%\"Inner\":[{%' AND \"Tokens\" LIKE '%null%'") > 0);
    store_rollback(txn);

    /* Updates write the same encoding. */
    txn = test_begin(f->st, true);
    for (uint32_t i = 0; i < COUNT; i++) {
        cim_instance_free(made[i]);
        made[i] = random_all_types(f->schema, f->all, i);
        test_ok(store_update(txn, made[i], &err), &err);
    }
    test_commit(txn);
    txn = test_begin(f->st, false);
    for (uint32_t i = 0; i < COUNT; i++) {
        cim_instance *got = get_by_id(txn, f->all, i);
        assert_same_instance(made[i], got);
        cim_instance_free(got);
        cim_instance_free(made[i]);
    }
    store_rollback(txn);
}

static void set(cim_instance *inst, const char *name, cim_value v)
{
    cim_value_move(cim_instance_get_mut(inst, name), &v);
}

static void test_extremes_and_special_values(void **state)
{
    fixture *f = *state;
    cim_instance *inst = cim_instance_new(f->all);
    set(inst, "Id", cim_value_uint(CIM_TYPE_UINT32, UINT32_MAX));
    set(inst, "U64", cim_value_uint(CIM_TYPE_UINT64, UINT64_MAX));
    set(inst, "S64", cim_value_sint(CIM_TYPE_SINT64, INT64_MIN));
    set(inst, "S8", cim_value_sint(CIM_TYPE_SINT8, -128));
    set(inst, "R64", cim_value_real(CIM_TYPE_REAL64, -0.0));
    set(inst, "R32", cim_value_real(CIM_TYPE_REAL32, NAN));
    set(inst, "Str", cim_value_string(""));
    set(inst, "C16", cim_value_uint(CIM_TYPE_CHAR16, 0xFFFF));
    set(inst, "Strs", cim_value_array(CIM_TYPE_STRING)); /* empty, not null */
    cim_value reals = cim_value_array(CIM_TYPE_REAL64);
    cim_value item = cim_value_real(CIM_TYPE_REAL64, INFINITY);
    cim_value_array_append(&reals, &item);
    item = cim_value_real(CIM_TYPE_REAL64, -INFINITY);
    cim_value_array_append(&reals, &item);
    set(inst, "R64s", reals);

    store_txn *txn = test_begin(f->st, true);
    test_insert(txn, inst);
    test_commit(txn);

    txn = test_begin(f->st, false);
    cim_instance *got = get_by_id(txn, f->all, UINT32_MAX);
    assert_same_instance(inst, got);
    assert_true(signbit(cim_instance_get(got, "R64")->u.real));
    assert_true(isnan(cim_instance_get(got, "R32")->u.real));
    assert_false(cim_instance_get(got, "Strs")->is_null);
    assert_int_equal(cim_instance_get(got, "Strs")->u.array.count, 0);
    assert_true(cim_instance_get(got, "U32")->is_null);
    assert_true(cim_instance_get(got, "Token")->is_null);

    /* The encoding README.md promises. */
    const char *t = "FROM \"root_test.Test_AllTypes\" WHERE \"Id\" = 4294967295";
    char *sql = cim_xasprintf("SELECT \"U64\" = -1 AND typeof(\"U64\") = 'integer' AND "
                              "\"S64\" = -9223372036854775808 AND typeof(\"R64\") = 'blob' AND "
                              "hex(\"R64\") = '8000000000000000' AND typeof(\"R32\") = 'blob' AND "
                              "\"Str\" = '' AND \"Strs\" = '[]' AND \"U32\" IS NULL AND "
                              "typeof(\"R64s\") = 'text' %s",
                              t);
    assert_int_equal(test_sql_int(txn, sql), 1);
    free(sql);
    cim_instance_free(got);
    store_rollback(txn);
    cim_instance_free(inst);
}

static void test_encoding_of_ordinary_values(void **state)
{
    fixture *f = *state;
    cim_instance *inst = cim_instance_new(f->all);
    set(inst, "Id", cim_value_uint(CIM_TYPE_UINT32, 1));
    set(inst, "B", cim_value_bool(true));
    set(inst, "R64", cim_value_real(CIM_TYPE_REAL64, 2.5));
    set(inst, "DT", cim_value_datetime("20240131123456.000000+000"));
    cim_value u8s = cim_value_array(CIM_TYPE_UINT8);
    cim_value one = cim_value_uint(CIM_TYPE_UINT8, 1), two = cim_value_uint(CIM_TYPE_UINT8, 2);
    cim_value_array_append(&u8s, &one);
    cim_value_array_append(&u8s, &two);
    set(inst, "U8s", u8s);
    store_txn *txn = test_begin(f->st, true);
    test_insert(txn, inst);
    const char *t = "FROM \"root_test.Test_AllTypes\" WHERE \"Id\" = 1";
    char *sql = cim_xasprintf("SELECT \"B\" = 1 AND typeof(\"B\") = 'integer' AND "
                              "\"R64\" = 2.5 AND typeof(\"R64\") = 'real' AND "
                              "\"DT\" = '20240131123456.000000+000' AND "
                              "json_array_length(\"U8s\") = 2 %s",
                              t);
    assert_int_equal(test_sql_int(txn, sql), 1);
    free(sql);
    test_commit(txn);
    cim_instance_free(inst);
}

static void test_undecodable_column_is_reported(void **state)
{
    fixture *f = *state;
    cim_instance *inst = cim_instance_new(f->all);
    set(inst, "Id", cim_value_uint(CIM_TYPE_UINT32, 2));
    store_txn *txn = test_begin(f->st, true);
    test_insert(txn, inst);
    /* Damage two columns behind the store's back. */
    assert_int_equal(sqlite3_exec(store_txn_db(txn),
                                  "UPDATE \"root_test.Test_AllTypes\" SET \"U8\" = 300, "
                                  "\"Strs\" = '[1,' WHERE \"Id\" = 2",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    smsprov_error err = {0};
    cim_instance *keys = cim_instance_new(f->all);
    set(keys, "Id", cim_value_uint(CIM_TYPE_UINT32, 2));
    cim_instance *got = NULL;
    test_fails(store_get(txn, f->all, keys, &got, &err), SMSPROV_E_TYPE_MISMATCH, &err, "U8");
    assert_null(got);
    assert_int_equal(sqlite3_exec(store_txn_db(txn),
                                  "UPDATE \"root_test.Test_AllTypes\" SET \"U8\" = '7' "
                                  "WHERE \"Id\" = 2",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    test_fails(store_get(txn, f->all, keys, &got, &err), SMSPROV_E_TYPE_MISMATCH, &err, "Strs");
    store_rollback(txn);
    cim_instance_free(keys);
    cim_instance_free(inst);
}

/* A value whose type differs from the property's is converted, or refused
 * with the property named and nothing stored. */
static void test_mistyped_values(void **state)
{
    fixture *f = *state;
    smsprov_error err = {0};
    cim_instance *inst = cim_instance_new(f->all);
    set(inst, "Id", cim_value_uint(CIM_TYPE_UINT32, 3));
    set(inst, "U32", cim_value_string("42"));
    store_txn *txn = test_begin(f->st, true);
    test_insert(txn, inst);
    cim_instance *got = get_by_id(txn, f->all, 3);
    assert_int_equal(cim_instance_get(got, "U32")->type, CIM_TYPE_UINT32);
    assert_int_equal(cim_instance_get(got, "U32")->u.uint, 42);
    cim_instance_free(got);

    set(inst, "Id", cim_value_uint(CIM_TYPE_UINT32, 4));
    set(inst, "U32", cim_value_string("not a number"));
    test_fails(store_insert(txn, inst, &err), SMSPROV_E_TYPE_MISMATCH, &err, "U32");
    assert_int_equal(test_sql_int(txn, "SELECT count(*) FROM \"root_test.Test_AllTypes\""), 1);
    test_commit(txn);
    cim_instance_free(inst);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_random_values_round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_extremes_and_special_values, setup, teardown),
        cmocka_unit_test_setup_teardown(test_encoding_of_ordinary_values, setup, teardown),
        cmocka_unit_test_setup_teardown(test_undecodable_column_is_reported, setup, teardown),
        cmocka_unit_test_setup_teardown(test_mistyped_values, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
