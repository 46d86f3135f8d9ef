/* entity.c - one instance: GET (lazy properties filled), DELETE, POST
 * (create), PUT (create or update with the whole object) and PATCH (only
 * the properties the body gives), and methods.  SEDO versions and
 * read-only properties are the provider's to check, as on every door. */
#include "adminservice/request.h"

#include <stdlib.h>
#include <string.h>

/* The entity in full (etag, system properties), or only what $select
 * names.  A single-instance read of a Secured class carries
 * __QUALIFIER_SECURITYVERBS -1, as the real service's create answer does. */
static void write_entity(as_request *r, cim_buf *b, const cim_instance *inst, char **select)
{
    if (select) {
        adminservice_json_entity(b, inst, (const char *const *)select, false);
        return;
    }
    as_layout *l = adminservice_layout_new(inst->cls, r->door->server, r->ns);
    adminservice_json_full_entity(b, l, inst, (inst->cls->flags & CIM_CLASS_SECURED) != 0);
    adminservice_layout_free(l);
}

static void entity_answer(as_request *r, unsigned status, const cim_instance *inst, bool wrapped)
{
    char **select = as_select_list(r->opts.select);
    cim_buf b = {0};
    if (wrapped) {
        cim_buf_printf(&b, "{\"@odata.context\":\"%s$metadata#%s\",\"value\":[", r->base,
                       inst->cls->name);
        write_entity(r, &b, inst, select);
        cim_buf_append(&b, "]}");
    } else {
        cim_buf_printf(&b, "{\"@odata.context\":\"%s$metadata#%s/$entity\"", r->base,
                       inst->cls->name);
        cim_buf entity = {0};
        write_entity(r, &entity, inst, select);
        /* the entity's members after the context ("{}" under an empty $select) */
        if (entity.len > 2)
            cim_buf_append(&b, ",");
        cim_buf_append(&b, entity.data + 1);
        cim_buf_clear(&entity);
    }
    as_free_list(select);
    as_answer_json(r, status, &b);
}

void as_get_entity(as_request *r)
{
    cim_instance *inst = NULL;
    smsprov_error err = {0};
    if (smsprov_get(r->door->site, &r->call, r->key_path, &inst, &err) != SMSPROV_OK) {
        as_fail_call(r, &err);
        smsprov_error_clear(&err);
        return;
    }
    entity_answer(r, 200, inst, true);
    cim_instance_free(inst);
}

void as_delete_entity(as_request *r)
{
    smsprov_error err = {0};
    if (smsprov_delete(r->door->site, &r->call, r->key_path, &err) != SMSPROV_OK) {
        as_fail_call(r, &err);
        smsprov_error_clear(&err);
        return;
    }
    r->resp->status = 204;
    SMSPROV_LOG(r->door->log, SMSPROV_LOG_INFO, "AdminService DELETE %s by %s", r->key_path,
                r->call.user);
}

/* The URL's keys win over the body's: PUT SMS_X('A') writes A. */
static bool set_url_keys(as_request *r, cim_instance *inst, smsprov_error *err)
{
    cim_object_path path;
    if (cim_object_path_parse(r->key_path, &path, err) != SMSPROV_OK)
        return false;
    smsprov_code code = SMSPROV_OK;
    for (size_t i = 0; i < path.key_count && !code; i++) {
        const cim_property *p = cim_class_find_property(r->cls, path.keys[i].name);
        cim_value v;
        code = cim_value_convert(&path.keys[i].value, p->type, false, &v, err);
        if (!code)
            cim_instance_take_value(inst, p->name, v);
    }
    cim_object_path_clear(&path);
    return code == SMSPROV_OK;
}

void as_write_entity(as_request *r, const char *verb)
{
    smsprov_error err = {0};
    cim_instance *inst = NULL, *stored = NULL;
    char **given = NULL;
    char *path = NULL;
    bool create = !strcmp(verb, "POST"), patch = !strcmp(verb, "PATCH");
    smsprov_put_mode mode = create  ? SMSPROV_PUT_CREATE_ONLY
                            : patch ? SMSPROV_PUT_UPDATE_ONLY
                                    : SMSPROV_PUT_CREATE_OR_UPDATE;
    smsprov_code code = cim_instance_from_odata_json(r->http->body, r->cls, r->door->schema,
                                                     r->ns, &inst, &given, &err);
    if (!code && r->key_path && !set_url_keys(r, inst, &err))
        code = err.code ? err.code : SMSPROV_E_INVALID_OBJECT_PATH;
    if (!code)
        code = smsprov_put(r->door->site, &r->call, inst, mode,
                           patch ? (const char *const *)given : NULL, &path, &err);
    if (!code)
        code = smsprov_get(r->door->site, &r->call, path, &stored, &err);
    if (code)
        as_fail_call(r, &err);
    else
        entity_answer(r, create ? 201 : 200, stored, false);
    SMSPROV_LOG(r->door->log, SMSPROV_LOG_INFO, "AdminService %s %s by %s: %s", verb,
                path ? path : r->cls->name, r->call.user, code ? "failed" : "done");
    smsprov_error_clear(&err);
    as_free_list(given);
    free(path);
    cim_instance_free(inst);
    cim_instance_free(stored);
}

static void parameters_answer(as_request *r, const cim_instance *out)
{
    cim_buf b = {0};
    cim_buf_printf(&b, "{\"@odata.context\":\"%s$metadata#__PARAMETERS\"", r->base);
    for (size_t i = 0; out && i < out->cls->property_count; i++) {
        if (out->values[i].is_null)
            continue;
        cim_buf_printf(&b, ",\"%s\":", out->cls->properties[i].name);
        adminservice_json_value(&b, &out->values[i]);
    }
    cim_buf_append(&b, "}");
    as_answer_json(r, 201, &b);
}

void as_invoke(as_request *r)
{
    const cim_method *m = cim_class_find_method(r->cls, r->method);
    if (!m) {
        as_fail(r, 404, SMSPROV_E_INVALID_METHOD, "Class %s has no method %.100s.", r->cls->name,
                r->method);
        return;
    }
    if (!r->key_path && !m->is_static) {
        as_fail(r, 400, SMSPROV_E_INVALID_METHOD,
                "%s.%s is an instance method: call %s(<key>)/AdminService.%s.", r->cls->name,
                m->name, r->cls->name, m->name);
        return;
    }
    smsprov_error err = {0};
    cim_instance *in = NULL, *out = NULL;
    smsprov_code code = SMSPROV_OK;
    const char *body = r->http->body_len ? r->http->body : "{}";
    if (m->in_class)
        code = cim_instance_from_odata_json(body, m->in_class, r->door->schema, r->ns, &in, NULL,
                                            &err);
    if (!code)
        code = smsprov_invoke(r->door->site, &r->call, r->key_path ? r->key_path : r->cls->name,
                              m->name, in, &out, &err);
    if (code)
        as_fail_provider(r,
                         code == SMSPROV_E_INVALID_METHOD_PARAMETERS ||
                                 code == SMSPROV_E_TYPE_MISMATCH
                             ? 400
                         : code == SMSPROV_E_NOT_FOUND || code == SMSPROV_E_ACCESS_DENIED ? 404
                                                                                         : 500,
                         &err);
    else
        parameters_answer(r, out);
    SMSPROV_LOG(r->door->log, SMSPROV_LOG_INFO, "AdminService %s.%s by %s: %s", r->cls->name,
                m->name, r->call.user, code ? "failed" : "done");
    smsprov_error_clear(&err);
    cim_instance_free(in);
    cim_instance_free(out);
}
