"""smsprovd's Windows authentication under load, on loopback (never run by
ctest; run with the bench_negotiate target):

  1. Enumerate + Pull of N SMS_BootImagePackage instances (MaxElements
     32000, MaxEnvelopeSize 512000, as Get-CimInstance) over Negotiate/NTLM
     with MS-WSMV encryption on HTTP, against the same with Basic over HTTPS
     (goal: at most 1.5 times);
  2. Get of one package, GETS times on one established connection:
     Negotiate/NTLM encrypted over HTTP against Basic over HTTP and HTTPS
     (goal: at most 1.2 times Basic);
  3. fresh NTLM handshakes (NEGOTIATE, CHALLENGE, AUTHENTICATE: two round
     trips on a new connection), HANDSHAKES times (goal: at most 5 ms each).

Both sides of each comparison use the same Python client code (http.client,
keep-alive); the NTLM client is wsman_gss_client.py on python3-gssapi and
gss-ntlmssp, so sealing costs C, not Python.

Usage: bench_negotiate.py SMSPROVD SEED WORKDIR [N=10000] [GETS=2000] [HANDSHAKES=200]
where SEED is bench_cimxml_seed; WORKDIR is wiped."""
import base64
import http.client
import os
import shutil
import ssl
import statistics
import subprocess
import sys
import time
import xml.etree.ElementTree as ET

SMSPROVD, SEED, WORK = sys.argv[1:4]
N = int(sys.argv[4]) if len(sys.argv) > 4 else 10000
GETS = int(sys.argv[5]) if len(sys.argv) > 5 else 2000
HANDSHAKES = int(sys.argv[6]) if len(sys.argv) > 6 else 200
MOF_DIR = os.environ.get("SMSPROV_MOF_DIR")
USER, PASSWORD, DOMAIN = "admin", "s3cret-Pa55", "BENCH"
os.environ.setdefault("SMSPROV_SCRATCH", WORK)

from wsman_gss_client import GssClient  # noqa: E402
from wsman_harness import (CIM_URI, NS, enumerate_, get, pull)  # noqa: E402

BOOT = CIM_URI + "SMS_BootImagePackage"


def setup():
    shutil.rmtree(WORK, ignore_errors=True)
    os.makedirs(WORK)
    # no realm: nothing here may wait for DNS looking for a KDC
    open(os.path.join(WORK, "krb5.conf"), "w").close()
    os.environ["KRB5_CONFIG"] = os.path.join(WORK, "krb5.conf")
    subprocess.run([SEED, os.path.join(WORK, "site.db"), str(N)] + ([MOF_DIR] if MOF_DIR else []),
                   check=True, stdout=subprocess.DEVNULL)
    subprocess.run([SMSPROVD, "adduser", os.path.join(WORK, "users"), USER],
                   input=PASSWORD + "\n", text=True, check=True, capture_output=True)
    # Role-based administration: the NTLM name DOMAIN\user is an administrative
    # user of its own (the Basic one is [site] first_admin below).
    cli = os.environ.get("SMSPROV_CLI") or os.path.join(
        os.path.dirname(os.path.dirname(os.path.abspath(SMSPROVD))), "smsprov", "smsprov")
    subprocess.run([cli, "--db", os.path.join(WORK, "site.db")] +
                   (["--mof", MOF_DIR] if MOF_DIR else []) +
                   ["create", "SMS_Admin", "LogonName=%s\\%s" % (DOMAIN, USER),
                    'Permissions=[{"__CLASS":"SMS_APermission","RoleID":"SMS0001R",'
                    '"CategoryID":"SMS00ALL","CategoryTypeID":29}]'],
                   check=True, capture_output=True, timeout=120)
    subprocess.run([SMSPROVD, "ntlm-adduser", os.path.join(WORK, "ntlm-users"),
                    DOMAIN + "\\" + USER], input=PASSWORD + "\n", text=True, check=True,
                   capture_output=True)
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
                    os.path.join(WORK, "key.pem"), "-out", os.path.join(WORK, "cert.pem"),
                    "-days", "2", "-subj", "/CN=127.0.0.1", "-addext",
                    "subjectAltName=IP:127.0.0.1"], check=True, capture_output=True)
    os.chmod(os.path.join(WORK, "key.pem"), 0o600)
    with open(os.path.join(WORK, "smsprovd.ini"), "w") as f:
        f.write("[site]\ndatabase = site.db\nfirst_admin = " + USER + "\n%s[http]\nport = 0\n[https]\nenabled = true\n"
                "port = 0\ncertificate = cert.pem\nkey = key.pem\n[auth]\nusers_file = users\n"
                "schemes = Negotiate, Basic\nntlm_user_file = ntlm-users\n[log]\n"
                "file = SMSProv.log\nlevel = warning\nstderr = false\n"
                % ("mof_dir = %s\n" % MOF_DIR if MOF_DIR else ""))
    ports = os.path.join(WORK, "ports")
    proc = subprocess.Popen([SMSPROVD, "--config", os.path.join(WORK, "smsprovd.ini"),
                             "--port-file", ports], env=dict(os.environ,
                                                             NETBIOS_COMPUTER_NAME=DOMAIN))
    for _ in range(600):
        if os.path.exists(ports):
            p = dict(line.split("=") for line in open(ports).read().split())
            return proc, int(p["http"]), int(p["https"])
        time.sleep(0.05)
    raise SystemExit("smsprovd did not start")


