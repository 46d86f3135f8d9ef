/* parse_class.c - qualifier lists and class declarations: properties
 * (scalar, fixed and variable arrays, embedded objects, references, defaults)
 * and methods with their parameters. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cim/class_internal.h"
#include "mof/mof_internal.h"

/* ---- Qualifier lists ----------------------------------------------------- */

static bool flavor_from_name(const char *name, unsigned *flavor)
{
    static const struct {
        const char *name;
        unsigned set, clear;
    } flavors[] = {
        {"ToSubclass", CIM_FLAVOR_TOSUBCLASS, CIM_FLAVOR_RESTRICTED},
        {"Restricted", CIM_FLAVOR_RESTRICTED, CIM_FLAVOR_TOSUBCLASS},
        {"NotToSubclass", CIM_FLAVOR_RESTRICTED, CIM_FLAVOR_TOSUBCLASS},
        {"ToInstance", CIM_FLAVOR_TOINSTANCE, 0},
        {"NotToInstance", 0, CIM_FLAVOR_TOINSTANCE},
        {"DisableOverride", CIM_FLAVOR_DISABLEOVERRIDE, 0},
        {"EnableOverride", 0, CIM_FLAVOR_DISABLEOVERRIDE},
        {"Amended", CIM_FLAVOR_AMENDED, 0},
        {"Translatable", CIM_FLAVOR_TRANSLATABLE, 0},
    };
    for (size_t i = 0; i < sizeof flavors / sizeof flavors[0]; i++) {
        if (cim_strcasecmp(flavors[i].name, name) == 0) {
            *flavor = (*flavor & ~flavors[i].clear) | flavors[i].set;
            return true;
        }
    }
    return false;
}

/* `: ToSubclass Amended` after a qualifier; flavors are space-separated. */
static smsprov_code parse_flavors(mof_parser *p, unsigned *flavor)
{
    smsprov_code rc = mof_advance(p); /* ':' */
    if (rc != SMSPROV_OK)
        return rc;
    if (p->tok.kind != MOF_TOK_IDENT)
        return mof_fail_expected(p, "a flavor such as ToSubclass or Restricted after ':'");
    while (rc == SMSPROV_OK && p->tok.kind == MOF_TOK_IDENT) {
        if (!flavor_from_name(p->tok.text, flavor))
            return mof_fail(p, SMSPROV_E_INVALID_SYNTAX,
                            "unknown flavor '%s': use ToSubclass, Restricted, ToInstance, "
                            "DisableOverride, EnableOverride, Amended or Translatable",
                            p->tok.text);
        rc = mof_advance(p);
    }
    return rc;
}

static smsprov_code parse_qualifier(mof_parser *p, cim_qualifier_list *out)
{
    int line = p->tok.line, column = p->tok.column;
    char *name = NULL;
    smsprov_code rc = mof_take_ident(p, "a qualifier name", &name);
    if (rc != SMSPROV_OK)
        return rc;
    cim_value value = cim_value_bool(true); /* a bare qualifier such as [key] */
    unsigned flavor = CIM_FLAVOR_TOSUBCLASS;
    if (mof_at_punct(p, '(')) {
        rc = mof_advance(p);
        if (rc == SMSPROV_OK)
            rc = mof_parse_qualifier_value(p, false, &value);
        if (rc == SMSPROV_OK)
            rc = mof_expect_punct(p, ')', "to close the qualifier value");
    } else if (mof_at_punct(p, '{')) {
        rc = mof_parse_qualifier_value(p, true, &value);
    }
    if (rc == SMSPROV_OK && mof_at_punct(p, ':'))
        rc = parse_flavors(p, &flavor);
    if (rc == SMSPROV_OK && cim_qualifier_find(out, name))
        rc = mof_error_at(p->err, p->file, line, column, SMSPROV_E_INVALID_SYNTAX,
                          "qualifier %s appears twice in the same list", name);
    if (rc == SMSPROV_OK)
        cim_qualifier_list_set(out, name, &value, flavor);
    cim_value_clear(&value);
    free(name);
    return rc;
}

