#!/usr/bin/env python3
"""The boot image smsprov.dll built under Wine (test_wmi_inject), read on
the Linux side by independent readers: wimlib-imagex verifies it and lists
its files, every file osdinjection.xml names for x64 is in it, every file
of the source image is still there, the source WIM itself is unchanged,
and hivexget reads the scratch space from its SYSTEM hive.

usage: check_inject.py OUT_DIR WINPE_DIR"""
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e"))
from servicing_harness import InputTrees, expected_files, sha256, wim_files  # noqa: E402
from test_customization import CBS  # noqa: E402


def fail(why):
    print(f"check_inject: {why}", file=sys.stderr)
    sys.exit(1)


def run(*args):
    r = subprocess.run(list(args), capture_output=True, text=True, timeout=120)
    if r.returncode != 0:
        fail(f"{' '.join(args)} failed: {r.stdout}{r.stderr}")
    return r.stdout


def check_optional_components(wim, out_dir):
    """HTA and PowerShell with their prerequisites, each neutral and en-us,
    in the image and registered installed (112) in its SOFTWARE hive."""
    run("wimlib-imagex", "verify", wim)
    files = wim_files(wim)
    scratch = tempfile.mkdtemp(dir=out_dir)
    try:
        run("wimlib-imagex", "extract", wim, "1", "/Windows/System32/config/SOFTWARE",
            f"--dest-dir={scratch}", "--no-acls")
        software = os.path.join(scratch, "SOFTWARE")
        for name in ("WMI", "NetFx", "Scripting", "PowerShell", "HTA"):
            for lang in ("", "en-us"):
                package = f"WinPE-{name}-Package~31bf3856ad364e35~amd64~{lang}~10.0.22621.1"
                if f"/windows/servicing/packages/{package.lower()}.mum" not in files:
                    fail(f"{package}.mum is not in the image")
                state = run("hivexget", software, CBS + package, "CurrentState").strip()
                if state != "112":
                    fail(f"{package} has CurrentState {state!r}, not 112")
            if f"/windows/system32/winpe-{name.lower()}.dll" not in files:
                fail(f"winpe-{name.lower()}.dll is not in the image")
    finally:
        shutil.rmtree(scratch)


def main():
    out_dir, winpe = sys.argv[1], sys.argv[2]
    result = os.path.join(out_dir, "result.wim")
    source = os.path.join(winpe, "images", "boot_x64.wim")
    run("wimlib-imagex", "verify", result)
    files = wim_files(result)
    missing = expected_files(InputTrees(winpe), "x64", ["00000409"]) - files
    if missing:
        fail(f"missing from the boot image: {sorted(missing)}")
    lost = wim_files(source) - files
    if lost:
        fail(f"files of the source image gone: {sorted(lost)}")
    if sha256(os.path.join(out_dir, "source-after.wim")) != sha256(source):
        fail("the source WIM on the share changed")
    scratch = tempfile.mkdtemp(dir=out_dir)
    try:
        run("wimlib-imagex", "extract", result, "1", "/Windows/System32/config/SYSTEM",
            f"--dest-dir={scratch}", "--no-acls")
        hive = os.path.join(scratch, "SYSTEM")
        value = run("hivexget", hive, "\\ControlSet001\\Services\\FBWF",
                    "WinPECacheThreshold").strip()
        if value != "256":
            fail(f"WinPECacheThreshold is {value!r}, not 256")
        winpeshl = os.path.join(scratch, "winpeshl.ini")
        run("wimlib-imagex", "extract", result, "1", "/Windows/System32/winpeshl.ini",
            f"--dest-dir={scratch}", "--no-acls")
        with open(winpeshl, encoding="utf-8", errors="replace") as f:
            if "TsBootShell.exe" not in f.read():
                fail("winpeshl.ini does not start TsBootShell.exe")
    finally:
        shutil.rmtree(scratch)
    check_optional_components(os.path.join(out_dir, "result-ocs.wim"), out_dir)
    print(f"check_inject: {result} verifies, holds the {len(files)} files expected, and "
          "its SYSTEM hive reads back with hivexget; the optional components are in "
          "result-ocs.wim and registered in its SOFTWARE hive")


main()
