/* bench_wsman.c - smsprovd's WS-Management door under load, on loopback:
 *
 *   1. Enumerate + Pull of N SMS_BootImagePackage instances (as
 *      Get-CimInstance does: MaxElements 32000, MaxEnvelopeSize 512000):
 *      instances per second, and the server's peak RSS (VmHWM);
 *   2. Get of a random package by 32 keep-alive clients for S seconds:
 *      requests per second, p50 and p99 latency;
 *   3. QueryOSDBinaryInjectionStatus p50/p99 while four boot image
 *      injections (RefreshPkgSource of 64 MB images) run.
 *
 * Usage: bench_wsman SMSPROVD MKWINPE WORKDIR [N=10000] [SECONDS=30]
 * The site, users file and images are made in WORKDIR, which is wiped. */
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
#include "smsprov/provider.h"

extern char **environ;

#define AUTH "Authorization: Basic YmVuY2g6YmVuY2g=\r\n" /* bench:bench */
#define CLIENTS 32
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

static int connect_server(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0)
        die("connect", "is smsprovd running?");
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return fd;
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
        "s:mustUnderstand=\"true\">512000</w:MaxEnvelopeSize><a:MessageID>uuid:B0000000-0000-"
        "0000-0000-000000000001</a:MessageID><w:SelectorSet><w:Selector Name=\"__cimnamespace\">"
        "root/sms/site_LAB</w:Selector>%s</w:SelectorSet><w:OperationTimeout>PT180.000S"
        "</w:OperationTimeout></s:Header><s:Body>%s</s:Body></s:Envelope>",
        uri, action, selectors, body);
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

static void seed(long n)
{
    char *db = cim_xasprintf("%s/site.db", workdir);
    smsprov_site_config config = {.database_path = db};
    smsprov_site *site = NULL;
    smsprov_error err = {0};
    if (smsprov_site_open(&config, &site, &err) != SMSPROV_OK)
        die("open the site", err.description);
    const cim_class *cls = NULL;
    smsprov_get_class(site, NULL, "SMS_BootImagePackage", &cls, NULL);
    for (long i = 0; i < n; i++) {
        cim_instance *inst = cim_instance_new(cls);
        char name[64];
        snprintf(name, sizeof name, "Boot image %ld (x64)", i);
        cim_instance_set_string(inst, "Name", name, NULL);
        cim_instance_set_string(inst, "Description", "created by bench_wsman", NULL);
        if (smsprov_put(site, NULL, inst, SMSPROV_PUT_CREATE_ONLY, NULL, NULL, &err) != SMSPROV_OK)
            die("create", err.description);
        cim_instance_free(inst);
    }
    smsprov_site_close(site);
    free(db);
}

static pid_t start_server(const char *smsprovd)
{
    char *hash = NULL;
    if (http_password_hash("bench", &hash, NULL) != SMSPROV_OK)
        die("hash", NULL);
    char *path = cim_xasprintf("%s/users", workdir);
    FILE *f = fopen(path, "w");
    fprintf(f, "bench:%s\n", hash);
    fclose(f);
    free(path);
    free(hash);
    path = cim_xasprintf("%s/smsprovd.ini", workdir);
    f = fopen(path, "w");
    fprintf(f, "[site]\ndatabase = site.db\nworkers = %d\nadk_root = inputs/adk\n"
               "configmgr_root = inputs/configmgr\n[shares]\n\\\\bench\\share = share\n"
               "[http]\nport = 0\n[auth]\nusers_file = users\n[log]\nfile = SMSProv.log\n"
               "level = warning\nstderr = false\n[server]\nmax_connections = 128\n",
            INJECTIONS);
    fclose(f);
    char *ports = cim_xasprintf("%s/ports", workdir);
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

static long peak_rss_kb(pid_t pid)
{
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
    FILE *f = fopen(path, "r");
    long kb = 0;
    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, "VmHWM:", 6) == 0)
            kb = atol(line + 6);
    if (f)
        fclose(f);
    return kb;
}

/* ---- 1. Enumerate + Pull ---------------------------------------------------- */

static void bench_enumerate(long n, pid_t pid)
{
    int fd = connect_server();
    cim_buf out = {0};
    char *first = envelope("http://schemas.xmlsoap.org/ws/2004/09/enumeration/Enumerate", URI, "",
                           "<n:Enumerate><w:OptimizeEnumeration/><w:MaxElements>32000"
                           "</w:MaxElements></n:Enumerate>");
    double t0 = now_s();
    if (post(fd, first, &out) != 200)
        die("enumerate", out.data);
    size_t items = count(out.data, "<p:SMS_BootImagePackage ");
    unsigned pulls = 0;
    while (!strstr(out.data, "EndOfSequence")) {
        char context[128], body[256];
        between(out.data, "<n:EnumerationContext>", context, sizeof context);
        snprintf(body, sizeof body, "<n:Pull><n:EnumerationContext>%s</n:EnumerationContext>"
                                    "<n:MaxElements>32000</n:MaxElements></n:Pull>", context);
        char *next = envelope("http://schemas.xmlsoap.org/ws/2004/09/enumeration/Pull", URI, "",
                              body);
        if (post(fd, next, &out) != 200)
            die("pull", out.data);
        free(next);
        items += count(out.data, "<p:SMS_BootImagePackage ");
        pulls++;
    }
    double t = now_s() - t0;
    if ((long)items != n)
        fprintf(stderr, "bench_wsman: enumerated %zu of %ld instances\n", items, n);
    printf("Enumerate+Pull: %zu instances in %.2f s (1 Enumerate + %u Pulls of <= 512000 bytes)"
           ": %.0f instances/s; server peak RSS %.1f MiB\n",
           items, t, pulls, (double)items / t, (double)peak_rss_kb(pid) / 1024.0);
    free(first);
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

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: bench_wsman SMSPROVD MKWINPE WORKDIR [N=10000] [SECONDS=30]\n");
        return 2;
    }
    workdir = argv[3];
    long n = argc > 4 ? atol(argv[4]) : 10000;
    double seconds = argc > 5 ? atof(argv[5]) : 30;
    char *cmd = cim_xasprintf("rm -rf '%s' && mkdir -p '%s'", workdir, workdir);
    run(cmd);
    free(cmd);
    double t0 = now_s();
    seed(n);
    printf("Seeded %ld boot image packages in %.1f s\n", n, now_s() - t0);
    pid_t pid = start_server(argv[1]);
    bench_enumerate(n, pid);
    bench_get(n, seconds);
    bench_injection_status(argv[2]);
    printf("Server peak RSS at the end: %.1f MiB\n", (double)peak_rss_kb(pid) / 1024.0);
    kill(pid, SIGTERM);
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
}
