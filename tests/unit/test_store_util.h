/*
 * test_store_util.h - what the store tests share: a test schema in MOF,
 * scratch database paths, and small assertion helpers.
 */
#ifndef SMSPROV_TEST_STORE_UTIL_H
#define SMSPROV_TEST_STORE_UTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "mof/mof.h"
#include "store/sqlite/store_internal.h"

#define TEST_NS "root\\test"

/* Two concrete classes sharing the key space of an abstract base, as
 * SMS_BootImagePackage and SMS_OperatingSystemInstallPackage share
 * SMS_PackageBaseclass's; embedded classes; a class with two keys; a
 * singleton; and a class with a property of every type. */
static const char test_store_mof[] =
    "#pragma namespace(\"\\\\\\\\.\\\\root\\\\test\")\n"
    "[abstract] class Test_PackageBase {\n"
    "  [key] string PackageID;\n"
    "  string Name;\n"
    "  uint32 Version;\n"
    "  [lazy] string Notes;\n"
    "};\n"
    "class Test_BootImage : Test_PackageBase {\n"
    "  string Architecture;\n"
    "  [lazy] uint32 ScratchSpace;\n"
    "};\n"
    "class Test_OSImage : Test_PackageBase {\n"
    "  string ImageOSVersion;\n"
    "};\n"
    "[Embedded] class Test_Inner {\n"
    "  string Label;\n"
    "  sint64 N;\n"
    "  real64 R;\n"
    "};\n"
    "[Embedded] class Test_Token {\n"
    "  uint32 DayDuration;\n"
    "  boolean IsGMT;\n"
    "  datetime StartTime;\n"
    "  Test_Inner Inner[];\n"
    "};\n"
    "class Test_Multi {\n"
    "  [key] string Site;\n"
    "  [key] sint64 Number;\n"
    "  string Data;\n"
    "};\n"
    "class Test_Singleton {\n"
    "  uint32 Value;\n"
    "};\n"
    "class Test_AllTypes {\n"
    "  [key] uint32 Id;\n"
    "  sint8 S8; uint8 U8; sint16 S16; uint16 U16; sint32 S32; uint32 U32;\n"
    "  sint64 S64; uint64 U64; real32 R32; real64 R64; boolean B; char16 C16;\n"
    "  string Str; datetime DT; Test_Multi ref Ref;\n"
    "  Test_Token Token;\n"
    "  Test_Token Tokens[];\n"
    "  sint8 S8s[]; uint8 U8s[]; sint16 S16s[]; uint16 U16s[]; sint32 S32s[];\n"
    "  uint32 U32s[]; sint64 S64s[]; uint64 U64s[]; real32 R32s[]; real64 R64s[];\n"
    "  boolean Bs[]; char16 C16s[]; string Strs[]; datetime DTs[];\n"
    "  Test_Multi ref Refs[];\n"
    "};\n";

/* A fresh database path under the scratch folder, with any leftovers of an
 * earlier run (and their -wal/-shm files) removed.  Caller frees. */
static inline char *test_db_path(const char *name)
{
    char *path = cim_xasprintf("%s/store_%s_%ld.db", SMSPROV_TEST_SCRATCH, name, (long)getpid());
    const char *suffixes[] = {"", "-wal", "-shm", "-journal"};
    for (size_t i = 0; i < 4; i++) {
        char *f = cim_xasprintf("%s%s", path, suffixes[i]);
        unlink(f);
        free(f);
    }
    return path;
}

static inline void test_db_remove(char *path)
{
    const char *suffixes[] = {"", "-wal", "-shm", "-journal"};
    for (size_t i = 0; i < 4; i++) {
        char *f = cim_xasprintf("%s%s", path, suffixes[i]);
        unlink(f);
        free(f);
    }
    free(path);
}

static inline cim_schema *test_schema_from(const char *mof)
{
    cim_schema *schema = cim_schema_new();
    smsprov_error err = {0};
    smsprov_code rc = mof_compile_string(schema, mof, "test.mof", TEST_NS, &err);
    if (rc)
        fail_msg("the test MOF does not compile: %s", err.description);
    smsprov_error_clear(&err);
    return schema;
}

