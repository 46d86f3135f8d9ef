/*
 * osd/inf_driver_info.c - freeing what osd_driver_read() found, apart from
 * the reading so every platform has it.
 */
#include <stdlib.h>
#include <string.h>

#include "osd/inf.h"

void osd_driver_info_clear(osd_driver_info *info)
{
    free(info->class_name);
    free(info->class_guid);
    free(info->provider);
    free(info->version);
    free(info->date);
    free(info->catalog);
    for (size_t i = 0; i < info->file_count; i++)
        free(info->files[i]);
    free(info->files);
    free(info->hash);
    memset(info, 0, sizeof *info);
}