smsprov_code mof_parse_qualifier_list(mof_parser *p, cim_qualifier_list *out)
{
    smsprov_code rc = mof_advance(p); /* '[' */
    while (rc == SMSPROV_OK) {
        rc = parse_qualifier(p, out);
        if (rc != SMSPROV_OK || !mof_at_punct(p, ','))
            break;
        rc = mof_advance(p);
    }
    if (rc == SMSPROV_OK)
        rc = mof_expect_punct(p, ']', "to close the qualifier list");
    return rc;
}

static void apply_qualifiers(cim_qualifier_list *dst, const cim_qualifier_list *src)
{
    for (size_t i = 0; i < src->count; i++)
        cim_qualifier_list_set(dst, src->items[i].name, &src->items[i].value,
                               src->items[i].flavor);
}

/* ---- Types --------------------------------------------------------------- */

typedef struct declared_type {
    cim_type type;    /* CIM_TYPE_INVALID for void */
    bool is_void;
    char *ref_class;  /* embedded or referenced class */
    char *spelling;   /* as written, for messages */
    int line, column;
} declared_type;

static void declared_type_clear(declared_type *t)
{
    free(t->ref_class);
    free(t->spelling);
    memset(t, 0, sizeof *t);
}

/* A CIM type keyword, `void`, a class name (embedded object) or
 * `ClassName ref` (reference). */
static smsprov_code parse_type(mof_parser *p, declared_type *t)
{
    t->line = p->tok.line;
    t->column = p->tok.column;
    smsprov_code rc = mof_take_ident(p, "a type such as string or uint32", &t->spelling);
    if (rc != SMSPROV_OK)
        return rc;
    if (cim_strcasecmp(t->spelling, "void") == 0) {
        t->is_void = true;
        return SMSPROV_OK;
    }
    if (cim_type_from_name(t->spelling, &t->type) && t->type != CIM_TYPE_REFERENCE)
        return SMSPROV_OK;
    t->ref_class = cim_xstrdup(t->spelling);
    t->type = CIM_TYPE_OBJECT;
    if (mof_at_keyword(p, "ref")) {
        t->type = CIM_TYPE_REFERENCE;
        rc = mof_advance(p);
    }
    return rc;
}

/* [EmbeddedInstance("X")] string P, [EmbeddedObject] string P and
 * [CIMTYPE("object:X")] object P all declare embedded objects. */
static void apply_embedding_qualifiers(declared_type *t, const cim_qualifier_list *q)
{
    const cim_qualifier *embedded = cim_qualifier_find(q, "EmbeddedInstance");
    const cim_qualifier *cimtype = cim_qualifier_find(q, "CIMTYPE");
    if (t->type == CIM_TYPE_STRING && embedded && embedded->value.type == CIM_TYPE_STRING &&
        !embedded->value.is_array && !embedded->value.is_null) {
        t->type = CIM_TYPE_OBJECT;
        t->ref_class = cim_xstrdup(embedded->value.u.string);
    } else if (t->type == CIM_TYPE_STRING && cim_qualifier_is_true(q, "EmbeddedObject")) {
        t->type = CIM_TYPE_OBJECT;
    } else if (t->type == CIM_TYPE_OBJECT && !t->ref_class && cimtype &&
               cimtype->value.type == CIM_TYPE_STRING && !cimtype->value.is_null &&
               !cimtype->value.is_array && strncmp(cimtype->value.u.string, "object:", 7) == 0 &&
               cimtype->value.u.string[7]) {
        t->ref_class = cim_xstrdup(cimtype->value.u.string + 7);
    }
}

/* The embedded or referenced class must be known (a reference may name the
 * class being declared). */
static smsprov_code check_type_class(mof_parser *p, const declared_type *t, const cim_class *cls,
                                     const char *member)
{
    if (!t->ref_class)
        return SMSPROV_OK;
    if (cim_schema_find_class(p->schema, p->namespace_path, t->ref_class) ||
        cim_strcasecmp(t->ref_class, cls->name) == 0)
        return SMSPROV_OK;
    if (t->type == CIM_TYPE_OBJECT && strcmp(t->ref_class, t->spelling) == 0)
        return mof_error_at(p->err, p->file, t->line, t->column, SMSPROV_E_INVALID_CLASS,
                            "unknown type or class '%s' for %s: use a CIM type such as uint32, "
                            "or declare the embedded class first",
                            t->ref_class, member);
    return mof_error_at(p->err, p->file, t->line, t->column, SMSPROV_E_INVALID_CLASS,
                        "unknown class '%s' for %s: declare it before it is used", t->ref_class,
                        member);
}

