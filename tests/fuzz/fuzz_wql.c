/* fuzz_wql.c - libFuzzer target for the WQL engine.
 *
 * Every input is parsed; what parses is bound to a test class and matched
 * against sample instances; what binds runs over a small store twice,
 * pushed down and in memory, and the two answers must agree (a
 * disagreement aborts, so the fuzzer reports it as a crash).
 * Build with -DSMSPROV_FUZZ=ON and clang; run with tests/fuzz/run_fuzz.sh. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mof/mof.h"
#include "store/store.h"
#include "wql/wql.h"

#define FUZZ_NS "root\\fuzz"
/* Longer inputs are parsed and bound but not run, to keep the fuzzer fast. */
#define MAX_EXECUTED_LENGTH 2048

static const char fuzz_mof[] =
    "[Embedded] class F_Token { uint32 Day; };\n"
    "[Embedded] class F_Daily : F_Token { uint32 Span; };\n"
    "[Abstract] class F_Base {\n"
    "  [key] string Id; string Name; uint32 Kind; uint64 Size; sint32 Level; real64 Ratio;\n"
    "  boolean On; datetime When; uint8 Small; sint64 Big; char16 Letter; [lazy] string Hidden;\n"
    "  string Tags[]; F_Token Token;\n"
    "};\n"
    "class F_One : F_Base { string Extra; };\n"
    "class F_Two : F_Base { };\n"
    "instance of F_One { Id = \"a1\"; Name = \"Alpha x64\"; Kind = 258;\n"
    "  Size = 18446744073709551615;\n"
    "  Level = -1; Ratio = 0.5; On = TRUE; When = \"20240115103000.000000+000\"; Small = 7;\n"
    "  Big = -9223372036854775808; Letter = 'A'; Hidden = \"h\"; Tags = {\"t\"};\n"
    "  Token = instance of F_Daily { Day = 1; Span = 2; }; Extra = \"e\"; };\n"
    "instance of F_One { Id = \"a2\"; Name = \"beta_[1]%\"; Kind = 0; Size = 0; Level = 2;\n"
    "  When = \"2024**15103000.000000+***\"; };\n"
    "instance of F_Two { Id = \"B3\"; Name = \"Caf\xC3\xA9\"; Kind = 259;\n"
    "  Size = 9223372036854775808;\n"
    "  Level = 2147483647; Ratio = -1e300; On = FALSE; When = \"00000001000000.000000:000\"; };\n"
    "instance of F_Two { Id = \"b4\"; };\n";

static cim_schema *schema;
static const cim_class *base_class;
static store *st;
static char db_path[256];

static void remove_store(void)
{
    store_close(st);
    const char *suffixes[] = {"", "-wal", "-shm"};
    for (size_t i = 0; i < 3; i++) {
        char file[300];
        snprintf(file, sizeof file, "%s%s", db_path, suffixes[i]);
        unlink(file);
    }
}

static void die(const char *what, const smsprov_error *err)
{
    fprintf(stderr, "fuzz_wql: %s: %s\n", what, err->description ? err->description : "?");
    abort();
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    smsprov_error err = {0};
    schema = cim_schema_new();
    if (mof_compile_string(schema, fuzz_mof, "fuzz.mof", FUZZ_NS, &err))
        die("compiling the fuzz schema", &err);
    base_class = cim_schema_find_class(schema, FUZZ_NS, "F_Base");
    snprintf(db_path, sizeof db_path, "/tmp/fuzz_wql_%ld.db", (long)getpid());
    unlink(db_path);
    if (store_open(db_path, schema, &st, &err))
        die("opening the store", &err);
    store_txn *txn = NULL;
    if (store_begin(st, true, &txn, &err))
        die("store_begin", &err);
    for (size_t i = 0; i < cim_schema_seed_count(schema); i++)
        if (store_insert(txn, cim_schema_seed_at(schema, i, NULL), &err))
            die("store_insert", &err);
    if (store_commit(txn, &err))
        die("store_commit", &err);
    atexit(remove_store);
    return 0;
}

static void free_list(smsprov_instance_list *list)
{
    for (size_t i = 0; i < list->count; i++)
        cim_instance_free(list->items[i]);
    free(list->items);
}

static void check_modes_agree(const char *text)
{
    smsprov_instance_list a = {0}, b = {0};
    smsprov_error ea = {0}, eb = {0};
    smsprov_code ra = wql_execute(st, schema, FUZZ_NS, text, WQL_PUSHDOWN, &a, &ea);
    smsprov_code rb = wql_execute(st, schema, FUZZ_NS, text, WQL_IN_MEMORY, &b, &eb);
    bool same = ra == rb && a.count == b.count;
    for (size_t i = 0; same && i < a.count; i++)
        same = cim_instance_equal(a.items[i], b.items[i]);
    if (!same) {
        fprintf(stderr, "fuzz_wql: the modes disagree on: %s\n  push-down: %s, %zu rows (%s)\n"
                        "  in-memory: %s, %zu rows (%s)\n",
                text, smsprov_code_name(ra), a.count, ea.description ? ea.description : "",
                smsprov_code_name(rb), b.count, eb.description ? eb.description : "");
        abort();
    }
    free_list(&a);
    free_list(&b);
    smsprov_error_clear(&ea);
    smsprov_error_clear(&eb);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    memcpy(text, data, size);
    text[size] = '\0';
    wql_query *q = NULL;
    smsprov_error err = {0};
    if (wql_parse(text, &q, &err) == SMSPROV_OK) {
        if (wql_bind(q, base_class, &err) == SMSPROV_OK) {
            for (size_t i = 0; i < cim_schema_seed_count(schema); i++)
                (void)wql_matches(q, cim_schema_seed_at(schema, i, NULL));
            if (size <= MAX_EXECUTED_LENGTH)
                check_modes_agree(text);
        }
        wql_query_free(q);
    } else if (!err.description || err.code != SMSPROV_E_INVALID_QUERY) {
        fprintf(stderr, "fuzz_wql: a parse failure without a sentence\n");
        abort();
    }
    smsprov_error_clear(&err);
    free(text);
    return 0;
}
