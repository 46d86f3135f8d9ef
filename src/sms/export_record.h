/*
 * export_record.h - the files ExportDefaultBootImage wrote, so that an
 * export replaces only its own earlier output and never a file it did not
 * create.  The record lives in the site store (a file mark of kind "export":
 * the local path written and the file's identity then - device, inode,
 * size, modification time), so it holds across restarts and processes.
 */
#ifndef SMSPROV_SMS_EXPORT_RECORD_H
#define SMSPROV_SMS_EXPORT_RECORD_H

#include <stdbool.h>

#include "sms/site.h"

/* Whether the file at local_path is one an export wrote and nobody has
 * replaced or changed since (false when nothing is recorded for it). */
bool sms_export_is_ours(smsprov_site *site, const char *local_path);

/* Records the file now at local_path as an export's output.  Errors: the
 * site database failing (SMSPROV_E_FAILED with its sentence). */
smsprov_code sms_export_remember(smsprov_site *site, const char *local_path, smsprov_error *err);

#endif
