/*
 * osd/inject_source.c - the source WIM is verified before anything made
 * from it is published.
 *
 * Every blob of the chosen image is decompressed and its SHA-1 checked
 * (the image's metadata is checked by wimlib when it is read).  That is
 * the costly part of a first import (about 100-300 MB/s of data per core),
 * so it runs on worker threads beside the write, each with its own
 * WIMStruct on the source (wimlib allows several on one file for reading),
 * each extracting its share of the image's files, a batch at a time, into a
 * private scratch folder that is emptied after each batch (extraction
 * checks every SHA-1; wimlib_verify_wim cannot be split).  An image with
 * data no plain path reaches (named streams, reparse points) or a file over
 * 256 MiB is verified whole with wimlib_verify_wim instead.  The job waits for the workers
 * before it publishes.
 *
 * A source already verified, with the same identity (size, times, inode,
 * WIM GUID, blob table, image index), is not verified again: the caller
 * keeps that record (osd_verified_sources).
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "osd/fs.h"
#include "osd/inject_internal.h"
#include "osd/wim.h"
#include "platform/platform.h"
#include "smsprov/cim.h"

#define MAX_WORKERS 4
/* Bytes extracted per call before the scratch folder is emptied again. */
#define BATCH_BYTES (32u << 20)
/* A file larger than this would sit whole in the scratch folder: a source
 * holding one is verified whole with wimlib_verify_wim instead. */
#define LARGEST_FILE (256u << 20)

typedef struct source_file {
    char *path;
    uint64_t size;
} source_file;

typedef struct verify_worker {
    osd_inject_run *run;
    osd_source_check *check;
    int number;
    source_file *files; /* its share; NULL with whole */
    size_t count;
    bool whole;          /* wimlib_verify_wim of the entire source */
    atomic_uint_fast64_t done_bytes;
    atomic_bool finished;
    int wrc;             /* wimlib error, or -1: scratch folder not made */
    pthread_t thread;
    bool started;
} verify_worker;

struct osd_source_check {
    atomic_bool cancel;  /* the job failed otherwise: stop early */
    verify_worker workers[MAX_WORKERS];
    size_t worker_count;
    uint64_t total_bytes;
    char *identity;      /* to record once verified; NULL: no record */
};

/* ---- identity ------------------------------------------------------------- */

/* The file and WIM facts that must be unchanged for an earlier
 * verification to hold.  ctime and the inode change when the file is
 * replaced or rewritten, even by a copy that keeps the mtime. */
static char *source_identity(const osd_inject_run *run, WIMStruct *src)
{
    platform_file_info st;
    if (platform_file_info_get(run->opt->source_wim, &st) != 0)
        return NULL;
    struct wimlib_wim_info info;
    osd_wimlib_info(src, &info);
    /* Each blob's SHA-1, then its four fields in host byte order: the
     * bytes identities already on record were hashed from. */
    size_t one = sizeof run->source_blobs.items[0].sha1 + 4 * sizeof(uint64_t);
    unsigned char *table = cim_xmalloc(run->source_blobs.count * one + 1);
    for (size_t i = 0; i < run->source_blobs.count; i++) {
        const osd_blob *b = &run->source_blobs.items[i];
        uint64_t fields[4] = {b->offset, b->stored_size, b->size,
                              (uint64_t)b->compressed | (uint64_t)b->solid << 1 |
                                  (uint64_t)b->metadata << 2};
        memcpy(table + i * one, b->sha1, sizeof b->sha1);
        memcpy(table + i * one + sizeof b->sha1, fields, sizeof fields);
    }
    char sum[65];
    platform_sha256_hex(table, run->source_blobs.count * one, sum);
    free(table);
    char guid[2 * WIMLIB_GUID_LEN + 1];
    for (int i = 0; i < WIMLIB_GUID_LEN; i++)
        snprintf(guid + 2 * i, 3, "%02x", info.guid[i]);
    char *id = cim_xasprintf("image=%u size=%llu mtime=%lld.%09ld ctime=%lld.%09ld dev=%llu "
                             "ino=%llu guid=%s blobs=%s",
                             run->opt->image_index, (unsigned long long)st.size,
                             (long long)st.mtime_sec, st.mtime_nsec, (long long)st.ctime_sec,
                             st.ctime_nsec, (unsigned long long)st.device,
                             (unsigned long long)st.inode, guid, sum);
    return id;
}