/* `[]` or `[16]` after a name. */
static smsprov_code parse_array_suffix(mof_parser *p, bool *is_array, size_t *size)
{
    *is_array = false;
    *size = 0;
    if (!mof_at_punct(p, '['))
        return SMSPROV_OK;
    *is_array = true;
    smsprov_code rc = mof_advance(p);
    if (rc == SMSPROV_OK && p->tok.kind == MOF_TOK_INTEGER) {
        if (p->tok.negative || p->tok.magnitude == 0 || p->tok.magnitude > 1000000)
            return mof_fail(p, SMSPROV_E_INVALID_SYNTAX,
                            "a fixed array size must be a whole number from 1 to 1000000");
        *size = (size_t)p->tok.magnitude;
        rc = mof_advance(p);
    }
    if (rc == SMSPROV_OK)
        rc = mof_expect_punct(p, ']', "to close the array brackets");
    return rc;
}

/* ---- Class bodies -------------------------------------------------------- */

typedef struct class_ctx {
    cim_class *cls;
    char **local_names; /* members declared in this class body */
    size_t local_count;
} class_ctx;

static bool declare_local(class_ctx *ctx, const char *name)
{
    for (size_t i = 0; i < ctx->local_count; i++)
        if (cim_strcasecmp(ctx->local_names[i], name) == 0)
            return false;
    ctx->local_names = cim_xrealloc(ctx->local_names,
                                    (ctx->local_count + 1) * sizeof *ctx->local_names);
    ctx->local_names[ctx->local_count++] = cim_xstrdup(name);
    return true;
}

static smsprov_code parse_default(mof_parser *p, cim_property *prop)
{
    char what[300];
    snprintf(what, sizeof what, "the default of property %s", prop->name);
    cim_value v = {0};
    smsprov_code rc = mof_parse_typed_value(p, what, prop->type, prop->is_array, prop->ref_class,
                                            &v);
    if (rc != SMSPROV_OK)
        return rc;
    if (prop->array_size && !v.is_null && v.u.array.count > prop->array_size) {
        cim_value_clear(&v);
        return mof_fail(p, SMSPROV_E_TYPE_MISMATCH,
                        "the default of property %s has more items than its fixed size %zu",
                        prop->name, prop->array_size);
    }
    cim_value_move(&prop->default_value, &v);
    return SMSPROV_OK;
}

static smsprov_code parse_property(mof_parser *p, class_ctx *ctx, declared_type *t,
                                   const cim_qualifier_list *quals, const char *name, int line,
                                   int column)
{
    bool is_array;
    size_t size;
    smsprov_code rc = parse_array_suffix(p, &is_array, &size);
    if (rc != SMSPROV_OK)
        return rc;
    char member[300];
    snprintf(member, sizeof member, "property %s", name);
    if (t->is_void)
        return mof_error_at(p->err, p->file, t->line, t->column, SMSPROV_E_INVALID_SYNTAX,
                            "void is only a method return type; give property %s a type", name);
    apply_embedding_qualifiers(t, quals);
    rc = check_type_class(p, t, ctx->cls, member);
    if (rc != SMSPROV_OK)
        return rc;
    if (!declare_local(ctx, name))
        return mof_error_at(p->err, p->file, line, column, SMSPROV_E_INVALID_CLASS,
                            "class %s declares %s twice", ctx->cls->name, name);
    const cim_property *inherited = cim_class_find_property(ctx->cls, name);
    if (inherited && (inherited->type != t->type || inherited->is_array != is_array))
        return mof_error_at(p->err, p->file, line, column, SMSPROV_E_INVALID_CLASS,
                            "property %s is inherited from %s as %s%s; a subclass may not "
                            "change its type",
                            name, inherited->origin_class, cim_type_name(inherited->type),
                            inherited->is_array ? "[]" : "");
    cim_property *prop = cim_class_add_property(ctx->cls, name, t->type, is_array);
    prop->array_size = size;
    free(prop->ref_class);
    prop->ref_class = t->ref_class;
    t->ref_class = NULL;
    apply_qualifiers(&prop->qualifiers, quals);
    if (mof_at_punct(p, '=')) {
        rc = mof_advance(p);
        if (rc == SMSPROV_OK)
            rc = parse_default(p, prop);
        if (rc != SMSPROV_OK)
            return rc;
    }
    rc = mof_expect_punct(p, ';', "after the property declaration");
    if (rc != SMSPROV_OK)
        return rc;
    rc = cim_property_finish(ctx->cls, prop, p->err);
    if (rc != SMSPROV_OK)
        return mof_error_locate(p->err, rc, p->file, line, column);
    return SMSPROV_OK;
}

