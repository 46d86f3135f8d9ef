/* request_paths.c - DSP0201 names and paths: LOCALNAMESPACEPATH,
 * NAMESPACEPATH, CLASSNAME, INSTANCENAME with KEYBINDING/KEYVALUE, and the
 * six forms of a path a VALUE.REFERENCE may hold. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "cimxml/request_internal.h"

/* CLASSNAME and NAMESPACE are EMPTY in DSP0201: a child is a mistake, not
 * something to skip. */
static bool is_empty_element(const xmlNode *n, cimxml_fault *fault)
{
    xmlNode *child = cimxml_first_element(n);
    return !child || cimxml_unexpected(n, child, "nothing (the element is empty)", fault);
}

bool cimxml_read_namespace(const xmlNode *n, char **out, cimxml_fault *fault)
{
    cim_buf ns = {0};
    xmlNode *child = cimxml_first_element(n);
    if (!child) {
        cimxml_unexpected(n, NULL, "a <NAMESPACE> element", fault);
        return false;
    }
    for (; child; child = cimxml_next_element(child)) {
        if (!cimxml_is(child, "NAMESPACE")) {
            cim_buf_clear(&ns);
            return cimxml_unexpected(n, child, "<NAMESPACE>", fault);
        }
        char *name = is_empty_element(child, fault) ? cimxml_required_attr(child, "NAME", fault)
                                                     : NULL;
        if (!name) {
            cim_buf_clear(&ns);
            return false;
        }
        if (ns.len)
            cim_buf_append(&ns, "\\");
        cim_buf_append(&ns, name);
        free(name);
    }
    *out = cim_buf_take(&ns);
    return true;
}

bool cimxml_read_classname(const xmlNode *n, char **out, cimxml_fault *fault)
{
    *out = NULL;
    if (!is_empty_element(n, fault))
        return false;
    *out = cimxml_required_attr(n, "NAME", fault);
    return *out != NULL;
}

/* NAMESPACEPATH: HOST then LOCALNAMESPACEPATH. */
static bool read_namespace_path(const xmlNode *n, cim_object_path *out, cimxml_fault *fault)
{
    xmlNode *host = cimxml_first_element(n);
    if (!cimxml_is(host, "HOST"))
        return cimxml_unexpected(n, host, "<HOST>", fault);
    xmlNode *local = cimxml_next_element(host);
    if (!cimxml_is(local, "LOCALNAMESPACEPATH"))
        return cimxml_unexpected(n, local, "<LOCALNAMESPACEPATH>", fault);
    char *host_name = cimxml_text(host, fault);
    if (!host_name)
        return false;
    if (!cimxml_read_namespace(local, &out->namespace_path, fault)) {
        free(host_name);
        return false;
    }
    out->host = host_name;
    return true;
}

static void trim(char *s)
{
    size_t start = 0, len = strlen(s);
    while (start < len && isspace((unsigned char)s[start]))
        start++;
    while (len > start && isspace((unsigned char)s[len - 1]))
        len--;
    memmove(s, s + start, len - start);
    s[len - start] = '\0';
}

/* A numeric key: an unsigned or signed integer (decimal or 0x hex), or a
 * real, each as wide as CIM allows, so the path parser types it the same. */
static bool numeric_key(char *text, cim_value *out)
{
    trim(text);
    cim_value src = cim_value_string(text);
    static const cim_type widest[] = {CIM_TYPE_UINT64, CIM_TYPE_SINT64, CIM_TYPE_REAL64};
    bool ok = false;
    for (size_t i = 0; i < 3 && !ok; i++)
        ok = *text && cim_value_convert(&src, widest[i], false, out, NULL) == SMSPROV_OK;
    cim_value_clear(&src);
    return ok;
}

static bool read_keyvalue(const xmlNode *n, const char *key_name, cim_value *out,
                          cimxml_fault *fault)
{
    char *kind = cimxml_attr(n, "VALUETYPE");
    char *text = cimxml_text(n, fault);
    bool ok = text != NULL;
    if (ok && (!kind || strcmp(kind, "string") == 0)) {
        *out = cim_value_string(text);
    } else if (ok && strcmp(kind, "boolean") == 0) {
        trim(text);
        ok = cim_strcasecmp(text, "true") == 0 || cim_strcasecmp(text, "false") == 0;
        if (ok)
            *out = cim_value_bool(cim_strcasecmp(text, "true") == 0);
        else
            cimxml_fault_set_cim(fault, 4,
                                 "The boolean value \"%s\" of key %s is neither TRUE "
                                 "nor FALSE.",
                                 text, key_name);
    } else if (ok && strcmp(kind, "numeric") == 0) {
        ok = numeric_key(text, out);
        if (!ok)
            cimxml_fault_set_cim(fault, 4, "The numeric value \"%s\" of key %s is not a number.",
                                 text, key_name);
    } else if (ok) {
        ok = false;
        cimxml_fault_set(fault, 400, CIMXML_NOT_VALID,
                         "Line %ld: VALUETYPE=\"%s\" of key %s is none of string, boolean and "
                         "numeric.",
                         cimxml_line(n), kind, key_name);
    }
    free(kind);
    free(text);
    return ok;
}

/* KEYVALUE or VALUE.REFERENCE: the value of one key. */
static bool read_key(const xmlNode *n, const char *key_name, cim_value *out, cimxml_fault *fault)
{
    if (cimxml_is(n, "KEYVALUE"))
        return read_keyvalue(n, key_name, out, fault);
    cim_object_path ref = {0};
    if (!cimxml_read_object_path(cimxml_first_element(n), &ref, fault))
        return false;
    char *text = cim_object_path_format(&ref, true);
    *out = cim_value_reference(text);
    free(text);
    cim_object_path_clear(&ref);
    return true;
}

