"""The Debian package on a real machine: install it with apt-get, check what
it put where, serve a test site with the installed smsprovd as the smsprov
user and the installed configuration (the unit's ExecStartPre and ExecStart
lines run by hand, as systemd is not running), drive it with python3-winrm
and wbemcli, upgrade it (the same package repacked with a higher version,
over a site database made to look older) and check the edited conffile, the
users and the site survive and the schema is upgraded at start, then purge
it and check nothing is left but the smsprov system user.

    install_test.py PATH/smsprov_VERSION_ARCH.deb

Root only (tools/dev install-test runs it on CI); it refuses to run where
smsprov is installed or /srv/smsprov exists, as it would purge or remove
them."""
import glob
import grp
import os
import pwd
import re
import shlex
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "e2e"))
import wsman_harness as wh  # noqa: E402  (envelopes as the Windows client writes them)

UNIT = "/lib/systemd/system/smsprovd.service"
INI = "/etc/smsprov/smsprovd.ini"
USERS = "/etc/smsprov/users"
SRV = "/srv/smsprov"
USER, PASSWORD = "admin", "install-Test-Pa55"
PAGES = ["/usr/share/man/man8/smsprovd.8.gz", "/usr/share/man/man1/smsprov.1.gz",
         "/usr/share/man/man5/smsprovd.ini.5.gz", "/usr/share/man/man1/mkwinpe.1.gz"]

failures = []


def check(ok, message):
    print(("ok   " if ok else "FAIL ") + message, flush=True)
    if not ok:
        failures.append(message)


def sh(*cmd, check_rc=True, **kw):
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=600, **kw)
    if check_rc and r.returncode != 0:
        raise AssertionError(f"{' '.join(cmd)} exited {r.returncode}: {r.stdout}{r.stderr}")
    return r


def apt(*args):
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    return sh("apt-get", "-y", "-q", *args, env=env)


def owner_mode(path):
    st = os.stat(path)
    return pwd.getpwuid(st.st_uid).pw_name, grp.getgrgid(st.st_gid).gr_name, \
        stat.S_IMODE(st.st_mode)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def unit_lines(key):
    with open(UNIT) as f:
        return [line.split("=", 1)[1].strip() for line in f if line.startswith(key + "=")]


def as_service(cmdline):
    """A unit's command line, run as its User= and Group= (setpriv, as
    systemd would, without a login shell or any capability)."""
    return ["setpriv", "--reuid=smsprov", "--regid=smsprov", "--init-groups",
            "--inh-caps=-all", "--no-new-privs", "--", *shlex.split(cmdline)]


# ---- after install ------------------------------------------------------------

def check_installed(deb_version):
    check(pwd.getpwnam("smsprov").pw_dir == "/var/lib/smsprov", "system user smsprov exists")
    for path in ("/var/lib/smsprov", "/var/lib/smsprov/content", "/var/log/smsprov"):
        check(owner_mode(path) == ("smsprov", "smsprov", 0o750),
              f"{path} is smsprov:smsprov 0750 ({owner_mode(path)})")
    check(owner_mode(USERS) == ("root", "smsprov", 0o640),
          f"{USERS} is root:smsprov 0640 ({owner_mode(USERS)})")
    conffiles = sh("dpkg-query", "-W", "-f=${Conffiles}", "smsprov").stdout
    check(INI in conffiles and USERS not in conffiles,
          f"{INI} is a conffile, the users file is not: {conffiles.strip()}")
    for path in ("/usr/sbin/smsprovd", "/usr/bin/smsprov", "/usr/bin/mkwinpe",
                 "/usr/share/smsprov/mof/20_sms_bootimagepackage.mof",
                 "/usr/share/smsprov/mof/system/00_wmi_system.mof",
                 "/usr/share/doc/smsprov/README.md.gz", UNIT, *PAGES):
        check(os.path.exists(path), f"{path} is installed")
    for program in ("smsprovd", "smsprov"):
        out = sh(program, "--version").stdout.strip()
        check(out == f"{program} {deb_version}", f"{program} --version says {out!r}")
    for page in PAGES:
        r = sh("man", "--warnings", "-l", page, check_rc=False,
               env=dict(os.environ, MANPAGER="cat", MANWIDTH="80"))
        check(r.returncode == 0 and "SYNOPSIS" in r.stdout and not r.stderr.strip(),
              f"man -l {os.path.basename(page)} renders cleanly {r.stderr.strip()!r}")
    r = sh("systemd-analyze", "verify", UNIT, check_rc=False)
    problems = [line for line in (r.stdout + r.stderr).splitlines() if "smsprovd" in line]
    check(r.returncode == 0 and not problems,
          f"systemd-analyze verify smsprovd.service: exit {r.returncode} {problems}")
    # The installed programs find the installed schema with no --mof.
    with tempfile.TemporaryDirectory() as d:
        r = sh("smsprov", "--db", os.path.join(d, "site.db"), "classes", check_rc=False,
               env={k: v for k, v in os.environ.items() if k != "SMSPROV_MOF_DIR"})
        check(r.returncode == 0 and "SMS_BootImagePackage" in r.stdout,
              f"smsprov finds the installed MOF without --mof: {r.stderr.strip()!r}")


