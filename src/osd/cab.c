/*
 * osd/cab.c - cabinets through libgcab.
 *
 * The cabinet is built in memory and handed to osd_fs_write_file, which
 * keeps GIO's file machinery (and its module loading) out of the picture
 * and makes the write atomic like every other file we produce.
 */
#include "osd/cab.h"

#include <libgcab.h>

#include "osd/fs.h"

static smsprov_code gcab_failure(const char *path, GError *error, smsprov_error *err)
{
    smsprov_code rc = smsprov_error_set(err, SMSPROV_E_FAILED,
                                        "The cabinet %s cannot be built: %s.", path,
                                        error ? error->message : "unknown libgcab error");
    g_clear_error(&error);
    return rc;
}

static bool add_entries(GCabFolder *folder, const osd_cab_entry *entries, size_t count,
                        GError **error)
{
    GDateTime *now = g_date_time_new_now_utc();
    bool ok = true;
    for (size_t i = 0; ok && i < count; i++) {
        GBytes *bytes = g_bytes_new(entries[i].data, entries[i].size);
        GCabFile *file = gcab_file_new_with_bytes(entries[i].name, bytes);
        gcab_file_set_date_time(file, now);
        ok = gcab_folder_add_file(folder, file, FALSE, NULL, error);
        g_object_unref(file);
        g_bytes_unref(bytes);
    }
    g_date_time_unref(now);
    return ok;
}

smsprov_code osd_cab_write(const char *path, const osd_cab_entry *entries, size_t count,
                           smsprov_error *err)
{
    GError *error = NULL;
    GCabCabinet *cabinet = gcab_cabinet_new();
    GCabFolder *folder = gcab_folder_new(GCAB_COMPRESSION_MSZIP);
    GOutputStream *stream = g_memory_output_stream_new_resizable();
    bool ok = add_entries(folder, entries, count, &error) &&
              gcab_cabinet_add_folder(cabinet, folder, &error) &&
              gcab_cabinet_write_simple(cabinet, stream, NULL, NULL, NULL, &error) &&
              g_output_stream_close(stream, NULL, &error);
    smsprov_code rc;
    if (ok) {
        GMemoryOutputStream *memory = G_MEMORY_OUTPUT_STREAM(stream);
        rc = osd_fs_write_file(path, g_memory_output_stream_get_data(memory),
                               g_memory_output_stream_get_data_size(memory), err);
    } else {
        rc = gcab_failure(path, error, err);
    }
    g_object_unref(stream);
    g_object_unref(folder);
    g_object_unref(cabinet);
    return rc;
}
