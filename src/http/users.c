/* users.c - the users file and Basic credential checks with crypt(3). */
#include "http/http.h"
#include "http/backoff.h"

#include <crypt.h>
#include <errno.h>
#include <gnutls/crypto.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "smsprov/cim.h"

#define CACHE_SLOTS 64
#define CACHE_SECONDS 300
#define DIGEST_BYTES 32

typedef struct user_entry {
    char *name;
    char *hash;
} user_entry;

typedef struct cache_slot {
    unsigned char digest[DIGEST_BYTES];
    time_t expires; /* 0: empty */
} cache_slot;

/* The entries of one reading of the file.  A reload swaps in a new table
 * while checks may still be running on the old one, so each check holds a
 * reference and the last one out frees it: a check sees one file, never a
 * mix of two. */
typedef struct user_table {
    user_entry *entries;
    size_t count;
    char *dummy_hash; /* what an unknown name's password is checked against */
    unsigned refs;    /* under http_users.lock */
} user_table;

struct http_users {
    user_table *table; /* under lock */
    pthread_mutex_t lock;
    unsigned char key[DIGEST_BYTES]; /* HMAC key for the cache, random per process */
    cache_slot cache[CACHE_SLOTS];
    http_backoff *backoff;
};

static void add_entry(user_table *u, const char *name, const char *hash)
{
    u->entries = cim_xrealloc(u->entries, (u->count + 1) * sizeof *u->entries);
    u->entries[u->count].name = cim_xstrdup(name);
    u->entries[u->count].hash = cim_xstrdup(hash);
    u->count++;
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' ' || s[n - 1] == '\t'))
        s[--n] = '\0';
    return s;
}

static smsprov_code parse_line(user_table *u, const char *path, int line_no, char *line,
                               smsprov_error *err)
{
    char *text = trim(line);
    if (!*text || *text == '#')
        return SMSPROV_OK;
    char *colon = strchr(text, ':');
    if (!colon || colon == text)
        return smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER,
                                 "%s, line %d: expected `name:hash`; create entries with "
                                 "`smsprovd adduser %s NAME`.",
                                 path, line_no, path);
    *colon = '\0';
    const char *hash = colon + 1;
    if (crypt_checksalt(hash) != CRYPT_SALT_OK || hash[0] != '$')
        return smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER,
                                 "%s, line %d: the password hash of user %s is not a salted "
                                 "crypt(3) hash this system accepts (use yescrypt \"$y$\" or "
                                 "SHA-512 \"$6$\").",
                                 path, line_no, text);
    for (size_t i = 0; i < u->count; i++)
        if (strcmp(u->entries[i].name, text) == 0)
            return smsprov_error_set(err, SMSPROV_E_INVALID_PARAMETER,
                                     "%s, line %d: user %s is listed twice.", path, line_no,
                                     text);
    add_entry(u, text, hash);
    return SMSPROV_OK;
}

/* crypt_rn(password, setting) in a child process, the answer (or "" when
 * it fails) in out.  yescrypt at the default cost works in 16 MiB of
 * scratch memory: hashed here, every login (and the reference hash made at
 * start) would raise the server's peak memory by that much, more than a
 * whole streamed entity set of 10,000 costs.  The child only hashes and
 * writes through a pipe; if no child can be made, the hash is made here. */
static void crypt_apart(const char *password, const char *setting, char *out, size_t cap)
{
    out[0] = '\0';
    int fds[2];
    pid_t pid = pipe(fds) == 0 ? fork() : -1;
    if (pid == 0) {
        close(fds[0]);
        static struct crypt_data data; /* the child's own copy */
        const char *hash = crypt_rn(password, setting, &data, sizeof data);
        size_t n = hash ? strlen(hash) : 0, done = 0;
        while (done < n) {
            ssize_t w = write(fds[1], hash + done, n - done);
            if (w <= 0)
                break;
            done += (size_t)w;
        }
        _exit(done == n ? 0 : 1);
    }
    if (pid < 0) {
        struct crypt_data *data = cim_xcalloc(1, sizeof *data);
        const char *hash = crypt_rn(password, setting, data, sizeof *data);
        if (hash && strlen(hash) < cap)
            strcpy(out, hash);
        free(data);
        return;
    }
    close(fds[1]);
    size_t len = 0;
    for (;;) {
        ssize_t n = read(fds[0], out + len, cap - 1 - len);
        if (n > 0 && len + (size_t)n < cap - 1) {
            len += (size_t)n;
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n > 0) /* longer than any hash: refuse */
            len = 0;
        break;
    }
    close(fds[0]);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    out[WIFEXITED(status) && WEXITSTATUS(status) == 0 ? len : 0] = '\0';
}

