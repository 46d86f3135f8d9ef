/*
 * test_wql_corpus.c - a corpus of queries, valid and invalid, with the
 * results each must give over the seeded database of test_wql_fixture.h.
 * Every query runs twice, pushed down to SQLite and evaluated in memory;
 * both must give the expected answer.
 *
 * Rows are named as in the fixture: B1..B5 are TST_BootImage, O1..O5
 * TST_OSInstall.  An expectation is one of
 *   "B1 B2"     the rows, in this order ("" for none)
 *   "count=N"   a COUNT result
 *   "rows=N"    N rows (DISTINCT results, whose keys are not returned)
 * and for an error, a phrase its sentence must contain.
 */
#include "test_wql_fixture.h"

typedef struct corpus_case {
    const char *query;
    smsprov_code code;
    const char *expect;
} corpus_case;

#define OK SMSPROV_OK
#define BAD SMSPROV_E_INVALID_QUERY
#define ALL "B1 B2 B3 B4 B5 O1 O2 O3 O4 O5"
#define BOOT "B1 B2 B3 B4 B5"
#define OS "O1 O2 O3 O4 O5"
#define BASE "SELECT * FROM TST_PackageBase WHERE "
#define BOOTQ "SELECT * FROM TST_BootImage WHERE "

static const corpus_case corpus[] = {
    /* Classes and keys */
    {"SELECT * FROM TST_PackageBase", OK, ALL},
    {"select * from tst_packagebase", OK, ALL},
    {"SELECT * FROM TST_BootImage", OK, BOOT},
    {"SELECT * FROM TST_OSInstall", OK, OS},
    {"  SELECT\t*\nFROM TST_OSInstall  ", OK, OS},
    {BASE "PackageID = 'LAB00002'", OK, "B2"},
    {BASE "PackageID = \"lab00002\"", OK, "B2"},
    {BASE "packageid='LAB0000A'", OK, "B4"},
    {BASE "PackageID = 'NOPE'", OK, ""},
    {BOOTQ "PackageID = 'LAB00010'", OK, ""},
    {"SELECT * FROM TST_OSInstall WHERE PackageID = 'LAB00010'", OK, "O1"},

    /* Strings compare case-insensitively */
    {BASE "Name = 'boot image (x64)'", OK, "B1 B4"},
    {BASE "Name <> 'Boot image (x64)'", OK, "B2 B3 B5 O1 O2 O3 O4 O5"},
    {BASE "Name != 'Boot image (x64)'", OK, "B2 B3 B5 O1 O2 O3 O4 O5"},
    {BASE "Name < 'C'", OK, "B1 B2 B4 O5"},
    {BASE "Name >= 'windows'", OK, "B3 O1 O2 O3"},
    {BASE "Name > 'Windows 10 Enterprise'", OK, "B3 O1 O3"},
    {BASE "Name <= 'Boot image (x86)'", OK, "B1 B2 B4 O5"},
    {BASE "'boot image (x64)' = Name", OK, "B1 B4"},
    {BASE "Description = 'it\\'s quoted \"x\"'", OK, "O5"},
    {BASE "Description = \"it's quoted \\\"x\\\"\"", OK, "O5"},
    {BASE "Description = 'it''s quoted \"x\"'", OK, "O5"},
    {BASE "Description = 'Path C:\\\\Windows\\\\Boot'", OK, "B5"},
    {BASE "Name = 'Caf\xC3\xA9 image'", OK, "O4"},
    {BASE "Name = 'CAF\xC3\x89 IMAGE'", OK, ""}, /* only ASCII letters fold */

    /* NULL */
    {BASE "Description IS NULL", OK, "B3 O3"},
    {BASE "Description IS NOT NULL", OK, "B1 B2 B4 B5 O1 O2 O4 O5"},
    {BASE "Description = NULL", OK, "B3 O3"},
    {BASE "Description <> NULL", OK, "B1 B2 B4 B5 O1 O2 O4 O5"},
    {BASE "NULL = Description", OK, "B3 O3"},
    {BASE "NOT Description = 'Default x64 boot image'", OK, "B2 B4 B5 O1 O2 O4 O5"},
    {BASE "NOT (Description IS NULL)", OK, "B1 B2 B4 B5 O1 O2 O4 O5"},

    /* Integers */
    {BASE "PackageType = 258", OK, BOOT},
    {BASE "PackageType = '259'", OK, OS},
    {BASE "PackageType = 0x102", OK, BOOT},
    {BASE "PackageType > 258", OK, OS},
    {BASE "PackageType = 258.0", OK, BOOT},
    {BASE "PackageType = 'abc'", BAD, "\"abc\" at position 51 cannot be compared with PackageType"},
    {BASE "PackageType = -1", BAD, "PackageType, which is uint32"},
    {BASE "PackageType = 258.5", BAD, "whole number"},
    {BASE "PackageType = TRUE", BAD, "PackageType"},
    {BASE "Priority = 2", OK, "B1 B2 O1 O2"},
    {BASE "Priority < 0", OK, "B5"},
    {BASE "Priority >= -1 AND Priority <= 1", OK, "B3 B5 O4"},
    {BASE "Priority <> 2", OK, "B3 B4 B5 O4 O5"},
    {BASE "NOT Priority = 2", OK, "B3 B4 B5 O4 O5"},
    {BASE "-1 = Priority", OK, "B5"},
    {BASE "3 < Priority", OK, "O5"},
    {BASE "Priority IN (1, 3, 5)", OK, "B3 B4 O5"},
    {BASE "Priority NOT IN (1, 3, 5)", OK, "B1 B2 B5 O1 O2 O4"},
    {BASE "Priority IN ('2', 0x0)", OK, "B1 B2 O1 O2 O4"},
    {BASE "Priority = +5", OK, "O5"},
    {BASE "SourceSize > 9223372036854775807", OK, "B3 B4"},
    {BASE "SourceSize >= 9223372036854775808", OK, "B3 B4"},
    {BASE "SourceSize < 9223372036854775808", OK, "B1 B2 B5 O1 O2 O4 O5"},
    {BASE "SourceSize <= 9223372036854775807", OK, "B1 B2 B5 O1 O2 O4 O5"},
    {BASE "SourceSize = 18446744073709551615", OK, "B3"},
    {BASE "SourceSize = 0xFFFFFFFFFFFFFFFF", OK, "B3"},
    {BASE "SourceSize > 1000", OK, "B3 B4 O1 O2"},
    {BASE "SourceSize <= 1000", OK, "B1 B2 B5 O4 O5"},
    {BASE "SourceSize <> 9223372036854775808", OK, "B1 B2 B3 B5 O1 O2 O4 O5"},
    {BASE "SourceSize IN (0, 18446744073709551615)", OK, "B3 B5"},
    {BASE "SourceSize < -1", BAD, "SourceSize, which is uint64"},
    {BASE "SourceSize > 18446744073709551616", BAD, "out of range"},
    {BASE "SourceSize > 0x1FFFFFFFFFFFFFFFF", BAD, "out of range"},
    {BASE "Signed64 < 0", OK, "B1 B4"},
    {BASE "Signed64 = -9223372036854775808", OK, "B4"},
    {BASE "Signed64 >= 9223372036854775807", OK, "B3"},
    {BASE "Signed64 = 9223372036854775808", BAD, "Signed64, which is sint64"},
    {BASE "Small = 255", OK, "B4"},
    {BASE "Small > 2", OK, "B3 B4 O4"},
    {BASE "Small = 256", BAD, "Small, which is uint8"},
    {BASE "Letter = 65", OK, "B1"},
    {BASE "Letter = 'B'", OK, "B2"},

    /* Reals */
    {BASE "Ratio = 0.5", OK, "B1"},
    {BASE "Ratio > 1", OK, "B3 O3 O5"},
    {BASE "Ratio < 0", OK, "B5"},
    {BASE "Ratio = 1e10", OK, "O5"},
    {BASE "Ratio = 1E+10", OK, "O5"},
    {BASE "Ratio >= 0.25 AND Ratio <= 0.75", OK, "B1 B2 O1"},
    {BASE "Ratio = -2", OK, "B5"},
    {BASE "Ratio = .25", OK, "B2"},
    {BASE "Ratio IS NULL", OK, "B4 O2"},
    {BASE "Ratio32 = 0.5", OK, "B1"},
    {BASE "Ratio = 'x'", BAD, "Ratio, which is real64"},
    {BASE "Ratio = 1e999", BAD, "too large"},

    /* Booleans */
    {BASE "Enabled = TRUE", OK, "B1 B2 B5 O1 O4"},
    {BASE "Enabled = FALSE", OK, "B3 O2 O5"},
    {BASE "Enabled <> TRUE", OK, "B3 O2 O5"},
    {BASE "Enabled = 1", OK, "B1 B2 B5 O1 O4"},
    {BASE "Enabled = 'false'", OK, "B3 O2 O5"},
    {BASE "enabled = true", OK, "B1 B2 B5 O1 O4"},
    {BASE "NOT Enabled = TRUE", OK, "B3 O2 O5"},
    {BASE "Enabled IS NULL", OK, "B4 O3"},
    {BASE "Enabled = TRUE OR Enabled IS NULL", OK, "B1 B2 B4 B5 O1 O3 O4"},
    {BASE "Enabled = 2", BAD, "Enabled, which is boolean"},

    /* DATETIME, compared chronologically */
    {BASE "SourceDate = '20240115103000.000000+000'", OK, "B1 B3"},
    {BASE "SourceDate = '20240115113000.000000+060'", OK, "B1 B3"},
    {BASE "SourceDate > '20240101000000.000000+000'", OK, "B1 B3 O4"},
    {BASE "SourceDate >= '20240101000000.000000+000'", OK, "B1 B3 O4 O5"},
    {BASE "SourceDate < '20230101000000.000000+000'", OK, "B5 O2"},
    {BASE "SourceDate < '20231231235959.999999+000'", OK, "B2 B5 O2"},
    {BASE "SourceDate <= '20231231235959.999999+000'", OK, "B2 B5 O1 O2"},
    {BASE "SourceDate = '20221018050000.000000+000'", OK, "O2"},
    {BASE "SourceDate < '19800101000000.000000+***'", OK, "B5"},
    {BASE "SourceDate IN ('20240101000000.000000+000', '20230601000000.000000+000')", OK,
     "B2 O5"},
    {BASE "SourceDate NOT IN ('20240101000000.000000+000')", OK, "B1 B2 B3 B5 O1 O2 O4"},
    {BASE "SourceDate < '2024**15103000.000000+000'", OK, "B2 B5 O1"},
    {BASE "SourceDate > '2024**15103000.000000+000'", OK, ""},
    {BASE "SourceDate = '00000001000000.000000:000'", OK, ""},
    {BASE "SourceDate LIKE '2024%'", OK, "B1 B3 O4 O5"},
    {BASE "SourceDate > '2024'", BAD, "not a valid datetime"},
    {BASE "SourceDate = 20240101", BAD, "DATETIME is written as a string"},

    /* LIKE */
    {BASE "Name LIKE '%x64%'", OK, "B1 B3 B4 B5"},
    {BASE "Name LIKE 'boot%'", OK, "B1 B2 B4"},
    {BASE "Name LIKE 'BOOT IMAGE (X__)'", OK, "B1 B2 B4"},
    {BASE "Name LIKE 'Windows 1_ Enterprise'", OK, "O1 O2"},
    {BASE "Name LIKE '%[0-9]%'", OK, "B1 B2 B3 B4 B5 O1 O2 O3"},
    {BASE "Name LIKE 'W[io]n%'", OK, "B3 O1 O2 O3"},
    {BASE "Name LIKE '[^bw]%'", OK, "B5 O4 O5"},
    {BASE "Name LIKE '[[]%'", OK, "O5"},
    {BASE "Name LIKE '%[_]%'", OK, "B5"},
    {BASE "Name LIKE '%_x64'", OK, "B5"},
    {BASE "Name LIKE '[a-c]%'", OK, "B1 B2 B4 O4"},
    {BASE "Name LIKE '[A-C]%'", OK, "B1 B2 B4 O4"},
    {BASE "Name LIKE '%'", OK, ALL},
    {BASE "Name LIKE 'caf_ image'", OK, "O4"},
    {BASE "Name LIKE 'CAF\xC3\x89%'", OK, ""},
    {BASE "Name NOT LIKE '%x64%'", OK, "B2 O1 O2 O3 O4 O5"},
    {BASE "NOT Name LIKE '%x64%'", OK, "B2 O1 O2 O3 O4 O5"},
    {BASE "Description LIKE '%100[%]%'", OK, "B4"},
    {BASE "Description LIKE '%\\\\Windows\\\\%'", OK, "B5"},
    {BASE "Description NOT LIKE '%x64%'", OK, "B2 B4 B5 O4 O5"},
    {BASE "Description LIKE '%d_j_ vu'", OK, "O4"},
    {BASE "Description LIKE '%'", OK, "B1 B2 B4 B5 O1 O2 O4 O5"},
    {BASE "Description LIKE '%it''s%'", OK, "O5"},
    {BASE "Name LIKE 'x[abc'", BAD, "never closed"},
    {BASE "PackageType LIKE '25%'", BAD, "LIKE matches text, but the value tested is uint32"},
    {BASE "Name LIKE Name", BAD, "expected a quoted pattern after LIKE"},

    /* UPPER and LOWER */
    {BASE "UPPER(Name) = 'BOOT IMAGE (X64)'", OK, "B1 B4"},
    {BASE "upper(Name) LIKE 'WIN%'", OK, "B3 O1 O2 O3"},
    {BASE "Name = UPPER('boot image (x64)')", OK, "B1 B4"},
    {BASE "LOWER(UPPER(Name)) = 'recovery_x64'", OK, "B5"},
    {BASE "UPPER(Name) IN ('RECOVERY_X64')", OK, "B5"},
    {BASE "LOWER(Description) IS NULL", OK, "B3 O3"},
    {BOOTQ "LOWER(Architecture) = 'x64'", OK, "B1 B3"},
    {BASE "UPPER(PackageType) = '258'", BAD, "UPPER() needs text"},
    {BASE "SUBSTRING(Name, 1, 2) = 'Bo'", BAD, "SUBSTRING() is not supported"},
    {BASE "UPPER(Name = 'x'", BAD, "expected ')' to close the function's argument"},

    /* IN over text */
    {BASE "Name IN ('recovery_x64', 'WINDOWS SERVER 2022')", OK, "B5 O3"},
    {BASE "PackageID IN ('LAB00001', 'lab00013', 'LAB99999')", OK, "B1 O4"},
    {BASE "PackageID NOT IN ('LAB00001')", OK, "B2 B3 B4 B5 O1 O2 O3 O4 O5"},
    {BASE "Name IN ()", BAD, "expected a value"},
    {BASE "Name IN ('a', NULL)", BAD, "NULL cannot be in an IN list"},
    {BASE "Name IN 'a'", BAD, "expected '(' to open the IN list"},
    {BASE "Name IN ('a' 'b')", BAD, "expected ',' or ')' in the IN list"},

    /* AND, OR, NOT and parentheses */
    {BASE "PackageType = 258 AND Priority = 2", OK, "B1 B2"},
    {BASE "PackageType = 259 OR Priority = 3", OK, "B4 O1 O2 O3 O4 O5"},
    {BASE "(PackageType = 259 OR Priority = 3) AND Enabled = TRUE", OK, "O1 O4"},
    {BASE "PackageType = 259 OR Priority = 3 AND Enabled = TRUE", OK, OS},
    {BASE "NOT (PackageType = 259 OR Priority = 3)", OK, "B1 B2 B3 B5"},
    {BASE "NOT NOT Priority = 2", OK, "B1 B2 O1 O2"},
    {BASE "NOT (Ratio > 1)", OK, "B1 B2 B5 O1 O4"},
    {BASE "Ratio > 1 OR Ratio IS NULL", OK, "B3 B4 O2 O3 O5"},
    {BASE "NOT (Ratio > 1 OR Ratio IS NULL)", OK, "B1 B2 B5 O1 O4"},
    {BASE "((((Priority = 5))))", OK, "O5"},
    {BASE "Priority = 2 AND (Name LIKE '%x86%' OR Description LIKE '%11%')", OK, "B2 O1"},
    {BASE "NOT Enabled = TRUE AND NOT Enabled = FALSE", OK, ""},
    {BASE "Enabled = TRUE AND Priority > 100", OK, ""},
    {BASE "Priority = 2 AND Priority = 2 AND Priority = 2 AND Name LIKE 'B%'", OK, "B1 B2"},
    {BASE "Priority = 1 OR Priority = 3 OR Priority = 5 OR Priority = -1", OK, "B3 B4 B5 O5"},
    {BASE "Ratio > 1 AND NOT (Ratio > 3 AND Priority IS NULL)", OK, "B3 O5"},

    /* __CLASS and ISA */
    {BASE "__CLASS = 'TST_BootImage'", OK, BOOT},
    {BASE "__class = 'tst_osinstall'", OK, OS},
    {BASE "__CLASS <> 'TST_BootImage'", OK, OS},
    {BASE "__CLASS ISA 'TST_OSInstall'", OK, OS},
    {BASE "__this ISA 'TST_BootImage'", OK, BOOT},
    {BASE "__CLASS ISA 'TST_PackageBase'", OK, ALL},
    {BASE "__CLASS = 'TST_PackageBase'", OK, ""},
    {BASE "__CLASS = 'NoSuchClass'", OK, ""},
    {BASE "__CLASS ISA 'NoSuchClass'", OK, ""},
    {BASE "__CLASS = 'TST_BootImage' AND Priority = 2", OK, "B1 B2"},
    {BASE "Priority = 2 AND __CLASS ISA 'TST_OSInstall'", OK, "O1 O2"},
    {BASE "__CLASS = 'TST_BootImage' OR Priority = 5", OK, "B1 B2 B3 B4 B5 O5"},
    {BASE "NOT __CLASS ISA 'TST_BootImage'", OK, OS},
    {BASE "__CLASS LIKE 'TST_B%'", OK, BOOT},
    {BASE "__CLASS IN ('TST_OSInstall')", OK, OS},
    {BASE "__CLASS = 'TST_BootImage' AND __CLASS = 'TST_OSInstall'", OK, ""},
    {BASE "__CLASS ISA 'TST_PackageBase' AND __CLASS = 'TST_OSInstall'", OK, OS},
    {BOOTQ "__CLASS ISA 'TST_OSInstall'", OK, ""},
    {BASE "Schedule ISA 'TST_Daily'", OK, "B1"},
    {BASE "Schedule ISA 'TST_Token'", OK, "B1 B2"},
    {BASE "NOT Schedule ISA 'TST_Daily'", OK, "B2"},
    {BASE "PackageID ISA 'X'", BAD, "ISA tests a class"},
    {BASE "__CLASS ISA TST_BootImage", BAD, "expected a quoted class name after ISA"},
    {BASE "Tags ISA 'X'", BAD, "Tags is an array property"},
    {BASE "__PATH = 'x'", BAD, "the system property __PATH cannot be tested"},
    {BASE "__this = 'x'", BAD, "__this can only be used with ISA"},

    /* Properties the class does not have or WQL cannot test */
    {BOOTQ "Nme = 'x'", BAD, "\"Nme\" is not a property of TST_BootImage (at position 35)"},
    {BASE "Architecture = 'x64'", BAD, "\"Architecture\" is not a property of TST_PackageBase"},
    {BOOTQ "Architecture = 'x64'", OK, "B1 B3"},
    {"SELECT Nme FROM TST_BootImage", BAD, "\"Nme\" is not a property of TST_BootImage"},
    {"SELECT * FROM TST_Nope", SMSPROV_E_INVALID_CLASS, "TST_Nope (at position 15) is not a class"},
    {"SELECT * FROM TST_Token", SMSPROV_E_INVALID_OPERATION, "embedded class"},
    {BASE "Tags = 'a'", BAD, "Tags is an array property and cannot be tested"},
    {BASE "Tags IS NULL", BAD, "WQL has no array predicates"},
    {BASE "Schedule = 'x'", BAD, "Schedule holds an embedded object"},
    {BASE "Schedule IS NULL", BAD, "Schedule holds an embedded object"},
    {"SELECT * FROM TST_PackageBase ORDER BY Tags", BAD, "Tags is an array property"},
    {"SELECT * FROM TST_PackageBase ORDER BY Schedule", BAD, "embedded object"},
    {BASE "Secret = 's1'", OK, "B1"},
    {BASE "Secret IS NOT NULL", OK, "B1 B3"},
    {BOOTQ "ScratchSpace > 300", OK, "B1"},
    {BASE "Target = 'TST_Target.Name=\"two\"'", OK, "B2"},
    {BASE "Target LIKE '%one%'", OK, "B1"},
    {BASE "Name = Description", OK, ""},
    {BASE "Priority < Small", OK, "B3 B4 B5 O4"},
    {BASE "Signed64 < SourceSize", OK, "B1 B2 B3 B4 O1"},
    {BASE "Ratio > Priority", OK, "B3 O5"},
    {BASE "Name = PackageType", BAD, "a string cannot be compared with a uint32"},
    {BASE "1 = 1", BAD, "a comparison needs a property on one side"},
    {BASE "'a' LIKE 'a'", BAD, "a comparison needs a property on one side"},

    /* Syntax, with the position of the problem */
    {"SELEC * FROM TST_BootImage", BAD, "expected SELECT at position 1, but found \"SELEC\""},
    {"SELECT * FORM TST_BootImage", BAD, "expected FROM at position 10"},
    {BOOTQ "Name = 'abc", BAD, "unterminated string starting at position 42"},
    {BOOTQ "Name = \"abc", BAD, "unterminated string starting at position 42"},
    {BOOTQ, BAD, "expected a property name or a value at position 35, but the query ended"},
    {BOOTQ "Name", BAD, "expected a comparison operator"},
    {BOOTQ "Name = ", BAD, "expected a property name or a value at position 42"},
    {"SELECT FROM TST_BootImage", BAD, "expected a property name, * or COUNT(*) at position 8"},
    {"SELECT * FROM", BAD, "expected a class name after FROM at position 14"},
    {"SELECT * FROM TST_BootImage extra", BAD,
     "expected WHERE, ORDER BY or the end of the query at position 29"},
    {BOOTQ "(Priority = 2", BAD, "expected ')' to close the parenthesis at position 48"},
    {BOOTQ "Priority = 2)", BAD,
     "expected AND, OR, ORDER BY or the end of the query at position 47"},
    {BOOTQ "Priority = 2;", BAD, "expected AND, OR, ORDER BY or the end of the query"},
    {BOOTQ "Name = 'C:\\Windows'", BAD, "unknown escape sequence \\W at position 45"},
    {BOOTQ "Name # 'x'", BAD, "unexpected character '#' at position 40"},
    {BOOTQ "Priority = 12abc", BAD, "malformed number \"12a\" at position 46"},
    {BOOTQ "Priority = 0x", BAD, "hexadecimal digits"},
    {BOOTQ "Priority = -", BAD, "expected a number after the sign"},
    {BOOTQ "Priority IS 5", BAD, "expected NULL after IS"},
    {BOOTQ "Priority IS NOT 'x'", BAD, "expected NULL after IS"},
    {BOOTQ "Priority > NULL", BAD, "NULL can only be compared with = or <>"},
    {BOOTQ "Priority BETWEEN 1 AND 2", BAD, "BETWEEN is not supported"},
    {BOOTQ "Priority = 1 AND", BAD, "the query ended"},
    {BOOTQ "NOT", BAD, "the query ended"},
    {"SELECT * FROM TST_BootImage ORDER Name", BAD, "expected BY"},
    {"SELECT * FROM TST_BootImage ORDER BY", BAD, "expected a property name to order by"},
    {"SELECT * FROM TST_BootImage ORDER BY Name,", BAD, "expected a property name to order by"},
    {"SELECT * FROM TST_BootImage ORDER BY Name DESC ASC", BAD, "expected ',' or the end"},
    {"SELECT Name, FROM TST_BootImage", BAD, "expected a property name, * or COUNT(*)"},
    {"SELECT * FROM TST_PackageBase WHERE Caf\xC3\xA9 = 1", BAD,
     "non-ASCII character outside a string at position 40"},
    {"SELECT * FROM TST_PackageBase WHERE Name = 'Caf\xC3\xA9' AND Nme = 1", BAD,
     "(at position 55)"},
    {"", BAD, "expected SELECT at position 1, but the query ended"},
    {"   ", BAD, "expected SELECT at position 4"},
    {"DELETE FROM TST_BootImage", BAD, "expected SELECT"},

    /* What extended WQL has and this engine refuses */
    {"SELECT * FROM TST_BootImage JOIN TST_OSInstall ON a = b", BAD,
     "JOIN is not supported yet (extended WQL join queries are out of scope) at position 29"},
    {"SELECT * FROM TST_BootImage INNER JOIN TST_OSInstall ON a = b", BAD,
     "JOIN is not supported yet"},
    {"SELECT * FROM TST_BootImage, TST_OSInstall", BAD, "JOIN is not supported yet"},
    {"SELECT * FROM TST_BootImage AS b", BAD, "JOIN is not supported yet"},
    {"SELECT b.Name FROM TST_BootImage", BAD, "JOIN is not supported yet"},
    {BOOTQ "b.Name = 'x'", BAD, "qualified names such as Class.Property"},
    {BOOTQ "PackageID IN (SELECT PackageID FROM TST_OSInstall)", BAD,
     "subqueries are not supported"},
    {"SELECT * FROM (SELECT * FROM TST_BootImage)", BAD, "subqueries are not supported"},
    {"ASSOCIATORS OF {TST_BootImage.PackageID=\"LAB00001\"}", BAD,
     "ASSOCIATORS OF and REFERENCES OF queries are not supported"},
    {"references of {TST_BootImage.PackageID=\"LAB00001\"}", BAD, "only SELECT is"},
    {"SELECT * FROM TST_BootImage GROUP BY Name", BAD, "GROUP BY and HAVING are not supported"},
    {"SELECT * FROM TST_BootImage WITHIN 10", BAD, "event queries (WITHIN) are not supported"},
    {"SELECT UPPER(Name) FROM TST_BootImage", BAD, "UPPER() is not supported here"},

    /* COUNT */
    {"SELECT COUNT(*) FROM TST_PackageBase", OK, "count=10"},
    {"SELECT COUNT(*) FROM TST_BootImage WHERE Priority = 2", OK, "count=2"},
    {"SELECT count(*) FROM TST_PackageBase WHERE Name LIKE '%x64%'", OK, "count=4"},
    {"SELECT COUNT(Description) FROM TST_PackageBase", OK, "count=8"},
    {"SELECT COUNT(Ratio) FROM TST_PackageBase WHERE Priority = 2", OK, "count=3"},
    {"SELECT COUNT(*) FROM TST_PackageBase WHERE __CLASS = 'TST_OSInstall'", OK, "count=5"},
    {"SELECT COUNT(*) FROM TST_PackageBase WHERE __CLASS = 'Nope'", OK, "count=0"},
    {"SELECT COUNT(*) FROM TST_PackageBase WHERE Secret IS NOT NULL", OK, "count=2"},
    {"SELECT COUNT(*) FROM TST_PackageBase WHERE NOT __CLASS ISA 'TST_BootImage'", OK, "count=5"},
    {"SELECT COUNT(*) FROM TST_PackageBase WHERE PackageID = 'none'", OK, "count=0"},
    {"SELECT DISTINCT COUNT(*) FROM TST_PackageBase", BAD,
     "COUNT() cannot be combined with DISTINCT"},
    {"SELECT COUNT(*) FROM TST_PackageBase ORDER BY Name", BAD,
     "ORDER BY cannot be used with COUNT()"},
    {"SELECT Name, COUNT(*) FROM TST_PackageBase", BAD,
     "COUNT() cannot be combined with other properties"},
    {"SELECT COUNT(Nope) FROM TST_PackageBase", BAD, "\"Nope\" is not a property"},
    {"SELECT COUNT(Tags) FROM TST_PackageBase", BAD, "Tags is an array property"},
    {"SELECT COUNT(* FROM TST_PackageBase", BAD, "expected ')' to close COUNT("},

    /* ORDER BY: NULL first ascending, ties in key order */
    {"SELECT * FROM TST_PackageBase ORDER BY Priority", OK, "O3 B5 O4 B3 B1 B2 O1 O2 B4 O5"},
    {"SELECT * FROM TST_PackageBase ORDER BY Priority DESC", OK, "O5 B4 B1 B2 O1 O2 B3 O4 B5 O3"},
    {"SELECT * FROM TST_PackageBase ORDER BY Name", OK, "O5 B1 B4 B2 O4 B5 O2 O1 O3 B3"},
    {"SELECT * FROM TST_PackageBase ORDER BY Name DESC", OK, "B3 O3 O1 O2 B5 O4 B2 B1 B4 O5"},
    {"SELECT * FROM TST_PackageBase ORDER BY PackageType DESC, Name ASC", OK,
     "O5 O4 O2 O1 O3 B1 B4 B2 B5 B3"},
    {"SELECT * FROM TST_PackageBase ORDER BY SourceSize", OK, "O3 B5 O4 O5 B2 B1 O2 O1 B4 B3"},
    {"SELECT * FROM TST_PackageBase ORDER BY SourceDate", OK, "B4 O3 B5 O2 B2 O1 O5 B1 B3 O4"},
    {"SELECT * FROM TST_PackageBase ORDER BY Enabled", OK, "B4 O3 B3 O2 O5 B1 B2 B5 O1 O4"},
    {"SELECT * FROM TST_PackageBase ORDER BY Ratio DESC", OK, "O5 O3 B3 O1 B1 B2 O4 B5 B4 O2"},
    {"SELECT * FROM TST_PackageBase ORDER BY __CLASS DESC, PackageID DESC", OK,
     "O5 O4 O3 O2 O1 B5 B4 B3 B2 B1"},
    {"SELECT * FROM TST_PackageBase WHERE Priority = 2 ORDER BY Name", OK, "B1 B2 O2 O1"},
    {"SELECT * FROM TST_PackageBase ORDER BY Secret", OK, "B2 B4 B5 O1 O2 O3 O4 O5 B1 B3"},
    {"SELECT * FROM TST_PackageBase ORDER BY Signed64", OK, "B5 O2 O3 O5 B4 B1 B2 O4 O1 B3"},
    {"SELECT * FROM TST_PackageBase order by packageid desc", OK, "O5 O4 O3 O2 O1 B5 B4 B3 B2 B1"},
    {"SELECT * FROM TST_PackageBase ORDER BY Nope", BAD, "\"Nope\" is not a property"},

    /* Select lists and DISTINCT */
    {"SELECT Name FROM TST_BootImage WHERE Priority = 2", OK, "B1 B2"},
    {"SELECT Name, __PATH, __RELPATH FROM TST_BootImage WHERE Priority = 2", OK, "B1 B2"},
    {"SELECT DISTINCT PackageType FROM TST_PackageBase", OK, "rows=2"},
    {"SELECT DISTINCT Priority FROM TST_PackageBase", OK, "rows=7"},
    {"SELECT DISTINCT Name FROM TST_PackageBase", OK, "rows=9"},
    {"SELECT DISTINCT Name, Priority FROM TST_PackageBase", OK, "rows=10"},
    {"SELECT DISTINCT Enabled FROM TST_PackageBase", OK, "rows=3"},
    {"SELECT DISTINCT SourceDate FROM TST_PackageBase", OK, "rows=8"},
    {"SELECT DISTINCT * FROM TST_BootImage", OK, "rows=5"},
    {"SELECT DISTINCT __CLASS FROM TST_PackageBase", OK, "rows=2"},
    {"SELECT DISTINCT Tags FROM TST_BootImage", OK, "rows=2"},
    {"SELECT DISTINCT Secret FROM TST_PackageBase", OK, "rows=1"}, /* lazy: always null */
    {"SELECT DISTINCT PackageType FROM TST_PackageBase WHERE Priority = 2", OK, "rows=2"},
    {"SELECT DISTINCT PackageType FROM TST_PackageBase ORDER BY Name", BAD,
     "with DISTINCT, ORDER BY can only use selected properties"},
};

