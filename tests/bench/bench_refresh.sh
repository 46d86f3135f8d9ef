#!/usr/bin/env bash
# bench_refresh.sh SMSPROV MKWINPE WORKDIR [PAYLOAD_MB] [RUNS]
#
# The first import (a create with ImagePath, in a fresh site: the source is
# verified in full) and RefreshPkgSource (the source already verified, so
# only the written WIM is checked) of a boot image package whose source is a
# synthetic WinPE boot.wim of about PAYLOAD_MB (default 300) MiB, against
# doing the same by hand with wimlib-imagex: `export --boot` of the image,
# then `update` with the same file adds (the files our refresh injected,
# extracted from its result), then a flush.  Prints each time, the best of
# RUNS (default 3) and the ratios; the goals are refresh <= 1.2x and first
# import <= 2x the pair with a flush.  Both of ours also check the new WIM
# (each blob copied from the source compared with it byte for byte, each
# new blob decompressed) and rename it into place durably.
#
# Built inputs are kept in WORKDIR, so a second run skips making them.
# Never run by ctest: `cmake --build BUILD --target bench_refresh`.
set -euo pipefail

SMSPROV=$(realpath "$1")
MKWINPE=$(realpath "$2")
WORK=$3
PAYLOAD_MB=${4:-300}
RUNS=${5:-3}
mkdir -p "$WORK"
cd "$WORK"

now() { date +%s.%N; }
# Runs a command under GNU time, adding its user + system CPU seconds to
# $CPU: elapsed time on a shared machine depends on the others' load, CPU
# time much less.
CPU=0
timed() {
    /usr/bin/time -f '%U %S' -o cpu.txt "$@"
    CPU=$(awk -v c="$CPU" '{ printf "%.2f", c + $1 + $2 }' cpu.txt)
}
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
best() { printf '%s\n' "$@" | sort -n | head -1; }

SOURCE=sources/boot.wim
if [[ ! -f $SOURCE || ! -f sources/.payload-$PAYLOAD_MB ]]; then
    rm -rf sources
    mkdir -p sources
    "$MKWINPE" image "$SOURCE" --arch x64 --payload-mb "$PAYLOAD_MB" >/dev/null
    touch "sources/.payload-$PAYLOAD_MB"
fi
"$MKWINPE" adk adk >/dev/null
"$MKWINPE" configmgr configmgr >/dev/null
echo "source: $SOURCE, $(stat -c %s "$SOURCE") bytes ($PAYLOAD_MB MiB payload, LZX)"

site_args() {
    SMS=("$SMSPROV" --db "$1/site.db" --adk adk --configmgr configmgr --content "$1/content"
         --share "\\\\bench\\sources=$PWD/sources")
}
PKG='SMS_BootImagePackage.PackageID="LAB00001"'

CONTENT=site/content/boot.LAB00001.wim

# A first import, in a fresh site so nothing records the source as verified.
first_import() {
    rm -rf site
    mkdir -p site
    site_args site
    sync
    local t0 t1
    CPU=0
    t0=$(now)
    timed "${SMS[@]}" create SMS_BootImagePackage Name=bench \
        'ImagePath=\\bench\sources\boot.wim' "ContextID=first-$1" >/dev/null
    t1=$(now)
    first+=("$(elapsed "$t0" "$t1")")
    first_cpu+=("$CPU")
}

refresh() {
    sync
    local t0 t1
    CPU=0
    t0=$(now)
    timed "${SMS[@]}" invoke "$PKG" RefreshPkgSource "ContextID=bench-$1" >/dev/null
    t1=$(now)
    ours+=("$(elapsed "$t0" "$t1")")
    ours_cpu+=("$CPU")
}

by_hand_once() {
    # A refresh replaces the previous content, so the baseline's removal of
    # its previous output is timed too (freeing ~240 MB takes tens of ms).
    [[ -f base.wim ]] || cp "$SOURCE" base.wim
    sync
    local t0 t1 t2 t3
    CPU=0
    t0=$(now)
    rm -f base.wim
    timed wimlib-imagex export "$SOURCE" 1 base.wim --boot >/dev/null
    timed wimlib-imagex update base.wim 1 <update.txt >/dev/null
    t1=$(now)
    hand_cpu+=("$CPU")
    sync base.wim .
    t2=$(now)
    wimlib-imagex verify base.wim >/dev/null 2>&1
    t3=$(now)
    by_hand+=("$(elapsed "$t0" "$t1")")
    flushed+=("$(elapsed "$t0" "$t2")")
    checked+=("$(elapsed "$t0" "$t3")")
}

