"""`systemd-analyze verify` accepts debian/'s smsprovd.service, pointed at
this build's smsprovd and man pages (the installed unit is verified again
by install_test.py).  Also checks what the unit promises: Type=notify, the
check-config ExecStartPre, the sandbox, no capabilities, and an ExecReload
that sends SIGHUP to the main process (smsprovd reloads on it).  Exits 77
without systemd-analyze or the man pages."""
import os
import re
import shutil
import subprocess
import sys
import tempfile

SOURCE = os.environ["SMSPROV_SOURCE_DIR"]
MAN_DIR = os.path.abspath(os.environ["SMSPROV_MAN_DIR"])
SMSPROVD = os.environ["SMSPROVD"]
UNIT = os.path.join(SOURCE, "debian/smsprov.smsprovd.service")

if not shutil.which("systemd-analyze"):
    print("SKIP: systemd-analyze is not installed (Debian package systemd)")
    sys.exit(77)
if not os.path.exists(os.path.join(MAN_DIR, "smsprovd.8")):
    print("SKIP: the man pages were not built (install scdoc and build again)")
    sys.exit(77)

failures = []
with open(UNIT) as f:
    text = f.read()
settings = {}
for line in text.splitlines():
    if "=" in line and not line.startswith("#"):
        key, value = line.split("=", 1)
        settings.setdefault(key, []).append(value)
expected = {
    "Type": ["notify"], "User": ["smsprov"], "Group": ["smsprov"],
    "ExecStartPre": ["/usr/sbin/smsprovd check-config /etc/smsprov/smsprovd.ini"],
    "ExecStart": ["/usr/sbin/smsprovd --config /etc/smsprov/smsprovd.ini"],
    "ProtectSystem": ["strict"], "NoNewPrivileges": ["yes"], "PrivateTmp": ["yes"],
    "CapabilityBoundingSet": [""],
}
for key, value in expected.items():
    if settings.get(key) != value:
        failures.append(f"{key}= is {settings.get(key)}, expected {value}")
rw = " ".join(settings.get("ReadWritePaths", []))
for path in ("/var/lib/smsprov", "/var/log/smsprov", "/srv/smsprov"):
    if path not in rw:
        failures.append(f"ReadWritePaths= lacks {path}")
if settings.get("ExecReload") != ["/bin/kill -HUP $MAINPID"]:
    failures.append(f"ExecReload= is {settings.get('ExecReload')}, expected "
                    "/bin/kill -HUP $MAINPID (smsprovd reloads on SIGHUP)")

with tempfile.TemporaryDirectory() as tmp:
    for page, section in (("smsprovd.8", "8"), ("smsprovd.ini.5", "5")):
        os.makedirs(os.path.join(tmp, "man", "man" + section))
        os.symlink(os.path.join(MAN_DIR, page), os.path.join(tmp, "man", "man" + section, page))
    unit = os.path.join(tmp, "smsprovd.service")
    with open(unit, "w") as f:
        f.write(re.sub(r"/usr/sbin/smsprovd\b", SMSPROVD, text))
    r = subprocess.run(["systemd-analyze", "verify", unit], capture_output=True, text=True,
                       env=dict(os.environ, MANPATH=os.path.join(tmp, "man")), timeout=60)
    if r.returncode != 0 or r.stdout.strip() or r.stderr.strip():
        failures.append(f"systemd-analyze verify: exit {r.returncode}: {r.stdout}{r.stderr}")

for f in failures:
    print("FAIL:", f)
print(f"smsprovd.service: {len(failures)} problem(s)")
sys.exit(1 if failures else 0)
