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
/* s escaped for the inside of a JSON string literal (no quotes). */
void adminservice_json_chars(cim_buf *b, const char *s);

/* How the entities of one class are written in full (entity_layout.c):
 * what every entity of the class shares is prepared once.  server is the
 * provider's NetBIOS name (__SERVER), ns its namespace (__NAMESPACE). */
typedef struct as_layout as_layout;
as_layout *adminservice_layout_new(const cim_class *cls, const char *server, const char *ns);
void adminservice_layout_free(as_layout *l);
const cim_class *adminservice_layout_class(const as_layout *l);

/* An instance of the layout's class as the real service writes it:
 * @odata.etag (key values in alphabetical key order joined with ';'),
 * __LAZYPROPERTIES, __QUALIFIER_SECURITYVERBS (-1 with security_verbs, for
 * a single-instance read of a Secured class; null otherwise), the
 * primitive properties in case-insensitive alphabetical order, the WMI
 * system properties __GENUS … __PATH, then the embedded-object ones. */
void adminservice_json_full_entity(cim_buf *b, as_layout *l, const cim_instance *inst,
                                   bool security_verbs);

/* The class's property indices in case-insensitive alphabetical order
 * (malloc'd, *count of them). */
size_t *adminservice_sorted_properties(const cim_class *cls, size_t *count);

/* The OData CSDL ($metadata) of the namespace's classes. */
char *adminservice_csdl(const cim_schema *schema, const char *namespace_path);

#endif
