/*
 * methods.h - method calls: a (class, method) -> handler table.
 *
 * A handler receives its typed in-parameters and fills the out-parameters;
 * ReturnValue is preset to 0.  A method the schema declares but no handler
 * implements answers SMSPROV_E_NOT_SUPPORTED.
 */
#ifndef SMSPROV_SMS_METHODS_H
#define SMSPROV_SMS_METHODS_H

#include "sms/site.h"

typedef struct sms_method_call {
    smsprov_site *site;
    const smsprov_call *call;
    const char *namespace_path;
    const cim_class *cls;       /* the class named by the target */
    const cim_method *method;
    const cim_instance *target; /* the instance, for a call on an instance path; else NULL */
    const cim_instance *in;     /* an instance of method->in_class (never NULL) */
    cim_instance *out;          /* an instance of method->out_class */
} sms_method_call;

typedef smsprov_code (*sms_method_fn)(sms_method_call *mc, smsprov_error *err);

typedef struct sms_method_entry {
    const char *class_name; /* applies to this class and its subclasses */
    const char *method_name;
    sms_method_fn handler;
} sms_method_entry;

/* The handler for a method of cls, or NULL. */
sms_method_fn sms_method_handler(const cim_class *cls, const char *method_name);

/* Reads the target instance in a write transaction, lets change() edit it,
 * checks it and stores it, so concurrent changes are never lost. */
typedef smsprov_code (*sms_change_fn)(sms_method_call *mc, cim_instance *inst, smsprov_error *err);
smsprov_code sms_change_target(sms_method_call *mc, sms_change_fn change, smsprov_error *err);

/* Package method handlers (package_methods.c). */
smsprov_code sms_package_set_source_site(sms_method_call *mc, smsprov_error *err);
smsprov_code sms_package_unlock(sms_method_call *mc, smsprov_error *err);
smsprov_code sms_package_refresh_source(sms_method_call *mc, smsprov_error *err);

#endif