static const char *const row_ids[][2] = {
    {"B1", "LAB00001"}, {"B2", "LAB00002"}, {"B3", "LAB00003"}, {"B4", "LAB0000A"},
    {"B5", "LAB0000B"}, {"O1", "LAB00010"}, {"O2", "LAB00011"}, {"O3", "LAB00012"},
    {"O4", "LAB00013"}, {"O5", "LAB00014"},
};

/* The rows' short names ("B1 O2"), for comparison with expectations. */
static char *short_names(const smsprov_instance_list *list)
{
    cim_buf b = {0};
    for (size_t i = 0; i < list->count; i++) {
        const cim_value *v = cim_instance_get(list->items[i], "PackageID");
        const char *name = "?";
        for (size_t k = 0; v && !v->is_null && k < sizeof row_ids / sizeof row_ids[0]; k++)
            if (strcmp(row_ids[k][1], v->u.string) == 0)
                name = row_ids[k][0];
        cim_buf_printf(&b, "%s%s", i ? " " : "", name);
    }
    return cim_buf_take(&b);
}

/* What a result looks like in the form expectations are written in. */
static char *describe_result(const corpus_case *c, const smsprov_instance_list *list)
{
    if (strncmp(c->expect, "count=", 6) == 0) {
        if (list->count != 1 || strcmp(list->items[0]->cls->name, "__Generic") != 0)
            return cim_xasprintf("%zu rows that are not one __Generic", list->count);
        const cim_value *v = cim_instance_get(list->items[0], "Count");
        return cim_xasprintf("count=%llu", (unsigned long long)v->u.uint);
    }
    if (strncmp(c->expect, "rows=", 5) == 0)
        return cim_xasprintf("rows=%zu", list->count);
    return short_names(list);
}

