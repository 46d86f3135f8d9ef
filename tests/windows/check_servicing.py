"""The Linux side of the Wine servicing suite: every WIM test_wmi_servicing
had smsprov.dll write (copied into OUT under a fixed name) is read back with
tools that share no code with the DLL's writer: wimlib-imagex verify and
dir, 7-Zip's own WIM decoder, hivexget on the extracted hives, and
osdinjection.xml parsed with ElementTree.  The sources must be byte for
byte what servicing_inputs.py made.

Usage: check_servicing.py INPUTS OUT"""
import hashlib
import json
import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e"))
from servicing_harness import (InputTrees, expected_files, verify_with_7z,  # noqa: E402
                               verify_with_wimlib, wim_files)
from test_customization import CBS, E1000_INF, extract, file_bytes, hivexget  # noqa: E402
from test_customization import seven_zip_paths  # noqa: E402

INPUTS_DIR = OUT = None


class ServicedWimsTest(unittest.TestCase):

    def wim(self, name):
        path = os.path.join(OUT, name)
        self.assertTrue(os.path.isfile(path), f"{name}: test_wmi_servicing did not write it")
        return path

    def scratch(self):
        path = os.path.join(OUT, "extracted")
        os.makedirs(path, exist_ok=True)
        return path

    def test_every_wim_verifies_with_wimlib_and_7zip(self):
        names = sorted(n for n in os.listdir(OUT) if n.endswith(".wim"))
        self.assertEqual(names, sorted(["s1.wim", "s2-before-refresh.wim", "s2.wim", "s3.wim",
                                        "settings.wim", "export.wim", "long.wim",
                                        "cancelled.wim"]))
        for name in names:
            ok, out = verify_with_wimlib(self.wim(name))
            self.assertTrue(ok, f"{name}: wimlib-imagex verify: {out}")
            ok, out = verify_with_7z(self.wim(name))
            self.assertTrue(ok, f"{name}: 7z t: {out}")

    def test_nothing_osdinjection_xml_lists_is_missing(self):
        expected = expected_files(InputTrees(INPUTS_DIR), "x64", ["00000409"])
        for name in ("s1.wim", "s3.wim", "settings.wim", "export.wim", "long.wim",
                     "cancelled.wim"):
            self.assertEqual(expected - wim_files(self.wim(name)), set(), name)

    def test_s2_injects_the_driver_only_at_refresh_and_s3_removes_it(self):
        self.assertNotIn("windows/inf/oem0.inf", seven_zip_paths(self.wim("s2-before-refresh.wim")))
        paths = seven_zip_paths(self.wim("s2.wim"))
        store = sorted(p for p in paths if p.startswith(
            "windows/system32/driverstore/filerepository/e1000.inf_amd64_"))
        self.assertTrue(store)
        folder = store[0]
        self.assertRegex(folder, r"e1000\.inf_amd64_[0-9a-f]{16}$")
        self.assertEqual(store, sorted([folder, folder + "/e1000.inf", folder + "/e1000.cat",
                                        folder + "/x64", folder + "/x64/e1000.sys"]))
        oem = extract(self.wim("s2.wim"), "/Windows/INF/oem0.inf", self.scratch())
        self.assertEqual(file_bytes(oem), E1000_INF.encode())
        paths = seven_zip_paths(self.wim("s3.wim"))
        self.assertNotIn("windows/inf/oem0.inf", paths)
        self.assertFalse([p for p in paths if "filerepository/e1000" in p])

    def test_components_scratch_space_and_prestart_are_in_the_image(self):
        wim = self.wim("settings.wim")
        paths = seven_zip_paths(wim)
        software = extract(wim, "/Windows/System32/config/SOFTWARE", self.scratch())
        for name in ("WMI", "NetFx", "Scripting", "PowerShell", "HTA"):
            for lang in ("", "en-us"):
                package = f"WinPE-{name}-Package~31bf3856ad364e35~amd64~{lang}~10.0.22621.1"
                self.assertIn(f"windows/servicing/packages/{package.lower()}.mum", paths)
                self.assertEqual(hivexget(software, CBS + package, "CurrentState"), "112",
                                 package)
        system = extract(wim, "/Windows/System32/config/SYSTEM", self.scratch())
        self.assertEqual(hivexget(system, "\\ControlSet001\\Services\\FBWF",
                                  "WinPECacheThreshold"), "256")
        self.assertFalse([p for p in paths if p.endswith((".log1", ".log2"))])
        ini = file_bytes(extract(wim, "/TSConfig.ini", self.scratch())).decode()
        self.assertEqual(ini, "[CustomHook]\r\n"
                              "CommandLine=mshta.exe X:\\sms\\PKG\\SMS10000\\FrontEnd.hta\r\n"
                              "Source=SMS10000\r\n")
        self.assertIn("sms/pkg/sms10000/frontend.hta", paths)
        self.assertIn("sms/pkg/sms10000/lib/helper.vbs", paths)

    def test_sources_are_untouched(self):
        with open(os.path.join(INPUTS_DIR, "sources.sha256.json")) as f:
            recorded = json.load(f)
        sources = os.path.join(INPUTS_DIR, "sources")
        now = {}
        for root, _, files in os.walk(sources):
            for name in files:
                path = os.path.join(root, name)
                with open(path, "rb") as f:
                    now[os.path.relpath(path, sources)] = hashlib.sha256(f.read()).hexdigest()
        self.assertEqual(now, recorded)


if __name__ == "__main__":
    INPUTS_DIR, OUT = sys.argv[1], sys.argv[2]
    unittest.main(argv=sys.argv[:1], verbosity=2)
