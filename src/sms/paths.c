/* paths.c - mapping client Windows paths through the site's shares. */
#include "sms/paths.h"

#include <stdlib.h>
#include <string.h>

#include "osd/inject_path.h"
#include "platform/platform.h"

static bool is_separator(char c)
{
    return c == '\\' || c == '/';
}

/* Length of prefix without trailing separators (but keeping a lone "\\"). */
static size_t trimmed_length(const char *prefix)
{
    size_t n = strlen(prefix);
    while (n > 1 && is_separator(prefix[n - 1]))
        n--;
    return n;
}

static char fold(char c)
{
    if (is_separator(c))
        return '\\';
    return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

/* How much of path the share prefix covers (0: it does not), matching
 * whole components only. */
static size_t prefix_match(const char *path, const char *prefix)
{
    size_t n = trimmed_length(prefix);
    if (n == 0)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (path[i] == '\0' || fold(path[i]) != fold(prefix[i]))
            return 0;
    return path[n] == '\0' || is_separator(path[n]) || is_separator(prefix[n - 1]) ? n : 0;
}

static const smsprov_share *find_share(const smsprov_site *site, const char *path,
                                       size_t *matched)
{
    const smsprov_share *best = NULL;
    *matched = 0;
    for (size_t i = 0; i < site->share_count; i++) {
        size_t n = prefix_match(path, site->shares[i].unc_prefix);
        if (n > *matched) {
            *matched = n;
            best = &site->shares[i];
        }
    }
    return best;
}

/* Refuses the path with a sentence (taken over and freed). */
static smsprov_code refuse(smsprov_error *err, const char *property, char *sentence)
{
    smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER, "%s", sentence);
    smsprov_error_set_parameter(err, property);
    free(sentence);
    return SMSPROV_E_INVALID_PARAMETER;
}

static char *share_list(const smsprov_site *site)
{
    if (site->share_count == 0)
        return cim_xstrdup("this server maps no shares (configure them with --share "
                           "'\\\\server\\share=/local/folder')");
    cim_buf b = {0};
    cim_buf_append(&b, "the shares are ");
    for (size_t i = 0; i < site->share_count; i++)
        cim_buf_printf(&b, "%s%s", i ? ", " : "", site->shares[i].unc_prefix);
    return cim_buf_take(&b);
}

/* Every component must be a plain name. */
static smsprov_code check_components(const char *rest, const char *property, const char *path,
                                     smsprov_error *err)
{
    const char *cursor = rest, *p;
    size_t n;
    while ((p = osd_path_next_component(&cursor, &n)) != NULL) {
        if (n == 2 && p[0] == '.' && p[1] == '.')
            return refuse(err, property,
                          cim_xasprintf("%s %s climbs out of its share with \"..\"; name the "
                                        "file without \"..\".",
                                        property, path));
        for (size_t i = 0; i < n; i++)
            if ((unsigned char)p[i] < 0x20 || p[i] == ':')
                return refuse(err, property,
                              cim_xasprintf("%s %s holds a control character or ':' in a "
                                            "file name; Windows file names cannot hold them.",
                                            property, path));
    }
    return SMSPROV_OK;
}

/* The share's folder joined with rest: components that exist take their
 * spelling on disk, the rest (not created yet) are kept as written. */
static char *join_local(const char *local_dir, const char *rest)
{
    char *path = cim_xstrdup(local_dir);
    size_t len = strlen(path);
    while (len > 1 && platform_is_separator(path[len - 1]))
        path[--len] = '\0';
    bool exists = true;
    const char *cursor = rest, *name;
    size_t n;
    while ((name = osd_path_next_component(&cursor, &n)) != NULL) {
        char *component = cim_xasprintf("%.*s", (int)n, name);
        char *next = NULL;
        if (strcmp(component, ".") == 0) {
            free(component);
            continue;
        }
        if (exists && osd_path_resolve(path, component, &next, NULL, NULL) != SMSPROV_OK) {
            free(next);
            next = NULL;
            exists = false;
        }
        if (!next)
            next = cim_xasprintf("%s/%s", path, component);
        free(component);
        free(path);
        path = next;
    }
    return path;
}

static bool inside(const char *path, const char *dir)
{
    size_t n = strlen(dir);
    return strncmp(path, dir, n) == 0 &&
           (path[n] == '\0' || platform_is_separator(path[n]) ||
            (n > 0 && platform_is_separator(dir[n - 1])));
}