/* Runs one case in one mode; returns a sentence on mismatch, else NULL. */
static char *check_case(const wql_fixture *f, const corpus_case *c, wql_mode mode)
{
    smsprov_instance_list list = {0};
    smsprov_error err = {0};
    smsprov_code rc = wql_run(f, c->query, mode, &list, &err);
    const char *mode_name = mode == WQL_PUSHDOWN ? "push-down" : "in-memory";
    char *problem = NULL;
    if (rc != c->code) {
        problem = cim_xasprintf("[%s] %s: expected %s, got %s (%s)", mode_name, c->query,
                                smsprov_code_name(c->code), smsprov_code_name(rc),
                                err.description ? err.description : "no description");
    } else if (rc != SMSPROV_OK) {
        if (!err.description || !strstr(err.description, c->expect))
            problem = cim_xasprintf("[%s] %s: error \"%s\" does not contain \"%s\"", mode_name,
                                    c->query, err.description ? err.description : "",
                                    c->expect);
        if (list.count != 0 || list.items != NULL)
            problem = cim_xasprintf("[%s] %s: a failed query returned rows", mode_name, c->query);
    } else {
        char *got = describe_result(c, &list);
        if (strcmp(got, c->expect) != 0)
            problem = cim_xasprintf("[%s] %s:\n    expected: %s\n    got:      %s", mode_name,
                                    c->query, c->expect, got);
        free(got);
    }
    smsprov_error_clear(&err);
    wql_list_free(&list);
    return problem;
}

