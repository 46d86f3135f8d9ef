/*
 * osd/wim_windows.c - reading WIMs (wim_read.h) on Windows through
 * wimlib's official DLL, libwim-15.dll, loaded at run time.
 *
 * wimlib has no Windows package to link against here, so the provider
 * finds the DLL when it first needs it: beside the module holding this
 * code (smsprov.dll), then on the default DLL search path.  Only the
 * read-side functions are resolved, through pointers typed from wimlib.h's
 * own prototypes.  On Windows wimlib_tchar is wchar_t: names and values
 * are converted between UTF-8 and UTF-16 here.
 */
#include <windows.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "osd/wim_read.h"
#include "platform/win32.h"
#include "smsprov/cim.h"

#define WIMLIB_DLL L"libwim-15.dll"

static struct {
    __typeof__(&wimlib_global_init) global_init;
    __typeof__(&wimlib_open_wim) open_wim;
    __typeof__(&wimlib_get_wim_info) get_wim_info;
    __typeof__(&wimlib_get_image_property) get_image_property;
    __typeof__(&wimlib_get_error_string) get_error_string;
    __typeof__(&wimlib_free) free_wim;
    __typeof__(&wimlib_iterate_dir_tree) iterate_dir_tree; /* optional */
} wimlib;
static bool wimlib_loaded;
static INIT_ONCE wimlib_once = INIT_ONCE_STATIC_INIT;

/* The folder of the module (DLL or program) this code is linked into,
 * with a trailing separator; NULL if Windows does not say. */
static wchar_t *own_module_folder(void)
{
    HMODULE module;
    if (!GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS |
                                GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT,
                            (LPCWSTR)(void *)&own_module_folder, &module))
        return NULL;
    wchar_t path[MAX_PATH];
    DWORD n = GetModuleFileNameW(module, path, MAX_PATH);
    if (n == 0 || n >= MAX_PATH)
        return NULL;
    wchar_t *slash = wcsrchr(path, L'\\');
    if (!slash)
        return NULL;
    slash[1] = L'\0';
    return _wcsdup(path);
}

static HMODULE load_wimlib_dll(void)
{
    HMODULE dll = NULL;
    wchar_t *folder = own_module_folder();
    if (folder) {
        size_t n = wcslen(folder) + wcslen(WIMLIB_DLL) + 1;
        wchar_t *path = cim_xmalloc(n * sizeof *path);
        swprintf(path, n, L"%ls%ls", folder, WIMLIB_DLL);
        /* Altered search path: the DLL's own imports resolve beside it. */
        dll = LoadLibraryExW(path, NULL, LOAD_WITH_ALTERED_SEARCH_PATH);
        free(path);
        free(folder);
    }
    return dll ? dll : LoadLibraryW(WIMLIB_DLL);
}

/* GetProcAddress typed as the wimlib.h prototype of the same name. */
#define RESOLVE(dll, field, name) \
    (wimlib.field = (__typeof__(wimlib.field))(void (*)(void))GetProcAddress(dll, name))

static BOOL CALLBACK load_wimlib(PINIT_ONCE once, PVOID parameter, PVOID *context)
{
    (void)once;
    (void)parameter;
    (void)context;
    HMODULE dll = load_wimlib_dll();
    if (!dll)
        return TRUE;
    bool all = RESOLVE(dll, global_init, "wimlib_global_init") &&
               RESOLVE(dll, open_wim, "wimlib_open_wim") &&
               RESOLVE(dll, get_wim_info, "wimlib_get_wim_info") &&
               RESOLVE(dll, get_image_property, "wimlib_get_image_property") &&
               RESOLVE(dll, get_error_string, "wimlib_get_error_string") &&
               RESOLVE(dll, free_wim, "wimlib_free");
    if (!all) {
        FreeLibrary(dll);
        return TRUE;
    }
    RESOLVE(dll, iterate_dir_tree, "wimlib_iterate_dir_tree");
    /* Paths inside images match ignoring case, as on Linux; a failure
     * only keeps wimlib's default, and opening a file reports real ones. */
    (void)wimlib.global_init(WIMLIB_INIT_FLAG_DEFAULT_CASE_INSENSITIVE);
    wimlib_loaded = true; /* the DLL stays loaded for the process's life */
    return TRUE;
}

