/* invoke.c - ExecMethod: resolve the target, type the in-parameters, find
 * the handler, run it. */
#include <stdlib.h>

#include "sms/behaviour.h"
#include "sms/methods.h"
#include "sms/paths.h"
#include "sms/rbac.h"

static smsprov_code bad_params(smsprov_error *err, const char *param, const char *fmt,
                               const char *a, const char *b)
{
    smsprov_error_set(err, SMSPROV_E_INVALID_METHOD_PARAMETERS, fmt, a, b);
    smsprov_error_set_parameter(err, param);
    return SMSPROV_E_INVALID_METHOD_PARAMETERS;
}

/* Copies the caller's parameters into an instance of the method's in_class,
 * converting types, and checks that every required one is there. */
static smsprov_code type_in_params(const cim_method *m, const cim_instance *sent,
                                   cim_instance **out, smsprov_error *err)
{
    cim_instance *in = cim_instance_new(m->in_class);
    for (size_t i = 0; sent && i < sent->cls->property_count; i++) {
        const char *name = sent->cls->properties[i].name;
        if (sent->values[i].is_null)
            continue;
        smsprov_code rc = cim_instance_set(in, name, &sent->values[i], err);
        if (rc == SMSPROV_E_NOT_FOUND)
            rc = bad_params(err, name, "\"%s\" is not a parameter of %s.", name, m->name);
        if (rc != SMSPROV_OK) {
            smsprov_error_set_parameter(err, name);
            cim_instance_free(in);
            return rc;
        }
    }
    for (size_t i = 0; i < m->param_count; i++) {
        const cim_parameter *p = &m->params[i];
        const cim_value *v = cim_instance_get(in, p->name);
        if (p->in && !p->optional && (!v || v->is_null)) {
            cim_instance_free(in);
            return bad_params(err, p->name, "The parameter %s of %s is required.", p->name,
                              m->name);
        }
    }
    *out = in;
    return SMSPROV_OK;
}

static smsprov_code resolve_target(sms_method_call *mc, const char *target, const char *method_name,
                                   cim_instance **instance, smsprov_error *err)
{
    cim_object_path path = {0};
    smsprov_code rc = cim_object_path_parse(target ? target : "", &path, err);
    if (rc != SMSPROV_OK)
        return rc;
    rc = sms_find_class(mc->site, mc->namespace_path, path.class_name, &mc->cls, err);
    bool on_instance = path.key_count > 0 || path.singleton;
    cim_object_path_clear(&path);
    if (rc != SMSPROV_OK)
        return rc;
    mc->method = cim_class_find_method(mc->cls, method_name ? method_name : "");
    if (!mc->method)
        return smsprov_error_set(err, SMSPROV_E_INVALID_METHOD, "%s has no method \"%s\".",
                                 mc->cls->name, method_name ? method_name : "");
    if (on_instance)
        return sms_load_path(mc->site, mc->namespace_path, target, instance, err);
    if (!mc->method->is_static)
        return smsprov_error_set(err, SMSPROV_E_INVALID_OPERATION,
                                 "%s is an instance method of %s: call it on an instance path, "
                                 "such as %s.PackageID=\"%s00001\".",
                                 mc->method->name, mc->cls->name, mc->cls->name,
                                 mc->site->site_code);
    return SMSPROV_OK;
}

/* The method needs the right rbac_checks.c names for it (denied:
 * SMSPROV_E_ACCESS_DENIED, before anything runs). */
static smsprov_code check_rights(sms_method_call *mc, cim_instance *instance, smsprov_error *err)
{
    sms_caller caller = {0};
    smsprov_code rc = sms_caller_read(mc->site, mc->call, &caller, err);
    if (rc == SMSPROV_OK)
        rc = sms_rbac_check_method(mc->site, &caller, mc->cls, mc->method->name, instance, err);
    sms_caller_clear(&caller);
    return rc;
}

smsprov_code smsprov_invoke(smsprov_site *site, const smsprov_call *call, const char *target,
                            const char *method_name, const cim_instance *in_params,
                            cim_instance **out_params, smsprov_error *err)
{
    *out_params = NULL;
    sms_method_call mc = {.site = site, .call = call};
    cim_instance *instance = NULL, *in = NULL;
    smsprov_code rc = sms_resolve_namespace(site, call, &mc.namespace_path, err);
    if (rc == SMSPROV_OK)
        rc = resolve_target(&mc, target, method_name, &instance, err);
    if (rc == SMSPROV_OK)
        rc = check_rights(&mc, instance, err);
    if (rc == SMSPROV_OK)
        rc = type_in_params(mc.method, in_params, &in, err);
    if (rc == SMSPROV_OK)
        rc = sms_check_client_strings(in, NULL, NULL, err);
    sms_method_fn handler = rc == SMSPROV_OK ? sms_method_handler(mc.cls, mc.method->name) : NULL;
    if (rc == SMSPROV_OK && !handler)
        /* unit.test_sms_provider checks every declared method has one. */
        rc = smsprov_error_set(err, SMSPROV_E_NOT_SUPPORTED,
                               "The MOF declares %s.%s but smsprov's method table has no "
                               "handler for it; the MOF and src/sms/method_table.c disagree.",
                               mc.cls->name, mc.method->name);
    if (rc == SMSPROV_OK) {
        mc.target = instance;
        mc.in = in;
        mc.out = cim_instance_new(mc.method->out_class);
        cim_instance_set_sint(mc.out, "ReturnValue", 0, NULL);
        rc = handler(&mc, err);
        if (rc == SMSPROV_OK)
            *out_params = mc.out;
        else
            cim_instance_free(mc.out);
    }
    cim_instance_free(instance);
    cim_instance_free(in);
    if (rc != SMSPROV_OK) {
        /* Sentences from the file-system steps name the client's share
         * paths, never this server's folders. */
        sms_path_scrub_error(site, err);
        smsprov_error_set_operation(err, "ExecMethod");
        if (err && target && !err->object_info)
            smsprov_error_set_object(err, target);
    }
    return rc;
}
