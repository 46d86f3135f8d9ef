"""The spec's end-to-end scenarios S-1, S-4, S-9, S-12 and S-13
(configmgr-classes.md §10), as an SDK script would run them, over
WS-Management against smsprovd serving a site with the synthetic ADK and
ConfigMgr trees (mkwinpe)."""
import os
import shutil
import time
import unittest
import uuid

from wsman_harness import (CIM_URI, CLASS_SCHEMA_URI, MI_OPTIONS, NS, PACKAGE_ID, SITE_NS, T,
                           WQL, Fault, Server, body_child, create, enumerate_all, envelope, get,
                           invoke, package_id_of, props_of, selectors_of, wql_filter)

BOOT = "SMS_BootImagePackage"
OSIP = "SMS_OperatingSystemInstallPackage"


def new_context():
    return "{%s}" % str(uuid.uuid4()).upper()


class ScenarioTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server("scenarios", trees=True)
        cls.client = cls.server.client()
        share = os.path.join(cls.server.dir, "share")
        shutil.copy(os.path.join(cls.server.inputs, "images", "boot_x64.wim"),
                    os.path.join(share, "boot_x64.wim"))
        os.makedirs(os.path.join(share, "os"), exist_ok=True)

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def get(self, cls, pid):
        return props_of(body_child(self.client.send(get(CIM_URI + cls, [("PackageID", pid)],
                                                        options=MI_OPTIONS))))

    def call(self, cls, method, params=(), keys=()):
        return props_of(body_child(self.client.send(invoke(cls, method, params, keys))))

    def wait_status(self, context):
        """Polls QueryOSDBinaryInjectionStatus until Complete (0) or Error (2)."""
        deadline = time.time() + 120
        while True:
            out = self.call(BOOT, "QueryOSDBinaryInjectionStatus", [("ContextID", context)])
            if out["Status"] in ("0", "2") or time.time() > deadline:
                return out
            time.sleep(0.2)

    def add_boot_image(self, name, context):
        """S-1 steps 2-4: the class, a new instance, Put (Create)."""
        root = self.client.send(envelope(T + "Get", CLASS_SCHEMA_URI, selectors=[
            ("__cimnamespace", SITE_NS), ("ClassName", BOOT)]))
        names = {p.get("NAME") for p in body_child(root)}
        self.assertTrue({"Name", "ImagePath", "ImageIndex"} <= names)
        root = self.client.send(create(BOOT, [
            ("Name", name), ("Description", "imported over WS-Management"),
            ("ImagePath", r"\\lab\share\boot_x64.wim"), ("ImageIndex", "1"),
            ("ContextID", context)]))
        return package_id_of(root)

    def test_s1_add_boot_image_from_wim_and_s9_poll_injection(self):
        context = new_context()
        pid = self.add_boot_image("Boot image (x64) S-1", context)
        self.assertRegex(pid, PACKAGE_ID)
        p = self.get(BOOT, pid)
        self.assertEqual(p["PackageType"], "258")
        self.assertEqual(p["SecuredScopeNames"], "Default")
        self.assertEqual(p["SourceVersion"], "1")
        self.assertEqual(p["Architecture"], "x64")
        self.assertIn("<WIM>", p["ImageProperty"])
        # ImageProperty holds the raw WIM ARCH code (9), the property says x64
        self.assertIn('Name="Architecture">9<', p["ImageProperty"])
        self.assertTrue(p["PkgSourcePath"])
        self.assertGreater(int(p["PackageSize"]), 0)
        # S-9 step 2: the import's status queue says it completed
        status = self.wait_status(context)
        self.assertEqual(status["Status"], "0")
        self.assertEqual(status["Progress"], status["MaxProgress"])
        self.assertEqual(status["ErrorCode"], "0")

        # a refresh under a fresh context ID, polled to the end
        refresh_ctx = new_context()
        out = self.call(BOOT, "RefreshPkgSource", [("ContextID", refresh_ctx)],
                        keys=[("PackageID", pid)])
        self.assertEqual(out["ReturnValue"], "0")
        self.assertEqual(self.wait_status(refresh_ctx)["Status"], "0")
        self.assertEqual(self.get(BOOT, pid)["SourceVersion"], "2")
        # S-9 step 3: drop the queue; it then reports "no status"
        self.assertEqual(self.call(BOOT, "DeleteContextID", [("ContextID", refresh_ctx)])
                         ["ReturnValue"], "0")
        self.assertEqual(self.call(BOOT, "QueryOSDBinaryInjectionStatus",
                                   [("ContextID", refresh_ctx)])["Status"], "3")

    def test_client_paths_stay_in_the_share_and_in_client_form(self):
        """ExportDefaultBootImage through a folder link out of the share is
        refused and writes nothing outside; path faults name the client's
        UNC path, never the server's folder, also in the status queue."""
        share = os.path.join(self.server.dir, "share")
        outside = os.path.join(self.server.dir, "outside")
        os.makedirs(outside, exist_ok=True)
        os.symlink(outside, os.path.join(share, "out"))
        with open(os.path.join(share, "notawim.wim"), "w") as f:
            f.write("no WIM")
        local = os.path.realpath(self.server.dir)

        def refused(message, words):
            f = self.client.fault(message)
            self.assertIn(words, f.text)
            self.assertNotIn(self.server.dir, f.text)
            self.assertNotIn(local, f.text)
            return f

        refused(invoke(BOOT, "ExportDefaultBootImage", [
            ("Architecture", "x64"), ("ImageIndex", "1"),
            ("ExportImagePath", r"\\lab\share\out\boot.wim")]),
            r"symbolic link \\lab\share\out")
        self.assertEqual(os.listdir(outside), [])
        refused(invoke(BOOT, "GetImageProperties",
                       [("SourceImagePath", r"\\lab\share\notawim.wim")]),
                r"\\lab\share\notawim.wim")
        context = new_context()
        refused(create(BOOT, [("Name", "not a WIM"), ("ImagePath", r"\\lab\share\notawim.wim"),
                              ("ImageIndex", "1"), ("ContextID", context)]),
                r"\\lab\share\notawim.wim")
        status = self.wait_status(context)
        self.assertEqual(status["Status"], "2", status)
        for key in ("ProgressText", "ExtendedErrorInfo"):
            self.assertIn(r"\\lab\share\notawim.wim", status[key] or "", status)
            self.assertNotIn(local, status[key] or "")
        self.call(BOOT, "DeleteContextID", [("ContextID", context)])

    def test_s9_export_default_boot_image(self):
        params = [("Architecture", "x64"), ("ImageIndex", "1"),
                  ("ExportImagePath", r"\\lab\share\export_x64.wim")]
        root = self.client.send(invoke(BOOT, "ExportDefaultBootImage", params))
        out = props_of(body_child(root))
        self.assertEqual(out["ReturnValue"], "0")
        self.assertTrue(os.path.exists(os.path.join(self.server.dir, "share", "export_x64.wim")))
        # S-9 steps 2-3: the export's status queue (named by ExportImagePath,
        # the method has no ContextID) says it completed; then it is dropped.
        export_path = dict(params)["ExportImagePath"]
        status = self.wait_status(export_path)
        self.assertEqual(status["Status"], "0", status)
        self.assertEqual(status["Progress"], status["MaxProgress"])
        self.call(BOOT, "DeleteContextID", [("ContextID", export_path)])
        gone = self.call(BOOT, "QueryOSDBinaryInjectionStatus", [("ContextID", export_path)])
        self.assertEqual(gone["Status"], "3")

    def test_s4_add_os_install_package(self):
        root = self.client.send(create(OSIP, [
            ("Name", "Windows 11 install S-4"), ("Description", "OS install package"),
            ("PkgSourceFlag", "2"), ("PkgSourcePath", r"\\lab\share\os")]))
        created = root.find("s:Body/x:ResourceCreated", NS)
        self.assertEqual(created.findtext(".//w:ResourceURI", namespaces=NS), CIM_URI + OSIP)
        pid = selectors_of(created)["PackageID"]
        self.assertRegex(pid, PACKAGE_ID)
        p = self.get(OSIP, pid)
        self.assertEqual(p["PackageType"], "259")
        self.assertEqual(p["PkgSourceFlag"], "2")
        self.assertEqual(p["PkgSourcePath"], r"\\lab\share\os")

    def test_s12_lazy_properties(self):
        pid = self.add_boot_image("Boot image S-12", new_context())
        items = enumerate_all(self.client, CIM_URI + BOOT,
                              wql_filter("SELECT * FROM SMS_BootImagePackage WHERE PackageID = '%s'"
                                         % pid), options=MI_OPTIONS)
        self.assertEqual(len(items), 1)
        listed = props_of(items[0])
        for lazy in ("ImageProperty", "ImageIndex", "ReferencedDrivers", "ImageDiskLayout"):
            self.assertIsNone(listed[lazy], lazy)
        drivers = [c for c in items[0] if c.tag.endswith("}ReferencedDrivers")][0]
        self.assertEqual(drivers.get("{%s}IsNullArray" % NS["p"]), "true")
        got = self.get(BOOT, pid)
        self.assertIn("<WIM>", got["ImageProperty"])
        self.assertEqual(got["ImageIndex"], "1")
        self.assertIn("<WIM>", got["ImageDiskLayout"])

    def test_s13_error_path(self):
        for cls in ("SMS_PackageBaseclass", BOOT):
            status, root = self.client.raw(get(CIM_URI + cls, [("PackageID", "UNKNOWN")]))
            self.assertEqual(status, 500)
            f = Fault(status, root, "")
            self.assertEqual(f.subcode, "a:DestinationUnreachable")
            self.assertEqual(f.wsman_code, 0x80338000)
            self.assertEqual(f.wmi["CIMStatusCode"], "6")
            self.assertEqual(f.wmi["error_Code"], str(0x80041002))
            # the SMS Provider's own error object travels in the WSManFault
            self.assertIn("UNKNOWN", f.extended["Description"])
            self.assertEqual(f.extended["ErrorCode"], "0")
            self.assertEqual(f.extended["StatusCode"], str(0x80041002))
            self.assertEqual(f.extended["Operation"], "GetObject")
            ext = f.root.find(".//f:ExtendedError/*", NS)
            self.assertTrue(ext.tag.endswith("}SMS_ExtendedStatus"))


if __name__ == "__main__":
    unittest.main(verbosity=2)
