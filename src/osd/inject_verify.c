/*
 * osd/inject_verify.c - nothing the provider publishes fails verification:
 * checking the written WIM (the source: inject_source.c).
 *
 * The written WIM: its blobs are either raw copies of source resources
 * (wimlib copies compressed chunks when the compression matches) or new
 * (added files, edited hives, recompressed data).  A raw copy is compared
 * with the verified source resource byte for byte, which proves it
 * decompresses to its SHA-1 at the cost of reading both files; a new blob
 * is decompressed by extracting a path that holds it, which checks its
 * SHA-1.  When some new blob has no such path (a named stream), or the new
 * data is large (a recompressed source), the whole WIM is verified.
 * Metadata resources are checked by wimlib when the image is read.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h> /* close; mingw has it too */

#include "osd/fs.h"
#include "osd/inject_internal.h"
#include "osd/wim.h"
#include "platform/platform.h"
#include "smsprov/cim.h"

/* ---- blob tables ---------------------------------------------------------- */

typedef struct table_builder {
    osd_blob_table *table;
    size_t cap;
} table_builder;

static int add_blob(const struct wimlib_resource_entry *r, void *data)
{
    table_builder *b = data;
    if (r->is_missing)
        return 0;
    if (b->table->count == b->cap) {
        b->cap = b->cap ? b->cap * 2 : 64;
        b->table->items = cim_xrealloc(b->table->items, b->cap * sizeof *b->table->items);
    }
    osd_blob *blob = &b->table->items[b->table->count++];
    memcpy(blob->sha1, r->sha1_hash, sizeof blob->sha1);
    blob->offset = r->packed ? r->raw_resource_offset_in_wim : r->offset;
    blob->stored_size = r->packed ? r->raw_resource_compressed_size : r->compressed_size;
    blob->size = r->uncompressed_size;
    blob->compressed = r->is_compressed;
    blob->solid = r->packed;
    blob->metadata = r->is_metadata;
    return 0;
}

static int by_sha1(const void *a, const void *b)
{
    return memcmp(((const osd_blob *)a)->sha1, ((const osd_blob *)b)->sha1, 20);
}

int osd_blob_table_read(WIMStruct *wim, osd_blob_table *out)
{
    table_builder b = {.table = out};
    int wrc = osd_wimlib_iterate_blobs(wim, add_blob, &b);
    if (out->count)
        qsort(out->items, out->count, sizeof *out->items, by_sha1);
    return wrc;
}

const osd_blob *osd_blob_find(const osd_blob_table *table, const uint8_t sha1[20])
{
    osd_blob key;
    memcpy(key.sha1, sha1, sizeof key.sha1);
    return table->count ? bsearch(&key, table->items, table->count, sizeof key, by_sha1) : NULL;
}

void osd_blob_table_clear(osd_blob_table *table)
{
    free(table->items);
    table->items = NULL;
    table->count = 0;
}

/* ---- progress ------------------------------------------------------------- */

enum wimlib_progress_status osd_on_verify_progress(enum wimlib_progress_msg msg,
                                                   union wimlib_progress_info *info, void *data)
{
    if (msg == WIMLIB_PROGRESS_MSG_VERIFY_STREAMS)
        osd_run_progress(data, info->verify_streams.completed_bytes,
                         info->verify_streams.total_bytes);
    return WIMLIB_PROGRESS_STATUS_CONTINUE;
}

/* ---- the written WIM: raw copies ------------------------------------------ */

typedef struct twin {
    const osd_blob *written, *source;
} twin;

static int by_written_offset(const void *a, const void *b)
{
    uint64_t x = ((const twin *)a)->written->offset, y = ((const twin *)b)->written->offset;
    return x < y ? -1 : x > y;
}

/* A written blob is a raw copy when the source has the same blob stored
 * the same way (wimlib copies a resource raw only when the compression and
 * chunk size match, so equal bytes mean equal decompression). */
static bool is_raw_copy(const osd_blob *w, const osd_blob *s)
{
    return s && !s->solid && !w->solid && !s->metadata && s->compressed == w->compressed &&
           s->stored_size == w->stored_size && s->size == w->size;
}

#define COMPARE_BLOCK (1u << 20)

static bool read_exactly(int fd, void *buf, size_t n, uint64_t offset)
{
    size_t done = 0;
    while (done < n) {
        long long got = platform_read_at(fd, (char *)buf + done, n - done, offset + done);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            return false;
        done += (size_t)got;
    }
    return true;
}

typedef struct compare_state {
    int src_fd, out_fd;
    char *a, *b;
    uint64_t done, total;
} compare_state;

/* 0: same bytes; 1: different; -1: a read failed. */
static int compare_twin(osd_inject_run *run, compare_state *cs, const twin *t)
{
    uint64_t left = t->written->stored_size, at = 0;
    while (left) {
        size_t n = left < COMPARE_BLOCK ? (size_t)left : COMPARE_BLOCK;
        if (!read_exactly(cs->out_fd, cs->a, n, t->written->offset + at) ||
            !read_exactly(cs->src_fd, cs->b, n, t->source->offset + at))
            return -1;
        if (memcmp(cs->a, cs->b, n) != 0)
            return 1;
        left -= n;
        at += n;
        cs->done += n;
        osd_run_progress(run, cs->done, cs->total);
    }
    return 0;
}

