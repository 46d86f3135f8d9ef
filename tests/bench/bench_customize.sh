#!/usr/bin/env bash
# bench_customize.sh SMSPROV MKWINPE WORKDIR [PAYLOAD_MB] [RUNS]
#
# RefreshPkgSource of a boot image whose source is a synthetic WinPE
# boot.wim of about PAYLOAD_MB (default 300) MiB, with every WinPE
# customisation at once:
#   - all 25 x64 optional components (IDs 27-52 but 49), so every cabinet
#     and language cabinet of the ADK is extracted and registered;
#   - DRIVERS (default 10) driver packages of 2 MiB each (INF, catalog,
#     two .sys files named through SourceDisksNames/SourceDisksFiles);
#   - ScratchSpace 512, a prestart command with a 4 MiB folder, a 1 MiB
#     background bitmap, EnableLabShell;
# against the same refresh with no customisation (the OSD binaries and the
# four required components only).  Prints each time, the best of RUNS
# (default 3), where the last customised refresh spent its time (from its
# status queue) and the content sizes.
#
# Built inputs are kept in WORKDIR, so a second run skips making them.
# Never run by ctest: `cmake --build BUILD --target bench_customize`.
set -euo pipefail

SMSPROV=$(realpath "$1")
MKWINPE=$(realpath "$2")
WORK=$3
PAYLOAD_MB=${4:-300}
RUNS=${5:-3}
DRIVERS=${DRIVERS:-10}
mkdir -p "$WORK"
cd "$WORK"

now() { date +%s.%N; }
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

# Driver packages, the prestart folder and the background.
for ((d = 1; d <= DRIVERS; d++)); do
    dir=sources/drivers/nic$d
    [[ -f $dir/nic$d.inf ]] && continue
    mkdir -p "$dir/x64"
    printf '[Version]\r\nSignature="$Windows NT$"\r\nClass=Net\r\n' >"$dir/nic$d.inf"
    printf 'ClassGUID={4d36e972-e325-11ce-bfc1-08002be10318}\r\nProvider=Contoso\r\n' \
        >>"$dir/nic$d.inf"
    printf 'CatalogFile=nic%d.cat\r\nDriverVer=06/21/2023,1.0.0.%d\r\n' "$d" "$d" >>"$dir/nic$d.inf"
    printf '[SourceDisksNames]\r\n1=Disk,,,\\x64\r\n[SourceDisksFiles]\r\n' >>"$dir/nic$d.inf"
    printf 'nic%d.sys=1\r\nnic%dcoin.sys=1\r\n' "$d" "$d" >>"$dir/nic$d.inf"
    printf '[Manufacturer]\r\nContoso=M,NTamd64\r\n[M.NTamd64]\r\nNic=I,PCI\\VEN_%04d\r\n' "$d" \
        >>"$dir/nic$d.inf"
    head -c 4096 /dev/urandom >"$dir/nic$d.cat"
    head -c 1048576 /dev/urandom >"$dir/x64/nic$d.sys"
    head -c 1044480 /dev/urandom >"$dir/x64/nic${d}coin.sys"
done
if [[ ! -d sources/prestart ]]; then
    mkdir -p sources/prestart/bin
    head -c 2097152 /dev/urandom >sources/prestart/bin/tool.exe
    head -c 2097152 /dev/urandom >sources/prestart/bin/data.bin
    echo '<html>front end</html>' >sources/prestart/FrontEnd.hta
fi
[[ -f sources/background.bmp ]] ||
    { printf 'BM'; head -c 1048574 /dev/urandom; } >sources/background.bmp
echo "source: $SOURCE, $(stat -c %s "$SOURCE") bytes ($PAYLOAD_MB MiB payload, LZX)"
echo "added: 25 optional components, $DRIVERS drivers of 2 MiB, a 4 MiB prestart folder," \
     "a 1 MiB background"

rm -rf site
mkdir -p site
SMS=("$SMSPROV" --db site/site.db --adk adk --configmgr configmgr --content site/content
     --share "\\\\bench\\sources=$PWD/sources")
refs=()
for ((d = 1; d <= DRIVERS; d++)); do
    "${SMS[@]}" create SMS_Driver "ContentSourcePath=\\\\bench\\sources\\drivers\\nic$d" \
        "DriverINFFile=nic$d.inf" >/dev/null
    refs+=("{\"__CLASS\":\"SMS_Driver_Details\",\"ID\":$d,\"SourcePath\":\"\\\\\\\\bench\\\\sources\\\\drivers\\\\nic$d\"}")
done
REFS="[$(IFS=,; echo "${refs[*]}")]"
IDS="[$(seq -s, 27 48),50,51,52]"
"${SMS[@]}" create SMS_BootImagePackage Name=plain 'ImagePath=\\bench\sources\boot.wim' \
    >/dev/null
"${SMS[@]}" create SMS_BootImagePackage Name=everything 'ImagePath=\\bench\sources\boot.wim' \
    "OptionalComponents=$IDS" ScratchSpace=512 EnableLabShell=true \
    'PreExecCommandLine=mshta.exe X:\sms\PKG\SMS10000\FrontEnd.hta' \
    'PreExecSourceDirectory=\\bench\sources\prestart' \
    'BackgroundBitmapPath=\\bench\sources\background.bmp' "ReferencedDrivers=$REFS" >/dev/null
PLAIN='SMS_BootImagePackage.PackageID="LAB00001"'
FULL='SMS_BootImagePackage.PackageID="LAB00002"'

refresh_times() {
    local pkg=$1 tag=$2 times=()
    for ((i = 1; i <= RUNS; i++)); do
        sync
        local t0 t1
        t0=$(now)
        "${SMS[@]}" invoke "$pkg" RefreshPkgSource "ContextID=$tag-$i" >/dev/null
        t1=$(now)
        times+=("$(elapsed "$t0" "$t1")")
    done
    echo "${times[*]}"
}

plain=($(refresh_times "$PLAIN" plain))
full=($(refresh_times "$FULL" full))
wimlib-imagex verify site/content/boot.LAB00002.wim >/dev/null 2>&1

# Where the last customised refresh spent its time, from its queue.
phases=$(sqlite3 site/site.db "SELECT substr(At, 9, 13), ProgressText FROM smsprov_job_status
                               WHERE ContextID = 'full-$RUNS' ORDER BY Seq" |
    awk -F'|' '{ s = substr($1,1,2)*3600 + substr($1,3,2)*60 + substr($1,5); split($2, w, " ")
                 if (n) { if (!(name in spent)) order[k++] = name; spent[name] += s - t }
                 name = w[1]; t = s; n++ }
               END { for (i = 0; i < k; i++) printf "%s %.3f s, ", order[i], spent[order[i]] }')

p=$(best "${plain[@]}")
f=$(best "${full[@]}")
files() { wimlib-imagex dir "$1" 1 | wc -l; }
echo "RefreshPkgSource, no customisation:      ${plain[*]} s  best $p s"
echo "RefreshPkgSource, every customisation:   ${full[*]} s  best $f s"
echo "  last customised refresh by step: ${phases%, }"
echo "content: plain $(stat -c %s site/content/boot.LAB00001.wim) bytes, $(files site/content/boot.LAB00001.wim) paths;" \
     "customised $(stat -c %s site/content/boot.LAB00002.wim) bytes, $(files site/content/boot.LAB00002.wim) paths"
awk -v p="$p" -v f="$f" 'BEGIN { printf "customisation cost: %.3f s (ratio %.2f)\n", f - p, f / p }'