/* ---- failures ------------------------------------------------------------- */

static bool is_data_error(int wrc)
{
    return wrc == WIMLIB_ERR_DECOMPRESSION || wrc == WIMLIB_ERR_INVALID_RESOURCE_HASH ||
           wrc == WIMLIB_ERR_INVALID_METADATA_RESOURCE || wrc == WIMLIB_ERR_READ ||
           wrc == WIMLIB_ERR_UNEXPECTED_END_OF_FILE;
}

static smsprov_code source_damaged(osd_inject_run *run, int wrc, osd_inject_failure *failure,
                                   smsprov_error *err)
{
    const char *path = run->opt->source_wim;
    if (wrc == WIMLIB_ERR_NOMEM) {
        osd_inject_failure_set(failure, 8 /* ERROR_NOT_ENOUGH_MEMORY */, path);
        return osd_wim_fail(err, SMSPROV_E_OUT_OF_MEMORY, wrc, "Verifying the source image",
                            path);
    }
    char *sentence = cim_xasprintf("The source image %s is damaged and fails verification "
                                   "(%s, wimlib error %d); nothing was published. Replace it "
                                   "with a good copy.",
                                   path, osd_wimlib_error(wrc),
                                   wrc);
    osd_inject_failure_set(failure, OSD_ERROR_FILE_CORRUPT, sentence);
    smsprov_error_clear(err);
    smsprov_error_set(err, SMSPROV_E_FAILED, "%s", sentence);
    free(sentence);
    return SMSPROV_E_FAILED;
}

/* ---- the image's files ------------------------------------------------------ */

typedef struct file_finder {
    const osd_blob_table *blobs;
    bool *seen;             /* per source blob */
    source_file *files;
    size_t count, cap;
    bool unreached;         /* data no plain path holds */
} file_finder;

static int find_files(const osd_wim_dentry *entry, void *data)
{
    const struct wimlib_dir_entry *d = entry->raw;
    file_finder *ff = data;
    for (uint32_t s = 0; s <= d->num_named_streams; s++) {
        const struct wimlib_resource_entry *r = &d->streams[s].resource;
        if (r->uncompressed_size == 0)
            continue;
        const osd_blob *b = osd_blob_find(ff->blobs, r->sha1_hash);
        if (b && ff->seen[b - ff->blobs->items])
            continue;
        if (!b || d->streams[s].stream_name || d->depth == 0 || b->size > LARGEST_FILE ||
            (d->attributes & WIMLIB_FILE_ATTRIBUTE_REPARSE_POINT)) {
            ff->unreached = true;
            continue;
        }
        ff->seen[b - ff->blobs->items] = true;
        if (ff->count == ff->cap) {
            ff->cap = ff->cap ? ff->cap * 2 : 256;
            ff->files = cim_xrealloc(ff->files, ff->cap * sizeof *ff->files);
        }
        ff->files[ff->count++] = (source_file){cim_xstrdup(entry->full_path), b->size};
    }
    return 0;
}

static int by_size_desc(const void *a, const void *b)
{
    uint64_t x = ((const source_file *)a)->size, y = ((const source_file *)b)->size;
    return x < y ? 1 : x > y ? -1 : 0;
}

/* Largest files first, each to the least loaded worker. */
static void share_out(osd_source_check *sc, source_file *files, size_t count, size_t workers)
{
    qsort(files, count, sizeof *files, by_size_desc);
    uint64_t load[MAX_WORKERS] = {0};
    for (size_t w = 0; w < workers; w++)
        sc->workers[w].files = cim_xcalloc(count ? count : 1, sizeof *files);
    for (size_t i = 0; i < count; i++) {
        size_t least = 0;
        for (size_t w = 1; w < workers; w++)
            if (load[w] < load[least])
                least = w;
        verify_worker *vw = &sc->workers[least];
        vw->files[vw->count++] = files[i];
        load[least] += files[i].size;
        sc->total_bytes += files[i].size;
    }
    sc->worker_count = workers;
}

/* ---- the workers ------------------------------------------------------------ */