/* A hash with the first user's method, cost and salt length but a random
 * password, so checking against it costs what checking a real entry does;
 * with no users, a yescrypt hash. */
static smsprov_code make_dummy_hash(user_table *u, smsprov_error *err)
{
    unsigned char random[24];
    char password[2 * sizeof random + 1];
    gnutls_rnd(GNUTLS_RND_NONCE, random, sizeof random);
    for (size_t i = 0; i < sizeof random; i++)
        snprintf(password + 2 * i, 3, "%02x", random[i]);
    char salt[CRYPT_GENSALT_OUTPUT_SIZE];
    const char *setting = u->count ? u->entries[0].hash
                                   : crypt_gensalt_rn("$y$", 0, NULL, 0, salt, sizeof salt);
    char hash[CRYPT_OUTPUT_SIZE];
    hash[0] = '\0';
    if (setting)
        crypt_apart(password, setting, hash, sizeof hash);
    if (hash[0] && hash[0] != '*')
        u->dummy_hash = cim_xstrdup(hash);
    if (!u->dummy_hash)
        return smsprov_error_set(err, SMSPROV_E_FAILED,
                                 "No reference password hash could be made (%s).",
                                 strerror(errno));
    return SMSPROV_OK;
}

static void table_free(user_table *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->count; i++) {
        free(t->entries[i].name);
        free(t->entries[i].hash);
    }
    free(t->entries);
    free(t->dummy_hash);
    free(t);
}

smsprov_code http_users_load(const char *path, http_users **out, smsprov_error *err)
{
    *out = NULL;
    FILE *f = fopen(path, "r");
    if (!f)
        return smsprov_error_set(err, SMSPROV_E_NOT_FOUND,
                                 "The users file %s cannot be read (%s); create it with "
                                 "`smsprovd adduser %s NAME`.",
                                 path, strerror(errno), path);
    user_table *t = cim_xcalloc(1, sizeof *t);
    t->refs = 1;
    char *line = NULL;
    size_t cap = 0;
    int line_no = 0;
    smsprov_code rc = SMSPROV_OK;
    while (rc == SMSPROV_OK && getline(&line, &cap, f) >= 0)
        rc = parse_line(t, path, ++line_no, line, err);
    free(line);
    fclose(f);
    if (rc == SMSPROV_OK)
        rc = make_dummy_hash(t, err);
    if (rc != SMSPROV_OK) {
        table_free(t);
        return rc;
    }
    http_users *u = cim_xcalloc(1, sizeof *u);
    pthread_mutex_init(&u->lock, NULL);
    gnutls_rnd(GNUTLS_RND_KEY, u->key, sizeof u->key);
    u->table = t;
    u->backoff = http_backoff_new();
    *out = u;
    return SMSPROV_OK;
}

void http_users_free(http_users *users)
{
    if (!users)
        return;
    table_free(users->table);
    http_backoff_free(users->backoff);
    pthread_mutex_destroy(&users->lock);
    free(users);
}

static user_table *table_hold(http_users *u)
{
    pthread_mutex_lock(&u->lock);
    user_table *t = u->table;
    t->refs++;
    pthread_mutex_unlock(&u->lock);
    return t;
}

static void table_release(http_users *u, user_table *t)
{
    pthread_mutex_lock(&u->lock);
    bool last = --t->refs == 0;
    pthread_mutex_unlock(&u->lock);
    if (last)
        table_free(t);
}

void http_users_replace(http_users *users, http_users *fresh)
{
    pthread_mutex_lock(&users->lock);
    user_table *old = users->table;
    users->table = fresh->table;
    fresh->table = NULL;
    /* A remembered login may be for a password the new file no longer has. */
    memset(users->cache, 0, sizeof users->cache);
    pthread_mutex_unlock(&users->lock);
    table_release(users, old);
    http_users_free(fresh);
}

size_t http_users_count(http_users *users)
{
    if (!users)
        return 0;
    pthread_mutex_lock(&users->lock);
    size_t n = users->table->count;
    pthread_mutex_unlock(&users->lock);
    return n;
}

static bool same_bytes(const void *a, const void *b, size_t n)
{
    const unsigned char *x = a, *y = b;
    unsigned char diff = 0;
    for (size_t i = 0; i < n; i++)
        diff |= (unsigned char)(x[i] ^ y[i]);
    return diff == 0;
}

static bool hash_matches(const char *password, const char *hash)
{
    char out[CRYPT_OUTPUT_SIZE];
    crypt_apart(password, hash, out, sizeof out);
    size_t n = strlen(hash);
    return out[0] && out[0] != '*' && strlen(out) == n && same_bytes(out, hash, n);
}