# ---- the test site ------------------------------------------------------------

def configure_site(ports):
    """The test site on top of the installed configuration: shares and
    inputs under /srv/smsprov, free ports, CIM-XML on."""
    sh("mkwinpe", "all", f"{SRV}/inputs")
    os.makedirs(f"{SRV}/sources", exist_ok=True)
    sh("mkwinpe", "image", f"{SRV}/sources/boot_x64.wim", "--arch", "x64")
    sh("chown", "-R", "smsprov:smsprov", SRV)
    with open(INI) as f:
        text = f.read()
    text = text.replace(";adk_root = /srv/smsprov/adk", f"adk_root = {SRV}/inputs/adk")
    text = text.replace(";configmgr_root = /srv/smsprov/configmgr",
                        f"configmgr_root = {SRV}/inputs/configmgr")
    text = text.replace(";\\\\lab\\sources = /srv/smsprov/sources",
                        f"\\\\lab\\sources = {SRV}/sources")
    text = text.replace("port = 5985", f"port = {ports['http']}")
    cimxml = "[cimxml.http]\nenabled = {}\naddress = 127.0.0.1\nport = {}"
    check(cimxml.format("false", 5988) in text, "the shipped INI has [cimxml.http], off")
    text = text.replace(cimxml.format("false", 5988), cimxml.format("true", ports["cimxml"]))
    text += "; edited by the install test\n"
    with open(INI, "w") as f:
        f.write(text)


class Service:
    """The unit's ExecStartPre and ExecStart, run by hand as smsprov, with a
    NOTIFY_SOCKET to learn when it is ready, as Type=notify does."""

    def __init__(self):
        pre = unit_lines("ExecStartPre")
        start = unit_lines("ExecStart")
        check(len(pre) == 1 and len(start) == 1, f"the unit has one ExecStartPre and ExecStart")
        r = sh(*as_service(pre[0]), check_rc=False)
        check(r.returncode == 0, f"ExecStartPre ({pre[0]}) passes: {r.stdout.strip()} "
                                 f"{r.stderr.strip()}")
        self.dir = tempfile.mkdtemp(prefix="smsprov-notify-")
        os.chmod(self.dir, 0o755)
        path = os.path.join(self.dir, "notify")
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(path)
        os.chmod(path, 0o777)
        self.sock.settimeout(120)
        # systemd's environment for a unit: no caller's variables.
        env = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "NOTIFY_SOCKET": path, "LANG": "C.UTF-8"}
        self.proc = subprocess.Popen(as_service(start[0]), env=env, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True)
        ready = self.sock.recv(4096).decode()
        check("READY=1" in ready, f"the installed smsprovd notifies READY=1 ({ready!r})")

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        try:
            out, err = self.proc.communicate(timeout=90)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            out, err = self.proc.communicate()
        check(self.proc.returncode == 0, f"smsprovd stops on SIGTERM (exit "
                                         f"{self.proc.returncode}) {err.strip()[-300:]!r}")
        self.sock.close()
        shutil.rmtree(self.dir, ignore_errors=True)


