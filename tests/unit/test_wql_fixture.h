/*
 * test_wql_fixture.h - what the WQL tests share: a test schema and seed
 * data in MOF, a scratch database holding the seeds, and helpers to run
 * queries and read results.
 */
#ifndef SMSPROV_TEST_WQL_FIXTURE_H
#define SMSPROV_TEST_WQL_FIXTURE_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "mof/mof.h"
#include "store/store.h"
#include "wql/wql.h"

#define WQL_TEST_NS "root\\test\\wql"

/* Two concrete packages under an abstract base that holds the key, as
 * SMS_BootImagePackage and SMS_OperatingSystemInstallPackage sit under
 * SMS_PackageBaseclass, with a property of every scalar type, a lazy
 * property, an array and an embedded object. */
static const char wql_test_classes[] =
    "[Embedded, Abstract] class TST_Token { uint32 DayDuration; };\n"
    "[Embedded] class TST_Daily : TST_Token { uint32 DaySpan; };\n"
    "[Embedded] class TST_Weekly : TST_Token { uint32 Day; };\n"
    "class TST_Target { [key] string Name; };\n"
    "[Abstract] class TST_PackageBase {\n"
    "  [key] string PackageID;\n"
    "  string Name;\n"
    "  string Description;\n"
    "  uint32 PackageType;\n"
    "  uint64 SourceSize;\n"
    "  sint32 Priority;\n"
    "  real64 Ratio;\n"
    "  boolean Enabled;\n"
    "  datetime SourceDate;\n"
    "  uint8 Small;\n"
    "  sint64 Signed64;\n"
    "  real32 Ratio32;\n"
    "  char16 Letter;\n"
    "  TST_Target ref Target;\n"
    "  [lazy] string Secret;\n"
    "  string Tags[];\n"
    "  TST_Token Schedule;\n"
    "};\n"
    "class TST_BootImage : TST_PackageBase {\n"
    "  string Architecture;\n"
    "  [lazy] uint32 ScratchSpace;\n"
    "};\n"
    "class TST_OSInstall : TST_PackageBase {\n"
    "  string OSVersion;\n"
    "};\n";

/* The seeded rows, named B1..B5 (boot images) and O1..O5 (OS installs) in
 * the tests.  Key order: B1 B2 B3 B4 B5 O1 O2 O3 O4 O5. */
static const char wql_test_seeds[] =
    "instance of TST_BootImage { PackageID = \"LAB00001\"; Name = \"Boot image (x64)\";\n"
    "  Description = \"Default x64 boot image\"; PackageType = 258; SourceSize = 1000;\n"
    "  Priority = 2; Ratio = 0.5; Enabled = TRUE; SourceDate = \"20240115103000.000000+000\";\n"
    "  Small = 1; Signed64 = -5; Ratio32 = 0.5; Letter = 'A'; Secret = \"s1\";\n"
    "  Target = \"TST_Target.Name=\\\"one\\\"\";\n"
    "  Tags = {\"a\", \"b\"}; Architecture = \"x64\"; ScratchSpace = 512;\n"
    "  Schedule = instance of TST_Daily { DayDuration = 1; DaySpan = 7; }; };\n"
    "instance of TST_BootImage { PackageID = \"LAB00002\"; Name = \"Boot image (x86)\";\n"
    "  Description = \"Default x86 boot image\"; PackageType = 258; SourceSize = 900;\n"
    "  Priority = 2; Ratio = 0.25; Enabled = TRUE; SourceDate = \"20230601000000.000000+000\";\n"
    "  Small = 2; Signed64 = 0; Letter = 'B'; Architecture = \"x86\"; ScratchSpace = 256;\n"
    "  Target = \"TST_Target.Name=\\\"two\\\"\";\n"
    "  Schedule = instance of TST_Weekly { DayDuration = 2; Day = 3; }; };\n"
    "instance of TST_BootImage { PackageID = \"LAB00003\"; Name = \"WinPE 11 x64 custom\";\n"
    "  PackageType = 258; SourceSize = 18446744073709551615; Priority = 1; Ratio = 1.5;\n"
    "  Enabled = FALSE; SourceDate = \"20240115123000.000000+120\"; Small = 3;\n"
    "  Signed64 = 9223372036854775807; Secret = \"secret\"; Architecture = \"X64\"; };\n"
    "instance of TST_BootImage { PackageID = \"LAB0000A\"; Name = \"boot image (X64)\";\n"
    "  Description = \"Test 100% done\"; PackageType = 258; SourceSize = 9223372036854775808;\n"
    "  Priority = 3; Small = 255; Signed64 = -9223372036854775808; Architecture = \"arm64\"; };\n"
    "instance of TST_BootImage { PackageID = \"LAB0000B\"; Name = \"Recovery_x64\";\n"
    "  Description = \"Path C:\\\\Windows\\\\Boot\"; PackageType = 258; SourceSize = 0;\n"
    "  Priority = -1; Ratio = -2.0; Enabled = TRUE; SourceDate = \"19700201000000.000000+***\";\n"
    "  Small = 0; };\n"
    "instance of TST_OSInstall { PackageID = \"LAB00010\"; Name = \"Windows 11 Enterprise\";\n"
    "  Description = \"Windows 11 23H2 x64\"; PackageType = 259; SourceSize = 5000000000;\n"
    "  Priority = 2; Ratio = 0.75; Enabled = TRUE; SourceDate = \"20231231235959.999999+000\";\n"
    "  Signed64 = 100; OSVersion = \"10.0.22631\"; };\n"
    "instance of TST_OSInstall { PackageID = \"LAB00011\"; Name = \"Windows 10 Enterprise\";\n"
    "  Description = \"Windows 10 22H2 x64\"; PackageType = 259; SourceSize = 4500000000;\n"
    "  Priority = 2; Enabled = FALSE; SourceDate = \"20221018000000.000000-300\";\n"
    "  OSVersion = \"10.0.19045\"; };\n"
    "instance of TST_OSInstall { PackageID = \"LAB00012\"; Name = \"Windows Server 2022\";\n"
    "  PackageType = 259; Ratio = 3.25; OSVersion = \"10.0.20348\"; };\n"
    "instance of TST_OSInstall { PackageID = \"LAB00013\"; Name = \"Caf\xC3\xA9 image\";\n"
    "  Description = \"\xC3\x9Cn\xC3\xAF" "code d\xC3\xA9j\xC3\xA0 vu\"; PackageType = 259;\n"
    "  SourceSize = 1; Priority = 0; Ratio = 0.0; Enabled = TRUE;\n"
    "  SourceDate = \"20240229120000.000000+000\"; Small = 7; Signed64 = 1; };\n"
    "instance of TST_OSInstall { PackageID = \"LAB00014\"; Name = \"[bracket] name\";\n"
    "  Description = \"it's quoted \\\"x\\\"\"; PackageType = 259; SourceSize = 2; Priority = 5;\n"
    "  Ratio = 1e10; Enabled = FALSE; SourceDate = \"20240101000000.000000+000\"; };\n";

