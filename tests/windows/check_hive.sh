#!/bin/sh
# The hive test_osd_hive edited under Wine, read on the Linux side by three
# regf readers: hivexget (hivex), reglookup and regfinfo.
set -eu
hive="$1"
fail() { echo "check_hive: $*" >&2; exit 1; }
[ "$(hivexget "$hive" 'ControlSet001\Control' SystemStartOptions)" = "MININT" ] ||
  fail "SystemStartOptions"
[ "$(hivexget "$hive" 'Setup' SetupType)" = "2" ] || fail "SetupType"
[ "$(hivexget "$hive" 'Setup' CmdLine)" = 'X:\sms\bin\x64\TsBootShell.exe' ] || fail "CmdLine"
hivexget "$hive" 'ControlSet001\Services\smsprov' > /dev/null || fail "Services\\smsprov"
out="$(reglookup -H "$hive" 2>&1)" || fail "reglookup failed: $out"
case "$out" in *ERROR*|*WARN*) fail "reglookup: $out" ;; esac
printf '%s\n' "$out" | grep -qx '/Setup/CmdLine,SZ,X:\\sms\\bin\\x64\\TsBootShell.exe,' ||
  fail "reglookup does not list Setup/CmdLine once: $out"
[ "$(printf '%s\n' "$out" | grep -c '^/Setup/')" = 2 ] || fail "Setup holds other values: $out"
regfinfo "$hive" > /dev/null || fail "regfinfo refused it"
echo "check_hive: $hive reads back with hivexget, reglookup and regfinfo"
