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
 * error strings for the process's life.
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

int BRIDGE_API bridge_open_wim(const WCHAR *path, int open_flags, WIMStruct **wim_ret)
{
    *wim_ret = NULL;
    char *unix_path = path ? wine_get_unix_file_name(path) : NULL;
    if (!unix_path)
        return WIMLIB_ERR_OPEN;
    int rc = wimlib_open_wim(unix_path, open_flags, wim_ret);
    HeapFree(GetProcessHeap(), 0, unix_path);
    return rc;
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

void BRIDGE_API bridge_free(WIMStruct *wim)
{
    wimlib_free(wim);
    forget(wim);
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
    char *inside = utf8_of(path);
    if (!inside)
        return WIMLIB_ERR_INVALID_PARAM;
    /* Paths inside an image: wimlib takes either separator on Windows only. */
    for (char *c = inside; *c; c++)
        if (*c == '\\')
            *c = '/';
    struct dir_tree_call call = {cb, user_ctx};
    int rc = wimlib_iterate_dir_tree(wim, image, inside, flags, forward_dir_entry, &call);
    free(inside);
    return rc;
}
