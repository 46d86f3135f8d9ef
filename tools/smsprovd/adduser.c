/* adduser.c - writing the users file (name:yescrypt-hash lines) and the
 * NTLM user file (smbpasswd lines with the NT hash). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "http/http.h"
#include "smsprov/cim.h"
#include "smsprovd.h"

static char *read_password(void)
{
    bool tty = isatty(STDIN_FILENO);
    struct termios saved, quiet;
    if (tty) {
        fputs("Password: ", stderr);
        tcgetattr(STDIN_FILENO, &saved);
        quiet = saved;
        quiet.c_lflag &= ~(tcflag_t)ECHO;
        tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t n = getline(&line, &cap, stdin);
    if (tty) {
        tcsetattr(STDIN_FILENO, TCSANOW, &saved);
        fputs("\n", stderr);
    }
    if (n < 0) {
        free(line);
        return NULL;
    }
    while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
        line[--n] = '\0';
    return line;
}

static bool valid_name(const char *name)
{
    if (!*name)
        return false;
    for (const char *p = name; *p; p++)
        if (*p == ':' || *p == ' ' || *p == '\t' || *p == '#' || (unsigned char)*p < 0x20)
            return false;
    return true;
}

/* The file's lines without NAME's entry. */
static char *other_lines(const char *path, const char *name)
{
    cim_buf kept = {0};
    FILE *f = fopen(path, "r");
    if (!f)
        return cim_buf_take(&kept);
    char *line = NULL;
    size_t cap = 0, n = strlen(name);
    while (getline(&line, &cap, f) >= 0)
        if (!(strncmp(line, name, n) == 0 && line[n] == ':'))
            cim_buf_append(&kept, line);
    free(line);
    fclose(f);
    if (kept.len && kept.data[kept.len - 1] != '\n')
        cim_buf_append(&kept, "\n");
    return cim_buf_take(&kept);
}

/* The new file gets the old one's owner, group and mode, less anything for
 * others, so root adding a user to a service's file (root:smsprov 0640)
 * leaves it readable by the service; a new file gets 0600. */
static int keep_access(int fd, const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return fchmod(fd, 0600);
    if ((st.st_uid != geteuid() || st.st_gid != getegid()) && fchown(fd, st.st_uid, st.st_gid) != 0)
        return -1;
    return fchmod(fd, st.st_mode & 0770);
}

/* The users file's line: name:hash. */
static smsprov_code users_line(const char *name, const char *password, char **out,
                               smsprov_error *err)
{
    char *hash = NULL;
    smsprov_code rc = http_password_hash(password, &hash, err);
    *out = rc == SMSPROV_OK ? cim_xasprintf("%s:%s", name, hash) : NULL;
    free(hash);
    return rc;
}

/* Reads the password, makes NAME's line with make_line and writes the file
 * (keeping its access, see keep_access) with it in place of NAME's old line. */
static int add_line(const char *path, const char *name,
                    smsprov_code (*make_line)(const char *, const char *, char **,
                                              smsprov_error *))
{
    if (!valid_name(name)) {
        fprintf(stderr, "smsprovd: the user name \"%s\" may not be empty or contain ':', "
                        "'#' or blanks\n", name);
        return EXIT_USAGE;
    }
    char *password = read_password();
    if (!password || !*password) {
        fprintf(stderr, "smsprovd: no password given on standard input\n");
        free(password);
        return EXIT_FAILURE;
    }
    char *entry = NULL;
    smsprov_error err = {0};
    smsprov_code rc = make_line(name, password, &entry, &err);
    memset(password, 0, strlen(password));
    free(password);
    if (rc != SMSPROV_OK) {
        fprintf(stderr, "smsprovd: %s\n", err.description);
        smsprov_error_clear(&err);
        return EXIT_FAILURE;
    }
    char *text = other_lines(path, name);
    char *tmp = cim_xasprintf("%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    int status = EXIT_SUCCESS;
    if (!f || keep_access(fileno(f), path) != 0 || fprintf(f, "%s%s\n", text, entry) < 0 ||
        fclose(f) != 0 || rename(tmp, path) != 0) {
        fprintf(stderr, "smsprovd: cannot write %s: %s\n", path, strerror(errno));
        unlink(tmp);
        status = EXIT_FAILURE;
    }
    free(tmp);
    free(text);
    memset(entry, 0, strlen(entry));
    free(entry);
    return status;
}

int smsprovd_adduser(const char *path, const char *name)
{
    return add_line(path, name, users_line);
}

int smsprovd_ntlm_adduser(const char *path, const char *name)
{
    if (!strchr(name, '\\')) {
        fprintf(stderr, "smsprovd: write the NTLM user as DOMAIN\\NAME, the domain as Windows "
                        "users type it (e.g. LINUXHOST\\alice)\n");
        return EXIT_USAGE;
    }
    return add_line(path, name, http_ntlm_user_line);
}