static void credential_digest(const http_users *u, const char *name, const char *password,
                              unsigned char digest[DIGEST_BYTES])
{
    cim_buf b = {0};
    cim_buf_append(&b, name);
    cim_buf_append_n(&b, "", 1); /* keep the NUL between name and password */
    cim_buf_append(&b, password);
    gnutls_hmac_fast(GNUTLS_MAC_SHA256, u->key, sizeof u->key, b.data, b.len, digest);
    cim_buf_clear(&b);
}

static bool cache_lookup(http_users *u, const unsigned char *digest, time_t now)
{
    bool hit = false;
    pthread_mutex_lock(&u->lock);
    for (int i = 0; i < CACHE_SLOTS && !hit; i++)
        hit = u->cache[i].expires > now && same_bytes(u->cache[i].digest, digest, DIGEST_BYTES);
    pthread_mutex_unlock(&u->lock);
    return hit;
}

/* Only while t is still the file in force: a check that began before a
 * reload must not leave the old password remembered after it. */
static void cache_store(http_users *u, const user_table *t, const unsigned char *digest,
                        time_t now)
{
    pthread_mutex_lock(&u->lock);
    if (u->table != t) {
        pthread_mutex_unlock(&u->lock);
        return;
    }
    int slot = 0;
    for (int i = 1; i < CACHE_SLOTS; i++)
        if (u->cache[i].expires < u->cache[slot].expires)
            slot = i;
    memcpy(u->cache[slot].digest, digest, DIGEST_BYTES);
    u->cache[slot].expires = now + CACHE_SECONDS;
    pthread_mutex_unlock(&u->lock);
}

static bool check_in(http_users *users, const user_table *t, const char *name,
                     const char *password)
{
    const user_entry *entry = NULL;
    for (size_t i = 0; i < t->count && !entry; i++)
        if (strcmp(t->entries[i].name, name) == 0)
            entry = &t->entries[i];
    if (!entry) {
        hash_matches(password, t->dummy_hash); /* the same cost as a wrong password */
        return false;
    }
    unsigned char digest[DIGEST_BYTES];
    credential_digest(users, name, password, digest);
    time_t now = time(NULL);
    if (cache_lookup(users, digest, now))
        return true;
    if (!hash_matches(password, entry->hash))
        return false;
    cache_store(users, t, digest, now);
    return true;
}

bool http_users_check(http_users *users, const char *name, const char *password)
{
    if (!users || !name || !password)
        return false;
    user_table *t = table_hold(users);
    bool ok = check_in(users, t, name, password);
    table_release(users, t);
    return ok;
}

void http_users_set_backoff(http_users *users, unsigned address_max_s, unsigned user_max_s)
{
    http_backoff_configure(users->backoff, address_max_s, user_max_s);
}

static int64_t now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000 + 1; /* never 0 */
}

http_login_result http_users_login(http_users *users, const char *name, const char *password,
                                   const char *address, http_login_info *info)
{
    http_login_info scratch;
    info = info ? info : &scratch;
    const char *who = name ? name : "";
    if (http_backoff_refuses(users->backoff, address, who, now_ms(), info))
        return HTTP_LOGIN_BACKING_OFF;
    if (!http_users_check(users, name, password)) {
        http_backoff_failed(users->backoff, address, who, now_ms(), info);
        return HTTP_LOGIN_FAILED;
    }
    http_backoff_succeeded(users->backoff, address, who, now_ms());
    return HTTP_LOGIN_OK;
}

bool http_users_backoff_refuses(http_users *users, const char *address, const char *name,
                                http_login_info *info)
{
    http_login_info scratch;
    return http_backoff_refuses(users->backoff, address, name, now_ms(), info ? info : &scratch);
}

void http_users_backoff_record(http_users *users, const char *address, const char *name,
                               bool success, http_login_info *info)
{
    http_login_info scratch;
    if (success)
        http_backoff_succeeded(users->backoff, address, name, now_ms());
    else
        http_backoff_failed(users->backoff, address, name, now_ms(), info ? info : &scratch);
}

smsprov_code http_password_hash(const char *password, char **out, smsprov_error *err)
{
    *out = NULL;
    char salt[CRYPT_GENSALT_OUTPUT_SIZE];
    if (!crypt_gensalt_rn("$y$", 0, NULL, 0, salt, sizeof salt))
        return smsprov_error_set(err, SMSPROV_E_FAILED,
                                 "No random salt could be made for the password hash (%s).",
                                 strerror(errno));
    struct crypt_data *data = cim_xcalloc(1, sizeof *data);
    const char *hash = crypt_rn(password, salt, data, sizeof *data);
    smsprov_code rc = SMSPROV_OK;
    if (!hash || hash[0] == '*')
        rc = smsprov_error_set(err, SMSPROV_E_FAILED, "The password could not be hashed.");
    else
        *out = cim_xstrdup(hash);
    free(data);
    return rc;
}
