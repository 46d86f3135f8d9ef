/* parse_instance.c - `instance of Class [as $Alias] { Prop = value; };`
 * declarations (seed instances) and instance values embedded in them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mof/mof_internal.h"

const char *mof_alias_path(const mof_parser *p, const char *name)
{
    for (size_t i = 0; i < p->alias_count; i++)
        if (cim_strcasecmp(p->aliases[i].name, name) == 0)
            return p->aliases[i].path;
    return NULL;
}

static void add_alias(mof_parser *p, const char *name, const cim_instance *inst)
{
    p->aliases = cim_xrealloc(p->aliases, (p->alias_count + 1) * sizeof *p->aliases);
    p->aliases[p->alias_count].name = cim_xstrdup(name);
    p->aliases[p->alias_count].path = cim_instance_relpath(inst);
    p->alias_count++;
}

/* `instance of Name`: the class must exist and be concrete; a nested one must
 * also be the property's class or derive from it. */
static smsprov_code parse_instance_class(mof_parser *p, const char *ref_class,
                                         const cim_class **out)
{
    smsprov_code rc = mof_advance(p); /* 'instance' */
    if (rc != SMSPROV_OK)
        return rc;
    if (!mof_at_keyword(p, "of"))
        return mof_fail_expected(p, "'of' after 'instance'");
    rc = mof_advance(p);
    if (rc != SMSPROV_OK)
        return rc;
    if (p->tok.kind != MOF_TOK_IDENT)
        return mof_fail_expected(p, "a class name after 'instance of'");
    const cim_class *cls = cim_schema_find_class(p->schema, p->namespace_path, p->tok.text);
    if (!cls)
        return mof_fail(p, SMSPROV_E_INVALID_CLASS,
                        "unknown class '%s' in 'instance of': declare the class first, in "
                        "namespace %s",
                        p->tok.text, p->namespace_path);
    if (cls->flags & CIM_CLASS_ABSTRACT)
        return mof_fail(p, SMSPROV_E_INVALID_CLASS,
                        "class %s is abstract and cannot have instances; use a subclass",
                        cls->name);
    if (ref_class && !cim_class_is_a(cls, ref_class))
        return mof_fail(p, SMSPROV_E_TYPE_MISMATCH,
                        "an instance of %s cannot go where the property expects %s", cls->name,
                        ref_class);
    *out = cls;
    return mof_advance(p);
}

static smsprov_code parse_assignment(mof_parser *p, cim_instance *inst, bool *assigned)
{
    smsprov_code rc = SMSPROV_OK;
    if (mof_at_punct(p, '[')) {
        cim_qualifier_list ignored = {0}; /* instance qualifiers carry no meaning here */
        rc = mof_parse_qualifier_list(p, &ignored);
        cim_qualifier_list_clear(&ignored);
        if (rc != SMSPROV_OK)
            return rc;
    }
    if (p->tok.kind != MOF_TOK_IDENT)
        return mof_fail_expected(p, "a property name or '}'");
    ptrdiff_t at = cim_class_property_index(inst->cls, p->tok.text);
    if (at < 0)
        return mof_fail(p, SMSPROV_E_INVALID_CLASS, "class %s has no property '%s'",
                        inst->cls->name, p->tok.text);
    if (assigned[at])
        return mof_fail(p, SMSPROV_E_INVALID_SYNTAX, "property %s is set twice",
                        inst->cls->properties[at].name);
    assigned[at] = true;
    const cim_property *prop = &inst->cls->properties[at];
    rc = mof_advance(p);
    if (rc == SMSPROV_OK)
        rc = mof_expect_punct(p, '=', "after the property name");
    cim_value v = {0};
    if (rc == SMSPROV_OK) {
        char what[300];
        snprintf(what, sizeof what, "property %s of %s", prop->name, inst->cls->name);
        rc = mof_parse_typed_value(p, what, prop->type, prop->is_array, prop->ref_class, &v);
    }
    if (rc == SMSPROV_OK)
        cim_value_move(&inst->values[at], &v);
    if (rc == SMSPROV_OK)
        rc = mof_expect_punct(p, ';', "after the property value");
    return rc;
}