static enum wimlib_progress_status on_worker_progress(enum wimlib_progress_msg msg,
                                                      union wimlib_progress_info *info,
                                                      void *data)
{
    verify_worker *vw = data;
    if (atomic_load(&vw->check->cancel))
        return WIMLIB_PROGRESS_STATUS_ABORT;
    if (msg == WIMLIB_PROGRESS_MSG_EXTRACT_STREAMS)
        atomic_store(&vw->done_bytes, info->extract.completed_bytes);
    else if (msg == WIMLIB_PROGRESS_MSG_VERIFY_STREAMS)
        atomic_store(&vw->done_bytes, info->verify_streams.completed_bytes);
    return WIMLIB_PROGRESS_STATUS_CONTINUE;
}

static int extract_batch(WIMStruct *wim, uint32_t index, const char *dir, const char **paths,
                         size_t n)
{
    int wrc = osd_wimlib_extract(wim, (int)index, dir, paths, n, WIMLIB_EXTRACT_FLAG_NO_ACLS);
    /* Empty the folder for the next batch.  mkdir never follows a link
     * someone may have put in its place meanwhile: that only fails. */
    smsprov_error scratch = {0};
    osd_fs_remove_tree(dir, &scratch);
    smsprov_error_clear(&scratch);
    if (platform_mkdir(dir, 0700) != 0 && wrc == 0)
        wrc = -1;
    return wrc;
}

static int extract_share(verify_worker *vw, WIMStruct *wim)
{
    char name[32];
    snprintf(name, sizeof name, "verify-source-%d", vw->number);
    smsprov_error err = {0};
    uint64_t largest = BATCH_BYTES;
    for (size_t i = 0; i < vw->count; i++)
        if (vw->files[i].size > largest)
            largest = vw->files[i].size;
    char *dir = osd_verify_scratch_dir(vw->run, name, largest, &err);
    smsprov_error_clear(&err);
    if (!dir)
        return -1;
    const char **paths = cim_xcalloc(vw->count ? vw->count : 1, sizeof *paths);
    uint64_t base = 0;
    int wrc = 0;
    for (size_t i = 0; wrc == 0 && i < vw->count && !atomic_load(&vw->check->cancel);) {
        size_t n = 0;
        uint64_t bytes = 0;
        while (i < vw->count && (n == 0 || bytes + vw->files[i].size <= BATCH_BYTES)) {
            bytes += vw->files[i].size;
            paths[n++] = vw->files[i++].path;
        }
        wrc = extract_batch(wim, vw->run->opt->image_index, dir, paths, n);
        base += bytes;
        atomic_store(&vw->done_bytes, base);
    }
    free(paths);
    smsprov_error scratch = {0};
    osd_fs_remove_tree(dir, &scratch);
    smsprov_error_clear(&scratch);
    free(dir);
    return wrc;
}

static void *verify_share(void *data)
{
    verify_worker *vw = data;
    WIMStruct *wim = NULL;
    int wrc = osd_wimlib_open(vw->run->opt->source_wim, 0, &wim, NULL, NULL);
    if (wrc == 0) {
        osd_wimlib_progress(wim, on_worker_progress, vw);
        wrc = vw->whole ? osd_wimlib_verify(wim, 0) : extract_share(vw, wim);
        /* A scratch folder that could not be written (a full disk) says
         * nothing about the source: check it whole instead. */
        if (wrc != 0 && !vw->whole && !is_data_error(wrc) && !atomic_load(&vw->check->cancel))
            wrc = osd_wimlib_verify(wim, 0);
    }
    osd_wimlib_free(wim);
    vw->wrc = wrc;
    atomic_store(&vw->finished, true);
    return NULL;
}

/* ---- start and finish --------------------------------------------------------- */

static size_t worker_count(void)
{
    unsigned cores = platform_cpu_count();
    return cores > MAX_WORKERS ? MAX_WORKERS : (size_t)cores;
}

static void source_check_free(osd_source_check *sc)
{
    for (size_t w = 0; w < sc->worker_count; w++) {
        for (size_t i = 0; i < sc->workers[w].count; i++)
            free(sc->workers[w].files[i].path);
        free(sc->workers[w].files);
    }
    free(sc->identity);
    free(sc);
}

