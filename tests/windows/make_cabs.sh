#!/bin/sh
# Cabinets for test_osd_cab, made on the Linux side with gcab (libgcab's
# tool): a good one with a subfolder, one whose name climbs out of its
# folder (a stored name patched in place: CFFILE names carry no checksum),
# and a file that is no cabinet.
set -eu
out="$1"
rm -rf "$out"
mkdir -p "$out/src/sub" "$out/src/zz"
printf 'hello cabinet\n' > "$out/src/a.txt"
printf 'inside a folder\n' > "$out/src/sub/b.txt"
printf 'escaped\n' > "$out/src/zz/evil.txt"
(cd "$out/src" && gcab -c -z ../good.cab a.txt sub/b.txt && gcab -c ../evil.cab zz/evil.txt)
python3 - "$out/evil.cab" <<'PY'
import sys
path = sys.argv[1]
data = open(path, "rb").read()
assert data.count(b"zz\\evil.txt") == 1
open(path, "wb").write(data.replace(b"zz\\evil.txt", b"..\\evil.txt"))
PY
printf 'MSCF but not really a cabinet\n' > "$out/notcab.cab"
rm -rf "$out/src"