# The same file adds by hand, from what our import put into the image:
# every file whose content (path and hash) the source does not have, the
# OSD binaries, the shell files, the required optional components and the
# hives they edit.
files_with_hashes() {
    wimlib-imagex dir "$1" 1 --detailed |
        awk '/^Full Path/ { sub(/^Full Path *= "/, ""); sub(/"$/, ""); path = $0; next }
             /^Hash/ && path != "" && $3 !~ /^0x0+$/ { print path "\t" $3; path = "" }' | sort
}
first=()
ours=()
first_cpu=()
ours_cpu=()
hand_cpu=()
by_hand=()
flushed=()
checked=()
first_import 0
first=()
first_cpu=()
comm -13 <(files_with_hashes "$SOURCE") <(files_with_hashes "$CONTENT") | cut -f1 >added.lst
rm -rf stage
mkdir -p stage
wimlib-imagex extract "$CONTENT" 1 @added.lst --dest-dir=stage --no-acls \
    --preserve-dir-structure >/dev/null
: >update.txt
for top in stage/*; do
    echo "add $top /${top#stage/}" >>update.txt
done

# Interleaved, so a change in the machine's load hits all three alike.
for ((i = 1; i <= RUNS; i++)); do
    first_import "$i"
    refresh "$i"
    by_hand_once
done
wimlib-imagex verify "$CONTENT" >/dev/null 2>&1

# Where a job spent its time, from its status queue's timestamps.
phases_of() {
    sqlite3 site/site.db "SELECT substr(At, 9, 13), ProgressText FROM smsprov_job_status
                          WHERE ContextID = '$1' ORDER BY Seq" |
        awk -F'|' '{ s = substr($1,1,2)*3600 + substr($1,3,2)*60 + substr($1,5)
                     split($2, w, " "); step = w[1] ($2 ~ /^Verifying the source/ ? "-source" : "")
                     if (n) { if (!(name in spent)) order[k++] = name; spent[name] += s - t }
                     name = step; t = s; n++ }
                   END { for (i = 0; i < k; i++) printf "%s %.3f s, ", order[i], spent[order[i]] }'
}
first_phases=$(phases_of "first-$RUNS")
phases=$(phases_of "bench-$RUNS")
[[ $(wimlib-imagex dir base.wim 1 | wc -l) -eq $(wimlib-imagex dir "$CONTENT" 1 | wc -l) ]] ||
    echo "warning: the two images list different numbers of files" >&2
echo "files added or changed by the refresh, and by hand: $(wc -l <added.lst)"

o=$(best "${ours[@]}")
fi1=$(best "${first[@]}")
h=$(best "${by_hand[@]}")
f=$(best "${flushed[@]}")
c=$(best "${checked[@]}")
echo "first import (smsprov CLI, source verified):     ${first[*]} s  best $fi1 s"
echo "  CPU (user + system): ${first_cpu[*]} s"
echo "  last import by step: ${first_phases%, }"
echo "RefreshPkgSource (smsprov CLI, source on record): ${ours[*]} s  best $o s"
echo "  last refresh by step: ${phases%, }"
echo "  CPU (user + system): ${ours_cpu[*]} s"
echo "wimlib-imagex export --boot + update:            ${by_hand[*]} s  best $h s"
echo "  CPU (user + system): ${hand_cpu[*]} s"
echo "  same + flush to disk (sync file and folder):   ${flushed[*]} s  best $f s"
echo "  same + flush + wimlib-imagex verify:           ${checked[*]} s  best $c s"
echo "machine load (1, 5, 15 min): $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
awk -v o="$o" -v i="$fi1" -v h="$h" -v f="$f" -v c="$c" 'BEGIN {
    printf "ratio RefreshPkgSource / (export + update + flush):         %.2f (goal <= 1.2)\n", o / f
    printf "ratio first import / (export + update + flush):             %.2f (goal <= 2)\n", i / f
    printf "ratio RefreshPkgSource / (export + update):                 %.2f\n", o / h
    printf "ratio RefreshPkgSource / (export + update + flush + verify): %.2f\n", o / c
    printf "ratio first import / (export + update + flush + verify):     %.2f\n", i / c }'
