"""smsprovd as a service manager runs it: `check-config` accepts a usable
configuration and refuses each kind of broken one with a sentence naming
what to fix (and `--check` does the same), the server tells systemd it is
ready only once its listeners accept connections (sd_notify, when built
with libsystemd), and `smsprovd adduser` keeps a users file's group and mode
so a root-owned file stays readable by the service's group.

Environment (set by ctest): SMSPROVD, SMSPROV_MOF_DIR, SMSPROV_SCRATCH,
SMSPROVD_HAVE_SYSTEMD."""
import os
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile

SMSPROVD = os.environ["SMSPROVD"]
MOF_DIR = os.environ["SMSPROV_MOF_DIR"]
SCRATCH = os.environ.get("SMSPROV_SCRATCH", tempfile.gettempdir())
IS_ROOT = os.geteuid() == 0

failures = []


def check(ok, message):
    print(("ok   " if ok else "FAIL ") + message)
    if not ok:
        failures.append(message)


def run(*args, stdin=None):
    return subprocess.run([SMSPROVD, *args], input=stdin, capture_output=True, text=True,
                          timeout=60)


def openssl(*args):
    subprocess.run(["openssl", *args], check=True, capture_output=True)


class Site:
    """A folder with a database folder, a content folder, a users file with
    one user (0600), a certificate pair (key 0600) and an INI file."""

    def __init__(self, root):
        self.dir = tempfile.mkdtemp(prefix="service-", dir=root)
        os.mkdir(os.path.join(self.dir, "content"))
        self.users = os.path.join(self.dir, "users")
        r = run("adduser", self.users, "admin", stdin="Pa55-word\n")
        assert r.returncode == 0, r.stderr
        self.key, self.cert = (os.path.join(self.dir, n) for n in ("key.pem", "cert.pem"))
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
                "/CN=localhost", "-keyout", self.key, "-out", self.cert)
        os.chmod(self.key, 0o600)

    def ini(self, extra="", name="smsprovd.ini", http_port=0):
        """The INI file: http on port http_port, then extra lines (which may
        repeat a section; later keys override earlier ones)."""
        path = os.path.join(self.dir, name)
        with open(path, "w") as f:
            f.write(f"[site]\ndatabase = site.db\ncontent_root = content\nmof_dir = {MOF_DIR}\n"
                    f"[http]\nport = {http_port}\n[auth]\nusers_file = users\n"
                    "[log]\nfile = SMSProv.log\nstderr = false\n" + extra)
        return path


def expect_invalid(site, label, extra, sentence, prepare=None, restore=None):
    if prepare:
        prepare()
    try:
        r = run("check-config", site.ini(extra))
    finally:
        if restore:
            restore()
    check(r.returncode == 1 and sentence in r.stderr,
          f"check-config refuses {label}: exit {r.returncode}, {r.stderr.strip()!r}")


