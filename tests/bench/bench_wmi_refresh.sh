#!/usr/bin/env bash
# bench_wmi_refresh.sh SMSPROV MKWINPE BENCH_EXE BRIDGE_DIR MOF_DIR WORKDIR [PAYLOAD_MB] [RUNS]
#
# RefreshPkgSource of a boot image package whose source is a synthetic
# WinPE boot.wim of about PAYLOAD_MB (default 300) MiB, done by smsprov.dll
# under Wine (BENCH_EXE, bench_wmi_refresh.exe, loads the copy of the DLL
# in BRIDGE_DIR, beside the test-only libwim-15.dll that forwards to
# Debian's libwim) and by the native `smsprov` CLI, on the same inputs and
# the same machine.  The DLL's times are taken inside the host process
# (Wine's start-up is not in them; its file layer and the bridge are); the
# CLI's include its process start (a few ms).  Each side runs a first
# import, then RUNS (default 3) refreshes; the sides alternate, RUNS
# rounds of one refresh each after the imports.  Prints every time, the
# best of each and their ratio; the goal is DLL <= 1.5x the CLI.
#
# Inputs are kept in WORKDIR, so a second run skips making them.  Never
# run by ctest: `cmake --build build-windows --target bench_wmi_refresh`.
set -euo pipefail

SMSPROV=$(realpath "$1")
MKWINPE=$(realpath "$2")
BENCH_EXE=$(realpath "$3")
BRIDGE=$(realpath "$4")
MOF=$(realpath "$5")
WORK=$6
PAYLOAD_MB=${7:-300}
RUNS=${8:-3}
mkdir -p "$WORK"
WORK=$(realpath "$WORK")
cd "$WORK"

SOURCE=inputs/sources/boot.wim
if [[ ! -f $SOURCE || ! -f inputs/.payload-$PAYLOAD_MB ]]; then
    rm -rf inputs
    mkdir -p inputs/sources
    "$MKWINPE" image "$SOURCE" --arch x64 --payload-mb "$PAYLOAD_MB" >/dev/null
    touch "inputs/.payload-$PAYLOAD_MB"
fi
"$MKWINPE" adk inputs/adk >/dev/null
"$MKWINPE" configmgr inputs/configmgr >/dev/null
echo "source: $SOURCE, $(stat -c %s "$SOURCE") bytes ($PAYLOAD_MB MiB payload, LZX)"

export WINEDEBUG=-all WINEPREFIX="$WORK/wineprefix"
export SMSPROV_WMI_DLL="$BRIDGE/smsprov.dll" WINEDLLPATH="$BRIDGE"
export SMSPROV_SOURCE_MOF_DIR="$MOF" SMSPROV_WINDOWS_SCRATCH="$WORK/dll"
mkdir -p "$WORK/dll"
[[ -d $WINEPREFIX ]] || wine wineboot --init >/dev/null 2>&1

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
best() { printf '%s\n' "$@" | sort -n | head -1; }

SMS=("$SMSPROV" --db cli/site.db --adk inputs/adk --configmgr inputs/configmgr
     --content cli/content --share "\\\\bench\\sources=$WORK/inputs/sources")
PKG='SMS_BootImagePackage.PackageID="LAB00001"'
cli=()
dll=()
cli_import=
dll_import=

cli_first() {
    rm -rf cli
    mkdir -p cli
    sync
    local t0 t1
    t0=$(now)
    "${SMS[@]}" create SMS_BootImagePackage Name=bench 'ImagePath=\\bench\sources\boot.wim' \
        ContextID=first >/dev/null
    t1=$(now)
    cli_import=$(elapsed "$t0" "$t1")
}

cli_refresh() {
    sync
    local t0 t1
    t0=$(now)
    "${SMS[@]}" invoke "$PKG" RefreshPkgSource "ContextID=bench-$1" >/dev/null
    t1=$(now)
    cli+=("$(elapsed "$t0" "$t1")")
}

# One Wine process per round: a first import then one refresh; its import
# only counts in the first round (each round starts from a fresh site).
dll_round() {
    sync
    local out
    out=$(wine "$BENCH_EXE" "$WORK/inputs" 1 2>"$WORK/dll-stderr.txt") || {
        cat "$WORK/dll-stderr.txt" >&2
        exit 1
    }
    [[ -n $dll_import ]] || dll_import=$(awk '$1 == "import" { print $2 }' <<<"$out")
    dll+=("$(awk '$1 == "refresh" { print $2 }' <<<"$out")")
}

cli_first
dll_round
for ((i = 1; i <= RUNS; i++)); do
    cli_refresh "$i"
    ((i == 1)) || dll_round
done
wimlib-imagex verify cli/content/boot.LAB00001.wim >/dev/null
wimlib-imagex verify "$WORK/dll/bench/content/boot.BEN00001.wim" >/dev/null

c=$(best "${cli[@]}")
d=$(best "${dll[@]}")
echo "first import, smsprov CLI (Linux):              $cli_import s"
echo "first import, smsprov.dll under Wine:           $dll_import s"
echo "RefreshPkgSource, smsprov CLI (Linux):          ${cli[*]} s  best $c s"
echo "RefreshPkgSource, smsprov.dll under Wine:       ${dll[*]} s  best $d s"
echo "machine load (1, 5, 15 min): $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
awk -v c="$c" -v d="$d" -v ci="$cli_import" -v di="$dll_import" 'BEGIN {
    printf "ratio RefreshPkgSource DLL / CLI: %.2f (goal <= 1.5)\n", d / c
    printf "ratio first import DLL / CLI:     %.2f\n", di / ci }'