static smsprov_code parse_parameter(mof_parser *p, class_ctx *ctx, cim_method *m)
{
    cim_qualifier_list quals = {0};
    declared_type t = {0};
    char *name = NULL;
    smsprov_code rc = SMSPROV_OK;
    if (mof_at_punct(p, '['))
        rc = mof_parse_qualifier_list(p, &quals);
    if (rc == SMSPROV_OK)
        rc = parse_type(p, &t);
    int line = p->tok.line, column = p->tok.column;
    if (rc == SMSPROV_OK)
        rc = mof_take_ident(p, "the parameter name", &name);
    bool is_array = false;
    size_t size = 0;
    if (rc == SMSPROV_OK)
        rc = parse_array_suffix(p, &is_array, &size);
    if (rc == SMSPROV_OK && t.is_void)
        rc = mof_error_at(p->err, p->file, t.line, t.column, SMSPROV_E_INVALID_SYNTAX,
                          "a parameter cannot be void; give %s a type", name);
    if (rc == SMSPROV_OK) {
        char member[300];
        snprintf(member, sizeof member, "parameter %s of method %s", name, m->name);
        apply_embedding_qualifiers(&t, &quals);
        rc = check_type_class(p, &t, ctx->cls, member);
    }
    if (rc == SMSPROV_OK && cim_method_find_param(m, name))
        rc = mof_error_at(p->err, p->file, line, column, SMSPROV_E_INVALID_CLASS,
                          "method %s declares parameter %s twice", m->name, name);
    if (rc == SMSPROV_OK) {
        cim_parameter *param = cim_method_add_param(m, name, t.type, is_array);
        param->array_size = size;
        param->ref_class = t.ref_class;
        t.ref_class = NULL;
        apply_qualifiers(&param->qualifiers, &quals);
    }
    free(name);
    declared_type_clear(&t);
    cim_qualifier_list_clear(&quals);
    return rc;
}

static smsprov_code parse_method(mof_parser *p, class_ctx *ctx, declared_type *t,
                                 const cim_qualifier_list *quals, const char *name, int line,
                                 int column)
{
    if (!t->is_void && (t->type == CIM_TYPE_OBJECT || t->type == CIM_TYPE_REFERENCE))
        return mof_error_at(p->err, p->file, t->line, t->column, SMSPROV_E_INVALID_SYNTAX,
                            "method %s must return a CIM type such as sint32, or void", name);
    if (!declare_local(ctx, name))
        return mof_error_at(p->err, p->file, line, column, SMSPROV_E_INVALID_CLASS,
                            "class %s declares %s twice", ctx->cls->name, name);
    cim_method *m = cim_class_add_method(ctx->cls, name, t->is_void ? CIM_TYPE_INVALID : t->type);
    apply_qualifiers(&m->qualifiers, quals);
    smsprov_code rc = mof_advance(p); /* '(' */
    if (rc == SMSPROV_OK && !mof_at_punct(p, ')')) {
        for (;;) {
            rc = parse_parameter(p, ctx, m);
            if (rc != SMSPROV_OK || !mof_at_punct(p, ','))
                break;
            rc = mof_advance(p);
            if (rc != SMSPROV_OK)
                break;
        }
    }
    if (rc == SMSPROV_OK)
        rc = mof_expect_punct(p, ')', "or ',' after the parameter");
    if (rc == SMSPROV_OK)
        rc = mof_expect_punct(p, ';', "after the method declaration");
    if (rc == SMSPROV_OK) {
        rc = cim_method_finish(ctx->cls, m, p->err);
        if (rc != SMSPROV_OK)
            return mof_error_locate(p->err, rc, p->file, line, column);
    }
    return rc;
}