class Endpoint:
    def __init__(self, port):
        self.endpoint = f"http://127.0.0.1:{port}/wsman"


def drive(ports, expect_pid=None):
    """Creates a boot image over WS-Man (the import runs as smsprov and writes
    the content folder), reads it back over CIM-XML with wbemcli; with
    expect_pid, checks that package is still there.  Returns the new
    PackageID."""
    wh.USER, wh.PASSWORD = USER, PASSWORD
    client = wh.Client(Endpoint(ports["http"]), None, PASSWORD, False)
    root = client.send(wh.create("SMS_BootImagePackage", [
        ("Name", "Installed boot image"), ("ImagePath", r"\\lab\sources\boot_x64.wim"),
        ("ImageIndex", "1")]))
    pid = wh.package_id_of(root)
    check(re.match(r"^LAB[0-9A-F]{5}$", pid) is not None, f"WS-Man create gives {pid}")
    content = f"/var/lib/smsprov/content/boot.{pid}.wim"
    check(os.path.exists(content) and owner_mode(content)[0] == "smsprov",
          f"the import wrote {content} as smsprov")
    items = wh.enumerate_all(client, wh.CIM_URI + "SMS_BootImagePackage")
    ids = {wh.props_of(i).get("PackageID") for i in items}
    check(pid in ids and (expect_pid is None or expect_pid in ids),
          f"WS-Man enumerates the packages {sorted(ids)}")
    url = (f"http://{USER}:{PASSWORD}@127.0.0.1:{ports['cimxml']}/root/sms/site_LAB:"
           "SMS_BootImagePackage")
    r = sh("wbemcli", "ein", url, check_rc=False)
    check(r.returncode == 0 and pid in r.stdout and (expect_pid is None or expect_pid in r.stdout),
          f"wbemcli ein lists them over CIM-XML: {r.stdout.strip()[:200]!r} {r.stderr.strip()!r}")
    return pid


def check_site_files():
    check(owner_mode("/var/lib/smsprov/site.db")[0] == "smsprov",
          "the site database belongs to smsprov")
    log = "/var/log/smsprov/SMSProv.log"
    with open(log, encoding="utf-8", errors="replace") as f:
        text = f.read()
    check(owner_mode(log)[0] == "smsprov" and "starting" in text and "<![LOG[" in text,
          f"{log} belongs to smsprov and holds CMTrace lines")


# ---- upgrade and purge ----------------------------------------------------------

def repack(deb, version, workdir):
    """The same package with a higher version: an upgrade without a rebuild."""
    tree = os.path.join(workdir, "tree")
    sh("dpkg-deb", "-R", deb, tree)
    control = os.path.join(tree, "DEBIAN/control")
    with open(control) as f:
        text = re.sub(r"^Version: .*$", f"Version: {version}", f.read(), flags=re.M)
    with open(control, "w") as f:
        f.write(text)
    out = os.path.join(workdir, f"smsprov_{version}.deb")
    sh("dpkg-deb", "--root-owner-group", "-b", tree, out)
    return out


BOOT_TABLE = "root_sms_site_LAB.SMS_BootImagePackage"


def sql_as_service(db, statement):
    """Runs one SQL statement on db as smsprov (so any -wal or -shm file
    SQLite makes stays the service's); returns the rows as lines."""
    script = ("import sqlite3, sys\n"
              "with sqlite3.connect(sys.argv[1]) as c:\n"
              "    for row in c.execute(sys.argv[2]): print(*row, sep='|')\n")
    return sh(*as_service("/usr/bin/python3 -"), db, statement, input=script).stdout.splitlines()


def columns(db):
    return {line.split("|")[1] for line in
            sql_as_service(db, f'PRAGMA table_info("{BOOT_TABLE}")')}


