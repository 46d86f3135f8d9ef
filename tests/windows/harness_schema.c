/* harness_schema.c - the class definitions the fake WMI repository holds:
 * the repo's mof/ compiled by our own MOF compiler, as mofcomp would have
 * put them into the site's namespace on a real server. */
#include <stdio.h>
#include <stdlib.h>

#include "harness.h"
#include "mof/mof.h"

static cim_schema *schema;
static char *site_namespace;

void harness_schema_load(const char *mof_dir, const char *namespace_path)
{
    harness_schema_unload();
    schema = cim_schema_new();
    smsprov_error err = {0};
    if (mof_compile_schema(schema, mof_dir, namespace_path, &err) != SMSPROV_OK) {
        fprintf(stderr, "Could not compile the MOF in %s for the fake WMI repository: %s\n",
                mof_dir, err.description ? err.description : "(no description)");
        exit(2);
    }
    site_namespace = cim_xstrdup(namespace_path);
}

void harness_schema_unload(void)
{
    cim_schema_free(schema);
    schema = NULL;
    free(site_namespace);
    site_namespace = NULL;
}

const cim_schema *harness_schema(void)
{
    return schema;
}

const cim_class *harness_find_class(const char *namespace_path, const char *class_name)
{
    if (!schema || !class_name)
        return NULL;
    const cim_class *cls = cim_schema_find_class(schema, namespace_path, class_name);
    /* System classes exist in every WMI namespace; ours were compiled into
     * the site namespace only. */
    if (!cls && class_name[0] == '_' && class_name[1] == '_')
        cls = cim_schema_find_class(schema, site_namespace, class_name);
    return cls;
}