def check_config_cases(site):
    r = run("check-config", site.ini())
    check(r.returncode == 0 and "is valid" in r.stdout,
          f"check-config accepts a usable configuration: {r.stdout.strip()} {r.stderr.strip()}")
    https = f"[https]\nenabled = true\nport = 0\ncertificate = cert.pem\nkey = key.pem\n"
    r = run("check-config", site.ini(https))
    check(r.returncode == 0, f"check-config accepts HTTPS with a good pair: {r.stderr.strip()}")

    expect_invalid(site, "an unknown key", "[http]\nprot = 1\n", "unknown")
    expect_invalid(site, "a missing database folder", "[site]\ndatabase = nowhere/site.db\n",
                   "does not exist")
    expect_invalid(site, "a missing share folder", "[shares]\n\\\\lab\\src = nowhere\n",
                   "does not exist")
    expect_invalid(site, "a host name as listen address", "[http]\naddress = localhost\n",
                   "not a numeric")
    expect_invalid(site, "two listeners on one port",
                   "[http]\nport = 15999\n[cimxml]\nenabled = true\nport = 15999\n",
                   "give them different ports")
    expect_invalid(site, "a users file others can read", "", "can be read by every user",
                   lambda: os.chmod(site.users, 0o644), lambda: os.chmod(site.users, 0o600))
    empty = os.path.join(site.dir, "nobody")
    open(empty, "w").close()
    os.chmod(empty, 0o600)
    expect_invalid(site, "a users file naming nobody", "[auth]\nusers_file = nobody\n",
                   "names no user")
    expect_invalid(site, "a missing users file", "[auth]\nusers_file = missing\n",
                   "cannot be read")
    expect_invalid(site, "a TLS key its group can read", https, "only its owner",
                   lambda: os.chmod(site.key, 0o640), lambda: os.chmod(site.key, 0o600))
    other_key = os.path.join(site.dir, "other-key.pem")
    openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", other_key)
    os.chmod(other_key, 0o600)
    expect_invalid(site, "a key that is not the certificate's",
                   https + "key = other-key.pem\n", "do not make a usable pair")
    expect_invalid(site, "a certificate that is not PEM", https + "certificate = users\n",
                   "is not PEM")
    if not IS_ROOT:  # root may write anywhere, whatever the mode
        content = os.path.join(site.dir, "content")
        expect_invalid(site, "a content folder this user cannot write", "",
                       "cannot be written", lambda: os.chmod(content, 0o555),
                       lambda: os.chmod(content, 0o755))
    if not IS_ROOT:
        db = os.path.join(site.dir, "site.db")
        open(db, "w").close()
        expect_invalid(site, "a database file this user cannot write", "", "cannot be written",
                       lambda: os.chmod(db, 0o444), lambda: os.unlink(db))
    r = run("--config", site.ini("[site]\ndatabase = nowhere/site.db\n"), "--check")
    check(r.returncode == 1 and "does not exist" in r.stderr,
          f"--check checks as check-config does: {r.stderr.strip()!r}")
    r = run("check-config")
    check(r.returncode == 2, f"check-config without a file is a usage error (exit {r.returncode})")


def notify_case(site):
    if os.environ.get("SMSPROVD_HAVE_SYSTEMD") != "1":
        print("skip sd_notify: smsprovd was built without libsystemd")
        return
    path = os.path.join(site.dir, "notify")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(path)
    sock.settimeout(60)
    ports = os.path.join(site.dir, "ports")
    env = dict(os.environ, NOTIFY_SOCKET=path)
    proc = subprocess.Popen([SMSPROVD, "--config", site.ini(), "--port-file", ports], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        ready = sock.recv(4096).decode()
        check("READY=1" in ready and "STATUS=Serving site LAB" in ready,
              f"smsprovd sends READY=1 with a status: {ready!r}")
        # Ready means the listeners are up: the port file is written and
        # a connection is accepted at once.
        with open(ports) as f:
            port = int(dict(line.split("=") for line in f.read().split())["http"])
        with socket.create_connection(("127.0.0.1", port), timeout=10):
            check(True, f"the HTTP listener accepts connections when READY=1 arrives (:{port})")
        proc.send_signal(signal.SIGTERM)
        stopping = sock.recv(4096).decode()
        check("STOPPING=1" in stopping, f"SIGTERM sends STOPPING=1: {stopping!r}")
        check(proc.wait(timeout=60) == 0, "smsprovd stops cleanly after SIGTERM")
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        sock.close()


def adduser_case(site):
    path = os.path.join(site.dir, "users-modes")
    run("adduser", path, "first", stdin="one-Pa55\n")
    check(stat.S_IMODE(os.stat(path).st_mode) == 0o600, "adduser creates a users file 0600")
    os.chmod(path, 0o640)
    run("adduser", path, "second", stdin="two-Pa55\n")
    check(stat.S_IMODE(os.stat(path).st_mode) == 0o640,
          "adduser keeps an existing file's group read (0640)")
    os.chmod(path, 0o644)
    run("adduser", path, "third", stdin="three-Pa55\n")
    check(stat.S_IMODE(os.stat(path).st_mode) == 0o640,
          "adduser drops others' read of an existing file (0644 -> 0640)")
    with open(path) as f:
        names = [line.split(":")[0] for line in f]
    check(names == ["first", "second", "third"], f"adduser keeps the other users: {names}")


def main():
    os.makedirs(SCRATCH, exist_ok=True)
    site = Site(SCRATCH)
    try:
        check_config_cases(site)
        notify_case(site)
        adduser_case(site)
    finally:
        shutil.rmtree(site.dir, ignore_errors=True)
    print(f"{len(failures)} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
