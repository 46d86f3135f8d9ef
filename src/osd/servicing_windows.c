/*
 * osd/servicing_windows.c - boot image servicing on Windows: not here.
 *
 * Servicing (OSD binary injection, drivers, optional components,
 * customisation, export) edits WIM images and their registry hives with
 * wimlib's write side, hivex, libgcab and glib, which the Windows build
 * does not have.  It runs in smsprovd on Linux.  The Windows provider keeps
 * the instances and reads WIM properties (wim_windows.c); these entry
 * points fail with one sentence saying so, and the jobs that call them end
 * as failed jobs carrying it, like any other failure.  This is the
 * Windows build's stated limit, not an emulation.
 */
#include <string.h>

#include "osd/customize.h"
#include "osd/inf.h"
#include "osd/inject.h"

#define SERVICING_ELSEWHERE                                                                   \
    "Boot image servicing (OSD binary injection, drivers, optional components, "             \
    "customization, export) runs in smsprovd on Linux; the Windows provider keeps the "      \
    "instances and reads WIM properties only."

static smsprov_code not_here(smsprov_error *err)
{
    return smsprov_error_set(err, SMSPROV_E_NOT_SUPPORTED, "%s", SERVICING_ELSEWHERE);
}

smsprov_code osd_inject(const osd_inject_options *opt, osd_inject_result *out,
                        smsprov_error *err)
{
    (void)opt;
    memset(out, 0, sizeof *out);
    osd_inject_failure_set(&out->failure, OSD_ERROR_NOT_SUPPORTED, "Boot image servicing");
    return not_here(err);
}

/* Records c as on Linux; no customisation hook is needed, as osd_inject
 * above refuses every image before one would run. */
void osd_customize_attach(osd_inject_options *opt, osd_customization *c)
{
    c->source_wim = opt->source_wim;
    c->image_index = opt->image_index;
    c->adk_root = opt->adk_root;
    opt->customize = NULL;
    opt->customize_data = c;
}

smsprov_code osd_driver_read(const char *inf_path, const char *shown, osd_arch arch,
                             osd_driver_info *out, smsprov_error *err)
{
    (void)inf_path;
    (void)shown;
    (void)arch;
    memset(out, 0, sizeof *out);
    return not_here(err);
}

/* Only wimlib's read side is loaded here: the data is not verified. */
smsprov_code osd_wim_verify_whole(const char *path, const osd_verified_sources *record,
                                  smsprov_error *err)
{
    (void)path;
    (void)record;
    (void)err;
    return SMSPROV_OK;
}