static smsprov_code parse_feature(mof_parser *p, class_ctx *ctx)
{
    cim_qualifier_list quals = {0};
    declared_type t = {0};
    char *name = NULL;
    smsprov_code rc = SMSPROV_OK;
    if (mof_at_punct(p, '['))
        rc = mof_parse_qualifier_list(p, &quals);
    if (rc == SMSPROV_OK)
        rc = parse_type(p, &t);
    int line = p->tok.line, column = p->tok.column;
    if (rc == SMSPROV_OK)
        rc = mof_take_ident(p, "the property or method name", &name);
    if (rc == SMSPROV_OK) {
        if (mof_at_punct(p, '('))
            rc = parse_method(p, ctx, &t, &quals, name, line, column);
        else
            rc = parse_property(p, ctx, &t, &quals, name, line, column);
    }
    free(name);
    declared_type_clear(&t);
    cim_qualifier_list_clear(&quals);
    return rc;
}

static smsprov_code parse_class_header(mof_parser *p, char **name, const cim_class **super,
                                       int *line, int *column)
{
    smsprov_code rc = mof_advance(p); /* 'class' */
    *line = p->tok.line;
    *column = p->tok.column;
    if (rc == SMSPROV_OK)
        rc = mof_take_ident(p, "the class name", name);
    if (rc == SMSPROV_OK && cim_schema_find_class(p->schema, p->namespace_path, *name))
        return mof_error_at(p->err, p->file, *line, *column, SMSPROV_E_ALREADY_EXISTS,
                            "class %s is already defined in namespace %s", *name,
                            p->namespace_path);
    if (rc != SMSPROV_OK || !mof_at_punct(p, ':'))
        return rc;
    rc = mof_advance(p);
    if (rc != SMSPROV_OK)
        return rc;
    if (p->tok.kind != MOF_TOK_IDENT)
        return mof_fail_expected(p, "the superclass name after ':'");
    *super = cim_schema_find_class(p->schema, p->namespace_path, p->tok.text);
    if (!*super)
        return mof_fail(p, SMSPROV_E_INVALID_CLASS,
                        "unknown superclass '%s' of class %s: declare it first, in namespace %s",
                        p->tok.text, *name, p->namespace_path);
    return mof_advance(p);
}

static smsprov_code parse_class_body(mof_parser *p, class_ctx *ctx)
{
    smsprov_code rc = mof_expect_punct(p, '{', "to open the class body");
    while (rc == SMSPROV_OK && !mof_at_punct(p, '}')) {
        if (p->tok.kind == MOF_TOK_EOF)
            return mof_fail_expected(p, "'}' to close the class body");
        rc = parse_feature(p, ctx);
    }
    if (rc == SMSPROV_OK)
        rc = mof_advance(p);
    if (rc == SMSPROV_OK)
        rc = mof_expect_punct(p, ';', "after the class declaration");
    return rc;
}

smsprov_code mof_parse_class(mof_parser *p, cim_qualifier_list *qualifiers)
{
    char *name = NULL;
    const cim_class *super = NULL;
    int line = 0, column = 0;
    smsprov_code rc = parse_class_header(p, &name, &super, &line, &column);
    if (rc != SMSPROV_OK) {
        free(name);
        return rc;
    }
    class_ctx ctx = {0};
    ctx.cls = cim_class_new(name, super ? super->name : NULL, p->namespace_path);
    free(name);
    if (super)
        cim_class_inherit(ctx.cls, super);
    apply_qualifiers(&ctx.cls->qualifiers, qualifiers);
    rc = parse_class_body(p, &ctx);
    if (rc == SMSPROV_OK) {
        rc = cim_class_finish(ctx.cls, p->err);
        if (rc == SMSPROV_OK)
            rc = cim_schema_add_class(p->schema, ctx.cls, p->err);
        if (rc != SMSPROV_OK)
            mof_error_locate(p->err, rc, p->file, line, column);
    }
    if (rc != SMSPROV_OK)
        cim_class_free(ctx.cls);
    for (size_t i = 0; i < ctx.local_count; i++)
        free(ctx.local_names[i]);
    free(ctx.local_names);
    return rc;
}
