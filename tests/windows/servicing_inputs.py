"""The inputs of the Wine servicing suite (test_wmi_servicing), made on the
Linux side before it runs: mkwinpe's ADK and ConfigMgr trees (x64), source
images (a small one, a damaged one, and one with a 48 MiB payload whose servicing lasts
long enough to be watched), the e1000 driver package, a
prestart folder, and the SHA-256 of every source file, which
check_servicing.py compares afterwards (servicing never changes a source).

Usage: servicing_inputs.py MKWINPE DIR OUT  (OUT: emptied for the suite's results)"""
import hashlib
import json
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e"))
from test_customization import E1000_INF  # noqa: E402
from test_servicing_integrity import damage  # noqa: E402


def run(*args):
    r = subprocess.run(list(args), capture_output=True, text=True, timeout=300)
    if r.returncode != 0:
        sys.exit(f"{' '.join(args)}: {r.stderr}")


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


def main():
    mkwinpe, out, results = sys.argv[1], sys.argv[2], sys.argv[3]
    shutil.rmtree(results, ignore_errors=True)
    os.makedirs(results)
    shutil.rmtree(out, ignore_errors=True)
    sources = os.path.join(out, "sources")
    os.makedirs(sources)
    run(mkwinpe, "adk", os.path.join(out, "adk"), "--arches", "x64")
    run(mkwinpe, "configmgr", os.path.join(out, "configmgr"), "--arches", "x64")
    run(mkwinpe, "image", os.path.join(sources, "boot_x64.wim"), "--arch", "x64")
    run(mkwinpe, "image", os.path.join(sources, "big_x64.wim"), "--arch", "x64",
        "--payload-mb", "48")
    # A payload big enough for a damaged chunk that decompression notices.
    run(mkwinpe, "image", os.path.join(sources, "damaged.wim"), "--arch", "x64",
        "--payload-mb", "4")
    damage(os.path.join(sources, "damaged.wim"))
    drivers = os.path.join(sources, "drivers", "e1000")
    write(os.path.join(drivers, "e1000.inf"), E1000_INF.encode())
    write(os.path.join(drivers, "e1000.cat"), b"catalog")
    write(os.path.join(drivers, "x64", "e1000.sys"), b"MZ driver")
    write(os.path.join(sources, "prestart", "FrontEnd.hta"), b"<html>front end</html>")
    write(os.path.join(sources, "prestart", "lib", "helper.vbs"), b"WScript.Echo 1")
    os.makedirs(os.path.join(out, "export"))
    digests = {}
    for root, _, files in os.walk(sources):
        for name in files:
            path = os.path.join(root, name)
            with open(path, "rb") as f:
                digests[os.path.relpath(path, sources)] = hashlib.sha256(f.read()).hexdigest()
    with open(os.path.join(out, "sources.sha256.json"), "w") as f:
        json.dump(digests, f, indent=1, sort_keys=True)


if __name__ == "__main__":
    main()
