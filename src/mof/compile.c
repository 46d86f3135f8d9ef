/* compile.c - the compiler's entry points: MOF from a string, a file, a
 * folder, and `#pragma include`. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cim/value_internal.h"
#include "mof/mof_internal.h"

#define MOF_MAX_INCLUDE_DEPTH 16

static smsprov_code compile_text(cim_schema *schema, const char *text, const char *file_name,
                                 const char *namespace_path, int include_depth,
                                 smsprov_error *err)
{
    mof_parser p;
    memset(&p, 0, sizeof p);
    mof_lexer_init(&p.lex, text, file_name, err);
    p.schema = schema;
    p.namespace_path = cim_namespace_normalize(namespace_path);
    p.file = file_name;
    p.err = err;
    p.include_depth = include_depth;
    smsprov_code rc = mof_parse_all(&p);
    mof_token_clear(&p.tok);
    mof_token_clear(&p.ahead);
    for (size_t i = 0; i < p.alias_count; i++) {
        free(p.aliases[i].name);
        free(p.aliases[i].path);
    }
    free(p.aliases);
    free(p.namespace_path);
    return rc;
}

smsprov_code mof_compile_string(cim_schema *schema, const char *text, const char *file_name,
                                const char *default_namespace, smsprov_error *err)
{
    if (!schema || !text)
        return smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER,
                                 "mof_compile_string needs a schema and MOF text.");
    return compile_text(schema, text, file_name ? file_name : "<string>", default_namespace, 0,
                        err);
}

/* Reads a whole file; NULL with errno set on failure.  *len gets its size. */
static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    cim_buf b = {0};
    char chunk[8192];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        cim_buf_append_n(&b, chunk, n);
    int failed = ferror(f);
    fclose(f);
    if (failed) {
        cim_buf_clear(&b);
        errno = EIO;
        return NULL;
    }
    *len = b.len;
    return cim_buf_take(&b);
}

/* mofcomp also reads UTF-16LE files with a byte order mark, as Windows
 * tools often save them; they become UTF-8 here.  False on a broken pair. */
static bool utf16le_to_utf8(const unsigned char *data, size_t len, cim_buf *out)
{
    for (size_t i = 2; i + 1 < len; i += 2) {
        uint32_t cp = data[i] | (uint32_t)data[i + 1] << 8;
        if (cp >= 0xD800 && cp <= 0xDBFF) {
            if (i + 3 >= len)
                return false;
            uint32_t low = data[i + 2] | (uint32_t)data[i + 3] << 8;
            if (low < 0xDC00 || low > 0xDFFF)
                return false;
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
            i += 2;
        } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
            return false;
        }
        char utf8[4];
        cim_buf_append_n(out, utf8, cim_utf8_encode(cp, utf8));
    }
    return true;
}

static smsprov_code compile_file(cim_schema *schema, const char *path, const char *namespace_path,
                                 int include_depth, smsprov_error *err)
{
    size_t len = 0;
    char *text = read_file(path, &len);
    if (!text)
        return smsprov_error_set(err, SMSPROV_E_NOT_FOUND, "Cannot read the MOF file %s: %s.",
                                 path, strerror(errno));
    const unsigned char *bytes = (const unsigned char *)text;
    if (len >= 2 && bytes[0] == 0xFF && bytes[1] == 0xFE) {
        cim_buf utf8 = {0};
        bool ok = utf16le_to_utf8(bytes, len, &utf8);
        free(text);
        if (!ok) {
            cim_buf_clear(&utf8);
            return mof_error_at(err, path, 1, 1, SMSPROV_E_INVALID_SYNTAX,
                                "the UTF-16 text has a broken surrogate pair");
        }
        text = cim_buf_take(&utf8);
        len = strlen(text);
    }
    if (strlen(text) != len) {
        free(text);
        return mof_error_at(err, path, 1, 1, SMSPROV_E_INVALID_SYNTAX,
                            "the file contains NUL bytes: save it as UTF-8 (or UTF-16 with a "
                            "byte order mark)");
    }
    smsprov_code rc = compile_text(schema, text, path, namespace_path, include_depth, err);
    free(text);
    return rc;
}

