/* harness_text.c - UTF-8/UTF-16 conversion and Unix-to-Windows paths for
 * the harness (Wine shows the Unix root as drive Z:). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

wchar_t *harness_wide(const char *utf8)
{
    if (!utf8)
        return NULL;
    int n = MultiByteToWideChar(CP_UTF8, 0, utf8, -1, NULL, 0);
    wchar_t *out = cim_xmalloc((size_t)n * sizeof *out);
    MultiByteToWideChar(CP_UTF8, 0, utf8, -1, out, n);
    return out;
}

char *harness_utf8(const wchar_t *wide)
{
    if (!wide)
        return NULL;
    int n = WideCharToMultiByte(CP_UTF8, 0, wide, -1, NULL, 0, NULL, NULL);
    char *out = cim_xmalloc((size_t)n);
    WideCharToMultiByte(CP_UTF8, 0, wide, -1, out, n, NULL, NULL);
    return out;
}

char *harness_windows_path(const char *path)
{
    char *out = path[0] == '/' ? cim_xasprintf("Z:%s", path) : cim_xstrdup(path);
    for (char *c = out; *c; c++)
        if (*c == '/')
            *c = '\\';
    return out;
}

const char *harness_required_env(const char *name)
{
    const char *value = getenv(name);
    if (!value || !*value) {
        fprintf(stderr,
                "The environment variable %s is not set; run this test through ctest "
                "(tests/windows/CMakeLists.txt sets it).\n",
                name);
        exit(2);
    }
    return value;
}