typedef struct wql_fixture {
    cim_schema *schema;
    store *st;
    char *path;
} wql_fixture;

static inline void wql_check(smsprov_code rc, smsprov_error *err, const char *doing)
{
    if (rc)
        fail_msg("%s failed with %s: %s", doing, smsprov_code_name(rc),
                 err->description ? err->description : "(no description)");
    smsprov_error_clear(err);
}

static inline char *wql_scratch_path(const char *name)
{
    char *path = cim_xasprintf("%s/wql_%s_%ld.db", SMSPROV_TEST_SCRATCH, name, (long)getpid());
    const char *suffixes[] = {"", "-wal", "-shm", "-journal"};
    for (size_t i = 0; i < 4; i++) {
        char *f = cim_xasprintf("%s%s", path, suffixes[i]);
        unlink(f);
        free(f);
    }
    return path;
}

/* Compiles mof (classes and `instance of` seeds) into WQL_TEST_NS, opens a
 * fresh database for it and inserts every seed. */
static inline void wql_fixture_open(wql_fixture *f, const char *name, const char *mof)
{
    smsprov_error err = {0};
    f->schema = cim_schema_new();
    wql_check(mof_compile_string(f->schema, mof, "wql_test.mof", WQL_TEST_NS, &err), &err,
              "compiling the test MOF");
    f->path = wql_scratch_path(name);
    wql_check(store_open(f->path, f->schema, &f->st, &err), &err, "store_open");
    store_txn *txn = NULL;
    wql_check(store_begin(f->st, true, &txn, &err), &err, "store_begin");
    for (size_t i = 0; i < cim_schema_seed_count(f->schema); i++)
        wql_check(store_insert(txn, cim_schema_seed_at(f->schema, i, NULL), &err), &err,
                  "inserting a seed");
    wql_check(store_commit(txn, &err), &err, "store_commit");
}

static inline void wql_fixture_close(wql_fixture *f)
{
    store_close(f->st);
    cim_schema_free(f->schema);
    const char *suffixes[] = {"", "-wal", "-shm", "-journal"};
    for (size_t i = 0; i < 4; i++) {
        char *file = cim_xasprintf("%s%s", f->path, suffixes[i]);
        unlink(file);
        free(file);
    }
    free(f->path);
    memset(f, 0, sizeof *f);
}

/* Both test classes and seeds in one MOF text.  Caller frees. */
static inline char *wql_test_mof(void)
{
    return cim_xasprintf("%s%s", wql_test_classes, wql_test_seeds);
}

static inline void wql_list_free(smsprov_instance_list *list)
{
    for (size_t i = 0; i < list->count; i++)
        cim_instance_free(list->items[i]);
    free(list->items);
    list->items = NULL;
    list->count = 0;
}

static inline smsprov_code wql_run(const wql_fixture *f, const char *text, wql_mode mode,
                                   smsprov_instance_list *out, smsprov_error *err)
{
    return wql_execute(f->st, f->schema, WQL_TEST_NS, text, mode, out, err);
}

/* The rows' PackageIDs joined by spaces ("" for none).  Caller frees. */
static inline char *wql_ids(const smsprov_instance_list *list)
{
    cim_buf b = {0};
    for (size_t i = 0; i < list->count; i++) {
        const cim_value *v = cim_instance_get(list->items[i], "PackageID");
        cim_buf_printf(&b, "%s%s", i ? " " : "", v && !v->is_null ? v->u.string : "NULL");
    }
    return cim_buf_take(&b);
}

static inline const cim_value *wql_value(const cim_instance *inst, const char *name)
{
    const cim_value *v = cim_instance_get(inst, name);
    if (!v)
        fail_msg("%s has no property %s", inst->cls->name, name);
    return v;
}

#endif
