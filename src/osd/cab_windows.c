/*
 * osd/cab_windows.c - extracting cabinets on Windows with the FDI API of
 * cabinet.dll (part of every Windows; Wine implements it), where libgcab
 * and glib are not available.
 *
 * FDI does its own file I/O through the callbacks given to FDICreate; they
 * take the UTF-8 paths this module builds and open them as UTF-16, so
 * folders with non-ASCII names work.  Each file FDI announces is checked
 * (osd_cab_extract's rules) before anything is written for it.
 */
#include <windows.h>
#include <fcntl.h>
#include <fdi.h>
#include <io.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "osd/cab.h"
#include "osd/fs.h"
#include "platform/win32.h"
#include "smsprov/cim.h"

/* What one extraction carries through FDI's notifications. */
typedef struct cab_run {
    const char *dest;
    char *why; /* the first reason to stop, if any */
} cab_run;

static FNALLOC(cab_alloc)
{
    return malloc(cb);
}

static FNFREE(cab_free)
{
    free(pv);
}

static FNOPEN(cab_open)
{
    wchar_t *wide = platform_utf16(pszFile);
    if (!wide)
        return -1;
    INT_PTR fd = _wopen(wide, oflag, pmode);
    free(wide);
    return fd;
}

static FNREAD(cab_read)
{
    return (UINT)_read((int)hf, pv, cb);
}

static FNWRITE(cab_write)
{
    return (UINT)_write((int)hf, pv, cb);
}

static FNCLOSE(cab_close)
{
    return _close((int)hf);
}

static FNSEEK(cab_seek)
{
    return _lseek((int)hf, dist, seektype);
}

/* Names inside a cabinet must stay inside its folder. */
static bool safe_name(const char *name)
{
    return name && *name && name[0] != '\\' && name[0] != '/' && !strstr(name, "..") &&
           !strchr(name, ':');
}

/* Opens dest\name for writing, making the folders the name asks for. */
static INT_PTR open_output(cab_run *run, const char *name)
{
    char *path = cim_xasprintf("%s\\%s", run->dest, name);
    for (char *c = path; *c; c++)
        if (*c == '/')
            *c = '\\';
    char *parent = cim_xstrdup(path);
    *strrchr(parent, '\\') = '\0';
    smsprov_error err = {0};
    INT_PTR fd = -1;
    if (osd_fs_make_dirs(parent, &err) == SMSPROV_OK)
        fd = cab_open(path, _O_BINARY | _O_CREAT | _O_TRUNC | _O_WRONLY, _S_IREAD | _S_IWRITE);
    if (fd == -1)
        run->why = cim_xasprintf("extracting %s failed (%s)", name,
                                 err.description ? err.description : "it cannot be created");
    smsprov_error_clear(&err);
    free(parent);
    free(path);
    return fd;
}

static FNFDINOTIFY(cab_notify)
{
    cab_run *run = pfdin->pv;
    switch (fdint) {
    case fdintCOPY_FILE:
        if (!safe_name(pfdin->psz1)) {
            run->why = cim_xstrdup("it names files outside its own folder");
            return -1;
        }
        return open_output(run, pfdin->psz1);
    case fdintCLOSE_FILE_INFO:
        return _close((int)pfdin->hf) == 0 ? TRUE : FALSE;
    case fdintNEXT_CABINET:
        run->why = cim_xstrdup("it continues in another cabinet, which is not supported");
        return -1;
    default:
        return 0;
    }
}

static const char *fdi_error_name(int oper)
{
    switch (oper) {
    case FDIERROR_CABINET_NOT_FOUND: return "not found";
    case FDIERROR_NOT_A_CABINET: return "no cabinet header";
    case FDIERROR_UNKNOWN_CABINET_VERSION: return "unknown cabinet version";
    case FDIERROR_CORRUPT_CABINET: return "corrupt cabinet";
    case FDIERROR_ALLOC_FAIL: return "out of memory";
    case FDIERROR_BAD_COMPR_TYPE: return "unknown compression";
    case FDIERROR_MDI_FAIL: return "bad compressed data";
    case FDIERROR_TARGET_FILE: return "a file cannot be written";
    case FDIERROR_RESERVE_MISMATCH: return "reserve mismatch";
    case FDIERROR_WRONG_CABINET: return "wrong cabinet";
    default: return "FDI error";
    }
}

bool osd_cab_extract(const char *path, const char *dest, char **why)
{
    *why = NULL;
    /* FDI opens pszCabPath followed by pszCabinet: split at the last separator. */
    const char *slash = strrchr(path, '\\'), *fwd = strrchr(path, '/');
    if (!slash || (fwd && fwd > slash))
        slash = fwd;
    char *folder = cim_xstrdup(path);
    folder[slash ? (size_t)(slash - path + 1) : 0] = '\0';
    char *name = cim_xstrdup(slash ? slash + 1 : path);
    ERF erf = {0};
    HFDI fdi = FDICreate(cab_alloc, cab_free, cab_open, cab_read, cab_write, cab_close,
                         cab_seek, cpuUNKNOWN, &erf);
    cab_run run = {dest, NULL};
    if (!fdi) {
        *why = cim_xasprintf("reading it failed (%s)", fdi_error_name(erf.erfOper));
    } else if (!FDICopy(fdi, name, folder, 0, cab_notify, NULL, &run)) {
        if (run.why)
            *why = run.why;
        else if (erf.erfOper == FDIERROR_CABINET_NOT_FOUND)
            *why = cim_xstrdup("reading it failed (it cannot be opened)");
        else
            *why = cim_xasprintf("it is not a valid cabinet (%s, FDI error %d)",
                                 fdi_error_name(erf.erfOper), erf.erfOper);
    } else if (run.why) {
        *why = run.why; /* FDI reported success after a refused file */
    }
    if (fdi)
        FDIDestroy(fdi);
    free(name);
    free(folder);
    return *why == NULL;
}