smsprov_code mof_compile_file(cim_schema *schema, const char *path, const char *default_namespace,
                              smsprov_error *err)
{
    if (!schema || !path)
        return smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER,
                                 "mof_compile_file needs a schema and a file path.");
    return compile_file(schema, path, default_namespace, 0, err);
}

/* An included file is found beside the including one unless absolute; it
 * starts in the includer's current namespace. */
smsprov_code mof_compile_include(mof_parser *p, const char *path)
{
    if (p->include_depth >= MOF_MAX_INCLUDE_DEPTH)
        return mof_fail(p, SMSPROV_E_INVALID_SYNTAX,
                        "#pragma include nests deeper than %d files; is a file including itself?",
                        MOF_MAX_INCLUDE_DEPTH);
    char *full;
    const char *slash = strrchr(p->file, '/');
    if (path[0] == '/' || !slash)
        full = cim_xstrdup(path);
    else
        full = cim_xasprintf("%.*s/%s", (int)(slash - p->file), p->file, path);
    smsprov_code rc = compile_file(p->schema, full, p->namespace_path, p->include_depth + 1,
                                   p->err);
    free(full);
    return rc;
}

static bool has_mof_extension(const char *name)
{
    size_t n = strlen(name);
    return n > 4 && cim_strcasecmp(name + n - 4, ".mof") == 0;
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void free_names(char **names, size_t count)
{
    for (size_t i = 0; i < count; i++)
        free(names[i]);
    free(names);
}

/* The *.mof regular files directly in dir, sorted by byte order. */
static smsprov_code list_mof_files(const char *dir, char ***out, size_t *count,
                                   smsprov_error *err)
{
    DIR *d = opendir(dir);
    if (!d)
        return smsprov_error_set(err, SMSPROV_E_NOT_FOUND, "Cannot open the MOF folder %s: %s.",
                                 dir, strerror(errno));
    char **names = NULL;
    size_t n = 0;
    struct dirent *entry;
    while ((entry = readdir(d)) != NULL) {
        if (!has_mof_extension(entry->d_name))
            continue;
        char *path = cim_xasprintf("%s/%s", dir, entry->d_name);
        struct stat st;
        if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
            names = cim_xrealloc(names, (n + 1) * sizeof *names);
            names[n++] = path;
        } else {
            free(path);
        }
    }
    closedir(d);
    qsort(names, n, sizeof *names, compare_names);
    *out = names;
    *count = n;
    return SMSPROV_OK;
}

smsprov_code mof_compile_dir(cim_schema *schema, const char *dir, const char *default_namespace,
                             smsprov_error *err)
{
    if (!schema || !dir)
        return smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER,
                                 "mof_compile_dir needs a schema and a folder.");
    char **paths = NULL;
    size_t count = 0;
    smsprov_code rc = list_mof_files(dir, &paths, &count, err);
    for (size_t i = 0; rc == SMSPROV_OK && i < count; i++)
        rc = compile_file(schema, paths[i], default_namespace, 0, err);
    free_names(paths, count);
    return rc;
}

smsprov_code mof_compile_schema(cim_schema *schema, const char *mof_dir,
                                const char *site_namespace, smsprov_error *err)
{
    if (!schema || !mof_dir)
        return smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER,
                                 "mof_compile_schema needs a schema and the mof folder.");
    char *system = cim_xasprintf("%s/system", mof_dir);
    struct stat st;
    smsprov_code rc = SMSPROV_OK;
    if (stat(system, &st) == 0 && S_ISDIR(st.st_mode))
        rc = mof_compile_dir(schema, system, site_namespace, err);
    free(system);
    if (rc == SMSPROV_OK)
        rc = mof_compile_dir(schema, mof_dir, site_namespace, err);
    return rc;
}
