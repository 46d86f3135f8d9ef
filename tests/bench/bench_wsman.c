/* bench_wsman.c - smsprovd's WS-Management door under load, on loopback:
 *
 *   1. Enumerate + Pull of N SMS_BootImagePackage instances (as
 *      Get-CimInstance does: MaxElements 32000, MaxEnvelopeSize 512000):
 *      instances per second, and the server's peak RSS (VmHWM);
 *   2. Get of a random package by 32 keep-alive clients for S seconds:
 *      requests per second, p50 and p99 latency;
 *   3. QueryOSDBinaryInjectionStatus p50/p99 while four boot image
 *      injections (RefreshPkgSource of 64 MB images) run;
 *   4. the same Enumerate+Pull through a client that writes headers and
 *      body in two segments without TCP_NODELAY, 102,400-byte envelopes;
 *   5. 1,000 enumeration contexts opened and never pulled: the server's RSS,
 *      then each context's first Pull, and CHECK of them pulled to the end;
 *   6. the first batch of an Enumerate over BIG instances (a second site):
 *      MaxElements 1, and a full 512,000-byte first batch.
 *
 * Usage: bench_wsman SMSPROVD MKWINPE WORKDIR [N=10000] [SECONDS=30]
 *                    [BIG=100000] [CHECK=20] [--no-injections]
 * The sites, users file and images are made in WORKDIR, which is wiped.
 * Packages beyond the first are copies written straight into the store in
 * one transaction (a put each would take minutes). */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "http/http.h"
#include "sms/site.h"
#include "smsprov/provider.h"

extern char **environ;

#define AUTH "Authorization: Basic YmVuY2g6YmVuY2g=\r\n" /* bench:bench */
#define CLIENTS 32
#define CONTEXTS 1000
#define INJECTIONS 4
#define URI "http://schemas.microsoft.com/wbem/wscim/1/cim-schema/2/SMS_BootImagePackage"

static const char *workdir;
static unsigned port;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what, const char *detail)
{
    fprintf(stderr, "bench_wsman: %s: %s\n", what, detail ? detail : "failed");
    exit(1);
}

static void run(const char *cmd)
{
    if (system(cmd) != 0)
        die("command failed", cmd);
}

/* ---- a minimal keep-alive HTTP client -------------------------------------- */

/* nodelay false: a client that leaves Nagle on, as omicli does; post() then
 * sends the headers and the body as two segments. */
static int connect_client(bool nodelay)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0)
        die("connect", "is smsprovd running?");
    int on = nodelay ? 1 : 0;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
    return fd;
}

static int connect_server(void)
{
    return connect_client(true);
}

/* Posts body; returns the HTTP status and the answer in *out (reused buffer). */
static int post(int fd, const char *body, cim_buf *out)
{
    char head[512];
    int n = snprintf(head, sizeof head,
                     "POST /wsman HTTP/1.1\r\nHost: 127.0.0.1\r\n" AUTH
                     "Content-Type: application/soap+xml;charset=UTF-8\r\nContent-Length: %zu\r\n\r\n",
                     strlen(body));
    if (send(fd, head, (size_t)n, MSG_NOSIGNAL) < 0 || send(fd, body, strlen(body), MSG_NOSIGNAL) < 0)
        die("send", NULL);
    out->len = 0;
    char chunk[65536];
    size_t header_end = 0, want = 0;
    for (;;) {
        ssize_t got = recv(fd, chunk, sizeof chunk, 0);
        if (got <= 0)
            die("recv", "the server closed the connection");
        cim_buf_append_n(out, chunk, (size_t)got);
        if (!header_end) {
            char *end = strstr(out->data, "\r\n\r\n");
            if (!end)
                continue;
            header_end = (size_t)(end - out->data) + 4;
            for (char *p = out->data; p < end; p++)
                if (strncasecmp(p, "\r\nContent-Length:", 17) == 0)
                    want = strtoul(p + 17, NULL, 10);
        }
        if (out->len >= header_end + want)
            break;
    }
    return atoi(out->data + 9);
}

static unsigned envelope_size = 512000;

