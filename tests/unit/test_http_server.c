/* test_http_server.c - the HTTP server: routing, Basic authentication
 * against crypt(3) hashes decided before the body is read, bounded bodies,
 * keep-alive, quiesce, HTTP framing, the login back-off, per-address
 * connection limits, header deadlines, TLS file checks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "http/backoff.h"
#include "http/http.h"
#include "smsprov/cim.h"
#include "test_fixture.h"

#define SCRATCH SMSPROV_TEST_SCRATCH "/http"
/* "admin:secret" and "admin:wrong" in base64 */
#define GOOD_AUTH "Authorization: Basic YWRtaW46c2VjcmV0\r\n"
#define BAD_AUTH "Authorization: Basic YWRtaW46d3Jvbmc=\r\n"

static char *write_file(const char *name, const char *text)
{
    char *path = cim_xasprintf("%s/%s", SCRATCH, name);
    fixture_write_text(path, text);
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

static bool append_arg(void *data, const char *name, const char *value)
{
    cim_buf_printf(data, "[%s=%s]", name, value);
    return true;
}

/* The /Rest prefix route: echoes the method, the path and the arguments. */
static void args_handler(void *data, const http_request *req, http_response *resp)
{
    (void)data;
    cim_buf b = {0};
    cim_buf_printf(&b, "%s %s ", req->method, req->path);
    http_request_args(req, append_arg, &b);
    resp->content_type = "text/plain";
    resp->body_len = b.len;
    resp->body = cim_buf_take(&b);
}

/* The /ident route reads anonymous requests only with this header. */
static bool wants_marker(void *data, const http_request *req)
{
    (void)data;
    const char *v = http_request_header(req, "X-Anonymous");
    return v && strcmp(v, "yes") == 0;
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
        {"/wsman", false, echo_handler, NULL, NULL, 0, false, false},
        {"/open", true, echo_handler, NULL, NULL, 0, false, false},
        {"/ident", true, echo_handler, NULL, wants_marker, 16, false, false},
        {"/Rest", false, args_handler, NULL, NULL, 0, true, true},
    };
    http_server_options opts = {.address = "127.0.0.1", .port = 0, .users = f->users,
                                .routes = routes, .route_count = 4, .max_request_bytes = 1024};
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

/* A connection from a chosen loopback address (127.0.0.2 ...), so one test
 * can play several clients. */
static int connect_from(const char *source, unsigned port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (source) {
        struct sockaddr_in b = {.sin_family = AF_INET};
        inet_pton(AF_INET, source, &b.sin_addr);
        if (bind(fd, (struct sockaddr *)&b, sizeof b) != 0) {
            close(fd);
            return -1;
        }
    }
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    struct timeval five = {.tv_sec = 5};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &five, sizeof five);
    if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

static int connect_to(unsigned port)
{
    return connect_from(NULL, port);
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

/* A prefix route owns everything under its path, in any case, takes every
 * method, and reads form-encoded arguments; credentials still come first. */
static void test_prefix_route(void **state)
{
    fixture *f = *state;
    char *r = request(f, "GET", "/rest/wmi/SMS_X('a%20b')?%24filter=Name+eq+%27x%27&$top=2",
                      GOOD_AUTH, "");
    assert_status(r, 200);
    assert_non_null(strstr(r, "GET /rest/wmi/SMS_X('a b') [$filter=Name eq 'x'][$top=2]"));
    free(r);
    r = request(f, "DELETE", "/Rest/x", GOOD_AUTH, "");
    assert_status(r, 200);
    free(r);
    r = request(f, "PATCH", "/Rest", GOOD_AUTH, "{}");
    assert_status(r, 200);
    free(r);
    r = request(f, "GET", "/Rest/x", "", "");
    assert_status(r, 401);
    free(r);
    r = request(f, "GET", "/Restless", GOOD_AUTH, "");
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

/* A reload puts the new file in force at once: the remembered login of a
 * password the new file dropped no longer passes, while the object every
 * listener holds stays the same. */
static void test_users_replace(void **state)
{
    (void)state;
    char *old_hash = NULL, *new_hash = NULL;
    assert_int_equal(http_password_hash("old", &old_hash, NULL), SMSPROV_OK);
    assert_int_equal(http_password_hash("new", &new_hash, NULL), SMSPROV_OK);
    char *text = cim_xasprintf("a:%s\nb:%s\n", old_hash, old_hash);
    char *p = write_file("replace1", text);
    free(text);
    http_users *u = NULL;
    assert_int_equal(http_users_load(p, &u, NULL), SMSPROV_OK);
    free(p);
    assert_true(http_users_check(u, "a", "old")); /* now remembered */
    text = cim_xasprintf("a:%s\n", new_hash);
    p = write_file("replace2", text);
    free(text);
    http_users *fresh = NULL;
    assert_int_equal(http_users_load(p, &fresh, NULL), SMSPROV_OK);
    free(p);
    http_users_replace(u, fresh);
    assert_int_equal(http_users_count(u), 1);
    assert_false(http_users_check(u, "a", "old"));
    assert_false(http_users_check(u, "b", "old"));
    assert_true(http_users_check(u, "a", "new"));
    http_users_free(u);
    free(old_hash);
    free(new_hash);
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


/* Sends raw request text on a fresh connection and reads the answer. */
static char *raw(unsigned port, const char *source, const char *text)
{
    int fd = connect_from(source, port);
    assert_true(fd >= 0);
    send(fd, text, strlen(text), MSG_NOSIGNAL);
    char *r = read_response(fd);
    close(fd);
    return r;
}

static double seconds_since(const struct timespec *start)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - start->tv_sec) + (double)(now.tv_nsec - start->tv_nsec) / 1e9;
}

/* Wrong or missing credentials are answered from the headers: the server
 * does not wait for (or read) the body they announce. */
static void test_refused_before_the_body(void **state)
{
    fixture *f = *state;
    unsigned port = http_server_port(f->server);
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    char *r = raw(port, NULL, "POST /wsman HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n");
    assert_status(r, 401);
    assert_non_null(strstr(r, "WWW-Authenticate: Basic"));
    free(r);
    r = raw(port, NULL, "POST /wsman HTTP/1.1\r\nHost: x\r\n" BAD_AUTH "Content-Length: 1000\r\n\r\n");
    assert_status(r, 401);
    free(r);
    /* anonymous where allowed, but without what the route asks for */
    r = raw(port, NULL, "POST /ident HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n");
    assert_status(r, 401);
    free(r);
    /* anonymous and accepted, but larger than the anonymous cap (16 here) */
    r = raw(port, NULL, "POST /ident HTTP/1.1\r\nHost: x\r\nX-Anonymous: yes\r\n"
                        "Content-Length: 500\r\n\r\n");
    assert_status(r, 401);
    free(r);
    assert_true(seconds_since(&start) < 3.0); /* none of them waited for a body */
    r = request(f, "POST", "/ident", "X-Anonymous: yes\r\n", "0123456789");
    assert_status(r, 200);
    assert_non_null(strstr(r, "user=(none) body=0123456789"));
    free(r);
    r = request(f, "POST", "/ident", GOOD_AUTH, "credentials lift the anonymous cap");
    assert_status(r, 200);
    free(r);
}

/* Framing the server must not guess at: unknown Transfer-Encoding is 501
 * at once, two different Content-Length values and a missing Host in
 * HTTP/1.1 are 400; M-POST (DSP0200's extension method) is 501 so a
 * CIM-XML client falls back to POST. */
static void test_http_framing(void **state)
{
    fixture *f = *state;
    unsigned port = http_server_port(f->server);
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    char *r = raw(port, NULL, "POST /wsman HTTP/1.1\r\nHost: x\r\n" GOOD_AUTH
                              "Transfer-Encoding: gzip\r\n\r\nabc");
    assert_status(r, 501);
    free(r);
    assert_true(seconds_since(&start) < 3.0);
    r = raw(port, NULL, "POST /wsman HTTP/1.1\r\nHost: x\r\n" GOOD_AUTH
                        "Content-Length: 5\r\nContent-Length: 50\r\n\r\nhello");
    assert_status(r, 400);
    free(r);
    r = raw(port, NULL, "POST /wsman HTTP/1.1\r\n" GOOD_AUTH "Content-Length: 5\r\n\r\nhello");
    assert_status(r, 400);
    free(r);
    r = raw(port, NULL, "M-POST /wsman HTTP/1.1\r\nHost: x\r\n" GOOD_AUTH
                        "Man: http://www.dmtf.org/cim/mapping/http/v1.0;ns=73\r\n"
                        "73-CIMOperation: MethodCall\r\nContent-Length: 5\r\n\r\nhello");
    assert_status(r, 501);
    free(r);
    /* what stays accepted: chunked, one Content-Length given twice alike,
     * HTTP/1.0 without Host */
    r = raw(port, NULL, "POST /wsman HTTP/1.1\r\nHost: x\r\n" GOOD_AUTH
                        "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
    assert_status(r, 200);
    assert_non_null(strstr(r, "body=hello"));
    free(r);
    r = raw(port, NULL, "POST /wsman HTTP/1.1\r\nHost: x\r\n" GOOD_AUTH
                        "Content-Length: 5\r\nContent-Length: 5\r\n\r\nhello");
    assert_status(r, 200);
    free(r);
    r = raw(port, NULL, "POST /wsman HTTP/1.0\r\n" GOOD_AUTH "Content-Length: 5\r\n\r\nhello");
    assert_non_null(strstr(r, " 200 "));
    free(r);
}

/* An unknown name costs what a known name with a wrong password costs. */
static void test_equal_cost_for_unknown_users(void **state)
{
    fixture *f = *state;
    double known = 0, unknown = 0;
    for (int i = 0; i < 5; i++) {
        struct timespec t;
        clock_gettime(CLOCK_MONOTONIC, &t);
        assert_false(http_users_check(f->users, "admin", "wrong password"));
        known += seconds_since(&t);
        clock_gettime(CLOCK_MONOTONIC, &t);
        assert_false(http_users_check(f->users, "nobody-here", "wrong password"));
        unknown += seconds_since(&t);
    }
    if (unknown < 0.5 * known)
        fail_msg("an unknown user costs %.2f ms, a wrong password %.2f ms", unknown * 200,
                 known * 200);
    assert_true(http_users_check(f->users, "admin", "secret"));
}

/* The back-off arithmetic, on a clock the test drives. */
static void test_backoff_windows(void **state)
{
    (void)state;
    http_backoff *b = http_backoff_new();
    http_backoff_configure(b, 16, 4);
    http_login_info info;
    int64_t t = 1000000;
    for (unsigned i = 1; i <= HTTP_BACKOFF_FREE_FAILURES; i++) {
        assert_false(http_backoff_refuses(b, "10.0.0.1", "admin", t, &info));
        http_backoff_failed(b, "10.0.0.1", "admin", t, &info);
        assert_int_equal(info.address_failures, i);
        assert_int_equal(info.wait_s, 0);
    }
    /* then 1, 2, 4, 8, 16, 16 s for the address; the user stops at 4 s */
    static const unsigned expect[] = {1, 2, 4, 8, 16, 16};
    for (size_t i = 0; i < sizeof expect / sizeof expect[0]; i++) {
        assert_false(http_backoff_refuses(b, "10.0.0.1", "admin", t, &info));
        http_backoff_failed(b, "10.0.0.1", "admin", t, &info);
        assert_int_equal(info.wait_s, expect[i]);
        assert_true(http_backoff_refuses(b, "10.0.0.1", "admin", t + 1, &info));
        assert_false(info.by_user);
        assert_true(info.first_refusal);
        assert_true(http_backoff_refuses(b, "10.0.0.1", "admin", t + 2, &info));
        assert_false(info.first_refusal); /* logged once per window */
        /* another address is held back by the user's window only */
        assert_true(http_backoff_refuses(b, "10.0.0.2", "admin", t + 1, &info));
        assert_true(info.by_user);
        assert_false(http_backoff_refuses(b, "10.0.0.2", "admin", t + 4001, &info));
        assert_false(http_backoff_refuses(b, "10.0.0.2", "other", t + 1, &info));
        t += (int64_t)expect[i] * 1000;
    }
    /* an address that logged in as admin before is not held by admin's window */
    http_backoff_succeeded(b, "10.0.0.3", "admin", t);
    for (int i = 0; i < 5; i++)
        http_backoff_failed(b, "10.0.0.4", "admin", t, &info);
    assert_true(http_backoff_refuses(b, "10.0.0.5", "admin", t + 1, &info));
    assert_false(http_backoff_refuses(b, "10.0.0.3", "admin", t + 1, &info));
    /* counts are forgotten 15 minutes after the last failure */
    http_backoff_failed(b, "10.0.0.1", "x", t, &info);
    assert_int_equal(info.wait_s, 16);
    assert_true(http_backoff_refuses(b, "10.0.0.1", "x", t + 1, &info));
    assert_false(http_backoff_refuses(b, "10.0.0.1", "x", t + 15 * 60 * 1000 + 1, &info));
    http_backoff_failed(b, "10.0.0.1", "x", t + 15 * 60 * 1000 + 2, &info);
    assert_int_equal(info.address_failures, 1);
    /* 0 turns a side off */
    http_backoff_configure(b, 0, 0);
    for (int i = 0; i < 10; i++)
        http_backoff_failed(b, "10.0.0.9", "y", t, &info);
    assert_false(http_backoff_refuses(b, "10.0.0.9", "y", t + 1, &info));
    http_backoff_free(b);
}

/* The back-off through the server: wrong passwords from 127.0.0.2 make
 * even the right one wait there, and from a new address while the user's
 * window runs, but not from where the user logged in before. */
static void test_backoff_over_http(void **state)
{
    fixture *f = *state;
    smsprov_error err = {0};
    http_users *users = NULL;
    assert_int_equal(http_users_load(f->users_path, &users, &err), SMSPROV_OK);
    http_users_set_backoff(users, 2, 2);
    smsprov_log *log = NULL;
    smsprov_log_options lo = {.file = SCRATCH "/backoff.log", .level = SMSPROV_LOG_INFO};
    unlink(lo.file);
    assert_int_equal(smsprov_log_open(&lo, &log, &err), SMSPROV_OK);
    static const http_route routes[] = {{"/wsman", false, echo_handler, NULL, NULL, 0, false, false}};
    http_server_options opts = {.address = "127.0.0.1", .users = users, .routes = routes,
                                .route_count = 1, .log = log};
    http_server *server = NULL;
    assert_int_equal(http_server_start(&opts, &server, &err), SMSPROV_OK);
    unsigned port = http_server_port(server);
    const char *good = "POST /wsman HTTP/1.1\r\nHost: x\r\n" GOOD_AUTH "Content-Length: 0\r\n\r\n";
    const char *bad = "POST /wsman HTTP/1.1\r\nHost: x\r\n" BAD_AUTH "Content-Length: 0\r\n\r\n";

    char *r = raw(port, "127.0.0.1", good); /* 127.0.0.1 becomes a known place */
    assert_status(r, 200);
    free(r);
    for (int i = 0; i < HTTP_BACKOFF_FREE_FAILURES + 1; i++) {
        r = raw(port, "127.0.0.2", bad);
        assert_status(r, 401);
        free(r);
    }
    r = raw(port, "127.0.0.2", good);
    assert_status(r, 401); /* the right password, refused unchecked */
    free(r);
    r = raw(port, "127.0.0.3", good);
    assert_status(r, 401); /* the user's window, from a new address */
    free(r);
    r = raw(port, "127.0.0.1", good);
    assert_status(r, 200); /* not from where admin worked before */
    free(r);
    struct timespec pause = {.tv_sec = 1, .tv_nsec = 200 * 1000 * 1000};
    nanosleep(&pause, NULL);
    r = raw(port, "127.0.0.2", good);
    assert_status(r, 200); /* a second later the window is over */
    free(r);
    http_server_stop(server);
    smsprov_log_close(log);
    http_users_free(users);
    char *text = fixture_slurp(lo.file, NULL);
    assert_non_null(strstr(text, "backing off: further logins from this address are refused"));
    assert_non_null(strstr(text, "Refused a login as \"admin\" from 127.0.0.2"));
    assert_non_null(strstr(text, "takes Basic authentication from this machine only"));
    free(text);
    smsprov_error_clear(&err);
}

/* One address gets a bounded share of the connections, and a request's
 * headers must arrive within the deadline however they trickle. */
static void test_slow_and_greedy_clients(void **state)
{
    fixture *f = *state;
    smsprov_error err = {0};
    static const http_route routes[] = {{"/wsman", false, echo_handler, NULL, NULL, 0, false, false}};
    http_server_options opts = {.address = "127.0.0.1", .users = f->users, .routes = routes,
                                .route_count = 1,
                                .limits = {.max_connections_per_address = 4,
                                           .header_timeout_s = 2}};
    http_server *server = NULL;
    assert_int_equal(http_server_start(&opts, &server, &err), SMSPROV_OK);
    unsigned port = http_server_port(server);
    int held[6];
    for (int i = 0; i < 6; i++) {
        held[i] = connect_from("127.0.0.2", port);
        assert_true(held[i] >= 0);
        send(held[i], "P", 1, MSG_NOSIGNAL);
    }
    /* past the fourth, the server closes them at once */
    char c;
    struct timeval one = {.tv_sec = 1};
    setsockopt(held[5], SOL_SOCKET, SO_RCVTIMEO, &one, sizeof one);
    ssize_t got = recv(held[5], &c, 1, 0);
    assert_true(got == 0 || (got < 0 && errno != EAGAIN && errno != EWOULDBLOCK));
    /* another address is served */
    char *r = raw(port, "127.0.0.1", "POST /wsman HTTP/1.1\r\nHost: x\r\n" GOOD_AUTH
                                     "Content-Length: 2\r\n\r\nok");
    assert_status(r, 200);
    free(r);
    /* a byte every 300 ms keeps an idle timer alive, not the deadline */
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    const char *line = "OST /wsman HTTP/1.1\r\nHost: x\r\n";
    bool closed = false;
    for (size_t i = 0; i < strlen(line) * 3 && !closed && seconds_since(&start) < 8; i++) {
        struct timespec pause = {.tv_sec = 0, .tv_nsec = 300 * 1000 * 1000};
        nanosleep(&pause, NULL);
        closed = send(held[0], &line[i % strlen(line)], 1, MSG_NOSIGNAL) < 0;
    }
    if (!closed) {
        setsockopt(held[0], SOL_SOCKET, SO_RCVTIMEO, &one, sizeof one);
        closed = recv(held[0], &c, 1, 0) == 0;
    }
    assert_true(closed);
    double took = seconds_since(&start);
    assert_true(took >= 1.5 && took < 6.0);
    for (int i = 0; i < 6; i++)
        close(held[i]);
    http_server_stop(server);
}

/* A private key others can read is refused with the chmod to run; a bad
 * priority string is named. */
static void test_tls_files_and_priorities(void **state)
{
    (void)state;
    smsprov_error err = {0};
    http_users *users = NULL;
    char *cert = write_file("cert.pem", "-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----\n");
    char *key = write_file("key.pem", "-----BEGIN PRIVATE KEY-----\nAA==\n-----END PRIVATE KEY-----\n");
    chmod(key, 0644);
    http_server_options opts = {.address = "127.0.0.1", .users = users,
                                .certificate_file = cert, .key_file = key};
    http_server *server = NULL;
    assert_int_equal(http_server_start(&opts, &server, &err), SMSPROV_E_INVALID_PARAMETER);
    assert_non_null(strstr(err.description, key));
    char *chmod_text = cim_xasprintf("chmod 600 %s", key);
    assert_non_null(strstr(err.description, chmod_text));
    free(chmod_text);
    chmod(key, 0640);
    assert_int_equal(http_server_start(&opts, &server, &err), SMSPROV_E_INVALID_PARAMETER);
    assert_non_null(strstr(err.description, "its group"));
    opts.limits.tls_priorities = "NORMAL:+NO-SUCH-THING";
    chmod(key, 0600);
    assert_int_equal(http_server_start(&opts, &server, &err), SMSPROV_E_INVALID_PARAMETER);
    assert_non_null(strstr(err.description, "NO-SUCH-THING"));
    free(cert);
    free(key);
    smsprov_error_clear(&err);
}

/* Basic over plain HTTP: from loopback and over TLS always, from other
 * machines only when the configuration opts in; the start-up sentence
 * says which. */
static void test_unencrypted_policy(void **state)
{
    (void)state;
    assert_true(http_address_is_loopback("127.0.0.1"));
    assert_true(http_address_is_loopback("127.8.9.10"));
    assert_true(http_address_is_loopback("::1"));
    assert_true(http_address_is_loopback("::ffff:127.0.0.1"));
    assert_false(http_address_is_loopback("10.1.2.3"));
    assert_false(http_address_is_loopback("0.0.0.0"));
    assert_false(http_address_is_loopback("::"));
    assert_false(http_address_is_loopback("fe80::1"));
    assert_false(http_address_is_loopback("::ffff:10.0.0.1"));
    assert_true(http_basic_allowed("127.0.0.1", false, false));
    assert_false(http_basic_allowed("192.168.1.20", false, false));
    assert_true(http_basic_allowed("192.168.1.20", true, false));
    assert_true(http_basic_allowed("192.168.1.20", false, true));
    char *t = http_unencrypted_policy_text("0.0.0.0", 5985, false);
    assert_non_null(strstr(t, "refuses Basic authentication from other machines"));
    assert_non_null(strstr(t, "allow_unencrypted = true"));
    free(t);
    t = http_unencrypted_policy_text("0.0.0.0", 5985, true);
    assert_non_null(strstr(t, "from every client"));
    free(t);
    t = http_unencrypted_policy_text("127.0.0.1", 5985, false);
    assert_non_null(strstr(t, "loopback"));
    free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_challenge_and_basic_auth),
        cmocka_unit_test(test_anonymous_route),
        cmocka_unit_test(test_limits_methods_paths),
        cmocka_unit_test(test_prefix_route),
        cmocka_unit_test(test_keep_alive),
        cmocka_unit_test(test_users_file_errors),
        cmocka_unit_test(test_users_replace),
        cmocka_unit_test(test_refused_before_the_body),
        cmocka_unit_test(test_http_framing),
        cmocka_unit_test(test_equal_cost_for_unknown_users),
        cmocka_unit_test(test_backoff_windows),
        cmocka_unit_test(test_backoff_over_http),
        cmocka_unit_test(test_slow_and_greedy_clients),
        cmocka_unit_test(test_tls_files_and_priorities),
        cmocka_unit_test(test_unencrypted_policy),
        cmocka_unit_test(test_bind_errors_and_quiesce),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