def age_database(db):
    """Makes the site database look as if an older version, whose schema
    lacked SMS_BootImagePackage.Description, had made it."""
    sql_as_service(db, f'ALTER TABLE "{BOOT_TABLE}" DROP COLUMN "Description"')
    check("Description" not in columns(db), "the site database is made to look older")


def check_purged():
    r = sh("dpkg-query", "-W", "-f=${Status}", "smsprov", check_rc=False)
    check(r.returncode != 0 or "not-installed" in r.stdout,
          f"dpkg knows no smsprov after purge ({r.stdout.strip()!r})")
    for path in ("/etc/smsprov", "/var/lib/smsprov", "/var/log/smsprov", "/usr/sbin/smsprovd",
                 "/usr/bin/smsprov", "/usr/bin/mkwinpe", "/usr/share/smsprov",
                 "/usr/share/doc/smsprov", UNIT, *PAGES):
        check(not os.path.lexists(path), f"{path} is gone after purge")
    left = glob.glob("/etc/systemd/system/*/smsprovd.service") + \
        glob.glob("/var/lib/systemd/deb-systemd-helper-enabled/**/smsprovd*", recursive=True)
    check(not left, f"no systemd state is left for smsprovd: {left}")
    # Debian keeps system users on purge: files elsewhere may still be theirs.
    check(pwd.getpwnam("smsprov") is not None, "the system user smsprov stays (Debian practice)")


def main():
    if os.geteuid() != 0:
        print("SKIP: the install test installs and purges a package; run it as root")
        return 77
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    deb = os.path.abspath(sys.argv[1])
    r = sh("dpkg-query", "-W", "-f=${Status}", "smsprov", check_rc=False)
    if "installed" in r.stdout.split() or os.path.exists(SRV):
        print(f"SKIP: smsprov is installed or {SRV} exists; the test would remove them")
        return 77
    version = sh("dpkg-deb", "-f", deb, "Version").stdout.strip()
    work = tempfile.mkdtemp(prefix="smsprov-install-test-")
    service = None
    try:
        apt("install", deb)
        check_installed(version)
        r = sh(*as_service(f"/usr/sbin/smsprovd check-config {INI}"), check_rc=False)
        check(r.returncode == 1 and "names no user" in r.stderr,
              f"a fresh install refuses to start until a user is added: {r.stderr.strip()!r}")
        with open(INI) as f:
            check(f"first_admin = {USER}" in f.read(),
                  f"the shipped configuration makes {USER} the first Full Administrator")
        sh("smsprovd", "adduser", USERS, USER, input=PASSWORD + "\n")
        check(owner_mode(USERS) == ("root", "smsprov", 0o640),
              f"adduser as root keeps {USERS} root:smsprov 0640 ({owner_mode(USERS)})")
        ports = {"http": free_port(), "cimxml": free_port()}
        configure_site(ports)

        service = Service()
        first = drive(ports)
        service.stop()
        service = None
        check_site_files()

        age_database("/var/lib/smsprov/site.db")
        apt("install", repack(deb, version + "+upgrade1", work))
        with open(INI) as f:
            check("; edited by the install test" in f.read(),
                  "the upgrade kept the edited conffile")
        with open(USERS) as f:
            check(f.read().startswith(USER + ":"), "the upgrade kept the users file")
        service = Service()
        check("Description" in columns("/var/lib/smsprov/site.db"),
              "the start after the upgrade upgraded the site database's schema in place")
        drive(ports, expect_pid=first)
        service.stop()
        service = None

        apt("remove", "smsprov")
        check(os.path.exists("/var/lib/smsprov/site.db") and os.path.exists(INI),
              "remove keeps the site and the configuration")
        apt("purge", "smsprov")
        check_purged()
    finally:
        if service:
            service.proc.kill()
        sh("apt-get", "-y", "-q", "purge", "smsprov", check_rc=False,
           env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"))
        shutil.rmtree(SRV, ignore_errors=True)
        shutil.rmtree(work, ignore_errors=True)
    print(f"{len(failures)} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
