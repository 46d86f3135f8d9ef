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
 * Errors name file:line:column and what was expected, e.g.
 *   mof/sms_package.mof:12:17: expected ';' after the property declaration
 * and come back as SMSPROV_E_INVALID_SYNTAX (SMSPROV_E_INVALID_CLASS for an
 * unknown superclass or embedded class) with err->file and err->line set.
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
/* Compiles every *.mof file directly in dir, in byte order of their names
 * (so 00_base.mof comes before 10_package.mof). */
smsprov_code mof_compile_dir(cim_schema *schema, const char *dir, const char *default_namespace,
                             smsprov_error *err);

#endif
