#!/bin/bash
# test_mkwinpe.sh MKWINPE SCRATCH - checks what mkwinpe makes with tools that
# share no code with it: wimlib-imagex (verify, info, extract), 7-Zip (an
# independent WIM and CAB decoder), hivexget/hivexml (hive readers) and
# xmllint.  Checks whose tool is missing are skipped; exit 77 if all are.
set -euo pipefail

MKWINPE=$(realpath "$1")
SCRATCH=$2
rm -rf "$SCRATCH"
mkdir -p "$SCRATCH"
cd "$SCRATCH"

checks=0
failures=0
have() { command -v "$1" >/dev/null 2>&1; }
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
pass() { echo "ok: $*"; checks=$((checks + 1)); }
# expect_in TEXT PATTERN WHAT: PATTERN (extended regex) must match a line of TEXT.
expect_in() {
    if grep -Eq -- "$2" <<<"$1"; then pass "$3"; else fail "$3: no line matches '$2'"; fi
}

# ---- images -----------------------------------------------------------------
"$MKWINPE" image x64.wim --arch x64 --lang de-DE --second-image >/dev/null
"$MKWINPE" image x86.wim --arch x86 --version 10.0.19041.3 --name 'Lab PE <x86>' >/dev/null
"$MKWINPE" image arm64.wim --arch arm64 --version 10.0.26100.2314 --lang ja-JP --lcid 0411 >/dev/null
"$MKWINPE" install install.wim >/dev/null

if have wimlib-imagex; then
    if wimlib-imagex verify install.wim >/dev/null 2>&1; then pass "wimlib verify install.wim"
    else fail "wimlib verify install.wim"; fi
    info=$(wimlib-imagex info install.wim)
    expect_in "$info" '^Image Count: +3$' "install.wim holds 3 images"
    expect_in "$info" '^Boot Index: +0$' "install.wim has no boot image"
    for spec in "1:Windows 11 Enterprise:x86_64:en-US" "2:Windows 10 Pro:x86:de-DE" \
                "3:Windows 11 Pro:ARM64:fr-FR"; do
        IFS=: read -r index name arch lang <<<"$spec"
        infon=$(wimlib-imagex info install.wim "$index")
        expect_in "$infon" "^Name: +$name\$" "install.wim image $index name"
        expect_in "$infon" "^Architecture: +$arch\$" "install.wim image $index architecture"
        expect_in "$infon" "^Languages: +$lang" "install.wim image $index language"
    done
fi

if have wimlib-imagex; then
    for wim in x64.wim x86.wim arm64.wim; do
        if wimlib-imagex verify "$wim" >/dev/null 2>&1; then pass "wimlib verify $wim"
        else fail "wimlib verify $wim"; fi
    done
    info=$(wimlib-imagex info x64.wim)
    expect_in "$info" '^Image Count: +2$' "x64.wim holds 2 images"
    expect_in "$info" '^Boot Index: +2$' "x64.wim boots the Setup image"
    expect_in "$info" '^Compression: +LZX$' "x64.wim is LZX"
    info1=$(wimlib-imagex info x64.wim 1)
    expect_in "$info1" '^Name: +Microsoft Windows PE \(x64\)$' "image 1 name"
    expect_in "$info1" '^Architecture: +x86_64$' "image 1 architecture from kernel32.dll"
    expect_in "$info1" '^Languages: +de-DE' "image 1 language from the SYSTEM hive"
    expect_in "$info1" '^Default Language: +de-DE$' "image 1 default language"
    expect_in "$info1" '^Build: +22621$' "image 1 build from the SOFTWARE hive"
    expect_in "$info1" '^Service Pack Build: +1$' "image 1 SP build from CSDBuildNumber"
    expect_in "$info1" '^Edition ID: +WindowsPE$' "image 1 edition"
    expect_in "$info1" '^Flags: +9$' "image 1 flags"
    info2=$(wimlib-imagex info x64.wim 2)
    expect_in "$info2" '^Name: +Microsoft Windows Setup \(x64\)$' "image 2 name"
    expect_in "$info2" '^Flags: +2$' "image 2 flags"
    info86=$(wimlib-imagex info x86.wim 1)
    expect_in "$info86" '^Architecture: +x86$' "x86 architecture"
    expect_in "$info86" '^Name: +Lab PE <x86>$' "x86 custom name"
    expect_in "$info86" '^Build: +19041$' "x86 build"
    expect_in "$info86" '^Service Pack Build: +3$' "x86 SP build"
    infoa=$(wimlib-imagex info arm64.wim 1)
    expect_in "$infoa" '^Architecture: +ARM64$' "arm64 architecture"
    expect_in "$infoa" '^Languages: +ja-JP' "arm64 language"
    if have iconv; then
        xml=$(wimlib-imagex info --xml x64.wim | iconv -f UTF-16LE -t UTF-8)
        expect_in "$xml" '<ARCH>9</ARCH>' "WIM XML ARCH 9"
        expect_in "$xml" '<HAL>acpiapic</HAL>' "WIM XML HAL"
        expect_in "$xml" '<PRODUCTTYPE>WinNT</PRODUCTTYPE>' "WIM XML product type"
    fi
    if have hivexget; then
        mkdir hives
        wimlib-imagex extract x64.wim 1 /Windows/System32/config/SYSTEM \
            /Windows/System32/config/SOFTWARE /Windows/System32/config/DEFAULT \
            --dest-dir=hives >/dev/null
        [ "$(hivexget hives/SYSTEM '\ControlSet001\Services\FBWF' WinPECacheThreshold)" = 32 ] &&
            pass "hivexget WinPECacheThreshold" || fail "hivexget WinPECacheThreshold"
        [ "$(hivexget hives/SYSTEM '\ControlSet001\Control\Nls\Language' InstallLanguage)" = 0407 ] &&
            pass "hivexget InstallLanguage" || fail "hivexget InstallLanguage"
        [ "$(hivexget hives/SYSTEM '\ControlSet001\Control\Windows' CSDBuildNumber)" = 1 ] &&
            pass "hivexget CSDBuildNumber" || fail "hivexget CSDBuildNumber"
        [ "$(hivexget hives/SOFTWARE '\Microsoft\Windows NT\CurrentVersion' EditionID)" = WindowsPE ] &&
            pass "hivexget EditionID" || fail "hivexget EditionID"
        [ "$(hivexget hives/SOFTWARE '\Microsoft\Windows NT\CurrentVersion' CurrentMajorVersionNumber)" = 10 ] &&
            pass "hivexget CurrentMajorVersionNumber" || fail "hivexget CurrentMajorVersionNumber"
        if have hivexml && have xmllint; then
            hivexml hives/DEFAULT | xmllint --noout - && pass "hivexml reads the empty DEFAULT hive" ||
                fail "hivexml DEFAULT"
        fi
    fi