class BasicClient:
    """The same requests with Basic, over HTTP or HTTPS."""

    def __init__(self, port, tls):
        if tls:
            ctx = ssl.create_default_context(cafile=os.path.join(WORK, "cert.pem"))
            self.conn = http.client.HTTPSConnection("127.0.0.1", port, context=ctx, timeout=300)
        else:
            self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
        self.auth = "Basic " + base64.b64encode(("%s:%s" % (USER, PASSWORD)).encode()).decode()

    def exchange(self, envelope):
        self.conn.request("POST", "/wsman", body=envelope.encode(), headers={
            "Authorization": self.auth, "Content-Type": "application/soap+xml;charset=UTF-8"})
        r = self.conn.getresponse()
        return r.status, r.headers, r.read()


def enumerate_count(client):
    status, _, body = client.exchange(enumerate_(BOOT))
    assert status == 200, status
    root = ET.fromstring(body).find("s:Body/n:EnumerateResponse", NS)
    count = len(root.find("w:Items", NS))
    context = root.findtext("n:EnumerationContext", namespaces=NS)
    done = root.find("w:EndOfSequence", NS) is not None
    while not done:
        status, _, body = client.exchange(pull(BOOT, context))
        assert status == 200, status
        root = ET.fromstring(body).find("s:Body/n:PullResponse", NS)
        count += len(root.find("n:Items", NS))
        context = root.findtext("n:EnumerationContext", namespaces=NS)
        done = root.find("n:EndOfSequence", NS) is not None
    return count


def rss_kib(pid):
    with open("/proc/%d/status" % pid) as f:
        return int([line.split()[1] for line in f if line.startswith("VmRSS:")][0])


def timed(fn, repeat):
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return times


def main():
    proc, port, tls_port = setup()
    try:
        ntlm = lambda: GssClient(port, "spnego-ntlm", DOMAIN + "\\" + USER, PASSWORD)  # noqa
        print("bench_negotiate: %d instances, smsprovd on http %d, https %d" % (N, port, tls_port))
        # 1. Enumerate + Pull, three runs each, best kept
        for name, make in (("Basic over HTTPS", lambda: BasicClient(tls_port, True)),
                           ("NTLM + encryption over HTTP", ntlm),
                           ("Basic over HTTP", lambda: BasicClient(port, False))):
            client = make()
            counts = []
            times = timed(lambda: counts.append(enumerate_count(client)), 3)
            assert counts == [N] * 3, counts
            print("  Enumerate+Pull %-28s best %.3f s, median %.3f s (%.0f instances/s)"
                  % (name, min(times), statistics.median(times), N / min(times)))
        # 2. Get on an established connection
        envelope = get(BOOT, [("PackageID", "LAB00001")])
        for name, make in (("Basic over HTTP", lambda: BasicClient(port, False)),
                           ("Basic over HTTPS", lambda: BasicClient(tls_port, True)),
                           ("NTLM + encryption over HTTP", ntlm)):
            client = make()
            client.exchange(envelope)
            times = sorted(timed(lambda: client.exchange(envelope), GETS))
            print("  Get %-39s mean %.3f ms, p50 %.3f ms, p99 %.3f ms"
                  % (name, 1e3 * statistics.mean(times), 1e3 * times[len(times) // 2],
                     1e3 * times[int(len(times) * 0.99)]))
        # 3. fresh NTLM handshakes (connect, two round trips, close)
        # (the client's credentials are acquired once; each handshake makes a
        # new context on a new connection)
        ntlm().close()
        rss_before = rss_kib(proc.pid)
        times = sorted(timed(lambda: ntlm().close(), HANDSHAKES))
        time.sleep(0.5)  # the connections' threads end
        rss_after = rss_kib(proc.pid)
        print("  NTLM handshake on a new connection (SPNEGO, 3 legs): min %.3f ms, p50 %.3f ms, "
              "mean %.3f ms, p99 %.3f ms" % (1e3 * times[0], 1e3 * times[len(times) // 2],
                                             1e3 * statistics.mean(times),
                                             1e3 * times[int(len(times) * 0.99)]))
        print("  server RSS across the %d handshakes: %d KiB -> %d KiB (%.1f KiB each)"
              % (HANDSHAKES, rss_before, rss_after, (rss_after - rss_before) / HANDSHAKES))
    finally:
        proc.terminate()
        proc.wait()


main()