static size_t folder_length(const char *dir)
{
    size_t n = strlen(dir);
    while (n > 1 && platform_is_separator(dir[n - 1]))
        n--;
    return n;
}

/* A link on the way: where it leads must lie inside the share. */
static smsprov_code check_link(const smsprov_site *site, const char *link, const char *real_dir,
                               const char *property, const char *windows_path,
                               smsprov_error *err)
{
    char *real = platform_real_path(link);
    bool ok = real && inside(real, real_dir);
    free(real);
    if (ok)
        return SMSPROV_OK;
    char *shown = sms_path_for_client(site, link);
    smsprov_code rc =
        refuse(err, property,
               real ? cim_xasprintf("%s %s leads out of its share through the symbolic link %s; "
                                    "use a path inside the share.",
                                    property, windows_path, shown)
                    : cim_xasprintf("%s %s goes through the symbolic link %s, which leads to "
                                    "nothing that exists; fix or remove the link.",
                                    property, windows_path, shown));
    free(shown);
    return rc;
}

/* Every component of local below the share's folder that exists and is a
 * symbolic link must resolve inside the share.  Checking each link's fully
 * resolved target covers links through links; what does not exist yet
 * ends the walk, since nothing can be reached below it. */
static smsprov_code check_links(const smsprov_site *site, const char *local,
                                const char *local_dir, const char *property,
                                const char *windows_path, smsprov_error *err)
{
    char *real_dir = platform_real_path(local_dir);
    if (!real_dir)
        return SMSPROV_OK; /* the share folder is missing: nothing below it exists */
    smsprov_code rc = SMSPROV_OK;
    size_t start = folder_length(local_dir);
    char *prefix = cim_xstrdup(local);
    for (size_t i = start; rc == SMSPROV_OK; i++) {
        char c = local[i];
        if (i > start && (c == '\0' || platform_is_separator(c))) {
            prefix[i] = '\0';
            if (platform_is_link(prefix))
                rc = check_link(site, prefix, real_dir, property, windows_path, err);
            else if (!platform_exists_nofollow(prefix))
                break;
            prefix[i] = c;
        }
        if (c == '\0')
            break;
    }
    free(prefix);
    free(real_dir);
    return rc;
}

smsprov_code sms_path_resolve(const smsprov_site *site, const char *windows_path,
                              const char *property, sms_path_use use, char **out,
                              char **share_root, smsprov_error *err)
{
    *out = NULL;
    if (share_root)
        *share_root = NULL;
    if (!windows_path || !*windows_path)
        return refuse(err, property,
                      cim_xasprintf("%s is empty; give the Windows path of the file, such as "
                                    "\\\\server\\share\\boot.wim.",
                                    property));
    size_t matched = 0;
    const smsprov_share *share = find_share(site, windows_path, &matched);
    if (!share) {
        char *shares = share_list(site);
        smsprov_code rc = refuse(err, property,
                                 cim_xasprintf("%s %s is outside every share this server "
                                               "maps; %s.",
                                               property, windows_path, shares));
        free(shares);
        return rc;
    }
    const char *rest = windows_path + matched;
    smsprov_code rc = check_components(rest, property, windows_path, err);
    if (rc != SMSPROV_OK)
        return rc;
    char *local = join_local(share->local_dir, rest);
    rc = check_links(site, local, share->local_dir, property, windows_path, err);
    if (rc != SMSPROV_OK) {
        free(local);
        return rc;
    }
    if (use == SMS_PATH_WRITE && platform_is_link(local)) {
        /* The link leads inside (checked above): write what it names. */
        char *target = platform_real_path(local);
        free(local);
        if (!target) /* changed since the check */
            return refuse(err, property,
                          cim_xasprintf("%s %s is a symbolic link that changed while it was "
                                        "checked; try again.",
                                        property, windows_path));
        local = target;
    }
    *out = local;
    if (share_root)
        *share_root = cim_xstrdup(share->local_dir);
    return SMSPROV_OK;
}

smsprov_code sms_path_to_local(const smsprov_site *site, const char *windows_path,
                               const char *property, char **out, smsprov_error *err)
{
    return sms_path_resolve(site, windows_path, property, SMS_PATH_READ, out, NULL, err);
}

