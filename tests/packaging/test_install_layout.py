"""`cmake --install` puts every file in its FHS place under a prefix: the
server in sbin, the client and mkwinpe in bin, the MOF schema (without the
Windows-only registration folder) in share/smsprov/mof, the man pages in
their sections (when scdoc built them) and the documents in share/doc.

    test_install_layout.py BUILD_DIR   (SMSPROV_SCRATCH: where to install)"""
import os
import shutil
import subprocess
import sys
import tempfile

build = sys.argv[1]
scratch = os.environ.get("SMSPROV_SCRATCH", tempfile.gettempdir())
os.makedirs(scratch, exist_ok=True)
prefix = tempfile.mkdtemp(prefix="install-layout-", dir=scratch)
failures = []
try:
    r = subprocess.run(["cmake", "--install", build, "--prefix", prefix], capture_output=True,
                       text=True, timeout=120)
    if r.returncode != 0:
        failures.append(f"cmake --install failed: {r.stderr.strip()}")
    found = {os.path.relpath(os.path.join(d, f), prefix)
             for d, _, files in os.walk(prefix) for f in files}
    expected = {"sbin/smsprovd", "bin/smsprov", "bin/mkwinpe",
                "share/smsprov/mof/20_sms_bootimagepackage.mof",
                "share/smsprov/mof/system/00_wmi_system.mof",
                "share/doc/smsprov/README.md", "share/doc/smsprov/LICENSE"}
    if os.path.exists(os.path.join(build, "doc", "smsprovd.8")):
        expected |= {"share/man/man8/smsprovd.8", "share/man/man1/smsprov.1",
                     "share/man/man5/smsprovd.ini.5", "share/man/man1/mkwinpe.1"}
    for path in sorted(expected - found):
        failures.append(f"{path} is not installed")
    for path in sorted(found):
        if "windows" in path.split("/"):
            failures.append(f"{path} (Windows only) is installed")
        for program in ("sbin/smsprovd", "bin/smsprov", "bin/mkwinpe"):
            if path == program and not os.access(os.path.join(prefix, path), os.X_OK):
                failures.append(f"{path} is not executable")
    mofs = sorted(p for p in found if p.endswith(".mof"))
    with os.scandir(os.path.join(os.environ["SMSPROV_SOURCE_DIR"], "mof")) as it:
        source_mofs = sorted("share/smsprov/mof/" + e.name for e in it if e.name.endswith(".mof"))
    if not set(source_mofs) <= set(mofs):
        failures.append(f"not every mof/*.mof is installed: {sorted(set(source_mofs) - set(mofs))}")
    print(f"{len(found)} files installed under {prefix}")
finally:
    shutil.rmtree(prefix, ignore_errors=True)
for f in failures:
    print("FAIL:", f)
sys.exit(1 if failures else 0)
