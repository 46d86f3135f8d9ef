"""WinPE customisation end to end through the smsprov CLI: S-2 (add
a driver to a boot image), S-3 (remove it), S-9 as the spec writes it
(ExportDefaultBootImage, poll QueryOSDBinaryInjectionStatus, DeleteContextID),
S-12 (lazy properties), every setting at once, UpdateOptionalComponents, the
optional component catalogue, and a malformed INF failing the job.

Every setting is read back from the content WIM with tools that share no
code with smsprov's writer: `7z l -slt` (7-Zip's own WIM decoder) for the
file list, `wimlib-imagex extract` for file contents and hives, `hivexget`
for registry values."""
import hashlib
import json
import os
import shutil
import subprocess
import tempfile
import unittest

from servicing_harness import (BOOT, Inputs, PublishedWimsVerified, ServicingSite, package_path,
                               run, sha256)

INPUTS = None
CBS = "\\Microsoft\\Windows\\CurrentVersion\\Component Based Servicing\\Packages\\"
EXPORT_UNC = "C:\\WinPE"

E1000_INF = (
    "[Version]\r\nSignature=\"$Windows NT$\"\r\nClass=Net\r\n"
    "ClassGUID={4d36e972-e325-11ce-bfc1-08002be10318}\r\nProvider=%Contoso%\r\n"
    "CatalogFile=e1000.cat\r\nDriverVer=06/21/2023,12.19.2.45\r\n"
    "[SourceDisksNames]\r\n1=%Disk%,,,\\x64\r\n"
    "[SourceDisksFiles]\r\ne1000.sys=1\r\n"
    "[Manufacturer]\r\n%Contoso%=Contoso,NTamd64\r\n"
    "[Contoso.NTamd64]\r\n%Desc%=Install,PCI\\VEN_8086&DEV_100E\r\n"
    "[Strings]\r\nContoso=\"Contoso\"\r\nDisk=\"Disk 1\"\r\nDesc=\"Contoso Gigabit\"\r\n")


def setUpModule():
    global INPUTS
    INPUTS = Inputs("customization")
    drivers = os.path.join(INPUTS.sources, "drivers", "e1000")
    os.makedirs(os.path.join(drivers, "x64"), exist_ok=True)
    with open(os.path.join(drivers, "e1000.inf"), "w", newline="") as f:
        f.write(E1000_INF)
    with open(os.path.join(drivers, "e1000.cat"), "w") as f:
        f.write("catalog")
    with open(os.path.join(drivers, "x64", "e1000.sys"), "w") as f:
        f.write("MZ driver")
    prestart = os.path.join(INPUTS.sources, "prestart")
    os.makedirs(os.path.join(prestart, "lib"), exist_ok=True)
    with open(os.path.join(prestart, "FrontEnd.hta"), "w") as f:
        f.write("<html>front end</html>")
    with open(os.path.join(prestart, "lib", "helper.vbs"), "w") as f:
        f.write("WScript.Echo 1")
    with open(os.path.join(INPUTS.sources, "background.bmp"), "wb") as f:
        f.write(b"BM" + bytes(range(256)) * 4)


class CustomizationSite(ServicingSite):
    """A servicing site that also shares C:\\WinPE for exported images."""

    def __init__(self, name):
        super().__init__(name, INPUTS)
        self.export = os.path.join(self.dir, "export")
        os.makedirs(self.export)

    def base_args(self, json_output=False, namespace=None):
        args = super().base_args(json_output, namespace)
        return args[:1] + ["--share", f"{EXPORT_UNC}={self.export}"] + args[1:]


# ---- independent readers ----------------------------------------------------

def seven_zip_paths(wim):
    """Every path of the WIM as 7-Zip lists it (its own WIM decoder)."""
    r = run("7z", "l", "-slt", wim)
    assert r.returncode == 0, r.stderr
    return {line[len("Path = "):].replace("\\", "/").lower()
            for line in r.stdout.splitlines() if line.startswith("Path = ")}


def extract(wim, path, scratch):
    """A file of image 1, extracted with wimlib-imagex; its local path."""
    dest = tempfile.mkdtemp(dir=scratch)
    r = run("wimlib-imagex", "extract", wim, "1", path, f"--dest-dir={dest}", "--no-acls")
    assert r.returncode == 0, r.stderr
    return os.path.join(dest, path.rsplit("/", 1)[-1])


