/* schema.c - the class registry: classes by namespace, in the order they
 * were added, plus the seed instances MOF `instance of` declarations give. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "smsprov/cim.h"

typedef struct schema_namespace {
    char *path; /* as first seen, host prefix removed, '/' written '\' */
    cim_class **classes;
    size_t class_count;
} schema_namespace;

typedef struct schema_seed {
    char *namespace_path;
    cim_instance *instance;
} schema_seed;

struct cim_schema {
    schema_namespace *namespaces;
    size_t namespace_count;
    schema_seed *seeds;
    size_t seed_count;
};

/* Skips a leading "\\host\" (or "//host/") and any further leading
 * separators, so "\\.\root\sms" and "root/sms" start at "root". */
static const char *skip_namespace_prefix(const char *path)
{
    const char *p = path;
    if ((p[0] == '\\' || p[0] == '/') && (p[1] == '\\' || p[1] == '/')) {
        p += 2;
        while (*p && *p != '\\' && *p != '/')
            p++;
    }
    while (*p == '\\' || *p == '/')
        p++;
    return p;
}

static size_t namespace_length(const char *p)
{
    size_t n = strlen(p);
    while (n > 0 && (p[n - 1] == '\\' || p[n - 1] == '/'))
        n--;
    return n;
}

char *cim_namespace_normalize(const char *path)
{
    const char *p = skip_namespace_prefix(path ? path : "");
    size_t n = namespace_length(p);
    char *out = cim_xmalloc(n + 1);
    for (size_t i = 0; i < n; i++)
        out[i] = p[i] == '/' ? '\\' : p[i];
    out[n] = '\0';
    return out;
}

bool cim_namespace_equal(const char *a, const char *b)
{
    if (!a || !b)
        return a == b;
    a = skip_namespace_prefix(a);
    b = skip_namespace_prefix(b);
    size_t na = namespace_length(a), nb = namespace_length(b);
    if (na != nb)
        return false;
    for (size_t i = 0; i < na; i++) {
        char ca = a[i] == '/' ? '\\' : a[i], cb = b[i] == '/' ? '\\' : b[i];
        if (tolower((unsigned char)ca) != tolower((unsigned char)cb))
            return false;
    }
    return true;
}

cim_schema *cim_schema_new(void)
{
    return cim_xcalloc(1, sizeof(cim_schema));
}

void cim_schema_free(cim_schema *schema)
{
    if (!schema)
        return;
    /* Seeds first: an instance needs its class to free its values. */
    for (size_t i = 0; i < schema->seed_count; i++) {
        cim_instance_free(schema->seeds[i].instance);
        free(schema->seeds[i].namespace_path);
    }
    free(schema->seeds);
    for (size_t i = 0; i < schema->namespace_count; i++) {
        schema_namespace *ns = &schema->namespaces[i];
        /* Newest first: a default value may embed an instance of an older
         * class, and freeing it reads that class. */
        for (size_t j = ns->class_count; j-- > 0;)
            cim_class_free(ns->classes[j]);
        free(ns->classes);
        free(ns->path);
    }
    free(schema->namespaces);
    free(schema);
}

static schema_namespace *find_namespace(const cim_schema *schema, const char *path)
{
    if (!schema || !path)
        return NULL;
    for (size_t i = 0; i < schema->namespace_count; i++)
        if (cim_namespace_equal(schema->namespaces[i].path, path))
            return &schema->namespaces[i];
    return NULL;
}

static schema_namespace *get_namespace(cim_schema *schema, const char *path)
{
    schema_namespace *ns = find_namespace(schema, path);
    if (ns)
        return ns;
    schema->namespaces = cim_xrealloc(schema->namespaces,
                                      (schema->namespace_count + 1) * sizeof *schema->namespaces);
    ns = &schema->namespaces[schema->namespace_count++];
    memset(ns, 0, sizeof *ns);
    ns->path = cim_namespace_normalize(path);
    return ns;
}

static cim_class *find_in_namespace(const schema_namespace *ns, const char *class_name)
{
    if (!ns || !class_name)
        return NULL;
    for (size_t i = 0; i < ns->class_count; i++)
        if (cim_strcasecmp(ns->classes[i]->name, class_name) == 0)
            return ns->classes[i];
    return NULL;
}

static bool valid_class_name(const char *name)
{
    if (!name || !(isalpha((unsigned char)name[0]) || name[0] == '_'))
        return false;
    for (const char *p = name; *p; p++)
        if (!(isalnum((unsigned char)*p) || *p == '_'))
            return false;
    return true;
}

static smsprov_code check_superclass(const cim_schema *schema, const cim_class *cls,
                                     smsprov_error *err)
{
    if (!cls->superclass_name)
        return SMSPROV_OK;
    const cim_class *super = cim_schema_find_class(schema, cls->namespace_path,
                                                   cls->superclass_name);
    if (!super)
        return smsprov_error_set(err, SMSPROV_E_INVALID_CLASS,
                                 "Class %s derives from %s, which is not defined in namespace "
                                 "%s; define the superclass first.",
                                 cls->name, cls->superclass_name, cls->namespace_path);
    if (cls->superclass != super)
        return smsprov_error_set(err, SMSPROV_E_INVALID_CLASS,
                                 "Class %s must be built with cim_class_inherit() from the "
                                 "registered definition of its superclass %s.",
                                 cls->name, cls->superclass_name);
    return SMSPROV_OK;
}