fi

if have 7z; then
    for wim in x64.wim arm64.wim; do
        if 7z t "$wim" 2>&1 | grep -q 'Everything is Ok'; then pass "7z t $wim"
        else fail "7z t $wim"; fi
    done
    listing=$(7z l x64.wim 2>&1)
    expect_in "$listing" 'Boot Image = 2' "7z sees boot index 2"
    expect_in "$listing" 'Windows.System32.kernel32\.dll' "7z lists kernel32.dll"
    expect_in "$listing" 'sources.setup\.exe' "7z lists the Setup image's setup.exe"
fi

# ---- bad usage changes nothing --------------------------------------------
set +e
"$MKWINPE" image none.wim >/dev/null 2>&1; rc_arch=$?
"$MKWINPE" image none.wim --arch x64 --version 10.0 >/dev/null 2>&1; rc_version=$?
"$MKWINPE" adk none --arches x64,ia64 >/dev/null 2>&1; rc_ia64=$?
set -e
[ $rc_arch = 2 ] && pass "missing --arch is a usage error" || fail "missing --arch gave $rc_arch"
[ $rc_version = 1 ] && pass "bad --version fails" || fail "bad --version gave $rc_version"
[ $rc_ia64 = 1 ] && pass "ia64 ADK is refused" || fail "ia64 ADK gave $rc_ia64"
if ls | grep -q '^none'; then fail "a failed command left files"; else pass "failed commands left nothing"; fi

# ---- mkwinpe all ----------------------------------------------------------
"$MKWINPE" all demo >/dev/null
winpe="demo/adk/Assessment and Deployment Kit/Windows Preinstallation Environment"
for f in "$winpe/amd64/en-us/winpe.wim" "$winpe/x86/en-us/winpe.wim" "$winpe/arm64/en-us/winpe.wim" \
         "$winpe/amd64/Media/Boot/boot.sdi" \
         "demo/adk/Assessment and Deployment Kit/Deployment Tools/x86/DISM/wimgapi.dll" \
         demo/configmgr/bin/x64/osdinjection.xml demo/configmgr/bin/i386/TsBootShell.exe \
         demo/configmgr/bin/x64/00000409/TsRes.dll demo/configmgr/OSD/bin/x64/winpeshl.ini \
         demo/images/boot_x86.wim demo/images/boot_x64.wim; do
    [ -f "$f" ] && pass "all made $f" || fail "all did not make $f"
done
if have wimlib-imagex; then
    wimlib-imagex verify "$winpe/amd64/en-us/winpe.wim" >/dev/null 2>&1 &&
        pass "ADK winpe.wim verifies" || fail "ADK winpe.wim"
    expect_in "$(wimlib-imagex info demo/images/boot_x86.wim 1)" '^Architecture: +x86$' "boot_x86.wim arch"
fi
if have 7z; then
    cab="$winpe/amd64/WinPE_OCs/en-us/WinPE-WMI_en-us.cab"
    7z t "$cab" 2>&1 | grep -q 'Everything is Ok' && pass "7z t $(basename "$cab")" || fail "7z t cab"
    cabs=$(7z l "$winpe/arm64/WinPE_OCs/WinPE-PowerShell.cab" 2>&1)
    expect_in "$cabs" 'update\.mum' "the OC cab holds update.mum"
    expect_in "$cabs" 'WinPE-PowerShell\.dll' "the OC cab holds its payload"
fi
if have xmllint; then
    xmllint --noout demo/configmgr/bin/x64/osdinjection.xml && pass "osdinjection.xml is well-formed" ||
        fail "osdinjection.xml"
    count=$(xmllint --xpath 'count(//Architecture)' demo/configmgr/bin/x64/osdinjection.xml)
    [ "$count" = 3 ] && pass "osdinjection.xml has 3 architectures" || fail "architectures: $count"
fi
before=$(find demo -printf '%p %s %T@\n' | sort)
"$MKWINPE" all demo >/dev/null
after=$(find demo -printf '%p %s %T@\n' | sort)
[ "$before" = "$after" ] && pass "all is idempotent" || fail "a second all changed the tree"

echo "$checks checks passed, $failures failed"
[ $failures = 0 ] || exit 1
[ $checks -gt 0 ] || exit 77