static smsprov_code parse_instance_body(mof_parser *p, cim_instance *inst)
{
    bool *assigned = cim_xcalloc(inst->cls->property_count + 1, sizeof *assigned);
    smsprov_code rc = mof_expect_punct(p, '{', "to open the instance body");
    while (rc == SMSPROV_OK && !mof_at_punct(p, '}'))
        rc = parse_assignment(p, inst, assigned);
    free(assigned);
    if (rc == SMSPROV_OK)
        rc = mof_advance(p);
    return rc;
}

/* Deep enough for any real schema, shallow enough for the C stack. */
#define MOF_MAX_INSTANCE_DEPTH 32

smsprov_code mof_parse_embedded_instance(mof_parser *p, const char *ref_class,
                                         cim_instance **out)
{
    if (p->instance_depth >= MOF_MAX_INSTANCE_DEPTH)
        return mof_fail(p, SMSPROV_E_INVALID_SYNTAX,
                        "embedded instances nest deeper than %d levels", MOF_MAX_INSTANCE_DEPTH);
    const cim_class *cls = NULL;
    smsprov_code rc = parse_instance_class(p, ref_class, &cls);
    if (rc != SMSPROV_OK)
        return rc;
    cim_instance *inst = cim_instance_spawn(cls);
    p->instance_depth++;
    rc = parse_instance_body(p, inst);
    p->instance_depth--;
    if (rc != SMSPROV_OK) {
        cim_instance_free(inst);
        return rc;
    }
    *out = inst;
    return SMSPROV_OK;
}

static smsprov_code check_keys(mof_parser *p, const cim_instance *inst, int line, int column)
{
    for (size_t i = 0; i < inst->cls->property_count; i++)
        if ((inst->cls->properties[i].flags & CIM_PROP_KEY) && inst->values[i].is_null)
            return mof_error_at(p->err, p->file, line, column, SMSPROV_E_ILLEGAL_NULL,
                                "instance of %s leaves its key property %s unset; give it a "
                                "value",
                                inst->cls->name, inst->cls->properties[i].name);
    return SMSPROV_OK;
}

smsprov_code mof_parse_instance(mof_parser *p, cim_qualifier_list *qualifiers)
{
    (void)qualifiers; /* instance qualifiers carry no meaning for smsprov */
    int line = p->tok.line, column = p->tok.column;
    const cim_class *cls = NULL;
    smsprov_code rc = parse_instance_class(p, NULL, &cls);
    if (rc != SMSPROV_OK)
        return rc;
    if (cls->flags & CIM_CLASS_EMBEDDED)
        return mof_error_at(p->err, p->file, line, column, SMSPROV_E_INVALID_CLASS,
                            "class %s is Embedded: its instances live only inside a property "
                            "of another instance",
                            cls->name);
    char *alias = NULL;
    if (mof_at_keyword(p, "as")) {
        rc = mof_advance(p);
        if (rc == SMSPROV_OK && p->tok.kind != MOF_TOK_ALIAS)
            rc = mof_fail_expected(p, "an alias such as $Name after 'as'");
        if (rc == SMSPROV_OK && mof_alias_path(p, p->tok.text))
            rc = mof_fail(p, SMSPROV_E_ALREADY_EXISTS, "alias $%s is already defined",
                          p->tok.text);
        if (rc == SMSPROV_OK) {
            alias = cim_xstrdup(p->tok.text);
            rc = mof_advance(p);
        }
    }
    cim_instance *inst = rc == SMSPROV_OK ? cim_instance_spawn(cls) : NULL;
    if (rc == SMSPROV_OK)
        rc = parse_instance_body(p, inst);
    if (rc == SMSPROV_OK)
        rc = mof_expect_punct(p, ';', "after the instance declaration");
    if (rc == SMSPROV_OK)
        rc = check_keys(p, inst, line, column);
    if (rc == SMSPROV_OK) {
        if (alias)
            add_alias(p, alias, inst);
        cim_schema_add_seed(p->schema, p->namespace_path, inst);
    } else {
        cim_instance_free(inst);
    }
    free(alias);
    return rc;
}