def file_bytes(path):
    with open(path, "rb") as f:
        return f.read()


def hivexget(hive, key, value):
    r = run("hivexget", hive, key, value)
    return r.stdout.strip() if r.returncode == 0 else None


def driver_details(driver_id, source):
    return {"__CLASS": "SMS_Driver_Details", "ID": driver_id, "SourcePath": source}


class DriverScenarioTest(PublishedWimsVerified):
    """S-2 and S-3 as the SDK how-tos write them."""

    def setUp(self):
        self.site = CustomizationSite("drivers")
        unc = INPUTS.image("boot_x64.wim", "--arch", "x64")
        self.boot = self.site.create(BOOT, "Name=drivers", f"ImagePath={unc}", "ImageIndex=1")
        self.driver = self.site.create(
            "SMS_Driver", "LocalizedDisplayName=Contoso Gigabit",
            "ContentSourcePath=\\\\lab\\sources\\drivers\\e1000", "DriverINFFile=e1000.inf")
        self.wim = self.site.content_wim("LAB00001")

    def test_s2_add_then_s3_remove_a_driver(self):
        self.assertEqual(self.driver, "SMS_Driver.CI_ID=1")
        # S-2: the full boot image (lazy ReferencedDrivers), the driver's
        # ContentSourcePath, a new SMS_Driver_Details, put, RefreshPkgSource.
        pkg = self.site.get(self.boot)
        refs = pkg.get("ReferencedDrivers") or []
        driver = self.site.get(self.driver)
        self.assertEqual(driver["DriverClass"], "Net")
        self.assertEqual(driver["DriverProvider"], "Contoso")
        refs.append(driver_details(driver["CI_ID"], driver["ContentSourcePath"]))
        self.site.ok("set", self.boot, "ReferencedDrivers=" + json.dumps(refs))
        self.assertNotIn("windows/inf/oem0.inf", seven_zip_paths(self.wim),
                         "the driver went in before the refresh")
        self.site.ok("invoke", self.boot, "RefreshPkgSource")

        pkg = self.site.get(self.boot)
        self.assertEqual(pkg["ReferencedDrivers"],
                         [driver_details(1, "\\\\lab\\sources\\drivers\\e1000")])
        self.assertEqual(pkg["SourceVersion"], 2)
        rows = self.site.ok("query", "SELECT * FROM SMS_BootImagePackage_DriverRef "
                            "WHERE PkgID = 'LAB00001'", json_output=True).json()
        self.assertEqual([(r["CI_ID"], r["SourcePath"]) for r in rows],
                         [(1, "\\\\lab\\sources\\drivers\\e1000")])

        paths = seven_zip_paths(self.wim)
        store = [p for p in paths if p.startswith(
            "windows/system32/driverstore/filerepository/e1000.inf_amd64_")]
        folder = min(store)
        self.assertRegex(folder, r"e1000\.inf_amd64_[0-9a-f]{16}$")
        self.assertEqual(sorted(store), sorted([folder, folder + "/e1000.inf",
                                                folder + "/e1000.cat", folder + "/x64",
                                                folder + "/x64/e1000.sys"]))
        self.assertIn("windows/inf/oem0.inf", paths)
        oem = extract(self.wim, "/Windows/INF/oem0.inf", self.site.dir)
        self.assertEqual(file_bytes(oem), E1000_INF.encode())

        # S-3: the array without the driver, put, refresh.
        refs = [d for d in self.site.get(self.boot)["ReferencedDrivers"] if d["ID"] != 1]
        self.site.ok("set", self.boot, "ReferencedDrivers=" + json.dumps(refs))
        self.assertEqual(self.site.ok("enum", "SMS_BootImagePackage_DriverRef",
                                      json_output=True).json(), [])
        self.site.ok("invoke", self.boot, "RefreshPkgSource")
        paths = seven_zip_paths(self.wim)
        self.assertNotIn("windows/inf/oem0.inf", paths)
        self.assertFalse([p for p in paths if "filerepository/e1000" in p])
        self.assertEqual(self.site.get(self.boot)["SourceVersion"], 3)

    def test_malformed_inf_fails_the_job_and_keeps_the_content(self):
        self.site.ok("set", self.boot, "ContextID=bad-inf", "ReferencedDrivers=" + json.dumps(
            [driver_details(1, "\\\\lab\\sources\\drivers\\e1000")]))
        self.site.ok("invoke", self.boot, "RefreshPkgSource")
        before = sha256(self.wim)
        version = self.site.get(self.boot)["SourceVersion"]
        inf = os.path.join(INPUTS.sources, "drivers", "e1000", "e1000.inf")
        with open(inf, "w", newline="") as f:
            f.write(E1000_INF.replace("ClassGUID={4d36e972-e325-11ce-bfc1-08002be10318}\r\n",
                                      ""))
        try:
            r = self.site.run("invoke", self.boot, "RefreshPkgSource")
        finally:
            with open(inf, "w", newline="") as f:
                f.write(E1000_INF)
        self.assertEqual(r.code, 1, r)
        self.assertIn("0x80041001", r.err)
        self.assertIn("\\\\lab\\sources\\drivers\\e1000\\e1000.inf", r.err)
        self.assertIn("has no ClassGUID", r.err)
        status = self.site.status("bad-inf")
        self.assertEqual(status["Status"], 2)
        self.assertEqual(status["ErrorCode"], 13)
        self.assertIn("\\\\lab\\sources\\drivers\\e1000\\e1000.inf", status["ExtendedErrorInfo"])
        self.assertIn("has no ClassGUID", status["ExtendedErrorInfo"])
        self.assertEqual(sha256(self.wim), before, "the previous content WIM changed")
        self.assertEqual(self.site.get(self.boot)["SourceVersion"], version)
        self.assertEqual([n for n in os.listdir(self.site.content) if n.startswith(".")], [])

    def test_driver_put_refuses_what_is_not_a_driver(self):
        r = self.site.run("create", "SMS_Driver", "ContentSourcePath=\\\\lab\\sources\\prestart",
                          "DriverINFFile=FrontEnd.hta")
        self.assertEqual(r.code, 1, r)
        self.assertIn("0x80041008", r.err)
        self.assertIn("FrontEnd.hta", r.err)
        self.assertEqual(len(self.site.ok("enum", "SMS_Driver", json_output=True).json()), 1)


