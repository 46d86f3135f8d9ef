<#
.SYNOPSIS
  Installs (or removes) smsprov.dll as the WMI provider of one ConfigMgr site.

.DESCRIPTION
  Run from an elevated PowerShell in the folder that holds smsprov.dll and
  the mof folder (mof\*.mof, mof\system\*.mof, mof\windows\*).  It:
    1. copies smsprov.dll and mof\ to -InstallDir;
    2. writes the site's settings to HKLM\SOFTWARE\smsprov\Sites\<SiteCode>;
    3. registers the COM class (regsvr32);
    4. compiles the registration MOF (namespaces root\sms and
       root\sms\site_<SiteCode>, __Win32Provider, instance and method
       provider registrations) and then every mof\*.mof into the site
       namespace, all with -autorecover so a rebuilt WMI repository gets
       them back.
  mof\system is not compiled: it declares WMI's own system classes for
  smsprov's compiler, and Windows already has them.
  -Uninstall removes the namespace, the COM class and the settings; the
  database stays unless -RemoveData is given.

.EXAMPLE
  .\install.ps1 -SiteCode LAB -Share '\\lab\sources=D:\Sources'
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory = $true)][ValidatePattern('^[A-Za-z0-9]{3}$')][string]$SiteCode,
    [string]$InstallDir = (Join-Path $env:ProgramFiles 'smsprov'),
    [string]$DatabasePath = (Join-Path $env:ProgramData "smsprov\$SiteCode\site.db"),
    [string]$ContentRoot = (Join-Path $env:ProgramData "smsprov\$SiteCode\content"),
    [string]$SiteName = "$SiteCode Site",
    [string[]]$Share = @(),
    # Distribution points, 'DP01=dp01.lab.example' or 'DP01'; none: this server.
    [string[]]$DistributionPoint = @(),
    [switch]$Uninstall,
    [switch]$RemoveData
)
$ErrorActionPreference = 'Stop'
$SiteCode = $SiteCode.ToUpperInvariant()
$settingsKey = "HKLM:\SOFTWARE\smsprov\Sites\$SiteCode"
$regsvr32 = Join-Path $env:SystemRoot 'System32\regsvr32.exe'
$mofcomp = Join-Path $env:SystemRoot 'System32\wbem\mofcomp.exe'

$principal = New-Object Security.Principal.WindowsPrincipal(
    [Security.Principal.WindowsIdentity]::GetCurrent())
if (-not $principal.IsInRole([Security.Principal.WindowsBuiltInRole]::Administrator)) {
    throw 'Run install.ps1 from an elevated PowerShell (Run as administrator).'
}

function Invoke-Checked([string]$exe, [string[]]$arguments) {
    & $exe @arguments | Write-Verbose
    if ($LASTEXITCODE -ne 0) { throw "$exe $($arguments -join ' ') failed with exit code $LASTEXITCODE." }
}

if ($Uninstall) {
    Get-CimInstance -Namespace 'root\sms' -ClassName __Namespace -Filter "Name='site_$SiteCode'" `
        -ErrorAction SilentlyContinue | Remove-CimInstance
    $dll = Join-Path $InstallDir 'smsprov.dll'
    if (Test-Path $dll) { Invoke-Checked $regsvr32 @('/s', '/u', $dll) }
    Remove-Item $settingsKey -Recurse -ErrorAction SilentlyContinue
    if ($RemoveData) { Remove-Item (Split-Path $DatabasePath) -Recurse -ErrorAction SilentlyContinue }
    Write-Host "smsprov: site $SiteCode removed."
    return
}

# 1. Files.
$source = $PSScriptRoot
if (-not (Test-Path (Join-Path $source 'smsprov.dll'))) { $source = Split-Path (Split-Path $PSScriptRoot) }
if (-not (Test-Path (Join-Path $source 'smsprov.dll'))) {
    throw "smsprov.dll is neither beside install.ps1 nor two folders up; run the script from the smsprov folder."
}
New-Item -ItemType Directory -Force -Path $InstallDir | Out-Null
Copy-Item (Join-Path $source 'smsprov.dll') $InstallDir -Force
if (Test-Path (Join-Path $source 'libwim-15.dll')) { Copy-Item (Join-Path $source 'libwim-15.dll') $InstallDir -Force }
Copy-Item (Join-Path $source 'mof') $InstallDir -Recurse -Force

# 2. Settings the DLL reads (see src/wmi/README.md).
New-Item -Force -Path $settingsKey | Out-Null
New-Item -ItemType Directory -Force -Path (Split-Path $DatabasePath), $ContentRoot | Out-Null
Set-ItemProperty $settingsKey -Name DatabasePath -Value $DatabasePath
Set-ItemProperty $settingsKey -Name MofDirectory -Value (Join-Path $InstallDir 'mof')
Set-ItemProperty $settingsKey -Name ContentRoot -Value $ContentRoot
Set-ItemProperty $settingsKey -Name SiteName -Value $SiteName
foreach ($entry in $Share) {
    if ($entry -notmatch '^\\\\[^=]+=.+$') { throw "-Share '$entry' must read \\server\share=D:\folder." }
}
New-ItemProperty $settingsKey -Name Shares -PropertyType MultiString -Value $Share -Force | Out-Null
foreach ($entry in $DistributionPoint) {
    if ($entry -notmatch '^[A-Za-z0-9-]+(=[A-Za-z0-9.-]+)?$') { throw "-DistributionPoint '$entry' must read DP01 or DP01=dp01.lab.example." }
}
New-ItemProperty $settingsKey -Name DistributionPoints -PropertyType MultiString -Value $DistributionPoint -Force | Out-Null

# 3. COM.
Invoke-Checked $regsvr32 @('/s', (Join-Path $InstallDir 'smsprov.dll'))

# 4. WMI: registration first (it creates the namespaces), then the classes.
$registration = Join-Path $env:TEMP "smsprov_register_$SiteCode.mof"
(Get-Content (Join-Path $InstallDir 'mof\windows\smsprov_register.mof') -Raw).
    Replace('site_LAB', "site_$SiteCode") | Set-Content -Encoding Unicode $registration
Invoke-Checked $mofcomp @('-autorecover', $registration)
Remove-Item $registration
foreach ($mof in Get-ChildItem (Join-Path $InstallDir 'mof\*.mof') | Sort-Object Name) {
    Invoke-Checked $mofcomp @('-autorecover', "-N:root\sms\site_$SiteCode", $mof.FullName)
}

Get-CimInstance -Namespace 'root\sms' -ClassName SMS_ProviderLocation | Format-List SiteCode, NamespacePath
Write-Host "smsprov: site $SiteCode installed; try Get-CimInstance -Namespace root\sms\site_$SiteCode -ClassName SMS_BootImagePackage"