static char *envelope(const char *action, const char *uri, const char *selectors,
                      const char *body)
{
    return cim_xasprintf(
        "<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\" "
        "xmlns:a=\"http://schemas.xmlsoap.org/ws/2004/08/addressing\" "
        "xmlns:w=\"http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd\" "
        "xmlns:n=\"http://schemas.xmlsoap.org/ws/2004/09/enumeration\"><s:Header>"
        "<a:To>http://127.0.0.1/wsman</a:To><w:ResourceURI s:mustUnderstand=\"true\">%s"
        "</w:ResourceURI><a:ReplyTo><a:Address s:mustUnderstand=\"true\">http://schemas."
        "xmlsoap.org/ws/2004/08/addressing/role/anonymous</a:Address></a:ReplyTo>"
        "<a:Action s:mustUnderstand=\"true\">%s</a:Action><w:MaxEnvelopeSize "
        "s:mustUnderstand=\"true\">%u</w:MaxEnvelopeSize><a:MessageID>uuid:B0000000-0000-"
        "0000-0000-000000000001</a:MessageID><w:SelectorSet><w:Selector Name=\"__cimnamespace\">"
        "root/sms/site_LAB</w:Selector>%s</w:SelectorSet><w:OperationTimeout>PT180.000S"
        "</w:OperationTimeout></s:Header><s:Body>%s</s:Body></s:Envelope>",
        uri, action, envelope_size, selectors, body);
}

