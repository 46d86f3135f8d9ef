/*
 * tests/windows/wimlib_bridge/bridge.c - a test-only libwim-15.dll for Wine.
 *
 * CI has no Windows build of wimlib, so this Wine builtin module (built
 * with winegcc) stands in for the official libwim-15.dll: it exports the
 * functions smsprov.dll resolves, with the Windows build's ABI (ms_abi
 * calls and callbacks, UTF-16 strings), turns Wine paths into Unix paths
 * and forwards to Debian's libwim (the same 1.13 API).  Never shipped.
 *
 * Strings handed back (image properties, error strings) must stay valid
 * as wimlib's own do: properties live until wimlib_free of their WIM,
 * error strings for the process's life.  File-system paths (a WIM, an
 * extraction folder, a file to add) are Wine paths turned into Unix ones;
 * paths inside an image take either separator, as on Windows.  PE
 * callbacks (progress, directory tree, blob table) are ms_abi and called
 * through small forwarders.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <windef.h>
#include <winbase.h>
#include <winnls.h>

/* wimlib.h for the Linux library: with _WIN32 its strings become UTF-16. */
#pragma push_macro("_WIN32")
#undef _WIN32
#include <wimlib.h>
#pragma pop_macro("_WIN32")

#define BRIDGE_API __attribute__((ms_abi))

typedef int(BRIDGE_API *pe_dir_tree_callback)(const struct wimlib_dir_entry *dentry,
                                              void *user_ctx);
typedef enum wimlib_progress_status(BRIDGE_API *pe_progress_func)(
    enum wimlib_progress_msg msg, union wimlib_progress_info *info, void *progctx);
typedef int(BRIDGE_API *pe_lookup_table_callback)(const struct wimlib_resource_entry *resource,
                                                  void *user_ctx);

static pthread_mutex_t strings_lock = PTHREAD_MUTEX_INITIALIZER;

/* A UTF-16 string handed to the caller, owned by the WIM it came from. */
struct kept_string {
    struct kept_string *next;
    const WIMStruct *wim;
    WCHAR *text;
};
static struct kept_string *kept;

static char *utf8_of(const WCHAR *s)
{
    if (!s)
        return NULL;
    int n = WideCharToMultiByte(CP_UTF8, 0, s, -1, NULL, 0, NULL, NULL);
    if (n <= 0)
        return NULL;
    char *out = malloc((size_t)n);
    if (out)
        WideCharToMultiByte(CP_UTF8, 0, s, -1, out, n, NULL, NULL);
    return out;
}

static WCHAR *utf16_of(const char *s)
{
    if (!s)
        return NULL;
    int n = MultiByteToWideChar(CP_UTF8, 0, s, -1, NULL, 0);
    if (n <= 0)
        return NULL;
    WCHAR *out = malloc((size_t)n * sizeof *out);
    if (out)
        MultiByteToWideChar(CP_UTF8, 0, s, -1, out, n);
    return out;
}

/* Keeps text alive until wim is freed (wim NULL: forever); NULL if text is. */
static const WCHAR *keep(const WIMStruct *wim, WCHAR *text)
{
    if (!text)
        return NULL;
    struct kept_string *k = malloc(sizeof *k);
    if (!k) {
        free(text);
        return NULL;
    }
    pthread_mutex_lock(&strings_lock);
    k->wim = wim;
    k->text = text;
    k->next = kept;
    kept = k;
    pthread_mutex_unlock(&strings_lock);
    return text;
}

static void forget(const WIMStruct *wim)
{
    pthread_mutex_lock(&strings_lock);
    for (struct kept_string **p = &kept; *p;) {
        struct kept_string *k = *p;
        if (k->wim == wim) {
            *p = k->next;
            free(k->text);
            free(k);
        } else {
            p = &k->next;
        }
    }
    pthread_mutex_unlock(&strings_lock);
}

int BRIDGE_API bridge_global_init(int init_flags)
{
    return wimlib_global_init(init_flags);
}

int BRIDGE_API bridge_get_wim_info(WIMStruct *wim, struct wimlib_wim_info *info)
{
    /* No strings in the structure: the layouts match. */
    return wimlib_get_wim_info(wim, info);
}