static smsprov_code require_wimlib(smsprov_error *err)
{
    InitOnceExecuteOnce(&wimlib_once, load_wimlib, NULL, NULL);
    if (wimlib_loaded)
        return SMSPROV_OK;
    return smsprov_error_set(err, SMSPROV_E_NOT_AVAILABLE,
                             "Reading WIM files needs wimlib: put libwim-15.dll (wimlib 1.13 "
                             "or later for Windows x64, from https://wimlib.net) beside "
                             "smsprov.dll.");
}

/* Tells a missing folder or file apart from a bad one before wimlib
 * hides the reason behind WIMLIB_ERR_OPEN. */
static smsprov_code check_readable_file(const char *path, const wchar_t *wide,
                                        smsprov_error *err)
{
    DWORD attributes = GetFileAttributesW(wide);
    if (attributes == INVALID_FILE_ATTRIBUTES) {
        DWORD code = GetLastError();
        char *reason = platform_win32_message(code);
        smsprov_code rc = smsprov_error_set(
            err, code == ERROR_ACCESS_DENIED ? SMSPROV_E_ACCESS_DENIED : SMSPROV_E_NOT_FOUND,
            "The WIM file %s cannot be opened: %s.", path, reason);
        free(reason);
        return rc;
    }
    if (attributes & FILE_ATTRIBUTE_DIRECTORY)
        return smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER,
                                 "%s is a directory; give the path of a .wim file.", path);
    return SMSPROV_OK;
}

smsprov_code osd_wim_open(const char *path, WIMStruct **out, smsprov_error *err)
{
    *out = NULL;
    if (!path || !*path)
        return smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER,
                                 "No WIM file path was given.");
    smsprov_code rc = require_wimlib(err);
    if (rc != SMSPROV_OK)
        return rc;
    wchar_t *wide = platform_utf16(path);
    if (!wide)
        return smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER,
                                 "The WIM path %s is not valid UTF-8.", path);
    rc = check_readable_file(path, wide, err);
    int wrc = rc == SMSPROV_OK ? wimlib.open_wim(wide, 0, out) : 0;
    free(wide);
    if (wrc != 0) {
        *out = NULL;
        char *reason = platform_utf8(wimlib.get_error_string((enum wimlib_error_code)wrc));
        rc = smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER,
                               "Reading the WIM file %s failed: %s (wimlib error %d).", path,
                               reason, wrc);
        free(reason);
    }
    return rc;
}

void osd_wim_close(WIMStruct *wim)
{
    if (wim)
        wimlib.free_wim(wim);
}

uint32_t osd_wim_image_count(WIMStruct *wim)
{
    struct wimlib_wim_info info;
    wimlib.get_wim_info(wim, &info);
    return info.image_count;
}

uint32_t osd_wim_boot_index(WIMStruct *wim)
{
    struct wimlib_wim_info info;
    wimlib.get_wim_info(wim, &info);
    return info.boot_index;
}

char *osd_wim_property_dup(WIMStruct *wim, uint32_t index, const char *name)
{
    wchar_t *wide_name = platform_utf16(name);
    if (!wide_name)
        return NULL;
    const wchar_t *value = wimlib.get_image_property(wim, (int)index, wide_name);
    free(wide_name);
    return (value && *value) ? platform_utf8(value) : NULL;
}

static int note_root(const struct wimlib_dir_entry *dentry, void *data)
{
    (void)dentry;
    (void)data;
    return 0;
}

smsprov_code osd_wim_check_image_metadata(WIMStruct *wim, const char *path, uint32_t index,
                                          smsprov_error *err)
{
    if (!wimlib.iterate_dir_tree)
        return SMSPROV_OK; /* an older DLL: the XML checks still ran */
    /* Only the root is visited, but the whole metadata resource is read and
     * its hash checked to get there. */
    int wrc = wimlib.iterate_dir_tree(wim, (int)index, L"", 0, note_root, NULL);
    if (wrc == 0)
        return SMSPROV_OK;
    char *reason = platform_utf8(wimlib.get_error_string((enum wimlib_error_code)wrc));
    smsprov_code rc = smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER,
                                        "Reading the directory tree of image %u of %s failed: "
                                        "%s (wimlib error %d).",
                                        index, path, reason, wrc);
    free(reason);
    return rc;
}