smsprov_code cim_schema_add_class(cim_schema *schema, cim_class *cls, smsprov_error *err)
{
    if (!valid_class_name(cls->name))
        return smsprov_error_set(err, SMSPROV_E_INVALID_CLASS,
                                 "\"%s\" is not a valid class name: use letters, digits and "
                                 "underscores, starting with a letter or underscore.",
                                 cls->name ? cls->name : "");
    if (!cls->namespace_path || !*skip_namespace_prefix(cls->namespace_path))
        return smsprov_error_set(err, SMSPROV_E_INVALID_NAMESPACE,
                                 "Class %s has no namespace; give it one such as "
                                 "root\\sms\\site_LAB.", cls->name);
    if (cim_schema_find_class(schema, cls->namespace_path, cls->name))
        return smsprov_error_set(err, SMSPROV_E_ALREADY_EXISTS,
                                 "Class %s is already defined in namespace %s.", cls->name,
                                 cls->namespace_path);
    smsprov_code rc = check_superclass(schema, cls, err);
    if (rc != SMSPROV_OK)
        return rc;
    schema_namespace *ns = get_namespace(schema, cls->namespace_path);
    ns->classes = cim_xrealloc(ns->classes, (ns->class_count + 1) * sizeof *ns->classes);
    ns->classes[ns->class_count++] = cls;
    return SMSPROV_OK;
}

const cim_class *cim_schema_find_class(const cim_schema *schema, const char *namespace_path,
                                       const char *class_name)
{
    return find_in_namespace(find_namespace(schema, namespace_path), class_name);
}

bool cim_schema_has_namespace(const cim_schema *schema, const char *namespace_path)
{
    return find_namespace(schema, namespace_path) != NULL;
}

static bool class_listed(const cim_class *cls, const char *superclass_name, bool deep)
{
    if (!superclass_name)
        return deep || !cls->superclass_name;
    if (!deep)
        return cls->superclass_name && cim_strcasecmp(cls->superclass_name, superclass_name) == 0;
    return cim_strcasecmp(cls->name, superclass_name) != 0 && cim_class_is_a(cls, superclass_name);
}

const cim_class **cim_schema_list_classes(const cim_schema *schema, const char *namespace_path,
                                          const char *superclass_name, bool deep, size_t *count)
{
    const schema_namespace *ns = find_namespace(schema, namespace_path);
    size_t capacity = ns ? ns->class_count : 0;
    const cim_class **out = cim_xcalloc(capacity ? capacity : 1, sizeof *out);
    size_t n = 0;
    for (size_t i = 0; i < capacity; i++)
        if (class_listed(ns->classes[i], superclass_name, deep))
            out[n++] = ns->classes[i];
    *count = n;
    return out;
}

const cim_class **cim_schema_concrete_classes(const cim_schema *schema, const cim_class *cls,
                                              size_t *count)
{
    const schema_namespace *ns = find_namespace(schema, cls->namespace_path);
    size_t capacity = ns ? ns->class_count : 0;
    const cim_class **out = cim_xcalloc(capacity ? capacity : 1, sizeof *out);
    size_t n = 0;
    for (size_t i = 0; i < capacity; i++) {
        const cim_class *c = ns->classes[i];
        if (!(c->flags & CIM_CLASS_ABSTRACT) && cim_class_is_a(c, cls->name))
            out[n++] = c;
    }
    *count = n;
    return out;
}

size_t cim_schema_namespace_count(const cim_schema *schema)
{
    return schema ? schema->namespace_count : 0;
}

const char *cim_schema_namespace_at(const cim_schema *schema, size_t index)
{
    if (!schema || index >= schema->namespace_count)
        return NULL;
    return schema->namespaces[index].path;
}

/* Seeds make their namespace known too, even one without classes. */
void cim_schema_add_seed(cim_schema *schema, const char *namespace_path, cim_instance *take)
{
    schema_namespace *ns = get_namespace(schema, namespace_path);
    schema->seeds = cim_xrealloc(schema->seeds, (schema->seed_count + 1) * sizeof *schema->seeds);
    schema->seeds[schema->seed_count].namespace_path = cim_xstrdup(ns->path);
    schema->seeds[schema->seed_count].instance = take;
    schema->seed_count++;
}

size_t cim_schema_seed_count(const cim_schema *schema)
{
    return schema ? schema->seed_count : 0;
}

const cim_instance *cim_schema_seed_at(const cim_schema *schema, size_t index,
                                       const char **namespace_path)
{
    if (!schema || index >= schema->seed_count)
        return NULL;
    if (namespace_path)
        *namespace_path = schema->seeds[index].namespace_path;
    return schema->seeds[index].instance;
}