const WCHAR *BRIDGE_API bridge_get_image_property(const WIMStruct *wim, int image,
                                                  const WCHAR *property_name)
{
    char *name = utf8_of(property_name);
    if (!name)
        return NULL;
    const char *value = wimlib_get_image_property(wim, image, name);
    free(name);
    return value ? keep(wim, utf16_of(value)) : NULL;
}

const WCHAR *BRIDGE_API bridge_get_error_string(enum wimlib_error_code code)
{
    /* One copy per code: callers ask again for the same few. */
    static pthread_mutex_t known_lock = PTHREAD_MUTEX_INITIALIZER;
    static const WCHAR *known[128];
    unsigned index = (unsigned)code;
    if (index >= 128)
        return keep(NULL, utf16_of(wimlib_get_error_string(code)));
    pthread_mutex_lock(&known_lock);
    if (!known[index])
        known[index] = keep(NULL, utf16_of(wimlib_get_error_string(code)));
    const WCHAR *text = known[index];
    pthread_mutex_unlock(&known_lock);
    return text;
}

/* A Wine path ("Z:\\tmp\\x.wim", a mapped drive) as a Unix path for
 * libwim; NULL when Wine cannot map it.  The last component need not
 * exist (a WIM about to be written).  Free with free(). */
static char *unix_path_of(const WCHAR *path)
{
    char *wine = path ? wine_get_unix_file_name(path) : NULL;
    if (!wine)
        return NULL;
    char *copy = strdup(wine);
    HeapFree(GetProcessHeap(), 0, wine);
    return copy;
}

/* A path inside an image: wimlib takes either separator on Windows, the
 * Linux library only '/'.  Free with free(). */
static char *image_path_of(const WCHAR *path)
{
    char *inside = utf8_of(path);
    for (char *c = inside; c && *c; c++)
        if (*c == '\\')
            *c = '/';
    return inside;
}

/* ---- progress: the PE callback registered per WIM ----------------------- */

/* wimlib keeps one progress function per WIMStruct; the bridge keeps the
 * PE function and its context beside it until wimlib_free. */
struct progress_call {
    struct progress_call *next;
    WIMStruct *wim;
    pe_progress_func fn;
    void *ctx;
};
static struct progress_call *progress_calls;
static pthread_mutex_t progress_lock = PTHREAD_MUTEX_INITIALIZER;

/* The union is passed as the Linux library filled it: the counters and
 * sizes read the same; its string members stay UTF-8 (smsprov reads none). */
static enum wimlib_progress_status forward_progress(enum wimlib_progress_msg msg,
                                                    union wimlib_progress_info *info,
                                                    void *progctx)
{
    struct progress_call *call = progctx;
    return call->fn(msg, info, call->ctx);
}

static struct progress_call *progress_for(WIMStruct *wim, pe_progress_func fn, void *ctx)
{
    struct progress_call *call = calloc(1, sizeof *call);
    if (!call)
        return NULL;
    call->wim = wim;
    call->fn = fn;
    call->ctx = ctx;
    pthread_mutex_lock(&progress_lock);
    call->next = progress_calls;
    progress_calls = call;
    pthread_mutex_unlock(&progress_lock);
    return call;
}

static void forget_progress(WIMStruct *wim)
{
    pthread_mutex_lock(&progress_lock);
    for (struct progress_call **p = &progress_calls; *p;) {
        struct progress_call *call = *p;
        if (call->wim == wim) {
            *p = call->next;
            free(call);
        } else {
            p = &call->next;
        }
    }
    pthread_mutex_unlock(&progress_lock);
}

void BRIDGE_API bridge_free(WIMStruct *wim)
{
    wimlib_free(wim);
    forget(wim);
    forget_progress(wim);
}

void BRIDGE_API bridge_register_progress_function(WIMStruct *wim, pe_progress_func fn,
                                                  void *ctx)
{
    forget_progress(wim);
    if (!fn) {
        wimlib_register_progress_function(wim, NULL, NULL);
        return;
    }
    struct progress_call *call = progress_for(wim, fn, ctx);
    wimlib_register_progress_function(wim, call ? forward_progress : NULL, call);
}