static inline const cim_class *test_class(const cim_schema *schema, const char *name)
{
    const cim_class *cls = cim_schema_find_class(schema, TEST_NS, name);
    if (!cls)
        fail_msg("class %s is missing from the test schema", name);
    return cls;
}

static inline store *test_open(const char *path, const cim_schema *schema)
{
    store *st = NULL;
    smsprov_error err = {0};
    smsprov_code rc = store_open(path, schema, &st, &err);
    if (rc)
        fail_msg("store_open failed: %s", err.description);
    smsprov_error_clear(&err);
    return st;
}

static inline store_txn *test_begin(store *st, bool write)
{
    store_txn *txn = NULL;
    smsprov_error err = {0};
    if (store_begin(st, write, &txn, &err))
        fail_msg("store_begin failed: %s", err.description);
    return txn;
}

static inline void test_commit(store_txn *txn)
{
    smsprov_error err = {0};
    if (store_commit(txn, &err))
        fail_msg("store_commit failed: %s", err.description);
}

/* Fails the test with the error's sentence when rc is not 0. */
static inline void test_ok(smsprov_code rc, smsprov_error *err)
{
    if (rc)
        fail_msg("unexpected error %s: %s", smsprov_code_name(rc),
                 err->description ? err->description : "(no description)");
    smsprov_error_clear(err);
}

/* Checks the code and that the sentence mentions needle. */
static inline void test_fails(smsprov_code rc, smsprov_code expected, smsprov_error *err,
                              const char *needle)
{
    if (rc != expected)
        fail_msg("expected %s, got %s (%s)", smsprov_code_name(expected), smsprov_code_name(rc),
                 err->description ? err->description : "no description");
    assert_non_null(err->description);
    if (needle && !strstr(err->description, needle))
        fail_msg("error \"%s\" does not mention \"%s\"", err->description, needle);
    smsprov_error_clear(err);
}

static inline cim_instance *test_package(const cim_class *cls, const char *id, const char *name,
                                         uint32_t version)
{
    cim_instance *inst = cim_instance_new(cls);
    smsprov_error err = {0};
    test_ok(cim_instance_set_string(inst, "PackageID", id, &err), &err);
    test_ok(cim_instance_set_string(inst, "Name", name, &err), &err);
    test_ok(cim_instance_set_uint(inst, "Version", version, &err), &err);
    test_ok(cim_instance_set_string(inst, "Notes", "lazy notes", &err), &err);
    return inst;
}

static inline void test_insert(store_txn *txn, const cim_instance *inst)
{
    smsprov_error err = {0};
    test_ok(store_insert(txn, inst, &err), &err);
}

static inline void test_list_free(smsprov_instance_list *list)
{
    for (size_t i = 0; i < list->count; i++)
        cim_instance_free(list->items[i]);
    free(list->items);
    list->items = NULL;
    list->count = 0;
}

static inline const char *test_string(const cim_instance *inst, const char *name)
{
    const cim_value *v = cim_instance_get(inst, name);
    assert_non_null(v);
    return v->is_null ? NULL : v->u.string;
}

/* The single integer an SQL query returns, read on the transaction's own
 * connection. */
static inline int64_t test_sql_int(store_txn *txn, const char *sql)
{
    sqlite3_stmt *stmt = NULL;
    assert_int_equal(sqlite3_prepare_v2(store_txn_db(txn), sql, -1, &stmt, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
    int64_t v = sqlite3_column_int64(stmt, 0);
    sqlite3_finalize(stmt);
    return v;
}

/* The single text an SQL query returns.  Caller frees. */
static inline char *test_sql_text(store_txn *txn, const char *sql)
{
    sqlite3_stmt *stmt = NULL;
    assert_int_equal(sqlite3_prepare_v2(store_txn_db(txn), sql, -1, &stmt, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
    char *v = cim_xstrdup((const char *)sqlite3_column_text(stmt, 0));
    sqlite3_finalize(stmt);
    return v;
}

#endif
