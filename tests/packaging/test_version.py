"""One version everywhere: the CMake project VERSION (argv[1]), the top
entry of debian/changelog (a native package, so the same string), and what
`smsprovd --version` and `smsprov --version` print."""
import os
import re
import subprocess
import sys

version = sys.argv[1]
source = os.environ["SMSPROV_SOURCE_DIR"]
failures = []

with open(os.path.join(source, "debian/changelog")) as f:
    m = re.match(r"smsprov \(([^)]+)\) ", f.readline())
debian = m.group(1) if m else None
if debian != version:
    failures.append(f"debian/changelog's top entry is {debian!r}, CMakeLists.txt says {version!r}; "
                    "add a changelog entry (dch -v) for the new version")

for program, name in ((os.environ["SMSPROVD"], "smsprovd"), (os.environ["SMSPROV_CLI"], "smsprov")):
    r = subprocess.run([program, "--version"], capture_output=True, text=True)
    if r.returncode != 0 or r.stdout != f"{name} {version}\n":
        failures.append(f"{name} --version printed {r.stdout!r} (exit {r.returncode}), "
                        f"expected {name} {version}")

for f in failures:
    print("FAIL:", f)
print(f"version {version}: {len(failures)} problem(s)")
sys.exit(1 if failures else 0)