int BRIDGE_API bridge_open_wim_with_progress(const WCHAR *path, int open_flags,
                                             WIMStruct **wim_ret, pe_progress_func fn,
                                             void *ctx)
{
    *wim_ret = NULL;
    char *unix_path = unix_path_of(path);
    if (!unix_path)
        return WIMLIB_ERR_OPEN;
    /* The progress of opening goes through a call owned by no WIM yet,
     * then moves to the opened one. */
    struct progress_call *call = fn ? progress_for(NULL, fn, ctx) : NULL;
    int rc = wimlib_open_wim_with_progress(unix_path, open_flags, wim_ret,
                                           call ? forward_progress : NULL, call);
    free(unix_path);
    if (call) {
        pthread_mutex_lock(&progress_lock);
        if (rc == 0) {
            call->wim = *wim_ret;
        } else {
            for (struct progress_call **p = &progress_calls; *p; p = &(*p)->next)
                if (*p == call) {
                    *p = call->next;
                    free(call);
                    break;
                }
        }
        pthread_mutex_unlock(&progress_lock);
    }
    return rc;
}

/* ---- the write side --------------------------------------------------------- */

int BRIDGE_API bridge_create_new_wim(enum wimlib_compression_type ctype, WIMStruct **wim_ret)
{
    return wimlib_create_new_wim(ctype, wim_ret);
}

int BRIDGE_API bridge_set_output_chunk_size(WIMStruct *wim, uint32_t chunk_size)
{
    return wimlib_set_output_chunk_size(wim, chunk_size);
}

int BRIDGE_API bridge_export_image(WIMStruct *src, int src_image, WIMStruct *dst,
                                   const WCHAR *name, const WCHAR *description, int flags)
{
    char *n = utf8_of(name), *d = utf8_of(description);
    int rc = wimlib_export_image(src, src_image, dst, n, d, flags);
    free(n);
    free(d);
    return rc;
}

int BRIDGE_API bridge_verify_wim(WIMStruct *wim, int verify_flags)
{
    return wimlib_verify_wim(wim, verify_flags);
}

int BRIDGE_API bridge_write(WIMStruct *wim, const WCHAR *path, int image, int write_flags,
                            unsigned num_threads)
{
    char *unix_path = unix_path_of(path);
    if (!unix_path)
        return WIMLIB_ERR_OPEN;
    int rc = wimlib_write(wim, unix_path, image, write_flags, num_threads);
    free(unix_path);
    return rc;
}

int BRIDGE_API bridge_extract_paths(WIMStruct *wim, int image, const WCHAR *target,
                                    const WCHAR *const *paths, size_t num_paths,
                                    int extract_flags)
{
    char *unix_target = unix_path_of(target);
    if (!unix_target)
        return WIMLIB_ERR_OPEN;
    char **inside = calloc(num_paths ? num_paths : 1, sizeof *inside);
    int rc = inside ? 0 : WIMLIB_ERR_NOMEM;
    for (size_t i = 0; rc == 0 && i < num_paths; i++)
        if (!(inside[i] = image_path_of(paths[i])))
            rc = WIMLIB_ERR_INVALID_PARAM;
    if (rc == 0)
        rc = wimlib_extract_paths(wim, image, unix_target, (const char *const *)inside,
                                  num_paths, extract_flags);
    for (size_t i = 0; inside && i < num_paths; i++)
        free(inside[i]);
    free(inside);
    free(unix_target);
    return rc;
}

struct lookup_call {
    pe_lookup_table_callback cb;
    void *user_ctx;
};

static int forward_resource(const struct wimlib_resource_entry *resource, void *data)
{
    /* No strings in a resource entry: the layouts match. */
    struct lookup_call *call = data;
    return call->cb(resource, call->user_ctx);
}

int BRIDGE_API bridge_iterate_lookup_table(WIMStruct *wim, int flags,
                                           pe_lookup_table_callback cb, void *user_ctx)
{
    struct lookup_call call = {cb, user_ctx};
    return wimlib_iterate_lookup_table(wim, flags, forward_resource, &call);
}

static void free_command(struct wimlib_update_command *c)
{
    if (c->op == WIMLIB_UPDATE_OP_ADD) {
        free(c->add.fs_source_path);
        free(c->add.wim_target_path);
        free(c->add.config_file);
    } else if (c->op == WIMLIB_UPDATE_OP_DELETE) {
        free(c->delete_.wim_path);
    } else if (c->op == WIMLIB_UPDATE_OP_RENAME) {
        free(c->rename.wim_source_path);
        free(c->rename.wim_target_path);
    }
}

/* The caller's commands hold UTF-16 strings where the Linux structure
 * has char: the same layout, read as WCHAR. */
