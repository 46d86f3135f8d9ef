/*
 * xmlcim/names.h - the CIM-XML (DSP0201) elements that name and locate
 * objects, and the wrappers the CIM-XML door's responses use around
 * xmlcim.h's INSTANCE: CLASSNAME, LOCALNAMESPACEPATH, INSTANCEPATH,
 * VALUE.NAMEDINSTANCE, VALUE.OBJECTWITHPATH and VALUE.OBJECT.
 */
#ifndef SMSPROV_XMLCIM_NAMES_H
#define SMSPROV_XMLCIM_NAMES_H

#include "xmlcim/xmlcim.h"

/* <CLASSNAME NAME="..."/> */
void xmlcim_write_classname(cim_buf *b, const char *class_name);

/* <LOCALNAMESPACEPATH> with one NAMESPACE per segment of "root\\sms\\x"
 * ('/' separators are accepted too). */
void xmlcim_write_localnamespacepath(cim_buf *b, const char *namespace_path);

/* <INSTANCENAME> for an object path's text (`Class.Key="v"`), as
 * smsprov_put returns it; a path with a namespace is written as a
 * LOCALINSTANCEPATH. */
void xmlcim_write_instancename_of_path(cim_buf *b, const char *path_text);

/* True when every key property of the instance has a value, so that it
 * can be named. */
bool xmlcim_instance_has_keys(const cim_instance *inst);

/* <VALUE.NAMEDINSTANCE>: INSTANCENAME then INSTANCE. */
void xmlcim_write_named_instance(cim_buf *b, const cim_instance *inst,
                                 const xmlcim_instance_options *opts);

/* <INSTANCEPATH>: NAMESPACEPATH (HOST and LOCALNAMESPACEPATH), then
 * INSTANCENAME. */
void xmlcim_write_instancepath(cim_buf *b, const char *host, const char *namespace_path,
                               const cim_instance *inst);

/* <VALUE.OBJECTWITHPATH> (INSTANCEPATH + INSTANCE) when the instance has
 * all its keys, else <VALUE.OBJECT> (the INSTANCE alone), as for the rows
 * of a query that selected no key. */
void xmlcim_write_object_with_path(cim_buf *b, const char *host, const char *namespace_path,
                                   const cim_instance *inst, const xmlcim_instance_options *opts);

#endif