static size_t count(const char *text, const char *needle)
{
    size_t n = 0;
    for (const char *p = strstr(text, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

/* The text between <tag> and </tag>, copied into out. */
static void between(const char *text, const char *open, char *out, size_t size)
{
    const char *p = strstr(text, open);
    out[0] = '\0';
    if (!p)
        return;
    p += strlen(open);
    const char *e = strchr(p, '<');
    snprintf(out, size, "%.*s", (int)(e - p), p);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double percentile(double *v, size_t n, double p)
{
    qsort(v, n, sizeof *v, cmp_double);
    return n ? v[(size_t)((double)(n - 1) * p)] : 0;
}

/* ---- the site and the server ----------------------------------------------- */

/* One package made by the provider, then n - 1 copies of it with their own
 * PackageID and Name in one transaction, and the PackageID counter moved
 * past them. */
static void seed(const char *dir, long n)
{
    char *db = cim_xasprintf("%s/site.db", dir);
    smsprov_site_config config = {.database_path = db};
    smsprov_site *site = NULL;
    smsprov_error err = {0};
    if (smsprov_site_open(&config, &site, &err) != SMSPROV_OK)
        die("open the site", err.description);
    const cim_class *cls = NULL;
    smsprov_get_class(site, NULL, "SMS_BootImagePackage", &cls, NULL);
    cim_instance *inst = cim_instance_new(cls);
    cim_instance_set_string(inst, "Name", "Boot image 0 (x64)", NULL);
    cim_instance_set_string(inst, "Description", "created by bench_wsman", NULL);
    char *path = NULL;
    if (smsprov_put(site, NULL, inst, SMSPROV_PUT_CREATE_ONLY, NULL, &path, &err) != SMSPROV_OK)
        die("create", err.description);
    cim_instance_free(inst);
    if (smsprov_get(site, NULL, path, &inst, &err) != SMSPROV_OK)
        die("get", err.description);
    free(path);
    store_txn *txn = NULL;
    if (store_begin(site->store, true, &txn, &err) != SMSPROV_OK)
        die("begin", err.description);
    for (long i = 1; i < n; i++) {
        uint64_t number = 0;
        if (store_next_counter(txn, "PackageID.LAB", &number, &err) != SMSPROV_OK)
            die("counter", err.description);
        char id[16], name[64];
        snprintf(id, sizeof id, "LAB%05lX", (unsigned long)number);
        snprintf(name, sizeof name, "Boot image %ld (x64)", i);
        cim_instance_set_string(inst, "PackageID", id, NULL);
        cim_instance_set_string(inst, "Name", name, NULL);
        if (store_insert(txn, inst, &err) != SMSPROV_OK)
            die("insert", err.description);
    }
    if (store_commit(txn, &err) != SMSPROV_OK)
        die("commit", err.description);
    cim_instance_free(inst);
    smsprov_site_close(site);
    free(db);
}

static pid_t start_server(const char *smsprovd, const char *dir)
{
    port = 0;
    char *hash = NULL;
    if (http_password_hash("bench", &hash, NULL) != SMSPROV_OK)
        die("hash", NULL);
    char *path = cim_xasprintf("%s/users", dir);
    FILE *f = fopen(path, "w");
    fprintf(f, "bench:%s\n", hash);
    fclose(f);
    free(path);
    free(hash);
    path = cim_xasprintf("%s/smsprovd.ini", dir);
    f = fopen(path, "w");
    fprintf(f, "[site]\ndatabase = site.db\nfirst_admin = bench\nworkers = %d\nadk_root = inputs/adk\n"
               "configmgr_root = inputs/configmgr\n[shares]\n\\\\bench\\share = share\n"
               "[http]\nport = 0\n[auth]\nusers_file = users\n[log]\nfile = SMSProv.log\n"
               "level = warning\nstderr = false\n[server]\nmax_connections = 128\n"
               "max_enumerations = %d\nmax_enumerations_per_user = %d\n",
            INJECTIONS, 2 * CONTEXTS, CONTEXTS + 10);
    fclose(f);
    char *ports = cim_xasprintf("%s/ports", dir);
    unlink(ports);
    char *argv[] = {(char *)smsprovd, "--config", path, "--port-file", ports, NULL};
    pid_t pid;
    if (posix_spawn(&pid, smsprovd, NULL, NULL, argv, environ) != 0)
        die("spawn", smsprovd);
    for (int i = 0; i < 600 && !port; i++) {
        usleep(100000);
        f = fopen(ports, "r");
        if (f && fscanf(f, "http=%u", &port) != 1)
            port = 0;
        if (f)
            fclose(f);
    }
    if (!port)
        die("smsprovd did not start", path);
    free(path);
    free(ports);
    return pid;
}

static long status_kb(pid_t pid, const char *field)
{
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
    FILE *f = fopen(path, "r");
    long kb = 0;
    size_t len = strlen(field);
    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, field, len) == 0)
            kb = atol(line + len);
    if (f)
        fclose(f);
    return kb;
}

static long peak_rss_kb(pid_t pid)
{
    return status_kb(pid, "VmHWM:");
}

static long rss_kb(pid_t pid)
{
    return status_kb(pid, "VmRSS:");
}

/* ---- 1. Enumerate + Pull ---------------------------------------------------- */

static char *pull_envelope(const char *answer, unsigned max_elements)
{
    char context[128], body[256];
    between(answer, "<n:EnumerationContext>", context, sizeof context);
    snprintf(body, sizeof body, "<n:Pull><n:EnumerationContext>%s</n:EnumerationContext>"
                                "<n:MaxElements>%u</n:MaxElements></n:Pull>", context, max_elements);
    return envelope("http://schemas.xmlsoap.org/ws/2004/09/enumeration/Pull", URI, "", body);
}

/* Pulls an open context (answer holds the Enumerate's) to its end; returns
 * the instances received, *pulls the Pulls it took. */
static size_t pull_to_end(int fd, cim_buf *out, const char *item, unsigned *pulls)
{
    size_t items = count(out->data, item);
    while (!strstr(out->data, "EndOfSequence")) {
        char *next = pull_envelope(out->data, 32000);
        if (post(fd, next, out) != 200)
            die("pull", out->data);
        free(next);
        items += count(out->data, item);
        (*pulls)++;
    }
    return items;
}

static void bench_enumerate(long n, pid_t pid, bool two_segments)
{
    int fd = connect_client(!two_segments);
    cim_buf out = {0};
    char *first = envelope("http://schemas.xmlsoap.org/ws/2004/09/enumeration/Enumerate", URI, "",
                           "<n:Enumerate><w:OptimizeEnumeration/><w:MaxElements>32000"
                           "</w:MaxElements></n:Enumerate>");
    double t0 = now_s();
    if (post(fd, first, &out) != 200)
        die("enumerate", out.data);
    unsigned pulls = 0;
    size_t items = pull_to_end(fd, &out, "<p:SMS_BootImagePackage ", &pulls);
    double t = now_s() - t0;
    if ((long)items != n)
        fprintf(stderr, "bench_wsman: enumerated %zu of %ld instances\n", items, n);
    printf("Enumerate+Pull%s: %zu instances in %.2f s (1 Enumerate + %u Pulls of <= %u bytes)"
           ": %.0f instances/s; server RSS after it %.1f MiB (peak so far %.1f MiB)\n",
           two_segments ? " (two-segment client, Nagle on)" : "", items, t, pulls,
           envelope_size, (double)items / t, (double)rss_kb(pid) / 1024.0,
           (double)peak_rss_kb(pid) / 1024.0);
    free(first);
    cim_buf_clear(&out);
    close(fd);
}

/* ---- 5. Many contexts, never pulled -------------------------------------------- */

static void bench_contexts(long n, pid_t pid, int check)
{
    int fd = connect_server();
    cim_buf out = {0};
    char *open = envelope("http://schemas.xmlsoap.org/ws/2004/09/enumeration/Enumerate", URI, "",
                          "<n:Enumerate/>");
    char **answers = cim_xcalloc(CONTEXTS, sizeof *answers);
    long before = rss_kb(pid);
    double t0 = now_s();
    for (int i = 0; i < CONTEXTS; i++) {
        if (post(fd, open, &out) != 200)
            die("enumerate", out.data);
        answers[i] = cim_xstrdup(out.data);
    }
    double t = now_s() - t0;
    long after = rss_kb(pid);
    printf("%d contexts over %ld instances each, never pulled: opened in %.2f s; server RSS "
           "%.1f MiB before, %.1f MiB with them open (%.1f KiB per context)\n",
           CONTEXTS, n, t, (double)before / 1024.0, (double)after / 1024.0,
           (double)(after - before) / CONTEXTS);
    /* Every context still answers its first Pull; CHECK of them to the end. */
    size_t first_ok = 0;
    int complete = 0;
    t0 = now_s();
    for (int i = 0; i < CONTEXTS; i++) {
        char *next = pull_envelope(answers[i], i < check ? 32000 : 1);
        if (post(fd, next, &out) == 200 && count(out.data, "<p:PackageID>LAB00001<") == 1)
            first_ok++;
        free(next);
        if (i < check) {
            unsigned pulls = 0;
            size_t got = pull_to_end(fd, &out, "<p:SMS_BootImagePackage ", &pulls);
            complete += (long)got == n;
        } else {
            char *release_body = NULL;
            char context[128];
            between(out.data, "<n:EnumerationContext>", context, sizeof context);
            release_body = cim_xasprintf("<n:Release><n:EnumerationContext>%s"
                                         "</n:EnumerationContext></n:Release>", context);
            char *rel = envelope("http://schemas.xmlsoap.org/ws/2004/09/enumeration/Release",
                                 URI, "", release_body);
            post(fd, rel, &out);
            free(rel);
            free(release_body);
        }
        free(answers[i]);
    }
    printf("  afterwards: %zu of %d contexts answered their first Pull with LAB00001; %d of %d "
           "pulled to the end had all %ld instances (%.1f s); server peak RSS %.1f MiB\n",
           first_ok, CONTEXTS, complete, check, n, now_s() - t0,
           (double)peak_rss_kb(pid) / 1024.0);
    free(answers);
    free(open);
    cim_buf_clear(&out);
    close(fd);
}

/* ---- 6. The first batch over many instances ------------------------------------- */

static void bench_first_batch(long big)
{
    int fd = connect_server();
    cim_buf out = {0};
    static const unsigned max_elements[] = {1, 32000};
    for (size_t k = 0; k < 2; k++) {
        char body[256];
        snprintf(body, sizeof body, "<n:Enumerate><w:OptimizeEnumeration/><w:MaxElements>%u"
                                    "</w:MaxElements></n:Enumerate>", max_elements[k]);
        char *xml = envelope("http://schemas.xmlsoap.org/ws/2004/09/enumeration/Enumerate", URI,
                             "", body);
        double lat[21];
        size_t items = 0;
        for (int r = 0; r < 21; r++) {
            double t0 = now_s();
            if (post(fd, xml, &out) != 200)
                die("enumerate", out.data);
            lat[r] = now_s() - t0;
            items = count(out.data, "<p:SMS_BootImagePackage ");
            char *rel = NULL, context[128];
            between(out.data, "<n:EnumerationContext>", context, sizeof context);
            char *rb = cim_xasprintf("<n:Release><n:EnumerationContext>%s</n:EnumerationContext>"
                                     "</n:Release>", context);
            rel = envelope("http://schemas.xmlsoap.org/ws/2004/09/enumeration/Release", URI, "",
                           rb);
            post(fd, rel, &out);
            free(rel);
            free(rb);
        }
        printf("First batch of an Enumerate over %ld instances, MaxElements %u (%zu instances, "
               "%u-byte envelope): p50 %.2f ms, max %.2f ms (21 runs)\n",
               big, max_elements[k], items, envelope_size, percentile(lat, 21, 0.5) * 1e3,
               percentile(lat, 21, 1.0) * 1e3);
        free(xml);
    }
    cim_buf_clear(&out);
    close(fd);
}

/* ---- 2. Get with 32 clients ------------------------------------------------- */

typedef struct get_worker {
    pthread_t thread;
    unsigned seed;
    long packages;
    double seconds;
    double *latencies;
    size_t count, cap;
} get_worker;

static void *get_loop(void *arg)
{
    get_worker *w = arg;
    int fd = connect_server();
    cim_buf out = {0};
    double end = now_s() + w->seconds;
    while (now_s() < end) {
        char sel[128];
        snprintf(sel, sizeof sel, "<w:Selector Name=\"PackageID\">LAB%05lX</w:Selector>",
                 1 + (long)(rand_r(&w->seed) % (unsigned)w->packages));
        char *xml = envelope("http://schemas.xmlsoap.org/ws/2004/09/transfer/Get", URI, sel, "");
        double t0 = now_s();
        if (post(fd, xml, &out) != 200)
            die("get", out.data);
        double dt = now_s() - t0;
        free(xml);
        if (w->count == w->cap) {
            w->cap = w->cap ? w->cap * 2 : 4096;
            w->latencies = cim_xrealloc(w->latencies, w->cap * sizeof *w->latencies);
        }
        w->latencies[w->count++] = dt;
    }
    cim_buf_clear(&out);
    close(fd);
    return NULL;
}

static void bench_get(long n, double seconds)
{
    get_worker w[CLIENTS] = {0};
    for (int i = 0; i < CLIENTS; i++) {
        w[i] = (get_worker){.seed = (unsigned)i + 1, .packages = n, .seconds = seconds};
        pthread_create(&w[i].thread, NULL, get_loop, &w[i]);
    }
    size_t total = 0;
    for (int i = 0; i < CLIENTS; i++) {
        pthread_join(w[i].thread, NULL);
        total += w[i].count;
    }
    double *all = cim_xmalloc(total * sizeof *all);
    size_t k = 0;
    for (int i = 0; i < CLIENTS; i++) {
        memcpy(all + k, w[i].latencies, w[i].count * sizeof *all);
        k += w[i].count;
        free(w[i].latencies);
    }
    printf("Get, %d clients, %.0f s: %zu requests, %.0f/s; latency p50 %.2f ms, p99 %.2f ms\n",
           CLIENTS, seconds, total, (double)total / seconds, percentile(all, total, 0.50) * 1e3,
           percentile(all, total, 0.99) * 1e3);
    free(all);
}

/* ---- 3. QueryOSDBinaryInjectionStatus during injections ---------------------- */

static atomic_int injecting;

typedef struct injector {
    pthread_t thread;
    char package_id[16];
    char context[64];
    int refreshes;
} injector;

static void *inject_loop(void *arg)
{
    injector *in = arg;
    int fd = connect_server();
    cim_buf out = {0};
    for (int i = 0; i < 2; i++) {
        char sel[128], body[512];
        snprintf(sel, sizeof sel, "<w:Selector Name=\"PackageID\">%s</w:Selector>", in->package_id);
        snprintf(body, sizeof body, "<p:RefreshPkgSource_INPUT xmlns:p=\"" URI "\"><p:ContextID>%s"
                                    "</p:ContextID></p:RefreshPkgSource_INPUT>", in->context);
        char *xml = envelope(URI "/RefreshPkgSource", URI, sel, body);
        if (post(fd, xml, &out) != 200)
            die("RefreshPkgSource", out.data);
        free(xml);
        in->refreshes++;
    }
    atomic_fetch_sub(&injecting, 1);
    cim_buf_clear(&out);
    close(fd);
    return NULL;
}

static void create_image_package(int i, injector *in)
{
    int fd = connect_server();
    cim_buf out = {0};
    char body[1024];
    snprintf(in->context, sizeof in->context, "{B0000000-0000-0000-0000-00000000000%d}", i);
    snprintf(body, sizeof body,
             "<p:SMS_BootImagePackage xmlns:p=\"" URI "\"><p:Name>Injected %d</p:Name>"
             "<p:ImagePath>\\\\bench\\share\\boot%d.wim</p:ImagePath><p:ImageIndex>1</p:ImageIndex>"
             "</p:SMS_BootImagePackage>", i, i);
    char *xml = envelope("http://schemas.xmlsoap.org/ws/2004/09/transfer/Create", URI, "", body);
    if (post(fd, xml, &out) != 200)
        die("create an image package", out.data);
    const char *sel = strstr(out.data, "\"PackageID\">");
    snprintf(in->package_id, sizeof in->package_id, "%.8s", sel + 12);
    free(xml);
    cim_buf_clear(&out);
    close(fd);
}

static void bench_injection_status(const char *mkwinpe)
{
    char *cmd = cim_xasprintf("'%s' all '%s/inputs' >/dev/null && mkdir -p '%s/share'", mkwinpe,
                              workdir, workdir);
    run(cmd);
    free(cmd);
    injector in[INJECTIONS] = {0};
    for (int i = 0; i < INJECTIONS; i++) {
        cmd = cim_xasprintf("'%s' image '%s/share/boot%d.wim' --arch x64 --payload-mb 64 >/dev/null",
                            mkwinpe, workdir, i);
        run(cmd);
        free(cmd);
        create_image_package(i, &in[i]);
    }
    atomic_store(&injecting, INJECTIONS);
    double t0 = now_s();
    for (int i = 0; i < INJECTIONS; i++)
        pthread_create(&in[i].thread, NULL, inject_loop, &in[i]);
    int fd = connect_server();
    cim_buf out = {0};
    size_t cap = 1 << 16, n = 0, running = 0;
    double *lat = cim_xmalloc(cap * sizeof *lat);
    while (atomic_load(&injecting) > 0 && n < cap) {
        char body[512];
        snprintf(body, sizeof body, "<p:QueryOSDBinaryInjectionStatus_INPUT xmlns:p=\"" URI "\">"
                                    "<p:ContextID>%s</p:ContextID>"
                                    "</p:QueryOSDBinaryInjectionStatus_INPUT>", in[n % INJECTIONS].context);
        char *xml = envelope(URI "/QueryOSDBinaryInjectionStatus", URI, "", body);
        double q0 = now_s();
        if (post(fd, xml, &out) != 200)
            die("QueryOSDBinaryInjectionStatus", out.data);
        lat[n++] = now_s() - q0;
        running += strstr(out.data, "<p:Status>1</p:Status>") != NULL;
        free(xml);
    }
    double t = now_s() - t0;
    for (int i = 0; i < INJECTIONS; i++)
        pthread_join(in[i].thread, NULL);
    printf("QueryOSDBinaryInjectionStatus during %d concurrent injections (2 RefreshPkgSource "
           "each of a 64 MB image, %.1f s): %zu queries (%zu saw Status 1, in progress); "
           "latency p50 %.2f ms, p99 %.2f ms\n",
           INJECTIONS, t, n, running, percentile(lat, n, 0.5) * 1e3, percentile(lat, n, 0.99) * 1e3);
    free(lat);
    cim_buf_clear(&out);
    close(fd);
}

static void stop_server(pid_t pid)
{
    kill(pid, SIGTERM);
    int status = 0;
    waitpid(pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        die("smsprovd", "did not stop cleanly");
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: bench_wsman SMSPROVD MKWINPE WORKDIR [N=10000] [SECONDS=30] "
                        "[BIG=100000] [CHECK=20] [--no-injections]\n");
        return 2;
    }
    workdir = argv[3];
    long n = argc > 4 ? atol(argv[4]) : 10000;
    double seconds = argc > 5 ? atof(argv[5]) : 30;
    long big = argc > 6 ? atol(argv[6]) : 100000;
    int check = argc > 7 ? atoi(argv[7]) : 20;
    bool injections = !(argc > 8 && strcmp(argv[8], "--no-injections") == 0);
    char *cmd = cim_xasprintf("rm -rf '%s' && mkdir -p '%s/big'", workdir, workdir);
    run(cmd);
    free(cmd);
    double t0 = now_s();
    seed(workdir, n);
    printf("Seeded %ld boot image packages in %.1f s\n", n, now_s() - t0);
    pid_t pid = start_server(argv[1], workdir);
    printf("Server RSS at start: %.1f MiB\n", (double)rss_kb(pid) / 1024.0);
    bench_enumerate(n, pid, false); /* the first after start: caches cold */
    bench_enumerate(n, pid, false);
    envelope_size = 102400;
    bench_enumerate(n, pid, true);
    envelope_size = 512000;
    bench_get(n, seconds);
    bench_contexts(n, pid, check);
    if (injections)
        bench_injection_status(argv[2]);
    printf("Server RSS at the end: %.1f MiB (peak %.1f MiB)\n", (double)rss_kb(pid) / 1024.0,
           (double)peak_rss_kb(pid) / 1024.0);
    stop_server(pid);

    char *big_dir = cim_xasprintf("%s/big", workdir);
    t0 = now_s();
    seed(big_dir, big);
    printf("Seeded %ld boot image packages in %.1f s (second site)\n", big, now_s() - t0);
    pid = start_server(argv[1], big_dir);
    bench_first_batch(big);
    stop_server(pid);
    free(big_dir);
    return 0;
}
