/*
 * osd/wim_backend_windows.c - wim_backend.h on Windows: wimlib's official
 * DLL, libwim-15.dll, loaded at run time.
 *
 * wimlib has no Windows package to link against here, so the provider
 * finds the DLL when it first needs it: beside the module holding this
 * code (smsprov.dll), then on the default DLL search path.  Functions are
 * resolved through pointers typed from wimlib.h's own prototypes.  On
 * Windows wimlib_tchar is wchar_t: every path and string is converted
 * between UTF-8 and UTF-16 here, and image paths come back with '/'.
 */
#include <windows.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "osd/wim.h"
#include "osd/wim_backend.h"
#include "platform/win32.h"
#include "smsprov/cim.h"

#define WIMLIB_DLL L"libwim-15.dll"

static struct {
    __typeof__(&wimlib_global_init) global_init;
    __typeof__(&wimlib_open_wim_with_progress) open_wim;
    __typeof__(&wimlib_create_new_wim) create_new_wim;
    __typeof__(&wimlib_free) free_wim;
    __typeof__(&wimlib_get_wim_info) get_wim_info;
    __typeof__(&wimlib_get_image_property) get_image_property;
    __typeof__(&wimlib_get_error_string) get_error_string;
    __typeof__(&wimlib_set_output_chunk_size) set_output_chunk_size;
    __typeof__(&wimlib_export_image) export_image;
    __typeof__(&wimlib_register_progress_function) register_progress_function;
    __typeof__(&wimlib_verify_wim) verify_wim;
    __typeof__(&wimlib_write) write;
    __typeof__(&wimlib_extract_paths) extract_paths;
    __typeof__(&wimlib_iterate_lookup_table) iterate_lookup_table;
    __typeof__(&wimlib_iterate_dir_tree) iterate_dir_tree;
    __typeof__(&wimlib_update_image) update_image;
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

static bool resolve_all(HMODULE dll)
{
    return RESOLVE(dll, global_init, "wimlib_global_init") &&
           RESOLVE(dll, open_wim, "wimlib_open_wim_with_progress") &&
           RESOLVE(dll, create_new_wim, "wimlib_create_new_wim") &&
           RESOLVE(dll, free_wim, "wimlib_free") &&
           RESOLVE(dll, get_wim_info, "wimlib_get_wim_info") &&
           RESOLVE(dll, get_image_property, "wimlib_get_image_property") &&
           RESOLVE(dll, get_error_string, "wimlib_get_error_string") &&
           RESOLVE(dll, set_output_chunk_size, "wimlib_set_output_chunk_size") &&
           RESOLVE(dll, export_image, "wimlib_export_image") &&
           RESOLVE(dll, register_progress_function, "wimlib_register_progress_function") &&
           RESOLVE(dll, verify_wim, "wimlib_verify_wim") &&
           RESOLVE(dll, write, "wimlib_write") &&
           RESOLVE(dll, extract_paths, "wimlib_extract_paths") &&
           RESOLVE(dll, iterate_lookup_table, "wimlib_iterate_lookup_table") &&
           RESOLVE(dll, iterate_dir_tree, "wimlib_iterate_dir_tree") &&
           RESOLVE(dll, update_image, "wimlib_update_image");
}

static BOOL CALLBACK load_wimlib(PINIT_ONCE once, PVOID parameter, PVOID *context)
{
    (void)once;
    (void)parameter;
    (void)context;
    HMODULE dll = load_wimlib_dll();
    if (!dll)
        return TRUE;
    if (!resolve_all(dll)) {
        FreeLibrary(dll);
        return TRUE;
    }
    /* Paths inside images match ignoring case, as on Linux; a failure
     * only keeps wimlib's default, and opening a file reports real ones. */
    (void)wimlib.global_init(WIMLIB_INIT_FLAG_DEFAULT_CASE_INSENSITIVE);
    wimlib_loaded = true; /* the DLL stays loaded for the process's life */
    return TRUE;
}

void osd_wimlib_init(void)
{
    InitOnceExecuteOnce(&wimlib_once, load_wimlib, NULL, NULL);
}

smsprov_code osd_wimlib_require(smsprov_error *err)
{
    osd_wimlib_init();
    if (wimlib_loaded)
        return SMSPROV_OK;
    return smsprov_error_set(err, SMSPROV_E_NOT_AVAILABLE,
                             "Reading and servicing WIM files needs wimlib: put libwim-15.dll "
                             "(wimlib 1.13 or later for Windows x64, from https://wimlib.net) "
                             "beside smsprov.dll.");
}

/* ---- strings ----------------------------------------------------------------- */

/* UTF-16 for wimlib; NULL stays NULL.  A string that is not UTF-8 cannot
 * name anything, so it becomes one wimlib rejects as a path. */
static wchar_t *wide(const char *text)
{
    if (!text)
        return NULL;
    wchar_t *w = platform_utf16(text);
    return w ? w : _wcsdup(L"\x1\x1");
}

/* UTF-8 from wimlib, with image paths' '\\' turned into '/'. */
static char *narrow_path(const wchar_t *text)
{
    if (!text)
        return NULL;
    char *s = platform_utf8(text);
    for (char *p = s; *p; p++)
        if (*p == '\\')
            *p = '/';
    return s;
}

#define ERROR_STRINGS 256
static char *volatile error_strings[ERROR_STRINGS];

const char *osd_wimlib_error(int code)
{
    if (!wimlib_loaded)
        return "wimlib is not loaded";
    if (code < 0 || code >= ERROR_STRINGS)
        return "an error this program does not know";
    char *s = error_strings[code];
    if (s)
        return s;
    s = platform_utf8(wimlib.get_error_string((enum wimlib_error_code)code));
    /* Converted once per code for the process's life; a thread that loses
     * the race frees its copy. */
    char *prev = InterlockedCompareExchangePointer((void *volatile *)&error_strings[code], s,
                                                   NULL);
    if (prev) {
        free(s);
        return prev;
    }
    return s;
}

/* ---- calls ----------------------------------------------------------------------- */

int osd_wimlib_open(const char *path, int open_flags, WIMStruct **out,
                    wimlib_progress_func_t progress, void *progress_data)
{
    wchar_t *w = wide(path);
    int wrc = wimlib.open_wim(w, open_flags, out, progress, progress_data);
    free(w);
    return wrc;
}

int osd_wimlib_create(enum wimlib_compression_type ctype, WIMStruct **out)
{
    return wimlib.create_new_wim(ctype, out);
}

void osd_wimlib_free(WIMStruct *wim)
{
    if (wim)
        wimlib.free_wim(wim);
}

void osd_wimlib_info(WIMStruct *wim, struct wimlib_wim_info *info)
{
    wimlib.get_wim_info(wim, info);
}

int osd_wimlib_set_chunk_size(WIMStruct *wim, uint32_t chunk_size)
{
    return wimlib.set_output_chunk_size(wim, chunk_size);
}

int osd_wimlib_export(WIMStruct *src, int image, WIMStruct *dst, int export_flags)
{
    return wimlib.export_image(src, image, dst, NULL, NULL, export_flags);
}

void osd_wimlib_progress(WIMStruct *wim, wimlib_progress_func_t progress, void *data)
{
    wimlib.register_progress_function(wim, progress, data);
}

int osd_wimlib_verify(WIMStruct *wim, int verify_flags)
{
    return wimlib.verify_wim(wim, verify_flags);
}

int osd_wimlib_write(WIMStruct *wim, const char *path, int image, int write_flags,
                     unsigned threads)
{
    wchar_t *w = wide(path);
    int wrc = wimlib.write(wim, w, image, write_flags, threads);
    free(w);
    return wrc;
}

int osd_wimlib_extract(WIMStruct *wim, int image, const char *target,
                       const char *const *paths, size_t count, int extract_flags)
{
    wchar_t *w_target = wide(target);
    wchar_t **w_paths = cim_xcalloc(count ? count : 1, sizeof *w_paths);
    for (size_t i = 0; i < count; i++)
        w_paths[i] = wide(paths[i]);
    int wrc = wimlib.extract_paths(wim, image, w_target, (const wchar_t *const *)w_paths, count,
                                   extract_flags);
    for (size_t i = 0; i < count; i++)
        free(w_paths[i]);
    free(w_paths);
    free(w_target);
    return wrc;
}

int osd_wimlib_iterate_blobs(WIMStruct *wim, wimlib_iterate_lookup_table_callback_t cb,
                             void *data)
{
    return wimlib.iterate_lookup_table(wim, 0, cb, data);
}

char *osd_wimlib_property_dup(WIMStruct *wim, int image, const char *name)
{
    wchar_t *w = platform_utf16(name);
    if (!w)
        return NULL;
    const wchar_t *value = wimlib.get_image_property(wim, image, w);
    free(w);
    return (value && *value) ? platform_utf8(value) : NULL;
}

int osd_wimlib_update(WIMStruct *wim, int image, const osd_wim_command *commands, size_t count,
                      int update_flags)
{
    struct wimlib_update_command *cmds = cim_xcalloc(count ? count : 1, sizeof *cmds);
    for (size_t i = 0; i < count; i++) {
        cmds[i].op = commands[i].op;
        if (commands[i].op == WIMLIB_UPDATE_OP_ADD) {
            cmds[i].add.fs_source_path = wide(commands[i].source);
            cmds[i].add.wim_target_path = wide(commands[i].target);
            cmds[i].add.add_flags = commands[i].flags;
        } else {
            cmds[i].delete_.wim_path = wide(commands[i].target);
            cmds[i].delete_.delete_flags = commands[i].flags;
        }
    }
    int wrc = wimlib.update_image(wim, image, cmds, count, update_flags);
    for (size_t i = 0; i < count; i++) {
        if (cmds[i].op == WIMLIB_UPDATE_OP_ADD) {
            free(cmds[i].add.fs_source_path);
            free(cmds[i].add.wim_target_path);
        } else {
            free(cmds[i].delete_.wim_path);
        }
    }
    free(cmds);
    return wrc;
}

typedef struct tree_walk {
    osd_wim_dentry_fn cb;
    void *data;
} tree_walk;

static int visit(const struct wimlib_dir_entry *d, void *data)
{
    tree_walk *w = data;
    char *filename = narrow_path(d->filename);
    char *full_path = narrow_path(d->full_path);
    osd_wim_dentry entry = {.filename = filename, .full_path = full_path, .raw = d};
    int rc = w->cb(&entry, w->data);
    free(filename);
    free(full_path);
    return rc;
}

int osd_wimlib_iterate_tree(WIMStruct *wim, int image, const char *path, int flags,
                            osd_wim_dentry_fn cb, void *data)
{
    tree_walk w = {cb, data};
    wchar_t *w_path = wide(path);
    int wrc = wimlib.iterate_dir_tree(wim, image, w_path, flags, visit, &w);
    free(w_path);
    return wrc;
}