static int setup(void **state)
{
    wql_fixture *f = cim_xcalloc(1, sizeof *f);
    char *mof = wql_test_mof();
    wql_fixture_open(f, "corpus", mof);
    free(mof);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    wql_fixture_close(*state);
    free(*state);
    return 0;
}

static void test_corpus_size(void **state)
{
    (void)state;
    size_t valid = 0, invalid = 0;
    for (size_t i = 0; i < sizeof corpus / sizeof corpus[0]; i++)
        *(corpus[i].code == SMSPROV_OK ? &valid : &invalid) += 1;
    assert_true(valid + invalid >= 150);
    assert_true(valid >= 100);
    assert_true(invalid >= 50);
}

static void test_corpus(void **state)
{
    const wql_fixture *f = *state;
    size_t failures = 0;
    for (size_t i = 0; i < sizeof corpus / sizeof corpus[0]; i++) {
        for (int mode = WQL_PUSHDOWN; mode <= WQL_IN_MEMORY; mode++) {
            char *problem = check_case(f, &corpus[i], (wql_mode)mode);
            if (problem) {
                print_error("%s\n", problem);
                free(problem);
                failures++;
            }
        }
    }
    if (failures)
        fail_msg("%zu corpus checks failed", failures);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_corpus_size),
        cmocka_unit_test_setup_teardown(test_corpus, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