class EverySettingTest(PublishedWimsVerified):
    """All the settings at once, each read back from the WIM independently;
    then UpdateOptionalComponents; S-12 on the same package."""

    def setUp(self):
        self.site = CustomizationSite("settings")
        unc = INPUTS.image("boot_x64.wim", "--arch", "x64")
        self.site.create("SMS_Driver", "ContentSourcePath=\\\\lab\\sources\\drivers\\e1000",
                         "DriverINFFile=e1000.inf")
        self.boot = self.site.create(
            BOOT, "Name=everything", f"ImagePath={unc}", "ContextID=settings",
            "OptionalComponents=[36,41]", "ScratchSpace=256", "EnableLabShell=true",
            "PreExecCommandLine=mshta.exe X:\\sms\\PKG\\SMS10000\\FrontEnd.hta",
            "PreExecSourceDirectory=\\\\lab\\sources\\prestart",
            "BackgroundBitmapPath=\\\\lab\\sources\\background.bmp",
            "ReferencedDrivers=" + json.dumps([driver_details(
                1, "\\\\lab\\sources\\drivers\\e1000")]))
        self.wim = self.site.content_wim("LAB00001")

    def hive(self, name):
        return extract(self.wim, f"/Windows/System32/config/{name}", self.site.dir)

    def test_every_setting_lands_in_the_wim(self):
        paths = seven_zip_paths(self.wim)
        # Optional components: HTA and PowerShell, their prerequisites and
        # the required four, each neutral and en-us, registered installed.
        software = self.hive("SOFTWARE")
        for name in ("WMI", "NetFx", "Scripting", "PowerShell", "HTA", "SecureStartup",
                     "WDS-Tools"):
            for lang in ("", "en-us"):
                package = f"WinPE-{name}-Package~31bf3856ad364e35~amd64~{lang}~10.0.22621.1"
                self.assertIn(f"windows/servicing/packages/{package.lower()}.mum", paths)
                self.assertEqual(hivexget(software, CBS + package, "CurrentState"), "112",
                                 package)
            self.assertIn(f"windows/system32/winpe-{name.lower()}.dll", paths)
            self.assertIn(f"windows/system32/en-us/winpe-{name.lower()}.dll.mui", paths)
        self.assertNotIn("windows/system32/winpe-dismcmdlets.dll", paths)
        # Scratch space, stale transaction logs gone.
        self.assertEqual(hivexget(self.hive("SYSTEM"), "\\ControlSet001\\Services\\FBWF",
                                  "WinPECacheThreshold"), "256")
        self.assertFalse([p for p in paths if p.endswith((".log1", ".log2"))])
        # Prestart command.
        ini = file_bytes(extract(self.wim, "/TSConfig.ini", self.site.dir)).decode()
        self.assertEqual(ini, "[CustomHook]\r\n"
                              "CommandLine=mshta.exe X:\\sms\\PKG\\SMS10000\\FrontEnd.hta\r\n"
                              "Source=SMS10000\r\n")
        self.assertIn("sms/pkg/sms10000/frontend.hta", paths)
        self.assertIn("sms/pkg/sms10000/lib/helper.vbs", paths)
        # Background: winpe.bmp, and winpe.jpg since the image has one.
        background = file_bytes(os.path.join(INPUTS.sources, "background.bmp"))
        for name in ("winpe.bmp", "winpe.jpg"):
            got = extract(self.wim, f"/Windows/System32/{name}", self.site.dir)
            self.assertEqual(file_bytes(got), background, name)
        # Command support.
        shell = file_bytes(extract(self.wim, "/Windows/System32/TsBootShell.ini",
                                   self.site.dir)).decode()
        self.assertIn("EnableDebugShell=true\r\n", shell)
        # Driver.
        self.assertIn("windows/inf/oem0.inf", paths)
        self.assertTrue([p for p in paths if p.startswith(
            "windows/system32/driverstore/filerepository/e1000.inf_amd64_")])
        self.assertEqual(self.site.status("settings")["Status"], 0)

    def test_update_optional_components(self):
        r = self.site.run("invoke", self.boot, "UpdateOptionalComponents",
                          'ComponentIds=["43","5"]')
        self.assertEqual(r.code, 1, r)
        self.assertIn("0x8004102F", r.err)
        self.assertIn("5 (WinPE-FontSupport-JA-JP, an x86 component)", r.err)
        r = self.site.run("invoke", self.boot, "UpdateOptionalComponents", 'ComponentIds=["RNDIS"]')
        self.assertEqual(r.code, 1, r)
        self.assertIn('"RNDIS"', r.err)
        self.assertEqual(self.site.get(self.boot)["OptionalComponents"], [36, 41])

        self.site.ok("invoke", self.boot, "UpdateOptionalComponents", 'ComponentIds=["43"]')
        pkg = self.site.get(self.boot)
        self.assertEqual(pkg["OptionalComponents"], [43])
        self.assertEqual(pkg["SourceVersion"], 2)
        paths = seven_zip_paths(self.wim)
        self.assertIn("windows/system32/winpe-rndis.dll", paths)
        self.assertNotIn("windows/system32/winpe-hta.dll", paths)
        self.assertIn("windows/system32/winpe-wmi.dll", paths)  # required, always

    def test_s12_lazy_properties(self):
        rows = self.site.ok("query", "SELECT * FROM SMS_BootImagePackage",
                            json_output=True).json()
        self.assertEqual(len(rows), 1)
        for prop in ("ReferencedDrivers", "OptionalComponents", "ScratchSpace",
                     "PreExecCommandLine", "BackgroundBitmapPath", "EnableLabShell",
                     "ImageProperty"):
            self.assertIn(rows[0].get(prop), (None, 0, False), prop)
        self.assertEqual(rows[0]["PreExecSourceDirectory"], "\\\\lab\\sources\\prestart")
        full = self.site.get(self.boot)
        self.assertEqual(full["OptionalComponents"], [36, 41])
        self.assertEqual(full["ScratchSpace"], 256)
        self.assertEqual(full["ReferencedDrivers"][0]["ID"], 1)
        self.assertTrue(full["EnableLabShell"])
        self.assertIn("FrontEnd.hta", full["PreExecCommandLine"])


