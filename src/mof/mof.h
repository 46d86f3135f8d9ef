/*
 * mof.h - the MOF compiler: MOF text in, classes and seed instances in a
 * cim_schema out.
 *
 * It accepts what mof/ and ordinary mofcomp input use: #pragma namespace,
 * qualifier lists with scalar and array values and flavors, class
 * inheritance, fixed and variable arrays, default values, properties typed by
 * an embedded class name (`SMS_ScheduleToken RefreshSchedule[]` or
 * `[EmbeddedInstance("X")] string P`), references (`X ref P`), methods with
 * parameter qualifiers, `instance of` declarations, `qualifier` declarations
 * (accepted and recorded nowhere), and // and block comments.
 *
 * Also: `#pragma include("file")` (found beside the including file),
 * other pragmas accepted and ignored, `instance of X as $Alias` with `$Alias`
 * as a reference value, nested `instance of` values for embedded objects,
 * and UTF-8 (optionally with a BOM) or UTF-16LE-with-BOM files.
 *
 * Errors name file:line:column and what was expected, e.g.
 *   mof/sms_package.mof:12:17: expected ';' after the property declaration
 * and come back as SMSPROV_E_INVALID_SYNTAX (SMSPROV_E_INVALID_CLASS for an
 * unknown superclass, embedded class, instance class or instance property,
 * or a malformed qualifier such as Range("x"); SMSPROV_E_TYPE_MISMATCH for a
 * value that does not fit its declared type, e.g. uint8 = 300;
 * SMSPROV_E_ALREADY_EXISTS for a class declared twice;
 * SMSPROV_E_ILLEGAL_NULL for an instance without its keys) with err->file
 * and err->line set.  A file or folder that cannot be read gives
 * SMSPROV_E_NOT_FOUND.
 *
 * Loading the schema: compile mof/system (WMI system classes such as
 * __ExtendedStatus, which Windows already has) and then mof/, both with the
 * site namespace as default_namespace.
 */
#ifndef SMSPROV_MOF_H
#define SMSPROV_MOF_H

#include "smsprov/cim.h"

/* Compiles MOF text.  Classes without a `#pragma namespace` go into
 * default_namespace; pragma values like "\\\\.\\root\\sms" name "root\\sms".
 * file_name is used in error messages.  On error the schema keeps whatever
 * classes were complete before the error. */
smsprov_code mof_compile_string(cim_schema *schema, const char *text, const char *file_name,
                                const char *default_namespace, smsprov_error *err);
smsprov_code mof_compile_file(cim_schema *schema, const char *path, const char *default_namespace,
                              smsprov_error *err);
/* Compiles every *.mof file directly in dir (not in subfolders), in byte
 * order of their names (so 00_base.mof comes before 10_package.mof); each
 * file starts in default_namespace.  Stops at the first error. */
smsprov_code mof_compile_dir(cim_schema *schema, const char *dir, const char *default_namespace,
                             smsprov_error *err);

/* Loads smsprov's whole schema the way the server does: the *.mof files of
 * mof_dir/system (when that folder exists), then those of mof_dir, all with
 * site_namespace as the default (classes with a #pragma namespace, such as
 * SMS_ProviderLocation in root\sms, go where it says). */
smsprov_code mof_compile_schema(cim_schema *schema, const char *mof_dir,
                                const char *site_namespace, smsprov_error *err);

#endif
