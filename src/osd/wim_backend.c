/*
 * osd/wim_backend.c - wim_backend.h with Debian's libwim linked in
 * (Linux): the calls pass straight through, as wimlib_tchar is char.
 */
#include "osd/wim_backend.h"

#include <pthread.h>
#include <stdlib.h>

#include "osd/wim.h"
#include "smsprov/cim.h"

static pthread_once_t wimlib_once = PTHREAD_ONCE_INIT;

static void wimlib_init_once(void)
{
    /* Failure here only means wimlib keeps its case-sensitive default;
     * opening a file later reports any real problem. */
    (void)wimlib_global_init(WIMLIB_INIT_FLAG_DEFAULT_CASE_INSENSITIVE);
}

void osd_wimlib_init(void)
{
    pthread_once(&wimlib_once, wimlib_init_once);
}

smsprov_code osd_wimlib_require(smsprov_error *err)
{
    (void)err;
    osd_wimlib_init();
    return SMSPROV_OK;
}

const char *osd_wimlib_error(int code)
{
    return wimlib_get_error_string((enum wimlib_error_code)code);
}

int osd_wimlib_open(const char *path, int open_flags, WIMStruct **out,
                    wimlib_progress_func_t progress, void *progress_data)
{
    return wimlib_open_wim_with_progress(path, open_flags, out, progress, progress_data);
}

int osd_wimlib_create(enum wimlib_compression_type ctype, WIMStruct **out)
{
    return wimlib_create_new_wim(ctype, out);
}

void osd_wimlib_free(WIMStruct *wim)
{
    wimlib_free(wim);
}

void osd_wimlib_info(WIMStruct *wim, struct wimlib_wim_info *info)
{
    wimlib_get_wim_info(wim, info);
}

int osd_wimlib_set_chunk_size(WIMStruct *wim, uint32_t chunk_size)
{
    return wimlib_set_output_chunk_size(wim, chunk_size);
}

int osd_wimlib_export(WIMStruct *src, int image, WIMStruct *dst, int export_flags)
{
    return wimlib_export_image(src, image, dst, NULL, NULL, export_flags);
}

void osd_wimlib_progress(WIMStruct *wim, wimlib_progress_func_t progress, void *data)
{
    wimlib_register_progress_function(wim, progress, data);
}

int osd_wimlib_verify(WIMStruct *wim, int verify_flags)
{
    return wimlib_verify_wim(wim, verify_flags);
}

int osd_wimlib_write(WIMStruct *wim, const char *path, int image, int write_flags,
                     unsigned threads)
{
    return wimlib_write(wim, path, image, write_flags, threads);
}

int osd_wimlib_extract(WIMStruct *wim, int image, const char *target,
                       const char *const *paths, size_t count, int extract_flags)
{
    return wimlib_extract_paths(wim, image, target, paths, count, extract_flags);
}

int osd_wimlib_iterate_blobs(WIMStruct *wim, wimlib_iterate_lookup_table_callback_t cb,
                             void *data)
{
    return wimlib_iterate_lookup_table(wim, 0, cb, data);
}

char *osd_wimlib_property_dup(WIMStruct *wim, int image, const char *name)
{
    const char *value = wimlib_get_image_property(wim, image, name);
    return (value && *value) ? cim_xstrdup(value) : NULL;
}

int osd_wimlib_update(WIMStruct *wim, int image, const osd_wim_command *commands, size_t count,
                      int update_flags)
{
    struct wimlib_update_command *cmds = cim_xcalloc(count ? count : 1, sizeof *cmds);
    for (size_t i = 0; i < count; i++) {
        cmds[i].op = commands[i].op;
        if (commands[i].op == WIMLIB_UPDATE_OP_ADD) {
            cmds[i].add.fs_source_path = commands[i].source;
            cmds[i].add.wim_target_path = commands[i].target;
            cmds[i].add.add_flags = commands[i].flags;
        } else {
            cmds[i].delete_.wim_path = commands[i].target;
            cmds[i].delete_.delete_flags = commands[i].flags;
        }
    }
    int wrc = wimlib_update_image(wim, image, cmds, count, update_flags);
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
    osd_wim_dentry entry = {.filename = d->filename, .full_path = d->full_path, .raw = d};
    return w->cb(&entry, w->data);
}

int osd_wimlib_iterate_tree(WIMStruct *wim, int image, const char *path, int flags,
                            osd_wim_dentry_fn cb, void *data)
{
    tree_walk w = {cb, data};
    return wimlib_iterate_dir_tree(wim, image, path, flags, visit, &w);
}
