/* keys.c - from an object path to a typed key instance of its class. */
#include <stdlib.h>

#include "sms/site.h"

static smsprov_code path_error(smsprov_error *err, const char *object_path, smsprov_code code,
                               const char *fmt, const char *a, const char *b)
{
    smsprov_error_set(err, code, fmt, a, b);
    smsprov_error_set_object(err, object_path);
    return code;
}

/* A path with one unnamed key (Class="v") binds to the class's only key. */
static const cim_property *key_for_binding(const cim_class *cls, const cim_keybinding *kb)
{
    if (kb->name && *kb->name)
        return cim_class_find_property(cls, kb->name);
    if (cls->key_count != 1)
        return NULL;
    for (size_t i = 0; i < cls->property_count; i++)
        if (cls->properties[i].flags & CIM_PROP_KEY)
            return &cls->properties[i];
    return NULL;
}

static smsprov_code bind_keys(const cim_class *cls, const cim_object_path *path,
                              const char *object_path, cim_instance *keys, smsprov_error *err)
{
    for (size_t i = 0; i < path->key_count; i++) {
        const cim_keybinding *kb = &path->keys[i];
        const cim_property *prop = key_for_binding(cls, kb);
        if (!prop || !(prop->flags & CIM_PROP_KEY))
            return path_error(err, object_path, SMSPROV_E_INVALID_OBJECT_PATH,
                              "\"%s\" is not a key property of %s.",
                              kb->name && *kb->name ? kb->name : "(unnamed key)", cls->name);
        cim_value typed;
        smsprov_code rc = cim_value_convert(&kb->value, prop->type, false, &typed, err);
        if (rc != SMSPROV_OK) {
            smsprov_error_set_object(err, object_path);
            return SMSPROV_E_INVALID_OBJECT_PATH;
        }
        cim_value *slot = cim_instance_get_mut(keys, prop->name);
        cim_value_move(slot, &typed);
    }
    for (size_t i = 0; i < cls->property_count; i++) {
        const cim_property *prop = &cls->properties[i];
        if ((prop->flags & CIM_PROP_KEY) && keys->values[i].is_null)
            return path_error(err, object_path, SMSPROV_E_INVALID_OBJECT_PATH,
                              "The path names no value for the key %s of %s.", prop->name,
                              cls->name);
    }
    return SMSPROV_OK;
}

smsprov_code sms_path_to_keys(const smsprov_site *site, const char *namespace_path,
                              const char *object_path, const cim_class **cls_out,
                              cim_instance **keys_out, smsprov_error *err)
{
    *keys_out = NULL;
    cim_object_path path = {0};
    smsprov_code rc = cim_object_path_parse(object_path ? object_path : "", &path, err);
    if (rc != SMSPROV_OK)
        return rc;
    const char *ns = namespace_path;
    if (path.namespace_path && !cim_namespace_equal(path.namespace_path, namespace_path)) {
        if (!cim_schema_has_namespace(site->schema, path.namespace_path)) {
            rc = smsprov_error_set(err, SMSPROV_E_INVALID_NAMESPACE,
                                   "The namespace %s in the path does not exist on this server.",
                                   path.namespace_path);
            cim_object_path_clear(&path);
            return rc;
        }
        ns = path.namespace_path;
    }
    const cim_class *cls = NULL;
    rc = sms_find_class(site, ns, path.class_name, &cls, err);
    if (rc == SMSPROV_OK)
        rc = sms_check_instance_class(cls, "addressed by a path", err);
    if (rc == SMSPROV_OK && path.key_count == 0 && !path.singleton)
        rc = path_error(err, object_path, SMSPROV_E_INVALID_OBJECT_PATH,
                        "%s is a class path; name an instance with its keys, for example "
                        "%s.PackageID=\"LAB00001\".",
                        cls->name, cls->name);
    cim_instance *keys = NULL;
    if (rc == SMSPROV_OK) {
        keys = cim_instance_new(cls);
        rc = bind_keys(cls, &path, object_path, keys, err);
    }
    cim_object_path_clear(&path);
    if (rc != SMSPROV_OK) {
        cim_instance_free(keys);
        return rc;
    }
    *cls_out = cls;
    *keys_out = keys;
    return SMSPROV_OK;
}