static smsprov_code compare_raw_copies(osd_inject_run *run, twin *twins, size_t count,
                                       osd_inject_failure *failure, smsprov_error *err)
{
    qsort(twins, count, sizeof *twins, by_written_offset);
    compare_state cs = {.src_fd = platform_open_read(run->opt->source_wim),
                        .out_fd = platform_open_read(run->temp_wim)};
    for (size_t i = 0; i < count; i++)
        cs.total += twins[i].written->stored_size;
    int result = cs.src_fd < 0 || cs.out_fd < 0 ? -1 : 0;
    if (result == 0 && count) {
        cs.a = cim_xmalloc(COMPARE_BLOCK);
        cs.b = cim_xmalloc(COMPARE_BLOCK);
    }
    size_t i = 0;
    for (; result == 0 && i < count; i++)
        result = compare_twin(run, &cs, &twins[i]);
    int e = errno;
    free(cs.a);
    free(cs.b);
    if (cs.src_fd >= 0)
        close(cs.src_fd);
    if (cs.out_fd >= 0)
        close(cs.out_fd);
    if (result == 0)
        return SMSPROV_OK;
    osd_inject_failure_set(failure, OSD_ERROR_CRC, run->temp_wim);
    if (result < 0)
        return smsprov_error_set(err, SMSPROV_E_FAILED,
                                 "Reading back the new boot image %s and its source %s to "
                                 "check the copied data failed: %s.",
                                 run->temp_wim, run->opt->source_wim,
                                 e ? strerror(e) : "the file is shorter than its blob table says");
    return smsprov_error_set(err, SMSPROV_E_FAILED,
                             "The new boot image %s does not hold the data it copied from %s "
                             "(the resource at offset %llu differs); the disk may be failing. "
                             "Nothing was published.",
                             run->temp_wim, run->opt->source_wim,
                             (unsigned long long)twins[i - 1].written->offset);
}

/* ---- the written WIM: new blobs ------------------------------------------- */

typedef struct path_finder {
    const osd_blob_table *needed; /* the new blobs */
    bool *found;                  /* per needed blob */
    const char **paths;
    size_t path_count;
    size_t unreached;             /* blobs only a named stream holds, so far */
} path_finder;

static int find_paths(const osd_wim_dentry *entry, void *data)
{
    const struct wimlib_dir_entry *d = entry->raw;
    path_finder *pf = data;
    for (uint32_t s = 0; s <= d->num_named_streams; s++) {
        const struct wimlib_resource_entry *r = &d->streams[s].resource;
        if (r->uncompressed_size == 0)
            continue;
        const osd_blob *b = osd_blob_find(pf->needed, r->sha1_hash);
        if (!b || pf->found[b - pf->needed->items])
            continue;
        /* Extraction writes only unnamed data on this system, and the root
         * has no path to name. */
        if (d->streams[s].stream_name || d->depth == 0 ||
            (d->attributes & WIMLIB_FILE_ATTRIBUTE_REPARSE_POINT)) {
            pf->unreached++;
            continue;
        }
        pf->found[b - pf->needed->items] = true;
        pf->paths[pf->path_count++] = cim_xstrdup(entry->full_path);
    }
    return 0;
}

/* Up to this many bytes at a time are extracted into memory (a tmpfs):
 * creating and removing files costs more than decompressing them on a
 * busy disk (about 5 ms a file here). */
#define MEMORY_SCRATCH_BYTES (256u << 20)
#ifdef _WIN32
static const char *const memory_scratch_dir = NULL; /* no tmpfs: the staging folder */
#else
static const char *const memory_scratch_dir = "/dev/shm";
#endif
/* More new data than this is checked with wimlib_verify_wim, which writes
 * nothing (and decompresses the copied data too). */
#define EXTRACT_CHECK_BYTES (64u << 20)

char *osd_verify_scratch_dir(osd_inject_run *run, const char *name, uint64_t bytes,
                             smsprov_error *err)
{
    platform_file_info sb;
    if (memory_scratch_dir && bytes <= MEMORY_SCRATCH_BYTES &&
        platform_file_info_get(memory_scratch_dir, &sb) == 0 && sb.is_dir) {
        char *dir = cim_xasprintf("%s/smsprov-verify-XXXXXX", memory_scratch_dir);
        if (platform_make_temp_dir(dir))
            return dir;
        free(dir);
    }
    char *dir = cim_xasprintf("%s/%s", run->staging_dir, name);
    smsprov_error scratch = {0};
    osd_fs_remove_tree(dir, &scratch);
    smsprov_error_clear(&scratch);
    if (osd_fs_make_dirs(run->staging_dir, &scratch) == SMSPROV_OK &&
        platform_mkdir(dir, 0700) == 0) {
        smsprov_error_clear(&scratch);
        return dir;
    }
    smsprov_error_clear(&scratch);
    smsprov_error_set(err, SMSPROV_E_FAILED, "Cannot create the folder %s: %s.", dir,
                      strerror(errno));
    free(dir);
    return NULL;
}

