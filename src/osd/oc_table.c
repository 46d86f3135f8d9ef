/*
 * osd/oc_table.c - the optional component table: names, dependencies and
 * the install order (see oc.h).
 */
#include <stdlib.h>
#include <string.h>

#include "osd/oc.h"
#include "smsprov/cim.h"

#define MAX_PREREQUISITES 4

typedef struct oc_row {
    const char *name;
    const char *modern_name; /* the cabinet's name in current ADKs, if different */
    bool required;
    const char *needs[MAX_PREREQUISITES]; /* every prerequisite, in install order */
} oc_row;

#define WMI "WinPE-WMI"
#define NETFX "WinPE-NetFx4"
#define SCRIPTING "WinPE-Scripting"
#define POWERSHELL "WinPE-PowerShell3"
#define SECURE_STARTUP "WinPE-SecureStartup"

/* In install order: every row comes after all it needs. */
static const oc_row rows[] = {
    {WMI, NULL, true, {NULL}},
    {NETFX, "WinPE-NetFx", false, {WMI}},
    {SCRIPTING, NULL, true, {WMI}},
    {POWERSHELL, "WinPE-PowerShell", false, {WMI, NETFX, SCRIPTING}},
    {"WinPE-HTA", NULL, false, {WMI, SCRIPTING}},
    {"WinPE-MDAC", NULL, false, {WMI, SCRIPTING}},
    {"WinPE-DismCmdlets", NULL, false, {WMI, NETFX, SCRIPTING, POWERSHELL}},
    {"WinPE-StorageWMI", NULL, false, {WMI, NETFX, SCRIPTING, POWERSHELL}},
    {"WinPE-SecureBootCmdlets", NULL, false, {WMI, NETFX, SCRIPTING, POWERSHELL}},
    {SECURE_STARTUP, NULL, true, {WMI}},
    {"WinPE-PlatformId", NULL, false, {WMI, SECURE_STARTUP}},
    /* No prerequisites. */
    {"WinPE-Dot3Svc", NULL, false, {NULL}},
    {"WinPE-EnhancedStorage", NULL, false, {NULL}},
    {"WinPE-FMAPI", NULL, false, {NULL}},
    {"WinPE-FontSupport-JA-JP", NULL, false, {NULL}},
    {"WinPE-FontSupport-KO-KR", NULL, false, {NULL}},
    {"WinPE-FontSupport-ZH-CN", NULL, false, {NULL}},
    {"WinPE-FontSupport-ZH-HK", NULL, false, {NULL}},
    {"WinPE-FontSupport-ZH-TW", NULL, false, {NULL}},
    {"WinPE-LegacySetup", NULL, false, {NULL}},
    {"WinPE-PPPoE", NULL, false, {NULL}},
    {"WinPE-RNDIS", NULL, false, {NULL}},
    {"WinPE-Setup", NULL, false, {NULL}},
    {"WinPE-Setup-Client", NULL, false, {NULL}},
    {"WinPE-Setup-Server", NULL, false, {NULL}},
    {"WinPE-WDS-Tools", NULL, true, {NULL}},
    {"WinPE-WinReCfg", NULL, false, {NULL}},
};

#define ROW_COUNT (sizeof rows / sizeof rows[0])

static const oc_row *find_row(const char *name)
{
    for (size_t i = 0; name && i < ROW_COUNT; i++)
        if (cim_strcasecmp(rows[i].name, name) == 0 ||
            (rows[i].modern_name && cim_strcasecmp(rows[i].modern_name, name) == 0))
            return &rows[i];
    return NULL;
}

const char *osd_oc_canonical(const char *name)
{
    const oc_row *row = find_row(name);
    return row ? row->name : NULL;
}

const char *osd_oc_modern_name(const char *name)
{
    const oc_row *row = find_row(name);
    return row ? row->modern_name : NULL;
}

bool osd_oc_is_required(const char *name)
{
    const oc_row *row = find_row(name);
    return row && row->required;
}

size_t osd_oc_prerequisites(const char *name, const char **out, size_t cap)
{
    const oc_row *row = find_row(name);
    size_t n = 0;
    for (size_t i = 0; row && i < MAX_PREREQUISITES && row->needs[i]; i++, n++)
        if (n < cap)
            out[n] = row->needs[i];
    return n;
}

static void mark(bool *marked, const oc_row *row)
{
    marked[row - rows] = true;
    for (size_t i = 0; i < MAX_PREREQUISITES && row->needs[i]; i++)
        marked[find_row(row->needs[i]) - rows] = true;
}

smsprov_code osd_oc_closure(const char *const *selected, size_t count, const char ***out,
                            size_t *out_count, smsprov_error *err)
{
    *out = NULL;
    *out_count = 0;
    bool marked[ROW_COUNT] = {false};
    for (size_t i = 0; i < count; i++) {
        const oc_row *row = find_row(selected[i]);
        if (!row)
            return smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER,
                                     "\"%s\" is not a WinPE optional component; the known ones "
                                     "are the WinPE_OCs cabinets of the Windows ADK, such as "
                                     "WinPE-WMI or WinPE-PowerShell3.",
                                     selected[i] ? selected[i] : "");
        mark(marked, row);
    }
    for (size_t i = 0; i < ROW_COUNT; i++)
        if (rows[i].required)
            mark(marked, &rows[i]);
    const char **names = cim_xcalloc(ROW_COUNT, sizeof *names);
    size_t n = 0;
    for (size_t i = 0; i < ROW_COUNT; i++)
        if (marked[i])
            names[n++] = rows[i].name;
    *out = names;
    *out_count = n;
    return SMSPROV_OK;
}
