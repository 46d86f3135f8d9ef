/*
 * osd/wim_backend.h - the one surface through which osd calls wimlib.
 *
 * Every wimlib call of the reading and servicing code goes through these
 * functions, so the same C files build on Linux and Windows:
 *
 *   wim_backend.c          Linux: Debian's libwim, linked; the calls pass
 *                          straight through.
 *   wim_backend_windows.c  Windows: libwim-15.dll (wimlib's official
 *                          build), found beside smsprov.dll at run time;
 *                          strings are converted between UTF-8 and the
 *                          UTF-16 that wimlib's Windows build takes.
 *
 * Strings here are UTF-8 on both.  Paths inside an image are '/'-separated
 * ("/Windows/System32"); file-system paths are the platform's own.  Return
 * values are wimlib error codes (0: success) unless said otherwise.
 * Progress and blob-table callbacks are wimlib's own types: the fields
 * smsprov reads from them (counters, sizes, hashes) are the same on both
 * builds; their string fields (wimlib_tchar) must not be read.
 */
#ifndef SMSPROV_OSD_WIM_BACKEND_H
#define SMSPROV_OSD_WIM_BACKEND_H

#include <stddef.h>
#include <stdint.h>

#include <wimlib.h>

#include "smsprov/error.h"

/* Makes wimlib usable: on Linux initialises it once (case-insensitive
 * paths inside images); on Windows also loads libwim-15.dll.  Without
 * the DLL: SMSPROV_E_NOT_AVAILABLE with a sentence saying where to put
 * it.  Every other function here may be called only after this
 * succeeded. */
smsprov_code osd_wimlib_require(smsprov_error *err);

/* wimlib's sentence for error code, UTF-8, valid for the process's life. */
const char *osd_wimlib_error(int code);

/* wimlib_open_wim_with_progress (progress may be NULL). */
int osd_wimlib_open(const char *path, int open_flags, WIMStruct **out,
                    wimlib_progress_func_t progress, void *progress_data);
/* wimlib_create_new_wim. */
int osd_wimlib_create(enum wimlib_compression_type ctype, WIMStruct **out);
/* wimlib_free; NULL is fine. */
void osd_wimlib_free(WIMStruct *wim);
/* wimlib_get_wim_info. */
void osd_wimlib_info(WIMStruct *wim, struct wimlib_wim_info *info);
/* wimlib_set_output_chunk_size. */
int osd_wimlib_set_chunk_size(WIMStruct *wim, uint32_t chunk_size);
/* wimlib_export_image, keeping the image's name and description. */
int osd_wimlib_export(WIMStruct *src, int image, WIMStruct *dst, int export_flags);
/* wimlib_register_progress_function. */
void osd_wimlib_progress(WIMStruct *wim, wimlib_progress_func_t progress, void *data);
/* wimlib_verify_wim. */
int osd_wimlib_verify(WIMStruct *wim, int verify_flags);
/* wimlib_write of image (or WIMLIB_ALL_IMAGES) to path. */
int osd_wimlib_write(WIMStruct *wim, const char *path, int image, int write_flags,
                     unsigned threads);
/* wimlib_extract_paths: paths inside the image into the folder target. */
int osd_wimlib_extract(WIMStruct *wim, int image, const char *target,
                       const char *const *paths, size_t count, int extract_flags);
/* wimlib_iterate_lookup_table. */
int osd_wimlib_iterate_blobs(WIMStruct *wim, wimlib_iterate_lookup_table_callback_t cb,
                             void *data);
/* The image property name (an XML path), UTF-8; NULL when absent or
 * empty.  Caller frees. */
char *osd_wimlib_property_dup(WIMStruct *wim, int image, const char *name);

/* One update command: add the file or folder source (a file-system path)
 * as target inside the image, or delete target. */
typedef struct osd_wim_command {
    enum wimlib_update_op op; /* WIMLIB_UPDATE_OP_ADD or WIMLIB_UPDATE_OP_DELETE */
    char *source;             /* ADD only */
    char *target;
    int flags;                /* WIMLIB_ADD_FLAG_* or WIMLIB_DELETE_FLAG_* */
} osd_wim_command;

/* wimlib_update_image with commands. */
int osd_wimlib_update(WIMStruct *wim, int image, const osd_wim_command *commands, size_t count,
                      int update_flags);

/* A directory entry met by osd_wimlib_iterate_tree: its names in UTF-8
 * ('/'-separated full path), and wimlib's entry for everything else
 * (depth, attributes, streams: read no string of it). */
typedef struct osd_wim_dentry {
    const char *filename;
    const char *full_path;
    const struct wimlib_dir_entry *raw;
} osd_wim_dentry;

typedef int (*osd_wim_dentry_fn)(const osd_wim_dentry *entry, void *data);

/* wimlib_iterate_dir_tree from path ("" or "/": the root). */
int osd_wimlib_iterate_tree(WIMStruct *wim, int image, const char *path, int flags,
                            osd_wim_dentry_fn cb, void *data);

#endif