class ExportDefaultBootImageTest(PublishedWimsVerified):
    """S-9 as the spec writes it, and the optional component catalogue."""

    def setUp(self):
        self.site = CustomizationSite("export")

    def test_s9_export_poll_and_delete_the_context(self):
        path = "c:\\winPE\\boot.wim"
        self.site.ok("init")  # the pollers below must not race to create the database
        proc = subprocess.Popen(self.site.base_args() + [
            "invoke", BOOT, "ExportDefaultBootImage", "Architecture=x64", "ImageIndex=1",
            f"ExportImagePath={path}"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        seen = []
        while proc.poll() is None:
            status = self.site.status(path)
            seen.append((status["Status"], status["Progress"]))
        out, err = proc.communicate(timeout=120)
        status = self.site.status(path)  # the method waited for its job
        seen.append((status["Status"], status["Progress"]))
        self.assertEqual(proc.returncode, 0, err)
        self.assertEqual(status["Status"], 0, status)
        self.assertEqual(status["Progress"], status["MaxProgress"])
        self.assertEqual(status["ErrorCode"], 0)
        progress = [p for s, p in seen if s != 3]
        self.assertEqual(progress, sorted(progress), seen)
        self.site.ok("invoke", BOOT, "DeleteContextID", f"ContextID={path}")
        self.assertEqual(self.site.status(path)["Status"], 3)

        wim = os.path.join(self.site.export, "boot.wim")
        r = run("wimlib-imagex", "verify", wim)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        r = run("7z", "t", wim)
        self.assertIn("Everything is Ok", r.stdout)
        r = run("wimlib-imagex", "info", wim)
        self.assertIn("Boot Index:     1", r.stdout)
        paths = seven_zip_paths(wim)
        self.assertIn("sms/bin/x64/tsbootshell.exe", paths)
        self.assertIn("windows/system32/winpeshl.ini", paths)
        software = extract(wim, "/Windows/System32/config/SOFTWARE", self.site.dir)
        for name in ("WMI", "Scripting", "SecureStartup", "WDS-Tools"):
            package = f"WinPE-{name}-Package~31bf3856ad364e35~amd64~~10.0.22621.1"
            self.assertEqual(hivexget(software, CBS + package, "CurrentState"), "112")
        # Nothing but the export: no package was created.
        self.assertEqual(self.site.ok("enum", BOOT, json_output=True).json(), [])

    def test_export_refusals(self):
        for args, code, words in (
                (["Architecture=ia64", "ImageIndex=1", "ExportImagePath=C:\\WinPE\\a.wim"],
                 "0x8004102F", "no ia64 WinPE"),
                (["Architecture=x64", "ImageIndex=1", "ExportImagePath=\\\\nowhere\\a.wim"],
                 "0x80041008", "\\\\nowhere\\a.wim"),
                (["Architecture=x64", "ImageIndex=5", "ExportImagePath=C:\\WinPE\\b.wim"],
                 "0x80041001", "image index 5 does not exist")):
            r = self.site.run("invoke", BOOT, "ExportDefaultBootImage", *args)
            self.assertEqual(r.code, 1, r)
            self.assertIn(code, r.err)
            self.assertIn(words, r.err)
        self.assertEqual(self.site.status("C:\\WinPE\\b.wim")["Status"], 2)
        self.assertEqual(os.listdir(self.site.export), [])

    def test_optional_component_catalogue(self):
        rows = self.site.ok("enum", "SMS_OSDeploymentKitWinPEOptionalComponent",
                            json_output=True).json()
        self.assertEqual(len(rows), 50)
        by_id = {r["UniqueID"]: r for r in rows}
        self.assertEqual(sorted(by_id), [i for i in range(1, 53) if i not in (23, 49)])
        self.assertEqual(by_id[41]["Name"], "WinPE-PowerShell")
        self.assertEqual(by_id[41]["DependentIds"], [52, 40, 44])
        self.assertEqual({i for i, r in by_id.items() if r["IsRequired"]},
                         {18, 19, 24, 26, 44, 45, 50, 52})
        r = self.site.run("delete", "SMS_OSDeploymentKitWinPEOptionalComponent."
                          "LanguageID=1033,UniqueID=52")
        self.assertEqual(r.code, 1, r)
        self.assertIn("read-only", r.err)


if __name__ == "__main__":
    unittest.main(verbosity=2)
