/* fake_object_internal.h - the fake IWbemClassObject's insides, shared by
 * fake_class_object.c (the COM object) and fake_object_props.c (values and
 * system properties). */
#ifndef SMSPROV_TESTS_WINDOWS_FAKE_OBJECT_INTERNAL_H
#define SMSPROV_TESTS_WINDOWS_FAKE_OBJECT_INTERNAL_H

#include "harness.h"

struct fake_object {
    IWbemClassObject iface;
    LONG refs;
    const cim_class *cls;   /* owned by the harness schema */
    char *namespace_path;
    bool is_instance;
    VARIANT *values;        /* one per class property, canonical VARTYPEs */
    /* BeginEnumeration/Next state: position over system properties (first)
     * then class properties. */
    bool enumerating;
    LONG enum_flags;
    size_t enum_pos;
    /* The list of live objects, for naming leaks. */
    fake_object *prev_live, *next_live;
};

fake_object *fake_object_of(IWbemClassObject *iface);

/* The CIMTYPE and flavor WMI reports for property i. */
CIMTYPE fake_property_cimtype(const cim_property *p);
LONG fake_property_flavor(const fake_object *o, size_t i);

/* System properties: how many there are and the name of the i-th. */
size_t fake_system_property_count(void);
const wchar_t *fake_system_property_name(size_t i);

/* IWbemClassObject::Get and ::Put. */
HRESULT fake_object_get(fake_object *o, const wchar_t *name, VARIANT *value, CIMTYPE *type,
                        LONG *flavor);
HRESULT fake_object_put(fake_object *o, const wchar_t *name, LONG flags, VARIANT *value,
                        CIMTYPE type);

/* A deep copy of a value (embedded objects are cloned, as Clone does). */
HRESULT fake_copy_value(VARIANT *dst, const VARIANT *src);

#endif