static bool is_key_element(const xmlNode *n)
{
    return cimxml_is(n, "KEYVALUE") || cimxml_is(n, "VALUE.REFERENCE");
}

static cim_keybinding *add_key(cim_object_path *path, char *name)
{
    path->keys = cim_xrealloc(path->keys, (path->key_count + 1) * sizeof *path->keys);
    cim_keybinding *key = &path->keys[path->key_count++];
    key->name = name;
    key->value = cim_value_null(CIM_TYPE_STRING, false);
    return key;
}

static bool read_keybinding(const xmlNode *n, cim_object_path *path, cimxml_fault *fault)
{
    char *name = cimxml_required_attr(n, "NAME", fault);
    if (!name)
        return false;
    if (path->key_count >= CIMXML_MAX_KEYS) {
        cimxml_fault_set_cim(fault, 4, "The name of %s has more than %d keys.", path->class_name,
                             CIMXML_MAX_KEYS);
        free(name);
        return false;
    }
    for (size_t i = 0; i < path->key_count; i++) {
        if (path->keys[i].name && cim_strcasecmp(path->keys[i].name, name) == 0) {
            cimxml_fault_set_cim(fault, 4, "The key %s of %s is given twice.", name,
                                 path->class_name);
            free(name);
            return false;
        }
    }
    cim_keybinding *key = add_key(path, name);
    xmlNode *value = cimxml_first_element(n);
    if (!is_key_element(value))
        return cimxml_unexpected(n, value, "<KEYVALUE> or <VALUE.REFERENCE>", fault);
    if (cimxml_next_element(value))
        return cimxml_unexpected(n, cimxml_next_element(value), "nothing more", fault);
    return read_key(value, key->name, &key->value, fault);
}

bool cimxml_read_instancename(const xmlNode *n, cim_object_path *out, cimxml_fault *fault)
{
    cim_object_path path = {0};
    path.class_name = cimxml_required_attr(n, "CLASSNAME", fault);
    bool ok = path.class_name != NULL;
    xmlNode *child = cimxml_first_element(n);
    if (ok && !child) {
        path.singleton = true; /* a class without keys: Class=@ */
    } else if (ok && is_key_element(child)) {
        /* the single key of Class="v", written without its name */
        ok = read_key(child, path.class_name, &add_key(&path, NULL)->value, fault);
        if (ok && cimxml_next_element(child))
            ok = cimxml_unexpected(n, cimxml_next_element(child), "nothing after the key", fault);
    } else {
        for (; ok && child; child = cimxml_next_element(child))
            ok = cimxml_is(child, "KEYBINDING")
                     ? read_keybinding(child, &path, fault)
                     : cimxml_unexpected(n, child, "<KEYBINDING>", fault);
    }
    if (!ok) {
        cim_object_path_clear(&path);
        return false;
    }
    *out = path;
    return true;
}

/* (LOCAL)CLASSPATH and (LOCAL)INSTANCEPATH: a namespace, then the name. */
static bool read_located(const xmlNode *n, bool remote, bool instance, cim_object_path *out,
                         cimxml_fault *fault)
{
    const char *where = remote ? "<NAMESPACEPATH>" : "<LOCALNAMESPACEPATH>";
    const char *what = instance ? "<INSTANCENAME>" : "<CLASSNAME>";
    xmlNode *ns = cimxml_first_element(n);
    if (!cimxml_is(ns, remote ? "NAMESPACEPATH" : "LOCALNAMESPACEPATH"))
        return cimxml_unexpected(n, ns, where, fault);
    xmlNode *name = cimxml_next_element(ns);
    if (!cimxml_is(name, instance ? "INSTANCENAME" : "CLASSNAME"))
        return cimxml_unexpected(n, name, what, fault);
    if (cimxml_next_element(name))
        return cimxml_unexpected(n, cimxml_next_element(name), "nothing more", fault);

    cim_object_path path = {0};
    bool ok = instance ? cimxml_read_instancename(name, &path, fault)
                       : cimxml_read_classname(name, &path.class_name, fault);
    if (ok)
        ok = remote ? read_namespace_path(ns, &path, fault)
                    : cimxml_read_namespace(ns, &path.namespace_path, fault);
    if (!ok) {
        cim_object_path_clear(&path);
        return false;
    }
    *out = path;
    return true;
}

bool cimxml_read_object_path(const xmlNode *n, cim_object_path *out, cimxml_fault *fault)
{
    *out = (cim_object_path){0};
    if (cimxml_is(n, "CLASSNAME"))
        return cimxml_read_classname(n, &out->class_name, fault);
    if (cimxml_is(n, "INSTANCENAME"))
        return cimxml_read_instancename(n, out, fault);
    if (cimxml_is(n, "LOCALCLASSPATH"))
        return read_located(n, false, false, out, fault);
    if (cimxml_is(n, "CLASSPATH"))
        return read_located(n, true, false, out, fault);
    if (cimxml_is(n, "LOCALINSTANCEPATH"))
        return read_located(n, false, true, out, fault);
    if (cimxml_is(n, "INSTANCEPATH"))
        return read_located(n, true, true, out, fault);
    if (!n) {
        cimxml_fault_set(fault, 400, CIMXML_NOT_LOOSELY_VALID, "A reference holds no object path.");
        return false;
    }
    return cimxml_unexpected(n->parent, n,
                             "an object path (INSTANCENAME, LOCALINSTANCEPATH, INSTANCEPATH, "
                             "CLASSNAME, LOCALCLASSPATH or CLASSPATH)",
                             fault);
}