char *sms_path_for_client(const smsprov_site *site, const char *local_path)
{
    const smsprov_share *best = NULL;
    size_t best_len = 0;
    for (size_t i = 0; i < site->share_count; i++) {
        const char *dir = site->shares[i].local_dir;
        size_t n = strlen(dir);
        while (n > 1 && platform_is_separator(dir[n - 1]))
            n--;
        if (n > best_len && strncmp(local_path, dir, n) == 0 &&
            (local_path[n] == '\0' || platform_is_separator(local_path[n]))) {
            best = &site->shares[i];
            best_len = n;
        }
    }
    if (!best)
        return cim_xstrdup(local_path);
    cim_buf b = {0};
    cim_buf_append_n(&b, best->unc_prefix, trimmed_length(best->unc_prefix));
    for (const char *p = local_path + best_len; *p; p++)
        cim_buf_append_n(&b, platform_is_separator(*p) ? "\\" : p, 1);
    return cim_buf_take(&b);
}

/* ---- scrubbing texts ----------------------------------------------------- */

/* Where the local path starting at p (just after a share folder) ends. */
static size_t path_tail_length(const char *p)
{
    size_t i = 0;
    for (;; i++) {
        char c = p[i], next = c ? p[i + 1] : '\0';
        if (c == '\0' || c == '\n' || c == '\r' || c == '"' || c == '\'' || c == ')' ||
            c == '(' || c == '\t')
            return i;
        if ((c == ',' || c == ';' || c == ':' || c == '.') && (next == ' ' || next == '\0' ||
                                                              next == '\n'))
            return i;
        if (c == ' ') {
            size_t w = i + 1;
            while (p[w] && p[w] != ' ' && p[w] != '/')
                w++;
            if (p[w] != '/')
                return i;
        }
    }
}

/* The share whose local folder (as configured or as resolved) text
 * starts with, the longest; *length is how much of text it covers. */
static const smsprov_share *share_at(const smsprov_site *site, char *const *real_dirs,
                                     const char *text, size_t *length)
{
    const smsprov_share *best = NULL;
    *length = 0;
    for (size_t i = 0; i < site->share_count; i++) {
        const char *forms[2] = {site->shares[i].local_dir, real_dirs[i]};
        for (size_t f = 0; f < 2; f++) {
            if (!forms[f])
                continue;
            size_t n = folder_length(forms[f]);
            /* The folder's whole name, not the start of a longer one
             * (strchr finds '\0' too). */
            if (n > 1 && n > *length && strncmp(text, forms[f], n) == 0 &&
                strchr("/\\ .,;:)\"'\n", text[n]) != NULL) {
                best = &site->shares[i];
                *length = n;
            }
        }
    }
    return best;
}

char *sms_path_scrub(const smsprov_site *site, const char *text)
{
    if (!text)
        return NULL;
    char **real_dirs = cim_xcalloc(site->share_count ? site->share_count : 1, sizeof *real_dirs);
    for (size_t i = 0; i < site->share_count; i++)
        real_dirs[i] = platform_real_path(site->shares[i].local_dir);
    cim_buf b = {0};
    for (const char *p = text; *p;) {
        size_t n = 0;
        /* A share folder starts a path only where a word starts. */
        bool word_start = p == text || p[-1] == ' ' || p[-1] == '"' || p[-1] == '\'' ||
                          p[-1] == '(' || p[-1] == '\n' || p[-1] == '\t' || p[-1] == '=';
        const smsprov_share *share = word_start ? share_at(site, real_dirs, p, &n) : NULL;
        if (!share) {
            cim_buf_append_n(&b, p++, 1);
            continue;
        }
        cim_buf_append_n(&b, share->unc_prefix, trimmed_length(share->unc_prefix));
        p += n;
        size_t tail = path_tail_length(p);
        for (size_t i = 0; i < tail; i++, p++)
            cim_buf_append_n(&b, platform_is_separator(*p) ? "\\" : p, 1);
    }
    for (size_t i = 0; i < site->share_count; i++)
        free(real_dirs[i]);
    free(real_dirs);
    return cim_buf_take(&b);
}

const char *sms_path_scrub_again(sms_path_scrubber *s, const char *text)
{
    if (!text)
        return NULL;
    if (!s->text || strcmp(s->text, text) != 0) {
        sms_path_scrubber_clear(s);
        s->text = cim_xstrdup(text);
        s->clean = sms_path_scrub(s->site, text);
    }
    return s->clean;
}

void sms_path_scrubber_clear(sms_path_scrubber *s)
{
    free(s->text);
    free(s->clean);
    s->text = s->clean = NULL;
}

void sms_path_scrub_error(const smsprov_site *site, smsprov_error *err)
{
    if (!err || !err->description)
        return;
    char *clean = sms_path_scrub(site, err->description);
    free(err->description);
    err->description = clean;
}
