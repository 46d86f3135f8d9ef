/* path_format.c - writing object paths back out, key lookup, freeing. */
#include <stdlib.h>
#include <string.h>

#include "cim/value_internal.h"

/* A quoted key value: only '"' and '\' need escaping for the parser. */
static void append_quoted(cim_buf *b, const char *s)
{
    cim_buf_append(b, "\"");
    for (const char *p = s ? s : ""; *p; p++) {
        if (*p == '"' || *p == '\\')
            cim_buf_append(b, "\\");
        cim_buf_append_n(b, p, 1);
    }
    cim_buf_append(b, "\"");
}

static void append_key_value(cim_buf *b, const cim_value *v)
{
    if (v->is_null || v->is_array) {
        cim_buf_append(b, "NULL");
    } else if (cim_type_is_signed(v->type)) {
        cim_buf_printf(b, "%lld", (long long)v->u.sint);
    } else if (cim_type_is_unsigned(v->type)) {
        cim_buf_printf(b, "%llu", (unsigned long long)v->u.uint);
    } else if (cim_type_is_real(v->type)) {
        size_t start = b->len;
        cim_append_real(b, v->u.real, v->type);
        if (!strpbrk(b->data + start, ".eEnN"))
            cim_buf_append(b, ".0"); /* so it reads back as a real, not an integer */
    } else if (v->type == CIM_TYPE_BOOLEAN) {
        cim_buf_append(b, v->u.boolean ? "TRUE" : "FALSE");
    } else if (cim_type_is_textual(v->type)) {
        append_quoted(b, v->u.string);
    } else {
        char *text = cim_value_to_text(v); /* char16 */
        append_quoted(b, text);
        free(text);
    }
}

char *cim_object_path_format(const cim_object_path *path, bool with_namespace)
{
    cim_buf b = {0};
    if (with_namespace && path->namespace_path) {
        if (path->host)
            cim_buf_printf(&b, "\\\\%s\\", path->host);
        cim_buf_printf(&b, "%s:", path->namespace_path);
    }
    cim_buf_append(&b, path->class_name ? path->class_name : "");
    if (path->singleton) {
        cim_buf_append(&b, "=@");
        return cim_buf_take(&b);
    }
    for (size_t i = 0; i < path->key_count; i++) {
        const cim_keybinding *key = &path->keys[i];
        if (key->name)
            cim_buf_printf(&b, "%s%s=", i == 0 ? "." : ",", key->name);
        else
            cim_buf_append(&b, "=");
        append_key_value(&b, &key->value);
    }
    return cim_buf_take(&b);
}

const cim_keybinding *cim_object_path_find_key(const cim_object_path *path, const char *name)
{
    if (path->key_count == 1 && !path->keys[0].name)
        return &path->keys[0]; /* Class="v": the one key, whatever its name */
    for (size_t i = 0; i < path->key_count; i++)
        if (path->keys[i].name && cim_strcasecmp(path->keys[i].name, name) == 0)
            return &path->keys[i];
    return NULL;
}

void cim_object_path_clear(cim_object_path *path)
{
    free(path->host);
    free(path->namespace_path);
    free(path->class_name);
    for (size_t i = 0; i < path->key_count; i++) {
        free(path->keys[i].name);
        cim_value_clear(&path->keys[i].value);
    }
    free(path->keys);
    memset(path, 0, sizeof *path);
}
