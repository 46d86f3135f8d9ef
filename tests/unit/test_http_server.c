/* test_http_server.c - the HTTP server: routing, Basic authentication
 * against crypt(3) hashes, bounded bodies, keep-alive, quiesce. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "http/http.h"
#include "smsprov/cim.h"

#define SCRATCH SMSPROV_TEST_SCRATCH "/http"
/* "admin:secret" and "admin:wrong" in base64 */
#define GOOD_AUTH "Authorization: Basic YWRtaW46c2VjcmV0\r\n"
#define BAD_AUTH "Authorization: Basic YWRtaW46d3Jvbmc=\r\n"

static char *write_file(const char *name, const char *text)
{
    mkdir(SCRATCH, 0755);
    char *path = cim_xasprintf("%s/%s", SCRATCH, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    return path;
}

/* Echoes "user=<user> body=<body>" and the WSMANIDENTIFY header. */
static void echo_handler(void *data, const http_request *req, http_response *resp)
{
    (void)data;
    const char *hdr = http_request_header(req, "WSMANIDENTIFY");
    resp->content_type = "text/plain";
    resp->body = cim_xasprintf("user=%s body=%s hdr=%s", req->user ? req->user : "(none)",
                               req->body, hdr ? hdr : "(none)");
    resp->body_len = strlen(resp->body);
}

typedef struct fixture {
    http_users *users;
    http_server *server;
    char *users_path;
} fixture;

static int setup(void **state)
{
    fixture *f = cim_xcalloc(1, sizeof *f);
    char *hash = NULL;
    smsprov_error err = {0};
    if (http_password_hash("secret", &hash, &err) != SMSPROV_OK)
        return -1;
    char *text = cim_xasprintf("# users\n\nadmin:%s\n", hash);
    f->users_path = write_file("users", text);
    free(text);
    free(hash);
    if (http_users_load(f->users_path, &f->users, &err) != SMSPROV_OK)
        return -1;
    static const http_route routes[] = {
        {"/wsman", false, echo_handler, NULL},
        {"/open", true, echo_handler, NULL},
    };
    http_server_options opts = {.address = "127.0.0.1", .port = 0, .users = f->users,
                                .routes = routes, .route_count = 2, .max_request_bytes = 1024};
    if (http_server_start(&opts, &f->server, &err) != SMSPROV_OK) {
        fprintf(stderr, "%s\n", err.description);
        return -1;
    }
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    http_server_stop(f->server);
    http_users_free(f->users);
    free(f->users_path);
    free(f);
    return 0;
}

static int connect_to(unsigned port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

static const char *find_header(const char *text, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = text; *p; p++)
        if (strncasecmp(p, name, n) == 0)
            return p;
    return NULL;
}

/* Reads one response (headers and a Content-Length body). */
static char *read_response(int fd)
{
    cim_buf b = {0};
    char c[4096];
    for (;;) {
        const char *end = b.data ? strstr(b.data, "\r\n\r\n") : NULL;
        if (end) {
            const char *cl = find_header(b.data, "Content-Length:");
            size_t want = (size_t)(end + 4 - b.data) + (cl && cl < end ? strtoul(cl + 15, NULL, 10) : 0);
            if (b.len >= want)
                break;
        }
        ssize_t n = recv(fd, c, sizeof c, 0);
        if (n <= 0)
            break;
        cim_buf_append_n(&b, c, (size_t)n);
    }
    return cim_buf_take(&b);
}

static char *exchange(int fd, const char *method, const char *path, const char *headers,
                      const char *body)
{
    char *req = cim_xasprintf("%s %s HTTP/1.1\r\nHost: localhost\r\n%sContent-Length: %zu\r\n\r\n%s",
                              method, path, headers, strlen(body), body);
    send(fd, req, strlen(req), 0);
    free(req);
    return read_response(fd);
}

static char *request(fixture *f, const char *method, const char *path, const char *headers,
                     const char *body)
{
    int fd = connect_to(http_server_port(f->server));
    assert_true(fd >= 0);
    char *r = exchange(fd, method, path, headers, body);
    close(fd);
    return r;
}

static void assert_status(const char *resp, int status)
{
    char want[32];
    snprintf(want, sizeof want, "HTTP/1.1 %d ", status);
    if (strncmp(resp, want, strlen(want)) != 0)
        fail_msg("expected %d, got: %.200s", status, resp);
}

static void test_challenge_and_basic_auth(void **state)
{
    fixture *f = *state;
    char *r = request(f, "POST", "/wsman", "", "hello");
    assert_status(r, 401);
    assert_non_null(strstr(r, "WWW-Authenticate: Basic realm=\"WSMAN\""));
    free(r);
    r = request(f, "POST", "/wsman", BAD_AUTH, "hello");
    assert_status(r, 401);
    free(r);
    r = request(f, "POST", "/wsman", "Authorization: Negotiate TlRMTVNTUAAB\r\n", "");
    assert_status(r, 401);
    free(r);
    r = request(f, "POST", "/wsman", GOOD_AUTH, "hello");
    assert_status(r, 200);
    assert_non_null(strstr(r, "user=admin body=hello"));
    free(r);
    /* trailing slash, as omicli posts */
    r = request(f, "POST", "/wsman/", GOOD_AUTH "WSMANIDENTIFY: unauthenticated\r\n", "x");
    assert_status(r, 200);
    assert_non_null(strstr(r, "hdr=unauthenticated"));
    free(r);
}

static void test_anonymous_route(void **state)
{
    fixture *f = *state;
    char *r = request(f, "POST", "/open", "", "ping");
    assert_status(r, 200);
    assert_non_null(strstr(r, "user=(none) body=ping"));
    free(r);
    /* wrong credentials are refused even where anonymous calls are allowed */
    r = request(f, "POST", "/open", BAD_AUTH, "ping");
    assert_status(r, 401);
    free(r);
}

static void test_limits_methods_paths(void **state)
{
    fixture *f = *state;
    char big[2048];
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    char *r = request(f, "POST", "/wsman", GOOD_AUTH, big);
    assert_status(r, 413);
    free(r);
    r = request(f, "GET", "/wsman", GOOD_AUTH, "");
    assert_status(r, 405);
    assert_non_null(strstr(r, "Allow: POST"));
    free(r);
    r = request(f, "POST", "/nowhere", GOOD_AUTH, "");
    assert_status(r, 404);
    free(r);
}

static void test_keep_alive(void **state)
{
    fixture *f = *state;
    int fd = connect_to(http_server_port(f->server));
    for (int i = 0; i < 3; i++) {
        char *r = exchange(fd, "POST", "/wsman", GOOD_AUTH, "again");
        assert_status(r, 200);
        assert_non_null(strstr(r, "body=again"));
        free(r);
    }
    close(fd);
}

static void test_users_file_errors(void **state)
{
    (void)state;
    http_users *u = NULL;
    smsprov_error err = {0};
    char *p = write_file("bad1", "admin\n");
    assert_int_equal(http_users_load(p, &u, &err), SMSPROV_E_INVALID_PARAMETER);
    assert_non_null(strstr(err.description, "line 1"));
    free(p);
    p = write_file("bad2", "# old DES\nadmin:abJnggxhB/yWI\n");
    assert_int_equal(http_users_load(p, &u, &err), SMSPROV_E_INVALID_PARAMETER);
    assert_non_null(strstr(err.description, "line 2"));
    assert_non_null(strstr(err.description, "yescrypt"));
    free(p);
    char *hash = NULL;
    assert_int_equal(http_password_hash("pw", &hash, NULL), SMSPROV_OK);
    assert_true(strncmp(hash, "$y$", 3) == 0);
    char *text = cim_xasprintf("a:%s\na:%s\n", hash, hash);
    p = write_file("bad3", text);
    assert_int_equal(http_users_load(p, &u, &err), SMSPROV_E_INVALID_PARAMETER);
    assert_non_null(strstr(err.description, "twice"));
    free(p);
    free(text);
    assert_int_equal(http_users_load(SCRATCH "/none", &u, &err), SMSPROV_E_NOT_FOUND);
    assert_null(u);

    /* a SHA-512 hash works as well as yescrypt; the cache never accepts a
     * wrong password */
    text = cim_xasprintf("y:%s\ns:$6$saltsalt$pauPrmdmG4BTE9h2HPmywiw152IFch6BJCEsaY6D.PLTfpV8sqvXwWdyfsgVgozkYH9B80bAip/08R2BPH2xk/\n", hash);
    p = write_file("good", text);
    assert_int_equal(http_users_load(p, &u, &err), SMSPROV_OK);
    assert_int_equal(http_users_count(u), 2);
    assert_true(http_users_check(u, "y", "pw"));
    assert_true(http_users_check(u, "y", "pw"));
    assert_false(http_users_check(u, "y", "pw2"));
    assert_false(http_users_check(u, "nobody", "pw"));
    assert_true(http_users_check(u, "s", "pw"));
    assert_false(http_users_check(u, "s", "y"));
    http_users_free(u);
    free(p);
    free(text);
    free(hash);
    smsprov_error_clear(&err);
}

/* MHD's polling thread lets go of the listening socket asynchronously, so a
 * connect racing the quiesce may still complete (and is then served and
 * drained); within a bounded time every new connect must be refused. */
static bool refuses_connections(unsigned port, unsigned timeout_ms)
{
    for (unsigned waited = 0; waited <= timeout_ms; waited += 10) {
        int fd = connect_to(port);
        if (fd < 0)
            return true;
        close(fd);
        struct timespec pause = {.tv_sec = 0, .tv_nsec = 10 * 1000 * 1000};
        nanosleep(&pause, NULL);
    }
    return false;
}

static void test_bind_errors_and_quiesce(void **state)
{
    fixture *f = *state;
    smsprov_error err = {0};
    http_server *other = NULL;
    http_server_options opts = {.address = "127.0.0.1", .port = http_server_port(f->server),
                                .users = f->users};
    assert_int_equal(http_server_start(&opts, &other, &err), SMSPROV_E_ACCESS_DENIED);
    assert_non_null(strstr(err.description, "Cannot listen"));
    opts.address = "not an address";
    assert_int_equal(http_server_start(&opts, &other, &err), SMSPROV_E_INVALID_PARAMETER);
    opts.address = "127.0.0.1";
    opts.port = 0;
    opts.certificate_file = SCRATCH "/users";
    opts.key_file = SCRATCH "/users";
    assert_int_equal(http_server_start(&opts, &other, &err), SMSPROV_E_INVALID_PARAMETER);
    assert_non_null(strstr(err.description, "not PEM"));
    smsprov_error_clear(&err);

    unsigned port = http_server_port(f->server);
    assert_true(port > 0);
    http_server_quiesce(f->server);
    assert_true(http_server_drain(f->server, 1000));
    assert_true(refuses_connections(port, 1000));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_challenge_and_basic_auth),
        cmocka_unit_test(test_anonymous_route),
        cmocka_unit_test(test_limits_methods_paths),
        cmocka_unit_test(test_keep_alive),
        cmocka_unit_test(test_users_file_errors),
        cmocka_unit_test(test_bind_errors_and_quiesce),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
