/* args.c - reading the IPARAMVALUEs of an intrinsic operation. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cimxml/ops.h"

static bool wrong_form(cimxml_op *op, const cimxml_arg *a, const char *expected)
{
    cimxml_fault_set_cim(op->fault, CIM_ERR_INVALID_PARAMETER,
                         "The parameter %s of %s must be %s, not %s.", a->name, op->req->method,
                         expected, a->element ? a->element : "empty");
    return false;
}

static bool is_value(const cimxml_arg *a)
{
    return a->kind == CIMXML_ARG_DATA && !a->data.is_null && !a->data.is_array &&
           !a->data.is_reference;
}

/* Compares s, without surrounding blanks, to word, ignoring case. */
static bool word_is(const char *s, const char *word)
{
    while (isspace((unsigned char)*s))
        s++;
    size_t n = strlen(word);
    if (strncasecmp(s, word, n) != 0)
        return false;
    for (s += n; *s; s++)
        if (!isspace((unsigned char)*s))
            return false;
    return true;
}

bool cimxml_arg_bool(cimxml_op *op, const char *name, bool fallback, bool *out)
{
    const cimxml_arg *a = cimxml_request_arg(op->req, name);
    *out = fallback;
    if (!a || (a->kind == CIMXML_ARG_DATA && a->data.is_null))
        return true;
    if (is_value(a) && word_is(a->data.text, "TRUE")) {
        *out = true;
        return true;
    }
    if (is_value(a) && word_is(a->data.text, "FALSE")) {
        *out = false;
        return true;
    }
    if (is_value(a)) {
        cimxml_fault_set_cim(op->fault, CIM_ERR_INVALID_PARAMETER,
                             "The parameter %s of %s must be TRUE or FALSE, not \"%s\".", name,
                             op->req->method, a->data.text);
        return false;
    }
    return wrong_form(op, a, "a VALUE of TRUE or FALSE");
}

bool cimxml_arg_classname(cimxml_op *op, const char *name, bool required, const char **out)
{
    const cimxml_arg *a = cimxml_request_arg(op->req, name);
    *out = NULL;
    if (a && a->kind == CIMXML_ARG_CLASSNAME) {
        *out = a->class_name;
        return true;
    }
    if (a && !(a->kind == CIMXML_ARG_DATA && a->data.is_null))
        return wrong_form(op, a, "a CLASSNAME");
    if (!required)
        return true;
    cimxml_fault_set_cim(op->fault, CIM_ERR_INVALID_PARAMETER,
                         "%s needs the parameter %s (a CLASSNAME).", op->req->method, name);
    return false;
}

bool cimxml_arg_instancename(cimxml_op *op, const char *name, const cim_object_path **out)
{
    const cimxml_arg *a = cimxml_request_arg(op->req, name);
    if (a && a->kind == CIMXML_ARG_INSTANCENAME) {
        *out = &a->path;
        return true;
    }
    if (a && !(a->kind == CIMXML_ARG_DATA && a->data.is_null))
        return wrong_form(op, a, "an INSTANCENAME");
    cimxml_fault_set_cim(op->fault, CIM_ERR_INVALID_PARAMETER,
                         "%s needs the parameter %s (an INSTANCENAME).", op->req->method, name);
    return false;
}

bool cimxml_arg_text(cimxml_op *op, const char *name, const char **out)
{
    const cimxml_arg *a = cimxml_request_arg(op->req, name);
    if (a && is_value(a)) {
        *out = a->data.text;
        return true;
    }
    if (a && !(a->kind == CIMXML_ARG_DATA && a->data.is_null))
        return wrong_form(op, a, "a VALUE");
    cimxml_fault_set_cim(op->fault, CIM_ERR_INVALID_PARAMETER,
                         "%s needs the parameter %s (a VALUE).", op->req->method, name);
    return false;
}

bool cimxml_arg_property_list(cimxml_op *op, const char ***out)
{
    const cimxml_arg *a = cimxml_request_arg(op->req, "PropertyList");
    *out = NULL;
    if (!a || (a->kind == CIMXML_ARG_DATA && a->data.is_null))
        return true;
    if (a->kind != CIMXML_ARG_DATA || !a->data.is_array || a->data.is_reference)
        return wrong_form(op, a, "a VALUE.ARRAY of property names");
    const char **names = cim_xcalloc(a->data.count + 1, sizeof *names);
    for (size_t i = 0; i < a->data.count; i++) {
        if (!a->data.items[i]) {
            free(names);
            cimxml_fault_set_cim(op->fault, CIM_ERR_INVALID_PARAMETER,
                                 "Item %zu of PropertyList is null; list property names only.",
                                 i + 1);
            return false;
        }
        names[i] = a->data.items[i];
    }
    *out = names;
    return true;
}

char *cimxml_path_text(const cim_object_path *path)
{
    return cim_object_path_format(path, false);
}
