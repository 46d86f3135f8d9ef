/* adminservice/json.h - the door's JSON writing (values per the
 * AdminService's encodings) and its CSDL. */
#ifndef SMSPROV_ADMINSERVICE_JSON_H
#define SMSPROV_ADMINSERVICE_JSON_H

#include "smsprov/cim.h"

/* One value: null, a bare number, true/false, a JSON string (DATETIME as
 * "2024-08-30T20:55:06Z"), an array, or an embedded object. */
void adminservice_json_value(cim_buf *b, const cim_value *v);

/* An instance as an entity: "__CLASS" and every property (null ones
 * included), or with select (NULL-terminated names, any case) only those.
 * An embedded object starts with its "@odata.type". */
void adminservice_json_entity(cim_buf *b, const cim_instance *inst, const char *const *select,
                              bool embedded);

/* s as a JSON string literal. */
void adminservice_json_string(cim_buf *b, const char *s);

/* The OData CSDL ($metadata) of the namespace's classes. */
char *adminservice_csdl(const cim_schema *schema, const char *namespace_path);

#endif
