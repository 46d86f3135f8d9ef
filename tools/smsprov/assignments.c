/* assignments.c - `Name=Value` words on the command line. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static int apply_one(const cim_schema *schema, const char *namespace_path, cim_instance *inst,
                      const char *word, const char **name_out)
{
    const char *eq = strchr(word, '=');
    if (!eq || eq == word) {
        return cli_usage_error("\"%s\" is not a Name=Value assignment", word);
    }
    char *name = cim_xasprintf("%.*s", (int)(eq - word), word);
    const char *text = eq + 1;
    const cim_property *prop = cim_class_find_property(inst->cls, name);
    smsprov_error err = {0};
    smsprov_code rc;
    if (!prop) {
        rc = smsprov_error_set(&err, SMSPROV_E_INVALID_PARAMETER,
                               "\"%s\" is not a property or parameter of %s.", name,
                               inst->cls->name);
    } else if (prop->is_array || prop->type == CIM_TYPE_OBJECT) {
        cim_value v;
        rc = cim_value_from_json(text, prop->type, prop->is_array, prop->ref_class, schema,
                                 namespace_path, &v, &err);
        if (rc == SMSPROV_OK) {
            rc = cim_instance_set(inst, prop->name, &v, &err);
            cim_value_clear(&v);
        }
    } else {
        cim_value v = cim_value_string(text);
        rc = cim_instance_set(inst, prop->name, &v, &err);
        cim_value_clear(&v);
    }
    free(name);
    if (rc != SMSPROV_OK) {
        int code = cli_report_error(&err);
        smsprov_error_clear(&err);
        return code;
    }
    *name_out = prop->name;
    return CLI_OK;
}

int cli_apply_assignments(const cim_schema *schema, const char *namespace_path,
                          cim_instance *inst, int argc, char **argv, const char **names_out)
{
    for (int i = 0; i < argc; i++) {
        int rc = apply_one(schema, namespace_path, inst, argv[i], &names_out[i]);
        if (rc != CLI_OK)
            return rc;
    }
    return CLI_OK;
}