static int extract_paths(osd_inject_run *run, WIMStruct *wim, const char **paths, size_t n,
                         uint64_t bytes, smsprov_error *err)
{
    char *dir = osd_verify_scratch_dir(run, "verify", bytes, err);
    if (!dir)
        return -1;
    smsprov_error scratch = {0};
    int wrc = osd_wimlib_extract(wim, 1, dir, paths, n, WIMLIB_EXTRACT_FLAG_NO_ACLS);
    osd_fs_remove_tree(dir, &scratch);
    smsprov_error_clear(&scratch);
    free(dir);
    return wrc;
}

/* Extraction also fails for reasons of its own (a full disk while writing
 * the files out): only bad data is a damaged WIM. */
static smsprov_code written_damaged(osd_inject_run *run, int wrc, osd_inject_failure *failure,
                                    smsprov_error *err)
{
    bool bad_data = wrc == WIMLIB_ERR_DECOMPRESSION || wrc == WIMLIB_ERR_INVALID_RESOURCE_HASH ||
                    wrc == WIMLIB_ERR_INVALID_METADATA_RESOURCE || wrc == WIMLIB_ERR_READ ||
                    wrc == WIMLIB_ERR_UNEXPECTED_END_OF_FILE;
    osd_inject_failure_set(failure, bad_data ? OSD_ERROR_CRC : OSD_ERROR_WRITE_FAULT,
                           bad_data ? run->temp_wim : run->staging_dir);
    return osd_wim_fail(err, SMSPROV_E_FAILED, wrc, "Verifying the new boot image",
                        run->temp_wim);
}

static smsprov_code check_new_blobs(osd_inject_run *run, WIMStruct *wim,
                                    const osd_blob_table *needed, osd_inject_failure *failure,
                                    smsprov_error *err)
{
    if (needed->count == 0)
        return SMSPROV_OK;
    path_finder pf = {.needed = needed,
                      .found = cim_xcalloc(needed->count, sizeof *pf.found),
                      .paths = cim_xcalloc(needed->count, sizeof *pf.paths)};
    int wrc = osd_wimlib_iterate_tree(wim, 1, "", WIMLIB_ITERATE_DIR_TREE_FLAG_RECURSIVE,
                                      find_paths, &pf);
    size_t missing = 0;
    for (size_t i = 0; i < needed->count; i++)
        missing += !pf.found[i];
    smsprov_code rc = SMSPROV_OK;
    uint64_t bytes = 0;
    for (size_t i = 0; i < needed->count; i++)
        bytes += needed->items[i].size;
    bool whole = missing || bytes > EXTRACT_CHECK_BYTES;
    if (wrc == 0 && pf.path_count && !whole)
        wrc = extract_paths(run, wim, pf.paths, pf.path_count, bytes, err);
    if (wrc < 0)
        rc = SMSPROV_E_FAILED; /* err set */
    else if (wrc == 0 && whole) {
        /* Some new blob no plain path holds, or much new data (a
         * recompressed source): check every blob. */
        osd_wimlib_progress(wim, osd_on_verify_progress, run);
        wrc = osd_wimlib_verify(wim, 0);
    }
    if (rc == SMSPROV_OK && wrc != 0)
        rc = written_damaged(run, wrc, failure, err);
    else if (rc != SMSPROV_OK)
        osd_inject_failure_set(failure, OSD_ERROR_WRITE_FAULT, run->staging_dir);
    for (size_t i = 0; i < pf.path_count; i++)
        free((char *)pf.paths[i]);
    free(pf.paths);
    free(pf.found);
    return rc;
}

smsprov_code osd_check_written(osd_inject_run *run, WIMStruct *wim, osd_inject_failure *failure,
                               smsprov_error *err)
{
    osd_blob_table written = {0};
    int wrc = osd_blob_table_read(wim, &written);
    if (wrc != 0) {
        osd_blob_table_clear(&written);
        return written_damaged(run, wrc, failure, err);
    }
    twin *twins = cim_xcalloc(written.count ? written.count : 1, sizeof *twins);
    osd_blob_table fresh = {.items = cim_xcalloc(written.count ? written.count : 1,
                                                 sizeof *fresh.items)};
    size_t twin_count = 0;
    for (size_t i = 0; i < written.count; i++) {
        const osd_blob *w = &written.items[i];
        if (w->metadata)
            continue;
        const osd_blob *s = osd_blob_find(&run->source_blobs, w->sha1);
        if (is_raw_copy(w, s))
            twins[twin_count++] = (twin){w, s};
        else
            fresh.items[fresh.count++] = *w; /* stays sorted by SHA-1 */
    }
    smsprov_code rc = compare_raw_copies(run, twins, twin_count, failure, err);
    if (rc == SMSPROV_OK)
        rc = check_new_blobs(run, wim, &fresh, failure, err);
    free(twins);
    osd_blob_table_clear(&fresh);
    osd_blob_table_clear(&written);
    return rc;
}
