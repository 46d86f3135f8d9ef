/*
 * class_internal.h - class-building steps shared inside src/cim and with the
 * MOF compiler, which finishes one member at a time so it can report a bad
 * qualifier at the line that declared it.  Not part of the public API.
 */
#ifndef SMSPROV_CIM_CLASS_INTERNAL_H
#define SMSPROV_CIM_CLASS_INTERNAL_H

#include "smsprov/cim.h"

/* True when a qualifier reaches subclasses: not Restricted, not Abstract. */
bool cim_qualifier_propagates(const cim_qualifier *q);

/* Derives one property's flags, range and max from its qualifiers. */
smsprov_code cim_property_finish(const cim_class *cls, cim_property *p, smsprov_error *err);
/* Derives a method's is_static and parameter directions and builds its
 * parameter classes. */
smsprov_code cim_method_finish(const cim_class *cls, cim_method *m, smsprov_error *err);

#endif
