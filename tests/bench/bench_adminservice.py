"""bench_adminservice.py - GET /AdminService/wmi/SMS_BootImagePackage over
N instances in one streamed response, against smsprovd on loopback, over
plain HTTP and over HTTPS (Basic, one keep-alive connection): instances per
second (the whole answer read), the time to the first byte of the answer,
and the server's peak RSS (VmHWM).  Five runs each; best and median shown.

Usage: bench_adminservice.py SMSPROVD SEED WORKDIR [N=10000]
where SEED is bench_cimxml_seed; WORKDIR is wiped.  Goals: >= 80,000
instances/s, first byte <= 10 ms, RSS <= 30 MB."""
import base64
import json
import os
import shutil
import socket
import ssl
import statistics
import subprocess
import sys
import time

SMSPROVD, SEED, WORK = sys.argv[1:4]
N = int(sys.argv[4]) if len(sys.argv) > 4 else 10000
MOF_DIR = os.environ.get("SMSPROV_MOF_DIR")
USER, PASSWORD = "admin", "s3cret-Pa55"
PATH = "/AdminService/wmi/SMS_BootImagePackage"
RUNS = 5


def setup():
    shutil.rmtree(WORK, ignore_errors=True)
    os.makedirs(WORK)
    subprocess.run([SEED, os.path.join(WORK, "site.db"), str(N)] + ([MOF_DIR] if MOF_DIR else []),
                   check=True, stdout=subprocess.DEVNULL)
    subprocess.run([SMSPROVD, "adduser", os.path.join(WORK, "users"), USER],
                   input=PASSWORD + "\n", text=True, check=True, capture_output=True)
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
                    os.path.join(WORK, "key.pem"), "-out", os.path.join(WORK, "cert.pem"),
                    "-days", "2", "-subj", "/CN=127.0.0.1", "-addext",
                    "subjectAltName=IP:127.0.0.1"], check=True, capture_output=True)
    os.chmod(os.path.join(WORK, "key.pem"), 0o600)
    with open(os.path.join(WORK, "smsprovd.ini"), "w") as f:
        f.write("[site]\ndatabase = site.db\nfirst_admin = %s\n%s[wsman.http]\nport = 0\n"
                "[wsman.https]\nenabled = true\nport = 0\n[tls]\ncertificate = cert.pem\n"
                "key = key.pem\n[adminservice.http]\nenabled = true\n[auth]\n"
                "users_file = users\n[log]\n"
                "file = SMSProv.log\nlevel = warning\nstderr = false\n"
                % (USER, "mof_dir = %s\n" % MOF_DIR if MOF_DIR else ""))
    ports = os.path.join(WORK, "ports")
    proc = subprocess.Popen([SMSPROVD, "--config", os.path.join(WORK, "smsprovd.ini"),
                             "--port-file", ports])
    for _ in range(1200):
        if os.path.exists(ports):
            p = dict(line.split("=") for line in open(ports).read().split())
            return proc, int(p["http"]), int(p["https"])
        time.sleep(0.05)
    raise SystemExit("smsprovd did not start")


def connect(port, tls):
    s = socket.create_connection(("127.0.0.1", port))
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    if tls:
        ctx = ssl.create_default_context(cafile=os.path.join(WORK, "cert.pem"))
        s = ctx.wrap_socket(s, server_hostname="127.0.0.1")
    return s


def get_once(sock):
    """One GET on the connection: (first byte s, whole answer s, body)."""
    auth = base64.b64encode(("%s:%s" % (USER, PASSWORD)).encode()).decode()
    request = ("GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Basic %s\r\n"
               "Accept: application/json\r\n\r\n" % (PATH, auth)).encode()
    start = time.perf_counter()
    sock.sendall(request)
    data = bytearray(sock.recv(1 << 20))
    first = time.perf_counter() - start
    while not data.endswith(b"\r\n0\r\n\r\n"):
        chunk = sock.recv(1 << 20)
        if not chunk:
            raise SystemExit("the connection closed mid-answer")
        data += chunk
    whole = time.perf_counter() - start
    head, _, body = bytes(data).partition(b"\r\n\r\n")
    if not head.startswith(b"HTTP/1.1 200"):
        raise SystemExit("GET failed: %r" % head[:200])
    return first, whole, dechunk(body)


def dechunk(body):
    out, pos = bytearray(), 0
    while True:
        end = body.index(b"\r\n", pos)
        size = int(body[pos:end], 16)
        if size == 0:
            return bytes(out)
        out += body[end + 2:end + 2 + size]
        pos = end + 2 + size + 2


def rss_kib(pid, field="VmHWM:"):
    with open("/proc/%d/status" % pid) as f:
        return int([line.split()[1] for line in f if line.startswith(field)][0])


def main():
    proc, port, tls_port = setup()
    try:
        print("bench_adminservice: %d SMS_BootImagePackage, smsprovd http %d, https %d"
              % (N, port, tls_port))
        time.sleep(0.5)
        # the peak so far is the start's own (the reference password hash)
        print("  server RSS before the first GET: %.1f MB (peak so far %.1f MB)"
              % (rss_kib(proc.pid, "VmRSS:") / 1024, rss_kib(proc.pid) / 1024))
        for name, p, tls in (("HTTP", port, False), ("HTTPS", tls_port, True)):
            sock = connect(p, tls)
            firsts, rates = [], []
            for _ in range(RUNS):
                first, whole, body = get_once(sock)
                count = len(json.loads(body)["value"])
                if count != N:
                    raise SystemExit("%d entities, not %d" % (count, N))
                firsts.append(first * 1000)
                rates.append(N / whole)
            sock.close()
            print("  %-5s one response: %8.0f instances/s best, %8.0f median; first byte "
                  "%.2f ms best, %.2f ms median; %.1f MB of JSON"
                  % (name, max(rates), statistics.median(rates), min(firsts),
                     statistics.median(firsts), len(body) / 1e6))
        print("  server peak RSS (VmHWM): %.1f MB" % (rss_kib(proc.pid) / 1024))
    finally:
        proc.terminate()
        proc.wait(timeout=60)


main()
