/*
 * osd/hive_windows.c - hive.h on Windows, where hivex does not exist: the
 * regf editor (regf_edit.h) behind the same calls the servicing code makes
 * on Linux (hive.c).
 */
#include "osd/hive.h"

#include <stdlib.h>

#include "osd/regf_edit.h"
#include "smsprov/cim.h"

struct osd_hive {
    osd_regf *regf;
};

smsprov_code osd_hive_open(const char *path, osd_hive **out, smsprov_error *err)
{
    *out = NULL;
    osd_regf *regf = NULL;
    smsprov_code rc = osd_regf_open(path, &regf, err);
    if (rc != SMSPROV_OK)
        return rc;
    osd_hive *hive = cim_xcalloc(1, sizeof *hive);
    hive->regf = regf;
    *out = hive;
    return SMSPROV_OK;
}

void osd_hive_close(osd_hive *hive)
{
    if (!hive)
        return;
    osd_regf_close(hive->regf);
    free(hive);
}

smsprov_code osd_hive_add_key(osd_hive *hive, const char *key_path, smsprov_error *err)
{
    return osd_regf_add_key(hive->regf, key_path, err);
}

smsprov_code osd_hive_set_string(osd_hive *hive, const char *key_path, const char *name,
                                 const char *value, smsprov_error *err)
{
    return osd_regf_set_string(hive->regf, key_path, name, value, err);
}

smsprov_code osd_hive_set_dword(osd_hive *hive, const char *key_path, const char *name,
                                uint32_t value, smsprov_error *err)
{
    return osd_regf_set_dword(hive->regf, key_path, name, value, err);
}

smsprov_code osd_hive_commit(osd_hive *hive, smsprov_error *err)
{
    return osd_regf_commit(hive->regf, err);
}