static int convert_command(const struct wimlib_update_command *in,
                           struct wimlib_update_command *out)
{
    *out = *in;
    switch (in->op) {
    case WIMLIB_UPDATE_OP_ADD:
        out->add.fs_source_path = unix_path_of((const WCHAR *)in->add.fs_source_path);
        out->add.wim_target_path = image_path_of((const WCHAR *)in->add.wim_target_path);
        out->add.config_file = in->add.config_file
                                   ? unix_path_of((const WCHAR *)in->add.config_file)
                                   : NULL;
        return out->add.fs_source_path && out->add.wim_target_path &&
                       (!in->add.config_file || out->add.config_file)
                   ? 0
                   : WIMLIB_ERR_INVALID_PARAM;
    case WIMLIB_UPDATE_OP_DELETE:
        out->delete_.wim_path = image_path_of((const WCHAR *)in->delete_.wim_path);
        return out->delete_.wim_path ? 0 : WIMLIB_ERR_INVALID_PARAM;
    case WIMLIB_UPDATE_OP_RENAME:
        out->rename.wim_source_path = image_path_of((const WCHAR *)in->rename.wim_source_path);
        out->rename.wim_target_path = image_path_of((const WCHAR *)in->rename.wim_target_path);
        return out->rename.wim_source_path && out->rename.wim_target_path
                   ? 0
                   : WIMLIB_ERR_INVALID_PARAM;
    }
    memset(out, 0, sizeof *out);
    return WIMLIB_ERR_INVALID_PARAM;
}

int BRIDGE_API bridge_update_image(WIMStruct *wim, int image,
                                   const struct wimlib_update_command *cmds, size_t num_cmds,
                                   int update_flags)
{
    struct wimlib_update_command *linux_cmds = calloc(num_cmds ? num_cmds : 1,
                                                      sizeof *linux_cmds);
    if (!linux_cmds)
        return WIMLIB_ERR_NOMEM;
    int rc = 0;
    size_t made = 0;
    for (; rc == 0 && made < num_cmds; made++)
        rc = convert_command(&cmds[made], &linux_cmds[made]);
    if (rc == 0)
        rc = wimlib_update_image(wim, image, linux_cmds, num_cmds, update_flags);
    for (size_t i = 0; i < made; i++)
        free_command(&linux_cmds[i]);
    free(linux_cmds);
    return rc;
}

/* What the PE callback sees: the entry with every string in UTF-16. */
struct dir_tree_call {
    pe_dir_tree_callback cb;
    void *user_ctx;
};

static void free_wide_entry(struct wimlib_dir_entry *w)
{
    free((void *)w->filename);
    free((void *)w->dos_name);
    free((void *)w->full_path);
    for (uint32_t i = 0; i <= w->num_named_streams; i++)
        free((void *)w->streams[i].stream_name);
    free(w);
}

static int forward_dir_entry(const struct wimlib_dir_entry *d, void *data)
{
    struct dir_tree_call *call = data;
    size_t size = sizeof *d + (size_t)(d->num_named_streams + 1) * sizeof d->streams[0];
    struct wimlib_dir_entry *w = malloc(size);
    if (!w)
        return WIMLIB_ERR_NOMEM;
    memcpy(w, d, size);
    /* The Linux library's strings are char; the caller reads them as WCHAR. */
    w->filename = (const char *)utf16_of(d->filename);
    w->dos_name = (const char *)utf16_of(d->dos_name);
    w->full_path = (const char *)utf16_of(d->full_path);
    for (uint32_t i = 0; i <= d->num_named_streams; i++)
        w->streams[i].stream_name = (const char *)utf16_of(d->streams[i].stream_name);
    int rc = call->cb(w, call->user_ctx);
    free_wide_entry(w);
    return rc;
}

int BRIDGE_API bridge_iterate_dir_tree(WIMStruct *wim, int image, const WCHAR *path, int flags,
                                       pe_dir_tree_callback cb, void *user_ctx)
{
    char *inside = image_path_of(path);
    if (!inside)
        return WIMLIB_ERR_INVALID_PARAM;
    struct dir_tree_call call = {cb, user_ctx};
    int rc = wimlib_iterate_dir_tree(wim, image, inside, flags, forward_dir_entry, &call);
    free(inside);
    return rc;
}
