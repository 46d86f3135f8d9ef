/* xmlcim_internal.h - helpers shared by the files of src/xmlcim. */
#ifndef SMSPROV_XMLCIM_INTERNAL_H
#define SMSPROV_XMLCIM_INTERNAL_H

#include "xmlcim/xmlcim.h"

/* <LOCALNAMESPACEPATH><NAMESPACE NAME="root"/>...</LOCALNAMESPACEPATH> */
void xmlcim_write_namespace(cim_buf *b, const char *namespace_path);
/* <KEYVALUE VALUETYPE="string|numeric|boolean">text</KEYVALUE> */
void xmlcim_write_keyvalue(cim_buf *b, const cim_value *v);
/* INSTANCENAME (or LOCALINSTANCEPATH) for an object path's text. */
void xmlcim_write_reference_path(cim_buf *b, const char *path_text);
/* <QUALIFIER NAME TYPE [flavors]>VALUE</QUALIFIER> */
void xmlcim_write_qualifier(cim_buf *b, const cim_qualifier *q);

#endif