smsprov_code osd_source_start(osd_inject_run *run, WIMStruct *src, osd_inject_result *out,
                              smsprov_error *err)
{
    const osd_inject_options *opt = run->opt;
    int wrc = osd_blob_table_read(src, &run->source_blobs);
    if (wrc != 0)
        return source_damaged(run, wrc, &out->failure, err);
    for (size_t i = 0; i < run->source_blobs.count; i++)
        if (run->source_blobs.items[i].solid)
            run->recompress = true;
    const osd_verified_sources *record = opt->verified_sources;
    char *identity = record ? source_identity(run, src) : NULL;
    if (identity && record->known(record->data, opt->source_wim, identity)) {
        free(identity);
        return SMSPROV_OK;
    }
    /* Reading the image's tree also checks its metadata's SHA-1. */
    file_finder ff = {.blobs = &run->source_blobs,
                      .seen = cim_xcalloc(run->source_blobs.count + 1, sizeof *ff.seen)};
    wrc = osd_wimlib_iterate_tree(src, (int)opt->image_index, "",
                                  WIMLIB_ITERATE_DIR_TREE_FLAG_RECURSIVE, find_files, &ff);
    free(ff.seen);
    osd_source_check *sc = cim_xcalloc(1, sizeof *sc);
    atomic_init(&sc->cancel, false);
    sc->identity = identity;
    if (wrc != 0) {
        for (size_t i = 0; i < ff.count; i++)
            free(ff.files[i].path);
        free(ff.files);
        source_check_free(sc);
        return source_damaged(run, wrc, &out->failure, err);
    }
    if (ff.unreached) {
        sc->worker_count = 1;
        sc->workers[0].whole = true;
        for (size_t i = 0; i < run->source_blobs.count; i++)
            sc->total_bytes += run->source_blobs.items[i].size;
        for (size_t i = 0; i < ff.count; i++)
            free(ff.files[i].path);
    } else {
        share_out(sc, ff.files, ff.count, worker_count());
    }
    free(ff.files);
    for (size_t w = 0; w < sc->worker_count; w++) {
        verify_worker *vw = &sc->workers[w];
        vw->run = run;
        vw->check = sc;
        vw->number = (int)w;
        atomic_init(&vw->done_bytes, 0);
        atomic_init(&vw->finished, false);
        vw->started = pthread_create(&vw->thread, NULL, verify_share, vw) == 0;
        if (!vw->started)
            verify_share(vw); /* no thread to be had: here and now */
    }
    run->source_check = sc;
    out->source_verified = true;
    return SMSPROV_OK;
}

static bool all_finished(osd_source_check *sc, uint64_t *done)
{
    bool finished = true;
    *done = 0;
    for (size_t w = 0; w < sc->worker_count; w++) {
        *done += atomic_load(&sc->workers[w].done_bytes);
        finished = finished && atomic_load(&sc->workers[w].finished);
    }
    return finished;
}

smsprov_code osd_source_finish(osd_inject_run *run, osd_inject_result *out, bool report,
                               bool cancel, smsprov_error *err)
{
    osd_source_check *sc = run->source_check;
    if (!sc)
        return SMSPROV_OK;
    run->source_check = NULL;
    atomic_store(&sc->cancel, cancel);
    uint64_t done = 0;
    if (report)
        osd_run_phase(run, 80, 90, "Verifying the source image %s", run->opt->source_wim);
    while (!all_finished(sc, &done)) {
        if (report)
            osd_run_progress(run, done, sc->total_bytes ? sc->total_bytes : 1);
        struct timespec pause = {.tv_sec = 0, .tv_nsec = 50 * 1000 * 1000};
        nanosleep(&pause, NULL);
    }
    int wrc = 0;
    for (size_t w = 0; w < sc->worker_count; w++) {
        if (sc->workers[w].started)
            pthread_join(sc->workers[w].thread, NULL);
        if (wrc == 0)
            wrc = sc->workers[w].wrc;
    }
    smsprov_code rc = SMSPROV_OK;
    if (wrc == WIMLIB_ERR_ABORTED_BY_PROGRESS || (wrc == 0 && cancel)) {
        out->source_verified = false; /* stopped: neither good nor bad */
    } else if (wrc != 0) {
        out->source_verified = false;
        rc = source_damaged(run, wrc, &out->failure, err);
    } else if (sc->identity) {
        const osd_verified_sources *record = run->opt->verified_sources;
        record->remember(record->data, run->opt->source_wim, sc->identity);
    }
    source_check_free(sc);
    return rc;
}
