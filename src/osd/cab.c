/*
 * osd/cab.c - cabinets through libgcab (Linux; cab_windows.c on Windows).
 *
 * The cabinet is built in memory and handed to osd_fs_write_file, which
 * keeps GIO's file machinery (and its module loading) out of the picture
 * and makes the write atomic like every other file we produce.
 */
#include "osd/cab.h"

#include <libgcab.h>
#include <string.h>

#include "osd/fs.h"
#include "smsprov/cim.h"

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

/* Names inside a cabinet must stay inside its folder. */
static gboolean safe_name(GCabFile *file, gpointer data)
{
    const char *name = gcab_file_get_extract_name(file);
    bool ok = name && *name && name[0] != '\\' && name[0] != '/' && !strstr(name, "..");
    if (!ok)
        *(bool *)data = true;
    return ok;
}

bool osd_cab_extract(const char *path, const char *dest, char **why)
{
    *why = NULL;
    gchar *data = NULL;
    gsize size = 0;
    GError *error = NULL;
    if (!g_file_get_contents(path, &data, &size, &error)) {
        *why = cim_xasprintf("reading it failed (%s)", error->message);
        g_clear_error(&error);
        return false;
    }
    GInputStream *stream = g_memory_input_stream_new_from_data(data, (gssize)size, g_free);
    GCabCabinet *cabinet = gcab_cabinet_new();
    GFile *out = g_file_new_for_path(dest);
    bool unsafe = false;
    bool ok = gcab_cabinet_load(cabinet, stream, NULL, &error) &&
              gcab_cabinet_extract_simple(cabinet, out, safe_name, &unsafe, NULL, &error);
    g_object_unref(out);
    g_object_unref(cabinet);
    g_object_unref(stream);
    if (!ok)
        *why = cim_xasprintf("it is not a valid cabinet (%s)",
                             error ? error->message : "unknown libgcab error");
    else if (unsafe)
        *why = cim_xstrdup("it names files outside its own folder");
    g_clear_error(&error);
    return *why == NULL;
}
