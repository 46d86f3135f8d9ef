#!/usr/bin/env bash
# bench_cimxml.sh - how long `wbemcli ei` takes to enumerate N boot image
# packages (default 10,000) from a real smsprovd over CIM-XML on loopback.
#
#   bench_cimxml.sh SMSPROVD BENCH_CIMXML_SEED WORK_DIR [N] [MOF_DIR]
#
# Seeds a site database through the provider API, starts smsprovd with only
# its CIM-XML door on a free port, runs `wbemcli ei` three times (and `ein`
# once), checks the count and prints the times, then one EnumerateInstances
# with curl (time to the first byte and to the last) and the server's RSS.
# Never run by ctest.
set -euo pipefail

SMSPROVD="$1" SEED="$2" WORK="$3" N="${4:-10000}" MOF_DIR="${5:-}"
command -v wbemcli >/dev/null || { echo "bench_cimxml: wbemcli is not installed" >&2; exit 77; }

rm -rf "$WORK"
mkdir -p "$WORK"
"$SEED" "$WORK/site.db" "$N" ${MOF_DIR:+"$MOF_DIR"}
echo 's3cret-Pa55' | "$SMSPROVD" adduser "$WORK/users" admin >/dev/null
cat > "$WORK/smsprovd.ini" <<INI
[site]
database = site.db
first_admin = admin
${MOF_DIR:+mof_dir = $MOF_DIR}
[http]
enabled = false
[cimxml]
enabled = true
port = 0
[auth]
users_file = users
[log]
file = SMSProv.log
level = warning
stderr = false
[server]
max_connections = 16
INI

"$SMSPROVD" --config "$WORK/smsprovd.ini" --port-file "$WORK/ports" &
PID=$!
trap 'kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true' EXIT
for _ in $(seq 600); do [[ -s "$WORK/ports" ]] && break; sleep 0.1; done
PORT="$(sed -n 's/^cimxml=//p' "$WORK/ports")"
URL="http://admin:s3cret-Pa55@127.0.0.1:$PORT/root/sms/site_LAB:SMS_BootImagePackage"

seconds() { # runs "$@" with stdout to $WORK/out; prints the wall time in seconds
  local start end
  start="$(date +%s.%N)"
  "$@" > "$WORK/out"
  end="$(date +%s.%N)"
  echo "$end - $start" | bc
}

echo "bench_cimxml: $N instances of SMS_BootImagePackage, wbemcli $(dpkg-query -W -f='${Version}' sblim-wbemcli 2>/dev/null || echo '?')"
for run in 1 2 3; do
  t="$(seconds wbemcli ei "$URL")"
  got="$(wc -l < "$WORK/out")"
  [[ "$got" -eq "$N" ]] || { echo "bench_cimxml: ei returned $got instances, expected $N" >&2; exit 1; }
  echo "  wbemcli ei  (run $run): ${t}s, $(stat -c %s "$WORK/out") bytes printed"
done
t="$(seconds wbemcli ein "$URL")"
echo "  wbemcli ein:          ${t}s"
# The server's own share of the time: one EnumerateInstances with curl.
BODY='<?xml version="1.0" encoding="utf-8" ?><CIM CIMVERSION="2.0" DTDVERSION="2.0"><MESSAGE ID="1" PROTOCOLVERSION="1.0"><SIMPLEREQ><IMETHODCALL NAME="EnumerateInstances"><LOCALNAMESPACEPATH><NAMESPACE NAME="root"/><NAMESPACE NAME="sms"/><NAMESPACE NAME="site_LAB"/></LOCALNAMESPACEPATH><IPARAMVALUE NAME="ClassName"><CLASSNAME NAME="SMS_BootImagePackage"/></IPARAMVALUE><IPARAMVALUE NAME="LocalOnly"><VALUE>FALSE</VALUE></IPARAMVALUE></IMETHODCALL></SIMPLEREQ></MESSAGE></CIM>'
if command -v curl >/dev/null; then
  curl -s -o "$WORK/raw.xml" -w '  server (curl):        first byte %{time_starttransfer}s, all %{time_total}s, %{size_download} bytes of CIM-XML\n' \
    -u admin:s3cret-Pa55 -H 'CIMOperation: MethodCall' -H 'CIMMethod: EnumerateInstances' \
    -H 'CIMObject: root%2Fsms%2Fsite_LAB' -H 'Content-Type: application/xml; charset="utf-8"' \
    --data-binary "$BODY" "http://127.0.0.1:$PORT/cimom"
fi
# The answer is written while it is read (a chunked body), so the server's
# memory stays flat: its RSS now and its peak.
awk '/^VmRSS|^VmHWM/ {printf "  server %s %.1f MiB\n", $1, $2 / 1024}' "/proc/$PID/status"
kill -TERM "$PID"
wait "$PID"
trap - EXIT
